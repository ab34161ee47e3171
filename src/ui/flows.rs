//! Flows: the list of flows found, and one flow as an interactive sequence diagram (SVG): a
//! lifeline per participant, an arrow per message, long gaps drawn as breaks, repeated keep-alives
//! collapsed, click to pin a message's payload and raw lines, export as SVG or PNG.

use super::app::{App, Msg};
use super::json_tree;
use serde_json::Value;
use std::collections::BTreeSet;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeMode {
    #[default]
    Absolute,
    Relative,
    Delta,
}

#[derive(Default)]
pub struct FlowView {
    pub mode: TimeMode,
    /// Collapsed runs the user expanded (by the index of their first step).
    pub expanded: BTreeSet<usize>,
    pub selected: Option<usize>,
    pub hover: Option<usize>,
    pub hidden_lanes: BTreeSet<String>,
    pub search: String,
    pub zoom: f64,
    pub scroll_top: f64,
}

pub enum FlowMsg {
    Mode(TimeMode),
    Toggle(usize),
    Select(usize),
    Hover(Option<usize>),
    Lane(String),
    Search(String),
    Zoom(f64),
    Scroll(f64),
    Step(i64),
    CollapseAll,
}

impl FlowView {
    pub fn update(&mut self, m: FlowMsg) {
        match m {
            FlowMsg::Mode(t) => self.mode = t,
            FlowMsg::Toggle(i) => {
                if !self.expanded.remove(&i) {
                    self.expanded.insert(i);
                }
            }
            FlowMsg::Select(i) => self.selected = Some(i),
            FlowMsg::Hover(h) => self.hover = h,
            FlowMsg::Lane(l) => {
                if !self.hidden_lanes.remove(&l) {
                    self.hidden_lanes.insert(l);
                }
            }
            FlowMsg::Search(s) => self.search = s,
            FlowMsg::Zoom(z) => self.zoom = z.clamp(0.5, 2.5),
            FlowMsg::Scroll(t) => self.scroll_top = t,
            FlowMsg::CollapseAll => self.expanded.clear(),
            FlowMsg::Step(d) => {
                let cur = self.selected.map(|s| s as i64).unwrap_or(-1);
                self.selected = Some((cur + d).max(0) as usize);
            }
        }
    }
}

/// What one row of the diagram shows.
enum Item {
    Step(usize),
    /// A run of identical messages, collapsed: first step index, count.
    Run(usize, usize),
    /// A long silence between two messages, in ms.
    Gap(i64),
}

const GAP_MS: i64 = 10_000;
const ROW: f64 = 34.0;
const LANE: f64 = 170.0;
const TOP: f64 = 64.0;

fn step_key(s: &Value) -> (String, String, String) {
    let g = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    (g("from"), g("to"), g("label"))
}

fn items(steps: &[Value], view: &FlowView) -> Vec<Item> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut last_ms: Option<i64> = None;
    while i < steps.len() {
        let key = step_key(&steps[i]);
        let mut j = i + 1;
        while j < steps.len() && step_key(&steps[j]) == key {
            j += 1;
        }
        let ms = steps[i].get("utc_ms").and_then(Value::as_i64);
        if let (Some(a), Some(b)) = (last_ms, ms) {
            if b - a > GAP_MS {
                out.push(Item::Gap(b - a));
            }
        }
        if j - i >= 3 && !view.expanded.contains(&i) {
            out.push(Item::Run(i, j - i));
            last_ms = steps[j - 1].get("utc_ms").and_then(Value::as_i64).or(last_ms);
            i = j;
            continue;
        }
        for k in i..j {
            if k > i {
                if let (Some(a), Some(b)) = (last_ms, steps[k].get("utc_ms").and_then(Value::as_i64)) {
                    if b - a > GAP_MS {
                        out.push(Item::Gap(b - a));
                    }
                }
            }
            out.push(Item::Step(k));
            last_ms = steps[k].get("utc_ms").and_then(Value::as_i64).or(last_ms);
        }
        i = j;
    }
    out
}

