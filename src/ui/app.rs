//! The page: header, drop zone, progress, file rows, and the Timeline / Flows / Findings views.
//!
//! Contracts that checks outside the repo rely on (keep them): `#drop-zone`, `#file-input`,
//! `[data-file-row][data-format]`, and `data-state` = idle | loading | ready on the root element
//! (`<html>`) and on `#app`.

use super::{bridge, drop, flows, human_size, timeline};
use crate::query::{Filter, Request};
use serde_json::Value;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, HtmlInputElement};
use yew::prelude::*;

pub fn mount() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(loading) = doc.get_element_by_id("boot") {
        loading.remove();
    }
    let root = doc.get_element_by_id("root").or_else(|| doc.body().map(|b| b.into()));
    if let Some(root) = root {
        yew::Renderer::<App>::with_root(root).render();
    }
}

/// Last resort: the page hit a bug. Say so plainly, with a way to reload.
pub fn show_fatal(msg: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = doc.body() else { return };
    if doc.get_element_by_id("fatal").is_some() {
        return;
    }
    if let Ok(div) = doc.create_element("div") {
        div.set_id("fatal");
        div.set_attribute("role", "alert").ok();
        let h = doc.create_element("h2").ok();
        let p = doc.create_element("p").ok();
        let pre = doc.create_element("pre").ok();
        let b = doc.create_element("button").ok();
        if let (Some(h), Some(p), Some(pre), Some(b)) = (h, p, pre, b) {
            h.set_text_content(Some("Switchboard stopped because of a bug"));
            p.set_text_content(Some(
                "Nothing was sent anywhere. Reload the page and load your files again; if it happens again, the message below helps us fix it.",
            ));
            pre.set_text_content(Some(msg));
            b.set_text_content(Some("Reload"));
            let reload = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(|| {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().reload();
                }
            });
            b.add_event_listener_with_callback("click", reload.as_ref().unchecked_ref()).ok();
            reload.forget();
            for c in [&h, &p, &pre, &b] {
                div.append_child(c).ok();
            }
        }
        body.append_child(&div).ok();
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Timeline,
    Flows,
    States,
    Findings,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LoadState {
    Idle,
    Loading,
    /// The timeline is shown; records are being decoded and correlated (flows, findings, states).
    Analysing,
    Ready,
}

pub enum Msg {
    Worker(Value),
    Pick(Vec<(String, web_sys::File)>),
    Drop(DragEvent),
    DragOver(bool),
    Demo,
    Cancel,
    Clear,
    Tab(Tab),
    Summary(Value),
    PartialSummary(Value),
    // Timeline
    Rows(u64, Value),
    Scroll(f64, f64),
    Select(usize),
    Detail(Value),
    SetSearch(String),
    ToggleRegex,
    Find(bool),
    Found(Value),
    SetId(String),
    IdDraft(String),
    Toggle(&'static str, String),
    ToggleFile(u32),
    Histogram(Value),
    Zoom(Option<(i64, i64)>),
    Key(String),
    // Flows
    Flows(Value),
    States(Value),
    OpenFlow(usize),
    Flow(Value),
    FlowMsg(flows::FlowMsg),
    GotoPos(usize),
    // Clock panel
    EditClock(Option<u32>),
    ApplyClock(u32, String, String, String),
    SetCap(String),
    // Sanitized export
    ToggleExport,
    SetPatterns(String),
    Preview,
    PreviewResult(Value),
    Export,
    // Ad-hoc flow over an ID
    AdhocFlow(String),
    AdhocResult(Value),
}

pub struct App {
    pub state: LoadState,
    pub tab: Tab,
    pub drag_over: bool,
    pub progress: Option<Value>,
    /// Decode/correlate progress after the timeline is shown (`{"done", "total", "correlating"}`).
    pub analysis: Option<Value>,
    pub last_load: Option<Value>,
    /// The worker has run its warm-up (its parsers are compiled by the browser's optimising tier).
    pub engine_warm: bool,
    pub summary: Value,
    pub fatal: Option<String>,
    // Timeline
    pub filter: Filter,
    pub search: String,
    /// What is typed in the ID filter box, applied on Enter or when the box loses focus.
    pub id_draft: String,
    pub total: usize,
    pub rows: BTreeMap<usize, Value>,
    pub rows_gen: u64,
    pub scroll_top: f64,
    pub viewport: f64,
    pub selected: Option<usize>,
    pub detail: Option<Value>,
    pub find_note: String,
    pub histogram: Value,
    pub error: Option<String>,
    // Flows
    pub flows: Value,
    pub states: Value,
    pub flow_index: Option<usize>,
    pub flow: Option<Value>,
    pub flow_view: flows::FlowView,
    pub clock_edit: Option<u32>,
    pub cap_gb: String,
    pub last_summary: f64,
    pub export_open: bool,
    pub export_patterns: String,
    pub export_preview: Option<Value>,
    pub export_note: String,
    _keys: Option<gloo::events::EventListener>,
}

pub const ROW_H: f64 = 24.0;

fn set_root_state(s: LoadState) {
    let v = match s {
        LoadState::Idle => "idle",
        LoadState::Loading => "loading",
        LoadState::Analysing => "analysing",
        LoadState::Ready => "ready",
    };
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = el.set_attribute("data-state", v);
    }
}

impl App {
    pub fn files(&self) -> &[Value] {
        self.summary.get("files").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
    }

    fn refresh_rows(&mut self, ctx: &Context<Self>) {
        self.rows.clear();
        self.rows_gen += 1;
        self.fetch_rows(ctx);
        let link = ctx.link().clone();
        bridge::request(Request::Histogram { filter: self.filter.clone(), buckets: 160 }, move |v| link.send_message(Msg::Histogram(v)));
    }

    fn fetch_rows(&mut self, ctx: &Context<Self>) {
        let first = (self.scroll_top / ROW_H) as usize;
        let visible = (self.viewport / ROW_H) as usize + 2;
        let start = first.saturating_sub(60);
        let end = first + visible + 60;
        let missing = (start..end).any(|i| (self.total == 0 || i < self.total) && !self.rows.contains_key(&i));
        if !missing && self.total > 0 {
            return;
        }
        let gen = self.rows_gen;
        let link = ctx.link().clone();
        bridge::request(Request::Rows { filter: self.filter.clone(), start, count: end - start }, move |v| link.send_message(Msg::Rows(gen, v)));
    }

    fn select(&mut self, ctx: &Context<Self>, idx: usize) {
        if self.total == 0 {
            return;
        }
        let idx = idx.min(self.total - 1);
        self.selected = Some(idx);
        // Keep the selection in view.
        let top = idx as f64 * ROW_H;
        if top < self.scroll_top || top + ROW_H > self.scroll_top + self.viewport {
            self.scroll_top = (top - self.viewport / 2.0).max(0.0);
            if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("timeline-scroll")) {
                el.set_scroll_top(self.scroll_top as i32);
            }
            self.fetch_rows(ctx);
        }
        if let Some(pos) = self.rows.get(&idx).and_then(|r| r.get("pos")).and_then(Value::as_u64) {
            let link = ctx.link().clone();
            bridge::request(Request::Record { pos: pos as usize }, move |v| link.send_message(Msg::Detail(v)));
        } else {
            // Row not fetched yet: ask for it, then the detail.
            let link = ctx.link().clone();
            bridge::request(Request::Rows { filter: self.filter.clone(), start: idx, count: 1 }, move |v| {
                if let Some(pos) = v.pointer("/rows/0/pos").and_then(Value::as_u64) {
                    let l2 = link.clone();
                    bridge::request(Request::Record { pos: pos as usize }, move |d| l2.send_message(Msg::Detail(d)));
                }
            });
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let fatal = bridge::start(move |v| link.send_message(Msg::Worker(v))).err();
        set_root_state(LoadState::Idle);
        let link = ctx.link().clone();
        let keys = web_sys::window().and_then(|w| w.document()).map(|doc| {
            gloo::events::EventListener::new(&doc, "keydown", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                // Keys go to inputs when one has focus (except Escape).
                let in_input = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
                    .unwrap_or(false);
                if in_input && e.key() != "Escape" && e.key() != "Enter" {
                    return;
                }
                if e.ctrl_key() || e.meta_key() || e.alt_key() {
                    return;
                }
                let k = e.key();
                if matches!(k.as_str(), "j" | "k" | "/" | "n" | "N" | "g" | "G" | "Escape" | "ArrowDown" | "ArrowUp") {
                    if k == "/" || (!in_input && (k == "ArrowDown" || k == "ArrowUp")) {
                        e.prevent_default();
                    }
                    if in_input && k != "Escape" {
                        return;
                    }
                    link.send_message(Msg::Key(k));
                }
            })
        });
        App {
            state: LoadState::Idle,
            tab: Tab::Timeline,
            drag_over: false,
            progress: None,
            analysis: None,
            last_load: None,
            summary: Value::Null,
            fatal,
            filter: Filter::default(),
            search: String::new(),
            id_draft: String::new(),
            total: 0,
            rows: BTreeMap::new(),
            rows_gen: 0,
            scroll_top: 0.0,
            viewport: 600.0,
            selected: None,
            detail: None,
            find_note: String::new(),
            histogram: Value::Null,
            error: None,
            flows: Value::Array(vec![]),
            states: Value::Array(vec![]),
            flow_index: None,
            flow: None,
            flow_view: flows::FlowView::default(),
            clock_edit: None,
            cap_gb: "4".into(),
            last_summary: 0.0,
            export_open: false,
            export_patterns: String::new(),
            export_preview: None,
            export_note: String::new(),
            engine_warm: false,
            _keys: keys,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Worker(v) => match v.get("t").and_then(Value::as_str).unwrap_or("") {
                "progress" => {
                    self.progress = Some(v);
                    true
                }
                "file" => {
                    // A file finished: refresh the rows now and then, so they appear while loading.
                    let now = js_sys::Date::now();
                    if now - self.last_summary > 400.0 {
                        self.last_summary = now;
                        let link = ctx.link().clone();
                        bridge::request(Request::Files, move |v| link.send_message(Msg::PartialSummary(v)));
                    }
                    false
                }
                "warm" => {
                    self.engine_warm = true;
                    true
                }
                "parsing" => {
                    if let Some(p) = self.progress.as_mut() {
                        let what = format!("parsing {}", v.get("path").and_then(Value::as_str).unwrap_or(""));
                        p["current"] = Value::from(what);
                        return true;
                    }
                    false
                }
                "indexed" => {
                    // The timeline is ready; flows follow when the analysis ends.
                    self.progress = None;
                    self.analysis = Some(serde_json::json!({"done": 0, "total": v.get("summary").and_then(|s| s.get("records")).cloned().unwrap_or_default()}));
                    if let Some(s) = v.get("summary") {
                        self.summary = s.clone();
                    }
                    self.state = LoadState::Analysing;
                    set_root_state(self.state);
                    self.refresh_rows(ctx);
                    true
                }
                "analysing" => {
                    self.analysis = Some(v);
                    true
                }
                "loaded" => {
                    self.progress = None;
                    self.analysis = None;
                    if let Some(s) = v.get("summary") {
                        self.summary = s.clone();
                    }
                    self.last_load = Some(v);
                    self.state = LoadState::Ready;
                    set_root_state(self.state);
                    self.refresh_rows(ctx);
                    let link = ctx.link().clone();
                    bridge::request(Request::Flows, move |v| link.send_message(Msg::Flows(v)));
                    let link = ctx.link().clone();
                    bridge::request(Request::States, move |v| link.send_message(Msg::States(v)));
                    true
                }
                "exported" => {
                    let n = v.get("hits").and_then(Value::as_f64).unwrap_or(0.0);
                    self.export_note = format!("switchboard-sanitized.zip downloaded — {n} values masked.");
                    true
                }
                "export-error" => {
                    self.export_note = format!("Export failed: {}", v.get("message").and_then(Value::as_str).unwrap_or(""));
                    true
                }
                "panic" => {
                    let m = v.get("message").and_then(Value::as_str).unwrap_or("").to_string();
                    self.fatal = Some(format!("The parsing worker stopped because of a bug: {m}"));
                    self.state = LoadState::Ready;
                    set_root_state(self.state);
                    true
                }
                _ => false,
            },
            Msg::Pick(files) => {
                if files.is_empty() {
                    return false;
                }
                self.state = LoadState::Loading;
                set_root_state(self.state);
                bridge::load(files);
                true
            }
            Msg::Drop(e) => {
                e.prevent_default();
                self.drag_over = false;
                let Some(dt) = e.data_transfer() else { return true };
                let (entries, plain) = drop::entries_of(&dt);
                let mut files: Vec<(String, web_sys::File)> = plain.into_iter().map(|f| (f.name(), f)).collect();
                self.state = LoadState::Loading;
                set_root_state(self.state);
                if entries.is_empty() {
                    bridge::load(files);
                } else {
                    let link = ctx.link().clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        files.extend(drop::walk(entries).await);
                        if files.is_empty() {
                            link.send_message(Msg::Worker(serde_json::json!({"t": "loaded", "summary": null})));
                        } else {
                            bridge::load(files);
                        }
                    });
                }
                true
            }
            Msg::DragOver(on) => {
                let changed = self.drag_over != on;
                self.drag_over = on;
                changed
            }
            Msg::Demo => {
                self.state = LoadState::Loading;
                set_root_state(self.state);
                bridge::demo();
                true
            }
            Msg::Cancel => {
                bridge::cancel();
                false
            }
            Msg::Clear => {
                let link = ctx.link().clone();
                bridge::request(Request::Clear, move |v| link.send_message(Msg::Summary(v)));
                self.selected = None;
                self.detail = None;
                self.flow = None;
                self.flow_index = None;
                self.flows = Value::Array(vec![]);
                self.states = Value::Array(vec![]);
                self.filter = Filter::default();
                self.search.clear();
                self.id_draft.clear();
                self.state = LoadState::Idle;
                set_root_state(self.state);
                self.refresh_rows(ctx);
                true
            }
            Msg::Tab(t) => {
                self.tab = t;
                true
            }
            Msg::PartialSummary(v) => {
                // Rows of the files done so far, while the load goes on.
                if self.state == LoadState::Loading && v.get("error").is_none() && !v.is_null() {
                    self.summary = v;
                    return true;
                }
                false
            }
            Msg::Summary(v) => {
                if !v.is_null() && v.get("error").is_none() {
                    self.summary = v;
                }
                self.refresh_rows(ctx);
                true
            }
            Msg::Rows(gen, v) => {
                if gen != self.rows_gen {
                    return false;
                }
                self.error = v.get("error").and_then(Value::as_str).map(str::to_string);
                self.total = v.get("total").and_then(Value::as_u64).unwrap_or(0) as usize;
                let start = v.get("start").and_then(Value::as_u64).unwrap_or(0) as usize;
                if let Some(rows) = v.get("rows").and_then(Value::as_array) {
                    for (i, r) in rows.iter().enumerate() {
                        self.rows.insert(start + i, r.clone());
                    }
                }
                // Keep the cache bounded.
                if self.rows.len() > 4000 {
                    let first = (self.scroll_top / ROW_H) as usize;
                    self.rows.retain(|&k, _| k + 1000 > first && k < first + 1000);
                }
                true
            }
            Msg::Scroll(top, height) => {
                self.scroll_top = top;
                self.viewport = height.max(100.0);
                self.fetch_rows(ctx);
                true
            }
            Msg::Select(i) => {
                self.select(ctx, i);
                true
            }
            Msg::Detail(v) => {
                self.detail = Some(v);
                true
            }
            Msg::SetSearch(s) => {
                self.search = s;
                self.filter.text = self.search.clone();
                self.selected = None;
                self.refresh_rows(ctx);
                true
            }
            Msg::ToggleRegex => {
                self.filter.regex = !self.filter.regex;
                self.refresh_rows(ctx);
                true
            }
            Msg::Find(forward) => {
                let q = if self.search.is_empty() { return false } else { self.search.clone() };
                // Search within the current filter minus the search text itself (n/N walk matches).
                let mut f = self.filter.clone();
                f.text.clear();
                let from = match self.selected {
                    Some(s) if forward => s + 1,
                    Some(s) => s.saturating_sub(1),
                    None => 0,
                };
                let link = ctx.link().clone();
                let regex = self.filter.regex;
                if !self.filter.text.is_empty() {
                    // The view is already the matches: just move.
                    let next = if forward { from } else { from };
                    if self.total > 0 {
                        let n = if forward { next % self.total } else { next.min(self.total - 1) };
                        self.select(ctx, n);
                    }
                    return true;
                }
                bridge::request(Request::Find { filter: f, query: q, regex, from, forward }, move |v| link.send_message(Msg::Found(v)));
                false
            }
            Msg::Found(v) => {
                match v.get("index").and_then(Value::as_u64) {
                    Some(i) => {
                        self.find_note = if v.get("wrapped").and_then(Value::as_bool).unwrap_or(false) { "wrapped".into() } else { String::new() };
                        self.select(ctx, i as usize);
                    }
                    None => self.find_note = "no match".into(),
                }
                true
            }
            Msg::IdDraft(d) => {
                self.id_draft = d;
                false
            }
            Msg::SetId(id) => {
                self.id_draft = id.clone();
                self.filter.id = id;
                self.selected = None;
                self.tab = Tab::Timeline;
                self.refresh_rows(ctx);
                true
            }
            Msg::Toggle(kind, value) => {
                let list = match kind {
                    "component" => &mut self.filter.hide_components,
                    "severity" => &mut self.filter.hide_severities,
                    _ => &mut self.filter.hide_names,
                };
                if let Some(i) = list.iter().position(|v| *v == value) {
                    list.remove(i);
                } else {
                    list.push(value);
                }
                self.refresh_rows(ctx);
                true
            }
            Msg::ToggleFile(f) => {
                if let Some(i) = self.filter.hide_files.iter().position(|v| *v == f) {
                    self.filter.hide_files.remove(i);
                } else {
                    self.filter.hide_files.push(f);
                }
                self.refresh_rows(ctx);
                true
            }
            Msg::Histogram(v) => {
                self.histogram = v;
                true
            }
            Msg::Zoom(range) => {
                match range {
                    Some((a, b)) => {
                        self.filter.from_ms = Some(a);
                        self.filter.to_ms = Some(b);
                    }
                    None => {
                        self.filter.from_ms = None;
                        self.filter.to_ms = None;
                    }
                }
                self.refresh_rows(ctx);
                true
            }
            Msg::Key(k) => {
                if self.tab == Tab::Flows {
                    // Keyboard navigation along the diagram's arrows.
                    match k.as_str() {
                        "j" | "ArrowDown" => self.flow_view.update(flows::FlowMsg::Step(1)),
                        "k" | "ArrowUp" => self.flow_view.update(flows::FlowMsg::Step(-1)),
                        "Escape" => self.flow_view.selected = None,
                        _ => return false,
                    }
                    return true;
                }
                if self.tab != Tab::Timeline {
                    return false;
                }
                let cur = self.selected;
                match k.as_str() {
                    "j" | "ArrowDown" => self.select(ctx, cur.map_or(0, |c| c + 1)),
                    "k" | "ArrowUp" => self.select(ctx, cur.map_or(0, |c| c.saturating_sub(1))),
                    "g" => self.select(ctx, 0),
                    "G" => self.select(ctx, self.total.saturating_sub(1)),
                    "n" => ctx.link().send_message(Msg::Find(true)),
                    "N" => ctx.link().send_message(Msg::Find(false)),
                    "/" => {
                        if let Some(el) = web_sys::window()
                            .and_then(|w| w.document())
                            .and_then(|d| d.get_element_by_id("search"))
                            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                        {
                            let _ = el.focus();
                        }
                    }
                    "Escape" => {
                        self.detail = None;
                        self.selected = None;
                    }
                    _ => {}
                }
                true
            }
            Msg::Flows(v) => {
                self.flows = v;
                true
            }
            Msg::States(v) => {
                self.states = v;
                true
            }
            Msg::OpenFlow(i) => {
                self.flow_index = Some(i);
                self.flow_view = flows::FlowView::default();
                let link = ctx.link().clone();
                bridge::request(Request::Flow { index: i }, move |v| link.send_message(Msg::Flow(v)));
                true
            }
            Msg::Flow(v) => {
                self.flow = Some(v);
                true
            }
            Msg::FlowMsg(m) => {
                self.flow_view.update(m);
                true
            }
            Msg::GotoPos(pos) => {
                // Jump to a record in the merged view: clear filters so it is there.
                self.tab = Tab::Timeline;
                self.filter = Filter::default();
                self.search.clear();
                self.id_draft.clear();
                self.rows.clear();
                self.rows_gen += 1;
                self.scroll_top = (pos as f64 * ROW_H - self.viewport / 2.0).max(0.0);
                self.fetch_rows(ctx);
                self.total = self.total.max(pos + 1);
                let link = ctx.link().clone();
                bridge::request(Request::Histogram { filter: self.filter.clone(), buckets: 160 }, move |v| link.send_message(Msg::Histogram(v)));
                self.select(ctx, pos);
                let top = self.scroll_top;
                gloo::timers::callback::Timeout::new(30, move || {
                    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("timeline-scroll")) {
                        el.set_scroll_top(top as i32);
                    }
                })
                .forget();
                true
            }
            Msg::EditClock(f) => {
                self.clock_edit = f;
                true
            }
            Msg::ApplyClock(file, date, offset, skew) => {
                let date = parse_date(&date);
                let off = crate::time::parse_offset(&offset);
                let skew_ms = skew.trim().parse::<f64>().map(|s| (s * 1000.0) as i64).unwrap_or(0);
                let link = ctx.link().clone();
                bridge::request(Request::SetClock { file, date, utc_offset_min: off, skew_ms }, move |v| link.send_message(Msg::Summary(v)));
                self.clock_edit = None;
                true
            }
            Msg::ToggleExport => {
                self.export_open = !self.export_open;
                if self.export_open {
                    ctx.link().send_message(Msg::Preview);
                }
                true
            }
            Msg::SetPatterns(p) => {
                self.export_patterns = p;
                false
            }
            Msg::Preview => {
                let link = ctx.link().clone();
                bridge::request(Request::ExportPreview { patterns: self.patterns() }, move |v| link.send_message(Msg::PreviewResult(v)));
                false
            }
            Msg::PreviewResult(v) => {
                self.export_preview = Some(v);
                true
            }
            Msg::Export => {
                self.export_note = "Preparing the sanitized zip…".into();
                bridge::export(&self.patterns());
                true
            }
            Msg::AdhocFlow(id) => {
                let link = ctx.link().clone();
                bridge::request(Request::AdhocFlow { id }, move |v| link.send_message(Msg::AdhocResult(v)));
                false
            }
            Msg::AdhocResult(v) => {
                if let Some(i) = v.get("index").and_then(Value::as_u64) {
                    self.tab = Tab::Flows;
                    let link = ctx.link().clone();
                    bridge::request(Request::Flows, move |v| link.send_message(Msg::Flows(v)));
                    ctx.link().send_message(Msg::OpenFlow(i as usize));
                } else {
                    self.error = v.get("error").and_then(Value::as_str).map(str::to_string);
                }
                true
            }
            Msg::SetCap(gb) => {
                if let Ok(g) = gb.trim().parse::<f64>() {
                    if g > 0.0 {
                        bridge::set_max_total_bytes(g * (1u64 << 30) as f64);
                    }
                }
                self.cap_gb = gb;
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let state = match self.state {
            LoadState::Idle => "idle",
            LoadState::Loading => "loading",
            LoadState::Analysing => "analysing",
            LoadState::Ready => "ready",
        };
        let on_files = link.callback(|e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files = input.files().map(|l| drop::from_file_list(&l)).unwrap_or_default();
            input.set_value("");
            Msg::Pick(files)
        });
        let on_folder = on_files.clone();
        let ondrop = link.callback(Msg::Drop);
        let ondragover = link.callback(|e: DragEvent| {
            e.prevent_default();
            Msg::DragOver(true)
        });
        let ondragleave = link.callback(|_e: DragEvent| Msg::DragOver(false));
        let n_records = self.summary.get("records").and_then(Value::as_u64).unwrap_or(0);
        let n_flows = self.flows.as_array().map(|a| a.len()).unwrap_or(0);
        let n_findings = self.summary.get("findings").and_then(Value::as_array).map(|a| a.len()).unwrap_or(0);
        let has_files = !self.files().is_empty();
        html! {
            <div id="app" class="app" data-state={state} data-engine={if self.engine_warm { "warm" } else { "starting" }}>
                <header class="topbar">
                    <div class="brand">
                        <svg class="logo" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 6h6v4H4zM14 14h6v4h-6zM7 10v4h10" fill="none" stroke="currentColor" stroke-width="2"/></svg>
                        <h1>{ "Switchboard" }</h1>
                        <span class="version">{ format!("v{}", crate::VERSION) }</span>
                        <span class="tagline">{ "Cisco contact-center logs → one timeline and flow diagrams" }</span>
                    </div>
                    <div class="actions">
                        <label class="btn primary" for="file-input">{ "Open files…" }</label>
                        <input type="file" id="file-input" multiple=true class="visually-hidden" onchange={on_files} />
                        <label class="btn" for="folder-input">{ "Open folder…" }</label>
                        <input type="file" id="folder-input" webkitdirectory=true multiple=true class="visually-hidden" onchange={on_folder} />
                        <button id="demo-button" class="btn" onclick={link.callback(|_| Msg::Demo)} disabled={matches!(self.state, LoadState::Loading | LoadState::Analysing)}>{ "Load demo bundle" }</button>
                        if has_files {
                            <button id="clear-button" class="btn ghost" onclick={link.callback(|_| Msg::Clear)}>{ "Clear" }</button>
                        }
                    </div>
                </header>
                if let Some(f) = &self.fatal {
                    <div class="banner error" role="alert">{ f }</div>
                }
                <section id="drop-zone" class={classes!("drop-zone", self.drag_over.then_some("over"), has_files.then_some("compact"))}
                    {ondrop} {ondragover} {ondragleave}>
                    <div class="drop-title">{ "Drop logs here" }</div>
                    <div class="drop-sub">{ "RTMT or activelog zips, tar.gz, .gz, whole folders, HAR files, single logs — any mix. Files dropped later are merged in." }</div>
                    <div class="drop-privacy">
                        { "Everything is parsed here, in this browser tab. Nothing is uploaded: the page makes no network request." }
                    </div>
                </section>
                { self.view_progress(ctx) }
                { self.view_files(ctx) }
                { self.view_export(ctx) }
                if has_files {
                    <nav class="tabs" role="tablist">
                        <button role="tab" class={classes!("tab", (self.tab == Tab::Timeline).then_some("active"))} id="tab-timeline" onclick={link.callback(|_| Msg::Tab(Tab::Timeline))}>{ format!("Timeline ({n_records})") }</button>
                        <button role="tab" class={classes!("tab", (self.tab == Tab::Flows).then_some("active"))} id="tab-flows" onclick={link.callback(|_| Msg::Tab(Tab::Flows))}>{ format!("Flows ({n_flows})") }</button>
                        <button role="tab" class={classes!("tab", (self.tab == Tab::States).then_some("active"))} id="tab-states" onclick={link.callback(|_| Msg::Tab(Tab::States))}>{ format!("States ({})", self.states.as_array().map(|a| a.len()).unwrap_or(0)) }</button>
                        <button role="tab" class={classes!("tab", (self.tab == Tab::Findings).then_some("active"))} id="tab-findings" onclick={link.callback(|_| Msg::Tab(Tab::Findings))}>{ format!("Findings ({n_findings})") }</button>
                    </nav>
                    <main class="view">
                        { match self.tab {
                            Tab::Timeline => timeline::view(self, ctx),
                            Tab::Flows => flows::view(self, ctx),
                            Tab::States => super::states::view(self, ctx),
                            Tab::Findings => self.view_findings(ctx),
                        } }
                    </main>
                }
                <footer class="about" id="about">
                    <p>
                        <strong>{ "About. " }</strong>
                        { "Switchboard reads UCCE / PCCE / UCCX, Finesse, ECE, CCP / SocialMiner, CTI server and Openfire logs and HAR files. " }
                        { "Your files never leave this browser: there is no server, the page loads nothing from the network, and its Content-Security-Policy forbids any connection. " }
                        { "It works offline, opened straight from a file." }
                    </p>
                </footer>
            </div>
        }
    }
}

