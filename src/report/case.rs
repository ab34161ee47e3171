//! The case report: one self-contained HTML file to attach to a case (and its Markdown twin) with
//! what an engineer hands on — the inputs (sizes, formats, coverage, clocks, wrappers), the
//! findings grouped by code (catalogue title, meaning and next step, evidence as `file:line`, time
//! span, related flow), the chosen flows as inline SVG sequence diagrams with their steps, the
//! state timelines, the bookmarked lines with their notes, and the named filter sets.
//!
//! Self-contained means no reference out of the file of any kind: no script at all, no style or
//! font or image by URL (system fonts, inline CSS with a print stylesheet, inline SVG), links only
//! to anchors inside it, and a Content-Security-Policy of `default-src 'none'` so a browser would
//! refuse a request even if one slipped in. URLs quoted from the logs are text (`://` is written as
//! an entity, so nothing takes them for references).
//!
//! Sanitized (`Options::sanitize`), every string taken from the inputs — paths, record lines, labels,
//! keys, summaries, notes — goes through the same `Sanitizer` as the export, learnt over the whole
//! session, so the report's tokens are the export's.
//!
//! The report is built once as a `Model` of plain strings (already sanitized); `html` and
//! `markdown` only lay it out, so the two never disagree.

use super::svg::{self, esc};
use crate::annotations::Annotations;
use crate::sanitize::{Preview, Sanitizer};
use crate::session::Session;
use std::fmt::Write;

/// Which flows the report draws.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum FlowChoice {
    /// Every flow (the default).
    #[default]
    All,
    None,
    /// Flows by index in the session (`3`) or by kind (`agent-sign-in`).
    Pick(Vec<String>),
}

impl FlowChoice {
    /// `all`, `none`, or a comma-separated list of flow indices and kinds.
    pub fn parse(s: &str) -> FlowChoice {
        match s.trim() {
            "" | "all" => FlowChoice::All,
            "none" => FlowChoice::None,
            list => FlowChoice::Pick(list.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()),
        }
    }

    fn wants(&self, index: usize, kind: &str) -> bool {
        match self {
            FlowChoice::All => true,
            FlowChoice::None => false,
            FlowChoice::Pick(list) => list.iter().any(|x| x == kind || x.parse::<usize>().ok() == Some(index)),
        }
    }
}

/// How to build the report.
#[derive(Clone, Debug)]
pub struct Options {
    pub flows: FlowChoice,
    /// Mask with the export's rules (secrets; personal data when its `personal` is set).
    pub sanitize: Option<crate::sanitize::Options>,
    /// When it was made, as the caller wants it shown ("2026-03-12 14:20 UTC").
    pub generated: String,
    /// Steps drawn per flow (the rest are counted).
    pub max_steps: usize,
    /// Evidence records listed per finding.
    pub max_evidence: usize,
    /// Flows drawn at most: past it, the chosen flows the findings and bookmarks do not point at
    /// are listed in the flow index but not drawn (a bundle of a thousand sessions would otherwise
    /// make a report nobody can open).
    pub max_flows: usize,
}

/// Flows a report draws by default (`Options::max_flows`).
pub const MAX_FLOWS: usize = 100;

impl Default for Options {
    fn default() -> Self {
        Options { flows: FlowChoice::All, sanitize: None, generated: String::new(), max_steps: 400, max_evidence: 12, max_flows: MAX_FLOWS }
    }
}

/// The report in both forms, and what sanitizing masked.
pub struct Report {
    pub html: String,
    pub markdown: String,
    pub masked: Option<Preview>,
}

// ---------------------------------------------------------------------------------------------
// The model: everything shown, as plain (sanitized) strings.

struct Input {
    path: String,
    size: String,
    format: String,
    records: usize,
    encoding: String,
    status: String,
    coverage: String,
    why: Vec<String>,
    clock: String,
    wrappers: Vec<String>,
    problems: Vec<String>,
}

struct Evidence {
    at: String,
    time: String,
    name: String,
    excerpt: String,
}

struct FindingItem {
    summary: String,
    evidence: Vec<Evidence>,
    more: usize,
    span: Option<(String, String)>,
    flow: Option<(Option<String>, String)>,
}

struct FindingGroup {
    code: String,
    severity: String,
    title: String,
    meaning: String,
    next: String,
    count: usize,
    items: Vec<FindingItem>,
}

struct StepRow {
    time: String,
    from: String,
    to: String,
    label: String,
    count: u32,
    at: String,
    failure: bool,
}

struct FlowView {
    anchor: String,
    title: String,
    svg: String,
    steps: Vec<StepRow>,
    more_steps: usize,
    participants: Vec<String>,
    links: Vec<String>,
    note: Option<String>,
}

struct StateGroup {
    kind: String,
    svg: Option<String>,
    /// Which entities the drawing leaves out, when there are too many to draw.
    drawn_note: Option<String>,
    rows: Vec<[String; 4]>,
    more: usize,
}

/// Most entities of one kind a report draws (each is a row of the drawing): those with the most
/// changes. A day of logs can hold tens of thousands of agents; the page's States tab shows all.
const MAX_STATE_TRACKS: usize = 40;

struct Mark {
    at: String,
    time: String,
    excerpt: String,
    note: String,
    flow: Option<(Option<String>, String)>,
}

struct Model {
    title: String,
    summary: String,
    generated: String,
    sanitized: Option<String>,
    totals: Vec<(String, String)>,
    inputs: Vec<Input>,
    findings: Vec<FindingGroup>,
    flows: Vec<FlowView>,
    flows_left_out: usize,
    flows_note: Option<String>,
    /// Every flow, when not all are drawn: (anchor when drawn, kind, key, steps, first time).
    flow_index: Vec<(Option<String>, String, String, usize, String)>,
    states: Vec<StateGroup>,
    marks: Vec<Mark>,
    filters: Vec<(String, String)>,
}

