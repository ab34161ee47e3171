//! The CLI contract: `switchboard analyze [--json] PATH...`, exit codes, archive member names.
use std::process::Command;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard")).args(args).output().expect("run the CLI");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn analyze_json_lists_every_corpus_file() {
    let (code, out, err) = run(&["analyze", "--json", CORPUS]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let files = v["files"].as_array().expect("files");
    let logs: Vec<&serde_json::Value> = files.iter().filter(|f| !f["path"].as_str().unwrap_or("").ends_with("MANIFEST.md")).collect();
    assert_eq!(logs.len(), 26, "the 26 corpus files");
    for f in &logs {
        assert!(f["format"].as_str().is_some_and(|s| !s.is_empty() && s != "text"), "{f}");
        assert!(f["records"].as_u64().unwrap_or(0) > 0, "{f}");
        assert_eq!(f["encoding"], "utf-8");
        assert!(f["problems"].as_array().is_some());
    }
    let rec = &v["records"][0];
    for k in ["file", "line", "time", "format", "name", "fields", "text"] {
        assert!(rec.get(k).is_some(), "record has {k}: {rec}");
    }
    assert!(v["flows"].as_array().is_some_and(|f| f.len() >= 5), "flows");
    assert!(v["findings"].as_array().is_some_and(|f| !f.is_empty()), "findings");
    // Every record index a flow or a finding names exists.
    let n = v["records"].as_array().map(|a| a.len()).unwrap_or(0);
    for f in v["flows"].as_array().into_iter().flatten() {
        for s in f["steps"].as_array().into_iter().flatten() {
            assert!(s["record"].as_u64().is_some_and(|i| (i as usize) < n));
        }
    }
}

#[test]
fn usage_errors_exit_2_and_input_problems_exit_1() {
    assert_eq!(run(&[]).0, 2);
    assert_eq!(run(&["analyze"]).0, 2);
    assert_eq!(run(&["analyze", "--bogus", CORPUS]).0, 2);
    let missing = format!("{CORPUS}/does-not-exist.log");
    let listener = format!("{CORPUS}/000-ece-availability/listener.log");
    let (code, out, _) = run(&["analyze", "--json", &listener, &missing]);
    assert_eq!(code, 1, "a missing input is a problem");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON still printed");
    let files = v["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    assert!(files.iter().any(|f| f["format"] == "ece-listener" && f["records"].as_u64() == Some(6)), "what loaded is printed");
    assert!(files.iter().any(|f| f["status"] == "failed"));
}

#[test]
fn archive_members_are_named_outer_bang_inner() {
    let dir = std::env::temp_dir().join(format!("sb-cli-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let demo = dir.join("demo.zip");
    std::fs::write(&demo, switchboard::demo::bundle_zip()).expect("write zip");
    let (code, out, err) = run(&["analyze", "--json", demo.to_str().unwrap_or("")]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert!(v["files"].as_array().expect("files").iter().all(|f| f["path"].as_str().unwrap_or("").contains("demo.zip!/")));
    let (code, text, _) = run(&["analyze", demo.to_str().unwrap_or("")]);
    assert_eq!(code, 0);
    assert!(text.contains("FLOWS") && text.contains("FINDINGS"), "human summary");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The streamed JSON is the same document as the one built in memory.
#[test]
fn streamed_json_matches_the_document() {
    let s = {
        let mut s = switchboard::session::Session::new();
        let mut st = switchboard::ingest::LoadState::default();
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
        switchboard::ingest::ingest_path(std::path::Path::new(corpus), &switchboard::ingest::Limits::default(), &mut st, &mut s);
        s.finish();
        s
    };
    let mut out = Vec::new();
    switchboard::report::write_json(&s, &mut out).expect("write");
    let streamed: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
    assert_eq!(streamed, switchboard::report::to_json(&s));
}
