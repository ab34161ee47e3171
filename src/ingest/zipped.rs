//! Zip archives: read through the central directory, straight from a seekable reader (stored,
//! deflate, deflate64, zip64, data descriptors). When the central directory cannot be read (a
//! truncated download, a damaged end), the members are recovered by walking the local headers from
//! the start, and one more row says where the archive broke.

use super::{human, ingest_member, is_junk, skipped, Counting, Ctx, Guard, Meter, Pacer};
use crate::ingest::{failed, Cancelled};
use std::io::{Read, Seek, SeekFrom};
use zip::CompressionMethod;

/// What the central directory (or a local header) says about one member, before reading it.
struct Entry {
    name: String,
    is_dir: bool,
    encrypted: bool,
    size: u64,
    compressed: u64,
    method: CompressionMethod,
}

fn supported(m: CompressionMethod) -> bool {
    matches!(m, CompressionMethod::Stored | CompressionMethod::Deflated | CompressionMethod::Deflate64)
}

enum Verdict {
    /// Read it.
    Read(String),
    /// Not a file anyone wants (directory, `__MACOSX`, `.DS_Store`): no row.
    Ignore,
    /// A row was emitted instead of reading it.
    Emitted,
}

/// Decides, from the metadata alone, whether a member is read, ignored or skipped with a reason.
fn judge<P: Pacer>(ctx: &mut Ctx<'_, P>, archive: &str, e: &Entry, check_declared: bool) -> Verdict {
    let member = e.name.trim_start_matches('/');
    if e.is_dir || member.is_empty() || is_junk(member) {
        return Verdict::Ignore;
    }
    let full = format!("{archive}!/{member}");
    let lim = ctx.limits;
    let row = if e.encrypted {
        Some(skipped(&full, e.size, "encrypted", format!("{full}: encrypted: extract it first")))
    } else if !supported(e.method) {
        Some(skipped(&full, e.size, "unsupported", format!("{full}: compressed with {:?}, which Switchboard cannot open; extract it first", e.method)))
    } else if check_declared && e.size >= lim.ratio_min_bytes && e.method != CompressionMethod::Stored && e.size / e.compressed.max(1) > lim.max_ratio {
        Some(skipped(
            &full,
            e.size,
            "ratio-cap",
            format!("{full}: declares {} from {} compressed (more than {}:1, likely a zip bomb); skipped", human(e.size), human(e.compressed), lim.max_ratio),
        ))
    } else if check_declared && !ctx.state.cap_reached && ctx.state.total_bytes.saturating_add(e.size) > lim.max_total_bytes {
        ctx.state.cap_reached = true;
        Some(ctx.size_cap_row(&full, e.size))
    } else {
        None
    };
    match row {
        Some(r) => {
            ctx.emit(r);
            Verdict::Emitted
        }
        None => Verdict::Read(full),
    }
}

/// Reads every member of the zip in `reader`; members sit `depth` archive layers deep.
/// Returns false if some member or the archive itself was damaged.
pub(crate) async fn process<P: Pacer, R: Read + Seek>(ctx: &mut Ctx<'_, P>, name: &str, reader: &mut R, size: u64, depth: u32) -> Result<bool, Cancelled> {
    let meter = Meter::default();
    let mut counted = Counting { inner: reader, meter: meter.clone() };
    let rows_before = ctx.state.progress.files_done;
    let mut archive = match zip::ZipArchive::new(&mut counted) {
        Ok(a) => a,
        Err(e) => {
            let clean = stream_fallback(ctx, name, &mut counted, &meter, size, depth, e.to_string()).await?;
            return Ok(clean);
        }
    };
    if super::session_file::is_session(&archive) {
        return Box::pin(super::session_file::from_archive(ctx, name, &mut archive, size)).await;
    }
    let mut clean = true;
    for i in 0..archive.len() {
        let entry = match archive.by_index_data(i) {
            Ok(d) => Entry {
                name: d.name().map(|c| c.into_owned()).unwrap_or_else(|_| String::from_utf8_lossy(d.name_raw()).into_owned()),
                is_dir: d.is_dir(),
                encrypted: d.encrypted(),
                size: d.size(),
                compressed: d.compressed_size(),
                method: d.compression(),
            },
            Err(e) => {
                ctx.emit(failed(name, size, "corrupt", format!("{name}: corrupt: member {} unreadable ({e})", i.saturating_add(1))));
                clean = false;
                continue;
            }
        };
        let full = match judge(ctx, name, &entry, true) {
            Verdict::Read(full) => full,
            Verdict::Ignore => continue,
            Verdict::Emitted => {
                ctx.pause().await?;
                continue;
            }
        };
        ctx.state.progress.current.clone_from(&full);
        let guard = Guard::at(&meter);
        let mut file = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                ctx.emit(failed(&full, entry.size, "corrupt", format!("{full}: corrupt: {e}")));
                ctx.pause().await?;
                clean = false;
                continue;
            }
        };
        let hint = plausible_size(ctx, &entry);
        let ok = Box::pin(ingest_member(ctx, full, &mut file, depth, Some(guard), hint)).await?;
        clean &= ok;
    }
    if ctx.state.progress.files_done == rows_before {
        ctx.emit(skipped(name, size, "empty", format!("{name}: archive holds no files")));
        ctx.pause().await?;
    }
    Ok(clean)
}

