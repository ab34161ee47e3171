//! Fixture builders and runners shared by the `ingest_*` and `hostile_*` tests (included with
//! `#[path]`; as a test target of its own it holds no tests). Every fixture is generated here, in
//! memory, with the zip/tar/flate2 writers.
#![allow(dead_code)]

use std::io::{Cursor, Write};
use switchboard::ingest::{block_on, ingest, Limits, LoadState, NoPause};
use switchboard::model::{FileStatus, LogFile};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

pub const STORED: CompressionMethod = CompressionMethod::Stored;
pub const DEFLATED: CompressionMethod = CompressionMethod::Deflated;

/// Ingests `bytes` as a dropped file called `name`, with default limits.
pub fn run(name: &str, bytes: &[u8]) -> Vec<LogFile> {
    run_with(name, bytes, &Limits::default())
}

pub fn run_with(name: &str, bytes: &[u8], limits: &Limits) -> Vec<LogFile> {
    let mut state = LoadState::default();
    let mut out = Vec::new();
    let r = block_on(ingest(name, Cursor::new(bytes), bytes.len() as u64, limits, &mut state, &mut out, &mut NoPause));
    assert!(r.is_ok());
    out
}

/// The row for `path`, or a panic listing the rows there are.
pub fn row<'a>(files: &'a [LogFile], path: &str) -> &'a LogFile {
    files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no row {path}; rows: {:#?}", summary(files)))
}

/// (path, status, problem codes) per row, for assertion messages and whole-result comparisons.
pub fn summary(files: &[LogFile]) -> Vec<(String, FileStatus, Vec<String>)> {
    files.iter().map(|f| (f.path.clone(), f.status, f.problems.iter().map(|p| p.code.clone()).collect())).collect()
}

pub fn paths(files: &[LogFile]) -> Vec<&str> {
    files.iter().map(|f| f.path.as_str()).collect()
}

pub fn has_problem(f: &LogFile, code: &str) -> bool {
    f.problems.iter().any(|p| p.code == code)
}

pub fn problem<'a>(f: &'a LogFile, code: &str) -> &'a str {
    f.problems.iter().find(|p| p.code == code).map(|p| p.message.as_str()).unwrap_or_else(|| panic!("{} has no {code} problem: {:?}", f.path, f.problems))
}

pub fn zip_of(entries: &[(&str, &[u8], CompressionMethod)]) -> Vec<u8> {
    zip_with(entries, false)
}

/// A zip; `large` forces zip64 headers on every member.
pub fn zip_with(entries: &[(&str, &[u8], CompressionMethod)], large: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data, method) in entries {
        let opts = SimpleFileOptions::default().compression_method(*method).large_file(large);
        if name.ends_with('/') {
            w.add_directory(*name, opts).unwrap();
        } else {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}

/// A zip written to a non-seekable stream: every member carries a data descriptor.
pub fn zip_streamed(entries: &[(&str, &[u8], CompressionMethod)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new_stream(Vec::new());
    for (name, data, method) in entries {
        w.start_file(*name, SimpleFileOptions::default().compression_method(*method)).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub fn tar_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, *data).unwrap();
    }
    b.into_inner().unwrap()
}

pub fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Sets the "encrypted" flag of member `name` in both its local and central headers.
pub fn mark_encrypted(zip: &mut [u8], name: &str) {
    let n = name.as_bytes();
    let mut i = 0;
    while i + 4 <= zip.len() {
        let sig: [u8; 4] = zip[i..i + 4].try_into().unwrap();
        if &sig == b"PK\x03\x04" && zip.get(i + 30..i + 30 + n.len()) == Some(n) {
            zip[i + 6] |= 1;
        }
        if &sig == b"PK\x01\x02" && zip.get(i + 46..i + 46 + n.len()) == Some(n) {
            zip[i + 8] |= 1;
        }
        i += 1;
    }
}

/// Deterministic, poorly compressible log text: `lines` lines of pseudo-random hex.
pub fn noisy_log(tag: &str, lines: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ tag.len() as u64;
    let mut s = String::new();
    for i in 0..lines {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.push_str(&format!("2026-01-02 10:00:{:02}.{:03} INFO {tag} line {i} id={x:016x}{:016x}\n", i % 60, i % 1000, x.rotate_left(7)));
    }
    s.into_bytes()
}

/// Pseudo-random bytes.
pub fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}
