//! Ingest: turn whatever the user dropped (files, folders, archives, HAR) into decoded text files.
//!
//! Everything streams from a `Read + Seek` source (a native file, or a browser Blob read in chunks
//! by the worker), so an archive is never held in memory next to its expansion. Every input ends up
//! as exactly one `LogFile` per file or archive member, loaded, skipped or failed, with the reason;
//! an archive that breaks part-way adds one more row (named after the archive) saying where.
//!
//! Containers are recognised by their first bytes (`sniff`), never by extension: zip (stored,
//! deflate, deflate64, zip64, data descriptors), tar, gzip (multi-member too) and tar.gz. Members
//! are named `outer.zip!/inner/path.log`; nested archives chain the marker
//! (`a.zip!/b.tar.gz!/c.log`); a plain `.gz` holds one member named after it without the `.gz`
//! (`server.log.1.gz!/server.log.1`). A gzip whose content is a tar is one archive (`x.tgz!/m.log`).
//!
//! Memory: a top-level zip is read through its central directory straight from the caller's
//! seekable reader. A zip *inside* another archive has no seekable reader (the outer member is a
//! decompressing stream), so it is buffered in memory, up to `Limits::max_nested_zip_bytes`; past
//! that it is skipped (`nested-cap`) with a message asking to extract it. Tar and gzip stream at
//! any depth. The decoded text of each loaded file is kept (records point into it), so the total
//! expanded size of a load is capped (`Limits::max_total_bytes`).
//!
//! A Switchboard session file (`crate::workspace`) given as an input is recognised by its first
//! member and restored: its files come out under their original paths, after its manifest
//! (`Sink::session_manifest`).
//!
//! Problem codes ingest produces: `binary`, `encrypted`, `corrupt`, `truncated`, `too-deep`,
//! `size-cap`, `ratio-cap`, `nested-cap`, `unsupported`, `long-line`, `empty`, `invalid-bytes`,
//! `read-error`.
//!
//! The work is async only so the worker can yield to its event loop between chunks (progress
//! messages out, a Cancel in); natively `block_on` runs it straight through.

mod session_file;
pub mod sniff;
mod tarball;
pub mod text;
mod zipped;

use crate::model::{FileStatus, LogFile, Problem};
use sniff::Kind;
use std::cell::Cell;
use std::future::Future;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::rc::Rc;

/// Limits that protect the page from hostile or accidental inputs.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Cap on the total expanded size of one load (all files together). Default 4 GiB. Files past
    /// the cap are skipped (`size-cap`); the ones before it stay.
    pub max_total_bytes: u64,
    /// Largest expanded/compressed ratio accepted for one archive member (zip bombs). Default 200:
    /// real logs compress 10–50:1, deflate cannot exceed ~1032:1, and a bomb of repeated text
    /// lines made by flate2 comes out near 340:1.
    pub max_ratio: u64,
    /// The ratio is only judged once a member has expanded past this many bytes. Default 16 MiB.
    pub ratio_min_bytes: u64,
    /// Deepest nesting of archives: how many archive layers may be open at once (`a.zip!/b.zip!/c.log`
    /// is 2). Default 4; a fifth layer is skipped (`too-deep`).
    pub max_depth: u32,
    /// Longest line kept whole; longer lines are split and flagged.
    pub max_line_bytes: usize,
    /// Largest zip held in memory when it sits inside another archive (see the module doc).
    /// Default 256 MiB.
    pub max_nested_zip_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_total_bytes: 4 << 30, max_ratio: 200, ratio_min_bytes: 16 << 20, max_depth: 4, max_line_bytes: 1 << 20, max_nested_zip_bytes: 256 << 20 }
    }
}

/// Where ingest stands, for the progress bar.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    /// The file or member being read.
    pub current: String,
    /// Bytes expanded (read out of files and members, before text decoding) so far in this load.
    pub expanded_bytes: u64,
    /// Files and members finished so far in this load (loaded, skipped or failed).
    pub files_done: u64,
}

