//! Collecting what the user dropped or picked: single files, several files, whole folders
//! (`webkitGetAsEntry`, walked recursively), with each file's path inside its folder.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DataTransfer, FileList, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry};

/// Files from an `<input type=file>` (a folder picker gives `webkitRelativePath`).
pub fn from_file_list(list: &FileList) -> Vec<(String, web_sys::File)> {
    let mut out = Vec::new();
    for i in 0..list.length() {
        if let Some(f) = list.get(i) {
            let rel = Reflect::get(&f, &JsValue::from_str("webkitRelativePath")).ok().and_then(|v| v.as_string()).unwrap_or_default();
            let path = if rel.is_empty() { f.name() } else { rel };
            out.push((path, f));
        }
    }
    out
}

/// One dropped item: its entry, plus what Chromium can still read when the entry cannot be. On a
/// page opened from file:// every Entries API read (`file()`, `readEntries()`) fails there with
/// EncodingError, while the item's own `getAsFile()` and `getAsFileSystemHandle()` work.
pub struct Dropped {
    entry: FileSystemEntry,
    /// `getAsFile()` of a dropped file.
    file: Option<web_sys::File>,
    /// `getAsFileSystemHandle()` of a dropped folder, where the browser has it (a promise).
    handle: Option<Promise>,
}

/// The entries of a drop. Must be called inside the drop handler: the items die with the event.
pub fn entries_of(dt: &DataTransfer) -> (Vec<Dropped>, Vec<web_sys::File>) {
    let mut entries = Vec::new();
    let mut plain = Vec::new();
    let items = dt.items();
    for i in 0..items.length() {
        let Some(item) = items.get(i) else { continue };
        if item.kind() != "file" {
            continue;
        }
        match item.webkit_get_as_entry() {
            Ok(Some(entry)) => {
                let file = if entry.is_file() { item.get_as_file().ok().flatten() } else { None };
                let handle = if entry.is_directory() { file_system_handle(&item) } else { None };
                entries.push(Dropped { entry, file, handle });
            }
            _ => {
                if let Ok(Some(f)) = item.get_as_file() {
                    plain.push(f);
                }
            }
        }
    }
    // Synthetic drops (and some browsers) give files without entries.
    if entries.is_empty() && plain.is_empty() {
        if let Some(files) = dt.files() {
            for i in 0..files.length() {
                if let Some(f) = files.get(i) {
                    plain.push(f);
                }
            }
        }
    }
    (entries, plain)
}

fn file_system_handle(item: &web_sys::DataTransferItem) -> Option<Promise> {
    let f = Reflect::get(item, &JsValue::from_str("getAsFileSystemHandle")).ok()?.dyn_into::<Function>().ok()?;
    f.call0(item).ok().map(|p| Promise::resolve(&p))
}

/// Walks dropped entries (folders recursively) into files with their relative paths.
pub async fn walk(dropped: Vec<Dropped>) -> Vec<(String, web_sys::File)> {
    let mut out = Vec::new();
    for d in dropped {
        if d.entry.is_file() {
            let f = match d.file {
                Some(f) => Some(f),
                None => entry_file(d.entry.unchecked_ref()).await.ok(),
            };
            if let Some(f) = f {
                out.push((d.entry.name(), f));
            }
        } else if d.entry.is_directory() {
            let name = d.entry.name();
            let (files, failed) = walk_entries(d.entry).await;
            match (failed, d.handle) {
                (true, Some(h)) => match walk_handle(h, name).await {
                    Ok(files) => out.extend(files),
                    Err(e) => web_sys::console::warn_2(&JsValue::from_str("dropped folder unreadable:"), &e),
                },
                _ => out.extend(files),
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

async fn entry_file(fe: &FileSystemFileEntry) -> Result<web_sys::File, JsValue> {
    let p = Promise::new(&mut |resolve, reject| {
        fe.file_with_callback_and_callback(&resolve, &reject);
    });
    Ok(JsFuture::from(p).await?.unchecked_into())
}

/// The Entries API walk of one dropped folder; `true` when some read failed.
async fn walk_entries(root: FileSystemEntry) -> (Vec<(String, web_sys::File)>, bool) {
    let mut out = Vec::new();
    let mut failed = false;
    let mut stack = vec![root];
    while let Some(e) = stack.pop() {
        if e.is_file() {
            match entry_file(e.unchecked_ref()).await {
                Ok(f) => out.push((e.full_path().trim_start_matches('/').to_string(), f)),
                Err(_) => failed = true,
            }
        } else if e.is_directory() {
            let de: FileSystemDirectoryEntry = e.unchecked_into();
            let reader = de.create_reader();
            // readEntries returns at most ~100 entries per call: call until it returns none.
            loop {
                let p = Promise::new(&mut |resolve: Function, reject: Function| {
                    let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
                });
                let Ok(batch) = JsFuture::from(p).await else {
                    failed = true;
                    break;
                };
                let Ok(arr) = batch.dyn_into::<Array>() else { break };
                if arr.length() == 0 {
                    break;
                }
                // Not `dyn_into`: Chromium has no global `FileSystemEntry`, so `instanceof` is false.
                stack.extend(arr.iter().map(JsCast::unchecked_into::<FileSystemEntry>));
            }
        }
    }
    (out, failed)
}

/// The same walk through a `FileSystemDirectoryHandle` (File System Access API).
async fn walk_handle(handle: Promise, name: String) -> Result<Vec<(String, web_sys::File)>, JsValue> {
    let get = |o: &JsValue, k: &str| Reflect::get(o, &JsValue::from_str(k));
    let call = |o: &JsValue, k: &str| -> Result<JsFuture, JsValue> {
        let f: Function = get(o, k)?.dyn_into()?;
        Ok(JsFuture::from(Promise::resolve(&f.call0(o)?)))
    };
    let mut out = Vec::new();
    let mut stack = vec![(name, JsFuture::from(handle).await?)];
    while let Some((path, dir)) = stack.pop() {
        let iter = get(&dir, "values")?.dyn_into::<Function>()?.call0(&dir)?;
        loop {
            let step = call(&iter, "next")?.await?;
            if get(&step, "done")?.is_truthy() {
                break;
            }
            let child = get(&step, "value")?;
            let child_path = format!("{path}/{}", get(&child, "name")?.as_string().unwrap_or_default());
            if get(&child, "kind")?.as_string().as_deref() == Some("directory") {
                stack.push((child_path, child));
            } else {
                out.push((child_path, call(&child, "getFile")?.await?.unchecked_into()));
            }
        }
    }
    Ok(out)
}
