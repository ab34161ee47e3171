//! Broken and hostile inputs: nothing panics, every input ends as rows with a reason, and whatever
//! could be read before the damage is kept.

#[path = "ingest_support.rs"]
mod support;

use std::io::Read;
use support::*;
use switchboard::model::FileStatus;

fn three_member_zip() -> Vec<u8> {
    zip_of(&[("logs/a.log", &noisy_log("a", 200), DEFLATED), ("logs/b.log", &noisy_log("b", 200), DEFLATED), ("logs/c.log", &noisy_log("c", 2000), DEFLATED)])
}

/// Offset of member `name`'s local header.
fn local_header(z: &[u8], name: &str) -> usize {
    (0..z.len() - 4).find(|&i| &z[i..i + 4] == b"PK\x03\x04" && z.get(i + 30..i + 30 + name.len()) == Some(name.as_bytes())).unwrap()
}

#[test]
fn truncated_zip_keeps_members_before_the_cut() {
    let z = three_member_zip();
    let c = local_header(&z, "logs/c.log");
    let cut = &z[..c + 30 + 10 + 5000]; // in the middle of c.log's compressed data
    let files = run("archive.zip", cut);
    assert_eq!(row(&files, "archive.zip!/logs/a.log").text.as_bytes(), noisy_log("a", 200));
    assert_eq!(row(&files, "archive.zip!/logs/b.log").text.as_bytes(), noisy_log("b", 200));
    let c = row(&files, "archive.zip!/logs/c.log");
    assert!(has_problem(c, "truncated"), "{:?}", c.problems);
    if c.status == FileStatus::Loaded {
        assert!(noisy_log("c", 2000).starts_with(c.text.as_bytes()));
    }
    let a = row(&files, "archive.zip");
    assert_eq!(a.status, FileStatus::Failed);
    assert_eq!(problem(a, "truncated"), "archive.zip: truncated after member 2 (logs/b.log); member 3 (logs/c.log) is incomplete");
}

#[test]
fn zip_cut_between_members() {
    let z = three_member_zip();
    let cut = &z[..local_header(&z, "logs/c.log") + 10];
    let files = run("archive.zip", cut);
    assert_eq!(row(&files, "archive.zip!/logs/b.log").status, FileStatus::Loaded);
    let a = row(&files, "archive.zip");
    assert!(problem(a, "truncated").starts_with("archive.zip: truncated after member 2 (logs/b.log)"), "{:?}", a.problems);
}

#[test]
fn corrupted_member_data_fails_that_member_only() {
    let mut z = three_member_zip();
    let b = local_header(&z, "logs/b.log");
    for byte in z.iter_mut().skip(b + 30 + 10 + 200).take(60) {
        *byte ^= 0x5a;
    }
    let files = run("archive.zip", &z);
    assert_eq!(row(&files, "archive.zip!/logs/a.log").text.as_bytes(), noisy_log("a", 200));
    assert_eq!(row(&files, "archive.zip!/logs/c.log").text.as_bytes(), noisy_log("c", 2000));
    let bad = row(&files, "archive.zip!/logs/b.log");
    assert!(has_problem(bad, "corrupt"), "{:?}", bad.problems);
    assert!(bad.problems[0].message.starts_with("archive.zip!/logs/b.log: corrupt"), "{:?}", bad.problems);
}

#[test]
fn corrupted_central_directory_recovers_members_from_local_headers() {
    let mut z = three_member_zip();
    let cd = (0..z.len() - 4).rev().find(|&i| &z[i..i + 4] == b"PK\x05\x06").unwrap();
    for byte in &mut z[cd..cd + 22] {
        *byte ^= 0xff;
    }
    let files = run("archive.zip", &z);
    for m in ["a", "b"] {
        assert_eq!(row(&files, &format!("archive.zip!/logs/{m}.log")).status, FileStatus::Loaded);
    }
    assert_eq!(row(&files, "archive.zip!/logs/c.log").text.as_bytes(), noisy_log("c", 2000));
    let a = row(&files, "archive.zip");
    assert!(problem(a, "corrupt").starts_with("archive.zip: central directory damaged"), "{:?}", a.problems);
}

