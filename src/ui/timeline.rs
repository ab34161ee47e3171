//! The merged view: one time-ordered, virtualised table over every file (only the rows in view
//! are fetched and drawn), with search that jumps between matches (`n`/`N`, the context stays;
//! "only matching rows" filters), filters, a time histogram (drag to zoom) and the record's detail
//! in a pane beside it.
//!
//! Keys (when the timeline is shown): `j`/`k` or arrows move the selection, PageUp/PageDown a page,
//! `g`/`G` (Home/End) first/last, `/` focuses search (Enter / Shift+Enter: next / previous match,
//! Esc leaves the box), `n`/`N` next/previous match, Esc closes the detail. The selection is always
//! scrolled into view.

use super::bridge;
use super::detail::RecordPane;
use super::detail_split::DetailSplit;
use super::histogram::HistogramView;
use super::time_fmt::{self, Zone};
use super::vscroll::{measure_viewport, RowCache, Window};
use crate::answers::{Found, Histogram, Row, Rows, Summary};
use crate::query::{Filter, Request};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

pub const ROW_H: f64 = 24.0;
/// Rows fetched beyond the viewport on each side.
const OVERSCAN: usize = 80;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub active: bool,
    pub data_gen: u64,
    pub records: usize,
    pub summary: Rc<Summary>,
    pub filter: Rc<Filter>,
    pub zone: Zone,
    /// A record to select and show (timeline position, request counter).
    pub goto: Option<(usize, u64)>,
    /// The analysis is done (the detail lists the flows a record is in).
    pub flows_ready: bool,
    /// Files are still being read: the rows come once the timeline is sorted, so an empty list
    /// says so rather than "no record matches".
    #[prop_or_default]
    pub loading: bool,
    pub on_filter: Callback<Filter>,
    pub on_zoom: Callback<Option<(i64, i64)>>,
    pub on_open_flow: Callback<usize>,
    pub on_adhoc: Callback<String>,
    /// Bookmarked records: (file index, first line).
    pub marked: Rc<std::collections::HashSet<(u32, u32)>>,
    /// `b` on the selected row: bookmark it (or take its bookmark away).
    pub on_bookmark: Callback<(u32, u32)>,
    /// The search, whether it is a regular expression, and whether only matching rows are shown
    /// (a named filter set keeps them).
    pub on_search: Callback<(String, bool, bool)>,
    /// A search to put in the box (a filter set applied): text, regex, only matching rows, and a
    /// counter so the same one can be applied twice.
    #[prop_or_default]
    pub set_search: Option<(String, bool, bool, u64)>,
}

/// The relative-time column.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Delta {
    Off,
    /// Time since the row above.
    Previous,
    /// Time since the selected row.
    Selected,
}

pub enum Msg {
    Rows(u64, Result<Rows, String>),
    Histogram(u64, Result<Histogram, String>),
    Scroll(f64, f64),
    Measure,
    Select(usize),
    Move(i64),
    Page(i64),
    First,
    Last,
    Search(String),
    ToggleRegex,
    ToggleOnly,
    Find(bool),
    Found(Result<Found, String>),
    Located(usize, Result<Found, String>),
    IdDraft(String),
    ApplyId,
    Facet(&'static str, String),
    CloseDetail,
    Delta(Delta),
    FocusTable,
    Redraw,
    Bookmark,
}

pub struct Timeline {
    rows: RowCache<Row>,
    /// Bumped when what the rows show changes (filter, data): older answers are dropped.
    gen: u64,
    total: usize,
    scroll_top: f64,
    viewport: f64,
    selected: Option<usize>,
    /// Timeline position of the selected row (stays when the filter changes).
    selected_pos: Option<usize>,
    detail_open: bool,
    search: String,
    regex: bool,
    only_matching: bool,
    find_note: String,
    histogram: Option<Histogram>,
    id_draft: String,
    error: Option<String>,
    delta: Delta,
    /// A record asked for by `goto`, waiting for the filter to be cleared.
    pending_goto: Option<usize>,
    scroller: NodeRef,
    active: Rc<Cell<bool>>,
    _keys: Option<gloo::events::EventListener>,
    _resize: Option<gloo::events::EventListener>,
}

impl Timeline {
    /// The filter the rows are fetched with: the page's filter, plus the search when only the
    /// matching rows are shown.
    fn effective(&self, ctx: &Context<Self>) -> Filter {
        let mut f = (*ctx.props().filter).clone();
        if self.only_matching && !self.search.is_empty() {
            f.text = self.search.clone();
            f.regex = self.regex;
        } else {
            f.text.clear();
            f.regex = false;
        }
        f
    }