pub fn duration_text(ms: i64) -> String {
    let s = ms as f64 / 1000.0;
    if s < 1.0 {
        format!("{ms} ms")
    } else if s < 120.0 {
        format!("{s:.1} s")
    } else if s < 7200.0 {
        format!("{:.0} min {:.0} s", (s / 60.0).floor(), s % 60.0)
    } else {
        format!("{:.1} h", s / 3600.0)
    }
}

pub fn view(app: &App, ctx: &Context<App>) -> Html {
    let link = ctx.link();
    let flows = app.flows.as_array().cloned().unwrap_or_default();
    html! {
        <div class="flows">
            <aside class="flow-list" id="flow-list">
                <h3>{ "Flows" }</h3>
                if flows.is_empty() { <p class="dim">{ "No flow found in what is loaded." }</p> }
                { for flows.iter().map(|f| {
                    let i = f.get("index").and_then(Value::as_u64).unwrap_or(0) as usize;
                    let active = app.flow_index == Some(i);
                    html! {
                        <button class={classes!("flow-item", active.then_some("active"))} data-flow-kind={f.get("kind").and_then(Value::as_str).unwrap_or("").to_string()} onclick={link.callback(move |_| Msg::OpenFlow(i))}>
                            <span class="kind">{ f.get("kind").and_then(Value::as_str).unwrap_or("") }</span>
                            <span class="key">{ f.get("key").and_then(Value::as_str).unwrap_or("") }</span>
                            <span class="dim">{ format!("{} steps · {} participants", f.get("steps").and_then(Value::as_u64).unwrap_or(0), f.get("participants").and_then(Value::as_array).map(|a| a.len()).unwrap_or(0)) }</span>
                        </button>
                    }
                }) }
            </aside>
            <section class="flow-main">
                { match &app.flow {
                    Some(f) if f.get("error").is_none() => diagram(app, ctx, f),
                    _ => html! { <p class="dim pad">{ "Pick a flow to draw its sequence diagram." }</p> },
                } }
            </section>
        </div>
    }
}

