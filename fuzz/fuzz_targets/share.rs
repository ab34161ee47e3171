//! Arbitrary bytes as what one worker hands another (`switchboard::share`): as a chunk of a
//! helper's answers, and as a job a helper reads (with a small log as each file's text). Neither
//! may panic; a chunk that reads must hold whole records.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = switchboard::share::read_chunk(data);
    let text = "2026-01-02 10:00:00,001 INFO [main] Agent 1001 READY\n2026-01-02 10:00:01,002 WARN [main] Agent 1001 NOT_READY\n";
    let _ = switchboard::share::run(data, |_| Some(text.to_string()), |chunk| {
        assert!(switchboard::share::read_chunk(&chunk).is_some(), "a chunk the helper sent does not read");
    });
});