/// Applies the sanitizer when there is one.
struct Cleaner(Option<Sanitizer>);

impl Cleaner {
    fn c(&mut self, s: &str) -> String {
        match &mut self.0 {
            Some(san) => san.clean(s),
            None => s.to_string(),
        }
    }
}

/// `HH:MM:SS.mmm` of a UTC time, with the date when it is not `day`.
fn clock_text(ms: i64, day: Option<&str>) -> String {
    let iso = crate::time::iso_utc(ms);
    match (iso.get(..10), iso.get(11..23)) {
        (Some(d), Some(t)) if Some(d) == day => t.to_string(),
        (Some(d), Some(t)) => format!("{d} {t}"),
        _ => iso,
    }
}

fn duration_text(ms: i64) -> String {
    let s = ms / 1000;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

/// Words that mark a step as a failure.
fn is_failure(label: &str, severity: Option<&str>) -> bool {
    static WORDS: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b(?:fail(?:ed|ure|s)?|error|refused|denied|rejected|timed? ?out|terminate[ds]?|not found|unavailable|E_[A-Z_]{4,}|item-not-found|policy-violation|remote-connection-failed)\b|\b(?:HTTP )?[45]\d\d\b(?: [A-Z])")
            .ok()
    });
    severity.is_some_and(|s| matches!(s.to_ascii_uppercase().as_str(), "ERROR" | "ERR" | "FATAL" | "SEVERE" | "CRITICAL" | "3" | "2" | "1" | "0"))
        || WORDS.as_ref().is_some_and(|r| r.is_match(label))
}

