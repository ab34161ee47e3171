//! Correlation: IDs linked across sources, flows (named message sequences) and findings.
//!
//! The pipeline, one concern per file:
//! - [`ids`]: reads every record's identifiers once (InvokeID in decimal or hex, task key in all
//!   its written forms plus the router's day+callid prefix, SocialContactID also written as CED /
//!   ApplicationString2 / scId, BOSH sid, JID and agent IDs, Finesse requestId and nocache,
//!   chat-gateway session ID, Dialog IDs) and builds one `HashMap` from normalised ID → records,
//!   plus the agent aliases the logs themselves teach (peripheral agent ID ↔ ICM agent ID).
//! - [`participants`]: which lifeline a record belongs to ("CTI server", "Finesse webservices", …).
//! - [`flows`]: the shared flow builder (link reasons, ordering) and `adhoc_flow`.
//! - one file per flow kind. `Flow::kind` values are stable strings:
//!   - `agent-sign-in` ([`sign_in`]): desktop load → SystemInfo → BOSH up → GET User → PUT LOGIN →
//!     SetAgentStateReq → AGENT_EVENT / AGENT_STATE_EVENT → AgentStateEvent → XMPP publish →
//!     Notification service routing → the desktop receives the Update with the same requestId.
//!   - `notification-session` ([`bosh`]): a BOSH session's life (polls, "last active" growing, idle
//!     close, presence unavailable, PRESENCE DRIVEN LOGOUT, SetAgentStateReq LOGOUT 255,
//!     AgentStateEvent LOGOUT 255, update stored offline).
//!   - `ece-chat-availability` ([`ece`]): MEDIA_LOGIN_REQ/RESP and/or MAKE_AGENT_ROUTABLE/READY_IND
//!     from the ECE listener → CTI server → OPC state change → rttest → entry-point responseType.
//!   - `task-routing` ([`task`]): CCP contact created → NEW_TASK → NEW_CALL → router picks agent →
//!     DeviceTargetPreCall / RESERVED → CONNECT → DO_THIS_WITH_TASK → offer / start / end → handled.
//!   - `uccx-chat` ([`chat`]): chat-gateway session → INFO_WAIT → INFO_CLOSED → SocialContact
//!     → UCCX notified → MIVR queue / reserve → AGENT_WAIT (polls) → TALKING → RATING_WAIT → destroyed.
//!   - from a browser capture alone ([`har_flows`]): `ece-chat-availability` per entry point,
//!     `notification-session` per WebSocket, `agent-state-change` (a PUT and its Update), `dialog`
//!     (a Finesse Dialog's Updates); HAR BOSH exchanges join `bosh`'s sessions and HAR sign-in
//!     steps `sign_in`'s flows.
//!   - `adhoc`: every record linked to one ID value ([`adhoc_flow`]).
//! - [`clock`]: clock skew and zone inference from the same event logged on two sides.
//! - [`findings`]: what went wrong, the evidence and what to check next; [`findings_client`]: the
//!   ones a browser capture shows (blocked and slow requests, missing or late Updates, WebSocket
//!   ends and pings, BOSH poll gaps, entry points refusing chats, credentials in the capture).
//! - [`findings_server`]: findings read from server logs — sign-in failures, CTI failures named
//!   with their request and cause, unanswered requests and hex/decimal InvokeIDs, duplicated
//!   events, task timing and stuck reservations, date mismatches, personal data present, ECE
//!   availability over time.
//! - [`texts`]: a flow's link reasons in one text, file names in it written as short tokens.
//! - [`summary`]: what a flow came to (start, duration, failures, how it ended), for the page.
//!
//! Step ordering: by the flow kind's logical stage first, then by timeline position (UTC where known,
//! file order otherwise), so files without a zone or with a skewed clock do not scramble a flow.

use serde::Serialize;
use std::borrow::Cow;

pub mod bosh;
pub mod catalogue;
pub mod chat;
pub mod clock;
pub mod ece;
pub mod facts;
pub mod findings;
pub mod findings_client;
pub mod findings_server;
pub mod flows;
pub mod har_flows;
pub mod ids;
pub mod participants;
pub mod sign_in;
pub mod states;
pub mod summary;
pub mod task;
pub mod texts;

pub use flows::adhoc_flow;
pub use texts::{Text, Texts};