impl App {
    fn patterns(&self) -> Vec<String> {
        self.export_patterns.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
    }

    fn view_export(&self, ctx: &Context<Self>) -> Html {
        if !self.export_open {
            return html! {};
        }
        let link = ctx.link();
        let p = self.export_preview.as_ref();
        let err = p.and_then(|p| p.get("error")).and_then(Value::as_str).map(str::to_string);
        let by_kind: Vec<(String, u64)> = p
            .and_then(|p| p.get("by_kind"))
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0))).collect())
            .unwrap_or_default();
        let sample = p.and_then(|p| p.get("sample")).and_then(Value::as_array).cloned().unwrap_or_default();
        html! {
            <section class="export" id="export-panel">
                <h3>{ "Export the loaded logs with secrets masked" }</h3>
                <p class="dim">{ "Masked: Authorization headers, cookies (Cookie, Set-Cookie, HAR cookies), pageAccessToken, verificationToken, integrationAuthTokenGUID, passwords — and your own patterns below. The zip is made here and downloaded; nothing is uploaded." }</p>
                <label class="patterns">{ "Extra patterns (one regular expression per line; the first group is masked, or the whole match)" }
                    <textarea id="export-patterns" rows="3" placeholder={"customerName=(\\w+)"} value={self.export_patterns.clone()}
                        oninput={link.callback(|e: InputEvent| Msg::SetPatterns(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value()))} />
                </label>
                <div class="export-actions">
                    <button class="btn" id="export-preview" onclick={link.callback(|_| Msg::Preview)}>{ "Preview what will be masked" }</button>
                    <button class="btn primary" id="export-download" onclick={link.callback(|_| Msg::Export)} disabled={err.is_some()}>{ "Download sanitized zip" }</button>
                    <span class="dim" id="export-note">{ self.export_note.clone() }</span>
                </div>
                if let Some(e) = err { <div class="banner error">{ e }</div> }
                if let Some(p) = p {
                    <div class="export-preview" id="export-summary">
                        <strong>{ format!("{} values will be masked in {} files", p.get("hits").and_then(Value::as_u64).unwrap_or(0), p.get("files").and_then(Value::as_u64).unwrap_or(0)) }</strong>
                        { for by_kind.iter().map(|(k, n)| html! { <span class="chip">{ format!("{k} {n}") }</span> }) }
                        <ul class="export-sample">
                            { for sample.iter().take(60).map(|h| html! {
                                <li><code>{ format!("{}:{}", crate::query::short_name(h.get("file").and_then(Value::as_str).unwrap_or("")), h.get("line").and_then(Value::as_u64).unwrap_or(0)) }</code>{ " " }<span class="dim">{ h.get("kind").and_then(Value::as_str).unwrap_or("") }</span>{ " " }<span class="mono">{ h.get("preview").and_then(Value::as_str).unwrap_or("") }</span></li>
                            }) }
                        </ul>
                    </div>
                }
            </section>
        }
    }
}

fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let mut it = s.trim().split(['-', '/', '.']);
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

impl App {
    fn view_progress(&self, ctx: &Context<Self>) -> Html {
        if let (LoadState::Analysing, Some(a)) = (self.state, &self.analysis) {
            let f = |k: &str| a.get(k).and_then(Value::as_f64).unwrap_or(0.0);
            let pct = if f("total") > 0.0 { (f("done") / f("total") * 100.0).min(100.0) } else { 0.0 };
            let what = if a.get("correlating").and_then(Value::as_bool).unwrap_or(false) {
                "Correlating: flows, findings, state timelines…".to_string()
            } else {
                format!("Decoding records for flows and findings: {} / {} (the timeline is ready)", f("done"), f("total"))
            };
            return html! {
                <div class="progress" id="progress" role="status" data-phase="analysing">
                    <div class="bar"><div style={format!("width:{pct:.1}%")}></div></div>
                    <span class="nums">{ what }</span>
                    <button id="cancel-button" class="btn danger" onclick={ctx.link().callback(|_| Msg::Cancel)}>{ "Cancel" }</button>
                </div>
            };
        }
        let Some(p) = &self.progress else {
            if self.state == LoadState::Loading {
                return html! { <div class="progress" id="progress"><div class="bar indeterminate"><div></div></div><span>{ "Starting…" }</span></div> };
            }
            if let Some(l) = &self.last_load {
                let secs = l.get("seconds").and_then(Value::as_f64).unwrap_or(0.0);
                let exp = l.get("expanded").and_then(Value::as_f64).unwrap_or(0.0);
                let cancelled = l.get("cancelled").and_then(Value::as_bool).unwrap_or(false);
                let mem = l.get("wasm_memory").and_then(Value::as_f64).unwrap_or(0.0);
                let isecs = l.get("index_seconds").and_then(Value::as_f64).unwrap_or(0.0);
                let imem = l.get("index_wasm_memory").and_then(Value::as_f64).unwrap_or(0.0);
                let analysed = l.get("analysed").and_then(Value::as_bool).unwrap_or(true);
                return html! {
                    <div class="load-note" id="load-note" data-seconds={secs.to_string()} data-expanded={exp.to_string()} data-wasm-memory={mem.to_string()}
                        data-index-seconds={isecs.to_string()}
                        data-parse-seconds={l.get("parse_seconds").and_then(Value::as_f64).unwrap_or(0.0).to_string()}
                        data-ingest-seconds={l.get("ingest_seconds").and_then(Value::as_f64).unwrap_or(0.0).to_string()}
                        data-parsed-wasm-memory={l.get("parsed_wasm_memory").and_then(Value::as_f64).unwrap_or(0.0).to_string()}
                        data-ordered-wasm-memory={l.get("ordered_wasm_memory").and_then(Value::as_f64).unwrap_or(0.0).to_string()}
                        data-start-wasm-memory={l.get("start_wasm_memory").and_then(Value::as_f64).unwrap_or(0.0).to_string()}
                        data-order-seconds={l.get("order_seconds").and_then(Value::as_f64).unwrap_or(0.0).to_string()} data-index-wasm-memory={imem.to_string()} data-analysed={analysed.to_string()}>
                        { format!("{} {} of text in {:.1} s{}", if cancelled { "Cancelled after" } else { "Loaded" }, human_size(exp), secs,
                            if secs > 0.05 && exp >= 1e6 { format!(" ({:.1} MB/s)", exp / 1e6 / secs) } else { String::new() }) }
                        if isecs > 0.0 && analysed { { format!(" — timeline ready after {isecs:.1} s, flows and findings after {secs:.1} s.") } }
                        if cancelled && analysed { { " — what finished before Cancel is kept." } }
                        if let Some(why) = l.get("analysis_skipped").and_then(Value::as_str) { { format!(" — {why}.") } }
                        else if !analysed { { " — flows and findings were not computed (cancelled); the timeline is complete for what loaded." } }
                    </div>
                };
            }
            return html! {};
        };
        let f = |k: &str| p.get(k).and_then(Value::as_f64).unwrap_or(0.0);
        let pct = if f("bytes_total") > 0.0 { (f("bytes_done") / f("bytes_total") * 100.0).min(100.0) } else { 0.0 };
        let current = p.get("current").and_then(Value::as_str).unwrap_or("");
        html! {
            <div class="progress" id="progress" role="status">
                <div class="bar"><div style={format!("width:{pct:.1}%")}></div></div>
                <span class="nums">
                    { format!("{} / {} · inputs {} / {} · {} files · {:.0} MB/s", human_size(f("bytes_done")), human_size(f("bytes_total")),
                        f("inputs_done"), f("inputs_total"), f("files_done"), f("mbps")) }
                </span>
                <span class="current" title={current.to_string()}>{ current }</span>
                <button id="cancel-button" class="btn danger" onclick={ctx.link().callback(|_| Msg::Cancel)}>{ "Cancel" }</button>
            </div>
        }
    }

