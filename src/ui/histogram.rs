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
    /// Where a drag started and where the pointer is (fractions of the width).
    drag: Option<(f64, f64)>,
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

impl Component for HistogramView {
    type Message = Msg;
    type Properties = HistogramProps;

    fn create(_ctx: &Context<Self>) -> Self {
        HistogramView { drag: None, svg: NodeRef::default() }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Down(f, pointer) => {
                // Capture on the plot itself, so the drag's moves and release come back to it.
                if let Some(el) = self.svg.cast::<web_sys::Element>() {
                    let _ = el.set_pointer_capture(pointer);
                }
                self.drag = Some((f, f));
                true
            }
            Msg::Move(f) => match self.drag.as_mut() {
                Some(d) => {
                    d.1 = f;
                    true
                }
                None => false,
            },
            Msg::Up(f) => {
                let Some((a, _)) = self.drag.take() else { return false };
                let (lo, hi) = if a < f { (a, f) } else { (f, a) };
                if let Some(Histogram { from_ms: Some(t0), to_ms: Some(t1), .. }) = &ctx.props().hist {
                    if hi - lo > 0.004 {
                        let span = (t1 - t0) as f64;
                        ctx.props().on_zoom.emit(Some((t0 + (span * lo) as i64, t0 + (span * hi).ceil() as i64)));
                    }
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
        let zone = if p.zone == Zone::Written { Zone::Utc } else { p.zone };
        html! {
            <div class="histogram" title="drag across to zoom into a time range">
                <span class="hlabel">{ time_fmt::date_time(t0, zone) }</span>
                <div class="hplot">
                    <svg id="histogram" ref={self.svg.clone()} viewBox="0 0 1000 48" preserveAspectRatio="none" onpointerdown={down} onpointermove={moved} onpointerup={up}>
                        { for buckets.iter().enumerate().filter(|(_, c)| **c > 0).map(|(i, c)| {
                            let hgt = (*c as f64 / max * 44.0).max(2.0);
                            html! { <rect x={format!("{:.2}", i as f64 * w)} y={format!("{:.2}", 48.0 - hgt)} width={format!("{:.2}", (w - 0.5).max(0.5))} height={format!("{hgt:.2}")} /> }
                        }) }
                        if let Some((a, b)) = self.drag {
                            <rect class="brush" id="histogram-brush" x={format!("{:.2}", a.min(b) * 1000.0)} y="0" width={format!("{:.2}", ((a - b).abs() * 1000.0).max(1.0))} height="48" />
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
