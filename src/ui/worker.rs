//! The worker side: owns the engine, ingests files with progress and cancel, answers queries.
//!
//! Messages in: a JSON string `answers::Query` (`{"id": n, "req": Request}`) for queries; objects
//! for what carries files: `{t: "load", files: [File…], paths: [string…], skip_analysis?: why}`,
//! `{t: "demo", skip_analysis?}`, `{t: "cancel"}`, `{t: "limits", max_total_bytes}`,
//! `{t: "export", patterns}`. Messages out: JSON strings of `answers::WorkerMsg` (replies and
//! events), and the sanitized zip (`{t: "export-zip"}`) and a saved session file
//! (`{t: "session-file"}`, answering `Request::SaveSession`, whose typed reply follows) as objects
//! with their bytes transferred. A session file opened in a load posts `WorkerMsg::Restored` with
//! its annotations after restoring the clocks it holds.

use super::blob_reader::BlobReader;
use crate::answers::{Answer, LoadReport, Query, Summary, WorkerMsg};
use crate::ingest::{self, Cancelled, Limits, LoadState, Pacer, Progress, Sink};
use crate::model::LogFile;
use crate::query::{Engine, Request};
use crate::session::PendingParse;
use js_sys::{Array, Reflect};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

enum Input {
    Blob { path: String, blob: Blob },
    Bytes { path: String, bytes: Vec<u8> },
}

impl Input {
    fn size(&self) -> u64 {
        match self {
            Input::Blob { blob, .. } => blob.size() as u64,
            Input::Bytes { bytes, .. } => bytes.len() as u64,
        }
    }
}

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::new(Engine::new());
    static QUEUE: RefCell<VecDeque<Input>> = const { RefCell::new(VecDeque::new()) };
    static LOADING: Cell<bool> = const { Cell::new(false) };
    static CANCEL: Cell<bool> = const { Cell::new(false) };
    static LIMITS: RefCell<Limits> = RefCell::new(Limits::default());
    /// Milliseconds spent recognising and parsing files in this load (the rest is reading,
    /// unzipping, decoding text and yielding), for the load note and the benchmark.
    static PARSE_MS: Cell<f64> = const { Cell::new(0.0) };
    /// Milliseconds this load spent yielded to the event loop (progress, queries, Cancel), so the
    /// load note can tell reading + unzipping + decoding text apart from waiting.
    static YIELD_MS: Cell<f64> = const { Cell::new(0.0) };
    /// The worker's wasm memory when it started (the page's fixed cost, before any load).
    static START_MEMORY: Cell<f64> = const { Cell::new(0.0) };
    /// The file being parsed in steps (at most one: the pacer finishes it before ingest goes on).
    static PENDING: RefCell<Option<PendingParse>> = const { RefCell::new(None) };
    /// Why the analysis of the inputs queued now must not run (a reload after the engine died).
    static SKIP_ANALYSIS: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Session files opened in this load: the index of their first file, and their manifest.
    static MANIFESTS: RefCell<Vec<(usize, crate::workspace::Manifest)>> = const { RefCell::new(Vec::new()) };
}

/// What the analysis adds to the wasm memory, per byte of text loaded: records are decoded one
/// at a time and only their facts, IDs, flows and findings stay. Measured at the end of the
/// analysis on the bench shapes (BENCH.md, issue 13): 0.6–1.0× on top of the timeline where IDs
/// recur (one day of a busy server), 2.5× when nearly every line has its own agent, task and session.
const ANALYSIS_X_TEXT: f64 = 1.5;
/// The most a wasm32 memory can hold.
const WASM_MAX_BYTES: f64 = 4.0 * 1024.0 * 1024.0 * 1024.0;

/// Lines parsed per step of a big file (a few ms of work) between checks for Cancel.
const PARSE_STEP_LINES: usize = 50_000;

fn scope() -> Option<DedicatedWorkerGlobalScope> {
    js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>().ok()
}

/// Posts a message to the page.
pub fn post(m: &WorkerMsg) {
    if let (Some(s), Ok(text)) = (scope(), serde_json::to_string(m)) {
        let _ = s.post_message(&JsValue::from_str(&text));
    }
}

fn summary() -> Summary {
    match ENGINE.with(|e| e.borrow_mut().handle(Request::Summary)) {
        Answer::Summary(s) => *s,
        _ => Summary::default(),
    }
}

