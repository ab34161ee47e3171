//! The browser front end (wasm32 only). The same wasm runs on the page's main thread (the Yew app)
//! and in its Web Worker (the engine); `start` tells which from the global scope.
//!
//! The page is one Yew component per file, each with typed `Properties` and `Callback`s:
//! [`app`] holds the state (files, filter, time window, which tab) and lays out the workspace;
//! [`load_bar`], [`file_list`], [`clock_editor`] and [`export_panel`] handle what is loaded;
//! [`timeline`] (with [`histogram`] and [`detail`]), [`flow_list`], [`diagram`], [`states`] and
//! [`findings`] are the views. The worker's answers arrive as the typed structs of
//! `crate::answers` through [`bridge`]; [`worker`] is the engine's side.

mod alloc;
mod app;
pub mod blob_reader;
mod bookmarks;
mod bridge;
mod clock_editor;
mod detail;
mod detail_split;
mod diagram;
mod diagram_export;
mod drop;
mod export_panel;
mod file_list;
mod findings;
mod flow_list;
mod help;
mod helpers;
mod histogram;
mod json_tree;
mod load_bar;
mod report_dialog;
mod states;
mod time_fmt;
mod timeline;
mod vscroll;
mod waterfall;
mod worker;

use wasm_bindgen::JsCast;

pub fn start() {
    if let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() {
        std::panic::set_hook(Box::new(|info| {
            // The worker dies with the panic; tell the page so it can say so instead of hanging.
            worker::post(&crate::answers::WorkerMsg::Panic { message: info.to_string() });
        }));
        worker::run(scope);
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        app::show_fatal(&info.to_string());
    }));
    app::mount();
}

/// Human size: 1.2 MB, 340 KB, 17 B.
pub fn human_size(n: f64) -> String {
    if n >= 1e9 {
        format!("{:.2} GB", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.1} MB", n / 1e6)
    } else if n >= 1e3 {
        format!("{:.0} KB", n / 1e3)
    } else {
        format!("{n} B")
    }
}

/// A count with thin spaces between thousands (112 034).
pub fn count(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Offers a URL (blob: or data:) as a file download; nothing leaves the machine.
pub fn download_url(url: &str, name: &str) {
    let Some(doc) = document() else { return };
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

/// Offers a Blob made of `parts` as a download, and frees its URL a minute later.
fn download_blob(name: &str, mime: &str, parts: &js_sys::Array) {
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_buffer_source_sequence_and_options(parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    download_url(&url, name);
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

/// Offers bytes (a Uint8Array) as a file download.
pub fn download_bytes(name: &str, mime: &str, bytes: &wasm_bindgen::JsValue) {
    download_blob(name, mime, &js_sys::Array::of1(bytes));
}

/// Offers text as a file download.
pub fn download_text(name: &str, mime: &str, text: &str) {
    download_blob(name, mime, &js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text)));
}

/// Focuses an element by id (and selects an input's text).
pub fn focus(id: &str) {
    if let Some(el) = document().and_then(|d| d.get_element_by_id(id)).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
        if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            input.select();
        }
    }
}

/// True when a keyboard event was typed into a text field (the page's keys leave it alone).
pub fn typing_in_field(e: &web_sys::KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.has_attribute("contenteditable"))
        .unwrap_or(false)
}

/// Listens to keydown on the document, able to prevent the browser's default (a passive listener
/// cannot: that was why `/` typed itself into the search box).
pub fn on_keydown(f: impl FnMut(&web_sys::KeyboardEvent) + 'static) -> Option<gloo::events::EventListener> {
    let mut f = f;
    let doc = document()?;
    Some(gloo::events::EventListener::new_with_options(&doc, "keydown", gloo::events::EventListenerOptions::enable_prevent_default(), move |e| {
        if let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() {
            f(k);
        }
    }))
}
