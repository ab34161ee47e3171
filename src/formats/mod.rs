//! The format registry: every log family is declared once here (name, how to recognise it from
//! content, where a record starts, how its time and fields are read) and runs on the one shared
//! line/record engine in `engine.rs`. Whole-document formats (HAR, ECE JSON) make their own records.

pub mod engine;
pub mod har;
pub mod ccp;
pub mod chat_gateway;
pub mod clock;
pub mod cti;
pub mod ece;
pub mod finesse;
pub mod icm;
pub mod openfire;
pub mod rttest;
pub mod text;
pub mod tomcat;
pub mod uccx;

use crate::model::{LogFile, Problem, Record};

/// Every format name the registry can give a file. Part of the CLI contract.
pub const FORMAT_NAMES: &[&str] = &[
    "ece-listener", "ece-entrypoint-json", "ctisvr", "opc", "rttest", "tomcat-access", "finesse-clientlog",
    "finesse-webservices", "finesse-webservices-v12", "finesse-notification", "openfire-debug", "openfire-info",
    "ccp-ccbu", "mr-pim", "icm-router", "chat-gateway", "chat-gateway-startup", "uccx-madm", "uccx-mivr", "har",
    "icm-dumplog-cisco", "icm-dumplog", "text",
];

/// What a detector sees: the file's path (for hints only) and its first lines.
pub struct Sample<'a> {
    pub path: &'a str,
    /// The first lines of the file (at most `SAMPLE_LINES`), line endings removed.
    pub lines: Vec<&'a str>,
    /// The whole text, for detectors that need to look at a document's structure.
    pub text: &'a str,
}

pub const SAMPLE_LINES: usize = 64;

/// How a family's records are made.
pub enum Shape {
    /// Line-based: a record starts at a line for which `starts_record` is true; the lines that follow
    /// and do not start a record continue it (stack traces, XML bodies, object dumps).
    Lines {
        starts_record: fn(&str) -> bool,
        /// `glue(previous_line, line)`: true when a line that could start a record continues the
        /// previous one instead (an event printed over several prefixed lines). `engine::no_glue` if never.
        glue: fn(&str, &str) -> bool,
        /// Fill time, component, severity, name and fields from the record's first line and full text.
        parse: fn(rec: &mut Record, first_line: &str, text: &str),
    },
    /// A whole document (JSON, HAR): the parser makes the records itself and returns the problems
    /// it found with the file (broken JSON, not a HAR, …), which the caller adds to `file.problems`.
    /// Its records are either decoded at once (`detail`), or index entries that `decode` reads again
    /// from their byte range (fields and own text; the protocol decoders run after it).
    Document {
        parse: fn(file: &LogFile, file_index: u32, out: &mut Vec<Record>) -> Vec<Problem>,
        decode: Option<fn(file: &LogFile, rec: &Record) -> Record>,
    },
}

pub struct Format {
    pub name: &'static str,
    /// Confidence 0..=100 that the sample is this format; the highest wins, `text` is the fallback.
    pub detect: fn(&Sample) -> u8,
    pub shape: Shape,
}

/// The registry, in no particular order (detection scores decide).
pub fn registry() -> &'static [&'static Format] {
    static REGISTRY: &[&Format] = &[
        &TEXT,
        &har::HAR,
        &ece::ECE_LISTENER,
        &ece::ECE_ENTRYPOINT_JSON,
        &cti::CTISVR,
        &cti::OPC,
        &rttest::RTTEST,
        &tomcat::TOMCAT_ACCESS,
        &finesse::FINESSE_CLIENTLOG,
        &finesse::FINESSE_WEBSERVICES,
        &finesse::FINESSE_WEBSERVICES_V12,
        &finesse::FINESSE_NOTIFICATION,
        &openfire::OPENFIRE_DEBUG,
        &openfire::OPENFIRE_INFO,
        &ccp::CCP_CCBU,
        &icm::MR_PIM,
        &icm::ICM_ROUTER,
        &icm::ICM_DUMPLOG,
        &icm::ICM_DUMPLOG_CISCO,
        &chat_gateway::CHAT_GATEWAY,
        &chat_gateway::CHAT_GATEWAY_STARTUP,
        &uccx::UCCX_MADM,
        &uccx::UCCX_MIVR,
    ];
    REGISTRY
}

/// The plain-text fallback: every line is a record; a timestamp is found where one can be.
pub use text::TEXT;

