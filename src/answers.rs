//! The typed messages between the page and its worker (Perfetto's typed RPC, in serde).
//!
//! The page sends a [`crate::query::Request`] and gets back an [`Answer`]; the worker also posts
//! [`WorkerMsg`] events on its own (progress, a file parsed, the timeline indexed, the analysis
//! done). Both sides serialise and read these same structs, so a field renamed on one side is a
//! compile error on the other instead of a `.get("…")` that silently reads nothing. No browser
//! types here: the engine that produces them is tested natively.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A query from the page: the worker answers with `WorkerMsg::Reply` of the same id.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Query {
    pub id: u64,
    pub req: crate::query::Request,
}

/// Everything the worker posts to the page, tagged by `t`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "kebab-case")]
pub enum WorkerMsg {
    /// The answer to the query the page sent with this id.
    Reply {
        id: u64,
        body: Answer,
    },
    /// The engine is running (its wasm started).
    Ready,
    /// The warm-up is done (the parsers were compiled by the browser's optimising tier).
    Warm {
        seconds: f64,
        wasm_memory: f64,
    },
    Progress(Progress),
    /// A big file is being parsed.
    Parsing {
        path: String,
        bytes: u64,
    },
    /// A file finished (its row can be shown).
    File {
        path: String,
        status: String,
    },
    /// The timeline is ready; the analysis (flows, findings, states) follows.
    Indexed {
        cancelled: bool,
        seconds: f64,
        wasm_memory: f64,
        expanded: u64,
        summary: Box<Summary>,
    },
    /// Analysis progress: records decoded so far, then correlating.
    Analysing {
        done: u64,
        total: u64,
        correlating: bool,
        seconds: f64,
        wasm_memory: f64,
    },
    /// The load is over (analysed, skipped or cancelled).
    Loaded(Box<LoadReport>),
    /// A session file was opened: its bookmarks, notes and named filters (sent before `Indexed`).
    Restored {
        annotations: crate::annotations::Annotations,
    },
    ExportError {
        message: String,
    },
    /// The engine hit a bug (a panic): the worker dies right after this message.
    Panic {
        message: String,
    },
    /// An allocation failed: the worker dies right after this message.
    OutOfMemory {
        wanted: f64,
        wasm_memory: f64,
    },
}

/// Load progress (phase 1: reading, unzipping, parsing).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub inputs_done: u64,
    pub inputs_total: u64,
    pub files_done: u64,
    pub expanded: u64,
    pub mbps: f64,
    pub current: String,
    pub wasm_memory: f64,
}

/// What a finished load says about itself (the load note and the benchmark read it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadReport {
    pub cancelled: bool,
    pub analysed: bool,
    /// Why the analysis was not run, when it was not.
    pub analysis_skipped: Option<String>,
    pub seconds: f64,
    pub index_seconds: f64,
    pub parse_seconds: f64,
    pub ingest_seconds: f64,
    pub order_seconds: f64,
    pub index_wasm_memory: f64,
    pub parsed_wasm_memory: f64,
    pub ordered_wasm_memory: f64,
    pub start_wasm_memory: f64,
    pub wasm_memory: f64,
    /// The most bytes the worker ever had allocated at once (wasm memory less this is what the
    /// allocator could not reuse).
    #[serde(default)]
    pub heap_peak: f64,
    /// Seconds from the start of the analysis until every record was decoded (the rest of it
    /// is correlation: flows, findings, states).
    #[serde(default)]
    pub decode_seconds: f64,
    /// Helper workers given a range of the records to decode (0: the engine decoded alone),
    /// and how many records their answers held (a helper that failed leaves its range to the
    /// engine).
    #[serde(default)]
    pub helpers: u32,
    #[serde(default)]
    pub helper_records: u64,
    /// Why a helper's range was decoded by the engine after all (the first such reason).
    #[serde(default)]
    pub helper_failed: Option<String>,
    /// The helpers' wasm memory when they finished their ranges, added up: what the tab held
    /// beside the engine's while the records were decoded (the page ends those helpers after).
    #[serde(default)]
    pub helper_wasm_memory: f64,
    /// The longest a helper took from receiving its range to its last answer, and how long the
    /// engine waited for answers with nothing of its own to decode (the bench tunes the ranges
    /// by these).
    #[serde(default)]
    pub helper_seconds: f64,
    #[serde(default)]
    pub helper_wait_seconds: f64,
    pub expanded: u64,
    pub summary: Summary,
}

