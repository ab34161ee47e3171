//! Helper workers: more cores for an analysis (`crate::share` says what a share is).
//!
//! The page starts a few helpers beside the engine and gives each a `MessagePort` whose other
//! end goes to the engine. When an analysis starts, the engine cuts the records into ranges,
//! decodes the first itself and posts each other range to a helper: `{t: "job", job, texts}`
//! (the job's header and its files' texts as bytes, transferred). A helper answers on its port
//! with `{t: "chunk", job, bytes}` messages, then `{t: "done", job}`, or `{t: "failed", job,
//! why}`. The page tells the engine when a helper died (`{t: "helper-died", helper}`). The engine
//! adds the answers in record order and decodes any range whose helper failed itself.
//!
//! This file holds both sides: the engine's (`send_jobs`, `next`, `wait`) and the helper's
//! (`run_helper`).

use crate::share;
use js_sys::{Array, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, MessagePort};

/// The name the page gives helper workers (`WorkerOptions.name`): the wasm's entry point reads
/// it to know which role it has.
pub const HELPER_NAME: &str = "switchboard-helper";

/// Below this much text an analysis takes well under a second alone: not worth the copies.
const DEFAULT_MIN_BYTES: f64 = 4.0 * 1024.0 * 1024.0;
/// Above this much text the engine decodes alone: helpers would hold the text a second time in
/// the same tab, where a bundle of a gigabyte needs all the room there is.
const MAX_BYTES: f64 = 256.0 * 1024.0 * 1024.0;

/// What the engine knows of one job's answers.
#[derive(Default)]
struct Answers {
    port: usize,
    chunks: VecDeque<Uint8Array>,
    done: bool,
    failed: Option<String>,
    /// The helper's wasm memory, and seconds since it got the job, at its latest message.
    memory: f64,
    seconds: f64,
}

thread_local! {
    /// The engine's ends of the helpers' ports, and whether each helper is alive.
    static PORTS: RefCell<Vec<(MessagePort, bool)>> = const { RefCell::new(Vec::new()) };
    static MIN_BYTES: Cell<f64> = const { Cell::new(DEFAULT_MIN_BYTES) };
    /// The answers of the jobs of the analysis running now, by job id.
    static JOBS: RefCell<HashMap<u32, Answers>> = RefCell::new(HashMap::new());
    /// Job ids are never reused, so a late answer to a cancelled analysis is never taken for
    /// an answer to the next.
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
    /// The engine waiting for an answer: resolving this wakes it.
    static WAKE: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// The engine's side of `{t: "helpers", ports, min_bytes?}`: the page started helpers (again).
pub fn take_ports(data: &JsValue) {
    let ports: Vec<(MessagePort, bool)> = Reflect::get(data, &JsValue::from_str("ports"))
        .ok()
        .and_then(|v| v.dyn_into::<Array>().ok())
        .map(|a| a.iter().filter_map(|p| p.dyn_into::<MessagePort>().ok()).map(|p| (p, true)).collect())
        .unwrap_or_default();
    if let Some(n) = Reflect::get(data, &JsValue::from_str("min_bytes")).ok().and_then(|v| v.as_f64()) {
        MIN_BYTES.with(|m| m.set(n.max(0.0)));
    }
    for (k, (port, _)) in ports.iter().enumerate() {
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| answer(k, &e.data()));
        port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
    }
    PORTS.with(|p| {
        for (old, _) in p.borrow().iter() {
            old.close();
        }
        *p.borrow_mut() = ports;
    });
    // Jobs of helpers that are gone will never be answered.
    JOBS.with(|j| {
        for a in j.borrow_mut().values_mut() {
            a.failed.get_or_insert_with(|| "the helpers were restarted".into());
        }
    });
    wake();
}

/// The engine's side of `{t: "helper-died", helper}`.
pub fn helper_died(data: &JsValue) {
    let Some(k) = Reflect::get(data, &JsValue::from_str("helper")).ok().and_then(|v| v.as_f64()).map(|k| k as usize) else { return };
    PORTS.with(|p| {
        if let Some(slot) = p.borrow_mut().get_mut(k) {
            slot.1 = false;
        }
    });
    JOBS.with(|j| {
        for a in j.borrow_mut().values_mut().filter(|a| a.port == k) {
            a.failed.get_or_insert_with(|| format!("helper {} stopped", k + 1));
        }
    });
    wake();
}

