//! The engine the page's worker runs, and the requests it answers.
//!
//! The worker owns the session (Perfetto's model): the page sends small requests and gets back
//! only what it shows — a window of rows, one record's details, a histogram, a page of the flow
//! list — as the typed answers of [`crate::answers`], so a million records never cross to the main
//! thread. Everything here is plain Rust, tested natively.

use crate::answers::{
    normal_severity, Answer, ClockView, ContextLine, Evidence, ExportPreview, FileRow, FileState, FindingGroup, FindingItem, FindingItems, FlowDetail,
    FlowList, FlowQuery, FlowRow, FlowSort, FlowStep, FormatChoice, Found, Histogram, HitView, ProblemView, RecordDetail, Row, Rows, StateChangeView,
    StateRows, StateTimelineView, States, Suggestion, Summary, Waterfall, WfRow, WfTick,
};
use crate::correlate::{summary as flow_summary, Flow, Steps};
use crate::model::{FileStatus, LogFile, Record};
use crate::session::Session;
use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Which records the merged view shows.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Filter {
    /// Text the record must contain (case-insensitive), or a regex when `regex` is set.
    pub text: String,
    pub regex: bool,
    /// Hidden files, components, severities (normalised: error, warning, info, debug, trace) and
    /// message names.
    pub hide_files: Vec<u32>,
    pub hide_components: Vec<String>,
    pub hide_severities: Vec<String>,
    pub hide_names: Vec<String>,
    /// Only records that carry this ID value in a field or their text.
    pub id: String,
    /// Only records in this UTC range (ms), from the histogram zoom.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Only records in files a family claimed that its grammar did not read (the generic layer's),
    /// to see what a format missed.
    pub unread_only: bool,
}

/// A request from the page.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Request {
    /// Files, counts and facets after a load.
    Summary,
    /// Only the file rows (while a load runs).
    Files,
    /// A window of the filtered timeline.
    Rows { filter: Filter, start: usize, count: usize },
    /// One record's fields and raw lines with context, by timeline position.
    Record { pos: usize },
    /// Counts per time bucket over the filtered timeline (over the filter's time range, or all).
    Histogram { filter: Filter, buckets: usize },
    /// Next (or previous) filtered row at or after `from` whose text matches `query`.
    Find { filter: Filter, query: String, regex: bool, from: usize, forward: bool },
    /// Where the record at timeline position `pos` is in the filtered view (if it passes).
    Locate { filter: Filter, pos: usize },
    /// A window of the flow list.
    FlowList { query: FlowQuery, start: usize, count: usize },
    /// One flow's steps in time order.
    Flow { index: usize },
    /// Findings grouped by code, each group with its first `FINDINGS_FIRST` findings.
    Findings,
    /// Findings `start..start + count` of one code (the ones after a group's first).
    FindingItems { code: String, start: usize, count: usize },
    /// The formats a file can be read as (`Answer::FormatChoices`).
    FormatChoices { file: u32 },
    /// Reads a file again as another format; the analysis runs again (answers the summary).
    SetFormat { file: u32, format: String },
    /// The per-file clock panel: date, UTC offset and skew for a file.
    SetClock { file: u32, date: Option<(i32, u32, u32)>, utc_offset_min: Option<i32>, skew_ms: i64 },
    /// What the sanitized export would mask (the preview), with the user's extra patterns.
    ExportPreview { patterns: Vec<String> },
    /// An ad-hoc flow over every record the ID filter shows for this value.
    AdhocFlow { id: String },
    /// State timelines (agent per MRD, Finesse user, dialog, contact, chat session, BOSH session):
    /// the legend, the span and the first `STATE_ROWS_FIRST` timelines.
    States,
    /// State timelines `start..start + count`.
    StateRows { start: usize, count: usize },
    /// Where each bookmark is now: its record's timeline position, its flow and step.
    Marks { annotations: crate::annotations::Annotations },
    /// The case report (HTML and Markdown) with these flows drawn, optionally sanitized
    /// (`key`: the pseudonym key, 32 hex digits; `generated`: when, as shown).
    Report { annotations: crate::annotations::Annotations, flows: Vec<usize>, sanitize: bool, personal: bool, key: String, generated: String },
    /// A session file of everything loaded with these annotations (the worker sends its bytes to
    /// the page; the answer says how big it is).
    SaveSession { annotations: crate::annotations::Annotations },
    /// A window of the HAR waterfall (rows overlapping `[from_ms, to_ms]`, either bound open).
    Waterfall { from_ms: Option<i64>, to_ms: Option<i64>, start: usize, count: usize },
    /// Forget everything loaded.
    Clear,
}

/// One waterfall row as kept between requests: an entry's record (None for frames whose entry is
/// not in the capture), its span, and its frames (record, ms) in time order.
struct WfLine {
    entry: Option<usize>,
    start_ms: i64,
    end_ms: i64,
    frames: Vec<(usize, i64)>,
}

/// State timelines sent with the states' legend and span; the page asks for the others in view.
pub const STATE_ROWS_FIRST: usize = 60;
/// Findings of each code sent with the findings; the page asks for the others when shown.
pub const FINDINGS_FIRST: usize = 50;

/// Requests at least this long (ms) are marked slow in the waterfall (long polls and sockets aside).
pub const WF_SLOW_MS: i64 = 1_000;
/// Most ticks sent for one socket row (a sample, evenly spread, past it).
const WF_MAX_TICKS: usize = 400;
/// Ticks labelled (decoded) per row.
const WF_LABELLED: usize = 40;

/// At most `n` characters of `s`.
fn clip(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The search matches of one (filter, query): indices into the filtered view.
struct Matches {
    filter: Filter,
    query: String,
    regex: bool,
    rows: Vec<u32>,
}

pub struct Engine {
    pub session: Session,
    /// Timeline position of each record (the inverse of `session.timeline`), rebuilt on refresh.
    positions: Vec<u32>,
    /// Cached filtered view: the filter it was made for and the timeline positions that pass.
    view: Option<(Filter, Vec<u32>)>,
    matches: Option<Matches>,
    /// The flow list's rows (kind, title, start), made once per analysis; a row's summary
    /// (outcome, errors, end) is read from its steps' labels when first needed (`summarised`).
    flow_rows: Option<Vec<FlowRow>>,
    /// Which rows hold their whole summary (see `summarise_rows`).
    summarised: Vec<bool>,
    /// The last text filter's words and, per flow, whether its text holds them all (see
    /// `flow_text_has`): the list pages and scrolls with one filter many times.
    flow_match: Option<(Vec<String>, Vec<bool>)>,
    /// Which load brought each file (from 1), and how many loads there were.
    file_load: Vec<u32>,
    loads: u32,
    /// Each file's display path (the shortest end that tells it apart).
    display: Vec<String>,
    /// The waterfall's rows over the whole capture (made on first ask, dropped with the index).
    waterfall: Option<Vec<WfLine>>,
    /// True when the last load did not run the analysis (Cancel, or the page found it would not fit
    /// in memory): a clock change then re-orders the timeline only, never starts it unasked.
    pub analysis_off: bool,
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            session: Session::new(),
            positions: Vec::new(),
            view: None,
            matches: None,
            flow_rows: None,
            summarised: Vec::new(),
            flow_match: None,
            file_load: Vec::new(),
            loads: 0,
            display: Vec::new(),
            waterfall: None,
            analysis_off: false,
        }
    }
}

fn compile(pattern: &str, regex: bool) -> Result<Regex, String> {
    let p = if regex { pattern.to_string() } else { regex::escape(pattern) };
    RegexBuilder::new(&p).case_insensitive(true).size_limit(1 << 22).build().map_err(|e| e.to_string())
}

/// Largest number of records an ad-hoc flow draws (the rest is named, never silently dropped).
pub const MAX_ADHOC_RECORDS: usize = crate::correlate::flows::MAX_FLOW_RECORDS;

impl Engine {
    pub fn new() -> Self {
        Self::default()
    }

    /// Call after files were added: re-runs time resolution, ordering and correlation.
    pub fn refresh(&mut self) {
        self.refresh_index();
        if !self.analysis_off {
            self.session.analyze();
            self.flow_rows = None;
        }
    }

    /// Finishes an analysis decoded in steps (`Session::begin_analysis`): flows, findings, states.
    pub fn analyze_with(&mut self, a: crate::session::Analysis) {
        self.session.finish_analysis(a);
        self.view = None;
        self.waterfall = None;
        self.matches = None;
        self.flow_rows = None;
    }

    /// Time resolution and ordering only (the merged view is usable; flows come with `analyze`).
    pub fn refresh_index(&mut self) {
        self.session.finish_index();
        self.positions = vec![0; self.session.records.len()];
        for (pos, &ri) in self.session.timeline.iter().enumerate() {
            if let Some(p) = self.positions.get_mut(ri as usize) {
                *p = pos as u32;
            }
        }
        if self.file_load.len() < self.session.files.len() {
            self.loads += 1;
            self.file_load.resize(self.session.files.len(), self.loads);
        }
        self.display = display_paths(&self.session.files, &self.file_load);
        self.view = None;
        self.waterfall = None;
        self.matches = None;
        self.flow_rows = None;
    }

    /// Answers a request (errors as `Answer::Error`, never a panic).
    pub fn handle(&mut self, req: Request) -> Answer {
        match req {
            Request::Summary => Answer::Summary(Box::new(self.summary())),
            Request::Files => Answer::Summary(Box::new(self.files_only())),
            Request::Rows { filter, start, count } => self.rows(&filter, start, count.min(2000)),
            Request::Record { pos } => self.record(pos),
            Request::Histogram { filter, buckets } => self.histogram(&filter, buckets.clamp(1, 2000)),
            Request::Find { filter, query, regex, from, forward } => self.find(&filter, &query, regex, from, forward),
            Request::Locate { filter, pos } => match self.view(&filter) {
                Ok(v) => {
                    let i = v.partition_point(|&p| (p as usize) < pos);
                    let index = (v.get(i).copied() == Some(pos as u32)).then_some(i);
                    Answer::Found(Found { index, wrapped: false, nth: 0, matches: v.len() })
                }
                Err(e) => Answer::error(e),
            },
            Request::FlowList { query, start, count } => Answer::FlowList(self.flow_list(&query, start, count.min(2000))),
            Request::Flow { index } => self.flow(index),
            Request::Findings => Answer::Findings(self.findings(FINDINGS_FIRST)),
            Request::FindingItems { code, start, count } => self.finding_items(&code, start, count.min(2000)),
            Request::SetClock { file, date, utc_offset_min, skew_ms } => {
                if let Some(f) = self.session.files.get_mut(file as usize) {
                    f.clock.date = date;
                    f.clock.utc_offset_min = utc_offset_min;
                    f.clock.skew_ms = skew_ms;
                    f.clock.source = "set by you".into();
                    self.session.user_clocks.insert(file);
                }
                self.refresh();
                Answer::Summary(Box::new(self.summary()))
            }
            Request::FormatChoices { file } => match self.session.files.get(file as usize) {
                Some(f) => {
                    let ranked = crate::formats::ranked(f);
                    // The ones that read the file first, then every other format by name.
                    let mut choices: Vec<FormatChoice> = ranked.iter().map(|d| FormatChoice { name: d.format.name.to_string(), score: d.score }).collect();
                    let mut rest: Vec<&str> = crate::formats::names().filter(|n| !choices.iter().any(|c| c.name == *n)).collect();
                    rest.sort_unstable();
                    choices.extend(rest.into_iter().map(|n| FormatChoice { name: n.to_string(), score: 0 }));
                    Answer::FormatChoices { file, choices }
                }
                None => Answer::error(format!("no file {file}")),
            },
            Request::SetFormat { file, format } => match self.session.set_format(file, &format) {
                Ok(()) => {
                    self.refresh();
                    Answer::Summary(Box::new(self.summary()))
                }
                Err(e) => Answer::error(e),
            },
            Request::ExportPreview { patterns } => self.export_preview(&patterns),
            Request::AdhocFlow { id } => self.adhoc_flow(&id),
            Request::States => Answer::States(self.states(STATE_ROWS_FIRST)),
            Request::StateRows { start, count } => Answer::StateRows(self.state_rows(start, count.min(2000))),
            Request::Marks { annotations } => {
                // Flow titles as the flow list shows them.
                if !self.session.flows.is_empty() {
                    self.flow_rows();
                }
                Answer::Marks(self.marks(&annotations))
            }
            Request::Report { annotations, flows, sanitize, personal, key, generated } => {
                self.report(&annotations, &flows, sanitize, personal, &key, generated)
            }
            Request::SaveSession { annotations } => match self.session_file(&annotations) {
                Ok(b) => Answer::SessionSaved { bytes: b.len() as u64, files: self.session.files.len() },
                Err(e) => Answer::error(e),
            },
            Request::Waterfall { from_ms, to_ms, start, count } => Answer::Waterfall(self.waterfall(from_ms, to_ms, start, count.min(500))),
            Request::Clear => {
                *self = Engine::new();
                Answer::Summary(Box::new(self.summary()))
            }
        }
    }