/// The user pressed Cancel: stop, keep what finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

/// Lets the caller run between chunks: report progress, yield to an event loop, cancel.
///
/// Ingest calls `pause` after every ~1 MiB read and after every file or member, so an archive of
/// 10 000 tiny files calls it 10 000 times: a pacer that yields to an event loop should do so only
/// when enough time has passed (say every 50 ms), and return `Ready` otherwise.
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

    /// A session file (`crate::workspace`) is being opened: its manifest, before its files (exactly
    /// one file per `manifest.files` entry follows, in order). Sinks that restore clocks and
    /// annotations note where its files start; the default ignores it.
    fn session_manifest(&mut self, _source: &str, _manifest: &crate::workspace::Manifest) {}
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
    /// Bytes of the files loaded so far in this load (what `Limits::max_total_bytes` caps).
    pub total_bytes: u64,
    /// Set once a file crossed `max_total_bytes`: every later file is skipped (`size-cap`).
    pub cap_reached: bool,
}

/// Read size for one step of a file; progress and pacing happen every `PAUSE_EVERY` bytes.
const CHUNK: usize = 256 * 1024;
const PAUSE_EVERY: u64 = 1 << 20;
/// Decompressors read their input ahead (flate2 by 32 KiB); the ratio guard allows for that much
/// compressed input being charged to the member before.
const PREFETCH_SLACK: u64 = 64 * 1024;
/// The most text room reserved up front from a size hint (bigger files grow as they are read).
const MAX_TEXT_HINT: u64 = 512 << 20;

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
    let mut ctx = Ctx { limits, state, sink, pacer, buf: lend_read_buf(), since_pause: 0 };
    ctx.state.progress.current = path.to_string();
    ctx.pause().await?;
    let head = match sniff::read_head(&mut reader, sniff::HEAD) {
        Ok(h) => h,
        Err(e) => {
            ctx.emit(failed(path, size, "read-error", format!("{path}: could not be read: {e}")));
            return Ok(());
        }
    };
    if crate::workspace::is_session_head(&head) {
        if let Err(e) = reader.seek(SeekFrom::Start(0)) {
            ctx.emit(failed(path, size, "read-error", format!("{path}: could not be read: {e}")));
            return Ok(());
        }
        session_file::process(&mut ctx, path, &mut reader, size).await?;
        return Ok(());
    }
    if sniff::kind(&head) == Kind::Zip && limits.max_depth > 0 {
        if let Err(e) = reader.seek(SeekFrom::Start(0)) {
            ctx.emit(failed(path, size, "read-error", format!("{path}: could not be read: {e}")));
            return Ok(());
        }
        zipped::process(&mut ctx, path, &mut reader, size, 1).await?;
        return Ok(());
    }
    let mut chained = Cursor::new(head).chain(&mut reader);
    ingest_member(&mut ctx, path.to_string(), &mut chained, 0, None, Some(size)).await?;
    Ok(())
}

thread_local! {
    /// The read buffer, kept from one `ingest` call to the next: a folder or a drop of thousands of
    /// small files is one call per file, and a new 256 KiB buffer zeroed for each cost more time
    /// than reading the files (12 % of the timeline's instructions for 16 KiB files).
    static READ_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Everything one `ingest` call threads through its layers.
pub(crate) struct Ctx<'a, P: Pacer> {
    limits: &'a Limits,
    state: &'a mut LoadState,
    sink: &'a mut dyn Sink,
    pacer: &'a mut P,
    /// Read buffer for leaf files, reused from file to file.
    buf: Vec<u8>,
    since_pause: u64,
}

/// The kept read buffer (empty when another call on this thread holds it: that call keeps it).
fn lend_read_buf() -> Vec<u8> {
    READ_BUF.with(|b| b.try_borrow_mut().map(|mut b| std::mem::take(&mut *b)).unwrap_or_default())
}