/// A flow: an ordered set of steps between participants, keyed by the IDs that link them.
#[derive(Clone, Debug, Serialize)]
pub struct Flow {
    /// Static words (`task-routing`, `adhoc`, …): a flow kind costs no allocation.
    pub kind: &'static str,
    pub key: Box<str>,
    /// Lifelines, in diagram order.
    pub participants: Participants,
    pub steps: Steps,
    /// Why the records were linked ("same InvokeID 80171 in listener.log L6 and ctisvr.txt L6").
    pub links: Texts,
    /// Paths of the files the steps come from, in first-step order (shared with the other flows
    /// that name them).
    pub files: Box<[std::sync::Arc<str>]>,
    /// Set when the flow was cut at `flows::MAX_FLOW_RECORDS` records: how many it shows of how
    /// many it would have had (narrow by time or by ID to see the rest).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncated: Option<Box<Truncated>>,
}

/// A flow's lifelines in diagram order, two bytes each (`participants::Lifeline`): a busy day
/// has a hundred thousand flows, and a list of `&str` cost each of them some eighty bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Participants(Box<[participants::Lifeline]>);

impl Participants {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'static str> + Clone + '_ {
        self.0.iter().map(|l| l.name())
    }

    /// The place of a lifeline by name.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.iter().position(|p| p == name)
    }

    pub fn join(&self, sep: &str) -> String {
        self.iter().collect::<Vec<_>>().join(sep)
    }
}

impl<S: AsRef<[&'static str]>> From<S> for Participants {
    fn from(names: S) -> Self {
        Participants(names.as_ref().iter().map(|n| participants::Lifeline::of(n)).collect())
    }
}

impl std::fmt::Debug for Participants {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Participants {
    fn serialize<Z: serde::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        s.collect_seq(self.iter())
    }
}

/// A flow cut short, and by how much.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Truncated {
    pub shown: usize,
    pub total: usize,
}

/// One arrow of a flow. Kept small (16 bytes): a day of logs holds hundreds of thousands of steps.
/// Its label is in its flow's `Steps` (`Steps::label`).
#[derive(Clone, Debug)]
pub struct Step {
    /// Index into `Session::records` (the report renumbers it to timeline order); `record()`.
    record: u32,
    /// Lifelines: the participants' names (two bytes each: see `participants::Lifeline`).
    pub from: participants::Lifeline,
    pub to: participants::Lifeline,
    /// A run of the same step repeated (polls, keep-alives, "last active" checks) is one step:
    /// how many times, and the record of the last one. 1 and no last record for a single step.
    pub count: u32,
    pub last_record: LastRecord,
}

/// A flow's steps, with their labels packed in one `Texts` (label `n` is step `n`'s).
#[derive(Clone, Debug, Default)]
pub struct Steps {
    list: Box<[Step]>,
    labels: Texts,
}

impl Steps {
    /// Step `n`'s label ("" past the end).
    pub fn label(&self, n: usize) -> Cow<'_, str> {
        self.labels.get(n).unwrap_or_default()
    }

    /// Each step with its label.
    pub fn labelled(&self) -> impl Iterator<Item = (&Step, Cow<'_, str>)> + '_ {
        self.list.iter().zip(self.labels.iter())
    }

    /// Bytes the labels take, packed.
    pub fn label_bytes(&self) -> usize {
        self.labels.packed_bytes()
    }
}

/// Steps being added, their labels in one text; `finish` packs them into `Steps`.
#[derive(Default)]
pub struct StepsBuilder {
    list: Vec<Step>,
    labels: String,
    ends: Vec<usize>,
}

impl StepsBuilder {
    pub fn with_capacity(steps: usize) -> Self {
        // Labels run to a few dozen bytes each.
        StepsBuilder { list: Vec::with_capacity(steps), labels: String::with_capacity(steps * 40), ends: Vec::with_capacity(steps) }
    }

    /// Adds a step (count 1); returns it, to fold a run into it.
    pub fn push(&mut self, record: usize, from: &'static str, to: &'static str, label: &str) -> &mut Step {
        self.labels.push_str(label);
        self.ends.push(self.labels.len());
        self.list.push(Step {
            // Records are counted in `u32` everywhere in the index.
            record: u32::try_from(record).unwrap_or(u32::MAX),
            from: participants::Lifeline::of(from),
            to: participants::Lifeline::of(to),
            count: 1,
            last_record: LastRecord::none(),
        });
        let last = self.list.len() - 1;
        &mut self.list[last]
    }

