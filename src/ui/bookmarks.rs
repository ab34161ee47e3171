//! The case panel: the case's title and summary, every bookmark (records marked with `b` in the
//! timeline, steps marked in a diagram) with its note, and the named filter sets. A click on a
//! bookmark shows its record (or opens its flow at its step); a click on a filter set applies it.
//! Everything here is the page's own state (`annotations::Annotations`): it is written to a session
//! file only when the user saves one, and never stored in the browser.

use super::time_fmt::{self, Zone};
use crate::annotations::Annotations;
use crate::answers::MarkView;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BookmarksProps {
    pub open: bool,
    pub annotations: Rc<Annotations>,
    /// Where each bookmark is (same order as `annotations.bookmarks`; may lag behind by one answer).
    pub marks: Rc<Vec<MarkView>>,
    pub zone: Zone,
    /// What a new filter set would hold, for people ("text \"LOGOUT\"; hide severities debug").
    pub current_filter: String,
    pub on_close: Callback<()>,
    pub on_title: Callback<String>,
    pub on_summary: Callback<String>,
    pub on_note: Callback<(usize, String)>,
    pub on_remove: Callback<usize>,
    /// Show a bookmark's record or step (index into the bookmarks).
    pub on_show: Callback<usize>,
    pub on_save_filter: Callback<String>,
    pub on_apply_filter: Callback<usize>,
    pub on_remove_filter: Callback<usize>,
}

#[function_component(BookmarksPanel)]
pub fn bookmarks_panel(p: &BookmarksProps) -> Html {
    let name = use_state(String::new);
    let a = &p.annotations;
    let save = {
        let name = name.clone();
        let cb = p.on_save_filter.clone();
        Callback::from(move |_: ()| {
            let n = name.trim().to_string();
            if !n.is_empty() {
                cb.emit(n);
                name.set(String::new());
            }
        })
    };
    let on_name_key = {
        let save = save.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                save.emit(());
            }
        })
    };
    html! {
        <aside class="case-panel" id="bookmarks-panel" hidden={!p.open} aria-label="Bookmarks, notes and filter sets">
            <h3>{ "Case" }<button class="btn small close" onclick={p.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button></h3>
            <label class="field">{ "Title" }
                <input id="case-title" type="text" placeholder="e.g. Agent 3107 logged out at 10:14" value={a.title.clone()}
                    oninput={p.on_title.reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value())} />
            </label>
            <label class="field">{ "Summary" }
                <textarea id="case-summary" rows="2" placeholder="What you found, in your words (it heads the report)" value={a.summary.clone()}
                    oninput={p.on_summary.reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value())} />
            </label>
            <h4>{ format!("Bookmarks ({})", a.bookmarks.len()) }</h4>
            if a.bookmarks.is_empty() {
                <p class="dim">{ "Select a row in the timeline and press b, or select a step in a diagram and click ☆ Bookmark (or press b)." }</p>
            }
            <ol class="bm-list" id="bookmark-list">
                { for a.bookmarks.iter().enumerate().map(|(i, b)| {
                    let m = p.marks.get(i).filter(|m| m.bookmark == i);
                    let found = m.is_some_and(|m| m.pos.is_some());
                    let when = m.and_then(|m| m.utc_ms).map(|ms| time_fmt::date_time(ms, p.zone.absolute())).unwrap_or_default();
                    let flow = m.and_then(|m| m.flow.clone()).map(|(_, t)| t).or_else(|| b.flow.as_ref().map(|f| format!("{} {}", f.kind, f.key)));
                    let file_name = b.file.rsplit(['/', '!']).next().unwrap_or(&b.file).to_string();
                    html! {
                        <li class={classes!("bm", (!found).then_some("missing"))} data-bookmark={i.to_string()} data-kind={if b.flow.is_some() { "step" } else { "record" }}>
                            <div class="bm-head">
                                <button class="link bm-show" title={format!("{}:{}", b.file, b.line)} onclick={p.on_show.reform(move |_: MouseEvent| i)} disabled={!found}>
                                    <span class="bm-star">{ if b.flow.is_some() { "◆" } else { "★" } }</span>
                                    <span class="bm-loc">{ format!("{file_name}:{}", b.line) }</span>
                                    if !when.is_empty() { <span class="bm-time">{ when }</span> }
                                </button>
                                <button class="btn small ghost bm-remove" title="remove this bookmark" onclick={p.on_remove.reform(move |_: MouseEvent| i)}>{ "✕" }</button>
                            </div>
                            if let Some(f) = flow { <div class="bm-flow dim">{ format!("step of {f}") }</div> }
                            if let Some(m) = m { if !m.summary.is_empty() { <div class="bm-sum mono">{ m.summary.clone() }</div> } }
                            if !found { <div class="bm-sum dim">{ "not in what is loaded now" }</div> }
                            <textarea class="bm-note" rows="2" placeholder="Note…" aria-label="note" value={b.note.clone()}
                                oninput={p.on_note.reform(move |e: InputEvent| (i, e.target_unchecked_into::<HtmlTextAreaElement>().value()))} />
                        </li>
                    }
                }) }
            </ol>
            <h4>{ format!("Filter sets ({})", a.filters.len()) }</h4>
            <div class="fs-save">
                <input id="filter-name" type="text" placeholder="Name the current filter" value={(*name).clone()}
                    oninput={{ let name = name.clone(); Callback::from(move |e: InputEvent| name.set(e.target_unchecked_into::<HtmlInputElement>().value())) }}
                    onkeydown={on_name_key} />
                <button class="btn small" id="save-filter" onclick={save.reform(|_: MouseEvent| ())} disabled={name.trim().is_empty()}>{ "Save" }</button>
            </div>
            <p class="dim fs-now">{ format!("Now: {}", p.current_filter) }</p>
            <ul class="fs-list" id="filter-sets">
                { for a.filters.iter().enumerate().map(|(i, f)| html! {
                    <li data-filter-set={f.name.clone()}>
                        <button class="link fs-apply" title="apply this filter set" onclick={p.on_apply_filter.reform(move |_: MouseEvent| i)}>{ f.name.clone() }</button>
                        <span class="dim fs-desc">{ f.describe() }</span>
                        <button class="btn small ghost fs-remove" title="remove this filter set" onclick={p.on_remove_filter.reform(move |_: MouseEvent| i)}>{ "✕" }</button>
                    </li>
                }) }
            </ul>
            <p class="dim small-print">{ "Kept in this page only. Save session writes them to a .switchboard file with the inputs; nothing is stored in the browser." }</p>
        </aside>
    }
}
