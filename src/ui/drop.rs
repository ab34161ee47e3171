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

/// The entries of a drop. Must be called inside the drop handler: the items die with the event.
pub fn entries_of(dt: &DataTransfer) -> (Vec<FileSystemEntry>, Vec<web_sys::File>) {
    let mut entries = Vec::new();
    let mut plain = Vec::new();
    let items = dt.items();
    for i in 0..items.length() {
        let Some(item) = items.get(i) else { continue };
        if item.kind() != "file" {
            continue;
        }
        match item.webkit_get_as_entry() {
            Ok(Some(e)) => entries.push(e),
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

/// Walks dropped entries (folders recursively) into files with their relative paths.
pub async fn walk(entries: Vec<FileSystemEntry>) -> Vec<(String, web_sys::File)> {
    let mut out = Vec::new();
    let mut stack: Vec<FileSystemEntry> = entries;
    while let Some(e) = stack.pop() {
        if e.is_file() {
            let fe: FileSystemFileEntry = e.clone().unchecked_into();
            let p = Promise::new(&mut |resolve, reject| {
                fe.file_with_callback_and_callback(&resolve, &reject);
            });
            if let Ok(f) = JsFuture::from(p).await {
                if let Ok(f) = f.dyn_into::<web_sys::File>() {
                    let path = e.full_path().trim_start_matches('/').to_string();
                    out.push((if path.is_empty() { f.name() } else { path }, f));
                }
            }
        } else if e.is_directory() {
            let de: FileSystemDirectoryEntry = e.unchecked_into();
            let reader = de.create_reader();
            // readEntries returns at most ~100 entries per call: call until it returns none.
            loop {
                let p = Promise::new(&mut |resolve: Function, reject: Function| {
                    let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
                });
                let Ok(batch) = JsFuture::from(p).await else { break };
                let Ok(arr) = batch.dyn_into::<Array>() else { break };
                if arr.length() == 0 {
                    break;
                }
                for v in arr.iter() {
                    if let Ok(child) = v.dyn_into::<FileSystemEntry>() {
                        stack.push(child);
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
