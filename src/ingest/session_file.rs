//! A Switchboard session file given as an input (or found inside another archive): its manifest goes to the sink, then each saved
//! file is read back (through the same text decoding and limits as any file) under the path it was
//! loaded from. A damaged session file becomes one failed row naming the file and the reason.

use super::{failed, read_leaf, Cancelled, Ctx, Pacer};
use crate::workspace::{unloaded_row, Manifest, MANIFEST, MAX_MANIFEST_BYTES};
use std::io::{Read, Seek};

pub(crate) async fn process<P: Pacer, R: Read + Seek>(ctx: &mut Ctx<'_, P>, name: &str, reader: &mut R, size: u64) -> Result<bool, Cancelled> {
    match zip::ZipArchive::new(reader) {
        Ok(mut archive) => from_archive(ctx, name, &mut archive, size).await,
        Err(e) => {
            ctx.emit(failed(name, size, "corrupt", format!("{name}: a damaged Switchboard session file: {e}")));
            ctx.pause().await?;
            Ok(false)
        }
    }
}

/// True if an opened zip is a session file (its first member is the manifest): a session file
/// that arrives inside another archive.
pub(crate) fn is_session<R: Read + Seek>(archive: &zip::ZipArchive<R>) -> bool {
    archive.name_for_index(0).and_then(Result::ok).is_some_and(|n| n == MANIFEST)
}

/// A session file already opened as a zip.
pub(crate) async fn from_archive<P: Pacer, R: Read + Seek>(
    ctx: &mut Ctx<'_, P>,
    name: &str,
    archive: &mut zip::ZipArchive<R>,
    size: u64,
) -> Result<bool, Cancelled> {
    let manifest = match read_manifest(archive) {
        Ok(m) => m,
        Err(why) => {
            ctx.emit(failed(name, size, "corrupt", format!("{name}: not a valid Switchboard session file: {why}")));
            ctx.pause().await?;
            return Ok(false);
        }
    };
    ctx.sink.session_manifest(name, &manifest);
    let mut clean = true;
    for saved in &manifest.files {
        let Some(member) = &saved.member else {
            ctx.emit(unloaded_row(saved));
            ctx.pause().await?;
            continue;
        };
        ctx.state.progress.current.clone_from(&saved.path);
        match archive.by_name(member) {
            Ok(mut file) => {
                let hint = Some(file.size());
                clean &= Box::pin(read_leaf(ctx, saved.path.clone(), &mut file, None, hint)).await?;
            }
            Err(e) => {
                ctx.emit(failed(&saved.path, saved.size, "corrupt", format!("{}: missing from the session file {name} (member {member}: {e})", saved.path)));
                ctx.pause().await?;
                clean = false;
            }
        }
    }
    Ok(clean)
}

fn read_manifest<R: Read + Seek>(archive: &mut zip::ZipArchive<R>) -> Result<Manifest, String> {
    let file = archive.by_name(MANIFEST).map_err(|e| format!("its manifest cannot be read ({e})"))?;
    let mut bytes = Vec::new();
    file.take(MAX_MANIFEST_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("its manifest cannot be read ({e})"))?;
    if bytes.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(format!("its manifest is over {} bytes", MAX_MANIFEST_BYTES));
    }
    Manifest::parse(&bytes)
}