/// Picks the format for a file from its content (and its name as a hint).
pub fn detect(file: &LogFile) -> &'static Format {
    let lines: Vec<&str> = file
        .text
        .lines()
        .map(|l| engine::prefix_at_most(l.trim_end_matches('\r'), 4096))
        .filter(|l| !l.trim().is_empty())
        .take(SAMPLE_LINES)
        .collect();
    let sample = Sample { path: &file.path, lines, text: &file.text };
    let mut best: &'static Format = &TEXT;
    let mut best_score = 0u8;
    for f in registry() {
        let s = (f.detect)(&sample);
        if s > best_score {
            best = f;
            best_score = s;
        }
    }
    best
}

/// Splits a file into records with its format. Records are index entries (time, component,
/// severity, name; no fields: `decode_record` reads those on demand), except those of a document
/// format without `decode` (ECE JSON, one record per file), which are decoded at once.
/// Returns the problems a document parser found with the file (the caller adds them to the file).
pub fn parse_file(format: &'static Format, file: &LogFile, file_index: u32, out: &mut Vec<Record>) -> Vec<Problem> {
    let first = out.len();
    match &format.shape {
        Shape::Lines { starts_record, glue, parse } => {
            engine::split_records(format.name, file, file_index, *starts_record, *glue, *parse, 0, usize::MAX, out);
            Vec::new()
        }
        Shape::Document { parse, .. } => {
            let problems = parse(file, file_index, out);
            for rec in out.iter_mut().skip(first).filter(|r| r.detail()) {
                decode_own(rec, &file.text);
            }
            problems
        }
    }
}

/// One step of `parse_file` for a line format: the records starting in lines `from ..` up to about
/// `max_lines` further. Returns where the next step starts; `file.line_count()` when done. Document
/// formats are parsed whole by `parse_file`.
pub fn parse_lines_step(format: &'static Format, file: &LogFile, file_index: u32, from: usize, max_lines: usize, out: &mut impl crate::model::RecordSink) -> usize {
    match &format.shape {
        Shape::Lines { starts_record, glue, parse } => {
            engine::split_records(format.name, file, file_index, *starts_record, *glue, *parse, from, max_lines, out)
        }
        Shape::Document { .. } => file.line_count(),
    }
}

/// Runs the protocol decoders on a record that keeps its fields.
fn decode_own(rec: &mut Record, file_text: &str) {
    // Document records carry their own text; line records point into the file's text.
    match rec.take_own_text() {
        Some(own) => {
            crate::decoders::decode(rec, &own);
            rec.set_own_text(own);
        }
        None => {
            let text = file_text.get(rec.text_start()..rec.text_end()).unwrap_or("");
            crate::decoders::decode(rec, text);
        }
    }
    rec.shrink();
}

/// The format of a record, from its name.
pub fn by_name(name: &str) -> Option<&'static Format> {
    registry().iter().copied().find(|f| f.name == name)
}

/// A record with its fields and decoder notes: the index entry, with its format's parser run again
/// in detail mode (a line parser, or a document's `decode` on the record's byte range) and the
/// protocol decoders after it. The index entry's time (already placed by the clocks) is kept; a
/// name a decoder gives (an ARM dump's message type) wins over the index entry's. Records that
/// are already decoded come back as they are.
pub fn decode_record(file: &LogFile, rec: &Record) -> Record {
    let mut out = rec.clone();
    if rec.detail() {
        return out;
    }
    out.set_detail(true);
    let mut scratch = match by_name(rec.format()).map(|f| &f.shape) {
        Some(Shape::Lines { parse, .. }) => {
            let text = file.text.get(rec.text_start()..rec.text_end()).unwrap_or("");
            let idx = (rec.line as usize).saturating_sub(1);
            let first = engine::line_text(&file.text, &file.line_starts, idx);
            let mut scratch = Record::new(rec.file, rec.format());
            scratch.set_text_range(rec.text_start(), rec.text_end());
            parse(&mut scratch, first, text);
            scratch
        }
        Some(Shape::Document { decode: Some(decode), .. }) => decode(file, rec),
        _ => return out,
    };
    decode_own(&mut scratch, &file.text);
    if scratch.name.is_some() {
        out.name = scratch.name;
    }
    if out.component.is_none() {
        out.component = scratch.component;
    }
    if out.severity.is_none() {
        out.severity = scratch.severity;
    }
    out.take_extra_from(&mut scratch);
    out
}

/// Fills the clocks of files whose records lack a date or a zone (from the file name, a header,
/// neighbouring files). Runs after all files are parsed, before times are resolved.
/// Also gives year-less records (UCCX) and dumplog records under a date header their date.
pub fn infer_clocks(files: &mut [LogFile], records: &mut crate::model::Records, first: usize) {
    clock::infer(files, records, first)
}