/// The end-to-end tests' way to make the engine die in the middle of an analysis, as a real
/// out-of-memory or a trap would: they set `self.__sbTestTrap` in this worker to "oom", "trap" or
/// "panic". Nothing else sets it.
fn test_trap() {
    let Some(what) = scope().and_then(|s| Reflect::get(&s, &JsValue::from_str("__sbTestTrap")).ok()).and_then(|v| v.as_string()) else { return };
    match what.as_str() {
        // What the allocator does when an allocation of 1.5 GiB fails (its report, then the
        // abort), without making the test machine fill 4 GiB first.
        "oom" => super::alloc::failed(3 << 29),
        "trap" => core::arch::wasm32::unreachable(),
        "panic" => panic!("test hook: a panic in the middle of the analysis"),
        _ => {}
    }
}

/// Installs the message handler and replays messages that arrived while wasm was starting.
pub fn run(scope: DedicatedWorkerGlobalScope) {
    if scope.name() == super::helpers::HELPER_NAME {
        run_helper(scope);
        return;
    }
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| handle(e.data()));
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    if let Ok(pending) = Reflect::get(&scope, &JsValue::from_str("__sbPending")) {
        if let Ok(arr) = pending.dyn_into::<Array>() {
            for m in arr.iter() {
                handle(m);
            }
            arr.set_length(0);
        }
    }
    post(&WorkerMsg::Ready);
    wasm_bindgen_futures::spawn_local(warm_up());
}

/// A helper worker (`helpers`): no engine of its own, only jobs the engine sends it.
fn run_helper(scope: DedicatedWorkerGlobalScope) {
    let s = scope.clone();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| super::helpers::run_helper(&s, &e.data()));
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    if let Ok(arr) = Reflect::get(&scope, &JsValue::from_str("__sbPending")).and_then(|p| p.dyn_into::<Array>()) {
        for m in arr.iter() {
            super::helpers::run_helper(&scope, &m);
        }
        arr.set_length(0);
    }
}

/// Rounds of the demo bundle the warm-up runs through the whole engine (each a few ms once
/// compiled), then through the timeline path only.
const WARM_ROUNDS: usize = 12;
const WARM_TIMELINE_ROUNDS: usize = 120;

/// Runs the engine over the embedded demo bundle, in a throwaway session, while the worker waits
/// for the user's files. Browsers first run WebAssembly with a baseline compiler and compile a
/// function with their optimising tier only once it has run hot enough, in the background; a
/// bundle dropped on a fresh page was otherwise parsed mostly by baseline code. The whole pipeline
/// (analysis included) runs a few times, then the timeline path (Blob reader, unzip, text, every
/// format, clocks: per-line code, and what the user waits on first) many times more: in Chromium
/// 156, 24 whole rounds left parse + index at 115–158 MB/s on the 100 MiB bench, 12 whole and
/// 120 timeline rounds (about the same 1.8 s) at 145–206 MB/s; running on to 3 s gained nothing
/// (BENCH.md). Stops as soon as a real load starts; posts `{"t": "warm"}` when done.
async fn warm_up() {
    START_MEMORY.with(|m| m.set(wasm_memory()));
    let started = now();
    let zip = crate::demo::bundle_zip();
    for round in 0..WARM_ROUNDS + WARM_TIMELINE_ROUNDS {
        let Some(mut session) = warm_timeline(&zip).await else { return };
        if round < WARM_ROUNDS {
            let mut a = session.begin_analysis();
            while !session.analysis_step(&mut a, 2_000) {
                yield_now().await;
                if LOADING.with(|l| l.get()) {
                    return;
                }
            }
            session.finish_analysis(a);
        }
        yield_now().await;
    }
    post(&WorkerMsg::Warm { seconds: (now() - started) / 1000.0, wasm_memory: wasm_memory() });
}

/// One warm-up round of the timeline: the demo zip through a Blob (as the user's files come, so
/// the reader's path warms up too), every file parsed, clocks and order. `None` once a real load
/// has started (or the demo could not be read).
async fn warm_timeline(zip: &[u8]) -> Option<crate::session::Session> {
    if LOADING.with(|l| l.get()) {
        return None;
    }
    let mut files: Vec<LogFile> = Vec::new();
    let parts = Array::of1(&js_sys::Uint8Array::from(zip));
    let blob = Blob::new_with_u8_array_sequence(&parts).ok()?;
    let reader = BlobReader::new(blob, Rc::new(Cell::new(0))).ok()?;
    ingest::ingest(crate::demo::DEMO_NAME, reader, zip.len() as u64, &Limits::default(), &mut LoadState::default(), &mut files, &mut ingest::NoPause)
        .await
        .ok()?;
    let mut session = crate::session::Session::new();
    for f in files {
        session.add_file(f);
    }
    yield_now().await;
    if LOADING.with(|l| l.get()) {
        return None;
    }
    session.finish_index();
    Some(session)
}