    /// Where each bookmark is now (see `Annotations::resolve`), with what the panel shows of it.
    pub fn marks(&self, a: &crate::annotations::Annotations) -> Vec<crate::answers::MarkView> {
        let s = &self.session;
        a.resolve(s)
            .into_iter()
            .map(|r| {
                let rec = r.record.and_then(|i| s.records.get(i));
                let pos = r.record.and_then(|i| self.positions.get(i)).map(|&p| p as usize);
                let row = pos.and_then(|p| self.row(p));
                let flow = r.flow.and_then(|fi| s.flows.get(fi).map(|f| (fi, f)));
                let step = match (flow, r.step) {
                    (Some((_, f)), Some(si)) => flow_summary::time_order(f, s).iter().position(|&k| k == si),
                    _ => None,
                };
                let title = flow.map(|(fi, f)| {
                    (fi, self.flow_rows.as_ref().and_then(|rows| rows.get(fi)).map(|r| r.title.clone()).unwrap_or_else(|| format!("{} {}", f.kind, f.key)))
                });
                crate::answers::MarkView {
                    bookmark: r.bookmark,
                    pos,
                    source: rec.map(|r| self.display_of(r.file)).unwrap_or_default(),
                    utc_ms: rec.and_then(Record::utc_ms),
                    summary: row.map(|r| if r.name.is_empty() { r.summary } else { format!("{} · {}", r.name, r.summary) }).unwrap_or_default(),
                    flow: title,
                    step,
                }
            })
            .collect()
    }

    /// The case report with these flows drawn (and the flows the findings and bookmarks point at),
    /// sanitized with the export's rules when asked.
    pub fn report(&self, a: &crate::annotations::Annotations, flows: &[usize], sanitize: bool, personal: bool, key: &str, generated: String) -> Answer {
        let sanitize = if sanitize {
            let key = if key.is_empty() { Ok([0u8; 16]) } else { crate::sanitize::key_from_hex(key) };
            match key {
                Ok(key) => Some(crate::sanitize::Options { personal, patterns: Vec::new(), key }),
                Err(e) => return Answer::error(e),
            }
        } else {
            None
        };
        let opts = crate::report::case::Options {
            flows: crate::report::case::FlowChoice::Pick(flows.iter().map(usize::to_string).collect()),
            sanitize,
            generated,
            ..Default::default()
        };
        let r = crate::report::case::build(&self.session, a, &opts);
        Answer::Report(Box::new(crate::answers::CaseReport {
            flows: r.html.matches("<svg").count(),
            html: r.html,
            markdown: r.markdown,
            masked: r.masked.map(|p| p.total),
        }))
    }

    /// The session file of everything loaded (`workspace::save`).
    pub fn session_file(&self, a: &crate::annotations::Annotations) -> Result<Vec<u8>, String> {
        if self.session.files.is_empty() {
            return Err("nothing is loaded".into());
        }
        crate::workspace::save(&self.session, a)
    }

    fn view(&mut self, filter: &Filter) -> Result<&[u32], String> {
        let fresh = matches!(&self.view, Some((f, _)) if f == filter);
        if !fresh {
            let v = self.compute_view(filter)?;
            self.view = Some((filter.clone(), v));
        }
        Ok(self.view.as_ref().map(|(_, v)| v.as_slice()).unwrap_or(&[]))
    }

    fn compute_view(&self, f: &Filter) -> Result<Vec<u32>, String> {
        let s = &self.session;
        let text_re = if f.text.is_empty() { None } else { Some(compile(&f.text, f.regex)?) };
        let id = f.id.trim();
        // Records that carry the ID in a decoded form (hex InvokeID, ARM dump, another spelling of a
        // task key), from the session's ID index; the raw text is checked as well.
        let mut id_records: HashSet<u32> = HashSet::new();
        if !id.is_empty() {
            for (kind, value) in crate::correlate::ids::normalise_query(id) {
                id_records.extend(s.ids.get(kind, &value).iter().copied());
            }
        }
        let hide_components: Vec<crate::model::Sym> = f.hide_components.iter().filter_map(|h| crate::model::Sym::new(h)).collect();
        let hide_names: Vec<crate::model::Sym> = f.hide_names.iter().filter_map(|h| crate::model::Sym::new(h)).collect();
        // Severity labels are few: normalised once per label, not once per record.
        let mut sev_hidden: HashMap<crate::model::Sym, bool> = HashMap::new();
        let mut out = Vec::new();
        for (pos, &ri) in s.timeline.iter().enumerate() {
            let Some(r) = s.records.get(ri as usize) else { continue };
            // Unread: what a family's grammar missed (a file no family claimed is all generic).
            if f.hide_files.contains(&r.file) || (f.unread_only && (!r.unread() || std::ptr::eq(crate::formats::of(r), &crate::formats::TEXT))) {
                continue;
            }
            if r.component.is_some_and(|c| hide_components.contains(&c)) {
                continue;
            }
            if !f.hide_severities.is_empty() {
                if let Some(sev) = r.severity {
                    let hidden = *sev_hidden.entry(sev).or_insert_with(|| {
                        let n = normal_severity(sev.as_str());
                        f.hide_severities.contains(&n)
                    });
                    if hidden {
                        continue;
                    }
                }
            }
            if r.name.is_some_and(|n| hide_names.contains(&n)) {
                continue;
            }
            if f.from_ms.is_some() || f.to_ms.is_some() {
                match r.utc_ms() {
                    Some(ms) if f.from_ms.is_none_or(|a| ms >= a) && f.to_ms.is_none_or(|b| ms <= b) => {}
                    _ => continue,
                }
            }
            if !id.is_empty() || text_re.is_some() {
                let text = s.record_text(r);
                if !id.is_empty() && !text.contains(id) && !id_records.contains(&ri) {
                    continue;
                }
                if let Some(re) = &text_re {
                    if !re.is_match(text) && !r.name().is_some_and(|n| re.is_match(n)) {
                        continue;
                    }
                }
            }
            out.push(pos as u32);
        }
        Ok(out)
    }

    /// The file rows only (cheap: what the page refreshes while a load is running).
    fn files_only(&self) -> Summary {
        Summary { files: self.file_rows(false), records: self.session.records.len(), partial: true, ..Default::default() }
    }

    /// The file table; `with_coverage` adds each file's coverage (one more pass over the records,
    /// left out of the refreshes sent while a load runs).
    fn file_rows(&self, with_coverage: bool) -> Vec<FileRow> {
        let s = &self.session;
        let coverage = if with_coverage { s.coverage() } else { Vec::new() };
        let counts = s.record_counts();
        // Files with times that could not be placed in UTC (the clock panel offers to fix them),
        // and files with times written without a date or a zone (the clock applies to them).
        let mut needs_clock = vec![false; s.files.len()];
        let mut uses_clock = vec![false; s.files.len()];
        let mut timed = vec![false; s.files.len()];
        for r in s.records.iter() {
            let Some(t) = r.time.as_ref() else { continue };
            if let Some(x) = timed.get_mut(r.file as usize) {
                *x = true;
            }
            if t.epoch_ms().is_some() {
                continue;
            }
            let f = r.file as usize;
            if t.utc_ms().is_none() {
                if let Some(n) = needs_clock.get_mut(f) {
                    *n = true;
                }
            }
            if t.offset_min().is_none() || t.date().is_none() {
                if let Some(n) = uses_clock.get_mut(f) {
                    *n = true;
                }
            }
        }
        s.files
            .iter()
            .enumerate()
            .map(|(i, f)| FileRow {
                index: i as u32,
                path: f.path.clone(),
                display: self.display.get(i).cloned().unwrap_or_else(|| f.path.clone()),
                load: self.file_load.get(i).copied().unwrap_or(self.loads + 1),
                format: f.format.clone(),
                size: f.size,
                encoding: f.encoding.clone(),
                status: match f.status {
                    FileStatus::Loaded => FileState::Loaded,
                    FileStatus::Skipped => FileState::Skipped,
                    FileStatus::Failed => FileState::Failed,
                },
                records: counts.get(i).copied().unwrap_or(0),
                problems: f.problems.iter().map(|p| ProblemView { code: p.code.clone(), message: p.message.clone() }).collect(),
                clock: clock_view(f),
                needs_clock: needs_clock.get(i).copied().unwrap_or(false),
                uses_clock: uses_clock.get(i).copied().unwrap_or(false),
                timed: timed.get(i).copied().unwrap_or(false),
                coverage: coverage.get(i).cloned(),
                confidence: f.confidence,
                format_chosen: f.format_chosen,
                wrappers: f.wrappers.clone(),
            })
            .collect()
    }

    fn summary(&self) -> Summary {
        let s = &self.session;
        // Facets for the filter panel: component, severity and name with their counts.
        // Counted per label first (4-byte keys), then named.
        let mut by_sym: [HashMap<crate::model::Sym, usize>; 3] = Default::default();
        for r in s.records.iter() {
            for (m, l) in by_sym.iter_mut().zip([r.component, r.severity, r.name]) {
                if let Some(l) = l {
                    *m.entry(l).or_default() += 1;
                }
            }
        }
        let named = |m: &HashMap<crate::model::Sym, usize>| -> BTreeMap<String, usize> { m.iter().map(|(k, v)| (k.as_str().to_string(), *v)).collect() };
        let mut severities: BTreeMap<String, usize> = BTreeMap::new();
        for (k, v) in &by_sym[1] {
            let n = normal_severity(k.as_str());
            if !n.is_empty() {
                *severities.entry(n).or_default() += v;
            }
        }
        let codes: HashSet<&str> = s.findings.iter().map(|f| f.code).collect();
        let (t0, t1) = time_span(s);
        Summary {
            files: self.file_rows(true),
            records: s.records.len(),
            components: named(&by_sym[0]),
            severities,
            names: named(&by_sym[2]),
            flows: s.flows.len(),
            findings: s.findings.len(),
            finding_groups: codes.len(),
            states: s.states.len(),
            from_ms: t0,
            to_ms: t1,
            partial: false,
        }
    }

    fn display_of(&self, file: u32) -> String {
        self.display.get(file as usize).cloned().or_else(|| self.session.files.get(file as usize).map(|f| f.path.clone())).unwrap_or_default()
    }

