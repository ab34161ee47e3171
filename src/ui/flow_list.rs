//! The flow list, like a VoIP-calls table: one row per flow with its kind, a title that tells it
//! apart, start, duration, participants, outcome and error count; sorted by any column, searched,
//! filtered by kind and outcome, errors first when asked. Virtualised: thousands of flows scroll
//! like ten (the worker sends the rows in view).

use super::bridge;
use super::time_fmt::{self, Zone};
use super::vscroll::{RowCache, Window};
use crate::answers::{FlowList as FlowPage, FlowQuery, FlowRow, FlowSort, Outcome};
use crate::query::Request;
use yew::prelude::*;

const ROW_H: f64 = 30.0;
const OVERSCAN: usize = 40;

#[derive(Properties, PartialEq)]
pub struct FlowListProps {
    pub active: bool,
    pub data_gen: u64,
    /// Flows found (a change fetches the list again).
    pub all: usize,
    pub zone: Zone,
    /// The analysis is still running (flows come when it ends).
    pub analysing: bool,
    pub on_open: Callback<usize>,
}

pub enum Msg {
    Page(u64, Result<FlowPage, String>),
    Scroll(f64, f64),
    Text(String),
    /// The filter text stopped changing (the generation it was typed in).
    Settled(u64),
    Kind(String),
    Outcome(String),
    ErrorsFirst,
    Sort(FlowSort),
}

pub struct FlowList {
    query: FlowQuery,
    rows: RowCache<FlowRow>,
    total: usize,
    all: usize,
    kinds: Vec<(String, usize)>,
    gen: u64,
    scroll_top: f64,
    viewport: f64,
    scroller: NodeRef,
    /// Pending while the filter text is being typed (dropping it cancels the fetch).
    typing: Option<gloo::timers::callback::Timeout>,
    /// The list changed while the tab was hidden: it is asked for when the tab opens. Making the
    /// rows of a busy day (73 000 flows) took the worker two seconds, and asked for at the end of
    /// every load it held up the timeline's rows behind it.
    stale: bool,
}

/// How long the filter text must stay unchanged before the list is asked for: a filter reads every
/// flow's labels once, so asking on each keystroke queued a scan per letter in the worker.
const TYPING_PAUSE_MS: u32 = 150;

impl FlowList {
    fn refresh(&mut self, ctx: &Context<Self>) {
        self.rows.clear();
        self.gen += 1;
        self.scroll_top = 0.0;
        if let Some(el) = self.scroller.cast::<web_sys::Element>() {
            el.set_scroll_top(0);
        }
        self.fetch(ctx);
    }

    fn window(&self) -> Window {
        Window::new(self.total, ROW_H, self.scroll_top, self.viewport)
    }

    fn fetch(&mut self, ctx: &Context<Self>) {
        if !ctx.props().active {
            self.stale = true;
            return;
        }
        self.stale = false;
        let Some((start, end)) = self.rows.wanted(&self.window(), OVERSCAN) else { return };
        let gen = self.gen;
        let link = ctx.link().clone();
        bridge::ask(Request::FlowList { query: self.query.clone(), start, count: end - start }, move |r| link.send_message(Msg::Page(gen, r)));
    }
}

impl Component for FlowList {
    type Message = Msg;
    type Properties = FlowListProps;