    /// The steps, their labels packed.
    pub fn finish(self) -> Steps {
        let labels = &self.labels;
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        let texts = starts.zip(self.ends.iter().copied()).map(|(a, b)| labels.get(a..b).unwrap_or(""));
        Steps { list: self.list.into_boxed_slice(), labels: Texts::pack(texts, &[], labels.len()) }
    }
}

impl std::ops::Deref for Steps {
    type Target = [Step];
    fn deref(&self) -> &[Step] {
        &self.list
    }
}

impl<'a> IntoIterator for &'a Steps {
    type Item = &'a Step;
    type IntoIter = std::slice::Iter<'a, Step>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

/// Written as the list of steps, each with its label (the JSON every step always had).
impl Serialize for Steps {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct StepJson<'a> {
            #[serde(serialize_with = "serialize_record")]
            record: u32,
            from: participants::Lifeline,
            to: participants::Lifeline,
            label: Cow<'a, str>,
            #[serde(skip_serializing_if = "is_one")]
            count: u32,
            #[serde(skip_serializing_if = "LastRecord::is_none", serialize_with = "LastRecord::serialize")]
            last_record: LastRecord,
        }
        s.collect_seq(self.labelled().map(|(st, label)| StepJson {
            record: st.record,
            from: st.from,
            to: st.to,
            label,
            count: st.count,
            last_record: st.last_record,
        }))
    }
}

fn serialize_record<S: serde::Serializer>(v: &u32, s: S) -> Result<S::Ok, S::Error> {
    (*v as usize).serialize(s)
}

/// The record of a folded step's last repetition: `Option<u32>` in four bytes (records are
/// counted in `u32` everywhere in the index), written to JSON as the record number or left out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LastRecord(u32);

impl LastRecord {
    const NONE: u32 = u32::MAX;

    pub fn some(record: usize) -> Self {
        LastRecord(u32::try_from(record).unwrap_or(Self::NONE - 1).min(Self::NONE - 1))
    }

    pub const fn none() -> Self {
        LastRecord(Self::NONE)
    }

    pub fn get(self) -> Option<usize> {
        (self.0 != Self::NONE).then_some(self.0 as usize)
    }

    pub fn is_none(&self) -> bool {
        self.0 == Self::NONE
    }

    fn serialize<S: serde::Serializer>(v: &LastRecord, s: S) -> Result<S::Ok, S::Error> {
        v.get().serialize(s)
    }
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

impl Step {
    /// Index into `Session::records`.
    pub fn record(&self) -> usize {
        self.record as usize
    }
}

/// Something that went wrong, with its evidence and what to check next.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// The catalogue's code and a severity word: static, as there are thousands of findings on a
    /// busy day.
    pub code: &'static str,
    pub severity: &'static str,
    /// Packed (`Text`): a busy day has tens of thousands of findings, most alike.
    pub summary: Text,
    pub records: Vec<usize>,
    /// A clock correction the page can offer to apply (clock-skew / zone-inferred findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Box<ClockSuggestion>>,
    /// How many times it happened (occurrences this finding stands for; the evidence lists at
    /// most `findings::MAX_EVIDENCE` of them).
    pub count: usize,
    /// The flow it is about (index into the session's flows), when one holds its evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow: Option<usize>,
    /// UTC of its first and last evidence record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_utc: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_utc: Option<i64>,
}

/// A proposed file clock: never applied automatically.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClockSuggestion {
    /// Index into `Session::files`.
    pub file_index: u32,
    pub file: String,
    /// Proposed zone, in minutes east of UTC (for files that log without a zone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utc_offset_min: Option<i32>,
    /// Proposed correction to add to the file's times, in milliseconds.
    pub skew_ms: i64,
    /// Date learnt from the other side, for files that log time of day only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<(i32, u32, u32)>,
}

impl Finding {
    /// A finding of a registered code (`catalogue`).
    pub fn new(code: &'static str, severity: &'static str, summary: String, mut records: Vec<usize>) -> Self {
        debug_assert!(catalogue::entry(code).is_some(), "finding code {code} is not in the catalogue");
        // Collected: no room to spare kept (thousands on a busy day).
        records.shrink_to_fit();
        Finding { code, severity, summary: summary.into(), records, suggestion: None, count: 1, flow: None, first_utc: None, last_utc: None }
    }

