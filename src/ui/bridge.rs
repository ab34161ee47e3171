//! The main thread's side of the worker: starts it (and starts it again when it dies), sends
//! typed requests, routes typed answers and events, and holds the inputs the user gave so a new
//! worker can read them again.
//!
//! The worker is started from `window.SWITCHBOARD_WORKER` when the page provides one (the
//! single-file build makes a Blob URL and hands over the compiled module), else from `./worker.js`
//! next to the page (the hosted `dist/` build).

use crate::answers::{Answer, FromAnswer, Query, WorkerMsg};
use crate::query::Request;
use js_sys::{Array, Object, Reflect};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

type Reply = Box<dyn FnOnce(Answer)>;

/// The name a saved session downloads as.
pub const SESSION_FILE_NAME: &str = "case.switchboard";
type OnEvent = Rc<dyn Fn(Event)>;

/// How the engine died.
#[derive(Clone, Debug, PartialEq)]
pub enum Death {
    /// A bug: the panic's message.
    Panic(String),
    /// An allocation failed: bytes wanted, wasm memory in use.
    OutOfMemory { wanted: f64, wasm_memory: f64 },
    /// The worker stopped with an uncaught error ("RuntimeError: unreachable" after an abort).
    Trap(String),
}

/// What the bridge tells the page.
pub enum Event {
    Msg(WorkerMsg),
    /// The sanitized zip was downloaded, with this many values masked.
    Exported(f64),
    /// The worker died; a new one is already running (empty).
    Died(Death),
}

/// An input the page holds (to read it again in a new worker).
#[derive(Clone)]
enum Held {
    Files(Vec<(String, web_sys::File)>),
    Demo,
}

thread_local! {
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
    /// Which worker is current: answers and errors of an older one are ignored.
    static GENERATION: Cell<u64> = const { Cell::new(0) };
    static NEXT: Cell<u64> = const { Cell::new(1) };
    static PENDING: RefCell<HashMap<u64, Reply>> = RefCell::new(HashMap::new());
    static ON_EVENT: RefCell<Option<OnEvent>> = RefCell::new(None);
    static INPUTS: RefCell<Vec<Held>> = const { RefCell::new(Vec::new()) };
    static LIMIT: Cell<Option<f64>> = const { Cell::new(None) };
    /// The helper workers (`helpers`), and which start of them is current (a helper's error
    /// from before a restart is not news).
    static HELPERS: RefCell<Vec<Worker>> = const { RefCell::new(Vec::new()) };
    static HELPER_GENERATION: Cell<u64> = const { Cell::new(0) };
}

fn emit(e: Event) {
    let f = ON_EVENT.with(|o| o.borrow().clone());
    if let Some(f) = f {
        f(e);
    }
}

/// Starts the worker; `on_event` receives its events.
pub fn start(on_event: impl Fn(Event) + 'static) -> Result<(), String> {
    ON_EVENT.with(|o| *o.borrow_mut() = Some(Rc::new(on_event)));
    spawn()
}

/// A worker running the page's wasm, named for its role (the engine, or a helper).
fn new_worker(name: &str) -> Result<Worker, String> {
    let window = web_sys::window().ok_or("no window")?;
    let custom = Reflect::get(&window, &JsValue::from_str("SWITCHBOARD_WORKER")).ok().filter(|v| v.is_object());
    let url =
        custom.as_ref().and_then(|c| Reflect::get(c, &JsValue::from_str("url")).ok()).and_then(|v| v.as_string()).unwrap_or_else(|| "./worker.js".to_string());
    let classic = custom.as_ref().and_then(|c| Reflect::get(c, &JsValue::from_str("type")).ok()).and_then(|v| v.as_string()).is_some_and(|t| t == "classic");
    let opts = WorkerOptions::new();
    opts.set_type(if classic { WorkerType::Classic } else { WorkerType::Module });
    opts.set_name(name);
    // A helper's address says what it is (`#switchboard-helper`: the same script; tools that
    // list a page's workers, as the end-to-end tests do, tell them apart without asking them).
    let url = if name == super::helpers::HELPER_NAME { format!("{url}#{name}") } else { url };
    let worker = Worker::new_with_options(&url, &opts).map_err(|e| format!("could not start the parsing worker: {e:?}"))?;
    if let Some(c) = &custom {
        if let Ok(module) = Reflect::get(c, &JsValue::from_str("module")) {
            let init = command("init");
            let _ = Reflect::set(&init, &JsValue::from_str("module"), &module);
            let _ = worker.post_message(&init);
        }
    }
    Ok(worker)
}

