//! One test per container kind: the rows ingest produces, their names and their texts.

#[path = "ingest_support.rs"]
mod support;

use support::*;
use switchboard::ingest::{ingest_path, Limits, LoadState};
use switchboard::model::{FileStatus, LogFile};

const A: &[u8] = b"10:00:00.001 first line of a\n10:00:00.002 second line of a\n";
const B: &[u8] = b"10:00:01.000 only line of b\r\n";

fn loaded<'a>(files: &'a [LogFile], path: &str) -> &'a str {
    let f = row(files, path);
    assert_eq!(f.status, FileStatus::Loaded, "{path}: {:?}", f.problems);
    assert!(f.problems.is_empty(), "{path}: {:?}", f.problems);
    &f.text
}

#[test]
fn plain_file() {
    let files = run("ctisvr.log", A);
    assert_eq!(paths(&files), ["ctisvr.log"]);
    assert_eq!(loaded(&files, "ctisvr.log"), std::str::from_utf8(A).unwrap());
    assert_eq!(files[0].line_count(), 2);
}

#[test]
fn zip_stored() {
    let z = zip_of(&[("logs/a.log", A, STORED), ("logs/b.log", B, STORED)]);
    let files = run("rtmt.zip", &z);
    assert_eq!(paths(&files), ["rtmt.zip!/logs/a.log", "rtmt.zip!/logs/b.log"]);
    assert_eq!(loaded(&files, "rtmt.zip!/logs/a.log").as_bytes(), A);
    assert_eq!(loaded(&files, "rtmt.zip!/logs/b.log").as_bytes(), B);
}

#[test]
fn zip_deflate_skips_directories_and_macos_junk() {
    let z = zip_of(&[
        ("logs/", b"", STORED),
        ("logs/a.log", A, DEFLATED),
        ("__MACOSX/logs/._a.log", b"\x00\x05\x16\x07junk", DEFLATED),
        ("logs/.DS_Store", b"\x00\x00\x00\x01Bud1", DEFLATED),
        ("logs/b.log", B, DEFLATED),
    ]);
    let files = run("rtmt.zip", &z);
    assert_eq!(paths(&files), ["rtmt.zip!/logs/a.log", "rtmt.zip!/logs/b.log"]);
    assert_eq!(loaded(&files, "rtmt.zip!/logs/a.log").as_bytes(), A);
    assert_eq!(loaded(&files, "rtmt.zip!/logs/b.log").as_bytes(), B);
}

#[test]
fn zip64() {
    let z = zip_with(&[("a.log", A, DEFLATED), ("b.log", B, STORED)], true);
    let files = run("big.zip", &z);
    assert_eq!(paths(&files), ["big.zip!/a.log", "big.zip!/b.log"]);
    assert_eq!(loaded(&files, "big.zip!/a.log").as_bytes(), A);
    assert_eq!(loaded(&files, "big.zip!/b.log").as_bytes(), B);
}

#[test]
fn zip_with_data_descriptors() {
    let z = zip_streamed(&[("a.log", A, DEFLATED), ("b.log", B, DEFLATED)]);
    // The writer really used data descriptors (general purpose flag bit 3).
    assert_eq!(z[6] & 0x08, 0x08);
    let files = run("streamed.zip", &z);
    assert_eq!(paths(&files), ["streamed.zip!/a.log", "streamed.zip!/b.log"]);
    assert_eq!(loaded(&files, "streamed.zip!/a.log").as_bytes(), A);
    assert_eq!(loaded(&files, "streamed.zip!/b.log").as_bytes(), B);
}

#[test]
fn zip_detected_by_content_not_extension() {
    let z = zip_of(&[("a.log", A, DEFLATED)]);
    let files = run("download", &z);
    assert_eq!(paths(&files), ["download!/a.log"]);
}

#[test]
fn tar() {
    let t = tar_of(&[("var/log/a.log", A), ("var/log/b.log", B)]);
    let files = run("activelog.tar", &t);
    assert_eq!(paths(&files), ["activelog.tar!/var/log/a.log", "activelog.tar!/var/log/b.log"]);
    assert_eq!(loaded(&files, "activelog.tar!/var/log/b.log").as_bytes(), B);
}

#[test]
fn tar_gz() {
    let t = gz(&tar_of(&[("cm/trace/a.log", A), ("cm/trace/b.log", B)]));
    let files = run("activelog.tgz", &t);
    assert_eq!(paths(&files), ["activelog.tgz!/cm/trace/a.log", "activelog.tgz!/cm/trace/b.log"]);
    assert_eq!(loaded(&files, "activelog.tgz!/cm/trace/a.log").as_bytes(), A);
}

#[test]
fn gz_rotated_log_is_named_without_gz() {
    let files = run("logs/server.log.1.gz", &gz(A));
    assert_eq!(paths(&files), ["logs/server.log.1.gz!/server.log.1"]);
    assert_eq!(loaded(&files, "logs/server.log.1.gz!/server.log.1").as_bytes(), A);
}