#[test]
fn byte_flips_anywhere_never_panic_and_always_leave_a_row() {
    let base = zip_of(&[("a.log", &noisy_log("a", 50), DEFLATED), ("b.tgz", &gz(&tar_of(&[("x.log", &noisy_log("x", 50))])), STORED)]);
    for (k, pos) in (0..base.len()).step_by(37).enumerate() {
        let mut z = base.clone();
        z[pos] ^= 1 << (k % 8);
        let files = run("flip.zip", &z);
        assert!(!files.is_empty(), "flip at {pos}");
        let cut = run("cut.zip", &base[..pos]);
        assert!(!cut.is_empty(), "cut at {pos}");
    }
}

#[test]
fn truncated_tar_gz_keeps_members_before_the_damage() {
    let t = gz(&tar_of(&[("a.log", &noisy_log("a", 100)), ("b.log", &noisy_log("b", 3000))]));
    let cut = &t[..t.len() * 2 / 3];
    let files = run("bundle.tar.gz", cut);
    assert_eq!(row(&files, "bundle.tar.gz!/a.log").text.as_bytes(), noisy_log("a", 100));
    let b = row(&files, "bundle.tar.gz!/b.log");
    assert!(has_problem(b, "truncated"), "{:?}", summary(&files));
    assert!(b.problems[0].message.starts_with("bundle.tar.gz!/b.log: truncated after "), "{:?}", b.problems);
    let arch = row(&files, "bundle.tar.gz");
    assert!(problem(arch, "truncated").starts_with("bundle.tar.gz: truncated after member 1 (a.log); member 2 (b.log) is incomplete"), "{:?}", arch.problems);
}

#[test]
fn truncated_gz_keeps_the_text_before_the_cut() {
    let data = noisy_log("r", 3000);
    let g = gz(&data);
    let files = run("server.log.3.gz", &g[..g.len() / 2]);
    let f = row(&files, "server.log.3.gz!/server.log.3");
    assert_eq!(f.status, FileStatus::Loaded);
    assert!(data.starts_with(f.text.as_bytes()) && !f.text.is_empty());
    assert!(problem(f, "truncated").contains("the text before it is kept"));
}

#[test]
fn gzip_header_only_is_reported() {
    let g = gz(b"hello\n");
    let files = run("x.gz", &g[..12]);
    assert_eq!(files.len(), 1);
    assert_ne!(files[0].status, FileStatus::Loaded);
}

#[test]
fn utf16_le_and_be_with_bom() {
    let text = "10:00:00 Agent 1001 READY — naïve\r\nsecond\r\n";
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
        be.extend_from_slice(&u.to_be_bytes());
    }
    for (name, bytes, enc) in [("le.log", le, "utf-16le"), ("be.log", be, "utf-16be")] {
        let files = run(name, &bytes);
        let f = row(&files, name);
        assert_eq!((f.text.as_str(), f.encoding.as_str(), f.status), (text, enc, FileStatus::Loaded));
        assert!(f.problems.is_empty());
    }
}

#[test]
fn utf8_bom_is_removed() {
    let files = run("bom.log", b"\xEF\xBB\xBFline\n");
    assert_eq!((files[0].text.as_str(), files[0].encoding.as_str()), ("line\n", "utf-8-bom"));
}

#[test]
fn invalid_utf8_is_replaced_and_counted() {
    let mut data = b"ok line\n".to_vec();
    for _ in 0..37 {
        data.extend_from_slice(b"caf\xe9 ");
    }
    data.push(b'\n');
    let files = run("latin1.log", &data);
    let f = row(&files, "latin1.log");
    assert_eq!(f.status, FileStatus::Loaded);
    assert_eq!(problem(f, "invalid-bytes"), "latin1.log: 37 invalid UTF-8 bytes replaced with U+FFFD");
    assert_eq!(f.text.matches('\u{FFFD}').count(), 37);
}