/// The answer to one request.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "a", content = "v", rename_all = "snake_case")]
pub enum Answer {
    Summary(Box<Summary>),
    Rows(Rows),
    Record(Box<RecordDetail>),
    Histogram(Histogram),
    Found(Found),
    FlowList(FlowList),
    Flow(Box<FlowDetail>),
    Findings(Vec<FindingGroup>),
    FindingItems(FindingItems),
    States(States),
    StateRows(StateRows),
    ExportPreview(ExportPreview),
    /// The formats a file can be read as, best first (every format, the ones that score first).
    FormatChoices {
        file: u32,
        choices: Vec<FormatChoice>,
    },
    /// Where each bookmark is now (same order as the annotations sent).
    Marks(Vec<MarkView>),
    /// The case report, made in the worker.
    Report(Box<CaseReport>),
    /// A session file was written (its bytes went to the page as a download).
    SessionSaved {
        bytes: u64,
        files: usize,
    },
    /// An ad-hoc flow was added at this index.
    Adhoc {
        index: usize,
        records: usize,
        capped: bool,
    },
    /// A window of the HAR waterfall's rows.
    Waterfall(Waterfall),
    Done,
    Error {
        message: String,
    },
}

/// Turns an answer into the one type a request expects (or the error it carried).
pub trait FromAnswer: Sized {
    fn from_answer(a: Answer) -> Result<Self, String>;
}

macro_rules! from_answer {
    ($t:ty, $v:ident) => {
        impl FromAnswer for $t {
            fn from_answer(a: Answer) -> Result<Self, String> {
                match a {
                    Answer::$v(x) => Ok(x.into()),
                    Answer::Error { message } => Err(message),
                    other => Err(format!("unexpected answer: {}", other.name())),
                }
            }
        }
    };
}

from_answer!(Summary, Summary);
from_answer!(Rows, Rows);
from_answer!(Waterfall, Waterfall);
from_answer!(RecordDetail, Record);
from_answer!(Histogram, Histogram);
from_answer!(Found, Found);
from_answer!(FlowList, FlowList);
from_answer!(FlowDetail, Flow);
from_answer!(Vec<FindingGroup>, Findings);
from_answer!(FindingItems, FindingItems);
from_answer!(States, States);
from_answer!(StateRows, StateRows);
from_answer!(ExportPreview, ExportPreview);
from_answer!(Vec<MarkView>, Marks);
from_answer!(CaseReport, Report);

impl From<Box<Summary>> for Summary {
    fn from(b: Box<Summary>) -> Self {
        *b
    }
}
impl From<Box<RecordDetail>> for RecordDetail {
    fn from(b: Box<RecordDetail>) -> Self {
        *b
    }
}
impl From<Box<CaseReport>> for CaseReport {
    fn from(b: Box<CaseReport>) -> Self {
        *b
    }
}
impl From<Box<FlowDetail>> for FlowDetail {
    fn from(b: Box<FlowDetail>) -> Self {
        *b
    }
}

/// The result of an ad-hoc flow request.
#[derive(Clone, Debug, PartialEq)]
pub struct Adhoc {
    pub index: usize,
    pub records: usize,
    pub capped: bool,
}

impl FromAnswer for Adhoc {
    fn from_answer(a: Answer) -> Result<Self, String> {
        match a {
            Answer::Adhoc { index, records, capped } => Ok(Adhoc { index, records, capped }),
            Answer::Error { message } => Err(message),
            other => Err(format!("unexpected answer: {}", other.name())),
        }
    }
}

