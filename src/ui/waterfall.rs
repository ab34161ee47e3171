//! The HAR waterfall, as the browser's developer tools draw it: one row per HTTP entry, a bar from
//! its start for its duration on the page's time axis (the histogram zoom when there is one, else
//! the capture's span), WebSocket frames as ticks on their socket's row, failed (status 0) and
//! ≥ 400 requests in red, slow ones marked. Rows are virtual: the worker sends only the rows in
//! view. A click on a row (or a tick) opens its record's decoded request and response beside it.

use super::bridge;
use super::detail::RecordPane;
use super::detail_split::DetailSplit;
use super::histogram::{frac, ZoomBrush};
use super::time_fmt::{self, Zone};
use super::vscroll::{measure_viewport, RowCache, Window};
use crate::answers::{Waterfall, WfRow};
use crate::query::Request;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

const ROW_H: f64 = 24.0;

/// How a key moves the selected row.
#[derive(Clone, Copy)]
pub enum Move {
    By(isize),
    /// A viewport's worth of rows down (1) or up (-1).
    Page(isize),
    First,
    Last,
}
/// Rows fetched beyond the ones in view, either side.
const MARGIN: usize = 30;

#[derive(Properties, PartialEq)]
pub struct WaterfallProps {
    pub active: bool,
    pub data_gen: u64,
    /// The page's time window (the histogram zoom), None for the whole capture.
    pub window: Option<(i64, i64)>,
    pub zone: Zone,
    pub on_zoom: Callback<Option<(i64, i64)>>,
    pub on_pick_id: Callback<String>,
    pub on_open_flow: Callback<usize>,
}

pub enum Msg {
    Scroll(f64, f64),
    /// A key moved the selection.
    Key(Move),
    /// A drag across the time axis (fractions of its width): it zooms the page's time window.
    AxisDown(f64, i32),
    AxisMove(f64),
    AxisUp(f64),
    Got(u64, Result<Waterfall, String>),
    Select(Option<usize>, Option<usize>),
}

pub struct WaterfallView {
    rows: RowCache<WfRow>,
    total: usize,
    axis: (i64, i64),
    slow_ms: i64,
    error: Option<String>,
    scroll_top: f64,
    viewport: f64,
    scroller: NodeRef,
    /// Request counter: answers to older requests are dropped.
    seq: u64,
    /// The bar column's header and its width (px; 0 until drawn): how many time labels fit.
    axis_ref: NodeRef,
    axis_w: f64,
    /// A drag across the axis, zooming.
    axis_drag: ZoomBrush,
    /// A key selected a row not fetched yet: its record opens when it comes.
    open_when_fetched: bool,
    /// The tab is shown (the keys are the waterfall's only then).
    active: Rc<Cell<bool>>,
    _keys: Option<gloo::events::EventListener>,
    /// Selected row and the timeline position shown in the detail.
    selected: Option<usize>,
    selected_pos: Option<usize>,
}

impl WaterfallView {
    fn window(&self) -> Window {
        Window::new(self.total, ROW_H, self.scroll_top, self.viewport.max(ROW_H))
    }

    /// Forget the rows (new data or a new time window) and ask again.
    fn reset(&mut self, ctx: &Context<Self>) {
        self.rows.clear();
        self.seq += 1;
        self.fetch(ctx);
    }

    fn fetch(&mut self, ctx: &Context<Self>) {
        let p = ctx.props();
        if !p.active {
            return;
        }
        let Some((first, last)) = self.rows.wanted(&self.window(), MARGIN) else { return };
        let seq = self.seq;
        let link = ctx.link().clone();
        let req = Request::Waterfall { from_ms: p.window.map(|w| w.0), to_ms: p.window.map(|w| w.1), start: first, count: last - first };
        bridge::ask(req, move |r| link.send_message(Msg::Got(seq, r)));
    }

    /// Where `ms` falls on the axis, in percent of the bar column.
    fn pct(&self, ms: i64) -> f64 {
        let (a, b) = self.axis;
        let span = (b - a).max(1) as f64;
        ((ms - a) as f64 / span * 100.0).clamp(0.0, 100.0)
    }

