//! State timelines: one row per entity (agent per MRD, Finesse user, dialog, contact, chat
//! session, BOSH session), a bar per state on a time axis shared with the timeline's histogram
//! (drag across the axis to zoom, buttons to zoom and pan, Ctrl+wheel to zoom at the pointer).
//! Every state is drawn at least a few pixels wide, the last one runs to the end of the logs, each
//! state has its own colour (legend above), text stays 12 px at any window size, and a click on a
//! bar opens its record in the timeline. Virtualised: the first rows come with the legend, the
//! others are asked for from the worker as they scroll into view.

use super::bridge;
use super::histogram::{frac, ZoomBrush};
use super::time_fmt::{self, Zone};
use super::vscroll::{RowCache, Window};
use crate::answers::{StateRows, StateTimelineView, States};
use crate::diagram_layout::text_w;
use crate::query::Request;
use crate::state_bars::{bars, tally, zoom_to, Bar};
use std::collections::HashMap;
use std::rc::Rc;
use yew::prelude::*;

const ROW_H: f64 = 28.0;
const MIN_SEG: f64 = 4.0;
/// Rows asked for either side of those in view, and the most held.
const OVERSCAN: usize = 30;
const KEEP: usize = 600;

#[derive(Properties, PartialEq)]
pub struct StatesProps {
    pub states: Rc<States>,
    /// The page's time window (None: the whole span).
    pub window: Option<(i64, i64)>,
    pub zone: Zone,
    pub active: bool,
    pub on_zoom: Callback<Option<(i64, i64)>>,
    pub on_goto: Callback<usize>,
}

/// Distinct colours; states engineers know get the colour they expect when it is free.
const PALETTE: [&str; 24] = [
    "#2e9d5b", "#d99a00", "#8792a6", "#4a7fe0", "#9b59b6", "#1f5f99", "#e67e22", "#c0392b", "#16a085", "#b8860b", "#e84393", "#2c3e50", "#6ab04c", "#00a8c6",
    "#8e44ad", "#cd6133", "#3b3b98", "#58b19f", "#b33771", "#84817a", "#218c74", "#f0932b", "#6c5ce7", "#a0522d",
];

fn preferred(state: &str) -> Option<&'static str> {
    let s = state.to_ascii_uppercase();
    Some(match s.as_str() {
        "READY" | "AVAILABLE" | "ACTIVE (IDLE)" => "#2e9d5b",
        "NOT_READY" | "UNAVAILABLE" => "#d99a00",
        "LOGOUT" | "LOGOFF" | "LOGGED_OFF" => "#8792a6",
        "LOGIN" | "CREATED" | "UNREAD" => "#4a7fe0",
        "RESERVED" | "OFFERED" | "ALERTING" | "QUEUED" => "#9b59b6",
        "TALKING" | "ACTIVE" | "ACCEPTED" => "#1f5f99",
        "HOLD" | "IDLE" => "#e67e22",
        "WORK" | "WORK_READY" | "WRAPUP" => "#16a085",
        "NOT_ACTIVE" => "#6ab04c",
        "CLOSED" | "DESTROYED" | "HANDLED" | "CLOSED (IDLE)" => "#84817a",
        _ => return None,
    })
}

/// One colour per state, no two alike.
pub fn colours(states: &[String]) -> HashMap<String, String> {
    let mut used: Vec<String> = Vec::new();
    let mut out = HashMap::new();
    for s in states {
        let c = preferred(s)
            .filter(|c| !used.iter().any(|u| u == c))
            .map(str::to_string)
            .or_else(|| PALETTE.iter().find(|c| !used.iter().any(|u| u == *c)).map(|c| c.to_string()))
            .unwrap_or_else(|| format!("hsl({:.0}, 55%, 45%)", (used.len() as f64 * 137.508) % 360.0));
        used.push(c.clone());
        out.insert(s.clone(), c);
    }
    out
}