    fn window(&self) -> Window {
        Window::new(self.total, ROW_H, self.scroll_top, self.viewport)
    }

    /// Fetches everything again (the filter or the data changed); the selected record stays
    /// selected when it is still in the view. A new filter starts at the top; new data (the
    /// analysis finished, a clock changed) keeps the place, and the rows stay scrollable meanwhile.
    fn refresh(&mut self, ctx: &Context<Self>, new_view: bool) {
        self.rows.clear();
        self.gen += 1;
        if new_view {
            self.selected = None;
            self.set_scroll(0.0);
        }
        let f = self.effective(ctx);
        let gen = self.gen;
        let link = ctx.link().clone();
        bridge::ask(Request::Histogram { filter: f.clone(), buckets: 240 }, move |r| link.send_message(Msg::Histogram(gen, r)));
        match self.pending_goto.or(self.selected_pos) {
            Some(pos) => {
                let link = ctx.link().clone();
                bridge::ask(Request::Locate { filter: f, pos }, move |r| link.send_message(Msg::Located(pos, r)));
                self.fetch(ctx);
            }
            None => self.fetch(ctx),
        }
    }

    fn set_scroll(&mut self, top: f64) {
        self.scroll_top = top;
        if let Some(el) = self.scroller.cast::<web_sys::Element>() {
            el.set_scroll_top(top.round() as i32);
        }
    }

    /// Asks for the rows around the viewport that are not here yet.
    fn fetch(&mut self, ctx: &Context<Self>) {
        let Some((start, end)) = self.rows.wanted(&self.window(), OVERSCAN) else { return };
        let gen = self.gen;
        let link = ctx.link().clone();
        bridge::ask(Request::Rows { filter: self.effective(ctx), start, count: end - start }, move |r| link.send_message(Msg::Rows(gen, r)));
    }

    /// Selects row `i` (clamped) and scrolls it into view with a few rows of context.
    fn select(&mut self, ctx: &Context<Self>, i: usize) {
        if self.total == 0 {
            return;
        }
        let i = i.min(self.total - 1);
        self.selected = Some(i);
        self.detail_open = true;
        self.selected_pos = self.rows.get(i).map(|r| r.pos);
        if let Some(top) = self.window().scroll_to_show(i, 3) {
            self.set_scroll(top);
        }
        self.fetch(ctx);
    }

    /// Centers row `i` (a jump from elsewhere: the record with its context around it).
    fn center(&mut self, ctx: &Context<Self>, i: usize) {
        let top = self.window().scroll_for(i as f64 * ROW_H - self.viewport / 2.0 + ROW_H / 2.0);
        self.set_scroll(top);
        self.select(ctx, i);
    }

    fn find(&mut self, ctx: &Context<Self>, forward: bool) {
        if self.search.is_empty() {
            super::focus("search");
            return;
        }
        let from = match self.selected {
            Some(s) if forward => s + 1,
            Some(s) => s.saturating_sub(1),
            None => self.window().first,
        };
        let link = ctx.link().clone();
        bridge::ask(Request::Find { filter: self.effective(ctx), query: self.search.clone(), regex: self.regex, from, forward }, move |r| {
            link.send_message(Msg::Found(r))
        });
    }
}

impl Component for Timeline {
    type Message = Msg;
    type Properties = TimelineProps;