/// A message from helper `k`.
fn answer(k: usize, data: &JsValue) {
    let get = |name: &str| Reflect::get(data, &JsValue::from_str(name)).ok();
    let t = get("t").and_then(|v| v.as_string()).unwrap_or_default();
    let Some(id) = get("job").and_then(|v| v.as_f64()).map(|v| v as u32) else { return };
    JOBS.with(|j| {
        let mut j = j.borrow_mut();
        // Answers to jobs of an earlier analysis (cancelled) are dropped.
        let Some(a) = j.get_mut(&id).filter(|a| a.port == k) else { return };
        a.memory = a.memory.max(get("memory").and_then(|v| v.as_f64()).unwrap_or(0.0));
        a.seconds = a.seconds.max(get("seconds").and_then(|v| v.as_f64()).unwrap_or(0.0));
        match t.as_str() {
            "chunk" => {
                if let Some(bytes) = get("bytes").and_then(|v| v.dyn_into::<Uint8Array>().ok()) {
                    a.chunks.push_back(bytes);
                }
            }
            "done" => a.done = true,
            _ => {
                let why = get("why").and_then(|v| v.as_string()).unwrap_or_else(|| "the helper could not decode its range".into());
                a.failed.get_or_insert(why);
            }
        }
    });
    wake();
}

/// Wakes the engine if it waits for answers (an answer came, a helper died, Cancel).
pub fn wake() {
    if let Some(f) = WAKE.with(|w| w.borrow_mut().take()) {
        let _ = f.call0(&JsValue::NULL);
    }
}

/// Waits until something may have changed for the engine: an answer, a dead helper, Cancel, or
/// a quarter of a second (the engine then looks again). Waiting this way leaves the core to the
/// helpers, where polling the event loop would spin on it.
pub async fn wait() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Ok(s) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() {
            let _ = s.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 250);
        }
        WAKE.with(|w| *w.borrow_mut() = Some(resolve));
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Starts an analysis' jobs for records `from..` of the session: nothing (the engine decodes
/// alone) when there are no live helpers or the text is too small or too big to be worth it.
/// The first job's start is where the engine's own range ends.
pub fn send_jobs(session: &crate::session::Session, from: usize) -> Vec<share::Job> {
    JOBS.with(|j| j.borrow_mut().clear());
    let live: Vec<usize> = PORTS.with(|p| p.borrow().iter().enumerate().filter(|(_, (_, alive))| *alive).map(|(k, _)| k).collect());
    let text: f64 = session.files.iter().map(|f| f.text.len() as f64).sum();
    if live.is_empty() || text < MIN_BYTES.with(|m| m.get()) || text > MAX_BYTES {
        return Vec::new();
    }
    let first_id = NEXT_ID.with(|n| n.get());
    let mut jobs = share::plan(session, from, session.records.len(), live.len() + 1, first_id);
    NEXT_ID.with(|n| n.set(first_id.wrapping_add(jobs.len() as u32 + 1)));
    for (job, &k) in jobs.iter_mut().zip(&live) {
        let msg = js_sys::Object::new();
        let header = Uint8Array::from(job.bytes.as_slice());
        job.bytes = Vec::new();
        let texts = Array::new();
        let transfer = Array::of1(&header.buffer());
        for &f in &job.files {
            let t = Uint8Array::from(session.files.get(f as usize).map_or(&[][..], |f| f.text.as_bytes()));
            transfer.push(&t.buffer());
            texts.push(&t);
        }
        let _ = Reflect::set(&msg, &JsValue::from_str("t"), &JsValue::from_str("job"));
        let _ = Reflect::set(&msg, &JsValue::from_str("job"), &header);
        let _ = Reflect::set(&msg, &JsValue::from_str("id"), &JsValue::from_f64(f64::from(job.id)));
        let _ = Reflect::set(&msg, &JsValue::from_str("texts"), &texts);
        let sent = PORTS.with(|p| p.borrow().get(k).is_some_and(|(port, _)| port.post_message_with_transferable(&msg, &transfer).is_ok()));
        JOBS.with(|j| {
            let failed = (!sent).then(|| "the job could not be sent".to_string());
            j.borrow_mut().insert(job.id, Answers { port: k, failed, ..Default::default() });
        });
    }
    jobs
}

/// What the engine can do next for job `id`.
pub enum Next {
    /// Add these answers.
    Chunk(Vec<u8>),
    /// Nothing yet: wait.
    Pending,
    /// The helper will not answer (more): decode the rest of the range here.
    Failed(String),
}

