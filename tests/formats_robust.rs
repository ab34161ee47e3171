//! Every registered format survives hostile text: huge lines, binary-ish bytes, absurd timestamps,
//! CRLF endings, and still covers every line exactly once.

use switchboard::formats::{engine, parse_file, registry};
use switchboard::model::LogFile;

fn file(text: &str) -> LogFile {
    let mut f = LogFile::new("dir/odd-2013-99-99.log", text.len() as u64);
    f.text = text.to_string();
    f.line_starts = engine::line_starts(text);
    f
}

#[test]
fn hostile_inputs_never_panic_and_lose_no_line() {
    let huge = format!("2019-07-20 18:27:31.749 GMT+0000 <@> INFO <@> {} <@>\n", "é=[%[".repeat(400_000));
    let inputs = [
        String::new(),
        "\n\n\n".to_string(),
        huge,
        "2019-13-45 25:61:61.999 GMT+9999 <@> x\r\n99999-01-01 00:00:00\r\nFeb 30 2007 05:37:44.658 +0000: %CCBU_-9-: %[\r\n".to_string(),
        "\u{0}\u{1}\u{fffd}ÿ\u{7f}\n%CCBU_a-6-B: %[k=[[[[\n0000: : : %CCBU_\n[Tue Foo 99 99:99:99 EDT 2018] : x : y\n".to_string(),
        "{\"checkEligibility\": [[[[[[\n".to_string(),
        "08:54:27:874 cg1A-ctisvr Session 3: MsgType:X (((\n08:54:27:874 cg1A-ctisvr Session 3: (\nTrace: a=b\n".to_string(),
        "Events from Smarch 99, 2007\n99: X: Jan 1 99999 00:00:00.000 +0000: %A: [comp=\n".to_string(),
    ];
    for text in &inputs {
        let f = file(text);
        for fmt in registry() {
            let mut out = Vec::new();
            parse_file(fmt, &f, 0, &mut out);
            if fmt.name == "har" || fmt.name == "ece-entrypoint-json" {
                continue;
            }
            let mut next = 1u32;
            for r in &out {
                assert_eq!(r.line, next, "{}", fmt.name);
                next = r.line_end + 1;
            }
            assert_eq!(next as usize, f.line_count() + 1, "{}", fmt.name);
        }
        let _ = switchboard::formats::detect(&f);
    }
}
