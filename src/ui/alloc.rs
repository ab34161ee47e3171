//! The wasm allocator, with one addition: when an allocation fails (wasm32 memory cannot grow past
//! 4 GiB, or the browser refused to grow it) the worker tells the page how much it wanted and how
//! much it had, before the abort that follows kills it. Without this the page only sees
//! "RuntimeError: unreachable" and cannot say which limit was hit.
//!
//! The report is written into a stack buffer and posted without allocating (the heap is full).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

struct Reporting;

#[global_allocator]
static ALLOC: Reporting = Reporting;

/// Set once a failure was reported (the abort follows; never report twice).
static REPORTED: AtomicBool = AtomicBool::new(false);

/// Bytes allocated and not freed, and the most there ever were: the wasm memory (which only
/// grows) less this peak is what the allocator could not reuse (the benchmark reports both).
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

fn shrank(by: usize) {
    LIVE.fetch_sub(by, Ordering::Relaxed);
}

/// The most bytes ever allocated at once.
pub fn peak_live() -> usize {
    PEAK.load(Ordering::Relaxed)
}

// SAFETY: every call is passed to `System` unchanged; only a null result is observed.
unsafe impl GlobalAlloc for Reporting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            report(layout.size());
        } else {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrank(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            report(layout.size());
        } else {
            grew(layout.size());
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            report(new_size);
        } else {
            shrank(layout.size());
            grew(new_size);
        }
        p
    }
}

/// What an allocation failure of `size` bytes comes to: the allocator's report, then Rust's abort
/// (`handle_alloc_error`, which traps). The end-to-end tests' hook calls it to kill the worker
/// the way a real out-of-memory does.
pub fn failed(size: usize) -> ! {
    report(size);
    match Layout::from_size_align(size, 8) {
        Ok(l) => std::alloc::handle_alloc_error(l),
        Err(_) => std::process::abort(),
    }
}

/// A fixed buffer `core::fmt::Write` can fill without the heap.
struct StackText {
    buf: [u8; 160],
    len: usize,
}

impl core::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let b = s.as_bytes();
        let end = self.len + b.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(core::fmt::Error)?;
        slot.copy_from_slice(b);
        self.len = end;
        Ok(())
    }
}

/// Posts `{"t":"out-of-memory","wanted":…,"wasm_memory":…}` (the `WorkerMsg::OutOfMemory`
/// shape) when running in the worker.
fn report(wanted: usize) {
    use core::fmt::Write;
    use wasm_bindgen::JsCast;
    if REPORTED.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() else { return };
    let memory = core::arch::wasm32::memory_size(0) as f64 * 65536.0;
    let mut text = StackText { buf: [0; 160], len: 0 };
    if write!(text, "{{\"t\":\"out-of-memory\",\"wanted\":{wanted},\"wasm_memory\":{memory}}}").is_err() {
        return;
    }
    if let Some(s) = text.buf.get(..text.len).and_then(|b| core::str::from_utf8(b).ok()) {
        let _ = scope.post_message(&wasm_bindgen::JsValue::from_str(s));
    }
}