    fn view_files(&self, ctx: &Context<Self>) -> Html {
        let files = self.files();
        if files.is_empty() {
            return html! {};
        }
        let link = ctx.link();
        html! {
            <section class="files">
                <div class="files-head">
                    <h2>{ format!("{} files", files.len()) }</h2>
                    <button class="btn small" id="export-button" onclick={link.callback(|_| Msg::ToggleExport)}>{ "Export sanitized…" }</button>
                    <label class="cap">{ "Expanded-size cap " }
                        <input type="number" min="0.1" step="0.5" value={self.cap_gb.clone()} onchange={link.callback(|e: Event| Msg::SetCap(e.target_unchecked_into::<HtmlInputElement>().value()))} />
                        { " GiB" }</label>
                </div>
                <div class="files-table" role="table">
                    <div class="frow fhead" role="row">
                        <span>{ "" }</span><span>{ "File" }</span><span>{ "Size" }</span><span>{ "Format" }</span><span>{ "Encoding" }</span><span>{ "Records" }</span><span>{ "Status" }</span><span>{ "Clock" }</span>
                    </div>
                    { for files.iter().map(|f| self.view_file_row(ctx, f)) }
                </div>
            </section>
        }
    }

    fn view_file_row(&self, ctx: &Context<Self>, f: &Value) -> Html {
        let s = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let idx = f.get("index").and_then(Value::as_u64).unwrap_or(0) as u32;
        let status = s("status");
        let format = s("format");
        let hidden = self.filter.hide_files.contains(&idx);
        let problems: Vec<String> = f
            .get("problems")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|p| p.get("message").and_then(Value::as_str).map(str::to_string)).collect())
            .unwrap_or_default();
        let clock = f.get("clock").cloned().unwrap_or(Value::Null);
        let clock_src = clock.get("source").and_then(Value::as_str).unwrap_or("").to_string();
        let clock_text = {
            let off = clock.get("utc_offset_min").and_then(Value::as_i64).map(|o| crate::time::offset_text(o as i32));
            let skew = clock.get("skew_ms").and_then(Value::as_i64).unwrap_or(0);
            let skew = if skew != 0 { format!(" {skew:+} ms") } else { String::new() };
            match off {
                Some(o) => format!("UTC{o}{skew}"),
                None if f.get("needs_clock").and_then(Value::as_bool).unwrap_or(false) => "zone unknown — set".into(),
                None => String::new(),
            }
        };
        let link = ctx.link();
        let editing = self.clock_edit == Some(idx);
        html! {
            <>
            <div class={classes!("frow", status.clone(), hidden.then_some("hidden-file"))} role="row" data-file-row="" data-format={format.clone()} data-status={status.clone()}>
                <span><input type="checkbox" title="show this file in the timeline" checked={!hidden} onchange={link.callback(move |_| Msg::ToggleFile(idx))} /></span>
                <span class="path" title={s("path")}>{ s("path") }</span>
                <span class="num">{ human_size(f.get("size").and_then(Value::as_f64).unwrap_or(0.0)) }</span>
                <span class="fmt">{ if format.is_empty() { "—".to_string() } else { format } }</span>
                <span>{ s("encoding") }</span>
                <span class="num">{ f.get("records").and_then(Value::as_u64).unwrap_or(0) }</span>
                <span class={classes!("status", status.clone())}>{ status.clone() }</span>
                <span class="clock" title={clock_src.clone()}><button class="link" onclick={link.callback(move |_| Msg::EditClock(if editing { None } else { Some(idx) }))}>{ if clock_text.is_empty() { "set…".to_string() } else { clock_text } }</button></span>
            </div>
            { for problems.iter().map(|p| html! { <div class="frow-problem" role="row">{ p }</div> }) }
            if editing { { self.view_clock_editor(ctx, idx, &clock) } }
            </>
        }
    }

    fn view_clock_editor(&self, ctx: &Context<Self>, idx: u32, clock: &Value) -> Html {
        let date = clock
            .get("date")
            .and_then(Value::as_array)
            .map(|a| {
                format!(
                    "{:04}-{:02}-{:02}",
                    a.first().and_then(Value::as_i64).unwrap_or(0),
                    a.get(1).and_then(Value::as_i64).unwrap_or(0),
                    a.get(2).and_then(Value::as_i64).unwrap_or(0)
                )
            })
            .unwrap_or_default();
        let off = clock.get("utc_offset_min").and_then(Value::as_i64).map(|o| crate::time::offset_text(o as i32)).unwrap_or_default();
        let skew = clock.get("skew_ms").and_then(Value::as_i64).map(|s| format!("{}", s as f64 / 1000.0)).unwrap_or_else(|| "0".into());
        let d_ref = NodeRef::default();
        let o_ref = NodeRef::default();
        let s_ref = NodeRef::default();
        let (d2, o2, s2) = (d_ref.clone(), o_ref.clone(), s_ref.clone());
        let apply = ctx.link().callback(move |_: MouseEvent| {
            let v = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            Msg::ApplyClock(idx, v(&d2), v(&o2), v(&s2))
        });
        html! {
            <div class="clock-editor" role="row">
                <label>{ "Date " }<input ref={d_ref} placeholder="2024-01-30" value={date} /></label>
                <label>{ "UTC offset " }<input ref={o_ref} placeholder="-0500 or EDT" value={off} /></label>
                <label>{ "Clock correction (s) " }<input ref={s_ref} value={skew} /></label>
                <button class="btn primary" onclick={apply}>{ "Apply" }</button>
                <span class="dim">{ "Applies at once to every record of this file." }</span>
            </div>
        }
    }

    /// A proposed clock for a file, with a button that applies it (never applied by itself).
    fn view_suggestion(&self, ctx: &Context<Self>, sug: &Value) -> Html {
        let file = sug.get("file_index").and_then(Value::as_u64).unwrap_or(0) as u32;
        let name = sug.get("file").and_then(Value::as_str).unwrap_or("").to_string();
        let off = sug.get("utc_offset_min").and_then(Value::as_i64);
        let skew = sug.get("skew_ms").and_then(Value::as_i64).unwrap_or(0);
        let date = sug.get("date").and_then(Value::as_array).map(|a| {
            format!(
                "{:04}-{:02}-{:02}",
                a.first().and_then(Value::as_i64).unwrap_or(0),
                a.get(1).and_then(Value::as_i64).unwrap_or(0),
                a.get(2).and_then(Value::as_i64).unwrap_or(0)
            )
        });
        // Keep what the file's clock already has for the parts the suggestion leaves out.
        let current = self.files().get(file as usize).and_then(|f| f.get("clock")).cloned().unwrap_or(Value::Null);
        let cur_date = current.get("date").and_then(Value::as_array).map(|a| {
            format!(
                "{:04}-{:02}-{:02}",
                a.first().and_then(Value::as_i64).unwrap_or(0),
                a.get(1).and_then(Value::as_i64).unwrap_or(0),
                a.get(2).and_then(Value::as_i64).unwrap_or(0)
            )
        });
        let cur_off = current.get("utc_offset_min").and_then(Value::as_i64);
        let d = date.clone().or(cur_date).unwrap_or_default();
        let o = off.or(cur_off).map(|o| crate::time::offset_text(o as i32)).unwrap_or_default();
        let s = format!("{}", skew as f64 / 1000.0);
        let label = format!(
            "Apply to {}: {}{}{}",
            crate::query::short_name(&name),
            off.map(|o| format!("zone {} ", crate::time::offset_text(o as i32))).unwrap_or_default(),
            if skew != 0 { format!("correction {:+} ms ", skew) } else { String::new() },
            date.map(|d| format!("date {d}")).unwrap_or_default()
        );
        html! {
            <button class="btn small apply-clock" onclick={ctx.link().callback(move |_| Msg::ApplyClock(file, d.clone(), o.clone(), s.clone()))}>{ label }</button>
        }
    }

    fn view_findings(&self, ctx: &Context<Self>) -> Html {
        let findings = self.summary.get("findings").and_then(Value::as_array).cloned().unwrap_or_default();
        if findings.is_empty() {
            return html! { <div class="empty">{ "No findings in what is loaded." }</div> };
        }
        html! {
            <div class="findings">
                { for findings.iter().map(|f| {
                    let sev = f.get("severity").and_then(Value::as_str).unwrap_or("info").to_string();
                    let recs: Vec<usize> = f.get("records").and_then(Value::as_array).map(|a| a.iter().filter_map(|v| v.as_u64().map(|x| x as usize)).collect()).unwrap_or_default();
                    html! {
                        <article class={classes!("finding", sev.clone())} data-finding={f.get("code").and_then(Value::as_str).unwrap_or("").to_string()}>
                            <header><span class={classes!("sev", sev.clone())}>{ sev }</span><code>{ f.get("code").and_then(Value::as_str).unwrap_or("") }</code></header>
                            <p class="finding-summary">{ f.get("summary").and_then(Value::as_str).unwrap_or("") }</p>
                            if let Some(sug) = f.get("suggestion").filter(|v| v.is_object()) {
                                { self.view_suggestion(ctx, sug) }
                            }
                            <div class="evidence">{ "Evidence: " }
                                { for recs.iter().take(30).map(|&p| html! {
                                    <button class="link" onclick={ctx.link().callback(move |_| Msg::GotoPos(p))}>{ format!("#{p}") }</button>
                                }) }
                            </div>
                        </article>
                    }
                }) }
            </div>
        }
    }
}