fn handle(data: JsValue) {
    if let Some(s) = data.as_string() {
        match serde_json::from_str::<Query>(&s) {
            Ok(Query { id, req: Request::SaveSession { annotations } }) => save_session(id, &annotations),
            Ok(q) => {
                let body = ENGINE.with(|e| e.borrow_mut().handle(q.req));
                post(&WorkerMsg::Reply { id: q.id, body });
            }
            Err(e) => post(&WorkerMsg::Reply { id: 0, body: Answer::error(format!("bad request: {e}")) }),
        }
        return;
    }
    let t = Reflect::get(&data, &JsValue::from_str("t")).ok().and_then(|v| v.as_string()).unwrap_or_default();
    match t.as_str() {
        "cancel" => {
            CANCEL.with(|c| c.set(true));
            QUEUE.with(|q| q.borrow_mut().clear());
            super::helpers::wake();
        }
        "helpers" => super::helpers::take_ports(&data),
        "helper-died" => super::helpers::helper_died(&data),
        "limits" => {
            if let Some(n) = Reflect::get(&data, &JsValue::from_str("max_total_bytes")).ok().and_then(|v| v.as_f64()) {
                LIMITS.with(|l| l.borrow_mut().max_total_bytes = n.max(0.0) as u64);
            }
        }
        "export" => {
            let patterns: Vec<String> = Reflect::get(&data, &JsValue::from_str("patterns"))
                .ok()
                .and_then(|v| v.dyn_into::<Array>().ok())
                .map(|a| a.iter().filter_map(|v| v.as_string()).collect())
                .unwrap_or_default();
            export(&patterns);
        }
        "demo" => {
            note_skip_analysis(&data);
            QUEUE.with(|q| q.borrow_mut().push_back(Input::Bytes { path: crate::demo::DEMO_NAME.into(), bytes: crate::demo::bundle_zip() }));
            start_loading();
        }
        "load" => {
            let files = Reflect::get(&data, &JsValue::from_str("files")).ok().and_then(|v| v.dyn_into::<Array>().ok());
            let paths = Reflect::get(&data, &JsValue::from_str("paths")).ok().and_then(|v| v.dyn_into::<Array>().ok());
            if let Some(files) = files {
                note_skip_analysis(&data);
                QUEUE.with(|q| {
                    let mut q = q.borrow_mut();
                    for (i, f) in files.iter().enumerate() {
                        let Ok(blob) = f.clone().dyn_into::<Blob>() else { continue };
                        let name = paths
                            .as_ref()
                            .and_then(|p| p.get(i as u32).as_string())
                            .filter(|s| !s.is_empty())
                            .or_else(|| f.dyn_ref::<web_sys::File>().map(|f| f.name()))
                            .unwrap_or_else(|| format!("file-{i}"));
                        q.push_back(Input::Blob { path: name, blob });
                    }
                });
                start_loading();
            }
        }
        _ => {}
    }
}

/// A reload after the engine died says why the analysis must not run again.
fn note_skip_analysis(data: &JsValue) {
    if let Some(why) = Reflect::get(data, &JsValue::from_str("skip_analysis")).ok().and_then(|v| v.as_string()) {
        SKIP_ANALYSIS.with(|s| *s.borrow_mut() = Some(why));
    }
}

/// Builds the sanitized zip and hands its bytes to the page (transferred, not copied).
fn export(patterns: &[String]) {
    let result = crate::export::compile_patterns(patterns).and_then(|extra| ENGINE.with(|e| crate::export::sanitized_zip(&e.borrow().session, &extra)));
    let Some(scope) = scope() else { return };
    match result {
        Ok((bytes, hits)) => {
            let arr = js_sys::Uint8Array::from(bytes.as_slice());
            let msg = js_sys::Object::new();
            let _ = Reflect::set(&msg, &JsValue::from_str("t"), &JsValue::from_str("export-zip"));
            let _ = Reflect::set(&msg, &JsValue::from_str("hits"), &JsValue::from_f64(hits.len() as f64));
            let _ = Reflect::set(&msg, &JsValue::from_str("bytes"), &arr);
            let transfer = Array::of1(&arr.buffer());
            let _ = scope.post_message_with_transfer(&msg, &transfer);
        }
        Err(e) => post(&WorkerMsg::ExportError { message: e }),
    }
}

