//! The session file: saved and opened again, it gives the same files (paths, sizes, encodings,
//! statuses, problems, texts), the same clocks (the ones set by hand kept as set), the same
//! bookmarks, notes and filters, and so the same analysis; it is recognised by its content, not its
//! name; a damaged one becomes a failed row naming the file and the reason, never a panic.
mod common;

use switchboard::annotations::{Annotations, Bookmark, FilterSet, FlowRef};
use switchboard::ingest::{ingest_path, Limits, LoadState};
use switchboard::model::{FileClock, FileStatus};
use switchboard::session::Session;
use switchboard::workspace::{self, Restoring};

const SANITIZE_DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sanitize");

/// Loads paths the way the CLI does, restoring session files; returns the annotations they held.
fn load(paths: &[&str]) -> (Session, Annotations) {
    let mut s = Session::new();
    let mut st = LoadState::default();
    let mut sink = Restoring::new(&mut s);
    for p in paths {
        ingest_path(std::path::Path::new(p), &Limits::default(), &mut st, &mut sink);
    }
    let notes = sink.finish();
    s.finish();
    (s, notes)
}

/// A case: two corpus folders, the HAR test data, a missing file (a failed row), one clock set by
/// hand, bookmarks on a record and on a flow step, a note, filters.
fn a_case(dir: &std::path::Path) -> (Session, Annotations) {
    let missing = dir.join("gone.log").display().to_string();
    let bosh = format!("{}/002-finesse-bosh", common::CORPUS);
    let ece = format!("{}/000-ece-availability", common::CORPUS);
    let (mut s, _) = load(&[&bosh, &ece, SANITIZE_DATA, &missing]);
    let ctisvr = s.files.iter().position(|f| f.path.ends_with("000-ece-availability/ctisvr.txt")).expect("ctisvr");
    if let Some(f) = s.files.get_mut(ctisvr) {
        f.clock = FileClock { date: Some((2019, 7, 20)), utc_offset_min: Some(-300), skew_ms: 1500, source: "user".into() };
    }
    s.user_clocks.insert(ctisvr as u32);
    s.finish();
    let flow = s.flows.first().expect("a flow");
    let step = flow.steps.get(1).or(flow.steps.first()).expect("a step");
    let rec = s.records.get(step.record()).expect("record");
    let notes = Annotations {
        title: "Idle close".into(),
        summary: "BOSH went idle; the ECE login went through.".into(),
        bookmarks: vec![
            Bookmark { file: s.files[ctisvr].path.clone(), line: 2, flow: None, note: "MEDIA_LOGIN_REQ arrives".into() },
            Bookmark {
                file: s.files[rec.file as usize].path.clone(),
                line: rec.line,
                flow: Some(FlowRef { kind: flow.kind.to_string(), key: flow.key.to_string() }),
                note: "this step".into(),
            },
        ],
        filters: vec![FilterSet { name: "errors".into(), filter: serde_json::json!({"hide_severities": ["DEBUG", "INFO"], "text": ""}) }],
    };
    (s, notes)
}