/// Keeps `buf` for the next call, unless a bigger one is kept already.
fn return_read_buf(buf: Vec<u8>) {
    READ_BUF.with(|b| {
        if let Ok(mut kept) = b.try_borrow_mut() {
            if kept.capacity() < buf.capacity() {
                *kept = buf;
            }
        }
    });
}

impl<P: Pacer> Drop for Ctx<'_, P> {
    fn drop(&mut self) {
        return_read_buf(std::mem::take(&mut self.buf));
    }
}

impl<P: Pacer> Ctx<'_, P> {
    async fn pause(&mut self) -> Result<(), Cancelled> {
        self.since_pause = 0;
        self.pacer.pause(&self.state.progress).await
    }

    /// Counts bytes of a file read, pausing every ~1 MiB.
    async fn advance(&mut self, n: usize) -> Result<(), Cancelled> {
        self.state.progress.expanded_bytes = self.state.progress.expanded_bytes.saturating_add(n as u64);
        self.tick(n).await
    }

    /// Pauses every ~1 MiB of work that is not file text (buffering a nested zip).
    async fn tick(&mut self, n: usize) -> Result<(), Cancelled> {
        self.since_pause = self.since_pause.saturating_add(n as u64);
        if self.since_pause >= PAUSE_EVERY {
            self.pause().await?;
        }
        Ok(())
    }

    fn emit(&mut self, file: LogFile) {
        self.state.progress.files_done = self.state.progress.files_done.saturating_add(1);
        self.sink.file(file);
    }

    /// `Some(message tail)` once `expanded` bytes out of the compressed bytes the guard has seen
    /// is past the ratio limit.
    fn ratio_exceeded(&self, expanded: u64, guard: Option<&Guard>) -> Option<String> {
        let g = guard?;
        if expanded < self.limits.ratio_min_bytes {
            return None;
        }
        let comp = g.compressed().saturating_add(PREFETCH_SLACK).max(1);
        if expanded / comp > self.limits.max_ratio {
            Some(format!(
                "expanded to over {} from about {} compressed (more than {}:1, likely a zip bomb); stopped and skipped",
                human(expanded),
                human(g.compressed()),
                self.limits.max_ratio
            ))
        } else {
            None
        }
    }

    fn size_cap_row(&self, name: &str, size: u64) -> LogFile {
        skipped(
            name,
            size,
            "size-cap",
            format!("{name}: skipped: this load reached its cap of {} expanded (files before it are kept)", human(self.limits.max_total_bytes)),
        )
    }
}

/// Compressed bytes consumed by one decompressing layer (shared with the reader that counts them).
#[derive(Clone, Debug, Default)]
pub(crate) struct Meter(Rc<Cell<u64>>);

impl Meter {
    fn get(&self) -> u64 {
        self.0.get()
    }
    fn add(&self, n: usize) {
        self.0.set(self.0.get().saturating_add(n as u64));
    }
}

/// The compressed input charged to one member: what its layer's meter counted since it started.
#[derive(Clone, Debug)]
pub(crate) struct Guard {
    meter: Meter,
    start: u64,
}

impl Guard {
    fn at(meter: &Meter) -> Guard {
        Guard { meter: meter.clone(), start: meter.get() }
    }
    fn compressed(&self) -> u64 {
        self.meter.get().saturating_sub(self.start)
    }
}