/// Writes the session file and hands its bytes to the page (transferred), then answers.
fn save_session(id: u64, annotations: &crate::annotations::Annotations) {
    let result = ENGINE.with(|e| {
        let e = e.borrow();
        e.session_file(annotations).map(|b| (b, e.session.files.len()))
    });
    let body = match result {
        Ok((bytes, files)) => {
            let n = bytes.len() as u64;
            let arr = js_sys::Uint8Array::from(bytes.as_slice());
            drop(bytes);
            let msg = js_sys::Object::new();
            let _ = Reflect::set(&msg, &JsValue::from_str("t"), &JsValue::from_str("session-file"));
            let _ = Reflect::set(&msg, &JsValue::from_str("bytes"), &arr);
            if let Some(scope) = scope() {
                let _ = scope.post_message_with_transfer(&msg, &Array::of1(&arr.buffer()));
            }
            Answer::SessionSaved { bytes: n, files }
        }
        Err(e) => Answer::error(format!("the session could not be saved: {e}")),
    };
    post(&WorkerMsg::Reply { id, body });
}

fn start_loading() {
    if LOADING.with(|l| l.replace(true)) {
        return; // the running loop will pick the new inputs up
    }
    CANCEL.with(|c| c.set(false));
    wasm_bindgen_futures::spawn_local(load_loop());
}

/// Sends each finished file to the engine (short borrows, so queries can run between chunks)
/// and tells the page a row is ready.
struct EngineSink;

impl Sink for EngineSink {
    fn file(&mut self, file: LogFile) {
        let row = WorkerMsg::File { path: file.path.clone(), status: format!("{:?}", file.status).to_lowercase() };
        // Parsing a big file takes a while: say so (the page is not blocked; this worker is).
        post(&WorkerMsg::Parsing { path: file.path.clone(), bytes: file.text.len() as u64 });
        // Documents are parsed here; line files are parsed in steps by the pacer (below), which
        // ingest calls right after each file.
        let t0 = now();
        let pending = ENGINE.with(|e| e.borrow_mut().session.begin_file(file));
        PARSE_MS.with(|p| p.set(p.get() + now() - t0));
        PENDING.with(|p| *p.borrow_mut() = pending);
        post(&row);
    }

    fn session_manifest(&mut self, _source: &str, manifest: &crate::workspace::Manifest) {
        // Its files come next: they start at the session's current length.
        let first = ENGINE.with(|e| e.borrow().session.files.len());
        MANIFESTS.with(|m| m.borrow_mut().push((first, manifest.clone())));
    }
}

/// Tells the page how far the decoding is (`done` of `total` records), at most every 100 ms:
/// each message re-renders the page's progress bar, on the core the helpers decode on.
fn analysing(done: usize, total: usize, started: f64, last: &mut f64) {
    let t = now();
    if t - *last < 100.0 {
        return;
    }
    *last = t;
    post(&WorkerMsg::Analysing { done: done as u64, total: total as u64, correlating: false, seconds: (t - started) / 1000.0, wasm_memory: wasm_memory() });
}

/// Yields to the worker's event loop about every 50 ms, posting progress; stops on Cancel.
struct WorkerPacer {
    last_yield: f64,
    started: f64,
    bytes_before: u64,
    bytes_total: u64,
    files_total: u64,
    inputs_done: u64,
    high_water: Rc<Cell<u64>>,
}

fn now() -> f64 {
    js_sys::Date::now()
}

impl WorkerPacer {
    fn report(&self, p: &Progress) {
        let done = self.bytes_before + self.high_water.get();
        let secs = ((now() - self.started) / 1000.0).max(0.001);
        post(&WorkerMsg::Progress(crate::answers::Progress {
            bytes_done: done,
            bytes_total: self.bytes_total,
            inputs_done: self.inputs_done,
            inputs_total: self.files_total,
            files_done: p.files_done,
            expanded: p.expanded_bytes,
            mbps: p.expanded_bytes as f64 / 1e6 / secs,
            current: p.current.clone(),
            wasm_memory: wasm_memory(),
        }));
    }
}

