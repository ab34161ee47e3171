//! Virtual scrolling (only the rows in view exist in the DOM, so a million rows scroll like ten)
//! and the splitter that resizes two panes.
//!
//! Browsers cap an element's height (Chromium about 33.5 M px, Firefox about 17.9 M px): past
//! [`MAX_PX`] the scroll range is scaled, so a scrollbar still spans every row.

use std::collections::HashMap;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The tallest spacer drawn; longer lists scroll through a scaled range.
pub const MAX_PX: f64 = 8_000_000.0;

/// Which rows are in view for a scroll position, and where each is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    /// First and one-past-last row in view.
    pub first: usize,
    pub last: usize,
    /// Height of the spacer element (the scroll range).
    pub spacer: f64,
    ratio: f64,
    scroll_top: f64,
    row_h: f64,
    total: usize,
    viewport: f64,
}

impl Window {
    pub fn new(total: usize, row_h: f64, scroll_top: f64, viewport: f64) -> Self {
        let full = total as f64 * row_h;
        let spacer = full.min(MAX_PX);
        let ratio = if full > spacer && spacer > viewport { (full - viewport) / (spacer - viewport) } else { 1.0 };
        let virt = (scroll_top * ratio).max(0.0);
        let first = ((virt / row_h).floor() as usize).min(total);
        let last = (first + (viewport / row_h).ceil() as usize + 1).min(total);
        Window { first, last, spacer, ratio, scroll_top, row_h, total, viewport }
    }

    /// Where row `i` is drawn inside the spacer (px).
    pub fn top(&self, i: usize) -> f64 {
        self.scroll_top + (i as f64 * self.row_h - self.scroll_top * self.ratio)
    }

    /// Rows that fit in the viewport.
    pub fn page(&self) -> usize {
        ((self.viewport / self.row_h).floor() as usize).max(1)
    }

    /// Is row `i` entirely in view?
    pub fn shows(&self, i: usize) -> bool {
        let t = self.top(i) - self.scroll_top;
        t >= -0.5 && t + self.row_h <= self.viewport + 0.5
    }

    /// The scroll position that puts the pixel `virt` of the unscaled list at the top.
    pub fn scroll_for(&self, virt: f64) -> f64 {
        let max_virt = (self.total as f64 * self.row_h - self.viewport).max(0.0);
        (virt.clamp(0.0, max_virt) / self.ratio).max(0.0)
    }

    /// The scroll position that keeps row `i` in view with the least movement (`None` if it is
    /// already in view): with a few rows of context above or below when it moves.
    pub fn scroll_to_show(&self, i: usize, context: usize) -> Option<f64> {
        if self.shows(i) && self.viewport > 0.0 {
            return None;
        }
        let virt_now = self.scroll_top * self.ratio;
        let row_top = i as f64 * self.row_h;
        let ctx = context as f64 * self.row_h;
        let virt = if row_top < virt_now { row_top - ctx } else { row_top + self.row_h + ctx - self.viewport };
        let max_virt = (self.total as f64 * self.row_h - self.viewport).max(0.0);
        Some((virt.clamp(0.0, max_virt) / self.ratio).max(0.0))
    }
}

/// The rows of a virtual list fetched from the worker: those held, the range asked for last (a
/// scroll that wants the same rows again sends nothing), and the list's length once an answer
/// told it (until then, rows are asked for even where the list may be empty).
pub struct RowCache<T> {
    rows: HashMap<usize, T>,
    asked: Option<(usize, usize)>,
    total: Option<usize>,
}

impl<T> Default for RowCache<T> {
    fn default() -> Self {
        RowCache { rows: HashMap::new(), asked: None, total: None }
    }
}

impl<T> RowCache<T> {
    /// Forgets every row and the length (new data, a new filter or time window).
    pub fn clear(&mut self) {
        self.rows.clear();
        self.asked = None;
        self.total = None;
    }