/// The central directory could not be read: walk the local headers from the start, keep every
/// member that reads, and add one row saying where the archive broke.
async fn stream_fallback<P: Pacer, R: Read + Seek>(
    ctx: &mut Ctx<'_, P>,
    name: &str,
    reader: &mut R,
    meter: &Meter,
    size: u64,
    depth: u32,
    why: String,
) -> Result<bool, Cancelled> {
    let real_size = reader.seek(SeekFrom::End(0)).unwrap_or(size);
    if let Err(e) = reader.seek(SeekFrom::Start(0)) {
        ctx.emit(failed(name, size, "read-error", format!("{name}: could not be read: {e}")));
        return Ok(false);
    }
    let mut done: u64 = 0;
    let mut last: Option<String> = None;
    let mut partial: Option<String> = None;
    let end = loop {
        let guard = Guard::at(meter);
        let mut file = match zip::read::read_zipfile_from_stream(reader) {
            Ok(Some(f)) => f,
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        };
        let entry = Entry {
            name: file.name().map(|c| c.into_owned()).unwrap_or_else(|_| String::from_utf8_lossy(file.name_raw()).into_owned()),
            is_dir: file.is_dir(),
            encrypted: file.encrypted(),
            size: file.size(),
            compressed: file.compressed_size(),
            method: file.compression(),
        };
        let member = entry.name.trim_start_matches('/').to_string();
        match judge(ctx, name, &entry, true) {
            Verdict::Read(full) => {
                ctx.state.progress.current.clone_from(&full);
                let hint = plausible_size(ctx, &entry);
                let ok = Box::pin(ingest_member(ctx, full, &mut file, depth, Some(guard), hint)).await?;
                if !ok {
                    partial = Some(member);
                    break Ok(());
                }
            }
            Verdict::Ignore => continue,
            Verdict::Emitted => ctx.pause().await?,
        }
        done = done.saturating_add(1);
        last = Some(member);
    };
    let pos = reader.stream_position().unwrap_or(0);
    let at_end = pos >= real_size;
    let (code, msg) = match (&end, &last, &partial) {
        (_, _, Some(p)) => (
            "truncated",
            match &last {
                Some(l) => format!("{name}: truncated after member {done} ({l}); member {} ({p}) is incomplete", done.saturating_add(1)),
                None => format!("{name}: truncated in its first member ({p})"),
            },
        ),
        (Ok(()), _, None) => ("corrupt", format!("{name}: central directory damaged ({why}); {done} members recovered from their local headers")),
        (Err(e), Some(l), None) => {
            let code = if at_end { "truncated" } else { "corrupt" };
            let what = if at_end { "truncated" } else { "damaged" };
            (code, format!("{name}: {what} after member {done} ({l}): {e}"))
        }
        (Err(e), None, None) => (if at_end { "truncated" } else { "corrupt" }, format!("{name}: not a readable zip archive ({why}; {e})")),
    };
    ctx.emit(failed(name, size, code, msg));
    ctx.pause().await?;
    Ok(false)
}

/// A member's declared size when its ratio to the compressed size is one the bomb guard allows
/// (a size hint for the text buffer; see `read_leaf`).
fn plausible_size<P: Pacer>(ctx: &Ctx<'_, P>, entry: &Entry) -> Option<u64> {
    (entry.size <= entry.compressed.max(1).saturating_mul(ctx.limits.max_ratio.max(1))).then_some(entry.size)
}
