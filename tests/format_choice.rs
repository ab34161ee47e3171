//! Issue 12 on the page's engine: a file whose format was guessed can be read again as another
//! format, the file table says how well each file was read, and the timeline can show only the
//! lines no family's grammar read.

mod common;

use switchboard::answers::Answer;
use switchboard::query::{Engine, Filter, Request};

/// An Openfire all.log with one line in a layout its grammar does not read.
const ALL_LOG: &str =
    "2021.03.04 10:00:01 INFO  [TaskEngine-pool-1]: org.jivesoftware.openfire.http.HttpSessionManager - Session 5e1f was last active PT40S ago
2021.03.04 10:00:02 WARN  [qtp55-12]: org.jivesoftware.openfire.http.HttpBindServlet - HTTP ERR(5e1f): terminate, item-not-found.
Thu Mar  4 10:00:03 2021 something written by another writer
2021.03.04 10:00:04 INFO  [TaskEngine-pool-1]: org.jivesoftware.openfire.http.HttpSessionManager - Closing idle session 5e1f
";

fn engine_with(files: &[(&str, &str)]) -> Engine {
    let mut e = Engine::new();
    for (p, t) in files {
        e.session.add_file(common::text_file(p, t));
    }
    e.refresh();
    e
}

fn summary(e: &mut Engine) -> switchboard::answers::Summary {
    match e.handle(Request::Summary) {
        Answer::Summary(s) => *s,
        other => panic!("summary expected, got {other:?}"),
    }
}

fn rows(e: &mut Engine, filter: Filter) -> Vec<String> {
    match e.handle(Request::Rows { filter, start: 0, count: 100 }) {
        Answer::Rows(r) => r.rows.iter().map(|r| r.summary.clone()).collect(),
        other => panic!("rows expected, got {other:?}"),
    }
}

#[test]
fn file_rows_carry_coverage_and_the_unread_lines_can_be_shown_alone() {
    let mut e = engine_with(&[("of/all.log", ALL_LOG), ("notes.txt", "just a note\nanother line\n")]);
    let s = summary(&mut e);
    let all = s.files.iter().find(|f| f.path == "of/all.log").expect("all.log row");
    assert_eq!(all.format, "openfire-all");
    let cov = all.coverage.as_ref().expect("coverage in the full summary");
    assert!(cov.lines > 0.6 && cov.lines < 1.0, "one line of four unread: {cov:?}");
    assert!(!cov.why.is_empty(), "the row says why: {cov:?}");
    assert!(all.confidence >= switchboard::formats::CONFIDENT, "detected with confidence {}", all.confidence);
    // The rows sent while loading leave coverage out (it costs a pass over the records).
    match e.handle(Request::Files) {
        Answer::Summary(s) => assert!(s.files.iter().all(|f| f.coverage.is_none())),
        other => panic!("{other:?}"),
    }
    let unread = rows(&mut e, Filter { unread_only: true, ..Default::default() });
    assert_eq!(unread.len(), 1, "only the off-grammar line: {unread:?}");
    assert!(unread[0].contains("another writer"));
    assert_eq!(rows(&mut e, Filter::default()).len(), 6, "everything without the filter");
}

#[test]
fn a_file_is_read_again_as_the_format_the_user_chooses() {
    let mut e = engine_with(&[("of/all.log", ALL_LOG), ("fin/Desktop.txt", "")]);
    let before_names = e.session.records.iter().filter(|r| r.name.is_some()).count();
    assert!(before_names >= 3, "openfire-all names its records");

    // The choices: the formats that read the file first, then every other one, each once.
    let choices = match e.handle(Request::FormatChoices { file: 0 }) {
        Answer::FormatChoices { file, choices } => {
            assert_eq!(file, 0);
            choices
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(choices.first().map(|c| c.name.as_str()), Some("openfire-all"), "the detected format first");
    let mut names: Vec<&str> = choices.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    let mut all: Vec<&str> = switchboard::formats::names().collect();
    all.sort_unstable();
    assert_eq!(names, all, "every format offered exactly once");

    // Read as plain text: the generic layer keeps the times, the family's names go.
    match e.handle(Request::SetFormat { file: 0, format: "text".into() }) {
        Answer::Summary(s) => {
            let row = &s.files[0];
            assert_eq!(row.format, "text");
            assert!(row.format_chosen);
        }
        other => panic!("{other:?}"),
    }
    let recs: Vec<_> = e.session.records.iter().filter(|r| r.file == 0).collect();
    assert_eq!(recs.len(), 4, "one record per line");
    assert!(recs.iter().all(|r| r.time.is_some()), "the generic layer still reads the times");
    assert_eq!(e.session.timeline.len(), e.session.records.len(), "the timeline holds every record once");

    // And back: the family's records, names and flows again.
    assert!(matches!(e.handle(Request::SetFormat { file: 0, format: "openfire-all".into() }), Answer::Summary(_)));
    assert_eq!(e.session.records.iter().filter(|r| r.name.is_some()).count(), before_names);
    assert!(e.session.files[0].format_chosen);

    // Refusals are answers, not panics.
    assert!(matches!(e.handle(Request::SetFormat { file: 0, format: "no-such-format".into() }), Answer::Error { .. }));
    assert!(matches!(e.handle(Request::SetFormat { file: 9, format: "text".into() }), Answer::Error { .. }));
    assert!(matches!(e.handle(Request::FormatChoices { file: 9 }), Answer::Error { .. }));
}

#[test]
fn the_cli_says_when_a_format_was_chosen() {
    let j = common::json_of(&[("of/all.log", ALL_LOG)]);
    let f = &j["files"][0];
    assert_eq!(f["format_chosen"], false);
    assert!(f["coverage"]["lines"].as_f64().is_some_and(|x| x < 1.0));
}
