//! Records over time for the filtered timeline; drag across it to zoom into a time range (a box
//! shows the range while dragging). The zoom is the page's time window, shared with the state
//! timelines.

use super::time_fmt::{self, Zone};
use crate::answers::Histogram;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HistogramProps {
    pub hist: Option<Histogram>,
    pub zoomed: bool,
    pub zone: Zone,
    pub on_zoom: Callback<Option<(i64, i64)>>,
}

pub enum Msg {
    Down(f64, i32),
    Move(f64),
    Up(f64),
}

pub struct HistogramView {
    drag: ZoomBrush,
    svg: NodeRef,
}

/// Where the pointer is along an element (0 at its left edge, 1 at its right). Measured on the
/// element itself: the page's listeners sit at its root, so an event's current target is not it.
pub fn frac(el: &NodeRef, e: &PointerEvent, inset: f64, width: Option<f64>) -> Option<f64> {
    let el = el.cast::<web_sys::Element>()?;
    let r = el.get_bounding_client_rect();
    let w = width.unwrap_or(r.width() - inset).max(1.0);
    Some(((e.client_x() as f64 - r.left() - inset) / w).clamp(0.0, 1.0))
}

/// A drag across a time axis that zooms the page's time window (the histogram, the state
/// timelines' axis, the waterfall's axis): where it started and where the pointer is, as fractions
/// of the axis width.
#[derive(Default)]
pub struct ZoomBrush(Option<(f64, f64)>);

impl ZoomBrush {
    /// A drag starts at `f`. The pointer is captured on `el`, so its moves and release come back to
    /// it when they leave the axis.
    pub fn down(&mut self, el: &NodeRef, f: f64, pointer: i32) {
        if let Some(el) = el.cast::<web_sys::Element>() {
            let _ = el.set_pointer_capture(pointer);
        }
        self.0 = Some((f, f));
    }

    /// The pointer moved to `f`; true when a drag is on (its box is to be drawn again).
    pub fn moved(&mut self, f: f64) -> bool {
        match self.0.as_mut() {
            Some(d) => {
                d.1 = f;
                true
            }
            None => false,
        }
    }

    /// The drag ends at `f`: the part of `[t0, t1]` (the axis's span, epoch ms) it covered, unless it
    /// was a click or a sliver. Also None when no drag was on.
    pub fn up(&mut self, f: f64, (t0, t1): (i64, i64)) -> Option<(i64, i64)> {
        let (a, _) = self.0.take()?;
        let (lo, hi) = (a.min(f), a.max(f));
        let span = (t1 - t0) as f64;
        (hi - lo > 0.004).then(|| (t0 + (span * lo) as i64, t0 + (span * hi).ceil() as i64))
    }

    /// The box to draw while a drag is on: its left edge and width, as fractions of the axis.
    pub fn shown(&self) -> Option<(f64, f64)> {
        self.0.map(|(a, b)| (a.min(b), (a - b).abs()))
    }
}

impl Component for HistogramView {
    type Message = Msg;
    type Properties = HistogramProps;

    fn create(_ctx: &Context<Self>) -> Self {
        HistogramView { drag: ZoomBrush::default(), svg: NodeRef::default() }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Down(f, pointer) => {
                self.drag.down(&self.svg, f, pointer);
                true
            }
            Msg::Move(f) => self.drag.moved(f),
            Msg::Up(f) => {
                let span = match &ctx.props().hist {
                    Some(Histogram { from_ms: Some(t0), to_ms: Some(t1), .. }) => (*t0, *t1),
                    _ => (0, 0),
                };
                if let Some(z) = self.drag.up(f, span).filter(|_| span.1 > span.0) {
                    ctx.props().on_zoom.emit(Some(z));
                }
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let Some(Histogram { buckets, from_ms: Some(t0), to_ms: Some(t1) }) = &p.hist else { return html! { <div class="histogram empty-hist"></div> } };
        if buckets.is_empty() {
            return html! { <div class="histogram empty-hist"></div> };
        }
        let (t0, t1) = (*t0, *t1);
        let max = buckets.iter().copied().max().unwrap_or(1).max(1) as f64;
        let w = 1000.0 / buckets.len() as f64;
        let link = ctx.link();
        let svg = self.svg.clone();
        let down = link.batch_callback(move |e: PointerEvent| {
            e.prevent_default();
            frac(&svg, &e, 0.0, None).map(|f| Msg::Down(f, e.pointer_id()))
        });
        let svg = self.svg.clone();
        let moved = link.batch_callback(move |e: PointerEvent| frac(&svg, &e, 0.0, None).map(Msg::Move));
        let svg = self.svg.clone();
        let up = link.batch_callback(move |e: PointerEvent| frac(&svg, &e, 0.0, None).map(Msg::Up));
        let span = (t1 - t0).max(1) as f64;
        let ticks = time_fmt::ticks(t0, t1, 6, p.zone);
        let zone = p.zone.absolute();
        html! {
            <div class="histogram" title="drag across to zoom into a time range">
                <span class="hlabel">{ time_fmt::date_time(t0, zone) }</span>
                <div class="hplot">
                    <svg id="histogram" ref={self.svg.clone()} viewBox="0 0 1000 48" preserveAspectRatio="none" onpointerdown={down} onpointermove={moved} onpointerup={up}>
                        { for buckets.iter().enumerate().filter(|(_, c)| **c > 0).map(|(i, c)| {
                            let hgt = (*c as f64 / max * 44.0).max(2.0);
                            html! { <rect x={format!("{:.2}", i as f64 * w)} y={format!("{:.2}", 48.0 - hgt)} width={format!("{:.2}", (w - 0.5).max(0.5))} height={format!("{hgt:.2}")} /> }
                        }) }
                        if let Some((left, width)) = self.drag.shown() {
                            <rect class="brush" id="histogram-brush" x={format!("{:.2}", left * 1000.0)} y="0" width={format!("{:.2}", (width * 1000.0).max(1.0))} height="48" />
                        }
                    </svg>
                    <div class="hticks" aria-hidden="true">
                        { for ticks.iter().map(|(ms, label)| html! { <span style={format!("left:{:.2}%", (*ms - t0) as f64 / span * 100.0)}>{ label.clone() }</span> }) }
                    </div>
                </div>
                <span class="hlabel">{ time_fmt::date_time(t1, zone) }</span>
                if p.zoomed {
                    <button class="btn small" id="zoom-out" onclick={p.on_zoom.reform(|_| None)} title="show the whole time span">{ "Whole span" }</button>
                }
            </div>
        }
    }
}
