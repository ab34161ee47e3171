//! The sanitized export: what will be masked (a preview, with the user's own patterns), then the
//! zip, made in the worker and downloaded.

use super::bridge;
use crate::answers::ExportPreview;
use crate::query::Request;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExportPanelProps {
    pub open: bool,
    /// What the last export did (from the page: the download arrives as a worker event).
    pub note: String,
    pub on_close: Callback<()>,
}

pub enum Msg {
    Patterns(String),
    Preview,
    Previewed(Result<ExportPreview, String>),
    Export,
}

pub struct ExportPanel {
    patterns: String,
    preview: Option<Result<ExportPreview, String>>,
    preparing: bool,
}

impl ExportPanel {
    fn patterns(&self) -> Vec<String> {
        self.patterns.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
    }
}

impl Component for ExportPanel {
    type Message = Msg;
    type Properties = ExportPanelProps;

    fn create(_ctx: &Context<Self>) -> Self {
        ExportPanel { patterns: String::new(), preview: None, preparing: false }
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        if ctx.props().open && !old.open {
            ctx.link().send_message(Msg::Preview);
        }
        if ctx.props().note != old.note {
            self.preparing = false;
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Patterns(p) => {
                self.patterns = p;
                false
            }
            Msg::Preview => {
                let link = ctx.link().clone();
                bridge::ask(Request::ExportPreview { patterns: self.patterns() }, move |r| link.send_message(Msg::Previewed(r)));
                false
            }
            Msg::Previewed(r) => {
                self.preview = Some(r);
                true
            }
            Msg::Export => {
                self.preparing = true;
                bridge::export(&self.patterns());
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let link = ctx.link();
        let err = match &self.preview {
            Some(Err(e)) => Some(e.clone()),
            _ => None,
        };
        let note = if self.preparing { "Preparing the sanitized zip…".to_string() } else { p.note.clone() };
        html! {
            <section class="export" id="export-panel" hidden={!p.open}>
                <h3>{ "Export the loaded logs with secrets masked" }<button class="btn small close" onclick={p.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button></h3>
                <p class="dim">{ "Masked: Authorization headers, cookies (Cookie, Set-Cookie, HAR cookies), pageAccessToken, verificationToken, integrationAuthTokenGUID, passwords — and your own patterns below. The zip is made here and downloaded; nothing is uploaded." }</p>
                <label class="patterns">{ "Extra patterns (one regular expression per line; the first group is masked, or the whole match)" }
                    <textarea id="export-patterns" rows="3" placeholder={"customerName=(\\w+)"} value={self.patterns.clone()}
                        oninput={link.callback(|e: InputEvent| Msg::Patterns(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value()))} />
                </label>
                <div class="export-actions">
                    <button class="btn" id="export-preview" onclick={link.callback(|_| Msg::Preview)}>{ "Preview what will be masked" }</button>
                    <button class="btn primary" id="export-download" onclick={link.callback(|_| Msg::Export)} disabled={err.is_some()}>{ "Download sanitized zip" }</button>
                    <span class="dim" id="export-note">{ note }</span>
                </div>
                if let Some(e) = err { <div class="banner error">{ e }</div> }
                if let Some(Ok(pv)) = &self.preview {
                    <div class="export-preview" id="export-summary">
                        <strong>{ format!("{} values will be masked in {} files", pv.hits, pv.files) }</strong>
                        { for pv.by_kind.iter().map(|(k, n)| html! { <span class="chip">{ format!("{k} {n}") }</span> }) }
                        <ul class="export-sample">
                            { for pv.sample.iter().take(60).map(|h| html! {
                                <li><code>{ format!("{}:{}", h.file, h.line) }</code>{ " " }<span class="dim">{ h.kind.clone() }</span>{ " " }<span class="mono">{ h.preview.clone() }</span></li>
                            }) }
                        </ul>
                    </div>
                }
            </section>
        }
    }
}
