//! The session file (`.switchboard`): a case saved to one file and opened again — the loaded inputs
//! (compressed), each file's clock, and the engineer's bookmarks, notes and filters.
//!
//! Layout: a zip whose **first** member is `switchboard-session.json` (the `Manifest`: format name,
//! version, every input file's path, size, encoding, status, problems, clock and wrappers, and the
//! `Annotations`), then one member per loaded file under `inputs/NNNN/<name>` holding the file's
//! decoded text (UTF-8). Files that did not load keep their row (status and problems) without a
//! member. A session file is recognised by its content, whatever its name: a zip whose first member
//! is the manifest (`is_session_head` on its first bytes; inside another archive, its central
//! directory), and whose manifest says `"format": "switchboard-session"`.
//!
//! # The API the page calls
//!
//! - Save: `workspace::save(&session, &annotations) -> Result<Vec<u8>, String>`; the bytes are the
//!   file to download (`case.switchboard`).
//! - Open: hand the dropped file to `ingest::ingest` like any input. Ingest recognises it and, before
//!   the files, calls `Sink::session_manifest(source, &manifest)`; then it emits exactly one file per
//!   `manifest.files` entry, in order, under its original path. The sink notes
//!   `first = session.files.len()` when the manifest arrives, and once the files are in, calls
//!   `workspace::apply(&mut session, first, &manifest)` (clocks the user set, encodings, wrappers)
//!   before `Session::finish_index`, and shows `manifest.annotations` (merged into the page's own
//!   with `Annotations::merge`). `Restoring` is that sink for a `Session` (the CLI uses it).
//! - Without a sink: `workspace::open(bytes) -> Result<Opened, String>` gives the files and the
//!   manifest; an error names the reason ("not a Switchboard session file: …").
//!
//! A corrupt session file never panics: it becomes a failed file row whose message names the file
//! and the reason (a damaged zip, a manifest that is not JSON, another format or a newer version,
//! a missing member).

use crate::annotations::Annotations;
use crate::ingest::{Limits, LoadState, NoPause, Sink};
use crate::model::{FileClock, FileStatus, LogFile, Problem};
use crate::session::Session;
use serde::{Deserialize, Serialize};

/// Name of the manifest, the first member of a session file.
pub const MANIFEST: &str = "switchboard-session.json";
/// The manifest's `format`.
pub const FORMAT: &str = "switchboard-session";
/// The manifest version this build writes and reads.
pub const VERSION: u32 = 1;
/// The largest manifest read (a manifest is small; a huge one is not ours).
pub const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// What a session file says about itself and its inputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// "Switchboard 0.1.0".
    #[serde(default)]
    pub created_by: String,
    pub files: Vec<SavedFile>,
    #[serde(default)]
    pub annotations: Annotations,
}

/// One input file as it was loaded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedFile {
    pub path: String,
    /// The member holding its text; None for a file that did not load.
    #[serde(default)]
    pub member: Option<String>,
    /// Size before text decoding, as first loaded.
    #[serde(default)]
    pub size: u64,
    #[serde(default)]
    pub encoding: String,
    /// `loaded`, `skipped` or `failed`.
    pub status: String,
    #[serde(default)]
    pub problems: Vec<SavedProblem>,
    /// The format it was read as (for people; it is detected again on opening).
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub clock: SavedClock,
    #[serde(default)]
    pub wrappers: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedProblem {
    pub code: String,
    pub message: String,
}

/// A file's clock; `user_set` ones are restored, the others are inferred again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedClock {
    pub date: Option<(i32, u32, u32)>,
    pub utc_offset_min: Option<i32>,
    pub skew_ms: i64,
    pub source: String,
    pub user_set: bool,
}

impl SavedClock {
    fn of(c: &FileClock, user_set: bool) -> Self {
        SavedClock { date: c.date, utc_offset_min: c.utc_offset_min, skew_ms: c.skew_ms, source: c.source.clone(), user_set }
    }

    fn to_clock(&self) -> FileClock {
        FileClock { date: self.date, utc_offset_min: self.utc_offset_min, skew_ms: self.skew_ms, source: self.source.clone() }
    }
}

fn status_name(s: FileStatus) -> &'static str {
    match s {
        FileStatus::Loaded => "loaded",
        FileStatus::Skipped => "skipped",
        FileStatus::Failed => "failed",
    }
}