/// A reader that counts the bytes read through it.
pub(crate) struct Counting<R> {
    inner: R,
    meter: Meter,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.meter.add(n);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// One file or member, of any kind: sniffs it and either opens it as an archive (members one layer
/// deeper) or decodes it as text. `depth` is the number of archive layers around it. Returns
/// whether it was read to its end without a read error (containers use it to say where they broke).
async fn ingest_member<P: Pacer>(
    ctx: &mut Ctx<'_, P>,
    name: String,
    reader: &mut dyn Read,
    depth: u32,
    guard: Option<Guard>,
    size_hint: Option<u64>,
) -> Result<bool, Cancelled> {
    ctx.state.progress.current.clone_from(&name);
    let head = match sniff::read_head(reader, sniff::HEAD) {
        Ok(h) => h,
        Err(e) => {
            let (code, what) = read_failure(&e);
            ctx.emit(failed(&name, 0, code, format!("{name}: {what} ({e})")));
            ctx.pause().await?;
            return Ok(false);
        }
    };
    let kind = sniff::kind(&head);
    let mut chained = Cursor::new(head).chain(reader);
    if kind == Kind::Plain {
        return read_leaf(ctx, name, &mut chained, guard, size_hint).await;
    }
    let inner_depth = depth.saturating_add(1);
    if inner_depth > ctx.limits.max_depth {
        let msg = format!("{name}: archive nested {inner_depth} deep, past the limit of {}; extract it first", ctx.limits.max_depth);
        ctx.emit(skipped(&name, 0, "too-deep", msg));
        ctx.pause().await?;
        return Ok(true);
    }
    match kind {
        Kind::Zip => nested_zip(ctx, name, &mut chained, inner_depth, guard).await,
        Kind::Tar => {
            let meter = guard.map(|g| g.meter);
            Box::pin(tarball::process(ctx, &name, &mut chained, inner_depth, meter)).await
        }
        Kind::Gzip | Kind::Plain => gzip(ctx, name, &mut chained, inner_depth).await,
    }
}

/// A gzip stream (all members of a multi-member gzip): a tar inside makes it one tar.gz archive,
/// anything else is its one member, named without `.gz`.
async fn gzip<P: Pacer>(ctx: &mut Ctx<'_, P>, name: String, reader: &mut dyn Read, depth: u32) -> Result<bool, Cancelled> {
    let meter = Meter::default();
    let mut gz = flate2::read::MultiGzDecoder::new(Counting { inner: reader, meter: meter.clone() });
    let guard = Guard::at(&meter);
    let head = match sniff::read_head(&mut gz, sniff::HEAD) {
        Ok(h) => h,
        Err(e) => {
            let (code, what) = read_failure(&e);
            ctx.emit(failed(&name, 0, code, format!("{name}: gzip stream {what} ({e})")));
            ctx.pause().await?;
            return Ok(false);
        }
    };
    let is_tar = sniff::kind(&head) == Kind::Tar;
    let mut chained = Cursor::new(head).chain(&mut gz);
    if is_tar {
        Box::pin(tarball::process(ctx, &name, &mut chained, depth, Some(meter))).await
    } else {
        let inner = format!("{name}!/{}", gunzipped_name(&name));
        Box::pin(ingest_member(ctx, inner, &mut chained, depth, Some(guard), None)).await
    }
}

/// A zip inside another archive: buffered (the outer stream cannot seek), up to the nested cap.
async fn nested_zip<P: Pacer>(ctx: &mut Ctx<'_, P>, name: String, reader: &mut dyn Read, depth: u32, guard: Option<Guard>) -> Result<bool, Cancelled> {
    let cap = ctx.limits.max_nested_zip_bytes;
    let mut data: Vec<u8> = Vec::new();
    let mut chunk = std::mem::take(&mut ctx.buf);
    chunk.resize(CHUNK, 0);
    let mut clean = true;
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => {
                // Open what arrived: the zip reader reports where it broke.
                clean = false;
                break;
            }
        };
        let total = (data.len() as u64).saturating_add(n as u64);
        if total > cap {
            ctx.buf = chunk;
            let msg = format!("{name}: a zip inside another archive is opened in memory, and this one is over {}; extract it first", human(cap));
            ctx.emit(skipped(&name, total, "nested-cap", msg));
            ctx.pause().await?;
            return Ok(true);
        }
        if let Some(why) = ctx.ratio_exceeded(total, guard.as_ref()) {
            ctx.buf = chunk;
            ctx.emit(skipped(&name, total, "ratio-cap", format!("{name}: {why}")));
            ctx.pause().await?;
            return Ok(true);
        }
        data.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
        ctx.tick(n).await?;
    }
    ctx.buf = chunk;
    let size = data.len() as u64;
    let mut cursor = Cursor::new(data);
    let inner_clean = Box::pin(zipped::process(ctx, &name, &mut cursor, size, depth)).await?;
    Ok(clean && inner_clean)
}