    /// The catalogue's title for this finding's code.
    pub fn title(&self) -> &'static str {
        catalogue::entry(self.code).map_or("", |e| e.title)
    }
}

/// The streaming analysis. Records are added one at a time as they are decoded (`add`): each
/// gives its IDs to the index and its correlation fields to the facts, and is dropped. Then the
/// index entries learn the names the decoders gave (`renames`) and `correlate` builds the flows,
/// findings and state timelines from the facts.
pub struct Pass {
    facts: facts::Facts,
    idx: ids::IdIndex,
    notes: std::collections::BTreeMap<u32, NoteTally>,
    renamed: Vec<Renamed>,
}

/// What the analysis keeps of one decoded record, read without the shared tables: records are
/// read on several threads natively and added in order (`Pass::add_prepared`).
pub struct Prepared {
    kept: facts::Kept,
    ids: Vec<ids::Id>,
    alias_source: bool,
    file: u32,
    /// The first of the decoder's notes, when it left any.
    first_note: Option<String>,
    /// The name, component or severity the decoder gave, when they differ from the index entry's.
    renamed: Option<Renamed>,
}

impl Prepared {
    /// `entry`: the record's index entry; `decoded`: the same record decoded; `text`: its raw text.
    pub fn of(entry: &crate::model::Record, decoded: &crate::model::Record, text: &str) -> Self {
        let kept = facts::Kept::of(decoded);
        let mut found = Vec::with_capacity(8);
        ids::ids_of(&facts::KeptRec { rec: decoded, kept: &kept }, text, &mut found);
        let renamed = (decoded.name != entry.name || decoded.component != entry.component || decoded.severity != entry.severity).then_some(Renamed {
            record: 0,
            name: decoded.name,
            component: decoded.component,
            severity: decoded.severity,
        });
        Prepared { kept, ids: found, alias_source: ids::is_alias_source(decoded), file: decoded.file, first_note: decoded.notes().first().cloned(), renamed }
    }

    /// Written for another worker (`share`): a helper decodes a range of records and the engine
    /// adds them. Labels go as text (each worker has its own label table). `file` is the
    /// engine's index of the record's file (the helper's session holds only some files).
    pub fn write(&self, file: u32, w: &mut crate::wire::Writer) {
        self.kept.write(w);
        w.len(self.ids.len());
        for (kind, value) in &self.ids {
            w.u8(*kind as u8);
            w.str(value);
        }
        w.u8(u8::from(self.alias_source));
        w.u32(file);
        w.opt_str(self.first_note.as_deref());
        match &self.renamed {
            Some(r) => {
                w.u8(1);
                for label in [r.name, r.component, r.severity] {
                    w.opt_str(label.map(|s| s.as_str()));
                }
            }
            None => w.u8(0),
        }
    }

    /// What `write` wrote; `None` when the bytes do not read as a prepared record.
    pub fn read(r: &mut crate::wire::Reader) -> Option<Self> {
        let kept = facts::Kept::read(r)?;
        let n = r.len(5)?;
        let mut found = Vec::with_capacity(n);
        for _ in 0..n {
            let kind = *crate::kinds::IdKind::ALL.get(usize::from(r.u8()?))?;
            found.push((kind, r.str()?.to_string()));
        }
        let alias_source = match r.u8()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        let file = r.u32()?;
        let first_note = r.opt_str()?.map(str::to_string);
        let renamed = match r.u8()? {
            0 => None,
            1 => {
                let mut label = || r.opt_str().map(crate::model::sym_of);
                Some(Renamed { record: 0, name: label()?, component: label()?, severity: label()? })
            }
            _ => return None,
        };
        Some(Prepared { kept, ids: found, alias_source, file, first_note, renamed })
    }
}

/// Records of a file whose payload could not be fully decoded.
#[derive(Clone, Debug, Default)]
pub struct NoteTally {
    pub records: Vec<usize>,
    pub count: usize,
    pub first_note: String,
}

/// A name, component or severity a decoder gave a record (an ARM dump's message type).
pub struct Renamed {
    pub record: u32,
    pub name: Option<crate::model::Sym>,
    pub component: Option<crate::model::Sym>,
    pub severity: Option<crate::model::Sym>,
}

