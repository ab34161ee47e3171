//! Findings: one card per code with how many times it was found (expand for each one), what went
//! wrong and what to check; the evidence as `file:line` links that select the record in the
//! timeline, a link to the flow it is about, and a clock correction to apply where one is offered.

use super::bridge;
use super::clock_editor::{date_text, ClockApply};
use super::time_fmt::{self, Zone};
use crate::answers::{FindingGroup, FindingItem, FindingItems, Suggestion, Summary};
use crate::query::Request;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use yew::prelude::*;

/// Evidence links shown per finding before "more".
const EVIDENCE: usize = 12;
/// Findings asked for at a time after a card's first ones (the worker sends the first
/// `query::FINDINGS_FIRST` of each code with the findings).
const PAGE: usize = 200;

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    pub groups: Rc<Vec<FindingGroup>>,
    pub files: Rc<Summary>,
    pub zone: Zone,
    pub on_goto: Callback<usize>,
    pub on_open_flow: Callback<usize>,
    pub on_apply_clock: Callback<ClockApply>,
}

pub enum Msg {
    Expand(String),
    More(String),
    /// A page of findings asked for the findings of generation `u64`, from `usize`.
    Got(u64, String, usize, Result<FindingItems, String>),
    AllEvidence(String),
}

pub struct Findings {
    expanded: HashSet<String>,
    /// Findings of a code asked for after the ones sent with the groups, in order.
    more: HashMap<String, Vec<FindingItem>>,
    /// Codes whose next page is on its way.
    asking: HashSet<String>,
    /// Findings (code#n) showing all their evidence.
    all_evidence: HashSet<String>,
    /// Why the last page could not be had.
    error: Option<String>,
    /// Counts the findings received: a page asked for before the last analysis is dropped.
    gen: u64,
}