/// The formats the page offers for one file.
#[derive(Clone, Debug, PartialEq)]
pub struct FormatChoices {
    pub file: u32,
    pub choices: Vec<FormatChoice>,
}

impl FromAnswer for FormatChoices {
    fn from_answer(a: Answer) -> Result<Self, String> {
        match a {
            Answer::FormatChoices { file, choices } => Ok(FormatChoices { file, choices }),
            Answer::Error { message } => Err(message),
            other => Err(format!("unexpected answer: {}", other.name())),
        }
    }
}

/// What saving a session wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionSaved {
    pub bytes: u64,
    pub files: usize,
}

impl FromAnswer for SessionSaved {
    fn from_answer(a: Answer) -> Result<Self, String> {
        match a {
            Answer::SessionSaved { bytes, files } => Ok(SessionSaved { bytes, files }),
            Answer::Error { message } => Err(message),
            other => Err(format!("unexpected answer: {}", other.name())),
        }
    }
}

impl FromAnswer for () {
    fn from_answer(a: Answer) -> Result<Self, String> {
        match a {
            Answer::Error { message } => Err(message),
            _ => Ok(()),
        }
    }
}

impl Answer {
    pub fn error(message: impl Into<String>) -> Self {
        Answer::Error { message: message.into() }
    }

    fn name(&self) -> &'static str {
        match self {
            Answer::Summary(_) => "summary",
            Answer::Rows(_) => "rows",
            Answer::Record(_) => "record",
            Answer::Histogram(_) => "histogram",
            Answer::Found(_) => "found",
            Answer::FlowList(_) => "flow list",
            Answer::Flow(_) => "flow",
            Answer::Findings(_) => "findings",
            Answer::FindingItems(_) => "finding items",
            Answer::States(_) => "states",
            Answer::StateRows(_) => "state rows",
            Answer::ExportPreview(_) => "export preview",
            Answer::Marks(_) => "marks",
            Answer::Report(_) => "report",
            Answer::SessionSaved { .. } => "session saved",
            Answer::Adhoc { .. } => "adhoc",
            Answer::Waterfall(_) => "waterfall",
            Answer::FormatChoices { .. } => "format choices",
            Answer::Done => "done",
            Answer::Error { .. } => "error",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Files and the summary

/// A file's load status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileState {
    #[default]
    Loaded,
    Skipped,
    Failed,
}

impl FileState {
    pub fn as_str(self) -> &'static str {
        match self {
            FileState::Loaded => "loaded",
            FileState::Skipped => "skipped",
            FileState::Failed => "failed",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProblemView {
    pub code: String,
    pub message: String,
}

/// A file's clock as the clock editor shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClockView {
    pub date: Option<(i32, u32, u32)>,
    pub utc_offset_min: Option<i32>,
    pub skew_ms: i64,
    /// Where the zone and date come from ("zone from file name", "set by you").
    pub source: String,
}

/// One row of the file table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileRow {
    pub index: u32,
    /// The path as loaded (folders inside a dropped folder, `outer.zip!/inner/path`).
    pub path: String,
    /// The shortest end of the path that tells this file apart from every other loaded file
    /// ("pg2a/ctisvr.txt"), with the load it came in when two paths are the same.
    pub display: String,
    /// Which load (drop, pick, demo) brought the file, from 1.
    pub load: u32,
    pub format: String,
    pub size: u64,
    pub encoding: String,
    pub status: FileState,
    pub records: usize,
    pub problems: Vec<ProblemView>,
    pub clock: ClockView,
    /// Some of the file's times have no date or zone to place them in UTC.
    pub needs_clock: bool,
    /// Some of the file's times are written without a zone or date (the clock applies to it).
    pub uses_clock: bool,
    /// Some of the file's records carry a time at all.
    pub timed: bool,
    /// How well the file was read (shares of lines read by its family, timed, named; why not).
    /// Absent in the rows sent while a load runs.
    #[serde(default)]
    pub coverage: Option<crate::session::Coverage>,
    /// Detection's score (0..=100; below 60 the format is a guess the page offers to change).
    #[serde(default)]
    pub confidence: u8,
    /// The user chose the format.
    #[serde(default)]
    pub format_chosen: bool,
    /// What wrapped the lines and was taken off (grep prefixes, syslog headers, ANSI, HTML).
    #[serde(default)]
    pub wrappers: Vec<String>,
}

/// A format the page offers for a file, with how well it reads the file's first lines.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormatChoice {
    pub name: String,
    /// Detection's score (0..=100).
    pub score: u8,
}

