//! The benchmark generator: deterministic, about the size asked, every file recognised as the same
//! format as its demo counterpart, and `measure` loads it all.

use std::path::PathBuf;
use switchboard::bench;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("switchboard-bench-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn generates_about_the_size_deterministically() {
    let d = tmp("gen");
    let (z1, z2, folder) = (d.join("a.zip"), d.join("b.zip"), d.join("plain"));
    let size = 3 << 20;
    let st = bench::generate(size, &z1, Some(&folder)).expect("generate");
    assert!(st.bytes >= size && st.bytes < size + (1 << 20), "{st:?}");
    bench::generate(size, &z2, None).expect("generate again");
    assert_eq!(std::fs::read(&z1).ok(), std::fs::read(&z2).ok());
    let v = bench::measure(&z1, false, true);
    assert_eq!(v["files"].as_u64(), Some(st.files));
    // The page's asks at ready, each timed with the size of its reply.
    for ask in ["histogram", "rows", "states", "findings", "flow_list"] {
        assert!(v["answers"][ask]["s"].as_f64().is_some_and(|s| s >= 0.0), "{ask}: {}", v["answers"]);
        assert!(v["answers"][ask]["json_bytes"].as_u64().is_some_and(|b| b > 100), "{ask}: {}", v["answers"]);
    }
    assert_eq!(v["files_not_loaded"].as_u64(), Some(0));
    assert_eq!(v["text_bytes"].as_u64(), Some(st.bytes));
    let plain = bench::measure(&folder, false, false);
    assert_eq!(plain["records"], v["records"]);
    assert!(plain.get("answers").is_none());
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn day_files_keep_the_demo_formats() {
    use switchboard::model::LogFile;
    let demo: std::collections::BTreeMap<String, String> = {
        let mut s = switchboard::session::Session::new();
        for (p, t) in switchboard::demo::bundle() {
            let mut f = LogFile::new(p, t.len() as u64);
            f.line_starts = switchboard::formats::engine::line_starts(&t);
            f.text = t;
            s.add_file(f);
        }
        s.files.iter().map(|f| (f.path.replace("Finesse_3107", "Finesse_agents").replace("agent-desktop-3107", "agent-desktops"), f.format.clone())).collect()
    };
    let mut s = switchboard::session::Session::new();
    for (p, t) in bench::day_files(2, 120, 3) {
        let mut f = LogFile::new(p, t.len() as u64);
        f.line_starts = switchboard::formats::engine::line_starts(&t);
        f.text = t;
        s.add_file(f);
    }
    s.finish();
    s.records = s.decoded_records().into();
    assert_eq!(s.files.len(), demo.len());
    for f in &s.files {
        let rel = f.path.split_once('/').map(|x| x.1).unwrap_or("").replace("2026-03-14", "2026-03-12");
        assert_eq!(demo.get(&rel), Some(&f.format), "{}", f.path);
        assert!(f.problems.is_empty());
    }
    let noted = s.records.iter().filter(|r| !r.notes().is_empty()).count();
    assert_eq!(noted, 2 * 3, "only the deliberate ARM notes");
}

/// A session of these files, finished and analysed.
fn analysed(files: Vec<(String, String)>) -> switchboard::session::Session {
    let mut s = switchboard::session::Session::new();
    for (p, t) in files {
        let mut f = switchboard::model::LogFile::new(p, t.len() as u64);
        f.line_starts = switchboard::formats::engine::line_starts(&t);
        f.text = t;
        s.add_file(f);
    }
    s.finish();
    s.analyze();
    s
}

#[test]
fn small_files_roll_many_over_and_read_as_it_does() {
    use bench::shapes::{many_files, small_files};
    let size = 600_000;
    let (whole, rolled) = (many_files(size), small_files(size));
    assert!(rolled.len() > 3 * whole.len(), "{} files", rolled.len());
    // Each file's parts, in order, are the file; each part ends at a line end past 16 KiB.
    for (path, text) in &whole {
        let (stem, ext) = path.rsplit_once('.').unwrap_or((path, ""));
        let parts: Vec<&(String, String)> =
            rolled.iter().filter(|(p, _)| p.starts_with(&format!("{stem}.")) && p.ends_with(&format!(".{ext}")) && p.len() == path.len() + 5).collect();
        assert_eq!(parts.iter().map(|(_, t)| t.as_str()).collect::<String>(), *text, "{path}");
        assert!(parts.iter().all(|(_, t)| t.ends_with('\n') && t.len() < 16 * 1024 + 2048), "{path}");
    }
    // Read the same: every file of a family detected as the whole file was, every record placed
    // in UTC from its neighbours, the same flows.
    let (a, b) = (analysed(whole), analysed(rolled));
    let family = |s: &switchboard::session::Session| -> std::collections::BTreeSet<(String, String)> {
        s.files.iter().map(|f| (f.path.rsplit_once('/').map_or("", |x| x.0).to_string(), f.format.clone())).collect()
    };
    assert_eq!(family(&a), family(&b));
    assert_eq!(a.records.len(), b.records.len());
    assert!(b.records.iter().all(|r| r.utc_ms().is_some()));
    assert_eq!(a.flows.len(), b.flows.len());
    assert!(!b.flows.is_empty());
}
