//! Every format runs on the example files it declares (lines the project wrote in the family's
//! grammar): each example is detected as its own format and no other format scores as high,
//! ≥ 99 % of its lines are inside timed records (for formats that write a time), and its records
//! are named. A new family is covered by declaring its examples.

mod common;

use switchboard::formats::{self, registry};

/// The best and second-best detection scores of a file, with the winner's name.
fn scores(path: &str, text: &str) -> Vec<(u8, &'static str)> {
    let file = common::text_file(path, text);
    let lines: Vec<&str> = file.text.lines().filter(|l| !l.trim().is_empty()).take(formats::SAMPLE_LINES).collect();
    let sample = formats::Sample::new(path, lines, &file.text);
    let mut v: Vec<(u8, &'static str)> = registry().iter().map(|f| ((f.detect)(&sample), f.name)).collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    v
}

#[test]
fn every_format_declares_examples() {
    for f in registry() {
        if f.name == "text" {
            continue;
        }
        assert!(!f.examples.is_empty(), "{} declares no examples", f.name);
    }
}

#[test]
fn names_are_unique() {
    let mut names: Vec<&str> = formats::names().collect();
    let n = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), n, "two formats share a name");
    assert!(n < 128, "a record keeps its format in 7 bits");
}

#[test]
fn examples_are_detected_without_ties() {
    let mut problems = Vec::new();
    for f in registry() {
        for ex in f.examples {
            let s = scores(ex.path, ex.text);
            let (best, second) = (s[0], s[1]);
            if best.1 != f.name {
                problems.push(format!(
                    "{} example '{}' ({}) detected as {} ({}), own score {}",
                    f.name,
                    ex.variant,
                    ex.path,
                    best.1,
                    best.0,
                    s.iter().find(|x| x.1 == f.name).map(|x| x.0).unwrap_or(0)
                ));
            } else if second.0 == best.0 {
                problems.push(format!("{} example '{}' ties with {} at {}", f.name, ex.variant, second.1, best.0));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn examples_are_timed_and_named() {
    let mut problems = Vec::new();
    for f in registry() {
        for ex in f.examples {
            let s = common::session_of(&[(ex.path, ex.text)]);
            let file = &s.files[0];
            let lines = file.line_count().max(1);
            let recs: Vec<_> = s.records.iter().collect();
            // Line formats: lines inside timed records; documents (HAR): timed records.
            let (timed, of) = match f.shape {
                formats::Shape::Lines { .. } => (recs.iter().filter(|r| r.time.is_some()).map(|r| (r.line_end - r.line + 1) as usize).sum(), lines),
                formats::Shape::Document { .. } => (recs.iter().filter(|r| r.time.is_some()).count(), recs.len().max(1)),
            };
            if ex.timed && timed * 100 < of * 99 {
                problems.push(format!("{} example '{}': {timed} of {of} lines timed", f.name, ex.variant));
            }
            let named = recs.iter().filter(|r| r.name.is_some()).count();
            if named == 0 {
                problems.push(format!("{} example '{}': no record named", f.name, ex.variant));
            }
            let unread = recs.iter().filter(|r| r.unread()).count();
            if unread > 0 {
                problems.push(format!("{} example '{}': {unread} records not read by the family's grammar", f.name, ex.variant));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The README's list of format names (a CLI contract) names every format in the registry.
#[test]
fn readme_lists_every_format() {
    let readme = include_str!("../README.md");
    let missing: Vec<&str> = formats::names().filter(|n| !readme.contains(&format!("`{n}`"))).collect();
    assert!(missing.is_empty(), "README.md does not list {missing:?}");
}

/// Files `(format, what, path, text)` read each after each other one named as its rolled sibling
/// (same folder, same name but for its digits): the pairs where the second is not read as it is
/// alone.
fn siblings_read_otherwise(files: &[(String, String, String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (first_format, first_what, _, first_text) in files {
        for (second_format, second_what, path, text) in files {
            let sibling: String = path
                .chars()
                .map(|c| {
                    if c.is_ascii_digit() {
                        if c == '9' {
                            '1'
                        } else {
                            '9'
                        }
                    } else {
                        c
                    }
                })
                .collect();
            let alone = formats::detect(&common::text_file(path, text));
            let mut s = switchboard::session::Session::new();
            s.add_file(common::text_file(&sibling, first_text));
            s.add_file(common::text_file(path, text));
            let got = s.files.get(1).map(|f| (f.format.clone(), f.confidence, f.wrapper)).unwrap_or_default();
            if got != (alone.format.name.to_string(), alone.score, alone.wrapper) {
                problems.push(format!(
                    "{second_format} '{second_what}' after {first_format} '{first_what}': read as {got:?}, alone as {} {} {:?}",
                    alone.format.name, alone.score, alone.wrapper
                ));
            }
        }
    }
    problems
}

/// A rolled sibling of a file of another family or another version is read as it is alone
/// (format, score, wrapper): every example after every other example.
#[test]
fn siblings_of_another_grammar_are_read_as_alone() {
    let all: Vec<(String, String, String, String)> = registry()
        .iter()
        .flat_map(|f| f.examples.iter().map(move |ex| (f.name.to_string(), ex.variant.to_string(), ex.path.to_string(), ex.text.to_string())))
        .collect();
    let problems = siblings_read_otherwise(&all);
    assert!(problems.is_empty(), "{} of {} pairs:\n{}", problems.len(), all.len() * all.len(), problems.join("\n"));
}

/// The same for the corpus' files (lines from Cisco's documents): every file after every other.
#[test]
fn corpus_siblings_are_read_as_alone() {
    let all: Vec<(String, String, String, String)> = common::corpus_texts()
        .into_iter()
        .map(|(path, text)| (formats::detect(&common::text_file(&path, &text)).format.name.to_string(), path.clone(), path, text))
        .collect();
    assert!(all.len() >= 25, "{} corpus files", all.len());
    let problems = siblings_read_otherwise(&all);
    assert!(problems.is_empty(), "{} of {} pairs:\n{}", problems.len(), all.len() * all.len(), problems.join("\n"));
}
