//! Tar archives (plain, or inside gzip as `.tar.gz`/`.tgz`), read as a stream, member by member.
//! Only regular files are read; directories, links and devices are ignored. A stream that breaks
//! part-way keeps the members before the damage and adds one row saying where it broke.
//!
//! Memory: the tar crate reads GNU long names and PAX headers whole into memory, trusting their
//! declared size. So each member is drained here before asking for the next header, and the bytes
//! read while the tar crate parses headers are capped (`MAX_HEADER_BYTES`); past it the archive is
//! reported `corrupt` instead of allocating what a hostile header asks for.

use super::{failed, ingest_member, is_junk, read_failure, skipped, Ctx, Guard, Meter, Pacer};
use crate::ingest::Cancelled;
use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;

/// Most bytes the tar crate may read between two members (headers, long names, PAX records).
const MAX_HEADER_BYTES: u64 = 1 << 20;

/// Counts the bytes read while `in_header` is set and fails past `MAX_HEADER_BYTES`.
struct HeaderCap<R> {
    inner: R,
    in_header: Rc<Cell<bool>>,
    header_bytes: Rc<Cell<u64>>,
}

impl<R: Read> Read for HeaderCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.in_header.get() {
            let total = self.header_bytes.get().saturating_add(n as u64);
            self.header_bytes.set(total);
            if total > MAX_HEADER_BYTES {
                return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "tar header data (long name or PAX record) over 1 MiB"));
            }
        }
        Ok(n)
    }
}

/// Reads every regular file of the tar in `reader`; members sit `depth` archive layers deep.
/// `meter` counts the compressed input of the nearest compressed layer (for the ratio guard).
pub(crate) async fn process<P: Pacer>(ctx: &mut Ctx<'_, P>, name: &str, reader: &mut dyn Read, depth: u32, meter: Option<Meter>) -> Result<bool, Cancelled> {
    let rows_before = ctx.state.progress.files_done;
    let in_header = Rc::new(Cell::new(false));
    let header_bytes = Rc::new(Cell::new(0u64));
    let mut archive = tar::Archive::new(HeaderCap { inner: reader, in_header: in_header.clone(), header_bytes: header_bytes.clone() });
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
    let mut drain = vec![0u8; 64 * 1024];
    loop {
        in_header.set(true);
        header_bytes.set(0);
        let next = entries.next();
        in_header.set(false);
        let mut entry = match next {
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
            drain_now(&mut entry, &mut drain);
            continue;
        }
        let member = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let member = member.trim_start_matches("./").trim_start_matches('/').to_string();
        if member.is_empty() || is_junk(&member) {
            drain_now(&mut entry, &mut drain);
            continue;
        }
        let full = format!("{name}!/{member}");
        if kind.is_gnu_sparse() {
            drain_now(&mut entry, &mut drain);
            ctx.emit(skipped(&full, 0, "unsupported", format!("{full}: sparse tar member, not a log; skipped")));
            ctx.pause().await?;
        } else {
            let guard = meter.as_ref().map(Guard::at);
            let ok = Box::pin(ingest_member(ctx, full, &mut entry, depth, guard, None)).await?;
            // Read what the member left (a skipped or binary file) so the header cap sees only headers.
            let mut since: usize = 0;
            loop {
                match entry.read(&mut drain) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        since = since.saturating_add(n);
                        if since >= 1 << 20 {
                            since = 0;
                            ctx.pause().await?;
                        }
                    }
                }
            }
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

/// Reads the rest of an entry that is not ingested (directories, links, junk).
fn drain_now(entry: &mut impl Read, buf: &mut [u8]) {
    while let Ok(n) = entry.read(buf) {
        if n == 0 {
            break;
        }
    }
}
