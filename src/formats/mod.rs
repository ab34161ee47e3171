//! The format registry: every log family is declared once here (name, how to recognise it from
//! content, where a record starts, how its time and fields are read) and runs on the one shared
//! line/record engine in `engine.rs`. Whole-document formats (HAR, ECE JSON) make their own records.

pub mod ccp;
pub mod chat_gateway;
pub mod clock;
pub mod cti;
pub mod cuic;
pub mod ece;
pub mod ejabberd;
pub mod engine;
pub mod finesse;
pub mod generic;
pub mod har;
pub mod http_bind;
pub mod icm;
pub mod icm_console;
pub mod node_xmpp_bosh;
pub mod openfire;
pub mod prosody;
pub mod rttest;
pub mod strophe;
pub mod text;
pub mod tomcat;
pub mod uccx;
pub mod wrapper;
pub mod xmpp_xml;

pub use crate::kinds::{IdKind, IdRule, Lane, Role};
use crate::model::{LogFile, Problem, Record};

/// What a detector sees: the file's path (for hints only) and its first lines.
pub struct Sample<'a> {
    pub path: &'a str,
    /// The first lines of the file (at most `SAMPLE_LINES`), line endings removed.
    pub lines: Vec<&'a str>,
    /// The whole text, for detectors that need to look at a document's structure.
    pub text: &'a str,
    /// Each line's CCBU thread when it is a CCBU line, read once for the three CCBU families.
    ccbu_threads: std::cell::OnceCell<Vec<Option<&'a str>>>,
}

impl<'a> Sample<'a> {
    pub fn new(path: &'a str, lines: Vec<&'a str>, text: &'a str) -> Self {
        Sample { path, lines, text, ccbu_threads: std::cell::OnceCell::new() }
    }

    /// Each line's CCBU thread (`finesse::ccbu_line`), None for a line of another grammar.
    pub fn ccbu_threads(&self) -> &[Option<&'a str>] {
        self.ccbu_threads.get_or_init(|| self.lines.iter().map(|l| finesse::ccbu_line(l).map(|c| c.thread)).collect())
    }
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
    Document { parse: fn(file: &LogFile, file_index: u32, out: &mut Vec<Record>) -> Vec<Problem>, decode: Option<fn(file: &LogFile, rec: &Record) -> Record> },
}

/// A log family, declared once: its name (part of the CLI contract), how it is recognised, how its
/// records are read, and what correlation needs to know about it. Adding a family is one file that
/// defines a `Format` plus one line in `registry()`.
pub struct Format {
    pub name: &'static str,
    /// Confidence 0..=100 that the sample is this format; the highest wins, `text` is the fallback.
    pub detect: fn(&Sample) -> u8,
    pub shape: Shape,
    /// The lifeline its records are drawn on.
    pub lane: Lane,
    /// What part its source plays.
    pub role: Role,
    /// Where its records carry IDs beyond the protocol fields (see `IdRule`).
    pub ids: &'static [IdRule],
    /// Lines the project wrote in this family's grammar, one per variant it reads. A generic test
    /// checks that every example is detected as this format, timed (when it says so) and named.
    pub examples: &'static [Example],
}

/// A file written by the project in a family's grammar: its name (a hint for detection, as real
/// files are named) and its text.
pub struct Example {
    /// Which variant of the grammar it shows ("9.1 bare", "12.x numbered with host", …).
    pub variant: &'static str,
    /// True when the variant writes a time on its records: ≥ 99 % of its lines must then be timed.
    pub timed: bool,
    pub path: &'static str,
    pub text: &'static str,
}

/// The registry, in no particular order (detection scores decide).
pub fn registry() -> &'static [&'static Format] {
    static REGISTRY: &[&Format] = &[
        &TEXT,
        &har::HAR,
        &ece::ECE_LISTENER,
        &ece::ECE_PROCESS,
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
        &openfire::OPENFIRE_WARN,
        &openfire::OPENFIRE_ERROR,
        &openfire::OPENFIRE_ALL,
        &ccp::CCP_CCBU,
        &cuic::CUIC_CCBU,
        &icm::MR_PIM,
        &icm::ICM_ROUTER,
        &icm::ICM_DUMPLOG,
        &icm::ICM_DUMPLOG_CISCO,
        &icm::ICM_PROCESS,
        &icm_console::ICM_CONSOLE,
        &chat_gateway::CHAT_GATEWAY,
        &chat_gateway::CHAT_GATEWAY_STARTUP,
        &uccx::UCCX_MADM,
        &uccx::UCCX_MIVR,
        &prosody::PROSODY,
        &ejabberd::EJABBERD,
        &node_xmpp_bosh::NODE_XMPP_BOSH,
        &strophe::STROPHE_CONSOLE,
        &http_bind::HTTP_BIND_WIRE,
        &xmpp_xml::XMPP_XML,
    ];
    REGISTRY
}

/// The plain-text fallback: every line is a record; a timestamp is found where one can be.
pub use text::TEXT;

