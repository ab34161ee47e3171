//! The main thread's side of the worker: starts it, sends requests, routes answers and events.
//!
//! The worker is started from `window.SWITCHBOARD_WORKER` when the page provides one (the
//! single-file build makes a Blob URL and hands over the compiled module), else from `./worker.js`
//! next to the page (the hosted `dist/` build).

use crate::query::Request;
use js_sys::{Array, Object, Reflect};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

type Reply = Box<dyn FnOnce(Value)>;

thread_local! {
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
    static NEXT: Cell<u64> = const { Cell::new(1) };
    static PENDING: RefCell<HashMap<u64, Reply>> = RefCell::new(HashMap::new());
}

/// Starts the worker; `on_event` receives its events (`progress`, `file`, `loaded`, `panic`, `error`).
pub fn start(on_event: impl Fn(Value) + 'static) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let custom = Reflect::get(&window, &JsValue::from_str("SWITCHBOARD_WORKER")).ok().filter(|v| v.is_object());
    let url =
        custom.as_ref().and_then(|c| Reflect::get(c, &JsValue::from_str("url")).ok()).and_then(|v| v.as_string()).unwrap_or_else(|| "./worker.js".to_string());
    let classic = custom.as_ref().and_then(|c| Reflect::get(c, &JsValue::from_str("type")).ok()).and_then(|v| v.as_string()).is_some_and(|t| t == "classic");
    let opts = WorkerOptions::new();
    opts.set_type(if classic { WorkerType::Classic } else { WorkerType::Module });
    opts.set_name("switchboard-engine");
    let worker = Worker::new_with_options(&url, &opts).map_err(|e| format!("could not start the parsing worker: {e:?}"))?;
    if let Some(c) = &custom {
        if let Ok(module) = Reflect::get(c, &JsValue::from_str("module")) {
            let init = Object::new();
            let _ = Reflect::set(&init, &JsValue::from_str("t"), &JsValue::from_str("init"));
            let _ = Reflect::set(&init, &JsValue::from_str("module"), &module);
            let _ = worker.post_message(&init);
        }
    }
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        if !data.is_string() {
            // The sanitized export arrives as bytes: offer it as a download.
            if Reflect::get(&data, &JsValue::from_str("t")).ok().and_then(|v| v.as_string()).as_deref() == Some("export-zip") {
                if let Ok(bytes) = Reflect::get(&data, &JsValue::from_str("bytes")) {
                    super::download_bytes("switchboard-sanitized.zip", "application/zip", &bytes);
                }
                let hits = Reflect::get(&data, &JsValue::from_str("hits")).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
                on_event(serde_json::json!({"t": "exported", "hits": hits}));
            }
            return;
        }
        let Some(s) = data.as_string() else { return };
        let Ok(v) = serde_json::from_str::<Value>(&s) else { return };
        if let Some(id) = v.get("id").and_then(Value::as_u64) {
            let reply = PENDING.with(|p| p.borrow_mut().remove(&id));
            if let Some(reply) = reply {
                reply(v.get("body").cloned().unwrap_or(Value::Null));
            }
        } else {
            on_event(v);
        }
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |_e: web_sys::Event| {
        web_sys::console::error_1(&JsValue::from_str("switchboard: the parsing worker failed"));
    });
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    onerror.forget();
    WORKER.with(|w| *w.borrow_mut() = Some(worker));
    Ok(())
}

fn post(v: &JsValue) {
    WORKER.with(|w| {
        if let Some(w) = w.borrow().as_ref() {
            let _ = w.post_message(v);
        }
    });
}

/// Sends a query; `reply` gets the answer.
pub fn request(req: Request, reply: impl FnOnce(Value) + 'static) {
    let id = NEXT.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    PENDING.with(|p| p.borrow_mut().insert(id, Box::new(reply)));
    let msg = serde_json::json!({"id": id, "req": req}).to_string();
    post(&JsValue::from_str(&msg));
}

fn command(t: &str) -> Object {
    let o = Object::new();
    let _ = Reflect::set(&o, &JsValue::from_str("t"), &JsValue::from_str(t));
    o
}

/// Hands files (with their paths inside a dropped folder) to the worker.
pub fn load(files: Vec<(String, web_sys::File)>) {
    if files.is_empty() {
        return;
    }
    let o = command("load");
    let list = Array::new();
    let paths = Array::new();
    for (p, f) in files {
        list.push(&f);
        paths.push(&JsValue::from_str(&p));
    }
    let _ = Reflect::set(&o, &JsValue::from_str("files"), &list);
    let _ = Reflect::set(&o, &JsValue::from_str("paths"), &paths);
    post(&o);
}

/// Asks the worker for the sanitized zip (masked with the built-in rules plus `patterns`).
pub fn export(patterns: &[String]) {
    let o = command("export");
    let arr = Array::new();
    for p in patterns {
        arr.push(&JsValue::from_str(p));
    }
    let _ = Reflect::set(&o, &JsValue::from_str("patterns"), &arr);
    post(&o);
}

pub fn demo() {
    post(&command("demo"));
}

pub fn cancel() {
    post(&command("cancel"));
}

pub fn set_max_total_bytes(n: f64) {
    let o = command("limits");
    let _ = Reflect::set(&o, &JsValue::from_str("max_total_bytes"), &JsValue::from_f64(n));
    post(&o);
}