/// An analysis' flows, each in its own box: lists of the flows themselves needed blocks of
/// megabytes while the facts were still held, which the wasm heap could only find by growing
/// (see `Pass::correlate`); a box is a small allocation that fills the heap's gaps.
pub type Flows = Vec<Box<Flow>>;

/// What an analysis found.
pub struct Outcome {
    pub flows: Flows,
    pub findings: Vec<Finding>,
    pub states: states::States,
    pub ids: ids::IdIndex,
}

impl Pass {
    pub fn new(records: usize) -> Self {
        Pass { facts: facts::Facts::with_records(records), idx: ids::IdIndex::with_records(records), notes: Default::default(), renamed: Vec::new() }
    }

    /// Records added so far (the next one to add is this index).
    pub fn done(&self) -> usize {
        self.facts.len()
    }

    /// Adds record `i` (the next one): its index entry, the same record decoded, its raw text.
    pub fn add(&mut self, i: usize, entry: &crate::model::Record, decoded: &crate::model::Record, text: &str) {
        self.add_prepared(i, Prepared::of(entry, decoded, text));
    }

    /// Adds record `i` (the next one), read before by `Prepared::of`.
    pub fn add_prepared(&mut self, i: usize, mut p: Prepared) {
        self.facts.add_kept(&p.kept);
        self.idx.add_ids(i, p.alias_source, &mut p.ids);
        if let Some(first) = p.first_note {
            let t = self.notes.entry(p.file).or_default();
            if t.count == 0 {
                t.first_note = first;
            }
            t.count += 1;
            if t.records.len() < findings::MAX_EVIDENCE {
                t.records.push(i);
            }
        }
        if let Some(mut r) = p.renamed {
            r.record = i as u32;
            self.renamed.push(r);
        }
    }

    /// The names, components and severities the decoders gave (apply them to the index entries
    /// before `correlate`).
    pub fn renames(&mut self) -> Vec<Renamed> {
        std::mem::take(&mut self.renamed)
    }

    /// Flows, findings and state timelines from the facts. The session's records must be the
    /// ones added, in the same order.
    pub fn correlate(mut self, session: &crate::session::Session) -> Outcome {
        use crate::bench::phases::mark;
        self.facts.shrink();
        self.idx.finish();
        self.idx.sort_by_position(&flows::positions(session));
        mark("index");
        let (flows, findings, states) = {
            let ctx = flows::Ctx::new(session, &self.facts, &self.idx);
            mark("ctx");
            // The flow kinds, the state timelines and the findings that read only records (mostly
            // the personal-data scan of every file's text) read only the facts and the records:
            // natively two threads take them in turn (`run_all`), so whichever parts are long for
            // a bundle run beside each other (sign-ins on one, the scan on a day of polls).
            let (sign_ins, alone) = (std::sync::OnceLock::new(), std::sync::OnceLock::new());
            let (bosh_out, ece_flows, task_flows, chat_flows, states) =
                (std::sync::OnceLock::new(), std::sync::OnceLock::new(), std::sync::OnceLock::new(), std::sync::OnceLock::new(), std::sync::OnceLock::new());
            run_all(vec![
                Box::new(|| drop(sign_ins.set(sign_in::flows(&ctx)))),
                Box::new(|| drop(alone.set(findings_server::Standalone::of(&ctx)))),
                Box::new(|| drop(bosh_out.set(bosh::flows(&ctx)))),
                Box::new(|| drop(task_flows.set(task::flows(&ctx)))),
                Box::new(|| drop(ece_flows.set(ece::flows(&ctx)))),
                Box::new(|| drop(chat_flows.set(chat::flows(&ctx)))),
                Box::new(|| drop(states.set(states::timelines(&ctx)))),
            ]);
            // Every part has run (a panic in one is passed on by `run_all`).
            let sign_ins = sign_ins.into_inner().unwrap_or_default();
            let alone = alone.into_inner().unwrap_or_default();
            let (mut other_flows, bosh_findings) = bosh_out.into_inner().unwrap_or_default();
            for part in [ece_flows, task_flows, chat_flows] {
                other_flows.extend(part.into_inner().unwrap_or_default());
            }
            let states = states.into_inner().unwrap_or_default();
            mark("flows+states");
            let browser = har_flows::Browser::collect(&ctx);
            let har = har_flows::flows(&ctx, &browser);
            // One list of exactly the flows (grown flow by flow, it could hold up to twice the
            // room); of boxes, so a few bytes a flow (`Flows`).
            let mut out: Flows = Vec::with_capacity(sign_ins.len() + other_flows.len() + har.len());
            out.extend(sign_ins);
            out.extend(other_flows);
            out.extend(har);
            mark("har");
            let from_records = findings::findings(&ctx, &out, &self.notes);
            mark("findings");
            let client = findings_client::findings(&ctx, &browser);
            let clocks = clock::findings(&ctx);
            mark("findings_client+clock");
            let server = findings_server::from_flows(&ctx, &out, &states, alone);
            // One list of exactly the findings: grown part by part it doubled to a block twice
            // their size at the top of the wasm heap.
            let parts = [from_records, client, bosh_findings, clocks, server];
            let mut found = Vec::with_capacity(parts.iter().map(Vec::len).sum());
            for part in parts {
                found.extend(part);
            }
            mark("findings_server");
            findings::place(&ctx, &out, &mut found);
            mark("place");
            (out, found, states)
        };
        Outcome { flows, findings, states, ids: self.idx }
    }
}

