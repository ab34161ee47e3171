//! Arbitrary bytes through the streaming text decoder, fed in chunks whose sizes come from the
//! input, with a small line limit: output must be valid UTF-8 with no line over the limit (JSON
//! documents excepted: they are read by their structure). The check is
//! `ingest::text::check_chunked_decode`, which `tests/fuzz_regressions.rs` runs on what was found.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = switchboard::ingest::text::check_chunked_decode(data) {
        panic!("{e}");
    }
});