    fn row(&self, pos: usize) -> Option<Row> {
        let s = &self.session;
        // Rows are decoded when shown: the summary reads the fields.
        let r = s.timeline.get(pos).and_then(|&i| s.decoded(i as usize))?;
        let file = s.files.get(r.file as usize)?;
        let text = s.record_text(&r);
        let time_text = s.time_text(&r);
        let sev = r.severity().unwrap_or("");
        Some(Row {
            pos,
            utc_ms: r.utc_ms(),
            time: time_text.to_string(),
            zone: zone_note(&r, file),
            file: r.file,
            source: self.display_of(r.file),
            format: r.format().to_string(),
            component: r.component().unwrap_or("").to_string(),
            severity: normal_severity(sev),
            severity_raw: sev.to_string(),
            name: r.name().unwrap_or("").to_string(),
            summary: summary_of(text, Some(time_text).filter(|t| !t.is_empty()), r.component(), r.fields()),
            lines: r.line_end.saturating_sub(r.line) + 1,
            notes: !r.notes().is_empty(),
            line: r.line,
        })
    }

    fn rows(&mut self, filter: &Filter, start: usize, count: usize) -> Answer {
        let view: Vec<u32> = match self.view(filter) {
            Ok(v) => v.get(start.min(v.len())..(start.saturating_add(count)).min(v.len())).unwrap_or(&[]).to_vec(),
            Err(e) => return Answer::error(format!("invalid search: {e}")),
        };
        let total = self.view.as_ref().map(|(_, v)| v.len()).unwrap_or(0);
        let rows: Vec<Row> = view.iter().filter_map(|&p| self.row(p as usize)).collect();
        Answer::Rows(Rows { total, start, rows })
    }

    fn record(&self, pos: usize) -> Answer {
        let s = &self.session;
        let Some(ri) = s.timeline.get(pos).map(|&i| i as usize) else { return Answer::error("no such record") };
        let Some(r) = s.decoded(ri) else { return Answer::error("no such record") };
        let Some(file) = s.files.get(r.file as usize) else { return Answer::error("no such file") };
        let Some(row) = self.row(pos) else { return Answer::error("no such record") };
        // Raw lines with five lines of context either side.
        let mut context = Vec::new();
        if r.own_text().is_none() && r.line > 0 {
            let first = (r.line as usize).saturating_sub(6);
            let last = (r.line_end as usize + 5).min(file.line_starts.len());
            for i in first..last {
                if let Some(l) = line_at(&file.text, &file.line_starts, i) {
                    context.push(ContextLine { n: i + 1, text: l.to_string(), own: i + 1 >= r.line as usize && i < r.line_end as usize });
                }
            }
        }
        let mut flows = Vec::new();
        if !s.flows.is_empty() {
            let titles = self.titles();
            for (i, f) in s.flows.iter().enumerate() {
                if f.steps.iter().any(|st| st.record() == ri) {
                    flows.push((i, titles.get(i).cloned().unwrap_or_default()));
                    if flows.len() >= 12 {
                        break;
                    }
                }
            }
        }
        Answer::Record(Box::new(RecordDetail {
            row,
            path: file.path.clone(),
            line: r.line,
            line_end: r.line_end,
            fields: r.fields().to_map(),
            notes: r.notes().to_vec(),
            text: s.record_text(&r).to_string(),
            context,
            clock: clock_view(file),
            flows,
        }))
    }

    fn histogram(&mut self, filter: &Filter, buckets: usize) -> Answer {
        let (t0, t1) = match (filter.from_ms, filter.to_ms) {
            (Some(a), Some(b)) if b > a => (Some(a), Some(b)),
            _ => time_span(&self.session),
        };
        let (Some(t0), Some(t1)) = (t0, t1) else { return Answer::Histogram(Histogram::default()) };
        let view = match self.view(filter) {
            Ok(v) => v.to_vec(),
            Err(e) => return Answer::error(e),
        };
        let span = (t1 - t0).max(1) as f64;
        let mut counts = vec![0u64; buckets];
        let s = &self.session;
        for p in view {
            if let Some(ms) = s.timeline.get(p as usize).and_then(|&i| s.records.get(i as usize)).and_then(|r| r.utc_ms()) {
                let b = (((ms - t0) as f64 / span) * buckets as f64) as isize;
                if let Some(c) = counts.get_mut(b.clamp(0, buckets as isize - 1) as usize) {
                    *c += 1;
                }
            }
        }
        Answer::Histogram(Histogram { buckets: counts, from_ms: Some(t0), to_ms: Some(t1) })
    }

    /// The rows of the view (filter) that match the search, cached per (filter, query).
    fn matches(&mut self, filter: &Filter, query: &str, regex: bool) -> Result<&[u32], String> {
        let fresh = matches!(&self.matches, Some(m) if m.filter == *filter && m.query == query && m.regex == regex);
        if !fresh {
            let re = compile(query, regex).map_err(|e| format!("invalid search: {e}"))?;
            let view = self.view(filter)?.to_vec();
            let s = &self.session;
            let rows: Vec<u32> = view
                .iter()
                .enumerate()
                .filter(|(_, &p)| {
                    s.timeline
                        .get(p as usize)
                        .and_then(|&i| s.records.get(i as usize))
                        .is_some_and(|r| re.is_match(s.record_text(r)) || r.name().is_some_and(|n| re.is_match(n)))
                })
                .map(|(i, _)| i as u32)
                .collect();
            self.matches = Some(Matches { filter: filter.clone(), query: query.to_string(), regex, rows });
        }
        Ok(self.matches.as_ref().map(|m| m.rows.as_slice()).unwrap_or(&[]))
    }

    fn find(&mut self, filter: &Filter, query: &str, regex: bool, from: usize, forward: bool) -> Answer {
        let rows = match self.matches(filter, query, regex) {
            Ok(r) => r,
            Err(e) => return Answer::error(e),
        };
        let n = rows.len();
        if n == 0 {
            return Answer::Found(Found::default());
        }
        let from = from as u32;
        // First match at or after `from` (forward), or the last at or before it (backward), wrapping.
        let (k, wrapped) = if forward {
            let k = rows.partition_point(|&r| r < from);
            if k < n {
                (k, false)
            } else {
                (0, true)
            }
        } else {
            let k = rows.partition_point(|&r| r <= from);
            if k > 0 {
                (k - 1, false)
            } else {
                (n - 1, true)
            }
        };
        Answer::Found(Found { index: rows.get(k).map(|&r| r as usize), wrapped, nth: k + 1, matches: n })
    }

    fn export_preview(&self, patterns: &[String]) -> Answer {
        let extra = match crate::export::compile_patterns(patterns) {
            Ok(e) => e,
            Err(e) => return Answer::error(e),
        };
        let (files, hits) = crate::export::sanitize_session(&self.session, &extra);
        let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
        for h in &hits {
            *by_kind.entry(h.kind.clone()).or_default() += 1;
        }
        Answer::ExportPreview(ExportPreview {
            files: files.len(),
            hits: hits.len(),
            by_kind,
            sample: hits.iter().take(200).map(|h| HitView { file: h.file.clone(), line: h.line, kind: h.kind.clone(), preview: h.preview.clone() }).collect(),
        })
    }

    /// An ad-hoc flow over exactly the records the ID filter lists for `id` (an ID in a decoded
    /// field or in the raw text), plus the records the ID index links to it (agent aliases).
    fn adhoc_flow(&mut self, id: &str) -> Answer {
        let id = id.trim();
        if id.is_empty() {
            return Answer::error("give an ID value");
        }
        let filter = Filter { id: id.to_string(), ..Default::default() };
        let listed: Vec<u32> = match self.view(&filter) {
            Ok(v) => v.to_vec(),
            Err(e) => return Answer::error(e),
        };
        let listed: Vec<usize> = listed.iter().filter_map(|&p| self.session.timeline.get(p as usize).map(|&i| i as usize)).collect();
        let linked = crate::correlate::adhoc_flow(&self.session, id);
        let mut recs: BTreeSet<usize> = listed.into_iter().collect();
        if let Some(f) = &linked {
            recs.extend(f.steps.iter().map(|st| st.record()));
        }
        if recs.is_empty() {
            return Answer::error(format!("no record carries {id}"));
        }
        let mut order: Vec<usize> = recs.into_iter().collect();
        order.sort_by_key(|&i| (self.positions.get(i).copied().unwrap_or(u32::MAX), i));
        let total = order.len();
        let capped = total > MAX_ADHOC_RECORDS;
        order.truncate(MAX_ADHOC_RECORDS);
        let steps: Steps = {
            let s = &self.session;
            let decoded: Vec<(usize, crate::model::Record)> = order.iter().filter_map(|&i| s.decoded(i).map(|d| (i, d))).collect();
            let facts = crate::correlate::facts::Facts::sparse(&decoded);
            let ctx = crate::correlate::flows::Ctx::new(s, &facts, &s.ids);
            let mut steps = crate::correlate::StepsBuilder::with_capacity(decoded.len());
            for (i, r) in &decoded {
                use crate::correlate::participants::{default_peer, lifeline};
                steps.push(*i, lifeline(r), default_peer(r), &crate::correlate::flows::default_label(&ctx, *i));
            }
            steps.finish()
        };
        let mut participants: Vec<&'static str> = Vec::new();
        let mut files: Vec<std::sync::Arc<str>> = Vec::new();
        for st in &steps {
            for p in [st.from.name(), st.to.name()] {
                if !participants.contains(&p) {
                    participants.push(p);
                }
            }
            if let Some(path) = self.session.records.get(st.record()).and_then(|r| self.session.files.get(r.file as usize)).map(|f| f.path.as_str()) {
                if !files.iter().any(|f| &**f == path) {
                    files.push(std::sync::Arc::from(path));
                }
            }
        }
        let mut links: Vec<String> = linked.map(|f| f.links.iter().map(std::borrow::Cow::into_owned).collect()).unwrap_or_default();
        links.push(format!("the {total} records the ID filter lists for {id} (in a decoded field or in their text)"));
        if capped {
            links.push(format!("first {MAX_ADHOC_RECORDS} of {total} records drawn; narrow by time to see the rest"));
        }
        self.session.flows.push(Box::new(Flow {
            kind: "adhoc",
            key: id.into(),
            participants: participants.into(),
            steps,
            links: links.into(),
            files: files.into(),
            truncated: None,
        }));
        self.flow_rows = None;
        Answer::Adhoc { index: self.session.flows.len() - 1, records: total, capped }
    }

    /// The states' legend, the time span, how many timelines and unplaced changes there are, and
    /// the first `first` timelines (the others: `state_rows`).
    fn states(&self, first: usize) -> States {
        let list = &self.session.states;
        // Legend: states in order of how often they occur.
        let mut freq: HashMap<&str, usize> = HashMap::new();
        let mut lo: Option<i64> = None;
        let mut hi: Option<i64> = None;
        let mut unplaced = 0;
        for t in list.iter(&self.session.records) {
            for c in t.changes() {
                *freq.entry(c.state).or_default() += 1;
                match c.utc_ms {
                    Some(ms) => {
                        lo = Some(lo.map_or(ms, |l| l.min(ms)));
                        hi = Some(hi.map_or(ms, |h| h.max(ms)));
                    }
                    None => unplaced += 1,
                }
            }
        }
        let mut states: Vec<(&str, usize)> = freq.into_iter().collect();
        states.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        // The logs' own span, so the last state of each entity runs to the end of the logs.
        let (t0, t1) = time_span(&self.session);
        States {
            timelines: self.state_rows(0, first).timelines,
            states: states.into_iter().map(|(s, _)| s.to_string()).collect(),
            from_ms: lo.into_iter().chain(t0).min(),
            to_ms: hi.into_iter().chain(t1).max(),
            total: list.len(),
            unplaced,
        }
    }

