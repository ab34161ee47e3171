//! The merged view: one time-ordered, virtualised table over every file, with search, filters,
//! a time histogram (drag to zoom) and a detail pane.

use super::app::{App, Msg, ROW_H};
use super::json_tree;
use serde_json::Value;
use web_sys::HtmlInputElement;
use yew::prelude::*;

pub fn view(app: &App, ctx: &Context<App>) -> Html {
    let link = ctx.link();
    let on_search = link.callback(|e: InputEvent| Msg::SetSearch(e.target_unchecked_into::<HtmlInputElement>().value()));
    let on_id = link.callback(|e: Event| Msg::SetId(e.target_unchecked_into::<HtmlInputElement>().value()));
    let on_id_input = link.callback(|e: InputEvent| Msg::IdDraft(e.target_unchecked_into::<HtmlInputElement>().value()));
    let f = &app.filter;
    html! {
        <div class="timeline">
            <div class="toolbar">
                <input id="search" type="search" placeholder="Search  ( / )" value={app.search.clone()} oninput={on_search} aria-label="search" />
                <button class={classes!("btn", "small", f.regex.then_some("on"))} title="regular expression" id="regex-toggle" onclick={link.callback(|_| Msg::ToggleRegex)}>{ ".*" }</button>
                <button class="btn small" title="previous match (N)" onclick={link.callback(|_| Msg::Find(false))}>{ "↑" }</button>
                <button class="btn small" title="next match (n)" onclick={link.callback(|_| Msg::Find(true))}>{ "↓" }</button>
                <span class="count" id="match-count">{ format!("{} rows", app.total) }{ if app.find_note.is_empty() { String::new() } else { format!(" · {}", app.find_note) } }</span>
                <input id="id-filter" type="search" placeholder="Only records with this ID (agent, task, requestId, sid…)" value={app.id_draft.clone()} oninput={on_id_input} onchange={on_id} aria-label="ID filter" />
                <span class="keys dim">{ "j/k move · / search · n/N next/prev · g/G first/last" }</span>
            </div>
            if let Some(e) = &app.error { <div class="banner error">{ e }</div> }
            { active_filters(app, ctx) }
            { facets(app, ctx) }
            { histogram(app, ctx) }
            <div class="split">
                { table(app, ctx) }
                { detail(app, ctx) }
            </div>
        </div>
    }
}

fn active_filters(app: &App, ctx: &Context<App>) -> Html {
    let f = &app.filter;
    let link = ctx.link();
    let mut chips: Vec<Html> = Vec::new();
    for c in &f.hide_components {
        let c2 = c.clone();
        chips.push(
            html! { <button class="chip off" onclick={link.callback(move |_| Msg::Toggle("component", c2.clone()))}>{ format!("component ≠ {c} ✕") }</button> },
        );
    }
    for c in &f.hide_severities {
        let c2 = c.clone();
        chips.push(
            html! { <button class="chip off" onclick={link.callback(move |_| Msg::Toggle("severity", c2.clone()))}>{ format!("severity ≠ {c} ✕") }</button> },
        );
    }
    for c in &f.hide_names {
        let c2 = c.clone();
        chips.push(html! { <button class="chip off" onclick={link.callback(move |_| Msg::Toggle("name", c2.clone()))}>{ format!("name ≠ {c} ✕") }</button> });
    }
    for &fi in &f.hide_files {
        let name = app.files().get(fi as usize).and_then(|v| v.get("path")).and_then(Value::as_str).unwrap_or("").to_string();
        chips.push(html! { <button class="chip off" onclick={link.callback(move |_| Msg::ToggleFile(fi))}>{ format!("file ≠ {} ✕", crate::query::short_name(&name)) }</button> });
    }
    if !f.id.is_empty() {
        chips.push(html! { <button class="chip on" onclick={link.callback(|_| Msg::SetId(String::new()))}>{ format!("ID = {} ✕", f.id) }</button> });
        let id = f.id.clone();
        chips.push(
            html! { <button class="btn small" id="adhoc-flow" onclick={link.callback(move |_| Msg::AdhocFlow(id.clone()))}>{ "Draw as a flow" }</button> },
        );
    }
    if f.from_ms.is_some() {
        chips.push(html! { <button class="chip on" onclick={link.callback(|_| Msg::Zoom(None))}>{ "time zoom ✕" }</button> });
    }
    if chips.is_empty() {
        return html! {};
    }
    html! { <div class="active-filters" id="active-filters"><span class="dim">{ "Filters: " }</span>{ for chips }</div> }
}

