//! Arbitrary bytes through the streaming text decoder, fed in chunks whose sizes come from the
//! input, with a small line limit: output must be valid UTF-8 with no line over the limit (JSON
//! documents excepted: they are read by their structure).
#![no_main]
use libfuzzer_sys::fuzz_target;
use switchboard::ingest::text::TextDecoder;
use switchboard::model::{FileStatus, LogFile};

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else { return };
    let max_line = 16 + usize::from(split % 64);
    let step = 1 + usize::from(split);
    let mut dec = TextDecoder::new(max_line);
    for chunk in rest.chunks(step) {
        dec.feed(chunk);
    }
    let mut f = LogFile::new("fuzz.log", rest.len() as u64);
    dec.finish_into(&mut f);
    // A JSON document (a HAR, minified or not) is read by its structure, so it keeps long lines.
    if f.status == FileStatus::Loaded && !switchboard::ingest::text::json_document(rest) {
        for line in f.text.split('\n') {
            assert!(line.trim_end_matches('\r').len() <= max_line.max(4), "line of {} > {max_line}", line.len());
        }
    }
});
