//! A list with a detail pane beside it (the timeline's record, the waterfall's request). The bar
//! between them resizes the pane within its bounds; the width lives here, so each list keeps its
//! own.

use super::vscroll::{Drag, Splitter};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DetailSplitProps {
    /// The list, on the left.
    pub list: Html,
    /// The detail pane; None: the list takes the whole width.
    pub detail: Option<Html>,
    /// The bar's id (the page's tests drag it).
    pub splitter_id: AttrValue,
    /// The pane's first width and the bounds a drag keeps it in (px).
    pub first_w: f64,
    pub min_w: f64,
    pub max_w: f64,
}

pub struct DetailSplit {
    width: f64,
    /// The width when the drag started (a drag reports how far it moved since).
    drag_base: f64,
}

impl Component for DetailSplit {
    type Message = Drag;
    type Properties = DetailSplitProps;

    fn create(ctx: &Context<Self>) -> Self {
        DetailSplit { width: ctx.props().first_w, drag_base: ctx.props().first_w }
    }

    fn update(&mut self, ctx: &Context<Self>, drag: Drag) -> bool {
        let p = ctx.props();
        match drag {
            Drag::Start => self.drag_base = self.width,
            Drag::Move(dx) => self.width = (self.drag_base - dx).clamp(p.min_w, p.max_w),
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let grid = match p.detail {
            Some(_) => format!("grid-template-columns: minmax(0, 1fr) 6px {}px", self.width),
            None => "grid-template-columns: minmax(0, 1fr)".to_string(),
        };
        html! {
            <div class="split" style={grid}>
                { p.list.clone() }
                if let Some(detail) = &p.detail {
                    <Splitter on_drag={ctx.link().callback(|d: Drag| d)} id={p.splitter_id.clone()} />
                    { detail.clone() }
                }
            </div>
        }
    }
}
