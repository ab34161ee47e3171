//! Arbitrary text forced through EVERY registered format's parser (not only the one detection
//! would pick), so each parser meets input it was never meant for.
#![no_main]
use libfuzzer_sys::fuzz_target;
use switchboard::formats;
use switchboard::model::LogFile;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut file = LogFile::new("fuzz.log", data.len() as u64);
    file.line_starts = formats::engine::line_starts(&text);
    file.text = text;
    for format in formats::registry() {
        let mut out = Vec::new();
        formats::parse_file(format, &file, 0, &mut out);
        // Index entries, then the detail pass (the line parser again in detail mode, and the
        // protocol decoders) that the page runs for every row it shows.
        for r in &out {
            let _ = r.text(&file.text);
            let _ = r.time_text(&file.text);
            let d = formats::decode_record(&file, r);
            let _ = d.fields().len();
        }
    }
});