fn facets(app: &App, ctx: &Context<App>) -> Html {
    let link = ctx.link();
    let group = |kind: &'static str, key: &str, hidden: &[String], limit: usize| -> Html {
        let Some(map) = app.summary.get(key).and_then(Value::as_object) else { return html! {} };
        if map.is_empty() {
            return html! {};
        }
        let mut items: Vec<(&String, u64)> = map.iter().map(|(k, v)| (k, v.as_u64().unwrap_or(0))).collect();
        items.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        html! {
            <details class="facet" data-facet={kind}>
                <summary>{ format!("{} ({})", kind, items.len()) }</summary>
                <div class="chips">
                    { for items.iter().take(limit).map(|(k, n)| {
                        let off = hidden.iter().any(|h| h == *k);
                        let k2 = (*k).clone();
                        html! { <button class={classes!("chip", off.then_some("off"))} onclick={link.callback(move |_| Msg::Toggle(kind, k2.clone()))}>{ format!("{k} {n}") }</button> }
                    }) }
                </div>
            </details>
        }
    };
    html! {
        <div class="facets">
            { group("severity", "severities", &app.filter.hide_severities, 30) }
            { group("component", "components", &app.filter.hide_components, 80) }
            { group("name", "names", &app.filter.hide_names, 200) }
        </div>
    }
}

fn histogram(app: &App, ctx: &Context<App>) -> Html {
    let h = &app.histogram;
    let Some(buckets) = h.get("buckets").and_then(Value::as_array) else { return html! {} };
    if buckets.is_empty() {
        return html! {};
    }
    let (Some(t0), Some(t1)) = (h.get("from_ms").and_then(Value::as_i64), h.get("to_ms").and_then(Value::as_i64)) else { return html! {} };
    let max = buckets.iter().filter_map(Value::as_u64).max().unwrap_or(1).max(1) as f64;
    let n = buckets.len() as f64;
    let w = 1000.0 / n;
    let drag_start = use_drag_state();
    let ds = drag_start.clone();
    let onmousedown = Callback::from(move |e: MouseEvent| ds.set(Some(frac(&e))));
    let link = ctx.link().clone();
    let ds = drag_start.clone();
    let onmouseup = Callback::from(move |e: MouseEvent| {
        if let Some(a) = ds.take() {
            let b = frac(&e);
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            if hi - lo > 0.005 {
                let span = (t1 - t0) as f64;
                link.send_message(Msg::Zoom(Some((t0 + (span * lo) as i64, t0 + (span * hi) as i64))));
            }
        }
    });
    html! {
        <div class="histogram" title="drag to zoom into a time range">
            <span class="hlabel">{ crate::time::iso_utc(t0) }</span>
            <svg id="histogram" viewBox="0 0 1000 48" preserveAspectRatio="none" {onmousedown} {onmouseup}>
                { for buckets.iter().enumerate().map(|(i, c)| {
                    let c = c.as_u64().unwrap_or(0) as f64;
                    let hgt = if c > 0.0 { (c / max * 44.0).max(2.0) } else { 0.0 };
                    html! { <rect x={format!("{:.2}", i as f64 * w)} y={format!("{:.2}", 48.0 - hgt)} width={format!("{:.2}", (w - 0.5).max(0.5))} height={format!("{hgt:.2}")} /> }
                }) }
            </svg>
            <span class="hlabel">{ crate::time::iso_utc(t1) }</span>
        </div>
    }
}

thread_local! {
    static DRAG: std::cell::Cell<Option<f64>> = const { std::cell::Cell::new(None) };
}

#[derive(Clone)]
struct DragState;
impl DragState {
    fn set(&self, v: Option<f64>) {
        DRAG.with(|d| d.set(v));
    }
    fn take(&self) -> Option<f64> {
        DRAG.with(|d| d.take())
    }
}
fn use_drag_state() -> DragState {
    DragState
}

fn frac(e: &MouseEvent) -> f64 {
    use wasm_bindgen::JsCast;
    let Some(el) = e.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return 0.0 };
    let r = el.get_bounding_client_rect();
    ((e.client_x() as f64 - r.left()) / r.width().max(1.0)).clamp(0.0, 1.0)
}

fn table(app: &App, ctx: &Context<App>) -> Html {
    let link = ctx.link();
    let onscroll = link.callback(|e: Event| {
        let el: web_sys::Element = e.target_unchecked_into();
        Msg::Scroll(el.scroll_top() as f64, el.client_height() as f64)
    });
    let first = (app.scroll_top / ROW_H) as usize;
    let visible = (app.viewport / ROW_H) as usize + 20;
    let start = first.saturating_sub(10);
    let end = (first + visible).min(app.total);
    let highlight = if app.search.is_empty() {
        None
    } else {
        let p = if app.filter.regex { app.search.clone() } else { regex::escape(&app.search) };
        regex::RegexBuilder::new(&p).case_insensitive(true).size_limit(1 << 20).build().ok()
    };
    html! {
        <div class="table-wrap">
            <div class="thead"><span title="UTC; hover a time for the time as written and its zone">{ "Time (UTC)" }</span><span>{ "Source" }</span><span>{ "Component" }</span><span>{ "Name" }</span><span>{ "Summary" }</span></div>
            <div class="tscroll" id="timeline-scroll" {onscroll} tabindex="0">
                <div class="tspacer" style={format!("height:{}px", app.total as f64 * ROW_H)}>
                    { for (start..end).map(|i| {
                        let top = i as f64 * ROW_H;
                        let sel = app.selected == Some(i);
                        match app.rows.get(&i) {
                            Some(r) => row(r, i, top, sel, highlight.as_ref(), ctx),
                            None => html! { <div key={i} class="trow loading" style={format!("top:{top}px")}>{ "…" }</div> },
                        }
                    }) }
                </div>
                if app.total == 0 {
                    <div class="empty">{ if app.files().is_empty() { "Drop files or load the demo bundle." } else { "No record matches the filters." } }</div>
                }
            </div>
        </div>
    }
}

