//! Arbitrary text through the sanitizer (learn, then clean, secrets and personal data) and arbitrary
//! bytes opened as a session file: no panic, and masking keeps every line where it was.
#![no_main]
use libfuzzer_sys::fuzz_target;
use switchboard::sanitize::{Options, Sanitizer};

fuzz_target!(|data: &[u8]| {
    let _ = switchboard::workspace::open("fuzz.switchboard", data);
    let text = String::from_utf8_lossy(data);
    let mut s = Sanitizer::new(Options { personal: true, patterns: Vec::new(), key: [1; 16] });
    s.learn_text(&text);
    s.finish_learning();
    let (out, _) = s.clean_text("fuzz.log", &text);
    assert_eq!(out.matches('\n').count(), text.matches('\n').count(), "masking moved lines");
    let _ = s.clean(&out);
});
