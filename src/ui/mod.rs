//! The browser front end (wasm32 only). The same wasm runs on the page's main thread (the Yew app)
//! and in its Web Worker (the engine); `start` tells which from the global scope.

mod app;
pub mod blob_reader;
mod bridge;
mod drop;
mod flows;
mod json_tree;
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
