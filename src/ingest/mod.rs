//! Ingest: turn whatever the user dropped (files, folders, archives, HAR) into decoded text files.
//!
//! Everything streams from a `Read + Seek` source (a native file, or a browser Blob read in chunks
//! by the worker), so an archive is never held in memory next to its expansion. Every input ends up
//! as exactly one `LogFile` per file or archive member, loaded, skipped or failed, with the reason.
//!
//! The work is async only so the worker can yield to its event loop between chunks (progress
//! messages out, a Cancel in); natively `block_on` runs it straight through.

pub mod text;

use crate::model::{FileStatus, LogFile, Problem};
use std::future::Future;
use std::io::{Read, Seek};

/// Limits that protect the page from hostile or accidental inputs.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Cap on the total expanded size of one load (all files together). Default 4 GiB.
    pub max_total_bytes: u64,
    /// Largest expanded/compressed ratio accepted for one archive member (zip bombs).
    pub max_ratio: u64,
    /// Deepest nesting of archives inside archives.
    pub max_depth: u32,
    /// Longest line kept whole; longer lines are split and flagged.
    pub max_line_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_total_bytes: 4 << 30, max_ratio: 1000, max_depth: 4, max_line_bytes: 1 << 20 }
    }
}

/// Where ingest stands, for the progress bar.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    /// The file or member being read.
    pub current: String,
    /// Decoded text produced so far in this load.
    pub expanded_bytes: u64,
    /// Files and members finished so far in this load.
    pub files_done: u64,
}

/// The user pressed Cancel: stop, keep what finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

/// Lets the caller run between chunks: report progress, yield to an event loop, cancel.
pub trait Pacer {
    fn pause(&mut self, progress: &Progress) -> impl Future<Output = Result<(), Cancelled>>;
}

/// A pacer that never yields and never cancels (CLI, tests).
pub struct NoPause;

impl Pacer for NoPause {
    fn pause(&mut self, _: &Progress) -> impl Future<Output = Result<(), Cancelled>> {
        std::future::ready(Ok(()))
    }
}

/// Receives every file ingest produces (loaded, skipped or failed).
pub trait Sink {
    fn file(&mut self, file: LogFile);
}

impl Sink for Vec<LogFile> {
    fn file(&mut self, file: LogFile) {
        self.push(file);
    }
}

/// State shared by all inputs of one load (the total-size cap spans them all).
#[derive(Clone, Debug, Default)]
pub struct LoadState {
    pub progress: Progress,
}

/// Reads one input (a file of any kind, possibly an archive) and sends every file it holds to `sink`.
pub async fn ingest<R: Read + Seek>(
    path: &str,
    mut reader: R,
    size: u64,
    limits: &Limits,
    state: &mut LoadState,
    sink: &mut dyn Sink,
    pacer: &mut impl Pacer,
) -> Result<(), Cancelled> {
    state.progress.current = path.to_string();
    pacer.pause(&state.progress).await?;
    let mut file = LogFile::new(path, size);
    let mut dec = text::TextDecoder::new(limits.max_line_bytes);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                file.problems.push(Problem::new("read-error", format!("{path}: could not be read: {e}")));
                break;
            }
        };
        dec.feed(&buf[..n]);
        state.progress.expanded_bytes += n as u64;
        pacer.pause(&state.progress).await?;
    }
    dec.finish_into(&mut file);
    state.progress.files_done += 1;
    sink.file(file);
    Ok(())
}

/// Runs a future to completion on this thread. Ingest's futures only wait when a pacer makes them,
/// and `NoPause` never does, so a no-op waker is enough.
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// Reads a path from disk: a folder (walked recursively, sorted), an archive or a plain file.
#[cfg(not(target_arch = "wasm32"))]
pub fn ingest_path(path: &std::path::Path, limits: &Limits, state: &mut LoadState, sink: &mut dyn Sink) {
    let name = path.display().to_string();
    if path.is_dir() {
        let mut entries: Vec<_> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                sink.file(failed(&name, 0, "read-error", format!("{name}: folder could not be read: {e}")));
                return;
            }
        };
        entries.sort();
        for p in entries {
            ingest_path(&p, limits, state, sink);
        }
        return;
    }
    match std::fs::File::open(path) {
        Ok(f) => {
            let size = f.metadata().map(|m| m.len()).unwrap_or(0);
            let _ = block_on(ingest(&name, std::io::BufReader::new(f), size, limits, state, sink, &mut NoPause));
        }
        Err(e) => sink.file(failed(&name, 0, "read-error", format!("{name}: could not be opened: {e}"))),
    }
}

/// A file that could not be read at all.
pub fn failed(path: &str, size: u64, code: &str, message: String) -> LogFile {
    let mut f = LogFile::new(path, size);
    f.status = FileStatus::Failed;
    f.problems.push(Problem::new(code, message));
    f
}