pub fn next(id: u32) -> Next {
    JOBS.with(|j| {
        let mut j = j.borrow_mut();
        let Some(a) = j.get_mut(&id) else { return Next::Failed("no such job".into()) };
        if let Some(c) = a.chunks.pop_front() {
            return Next::Chunk(c.to_vec());
        }
        match (&a.failed, a.done) {
            (Some(why), _) => Next::Failed(why.clone()),
            // Done, and every chunk taken, yet the caller still asks: the range is not whole.
            (None, true) => Next::Failed("the helper's answers stopped short of its range".into()),
            (None, false) => Next::Pending,
        }
    })
}

/// The engine gave up on job `id` (an answer did not fit): later answers are dropped.
pub fn give_up(id: u32, why: String) {
    JOBS.with(|j| {
        if let Some(a) = j.borrow_mut().get_mut(&id) {
            a.chunks.clear();
            a.failed.get_or_insert(why);
        }
    });
}

/// What the helpers said of their jobs: their wasm memory at the end added up, and the longest
/// any took from receiving its job to its last answer.
pub struct Spent {
    pub memory: f64,
    pub seconds: f64,
}

/// The jobs of the analysis that ended: answers still coming are dropped.
pub fn forget_jobs() -> Spent {
    JOBS.with(|j| {
        j.borrow_mut().drain().fold(Spent { memory: 0.0, seconds: 0.0 }, |s, (_, a)| Spent { memory: s.memory + a.memory, seconds: s.seconds.max(a.seconds) })
    })
}

/// The helper's side: `{t: "port", port}` from the page gives it the port jobs come on.
pub fn run_helper(scope: &DedicatedWorkerGlobalScope, data: &JsValue) {
    let t = Reflect::get(data, &JsValue::from_str("t")).ok().and_then(|v| v.as_string()).unwrap_or_default();
    if t != "port" {
        return;
    }
    let Some(port) = Reflect::get(data, &JsValue::from_str("port")).ok().and_then(|v| v.dyn_into::<MessagePort>().ok()) else { return };
    let reply = port.clone();
    let scope = scope.clone();
    let on_job = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| do_job(&scope, &reply, &e.data()));
    port.set_onmessage(Some(on_job.as_ref().unchecked_ref()));
    on_job.forget();
}

fn do_job(scope: &DedicatedWorkerGlobalScope, port: &MessagePort, data: &JsValue) {
    let get = |name: &str| Reflect::get(data, &JsValue::from_str(name)).ok();
    let Some(id) = get("id").and_then(|v| v.as_f64()) else { return };
    let started = js_sys::Date::now();
    // Every message says how far the helper is: its wasm memory and the seconds since the job came.
    let send = |t: &str, extra: Option<(&str, &JsValue)>| {
        let msg = js_sys::Object::new();
        let set = |name: &str, value: &JsValue| {
            let _ = Reflect::set(&msg, &JsValue::from_str(name), value);
        };
        set("t", &JsValue::from_str(t));
        set("job", &JsValue::from_f64(id));
        set("memory", &JsValue::from_f64(super::worker::wasm_memory()));
        set("seconds", &JsValue::from_f64((js_sys::Date::now() - started) / 1000.0));
        let transfer = Array::new();
        if let Some((name, value)) = extra {
            set(name, value);
            if let Some(a) = value.dyn_ref::<Uint8Array>() {
                transfer.push(&a.buffer());
            }
        }
        let _ = port.post_message_with_transferable(&msg, &transfer);
    };
    let header = get("job").and_then(|v| v.dyn_into::<Uint8Array>().ok()).map(|a| a.to_vec()).unwrap_or_default();
    // Each text is copied into this worker's memory only when its file comes up, and let go
    // after: the helper holds one file at a time.
    let texts = get("texts").and_then(|v| v.dyn_into::<Array>().ok()).unwrap_or_default();
    let text_of = |k: usize| {
        let bytes = texts.get(k as u32).dyn_into::<Uint8Array>().ok()?.to_vec();
        texts.set(k as u32, JsValue::UNDEFINED);
        String::from_utf8(bytes).ok()
    };
    let result = share::run(&header, text_of, |chunk| {
        test_trap(scope);
        send("chunk", Some(("bytes", &Uint8Array::from(chunk.as_slice()))));
    });
    match result {
        Ok(()) => send("done", None),
        Err(why) => send("failed", Some(("why", &JsValue::from_str(&why)))),
    }
}

/// The end-to-end tests make a helper die in the middle of its job by setting
/// `self.__sbTestTrap = "trap"` in it. Nothing else sets it.
fn test_trap(scope: &DedicatedWorkerGlobalScope) {
    if Reflect::get(scope, &JsValue::from_str("__sbTestTrap")).ok().and_then(|v| v.as_string()).as_deref() == Some("trap") {
        core::arch::wasm32::unreachable();
    }
}
