//! The page: the state every view shares (what is loaded, the filter, the time window, the open
//! tab) in one reducer, and the workspace layout: a top bar that becomes a compact bar once files
//! are loaded, and the views filling the rest of the window.
//!
//! Contracts that checks outside the repo rely on (keep them): `#drop-zone`, `#file-input`,
//! `[data-file-row][data-format]`, `data-state` = idle | loading | analysing | ready on the root
//! element (`<html>`) and on `#app`, `#app[data-engine="warm"]`, `[data-row]`, `[data-step]`,
//! `[data-flow-kind]` and `#export-svg`; since issue 15 also `#save-session`, `#export-report` (opens
//! the report dialog: `#report-html`, `#report-markdown`, `#report-sanitize`, `#report-personal`),
//! `#bookmarks-button` / `#bookmarks-panel` (`[data-bookmark]`, `.bm-note`, `#filter-name`,
//! `[data-filter-set]`), `[data-bookmarked]` on marked rows and steps, and `#help-button` (`#catalogue`).

use super::bridge::{self, Death, Event as BridgeEvent};
use super::time_fmt::Zone;
use super::{drop, human_size};
use crate::annotations::{Annotations, Bookmark, FilterSet, FlowRef};
use crate::answers::{Adhoc, FindingGroup, LoadReport, MarkView, Progress, SessionSaved, States, Summary, WorkerMsg};
use crate::query::{Filter, Request};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
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

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tab {
    Timeline,
    Flows,
    States,
    Findings,
    Waterfall,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Phase {
    Idle,
    Loading,
    /// The timeline is shown; records are being decoded and correlated (flows, findings, states).
    Analysing,
    Ready,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Loading => "loading",
            Phase::Analysing => "analysing",
            Phase::Ready => "ready",
        }
    }
}

/// Analysis progress: records decoded, of how many, correlating yet, wasm memory.
#[derive(Clone, Copy, PartialEq, Debug, Default)]
pub struct Analysis {
    pub done: u64,
    pub total: u64,
    pub correlating: bool,
    pub wasm_memory: f64,
}

pub enum Msg {
    Bridge(BridgeEvent),
    /// Ask for the state timelines and findings (after the views in sight asked for theirs).
    FetchResults,
    Pick(Vec<(String, web_sys::File)>),
    Drop(DragEvent),
    DragOver(bool),
    Demo,
    Cancel,
    Clear,
    Tab(Tab),
    Summary(Result<Summary, String>),
    PartialFiles(Result<Summary, String>),
    States(Result<States, String>),
    Findings(Result<Vec<FindingGroup>, String>),
    SetFilter(Filter),
    ToggleFile(u32),
    Zoom(Option<(i64, i64)>),
    SetId(String),
    Goto(usize),
    OpenFlow(Option<usize>),
    Adhoc(String),
    AdhocDone(Result<Adhoc, String>),
    ApplyClock {
        file: u32,
        date: Option<(i32, u32, u32)>,
        offset: Option<i32>,
        skew_ms: i64,
    },
    /// Read a file again as another format.
    SetFormat(u32, String),
    /// Only the lines of a file no family read.
    ShowUnread(u32),
    ToggleFiles,
    ToggleExport,
    SetCap(String),
    Zone(Zone),
    Dismiss,
    /// Bookmark a record (file index, first line), as a flow's step when a flow is given; a second
    /// time takes the bookmark away.
    ToggleBookmark(u32, u32, Option<FlowRef>),
    Note(usize, String),
    RemoveBookmark(usize),
    CaseTitle(String),
    CaseSummary(String),
    ShowMark(usize),
    Marks(Result<Vec<MarkView>, String>),
    Search(String, bool, bool),
    SaveFilter(String),
    ApplyFilter(usize),
    RemoveFilter(usize),
    SaveSession,
    SessionSaved(Result<SessionSaved, String>),
    Panel(Panel),
}

/// The panels that open over the views (one at a time).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Panel {
    Case,
    Report,
    Help,
}

pub struct App {
    /// The ask for state timelines and findings, waiting for the views' asks to go first.
    results_later: Option<gloo::timers::callback::Timeout>,
    phase: Phase,
    tab: Tab,
    engine_warm: bool,
    summary: Rc<Summary>,
    progress: Option<Progress>,
    /// The file being parsed (from the worker's `parsing` event).
    parsing: String,
    analysis: Option<Analysis>,
    last_load: Option<Rc<LoadReport>>,
    /// A problem worth a banner (the worker could not start, an ad-hoc flow found nothing).
    error: Option<String>,
    /// The engine died: what happened and what the page did about it.
    death: Option<String>,
    filter: Rc<Filter>,
    zone: Zone,
    /// A record to show in the timeline (timeline position, and a counter so the same record can
    /// be asked for twice).
    goto: Option<(usize, u64)>,
    nonce: u64,
    /// Bumped whenever the engine's data changes (a load, a clock, Clear): views fetch again.
    data_gen: u64,
    open_flow: Option<usize>,
    states: Rc<States>,
    findings: Rc<Vec<FindingGroup>>,
    files_open: bool,
    export_open: bool,
    export_note: String,
    cap_gb: String,
    last_files_refresh: f64,
    last_progress_draw: f64,
    drag_over: bool,
    /// Clocks the user set (applied again when the engine restarts).
    user_clocks: Vec<super::clock_editor::ClockApply>,
    /// Formats the user chose (applied again when the engine restarts).
    user_formats: Vec<(u32, String)>,
    /// Bookmarks, notes, named filter sets, the case's title and summary (saved only in a session
    /// file, when the user asks).
    annotations: Rc<Annotations>,
    /// Where each bookmark is in what is loaded (from the worker).
    marks: Rc<Vec<MarkView>>,
    /// Bookmarked records as (file index, first line), for the timeline and the diagrams.
    marked: Rc<HashSet<(u32, u32)>>,
    /// The timeline's search, whether it is a regex, and whether only matching rows are shown (a
    /// saved filter set keeps them).
    search: (String, bool, bool),
    /// A search for the timeline to take (a filter set applied).
    set_search: Option<(String, bool, bool, u64)>,
    panel: Option<Panel>,
    /// A step for the diagram to select (from the bookmarks panel).
    select_step: Option<(usize, u64)>,
    /// What the last save or restore did.
    note: Option<String>,
}