    fn row_html(&self, ctx: &Context<Self>, r: &WfRow, top: f64) -> Html {
        let p = ctx.props();
        let link = ctx.link();
        let failed = r.kind == "entry" && (r.status == 0 || r.status >= 400);
        let left = self.pct(r.start_ms);
        let width = (self.pct(r.start_ms.saturating_add(r.duration_ms)) - left).max(0.0);
        let status = if r.status == 0 && r.kind == "entry" {
            "(failed)".to_string()
        } else if r.status == 0 {
            "—".to_string()
        } else {
            r.status.to_string()
        };
        let tip = format!(
            "{} {}\n{} {}\nstarted {} · {}{}\n{}",
            r.method,
            r.url,
            status,
            r.status_text,
            time_fmt::date_time(r.start_ms, p.zone.absolute()),
            time_fmt::duration(r.duration_ms),
            if r.frames > 0 { format!(" · {} frame(s)", r.frames) } else { String::new() },
            r.file
        );
        let (index, pos) = (r.index, r.pos);
        let classes = classes!(
            "trow",
            "wf-row",
            failed.then_some("failed"),
            r.slow.then_some("slow"),
            r.long_poll.then_some("long-poll"),
            (r.kind == "socket").then_some("socket"),
            (self.selected == Some(r.index)).then_some("selected")
        );
        html! {
            <div key={r.index} class={classes} style={format!("top:{top}px")} data-wf-row={r.index.to_string()} data-status={r.status.to_string()} data-kind={r.kind.clone()}
                title={tip} onclick={link.callback(move |_| Msg::Select(Some(index), pos))}>
                <span class="t">{ time_fmt::clock(r.start_ms, p.zone.absolute()) }</span>
                <span class="m">{ r.method.clone() }</span>
                <span class="st">{ status }</span>
                <span class="p"><span class="path">{ short_path(&r.path) }</span><span class="host">{ r.host.clone() }</span></span>
                <span class="d">{ time_fmt::duration(r.duration_ms) }
                    if r.slow { <span class="slow-mark" title={format!("slow: {} or more", time_fmt::duration(self.slow_ms))}>{ " ⚠" }</span> }
                </span>
                <span class="lane">
                    <i class="bar" style={format!("left:{left:.3}%;width:{width:.3}%")}></i>
                    { for r.ticks.iter().map(|t| {
                        let tpos = t.pos;
                        let tip = if t.label.is_empty() { format!("{} {}", t.dir, time_fmt::clock(t.at_ms, Zone::Utc)) } else { format!("{} {}: {}", t.dir, time_fmt::clock(t.at_ms, Zone::Utc), t.label) };
                        html! { <i class={classes!("tick", t.dir.clone())} style={format!("left:{:.3}%", self.pct(t.at_ms))} title={tip}
                            onclick={link.callback(move |e: MouseEvent| { e.stop_propagation(); Msg::Select(Some(index), Some(tpos)) })}></i> }
                    }) }
                </span>
            </div>
        }
    }
}

/// The end of a long path (`…/User/1001/Dialogs`): the part that tells requests apart.
fn short_path(path: &str) -> String {
    if path.is_empty() {
        return "/".to_string();
    }
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segs.len() <= 3 || path.chars().count() <= 28 {
        return path.to_string();
    }
    format!("…/{}", segs.get(segs.len() - 3..).unwrap_or(&[]).join("/"))
}

/// The detail pane's first width: a third of the window, within bounds.
fn first_detail_w() -> f64 {
    let w = web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).unwrap_or(1440.0);
    (w * 0.34).clamp(300.0, 520.0)
}

impl Component for WaterfallView {
    type Message = Msg;
    type Properties = WaterfallProps;

