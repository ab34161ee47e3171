//! One flow as a sequence diagram: a lifeline per participant, an arrow per message in time order,
//! failures in red (with a legend), a marker where a source's clock ran backwards, long silences
//! as breaks, repeated messages collapsed, and how the flow ended. The lane names and the time
//! column stay in view while it scrolls; labels wrap, and what does not fit is elided with the
//! full text on hover and in exports. Only the rows in view are drawn, and hovering an arrow
//! re-renders this component alone.
//!
//! Keys: `j`/`k` next/previous message, `/` find a message, Esc closes the message's detail.

use super::bridge;
use super::detail::RecordPane;
use super::diagram_export::{self, arrow_d, label_pos, step_time, MARKERS, SVG_STYLE};
use super::time_fmt::{self, Zone};
use super::vscroll::{Drag, Splitter};
use crate::answers::{EndKind, FlowDetail, Outcome};
use crate::diagram_layout::{self, end_box_h, Item, Layout, Opts, END_PAD, HEAD_H, LINE_H, PAGE_LINES, TIME_W};
use crate::query::Request;
use std::cell::Cell;
use std::collections::BTreeSet;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeMode {
    #[default]
    Absolute,
    Relative,
    Delta,
}

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub index: usize,
    pub data_gen: u64,
    pub zone: Zone,
    /// The page's time window (the export can hold just that range).
    pub window: Option<(i64, i64)>,
    pub active: bool,
    pub on_back: Callback<()>,
    pub on_goto: Callback<usize>,
    pub on_pick_id: Callback<String>,
    pub on_open_flow: Callback<usize>,
    /// Bookmarked records: (file index, first line).
    pub marked: Rc<std::collections::HashSet<(u32, u32)>>,
    /// Bookmark a step (its record, with this flow), or take its bookmark away.
    pub on_bookmark: Callback<(u32, u32, crate::annotations::FlowRef)>,
    /// A step to select (index in time order), with a counter so the same step can be asked twice.
    #[prop_or_default]
    pub select_step: Option<(usize, u64)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Svg,
    Png,
    Mermaid,
    PlantUml,
}

pub enum Msg {
    Got(usize, Result<FlowDetail, String>),
    Mode(TimeMode),
    Toggle(usize),
    Select(usize),
    Hover(Option<usize>),
    Lane(String),
    Search(String),
    Zoom(f64),
    Scroll(f64, f64),
    Step(i64),
    CollapseAll,
    Split(Drag),
    Export(Export),
    Range(bool),
    Note(String),
    CloseDetail,
    Measure,
    Bookmark,
}

pub struct Diagram {
    flow: Option<Rc<FlowDetail>>,
    error: Option<String>,
    lay: Option<Rc<Layout>>,
    mode: TimeMode,
    expanded: BTreeSet<usize>,
    hidden: BTreeSet<String>,
    hover: Option<usize>,
    selected: Option<usize>,
    search: String,
    zoom: f64,
    scroll_top: f64,
    viewport: f64,
    detail_w: f64,
    drag_base: f64,
    /// Export only the page's time window.
    range_only: bool,
    note: String,
    scroller: NodeRef,
    active: Rc<Cell<bool>>,
    _keys: Option<gloo::events::EventListener>,
    _resize: Option<gloo::events::EventListener>,
}

impl Diagram {
    fn fetch(ctx: &Context<Self>) {
        let index = ctx.props().index;
        let link = ctx.link().clone();
        bridge::ask(Request::Flow { index }, move |r| link.send_message(Msg::Got(index, r)));
    }

    fn relayout(&mut self, zone: Zone) {
        self.lay = self.flow.as_ref().map(|f| {
            let end = end_line(f, zone);
            Rc::new(diagram_layout::layout(
                f,
                &Opts { expanded: &self.expanded, hidden_lanes: &self.hidden, collapse: true, max_lines: PAGE_LINES, range: None, end_text: &end },
            ))
        });
    }