    /// State timelines `start..start + count`.
    fn state_rows(&self, start: usize, count: usize) -> StateRows {
        let list = &self.session.states;
        let timelines = list
            .iter(&self.session.records)
            .skip(start)
            .take(count)
            .map(|t| StateTimelineView {
                kind: t.kind.to_string(),
                key: t.key.to_string(),
                changes: t
                    .changes()
                    .map(|c| StateChangeView { pos: self.positions.get(c.record).map(|&p| p as usize), utc_ms: c.utc_ms, state: c.state.to_string() })
                    .collect(),
            })
            .collect();
        StateRows { start, total: list.len(), timelines }
    }

    /// Flow titles, made unique: kind and key, then the start time, then a number.
    fn titles(&self) -> Vec<String> {
        let s = &self.session;
        let base: Vec<String> = s.flows.iter().map(|f| flow_summary::title(f)).collect();
        let mut count: HashMap<&str, usize> = HashMap::new();
        for t in &base {
            *count.entry(t.as_str()).or_default() += 1;
        }
        let mut out: Vec<String> = base
            .iter()
            .zip(s.flows.iter())
            .map(|(t, f)| {
                if count.get(t.as_str()).copied().unwrap_or(0) < 2 {
                    return t.clone();
                }
                let start = f.steps.iter().filter_map(|st| s.records.get(st.record()).and_then(|r| r.utc_ms())).min();
                match start {
                    Some(ms) => format!("{t} · from {} UTC", crate::time::iso_utc(ms).replace('T', " ").get(..19).unwrap_or("")),
                    None => t.clone(),
                }
            })
            .collect();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for t in out.iter_mut() {
            let n = seen.entry(t.clone()).or_default();
            *n += 1;
            if *n > 1 {
                *t = format!("{t} (#{n})");
            }
        }
        out
    }

    /// The flow list's rows with their start only: opening the list sorted by start (as it
    /// opens) reads no step label; 73 000 flows' summaries cost the page seconds.
    fn flow_rows(&mut self) -> &[FlowRow] {
        if self.flow_rows.as_ref().is_none_or(|r| r.len() != self.session.flows.len()) {
            let titles = self.titles();
            let s = &self.session;
            let rows: Vec<FlowRow> = s
                .flows
                .iter()
                .enumerate()
                .map(|(i, f)| FlowRow {
                    index: i,
                    kind: f.kind.to_string(),
                    key: f.key.to_string(),
                    title: titles.get(i).cloned().unwrap_or_default(),
                    participants: f.participants.iter().map(|p| p.to_string()).collect(),
                    steps: f.steps.len(),
                    summary: crate::answers::FlowSummary { start_ms: flow_summary::start_ms(f, s), ..Default::default() },
                })
                .collect();
            self.flow_match = None;
            self.summarised = vec![false; rows.len()];
            self.flow_rows = Some(rows);
        }
        self.flow_rows.as_deref().unwrap_or(&[])
    }

    /// Fills in the whole summary of these rows (once each).
    fn summarise_rows(&mut self, which: impl Iterator<Item = usize>) {
        self.flow_rows();
        let s = &self.session;
        let Some(rows) = self.flow_rows.as_mut() else { return };
        for i in which {
            if let (Some(done), Some(row), Some(f)) = (self.summarised.get_mut(i), rows.get_mut(i), s.flows.get(i)) {
                summarise_row(f, s, row, done);
            }
        }
    }

    fn flow_list(&mut self, q: &FlowQuery, start: usize, count: usize) -> FlowList {
        let all = self.flow_rows().len();
        // Filters and orders that read outcomes or errors need every row's summary.
        let sort_reads_summary = matches!(q.sort, FlowSort::Duration | FlowSort::Outcome | FlowSort::Errors);
        if q.outcome.is_some() || q.errors_first || sort_reads_summary {
            self.summarise_rows(0..all);
        }
        let page = self.flow_page(q, start, count);
        self.summarise_rows(page.indices.iter().copied());
        let rows = self.flow_rows.as_deref().unwrap_or(&[]);
        FlowList { total: page.total, all, start, rows: page.indices.iter().filter_map(|&i| rows.get(i).cloned()).collect(), kinds: page.kinds }
    }

    /// The filtered, sorted list's window (`flow_list`).
    fn flow_page(&mut self, q: &FlowQuery, start: usize, count: usize) -> FlowPage {
        let words = search_terms(&q.text);
        if !words.is_empty() && self.flow_match.as_ref().is_none_or(|(w, _)| *w != words) {
            // Typing on narrows the last filter (each of its words is inside one of the new
            // ones): only the flows it held can hold the new one.
            let before = self.flow_match.take().filter(|(old, _)| old.iter().all(|o| words.iter().any(|w| w.contains(o.as_str()))));
            let mut buf = String::new();
            let s = &self.session;
            let (rows, summarised) = (self.flow_rows.as_deref_mut().unwrap_or(&mut []), &mut self.summarised);
            let mut held = Vec::with_capacity(rows.len());
            for (i, (f, r)) in s.flows.iter().zip(rows.iter_mut()).enumerate() {
                let was = before.as_ref().is_none_or(|(_, h)| h.get(i).copied().unwrap_or(false));
                let done = summarised.get(i).copied().unwrap_or(false);
                let has = was
                    && flow_text_has(f, r, done, &words, &mut buf).unwrap_or_else(|| {
                        // A word only the summary can hold: read it for this flow (once).
                        if let Some(d) = summarised.get_mut(i) {
                            summarise_row(f, s, r, d);
                        }
                        flow_text_has(f, r, true, &words, &mut buf).unwrap_or(false)
                    });
                held.push(has);
            }
            self.flow_match = Some((words.clone(), held));
        }
        let rows = self.flow_rows.as_deref().unwrap_or(&[]);
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for r in rows {
            *kinds.entry(r.kind.as_str()).or_default() += 1;
        }
        let held: &[bool] = self.flow_match.as_ref().map_or(&[], |(_, h)| h);
        let mut hits: Vec<&FlowRow> = rows
            .iter()
            .filter(|r| q.kind.is_empty() || r.kind == q.kind)
            .filter(|r| q.outcome.is_none_or(|o| r.summary.outcome == o))
            .filter(|r| words.is_empty() || held.get(r.index).copied().unwrap_or(false))
            .collect();
        hits.sort_by(|a, b| {
            let errors_first = if q.errors_first { b.summary.errors.min(1).cmp(&a.summary.errors.min(1)) } else { std::cmp::Ordering::Equal };
            let by = match q.sort {
                FlowSort::Start => a.summary.start_ms.unwrap_or(i64::MAX).cmp(&b.summary.start_ms.unwrap_or(i64::MAX)),
                FlowSort::Kind => a.kind.cmp(&b.kind),
                FlowSort::Title => a.title.cmp(&b.title),
                FlowSort::Duration => a.summary.duration_ms.unwrap_or(-1).cmp(&b.summary.duration_ms.unwrap_or(-1)),
                FlowSort::Steps => a.steps.cmp(&b.steps),
                FlowSort::Participants => a.participants.len().cmp(&b.participants.len()),
                FlowSort::Outcome => a.summary.outcome.cmp(&b.summary.outcome),
                FlowSort::Errors => a.summary.errors.cmp(&b.summary.errors),
            };
            let by = if q.descending { by.reverse() } else { by };
            errors_first.then(by).then(a.index.cmp(&b.index))
        });
        let total = hits.len();
        let indices = hits.into_iter().skip(start).take(count).map(|r| r.index).collect();
        FlowPage { indices, total, kinds: kinds.into_iter().map(|(k, n)| (k.to_string(), n)).collect() }
    }

    fn flow(&mut self, index: usize) -> Answer {
        self.summarise_rows(std::iter::once(index));
        let row = match self.flow_rows().get(index) {
            Some(r) => r.clone(),
            None => return Answer::error("no such flow"),
        };
        let s = &self.session;
        let Some(f) = s.flows.get(index) else { return Answer::error("no such flow") };
        let order = flow_summary::time_order(f, s);
        let mut labelled = flow_summary::labels_and_failures(f, s);
        let back = flow_summary::clock_backwards(f, s);
        const PAIR_KEYS: [&str; 6] = ["InvokeID", "requestId", "rid", "request_identifier", "nocache", "TaskID"];
        let steps: Vec<FlowStep> = order
            .iter()
            .filter_map(|&i| {
                let st = f.steps.get(i)?;
                let r = s.records.get(st.record());
                let last = st.last_record.get().and_then(|l| s.records.get(l));
                // A record's time as written ("" when it has none).
                let written = |r: Option<&Record>| r.filter(|r| r.time.is_some()).map(|r| s.time_text(r).to_string()).unwrap_or_default();
                // Pairing IDs come from the decoded fields (a flow's records only).
                let pair = match f.steps.len() <= 50_000 {
                    true => s
                        .decoded(st.record())
                        .map(|d| PAIR_KEYS.iter().filter_map(|k| d.get_str(k).filter(|v| !v.is_empty()).map(|v| format!("{k}={v}"))).collect())
                        .unwrap_or_default(),
                    false => Vec::new(),
                };
                Some(FlowStep {
                    index: i,
                    pos: self.positions.get(st.record()).map(|&p| p as usize),
                    utc_ms: r.and_then(Record::utc_ms),
                    time: written(r),
                    from: st.from.to_string(),
                    to: st.to.to_string(),
                    label: labelled.get_mut(i).map(|(l, _)| std::mem::take(l)).unwrap_or_default(),
                    name: r.and_then(|r| r.name()).unwrap_or("").to_string(),
                    source: r.map(|r| self.display_of(r.file)).unwrap_or_default(),
                    failure: labelled.get(i).is_some_and(|(_, failed)| *failed),
                    back_ms: back.get(i).copied().flatten(),
                    pair,
                    count: st.count.max(1),
                    last_utc_ms: last.and_then(Record::utc_ms),
                    last_time: written(last),
                    file: r.map(|r| r.file),
                    line: r.map_or(0, |r| r.line),
                })
            })
            .collect();
        Answer::Flow(Box::new(FlowDetail {
            index,
            kind: f.kind.to_string(),
            key: f.key.to_string(),
            title: row.title,
            participants: f.participants.iter().map(|p| p.to_string()).collect(),
            steps,
            links: f.links.iter().map(std::borrow::Cow::into_owned).collect(),
            files: f.files.iter().map(|p| p.to_string()).collect(),
            summary: row.summary,
            logs_end_ms: time_span(s).1,
        }))
    }