/// One state of a row: from its change to the next one (or the end of the logs).
struct StateSpan<'a> {
    change: &'a crate::answers::StateChangeView,
    ms: i64,
    end: i64,
    last: bool,
}

/// A row's changes for its tooltip: the first few, then how many more.
fn transitions(changes: &[crate::answers::StateChangeView]) -> String {
    const SHOWN: usize = 12;
    let mut s = changes.iter().take(SHOWN).map(|c| c.state.as_str()).collect::<Vec<_>>().join(" → ");
    if changes.len() > SHOWN {
        s.push_str(&format!(" → … ({} changes in all)", changes.len()));
    }
    s
}

pub enum Msg {
    Scroll(f64, f64),
    Measure,
    BrushDown(f64, i32),
    BrushMove(f64),
    BrushUp(f64),
    Zoom(f64),
    Pan(f64),
    Wheel(f64, f64),
    Focus(usize),
    Redraw,
    /// Rows from the worker, for the states of generation `u64`.
    Page(u64, Result<StateRows, String>),
}

pub struct StatesView {
    width: f64,
    scroll_top: f64,
    viewport: f64,
    brush: ZoomBrush,
    body: NodeRef,
    axis: NodeRef,
    _resize: Option<gloo::events::EventListener>,
    /// Rows asked for; None: one of the rows the states came with.
    rows: RowCache<Option<StateTimelineView>>,
    /// Counts the states received, so rows asked for before the last analysis are dropped.
    gen: u64,
}

impl StatesView {
    fn label_w(&self) -> f64 {
        if self.width < 1100.0 {
            190.0
        } else {
            250.0
        }
    }

    fn plot_w(&self) -> f64 {
        (self.width - self.label_w() - 16.0).max(200.0)
    }

    /// The rows in view. `viewport` is the scrolling element's own height (the axis above it is
    /// not part of it: taking 34 px off it left the last row undrawn when scrolled to the end).
    fn window(&self, p: &StatesProps) -> Window {
        Window::new(p.states.count(), ROW_H, self.scroll_top, self.viewport.max(ROW_H))
    }

    /// New states: the rows they came with are held as markers and read from them (not copied:
    /// one agent's row can hold fifty thousand changes), the others asked for when in view.
    fn reset(&mut self, p: &StatesProps) {
        self.gen += 1;
        self.rows.clear();
        let w = self.window(p);
        self.rows.fill(0, p.states.timelines.iter().map(|_| None), p.states.count(), &w, KEEP);
    }

    /// Row `i`: as asked for, else from the states' first rows.
    fn row<'a>(&'a self, p: &'a StatesProps, i: usize) -> Option<&'a StateTimelineView> {
        self.rows.get(i)?.as_ref().or_else(|| p.states.timelines.get(i))
    }

    /// Asks for the rows in view (and some either side) that are not held.
    fn fetch(&mut self, ctx: &Context<Self>) {
        let p = ctx.props();
        if !p.active {
            return;
        }
        let Some((start, end)) = self.rows.wanted(&self.window(p), OVERSCAN) else { return };
        let (gen, link) = (self.gen, ctx.link().clone());
        bridge::ask(Request::StateRows { start, count: end - start }, move |r| link.send_message(Msg::Page(gen, r)));
    }

    fn span(p: &StatesProps) -> Option<(i64, i64)> {
        p.window.or(p.states.from_ms.zip(p.states.to_ms)).map(|(a, b)| (a, b.max(a + 1)))
    }

    fn measure(&mut self) -> bool {
        let Some(el) = self.body.cast::<web_sys::Element>() else { return false };
        let (w, h) = (el.client_width() as f64, el.client_height() as f64);
        let changed = w > 0.0 && ((w - self.width).abs() > 1.0 || (h - self.viewport).abs() > 1.0);
        if changed {
            self.width = w;
            self.viewport = h.max(ROW_H);
        }
        changed
    }
}

impl Component for StatesView {
    type Message = Msg;
    type Properties = StatesProps;