#[test]
fn random_binary_named_log_is_skipped() {
    let z = zip_of(&[("good.log", b"fine\n", STORED), ("core.log", &random_bytes(100_000, 7), DEFLATED)]);
    let files = run("x.zip", &z);
    assert_eq!(row(&files, "x.zip!/good.log").status, FileStatus::Loaded);
    let f = row(&files, "x.zip!/core.log");
    assert_eq!((f.status, f.encoding.as_str()), (FileStatus::Skipped, "binary"));
    assert!(problem(f, "binary").starts_with("x.zip!/core.log: binary file, not a log"));
}

#[test]
fn pcap_is_recognised() {
    let mut p = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
    p.extend_from_slice(&random_bytes(64, 3));
    let files = run("capture.log", &p);
    assert!(problem(&files[0], "binary").contains("pcap capture"));
}

#[test]
fn empty_files() {
    let files = run("empty.log", b"");
    assert_eq!(summary(&files), [("empty.log".to_string(), FileStatus::Skipped, vec!["empty".to_string()])]);
    assert_eq!(problem(&files[0], "empty"), "empty.log: empty file; skipped");
    let z = zip_of(&[("e.log", b"", DEFLATED), ("blank.log", b"\n\r\n  \n", STORED), ("ok.log", b"x\n", STORED)]);
    let files = run("z.zip", &z);
    assert_eq!(row(&files, "z.zip!/e.log").status, FileStatus::Skipped);
    assert!(has_problem(row(&files, "z.zip!/blank.log"), "empty"));
    assert_eq!(row(&files, "z.zip!/ok.log").status, FileStatus::Loaded);
}

#[test]
fn ten_thousand_tiny_files() {
    let names: Vec<String> = (0..10_000).map(|i| format!("d{}/f{i:05}.log", i % 10)).collect();
    let entries: Vec<(&str, &[u8], zip::CompressionMethod)> = names.iter().map(|n| (n.as_str(), b"10:00:00 tiny\n" as &[u8], STORED)).collect();
    let z = zip_of(&entries);
    let t = std::time::Instant::now();
    let files = run("many.zip", &z);
    assert_eq!(files.len(), 10_000);
    assert!(files.iter().all(|f| f.status == FileStatus::Loaded && f.text == "10:00:00 tiny\n"));
    assert_eq!(files[9_999].path, "many.zip!/d9/f09999.log");
    assert!(t.elapsed().as_secs() < 20, "took {:?}", t.elapsed());
}

#[test]
fn self_referencing_and_garbage_headers() {
    // Bytes that look like each container's magic and then nothing sensible.
    for bytes in [
        b"PK\x03\x04".to_vec(),
        b"PK\x05\x06\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff".to_vec(),
        vec![0x1f, 0x8b, 0x08],
        [vec![0u8; 257], b"ustar\x0000".to_vec(), vec![0u8; 250]].concat(),
        [b"PK\x03\x04".to_vec(), random_bytes(5000, 11)].concat(),
    ] {
        let files = run("weird.bin", &bytes);
        assert!(!files.is_empty(), "{bytes:?}");
    }
}

#[test]
fn huge_pax_header_is_refused_without_allocating_it() {
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(tar::EntryType::XHeader);
    h.set_size(2 << 20);
    h.set_cksum();
    b.append(&h, std::io::repeat(b'a').take(2 << 20)).unwrap();
    let mut h = tar::Header::new_ustar();
    h.set_size(5);
    h.set_cksum();
    b.append_data(&mut h, "after.log", &b"late\n"[..]).unwrap();
    let t = gz(&b.into_inner().unwrap());
    let files = run("hostile.tgz", &t);
    let a = row(&files, "hostile.tgz");
    assert!(problem(a, "corrupt").contains("over 1 MiB"), "{:?}", a.problems);
}

#[test]
fn truncated_zip_with_data_descriptors_says_why_nothing_was_recovered() {
    let z = zip_streamed(&[("a.log", &noisy_log("a", 100), DEFLATED), ("b.log", &noisy_log("b", 100), DEFLATED)]);
    let files = run("streamed.zip", &z[..z.len() - 30]);
    let a = row(&files, "streamed.zip");
    assert_eq!(a.status, FileStatus::Failed);
    assert!(a.problems[0].message.starts_with("streamed.zip: not a readable zip archive"), "{:?}", a.problems);
}