fn set_root_state(s: Phase) {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = el.set_attribute("data-state", s.as_str());
    }
}

impl App {
    fn set_phase(&mut self, p: Phase) {
        self.phase = p;
        set_root_state(p);
    }

    /// Asks for the state timelines and findings once this update's views have asked for their
    /// rows: the worker answers in order, and on a day of logs these replies are 10 MB or more
    /// each (the timeline's rows waited 0.3 s behind them).
    fn fetch_results(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.results_later = Some(gloo::timers::callback::Timeout::new(0, move || link.send_message(Msg::FetchResults)));
    }

    fn fetch_results_now(&self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        bridge::ask(Request::States, move |r| link.send_message(Msg::States(r)));
        let link = ctx.link().clone();
        bridge::ask(Request::Findings, move |r| link.send_message(Msg::Findings(r)));
    }

    fn goto(&mut self, pos: usize) {
        self.nonce += 1;
        self.goto = Some((pos, self.nonce));
        self.tab = Tab::Timeline;
    }

    /// Says what died, in which phase, against which limit — and starts reading the inputs again.
    fn engine_died(&mut self, ctx: &Context<Self>, how: Death) {
        let phase = match (self.phase, self.analysis) {
            (Phase::Analysing, Some(a)) if a.correlating => "while correlating flows, findings and state timelines".to_string(),
            (Phase::Analysing, Some(a)) => format!("during the analysis, decoding records for flows and findings ({} of {})", a.done, a.total),
            (Phase::Analysing, None) => "during the analysis".to_string(),
            (Phase::Loading, _) => "while reading and parsing the files".to_string(),
            _ => "while answering the page".to_string(),
        };
        let last_memory = self.analysis.map(|a| a.wasm_memory).or(self.progress.as_ref().map(|p| p.wasm_memory)).unwrap_or(0.0);
        let what = match how {
            Death::OutOfMemory { wanted, wasm_memory } => format!(
                "ran out of memory {phase}: it needed {} more with {} of WebAssembly memory in use, and a browser tab's WebAssembly memory ends at 4 GiB",
                human_size(wanted),
                human_size(wasm_memory)
            ),
            Death::Panic(m) => format!("stopped because of a bug {phase} ({m})"),
            Death::Trap(m) if last_memory > 3.0e9 => format!(
                "ran out of memory {phase} ({m}, with {} of WebAssembly memory in use; a browser tab's WebAssembly memory ends at 4 GiB)",
                human_size(last_memory)
            ),
            Death::Trap(m) => format!("stopped {phase} ({m}; {} of WebAssembly memory in use)", human_size(last_memory)),
        };
        let held = bridge::held();
        self.progress = None;
        self.analysis = None;
        self.states = Rc::new(States::default());
        self.findings = Rc::new(Vec::new());
        self.open_flow = None;
        if held > 0 {
            self.death = Some(format!(
                "The engine {what}. Nothing was lost: Switchboard started a new engine and is reading your {held} input{} again for the timeline; flows and findings are not computed again for them.",
                if held == 1 { "" } else { "s" }
            ));
            bridge::reload_held(&format!("flows and findings were not computed: the engine {what}"));
            // Applied once the files are back (the requests wait in the worker's queue).
            for (file, format) in self.user_formats.clone() {
                let link = ctx.link().clone();
                bridge::ask(Request::SetFormat { file, format }, move |r| link.send_message(Msg::Summary(r)));
            }
            for (file, date, offset, skew_ms) in self.user_clocks.clone() {
                let link = ctx.link().clone();
                bridge::ask(Request::SetClock { file, date, utc_offset_min: offset, skew_ms }, move |r| link.send_message(Msg::Summary(r)));
            }
            self.set_phase(Phase::Loading);
        } else {
            self.death = Some(format!("The engine {what}. A new engine is running."));
            self.set_phase(if self.summary.files.is_empty() { Phase::Idle } else { Phase::Ready });
        }
    }