    fn create(ctx: &Context<Self>) -> Self {
        let active = Rc::new(Cell::new(ctx.props().active));
        let keys = {
            let link = ctx.link().clone();
            let active = active.clone();
            super::on_keydown(move |e| {
                if !active.get() || e.ctrl_key() || e.meta_key() || e.alt_key() {
                    return;
                }
                let key = e.key();
                if super::typing_in_field(e) {
                    let id = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|el| el.id()).unwrap_or_default();
                    match (id.as_str(), key.as_str()) {
                        ("search", "Escape") => {
                            e.prevent_default();
                            link.send_message(Msg::FocusTable);
                        }
                        ("search", "Enter") => {
                            e.prevent_default();
                            link.send_message(Msg::Find(!e.shift_key()));
                        }
                        (_, "Escape") => link.send_message(Msg::FocusTable),
                        _ => {}
                    }
                    return;
                }
                let msg = match key.as_str() {
                    "/" => {
                        e.prevent_default();
                        super::focus("search");
                        return;
                    }
                    "j" | "ArrowDown" => Msg::Move(1),
                    "k" | "ArrowUp" => Msg::Move(-1),
                    "PageDown" => Msg::Page(1),
                    "PageUp" => Msg::Page(-1),
                    "g" | "Home" => Msg::First,
                    "G" | "End" => Msg::Last,
                    "n" => Msg::Find(true),
                    "N" => Msg::Find(false),
                    "b" => Msg::Bookmark,
                    "Escape" => Msg::CloseDetail,
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
        let mut t = Timeline {
            rows: RowCache::default(),
            gen: 0,
            total: 0,
            scroll_top: 0.0,
            viewport: 600.0,
            selected: None,
            selected_pos: None,
            detail_open: false,
            search: String::new(),
            regex: false,
            only_matching: false,
            find_note: String::new(),
            histogram: None,
            id_draft: ctx.props().filter.id.clone(),
            error: None,
            delta: Delta::Off,
            pending_goto: None,
            scroller: NodeRef::default(),
            active,
            _keys: keys,
            _resize: resize,
        };
        if ctx.props().records > 0 {
            t.refresh(ctx, true);
        }
        t
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        let p = ctx.props();
        self.active.set(p.active);
        if p.filter.id != old.filter.id {
            self.id_draft = p.filter.id.clone();
        }
        let searched = p.set_search != old.set_search && p.set_search.is_some();
        if let Some((text, regex, only, _)) = p.set_search.clone().filter(|_| searched) {
            self.search = text;
            self.regex = regex;
            self.only_matching = only;
            self.find_note.clear();
        }
        if p.data_gen != old.data_gen || p.filter != old.filter || searched {
            let new_view = p.filter != old.filter || p.records != old.records || searched;
            if p.data_gen != old.data_gen && p.records != old.records {
                self.selected_pos = None;
            }
            self.refresh(ctx, new_view);
        }
        if p.goto != old.goto {
            if let Some((pos, _)) = p.goto {
                let link = ctx.link().clone();
                bridge::ask(Request::Locate { filter: self.effective(ctx), pos }, move |r| link.send_message(Msg::Located(pos, r)));
            }
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Rows(gen, r) => {
                if gen != self.gen {
                    return false;
                }
                match r {
                    Ok(rows) => {
                        self.error = None;
                        self.total = rows.total;
                        // The cache stays bounded around the viewport.
                        let view = self.window();
                        self.rows.fill(rows.start, rows.rows, rows.total, &view, 6000);
                        if let Some(s) = self.selected {
                            if let Some(row) = self.rows.get(s) {
                                self.selected_pos = Some(row.pos);
                            }
                        }
                        self.fetch(ctx);
                    }
                    Err(e) => {
                        self.rows.failed();
                        self.error = Some(e);
                        self.total = 0;
                    }
                }
                true
            }
            Msg::Histogram(gen, r) => {
                if gen != self.gen {
                    return false;
                }
                self.histogram = r.ok();
                true
            }
            Msg::Scroll(top, height) => {
                self.scroll_top = top;
                if height > 0.0 {
                    self.viewport = height;
                }
                self.fetch(ctx);
                true
            }
            Msg::Measure => {
                let changed = measure_viewport(&self.scroller, &mut self.viewport);
                if changed {
                    self.fetch(ctx);
                }
                changed
            }
            Msg::Select(i) => {
                self.select(ctx, i);
                true
            }
            Msg::Move(d) => {
                let next = match self.selected {
                    Some(s) => (s as i64 + d).max(0) as usize,
                    None => self.window().first,
                };
                self.select(ctx, next);
                true
            }
            Msg::Page(d) => {
                let page = self.window().page().saturating_sub(1).max(1) as i64;
                let cur = self.selected.unwrap_or(self.window().first) as i64;
                self.select(ctx, (cur + d * page).max(0) as usize);
                true
            }
            Msg::First => {
                self.select(ctx, 0);
                true
            }
            Msg::Last => {
                self.select(ctx, self.total.saturating_sub(1));
                true
            }
            Msg::Search(s) => {
                self.search = s;
                ctx.props().on_search.emit((self.search.clone(), self.regex, self.only_matching));
                self.find_note.clear();
                if self.only_matching {
                    self.refresh(ctx, true);
                }
                true
            }
            Msg::ToggleRegex => {
                self.regex = !self.regex;
                ctx.props().on_search.emit((self.search.clone(), self.regex, self.only_matching));
                if self.only_matching && !self.search.is_empty() {
                    self.refresh(ctx, true);
                }
                true
            }
            Msg::ToggleOnly => {
                self.only_matching = !self.only_matching;
                ctx.props().on_search.emit((self.search.clone(), self.regex, self.only_matching));
                self.refresh(ctx, true);
                true
            }
            Msg::Find(forward) => {
                self.find(ctx, forward);
                false
            }
            Msg::Found(r) => {
                match r {
                    Ok(Found { index: Some(i), wrapped, nth, matches }) => {
                        self.find_note = format!("match {nth} of {matches}{}", if wrapped { " (wrapped)" } else { "" });
                        self.center_if_hidden(ctx, i);
                    }
                    Ok(_) => self.find_note = "no match".into(),
                    Err(e) => self.find_note = e,
                }
                true
            }
            Msg::Located(pos, r) => {
                match r {
                    Ok(Found { index: Some(i), .. }) => {
                        let from_goto = self.pending_goto.take().is_some() || ctx.props().goto.is_some_and(|g| g.0 == pos);
                        self.selected_pos = Some(pos);
                        if from_goto {
                            self.center(ctx, i);
                        } else {
                            self.select(ctx, i);
                        }
                    }
                    Ok(_) if ctx.props().goto.is_some_and(|g| g.0 == pos) && self.pending_goto.is_none() => {
                        // Not in the filtered view: clear the filters so the record is there.
                        self.pending_goto = Some(pos);
                        self.only_matching = false;
                        ctx.props().on_filter.emit(Filter::default());
                        if *ctx.props().filter == Filter::default() {
                            self.refresh(ctx, true);
                        }
                    }
                    _ => {
                        self.pending_goto = None;
                        self.selected_pos = None;
                        self.detail_open = false;
                    }
                }
                true
            }
            Msg::IdDraft(d) => {
                self.id_draft = d;
                false
            }
            Msg::ApplyId => {
                let mut f = (*ctx.props().filter).clone();
                f.id = self.id_draft.trim().to_string();
                if f != *ctx.props().filter {
                    ctx.props().on_filter.emit(f);
                }
                false
            }
            Msg::Facet(kind, value) => {
                let mut f = (*ctx.props().filter).clone();
                let list = match kind {
                    "component" => &mut f.hide_components,
                    "severity" => &mut f.hide_severities,
                    _ => &mut f.hide_names,
                };
                match list.iter().position(|v| *v == value) {
                    Some(i) => {
                        list.remove(i);
                    }
                    None => list.push(value),
                }
                ctx.props().on_filter.emit(f);
                false
            }
            Msg::CloseDetail => {
                self.detail_open = false;
                true
            }
            Msg::Delta(d) => {
                self.delta = d;
                true
            }
            Msg::Redraw => true,
            Msg::Bookmark => {
                if let Some(r) = self.selected.and_then(|i| self.rows.get(i)) {
                    ctx.props().on_bookmark.emit((r.file, r.line));
                }
                false
            }
            Msg::FocusTable => {
                if let Some(el) = self.scroller.cast::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
                false
            }
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first: bool) {
        // The table's height changed (window, panes, tab shown): draw and fetch for it.
        if ctx.props().active && measure_viewport(&self.scroller, &mut self.viewport) {
            self.fetch(ctx);
            ctx.link().send_message(Msg::Redraw);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let link = ctx.link();
        let f = &p.filter;
        let w = self.window();
        let highlight = if self.search.is_empty() {
            None
        } else {
            let pat = if self.regex { self.search.clone() } else { regex::escape(&self.search) };
            regex::RegexBuilder::new(&pat).case_insensitive(true).size_limit(1 << 20).build().ok()
        };
        let onscroll = link.callback(|e: Event| {
            let el: web_sys::Element = e.target_unchecked_into();
            Msg::Scroll(el.scroll_top() as f64, el.client_height() as f64)
        });
        let first = w.first.saturating_sub(4);
        let last = (w.last + 4).min(self.total);
        let selected_utc = self.selected.and_then(|s| self.rows.get(s)).and_then(|r| r.utc_ms);
        let show_detail = self.detail_open && self.selected_pos.is_some();
        let delta_on = self.delta != Delta::Off;
        html! {
            <div class={classes!("timeline", delta_on.then_some("with-delta"))}>
                <div class="toolbar">
                    <input id="search" type="search" placeholder="Search ( / )   Enter: next match" value={self.search.clone()} aria-label="search"
                        oninput={link.callback(|e: InputEvent| Msg::Search(e.target_unchecked_into::<HtmlInputElement>().value()))} />
                    <button class={classes!("btn", "small", self.regex.then_some("on"))} title="regular expression" id="regex-toggle" onclick={link.callback(|_| Msg::ToggleRegex)}>{ ".*" }</button>
                    <button class="btn small" id="find-prev" title="previous match (N)" onclick={link.callback(|_| Msg::Find(false))}>{ "↑" }</button>
                    <button class="btn small" id="find-next" title="next match (n)" onclick={link.callback(|_| Msg::Find(true))}>{ "↓" }</button>
                    <label class="check" title="show only the rows that match the search">
                        <input type="checkbox" id="only-matching" checked={self.only_matching} onchange={link.callback(|_| Msg::ToggleOnly)} />{ "only matching rows" }
                    </label>
                    <span class="count" id="match-count">{ format!("{} rows", self.total) }{ if self.find_note.is_empty() { String::new() } else { format!(" · {}", self.find_note) } }</span>
                    <input id="id-filter" type="search" placeholder="Only records with this ID (agent, task, requestId, sid…)" value={self.id_draft.clone()} aria-label="ID filter"
                        oninput={link.callback(|e: InputEvent| Msg::IdDraft(e.target_unchecked_into::<HtmlInputElement>().value()))}
                        onchange={link.callback(|_: Event| Msg::ApplyId)} />
                    <label class="delta-pick" title="a column with the time between rows">{ "Δ " }
                        <select id="delta-mode" onchange={link.callback(|e: Event| Msg::Delta(match e.target_unchecked_into::<web_sys::HtmlSelectElement>().value().as_str() {
                            "previous" => Delta::Previous, "selected" => Delta::Selected, _ => Delta::Off }))}>
                            <option value="off" selected={self.delta == Delta::Off}>{ "off" }</option>
                            <option value="previous" selected={self.delta == Delta::Previous}>{ "since the row above" }</option>
                            <option value="selected" selected={self.delta == Delta::Selected}>{ "since the selected row" }</option>
                        </select>
                    </label>
                </div>
                if let Some(e) = &self.error { <div class="banner error">{ e.clone() }</div> }
                { self.view_filters(ctx) }
                <HistogramView hist={self.histogram.clone()} zoomed={f.from_ms.is_some()} zone={p.zone} on_zoom={p.on_zoom.clone()} />
                <DetailSplit splitter_id="detail-splitter" first_w={first_detail_w()} min_w=260.0 max_w=900.0 list={html! {
                    <div class="table-wrap">
                        <div class="thead">
                            <span title="hover a time for the time as written and where its zone comes from">{ p.zone.heading() }</span>
                            if delta_on { <span class="d">{ "Δ" }</span> }
                            <span>{ "Source" }</span><span class="comp">{ "Component" }</span><span>{ "Name" }</span><span>{ "Summary" }</span>
                        </div>
                        <div class="tscroll" id="timeline-scroll" ref={self.scroller.clone()} {onscroll} tabindex="0">
                            <div class="tspacer" style={format!("height:{}px", w.spacer)}>
                                { for (first..last).map(|i| {
                                    let top = w.top(i);
                                    match self.rows.get(i) {
                                        Some(r) => {
                                            let delta = match self.delta {
                                                Delta::Off => None,
                                                Delta::Previous => Some(r.utc_ms.zip(i.checked_sub(1).and_then(|k| self.rows.get(k)).and_then(|q| q.utc_ms)).map(|(a, b)| a - b)),
                                                Delta::Selected => Some(r.utc_ms.zip(selected_utc).map(|(a, b)| a - b)),
                                            };
                                            row(r, i, top, self.selected == Some(i), p.marked.contains(&(r.file, r.line)), highlight.as_ref(), p.zone, delta, link)
                                        }
                                        None => html! { <div key={i} class="trow loading" style={format!("top:{top}px")}>{ "…" }</div> },
                                    }
                                }) }
                            </div>
                            if self.total == 0 && !self.rows.asking() {
                                <div class="empty" id="timeline-empty">{ empty_list_text(p.loading, p.records) }</div>
                            }
                        </div>
                    </div>
                }} detail={show_detail.then(|| html! {
                        <RecordPane pos={self.selected_pos} data_gen={p.data_gen} zone={p.zone} flows_ready={p.flows_ready}
                            on_pick_id={p.on_filter.reform({ let f = (**f).clone(); move |id: String| Filter { id, ..f.clone() } })}
                            on_open_flow={p.on_open_flow.clone()} on_close={link.callback(|_| Msg::CloseDetail)}>
                            if let Some(r) = self.selected.and_then(|i| self.rows.get(i)) {
                                <div class="step-actions">
                                    <button class={classes!("btn", "small", p.marked.contains(&(r.file, r.line)).then_some("on"))} id="bookmark-record"
                                        title="bookmark this record (b); notes go in the Bookmarks panel" onclick={link.callback(|_| Msg::Bookmark)}>
                                        { if p.marked.contains(&(r.file, r.line)) { "★ Bookmarked" } else { "☆ Bookmark" } }
                                    </button>
                                </div>
                            }
                        </RecordPane>
                })} />
            </div>
        }
    }
}

/// The detail pane's first width: narrower on a small screen.
fn first_detail_w() -> f64 {
    let w = web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).unwrap_or(1440.0);
    if w < 1200.0 {
        340.0
    } else {
        420.0
    }
}

impl Timeline {
    /// A search match: selected, and centered when it was out of view (context above and below).
    fn center_if_hidden(&mut self, ctx: &Context<Self>, i: usize) {
        if self.window().shows(i) {
            self.select(ctx, i);
        } else {
            self.center(ctx, i);
        }
    }

    fn view_filters(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let f = &p.filter;
        let link = ctx.link();
        let mut chips: Vec<Html> = Vec::new();
        let facet_chip = |kind: &'static str, label: &str, value: &str| {
            let v = value.to_string();
            html! { <button class="chip off" onclick={link.callback(move |_| Msg::Facet(kind, v.clone()))}>{ format!("{label} ≠ {value} ✕") }</button> }
        };
        for c in &f.hide_severities {
            chips.push(facet_chip("severity", "severity", c));
        }
        for c in &f.hide_components {
            chips.push(facet_chip("component", "component", c));
        }
        for c in &f.hide_names {
            chips.push(facet_chip("name", "name", c));
        }
        for &fi in &f.hide_files {
            let name = p.summary.files.get(fi as usize).map(|r| r.display.clone()).unwrap_or_default();
            let mut nf = (**f).clone();
            nf.hide_files.retain(|x| *x != fi);
            chips.push(html! { <button class="chip off" onclick={p.on_filter.reform(move |_| nf.clone())}>{ format!("file ≠ {name} ✕") }</button> });
        }
        if !f.id.is_empty() {
            let mut nf = (**f).clone();
            nf.id.clear();
            chips.push(html! { <button class="chip on" onclick={p.on_filter.reform(move |_| nf.clone())}>{ format!("ID = {} ✕", f.id) }</button> });
            let id = f.id.clone();
            chips.push(html! { <button class="btn small" id="adhoc-flow" onclick={p.on_adhoc.reform(move |_| id.clone())} title="every record this filter lists, as a sequence diagram">{ "Draw as a flow" }</button> });
        }
        if f.unread_only {
            let mut nf = (**f).clone();
            nf.unread_only = false;
            chips.push(html! { <button class="chip on" id="unread-chip" onclick={p.on_filter.reform(move |_| nf.clone())} title="records no log family read (the generic layer's)">{ "unread lines only ✕" }</button> });
        }
        if f.from_ms.is_some() {
            chips.push(html! { <button class="chip on" id="zoom-chip" onclick={p.on_zoom.reform(|_| None)}>{ "time zoom ✕" }</button> });
        }
        let group = |kind: &'static str, title: &str, map: &BTreeMap<String, usize>, hidden: &[String], limit: usize| -> Html {
            if map.is_empty() {
                return html! {};
            }
            let mut items: Vec<(&String, &usize)> = map.iter().collect();
            if kind != "severity" {
                items.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            } else {
                let rank = |s: &str| ["error", "warning", "info", "debug", "trace"].iter().position(|x| *x == s).unwrap_or(9);
                items.sort_by_key(|(k, _)| rank(k));
            }
            html! {
                <details class="facet" data-facet={kind}>
                    <summary>{ format!("{title} ({})", items.len()) }</summary>
                    <div class="chips">
                        { for items.iter().take(limit).map(|(k, n)| {
                            let off = hidden.iter().any(|h| h == *k);
                            let k2 = (*k).clone();
                            html! { <button class={classes!("chip", off.then_some("off"))} data-value={k2.clone()} onclick={link.callback(move |_| Msg::Facet(kind, k2.clone()))}>{ format!("{k} {n}") }</button> }
                        }) }
                    </div>
                </details>
            }
        };
        let s = &p.summary;
        html! {
            <div class="filters">
                { group("severity", "Severity", &s.severities, &f.hide_severities, 10) }
                { group("component", "Component", &s.components, &f.hide_components, 120) }
                { group("name", "Name", &s.names, &f.hide_names, 300) }
                if !chips.is_empty() {
                    <div class="active-filters" id="active-filters"><span class="dim">{ "Filters: " }</span>{ for chips }</div>
                }
                <span class="keys dim">{ "j/k move · PgUp/PgDn · g/G first/last · / search · n/N next/prev match · b bookmark · Esc" }</span>
            </div>
        }
    }
}

/// What an empty list says: nothing loaded, files still being read (their records are counted
/// but not yet in time order), or a filter that matches nothing.
fn empty_list_text(loading: bool, records: usize) -> String {
    match (loading, records) {
        (true, 0) => "Reading the files…".to_string(),
        (true, n) => format!("Reading the files… {n} records so far; the rows appear when every file is read and the timeline is sorted."),
        (false, 0) => "Drop files or load the demo bundle.".to_string(),
        (false, _) => "No record matches the filters.".to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn row(
    r: &Row,
    i: usize,
    top: f64,
    selected: bool,
    marked: bool,
    hl: Option<&regex::Regex>,
    zone: Zone,
    delta: Option<Option<i64>>,
    link: &html::Scope<Timeline>,
) -> Html {
    let time = time_fmt::row_time(r.utc_ms, &r.time, zone);
    let title = match r.utc_ms {
        Some(ms) => format!("{} UTC · written “{}” · {}", time_fmt::date_time(ms, Zone::Utc), r.time, r.zone),
        None => format!("written “{}” · {}", r.time, r.zone),
    };
    let onclick = link.callback(move |_| Msg::Select(i));
    let sev = match r.severity.as_str() {
        "error" => Some("sev-error"),
        "warning" => Some("sev-warn"),
        _ => None,
    };
    html! {
        <div key={i} class={classes!("trow", selected.then_some("selected"), marked.then_some("marked"), sev, r.utc_ms.is_none().then_some("untimed"))} style={format!("top:{top}px")} {onclick}
            data-row={i.to_string()} data-pos={r.pos.to_string()} data-bookmarked={marked.then_some("true")}>
            <span class="t" title={title}>{ if time.is_empty() { "no time".to_string() } else { time } }</span>
            if let Some(d) = delta { <span class="d">{ d.map(time_fmt::duration).unwrap_or_default() }</span> }
            <span class="src" title={r.source.clone()}>{ middle(&r.source, 30) }</span>
            <span class="comp" title={r.component.clone()}>{ r.component.clone() }</span>
            <span class="name" title={if r.severity_raw.is_empty() { r.name.clone() } else { format!("{} · severity {}", r.name, r.severity_raw) }}>{ highlighted(&r.name, hl) }</span>
            <span class="sum">{ highlighted(&r.summary, hl) }</span>
        </div>
    }
}

/// A path shortened in its middle ("day-2026-03-12/…/openfire/info.log"), so the start and the file
/// name that tell files apart both stay in a narrow column.
pub fn middle(path: &str, max: usize) -> String {
    if path.chars().count() <= max {
        return path.to_string();
    }
    let parts: Vec<&str> = path.split('/').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else { return path.to_string() };
    if parts.len() < 3 {
        return path.to_string();
    }
    // The first folder and as many of the last parts as fit.
    let mut tail: Vec<&str> = vec![last];
    for p in parts.iter().rev().skip(1).take(parts.len() - 2) {
        let len = first.len() + 3 + tail.iter().map(|t| t.len() + 1).sum::<usize>() + p.len();
        if len > max {
            break;
        }
        tail.insert(0, p);
    }
    format!("{first}/…/{}", tail.join("/"))
}

/// Text with search matches wrapped in <mark> — as text nodes, never as HTML.
pub fn highlighted(text: &str, hl: Option<&regex::Regex>) -> Html {
    let Some(re) = hl else { return html! { { text } } };
    let mut parts = Vec::new();
    let mut last = 0;
    for m in re.find_iter(text).take(50) {
        if m.start() == m.end() {
            continue;
        }
        parts.push(html! { { text.get(last..m.start()).unwrap_or("") } });
        parts.push(html! { <mark>{ m.as_str() }</mark> });
        last = m.end();
    }
    parts.push(html! { { text.get(last..).unwrap_or("") } });
    html! { <>{ for parts }</> }
}