/// Helper workers beside the engine: one per core beyond the engine's (the page's own thread is
/// mostly idle while the engine analyses), at most three: each holds a file's text and records
/// while it decodes, in the same tab.
fn helper_count() -> usize {
    let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency()) as usize;
    cores.saturating_sub(1).min(3)
}

/// Starts the helpers again (ending any before: a helper keeps the memory its last range took)
/// and hands the engine one end of a channel to each.
fn spawn_helpers() {
    for h in HELPERS.with(|h| std::mem::take(&mut *h.borrow_mut())) {
        h.terminate();
    }
    let generation = HELPER_GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    let ports = Array::new();
    for k in 0..helper_count() {
        let (Ok(helper), Ok(channel)) = (new_worker(super::helpers::HELPER_NAME), web_sys::MessageChannel::new()) else { break };
        let hello = command("port");
        let _ = Reflect::set(&hello, &JsValue::from_str("port"), &channel.port2());
        if helper.post_message_with_transfer(&hello, &Array::of1(&channel.port2())).is_err() {
            helper.terminate();
            break;
        }
        // A helper that dies (a trap, out of memory, a panic it reports) leaves its range to
        // the engine.
        let gone = move || {
            if HELPER_GENERATION.with(|g| g.get()) == generation {
                let o = command("helper-died");
                let _ = Reflect::set(&o, &JsValue::from_str("helper"), &JsValue::from_f64(k as f64));
                post(&o);
            }
        };
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_e: web_sys::Event| gone());
        helper.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let died = e.data().as_string().and_then(|s| serde_json::from_str::<WorkerMsg>(&s).ok());
            if matches!(died, Some(WorkerMsg::Panic { .. } | WorkerMsg::OutOfMemory { .. })) {
                gone();
            }
        });
        helper.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        ports.push(&channel.port1());
        HELPERS.with(|h| h.borrow_mut().push(helper));
    }
    let o = command("helpers");
    let _ = Reflect::set(&o, &JsValue::from_str("ports"), &ports);
    // The end-to-end tests give the helpers small bundles too.
    if let Some(n) = web_sys::window().and_then(|w| Reflect::get(&w, &JsValue::from_str("SWITCHBOARD_SHARE_MIN_BYTES")).ok()).and_then(|v| v.as_f64()) {
        let _ = Reflect::set(&o, &JsValue::from_str("min_bytes"), &JsValue::from_f64(n));
    }
    WORKER.with(|w| {
        if let Some(w) = w.borrow().as_ref() {
            let _ = w.post_message_with_transfer(&o, &ports);
        }
    });
}

fn spawn() -> Result<(), String> {
    let worker = new_worker("switchboard-engine")?;
    let generation = GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    let current = move || GENERATION.with(|g| g.get()) == generation;
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        if !current() {
            return;
        }
        let data = e.data();
        let Some(s) = data.as_string() else {
            // A session file arrives as bytes (its typed answer follows): offer it as a download.
            let t = Reflect::get(&data, &JsValue::from_str("t")).ok().and_then(|v| v.as_string());
            if t.as_deref() == Some("session-file") {
                if let Ok(bytes) = Reflect::get(&data, &JsValue::from_str("bytes")) {
                    super::download_bytes(SESSION_FILE_NAME, "application/zip", &bytes);
                }
                return;
            }
            // The sanitized export arrives as bytes: offer it as a download.
            if t.as_deref() == Some("export-zip") {
                if let Ok(bytes) = Reflect::get(&data, &JsValue::from_str("bytes")) {
                    super::download_bytes("switchboard-sanitized.zip", "application/zip", &bytes);
                }
                emit(Event::Exported(Reflect::get(&data, &JsValue::from_str("hits")).ok().and_then(|v| v.as_f64()).unwrap_or(0.0)));
            }
            return;
        };
        let Ok(msg) = serde_json::from_str::<WorkerMsg>(&s) else { return };
        match msg {
            WorkerMsg::Reply { id, body } => {
                let reply = PENDING.with(|p| p.borrow_mut().remove(&id));
                if let Some(reply) = reply {
                    reply(body);
                }
            }
            WorkerMsg::Panic { message } => died(Death::Panic(message)),
            WorkerMsg::OutOfMemory { wanted, wasm_memory } => died(Death::OutOfMemory { wanted, wasm_memory }),
            WorkerMsg::Loaded(report) => {
                // Helpers that decoded keep the memory it took: fresh ones for the next load.
                if report.helpers > 0 {
                    spawn_helpers();
                }
                emit(Event::Msg(WorkerMsg::Loaded(report)));
            }
            other => emit(Event::Msg(other)),
        }
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        if !current() {
            return;
        }
        let message = e.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).filter(|m| !m.is_empty()).unwrap_or_else(|| "the worker stopped".into());
        died(Death::Trap(message));
    });
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    onerror.forget();
    WORKER.with(|w| *w.borrow_mut() = Some(worker));
    if let Some(n) = LIMIT.with(|l| l.get()) {
        post_limit(n);
    }
    spawn_helpers();
    Ok(())
}

