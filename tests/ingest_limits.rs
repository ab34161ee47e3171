//! One test per limit: each trips, names the file in its message, and the other files of the same
//! load survive.

#[path = "ingest_support.rs"]
mod support;

use std::io::Write;
use support::*;
use switchboard::ingest::{block_on, ingest, Limits, LoadState, NoPause};
use switchboard::model::{FileStatus, LogFile};

const GOOD: &[u8] = b"10:00:00.001 INFO good line\n";

#[test]
fn encrypted_member_is_skipped_and_the_rest_loads() {
    let mut z = zip_of(&[("good.log", GOOD, STORED), ("secret.log", b"ciphertext, really", STORED)]);
    mark_encrypted(&mut z, "secret.log");
    let files = run("case.zip", &z);
    assert_eq!(row(&files, "case.zip!/good.log").status, FileStatus::Loaded);
    let s = row(&files, "case.zip!/secret.log");
    assert_eq!(s.status, FileStatus::Skipped);
    assert_eq!(problem(s, "encrypted"), "case.zip!/secret.log: encrypted: extract it first");
}

#[test]
fn size_cap_skips_files_past_it_and_keeps_the_ones_before() {
    let limits = Limits { max_total_bytes: 100, ..Limits::default() };
    let first = b"a line of sixty bytes, give or take, for the first file..\n";
    let second = b"another line of sixty bytes or so, for the second file ...\n";
    let z = zip_of(&[("1.log", first, DEFLATED), ("2.log", second, DEFLATED), ("3.log", b"x\n", DEFLATED)]);
    let files = run_with("load.zip", &z, &limits);
    assert_eq!(row(&files, "load.zip!/1.log").status, FileStatus::Loaded);
    for p in ["load.zip!/2.log", "load.zip!/3.log"] {
        let f = row(&files, p);
        assert_eq!(f.status, FileStatus::Skipped);
        assert!(problem(f, "size-cap").starts_with(&format!("{p}: skipped")), "{:?}", f.problems);
    }
}

#[test]
fn size_cap_spans_inputs_of_one_load() {
    let limits = Limits { max_total_bytes: 40, ..Limits::default() };
    let mut state = LoadState::default();
    let mut out: Vec<LogFile> = Vec::new();
    for (name, data) in [("a.log", GOOD), ("b.log", GOOD)] {
        let r = block_on(ingest(name, std::io::Cursor::new(data), data.len() as u64, &limits, &mut state, &mut out, &mut NoPause));
        assert!(r.is_ok());
    }
    assert_eq!(summary(&out)[0].1, FileStatus::Loaded);
    assert_eq!(summary(&out)[1].2, ["size-cap"]);
    assert_eq!(state.total_bytes, GOOD.len() as u64);
}