fn diagram(app: &App, ctx: &Context<App>, flow: &Value) -> Html {
    let v = &app.flow_view;
    let link = ctx.link();
    let fm = move |m: FlowMsg| Msg::FlowMsg(m);
    let all_lanes: Vec<String> =
        flow.get("participants").and_then(Value::as_array).map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default();
    let lanes: Vec<String> = all_lanes.iter().filter(|l| !v.hidden_lanes.contains(*l)).cloned().collect();
    let steps = flow.get("steps").and_then(Value::as_array).cloned().unwrap_or_default();
    let steps: Vec<Value> = steps
        .into_iter()
        .filter(|s| {
            let f = s.get("from").and_then(Value::as_str).unwrap_or("");
            let t = s.get("to").and_then(Value::as_str).unwrap_or("");
            !v.hidden_lanes.contains(f) && !v.hidden_lanes.contains(t)
        })
        .collect();
    let items = items(&steps, v);
    let zoom = if v.zoom == 0.0 { 1.0 } else { v.zoom };
    let width = 150.0 + lanes.len().max(1) as f64 * LANE;
    let height = TOP + items.len() as f64 * ROW + 30.0;
    let x_of = |name: &str| lanes.iter().position(|l| l == name).map(|i| 150.0 + LANE * i as f64 + LANE / 2.0);
    let t0 = steps.iter().find_map(|s| s.get("utc_ms").and_then(Value::as_i64));
    let search = v.search.to_ascii_lowercase();
    // Request/response pairs: steps that share an InvokeID, requestId or rid with the hovered one.
    let pair_ids: Vec<String> = v
        .hover
        .and_then(|h| steps.get(h))
        .and_then(|s| s.get("fields"))
        .map(|f| ["InvokeID", "requestId", "rid", "request_identifier", "nocache", "TaskID"].iter().filter_map(|k| f.get(*k).map(|x| x.to_string())).collect())
        .unwrap_or_default();
    let is_pair = |s: &Value| -> bool {
        !pair_ids.is_empty()
            && s.get("fields").is_some_and(|f| {
                ["InvokeID", "requestId", "rid", "request_identifier", "nocache", "TaskID"]
                    .iter()
                    .any(|k| f.get(*k).is_some_and(|x| pair_ids.contains(&x.to_string())))
            })
    };
    // Only rows near the viewport are drawn, so 10 000 arrows stay interactive.
    let first = ((v.scroll_top / zoom - TOP) / ROW).floor().max(0.0) as usize;
    let last = first + 80;
    let mut prev_ms: Option<i64> = None;
    let time_label = |s: &Value, prev: Option<i64>| -> String {
        let ms = s.get("utc_ms").and_then(Value::as_i64);
        match (v.mode, ms) {
            (TimeMode::Absolute, Some(m)) => crate::time::iso_utc(m).get(11..23).unwrap_or("").to_string(),
            (TimeMode::Relative, Some(m)) => format!("+{}", duration_text(m - t0.unwrap_or(m))),
            (TimeMode::Delta, Some(m)) => format!("Δ {}", duration_text(m - prev.unwrap_or(m))),
            (_, None) => s.get("time").and_then(Value::as_str).unwrap_or("—").to_string(),
        }
    };
    let mut rows: Vec<Html> = Vec::new();
    for (k, it) in items.iter().enumerate() {
        let y = TOP + k as f64 * ROW + ROW / 2.0;
        let visible = k >= first && k <= last;
        match it {
            Item::Gap(ms) => {
                if visible {
                    rows.push(html! {
                        <g class="gap" key={format!("i{k}")}>
                            <line x1="0" x2={width.to_string()} y1={y.to_string()} y2={y.to_string()} />
                            <text x={(width / 2.0).to_string()} y={(y + 4.0).to_string()} text-anchor="middle">{ format!("⋯ {} later ⋯", duration_text(*ms)) }</text>
                        </g>
                    });
                }
            }
            Item::Run(first_step, n) => {
                let s = &steps[*first_step];
                if visible {
                    let (f, t) = (s.get("from").and_then(Value::as_str).unwrap_or(""), s.get("to").and_then(Value::as_str).unwrap_or(""));
                    let (x1, x2) = (x_of(f).unwrap_or(150.0), x_of(t).unwrap_or(150.0));
                    let fs = *first_step;
                    rows.push(html! {
                        <g class="run" key={format!("i{k}")} onclick={link.callback(move |_| fm(FlowMsg::Toggle(fs)))} data-run={n.to_string()}>
                            <rect class="hit" x="0" y={(y - ROW / 2.0).to_string()} width={width.to_string()} height={ROW.to_string()} />
                            <line class="arrow dashed" x1={x1.to_string()} x2={x2.to_string()} y1={y.to_string()} y2={y.to_string()} marker-end="url(#arrowhead)" />
                            <text class="label" x={((x1 + x2) / 2.0).to_string()} y={(y - 6.0).to_string()} text-anchor="middle">{ format!("× {n} {} (click to expand)", s.get("label").and_then(Value::as_str).unwrap_or("")) }</text>
                            <text class="time" x="8" y={(y + 4.0).to_string()}>{ time_label(s, prev_ms) }</text>
                        </g>
                    });
                }
                prev_ms = steps.get(first_step + n - 1).and_then(|s| s.get("utc_ms")).and_then(Value::as_i64).or(prev_ms);
            }
            Item::Step(i) => {
                let s = &steps[*i];
                if visible {
                    let label = s.get("label").and_then(Value::as_str).unwrap_or("").to_string();
                    let (f, t) = (s.get("from").and_then(Value::as_str).unwrap_or(""), s.get("to").and_then(Value::as_str).unwrap_or(""));
                    let (x1, x2) = (x_of(f).unwrap_or(150.0), x_of(t).unwrap_or(150.0));
                    let idx = *i;
                    let selected = v.selected == Some(idx);
                    let matched = !search.is_empty() && label.to_ascii_lowercase().contains(&search);
                    let paired = v.hover != Some(idx) && is_pair(s);
                    let class = classes!("step", selected.then_some("selected"), matched.then_some("match"), paired.then_some("pair"));
                    let arrow = if (x1 - x2).abs() < 1.0 {
                        html! { <path class="arrow" d={format!("M{x1},{} h40 v14 h-40", y - 7.0)} marker-end="url(#arrowhead)" fill="none" /> }
                    } else {
                        html! { <line class="arrow" x1={x1.to_string()} x2={x2.to_string()} y1={y.to_string()} y2={y.to_string()} marker-end="url(#arrowhead)" /> }
                    };
                    let lx = if (x1 - x2).abs() < 1.0 { x1 + 46.0 } else { (x1 + x2) / 2.0 };
                    let anchor = if (x1 - x2).abs() < 1.0 { "start" } else { "middle" };
                    rows.push(html! {
                        <g class={class} key={format!("i{k}")} data-step={idx.to_string()}
                            onclick={link.callback(move |_| fm(FlowMsg::Select(idx)))}
                            onmouseenter={link.callback(move |_| fm(FlowMsg::Hover(Some(idx))))}
                            onmouseleave={link.callback(move |_| fm(FlowMsg::Hover(None)))}>
                            <rect class="hit" x="0" y={(y - ROW / 2.0).to_string()} width={width.to_string()} height={ROW.to_string()} />
                            { arrow }
                            <text class="label" x={lx.to_string()} y={(y - 6.0).to_string()} text-anchor={anchor}>{ label }</text>
                            <text class="time" x="8" y={(y + 4.0).to_string()}>{ time_label(s, prev_ms) }</text>
                        </g>
                    });
                }
                prev_ms = s.get("utc_ms").and_then(Value::as_i64).or(prev_ms);
            }
        }
    }
    let onscroll = link.callback(|e: Event| {
        let el: web_sys::Element = e.target_unchecked_into();
        Msg::FlowMsg(FlowMsg::Scroll(el.scroll_top() as f64))
    });
    let kind = flow.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
    let key = flow.get("key").and_then(Value::as_str).unwrap_or("").to_string();
    let file_stem = format!("switchboard-{}-{}", kind, key).chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect::<String>();
    let stem2 = file_stem.clone();
    let any_expanded = !v.expanded.is_empty();
    html! {
        <div class="diagram-wrap">
            <div class="toolbar">
                <strong>{ kind.clone() }</strong><span class="dim">{ format!(" {key} · {} messages", steps.len()) }</span>
                <span class="sep"></span>
                <label>{ "Time " }
                    <select id="time-mode" onchange={link.callback(|e: Event| {
                        let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
                        Msg::FlowMsg(FlowMsg::Mode(match s.value().as_str() { "relative" => TimeMode::Relative, "delta" => TimeMode::Delta, _ => TimeMode::Absolute }))
                    })}>
                        <option value="absolute" selected={v.mode == TimeMode::Absolute}>{ "absolute (UTC)" }</option>
                        <option value="relative" selected={v.mode == TimeMode::Relative}>{ "from flow start" }</option>
                        <option value="delta" selected={v.mode == TimeMode::Delta}>{ "since previous" }</option>
                    </select>
                </label>
                <input type="search" placeholder="Find message" value={v.search.clone()} oninput={link.callback(|e: InputEvent| Msg::FlowMsg(FlowMsg::Search(e.target_unchecked_into::<web_sys::HtmlInputElement>().value())))} />
                <button class="btn small" title="zoom out" onclick={link.callback(move |_| Msg::FlowMsg(FlowMsg::Zoom(zoom - 0.2)))}>{ "−" }</button>
                <button class="btn small" title="zoom in" onclick={link.callback(move |_| Msg::FlowMsg(FlowMsg::Zoom(zoom + 0.2)))}>{ "+" }</button>
                if any_expanded {
                    <button class="btn small" id="collapse-runs" onclick={link.callback(|_| Msg::FlowMsg(FlowMsg::CollapseAll))}>{ "Collapse repeats" }</button>
                }
                <button class="btn small" id="export-svg" onclick={Callback::from(move |_| export_svg(&file_stem))}>{ "Export SVG" }</button>
                <button class="btn small" id="export-png" onclick={Callback::from(move |_| export_png(&stem2))}>{ "Export PNG" }</button>
            </div>
            if let Some(links) = flow.get("links").and_then(Value::as_array).filter(|l| !l.is_empty()) {
                <details class="links">
                    <summary>{ format!("Why these records are linked ({})", links.len()) }</summary>
                    <ul>{ for links.iter().filter_map(Value::as_str).map(|l| html! { <li>{ l }</li> }) }</ul>
                </details>
            }
            <div class="lanes-filter">
                <span class="dim">{ "Lanes: " }</span>
                { for all_lanes.iter().map(|l| {
                    let off = v.hidden_lanes.contains(l);
                    let l2 = l.clone();
                    html! { <button class={classes!("chip", off.then_some("off"))} onclick={link.callback(move |_| Msg::FlowMsg(FlowMsg::Lane(l2.clone())))}>{ l.clone() }</button> }
                }) }
            </div>
            <div class="diagram-split">
                <div class="diagram-scroll" id="diagram-scroll" {onscroll}>
                    // Lifeline names stay visible while the diagram scrolls (the exported SVG has its own).
                    <svg class="lane-head seq" aria-hidden="true" width={(width * zoom).to_string()} height={(44.0 * zoom).to_string()} viewBox={format!("0 0 {width} 44")}>
                        <style>{ SVG_STYLE }</style>
                        { for lanes.iter().enumerate().map(|(i, l)| {
                            let x = 150.0 + LANE * i as f64 + LANE / 2.0;
                            html! {
                                <g class="lane">
                                    <rect x={(x - LANE / 2.0 + 8.0).to_string()} y="8" width={(LANE - 16.0).to_string()} height="28" rx="5" />
                                    <text x={x.to_string()} y="27" text-anchor="middle">{ l.clone() }</text>
                                </g>
                            }
                        }) }
                    </svg>
                    <svg id="flow-svg" xmlns="http://www.w3.org/2000/svg" class="seq" width={(width * zoom).to_string()} height={(height * zoom).to_string()} viewBox={format!("0 0 {width} {height}")}>
                        <style>{ SVG_STYLE }</style>
                        <defs>
                            <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="head" /></marker>
                        </defs>
                        <rect class="bg" x="0" y="0" width={width.to_string()} height={height.to_string()} />
                        { for lanes.iter().enumerate().map(|(i, l)| {
                            let x = 150.0 + LANE * i as f64 + LANE / 2.0;
                            html! {
                                <g class="lane">
                                    <line x1={x.to_string()} x2={x.to_string()} y1="40" y2={(height - 10.0).to_string()} />
                                    <rect x={(x - LANE / 2.0 + 8.0).to_string()} y="8" width={(LANE - 16.0).to_string()} height="28" rx="5" />
                                    <text x={x.to_string()} y="27" text-anchor="middle">{ l.clone() }</text>
                                </g>
                            }
                        }) }
                        { for rows }
                    </svg>
                </div>
                { step_detail(app, ctx, &steps) }
            </div>
        </div>
    }
}