#[test]
fn a_saved_session_reopens_with_the_same_files_clocks_bookmarks_notes_and_filters() {
    let dir = common::temp_dir("workspace-round-trip");
    let (before, notes) = a_case(&dir);
    let bytes = workspace::save(&before, &notes).expect("save");
    // Any name: the file is recognised by its content.
    let file = dir.join("case-without-extension");
    std::fs::write(&file, &bytes).expect("write");
    let (after, restored) = load(&[&file.display().to_string()]);
    assert_eq!(restored, notes, "bookmarks, notes, filters, title and summary");
    assert_eq!(after.files.len(), before.files.len());
    for (a, b) in after.files.iter().zip(&before.files) {
        assert_eq!(a.path, b.path);
        assert_eq!(a.status, b.status, "{}", a.path);
        assert_eq!(a.size, b.size, "{}", a.path);
        assert_eq!(a.encoding, b.encoding, "{}", a.path);
        assert_eq!(a.format, b.format, "{}", a.path);
        assert_eq!(a.text, b.text, "{}", a.path);
        assert_eq!(a.clock, b.clock, "{}: clock", a.path);
        assert_eq!(a.problems, b.problems, "{}", a.path);
    }
    assert!(before.files.iter().any(|f| f.status == FileStatus::Failed), "the failed row is part of the case");
    assert_eq!(after.user_clocks, before.user_clocks, "the clock set by hand is still marked as set by hand");
    // The same analysis, and the bookmarks find the same records and the same flow step.
    let shape = |s: &Session| common::analysis_shape(&switchboard::report::to_json(s));
    assert_eq!(shape(&after), shape(&before));
    let (rb, ra) = (notes.resolve(&before), restored.resolve(&after));
    assert_eq!(ra.len(), 2);
    for (x, y) in rb.iter().zip(&ra) {
        let text = |s: &Session, r: Option<usize>| r.and_then(|i| s.records.get(i)).map(|r| s.record_text(r).to_string());
        assert!(x.record.is_some());
        assert_eq!(text(&after, y.record), text(&before, x.record));
        assert_eq!(y.step, x.step);
    }
    assert!(ra[1].flow.is_some() && ra[1].step.is_some(), "the step bookmark finds its flow and step");
    // Without a sink: open() gives the files and the manifest.
    let opened = workspace::open("case", &bytes).expect("open");
    assert_eq!(opened.files.len(), before.files.len());
    assert_eq!(opened.manifest.annotations, notes);
    assert!(opened.manifest.files.iter().any(|f| f.clock.user_set && f.clock.skew_ms == 1500));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A zip with the manifest first, as a session file would be, with these members.
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    for (name, data) in members {
        w.start_file(*name, o).expect("member");
        w.write_all(data).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

#[test]
fn damaged_session_files_say_which_and_why() {
    let good = {
        let s = common::session_of(&[("a.log", "2026-03-12 10:00:00.000 INFO hello\n")]);
        workspace::save(&s, &Annotations::default()).expect("save")
    };
    let manifest = |json: &str| zip_of(&[(workspace::MANIFEST, json.as_bytes())]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated.switchboard", good.get(..good.len() / 2).unwrap_or(&[]).to_vec(), "damaged Switchboard session file"),
        ("notjson.switchboard", manifest("{not json"), "manifest is not JSON"),
        ("other.switchboard", manifest(r#"{"format":"something-else","version":1,"files":[]}"#), "format \"something-else\""),
        ("newer.switchboard", manifest(r#"{"format":"switchboard-session","version":7,"files":[]}"#), "version 7"),
        (
            "unsafe.switchboard",
            manifest(r#"{"format":"switchboard-session","version":1,"files":[{"path":"x","member":"../../etc/passwd","status":"loaded"}]}"#),
            "unsafe member",
        ),
    ];
    for (name, bytes, why) in cases {
        let err = workspace::open(name, &bytes).err().unwrap_or_else(|| panic!("{name} opened"));
        assert!(err.starts_with(name) && err.contains(why), "{name}: {err}");
    }
    // A member the manifest names is missing: that file's row says so; the others load.
    let m = r#"{"format":"switchboard-session","version":1,"files":[
        {"path":"kept.log","member":"inputs/0001/kept.log","status":"loaded"},
        {"path":"lost.log","member":"inputs/0002/lost.log","status":"loaded"}]}"#;
    let bytes = zip_of(&[(workspace::MANIFEST, m.as_bytes()), ("inputs/0001/kept.log", b"2026-03-12 10:00:00.000 INFO kept\n")]);
    let opened = workspace::open("partial.switchboard", &bytes).expect("the manifest is fine");
    assert_eq!(opened.files.len(), 2);
    assert_eq!(opened.files[0].status, FileStatus::Loaded);
    assert_eq!(opened.files[1].status, FileStatus::Failed);
    assert!(opened.files[1].problems[0].message.contains("lost.log: missing from the session file partial.switchboard"));
    // Every truncation and many single-byte changes of a good file: rows, never a panic.
    for cut in (0..good.len()).step_by(7) {
        let _ = workspace::open("cut", good.get(..cut).unwrap_or(&[]));
    }
    for at in (0..good.len()).step_by(3) {
        let mut bad = good.clone();
        if let Some(b) = bad.get_mut(at) {
            *b ^= 0x5a;
        }
        let _ = workspace::open("flipped", &bad);
    }
}

#[test]
fn the_cli_saves_a_session_and_reads_it_as_a_path() {
    let dir = common::temp_dir("workspace-cli");
    let case = dir.join("case.switchboard").display().to_string();
    let notes = dir.join("notes.json");
    let folder = format!("{}/002-finesse-bosh", common::CORPUS);
    let first = std::fs::read_dir(&folder).expect("folder").filter_map(|e| e.ok()).map(|e| e.path()).find(|p| p.is_file()).expect("a file");
    std::fs::write(&notes, format!(r#"{{"title":"BOSH case","bookmarks":[{{"file":"{}","line":1,"note":"start here"}}]}}"#, first.display())).expect("notes");
    let (code, out, err) = common::cli(&["session", "--out", &case, "--annotations", &notes.display().to_string(), &folder]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 bookmarks"), "{out}");
    // analyze: the same document from the session file as from the folder.
    let json = |p: &str| -> serde_json::Value { serde_json::from_str(&common::cli(&["analyze", "--json", p]).1).expect("JSON") };
    let (a, b) = (json(&folder), json(&case));
    assert_eq!(a["files"], b["files"]);
    assert_eq!(a["records"].as_array().map(Vec::len), b["records"].as_array().map(Vec::len));
    assert_eq!(common::analysis_shape(&a), common::analysis_shape(&b));
    // report: the bookmark and the title come from the session file.
    let html = dir.join("r.html").display().to_string();
    assert_eq!(common::cli(&["report", "--out", &html, &case]).0, 0);
    let h = std::fs::read_to_string(&html).expect("report");
    assert!(h.contains("<title>BOSH case</title>") && h.contains("start here"));
    // sanitize: a session file is an input like any other.
    let zip = dir.join("s.zip").display().to_string();
    assert_eq!(common::cli(&["sanitize", "--out", &zip, &case]).0, 0);
    assert!(common::unzip(&std::fs::read(&zip).expect("zip")).len() > 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_session_file_inside_another_archive_is_restored_too() {
    let dir = common::temp_dir("workspace-nested");
    let s = common::session_of(&[("a.log", "2026-03-12 10:00:00.000 INFO hello\n"), ("b/c.log", "2026-03-12 10:00:01.000 WARN there\n")]);
    let notes = Annotations { title: "nested".into(), ..Default::default() };
    let inner = workspace::save(&s, &notes).expect("save");
    let outer = dir.join("mail-attachment.zip");
    std::fs::write(&outer, zip_of(&[("case.switchboard", &inner)])).expect("write");
    let (after, restored) = load(&[&outer.display().to_string()]);
    assert_eq!(restored, notes);
    assert_eq!(after.files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), ["a.log", "b/c.log"]);
    let _ = std::fs::remove_dir_all(&dir);
}
