//! Hostile inputs through the whole pipeline (ingest → formats → decoders → correlation), the way
//! the page's worker runs it: everything else loaded stays, nothing panics.
use switchboard::ingest::{block_on, ingest, Limits, LoadState, NoPause};
use switchboard::model::FileStatus;
use switchboard::session::Session;

fn load(s: &mut Session, name: &str, bytes: Vec<u8>) {
    let n = bytes.len() as u64;
    let _ = block_on(ingest(name, std::io::Cursor::new(bytes), n, &Limits::default(), &mut LoadState::default(), s, &mut NoPause));
}

fn tiny_zip(n: usize) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..n {
        if w.start_file(format!("node{}/f{i:06}.log", i % 16), opts).is_err() || w.write_all(b"10:00:00:001 cg1A-ctisvr Trace: tiny\n").is_err() {
            break;
        }
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

#[test]
fn one_hundred_thousand_tiny_files() {
    let mut s = Session::new();
    load(&mut s, "first.log", b"2026-03-12 09:00:00.001 - info: loaded before\n".to_vec());
    load(&mut s, "many.zip", tiny_zip(100_000));
    s.finish();
    assert_eq!(s.files.len(), 100_001);
    assert_eq!(s.files[0].status, FileStatus::Loaded, "what was loaded before stays");
    assert!(s.files.iter().all(|f| f.status == FileStatus::Loaded));
    assert_eq!(s.records.len(), 100_001);
    assert!(s.files.iter().skip(1).all(|f| f.format == "ctisvr"));
}

#[test]
fn every_bad_input_in_one_load() {
    let mut s = Session::new();
    load(&mut s, "good.log", b"2026-03-12 09:00:00.001 - info: good\n".to_vec());
    // Random binary named .log, UTF-16 with BOM, invalid UTF-8, a cut HAR, XML entity bombs,
    // absurd times, an encrypted-looking zip, a truncated zip.
    let mut rng = 0x2545F4914F6CDD1Du64;
    let binary: Vec<u8> = (0..200_000)
        .map(|_| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng as u8
        })
        .collect();
    load(&mut s, "random.log", binary);
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "2026-03-12 09:00:01.000 - info: UTF-16 line\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    load(&mut s, "utf16.log", utf16);
    load(&mut s, "bad-utf8.log", b"2026-03-12 09:00:02.000 - info: bad \xff\xfe bytes\n".to_vec());
    load(&mut s, "cut.har", br#"{"log":{"version":"1.2","entries":[{"startedDateTime":"2026-03-12T10:00:00Z","request":{"method":"GET","url":"htt"#.to_vec());
    let lol = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d SYSTEM \"file:///etc/passwd\">]>";
    let bomb = format!("2026.03.12 10:00:00 RoutingTableImpl: <message><event xmlns=\"http://jabber.org/protocol/pubsub#event\"><items node=\"/finesse/api/User/1\"><item><notification>{lol}&lt;Update&gt;&lt;data&gt;&amp;c;&amp;d;&lt;/data&gt;&lt;/Update&gt;</notification></item></items></event></message>\n");
    load(&mut s, "openfire-debug.log", bomb.into_bytes());
    load(&mut s, "absurd.log", b"9999-99-99 99:99:99.999 - info: absurd\n0000-00-00 00:00:00.000 - info: zero\n2026-02-30 25:61:61.000 GMT+9999 x\n".to_vec());
    let mut cut = tiny_zip(50);
    cut.truncate(cut.len() / 2);
    load(&mut s, "cut.zip", cut);
    s.finish();
    let row = |p: &str| s.files.iter().find(|f| f.path == p).expect(p);
    assert_eq!(row("good.log").status, FileStatus::Loaded);
    assert_eq!(row("random.log").status, FileStatus::Skipped);
    assert!(row("random.log").problems.iter().any(|p| p.code == "binary" && p.message.contains("random.log")));
    assert_eq!(row("utf16.log").encoding, "utf-16le");
    assert!(s.records.iter().any(|r| s.record_text(r).contains("UTF-16 line")));
    assert!(row("bad-utf8.log").problems.iter().any(|p| p.code == "invalid-bytes"));
    assert!(!row("cut.har").problems.is_empty(), "the cut HAR says why");
    let ofr = s.records.iter().position(|r| s.files[r.file as usize].path == "openfire-debug.log").and_then(|i| s.decoded(i)).expect("bomb record kept");
    let fields = serde_json::to_string(ofr.fields()).unwrap_or_default();
    assert!(fields.len() < 100_000, "entities were not expanded ({} bytes)", fields.len());
    assert!(!fields.contains("root:"), "external entities are never resolved");
    assert!(s.files.iter().any(|f| f.path.starts_with("cut.zip") && !f.problems.is_empty()), "the damage is named");
    assert!(s.files.iter().any(|f| f.path.starts_with("cut.zip!/") && f.status == FileStatus::Loaded), "members before it stay");
    let json = switchboard::report::to_json(&s);
    assert!(json["records"].as_array().is_some_and(|r| !r.is_empty()));
}
