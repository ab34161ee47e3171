//! Helpers the integration tests share: loading the corpus or in-memory files into a session the
//! way the CLI does, and reading the CLI's JSON.
#![allow(dead_code)]

use serde_json::Value;
use switchboard::ingest::{ingest_path, Limits, LoadState};
use switchboard::model::LogFile;
use switchboard::session::Session;

/// The shared corpus (real excerpts), beside the repository.
pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

/// A session over files and folders on disk, read and parsed (no timeline yet).
pub fn ingested(paths: &[&str]) -> Session {
    let mut s = Session::new();
    let mut st = LoadState::default();
    for p in paths {
        ingest_path(std::path::Path::new(p), &Limits::default(), &mut st, &mut s);
    }
    s
}

/// A session over files and folders on disk, finished (timeline and analysis) as the CLI does.
pub fn load_paths(paths: &[&str]) -> Session {
    let mut s = ingested(paths);
    s.finish();
    s
}

/// A corpus folder through the CLI path, with the CLI's JSON document.
pub fn load_corpus(folder: &str) -> (Session, Value) {
    let s = load_paths(&[&format!("{CORPUS}/{folder}")]);
    let j = switchboard::report::to_json(&s);
    (s, j)
}

/// Every corpus file that reads as UTF-8 text, with its path, in no particular order.
pub fn corpus_texts() -> Vec<(String, String)> {
    let mut all = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(CORPUS)];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if let Ok(text) = std::fs::read_to_string(&p) {
                all.push((p.to_string_lossy().to_string(), text));
            }
        }
    }
    all
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

pub mod har;
pub mod variants;

/// Runs the CLI: (exit code, stdout, stderr).
pub fn cli(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_switchboard")).args(args).output().expect("run the CLI");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Every member of a zip as (name, text).
pub fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("member");
        let mut text = String::new();
        f.read_to_string(&mut text).expect("text");
        out.push((f.name().map(|n| n.into_owned()).unwrap_or_default(), text));
    }
    out
}

/// A fresh folder under the system temp folder, named for the test, removed when dropped (a run
/// of the suite leaves nothing behind).
pub fn temp_dir(name: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("sb-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    TempDir(dir)
}

/// See `temp_dir`.
pub struct TempDir(std::path::PathBuf);

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::path::Path> for TempDir {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What an analysis found, in a form two analyses can be compared by: flow kinds with their step
/// counts, finding codes with their counts, state timeline kinds with their change counts.
#[derive(Debug, PartialEq)]
pub struct AnalysisShape {
    pub flows: Vec<(String, usize)>,
    pub findings: Vec<(String, u64)>,
    pub states: Vec<(String, usize)>,
}

pub fn analysis_shape(j: &Value) -> AnalysisShape {
    let list = |k: &str| j[k].as_array().cloned().unwrap_or_default();
    let mut flows: Vec<(String, usize)> =
        list("flows").iter().map(|f| (f["kind"].as_str().unwrap_or("").to_string(), f["steps"].as_array().map_or(0, Vec::len))).collect();
    let mut findings: Vec<(String, u64)> = list("findings")
        .iter()
        .map(|f| (f["code"].as_str().unwrap_or("").to_string(), f["count"].as_u64().unwrap_or(1)))
        // Secrets and personal data are what sanitizing removes: their findings go with them.
        .filter(|(code, _)| switchboard::correlate::catalogue::entry(code).is_none_or(|e| e.area != "privacy"))
        .collect();
    let mut states: Vec<(String, usize)> =
        list("states").iter().map(|s| (s["kind"].as_str().unwrap_or("").to_string(), s["changes"].as_array().map_or(0, Vec::len))).collect();
    flows.sort();
    findings.sort();
    states.sort();
    AnalysisShape { flows, findings, states }
}

/// Records whose facts differ between the analysis' lean decode (only the fields it stores,
/// `model::keeping_only`) and a full decode: "file:line: what differs". Empty when the lean
/// decode loses nothing correlation reads.
pub fn lean_decode_mismatches(s: &Session) -> Vec<String> {
    use switchboard::correlate::facts::{stored_for_analysis, Kept};
    let mut out = Vec::new();
    for r in s.records.iter() {
        let Some(file) = s.files.get(r.file as usize) else { continue };
        let full = switchboard::formats::decode_record(file, r);
        let lean = switchboard::model::keeping_only(stored_for_analysis, || switchboard::formats::decode_record(file, r));
        let (a, b) = (Kept::of(&full), Kept::of(&lean));
        if a != b || full.name != lean.name || full.notes() != lean.notes() {
            out.push(format!("{}:{}: full {:?} {a:?}, lean {:?} {b:?}", file.path, r.line, full.name(), lean.name()));
        }
    }
    out
}