/// Files, counts and facets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub files: Vec<FileRow>,
    pub records: usize,
    /// Facet values with their record counts. Severities are normalised (error, warning, info,
    /// debug, trace), whatever the log wrote ("6", "Trace", "INFO").
    pub components: BTreeMap<String, usize>,
    pub severities: BTreeMap<String, usize>,
    pub names: BTreeMap<String, usize>,
    pub flows: usize,
    pub findings: usize,
    /// Distinct finding codes.
    pub finding_groups: usize,
    pub states: usize,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Sent while a load runs: only the file rows are filled.
    pub partial: bool,
}

// ---------------------------------------------------------------------------------------------
// The timeline

/// One row of the timeline.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Position in the whole timeline (what `Record` and `GotoPos` take).
    pub pos: usize,
    pub utc_ms: Option<i64>,
    /// The time as written in the log.
    pub time: String,
    /// Where the time's zone comes from, for the tooltip ("written with its zone",
    /// "UTC-0500: zone from neighbouring files", "not placed in UTC: zone unknown").
    pub zone: String,
    pub file: u32,
    /// The file's display path (see `FileRow::display`).
    pub source: String,
    pub format: String,
    pub component: String,
    /// Normalised severity (error, warning, info, debug, trace) and as written.
    pub severity: String,
    pub severity_raw: String,
    pub name: String,
    pub summary: String,
    pub lines: u32,
    pub notes: bool,
    /// The record's first line in its file (what a bookmark names).
    pub line: u32,
}

/// A window of the filtered timeline.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rows {
    pub total: usize,
    pub start: usize,
    pub rows: Vec<Row>,
}

/// A raw line around a record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContextLine {
    pub n: usize,
    pub text: String,
    /// The line belongs to the record.
    pub own: bool,
}

/// One record: its row, decoded fields and raw lines in context.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordDetail {
    pub row: Row,
    pub path: String,
    pub line: u32,
    pub line_end: u32,
    pub fields: Map<String, Value>,
    pub notes: Vec<String>,
    pub text: String,
    pub context: Vec<ContextLine>,
    pub clock: ClockView,
    /// Flows that hold this record (index, title).
    pub flows: Vec<(usize, String)>,
}

/// Record counts per time bucket over [from_ms, to_ms].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    pub buckets: Vec<u64>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

/// The next search match.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Found {
    /// Row (in the filtered view) of the match, if any.
    pub index: Option<usize>,
    pub wrapped: bool,
    /// Which match it is (from 1) and how many rows of the view match.
    pub nth: usize,
    pub matches: usize,
}

// ---------------------------------------------------------------------------------------------
// Flows

/// How a flow ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EndKind {
    Closed,
    LoggedOut,
    TimedOut,
    /// Still open at the end of the logs.
    #[default]
    Open,
}

impl EndKind {
    pub const fn text(self) -> &'static str {
        match self {
            EndKind::Closed => "closed",
            EndKind::LoggedOut => "logged out",
            EndKind::TimedOut => "timed out",
            EndKind::Open => "still open at the end of the logs",
        }
    }
}

