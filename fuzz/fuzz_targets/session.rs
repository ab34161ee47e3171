//! Arbitrary bytes as a dropped file through a whole `Session`: ingest, format detection, every
//! parser and decoder, time resolution and correlation.
#![no_main]
use libfuzzer_sys::fuzz_target;
use switchboard::ingest::{block_on, ingest, Limits, LoadState, NoPause};
use switchboard::session::Session;

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_total_bytes: 8 << 20, max_nested_zip_bytes: 4 << 20, ..Limits::default() };
    let mut state = LoadState::default();
    let mut session = Session::new();
    let cursor = std::io::Cursor::new(data);
    let _ = block_on(ingest("fuzz.log", cursor, data.len() as u64, &limits, &mut state, &mut session, &mut NoPause));
    session.finish();
    let _ = switchboard::report::to_json(&session);
});