    /// The rows to ask for, `(start, end)`, so that those in `w` and `margin` more either side are
    /// held; None when they are, or were just asked for. A list known to be empty wants nothing.
    pub fn wanted(&mut self, w: &Window, margin: usize) -> Option<(usize, usize)> {
        let start = w.first.saturating_sub(margin);
        let end = (w.last + margin).max(start + 1);
        let held = self.total.is_some_and(|t| (start..end.min(t)).all(|i| self.rows.contains_key(&i)));
        if held || self.asked == Some((start, end)) {
            return None;
        }
        self.asked = Some((start, end));
        Some((start, end))
    }

    /// Keeps the rows an answer brought (the first at `start`) and the list's length. When more
    /// than `keep` rows are held, only those within `keep / 3` of `w` stay.
    pub fn fill(&mut self, start: usize, rows: impl IntoIterator<Item = T>, total: usize, w: &Window, keep: usize) {
        self.asked = None;
        self.total = Some(total);
        for (k, row) in rows.into_iter().enumerate() {
            self.rows.insert(start + k, row);
        }
        if self.rows.len() > keep {
            let near = keep / 3;
            self.rows.retain(|&k, _| k + near > w.first && k < w.last + near);
        }
    }

    /// An answer that brought an error: the rows may be asked for again.
    pub fn failed(&mut self) {
        self.asked = None;
    }

    /// True while an answer is awaited.
    pub fn asking(&self) -> bool {
        self.asked.is_some()
    }

    /// True once an answer told the list's length.
    pub fn known(&self) -> bool {
        self.total.is_some()
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.rows.get(&i)
    }
}

/// Reads the height of the scrolling element into `viewport`; true when it changed (the rows in
/// view then change too).
pub fn measure_viewport(scroller: &NodeRef, viewport: &mut f64) -> bool {
    let Some(el) = scroller.cast::<web_sys::Element>() else { return false };
    let h = el.client_height() as f64;
    if h > 0.0 && (h - *viewport).abs() > 1.0 {
        *viewport = h;
        return true;
    }
    false
}

/// One drag of a splitter: its start, then how far the pointer moved since.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Drag {
    Start,
    /// Pixels moved along the splitter's axis since the drag started.
    Move(f64),
}

#[derive(Properties, PartialEq)]
pub struct SplitterProps {
    pub on_drag: Callback<Drag>,
    /// A horizontal bar (resizes heights) instead of a vertical one.
    #[prop_or_default]
    pub horizontal: bool,
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

/// A bar between two panes; dragging it resizes them (pointer capture keeps the drag when the
/// pointer leaves the bar).
#[function_component(Splitter)]
pub fn splitter(p: &SplitterProps) -> Html {
    let origin = use_mut_ref(|| None::<f64>);
    let horizontal = p.horizontal;
    let coord = move |e: &PointerEvent| if horizontal { e.client_y() as f64 } else { e.client_x() as f64 };
    let down = {
        let origin = origin.clone();
        let on = p.on_drag.clone();
        Callback::from(move |e: PointerEvent| {
            e.prevent_default();
            if let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            *origin.borrow_mut() = Some(coord(&e));
            on.emit(Drag::Start);
        })
    };
    let moved = {
        let origin = origin.clone();
        let on = p.on_drag.clone();
        Callback::from(move |e: PointerEvent| {
            let o = *origin.borrow();
            if let Some(o) = o {
                on.emit(Drag::Move(coord(&e) - o));
            }
        })
    };
    let up = {
        let origin = origin.clone();
        Callback::from(move |_e: PointerEvent| {
            *origin.borrow_mut() = None;
        })
    };
    html! {
        <div class={classes!("splitter", horizontal.then_some("horizontal"))} id={p.id.clone()} role="separator" title="drag to resize"
            onpointerdown={down} onpointermove={moved} onpointerup={up.clone()} onpointercancel={up} />
    }
}