fn step_detail(app: &App, ctx: &Context<App>, steps: &[Value]) -> Html {
    let Some(s) = app.flow_view.selected.and_then(|i| steps.get(i)) else {
        return html! { <aside class="detail step-detail empty-detail"><p class="dim">{ "Click an arrow to pin its payload and raw lines. Hover shows the matching request/response." }</p></aside> };
    };
    let g = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let pos = s.get("pos").and_then(Value::as_u64).map(|p| p as usize);
    let on_pick = ctx.link().callback(Msg::SetId);
    html! {
        <aside class="detail step-detail" id="step-detail">
            <h3>{ g("label") }</h3>
            <dl class="meta">
                <dt>{ "From → to" }</dt><dd>{ format!("{} → {}", g("from"), g("to")) }</dd>
                <dt>{ "Time" }</dt><dd>{ s.get("utc_ms").and_then(Value::as_i64).map(|m| format!("{} UTC", crate::time::iso_utc(m))).unwrap_or_else(|| g("time")) }</dd>
                <dt>{ "Source" }</dt><dd>{ g("source") }</dd>
            </dl>
            if let Some(p) = pos {
                <button class="btn small" id="goto-timeline" onclick={ctx.link().callback(move |_| Msg::GotoPos(p))}>{ "Show in timeline" }</button>
            }
            <h4>{ "Payload (decoded)" }</h4>
            <div class="fields">{ match s.get("fields") { Some(f @ Value::Object(m)) if !m.is_empty() => json_tree::tree(f, &on_pick), _ => html! { <p class="dim">{ "No decoded fields." }</p> } } }</div>
            <h4>{ "Raw lines" }</h4>
            <pre class="raw" id="step-raw">{ g("text") }</pre>
        </aside>
    }
}