    fn on_worker(&mut self, ctx: &Context<Self>, m: WorkerMsg) -> bool {
        match m {
            WorkerMsg::Progress(p) => {
                // The worker reports every 50 ms; the bar is drawn at most every 200 ms, so a
                // long load leaves the page's thread idle.
                let first = self.progress.is_none();
                self.progress = Some(p);
                self.progress_bar_due(first)
            }
            WorkerMsg::File { .. } => {
                // A file finished: refresh the rows now and then, so they appear while loading.
                let now = js_sys::Date::now();
                if now - self.last_files_refresh > 400.0 {
                    self.last_files_refresh = now;
                    let link = ctx.link().clone();
                    bridge::ask(Request::Files, move |r| link.send_message(Msg::PartialFiles(r)));
                }
                false
            }
            WorkerMsg::Warm { .. } => {
                self.engine_warm = true;
                true
            }
            WorkerMsg::Parsing { path, .. } => {
                // Drawn under the progress bar's limit too: a folder of six thousand small files
                // sends six thousand of these in a few seconds (the next progress report draws it).
                self.parsing = path;
                self.progress_bar_due(false)
            }
            WorkerMsg::Indexed { summary, .. } => {
                // The timeline is ready; flows follow when the analysis ends.
                self.progress = None;
                self.parsing.clear();
                self.analysis = Some(Analysis { done: 0, total: summary.records as u64, ..Default::default() });
                self.summary = Rc::new(*summary);
                self.data_gen += 1;
                self.set_phase(Phase::Analysing);
                self.fetch_marks(ctx);
                true
            }
            WorkerMsg::Analysing { done, total, correlating, wasm_memory, .. } => {
                self.analysis = Some(Analysis { done, total, correlating, wasm_memory });
                true
            }
            WorkerMsg::Loaded(report) => {
                self.progress = None;
                self.analysis = None;
                self.summary = Rc::new(report.summary.clone());
                self.last_load = Some(Rc::new(*report));
                self.data_gen += 1;
                self.set_phase(Phase::Ready);
                self.fetch_results(ctx);
                self.fetch_marks(ctx);
                true
            }
            WorkerMsg::Restored { annotations } => {
                let n = (annotations.bookmarks.len(), annotations.bookmarks.iter().filter(|b| !b.note.is_empty()).count(), annotations.filters.len());
                self.annotate(|a| a.merge(annotations));
                self.note = Some(format!(
                    "Session opened: {} bookmark{} ({} with notes) and {} filter set{} restored, with the files and the clocks you set.",
                    n.0,
                    if n.0 == 1 { "" } else { "s" },
                    n.1,
                    n.2,
                    if n.2 == 1 { "" } else { "s" }
                ));
                true
            }
            WorkerMsg::ExportError { message } => {
                self.export_note = format!("Export failed: {message}");
                true
            }
            WorkerMsg::Ready | WorkerMsg::Reply { .. } | WorkerMsg::Panic { .. } | WorkerMsg::OutOfMemory { .. } => false,
        }
    }

    /// Whether the progress bar is drawn now: `first`, or 200 ms since it was last drawn (and it
    /// is then counted as drawn).
    fn progress_bar_due(&mut self, first: bool) -> bool {
        let now = js_sys::Date::now();
        let draw = first || now - self.last_progress_draw >= 200.0;
        if draw {
            self.last_progress_draw = now;
        }
        draw
    }

    /// Asks where the bookmarks are now (after a load, a clock change, a new bookmark).
    fn fetch_marks(&mut self, ctx: &Context<Self>) {
        if self.annotations.bookmarks.is_empty() {
            self.marks = Rc::new(Vec::new());
            return;
        }
        let link = ctx.link().clone();
        bridge::ask(Request::Marks { annotations: (*self.annotations).clone() }, move |r| link.send_message(Msg::Marks(r)));
    }

    /// Recomputes the bookmarked (file, line) set when the bookmarks or the files changed.
    fn update_marked(&mut self) {
        let set: HashSet<(u32, u32)> = if self.annotations.bookmarks.is_empty() {
            HashSet::new()
        } else {
            let index: HashMap<&str, u32> = self.summary.files.iter().map(|f| (f.path.as_str(), f.index)).collect();
            self.annotations.bookmarks.iter().filter_map(|b| index.get(b.file.as_str()).map(|&i| (i, b.line))).collect()
        };
        if *self.marked != set {
            self.marked = Rc::new(set);
        }
    }

    fn annotate(&mut self, f: impl FnOnce(&mut Annotations)) {
        f(Rc::make_mut(&mut self.annotations));
    }

    /// The flows a report draws: the open flow, flows with bookmarked steps, flows findings point at.
    fn report_flows(&self) -> Vec<(usize, String)> {
        let mut out: Vec<(usize, String)> = Vec::new();
        let mut add = |i: usize, t: String| {
            if !out.iter().any(|(k, _)| *k == i) {
                out.push((i, t));
            }
        };
        let titled = |i: usize| -> Option<String> {
            self.marks
                .iter()
                .filter_map(|m| m.flow.clone())
                .chain(self.findings.iter().flat_map(|g| g.flows.iter().cloned()))
                .find(|(k, _)| *k == i)
                .map(|(_, t)| t)
        };
        if let Some(i) = self.open_flow {
            add(i, titled(i).map_or_else(|| format!("the open flow (#{i})"), |t| format!("{t} (open)")));
        }
        for m in self.marks.iter() {
            if let Some((i, t)) = &m.flow {
                add(*i, t.clone());
            }
        }
        for g in self.findings.iter() {
            for (i, t) in &g.flows {
                add(*i, t.clone());
            }
        }
        out
    }

