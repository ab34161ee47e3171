//! Inputs the fuzzers found, kept as tests so they stay fixed.

use switchboard::ingest::text::TextDecoder;
use switchboard::model::{FileStatus, LogFile};

/// Bytes through the streaming text decoder in chunks, as `fuzz/fuzz_targets/text_decode.rs` does.
fn decode(data: &[u8]) {
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
            assert!(line.trim_end_matches('\r').len() <= max_line.max(4), "line of {} > {max_line}: {:?}", line.len(), f.text);
        }
    }
}

#[test]
fn text_decode_crash_3d263f63() {
    decode(&[13, 91, 212, 221, 221, 255, 255, 221, 221, 221, 221, 195]);
}

/// The same decoder keeps its line limit for text that is not a JSON document.
#[test]
fn text_decode_keeps_the_line_limit_outside_json() {
    decode(&[
        13, b'a', 212, 221, 221, 255, 255, 221, 221, 221, 221, 195, b'b', b'c', b'd', b'e', b'f', b'g', b'h', b'i', b'j', b'k', b'l', b'm', b'n', b'o', b'p',
        b'q', b'r', b's', b't', b'u', b'v',
    ]);
}