    fn create(ctx: &Context<Self>) -> Self {
        let mut f = FlowList {
            query: FlowQuery::default(),
            rows: RowCache::default(),
            total: 0,
            all: 0,
            kinds: Vec::new(),
            gen: 0,
            scroll_top: 0.0,
            viewport: 600.0,
            scroller: NodeRef::default(),
            typing: None,
            stale: false,
        };
        f.refresh(ctx);
        f
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        if ctx.props().all != old.all || ctx.props().data_gen != old.data_gen {
            self.refresh(ctx);
        } else if ctx.props().active && !old.active && self.stale {
            self.fetch(ctx);
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Page(gen, r) => {
                if gen != self.gen {
                    return false;
                }
                match r {
                    Ok(page) => {
                        self.total = page.total;
                        self.all = page.all;
                        self.kinds = page.kinds;
                        let view = self.window();
                        self.rows.fill(page.start, page.rows, page.total, &view, 6000);
                        self.fetch(ctx);
                    }
                    Err(_) => self.rows.failed(),
                }
            }
            Msg::Scroll(top, h) => {
                self.scroll_top = top;
                if h > 0.0 {
                    self.viewport = h;
                }
                self.fetch(ctx);
            }
            Msg::Text(t) => {
                // The rows shown go at once (a page for the old filter is now stale); the new
                // ones are asked for when typing pauses.
                self.query.text = t;
                self.rows.clear();
                self.gen += 1;
                let (gen, link) = (self.gen, ctx.link().clone());
                self.typing = Some(gloo::timers::callback::Timeout::new(TYPING_PAUSE_MS, move || link.send_message(Msg::Settled(gen))));
            }
            Msg::Settled(gen) => {
                self.typing = None;
                if gen != self.gen {
                    return false;
                }
                self.refresh(ctx);
            }
            Msg::Kind(k) => {
                self.query.kind = k;
                self.refresh(ctx);
            }
            Msg::Outcome(o) => {
                self.query.outcome = match o.as_str() {
                    "failed" => Some(Outcome::Failed),
                    "open" => Some(Outcome::Open),
                    "ok" => Some(Outcome::Ok),
                    _ => None,
                };
                self.refresh(ctx);
            }
            Msg::ErrorsFirst => {
                self.query.errors_first = !self.query.errors_first;
                self.refresh(ctx);
            }
            Msg::Sort(s) => {
                if self.query.sort == s {
                    self.query.descending = !self.query.descending;
                } else {
                    self.query.sort = s;
                    self.query.descending = matches!(s, FlowSort::Duration | FlowSort::Errors | FlowSort::Steps | FlowSort::Participants);
                }
                self.refresh(ctx);
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let link = ctx.link();
        let w = self.window();
        let q = &self.query;
        let head = |s: FlowSort, label: &str, class: &'static str| {
            let arrow = if q.sort == s {
                if q.descending {
                    " ▾"
                } else {
                    " ▴"
                }
            } else {
                ""
            };
            html! { <button class={classes!("th", class, (q.sort == s).then_some("sorted"))} data-sort={format!("{s:?}").to_lowercase()} onclick={link.callback(move |_| Msg::Sort(s))}>{ format!("{label}{arrow}") }</button> }
        };
        let onscroll = link.callback(|e: Event| {
            let el: web_sys::Element = e.target_unchecked_into();
            Msg::Scroll(el.scroll_top() as f64, el.client_height() as f64)
        });
        let abs_zone = p.zone.absolute();
        let empty = if p.analysing && self.all == 0 {
            "Flows are being found: they appear when the analysis ends (the timeline is ready meanwhile)."
        } else if self.all == 0 {
            "No flow found in what is loaded. Filter the timeline by an ID and use “Draw as a flow”."
        } else {
            "No flow matches."
        };
        html! {
            <div class="flow-list" id="flow-list">
                <div class="toolbar">
                    <input type="search" id="flow-filter" placeholder="Search flows: agent, task, sid, participant, message, outcome… (\"a phrase\")" value={q.text.clone()}
                        oninput={link.callback(|e: InputEvent| Msg::Text(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))} />
                    <select id="flow-kind" onchange={link.callback(|e: Event| Msg::Kind(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))}>
                        <option value="" selected={q.kind.is_empty()}>{ "every kind" }</option>
                        { for self.kinds.iter().map(|(k, n)| html! { <option value={k.clone()} selected={q.kind == *k}>{ format!("{} ({n})", crate::correlate::summary::kind_text(k)) }</option> }) }
                    </select>
                    <select id="flow-outcome-filter" onchange={link.callback(|e: Event| Msg::Outcome(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))}>
                        <option value="" selected={q.outcome.is_none()}>{ "every outcome" }</option>
                        <option value="failed" selected={q.outcome == Some(Outcome::Failed)}>{ "failed" }</option>
                        <option value="open" selected={q.outcome == Some(Outcome::Open)}>{ "still open" }</option>
                        <option value="ok" selected={q.outcome == Some(Outcome::Ok)}>{ "ok" }</option>
                    </select>
                    <label class="check"><input type="checkbox" id="errors-first" checked={q.errors_first} onchange={link.callback(|_| Msg::ErrorsFirst)} />{ "errors first" }</label>
                    <span class="count" id="flow-count">{
                        // Typed words not answered yet: the last count is no longer true.
                        if self.typing.is_some() || (!self.rows.known() && !q.text.trim().is_empty()) { "searching…".to_string() }
                        else if self.total == self.all { format!("{} flows", self.all) } else { format!("{} of {} flows", self.total, self.all) }
                    }</span>
                </div>
                <div class="ftable">
                    <div class="fhead2">
                        { head(FlowSort::Outcome, "Outcome", "c-out") }
                        { head(FlowSort::Kind, "Kind", "c-kind") }
                        { head(FlowSort::Title, "Flow", "c-title") }
                        { head(FlowSort::Start, "Start", "c-start") }
                        { head(FlowSort::Duration, "Duration", "c-dur") }
                        { head(FlowSort::Participants, "Participants", "c-part") }
                        { head(FlowSort::Steps, "Msgs", "c-num") }
                        { head(FlowSort::Errors, "Errors", "c-num") }
                        <span class="th c-what">{ "What happened" }</span>
                    </div>
                    <div class="fscroll" id="flow-scroll" ref={self.scroller.clone()} {onscroll}>
                        <div class="tspacer" style={format!("height:{}px", w.spacer)}>
                            { for (w.first.saturating_sub(4)..(w.last + 4).min(self.total)).filter_map(|i| self.rows.get(i).map(|r| (i, r))).map(|(i, r)| {
                                let s = &r.summary;
                                let index = r.index;
                                let (out_class, out_text) = match s.outcome {
                                    Outcome::Failed => ("failed", "✕ failed"),
                                    Outcome::Open => ("open", "… open"),
                                    Outcome::Ok => ("ok", "✓ ok"),
                                };
                                let what = if s.outcome == Outcome::Failed { s.first_error.clone() } else { format!("{}{}", s.end.text(), if s.end_label.is_empty() { String::new() } else { format!(": {}", s.end_label) }) };
                                html! {
                                    <div key={index} class={classes!("flow-item", out_class)} role="row" style={format!("top:{}px", w.top(i))}
                                        data-flow-kind={r.kind.clone()} data-outcome={out_class} data-index={index.to_string()} title={r.title.clone()}
                                        onclick={p.on_open.reform(move |_: MouseEvent| index)}>
                                        <span class={classes!("c-out", "outcome", out_class)}>{ out_text }</span>
                                        <span class="c-kind kind">{ crate::correlate::summary::kind_text(&r.kind).to_string() }</span>
                                        <span class="c-title key">{ r.title.strip_prefix(&format!("{} · ", crate::correlate::summary::kind_text(&r.kind))).unwrap_or(&r.title).to_string() }</span>
                                        <span class="c-start mono">{ s.start_ms.map(|t| time_fmt::date_time(t, abs_zone).get(..19).unwrap_or("").to_string()).unwrap_or_else(|| "—".into()) }</span>
                                        <span class="c-dur mono">{ s.duration_ms.map(time_fmt::duration).unwrap_or_else(|| "—".into()) }</span>
                                        <span class="c-part" title={r.participants.join(", ")}>{ format!("{} · {}", r.participants.len(), r.participants.join(", ")) }</span>
                                        <span class="c-num">{ r.steps }</span>
                                        <span class={classes!("c-num", (s.errors > 0).then_some("errs"))}>{ s.errors }</span>
                                        <span class="c-what" title={what.clone()}>{ what }</span>
                                    </div>
                                }
                            }) }
                        </div>
                        if self.total == 0 && !self.rows.asking() {
                            <div class="empty">{ empty }</div>
                        }
                    </div>
                </div>
            </div>
        }
    }
}