/// What a flow came to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// A step failed (unable to route, LOGOUT reason 255, responseType 1, an HTTP error…).
    Failed,
    /// No end in the logs.
    Open,
    #[default]
    Ok,
}

impl Outcome {
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Failed => "failed",
            Outcome::Open => "open",
            Outcome::Ok => "ok",
        }
    }
}

/// A flow's start, length and result (see `correlate::summary`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FlowSummary {
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub duration_ms: Option<i64>,
    pub outcome: Outcome,
    /// Steps that are failures or errors.
    pub errors: usize,
    pub end: EndKind,
    /// The step that ends the flow (index into the flow's steps), and its label.
    pub end_step: Option<usize>,
    pub end_label: String,
    /// The first failure's label (what went wrong, in one line).
    pub first_error: String,
}

/// One row of the flow list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FlowRow {
    pub index: usize,
    pub kind: String,
    pub key: String,
    /// Tells this flow apart from every other: kind, key, and the start time when they repeat.
    pub title: String,
    pub participants: Vec<String>,
    pub steps: usize,
    pub summary: FlowSummary,
}

/// How the flow list is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowSort {
    #[default]
    Start,
    Kind,
    Title,
    Duration,
    Steps,
    Participants,
    Outcome,
    Errors,
}

/// Which flows the list shows, in which order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FlowQuery {
    /// Words that must all appear in the kind, key, title, participants or outcome.
    pub text: String,
    /// Only this kind ("" = all).
    pub kind: String,
    /// Only this outcome.
    pub outcome: Option<Outcome>,
    pub sort: FlowSort,
    pub descending: bool,
    /// Flows with errors first (then the sort).
    pub errors_first: bool,
}

/// A window of the flow list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FlowList {
    /// Flows that match the query, and all flows.
    pub total: usize,
    pub all: usize,
    pub start: usize,
    pub rows: Vec<FlowRow>,
    /// Flow kinds with their counts (for the kind filter).
    pub kinds: Vec<(String, usize)>,
}

/// One arrow of a diagram.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FlowStep {
    /// Index in the flow's own step list.
    pub index: usize,
    /// Timeline position of the record (None if it has none).
    pub pos: Option<usize>,
    pub utc_ms: Option<i64>,
    /// The time as written.
    pub time: String,
    pub from: String,
    pub to: String,
    pub label: String,
    pub name: String,
    /// The display path of the record's file.
    pub source: String,
    /// This step is a failure or an error.
    pub failure: bool,
    /// The record's source wrote an earlier line with a later time: by how much its clock ran
    /// backwards (ms).
    pub back_ms: Option<i64>,
    /// Request IDs (InvokeID, requestId, rid…) that pair this step with its response.
    pub pair: Vec<String>,
    /// A run of the same message folded into this step by the flow builder: how many, and the
    /// time of the last one.
    pub count: u32,
    pub last_utc_ms: Option<i64>,
    /// The last one's time as written (empty for a single message).
    #[serde(default)]
    pub last_time: String,
    /// The record's file (index) and first line: what a bookmark names.
    pub file: Option<u32>,
    pub line: u32,
}

/// One flow, steps in time order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FlowDetail {
    pub index: usize,
    pub kind: String,
    pub key: String,
    pub title: String,
    pub participants: Vec<String>,
    pub steps: Vec<FlowStep>,
    pub links: Vec<String>,
    pub files: Vec<String>,
    pub summary: FlowSummary,
    /// The last time in the logs (where an open flow is drawn to end).
    pub logs_end_ms: Option<i64>,
}

// ---------------------------------------------------------------------------------------------
// Findings, states, export

/// A finding's evidence record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub pos: usize,
    /// `display-path:line`.
    pub loc: String,
    pub name: String,
}

/// A clock the page can offer to apply (from a finding).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub file_index: u32,
    pub file: String,
    pub utc_offset_min: Option<i32>,
    pub skew_ms: i64,
    pub date: Option<(i32, u32, u32)>,
}