/// A file that is not an archive: decoded as text, within the load's size cap and the ratio guard.
async fn read_leaf<P: Pacer>(
    ctx: &mut Ctx<'_, P>,
    name: String,
    reader: &mut dyn Read,
    guard: Option<Guard>,
    size_hint: Option<u64>,
) -> Result<bool, Cancelled> {
    if ctx.state.cap_reached {
        let row = ctx.size_cap_row(&name, 0);
        ctx.emit(row);
        ctx.pause().await?;
        return Ok(true);
    }
    let mut dec = text::TextDecoder::new(ctx.limits.max_line_bytes);
    // The size a container or the browser gives is only a hint (callers pass a zip member's only
    // when its compression ratio is within the guard): room for it is asked for once when it is
    // within the caps, which spares the text's buffer its doublings (each briefly held the old and
    // the new copy, and wasm memory never shrinks).
    let room = ctx.limits.max_total_bytes.saturating_sub(ctx.state.total_bytes).min(MAX_TEXT_HINT);
    if let Some(h) = size_hint.filter(|&h| h <= room) {
        dec.reserve_hint(h as usize);
    }
    let mut size: u64 = 0;
    let mut buf = std::mem::take(&mut ctx.buf);
    buf.resize(CHUNK, 0);
    let mut error: Option<std::io::Error> = None;
    let mut stopped: Option<LogFile> = None;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n.min(buf.len()),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                error = Some(e);
                break;
            }
        };
        size = size.saturating_add(n as u64);
        if ctx.state.total_bytes.saturating_add(size) > ctx.limits.max_total_bytes {
            ctx.state.cap_reached = true;
            stopped = Some(ctx.size_cap_row(&name, size));
            break;
        }
        if let Some(why) = ctx.ratio_exceeded(size, guard.as_ref()) {
            stopped = Some(skipped(&name, size, "ratio-cap", format!("{name}: {why}")));
            break;
        }
        dec.feed(buf.get(..n).unwrap_or(&[]));
        if dec.is_binary() {
            break;
        }
        // Records address their text with 32-bit offsets.
        if dec.text_len() as u64 > u64::from(u32::MAX) - CHUNK as u64 * 4 {
            stopped = Some(skipped(&name, size, "size-cap", format!("{name}: more than 4 GiB of text in one file; split it into smaller files")));
            break;
        }
        ctx.advance(n).await?;
    }
    ctx.buf = buf;
    let clean = error.is_none();
    let file = match stopped {
        Some(row) => row,
        None => {
            let mut file = LogFile::new(name.as_str(), size);
            dec.finish_into(&mut file);
            if let Some(e) = error {
                let (code, what) = read_failure(&e);
                if file.status == FileStatus::Loaded {
                    file.problems.push(Problem::new(code, format!("{name}: {what} after {} ({e}); the text before it is kept", human(size))));
                } else {
                    file.status = FileStatus::Failed;
                    file.problems = vec![Problem::new(code, format!("{name}: {what} ({e})"))];
                }
            }
            if file.status == FileStatus::Loaded {
                ctx.state.total_bytes = ctx.state.total_bytes.saturating_add(size);
            }
            file
        }
    };
    ctx.emit(file);
    ctx.pause().await?;
    Ok(clean)
}

