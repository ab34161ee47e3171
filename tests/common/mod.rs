//! Helpers the integration tests share: loading the corpus or in-memory files into a session the
//! way the CLI does, and reading the CLI's JSON.
#![allow(dead_code)]

use serde_json::Value;
use switchboard::ingest::{ingest_path, Limits, LoadState};
use switchboard::model::LogFile;
use switchboard::session::Session;

/// The shared corpus (real excerpts), beside the repository.
pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

/// A session over files and folders on disk, finished (timeline and analysis) as the CLI does.
pub fn load_paths(paths: &[&str]) -> Session {
    let mut s = Session::new();
    let mut st = LoadState::default();
    for p in paths {
        ingest_path(std::path::Path::new(p), &Limits::default(), &mut st, &mut s);
    }
    s.finish();
    s
}

/// A corpus folder through the CLI path, with the CLI's JSON document.
pub fn load_corpus(folder: &str) -> (Session, Value) {
    let s = load_paths(&[&format!("{CORPUS}/{folder}")]);
    let j = switchboard::report::to_json(&s);
    (s, j)
}

/// An in-memory file as ingest would make it (UTF-8 text, lines indexed).
pub fn text_file(path: &str, text: &str) -> LogFile {
    let mut f = LogFile::new(path, text.len() as u64);
    f.encoding = "utf-8".into();
    f.text = text.to_string();
    f.line_starts = switchboard::formats::engine::line_starts(text);
    f
}

/// A finished session over in-memory files `(path, text)`.
pub fn session_of(files: &[(&str, &str)]) -> Session {
    let mut s = Session::new();
    for (p, t) in files {
        s.add_file(text_file(p, t));
    }
    s.finish();
    s
}

/// The CLI's JSON for in-memory files.
pub fn json_of(files: &[(&str, &str)]) -> Value {
    switchboard::report::to_json(&session_of(files))
}

pub mod variants;