/// The first lines of a record (sanitized whole, then cut for display).
fn excerpt(s: &Session, clean: &mut Cleaner, i: usize) -> String {
    let Some(r) = s.records.get(i) else { return String::new() };
    // The whole record is cleaned before it is cut: a value over several lines (a chat message)
    // is only found whole.
    clean
        .c(s.record_text(r))
        .lines()
        .take(4)
        .map(|l| {
            let l = l.trim_end();
            if l.chars().count() > 300 {
                format!("{}…", l.chars().take(300).collect::<String>())
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where a record is: `file:line`, the file named as in the inputs table.
fn location(names: &[String], s: &Session, i: usize) -> String {
    match s.records.get(i) {
        Some(r) => format!("{}:{}", names.get(r.file as usize).map_or("", String::as_str), r.line),
        None => String::new(),
    }
}

fn record_time(s: &Session, i: usize, day: Option<&str>) -> String {
    let Some(r) = s.records.get(i) else { return String::new() };
    match r.utc_ms() {
        Some(ms) => clock_text(ms, day),
        // As written, in brackets (not placed in UTC); nothing when the record has no time at all.
        None => match s.time_text(r) {
            "" => String::new(),
            t => format!("({t})"),
        },
    }
}

fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

impl Model {
    fn of(s: &Session, notes: &Annotations, opts: &Options) -> (Model, Option<Preview>) {
        let mut clean = Cleaner(opts.sanitize.clone().map(|o| Sanitizer::for_files(s.files.iter(), o)));
        let counts = s.record_counts();
        let coverage = s.coverage();
        // Files are named without the local folder they all share (it says nothing about the case).
        let paths: Vec<String> = s.files.iter().map(|f| clean.c(&f.path)).collect();
        let names = crate::sanitize::without_common_folder(&paths);
        let inputs: Vec<Input> = s
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let cov = coverage.get(i);
                let c = &f.clock;
                let mut clock = Vec::new();
                if let Some(o) = c.utc_offset_min {
                    clock.push(format!("UTC{}{:02}:{:02}", if o < 0 { '-' } else { '+' }, o.unsigned_abs() / 60, o.unsigned_abs() % 60));
                }
                if let Some((y, m, d)) = c.date {
                    clock.push(format!("date {y:04}-{m:02}-{d:02}"));
                }
                if c.skew_ms != 0 {
                    clock.push(format!("corrected by {:+} ms", c.skew_ms));
                }
                if s.user_clocks.contains(&(i as u32)) {
                    clock.push("set by hand".into());
                }
                let from = if c.source.is_empty() || clock.is_empty() { String::new() } else { format!(" ({})", c.source) };
                Input {
                    path: names.get(i).cloned().unwrap_or_default(),
                    size: crate::ingest::human(f.size),
                    format: f.format.clone(),
                    records: counts.get(i).copied().unwrap_or(0),
                    encoding: f.encoding.clone(),
                    status: format!("{:?}", f.status).to_lowercase(),
                    coverage: cov.map(|c| format!("lines {}, timed {}, named {}", pct(c.lines), pct(c.timed), pct(c.named))).unwrap_or_default(),
                    why: cov.map(|c| c.why.iter().map(|w| clean.c(w)).collect()).unwrap_or_default(),
                    clock: if clock.is_empty() { "times as written".into() } else { format!("{}{from}", clock.join(", ")) },
                    wrappers: f.wrappers.iter().map(|w| clean.c(w)).collect(),
                    problems: f.problems.iter().map(|p| clean.c(&p.message)).collect(),
                }
            })
            .collect();

        // Flows chosen, and their anchors (findings and bookmarks link to them).
        let wanted: Vec<usize> = s.flows.iter().enumerate().filter(|(i, f)| opts.flows.wants(*i, f.kind)).map(|(i, _)| i).collect();
        // Past the cap, flows a finding or a bookmark points at come first.
        let resolved_early = notes.resolve(s);
        let pointed: std::collections::BTreeSet<usize> = s.findings.iter().filter_map(|f| f.flow).chain(resolved_early.iter().filter_map(|r| r.flow)).collect();
        let mut chosen: Vec<usize> = wanted.iter().copied().filter(|i| pointed.contains(i)).take(opts.max_flows).collect();
        for &i in &wanted {
            if chosen.len() >= opts.max_flows {
                break;
            }
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        let capped = wanted.len() - chosen.len();
        let anchor = |i: usize| chosen.contains(&i).then(|| format!("flow-{i}"));
        let resolved = resolved_early;
        let mut marks_on_record: std::collections::HashMap<usize, Vec<String>> = std::collections::HashMap::new();
        for r in &resolved {
            if let (Some(rec), Some(b)) = (r.record, notes.bookmarks.get(r.bookmark)) {
                marks_on_record.entry(rec).or_default().push(clean.c(&b.note));
            }
        }

        let flow_name = |clean: &mut Cleaner, i: usize| s.flows.get(i).map(|f| format!("{} — {}", f.kind, clean.c(&f.key))).unwrap_or_default();

        // Findings, grouped by code: errors first.
        let rank = |sev: &str| match sev {
            "error" => 0,
            "warning" => 1,
            _ => 2,
        };
        let mut codes: Vec<&str> = s.findings.iter().map(|f| f.code).collect();
        codes.sort_by_key(|c| (s.findings.iter().filter(|f| f.code == *c).map(|f| rank(f.severity)).min().unwrap_or(3), *c));
        codes.dedup();
        let mut findings = Vec::new();
        for code in codes {
            let entry = crate::correlate::catalogue::entry(code);
            let list: Vec<&crate::correlate::Finding> = s.findings.iter().filter(|f| f.code == code).collect();
            let items = list
                .iter()
                .map(|f| {
                    let day = f.first_utc.map(crate::time::iso_utc);
                    let day = day.as_deref().and_then(|d| d.get(..10));
                    FindingItem {
                        summary: clean.c(&f.summary.get()),
                        evidence: f
                            .records
                            .iter()
                            .take(opts.max_evidence)
                            .map(|&i| Evidence {
                                at: location(&names, s, i),
                                time: record_time(s, i, day),
                                name: clean.c(s.records.get(i).and_then(|r| r.name()).unwrap_or("")),
                                excerpt: excerpt(s, &mut clean, i),
                            })
                            .collect(),
                        more: f.records.len().saturating_sub(opts.max_evidence),
                        span: f.first_utc.zip(f.last_utc).map(|(a, b)| (crate::time::iso_utc(a), crate::time::iso_utc(b))),
                        flow: f.flow.map(|i| (anchor(i), flow_name(&mut clean, i))),
                    }
                })
                .collect();
            findings.push(FindingGroup {
                code: code.to_string(),
                severity: list.first().map_or(String::new(), |f| f.severity.to_string()),
                title: entry.map_or(String::new(), |e| e.title.to_string()),
                meaning: entry.map_or(String::new(), |e| e.meaning.to_string()),
                next: entry.map_or(String::new(), |e| e.next.to_string()),
                count: list.iter().map(|f| f.count.max(1)).sum(),
                items,
            });
        }

        // Flows as sequence diagrams.
        let mut flows = Vec::new();
        let mut flows_note: Option<String> = None;
        for &fi in &chosen {
            let Some(f) = s.flows.get(fi) else { continue };
            let participants: Vec<String> = f.participants.iter().map(|p| clean.c(p)).collect();
            let day = f.steps.iter().find_map(|st| s.records.get(st.record()).and_then(|r| r.utc_ms())).map(crate::time::iso_utc);
            let day = day.as_deref().and_then(|d| d.get(..10)).map(str::to_string);
            let lane = |name: &str| f.participants.position(name).unwrap_or(0);
            let mut messages = Vec::new();
            let mut steps = Vec::new();
            let mut last_ms: Option<i64> = None;
            for (st, text) in f.steps.labelled().take(opts.max_steps) {
                let rec = s.records.get(st.record());
                let ms = rec.and_then(|r| r.utc_ms());
                let label = clean.c(&text);
                let failure = is_failure(&text, rec.and_then(|r| r.severity()));
                let gap = match (last_ms, ms) {
                    (Some(a), Some(b)) if b - a >= 60_000 => Some(format!("… {} later …", duration_text(b - a))),
                    _ => None,
                };
                if ms.is_some() {
                    last_ms = ms;
                }
                let time = record_time(s, st.record(), day.as_deref());
                let mark = marks_on_record.get(&st.record()).map(|n| n.join(" · "));
                messages.push(svg::Message {
                    time: time.clone(),
                    from: lane(st.from.name()),
                    to: lane(st.to.name()),
                    label: label.clone(),
                    failure,
                    count: st.count,
                    gap_before: gap,
                    mark,
                });
                steps.push(StepRow {
                    time,
                    from: clean.c(st.from.name()),
                    to: clean.c(st.to.name()),
                    label,
                    count: st.count,
                    at: location(&names, s, st.record()),
                    failure,
                });
            }
            let title = format!("{} — {}", f.kind, clean.c(&f.key));
            let diagram = svg::Sequence { title: title.clone(), participants: participants.clone(), messages };
            let mut note = Vec::new();
            if let Some(d) = &day {
                note.push(format!("Times are UTC on {d}."));
            }
            if let Some(t) = &f.truncated {
                note.push(format!("The flow was cut at {} of {} records.", t.shown, t.total));
            }
            flows.push(FlowView {
                anchor: format!("flow-{fi}"),
                title,
                svg: svg::sequence(&diagram, false),
                more_steps: f.steps.len().saturating_sub(opts.max_steps),
                participants,
                links: f.links.iter().map(|l| clean.c(&l)).collect(),
                note: (!note.is_empty()).then(|| note.join(" ")),
                steps,
            });
        }

        let flow_index = if s.flows.len() > chosen.len() {
            s.flows
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let first = f.steps.iter().find_map(|st| s.records.get(st.record()).and_then(|r| r.utc_ms())).map(crate::time::iso_utc).unwrap_or_default();
                    (anchor(i), f.kind.to_string(), clean.c(&f.key), f.steps.len(), first)
                })
                .collect()
        } else {
            Vec::new()
        };
        if capped > 0 {
            flows_note = Some(format!(
                "{} of the chosen flows are listed below but not drawn (a report draws at most {}); choose flows to draw them.",
                capped, opts.max_flows
            ));
        }

        // State timelines, one drawing per kind.
        let mut kinds: Vec<&str> = s.states.iter(&s.records).map(|t| t.kind).collect();
        kinds.dedup();
        kinds.sort_unstable();
        kinds.dedup();
        let mut states = Vec::new();
        for kind in kinds {
            let list: Vec<crate::correlate::states::StateTimeline> = s.states.iter(&s.records).filter(|t| t.kind == kind).collect();
            let end = list.iter().flat_map(|t| t.changes().filter_map(|c| c.utc_ms)).max();
            let mut tracks = Vec::new();
            let mut rows = Vec::new();
            let mut more = 0;
            for t in &list {
                let key = clean.c(t.key);
                let timed: Vec<(i64, String)> = t.changes().filter_map(|c| c.utc_ms.map(|ms| (ms, clean.c(c.state)))).collect();
                let segments = timed
                    .iter()
                    .enumerate()
                    .map(|(k, (ms, st))| (*ms, timed.get(k + 1).map_or(end.unwrap_or(*ms).max(*ms + 1000), |n| n.0), st.clone()))
                    .collect::<Vec<_>>();
                if !segments.is_empty() {
                    tracks.push(svg::Track { label: key.clone(), segments });
                }
                for c in t.changes() {
                    if rows.len() >= 300 {
                        more += 1;
                        continue;
                    }
                    rows.push([
                        key.clone(),
                        c.utc_ms.map(crate::time::iso_utc).unwrap_or_else(|| "(no time)".into()),
                        clean.c(c.state),
                        location(&names, s, c.record),
                    ]);
                }
            }
            let drawn_note = (tracks.len() > MAX_STATE_TRACKS).then(|| {
                let all = tracks.len();
                // The busiest entities, in their own order.
                let mut by_changes: Vec<usize> = (0..all).collect();
                by_changes.sort_by_key(|&i| std::cmp::Reverse(tracks.get(i).map_or(0, |t| t.segments.len())));
                by_changes.truncate(MAX_STATE_TRACKS);
                let keep: std::collections::HashSet<usize> = by_changes.into_iter().collect();
                tracks = std::mem::take(&mut tracks).into_iter().enumerate().filter(|(i, _)| keep.contains(i)).map(|(_, t)| t).collect();
                format!("Drawn: the {MAX_STATE_TRACKS} of {all} entities with the most state changes; the Switchboard page's States tab shows them all.")
            });
            // Ticks as times of day when the drawing starts and ends on one day.
            let first = tracks.iter().flat_map(|t| t.segments.first().map(|x| x.0)).min().map(crate::time::iso_utc);
            let day = first.as_deref().and_then(|d| d.get(..10)).map(str::to_string);
            let title = match &day {
                Some(d) => format!("{kind} states (UTC, {d})"),
                None => format!("{kind} states"),
            };
            let svg = (!tracks.is_empty()).then(|| svg::states(&title, &tracks, &|ms| clock_text(ms, day.as_deref()), false));
            states.push(StateGroup { kind: kind.to_string(), svg, drawn_note, rows, more });
        }

        // Bookmarks and filters.
        let marks = resolved
            .iter()
            .filter_map(|r| {
                let b = notes.bookmarks.get(r.bookmark)?;
                Some(Mark {
                    at: match r.record {
                        Some(i) => location(&names, s, i),
                        None => format!("{}:{} (not loaded)", clean.c(&b.file), b.line),
                    },
                    time: r.record.map(|i| record_time(s, i, None)).unwrap_or_default(),
                    excerpt: r.record.map(|i| excerpt(s, &mut clean, i)).unwrap_or_default(),
                    note: clean.c(&b.note),
                    flow: match (r.flow, &b.flow) {
                        (Some(fi), _) => Some((anchor(fi), flow_name(&mut clean, fi))),
                        (None, Some(fr)) => Some((None, format!("{} — {} (not found in this load)", fr.kind, clean.c(&fr.key)))),
                        _ => None,
                    },
                })
            })
            .collect();
        let filters = notes.filters.iter().map(|f| (clean.c(&f.name), clean.c(&f.describe()))).collect();

        let errors = s.findings.iter().filter(|f| f.severity == "error").count();
        let warnings = s.findings.iter().filter(|f| f.severity == "warning").count();
        let loaded = s.files.iter().filter(|f| f.status == crate::model::FileStatus::Loaded).count();
        let totals = vec![
            ("Inputs".to_string(), format!("{} files ({loaded} loaded), {}", s.files.len(), crate::ingest::human(s.files.iter().map(|f| f.size).sum()))),
            ("Records".to_string(), s.records.len().to_string()),
            ("Findings".to_string(), format!("{} ({errors} errors, {warnings} warnings)", s.findings.len())),
            ("Flows".to_string(), format!("{} found, {} drawn", s.flows.len(), chosen.len())),
            ("State timelines".to_string(), s.states.len().to_string()),
            ("Bookmarks".to_string(), notes.bookmarks.len().to_string()),
        ];
        let title = if notes.title.trim().is_empty() { "Switchboard case report".to_string() } else { clean.c(notes.title.trim()) };
        let summary = clean.c(notes.summary.trim());
        let preview = clean.0.as_ref().map(|san| san.preview(s.files.len()));
        let sanitized = preview.as_ref().map(|p| {
            let classes: Vec<String> = p.classes.iter().map(|c| format!("{} {}", c.count, c.kind)).collect();
            format!(
                "Sanitized with the export's rules: secrets masked{}. Masked: {}.",
                if p.personal { ", personal data replaced by consistent pseudonyms" } else { "" },
                if classes.is_empty() { "nothing found".into() } else { classes.join(", ") }
            )
        });
        let model = Model {
            title,
            summary,
            generated: opts.generated.clone(),
            sanitized,
            totals,
            inputs,
            findings,
            flows,
            flows_left_out: s.flows.len() - chosen.len() - capped,
            flows_note,
            flow_index,
            states,
            marks,
            filters,
        };
        (model, preview)
    }
}

/// Builds the report.
pub fn build(s: &Session, notes: &Annotations, opts: &Options) -> Report {
    let (m, masked) = Model::of(s, notes, opts);
    Report { html: html(&m), markdown: markdown(&m), masked }
}

// ---------------------------------------------------------------------------------------------
// HTML

const CSS: &str = r#"
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d0d7de; --soft: #f6f8fa; --err: #c62828; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; } h4 { font-size: 14px; margin: 12px 0 4px; }
.meta, .muted { color: var(--muted); } .note { background: #fff8c5; border: 1px solid #eac54f; border-radius: 6px; padding: 6px 10px; }
nav ol { columns: 2; margin: 8px 0; } a { color: #0969da; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; } th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: var(--soft); } td.num { text-align: right; white-space: nowrap; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; white-space: pre-wrap; word-break: break-all; margin: 4px 0 8px; }
.sev { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; color: #fff; background: #6e7781; }
.sev.error { background: var(--err); } .sev.warning { background: var(--warn); }
.finding, .flow, .mark { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; margin: 10px 0; }
.diagram { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; }
.diagram svg { display: block; }
tr.fail td { color: var(--err); }
dl.totals { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; } dl.totals dt { font-weight: 600; } dl.totals dd { margin: 0; }
@page { margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; } .finding, .mark, tr { break-inside: avoid; }
  .flow { break-inside: auto; } .diagram { overflow: visible; border: none; }
  .diagram svg { max-width: 100%; height: auto; }
  pre { white-space: pre-wrap; }
}
"#;

fn href(anchor: &Option<String>, text: &str) -> String {
    match anchor {
        Some(a) => format!("<a href=\"#{}\">{}</a>", esc(a), esc(text)),
        None => format!("{} <span class=\"muted\">(not drawn in this report)</span>", esc(text)),
    }
}

fn html(m: &Model) -> String {
    let mut o = String::with_capacity(64 * 1024);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
<meta name=\"generator\" content=\"Switchboard {}\"><title>{}</title><style>{CSS}</style></head><body>\n",
        crate::VERSION,
        esc(&m.title)
    );
    let _ = write!(
        o,
        "<header><h1>{}</h1><p class=\"meta\">Made by Switchboard {}{}.</p>",
        esc(&m.title),
        crate::VERSION,
        if m.generated.is_empty() { String::new() } else { format!(" on {}", esc(&m.generated)) }
    );
    if let Some(s) = &m.sanitized {
        let _ = write!(o, "<p class=\"note\">{}</p>", esc(s));
    }
    o.push_str("</header>\n<nav><ol><li><a href=\"#summary\">Summary</a></li><li><a href=\"#findings\">Findings</a></li><li><a href=\"#bookmarks\">Bookmarks and notes</a></li><li><a href=\"#flows\">Flows</a></li><li><a href=\"#states\">State timelines</a></li><li><a href=\"#inputs\">Inputs</a></li><li><a href=\"#filters\">Filters</a></li></ol></nav>\n");

    o.push_str("<section id=\"summary\"><h2>Summary</h2>");
    if !m.summary.is_empty() {
        for p in m.summary.split("\n\n") {
            let _ = write!(o, "<p>{}</p>", esc(p).replace('\n', "<br>"));
        }
    }
    o.push_str("<dl class=\"totals\">");
    for (k, v) in &m.totals {
        let _ = write!(o, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
    }
    o.push_str("</dl></section>\n");

    o.push_str("<section id=\"findings\"><h2>Findings</h2>");
    if m.findings.is_empty() {
        o.push_str("<p class=\"muted\">No findings.</p>");
    }
    for g in &m.findings {
        let _ = write!(
            o,
            "<div class=\"finding\" id=\"finding-{}\"><h3><span class=\"sev {}\">{}</span> {} <span class=\"muted mono\">{}</span> <span class=\"muted\">×{}</span></h3>",
            esc(&g.code),
            esc(&g.severity),
            esc(&g.severity),
            esc(&g.title),
            esc(&g.code),
            g.count
        );
        if !g.meaning.is_empty() {
            let _ = write!(o, "<p><b>What it means.</b> {}</p>", esc(&g.meaning));
        }
        if !g.next.is_empty() {
            let _ = write!(o, "<p><b>What to check next.</b> {}</p>", esc(&g.next));
        }
        for it in &g.items {
            let _ = write!(o, "<h4>{}</h4>", esc(&it.summary));
            if let Some((a, b)) = &it.span {
                let _ = write!(o, "<p class=\"muted\">From {} to {}</p>", esc(a), esc(b));
            }
            if let Some((anchor, name)) = &it.flow {
                let _ = write!(o, "<p>Flow: {}</p>", href(anchor, name));
            }
            if !it.evidence.is_empty() {
                o.push_str("<table><tr><th>Evidence</th><th>Time (UTC)</th><th>Record</th></tr>");
                for e in &it.evidence {
                    let _ = write!(
                        o,
                        "<tr><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td><b>{}</b><pre>{}</pre></td></tr>",
                        esc(&e.at),
                        esc(&e.time),
                        esc(&e.name),
                        esc(&e.excerpt)
                    );
                }
                o.push_str("</table>");
                if it.more > 0 {
                    let _ = write!(o, "<p class=\"muted\">and {} more records</p>", it.more);
                }
            }
        }
        o.push_str("</div>");
    }
    o.push_str("</section>\n");

    o.push_str("<section id=\"bookmarks\"><h2>Bookmarks and notes</h2>");
    if m.marks.is_empty() {
        o.push_str("<p class=\"muted\">No bookmarks.</p>");
    }
    for b in &m.marks {
        let _ = write!(o, "<div class=\"mark\"><p><b class=\"mono\">{}</b> <span class=\"muted\">{}</span></p>", esc(&b.at), esc(&b.time));
        if !b.note.is_empty() {
            let _ = write!(o, "<p class=\"note\">{}</p>", esc(&b.note).replace('\n', "<br>"));
        }
        if let Some((anchor, name)) = &b.flow {
            let _ = write!(o, "<p>On a step of {}</p>", href(anchor, name));
        }
        if !b.excerpt.is_empty() {
            let _ = write!(o, "<pre>{}</pre>", esc(&b.excerpt));
        }
        o.push_str("</div>");
    }
    o.push_str("</section>\n");

    o.push_str("<section id=\"flows\"><h2>Flows</h2>");
    if m.flows.is_empty() {
        o.push_str("<p class=\"muted\">No flow drawn.</p>");
    }
    if m.flows_left_out > 0 {
        let _ = write!(o, "<p class=\"muted\">{} other flows were left out of this report.</p>", m.flows_left_out);
    }
    if let Some(n) = &m.flows_note {
        let _ = write!(o, "<p class=\"note\">{}</p>", esc(n));
    }
    if !m.flow_index.is_empty() {
        o.push_str("<table><tr><th>#</th><th>Flow</th><th>Key</th><th>Steps</th><th>Starts (UTC)</th></tr>");
        for (i, (anchor, kind, key, steps, first)) in m.flow_index.iter().enumerate() {
            let name = match anchor {
                Some(a) => format!("<a href=\"#{}\">{}</a>", esc(a), esc(kind)),
                None => esc(kind),
            };
            let _ = write!(
                o,
                "<tr><td class=\"num\">{i}</td><td>{name}</td><td>{}</td><td class=\"num\">{steps}</td><td class=\"mono\">{}</td></tr>",
                esc(key),
                esc(first)
            );
        }
        o.push_str("</table>");
    }
    for f in &m.flows {
        let _ = write!(o, "<div class=\"flow\" id=\"{}\"><h3>{}</h3>", esc(&f.anchor), esc(&f.title));
        if let Some(n) = &f.note {
            let _ = write!(o, "<p class=\"muted\">{}</p>", esc(n));
        }
        let _ = write!(o, "<div class=\"diagram\">{}</div>", f.svg);
        if f.more_steps > 0 {
            let _ = write!(o, "<p class=\"muted\">{} more steps are not drawn.</p>", f.more_steps);
        }
        o.push_str("<table><tr><th>Time (UTC)</th><th>From</th><th>To</th><th>Message</th><th>Record</th></tr>");
        for st in &f.steps {
            let label = if st.count > 1 { format!("{} ×{}", st.label, st.count) } else { st.label.clone() };
            let _ = write!(
                o,
                "<tr{}><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"mono\">{}</td></tr>",
                if st.failure { " class=\"fail\"" } else { "" },
                esc(&st.time),
                esc(&st.from),
                esc(&st.to),
                esc(&label),
                esc(&st.at)
            );
        }
        o.push_str("</table>");
        if !f.links.is_empty() {
            o.push_str("<p class=\"muted\">Linked by:</p><ul>");
            for l in &f.links {
                let _ = write!(o, "<li>{}</li>", esc(l));
            }
            o.push_str("</ul>");
        }
        o.push_str("</div>");
    }
    o.push_str("</section>\n");

    o.push_str("<section id=\"states\"><h2>State timelines</h2>");
    if m.states.is_empty() {
        o.push_str("<p class=\"muted\">No state timelines.</p>");
    }
    for g in &m.states {
        let _ = write!(o, "<h3>{}</h3>", esc(&g.kind));
        if let Some(svg) = &g.svg {
            let _ = write!(o, "<div class=\"diagram\">{svg}</div>");
        }
        if let Some(n) = &g.drawn_note {
            let _ = write!(o, "<p class=\"muted\">{}</p>", esc(n));
        }
        o.push_str("<table><tr><th>Entity</th><th>Time (UTC)</th><th>State</th><th>Record</th></tr>");
        for r in &g.rows {
            let _ = write!(
                o,
                "<tr><td>{}</td><td class=\"mono\">{}</td><td>{}</td><td class=\"mono\">{}</td></tr>",
                esc(&r[0]),
                esc(&r[1]),
                esc(&r[2]),
                esc(&r[3])
            );
        }
        o.push_str("</table>");
        if g.more > 0 {
            let _ = write!(o, "<p class=\"muted\">and {} more changes</p>", g.more);
        }
    }
    o.push_str("</section>\n");

    o.push_str("<section id=\"inputs\"><h2>Inputs</h2><table><tr><th>File</th><th>Size</th><th>Format</th><th>Records</th><th>Encoding</th><th>Status</th><th>Coverage</th><th>Clock</th></tr>");
    for i in &m.inputs {
        let mut notes = String::new();
        for w in &i.wrappers {
            let _ = write!(notes, "<br><span class=\"muted\">wrapped: {}</span>", esc(w));
        }
        for p in &i.problems {
            let _ = write!(notes, "<br><span class=\"muted\">{}</span>", esc(p));
        }
        let why = i.why.iter().map(|w| format!("<br><span class=\"muted\">{}</span>", esc(w))).collect::<String>();
        let _ = write!(
            o,
            "<tr><td class=\"mono\">{}{notes}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}{why}</td><td>{}</td></tr>",
            esc(&i.path),
            esc(&i.size),
            esc(&i.format),
            i.records,
            esc(&i.encoding),
            esc(&i.status),
            esc(&i.coverage),
            esc(&i.clock)
        );
    }
    o.push_str("</table></section>\n");

    o.push_str("<section id=\"filters\"><h2>Filters</h2>");
    if m.filters.is_empty() {
        o.push_str("<p class=\"muted\">No named filters.</p>");
    } else {
        o.push_str("<table><tr><th>Name</th><th>Shows</th></tr>");
        for (n, d) in &m.filters {
            let _ = write!(o, "<tr><td>{}</td><td>{}</td></tr>", esc(n), esc(d));
        }
        o.push_str("</table>");
    }
    o.push_str("</section>\n<footer class=\"muted\"><p>Everything in this file was made from the inputs on the machine that made it; it loads nothing from anywhere.</p></footer>\n</body></html>\n");
    o
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// Text for Markdown: characters that format escaped, and `://` written so nothing autolinks it.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.replace("://", ":&#47;&#47;")
}

/// A code span that holds any text (a fence longer than its longest run of backticks).
fn md_code(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let body = s.replace(['\n', '\r'], " ").replace('|', "\\|");
    format!("{fence} {body} {fence}")
}

/// A fenced block that holds any text.
fn md_block(s: &str, lang: &str) -> String {
    let longest = s.lines().map(|l| l.len() - l.trim_start_matches('`').len()).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{lang}\n{s}\n{fence}\n")
}

/// A Mermaid sequence diagram of a flow (renders where Markdown viewers support Mermaid).
fn mermaid(f: &FlowView) -> String {
    let mut o = String::from("sequenceDiagram\n");
    for (i, p) in f.participants.iter().enumerate() {
        let _ = writeln!(o, "    participant P{i} as {}", mermaid_text(p));
    }
    for st in &f.steps {
        let from = f.participants.iter().position(|p| *p == st.from).unwrap_or(0);
        let to = f.participants.iter().position(|p| *p == st.to).unwrap_or(0);
        let arrow = if st.failure { "-x" } else { "->>" };
        let label = if st.count > 1 { format!("{} ×{}", st.label, st.count) } else { st.label.clone() };
        let _ = writeln!(o, "    P{from}{arrow}P{to}: {} {}", st.time, mermaid_text(&label));
    }
    o
}

fn mermaid_text(s: &str) -> String {
    s.replace(';', "#59;").replace('#', "#35;").replace("#35;59;", "#59;").replace(['\n', '\r'], " ").replace("://", ":/ /")
}

fn markdown(m: &Model) -> String {
    let mut o = String::with_capacity(32 * 1024);
    let _ = writeln!(o, "# {}\n", md(&m.title));
    let _ =
        writeln!(o, "Made by Switchboard {}{}.\n", crate::VERSION, if m.generated.is_empty() { String::new() } else { format!(" on {}", md(&m.generated)) });
    if let Some(s) = &m.sanitized {
        let _ = writeln!(o, "> {}\n", md(s));
    }
    let _ = writeln!(o, "## Summary\n");
    for p in m.summary.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let _ = writeln!(o, "{}\n", md(p));
    }
    for (k, v) in &m.totals {
        let _ = writeln!(o, "- **{}**: {}", md(k), md(v));
    }
    let _ = writeln!(o, "\n## Findings\n");
    if m.findings.is_empty() {
        let _ = writeln!(o, "No findings.\n");
    }
    for g in &m.findings {
        let _ = writeln!(o, "### {} {} (`{}`, ×{})\n", md(&g.severity.to_uppercase()), md(&g.title), g.code, g.count);
        if !g.meaning.is_empty() {
            let _ = writeln!(o, "**What it means.** {}\n", md(&g.meaning));
        }
        if !g.next.is_empty() {
            let _ = writeln!(o, "**What to check next.** {}\n", md(&g.next));
        }
        for it in &g.items {
            let _ = writeln!(o, "- {}", md(&it.summary));
            if let Some((a, b)) = &it.span {
                let _ = writeln!(o, "  - from {a} to {b}");
            }
            if let Some((anchor, name)) = &it.flow {
                let _ = writeln!(o, "  - flow: {}{}", md(name), if anchor.is_some() { "" } else { " (not drawn in this report)" });
            }
            for e in &it.evidence {
                let _ = writeln!(o, "  - {} {} {} {}", md_code(&e.at), md(&e.time), md(&e.name), md_code(e.excerpt.lines().next().unwrap_or("")));
            }
            if it.more > 0 {
                let _ = writeln!(o, "  - and {} more records", it.more);
            }
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## Bookmarks and notes\n");
    if m.marks.is_empty() {
        let _ = writeln!(o, "No bookmarks.\n");
    }
    for b in &m.marks {
        let _ = writeln!(o, "- {} {}{}", md_code(&b.at), md(&b.time), if b.note.is_empty() { String::new() } else { format!(": {}", md(&b.note)) });
        if let Some((_, name)) = &b.flow {
            let _ = writeln!(o, "  - on a step of {}", md(name));
        }
        if !b.excerpt.is_empty() {
            let _ = writeln!(o, "\n{}", md_block(&b.excerpt, "text").lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n"));
        }
    }
    let _ = writeln!(o, "\n## Flows\n");
    if m.flows.is_empty() {
        let _ = writeln!(o, "No flow drawn.\n");
    }
    if m.flows_left_out > 0 {
        let _ = writeln!(o, "{} other flows were left out of this report.\n", m.flows_left_out);
    }
    if let Some(n) = &m.flows_note {
        let _ = writeln!(o, "> {}\n", md(n));
    }
    if !m.flow_index.is_empty() {
        let _ = writeln!(o, "| # | Flow | Key | Steps | Starts (UTC) |\n|---:|---|---|---:|---|");
        for (i, (anchor, kind, key, steps, first)) in m.flow_index.iter().enumerate() {
            let _ = writeln!(o, "| {i} | {}{} | {} | {steps} | {} |", md(kind), if anchor.is_some() { "" } else { " (not drawn)" }, md(key), md(first));
        }
        o.push('\n');
    }
    for f in &m.flows {
        let _ = writeln!(o, "### {}\n", md(&f.title));
        if let Some(n) = &f.note {
            let _ = writeln!(o, "{}\n", md(n));
        }
        o.push_str(&md_block(&mermaid(f), "mermaid"));
        let _ = writeln!(o, "\n| Time (UTC) | From | To | Message | Record |\n|---|---|---|---|---|");
        for st in &f.steps {
            let label = if st.count > 1 { format!("{} ×{}", st.label, st.count) } else { st.label.clone() };
            let label = if st.failure { format!("**{}**", md(&label)) } else { md(&label) };
            let _ = writeln!(o, "| {} | {} | {} | {label} | {} |", md(&st.time), md(&st.from), md(&st.to), md_code(&st.at));
        }
        if f.more_steps > 0 {
            let _ = writeln!(o, "\n{} more steps are not listed.", f.more_steps);
        }
        if !f.links.is_empty() {
            let _ = writeln!(o, "\nLinked by:\n");
            for l in &f.links {
                let _ = writeln!(o, "- {}", md(l));
            }
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## State timelines\n");
    if m.states.is_empty() {
        let _ = writeln!(o, "No state timelines.\n");
    }
    for g in &m.states {
        let _ = writeln!(o, "### {}\n", md(&g.kind));
        if let Some(n) = &g.drawn_note {
            let _ = writeln!(o, "{}\n", md(n));
        }
        let _ = writeln!(o, "| Entity | Time (UTC) | State | Record |\n|---|---|---|---|");
        for r in &g.rows {
            let _ = writeln!(o, "| {} | {} | {} | {} |", md(&r[0]), md(&r[1]), md(&r[2]), md_code(&r[3]));
        }
        if g.more > 0 {
            let _ = writeln!(o, "\nand {} more changes", g.more);
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## Inputs\n\n| File | Size | Format | Records | Encoding | Status | Coverage | Clock |\n|---|---:|---|---:|---|---|---|---|");
    for i in &m.inputs {
        let mut extra: Vec<String> = i.wrappers.iter().map(|w| format!("wrapped: {}", md(w))).collect();
        extra.extend(i.problems.iter().map(|p| md(p)));
        extra.extend(i.why.iter().map(|w| md(w)));
        let _ = writeln!(
            o,
            "| {}{} | {} | {} | {} | {} | {} | {} | {} |",
            md_code(&i.path),
            if extra.is_empty() { String::new() } else { format!("<br>{}", extra.join("<br>")) },
            md(&i.size),
            md(&i.format),
            i.records,
            md(&i.encoding),
            md(&i.status),
            md(&i.coverage),
            md(&i.clock)
        );
    }
    let _ = writeln!(o, "\n## Filters\n");
    if m.filters.is_empty() {
        let _ = writeln!(o, "No named filters.");
    }
    for (n, d) in &m.filters {
        let _ = writeln!(o, "- **{}**: {}", md(n), md(d));
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_hold_any_text() {
        assert_eq!(md("a|b *c* <d> https://x"), "a\\|b \\*c\\* &lt;d&gt; https:&#47;&#47;x");
        assert_eq!(md_code("x `y` z"), "`` x `y` z ``");
        assert!(md_block("```\nfenced", "text").starts_with("````text\n"));
        assert_eq!(FlowChoice::parse("all"), FlowChoice::All);
        assert_eq!(FlowChoice::parse("2, agent-sign-in"), FlowChoice::Pick(vec!["2".into(), "agent-sign-in".into()]));
        assert!(FlowChoice::parse("2,x").wants(2, "y") && !FlowChoice::parse("2,x").wants(3, "y"));
    }

    #[test]
    fn failures_are_told_by_words_and_severity() {
        assert!(is_failure("MEDIA_LOGIN_RESP status E_ARM_STAT_AGENT_NOT_FOUND", None));
        assert!(is_failure("anything", Some("ERROR")));
        assert!(is_failure("BOSH terminate item-not-found", None));
        assert!(!is_failure("PUT /finesse/api/User/3107 LOGIN", Some("INFO")));
    }
}