impl WorkerPacer {
    /// Parses the pending file a step at a time, yielding about every 50 ms (progress, queries,
    /// Cancel). On Cancel the records read so far stay and the file says where parsing stopped.
    async fn parse_pending(&mut self, progress: &Progress) -> Result<(), Cancelled> {
        let Some(mut pending) = PENDING.with(|p| p.borrow_mut().take()) else { return Ok(()) };
        loop {
            let t0 = now();
            let done = ENGINE.with(|e| e.borrow_mut().session.parse_step(&mut pending, PARSE_STEP_LINES));
            PARSE_MS.with(|p| p.set(p.get() + now() - t0));
            if done {
                return Ok(());
            }
            if now() - self.last_yield >= 50.0 {
                self.report(progress);
                yield_now().await;
                self.last_yield = now();
            }
            if CANCEL.with(|c| c.get()) {
                ENGINE.with(|e| e.borrow_mut().session.abandon_parse(pending));
                return Err(Cancelled);
            }
        }
    }
}

impl Pacer for WorkerPacer {
    async fn pause(&mut self, p: &Progress) -> Result<(), Cancelled> {
        self.parse_pending(p).await?;
        if now() - self.last_yield < 50.0 {
            return if CANCEL.with(|c| c.get()) { Err(Cancelled) } else { Ok(()) };
        }
        self.report(p);
        yield_now().await;
        self.last_yield = now();
        if CANCEL.with(|c| c.get()) {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}

/// The worker's wasm memory in bytes. It only grows, so its size is the peak so far.
pub(super) fn wasm_memory() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map(|b| b.byte_length() as f64)
        .unwrap_or(0.0)
}

/// Lets queued messages (a Cancel, a query) run: resolves on the next macrotask.
///
/// Through a `MessageChannel` to itself rather than `setTimeout(0)`: browsers clamp nested timers
/// to 4 ms, which a load that yields every 50 ms paid ~8 % of its time for.
async fn yield_now() {
    let t0 = now();
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let posted = YIELD_PORT.with(|p| {
            let mut p = p.borrow_mut();
            if p.is_none() {
                *p = yield_channel();
            }
            match p.as_ref() {
                Some((port, waiting)) => {
                    waiting.borrow_mut().push_back(resolve.clone());
                    port.post_message(&JsValue::NULL).is_ok()
                }
                None => false,
            }
        });
        if !posted {
            if let Some(s) = scope() {
                let _ = s.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
            }
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    YIELD_MS.with(|y| y.set(y.get() + now() - t0));
}

type Waiting = Rc<RefCell<VecDeque<js_sys::Function>>>;

thread_local! {
    /// The port `yield_now` posts to, and the resolvers waiting for their message to come back.
    static YIELD_PORT: RefCell<Option<(web_sys::MessagePort, Waiting)>> = const { RefCell::new(None) };
}

fn yield_channel() -> Option<(web_sys::MessagePort, Waiting)> {
    let channel = web_sys::MessageChannel::new().ok()?;
    let waiting: Waiting = Rc::new(RefCell::new(VecDeque::new()));
    let w = waiting.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |_e: MessageEvent| {
        let next = w.borrow_mut().pop_front();
        if let Some(resolve) = next {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    channel.port1().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    Some((channel.port2(), waiting))
}

async fn load_loop() {
    let limits = LIMITS.with(|l| l.borrow().clone());
    let mut state = LoadState::default();
    let started = now();
    PARSE_MS.with(|p| p.set(0.0));
    YIELD_MS.with(|y| y.set(0.0));
    let mut pacer = WorkerPacer {
        last_yield: started,
        started,
        bytes_before: 0,
        bytes_total: QUEUE.with(|q| q.borrow().iter().map(Input::size).sum()),
        files_total: QUEUE.with(|q| q.borrow().len() as u64),
        inputs_done: 0,
        high_water: Rc::new(Cell::new(0)),
    };
    let mut cancelled = false;
    loop {
        let Some(input) = QUEUE.with(|q| q.borrow_mut().pop_front()) else { break };
        // Inputs added while loading extend the totals.
        let queued: u64 = QUEUE.with(|q| q.borrow().iter().map(Input::size).sum());
        pacer.bytes_total = pacer.bytes_total.max(pacer.bytes_before + input.size() + queued);
        pacer.files_total = pacer.files_total.max(pacer.inputs_done + 1 + QUEUE.with(|q| q.borrow().len() as u64));
        pacer.high_water = Rc::new(Cell::new(0));
        let size = input.size();
        let result = match input {
            Input::Blob { path, blob } => match BlobReader::new(blob, pacer.high_water.clone()) {
                Ok(r) => {
                    // BlobReader buffers itself (a window that survives the archive's seeks).
                    ingest::ingest(&path, r, size, &limits, &mut state, &mut EngineSink, &mut pacer).await
                }
                Err(e) => {
                    EngineSink.file(ingest::failed(&path, size, "read-error", format!("{path}: could not be read: {e}")));
                    Ok(())
                }
            },
            Input::Bytes { path, bytes } => {
                pacer.high_water.set(size);
                ingest::ingest(&path, std::io::Cursor::new(bytes), size, &limits, &mut state, &mut EngineSink, &mut pacer).await
            }
        };
        pacer.bytes_before += size;
        pacer.inputs_done += 1;
        if result.is_err() {
            cancelled = true;
            QUEUE.with(|q| q.borrow_mut().clear());
            break;
        }
    }
    // A file emitted last may still be waiting for its parse (or was given up on Cancel).
    if !cancelled && pacer.parse_pending(&state.progress).await.is_err() {
        cancelled = true;
    }
    if let Some(p) = PENDING.with(|p| p.borrow_mut().take()) {
        ENGINE.with(|e| e.borrow_mut().session.abandon_parse(p));
    }
    pacer.high_water = Rc::new(Cell::new(0));
    // Reading, unzipping, decoding text and splitting lines: the load so far less parsing and
    // waiting on the event loop.
    let ingest_secs = ((now() - started) - PARSE_MS.with(|p| p.get()) - YIELD_MS.with(|y| y.get())) / 1000.0;
    let parsed_memory = wasm_memory();
    pacer.report(&state.progress);
    // Session files: restore the clocks the user set, and hand their annotations to the page.
    let manifests = MANIFESTS.with(|m| std::mem::take(&mut *m.borrow_mut()));
    if !manifests.is_empty() {
        let mut annotations = crate::annotations::Annotations::default();
        ENGINE.with(|e| {
            let mut e = e.borrow_mut();
            for (first, m) in manifests {
                crate::workspace::apply(&mut e.session, first, &m);
                annotations.merge(m.annotations);
            }
        });
        post(&WorkerMsg::Restored { annotations });
    }
    // Phase 1: the timeline (clocks, UTC, order). The page shows it at once.
    let t_order = now();
    ENGINE.with(|e| e.borrow_mut().refresh_index());
    let order_secs = (now() - t_order) / 1000.0;
    let ordered_memory = wasm_memory();
    let index_summary = summary();
    let index_secs = (now() - started) / 1000.0;
    let parse_secs = PARSE_MS.with(|p| p.get()) / 1000.0;
    let index_memory = wasm_memory();
    post(&WorkerMsg::Indexed {
        cancelled,
        seconds: index_secs,
        wasm_memory: index_memory,
        expanded: state.progress.expanded_bytes,
        summary: Box::new(index_summary),
    });
    // Phase 2: decode every record and correlate, in steps, so rows, searches and Cancel get
    // through meanwhile. Cancel (or more files arriving) leaves the timeline without new flows.
    let mut analysis = ENGINE.with(|e| e.borrow().session.begin_analysis());
    let total = ENGINE.with(|e| e.borrow().session.records.len());
    let analysis_started = now();
    // A Cancel during the load stopped the load; the analysis of what loaded still runs (a second
    // Cancel stops it).
    CANCEL.with(|c| c.set(false));
    // A wasm32 tab cannot grow past 4 GiB: an analysis that would surely not fit is not started.
    // One that runs out of memory anyway kills the worker, and the page reloads the inputs it holds
    // without the analysis (`skip_analysis`), so the timeline is never lost.
    let text: usize = ENGINE.with(|e| e.borrow().session.files.iter().map(|f| f.text.len()).sum());
    let need = text as f64 * ANALYSIS_X_TEXT;
    let room = WASM_MAX_BYTES - wasm_memory();
    let skipped = SKIP_ANALYSIS.with(|s| s.borrow_mut().take()).or_else(|| {
        (need > room * 0.9).then(|| {
            format!(
                "flows and findings were not computed: analysing {:.1} GB of text ({total} records) would need about {:.1} GB more, more than this tab can hold; load fewer files (one day, one server) to get them",
                text as f64 / 1e9,
                need / 1e9
            )
        })
    });
    let mut analysed = skipped.is_none();
    // Helpers decode ranges of the records meanwhile (when the page started some and the text
    // is worth it); the engine decodes the first range, then adds their answers in order.
    let jobs = if analysed { ENGINE.with(|e| super::helpers::send_jobs(&e.borrow().session, analysis.done())) } else { Vec::new() };
    let mut helper_records = 0u64;
    let mut helper_failed: Option<String> = None;
    // Time the engine spent waiting for helpers' answers with nothing of its own to decode.
    let mut helper_wait_ms = 0.0;
    let mut last_progress = 0.0;
    while analysed && analysis.done() < total {
        let at = analysis.done();
        // Decode here up to the next job's start, or the end of a job whose helper failed.
        let mut decode_to = jobs.iter().map(|j| j.from).find(|&f| f > at).unwrap_or(total);
        if let Some(job) = jobs.iter().find(|j| j.from <= at && at < j.to) {
            match super::helpers::next(job.id) {
                super::helpers::Next::Chunk(bytes) => {
                    let added = ENGINE.with(|e| e.borrow().session.add_share_chunk(&mut analysis, job.id, &bytes));
                    match added {
                        Ok(n) => helper_records += n as u64,
                        Err(why) => super::helpers::give_up(job.id, why),
                    }
                    test_trap();
                    continue;
                }
                super::helpers::Next::Pending => {
                    analysing(analysis.done(), total, analysis_started, &mut last_progress);
                    let t0 = now();
                    super::helpers::wait().await;
                    helper_wait_ms += now() - t0;
                    test_trap();
                    if CANCEL.with(|c| c.get()) || QUEUE.with(|q| !q.borrow().is_empty()) {
                        analysed = false;
                    }
                    continue;
                }
                super::helpers::Next::Failed(why) => {
                    if helper_failed.is_none() {
                        helper_failed = Some(why);
                    }
                    decode_to = job.to;
                }
            }
        }
        let step = decode_to.saturating_sub(at).clamp(1, 20_000);
        ENGINE.with(|e| e.borrow().session.analysis_step(&mut analysis, step));
        analysing(analysis.done(), total, analysis_started, &mut last_progress);
        yield_now().await;
        test_trap();
        if CANCEL.with(|c| c.get()) || QUEUE.with(|q| !q.borrow().is_empty()) {
            analysed = false;
        }
    }
    let helpers_spent = super::helpers::forget_jobs();
    let decode_secs = (now() - analysis_started) / 1000.0;
    if analysed {
        post(&WorkerMsg::Analysing {
            done: total as u64,
            total: total as u64,
            correlating: true,
            seconds: (now() - analysis_started) / 1000.0,
            wasm_memory: wasm_memory(),
        });
        yield_now().await;
        test_trap();
        ENGINE.with(|e| e.borrow_mut().analyze_with(analysis));
    }
    ENGINE.with(|e| e.borrow_mut().analysis_off = !analysed);
    let final_summary = summary();
    LOADING.with(|l| l.set(false));
    let secs = (now() - started) / 1000.0;
    post(&WorkerMsg::Loaded(Box::new(LoadReport {
        cancelled: cancelled || (!analysed && skipped.is_none()),
        analysed,
        analysis_skipped: skipped,
        seconds: secs,
        index_seconds: index_secs,
        parse_seconds: parse_secs,
        ingest_seconds: ingest_secs,
        order_seconds: order_secs,
        index_wasm_memory: index_memory,
        parsed_wasm_memory: parsed_memory,
        ordered_wasm_memory: ordered_memory,
        start_wasm_memory: START_MEMORY.with(|m| m.get()),
        wasm_memory: wasm_memory(),
        heap_peak: super::alloc::peak_live() as f64,
        helpers: jobs.len() as u32,
        helper_records,
        helper_failed,
        decode_seconds: decode_secs,
        helper_wasm_memory: helpers_spent.memory,
        helper_seconds: helpers_spent.seconds,
        helper_wait_seconds: helper_wait_ms / 1000.0,
        expanded: state.progress.expanded_bytes,
        summary: final_summary,
    })));
    // Inputs that arrived after the loop ended start a new one.
    if QUEUE.with(|q| !q.borrow().is_empty()) {
        start_loading();
    }
}