    /// Findings grouped by code (errors first): each group with how many findings it holds, the
    /// first `first` of them (the page asks for the others a page at a time, `finding_items`: a
    /// busy day holds tens of thousands, and sending them all stopped the page), and the flows
    /// they point at (what a report draws, as many as it draws). Each item's evidence is
    /// deduplicated and named by `file:line`, with the flow that holds it.
    fn findings(&self, first: usize) -> Vec<FindingGroup> {
        let titles = self.titles();
        let flow_of = self.evidence_flows();
        let mut groups: Vec<FindingGroup> = Vec::new();
        let mut by_code: HashMap<&str, usize> = HashMap::new();
        // (group, flow) pairs listed already.
        let mut listed: HashSet<(usize, usize)> = HashSet::new();
        for f in &self.session.findings {
            let gi = *by_code.entry(f.code).or_insert_with(|| {
                let entry = crate::correlate::catalogue::entry(f.code);
                groups.push(FindingGroup {
                    code: f.code.to_string(),
                    severity: f.severity.to_string(),
                    title: entry.map(|e| e.title.to_string()).unwrap_or_else(|| code_title(f.code)),
                    meaning: entry.map(|e| e.meaning.to_string()).unwrap_or_default(),
                    next: entry.map(|e| e.next.to_string()).unwrap_or_default(),
                    ..Default::default()
                });
                groups.len() - 1
            });
            let Some(g) = groups.get_mut(gi) else { continue };
            if severity_rank(f.severity) < severity_rank(&g.severity) {
                g.severity = f.severity.to_string();
            }
            g.count += f.count.max(1);
            g.items_total += 1;
            // Past a code's first findings and its flows' cap nothing more of it is sent.
            if g.items.len() >= first && g.flows.len() >= crate::report::case::MAX_FLOWS {
                continue;
            }
            let (recs, flow) = self.finding_place(f, &flow_of);
            // A report draws at most `MAX_FLOWS` flows: more of one code would only be sent.
            if let Some(fi) = flow.filter(|&fi| g.flows.len() < crate::report::case::MAX_FLOWS && listed.insert((gi, fi))) {
                g.flows.push((fi, titles.get(fi).cloned().unwrap_or_default()));
            }
            if g.items.len() < first {
                g.items.push(self.finding_item(f, &recs, flow, &titles));
            }
        }
        groups.sort_by_key(|g| severity_rank(&g.severity));
        groups
    }

    /// Findings `start..start + count` of one code, in the order `findings` lists them.
    fn finding_items(&self, code: &str, start: usize, count: usize) -> Answer {
        let titles = self.titles();
        let flow_of = self.evidence_flows();
        let of_code = || self.session.findings.iter().filter(|f| f.code == code);
        let items = of_code()
            .skip(start)
            .take(count)
            .map(|f| {
                let (recs, flow) = self.finding_place(f, &flow_of);
                self.finding_item(f, &recs, flow, &titles)
            })
            .collect();
        Answer::FindingItems(FindingItems { code: code.to_string(), start, total: of_code().count(), items })
    }

    /// The flow holding each evidence record of the findings the analysis placed in no flow (they
    /// may lie in a flow drawn since).
    fn evidence_flows(&self) -> HashMap<usize, usize> {
        let s = &self.session;
        let evidence: HashSet<usize> = s.findings.iter().filter(|f| f.flow.is_none()).flat_map(|f| f.records.iter().copied()).collect();
        let mut flow_of: HashMap<usize, usize> = HashMap::new();
        for (fi, f) in s.flows.iter().enumerate() {
            for st in &f.steps {
                if evidence.contains(&st.record()) {
                    flow_of.entry(st.record()).or_insert(fi);
                }
            }
        }
        flow_of
    }

    /// A finding's evidence records, each once in timeline order, and the flow that holds it.
    fn finding_place(&self, f: &crate::correlate::Finding, flow_of: &HashMap<usize, usize>) -> (Vec<usize>, Option<usize>) {
        let mut seen: HashSet<usize> = HashSet::new();
        let mut recs: Vec<usize> = f.records.iter().copied().filter(|r| seen.insert(*r)).collect();
        recs.sort_by_key(|&r| self.positions.get(r).copied().unwrap_or(u32::MAX));
        let flow = f.flow.or_else(|| recs.iter().find_map(|r| flow_of.get(r)).copied());
        (recs, flow)
    }

    fn finding_item(&self, f: &crate::correlate::Finding, recs: &[usize], flow: Option<usize>, titles: &[String]) -> FindingItem {
        let s = &self.session;
        let evidence = recs
            .iter()
            .filter_map(|&ri| {
                let r = s.records.get(ri)?;
                Some(Evidence {
                    pos: self.positions.get(ri).map(|&p| p as usize)?,
                    loc: format!("{}:{}", self.display_of(r.file), r.line),
                    name: r.name().unwrap_or("").to_string(),
                })
            })
            .collect();
        FindingItem {
            summary: f.summary.get(),
            count: f.count.max(1),
            evidence,
            flow: flow.map(|fi| (fi, titles.get(fi).cloned().unwrap_or_default())),
            suggestion: f.suggestion.as_ref().map(|g| Suggestion {
                file_index: g.file_index,
                file: self.display_of(g.file_index),
                utc_offset_min: g.utc_offset_min,
                skew_ms: g.skew_ms,
                date: g.date,
            }),
            utc_ms: recs.first().and_then(|&r| s.records.get(r)).and_then(|r| r.utc_ms()),
        }
    }
}

fn severity_rank(s: &str) -> u8 {
    match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    }
}

/// A window of the filtered, sorted flow list: its flows' indices, how many flows pass, and the
/// flow kinds with their counts.
struct FlowPage {
    indices: Vec<usize>,
    total: usize,
    kinds: Vec<(String, usize)>,
}

/// Fills in a flow list row's whole summary unless `done` says it has it.
fn summarise_row(f: &Flow, s: &Session, row: &mut FlowRow, done: &mut bool) {
    if !*done {
        row.summary = flow_summary::summarise(f, s);
        *done = true;
    }
}

/// Whether a flow's text holds every word (lower-case): its kind, title, lifelines, outcome, end,
/// first error and end label, then its messages' labels (up to 64 KiB of them). Read from the
/// packed labels for each new filter, and only as far as a word is still missing: a lower-cased
/// copy of every flow's labels, kept for the filter, was as big as the flows themselves. A word
/// never spans two labels (they are lines; a filter is one line). `buf` is scratch space.
/// Without its summary (`summarised` false) a row answers None when a missing word could be in
/// it: words of an outcome or an end, a phrase (it may span fields), or labels left unread.
fn flow_text_has(f: &Flow, r: &FlowRow, summarised: bool, words: &[String], buf: &mut String) -> Option<bool> {
    use crate::answers::{EndKind, Outcome};
    use std::fmt::Write;
    buf.clear();
    let _ = write!(buf, "{} {} {}", r.kind, r.title, r.participants.join(" "));
    if summarised {
        let sm = &r.summary;
        let _ = write!(buf, " {} {} {} {}", sm.outcome.as_str(), sm.end.text(), sm.first_error, sm.end_label);
    }
    let header = buf.to_lowercase();
    let mut missing: Vec<&str> = words.iter().map(String::as_str).filter(|w| !header.contains(w)).collect();
    let mut read = 0;
    let mut cut = false;
    for (_, label) in f.steps.labelled() {
        if missing.is_empty() {
            break;
        }
        if read > 64 * 1024 {
            cut = true;
            break;
        }
        read += 1 + label.len();
        buf.clear();
        if label.is_ascii() {
            buf.push_str(&label);
            buf.make_ascii_lowercase();
        } else {
            buf.push_str(&label.to_lowercase());
        }
        missing.retain(|w| !buf.contains(w));
    }
    if missing.is_empty() || summarised {
        return Some(missing.is_empty());
    }
    const ENDS: [&str; 7] = [
        Outcome::Failed.as_str(),
        Outcome::Open.as_str(),
        Outcome::Ok.as_str(),
        EndKind::Closed.text(),
        EndKind::LoggedOut.text(),
        EndKind::TimedOut.text(),
        EndKind::Open.text(),
    ];
    let summary_may_hold = cut || missing.iter().any(|w| w.contains(char::is_whitespace) || ENDS.iter().any(|e| e.contains(w)));
    if summary_may_hold {
        None
    } else {
        Some(false)
    }
}

/// The terms of a search: words, and "quoted phrases" kept whole, lowercased.
pub fn search_terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, part) in text.split('"').enumerate() {
        if i % 2 == 1 {
            let p = part.trim().to_lowercase();
            if !p.is_empty() {
                out.push(p);
            }
        } else {
            out.extend(part.split_whitespace().map(str::to_lowercase));
        }
    }
    out
}

/// A finding code as a heading ("presence-driven-logout" → "Presence-driven logout").
fn code_title(code: &str) -> String {
    let words: Vec<&str> = code.split('-').collect();
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if ["ece", "cti", "bosh", "http", "utc", "arm", "mrd", "ccp", "uccx", "xmpp", "id"].contains(w) {
            out.push_str(&w.to_ascii_uppercase());
        } else if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push_str(w);
        }
    }
    out
}

fn clock_view(f: &LogFile) -> ClockView {
    ClockView { date: f.clock.date, utc_offset_min: f.clock.utc_offset_min, skew_ms: f.clock.skew_ms, source: f.clock.source.clone() }
}

/// Where a record's time zone comes from, in words, without repeating what the time says.
fn zone_note(r: &Record, file: &LogFile) -> String {
    let Some(t) = &r.time else { return "no time on this record (placed after the record before it)".into() };
    if t.epoch_ms().is_some() {
        return "an epoch time (UTC)".into();
    }
    if t.offset_min().is_some() {
        return "written with its zone".into();
    }
    let clock = &file.clock;
    match (r.utc_ms(), clock.utc_offset_min) {
        (Some(_), Some(o)) => {
            let zone = crate::time::offset_text(o);
            // The source often names the zone itself ("zone -0400 from neighbouring files").
            let source = clock.source.replace(&format!("zone {zone} "), "zone ");
            if source.is_empty() {
                format!("UTC{zone} (the file's clock)")
            } else {
                format!("UTC{zone}: {source}")
            }
        }
        (Some(_), None) => "placed in UTC".into(),
        (None, _) => {
            let missing = match (t.date().or(clock.date).is_none(), clock.utc_offset_min.is_none()) {
                (true, true) => "date and zone unknown",
                (true, false) => "date unknown",
                _ => "zone unknown",
            };
            format!("not placed in UTC: {missing} (set the file's clock)")
        }
    }
}

/// The shortest end of each path that tells it apart from every other loaded file
/// (`pg2a/ctisvr.txt` and `pg2b/ctisvr.txt`); two identical paths get their load number.
pub fn display_paths(files: &[LogFile], load: &[u32]) -> Vec<String> {
    let parts: Vec<Vec<&str>> = files.iter().map(|f| f.path.split("!/").flat_map(|p| p.split(['/', '\\'])).filter(|s| !s.is_empty()).collect()).collect();
    let suffix = |i: usize, k: usize| -> String {
        let p = parts.get(i).map(Vec::as_slice).unwrap_or(&[]);
        p.get(p.len().saturating_sub(k)..).unwrap_or(&[]).join("/")
    };
    let mut out: Vec<String> = (0..files.len()).map(|i| suffix(i, 1)).collect();
    let mut open: Vec<usize> = (0..files.len()).collect();
    let mut k = 1;
    while !open.is_empty() && k < 64 {
        let mut count: HashMap<String, usize> = HashMap::new();
        for &i in &open {
            *count.entry(suffix(i, k)).or_default() += 1;
        }
        let mut next = Vec::new();
        for &i in &open {
            let s = suffix(i, k);
            let whole = parts.get(i).map(|p| p.len() <= k).unwrap_or(true);
            if count.get(&s).copied().unwrap_or(0) <= 1 {
                if let Some(o) = out.get_mut(i) {
                    *o = s;
                }
            } else if whole {
                // The whole path is the same as another file's: the load tells them apart.
                if let Some(o) = out.get_mut(i) {
                    *o = format!("{s} (load {})", load.get(i).copied().unwrap_or(0));
                }
            } else {
                next.push(i);
            }
        }
        open = next;
        k += 1;
    }
    out
}