fn row(r: &Value, i: usize, top: f64, selected: bool, hl: Option<&regex::Regex>, ctx: &Context<App>) -> Html {
    let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let utc = s("utc");
    let time = if utc.is_empty() { s("time") } else { format!("{} {}", utc.get(..10).unwrap_or(""), utc.get(11..23).unwrap_or("")) };
    let title =
        if utc.is_empty() { format!("{} (not placed in UTC: {})", s("time"), s("zone")) } else { format!("{utc} UTC — written {} {}", s("time"), s("zone")) };
    let sev = s("severity").to_ascii_lowercase();
    let onclick = ctx.link().callback(move |_| Msg::Select(i));
    html! {
        <div key={i} class={classes!("trow", selected.then_some("selected"), sev_class(&sev), utc.is_empty().then_some("untimed"))} style={format!("top:{top}px")} {onclick} data-row={i.to_string()}>
            <span class="t" title={title}>{ time }</span>
            <span class="src" title={s("source")}>{ s("source") }</span>
            <span class="comp" title={s("component")}>{ s("component") }</span>
            <span class="name" title={s("name")}>{ highlighted(&s("name"), hl) }</span>
            <span class="sum">{ highlighted(&s("summary"), hl) }</span>
        </div>
    }
}

fn sev_class(sev: &str) -> Option<&'static str> {
    match sev {
        "error" | "err" | "severe" | "fatal" | "3" => Some("sev-error"),
        "warn" | "warning" | "4" => Some("sev-warn"),
        _ => None,
    }
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

fn detail(app: &App, ctx: &Context<App>) -> Html {
    let Some(d) = &app.detail else {
        return html! { <aside class="detail empty-detail"><p class="dim">{ "Click a row to see its decoded fields and raw lines." }</p></aside> };
    };
    if let Some(e) = d.get("error").and_then(Value::as_str) {
        return html! { <aside class="detail"><p>{ e }</p></aside> };
    }
    let s = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let on_pick = ctx.link().callback(Msg::SetId);
    let notes: Vec<String> =
        d.get("notes").and_then(Value::as_array).map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default();
    let context = d.get("context").and_then(Value::as_array).cloned().unwrap_or_default();
    let utc = s("utc");
    html! {
        <aside class="detail" id="detail">
            <h3>{ if s("name").is_empty() { "Record".to_string() } else { s("name") } }</h3>
            <dl class="meta">
                <dt>{ "Time" }</dt><dd>{ if utc.is_empty() { format!("{} — not placed in UTC ({})", s("time"), s("zone")) } else { format!("{utc} UTC · written “{}” {}", s("time"), s("zone")) } }</dd>
                <dt>{ "File" }</dt><dd>{ format!("{} : line {}", s("path"), d.get("line").and_then(Value::as_u64).unwrap_or(0)) }</dd>
                <dt>{ "Format" }</dt><dd>{ s("format") }</dd>
                if !s("component").is_empty() { <dt>{ "Component" }</dt><dd>{ s("component") }</dd> }
                if !s("severity").is_empty() { <dt>{ "Severity" }</dt><dd>{ s("severity") }</dd> }
            </dl>
            if !notes.is_empty() {
                <div class="notes">{ for notes.iter().map(|n| html! { <p class="note">{ format!("⚠ {n}") }</p> }) }</div>
            }
            <h4>{ "Decoded fields" }</h4>
            <div class="fields">
                { match d.get("fields") {
                    Some(Value::Object(m)) if !m.is_empty() => json_tree::tree(&Value::Object(m.clone()), &on_pick),
                    _ => html! { <p class="dim">{ "No decoded fields." }</p> },
                } }
            </div>
            <h4>{ "Raw lines" }</h4>
            if context.is_empty() {
                <pre class="raw">{ s("text") }</pre>
            } else {
                <pre class="raw">
                    { for context.iter().map(|c| {
                        let own = c.get("own").and_then(Value::as_bool).unwrap_or(false);
                        html! { <div class={classes!("ctx", own.then_some("own"))}><span class="ln">{ c.get("n").and_then(Value::as_u64).unwrap_or(0) }</span>{ c.get("text").and_then(Value::as_str).unwrap_or("") }</div> }
                    }) }
                </pre>
            }
        </aside>
    }
}
