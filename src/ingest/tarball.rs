//! Tar archives (plain, or inside gzip as `.tar.gz`/`.tgz`), read as a stream, member by member.
//! Only regular files are read; directories, links and devices are ignored. A stream that breaks
//! part-way keeps the members before the damage and adds one row saying where it broke.

use super::{failed, ingest_member, is_junk, read_failure, skipped, Ctx, Guard, Meter, Pacer};
use crate::ingest::Cancelled;
use std::io::Read;

/// Reads every regular file of the tar in `reader`; members sit `depth` archive layers deep.
/// `meter` counts the compressed input of the nearest compressed layer (for the ratio guard).
pub(crate) async fn process<P: Pacer>(
    ctx: &mut Ctx<'_, P>,
    name: &str,
    reader: &mut dyn Read,
    depth: u32,
    meter: Option<Meter>,
) -> Result<bool, Cancelled> {
    let rows_before = ctx.state.progress.files_done;
    let mut archive = tar::Archive::new(reader);
    let mut entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            ctx.emit(failed(name, 0, "corrupt", format!("{name}: not a readable tar archive ({e})")));
            ctx.pause().await?;
            return Ok(false);
        }
    };
    let mut done: u64 = 0;
    let mut last: Option<String> = None;
    let mut partial: Option<String> = None;
    let mut clean = true;
    loop {
        let mut entry = match entries.next() {
            None => break,
            Some(Ok(e)) => e,
            Some(Err(e)) => {
                let (code, what) = read_failure(&e);
                let mut msg = match &last {
                    Some(l) => format!("{name}: {what} after member {done} ({l})"),
                    None => format!("{name}: {what} before its first complete member"),
                };
                match &partial {
                    Some(p) => msg.push_str(&format!("; member {} ({p}) is incomplete", done.saturating_add(1))),
                    None => msg.push_str(&format!(": {e}")),
                }
                ctx.emit(failed(name, 0, code, msg));
                ctx.pause().await?;
                clean = false;
                break;
            }
        };
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind.is_contiguous() || kind.is_gnu_sparse()) {
            continue;
        }
        let member = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let member = member.trim_start_matches("./").trim_start_matches('/').to_string();
        if member.is_empty() || is_junk(&member) {
            continue;
        }
        let full = format!("{name}!/{member}");
        if kind.is_gnu_sparse() {
            ctx.emit(skipped(&full, 0, "unsupported", format!("{full}: sparse tar member, not a log; skipped")));
            ctx.pause().await?;
        } else {
            let guard = meter.as_ref().map(Guard::at);
            let ok = Box::pin(ingest_member(ctx, full, &mut entry, depth, guard)).await?;
            if !ok {
                clean = false;
                partial = Some(member);
                continue;
            }
        }
        done = done.saturating_add(1);
        last = Some(member);
    }
    if clean && ctx.state.progress.files_done == rows_before {
        ctx.emit(skipped(name, 0, "empty", format!("{name}: archive holds no files")));
        ctx.pause().await?;
    }
    Ok(clean)
}