impl Component for Findings {
    type Message = Msg;
    type Properties = FindingsProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Findings { expanded: HashSet::new(), more: HashMap::new(), asking: HashSet::new(), all_evidence: HashSet::new(), error: None, gen: 0 }
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &FindingsProps) -> bool {
        // Another analysis: the pages asked for belong to the findings before it.
        if !std::rc::Rc::ptr_eq(&ctx.props().groups, &old.groups) {
            self.more.clear();
            self.asking.clear();
            self.error = None;
            self.gen += 1;
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let (set, key) = match msg {
            Msg::Expand(k) => (&mut self.expanded, k),
            Msg::AllEvidence(k) => (&mut self.all_evidence, k),
            Msg::More(code) => {
                let Some(g) = ctx.props().groups.iter().find(|g| g.code == code) else { return false };
                let start = g.items.len() + self.more.get(&code).map_or(0, Vec::len);
                if start >= g.items_total || !self.asking.insert(code.clone()) {
                    return false;
                }
                let link = ctx.link().clone();
                let (asked, gen) = (code.clone(), self.gen);
                bridge::ask(Request::FindingItems { code, start, count: PAGE }, move |r| link.send_message(Msg::Got(gen, asked, start, r)));
                return true;
            }
            Msg::Got(gen, code, start, r) => {
                if gen != self.gen {
                    return false;
                }
                self.asking.remove(&code);
                let Some(g) = ctx.props().groups.iter().find(|g| g.code == code) else { return true };
                let have = self.more.entry(code).or_default();
                match r {
                    // Only the page that follows what is shown.
                    Ok(page) if start == g.items.len() + have.len() && page.start == start => {
                        have.extend(page.items);
                        self.error = None;
                    }
                    Ok(_) => {}
                    Err(e) => self.error = Some(e),
                }
                return true;
            }
        };
        if !set.remove(&key) {
            set.insert(key);
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        if p.groups.is_empty() {
            return html! { <div class="findings"><div class="empty">{ "No findings in what is loaded." }</div></div> };
        }
        let total: usize = p.groups.iter().map(FindingGroup::findings).sum();
        html! {
            <div class="findings" id="findings">
                <p class="dim findings-head">{ format!("{total} findings of {} kinds, errors first. Evidence links select the record in the timeline.", p.groups.len()) }</p>
                if let Some(e) = &self.error {
                    <p class="banner error">{ format!("More findings could not be shown: {e}") }</p>
                }
                { for p.groups.iter().map(|g| self.card(ctx, g)) }
            </div>
        }
    }
}

impl Findings {
    fn card(&self, ctx: &Context<Self>, g: &FindingGroup) -> Html {
        let link = ctx.link();
        let more: &[FindingItem] = self.more.get(&g.code).map_or(&[], Vec::as_slice);
        // Every finding of the code, and the ones the page holds (sent with the groups, then asked for).
        let n = g.findings();
        let held = g.items.len() + more.len();
        let open = self.expanded.contains(&g.code);
        let times = g.count.max(n);
        let code = g.code.clone();
        let toggle = link.callback(move |_| Msg::Expand(code.clone()));
        let first = g.items.first();
        let asking = self.asking.contains(&g.code);
        html! {
            <article class={classes!("finding", g.severity.clone())} data-finding={g.code.clone()} data-count={times.to_string()} data-findings={n.to_string()}>
                <header>
                    <span class={classes!("sev", g.severity.clone())}>{ g.severity.clone() }</span>
                    <strong class="finding-title">{ g.title.clone() }</strong>
                    <code>{ g.code.clone() }</code>
                    if times > 1 { <span class="count-badge" title="how many times it happened">{ format!("× {times}") }</span> }
                </header>
                if !g.meaning.is_empty() {
                    <p class="finding-meaning">{ g.meaning.clone() }</p>
                }
                if !g.next.is_empty() {
                    <p class="finding-next"><strong>{ "What to check: " }</strong>{ g.next.clone() }</p>
                }
                if let Some(item) = first {
                    { self.item(ctx, g, 0, item) }
                }
                if n > 1 {
                    <button class="link expand" onclick={toggle}>{ if open { "Hide the others".to_string() } else if n > held { format!("Show more (the first {held} of {n}, then {PAGE} at a time)") } else { format!("Show all {n}") } }</button>
                    if open {
                        <ol class="finding-items" start="2">
                            { for g.items.iter().chain(more).enumerate().skip(1).map(|(k, it)| html! { <li>{ self.item(ctx, g, k, it) }</li> }) }
                        </ol>
                        if held < n {
                            <button class="link more-findings" disabled={asking} onclick={{ let c = g.code.clone(); link.callback(move |_| Msg::More(c.clone())) }}>
                                { if asking { "loading…".to_string() } else { format!("show {} more ({} not shown)", PAGE.min(n - held), n - held) } }
                            </button>
                        }
                    }
                }
            </article>
        }
    }

    fn item(&self, ctx: &Context<Self>, g: &FindingGroup, k: usize, it: &FindingItem) -> Html {
        let p = ctx.props();
        let key = format!("{}#{k}", g.code);
        let all = self.all_evidence.contains(&key);
        let ev_n = it.evidence.len();
        let zone = p.zone.absolute();
        html! {
            <div class="finding-item">
                <p class="finding-summary">
                    if let Some(t) = it.utc_ms { <span class="when mono">{ format!("{} ", time_fmt::date_time(t, zone)) }</span> }
                    if it.count > 1 { <span class="count-badge">{ format!("× {} ", it.count) }</span> }
                    { it.summary.clone() }
                </p>
                if let Some(sug) = &it.suggestion {
                    { self.suggestion(ctx, sug) }
                }
                <div class="evidence">{ "Evidence: " }
                    { for it.evidence.iter().take(if all { ev_n } else { EVIDENCE }).map(|e| {
                        let pos = e.pos;
                        html! {
                            <button class="link evidence-link" data-pos={pos.to_string()} title={e.name.clone()} onclick={p.on_goto.reform(move |_: MouseEvent| pos)}>{ e.loc.clone() }</button>
                        }
                    }) }
                    if ev_n > EVIDENCE {
                        <button class="link" onclick={ctx.link().callback(move |_| Msg::AllEvidence(key.clone()))}>{ if all { "fewer".to_string() } else { format!("{} more", ev_n - EVIDENCE) } }</button>
                    }
                </div>
                if let Some((fi, title)) = &it.flow {
                    <div class="finding-flow">{ "Flow: " }
                        <button class="link flow-link" data-flow={fi.to_string()} onclick={{ let fi = *fi; p.on_open_flow.reform(move |_: MouseEvent| fi) }}>{ title.clone() }</button>
                    </div>
                }
            </div>
        }
    }

    /// A proposed clock for a file, with a button that applies it (never applied by itself).
    fn suggestion(&self, ctx: &Context<Self>, s: &Suggestion) -> Html {
        let current = ctx.props().files.files.get(s.file_index as usize).map(|f| f.clock.clone()).unwrap_or_default();
        // Keep what the file's clock already has for the parts the suggestion leaves out.
        let date = s.date.or(current.date);
        let off = s.utc_offset_min.or(current.utc_offset_min);
        let label = format!(
            "Apply to {}: {}{}{}",
            s.file,
            s.utc_offset_min.map(|o| format!("zone {} ", crate::time::offset_text(o))).unwrap_or_default(),
            if s.skew_ms != 0 { format!("correction {:+} ms ", s.skew_ms) } else { String::new() },
            s.date.map(|d| format!("date {}", date_text(Some(d)))).unwrap_or_default()
        );
        let apply: ClockApply = (s.file_index, date, off, s.skew_ms);
        html! {
            <button class="btn small apply-clock" onclick={ctx.props().on_apply_clock.reform(move |_: MouseEvent| apply)}>{ label }</button>
        }
    }
}