    fn start_load(&mut self) {
        self.death = None;
        self.error = None;
        self.set_phase(Phase::Loading);
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let error = bridge::start(move |e| link.send_message(Msg::Bridge(e))).err();
        set_root_state(Phase::Idle);
        App {
            phase: Phase::Idle,
            tab: Tab::Timeline,
            engine_warm: false,
            summary: Rc::new(Summary::default()),
            progress: None,
            parsing: String::new(),
            analysis: None,
            last_load: None,
            error,
            death: None,
            filter: Rc::new(Filter::default()),
            zone: Zone::Utc,
            goto: None,
            nonce: 0,
            data_gen: 0,
            open_flow: None,
            states: Rc::new(States::default()),
            findings: Rc::new(Vec::new()),
            results_later: None,
            files_open: false,
            export_open: false,
            export_note: String::new(),
            cap_gb: "4".into(),
            last_files_refresh: 0.0,
            last_progress_draw: 0.0,
            drag_over: false,
            user_clocks: Vec::new(),
            user_formats: Vec::new(),
            annotations: Rc::new(Annotations::default()),
            marks: Rc::new(Vec::new()),
            marked: Rc::new(HashSet::new()),
            search: (String::new(), false, false),
            set_search: None,
            panel: None,
            select_step: None,
            note: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let redraw = self.update_inner(ctx, msg);
        self.update_marked();
        redraw
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        self.view_inner(ctx)
    }
}

impl App {
    fn update_inner(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Bridge(BridgeEvent::Msg(m)) => self.on_worker(ctx, m),
            Msg::Bridge(BridgeEvent::Exported(hits)) => {
                self.export_note = format!("switchboard-sanitized.zip downloaded — {hits} values masked.");
                true
            }
            Msg::Bridge(BridgeEvent::Died(how)) => {
                self.engine_died(ctx, how);
                true
            }
            Msg::Pick(files) => {
                if files.is_empty() {
                    return false;
                }
                self.start_load();
                bridge::load(files);
                true
            }
            Msg::Drop(e) => {
                e.prevent_default();
                self.drag_over = false;
                let Some(dt) = e.data_transfer() else { return true };
                let (entries, plain) = drop::entries_of(&dt);
                let mut files: Vec<(String, web_sys::File)> = plain.into_iter().map(|f| (f.name(), f)).collect();
                if entries.is_empty() {
                    ctx.link().send_message(Msg::Pick(files));
                } else {
                    self.start_load();
                    let link = ctx.link().clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        files.extend(drop::walk(entries).await);
                        link.send_message(Msg::Pick(files));
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
                self.start_load();
                bridge::demo();
                true
            }
            Msg::Cancel => {
                bridge::cancel();
                false
            }
            Msg::Clear => {
                let link = ctx.link().clone();
                bridge::ask(Request::Clear, move |r| link.send_message(Msg::Summary(r)));
                bridge::forget_inputs();
                self.open_flow = None;
                self.states = Rc::new(States::default());
                self.findings = Rc::new(Vec::new());
                self.filter = Rc::new(Filter::default());
                self.last_load = None;
                self.death = None;
                self.user_clocks.clear();
                self.user_formats.clear();
                self.files_open = false;
                self.export_open = false;
                self.annotations = Rc::new(Annotations::default());
                self.marks = Rc::new(Vec::new());
                self.panel = None;
                self.note = None;
                self.search = (String::new(), false, false);
                self.set_search = None;
                self.set_phase(Phase::Idle);
                true
            }
            Msg::Tab(t) => {
                self.tab = t;
                true
            }
            Msg::PartialFiles(r) => {
                // Rows of the files done so far, while the load goes on.
                match r {
                    Ok(s) if self.phase == Phase::Loading => {
                        self.summary = Rc::new(s);
                        true
                    }
                    _ => false,
                }
            }
            Msg::Summary(r) => {
                if let Ok(s) = r {
                    self.summary = Rc::new(s);
                    self.data_gen += 1;
                    if self.phase == Phase::Ready {
                        self.fetch_results(ctx);
                    }
                    self.fetch_marks(ctx);
                }
                true
            }
            Msg::FetchResults => {
                self.results_later = None;
                self.fetch_results_now(ctx);
                false
            }
            Msg::States(r) => {
                self.states = Rc::new(r.unwrap_or_default());
                true
            }
            Msg::Findings(r) => {
                self.findings = Rc::new(r.unwrap_or_default());
                true
            }
            Msg::SetFilter(f) => {
                self.filter = Rc::new(f);
                true
            }
            Msg::ToggleFile(i) => {
                let mut f = (*self.filter).clone();
                match f.hide_files.iter().position(|v| *v == i) {
                    Some(k) => {
                        f.hide_files.remove(k);
                    }
                    None => f.hide_files.push(i),
                }
                self.filter = Rc::new(f);
                true
            }
            Msg::Zoom(range) => {
                let mut f = (*self.filter).clone();
                f.from_ms = range.map(|r| r.0);
                f.to_ms = range.map(|r| r.1);
                self.filter = Rc::new(f);
                true
            }
            Msg::SetId(id) => {
                let mut f = (*self.filter).clone();
                f.id = id;
                self.filter = Rc::new(f);
                self.tab = Tab::Timeline;
                true
            }
            Msg::Goto(pos) => {
                self.goto(pos);
                true
            }
            Msg::OpenFlow(i) => {
                self.open_flow = i;
                if i.is_some() {
                    self.tab = Tab::Flows;
                }
                true
            }
            Msg::Adhoc(id) => {
                let link = ctx.link().clone();
                bridge::ask(Request::AdhocFlow { id }, move |r| link.send_message(Msg::AdhocDone(r)));
                false
            }
            Msg::AdhocDone(r) => {
                match r {
                    Ok(a) => {
                        self.data_gen += 1;
                        self.open_flow = Some(a.index);
                        self.tab = Tab::Flows;
                        let mut s = (*self.summary).clone();
                        s.flows += 1;
                        self.summary = Rc::new(s);
                    }
                    Err(e) => self.error = Some(e),
                }
                true
            }
            Msg::ApplyClock { file, date, offset, skew_ms } => {
                self.user_clocks.retain(|c| c.0 != file);
                self.user_clocks.push((file, date, offset, skew_ms));
                let link = ctx.link().clone();
                bridge::ask(Request::SetClock { file, date, utc_offset_min: offset, skew_ms }, move |r| link.send_message(Msg::Summary(r)));
                false
            }
            Msg::SetFormat(file, format) => {
                self.user_formats.retain(|c| c.0 != file);
                self.user_formats.push((file, format.clone()));
                let link = ctx.link().clone();
                bridge::ask(Request::SetFormat { file, format }, move |r| link.send_message(Msg::Summary(r)));
                false
            }
            Msg::ShowUnread(file) => {
                // What the families did not read, that file's shown even if it was hidden.
                let mut f = (*self.filter).clone();
                f.unread_only = true;
                f.hide_files.retain(|&i| i != file);
                self.filter = Rc::new(f);
                self.files_open = false;
                self.tab = Tab::Timeline;
                true
            }
            Msg::ToggleFiles => {
                self.files_open = !self.files_open;
                self.export_open = false;
                self.panel = None;
                true
            }
            Msg::ToggleExport => {
                self.export_open = !self.export_open;
                self.files_open = false;
                self.panel = None;
                true
            }
            Msg::Panel(p) => {
                self.panel = if self.panel == Some(p) { None } else { Some(p) };
                self.files_open = false;
                self.export_open = false;
                true
            }
            Msg::ToggleBookmark(file, line, flow) => {
                let Some(path) = self.summary.files.get(file as usize).map(|f| f.path.clone()) else { return false };
                let same = |b: &Bookmark| b.file == path && b.line == line && b.flow == flow;
                match self.annotations.bookmarks.iter().position(same) {
                    Some(i) => {
                        self.annotate(|a| {
                            a.bookmarks.remove(i);
                        });
                        let mut m = (*self.marks).clone();
                        m.retain(|x| x.bookmark != i);
                        m.iter_mut().filter(|x| x.bookmark > i).for_each(|x| x.bookmark -= 1);
                        self.marks = Rc::new(m);
                    }
                    None => self.annotate(|a| a.bookmarks.push(Bookmark { file: path, line, flow, note: String::new() })),
                }
                self.fetch_marks(ctx);
                true
            }
            Msg::Note(i, text) => {
                self.annotate(|a| {
                    if let Some(b) = a.bookmarks.get_mut(i) {
                        b.note = text;
                    }
                });
                true
            }
            Msg::RemoveBookmark(i) => {
                if i < self.annotations.bookmarks.len() {
                    self.annotate(|a| {
                        a.bookmarks.remove(i);
                    });
                    let mut m = (*self.marks).clone();
                    m.retain(|x| x.bookmark != i);
                    m.iter_mut().filter(|x| x.bookmark > i).for_each(|x| x.bookmark -= 1);
                    self.marks = Rc::new(m);
                    self.fetch_marks(ctx);
                }
                true
            }
            Msg::CaseTitle(t) => {
                self.annotate(|a| a.title = t);
                true
            }
            Msg::CaseSummary(t) => {
                self.annotate(|a| a.summary = t);
                true
            }
            Msg::ShowMark(i) => {
                let Some(m) = self.marks.iter().find(|m| m.bookmark == i).cloned() else { return false };
                let step_of = self.annotations.bookmarks.get(i).is_some_and(|b| b.flow.is_some());
                match (step_of, &m.flow, m.step) {
                    (true, Some((fi, _)), Some(step)) => {
                        self.open_flow = Some(*fi);
                        self.tab = Tab::Flows;
                        self.nonce += 1;
                        self.select_step = Some((step, self.nonce));
                    }
                    _ => {
                        if let Some(pos) = m.pos {
                            self.goto(pos);
                        }
                    }
                }
                true
            }
            Msg::Marks(r) => {
                if let Ok(m) = r {
                    self.marks = Rc::new(m);
                }
                true
            }
            Msg::Search(text, regex, only) => {
                self.search = (text, regex, only);
                // The panel shows what a new filter set would hold.
                self.panel == Some(Panel::Case)
            }
            Msg::SaveFilter(name) => {
                let filter = self.current_filter();
                self.annotate(|a| match a.filters.iter_mut().find(|f| f.name == name) {
                    Some(f) => f.filter = filter,
                    None => a.filters.push(FilterSet { name, filter }),
                });
                true
            }
            Msg::ApplyFilter(i) => {
                let Some(set) = self.annotations.filters.get(i) else { return false };
                match serde_json::from_value::<Filter>(set.filter.clone()) {
                    Ok(mut f) => {
                        // The text is the timeline's search (the page's filter never holds it).
                        let only = set.filter.get("only_matching").and_then(|v| v.as_bool()).unwrap_or(false);
                        let text = std::mem::take(&mut f.text);
                        let regex = std::mem::take(&mut f.regex);
                        self.nonce += 1;
                        self.search = (text.clone(), regex, only);
                        self.set_search = Some((text, regex, only, self.nonce));
                        self.filter = Rc::new(f);
                        self.tab = Tab::Timeline;
                    }
                    Err(e) => self.error = Some(format!("The filter set “{}” could not be applied: {e}", set.name)),
                }
                true
            }
            Msg::RemoveFilter(i) => {
                if i < self.annotations.filters.len() {
                    self.annotate(|a| {
                        a.filters.remove(i);
                    });
                }
                true
            }
            Msg::SaveSession => {
                self.note = Some("Saving the session…".into());
                let link = ctx.link().clone();
                bridge::ask(Request::SaveSession { annotations: (*self.annotations).clone() }, move |r| link.send_message(Msg::SessionSaved(r)));
                true
            }
            Msg::SessionSaved(r) => {
                self.note = Some(match r {
                    Ok(s) => format!(
                        "{} downloaded ({}, {} file{}, with your clocks, {} bookmarks and {} filter sets). Drop it on a fresh page to open the case again.",
                        bridge::SESSION_FILE_NAME,
                        human_size(s.bytes as f64),
                        s.files,
                        if s.files == 1 { "" } else { "s" },
                        self.annotations.bookmarks.len(),
                        self.annotations.filters.len()
                    ),
                    Err(e) => e,
                });
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
            Msg::Zone(z) => {
                self.zone = z;
                true
            }
            Msg::Dismiss => {
                self.death = None;
                self.error = None;
                self.note = None;
                true
            }
        }
    }

    /// The timeline's filter with its search (as `text`, and `only_matching` when only matching
    /// rows are shown): what a named filter set keeps.
    fn current_filter(&self) -> serde_json::Value {
        let mut f = (*self.filter).clone();
        if !self.search.0.is_empty() {
            f.text = self.search.0.clone();
            f.regex = self.search.1;
        }
        let mut v = serde_json::to_value(f).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            if self.search.2 && !self.search.0.is_empty() {
                o.insert("only_matching".into(), serde_json::Value::Bool(true));
            }
        }
        v
    }

