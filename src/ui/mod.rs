//! The browser front end (wasm32 only). The same wasm runs on the page's main thread (the Yew app)
//! and in its Web Worker (the engine); `start` tells which from the global scope.

mod app;
pub mod blob_reader;
mod bridge;
mod drop;
mod flows;
mod json_tree;
mod states;
mod timeline;
mod worker;

use wasm_bindgen::JsCast;

pub fn start() {
    if let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() {
        std::panic::set_hook(Box::new(|info| {
            // The worker dies with the panic; tell the page so it can say so instead of hanging.
            let msg = serde_json::json!({"t": "panic", "message": info.to_string()}).to_string();
            if let Ok(s) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() {
                let _ = s.post_message(&wasm_bindgen::JsValue::from_str(&msg));
            }
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

/// Offers bytes (a Uint8Array) as a file download; nothing leaves the machine.
pub fn download_bytes(name: &str, mime: &str, bytes: &wasm_bindgen::JsValue) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(bytes);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_buffer_source_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        if let Some(b) = doc.body() {
            let _ = b.append_child(&a);
            a.click();
            let _ = b.remove_child(&a);
        }
    }
    let url2 = url.clone();
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url2);
    })
    .forget();
}
