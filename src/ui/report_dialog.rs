//! The case report from the page: one self-contained HTML file (and its Markdown twin) with the
//! inputs, findings, the chosen flows as inline SVG, state timelines and the bookmarks with their
//! notes — made in the worker by `report::case` (the CLI's `switchboard report`), optionally
//! sanitized with the export's engine, and downloaded from a Blob. Nothing is uploaded.

use super::bridge;
use crate::annotations::Annotations;
use crate::answers::CaseReport;
use crate::query::Request;
use crate::report::case::MAX_FLOWS;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub open: bool,
    pub annotations: Rc<Annotations>,
    /// The flows the report draws (index, title): the open flow, bookmarked flows, and the flows
    /// findings point at.
    pub flows: Rc<Vec<(usize, String)>>,
    pub findings: usize,
    pub on_close: Callback<()>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Html,
    Markdown,
}

pub enum Msg {
    Sanitize(bool),
    Personal(bool),
    Make(Form),
    Made(Form, Result<CaseReport, String>),
}

pub struct ReportDialog {
    sanitize: bool,
    personal: bool,
    busy: bool,
    note: String,
    error: Option<String>,
}

/// 16 bytes from the browser's `crypto.getRandomValues`, as 32 hex digits (the pseudonym key of
/// one report: tokens nobody can reverse by hashing guesses).
fn random_key() -> String {
    let bytes = js_sys::Uint8Array::new_with_length(16);
    let global = js_sys::global();
    let ok = js_sys::Reflect::get(&global, &JsValue::from_str("crypto"))
        .ok()
        .filter(|c| c.is_object())
        .and_then(|c| js_sys::Reflect::get(&c, &JsValue::from_str("getRandomValues")).ok().map(|f| (c, f)))
        .and_then(|(c, f)| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok().map(|f| (c, f)))
        .is_some_and(|(c, f)| f.call1(&c, &bytes).is_ok());
    if !ok {
        return String::new();
    }
    bytes.to_vec().iter().map(|b| format!("{b:02x}")).collect()
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn stamp() -> String {
    let d = js_sys::Date::new_0();
    let iso: String = d.to_iso_string().into();
    // "2026-03-12T14:20:05.123Z" → "2026-03-12 14:20 UTC"
    format!("{} {} UTC", iso.get(..10).unwrap_or(""), iso.get(11..16).unwrap_or(""))
}

impl Component for ReportDialog {
    type Message = Msg;
    type Properties = ReportProps;

    fn create(_ctx: &Context<Self>) -> Self {
        ReportDialog { sanitize: false, personal: false, busy: false, note: String::new(), error: None }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Sanitize(on) => {
                self.sanitize = on;
                if !on {
                    self.personal = false;
                }
            }
            Msg::Personal(on) => {
                self.personal = on;
                if on {
                    self.sanitize = true;
                }
            }
            Msg::Make(form) => {
                let p = ctx.props();
                self.busy = true;
                self.error = None;
                self.note = "Making the report…".into();
                let link = ctx.link().clone();
                let req = Request::Report {
                    annotations: (*p.annotations).clone(),
                    flows: p.flows.iter().map(|f| f.0).collect(),
                    sanitize: self.sanitize,
                    personal: self.personal,
                    key: if self.sanitize { random_key() } else { String::new() },
                    generated: stamp(),
                };
                bridge::ask(req, move |r| link.send_message(Msg::Made(form, r)));
            }
            Msg::Made(form, r) => {
                self.busy = false;
                match r {
                    Ok(rep) => {
                        let masked = rep.masked.map(|n| format!(", {n} values masked")).unwrap_or_default();
                        match form {
                            Form::Html => {
                                super::download_text("switchboard-report.html", "text/html", &rep.html);
                                self.note = format!(
                                    "switchboard-report.html downloaded ({}, {} flow diagrams{masked}).",
                                    super::human_size(rep.html.len() as f64),
                                    rep.flows
                                );
                            }
                            Form::Markdown => {
                                super::download_text("switchboard-report.md", "text/markdown", &rep.markdown);
                                self.note = format!("switchboard-report.md downloaded ({}{masked}).", super::human_size(rep.markdown.len() as f64));
                            }
                        }
                    }
                    Err(e) => {
                        self.note.clear();
                        self.error = Some(format!("The report could not be made: {e}"));
                    }
                }
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let link = ctx.link();
        let a = &p.annotations;
        let notes = a.bookmarks.iter().filter(|b| !b.note.is_empty()).count();
        html! {
            <section class="export report-dialog" id="report-dialog" role="dialog" aria-label="Case report" hidden={!p.open}>
                <h3>{ "Case report" }<button class="btn small close" onclick={p.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button></h3>
                <p class="dim">{ "One self-contained HTML file to attach to a case (no script, nothing loaded from anywhere, prints well), or its Markdown twin. It is made here and downloaded; nothing is uploaded." }</p>
                <div class="report-grid">
                    <div>
                        <h4>{ "It holds" }</h4>
                        <ul class="report-holds">
                            <li>{ if a.title.is_empty() { "the title “Switchboard case report” (name the case in the Bookmarks panel)".to_string() } else { format!("the title “{}”", a.title) } }</li>
                            <li>{ "the inputs with sizes, formats, coverage and clocks" }</li>
                            <li>{ format!("the findings ({})", p.findings) }</li>
                            <li>{ format!("{} ({notes} with notes) and {}", plural(a.bookmarks.len(), "bookmark"), plural(a.filters.len(), "filter set")) }</li>
                            <li>{ "the state timelines" }</li>
                        </ul>
                    </div>
                    <div>
                        <h4>{ format!("Flows drawn ({})", p.flows.len().min(MAX_FLOWS)) }</h4>
                        if p.flows.is_empty() {
                            <p class="dim">{ "None: open a flow, bookmark a step, or let the findings point at one." }</p>
                        }
                        <ul class="report-flows" id="report-flows">
                            { for p.flows.iter().take(40).map(|(i, t)| html! { <li data-flow={i.to_string()}>{ t.clone() }</li> }) }
                            if p.flows.len() > 40 { <li class="dim">{ format!("and {} more", p.flows.len() - 40) }</li> }
                        </ul>
                        <p class="dim">{ "The open flow, the flows with bookmarked steps, and the flows the findings point at." }</p>
                        if p.flows.len() > MAX_FLOWS {
                            <p class="dim">{ format!("A report draws at most {MAX_FLOWS} flows, the ones findings and bookmarks point at first; the others of these {} are listed in its flow index.", p.flows.len()) }</p>
                        }
                    </div>
                </div>
                <div class="report-options">
                    <label class="check"><input type="checkbox" id="report-sanitize" checked={self.sanitize}
                        onchange={link.callback(|e: Event| Msg::Sanitize(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))} />
                        { "Sanitize: mask secrets (Authorization, cookies, tokens, passwords, SASL payloads) as the export does" }</label>
                    <label class="check"><input type="checkbox" id="report-personal" checked={self.personal}
                        onchange={link.callback(|e: Event| Msg::Personal(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))} />
                        { "and personal data (names, e-mail addresses, phone numbers, IP addresses, host names, chat text) by consistent pseudonyms" }</label>
                </div>
                <div class="export-actions">
                    <button class="btn primary" id="report-html" onclick={link.callback(|_| Msg::Make(Form::Html))} disabled={self.busy}>{ "Download HTML report" }</button>
                    <button class="btn" id="report-markdown" onclick={link.callback(|_| Msg::Make(Form::Markdown))} disabled={self.busy}>{ "Download Markdown" }</button>
                    <span class="dim" id="report-note">{ self.note.clone() }</span>
                </div>
                if let Some(e) = &self.error { <div class="banner error">{ e.clone() }</div> }
            </section>
        }
    }
}