/// How a read error is reported: an early end is `truncated`, anything else `corrupt`.
fn read_failure(e: &std::io::Error) -> (&'static str, &'static str) {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => ("truncated", "truncated"),
        std::io::ErrorKind::InvalidData | std::io::ErrorKind::InvalidInput | std::io::ErrorKind::Other => ("corrupt", "corrupt"),
        _ => ("read-error", "could not be read"),
    }
}

/// The member name a `.gz` holds: its own name without `.gz` (`.tgz` → `.tar`).
fn gunzipped_name(path: &str) -> String {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let base = base.rsplit("!/").next().unwrap_or(base);
    let lower = base.to_ascii_lowercase();
    for (ext, repl) in [(".tgz", ".tar"), (".gz", ""), (".gzip", ""), (".z", "")] {
        if lower.ends_with(ext) && base.len() > ext.len() {
            let stem = base.get(..base.len() - ext.len()).unwrap_or(base);
            return format!("{stem}{repl}");
        }
    }
    base.to_string()
}

/// Archive entries engineers never mean: macOS resource forks and Finder files. Skipped silently.
fn is_junk(member: &str) -> bool {
    member.starts_with("__MACOSX/") || member.contains("/__MACOSX/") || member.rsplit('/').next().is_some_and(|b| b == ".DS_Store" || b == "Thumbs.db")
}

/// Human size: `1.5 MiB`.
pub fn human(n: u64) -> String {
    const UNITS: &[&str] = &["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    match (u, UNITS.get(u)) {
        (0, _) => format!("{n} bytes"),
        (_, Some(unit)) => format!("{v:.1} {unit}"),
        _ => format!("{n} bytes"),
    }
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
/// Symbolic links to folders are not followed (no cycles); `.DS_Store` and `__MACOSX` are ignored.
#[cfg(not(target_arch = "wasm32"))]
pub fn ingest_path(path: &std::path::Path, limits: &Limits, state: &mut LoadState, sink: &mut dyn Sink) {
    ingest_path_at(path, limits, state, sink, true);
}

#[cfg(not(target_arch = "wasm32"))]
fn ingest_path_at(path: &std::path::Path, limits: &Limits, state: &mut LoadState, sink: &mut dyn Sink, top: bool) {
    let name = path.display().to_string();
    let is_link = std::fs::symlink_metadata(path).map(|m| m.file_type().is_symlink()).unwrap_or(false);
    if path.is_dir() {
        if is_link && !top {
            return;
        }
        let mut entries: Vec<_> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                state.progress.files_done = state.progress.files_done.saturating_add(1);
                sink.file(failed(&name, 0, "read-error", format!("{name}: folder could not be read: {e}")));
                return;
            }
        };
        entries.sort();
        for p in entries {
            let base = p.file_name().map(|b| b.to_string_lossy().into_owned()).unwrap_or_default();
            if base == "__MACOSX" || base == ".DS_Store" || base == "Thumbs.db" {
                continue;
            }
            ingest_path_at(&p, limits, state, sink, false);
        }
        return;
    }
    match std::fs::File::open(path) {
        Ok(f) => {
            let size = f.metadata().map(|m| m.len()).unwrap_or(0);
            let _ = block_on(ingest(&name, std::io::BufReader::new(f), size, limits, state, sink, &mut NoPause));
        }
        Err(e) => {
            state.progress.files_done = state.progress.files_done.saturating_add(1);
            sink.file(failed(&name, 0, "read-error", format!("{name}: could not be opened: {e}")));
        }
    }
}

/// A file that could not be read at all.
pub fn failed(path: &str, size: u64, code: &str, message: String) -> LogFile {
    let mut f = LogFile::new(path, size);
    f.status = FileStatus::Failed;
    f.problems.push(Problem::new(code, message));
    f
}

/// A file deliberately not read (over a limit, encrypted, too deep).
pub fn skipped(path: &str, size: u64, code: &str, message: String) -> LogFile {
    let mut f = LogFile::new(path, size);
    f.status = FileStatus::Skipped;
    f.problems.push(Problem::new(code, message));
    f
}