    fn create(ctx: &Context<Self>) -> Self {
        let active = Rc::new(Cell::new(ctx.props().active));
        let keys = {
            let link = ctx.link().clone();
            let active = active.clone();
            super::on_keydown(move |e| {
                if !active.get() || e.ctrl_key() || e.meta_key() || e.alt_key() || super::typing_in_field(e) {
                    return;
                }
                let m = match e.key().as_str() {
                    "j" | "ArrowDown" => Move::By(1),
                    "k" | "ArrowUp" => Move::By(-1),
                    "PageDown" => Move::Page(1),
                    "PageUp" => Move::Page(-1),
                    "g" | "Home" => Move::First,
                    "G" | "End" => Move::Last,
                    "Escape" => {
                        link.send_message(Msg::Select(None, None));
                        return;
                    }
                    _ => return,
                };
                e.prevent_default();
                link.send_message(Msg::Key(m));
            })
        };
        let mut s = WaterfallView {
            rows: RowCache::default(),
            total: 0,
            axis: (0, 1),
            slow_ms: 1000,
            error: None,
            scroll_top: 0.0,
            viewport: 600.0,
            scroller: NodeRef::default(),
            seq: 0,
            axis_ref: NodeRef::default(),
            axis_w: 0.0,
            axis_drag: ZoomBrush::default(),
            open_when_fetched: false,
            active,
            _keys: keys,
            selected: None,
            selected_pos: None,
        };
        s.fetch(ctx);
        s
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        let p = ctx.props();
        self.active.set(p.active);
        if p.data_gen != old.data_gen || p.window != old.window {
            if p.data_gen != old.data_gen {
                self.selected = None;
                self.selected_pos = None;
            }
            self.scroll_top = 0.0;
            if let Some(el) = self.scroller.cast::<web_sys::Element>() {
                el.set_scroll_top(0);
            }
            self.reset(ctx);
        } else if p.active && !old.active {
            self.fetch(ctx);
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Scroll(top, h) => {
                self.scroll_top = top;
                if h > 0.0 {
                    self.viewport = h;
                }
                self.fetch(ctx);
                true
            }
            Msg::Got(seq, r) => {
                if seq != self.seq {
                    return false;
                }
                match r {
                    Ok(w) => {
                        self.total = w.total;
                        self.axis = (w.from_ms, w.to_ms.max(w.from_ms + 1));
                        self.slow_ms = w.slow_ms;
                        self.error = None;
                        let view = self.window();
                        self.rows.fill(w.start, w.rows, w.total, &view, 2000);
                        if self.open_when_fetched {
                            if let Some(r) = self.selected.and_then(|i| self.rows.get(i)) {
                                self.selected_pos = r.pos;
                                self.open_when_fetched = false;
                            }
                        }
                        // The rows in view may have moved on while this answer came.
                        self.fetch(ctx);
                    }
                    Err(e) => {
                        self.rows.failed();
                        self.error = Some(e);
                    }
                }
                true
            }
            Msg::Select(i, pos) => {
                self.selected = i;
                self.selected_pos = pos;
                self.open_when_fetched = false;
                true
            }
            Msg::AxisDown(f, pointer) => {
                self.axis_drag.down(&self.axis_ref, f, pointer);
                true
            }
            Msg::AxisMove(f) => self.axis_drag.moved(f),
            Msg::AxisUp(f) => {
                if let Some(z) = self.axis_drag.up(f, self.axis) {
                    ctx.props().on_zoom.emit(Some(z));
                }
                true
            }
            Msg::Key(m) => {
                let Some(last) = self.total.checked_sub(1) else { return false };
                let w = self.window();
                let page = w.page() as isize;
                let i = match (m, self.selected) {
                    (Move::First, _) => 0,
                    (Move::Last, _) => last,
                    (_, None) => w.first.min(last),
                    (Move::By(d), Some(s)) => s.saturating_add_signed(d).min(last),
                    (Move::Page(d), Some(s)) => s.saturating_add_signed(d * page).min(last),
                };
                self.selected = Some(i);
                match self.rows.get(i) {
                    Some(r) => self.selected_pos = r.pos,
                    None => self.open_when_fetched = true,
                }
                if let Some(top) = w.scroll_to_show(i, 2) {
                    self.scroll_top = top;
                    if let Some(el) = self.scroller.cast::<web_sys::Element>() {
                        el.set_scroll_top(top as i32);
                    }
                }
                self.fetch(ctx);
                true
            }
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first: bool) {
        if ctx.props().active && measure_viewport(&self.scroller, &mut self.viewport) {
            self.fetch(ctx);
            ctx.link().send_message(Msg::Scroll(self.scroll_top, self.viewport));
        }
        // The axis labels fit the bar column's width (narrow with the detail open on a small screen).
        let axis_w = self.axis_ref.cast::<web_sys::Element>().map_or(0.0, |el| el.client_width() as f64);
        if axis_w > 0.0 && (axis_w - self.axis_w).abs() > 20.0 {
            self.axis_w = axis_w;
            ctx.link().send_message(Msg::Scroll(self.scroll_top, self.viewport));
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let link = ctx.link();
        let w = self.window();
        let onscroll = link.callback(|e: Event| {
            let el: web_sys::Element = e.target_unchecked_into();
            Msg::Scroll(el.scroll_top() as f64, el.client_height() as f64)
        });
        let first = w.first.saturating_sub(4);
        let last = (w.last + 4).min(self.total);
        let show_detail = self.selected_pos.is_some();
        let zone = p.zone.absolute();
        // About one label per 90 px of the bar column (a label is about 60 px wide); one too near
        // the right edge would be cut, so it is left out.
        let tick_count = if self.axis_w > 0.0 {
            ((self.axis_w / 90.0) as usize).clamp(2, 8)
        } else if show_detail {
            4
        } else {
            7
        };
        let ticks = time_fmt::ticks(self.axis.0, self.axis.1, tick_count, zone);
        html! {
            <div class="waterfall">
                <div class="toolbar">
                    <span class="count" id="wf-count">{ format!("{} request{}", self.total, if self.total == 1 { "" } else { "s" }) }</span>
                    <span class="dim">{ format!("{} → {} ({})", time_fmt::date_time(self.axis.0, zone), time_fmt::clock(self.axis.1, zone), time_fmt::duration(self.axis.1 - self.axis.0)) }</span>
                    if p.window.is_some() {
                        <button class="btn small" id="wf-unzoom" title="show the whole capture" onclick={p.on_zoom.reform(|_: MouseEvent| None)}>{ "Whole time span" }</button>
                    }
                    <span class="wf-legend">
                        <span class="swatch"><i class="k-ok"></i>{ "request" }</span>
                        <span class="swatch"><i class="k-poll"></i>{ "long poll" }</span>
                        <span class="swatch"><i class="k-socket"></i>{ "WebSocket (ticks: frames)" }</span>
                        <span class="swatch"><i class="k-fail"></i>{ "failed / ≥ 400" }</span>
                        <span class="swatch"><i class="k-slow"></i>{ format!("slow (≥ {})", time_fmt::duration(self.slow_ms)) }</span>
                    </span>
                </div>
                if let Some(e) = &self.error { <div class="banner error">{ e.clone() }</div> }
                <DetailSplit splitter_id="wf-splitter" first_w={first_detail_w()} min_w=280.0 max_w=1200.0 list={html! {
                    <div class="table-wrap">
                        <div class="thead wf-head">
                            <span>{ "Start" }</span><span>{ "Method" }</span><span>{ "Status" }</span><span>{ "Path · host" }</span><span class="d">{ "Time" }</span>
                            <span class="lane axis" ref={self.axis_ref.clone()} id="wf-axis" title="drag across the time axis to zoom into a time range"
                                onpointerdown={{ let r = self.axis_ref.clone(); link.batch_callback(move |e: PointerEvent| {
                                    e.prevent_default();
                                    frac(&r, &e, 0.0, None).map(|f| Msg::AxisDown(f, e.pointer_id()))
                                }) }}
                                onpointermove={{ let r = self.axis_ref.clone(); link.batch_callback(move |e: PointerEvent| frac(&r, &e, 0.0, None).map(Msg::AxisMove)) }}
                                onpointerup={{ let r = self.axis_ref.clone(); link.batch_callback(move |e: PointerEvent| frac(&r, &e, 0.0, None).map(Msg::AxisUp)) }}>
                                if let Some((left, width)) = self.axis_drag.shown() {
                                    <i class="wf-brush" id="wf-brush" style={format!("left:{:.3}%;width:{:.3}%", left * 100.0, width * 100.0)}></i>
                                }
                                { for ticks.iter().filter(|(ms, _)| self.pct(*ms) < 94.0).map(|(ms, label)| {
                                    // Centred on its time, except at the left edge where that would cut it.
                                    let at = self.pct(*ms);
                                    html! { <span class={classes!("axis-tick", (at < 6.0).then_some("edge"))} style={format!("left:{at:.3}%")}>{ label.clone() }</span> }
                                }) }
                            </span>
                        </div>
                        <div class="tscroll" id="wf-scroll" ref={self.scroller.clone()} {onscroll} tabindex="0">
                            <div class="tspacer" style={format!("height:{}px", w.spacer)}>
                                { for (first..last).map(|i| {
                                    let top = w.top(i);
                                    match self.rows.get(i) {
                                        Some(r) => self.row_html(ctx, r, top),
                                        None => html! { <div key={i} class="trow wf-row loading" style={format!("top:{top}px")}>{ "…" }</div> },
                                    }
                                }) }
                            </div>
                            if self.rows.known() && self.total == 0 {
                                <div class="empty">{ if p.window.is_some() { "No request in this time window." } else { "No HAR entry with a time." } }</div>
                            }
                        </div>
                    </div>
                }} detail={show_detail.then(|| html! {
                    <RecordPane pos={self.selected_pos} data_gen={p.data_gen} zone={p.zone} flows_ready=true id="wf-detail" raw_id="wf-detail-raw"
                        on_pick_id={p.on_pick_id.clone()} on_open_flow={Some(p.on_open_flow.clone())} on_close={link.callback(|_| Msg::Select(None, None))} />
                })} />
            </div>
        }
    }
}