/// The worker died: stop it for good, forget the questions it will never answer, start a new one
/// and tell the page (which decides what to load again).
fn died(how: Death) {
    GENERATION.with(|g| g.set(g.get() + 1));
    if let Some(w) = WORKER.with(|w| w.borrow_mut().take()) {
        w.terminate();
    }
    PENDING.with(|p| p.borrow_mut().clear());
    if let Err(e) = spawn() {
        web_sys::console::error_1(&JsValue::from_str(&e));
    }
    emit(Event::Died(how));
}

fn post(v: &JsValue) {
    WORKER.with(|w| {
        if let Some(w) = w.borrow().as_ref() {
            let _ = w.post_message(v);
        }
    });
}

/// Sends a query; `reply` gets the typed answer (or the error it carried). A query the worker
/// never answers (it died) is dropped.
pub fn ask<T: FromAnswer + 'static>(req: Request, reply: impl FnOnce(Result<T, String>) + 'static) {
    let id = NEXT.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    PENDING.with(|p| p.borrow_mut().insert(id, Box::new(move |a: Answer| reply(T::from_answer(a)))));
    match serde_json::to_string(&Query { id, req }) {
        Ok(text) => post(&JsValue::from_str(&text)),
        Err(_) => {
            PENDING.with(|p| p.borrow_mut().remove(&id));
        }
    }
}

fn command(t: &str) -> Object {
    let o = Object::new();
    let _ = Reflect::set(&o, &JsValue::from_str("t"), &JsValue::from_str(t));
    o
}

fn send(held: &Held, skip_analysis: Option<&str>) {
    let o = match held {
        Held::Demo => command("demo"),
        Held::Files(files) => {
            let o = command("load");
            let list = Array::new();
            let paths = Array::new();
            for (p, f) in files {
                list.push(f);
                paths.push(&JsValue::from_str(p));
            }
            let _ = Reflect::set(&o, &JsValue::from_str("files"), &list);
            let _ = Reflect::set(&o, &JsValue::from_str("paths"), &paths);
            o
        }
    };
    if let Some(why) = skip_analysis {
        let _ = Reflect::set(&o, &JsValue::from_str("skip_analysis"), &JsValue::from_str(why));
    }
    post(&o);
}

fn hold_and_send(held: Held) {
    send(&held, None);
    INPUTS.with(|i| i.borrow_mut().push(held));
}

/// Hands files (with their paths inside a dropped or picked folder) to the worker.
pub fn load(files: Vec<(String, web_sys::File)>) {
    if !files.is_empty() {
        hold_and_send(Held::Files(files));
    }
}

pub fn demo() {
    hold_and_send(Held::Demo);
}

/// How many inputs (drops, picks, the demo) the page holds.
pub fn held() -> usize {
    INPUTS.with(|i| i.borrow().iter().map(|h| if let Held::Files(f) = h { f.len() } else { 1 }).sum())
}

/// Sends every input the page holds to the (new) worker again, with the analysis off and why.
pub fn reload_held(why: &str) {
    let inputs = INPUTS.with(|i| i.borrow().clone());
    for h in &inputs {
        send(h, Some(why));
    }
}

/// Forgets the held inputs (Clear).
pub fn forget_inputs() {
    INPUTS.with(|i| i.borrow_mut().clear());
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

pub fn cancel() {
    post(&command("cancel"));
}

fn post_limit(n: f64) {
    let o = command("limits");
    let _ = Reflect::set(&o, &JsValue::from_str("max_total_bytes"), &JsValue::from_f64(n));
    post(&o);
}

pub fn set_max_total_bytes(n: f64) {
    LIMIT.with(|l| l.set(Some(n)));
    post_limit(n);
}