/// One finding.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FindingItem {
    pub summary: String,
    /// How many occurrences it stands for.
    pub count: usize,
    pub evidence: Vec<Evidence>,
    /// The flow this finding is about (index, title), when one holds its evidence.
    pub flow: Option<(usize, String)>,
    pub suggestion: Option<Suggestion>,
    pub utc_ms: Option<i64>,
}

/// Findings of one code: one card with a count.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FindingGroup {
    pub code: String,
    pub severity: String,
    /// What the code means, in one line; in a few sentences; what to check next (the catalogue).
    pub title: String,
    pub meaning: String,
    pub next: String,
    /// Occurrences over every finding of the code.
    pub count: usize,
    /// The first findings of the code (`query::FINDINGS_FIRST`; `Request::FindingItems` for the
    /// others).
    pub items: Vec<FindingItem>,
    /// How many findings of the code there are.
    #[serde(default)]
    pub items_total: usize,
    /// The flows (index, title) the findings of the code point at, each once, in their order, at
    /// most as many as a report draws (`report::case::MAX_FLOWS`).
    #[serde(default)]
    pub flows: Vec<(usize, String)>,
}

impl FindingGroup {
    /// How many findings of the code there are (`items_total`; at least those sent).
    pub fn findings(&self) -> usize {
        self.items_total.max(self.items.len())
    }
}

/// Findings `start..` of one code.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FindingItems {
    pub code: String,
    pub start: usize,
    /// Findings of the code.
    pub total: usize,
    pub items: Vec<FindingItem>,
}

/// A state change of one entity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StateChangeView {
    pub pos: Option<usize>,
    pub utc_ms: Option<i64>,
    pub state: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StateTimelineView {
    pub kind: String,
    pub key: String,
    pub changes: Vec<StateChangeView>,
}

/// The state timelines' legend (states in order of how often they occur), the logs' time span,
/// how many timelines there are and the first of them (`query::STATE_ROWS_FIRST`; the page asks
/// for the others as they scroll into view, `Request::StateRows`: a busy day has tens of
/// thousands).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct States {
    pub timelines: Vec<StateTimelineView>,
    pub states: Vec<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// State timelines in all.
    #[serde(default)]
    pub total: usize,
    /// Changes whose record has no UTC time (their file's clock lacks a zone or a date).
    #[serde(default)]
    pub unplaced: usize,
}

impl States {
    /// How many state timelines there are (`total`; at least those sent).
    pub fn count(&self) -> usize {
        self.total.max(self.timelines.len())
    }
}

/// State timelines `start..` in the order `States` counts them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StateRows {
    pub start: usize,
    pub total: usize,
    pub timelines: Vec<StateTimelineView>,
}

/// What the sanitized export would mask.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportPreview {
    pub files: usize,
    pub hits: usize,
    pub by_kind: BTreeMap<String, usize>,
    pub sample: Vec<HitView>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HitView {
    pub file: String,
    pub line: usize,
    pub kind: String,
    pub preview: String,
}

/// Where a bookmark is in what is loaded now.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MarkView {
    /// Index into the annotations' bookmarks.
    pub bookmark: usize,
    /// Timeline position of its record (None when that file or line is not loaded).
    pub pos: Option<usize>,
    /// The file's display path, the record's time and a one-line summary (for the panel).
    pub source: String,
    pub utc_ms: Option<i64>,
    pub summary: String,
    /// For a step bookmark: the flow (index, title) and the step's index in the flow's time order.
    pub flow: Option<(usize, String)>,
    pub step: Option<usize>,
}

/// The case report in both forms.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseReport {
    pub html: String,
    pub markdown: String,
    /// Values masked, when sanitized.
    pub masked: Option<usize>,
    /// Flows drawn.
    pub flows: usize,
}