    fn view_inner(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let on_files = link.callback(|e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files = input.files().map(|l| drop::from_file_list(&l)).unwrap_or_default();
            input.set_value("");
            Msg::Pick(files)
        });
        let has_files = !self.summary.files.is_empty();
        let busy = matches!(self.phase, Phase::Loading | Phase::Analysing);
        let s = &self.summary;
        let tab = |t: Tab, id: &'static str, label: String| {
            html! {
                <button role="tab" aria-selected={(self.tab == t).to_string()} class={classes!("tab", (self.tab == t).then_some("active"))} id={id}
                    onclick={link.callback(move |_| Msg::Tab(t))}>{ label }</button>
            }
        };
        let drop_events = (
            link.callback(Msg::Drop),
            link.callback(|e: DragEvent| {
                e.prevent_default();
                Msg::DragOver(true)
            }),
            link.callback(|_e: DragEvent| Msg::DragOver(false)),
        );
        let has_har = s.files.iter().any(|f| f.format == "har");
        let flows_ready = self.phase == Phase::Ready && self.last_load.as_ref().is_some_and(|l| l.analysed);
        html! {
            <div id="app" class={classes!("app", has_files.then_some("loaded"))} data-state={self.phase.as_str()} data-engine={if self.engine_warm { "warm" } else { "starting" }}>
                <header class="topbar">
                    <div class="brand">
                        <svg class="logo" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 6h6v4H4zM14 14h6v4h-6zM7 10v4h10" fill="none" stroke="currentColor" stroke-width="2"/></svg>
                        <h1>{ "Switchboard" }</h1>
                        if !has_files {
                            <span class="version">{ format!("v{}", crate::VERSION) }</span>
                            <span class="tagline">{ "Cisco contact-center logs → one timeline and flow diagrams" }</span>
                        }
                    </div>
                    if has_files {
                        <super::load_bar::LoadBar summary={self.summary.clone()} last_load={self.last_load.clone()} files_open={self.files_open}
                            drag_over={self.drag_over} on_toggle_files={link.callback(|_| Msg::ToggleFiles)}
                            ondrop={drop_events.0.clone()} ondragover={drop_events.1.clone()} ondragleave={drop_events.2.clone()} />
                    }
                    <div class="actions">
                        <label class={classes!("btn", (!has_files).then_some("primary"))} for="file-input" title="Open log files, archives or HAR files">if has_files { <span class="wide">{ "Add files…" }</span><span class="narrow">{ "+ Files" }</span> } else { { "Open files…" } }</label>
                        <input type="file" id="file-input" multiple=true class="visually-hidden" onchange={on_files.clone()} />
                        <label class="btn" for="folder-input" title="Open a whole folder (its sub-folders too)">if has_files { <span class="wide">{ "Add folder…" }</span><span class="narrow">{ "+ Folder" }</span> } else { { "Open folder…" } }</label>
                        <input type="file" id="folder-input" webkitdirectory=true multiple=true class="visually-hidden" onchange={on_files} />
                        <button id="demo-button" class="btn" onclick={link.callback(|_| Msg::Demo)} disabled={busy}>{ if has_files { "Demo" } else { "Load demo bundle" } }</button>
                        if has_files {
                            <button id="bookmarks-button" class={classes!("btn", (self.panel == Some(Panel::Case)).then_some("on"))} onclick={link.callback(|_| Msg::Panel(Panel::Case))}
                                title="Bookmarks, notes and named filter sets">{ format!("★ {}", self.annotations.bookmarks.len()) }</button>
                            <button id="save-session" class="btn" onclick={link.callback(|_| Msg::SaveSession)} disabled={busy}
                                title="Download one .switchboard file with the inputs, clocks, bookmarks, notes and filter sets"><span class="wide">{ "Save session" }</span><span class="narrow">{ "Save" }</span></button>
                            <button id="export-report" class={classes!("btn", (self.panel == Some(Panel::Report)).then_some("on"))} onclick={link.callback(|_| Msg::Panel(Panel::Report))}
                                disabled={busy} title="A self-contained HTML (or Markdown) case report">{ "Report…" }</button>
                            <button id="export-button" class={classes!("btn", self.export_open.then_some("on"))} onclick={link.callback(|_| Msg::ToggleExport)} title="Export the loaded logs with secrets masked"><span class="wide">{ "Export sanitized…" }</span><span class="narrow">{ "Sanitized…" }</span></button>
                            <button id="clear-button" class="btn ghost" onclick={link.callback(|_| Msg::Clear)}>{ "Clear" }</button>
                        }
                        <button id="help-button" class={classes!("btn", "ghost", (self.panel == Some(Panel::Help)).then_some("on"))} onclick={link.callback(|_| Msg::Panel(Panel::Help))}
                            title="Keys and the findings catalogue">{ "?" }</button>
                    </div>
                </header>
                <super::load_bar::Progress phase={self.phase} progress={self.progress.clone()} parsing={self.parsing.clone()} analysis={self.analysis}
                    on_cancel={link.callback(|_| Msg::Cancel)} />
                if let Some(d) = &self.death {
                    <div class="banner error" id="engine-died" role="alert">{ d.clone() }<button class="link" onclick={link.callback(|_| Msg::Dismiss)}>{ "dismiss" }</button></div>
                }
                if let Some(e) = &self.error {
                    <div class="banner error" role="alert">{ e.clone() }<button class="link" onclick={link.callback(|_| Msg::Dismiss)}>{ "dismiss" }</button></div>
                }
                if let Some(n) = &self.note {
                    <div class="banner info" id="session-note" role="status">{ n.clone() }<button class="link" onclick={link.callback(|_| Msg::Dismiss)}>{ "dismiss" }</button></div>
                }
                <super::help::Help open={self.panel == Some(Panel::Help)} on_close={link.callback(|_| Msg::Panel(Panel::Help))} />
                if has_files {
                    <super::file_list::FileList files={self.summary.clone()} open={self.files_open} hidden_files={self.filter.hide_files.clone()} cap_gb={self.cap_gb.clone()}
                        on_toggle_file={link.callback(Msg::ToggleFile)}
                        on_set_format={link.callback(|(i, f): (u32, String)| Msg::SetFormat(i, f))} on_show_unread={link.callback(Msg::ShowUnread)} on_close={link.callback(|_| Msg::ToggleFiles)}
                        on_cap={link.callback(Msg::SetCap)}
                        on_apply_clock={link.callback(|(file, date, offset, skew_ms)| Msg::ApplyClock { file, date, offset, skew_ms })} />
                    <super::export_panel::ExportPanel open={self.export_open} note={self.export_note.clone()} on_close={link.callback(|_| Msg::ToggleExport)} />
                    <super::bookmarks::BookmarksPanel open={self.panel == Some(Panel::Case)} annotations={self.annotations.clone()} marks={self.marks.clone()} zone={self.zone}
                        current_filter={FilterSet { name: String::new(), filter: self.current_filter() }.describe()}
                        on_close={link.callback(|_| Msg::Panel(Panel::Case))} on_title={link.callback(Msg::CaseTitle)} on_summary={link.callback(Msg::CaseSummary)}
                        on_note={link.callback(|(i, t)| Msg::Note(i, t))} on_remove={link.callback(Msg::RemoveBookmark)} on_show={link.callback(Msg::ShowMark)}
                        on_save_filter={link.callback(Msg::SaveFilter)} on_apply_filter={link.callback(Msg::ApplyFilter)} on_remove_filter={link.callback(Msg::RemoveFilter)} />
                    if self.panel == Some(Panel::Report) {
                        <super::report_dialog::ReportDialog open=true annotations={self.annotations.clone()} flows={Rc::new(self.report_flows())}
                            findings={self.findings.iter().map(FindingGroup::findings).sum::<usize>()} on_close={link.callback(|_| Msg::Panel(Panel::Report))} />
                    }
                    <nav class="tabs" role="tablist">
                        { tab(Tab::Timeline, "tab-timeline", format!("Timeline ({})", s.records)) }
                        { tab(Tab::Flows, "tab-flows", format!("Flows ({})", s.flows)) }
                        { tab(Tab::States, "tab-states", format!("States ({})", self.states.count())) }
                        { tab(Tab::Findings, "tab-findings", format!("Findings ({})", self.findings.iter().map(FindingGroup::findings).sum::<usize>())) }
                        <button role="tab" aria-selected={(self.tab == Tab::Waterfall).to_string()} class={classes!("tab", (self.tab == Tab::Waterfall).then_some("active"))} id="tab-waterfall"
                            disabled={!has_har} title={if has_har { "HTTP requests and WebSocket frames of the HAR files on a time axis" } else { "open a HAR file for its waterfall" }}
                            onclick={link.callback(|_| Msg::Tab(Tab::Waterfall))}>{ "Waterfall" }</button>
                        <span class="sep"></span>
                        <label class="zone-pick" title="Which clock the times are shown in">{ "Times " }
                            <select id="time-zone" onchange={link.callback(|e: Event| Msg::Zone(Zone::from_value(&e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())))}>
                                <option value="utc" selected={self.zone == Zone::Utc}>{ "UTC" }</option>
                                <option value="local" selected={self.zone == Zone::Local}>{ "browser's zone" }</option>
                                <option value="written" selected={self.zone == Zone::Written}>{ "as written" }</option>
                            </select>
                        </label>
                    </nav>
                    <main class="view">
                        <div class="pane" hidden={self.tab != Tab::Timeline}>
                            <super::timeline::Timeline active={self.tab == Tab::Timeline} data_gen={self.data_gen} records={s.records} summary={self.summary.clone()}
                                filter={self.filter.clone()} zone={self.zone} goto={self.goto} flows_ready={flows_ready}
                                loading={self.phase == Phase::Loading}
                                on_filter={link.callback(Msg::SetFilter)} on_zoom={link.callback(Msg::Zoom)}
                                on_open_flow={link.callback(|i| Msg::OpenFlow(Some(i)))} on_adhoc={link.callback(Msg::Adhoc)}
                                marked={self.marked.clone()} on_bookmark={link.callback(|(f, l)| Msg::ToggleBookmark(f, l, None))}
                                on_search={link.callback(|(t, r, o)| Msg::Search(t, r, o))} set_search={self.set_search.clone()} />
                        </div>
                        <div class="pane" hidden={self.tab != Tab::Flows}>
                            { match self.open_flow {
                                Some(i) => html! {
                                    <super::diagram::Diagram index={i} data_gen={self.data_gen} zone={self.zone} window={self.filter.from_ms.zip(self.filter.to_ms)}
                                        active={self.tab == Tab::Flows}
                                        on_back={link.callback(|_| Msg::OpenFlow(None))} on_goto={link.callback(Msg::Goto)}
                                        on_pick_id={link.callback(Msg::SetId)} on_open_flow={link.callback(|i| Msg::OpenFlow(Some(i)))}
                                        marked={self.marked.clone()} on_bookmark={link.callback(|(f, l, flow)| Msg::ToggleBookmark(f, l, Some(flow)))}
                                        select_step={self.select_step} />
                                },
                                None => html! {
                                    <super::flow_list::FlowList active={self.tab == Tab::Flows} data_gen={self.data_gen} all={s.flows} zone={self.zone}
                                        analysing={self.phase != Phase::Ready} on_open={link.callback(|i| Msg::OpenFlow(Some(i)))} />
                                },
                            } }
                        </div>
                        <div class="pane" hidden={self.tab != Tab::States}>
                            <super::states::StatesView states={self.states.clone()} window={self.filter.from_ms.zip(self.filter.to_ms)} zone={self.zone}
                                active={self.tab == Tab::States} on_zoom={link.callback(Msg::Zoom)} on_goto={link.callback(Msg::Goto)} />
                        </div>
                        if has_har {
                            <div class="pane" hidden={self.tab != Tab::Waterfall}>
                                <super::waterfall::WaterfallView active={self.tab == Tab::Waterfall} data_gen={self.data_gen} window={self.filter.from_ms.zip(self.filter.to_ms)} zone={self.zone}
                                    on_zoom={link.callback(Msg::Zoom)} on_pick_id={link.callback(Msg::SetId)} on_open_flow={link.callback(|i| Msg::OpenFlow(Some(i)))} />
                            </div>
                        }
                        <div class="pane" hidden={self.tab != Tab::Findings}>
                            <super::findings::Findings groups={self.findings.clone()} files={self.summary.clone()} zone={self.zone}
                                on_goto={link.callback(Msg::Goto)} on_open_flow={link.callback(|i| Msg::OpenFlow(Some(i)))}
                                on_apply_clock={link.callback(|(file, date, offset, skew_ms)| Msg::ApplyClock { file, date, offset, skew_ms })} />
                        </div>
                    </main>
                } else {
                    <section id="drop-zone" class={classes!("drop-zone", self.drag_over.then_some("over"))}
                        ondrop={drop_events.0} ondragover={drop_events.1} ondragleave={drop_events.2}>
                        <div class="drop-title">{ "Drop logs here" }</div>
                        <div class="drop-sub">{ "RTMT or activelog zips, tar.gz, .gz, whole folders, HAR files, single logs — any mix. Files dropped later are merged in." }</div>
                        <div class="drop-privacy">
                            { "Everything is parsed here, in this browser tab. Nothing is uploaded: the page makes no network request." }
                        </div>
                    </section>
                    <footer class="about" id="about">
                        <p>
                            <strong>{ "About. " }</strong>
                            { "Switchboard reads UCCE / PCCE / UCCX, Finesse, ECE, CCP / SocialMiner, CTI server and Openfire logs and HAR files. " }
                            { "Your files never leave this browser: there is no server, the page loads nothing from the network, and its Content-Security-Policy forbids any connection. " }
                            { "It works offline, opened straight from a file." }
                        </p>
                    </footer>
                }
            </div>
        }
    }
}
