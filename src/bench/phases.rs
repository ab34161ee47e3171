//! Named phase timings of the analysis, collected only when the benchmark asks (native only; the
//! browser worker times its own phases). `mark("name")` closes the phase that ended there.

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use std::cell::RefCell;
    use std::time::Instant;

    /// When the running phase started, and the phases ended so far (name, seconds).
    type Phases = (Instant, Vec<(&'static str, f64)>);

    thread_local! {
        static CLOCK: RefCell<Option<Phases>> = const { RefCell::new(None) };
    }

    /// Starts collecting on this thread.
    pub fn start() {
        CLOCK.with(|c| *c.borrow_mut() = Some((Instant::now(), Vec::new())));
    }

    /// Ends the phase running since the last mark (or `start`), under `name`. A no-op unless started.
    pub fn mark(name: &'static str) {
        CLOCK.with(|c| {
            if let Some((t, v)) = c.borrow_mut().as_mut() {
                v.push((name, t.elapsed().as_secs_f64()));
                *t = Instant::now();
            }
        });
    }

    /// Stops collecting and returns the phases in order.
    pub fn take() -> Vec<(&'static str, f64)> {
        CLOCK.with(|c| c.borrow_mut().take().map(|(_, v)| v).unwrap_or_default())
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    pub fn start() {}
    pub fn mark(_name: &'static str) {}
    pub fn take() -> Vec<(&'static str, f64)> {
        Vec::new()
    }
}

pub use imp::{mark, start, take};