impl Manifest {
    /// Reads and checks a manifest; the error says what is wrong with it.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| format!("its manifest is not JSON ({e})"))?;
        match v.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT) => {}
            Some(other) => return Err(format!("its manifest is of format {other:?}, not {FORMAT:?}")),
            None => return Err("its manifest has no format".into()),
        }
        let version = v.get("version").and_then(|x| x.as_u64()).unwrap_or(0);
        if version == 0 || version > u64::from(VERSION) {
            return Err(format!("it is version {version}, and this Switchboard reads version {VERSION} (open it with a newer Switchboard)"));
        }
        let m: Manifest = serde_json::from_value(v).map_err(|e| format!("its manifest is damaged ({e})"))?;
        for f in &m.files {
            if let Some(member) = &f.member {
                if member.contains("..") || member.starts_with('/') || member == MANIFEST {
                    return Err(format!("its manifest names an unsafe member {member:?}"));
                }
            }
        }
        Ok(m)
    }
}

/// True if these first bytes start a session file (a zip whose first member is the manifest).
pub fn is_session_head(head: &[u8]) -> bool {
    if !head.starts_with(b"PK\x03\x04") {
        return false;
    }
    let n = head.get(26..28).map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    head.get(30..30 + n) == Some(MANIFEST.as_bytes())
}

/// A member name for file `i`: `inputs/0001/<base name>` (the base name only helps people who open
/// the zip by hand).
fn member_name(i: usize, path: &str) -> String {
    let base = path.rsplit(['/', '\\', '!']).find(|s| !s.is_empty()).unwrap_or("file");
    let clean: String = base.chars().map(|c| if c.is_alphanumeric() || "._-".contains(c) { c } else { '_' }).take(100).collect();
    let clean = if clean.chars().all(|c| c == '.') { "file".to_string() } else { clean };
    format!("inputs/{:04}/{clean}", i + 1)
}

/// Writes a session file: every file of the session (loaded ones with their text), their clocks
/// (user-set ones marked), and the annotations.
pub fn save(s: &Session, annotations: &Annotations) -> Result<Vec<u8>, String> {
    save_files(s.files.iter().enumerate().map(|(i, f)| (f, None, s.user_clocks.contains(&(i as u32)))), annotations)
}

/// Writes a session file from files given one by one: (file, replacement text, clock set by the
/// user). A replacement text (a sanitized one) is written instead of the file's own.
pub fn save_files<'a>(files: impl IntoIterator<Item = (&'a LogFile, Option<String>, bool)>, annotations: &Annotations) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflate = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(false);
    let mut saved = Vec::new();
    let mut texts: Vec<(String, Option<String>, &LogFile)> = Vec::new();
    for (i, (f, text, user_set)) in files.into_iter().enumerate() {
        let member = (f.status == FileStatus::Loaded).then(|| member_name(i, &f.path));
        saved.push(SavedFile {
            path: f.path.clone(),
            member: member.clone(),
            size: f.size,
            encoding: f.encoding.clone(),
            status: status_name(f.status).into(),
            problems: f.problems.iter().map(|p| SavedProblem { code: p.code.clone(), message: p.message.clone() }).collect(),
            format: f.format.clone(),
            clock: SavedClock::of(&f.clock, user_set),
            wrappers: f.wrappers.clone(),
        });
        if let Some(m) = member {
            texts.push((m, text, f));
        }
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        created_by: format!("Switchboard {}", crate::VERSION),
        files: saved,
        annotations: annotations.clone(),
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?;
    // The manifest first: that is how a session file is recognised (`is_session_head`).
    w.start_file(MANIFEST, deflate).map_err(|e| e.to_string())?;
    w.write_all(&json).map_err(|e| e.to_string())?;
    for (m, text, f) in texts {
        let big = text.as_ref().map_or(f.text.len(), String::len) as u64 >= u64::from(u32::MAX);
        w.start_file(m, deflate.large_file(big)).map_err(|e| e.to_string())?;
        w.write_all(text.as_deref().unwrap_or(&f.text).as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(w.finish().map_err(|e| e.to_string())?.into_inner())
}

/// The row of a file that did not load, as it was.
pub fn unloaded_row(f: &SavedFile) -> LogFile {
    let mut row = LogFile::new(f.path.clone(), f.size);
    row.status = if f.status == "failed" { FileStatus::Failed } else { FileStatus::Skipped };
    row.encoding = f.encoding.clone();
    row.problems = f.problems.iter().map(|p| Problem::new(&p.code, p.message.clone())).collect();
    if row.problems.is_empty() {
        row.problems.push(Problem::new("unsupported", format!("{}: did not load when the session was saved", f.path)));
    }
    row
}

/// After a session file's files were added from index `first` on: restores what detection does
/// not find again (clocks the user set, the original encoding, size and wrappers).
pub fn apply(s: &mut Session, first: usize, m: &Manifest) {
    for (i, saved) in m.files.iter().enumerate() {
        let idx = first + i;
        let Some(f) = s.files.get_mut(idx) else { break };
        if f.path != saved.path {
            continue; // a row ingest added on its own (a cap reached): nothing of ours to restore
        }
        if f.status == FileStatus::Loaded {
            f.encoding.clone_from(&saved.encoding);
            f.size = saved.size;
            for w in &saved.wrappers {
                if !f.wrappers.contains(w) {
                    f.wrappers.push(w.clone());
                }
            }
        }
        if saved.clock.user_set {
            f.clock = saved.clock.to_clock();
            s.user_clocks.insert(idx as u32);
        }
    }
}

/// A sink that loads into a session and restores what session files say (clocks, annotations).
pub struct Restoring<'a> {
    pub session: &'a mut Session,
    restored: Vec<(usize, Manifest)>,
}

impl<'a> Restoring<'a> {
    pub fn new(session: &'a mut Session) -> Self {
        Restoring { session, restored: Vec::new() }
    }

    /// Applies every session file's manifest; returns their annotations, merged.
    pub fn finish(self) -> Annotations {
        let mut notes = Annotations::default();
        for (first, m) in self.restored {
            apply(self.session, first, &m);
            notes.merge(m.annotations);
        }
        notes
    }
}

impl Sink for Restoring<'_> {
    fn file(&mut self, file: LogFile) {
        self.session.add_file(file);
    }

    fn session_manifest(&mut self, _source: &str, manifest: &Manifest) {
        self.restored.push((self.session.files.len(), manifest.clone()));
    }
}