/// 200 MiB of zeros in one zip member, compressed while generated (never held in memory).
fn zero_bomb_zip() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("good.log", zip::write::SimpleFileOptions::default()).unwrap();
    w.write_all(GOOD).unwrap();
    let opts = zip::write::SimpleFileOptions::default().compression_method(DEFLATED);
    w.start_file("bomb.log", opts).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..200 {
        w.write_all(&zeros).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn zip_bomb_is_refused_from_its_declared_sizes() {
    let z = zero_bomb_zip();
    assert!(z.len() < 2 << 20, "fixture is {} bytes", z.len());
    let files = run("bomb.zip", &z);
    assert_eq!(row(&files, "bomb.zip!/good.log").status, FileStatus::Loaded);
    let b = row(&files, "bomb.zip!/bomb.log");
    assert_eq!(b.status, FileStatus::Skipped);
    let m = problem(b, "ratio-cap");
    assert!(m.starts_with("bomb.zip!/bomb.log: declares 200.0 MiB"), "{m}");
}

#[test]
fn gzip_bomb_is_stopped_while_expanding() {
    // 200 MiB of one repeated text line: not binary, no declared size; compressed at the best
    // level (the ratio must not depend on the deflate backend's default level).
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let line = b"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n".repeat(16 * 1024);
    for _ in 0..(200 << 20) / line.len() {
        e.write_all(&line).unwrap();
    }
    let bomb = e.finish().unwrap();
    assert!(bomb.len() < (200 << 20) / 300, "a bomb: {} bytes for 200 MiB", bomb.len());
    let t = zip_of(&[("good.log", GOOD, STORED), ("trace.log.gz", &bomb, STORED)]);
    let files = run("case.zip", &t);
    assert_eq!(row(&files, "case.zip!/good.log").status, FileStatus::Loaded);
    let b = row(&files, "case.zip!/trace.log.gz!/trace.log");
    assert_eq!(b.status, FileStatus::Skipped);
    let m = problem(b, "ratio-cap");
    assert!(m.starts_with("case.zip!/trace.log.gz!/trace.log: expanded to over ") && m.contains("likely a zip bomb"), "{m}");
    assert!(b.text.is_empty());
}

#[test]
fn nesting_past_the_depth_limit_is_skipped() {
    // a.zip ⊃ 1.zip ⊃ 2.zip ⊃ 3.zip ⊃ {ok.log, 4.zip ⊃ deep.log}: five archive layers.
    let mut inner = zip_of(&[("deep.log", GOOD, DEFLATED)]);
    let three = zip_of(&[("ok.log", GOOD, DEFLATED), ("4.zip", &inner, DEFLATED)]);
    inner = three;
    for n in ["3.zip", "2.zip", "1.zip"] {
        inner = zip_of(&[(n, &inner, DEFLATED)]);
    }
    let files = run("a.zip", &inner);
    assert_eq!(row(&files, "a.zip!/1.zip!/2.zip!/3.zip!/ok.log").status, FileStatus::Loaded);
    let deep = row(&files, "a.zip!/1.zip!/2.zip!/3.zip!/4.zip");
    assert_eq!(deep.status, FileStatus::Skipped);
    assert_eq!(problem(deep, "too-deep"), "a.zip!/1.zip!/2.zip!/3.zip!/4.zip: archive nested 5 deep, past the limit of 4; extract it first");
    assert_eq!(files.len(), 2);
}

#[test]
fn nested_zip_over_the_buffer_cap_is_skipped() {
    let limits = Limits { max_nested_zip_bytes: 1000, ..Limits::default() };
    let inner = zip_of(&[("x.log", &noisy_log("x", 100), STORED)]);
    let outer = zip_of(&[("good.log", GOOD, STORED), ("inner.zip", &inner, DEFLATED)]);
    let files = run_with("o.zip", &outer, &limits);
    assert_eq!(row(&files, "o.zip!/good.log").status, FileStatus::Loaded);
    let f = row(&files, "o.zip!/inner.zip");
    assert!(problem(f, "nested-cap").starts_with("o.zip!/inner.zip: "));
}

#[test]
fn long_line_is_split_and_counted() {
    // One 20 MiB line between two ordinary ones.
    let mut data = b"first\n".to_vec();
    data.extend(std::iter::repeat_n(b'x', 20 << 20));
    data.extend_from_slice(b"\nlast\n");
    let files = run("one-line.log", &data);
    let f = row(&files, "one-line.log");
    assert_eq!(f.status, FileStatus::Loaded);
    assert_eq!(problem(f, "long-line"), "one-line.log: 1 line was longer than 1048576 bytes and split into pieces");
    assert_eq!(f.line_count(), 22);
    assert!(f.text.lines().all(|l| l.len() <= 1 << 20));
    assert_eq!(f.text.len(), data.len() + 19);
}

#[test]
fn unsupported_compression_is_skipped_with_the_method() {
    let mut z = zip_of(&[("good.log", GOOD, STORED), ("b.log", GOOD, STORED)]);
    // Rewrite b.log's method to 12 (bzip2) in its local and central headers.
    let n = b"b.log";
    for i in 0..z.len() - 4 {
        if &z[i..i + 4] == b"PK\x03\x04" && z.get(i + 30..i + 35) == Some(n) {
            z[i + 8] = 12;
        }
        if &z[i..i + 4] == b"PK\x01\x02" && z.get(i + 46..i + 51) == Some(n) {
            z[i + 10] = 12;
        }
    }
    let files = run("m.zip", &z);
    assert_eq!(row(&files, "m.zip!/good.log").status, FileStatus::Loaded);
    let f = row(&files, "m.zip!/b.log");
    assert_eq!(f.status, FileStatus::Skipped);
    assert!(problem(f, "unsupported").starts_with("m.zip!/b.log: compressed with"), "{:?}", f.problems);
}

/// Numbered lines, `len` bytes in all (the last line cut short).
fn numbered(len: usize) -> String {
    let mut s = String::new();
    let mut n = 0;
    while s.len() < len {
        s.push_str(&format!("10:00:{:02}.{:03} INFO line {n}\n", n / 1000 % 60, n % 1000));
        n += 1;
    }
    s.truncate(len);
    s
}

#[test]
fn a_size_hint_wrong_either_way_still_reads_the_whole_file() {
    // The read buffer is sized by the hint for small files: a hint too small or too large (a file
    // that grew or shrank after it was listed) must not cut the text or pad it.
    for len in [0, 1, 4095, 4096, 4097, 70_000, 300_000] {
        let text = numbered(len);
        for hint in [0, 1, len.saturating_sub(1), len, len + 1, len * 10 + 7, usize::MAX / 4] {
            let mut out: Vec<LogFile> = Vec::new();
            let r = block_on(ingest(
                "a.log",
                std::io::Cursor::new(text.as_bytes()),
                hint as u64,
                &Limits::default(),
                &mut LoadState::default(),
                &mut out,
                &mut NoPause,
            ));
            assert!(r.is_ok());
            assert_eq!(out.len(), 1, "len {len} hint {hint}");
            assert_eq!(out[0].text, text, "len {len} hint {hint}");
        }
    }
}

#[test]
fn members_of_growing_and_shrinking_sizes_read_whole_through_one_buffer() {
    let texts: Vec<(String, String)> = [10, 300_000, 5_000, 0, 70_000, 3].iter().enumerate().map(|(i, &n)| (format!("{i}.log"), numbered(n))).collect();
    let members: Vec<(&str, &[u8], _)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_bytes(), DEFLATED)).collect();
    let files = run("rolled.zip", &zip_of(&members));
    for (name, text) in &texts {
        assert_eq!(&row(&files, &format!("rolled.zip!/{name}")).text, text);
    }
}
