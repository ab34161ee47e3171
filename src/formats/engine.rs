//! The shared line/record machinery: split a file's text into lines once, group continuation
//! lines under the line that starts their record, and hand each record to its format's parser.

use crate::model::{LogFile, Record};

/// Byte offsets of the start of every line (LF-terminated; a CR before the LF stays in the line
/// text and is trimmed by `line_text`).
pub fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::with_capacity(text.len() / 80 + 1);
    if text.is_empty() {
        return starts;
    }
    starts.push(0);
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        if i + 1 < text.len() {
            starts.push(i + 1);
        }
    }
    starts
}

/// The text of line `idx` (0-based) without its line ending.
pub fn line_text<'a>(text: &'a str, starts: &[usize], idx: usize) -> &'a str {
    let start = starts[idx];
    let end = starts.get(idx + 1).copied().unwrap_or(text.len());
    let line = &text[start..end];
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// Groups lines into records: a record starts where `starts_record` says so; lines before the
/// first record start form a record of their own, so no line is ever lost.
pub fn split_records(
    format: &'static str,
    file: &LogFile,
    file_index: u32,
    starts_record: fn(&str) -> bool,
    parse: fn(&mut Record, &str, &str),
    out: &mut Vec<Record>,
) {
    let text = &file.text;
    let starts = &file.line_starts;
    let n = starts.len();
    let mut i = 0;
    while i < n {
        let first = line_text(text, starts, i);
        let mut j = i + 1;
        // Blank lines and lines that do not start a record continue the current one.
        while j < n && !starts_record(line_text(text, starts, j)) {
            j += 1;
        }
        let mut rec = Record::new(file_index, format);
        rec.line = (i + 1) as u32;
        rec.line_end = j as u32;
        rec.text_start = starts[i];
        let end = starts.get(j).copied().unwrap_or(text.len());
        // Exclude the final line ending from the record's text.
        let raw = &text[starts[i]..end];
        let trimmed = raw.trim_end_matches(['\n', '\r']);
        rec.text_end = starts[i] + trimmed.len();
        parse(&mut rec, first, trimmed);
        out.push(rec);
        i = j;
    }
}