/// A session file opened without a session: its files (as ingest made them) and its manifest.
pub struct Opened {
    pub files: Vec<LogFile>,
    pub manifest: Manifest,
}

/// Opens a session file from its bytes (`name` is used in messages).
pub fn open(name: &str, bytes: &[u8]) -> Result<Opened, String> {
    struct Collect {
        files: Vec<LogFile>,
        manifest: Option<Manifest>,
    }
    impl Sink for Collect {
        fn file(&mut self, file: LogFile) {
            self.files.push(file);
        }
        fn session_manifest(&mut self, _source: &str, m: &Manifest) {
            self.manifest = Some(m.clone());
        }
    }
    let mut c = Collect { files: Vec::new(), manifest: None };
    let mut state = LoadState::default();
    let r = crate::ingest::block_on(crate::ingest::ingest(
        name,
        std::io::Cursor::new(bytes),
        bytes.len() as u64,
        &Limits::default(),
        &mut state,
        &mut c,
        &mut NoPause,
    ));
    if r.is_err() {
        return Err(format!("{name}: opening was cancelled"));
    }
    match c.manifest {
        Some(manifest) => Ok(Opened { files: c.files, manifest }),
        None => Err(c
            .files
            .first()
            .and_then(|f| f.problems.first())
            .map(|p| p.message.clone())
            .unwrap_or_else(|| format!("{name}: not a Switchboard session file"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_errors_say_what_is_wrong() {
        assert!(Manifest::parse(b"{").unwrap_err().contains("not JSON"));
        assert!(Manifest::parse(br#"{"format":"other","version":1,"files":[]}"#).unwrap_err().contains("format \"other\""));
        assert!(Manifest::parse(br#"{"format":"switchboard-session","version":99,"files":[]}"#).unwrap_err().contains("version 99"));
        assert!(Manifest::parse(br#"{"format":"switchboard-session","version":1,"files":[{"path":"a","member":"../x","status":"loaded"}]}"#)
            .unwrap_err()
            .contains("unsafe"));
        assert!(Manifest::parse(br#"{"format":"switchboard-session","version":1,"files":[]}"#).is_ok());
    }

    #[test]
    fn member_names_are_safe() {
        assert_eq!(member_name(0, "/a/b/c.log"), "inputs/0001/c.log");
        assert_eq!(member_name(11, "x.zip!/in ner/../d?.txt"), "inputs/0012/d_.txt");
        assert_eq!(member_name(2, "../"), "inputs/0003/file");
    }
}