fn time_span(s: &Session) -> (Option<i64>, Option<i64>) {
    let mut lo: Option<i64> = None;
    let mut hi: Option<i64> = None;
    for r in s.records.iter() {
        if let Some(ms) = r.utc_ms() {
            lo = Some(lo.map_or(ms, |l| l.min(ms)));
            hi = Some(hi.map_or(ms, |h| h.max(ms)));
        }
    }
    (lo, hi)
}

fn line_at<'a>(text: &'a str, starts: &[u32], i: usize) -> Option<&'a str> {
    let (a, b) = crate::formats::engine::line_span(starts, text.len(), i)?;
    Some(text.get(a..b)?.trim_end_matches(['\n', '\r']))
}

/// The file name without its folders (archive members keep the member name).
pub fn short_name(path: &str) -> String {
    let inner = path.rsplit("!/").next().unwrap_or(path);
    inner.rsplit(['/', '\\']).next().unwrap_or(inner).to_string()
}

/// One line for the table: the message part of the first line (without the timestamp and the
/// header fields), then the decoded fields that say what the record is about.
pub fn summary_of(text: &str, time_text: Option<&str>, component: Option<&str>, fields: &crate::model::Fields) -> String {
    let first = text.lines().next().unwrap_or("");
    let mut s = match time_text.filter(|t| !t.is_empty()).and_then(|t| first.find(t).map(|i| i + t.len())) {
        Some(end) => first.get(end..).unwrap_or(first),
        None => first,
    };
    // ICM/CTI lines repeat the component and the trace level the columns already show
    // (`cg1A-ctisvr Trace: AGENT_EVENT: …`): the summary starts after them.
    if let Some(c) = component.filter(|c| !c.is_empty()) {
        if let Some(rest) = s.trim_start().strip_prefix(c) {
            let rest = rest.trim_start();
            s = rest.strip_prefix("Trace:").or_else(|| rest.strip_prefix("Trace ")).unwrap_or(rest);
        }
    }
    // ECE listener: `… <@> logger <@> <@> message <@>` — the message is the last field.
    if s.contains(" <@> ") {
        s = s.trim_end().trim_end_matches("<@>").rsplit(" <@> ").map(str::trim).find(|p| !p.is_empty()).unwrap_or(s);
    }
    // Finesse/CCBU: `%CCBU_…-6-NAME: %[k=v][k=v]: message` — the bracketed fields are decoded.
    if let Some(i) = s.find(": %[") {
        if let Some(j) = s.get(i..).and_then(|r| r.rfind("]:")) {
            let msg = s.get(i + j + 2..).unwrap_or("").trim();
            s = if msg.is_empty() { s.get(..i).unwrap_or(s) } else { msg };
        }
    }
    s = s.trim_start_matches([' ', ':', '-', ']', '|', '\t']).trim_end();
    // A document record (JSON body) opens with a bare bracket: its fields say more.
    if matches!(s, "{" | "[") {
        s = "";
    }
    let mut out: String = s.chars().take(300).collect();
    let mut extra = String::new();
    for (k, v) in fields.iter() {
        if extra.len() > 160 {
            break;
        }
        let v = match v {
            serde_json::Value::String(x) if x.len() <= 60 && !x.is_empty() => x.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => continue,
        };
        if out.contains(&v) {
            continue;
        }
        if !extra.is_empty() {
            extra.push(' ');
        }
        extra.push_str(k);
        extra.push('=');
        extra.push_str(&v);
    }
    if !extra.is_empty() {
        if !out.is_empty() {
            out.push_str(" · ");
        }
        out.push_str(&extra);
    }
    if text.contains('\n') {
        out.push_str(" …");
    }
    out
}

impl Engine {
    /// The waterfall's rows, made once per index: entries by start, each socket's frames on its
    /// entry's row (a socket runs to its last frame). O(n log n) in the records.
    fn waterfall_lines(&self) -> Vec<WfLine> {
        let bars = self.session.waterfall(None, None);
        let mut lines: Vec<WfLine> = Vec::new();
        let mut by_entry: HashMap<(u32, u32), usize> = HashMap::new();
        for b in bars.iter().filter(|b| b.frame.is_none()) {
            by_entry.insert((b.file, b.entry), lines.len());
            let d = b.duration_ms.unwrap_or(0).max(0);
            lines.push(WfLine { entry: Some(b.record), start_ms: b.start_ms, end_ms: b.start_ms.saturating_add(d), frames: Vec::new() });
        }
        for b in bars.iter().filter(|b| b.frame.is_some()) {
            let at = *by_entry.entry((b.file, b.entry)).or_insert_with(|| {
                lines.push(WfLine { entry: None, start_ms: b.start_ms, end_ms: b.start_ms, frames: Vec::new() });
                lines.len() - 1
            });
            if let Some(l) = lines.get_mut(at) {
                l.frames.push((b.record, b.start_ms));
                l.start_ms = l.start_ms.min(b.start_ms);
                l.end_ms = l.end_ms.max(b.start_ms);
            }
        }
        lines.sort_by_key(|l| (l.start_ms, l.entry.unwrap_or(usize::MAX)));
        lines
    }

    /// A window of the waterfall's rows that overlap `[from_ms, to_ms]`, decoded for display.
    fn waterfall(&mut self, from_ms: Option<i64>, to_ms: Option<i64>, start: usize, count: usize) -> Waterfall {
        let lines = match self.waterfall.take() {
            Some(l) => l,
            None => self.waterfall_lines(),
        };
        let keep = |l: &WfLine| !(from_ms.is_some_and(|f| l.end_ms < f) || to_ms.is_some_and(|t| l.start_ms > t));
        let shown: Vec<&WfLine> = lines.iter().filter(|l| keep(l)).collect();
        let span_from = from_ms.or_else(|| shown.iter().map(|l| l.start_ms).min()).unwrap_or(0);
        let span_to = to_ms.or_else(|| shown.iter().map(|l| l.end_ms).max()).unwrap_or(span_from);
        let first = start.min(shown.len());
        let last = start.saturating_add(count).min(shown.len());
        let rows = shown.get(first..last).unwrap_or(&[]).iter().enumerate().map(|(k, l)| self.waterfall_row(first + k, l, from_ms, to_ms)).collect();
        let total = shown.len();
        self.waterfall = Some(lines);
        Waterfall { total, start: first, from_ms: span_from, to_ms: span_to.max(span_from), slow_ms: WF_SLOW_MS, rows }
    }

    fn waterfall_row(&self, index: usize, l: &WfLine, from_ms: Option<i64>, to_ms: Option<i64>) -> WfRow {
        let s = &self.session;
        let pos_of = |ri: usize| self.positions.get(ri).map(|&p| p as usize);
        let entry = l.entry.and_then(|ri| s.decoded(ri));
        let str_of = |k: &str| entry.as_ref().and_then(|r| r.get_str(k)).unwrap_or_default();
        let url = match l.entry {
            Some(_) => str_of("url"),
            None => l.frames.first().and_then(|&(ri, _)| s.records.get(ri)).and_then(|r| r.get_str("url")).unwrap_or_default(),
        };
        let status = entry.as_ref().and_then(|r| r.fields().get("status")).and_then(serde_json::Value::as_i64).unwrap_or(0);
        let socket = !l.frames.is_empty() || status == 101 || url.starts_with("ws");
        let long_poll = url.contains("http-bind");
        let file = l.entry.or(l.frames.first().map(|f| f.0)).and_then(|ri| s.records.get(ri)).map(|r| r.file).unwrap_or(0);
        let (host, path) = {
            let rest = url.split_once("://").map(|x| x.1).unwrap_or(&url);
            let (h, p) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap_or((rest, String::new()));
            (h.to_string(), p.split('?').next().unwrap_or("").to_string())
        };
        let in_window: Vec<(usize, i64)> =
            l.frames.iter().copied().filter(|&(_, at)| !(from_ms.is_some_and(|f| at < f) || to_ms.is_some_and(|t| at > t))).collect();
        let step = in_window.len().div_ceil(WF_MAX_TICKS).max(1);
        let ticks = in_window
            .iter()
            .step_by(step)
            .enumerate()
            .map(|(n, &(ri, at))| {
                let name = s.records.get(ri).and_then(|r| r.name()).unwrap_or("");
                let dir = name.strip_prefix("WebSocket ").unwrap_or("").to_string();
                let label = if n < WF_LABELLED {
                    s.decoded(ri).map(|d| clip(&summary_of(s.record_text(&d), None, None, d.fields()), 80)).unwrap_or_default()
                } else {
                    String::new()
                };
                WfTick { pos: pos_of(ri).unwrap_or(0), at_ms: at, dir, label }
            })
            .collect();
        let duration_ms = l.end_ms - l.start_ms;
        WfRow {
            index,
            pos: l.entry.and_then(pos_of).or_else(|| l.frames.first().and_then(|f| pos_of(f.0))),
            start_ms: l.start_ms,
            duration_ms,
            kind: if socket { "socket" } else { "entry" }.to_string(),
            method: if l.entry.is_some() { str_of("method") } else { "WS".to_string() },
            host: clip(&host, 120),
            path: clip(&path, 200),
            url: clip(&url, 2000),
            status,
            status_text: str_of("statusText"),
            file: self.display_of(file),
            slow: !socket && !long_poll && duration_ms >= WF_SLOW_MS,
            long_poll,
            ticks,
            frames: in_window.len(),
        }
    }
}

