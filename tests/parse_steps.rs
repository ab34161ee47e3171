//! Parsing a file in steps (how the page's worker parses big files, so Cancel is answered between
//! steps) gives exactly the records of parsing it at once, for every corpus file and any step size.

use switchboard::ingest::{ingest_path, Limits, LoadState};
use switchboard::model::LogFile;
use switchboard::session::Session;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

fn corpus_files() -> Vec<LogFile> {
    let mut files: Vec<LogFile> = Vec::new();
    ingest_path(std::path::Path::new(CORPUS), &Limits::default(), &mut LoadState::default(), &mut files);
    assert!(files.len() > 20);
    files
}

fn summary(s: &Session) -> Vec<String> {
    s.records
        .iter()
        .map(|r| {
            format!(
                "{} {}-{} {}..{} {:?} {:?} {:?} {:?} {:?}",
                r.file,
                r.line,
                r.line_end,
                r.text_start(),
                r.text_end(),
                r.name(),
                r.component(),
                r.severity(),
                r.time.as_ref().map(|t| (t.date(), t.ms_of_day(), t.offset_min())),
                s.time_text(r)
            )
        })
        .collect()
}

#[test]
fn stepwise_parse_equals_whole_parse() {
    let files = corpus_files();
    let mut whole = Session::new();
    for f in files.clone() {
        whole.add_file(f);
    }
    for step in [1usize, 2, 7, 1000] {
        let mut stepped = Session::new();
        let mut steps = 0;
        for f in files.clone() {
            if let Some(mut p) = stepped.begin_file(f) {
                while !stepped.parse_step(&mut p, step) {
                    steps += 1;
                }
            }
        }
        if step < 1000 {
            assert!(steps > 100, "step {step}: the files were parsed in steps ({steps})");
        }
        assert_eq!(summary(&stepped), summary(&whole), "step size {step}");
    }
}

#[test]
fn an_abandoned_parse_keeps_its_records_and_says_where_it_stopped() {
    let mut text = String::new();
    for i in 0..1000 {
        text.push_str(&format!("2026-03-12 09:00:{:02}.{:03} - info: line {i}\n", i % 60, i % 1000));
    }
    let mut f = LogFile::new("big.log", text.len() as u64);
    f.line_starts = switchboard::formats::engine::line_starts(&text);
    f.text = text;
    let mut s = Session::new();
    let mut p = s.begin_file(f).expect("a line format is parsed in steps");
    assert!(!s.parse_step(&mut p, 100));
    s.abandon_parse(p);
    assert_eq!(s.records.len(), 100);
    let problem = s.files[0].problems.iter().find(|p| p.code == "cancelled").expect("the file says it was cut");
    assert!(problem.message.contains("line 101 of 1000"), "{}", problem.message);
}