/// What detection decided for a file.
pub struct Detection {
    pub format: &'static Format,
    /// The winning score (0..=100): low values mean a guess.
    pub score: u8,
    /// What wraps each line (a grep prefix, a syslog header…), taken off before reading.
    pub wrapper: wrapper::Wrapper,
}

/// What the plain-text fallback scores.
const TEXT_SCORE: u8 = 1;

/// Scores below this are a guess: the file says so and the user may pick another format.
pub const CONFIDENT: u8 = 60;

/// Picks the format for a file from its content (and its name as a hint), and the line wrapper
/// that lets a family read it best (a wrapper wins only when a family scores higher through it).
pub fn detect(file: &LogFile) -> Detection {
    best_of(ranked(file))
}

/// Every format that scores on the file, best first, each with the wrapper it reads best through
/// (what the page offers when detection was a guess). Ties keep registry order.
pub fn ranked(file: &LogFile) -> Vec<Detection> {
    ranked_among(file, registry())
}

/// `ranked` with only `formats` tried (in registry order, which breaks ties).
fn ranked_among(file: &LogFile, formats: &[&'static Format]) -> Vec<Detection> {
    let raw: Vec<&str> =
        file.text.lines().map(|l| engine::prefix_at_most(l.trim_end_matches('\r'), 4096)).filter(|l| !l.trim().is_empty()).take(SAMPLE_LINES).collect();
    let mut best: Vec<Detection> =
        scores(formats, &file.path, &raw, &file.text).map(|(format, score)| Detection { format, score, wrapper: wrapper::Wrapper::None }).collect();
    for w in wrapper::Wrapper::candidates(&raw) {
        let lines: Vec<&str> = raw.iter().map(|l| w.strip(l)).collect();
        // A prefix on most lines (grep, syslog, a quote) wins a tie, so its values are kept as
        // fields; indentation only when a family reads better without it.
        let prefix = !matches!(w, wrapper::Wrapper::Indent(_));
        for (d, (_, s)) in best.iter_mut().zip(scores(formats, &file.path, &lines, &file.text)) {
            if s > d.score || (prefix && s == d.score && s > TEXT_SCORE) {
                *d = Detection { format: d.format, score: s, wrapper: w };
            }
        }
    }
    // TEXT always reads a file; other formats only when they score.
    best.retain(|d| d.score > 0 || d.format.name == TEXT.name);
    // A line prefix (grep, syslog, a quote) wins a tie between families, as it keeps its values.
    let prefixed = |d: &Detection| !matches!(d.wrapper, wrapper::Wrapper::None | wrapper::Wrapper::Indent(_));
    best.sort_by(|a, b| b.score.cmp(&a.score).then(prefixed(b).cmp(&prefixed(a))));
    best
}

/// Each of `formats`' detection score on these lines, in their order.
fn scores<'a>(formats: &'a [&'static Format], path: &'a str, lines: &[&'a str], text: &'a str) -> impl Iterator<Item = (&'static Format, u8)> + 'a {
    let sample = Sample::new(path, lines.to_vec(), text);
    formats.iter().map(move |f| (*f, (f.detect)(&sample)))
}

/// Detection over the files of a bundle, remembering per logger (the same folder and file name
/// but for its digits: `Desktop-webservices.2024-01-30T08-55-00.000.log` and its rolled
/// siblings) the formats that scored on its first file. A sibling is ranked among those and every
/// family whose grammar overlaps theirs (`overlapping`: a 9.x and a 12.x Finesse log, the ICM
/// processes), and keeps the answer when it is confident; otherwise every family is tried, as for
/// a first file. A bundle holds hundreds of rolled files of one logger, and trying all families'
/// grammars on each was most of the time it took to read one made of small files.
#[derive(Default)]
pub struct Families {
    /// Logger → the registry places (bits) of the formats its siblings are ranked among.
    candidates: std::collections::HashMap<String, u128>,
}

impl Families {
    /// `detect`, for the next file of a bundle.
    pub fn detect(&mut self, file: &LogFile) -> Detection {
        // A logger's candidates are bits of a u128 (`names_are_unique` keeps the registry smaller).
        if registry().len() > 128 {
            return detect(file);
        }
        let key = logger_of(&file.path);
        if let Some(&mask) = self.candidates.get(&key) {
            let formats: Vec<&'static Format> = registry().iter().enumerate().filter(|(i, _)| mask >> i & 1 == 1).map(|(_, f)| *f).collect();
            if let Some(d) = ranked_among(file, &formats).into_iter().next().filter(|d| d.score >= CONFIDENT) {
                return d;
            }
        }
        let all = ranked(file);
        let overlaps = overlapping();
        let mask = registry()
            .iter()
            .enumerate()
            .filter(|(_, f)| all.iter().any(|d| std::ptr::eq(d.format, **f)))
            .fold(0u128, |m, (i, _)| m | 1 << i | overlaps.get(i).copied().unwrap_or(0));
        self.candidates.insert(key, mask);
        best_of(all)
    }
}

/// The first of a ranking, or plain text when nothing scored.
fn best_of(ranked: Vec<Detection>) -> Detection {
    ranked.into_iter().next().unwrap_or(Detection { format: &TEXT, score: 0, wrapper: wrapper::Wrapper::None })
}

/// For each format (by registry place), the formats whose grammars overlap its own, as bits: a
/// format that scores on another's examples, or on whose examples the other scores, or one that
/// overlaps such a format. Learnt from the families' own examples, once.
fn overlapping() -> &'static [u128] {
    static OVERLAPS: std::sync::LazyLock<Vec<u128>> = std::sync::LazyLock::new(|| {
        let reg = registry();
        let place = |f: &Format| reg.iter().position(|g| std::ptr::eq(*g, f));
        let mut overlaps = vec![0u128; reg.len()];
        for (i, f) in reg.iter().enumerate() {
            for ex in f.examples {
                let mut file = LogFile::new(ex.path, ex.text.len() as u64);
                file.text = ex.text.to_string();
                // The plain-text fallback reads every file: it overlaps nothing.
                for j in ranked(&file).iter().filter(|d| d.score > 0 && d.format.name != TEXT.name).filter_map(|d| place(d.format)) {
                    if let Some(o) = overlaps.get_mut(i) {
                        *o |= 1 << j;
                    }
                    if let Some(o) = overlaps.get_mut(j) {
                        *o |= 1 << i;
                    }
                }
            }
        }
        // Through another too (a ctisvr excerpt and an OPC trace both read as ICM process lines).
        loop {
            let before = overlaps.clone();
            for i in 0..overlaps.len() {
                let reach =
                    (0..before.len()).filter(|j| before.get(i).is_some_and(|m| m >> j & 1 == 1)).fold(0, |m, j| m | before.get(j).copied().unwrap_or(0));
                if let Some(o) = overlaps.get_mut(i) {
                    *o |= reach;
                }
            }
            if overlaps == before {
                break;
            }
        }
        overlaps
    });
    &OVERLAPS
}

/// A file's logger: its path with every run of digits in the file name taken as one.
fn logger_of(path: &str) -> String {
    let name_at = path.rfind(['/', '\\']).map_or(0, |i| i + 1);
    let (dir, name) = path.split_at(name_at);
    let mut key = String::with_capacity(path.len());
    key.push_str(dir);
    let mut in_digits = false;
    for c in name.chars() {
        let digit = c.is_ascii_digit();
        if !(digit && in_digits) {
            key.push(if digit { '#' } else { c });
        }
        in_digits = digit;
    }
    key
}

/// How a format reads this file: its score and the wrapper it reads best through (a family the
/// user chose although it scored nothing reads the lines as they are).
pub fn detect_as(file: &LogFile, format: &'static Format) -> Detection {
    ranked(file).into_iter().find(|d| std::ptr::eq(d.format, format)).unwrap_or(Detection { format, score: 0, wrapper: wrapper::Wrapper::None })
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
pub fn parse_lines_step(
    format: &'static Format,
    file: &LogFile,
    file_index: u32,
    from: usize,
    max_lines: usize,
    out: &mut impl crate::model::RecordSink,
) -> usize {
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

/// The format with this name.
pub fn by_name(name: &str) -> Option<&'static Format> {
    registry().iter().copied().find(|f| f.name == name)
}

/// Every format name the registry can give a file, in registry order. Part of the CLI contract.
pub fn names() -> impl Iterator<Item = &'static str> {
    registry().iter().map(|f| f.name)
}

/// The format of a record (records store their format's place in the registry).
pub fn of(rec: &Record) -> &'static Format {
    registry().get(rec.format_index()).copied().unwrap_or(&TEXT)
}

/// The lifeline a record is drawn on: its format's lane, or for generic process logs the lane its
/// component names.
pub fn lane_of(rec: &Record) -> Lane {
    match of(rec).lane {
        Lane::ByComponent => Lane::of_component(rec.component().unwrap_or("")),
        lane => lane,
    }
}

/// The role of a record's source.
pub fn role_of(rec: &Record) -> Role {
    of(rec).role
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
            let raw_first = engine::line_text(&file.text, &file.line_starts, idx);
            let mut scratch = Record::new(rec.file, rec.format());
            scratch.set_text_range(rec.text_start(), rec.text_end());
            // Parsers read lines past their wrapper: a multi-line record gets an unwrapped copy.
            let unwrapped;
            let (first, body) = if file.wrapper != wrapper::Wrapper::None && rec.line_end > rec.line {
                unwrapped = text.lines().map(|l| file.wrapper.strip(l)).collect::<Vec<_>>().join("\n");
                (unwrapped.lines().next().unwrap_or(""), unwrapped.as_str())
            } else {
                let first = file.wrapper.strip(raw_first);
                (first, engine::offset_in(text, first).and_then(|o| text.get(o..)).unwrap_or(text))
            };
            if rec.unread() {
                generic::read(&mut scratch, first, body);
            } else {
                parse(&mut scratch, first, body);
            }
            file.wrapper.fill(&mut scratch, raw_first);
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