    fn create(ctx: &Context<Self>) -> Self {
        let resize = web_sys::window().map(|w| {
            let link = ctx.link().clone();
            gloo::events::EventListener::new(&w, "resize", move |_| link.send_message(Msg::Measure))
        });
        let mut view = StatesView {
            width: 1200.0,
            scroll_top: 0.0,
            viewport: 500.0,
            brush: ZoomBrush::default(),
            body: NodeRef::default(),
            axis: NodeRef::default(),
            _resize: resize,
            rows: RowCache::default(),
            gen: 0,
        };
        view.reset(ctx.props());
        view
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &StatesProps) -> bool {
        if !Rc::ptr_eq(&ctx.props().states, &old.states) {
            self.reset(ctx.props());
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let p = ctx.props();
        match msg {
            Msg::Scroll(t, h) => {
                self.scroll_top = t;
                if h > 0.0 {
                    self.viewport = h;
                }
                true
            }
            Msg::Measure => self.measure(),
            Msg::Redraw => true,
            Msg::Page(gen, r) => {
                if gen != self.gen {
                    return false;
                }
                let w = self.window(p);
                match r {
                    Ok(page) => self.rows.fill(page.start, page.timelines.into_iter().map(Some), page.total, &w, KEEP),
                    Err(_) => self.rows.failed(),
                }
                true
            }
            Msg::BrushDown(f, pointer) => {
                self.brush.down(&self.axis, f, pointer);
                true
            }
            Msg::BrushMove(f) => self.brush.moved(f),
            Msg::BrushUp(f) => {
                let span = Self::span(p);
                if let Some(z) = self.brush.up(f, span.unwrap_or((0, 0))).filter(|_| span.is_some()) {
                    p.on_zoom.emit(Some(z));
                }
                true
            }
            Msg::Zoom(factor) => {
                if let Some((t0, t1)) = Self::span(p) {
                    let mid = (t0 + t1) / 2;
                    let half = (((t1 - t0) as f64 * factor) / 2.0).max(50.0) as i64;
                    p.on_zoom.emit(Some((mid - half, mid + half)));
                }
                false
            }
            Msg::Pan(frac) => {
                if let Some((t0, t1)) = Self::span(p) {
                    let d = ((t1 - t0) as f64 * frac) as i64;
                    p.on_zoom.emit(Some((t0 + d, t1 + d)));
                }
                false
            }
            Msg::Wheel(at, delta) => {
                if let Some((t0, t1)) = Self::span(p) {
                    let factor = if delta > 0.0 { 1.25 } else { 0.8 };
                    let pivot = t0 as f64 + (t1 - t0) as f64 * at;
                    let a = pivot - (pivot - t0 as f64) * factor;
                    let b = pivot + (t1 as f64 - pivot) * factor;
                    p.on_zoom.emit(Some((a as i64, (b as i64).max(a as i64 + 50))));
                }
                false
            }
            Msg::Focus(i) => {
                if let Some(t) = self.row(p, i) {
                    let times: Vec<i64> = t.changes.iter().filter_map(|c| c.utc_ms).collect();
                    if let (Some(a), Some(b)) = (times.iter().min(), times.iter().max()) {
                        let margin = ((b - a) / 20).max(1_000);
                        p.on_zoom.emit(Some((a - margin, b + margin)));
                    }
                }
                false
            }
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first: bool) {
        if !ctx.props().active {
            return;
        }
        self.fetch(ctx);
        // Shown again after its tab was hidden (drawn empty then): back where the user left it.
        if let Some(el) = self.body.cast::<web_sys::Element>() {
            if (el.scroll_top() as f64 - self.scroll_top).abs() > 1.0 {
                el.set_scroll_top(self.scroll_top as i32);
            }
        }
        // Measured after drawing: draw again at the measured size (text stays 12 px).
        if self.measure() {
            ctx.link().send_message(Msg::Redraw);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let link = ctx.link();
        let total = p.states.count();
        if !p.active {
            // Drawn when its tab is shown (a hidden view costs the page for nothing).
            return html! { <div class="states" id="states-view" ref={self.body.clone()}></div> };
        }
        if total == 0 {
            return html! { <div class="states" id="states-view" ref={self.body.clone()}><div class="empty">{ "No state changes found in what is loaded." }</div></div> };
        }
        let Some((t0, t1)) = Self::span(p) else { return html! {} };
        let logs_end = p.states.to_ms.unwrap_or(t1);
        let label_w = self.label_w();
        let plot_w = self.plot_w();
        let span = (t1 - t0) as f64;
        let x = |ms: i64| label_w + (ms - t0) as f64 / span * plot_w;
        let colour = colours(&p.states.states);
        let zone = p.zone.absolute();
        let w = self.window(p);
        let total_w = label_w + plot_w + 8.0;
        let unplaced = p.states.unplaced;
        // Bars standing for many changes drawn in view (the legend explains them when there are).
        let shared = std::cell::Cell::new(0usize);
        let rows = (w.first..w.last.min(total)).map(|i| {
            let y = w.top(i);
            // A row on its way from the worker: its place, empty.
            let Some(t) = self.row(p, i) else {
                return html! {
                    <g class="state-pending" key={i} data-index={i.to_string()}>
                        <rect class="row-bg" x="0" y={format!("{y:.1}")} width={total_w.to_string()} height={ROW_H.to_string()} />
                        <text x="8" y={format!("{:.1}", y + ROW_H / 2.0 + 4.0)} class="row-label dim">{ "…" }</text>
                    </g>
                };
            };
            let placed: Vec<&crate::answers::StateChangeView> = t.changes.iter().filter(|c| c.utc_ms.is_some()).collect();
            let spans: Vec<StateSpan> = placed
                .iter()
                .enumerate()
                .filter_map(|(k, c)| {
                    let ms = c.utc_ms?;
                    let next = placed.get(k + 1).and_then(|n| n.utc_ms);
                    let end = next.unwrap_or(logs_end.max(ms));
                    (end >= t0 && ms <= t1).then_some(StateSpan { change: c, ms, end, last: next.is_none() })
                })
                .collect();
            let times: Vec<(i64, i64)> = spans.iter().map(|sp| (sp.ms, sp.end)).collect();
            let segs = bars(&times, |ms| x(ms.clamp(t0, t1)), MIN_SEG).into_iter().filter_map(|bar| match bar {
                Bar::One(k) => {
                    let sp = spans.get(k)?;
                    let x1 = x(sp.ms.max(t0));
                    let x2 = x(sp.end.min(t1)).max(x1 + MIN_SEG).min(label_w + plot_w + MIN_SEG);
                    let pos = sp.change.pos;
                    let state = sp.change.state.clone();
                    let title = format!(
                        "{state} from {}{}",
                        time_fmt::date_time(sp.ms, zone),
                        if sp.last { " until the end of the logs".to_string() } else { format!(" for {}", time_fmt::duration(sp.end - sp.ms)) }
                    );
                    let onclick = p.on_goto.reform(move |_: MouseEvent| pos.unwrap_or(0));
                    let fill = colour.get(&state).cloned().unwrap_or_else(|| "#4f6d8f".into());
                    let fits = x2 - x1 > text_w(&state) * 0.92 + 8.0;
                    Some(html! {
                        <g class={classes!("seg", sp.last.then_some("last"))} {onclick} data-state-name={state.clone()} data-pos={pos.map(|p| p.to_string()).unwrap_or_default()}>
                            <title>{ title }</title>
                            <rect x={format!("{x1:.1}")} y={format!("{:.1}", y + 4.0)} width={format!("{:.1}", x2 - x1)} height={format!("{:.1}", ROW_H - 8.0)} rx="3" fill={fill} />
                            if fits {
                                <text x={format!("{:.1}", x1 + 4.0)} y={format!("{:.1}", y + ROW_H / 2.0 + 4.0)} class="seg-label">{ state }</text>
                            }
                        </g>
                    })
                }
                Bar::Many(range) => {
                    let run = spans.get(range)?;
                    shared.set(shared.get() + 1);
                    let (from_ms, to_ms) = (run.first()?.ms, run.last()?.end);
                    let changes = run.len();
                    // Changes closer together than a bar can show at this zoom: one bar that
                    // says how many and which, and zooms to them when clicked.
                    let x1 = x(from_ms.max(t0));
                    let x2 = x(to_ms.min(t1)).max(x1 + MIN_SEG).min(label_w + plot_w + MIN_SEG);
                    let title = format!(
                        "{changes} state changes from {} to {} ({}): too close together to draw one by one at this zoom; click to zoom in",
                        time_fmt::date_time(from_ms, zone),
                        time_fmt::date_time(to_ms, zone),
                        tally(run.iter().map(|sp| sp.change.state.as_str()), 4)
                    );
                    let window = zoom_to(from_ms, to_ms, changes, plot_w, MIN_SEG);
                    let onclick = p.on_zoom.reform(move |_: MouseEvent| Some(window));
                    Some(html! {
                        <g class="seg busy" {onclick} data-changes={changes.to_string()}>
                            <title>{ title }</title>
                            <rect x={format!("{x1:.1}")} y={format!("{:.1}", y + 4.0)} width={format!("{:.1}", x2 - x1)} height={format!("{:.1}", ROW_H - 8.0)} rx="2" />
                        </g>
                    })
                }
            });
            let transitions = transitions(&t.changes);
            let chars = ((label_w - 16.0) / 7.2) as usize;
            let label: String = if t.key.chars().count() > chars { format!("{}…", t.key.chars().take(chars.saturating_sub(1)).collect::<String>()) } else { t.key.clone() };
            html! {
                <g class="state-row" data-kind={t.kind.clone()} key={i} data-index={i.to_string()}>
                    <rect class="row-bg" x="0" y={format!("{y:.1}")} width={total_w.to_string()} height={ROW_H.to_string()} />
                    <text x="8" y={format!("{:.1}", y + ROW_H / 2.0 + 4.0)} class="row-label" onclick={link.callback(move |_| Msg::Focus(i))}>
                        <title>{ format!("{} — {transitions} (click to zoom to it)", t.key) }</title>{ label }
                    </text>
                    <line x1={label_w.to_string()} x2={(label_w + plot_w).to_string()} y1={format!("{:.1}", y + ROW_H / 2.0)} y2={format!("{:.1}", y + ROW_H / 2.0)} class="axis" />
                    { for segs }
                </g>
            }
        });
        let rows: Vec<Html> = rows.collect();
        let ticks = time_fmt::ticks(t0, t1, (plot_w / 130.0).max(2.0) as usize, zone);
        let axis = self.axis.clone();
        let brush_down = link.batch_callback(move |e: PointerEvent| {
            e.prevent_default();
            frac(&axis, &e, label_w, Some(plot_w)).map(|f| Msg::BrushDown(f, e.pointer_id()))
        });
        let axis = self.axis.clone();
        let brush_move = link.batch_callback(move |e: PointerEvent| frac(&axis, &e, label_w, Some(plot_w)).map(Msg::BrushMove));
        let axis = self.axis.clone();
        let brush_up = link.batch_callback(move |e: PointerEvent| frac(&axis, &e, label_w, Some(plot_w)).map(Msg::BrushUp));
        let body = self.body.clone();
        let onwheel = {
            link.batch_callback(move |e: WheelEvent| {
                if !(e.ctrl_key() || e.alt_key()) {
                    return None;
                }
                e.prevent_default();
                let r = body.cast::<web_sys::Element>()?.get_bounding_client_rect();
                let at = ((e.client_x() as f64 - r.left() - label_w) / plot_w).clamp(0.0, 1.0);
                Some(Msg::Wheel(at, e.delta_y()))
            })
        };
        let onscroll = link.callback(|e: Event| {
            let el: web_sys::Element = e.target_unchecked_into();
            Msg::Scroll(el.scroll_top() as f64, el.client_height() as f64)
        });
        let zone_name = if zone == Zone::Utc { "UTC" } else { "browser time" };
        html! {
            <div class="states" id="states-view">
                <div class="toolbar">
                    <strong>{ "State timelines" }</strong>
                    <span class="dim" id="states-span">{ format!("{} entities · {} → {} {zone_name}", total, time_fmt::date_time(t0, zone), time_fmt::date_time(t1, zone)) }</span>
                    if unplaced > 0 { <span class="dim" title="their files' clocks have no zone or date: set them in the file list">{ format!("· {unplaced} not placed in UTC") }</span> }
                    <span class="sep"></span>
                    <button class="btn small" id="states-zoom-in" title="zoom in" onclick={link.callback(|_| Msg::Zoom(0.5))}>{ "+" }</button>
                    <button class="btn small" id="states-zoom-out" title="zoom out" onclick={link.callback(|_| Msg::Zoom(2.0))}>{ "−" }</button>
                    <button class="btn small" id="states-pan-left" title="earlier" onclick={link.callback(|_| Msg::Pan(-0.25))}>{ "◀" }</button>
                    <button class="btn small" id="states-pan-right" title="later" onclick={link.callback(|_| Msg::Pan(0.25))}>{ "▶" }</button>
                    if p.window.is_some() {
                        <button class="btn small" id="states-reset" onclick={p.on_zoom.reform(|_| None)}>{ "Whole span" }</button>
                    }
                </div>
                <div class="legend" id="states-legend">
                    { for p.states.states.iter().map(|s| html! {
                        <span class="swatch" data-state-name={s.clone()}><i style={format!("background:{}", colour.get(s).cloned().unwrap_or_default())}></i>{ s.clone() }</span>
                    }) }
                    if shared.get() > 0 {
                        <span class="busy-key" title="States closer together than a bar can show at this zoom share one bar; hover it for how many, click it to zoom in"><i></i>{ "many changes: click to zoom in" }</span>
                    }
                    <span class="dim">{ "Drag across the axis to zoom (Ctrl+wheel too) · click a name to fit it · click a bar for its record" }</span>
                </div>
                <div class="states-axis">
                    <svg id="states-axis" ref={self.axis.clone()} width={total_w.to_string()} height="30" onpointerdown={brush_down} onpointermove={brush_move} onpointerup={brush_up}>
                        <rect class="axis-bg" x={label_w.to_string()} y="0" width={plot_w.to_string()} height="30" />
                        { for ticks.iter().map(|(ms, l)| { let tx = x(*ms); html! {
                            <g class="tick"><line x1={format!("{tx:.1}")} x2={format!("{tx:.1}")} y1="18" y2="30" /><text x={format!("{tx:.1}")} y="14" text-anchor="middle">{ l.clone() }</text></g>
                        } }) }
                        if let Some((left, width)) = self.brush.shown() {
                            <rect class="brush" x={format!("{:.1}", label_w + left * plot_w)} y="0" width={format!("{:.1}", (width * plot_w).max(1.0))} height="30" />
                        }
                    </svg>
                </div>
                <div class="states-scroll" ref={self.body.clone()} {onscroll} {onwheel}>
                    <div class="tspacer" style={format!("height:{}px", w.spacer)}>
                        <svg id="states-svg" width={total_w.to_string()} height={format!("{:.0}", w.spacer)} style="position:absolute;top:0;left:0">
                            <defs>
                                <pattern id="busy-hatch" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                                    <rect width="5" height="5" class="busy-ground" />
                                    <rect width="2" height="5" class="busy-stripe" />
                                </pattern>
                            </defs>
                            { for ticks.iter().map(|(ms, _)| { let tx = x(*ms); html! { <line class="grid" x1={format!("{tx:.1}")} x2={format!("{tx:.1}")} y1="0" y2={format!("{:.0}", w.spacer)} /> } }) }
                            { for rows }
                        </svg>
                    </div>
                </div>
            </div>
        }
    }
}
