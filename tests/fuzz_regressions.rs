//! Inputs the fuzzers found, kept as tests so they stay fixed.

use switchboard::ingest::text::check_chunked_decode;

/// Bytes through the streaming text decoder in chunks, as the `text_decode` fuzz target does.
fn decode(data: &[u8]) {
    assert_eq!(check_chunked_decode(data), Ok(()));
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