/// Styles embedded in the exported SVG so it renders the same outside the page.
const SVG_STYLE: &str = "
.seq text{font:12px system-ui,-apple-system,Segoe UI,sans-serif;fill:#1d2433}
.seq .bg{fill:#fff}
.seq .lane line{stroke:#9aa4b5;stroke-dasharray:4 4}
.seq .lane rect{fill:#eef2f8;stroke:#8ea0bd}
.seq .lane text{font-weight:600}
.seq .arrow{stroke:#2f5fb3;stroke-width:1.6}
.seq .arrow.dashed{stroke-dasharray:6 4}
.seq .head{fill:#2f5fb3}
.seq .hit{fill:transparent;cursor:pointer}
.seq .step:hover .hit{fill:rgba(47,95,179,.07)}
.seq .step.selected .hit{fill:rgba(255,196,0,.25)}
.seq .step.pair .hit{fill:rgba(0,160,120,.15)}
.seq .step.match .label{fill:#b00060;font-weight:700}
.seq .time{fill:#5a6478;font-variant-numeric:tabular-nums}
.seq .gap line{stroke:#c0392b;stroke-dasharray:2 6}
.seq .gap text{fill:#c0392b;font-style:italic}
.seq .run{cursor:pointer}
.seq .run .label{fill:#7a4cc2}
";

fn download(url: &str, name: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(url);
        a.set_download(name);
        if let Some(b) = doc.body() {
            let _ = b.append_child(&a);
            a.click();
            let _ = b.remove_child(&a);
        }
    }
}

fn svg_text() -> Option<String> {
    let doc = web_sys::window()?.document()?;
    let svg = doc.get_element_by_id("flow-svg")?;
    web_sys::XmlSerializer::new().ok()?.serialize_to_string(&svg).ok()
}

fn export_svg(stem: &str) {
    let Some(text) = svg_text() else { return };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/svg+xml");
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) {
        if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
            download(&url, &format!("{stem}.svg"));
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    }
}

fn export_png(stem: &str) {
    let Some(text) = svg_text() else { return };
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/svg+xml");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let Ok(img) = doc.create_element("img") else { return };
    let img: web_sys::HtmlImageElement = img.unchecked_into();
    let img2 = img.clone();
    let stem = stem.to_string();
    let url2 = url.clone();
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        let Ok(c) = doc.create_element("canvas") else { return };
        let c: web_sys::HtmlCanvasElement = c.unchecked_into();
        c.set_width(img2.natural_width().max(1));
        c.set_height(img2.natural_height().max(1));
        if let Ok(Some(ctx)) = c.get_context("2d") {
            if let Ok(ctx) = ctx.dyn_into::<web_sys::CanvasRenderingContext2d>() {
                let _ = ctx.draw_image_with_html_image_element(&img2, 0.0, 0.0);
            }
        }
        if let Ok(data) = c.to_data_url_with_type("image/png") {
            download(&data, &format!("{stem}.png"));
        }
        let _ = web_sys::Url::revoke_object_url(&url2);
    });
    img.set_onload(Some(onload.unchecked_ref()));
    img.set_src(&url);
}
