//! Arbitrary bytes through `ingest` as if the user dropped them: container sniffing, zip (central
//! directory and local-header recovery), tar, gzip, nesting, text decoding. Limits are small so a
//! bomb is caught quickly; nothing may panic, and every run must end with at least one row.
#![no_main]
use libfuzzer_sys::fuzz_target;
use switchboard::ingest::{block_on, ingest, Limits, LoadState, NoPause};
use switchboard::model::LogFile;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_total_bytes: 8 << 20,
        ratio_min_bytes: 1 << 20,
        max_nested_zip_bytes: 4 << 20,
        max_line_bytes: 4096,
        ..Limits::default()
    };
    let mut state = LoadState::default();
    let mut out: Vec<LogFile> = Vec::new();
    let cursor = std::io::Cursor::new(data);
    let r = block_on(ingest("fuzz.bin", cursor, data.len() as u64, &limits, &mut state, &mut out, &mut NoPause));
    assert!(r.is_ok());
    assert!(!out.is_empty(), "every input ends as at least one row");
    for f in &out {
        assert_eq!(f.line_starts.len(), switchboard::formats::engine::line_starts(&f.text).len());
    }
});