    /// Scrolls so the selected message is in view.
    fn reveal(&mut self) {
        let (Some(lay), Some(sel)) = (&self.lay, self.selected) else { return };
        let Some(r) = lay.row_of_step(sel).and_then(|k| lay.rows.get(k)) else { return };
        let top = r.y * self.zoom;
        let bottom = (r.y + r.h) * self.zoom;
        let view_top = self.scroll_top;
        let view_bottom = self.scroll_top + self.viewport - HEAD_H;
        let target = if top < view_top {
            Some((top - 3.0 * r.h).max(0.0))
        } else if bottom > view_bottom {
            Some(bottom - self.viewport + HEAD_H + 3.0 * r.h)
        } else {
            None
        };
        if let (Some(t), Some(el)) = (target, self.scroller.cast::<web_sys::Element>()) {
            self.scroll_top = t.max(0.0);
            el.set_scroll_top(self.scroll_top as i32);
        }
    }

    fn stem(f: &FlowDetail) -> String {
        format!("switchboard-{}-{}", f.kind, f.key).chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).take(120).collect()
    }
}

impl Component for Diagram {
    type Message = Msg;
    type Properties = DiagramProps;

    fn create(ctx: &Context<Self>) -> Self {
        Self::fetch(ctx);
        let active = Rc::new(Cell::new(ctx.props().active));
        let keys = {
            let link = ctx.link().clone();
            let active = active.clone();
            super::on_keydown(move |e| {
                if !active.get() || e.ctrl_key() || e.meta_key() || e.alt_key() {
                    return;
                }
                if super::typing_in_field(e) {
                    if e.key() == "Escape" {
                        if let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                            let _ = el.blur();
                        }
                    }
                    return;
                }
                let msg = match e.key().as_str() {
                    "j" | "ArrowDown" => Msg::Step(1),
                    "k" | "ArrowUp" => Msg::Step(-1),
                    "b" => Msg::Bookmark,
                    "Escape" => Msg::CloseDetail,
                    "/" => {
                        e.prevent_default();
                        super::focus("flow-search");
                        return;
                    }
                    _ => return,
                };
                e.prevent_default();
                link.send_message(msg);
            })
        };
        let resize = web_sys::window().map(|w| {
            let link = ctx.link().clone();
            gloo::events::EventListener::new(&w, "resize", move |_| link.send_message(Msg::Measure))
        });
        Diagram {
            flow: None,
            error: None,
            lay: None,
            mode: TimeMode::Absolute,
            expanded: BTreeSet::new(),
            hidden: BTreeSet::new(),
            hover: None,
            // A bookmark opened this flow at one of its steps.
            selected: ctx.props().select_step.map(|s| s.0),
            search: String::new(),
            zoom: 1.0,
            scroll_top: 0.0,
            viewport: 600.0,
            detail_w: 400.0,
            drag_base: 400.0,
            range_only: false,
            note: String::new(),
            scroller: NodeRef::default(),
            active,
            _keys: keys,
            _resize: resize,
        }
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        self.active.set(ctx.props().active);
        if ctx.props().index != old.index || ctx.props().data_gen != old.data_gen {
            if ctx.props().index != old.index {
                self.expanded.clear();
                self.hidden.clear();
                self.selected = None;
                self.scroll_top = 0.0;
                if let Some(el) = self.scroller.cast::<web_sys::Element>() {
                    el.set_scroll_top(0);
                }
            }
            Self::fetch(ctx);
        }
        if ctx.props().zone != old.zone {
            self.relayout(ctx.props().zone);
        }
        if ctx.props().select_step != old.select_step {
            if let Some((i, _)) = ctx.props().select_step {
                self.selected = Some(i);
                self.reveal();
            }
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Got(index, r) => {
                if index != ctx.props().index {
                    return false;
                }
                match r {
                    Ok(f) => {
                        self.flow = Some(Rc::new(f));
                        self.error = None;
                    }
                    Err(e) => self.error = Some(e),
                }
                self.relayout(ctx.props().zone);
                if self.selected.is_some() {
                    self.reveal();
                }
            }
            Msg::Mode(m) => self.mode = m,
            Msg::Toggle(first) => {
                if !self.expanded.remove(&first) {
                    self.expanded.insert(first);
                }
                self.relayout(ctx.props().zone);
            }
            Msg::Select(i) => self.selected = Some(i),
            Msg::Hover(h) => {
                if self.hover == h {
                    return false;
                }
                self.hover = h;
            }
            Msg::Lane(l) => {
                if !self.hidden.remove(&l) {
                    self.hidden.insert(l);
                }
                self.relayout(ctx.props().zone);
            }
            Msg::Search(s) => self.search = s,
            Msg::Zoom(z) => self.zoom = z.clamp(0.5, 2.5),
            Msg::Scroll(t, h) => {
                self.scroll_top = t;
                if h > 0.0 {
                    self.viewport = h;
                }
            }
            Msg::Step(d) => {
                let n = self.flow.as_ref().map(|f| f.steps.len()).unwrap_or(0);
                if n == 0 {
                    return false;
                }
                let next = match self.selected {
                    Some(s) => (s as i64 + d).clamp(0, n as i64 - 1) as usize,
                    None => 0,
                };
                // A step inside a collapsed run opens the run.
                if let Some(lay) = &self.lay {
                    if let Some(Item::Run { first, .. }) = lay.row_of_step(next).and_then(|k| lay.rows.get(k)).map(|r| r.item.clone()) {
                        if first != next || d < 0 {
                            self.expanded.insert(first);
                            self.relayout(ctx.props().zone);
                        }
                    }
                }
                self.selected = Some(next);
                self.reveal();
            }
            Msg::CollapseAll => {
                self.expanded.clear();
                self.relayout(ctx.props().zone);
            }
            Msg::Split(d) => match d {
                Drag::Start => self.drag_base = self.detail_w,
                Drag::Move(dx) => self.detail_w = (self.drag_base - dx).clamp(260.0, 900.0),
            },
            Msg::Export(kind) => {
                let Some(f) = self.flow.clone() else { return false };
                let zone = ctx.props().zone;
                let range = if self.range_only { ctx.props().window } else { None };
                let stem = Self::stem(&f);
                match kind {
                    Export::Svg => {
                        let (text, _, _) = diagram_export::svg(&f, zone, range);
                        super::download_text(&format!("{stem}.svg"), "image/svg+xml", &text);
                    }
                    Export::Png => {
                        let (text, w, h) = diagram_export::svg(&f, zone, range);
                        let link = ctx.link().clone();
                        diagram_export::png(text, w, h, format!("{stem}.png"), move |n| link.send_message(Msg::Note(n)));
                    }
                    Export::Mermaid => super::download_text(&format!("{stem}.mmd"), "text/plain", &diagram_export::mermaid(&f, zone, range)),
                    Export::PlantUml => super::download_text(&format!("{stem}.puml"), "text/plain", &diagram_export::plantuml(&f, zone, range)),
                }
                return false;
            }
            Msg::Range(on) => self.range_only = on,
            Msg::Note(n) => self.note = n,
            Msg::CloseDetail => self.selected = None,
            Msg::Bookmark => {
                let st = self.flow.as_ref().zip(self.selected).and_then(|(f, i)| f.steps.get(i).map(|st| (f, st)));
                if let Some((f, st)) = st {
                    if let Some(file) = st.file {
                        ctx.props().on_bookmark.emit((file, st.line, crate::annotations::FlowRef { kind: f.kind.clone(), key: f.key.clone() }));
                    }
                }
                return false;
            }
            Msg::Measure => {
                let Some(el) = self.scroller.cast::<web_sys::Element>() else { return false };
                let h = el.client_height() as f64;
                if (h - self.viewport).abs() < 1.0 {
                    return false;
                }
                self.viewport = h;
            }
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first: bool) {
        if let Some(el) = self.scroller.cast::<web_sys::Element>() {
            let h = el.client_height() as f64;
            if ctx.props().active && h > 0.0 && (h - self.viewport).abs() > 1.0 {
                ctx.link().send_message(Msg::Measure);
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let link = ctx.link();
        let back = html! { <button class="btn small" id="back-to-flows" onclick={p.on_back.reform(|_: MouseEvent| ())}>{ "← All flows" }</button> };
        let (Some(flow), Some(lay)) = (&self.flow, &self.lay) else {
            return html! { <div class="diagram-wrap"><div class="toolbar">{ back }<span class="dim">{ self.error.clone().unwrap_or_else(|| "Loading the flow…".into()) }</span></div></div> };
        };
        let zoom = self.zoom;
        let s = &flow.summary;
        let zone = p.zone;
        let abs_zone = zone.absolute();
        let t0 = s.start_ms;
        let search = self.search.to_ascii_lowercase();
        let marked = |st: &crate::answers::FlowStep| st.file.is_some_and(|f| p.marked.contains(&(f, st.line)));
        let pairs: Vec<&String> = self.hover.and_then(|h| flow.steps.get(h)).map(|st| st.pair.iter().collect()).unwrap_or_default();
        let is_pair = |i: usize| !pairs.is_empty() && flow.steps.get(i).is_some_and(|st| st.pair.iter().any(|v| pairs.contains(&v)));
        let time_label = |i: usize| -> String {
            let st = &flow.steps[i];
            match (self.mode, st.utc_ms) {
                (TimeMode::Absolute, _) => step_time(flow, i, zone),
                (TimeMode::Relative, Some(m)) => format!("+{}", time_fmt::duration(m - t0.unwrap_or(m))),
                (TimeMode::Delta, Some(m)) => {
                    // Since the previous message: a folded run's last one, unless this step is
                    // the run's partner in a folded cycle (poll, "last active", poll, …).
                    let prev = (0..i)
                        .rev()
                        .find_map(|k| {
                            let p = &flow.steps[k];
                            diagram_layout::last_time(p).filter(|&last| last <= m).or(p.utc_ms)
                        })
                        .unwrap_or(m);
                    format!("Δ {}", time_fmt::duration(m - prev))
                }
                (_, None) => st.time.clone(),
            }
        };
        // A folded run's second time-column line: until when it went on, in the column's mode.
        let until_label = |i: usize| -> Option<String> {
            let st = &flow.steps[i];
            match (self.mode, st.utc_ms, diagram_layout::run_until(st)) {
                (TimeMode::Relative, Some(_), Some(until)) => Some(format!("… +{}", time_fmt::duration(until - t0.unwrap_or(until)))),
                (TimeMode::Delta, Some(m), Some(until)) => Some(format!("for {}", time_fmt::duration(until - m))),
                _ => diagram_export::step_until(flow, i, zone),
            }
        };
        // Rows in view (with some margin), in diagram units.
        let top = (self.scroll_top / zoom - 400.0).max(0.0);
        let bottom = (self.scroll_top + self.viewport) / zoom + 400.0;
        let range = lay.rows_in(top, bottom);
        let width = lay.width;
        let height = lay.height;
        let mut arrows: Vec<Html> = Vec::new();
        let mut times: Vec<Html> = Vec::new();
        for r in &lay.rows[range] {
            let y_mid = r.y + r.h / 2.0;
            match &r.item {
                Item::Gap(ms) => arrows.push(html! {
                    <g class="gap" key={format!("g{}", r.y)}>
                        <line x1="0" x2={width.to_string()} y1={y_mid.to_string()} y2={y_mid.to_string()} />
                        <text x={(width / 2.0).to_string()} y={(y_mid + 4.0).to_string()} text-anchor="middle">{ format!("⋯ {} later ⋯", time_fmt::duration(*ms)) }</text>
                    </g>
                }),
                Item::End => {
                    let class = diagram_layout::end_class(s.end);
                    arrows.push(html! {
                        <g class={classes!("end", class)} id="flow-end" data-end={class} key="end">
                            <rect x="8" y={(r.y + 8.0).to_string()} width={(width - 16.0).to_string()} height={end_box_h(r.lines.len()).to_string()} rx="4" />
                            // A space after each line but the last, so the box's text reads as one sentence.
                            { for r.lines.iter().enumerate().map(|(k, l)| html! { <text x={END_PAD.to_string()} y={format!("{:.1}", r.y + 26.0 + k as f64 * LINE_H)}>{ if k + 1 < r.lines.len() { format!("{l} ") } else { l.clone() } }</text> }) }
                        </g>
                    });
                }
                Item::Run { first, n } => {
                    let st = &flow.steps[*first];
                    let fs = *first;
                    let y = r.arrow_y();
                    let (lx, anchor) = label_pos(r.x1, r.x2);
                    arrows.push(html! {
                        <g class="run" key={format!("r{fs}")} data-run={n.to_string()} onclick={link.callback(move |_| Msg::Toggle(fs))}>
                            <title>{ format!("{} repeated {n} times, {} → {} — click to show each", st.label, st.from, st.to) }</title>
                            <rect class="hit" x="0" y={r.y.to_string()} width={width.to_string()} height={r.h.to_string()} />
                            <path class="arrow dashed" d={arrow_d(r.x1, r.x2, y)} marker-end="url(#arrowhead)" />
                            { for r.lines.iter().enumerate().map(|(k, l)| html! { <text class="label" x={format!("{lx:.1}")} y={format!("{:.1}", r.y + 14.0 + k as f64 * LINE_H)} text-anchor={anchor}>{ l.clone() }</text> }) }
                        </g>
                    });
                    times.push(html! { <text class="time" key={format!("r{fs}")} x="8" y={format!("{:.1}", y + 4.0)}>{ time_label(fs) }</text> });
                }
                Item::Step(i) => {
                    let i = *i;
                    let st = &flow.steps[i];
                    let y = r.arrow_y();
                    let (lx, anchor) = label_pos(r.x1, r.x2);
                    let class = classes!(
                        "step",
                        st.failure.then_some("fail"),
                        (self.selected == Some(i)).then_some("selected"),
                        marked(st).then_some("marked"),
                        (!search.is_empty() && st.label.to_ascii_lowercase().contains(&search)).then_some("match"),
                        (self.hover != Some(i) && is_pair(i)).then_some("pair"),
                        st.back_ms.is_some().then_some("back-in-time"),
                        r.elided.then_some("elided")
                    );
                    let when = st.utc_ms.map(|m| format!("{} UTC", time_fmt::date_time(m, Zone::Utc))).unwrap_or_else(|| st.time.clone());
                    arrows.push(html! {
                        <g class={class} key={format!("s{i}")} data-step={i.to_string()} data-bookmarked={marked(st).then_some("true")}
                            onclick={link.callback(move |_| Msg::Select(i))}
                            onmouseenter={link.callback(move |_| Msg::Hover(Some(i)))}
                            onmouseleave={link.callback(|_| Msg::Hover(None))}>
                            <title>{ format!("{}\n{} → {} · {when} · {}", st.label, st.from, st.to, st.source) }</title>
                            <rect class="hit" x="0" y={r.y.to_string()} width={width.to_string()} height={r.h.to_string()} />
                            <path class="arrow" d={arrow_d(r.x1, r.x2, y)} marker-end={if st.failure { "url(#arrowhead-fail)" } else { "url(#arrowhead)" }} />
                            { for r.lines.iter().enumerate().map(|(k, l)| html! { <text class="label" x={format!("{lx:.1}")} y={format!("{:.1}", r.y + 14.0 + k as f64 * LINE_H)} text-anchor={anchor}>{ l.clone() }</text> }) }
                            if let Some(b) = st.back_ms {
                                <text class="back" x={format!("{lx:.1}")} y={format!("{:.1}", r.y + 14.0 + r.lines.len() as f64 * LINE_H)} text-anchor={anchor}>{ format!("⟲ {}: clock ran back {}", st.source, time_fmt::duration(b)) }</text>
                            }
                        </g>
                    });
                    // A folded run: its first time a line up, until when at the arrow.
                    let until = until_label(i);
                    let first_y = y + 4.0 - if until.is_some() { LINE_H } else { 0.0 };
                    times.push(html! {
                        <text class={classes!("time", st.back_ms.is_some().then_some("back"))} key={format!("s{i}")} data-step={i.to_string()} x="8" y={format!("{first_y:.1}")}>
                            { format!("{}{}{}", if marked(st) { "★ " } else { "" }, if st.back_ms.is_some() { "⟲ " } else { "" }, time_label(i)) }
                        </text>
                    });
                    if let Some(until) = until {
                        times.push(html! { <text class="time until" key={format!("u{i}")} data-until={i.to_string()} x="8" y={format!("{:.1}", y + 4.0)}>{ until }</text> });
                    }
                }
            }
        }
        let onscroll = link.callback(|e: Event| {
            let el: web_sys::Element = e.target_unchecked_into();
            Msg::Scroll(el.scroll_top() as f64, el.client_height() as f64)
        });
        let outcome_class = match s.outcome {
            Outcome::Failed => "failed",
            Outcome::Open => "open",
            Outcome::Ok => "ok",
        };
        let grid = format!("grid-template-columns: {}px {:.0}px; grid-template-rows: {:.0}px {:.0}px", TIME_W, width * zoom, HEAD_H * zoom, height * zoom);
        let sel_step = self.selected.and_then(|i| flow.steps.get(i));
        let split = if sel_step.is_some() {
            format!("grid-template-columns: minmax(0, 1fr) 6px {}px", self.detail_w)
        } else {
            "grid-template-columns: minmax(0, 1fr)".into()
        };
        html! {
            <div class="diagram-wrap" data-flow-kind={flow.kind.clone()}>
                <div class="toolbar">
                    { back }
                    <strong class="flow-title" title={flow.title.clone()}>{ flow.title.clone() }</strong>
                    <span class={classes!("outcome", outcome_class)} id="flow-outcome">{ s.outcome.as_str() }</span>
                    <span class={classes!("end-kind", (s.end != EndKind::Open && s.end != EndKind::Closed).then_some("bad"))} id="flow-end-kind" title={s.end_label.clone()}>
                        { match s.end { EndKind::Open => "still open at the end".to_string(), k => format!("ended: {}", k.text()) } }
                    </span>
                    <span class="dim">{ format!("{} messages", flow.steps.len()) }
                        // Folded runs stand for many messages each: say how many in all.
                        { match flow.steps.iter().map(|st| st.count.max(1) as usize).sum::<usize>() { all if all > flow.steps.len() => format!(" ({} with the repeats)", super::count(all)), _ => String::new() } }
                        { s.start_ms.map(|t| format!(" · from {}", time_fmt::date_time(t, abs_zone))).unwrap_or_default() }
                        { s.duration_ms.map(|d| format!(" · {}", time_fmt::duration(d))).unwrap_or_default() }
                        { match s.errors { 0 => String::new(), 1 => " · 1 error".to_string(), n => format!(" · {n} errors") } }
                    </span>
                    <span class="sep"></span>
                    <label title="what the time column shows">
                        <select id="time-mode" onchange={link.callback(|e: Event| {
                            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
                            Msg::Mode(match s.value().as_str() { "relative" => TimeMode::Relative, "delta" => TimeMode::Delta, _ => TimeMode::Absolute })
                        })}>
                            <option value="absolute" selected={self.mode == TimeMode::Absolute}>{ "clock" }</option>
                            <option value="relative" selected={self.mode == TimeMode::Relative}>{ "from flow start" }</option>
                            <option value="delta" selected={self.mode == TimeMode::Delta}>{ "since previous" }</option>
                        </select>
                    </label>
                    <input type="search" id="flow-search" placeholder="Find message ( / )" value={self.search.clone()}
                        oninput={link.callback(|e: InputEvent| Msg::Search(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))} />
                    <button class="btn small" title="zoom out" onclick={link.callback(move |_| Msg::Zoom(zoom - 0.2))}>{ "−" }</button>
                    <button class="btn small" title="zoom in" onclick={link.callback(move |_| Msg::Zoom(zoom + 0.2))}>{ "+" }</button>
                    if !self.expanded.is_empty() {
                        <button class="btn small" id="collapse-runs" onclick={link.callback(|_| Msg::CollapseAll)}>{ "Collapse repeats" }</button>
                    }
                    <span class="export-group" title="Exports hold every message of the flow, whatever is scrolled or collapsed">
                        { "Export " }
                        if p.window.is_some() {
                            <select id="export-range" onchange={link.callback(|e: Event| Msg::Range(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value() == "window"))}>
                                <option value="all" selected={!self.range_only}>{ "whole flow" }</option>
                                <option value="window" selected={self.range_only}>{ "the zoomed time range" }</option>
                            </select>
                        }
                        <button class="btn small" id="export-svg" onclick={link.callback(|_| Msg::Export(Export::Svg))}>{ "SVG" }</button>
                        <button class="btn small" id="export-png" onclick={link.callback(|_| Msg::Export(Export::Png))}>{ "PNG" }</button>
                        <button class="btn small" id="export-mermaid" onclick={link.callback(|_| Msg::Export(Export::Mermaid))}>{ "Mermaid" }</button>
                        <button class="btn small" id="export-plantuml" onclick={link.callback(|_| Msg::Export(Export::PlantUml))}>{ "PlantUML" }</button>
                    </span>
                </div>
                <div class="diagram-info">
                    <svg class="seq legend-svg" width="860" height="22" aria-label="legend"><style>{ SVG_STYLE }</style><defs>{ Html::from_html_unchecked(AttrValue::Static(MARKERS)) }</defs>{ legend_html() }</svg>
                    if !self.note.is_empty() { <span class="note">{ self.note.clone() }</span> }
                    if !flow.links.is_empty() {
                        <details class="links">
                            <summary>{ format!("Why these records are linked ({})", flow.links.len()) }</summary>
                            <ul>{ for flow.links.iter().map(|l| html! { <li>{ l.clone() }</li> }) }</ul>
                        </details>
                    }
                    <details class="lanes">
                        <summary>{ format!("Lanes ({} of {})", lay.lanes.len(), flow.participants.len()) }</summary>
                        <span class="lanes-filter">
                            { for flow.participants.iter().map(|l| {
                                let off = self.hidden.contains(l);
                                let l2 = l.clone();
                                html! { <button class={classes!("chip", off.then_some("off"))} title="show or hide this lane" onclick={link.callback(move |_| Msg::Lane(l2.clone()))}>{ l.clone() }</button> }
                            }) }
                        </span>
                    </details>
                </div>
                <div class="diagram-split" style={split}>
                    <div class="diagram-scroll" id="diagram-scroll" ref={self.scroller.clone()} {onscroll}>
                        <div class="dgrid" style={grid}>
                            <div class="dcorner">{ match self.mode { TimeMode::Absolute => if zone == Zone::Written { "as written".to_string() } else if abs_zone == Zone::Utc { "UTC".to_string() } else { "browser time".to_string() }, TimeMode::Relative => "from start".into(), TimeMode::Delta => "Δ previous".into() } }</div>
                            <svg class="seq dlanes" width={format!("{:.0}", width * zoom)} height={format!("{:.0}", HEAD_H * zoom)} viewBox={format!("0 0 {width:.0} {HEAD_H}")}>
                                <style>{ SVG_STYLE }</style>
                                { for lay.lanes.iter().enumerate().map(|(i, l)| {
                                    let x = lay.lane_x(i);
                                    html! {
                                        <g class="lane">
                                            <rect x={(x - lay.lane_w / 2.0 + 8.0).to_string()} y="8" width={(lay.lane_w - 16.0).to_string()} height="28" rx="5" />
                                            <text x={x.to_string()} y="27" text-anchor="middle">{ l.clone() }</text>
                                        </g>
                                    }
                                }) }
                            </svg>
                            <svg class="seq dtimes" width={TIME_W.to_string()} height={format!("{:.0}", height * zoom)} viewBox={format!("0 0 {:.1} {height:.0}", TIME_W / zoom)}>
                                <style>{ SVG_STYLE }</style>
                                { for times }
                            </svg>
                            <svg id="flow-svg" xmlns="http://www.w3.org/2000/svg" class="seq" width={format!("{:.0}", width * zoom)} height={format!("{:.0}", height * zoom)} viewBox={format!("0 0 {width:.0} {height:.0}")}>
                                <style>{ SVG_STYLE }</style>
                                <defs>{ Html::from_html_unchecked(AttrValue::Static(MARKERS)) }</defs>
                                <rect class="bg" x="0" y="0" width={width.to_string()} height={height.to_string()} />
                                { for lay.lanes.iter().enumerate().map(|(i, _)| {
                                    let x = lay.lane_x(i);
                                    html! { <g class="lane"><line x1={x.to_string()} x2={x.to_string()} y1="0" y2={(height - 50.0).max(0.0).to_string()} /></g> }
                                }) }
                                { for arrows }
                            </svg>
                        </div>
                    </div>
                    if let Some(st) = sel_step {
                        <Splitter on_drag={link.callback(Msg::Split)} />
                        <RecordPane pos={st.pos} data_gen={p.data_gen} zone={p.zone} on_pick_id={p.on_pick_id.clone()} on_open_flow={p.on_open_flow.clone()}
                            on_close={link.callback(|_| Msg::CloseDetail)} id="step-detail" raw_id="step-raw" heading={AttrValue::from(st.label.clone())}>
                            <p class={classes!("step-meta", st.failure.then_some("fail"))}>
                                { format!("{} → {}", st.from, st.to) }
                                if st.failure { <strong>{ " · failure" }</strong> }
                                if let Some(b) = st.back_ms { <span class="back">{ format!(" · ⟲ {}'s clock ran back {}", st.source, time_fmt::duration(b)) }</span> }
                            </p>
                            <div class="step-actions">
                                if let Some(pos) = st.pos {
                                    <button class="btn small" id="goto-timeline" onclick={p.on_goto.reform(move |_: MouseEvent| pos)}>{ "Show in timeline" }</button>
                                }
                                if st.file.is_some() {
                                    <button class={classes!("btn", "small", marked(st).then_some("on"))} id="bookmark-step" title="bookmark this step (b); notes go in the Bookmarks panel"
                                        onclick={link.callback(|_| Msg::Bookmark)}>{ if marked(st) { "★ Bookmarked" } else { "☆ Bookmark" } }</button>
                                }
                            </div>
                        </RecordPane>
                    }
                </div>
            </div>
        }
    }
}

/// The legend, drawn with the export's own markup (a fixed string: no log text in it).
fn legend_html() -> Html {
    let mut s = String::new();
    diagram_export::legend(&mut s, 4.0, 15.0);
    Html::from_html_unchecked(AttrValue::from(s))
}

/// The end box's text on the page, with its mark.
fn end_line(flow: &FlowDetail, zone: Zone) -> String {
    let abs_zone = zone.absolute();
    diagram_layout::end_line(flow, |ms, dated| {
        format!("{} {}", time_fmt::clock_or_date(ms, abs_zone, dated), if abs_zone == Zone::Utc { "UTC" } else { "" }).trim_end().to_string()
    })
}
