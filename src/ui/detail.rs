//! One record in full: when and where it was written (with where its zone comes from), its
//! decoded fields as a tree (click a value to filter by it), the flows it is in, and its raw lines
//! in context. Used beside the timeline and beside a diagram.

use super::bridge;
use super::json_tree;
use super::time_fmt::{self, Zone};
use crate::answers::RecordDetail;
use crate::query::Request;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RecordPaneProps {
    /// Timeline position of the record.
    pub pos: Option<usize>,
    pub data_gen: u64,
    pub zone: Zone,
    #[prop_or_default]
    pub flows_ready: bool,
    pub on_pick_id: Callback<String>,
    #[prop_or_default]
    pub on_open_flow: Option<Callback<usize>>,
    pub on_close: Callback<()>,
    /// The pane's id (`detail` beside the timeline, `step-detail` beside a diagram).
    #[prop_or(AttrValue::Static("detail"))]
    pub id: AttrValue,
    /// The id of the raw-lines block.
    #[prop_or(AttrValue::Static("detail-raw"))]
    pub raw_id: AttrValue,
    /// A heading to show instead of the record's name (a diagram step's label).
    #[prop_or_default]
    pub heading: Option<AttrValue>,
    /// Extra lines under the heading (from → to), and buttons.
    #[prop_or_default]
    pub children: Html,
}

pub enum Msg {
    Got(Option<usize>, Result<RecordDetail, String>),
}

pub struct RecordPane {
    detail: Option<Result<RecordDetail, String>>,
}

impl RecordPane {
    fn fetch(ctx: &Context<Self>) {
        if let Some(pos) = ctx.props().pos {
            let link = ctx.link().clone();
            bridge::ask(Request::Record { pos }, move |r| link.send_message(Msg::Got(Some(pos), r)));
        }
    }
}

impl Component for RecordPane {
    type Message = Msg;
    type Properties = RecordPaneProps;

    fn create(ctx: &Context<Self>) -> Self {
        Self::fetch(ctx);
        RecordPane { detail: None }
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        if ctx.props().pos != old.pos || ctx.props().data_gen != old.data_gen || ctx.props().flows_ready != old.flows_ready {
            Self::fetch(ctx);
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let Msg::Got(pos, r) = msg;
        if pos != ctx.props().pos {
            return false;
        }
        self.detail = Some(r);
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let close = html! { <button class="btn small close" title="close (Esc)" onclick={p.on_close.reform(|_: MouseEvent| ())}>{ "✕" }</button> };
        let d = match &self.detail {
            None => return html! { <aside class="detail" id={p.id.clone()}>{ close }<p class="dim">{ "Loading…" }</p></aside> },
            Some(Err(e)) => return html! { <aside class="detail" id={p.id.clone()}>{ close }<p>{ e.clone() }</p></aside> },
            Some(Ok(d)) => d,
        };
        let r = &d.row;
        let when = match r.utc_ms {
            Some(ms) => {
                let shown = p.zone.absolute();
                format!("{} {} · written “{}” · {}", time_fmt::date_time(ms, shown), if shown == Zone::Utc { "UTC" } else { "browser time" }, r.time, r.zone)
            }
            None => format!("“{}” — {}", r.time, r.zone),
        };
        let heading = p.heading.clone().map(|h| h.to_string()).unwrap_or_else(|| if r.name.is_empty() { "Record".to_string() } else { r.name.clone() });
        html! {
            <aside class="detail" id={p.id.clone()}>
                { close }
                <h3>{ heading }</h3>
                { p.children.clone() }
                <dl class="meta">
                    <dt>{ "Time" }</dt><dd>{ when }</dd>
                    <dt>{ "File" }</dt><dd class="mono">{ format!("{}:{}", d.path, d.line) }</dd>
                    <dt>{ "Format" }</dt><dd>{ r.format.clone() }</dd>
                    if !r.component.is_empty() { <dt>{ "Component" }</dt><dd>{ r.component.clone() }</dd> }
                    if !r.severity_raw.is_empty() { <dt>{ "Severity" }</dt><dd>{ if r.severity == r.severity_raw.to_ascii_lowercase() { r.severity.clone() } else { format!("{} ({})", r.severity, r.severity_raw) } }</dd> }
                </dl>
                if !d.flows.is_empty() {
                    if let Some(open) = &p.on_open_flow {
                        <div class="in-flows"><span class="dim">{ "In flows: " }</span>
                            { for d.flows.iter().map(|(i, t)| { let i = *i; html! { <button class="link" onclick={open.reform(move |_: MouseEvent| i)}>{ t.clone() }</button> } }) }
                        </div>
                    }
                }
                if !d.notes.is_empty() {
                    <div class="notes">{ for d.notes.iter().map(|n| html! { <p class="note">{ format!("⚠ {n}") }</p> }) }</div>
                }
                <h4>{ "Decoded fields" }</h4>
                <div class="fields">
                    if d.fields.is_empty() {
                        <p class="dim">{ "No decoded fields." }</p>
                    } else {
                        { json_tree::tree(&serde_json::Value::Object(d.fields.clone()), &p.on_pick_id) }
                    }
                </div>
                <h4>{ "Raw lines" }</h4>
                if d.context.is_empty() {
                    <pre class="raw" id={p.raw_id.clone()}>{ d.text.clone() }</pre>
                } else {
                    <pre class="raw" id={p.raw_id.clone()}>
                        { for d.context.iter().map(|c| html! { <div class={classes!("ctx", c.own.then_some("own"))}><span class="ln">{ c.n }</span>{ c.text.clone() }</div> }) }
                    </pre>
                }
            </aside>
        }
    }
}