#[test]
fn multi_member_gz_reads_every_member() {
    let mut two = gz(A);
    two.extend_from_slice(&gz(B));
    let files = run("joined.log.gz", &two);
    let text = loaded(&files, "joined.log.gz!/joined.log");
    assert_eq!(text.as_bytes(), [A, B].concat());
}

#[test]
fn zip_in_zip() {
    let inner = zip_of(&[("b.log", B, DEFLATED)]);
    let outer = zip_of(&[("a.log", A, DEFLATED), ("node2/inner.zip", &inner, DEFLATED)]);
    let files = run("outer.zip", &outer);
    assert_eq!(paths(&files), ["outer.zip!/a.log", "outer.zip!/node2/inner.zip!/b.log"]);
    assert_eq!(loaded(&files, "outer.zip!/node2/inner.zip!/b.log").as_bytes(), B);
}

#[test]
fn tar_gz_in_zip_and_gz_in_tar() {
    let inner_tar = gz(&tar_of(&[("c.log", A), ("rot/d.log.2.gz", &gz(B))]));
    let outer = zip_of(&[("b.tar.gz", &inner_tar, STORED)]);
    let files = run("a.zip", &outer);
    assert_eq!(paths(&files), ["a.zip!/b.tar.gz!/c.log", "a.zip!/b.tar.gz!/rot/d.log.2.gz!/d.log.2"]);
    assert_eq!(loaded(&files, "a.zip!/b.tar.gz!/c.log").as_bytes(), A);
    assert_eq!(loaded(&files, "a.zip!/b.tar.gz!/rot/d.log.2.gz!/d.log.2").as_bytes(), B);
}

#[test]
fn empty_archive_is_one_skipped_row() {
    let z = zip_of(&[("dir/", b"", STORED)]);
    let files = run("nothing.zip", &z);
    assert_eq!(summary(&files), [("nothing.zip".to_string(), FileStatus::Skipped, vec!["empty".to_string()])]);
}

#[test]
fn folder_recursive_sorted_without_junk() {
    let dir = std::env::temp_dir().join(format!("switchboard-ingest-folder-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub/deeper")).unwrap();
    std::fs::create_dir_all(dir.join("__MACOSX")).unwrap();
    std::fs::write(dir.join("b.log"), B).unwrap();
    std::fs::write(dir.join("a.log"), A).unwrap();
    std::fs::write(dir.join(".DS_Store"), b"\x00\x00\x00\x01Bud1").unwrap();
    std::fs::write(dir.join("__MACOSX/._a.log"), b"\x00\x05\x16\x07").unwrap();
    std::fs::write(dir.join("sub/deeper/c.log.gz"), gz(A)).unwrap();
    std::fs::write(dir.join("sub/bundle.zip"), zip_of(&[("x.log", B, DEFLATED)])).unwrap();
    let mut files: Vec<LogFile> = Vec::new();
    let mut state = LoadState::default();
    ingest_path(&dir, &Limits::default(), &mut state, &mut files);
    let d = dir.display().to_string();
    let want = [format!("{d}/a.log"), format!("{d}/b.log"), format!("{d}/sub/bundle.zip!/x.log"), format!("{d}/sub/deeper/c.log.gz!/c.log")];
    assert_eq!(paths(&files), want.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(loaded(&files, &want[3]).as_bytes(), A);
    assert_eq!(state.progress.files_done, 4);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn progress_and_cancel_keep_what_finished() {
    use switchboard::ingest::{block_on, ingest, Cancelled, Pacer, Progress};
    struct CancelAfter {
        seen: Vec<String>,
        files_done_at_cancel: u64,
    }
    impl Pacer for CancelAfter {
        fn pause(&mut self, p: &Progress) -> impl std::future::Future<Output = Result<(), Cancelled>> {
            self.seen.push(p.current.clone());
            let r = if p.files_done >= 2 {
                self.files_done_at_cancel = p.files_done;
                Err(Cancelled)
            } else {
                Ok(())
            };
            std::future::ready(r)
        }
    }
    let z = zip_of(&[("a.log", A, DEFLATED), ("b.log", B, DEFLATED), ("c.log", A, DEFLATED), ("d.log", B, DEFLATED)]);
    let mut pacer = CancelAfter { seen: Vec::new(), files_done_at_cancel: 0 };
    let mut state = LoadState::default();
    let mut out: Vec<LogFile> = Vec::new();
    let r = block_on(ingest("x.zip", std::io::Cursor::new(&z), z.len() as u64, &Limits::default(), &mut state, &mut out, &mut pacer));
    assert_eq!(r, Err(Cancelled));
    assert_eq!(paths(&out), ["x.zip!/a.log", "x.zip!/b.log"]);
    assert!(pacer.seen.iter().any(|s| s == "x.zip!/a.log"), "{:?}", pacer.seen);
    assert_eq!(state.progress.expanded_bytes, (A.len() + B.len()) as u64);
}