/// Severity as the filters show it: `error`, `warning`, `info`, `debug` or `trace`, whatever the
/// log wrote (syslog numbers, `Trace`, `INFO`, `WARN`, `SEVERE`…); other words are kept lowercased.
pub fn normal_severity(raw: &str) -> String {
    let t = raw.trim();
    let lower = t.to_ascii_lowercase();
    let word = match lower.as_str() {
        "0" | "1" | "2" | "3" | "emerg" | "emergency" | "alert" | "crit" | "critical" | "err" | "error" | "severe" | "fatal" => "error",
        "4" | "warn" | "warning" => "warning",
        "5" | "6" | "notice" | "info" | "information" | "informational" => "info",
        "7" | "debug" | "fine" | "finer" | "config" => "debug",
        "trace" | "finest" | "verbose" => "trace",
        "" => "",
        other => return other.to_string(),
    };
    word.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_are_normalised() {
        for (raw, want) in [("6", "info"), ("Trace", "trace"), ("INFO", "info"), ("3", "error"), ("WARN", "warning"), ("SEVERE", "error"), ("odd", "odd")] {
            assert_eq!(normal_severity(raw), want, "{raw}");
        }
    }

    #[test]
    fn answers_round_trip_through_json() {
        let a = Answer::Rows(Rows { total: 3, start: 1, rows: vec![Row { pos: 1, name: "X".into(), ..Default::default() }] });
        let s = serde_json::to_string(&WorkerMsg::Reply { id: 7, body: a }).unwrap_or_default();
        let back: WorkerMsg = serde_json::from_str(&s).unwrap_or(WorkerMsg::Ready);
        let WorkerMsg::Reply { id, body } = back else { panic!("a reply: {s}") };
        assert_eq!(id, 7);
        assert_eq!(Rows::from_answer(body).map(|r| r.rows[0].name.clone()), Ok("X".to_string()));
        assert_eq!(Rows::from_answer(Answer::error("bad")), Err("bad".to_string()));
    }
}

// ---------------------------------------------------------------------------------------------
// The HAR waterfall

/// A WebSocket frame drawn as a tick on its socket's row.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WfTick {
    /// Timeline position of the frame's record.
    pub pos: usize,
    pub at_ms: i64,
    /// send, receive or error (as the HAR writes it).
    pub dir: String,
    /// A short label (the decoded frame's name), empty past the first few of a row.
    pub label: String,
}

/// One row of the waterfall: an HTTP entry (a WebSocket's entry carries its frames as ticks).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WfRow {
    /// The row's index in the whole waterfall.
    pub index: usize,
    /// Timeline position of the entry's record (what `Record` takes), None for frames whose entry
    /// is not in the capture.
    pub pos: Option<usize>,
    pub start_ms: i64,
    /// The entry's time; a socket's runs to its last frame.
    pub duration_ms: i64,
    /// `entry` or `socket`.
    pub kind: String,
    pub method: String,
    pub host: String,
    /// The URL's path (query cut, at most 200 characters).
    pub path: String,
    /// The whole URL (at most 2000 characters), for the tooltip.
    pub url: String,
    /// HTTP status (0: blocked or failed, as Chrome writes it).
    pub status: i64,
    pub status_text: String,
    /// The HAR's display path.
    pub file: String,
    /// At least `Waterfall::slow_ms` and neither a long poll nor a socket.
    pub slow: bool,
    /// A BOSH long poll (`/http-bind`).
    pub long_poll: bool,
    pub ticks: Vec<WfTick>,
    /// Frames of this socket in the window (ticks may be a sample of them).
    pub frames: usize,
}

/// A window of the waterfall's rows, and the time axis they are drawn on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Waterfall {
    /// Rows overlapping the time window.
    pub total: usize,
    pub start: usize,
    /// The time axis (UTC epoch ms): the asked window, else the capture's span.
    pub from_ms: i64,
    pub to_ms: i64,
    /// Requests at least this long are marked slow.
    pub slow_ms: i64,
    pub rows: Vec<WfRow>,
}