/// A part of the analysis run by `run_all`.
type Part<'a> = Box<dyn FnOnce() + Send + 'a>;

/// Runs `parts`: natively on two threads, each taking the next part in the list when it is free
/// (longest first, where known, keeps both busy to the end); in wasm one after the other (the
/// worker is one thread).
fn run_all(parts: Vec<Part<'_>>) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let queue = std::sync::Mutex::new(parts.into_iter());
        let work = || loop {
            // The lock is held only to take the next part, never while one runs.
            let next = queue.lock().ok().and_then(|mut q| q.next());
            match next {
                Some(part) => part(),
                None => break,
            }
        };
        std::thread::scope(|s| {
            let other = s.spawn(work);
            work();
            // A panic on the other thread is passed on as it is (parsers return errors; this is a bug).
            if let Err(e) = other.join() {
                std::panic::resume_unwind(e);
            }
        });
    }
    #[cfg(target_arch = "wasm32")]
    for part in parts {
        part();
    }
}

/// A whole analysis of a session whose records are all loaded (tests and tools): every record
/// decoded once, then correlated. Names the decoders give are not written back (the session is
/// borrowed); `Session::analyze` does that.
pub fn analyze(session: &crate::session::Session) -> (Flows, Vec<Finding>, ids::IdIndex) {
    let mut pass = Pass::new(session.records.len());
    for (i, r) in session.records.iter().enumerate() {
        let d = match session.files.get(r.file as usize) {
            Some(file) => crate::formats::decode_record(file, r),
            None => r.clone(),
        };
        pass.add(i, r, &d, session.record_text(r));
    }
    let o = pass.correlate(session);
    (o.flows, o.findings, o.ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Steps keep their labels in one text per flow and are written to JSON as every step always
    /// was: record, lifelines, label, then count and last record only for a folded run.
    #[test]
    fn steps_hold_their_labels_and_write_the_same_json() {
        assert_eq!(std::mem::size_of::<Step>(), 16);
        let mut steps = StepsBuilder::default();
        steps.push(7, "Finesse desktop", "Notification service", "BOSH poll rid 100");
        let run = steps.push(9, "Finesse desktop", "Notification service", "BOSH poll rid 101…2977");
        run.count = 2877;
        run.last_record = LastRecord::some(5754);
        steps.push(11, "Notification service", "Finesse desktop", "");
        steps.push(12, "Finesse desktop", "Finesse desktop", "ünïcode → label");
        let steps = steps.finish();
        let labels: Vec<Cow<str>> = steps.labelled().map(|(_, l)| l).collect();
        assert_eq!(labels, ["BOSH poll rid 100", "BOSH poll rid 101…2977", "", "ünïcode → label"]);
        let json = serde_json::to_string(&steps).unwrap_or_default();
        assert_eq!(
            json,
            concat!(
                r#"[{"record":7,"from":"Finesse desktop","to":"Notification service","label":"BOSH poll rid 100"},"#,
                r#"{"record":9,"from":"Finesse desktop","to":"Notification service","label":"BOSH poll rid 101…2977","count":2877,"last_record":5754},"#,
                r#"{"record":11,"from":"Notification service","to":"Finesse desktop","label":""},"#,
                r#"{"record":12,"from":"Finesse desktop","to":"Finesse desktop","label":"ünïcode → label"}]"#
            )
        );
    }
}