// Native only: the tests read the corpus from disk.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::answers::FromAnswer;
    use crate::model::LogFile;

    fn engine_with(text: &str) -> Engine {
        let mut e = Engine::new();
        let mut f = LogFile::new("a.log", text.len() as u64);
        f.text = text.to_string();
        f.line_starts = crate::formats::engine::line_starts(text);
        e.session.add_file(f);
        e.refresh();
        e
    }

    #[test]
    fn waterfall_rows_entries_by_start_with_frames_on_their_socket_and_windows() {
        let entry = |at: &str, method: &str, url: &str, status: i64, ms: f64, frames: &str| {
            format!(
                r#"{{"startedDateTime":"2026-03-12T10:00:{at}Z","time":{ms},"request":{{"method":"{method}","url":"{url}","httpVersion":"HTTP/1.1","headers":[],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0}},"response":{{"status":{status},"statusText":"","httpVersion":"HTTP/1.1","headers":[],"cookies":[],"content":{{"size":0,"mimeType":"text/xml"}},"redirectURL":"","headersSize":-1,"bodySize":-1}},"cache":{{}},"timings":{{"send":0,"wait":{ms},"receive":0}}{frames}}}"#
            )
        };
        let t0 = 1_773_309_600.0_f64;
        let frames = format!(
            r#","_webSocketMessages":[{{"type":"send","time":{},"opcode":1,"data":"<presence/>"}},{{"type":"receive","time":{},"opcode":1,"data":"<iq type='result' id='p1'/>"}}]"#,
            t0 + 2.0,
            t0 + 40.0
        );
        let entries = [
            entry("05.000", "GET", "https://fin.example.test:8445/finesse/api/User/1001?nocache=1", 200, 1500.0, ""),
            entry("01.000", "GET", "wss://fin.example.test:8445/ws/", 101, 0.0, &frames),
            entry("10.000", "GET", "https://fin.example.test:8445/finesse/api/Team/7", 0, 0.0, ""),
        ];
        let text = format!(r#"{{"log":{{"version":"1.2","creator":{{"name":"WebInspector","version":"1"}},"entries":[{}]}}}}"#, entries.join(","));
        let mut e = Engine::new();
        let mut f = LogFile::new("desk.har", text.len() as u64);
        f.text = text.clone();
        f.line_starts = crate::formats::engine::line_starts(&text);
        e.session.add_file(f);
        e.refresh();
        let w = Waterfall::from_answer(e.handle(Request::Waterfall { from_ms: None, to_ms: None, start: 0, count: 10 })).unwrap_or_default();
        assert_eq!(w.total, 3, "{w:?}");
        let kinds: Vec<&str> = w.rows.iter().map(|r| r.kind.as_str()).collect();
        assert_eq!(kinds, ["socket", "entry", "entry"]);
        let ws = &w.rows[0];
        assert_eq!((ws.duration_ms, ws.frames, ws.ticks.len()), (39_000, 2, 2), "a socket runs to its last frame");
        assert_eq!(ws.ticks[0].dir, "send");
        assert_eq!((w.rows[1].method.as_str(), w.rows[1].path.as_str(), w.rows[1].host.as_str()), ("GET", "/finesse/api/User/1001", "fin.example.test:8445"));
        assert!(w.rows[1].slow && !w.rows[2].slow);
        assert_eq!(w.rows[2].status, 0);
        assert_eq!((w.from_ms, w.to_ms), (1_773_309_601_000, 1_773_309_640_000));
        // The row's position opens its record.
        let pos = w.rows[1].pos.unwrap_or(usize::MAX);
        let d = RecordDetail::from_answer(e.handle(Request::Record { pos })).unwrap_or_default();
        assert_eq!(d.fields.get("method").and_then(|v| v.as_str()), Some("GET"));
        // A window: only rows that overlap it; a page of one.
        let from = 1_773_309_609_000;
        let w = Waterfall::from_answer(e.handle(Request::Waterfall { from_ms: Some(from), to_ms: Some(from + 5000), start: 1, count: 1 })).unwrap_or_default();
        assert_eq!((w.total, w.start, w.rows.len()), (2, 1, 1), "{w:?}");
        assert_eq!(w.rows[0].status, 0);
        assert_eq!(w.rows[0].index, 1);
    }

    fn corpus(dir: &str) -> Engine {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus").join(dir);
        let mut e = Engine::new();
        crate::ingest::ingest_path(&dir, &crate::ingest::Limits::default(), &mut crate::ingest::LoadState::default(), &mut e.session);
        e.refresh();
        e
    }

    fn demo() -> Engine {
        let mut e = Engine::new();
        let zip = crate::demo::bundle_zip();
        let size = zip.len() as u64;
        let mut files = Vec::new();
        let r = crate::ingest::block_on(crate::ingest::ingest(
            crate::demo::DEMO_NAME,
            std::io::Cursor::new(zip),
            size,
            &crate::ingest::Limits::default(),
            &mut crate::ingest::LoadState::default(),
            &mut files,
            &mut crate::ingest::NoPause,
        ));
        assert!(r.is_ok());
        for f in files {
            e.session.add_file(f);
        }
        e.refresh();
        e
    }

    fn rows(e: &mut Engine, filter: Filter) -> Rows {
        Rows::from_answer(e.handle(Request::Rows { filter, start: 0, count: 100 })).unwrap_or_default()
    }

    #[test]
    fn a_clock_change_never_starts_an_analysis_the_load_left_out() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/003-cce-task-routing");
        let mut e = Engine::new();
        crate::ingest::ingest_path(std::path::Path::new(dir), &crate::ingest::Limits::default(), &mut crate::ingest::LoadState::default(), &mut e.session);
        e.refresh_index();
        e.analysis_off = true;
        let set = Request::SetClock { file: 0, date: None, utc_offset_min: Some(-300), skew_ms: 0 };
        e.handle(set.clone());
        assert!(e.session.flows.is_empty(), "the analysis stayed off");
        e.analysis_off = false;
        e.handle(set);
        assert!(!e.session.flows.is_empty(), "with the analysis on, a clock change re-runs it");
    }

    #[test]
    fn summary_skips_what_the_columns_show() {
        let f = crate::model::Fields::new();
        let line = "08:54:27:874 cg1A-ctisvr Trace: AGENT_EVENT: ID=1080 Periph=5000";
        assert_eq!(summary_of(line, Some("08:54:27:874"), Some("cg1A-ctisvr"), &f), "AGENT_EVENT: ID=1080 Periph=5000");
        // A component that is not at the start is left alone.
        assert_eq!(summary_of("08:54:27:874 other: x", Some("08:54:27:874"), Some("cg1A-ctisvr"), &f), "other: x");
    }

    #[test]
    fn rows_window_and_filter() {
        let mut e = engine_with("alpha one\nbeta two\nalpha three\n");
        assert_eq!(rows(&mut e, Filter::default()).total, 3);
        let some = rows(&mut e, Filter { text: "ALPHA".into(), ..Default::default() });
        assert_eq!(some.total, 2);
        assert_eq!(some.rows[1].summary, "alpha three");
        let bad = e.handle(Request::Rows { filter: Filter { text: "(".into(), regex: true, ..Default::default() }, start: 0, count: 5 });
        assert!(Rows::from_answer(bad).is_err_and(|e| e.contains("invalid search")));
    }

    #[test]
    fn find_wraps_goes_back_and_counts() {
        let mut e = engine_with("x\nneedle 1\ny\nneedle 2\n");
        let f = Filter::default();
        let mut find = |from, forward| {
            Found::from_answer(e.handle(Request::Find { filter: f.clone(), query: "needle".into(), regex: false, from, forward })).unwrap_or_default()
        };
        let a = find(2, true);
        assert_eq!((a.index, a.nth, a.matches, a.wrapped), (Some(3), 2, 2, false));
        let b = find(0, false);
        assert_eq!((b.index, b.wrapped), (Some(3), true));
        assert_eq!(find(2, false).index, Some(1));
        assert_eq!(find(4, true).index, Some(1));
    }

    #[test]
    fn record_detail_has_context() {
        let mut e = engine_with("l1\nl2\nl3\n");
        let r = RecordDetail::from_answer(e.handle(Request::Record { pos: 1 })).unwrap_or_default();
        assert_eq!(r.text, "l2");
        assert_eq!(r.context.len(), 3);
        assert!(RecordDetail::from_answer(e.handle(Request::Record { pos: 99 })).is_err());
    }

    #[test]
    fn requests_parse_from_json() {
        let r: Result<Request, _> = serde_json::from_str(r#"{"t":"rows","filter":{"text":"x"},"start":0,"count":5}"#);
        assert!(matches!(r, Ok(Request::Rows { count: 5, .. })));
    }

    #[test]
    fn display_paths_tell_files_apart() {
        let files: Vec<LogFile> =
            ["a/pg2a/ctisvr.txt", "a/pg2b/ctisvr.txt", "x.zip!/logs/rtr.txt", "ctisvr.txt", "ctisvr.txt"].iter().map(|p| LogFile::new(*p, 0)).collect();
        let d = display_paths(&files, &[1, 1, 1, 2, 3]);
        assert_eq!(d, vec!["pg2a/ctisvr.txt", "pg2b/ctisvr.txt", "rtr.txt", "ctisvr.txt (load 2)", "ctisvr.txt (load 3)"]);
    }

    #[test]
    fn the_flow_list_says_what_each_flow_came_to() {
        let mut e = demo();
        let list = FlowList::from_answer(e.handle(Request::FlowList { query: FlowQuery::default(), start: 0, count: 50 })).unwrap_or_default();
        assert!(list.total >= 2, "{list:?}");
        let titles: HashSet<&str> = list.rows.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles.len(), list.rows.len(), "titles tell flows apart: {titles:?}");
        assert!(list.rows.iter().all(|r| r.summary.start_ms.is_some() && r.summary.duration_ms.is_some()));
        let refused = list.rows.iter().find(|r| r.summary.first_error.contains("no agent available"));
        assert!(refused.is_some_and(|r| r.summary.outcome == crate::answers::Outcome::Failed && r.summary.errors >= 1), "{list:?}");
        // Each row sent holds its whole summary, read only for the rows sent while the list is
        // in its opening order; a sort by errors reads every flow's.
        for r in &list.rows {
            assert_eq!(r.summary, flow_summary::summarise(&e.session.flows[r.index], &e.session), "flow {}", r.index);
        }
        let mut fresh = demo();
        let one = FlowList::from_answer(fresh.handle(Request::FlowList { query: FlowQuery::default(), start: 1, count: 1 })).unwrap_or_default();
        assert_eq!(one.rows.len(), 1);
        assert_eq!(fresh.summarised.iter().filter(|d| **d).count(), 1, "only the row sent was summarised");
        assert_eq!(one.rows[0].summary, flow_summary::summarise(&fresh.session.flows[one.rows[0].index], &fresh.session));
        let by_errors = FlowQuery { sort: FlowSort::Errors, descending: true, ..Default::default() };
        let top = FlowList::from_answer(fresh.handle(Request::FlowList { query: by_errors, start: 0, count: 1 })).unwrap_or_default();
        assert!(fresh.summarised.iter().all(|d| *d));
        let most = fresh.session.flows.iter().map(|f| flow_summary::summarise(f, &fresh.session).errors).max();
        assert_eq!(top.rows.first().map(|r| r.summary.errors), most);
        // A filter by a word of titles reads no summary beyond the rows sent; a word of outcomes
        // ("failed") reads them, and finds the failed flows.
        let mut lazy = demo();
        let key_word = lazy.session.flows[0].key.split(|c: char| !c.is_ascii_alphanumeric()).max_by_key(|w| w.len()).unwrap_or_default().to_string();
        let by_key = FlowQuery { text: key_word.clone(), ..Default::default() };
        let keyed = FlowList::from_answer(lazy.handle(Request::FlowList { query: by_key, start: 0, count: 1 })).unwrap_or_default();
        assert!(keyed.total >= 1, "{key_word}");
        assert!(lazy.summarised.iter().filter(|d| **d).count() <= 1, "{key_word}: summaries read for a title word");
        let failed =
            FlowList::from_answer(lazy.handle(Request::FlowList { query: FlowQuery { text: "failed".into(), ..Default::default() }, start: 0, count: 2000 }))
                .unwrap_or_default();
        let want: Vec<usize> = (0..lazy.session.flows.len())
            .filter(|&i| {
                let f = &lazy.session.flows[i];
                let sm = flow_summary::summarise(f, &lazy.session);
                sm.outcome == crate::answers::Outcome::Failed
                    || f.steps.labelled().any(|(_, l)| l.to_lowercase().contains("failed"))
                    || f.key.to_lowercase().contains("failed")
            })
            .collect();
        let mut got: Vec<usize> = failed.rows.iter().map(|r| r.index).collect();
        got.sort_unstable();
        assert!(!want.is_empty());
        assert_eq!(got, want);
        // Errors first, and search.
        let q = FlowQuery { errors_first: true, ..Default::default() };
        let first = FlowList::from_answer(e.handle(Request::FlowList { query: q, start: 0, count: 1 })).unwrap_or_default();
        assert!(first.rows[0].summary.errors > 0);
        assert_eq!(search_terms("task \"no agent\" 3107"), vec!["task", "no agent", "3107"]);
        let q = FlowQuery { text: "\"no agent available\"".into(), ..Default::default() };
        let found = FlowList::from_answer(e.handle(Request::FlowList { query: q.clone(), start: 0, count: 10 })).unwrap_or_default();
        assert!(found.total >= 1 && found.total < list.total);
        // A word only a message's label holds finds its flow, in any case; the list follows the
        // filter as it changes and pages the same matches.
        let last = e.session.flows.len() - 1;
        let label = e.session.flows[last].steps.labelled().map(|(_, l)| l.into_owned()).last().unwrap_or_default();
        let word = label.split(|c: char| !c.is_ascii_alphanumeric()).max_by_key(|w| w.len()).unwrap_or_default().to_uppercase();
        assert!(word.len() >= 4, "{label}");
        let by_label = FlowQuery { text: word.clone(), ..Default::default() };
        let hits = FlowList::from_answer(e.handle(Request::FlowList { query: by_label, start: 0, count: 2000 })).unwrap_or_default();
        assert!(hits.rows.iter().any(|r| r.index == last), "{word}: {hits:?}");
        let nothing = FlowQuery { text: "zzqx-not-in-any-flow".into(), ..Default::default() };
        assert_eq!(FlowList::from_answer(e.handle(Request::FlowList { query: nothing, start: 0, count: 10 })).unwrap_or_default().total, 0);
        let again = FlowList::from_answer(e.handle(Request::FlowList { query: q.clone(), start: 0, count: 10 })).unwrap_or_default();
        assert_eq!(again.total, found.total);
        if found.total > 1 {
            let second = FlowList::from_answer(e.handle(Request::FlowList { query: q, start: 1, count: 10 })).unwrap_or_default();
            assert_eq!(second.rows.first().map(|r| r.index), found.rows.get(1).map(|r| r.index));
        }
    }

    #[test]
    fn a_flow_comes_in_time_order_with_its_failures_marked() {
        let mut e = demo();
        let mut failures = 0;
        for i in 0..e.session.flows.len() {
            let f = FlowDetail::from_answer(e.handle(Request::Flow { index: i })).unwrap_or_default();
            let utc: Vec<i64> = f.steps.iter().filter_map(|s| s.utc_ms).collect();
            assert!(utc.windows(2).all(|w| w[0] <= w[1]), "time order: {utc:?}");
            for s in &f.steps {
                if s.label.contains("responseType 1") || s.label.contains("LOGOUT reason 255") || s.label.starts_with("unable to route") {
                    assert!(s.failure, "{}", s.label);
                }
                if s.label.contains("responseType 0") || s.label.contains("returned 202") {
                    assert!(!s.failure, "{}", s.label);
                }
                failures += s.failure as usize;
            }
            if f.steps.iter().any(|s| s.label.starts_with("PRESENCE DRIVEN LOGOUT")) {
                assert_eq!(f.summary.end, crate::answers::EndKind::LoggedOut, "{}", f.title);
            }
        }
        assert!(failures >= 3);
    }

    #[test]
    fn findings_are_grouped_with_file_line_evidence_and_their_flow() {
        let mut e = corpus("002-finesse-bosh");
        let groups: Vec<FindingGroup> = FromAnswer::from_answer(e.handle(Request::Findings)).unwrap_or_default();
        let codes: HashSet<&str> = groups.iter().map(|g| g.code.as_str()).collect();
        assert_eq!(codes.len(), groups.len(), "one card per code");
        let logout = groups.iter().find(|g| g.code == "presence-driven-logout").expect("the logout finding");
        let item = &logout.items[0];
        assert!(item.evidence.iter().all(|ev| ev.loc.contains(".log:") || ev.loc.contains(".txt:")), "{item:?}");
        let locs: HashSet<&str> = item.evidence.iter().map(|e| e.loc.as_str()).collect();
        assert_eq!(locs.len(), item.evidence.len(), "no repeated evidence");
        assert!(item.flow.is_some(), "the notification session holds the evidence");
        assert!(groups.iter().flat_map(|g| &g.items).all(|i| !i.summary.contains("(seed")), "no internal wording");
    }

    /// The states come with their first timelines, how many there are and how many changes have
    /// no UTC time; the others, asked for by window, follow them.
    #[test]
    fn state_timelines_page_by_row() {
        let e = corpus("002-finesse-bosh");
        let all = e.state_rows(0, usize::MAX);
        assert!(all.total >= 3, "{} timelines", all.total);
        assert_eq!(all.timelines.len(), all.total);
        let first = e.states(2);
        assert_eq!((first.total, first.timelines.as_slice()), (all.total, &all.timelines[..2]));
        let unplaced = all.timelines.iter().flat_map(|t| &t.changes).filter(|c| c.utc_ms.is_none()).count();
        assert_eq!(first.unplaced, unplaced);
        let rest = e.state_rows(2, 1);
        assert_eq!((rest.start, rest.total, rest.timelines.as_slice()), (2, all.total, &all.timelines[2..3]));
        assert!(e.state_rows(all.total, 5).timelines.is_empty());
    }

    /// The findings come with each code's first findings; the others, asked for a page at a time,
    /// follow them in the same order, and the groups list every flow their findings point at.
    #[test]
    fn findings_page_by_code() {
        let mut paged = 0;
        for dir in ["002-finesse-bosh", "003-cce-task-routing", "004-uccx-facebook-chat"] {
            let e = corpus(dir);
            let whole = e.findings(usize::MAX);
            let first = e.findings(1);
            assert_eq!(whole.len(), first.len());
            for (w, f) in whole.iter().zip(&first) {
                assert_eq!((&w.code, w.count, w.items_total, &w.flows), (&f.code, f.count, f.items_total, &f.flows));
                assert_eq!(w.items.len(), w.items_total);
                assert_eq!(f.items.len(), 1.min(w.items_total));
                let mut items = f.items.clone();
                while items.len() < w.items_total {
                    let Answer::FindingItems(page) = e.finding_items(&f.code, items.len(), 1) else { panic!("a page") };
                    assert_eq!((page.start, page.total), (items.len(), w.items_total));
                    assert_eq!(page.items.len(), 1);
                    items.extend(page.items);
                }
                assert_eq!(items, w.items, "{dir} {}", w.code);
                paged += usize::from(w.items_total > 1);
                let flows: Vec<(usize, String)> = w.items.iter().filter_map(|i| i.flow.clone()).fold(Vec::new(), |mut v, f| {
                    if !v.contains(&f) {
                        v.push(f);
                    }
                    v
                });
                assert_eq!(w.flows, flows);
                let Answer::FindingItems(past) = e.finding_items(&f.code, w.items_total, 10) else { panic!("a page") };
                assert!(past.items.is_empty());
            }
        }
        assert!(paged >= 2, "codes with more than one finding: {paged}");
    }

    #[test]
    fn an_adhoc_flow_holds_every_record_the_id_filter_lists() {
        let mut e = corpus("001-finesse-login");
        let listed = rows(&mut e, Filter { id: "2003".into(), ..Default::default() }).total;
        assert!(listed > 0);
        let a = crate::answers::Adhoc::from_answer(e.handle(Request::AdhocFlow { id: "2003".into() }));
        assert!(a.as_ref().is_ok_and(|a| a.records >= listed), "{a:?} vs {listed}");
        assert!(crate::answers::Adhoc::from_answer(e.handle(Request::AdhocFlow { id: "no-such-id-here".into() })).is_err());
    }

    #[test]
    fn a_source_whose_clock_runs_back_is_marked() {
        let states = ["NOT_READY", "NOT_ACTIVE", "RESERVED", "ACTIVE"];
        let text: String = (0..12)
            .map(|i| {
                let sec = if i < 6 { 185 + i } else { 125 + i };
                format!(
                    "13:0{}:{:02}:000 cg1A-ctisvr Trace: AGENT_EVENT: ID=6420 Periph=5000 Ext=6420 St={} MRDID=5000 NumTasks=0\n",
                    sec / 60,
                    sec % 60,
                    states[i % 4]
                )
            })
            .collect();
        let mut e = Engine::new();
        let mut f = LogFile::new("ctisvr.txt", text.len() as u64);
        f.line_starts = crate::formats::engine::line_starts(&text);
        f.text = text;
        e.session.add_file(f);
        e.refresh();
        let a = crate::answers::Adhoc::from_answer(e.handle(Request::AdhocFlow { id: "6420".into() })).map(|a| a.index);
        let flow = FlowDetail::from_answer(e.handle(Request::Flow { index: a.unwrap_or(usize::MAX) })).unwrap_or_default();
        assert_eq!(flow.steps.len(), 12);
        let back: Vec<Option<i64>> = flow.steps.iter().map(|s| s.back_ms).collect();
        assert_eq!(back.iter().filter(|b| b.is_some()).count(), 6, "the six lines written after the clock went back: {back:?}");
        assert!(back.iter().flatten().all(|&ms| (50_000..=65_000).contains(&ms)), "{back:?}");
    }

    #[test]
    fn hidden_severities_are_normalised() {
        let mut e = corpus("003-cce-task-routing");
        let s = Summary::from_answer(e.handle(Request::Summary)).unwrap_or_default();
        assert!(s.severities.keys().all(|k| ["error", "warning", "info", "debug", "trace"].contains(&k.as_str())), "{:?}", s.severities);
        let all = rows(&mut e, Filter::default()).total;
        let hide = Filter { hide_severities: vec!["trace".into()], ..Default::default() };
        let trace = s.severities.get("trace").copied().unwrap_or(0);
        assert_eq!(rows(&mut e, hide).total, all - trace);
    }

    #[test]
    fn bookmarks_resolve_report_and_session_round_trip() {
        use crate::annotations::{Annotations, Bookmark, FlowRef};
        let mut e = demo();
        // A record bookmark from a row, a step bookmark from a flow's step.
        let row = rows(&mut e, Filter::default()).rows.into_iter().nth(3).unwrap_or_default();
        let flow = (0..e.session.flows.len())
            .filter_map(|i| FlowDetail::from_answer(e.handle(Request::Flow { index: i })).ok())
            .find(|f| f.steps.len() > 2)
            .unwrap_or_default();
        let st = flow.steps.get(1).cloned().unwrap_or_default();
        let path = |i: u32| e.session.files.get(i as usize).map(|f| f.path.clone()).unwrap_or_default();
        let a = Annotations {
            title: "Demo case".into(),
            bookmarks: vec![
                Bookmark { file: path(row.file), line: row.line, flow: None, note: "row note".into() },
                Bookmark {
                    file: path(st.file.unwrap_or(0)),
                    line: st.line,
                    flow: Some(FlowRef { kind: flow.kind.clone(), key: flow.key.to_string() }),
                    note: "step note".into(),
                },
            ],
            ..Default::default()
        };
        let marks: Vec<crate::answers::MarkView> = FromAnswer::from_answer(e.handle(Request::Marks { annotations: a.clone() })).unwrap_or_default();
        assert_eq!(marks.len(), 2);
        assert_eq!(marks[0].pos, Some(row.pos), "the row bookmark finds its row");
        assert_eq!(marks[1].flow.as_ref().map(|f| f.0), Some(flow.index), "the step bookmark finds its flow");
        assert_eq!(marks[1].step, Some(1), "and its step, in the diagram's order");
        // The report draws the chosen flow and lists the notes.
        let rep = crate::answers::CaseReport::from_answer(e.handle(Request::Report {
            annotations: a.clone(),
            flows: vec![flow.index],
            sanitize: true,
            personal: true,
            key: "00112233445566778899aabbccddeeff".into(),
            generated: "now".into(),
        }))
        .unwrap_or_default();
        assert!(rep.html.contains("<svg") && rep.html.contains("row note") && rep.html.contains("step note"), "{}", rep.html.len());
        assert!(rep.masked.is_some());
        // The session file holds the annotations and opens again.
        let saved = e.handle(Request::SaveSession { annotations: a.clone() });
        assert!(matches!(saved, Answer::SessionSaved { files, .. } if files == e.session.files.len()));
        let bytes = e.session_file(&a).unwrap_or_default();
        let opened = crate::workspace::open("case.switchboard", &bytes).map(|o| o.manifest.annotations);
        assert_eq!(opened, Ok(a));
    }
}
