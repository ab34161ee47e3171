//! Findings read from server logs (and any source whose decoded fields carry the same facts):
//! - `sign-in-failed`: a Finesse sign-in whose LOGIN PUT came back with an HTTP error or
//!   ApiErrors, or a CTI login (SET_AGENT_STATE_REQ LOGIN) answered by FAILURE_CONF;
//! - `arm-status-error` for CTI FAILURE_CONF / FAILURE_EVENT, with the request it answers (paired
//!   by InvokeID) and the status's usual cause (`status_cause`, also used by `findings`);
//! - `invoke-pair`: CTI/ARM requests that got no answer, and the same messages logged with hex and
//!   decimal InvokeIDs;
//! - `duplicate-event`: the same message logged twice in one file (same InvokeID, same type);
//! - `task-timing` and `task-stuck-reserved`: times of each task flow (queue, offer, start,
//!   handle) and agents left in RESERVED;
//! - `date-mismatch`: a router call key day that names another day than the log line;
//! - `personal-data-present`: customer names, e-mail addresses, phone numbers and chat text in the
//!   inputs, counted with the sanitizer's own finders (values are never printed);
//! - the ECE entry points' availability over time (`ece_availability`, called by `findings`).
//!
//! Every pass reads each record or each ID list a bounded number of times: O(n log n) overall.

use super::findings::MAX_EVIDENCE;
use super::flows::{Ctx, REQUEST_WINDOW_MS};
use super::ids::{field, IdKind};
use super::states::States;
use super::{Finding, Flow};
use crate::formats::engine::{has as contains, has_any_case};
use crate::kinds::Lane;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// An answer to a CTI/ARM request is expected within this time (ms); a file that goes on this
/// long after a request without its answer lost it.
const ANSWER_WAIT_MS: i64 = 10_000;
/// Two records of the same message this close (ms) are the same event.
const SAME_EVENT_MS: i64 = 2_000;
/// Records of one InvokeID looked at around a request (hot IDs stay bounded).
const MAX_SCAN: usize = 256;
/// An agent RESERVED for longer than this (ms) without an offer or a start is stuck.
const RESERVED_LIMIT_MS: i64 = 60_000;
/// The MR default taskStartTimeout (ms): an offer not started by then makes the agent not routable.
const TASK_START_TIMEOUT_MS: i64 = 30_000;
/// Up to this many tasks each get their own timing finding; beyond, one summary and the outliers.
const TASKS_ONE_BY_ONE: usize = 20;
/// Days from 1601-01-01 to 1970-01-01 (router call key days count from 1601: protocols.md A.7).
const RCK_EPOCH_DAYS: i64 = 134_774;

/// The findings that read only the records (not the flows or states): found beside the flows
/// natively (`Pass::correlate`), then merged in their place by `from_flows`.
#[derive(Default)]
pub struct Standalone {
    duplicates: Vec<Finding>,
    dates: Vec<Finding>,
    personal: Vec<Finding>,
}

impl Standalone {
    pub fn of(ctx: &Ctx) -> Self {
        let (mut duplicates, mut dates, mut personal) = (Vec::new(), Vec::new(), Vec::new());
        duplicate_updates(ctx, &mut duplicates);
        date_mismatch(ctx, &mut dates);
        personal_data(ctx, &mut personal);
        Standalone { duplicates, dates, personal }
    }
}

/// Every server finding, in a fixed order, given the standalone ones.
pub fn from_flows(ctx: &Ctx, flows: &[Box<Flow>], states: &States, alone: Standalone) -> Vec<Finding> {
    let mut out = Vec::new();
    let consumed = sign_in_rest(ctx, flows, &mut out);
    invoke_pairs(ctx, &consumed, &mut out);
    out.extend(alone.duplicates);
    task_timing(ctx, flows, &mut out);
    stuck_reserved(ctx, states, &mut out);
    out.extend(alone.dates);
    out.extend(alone.personal);
    out
}

// ---------------------------------------------------------------------------------------------
// Status names and causes

/// The usual cause of an ARM or CTI failure status (protocols.md A.6; CTI protocol constants).
pub fn status_cause(name: &str) -> &'static str {
    match name.trim_start_matches("E_ARM_STAT_").trim_start_matches("E_CTI_") {
        "AGENT_ALREADY_LOGGED_IN" => "the agent is already logged in to this media routing domain (another desktop or application holds the login)",
        "AGENT_NOT_FOUND" => "the ICM agent ID is not configured on this peripheral (or the configuration has not reached the PG)",
        "MRD_LIST_ENTRY_NOT_FOUND" => "the media routing domain is not configured for this peripheral or application path",
        "AGENT_NOT_LOGGED_IN" | "AGENT_NOT_LOGGED_ON" => "the agent is not logged in (an earlier sign-in failed, or the agent was logged out)",
        "ALREADY_HAVE_PENDING_MAKE_AGENT_NOT_READY" => "a previous not-ready request is still pending",
        "CANT_LOGIN_TO_VOICE_MRD" => "the voice domain is logged in through the phone/CTI login, not through ARM",
        "DO_THIS_WITH_TASK_SENT_RECENTLY" => "the router had just assigned a task to the agent: the request raced it",
        "LOGIN_NOT_ALLOWED_FOR_APP_PATH" => {
            "the client's application path does not include this MRD/peripheral (check the OPEN_REQ and the application path configuration)"
        }
        "PERFORMANCE_LIMIT_EXCEEDED" => "the PG is over its capacity (too many agents or requests)",
        "CC_OFFLINE" => "the PG has lost the central controller (router)",
        "LOGIN_TIMEOUT" => "the PG did not complete the login in time (PIM busy or disconnected)",
        "PQ_LOGIN_FAILED" => "the precision queue login failed (agent attributes or precision queue configuration)",
        "LOGIN_REQUEST_ALREADY_PENDING" => "a login for this agent is already in progress (two desktops, or a retry)",
        "INVALID_FIELD" | "REQUIRED_DATA_MISSING" => "the request lacked a field or set one wrongly (client bug or protocol version mismatch)",
        "SESSION_NOT_OPEN" => "the client sent the request outside an open CTI session (before OPEN_CONF, or after the session closed)",
        "SESSION_ALREADY_OPEN" => "the client opened a session twice",
        "INVALID_PERIPHERAL_ID" => "the peripheral ID is wrong or outside the client's scope",
        "INVALID_AGENT_DATA" => "the agent ID, password or instrument is invalid (wrong extension, agent not configured on the peripheral)",
        "DEVICE_IN_USE" => "the extension is in use by another agent (logged in elsewhere)",
        "NEW_SESSION_OPENED" => "another client opened a session that replaced this one",
        "INVALID_CALLID" => "the call or task no longer exists",
        "UNSPECIFIED_FAILURE" => "the peripheral refused it without a reason: read the PIM (or JTAPI) log at that time",
        _ => "read the CTI server and PG logs for the same InvokeID",
    }
}

// ---------------------------------------------------------------------------------------------
// Sign-in over REST

/// Failed sign-in flows; returns the records they used (so the CTI pass does not report them again).
fn sign_in_rest(ctx: &Ctx, flows: &[Box<Flow>], out: &mut Vec<Finding>) -> HashSet<usize> {
    let mut used = HashSet::new();
    for f in flows.iter().filter(|f| f.kind == "agent-sign-in") {
        let mut errors: Vec<usize> = Vec::new();
        // The LOGIN request's requestId: only its own answers (or a PUT's status in an access log,
        // which has no requestId) say the sign-in failed, not a desktop resource that failed to load.
        let request_of = |i: usize| ctx.id_of(i, IdKind::RequestId).map(|v| (IdKind::RequestId, v));
        let login = f.steps.iter().map(|s| s.record()).find_map(|i| if ctx.text(i).contains("LOGIN") { request_of(i) } else { None });
        for st in &f.steps {
            let i = st.record();
            let Some(r) = ctx.rec(i) else { continue };
            let status = field(r, "status").or_else(|| field(r, "responseStatus")).and_then(|s| s.parse::<u32>().ok());
            let kind = event_kind(ctx, i).unwrap_or_default();
            let failed_status = field(r, "Status").is_some_and(|s| s != "0") && kind.starts_with("FAILURE_");
            let own = login.is_some() && request_of(i) == login || field(r, "method").is_some_and(|m| m.eq_ignore_ascii_case("PUT"));
            if own && (status.is_some_and(|s| (400..600).contains(&s)) || api_error(ctx.text(i)).is_some()) || failed_status {
                errors.push(i);
            }
        }
        let Some(&first) = errors.first() else { continue };
        let put = f.steps.iter().map(|s| s.record()).find(|&i| ctx.text(i).contains("LOGIN")).unwrap_or(first);
        let why = errors
            .iter()
            .find_map(|&i| api_error(ctx.text(i)))
            .or_else(|| errors.iter().find_map(|&i| ctx.rec(i).and_then(|r| field(r, "StatusName")).map(|n| format!("{n}: {}", status_cause(n)))))
            .unwrap_or_else(|| "no reason logged".into());
        let http = errors
            .iter()
            .find_map(|&i| ctx.rec(i).and_then(|r| field(r, "status").or_else(|| field(r, "responseStatus"))))
            .map(|s| format!(" with HTTP {s}"))
            .unwrap_or_default();
        let mut ev = vec![put];
        ev.extend(errors.iter().copied().filter(|&e| e != put));
        ev.truncate(MAX_EVIDENCE);
        used.extend(errors.iter().copied());
        out.push(Finding::new(
            "sign-in-failed",
            "error",
            format!(
                "Sign-in failed for {}: the LOGIN request ({}) was refused{http} ({}; {why}). \
                 Check the reason: an invalid or busy extension, the agent already logged in elsewhere, the CTI server or peripheral down; \
                 then the CTI server log for the agent at that time.",
                f.key,
                ctx.loc(put),
                ctx.loc(first),
            ),
            ev,
        ));
    }
    used
}

/// `ErrorType: ErrorMessage (ErrorData)` of an ApiErrors body in a text.
fn api_error(text: &str) -> Option<String> {
    if !(contains(text, "<ApiErrors") || contains(text, "<apiErrors")) {
        return None;
    }
    let tag = |name: &str| -> Option<String> {
        for n in [name.to_string(), lower_first(name)] {
            let open = format!("<{n}>");
            if let Some(a) = text.find(&open) {
                let rest = text.get(a + open.len()..)?;
                let end = rest.find('<').unwrap_or(rest.len());
                return rest.get(..end).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
            }
        }
        None
    };
    let kind = tag("ErrorType");
    let msg = tag("ErrorMessage");
    let data = tag("ErrorData").map(|d| format!(" ({d})")).unwrap_or_default();
    Some(match (kind, msg) {
        (Some(k), Some(m)) => format!("{k}: {m}{data}"),
        (Some(x), None) | (None, Some(x)) => format!("{x}{data}"),
        (None, None) => "ApiErrors".to_string(),
    })
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_ascii_lowercase().to_string() + c.as_str()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// InvokeID pairing: answers, failures, hex/decimal, duplicates

/// The message type in a comparable form (`SetAgentStateRequest` and `SET_AGENT_STATE_REQ` agree).
fn event_kind(ctx: &Ctx, i: usize) -> Option<String> {
    let mut k = super::clock::event_kind(ctx, i)?;
    for (long, short) in [("_REQUEST", "_REQ"), ("_CONFIRMATION", "_CONF"), ("_RESPONSE", "_RESP")] {
        if k.ends_with(long) {
            k.truncate(k.len() - long.len());
            k.push_str(short);
            break;
        }
    }
    Some(k)
}

fn is_answer(kind: &str) -> bool {
    kind.ends_with("_CONF") || kind.ends_with("_RESP") || kind.starts_with("FAILURE_")
}

fn cti_lane(l: Lane) -> bool {
    matches!(l, Lane::Cti | Lane::Opc | Lane::EceListener | Lane::Webservices | Lane::MrPim)
}

/// A login request: SET_AGENT_STATE_REQ for LOGIN, or a login message.
fn is_login_request(ctx: &Ctx, i: usize, kind: &str) -> bool {
    if contains(kind, "LOGIN") && !contains(kind, "LOGOUT") {
        return true;
    }
    let Some(r) = ctx.rec(i) else { return false };
    kind.starts_with("SET_AGENT_STATE")
        && (field(r, "RequestedAgentState").or_else(|| field(r, "AgentState")).is_some_and(|s| s == "LOGIN" || s == "1")
            || ctx.text(i).contains("LOGIN") && !ctx.text(i).contains("LOGOUT"))
}

/// (status name, request kind, whether the request was a login).
type FailureKey = (String, String, bool);

type Day = (i32, u32, u32);

/// One personal class: occurrences, distinct values (hashed), files, first places (file, line).
#[derive(Default)]
struct Tally {
    count: usize,
    /// Hashes already (`hash`): kept in a set that does not hash them again with SipHash (a day of
    /// logs adds hundreds of thousands).
    distinct: HashSet<u64, crate::model::FxBuild>,
    files: BTreeSet<u32>,
    places: Vec<(u32, u32)>,
}

struct Msg {
    i: usize,
    kind: String,
    /// Timeline time (i64::MIN when unknown).
    when: i64,
    /// Time in its own file: `when`, else the time of day written (logs without a date).
    local: i64,
    file: u32,
}

impl Msg {
    /// How long after `self` `o` was logged, when the two times compare (same clock); None when not.
    fn gap(&self, o: &Msg) -> Option<i64> {
        if self.when != i64::MIN && o.when != i64::MIN {
            Some(o.when - self.when)
        } else if self.file == o.file && self.local != i64::MIN && o.local != i64::MIN {
            Some(o.local - self.local)
        } else {
            None
        }
    }
}

/// A record's time in its own file (see `Msg::local`).
fn local_time(ctx: &Ctx, i: usize) -> i64 {
    let w = ctx.when(i);
    if w != i64::MIN {
        return w;
    }
    ctx.rec(i).and_then(|r| r.time().and_then(|t| t.ms_of_day())).map_or(i64::MIN, i64::from)
}

fn invoke_pairs(ctx: &Ctx, consumed: &HashSet<usize>, out: &mut Vec<Finding>) {
    // Per file: the last time it logs anything (a request near the end of a log has no answer in it).
    // By file index (every record's file is one of the session's): a map hashed every record's
    // file with SipHash.
    let mut file_end: Vec<Option<i64>> = vec![None; ctx.s.files.len()];
    for r in ctx.recs() {
        let w = local_time(ctx, r.index);
        if let Some(e) = file_end.get_mut(r.file() as usize) {
            *e = Some(e.map_or(w, |e| e.max(w)));
        }
    }
    let mut answering_files: HashSet<u32> = HashSet::new();
    let mut unanswered: Vec<(usize, String, String)> = Vec::new();
    // (status name, request kind, login) → (failure records, requests)
    let mut failures: BTreeMap<FailureKey, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    // hex file → pairs (hex record, decimal record, value)
    let mut hexdec: BTreeMap<u32, Vec<(usize, usize, String)>> = BTreeMap::new();
    // (file, kind) → pairs
    let mut dups: BTreeMap<(u32, String), Vec<(usize, usize)>> = BTreeMap::new();
    // InvokeIDs by their first record, then value: as places (a busy day has hundreds of
    // thousands, and this runs at the analysis' peak), with that first record (+1; 0: none).
    // Eight bytes a place: the first record + 1 fits a u32 (records are counted in u32 and
    // the last index is never u32::MAX).
    let first = |p: u32| ctx.idx.at(p).and_then(|(_, _, l)| l.first()).map_or(0, |&r| r.saturating_add(1));
    let value_at = |p: u32| ctx.idx.at(p).map_or("", |(_, v, _)| v);
    let mut order: Vec<(u32, u32)> = ctx.idx.places_of_kind(IdKind::Invoke).map(|p| (first(p), p)).collect();
    order.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| value_at(a.1).cmp(value_at(b.1))));
    for (value, list) in order.into_iter().filter_map(|(_, p)| ctx.idx.at(p).map(|(_, v, l)| (v, l))) {
        let msgs: Vec<Msg> = list
            .iter()
            .filter_map(|&x| {
                let i = x as usize;
                let r = ctx.rec(i)?;
                if !cti_lane(r.lane()) {
                    return None;
                }
                Some(Msg { i, kind: event_kind(ctx, i)?, when: ctx.when(i), local: local_time(ctx, i), file: r.file() })
            })
            .collect();
        for (n, m) in msgs.iter().enumerate() {
            if is_answer(&m.kind) {
                answering_files.insert(m.file);
            }
            // The messages after this one within the request window (the list is in timeline order).
            let later = msgs.iter().skip(n + 1).take(MAX_SCAN).take_while(|o| m.gap(o).is_none_or(|g| g <= REQUEST_WINDOW_MS));
            if m.kind.ends_with("_REQ") {
                let answered = later.clone().any(|o| is_answer(&o.kind));
                if !answered {
                    unanswered.push((m.i, m.kind.clone(), value.to_string()));
                }
            }
            if m.kind.starts_with("FAILURE_") && !consumed.contains(&m.i) {
                let status = ctx.rec(m.i).and_then(|r| field(r, "Status")).unwrap_or_default();
                if status != "0" {
                    let name = ctx.rec(m.i).and_then(|r| field(r, "StatusName")).map(str::to_string).unwrap_or_else(|| {
                        if status.is_empty() {
                            "no status".into()
                        } else {
                            format!("status {status}")
                        }
                    });
                    let req = msgs
                        .iter()
                        .take(n)
                        .rev()
                        .take(MAX_SCAN)
                        .take_while(|o| o.gap(m).is_none_or(|g| g <= REQUEST_WINDOW_MS))
                        .find(|o| o.kind.ends_with("_REQ"));
                    let login = req.is_some_and(|o| is_login_request(ctx, o.i, &o.kind));
                    let e = failures.entry((name, req.map(|o| o.kind.clone()).unwrap_or_default(), login)).or_default();
                    e.0.push(m.i);
                    if let Some(o) = req {
                        e.1.push(o.i);
                    }
                }
            }
            // The same message again shortly after: written in hex and decimal, or twice in a file.
            for o in later.take_while(|o| m.gap(o).is_none_or(|g| g <= SAME_EVENT_MS)) {
                if o.kind != m.kind {
                    continue;
                }
                let (hm, ho) = (written_hex(ctx, m.i, value), written_hex(ctx, o.i, value));
                if hm != ho {
                    let (h, d) = if hm { (m, o) } else { (o, m) };
                    hexdec.entry(h.file).or_default().push((h.i, d.i, value.to_string()));
                }
                if o.file == m.file {
                    dups.entry((m.file, m.kind.clone())).or_default().push((m.i, o.i));
                }
            }
        }
    }
    // Requests without an answer, where the file logs answers and goes on long enough to show one.
    let mut lost: BTreeMap<(u32, String), Vec<(usize, String)>> = BTreeMap::new();
    for (i, kind, value) in unanswered {
        let Some(r) = ctx.rec(i) else { continue };
        let w = local_time(ctx, i);
        let goes_on = w != i64::MIN && file_end.get(r.file() as usize).copied().flatten().is_some_and(|e| e - w >= ANSWER_WAIT_MS);
        if answering_files.contains(&r.file()) && goes_on {
            lost.entry((r.file(), kind)).or_default().push((i, value));
        }
    }
    for ((_, kind), v) in lost {
        let first = v.first().map(|p| p.0).unwrap_or(0);
        let ids: Vec<&str> = v.iter().take(5).map(|p| p.1.as_str()).collect();
        let mut f = Finding::new(
            "invoke-pair",
            "warning",
            format!(
                "{} {kind} request(s) in {} got no confirmation, failure or response with the same InvokeID (first at {}; InvokeID {}{}), \
                 although the log goes on and logs answers to other requests. The request was lost, or the CTI server/peripheral never answered it: \
                 check the CTI server and PG logs for the same InvokeID, and whether the client's session closed.",
                v.len(),
                ctx.file_name(first),
                ctx.loc(first),
                ids.join(", "),
                if v.len() > ids.len() { ", …" } else { "" }
            ),
            v.iter().map(|p| p.0).take(MAX_EVIDENCE).collect(),
        );
        f.count = v.len();
        out.push(f);
    }
    for ((name, req, login), (fails, reqs)) in failures {
        let first = fails.first().copied().unwrap_or(0);
        let mut ev: Vec<usize> = reqs.iter().copied().chain(fails.iter().copied()).collect();
        ev.sort_by_key(|&x| (ctx.pos(x), x));
        ev.dedup();
        ev.truncate(MAX_EVIDENCE);
        let what = if req.is_empty() { "A CTI request".to_string() } else { req.clone() };
        let cause = status_cause(&name);
        let (code, text) = if login {
            (
                "sign-in-failed",
                format!(
                    "CTI login refused: {what} (agent sign-in) was answered by FAILURE_CONF {name} at {} ({} time(s)): {cause}. \
                     Check the agent's extension and configuration on the peripheral and the CTI server log for the agent at that time.",
                    ctx.loc(first),
                    fails.len()
                ),
            )
        } else {
            (
                "arm-status-error",
                format!(
                    "{what} was refused by the CTI server: FAILURE {name} at {} ({} time(s)). Usual cause: {cause}. \
                     Check the request's agent, MRD and task IDs against the CTI server log for the same InvokeID.",
                    ctx.loc(first),
                    fails.len()
                ),
            )
        };
        let mut f = Finding::new(code, "error", text, ev);
        f.count = fails.len();
        out.push(f);
    }
    for (hf, pairs) in hexdec {
        let Some(&(h, d, ref v)) = pairs.first() else { continue };
        let n: usize = pairs.len();
        let hex = v.parse::<u64>().map(|x| format!("0x{x:x}")).unwrap_or_default();
        let mut dec_files: Vec<String> = pairs.iter().filter_map(|p| ctx.rec(p.1).map(|r| r.file())).map(|f| file_name(ctx, f)).collect();
        dec_files.sort();
        dec_files.dedup();
        let kind = event_kind(ctx, h).unwrap_or_default();
        let mut f = Finding::new(
            "invoke-pair",
            "info",
            format!(
                "{} writes InvokeIDs in hex where {} write{} them in decimal: {n} message(s) paired, e.g. {kind} InvokeID {hex} ({}) = {v} ({}). \
                 Nothing to fix; search for either form to follow a request across logs.",
                file_name(ctx, hf),
                dec_files.join(" and "),
                if dec_files.len() == 1 { "s" } else { "" },
                ctx.loc(h),
                ctx.loc(d)
            ),
            pairs.iter().flat_map(|p| [p.0, p.1]).take(MAX_EVIDENCE).collect(),
        );
        f.count = n;
        out.push(f);
    }
    // One duplicate finding per file, naming the message types.
    let mut per_file: BTreeMap<u32, Vec<(String, usize, usize)>> = BTreeMap::new();
    for ((file, kind), pairs) in dups {
        for (a, b) in pairs {
            per_file.entry(file).or_default().push((kind.clone(), a, b));
        }
    }
    for (file, pairs) in per_file {
        let mut kinds: Vec<&str> = pairs.iter().map(|p| p.0.as_str()).collect();
        kinds.dedup();
        kinds.sort_unstable();
        kinds.dedup();
        let Some((_, a, b)) = pairs.first() else { continue };
        let mut f = Finding::new(
            "duplicate-event",
            "info",
            format!(
                "{} logs {} message(s) twice with the same InvokeID ({}; e.g. {} and {}): one event quoted in two log forms \
                 (a received message and the same message forwarded, or a decoded line and a dump). Counted once in flows; nothing to fix.",
                file_name(ctx, file),
                pairs.len(),
                kinds.join(", "),
                ctx.loc(*a),
                ctx.loc(*b)
            ),
            pairs.iter().flat_map(|p| [p.1, p.2]).take(MAX_EVIDENCE).collect(),
        );
        f.count = pairs.len();
        out.push(f);
    }
}

/// The same notification `<Update>` (same requestId, same kind and state) received twice by a
/// desktop within `SAME_EVENT_MS`: one finding per file.
fn duplicate_updates(ctx: &Ctx, out: &mut Vec<Finding>) {
    let mut per_file: BTreeMap<u32, Vec<(usize, usize, String)>> = BTreeMap::new();
    let mut lists: Vec<(&str, &[u32])> = ctx.idx.of_kind(IdKind::RequestId).collect();
    lists.sort_by_key(|(v, l)| (l.first().copied(), *v));
    for (_, list) in lists {
        let mut last: HashMap<(u32, String), (i64, usize)> = HashMap::new();
        for &x in list {
            let i = x as usize;
            let Some(r) = ctx.rec(i) else { continue };
            if !matches!(r.lane(), Lane::Desktop | Lane::Browser) {
                continue;
            }
            let Some(data) = field(r, "dataType") else { continue };
            let key = (r.file(), format!("{data} {}", field(r, "state").unwrap_or_default()).trim().to_string());
            let t = local_time(ctx, i);
            if let Some(&(pt, pi)) = last.get(&key) {
                if t != i64::MIN && pt != i64::MIN && (0..=SAME_EVENT_MS).contains(&(t - pt)) {
                    per_file.entry(key.0).or_default().push((pi, i, key.1.clone()));
                }
            }
            last.insert(key, (t, i));
        }
    }
    for (file, pairs) in per_file {
        let Some((a, b, what)) = pairs.first() else { continue };
        let mut f = Finding::new(
            "duplicate-event",
            "info",
            format!(
                "{} received {} notification Update(s) twice (same requestId, {what}; e.g. {} and {}): the Notification service delivered the same event again                  (a retry, or two subscriptions of the desktop). Counted once in flows; if the desktop misbehaves on it, check its notification connection.",
                file_name(ctx, file),
                pairs.len(),
                ctx.loc(*a),
                ctx.loc(*b)
            ),
            pairs.iter().flat_map(|p| [p.0, p.1]).take(MAX_EVIDENCE).collect(),
        );
        f.count = pairs.len();
        out.push(f);
    }
}

/// True if record `i` writes InvokeID `value` (decimal) in hex (`0x8a88`).
fn written_hex(ctx: &Ctx, i: usize, value: &str) -> bool {
    let Ok(n) = value.parse::<u64>() else { return false };
    let hex = format!("0x{n:x}");
    let text = ctx.text(i);
    has_any_case(text, &hex)
}

fn file_name(ctx: &Ctx, file: u32) -> String {
    super::flows::short_name(ctx.s.files.get(file as usize).map_or("", |f| f.path.as_str())).to_string()
}

// ---------------------------------------------------------------------------------------------
// Task timing and stuck reservations

/// One task's milestones, its key read from its flow (a busy day has a hundred thousand
/// tasks, and this list is made at the analysis' peak).
struct Timing {
    /// Its flow (index into the flows; the key is read from there).
    flow: u32,
    /// When each milestone — new task, routed, offered, started, ended — was first seen (UTC ms;
    /// `i64::MIN`: not seen), and its record. 64 bytes a task, not 144.
    when: [i64; 5],
    record: [u32; 5],
}

const MARKS: [&str; 5] = ["queued", "routed to the agent", "offered", "started", "ended"];

impl Timing {
    fn new(flow: usize) -> Self {
        Timing { flow: u32::try_from(flow).unwrap_or(u32::MAX), when: [i64::MIN; 5], record: [0; 5] }
    }

    /// (time, record) of milestone `k`, if seen.
    fn mark(&self, k: usize) -> Option<(i64, usize)> {
        let w = *self.when.get(k)?;
        (w != i64::MIN).then(|| (w, self.record.get(k).copied().unwrap_or(0) as usize))
    }

    fn marks(&self) -> impl Iterator<Item = Option<(i64, usize)>> + '_ {
        (0..self.when.len()).map(|k| self.mark(k))
    }

    /// Milestone `k` seen at `when` in `record`: the earliest is kept.
    fn see(&mut self, k: usize, when: i64, record: usize) {
        if let (Some(w), Some(r)) = (self.when.get_mut(k), self.record.get_mut(k)) {
            if *w == i64::MIN || when < *w {
                *w = when;
                *r = u32::try_from(record).unwrap_or(u32::MAX);
            }
        }
    }

    fn span(&self, a: usize, b: usize) -> Option<i64> {
        match (self.mark(a), self.mark(b)) {
            (Some((x, _)), Some((y, _))) if y >= x => Some(y - x),
            _ => None,
        }
    }
    /// (what, ms) of the measures it has.
    fn measures(&self) -> Vec<(&'static str, i64)> {
        [("queue", 0, 1), ("to offer", 0, 2), ("offer to start", 2, 3), ("handle", 3, 4)]
            .iter()
            .filter_map(|&(n, a, b)| self.span(a, b).map(|d| (n, d)))
            .collect()
    }
}

/// Which milestone a flow step is: task flows (NEW_TASK, DO_THIS_WITH_TASK, OFFER/START/END_TASK in
/// any of their written forms) and UCCX chats (AGENT_WAIT, agent reserved, TALKING, agent left),
/// read from the label's upper-case copy without `_`, made in `folded` (one buffer for every
/// label of every task flow).
fn milestone(label: &str, folded: &mut String) -> Option<usize> {
    folded.clear();
    folded.extend(label.chars().filter(|c| *c != '_').map(|c| c.to_ascii_uppercase()));
    let l = folded.as_str();
    if l.starts_with("NEWTASK") || l.starts_with("NEWCALL") || contains(l, "AGENTWAIT") {
        Some(0)
    } else if contains(l, "DOTHISWITHTASK") {
        Some(1)
    } else if contains(l, "OFFERTASK") || l.starts_with("RESERVE AGENT") {
        Some(2)
    } else if contains(l, "STARTTASK") || contains(l, "TALKING") {
        Some(3)
    } else if contains(l, "ENDTASK") && !contains(l, "REST") || contains(l, "PRESENCEEVENT LEFT") {
        Some(4)
    } else {
        None
    }
}

fn secs(ms: i64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

fn task_timing(ctx: &Ctx, flows: &[Box<Flow>], out: &mut Vec<Finding>) {
    let timed = |f: &Flow| f.kind == "task-routing" || f.kind == "uccx-chat";
    let mut tasks: Vec<Timing> = Vec::with_capacity(flows.iter().filter(|f| timed(f)).count());
    let mut folded = String::new();
    for (k, f) in flows.iter().enumerate() {
        if !timed(f) {
            continue;
        }
        let mut t = Timing::new(k);
        for (st, label) in f.steps.labelled() {
            let Some(m) = milestone(&label, &mut folded) else { continue };
            let Some(when) = ctx.time(st.record()) else { continue };
            t.see(m, when, st.record());
        }
        if t.measures().len() >= 2 {
            tasks.push(t);
        }
    }
    if tasks.is_empty() {
        return;
    }
    // Medians of each measure, for outliers among many tasks.
    let mut by: BTreeMap<&'static str, Vec<i64>> = BTreeMap::new();
    for t in &tasks {
        for (n, d) in t.measures() {
            by.entry(n).or_default().push(d);
        }
    }
    let median: BTreeMap<&'static str, i64> = by
        .iter_mut()
        .map(|(n, v)| {
            v.sort_unstable();
            (*n, v.get(v.len() / 2).copied().unwrap_or(0))
        })
        .collect();
    let outlier = |t: &Timing| -> Vec<String> {
        let mut why = Vec::new();
        for (n, d) in t.measures() {
            if n == "offer to start" && d > TASK_START_TIMEOUT_MS {
                why.push(format!(
                    "offer to start {} is longer than the 30 s default task start timeout (check the MRD's setting: beyond it the agent is made not routable)",
                    secs(d)
                ));
            } else if tasks.len() >= 5 {
                let m = median.get(n).copied().unwrap_or(0);
                if d > 3 * m && d > m + 10_000 {
                    why.push(format!("{n} {} against a median of {}", secs(d), secs(m)));
                }
            }
        }
        why
    };
    let describe = |t: &Timing| -> String { t.measures().iter().map(|(n, d)| format!("{n} {}", secs(*d))).collect::<Vec<_>>().join(", ") };
    let key = |t: &Timing| -> &str { flows.get(t.flow as usize).map_or("", |f| &*f.key) };
    let evidence = |t: &Timing| -> Vec<usize> { t.marks().flatten().map(|m| m.1).collect() };
    let marks_text = |t: &Timing| -> String {
        t.marks()
            .enumerate()
            .filter_map(|(k, m)| m.map(|(_, r)| format!("{} {}", MARKS.get(k).copied().unwrap_or(""), ctx.loc(r))))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if tasks.len() <= TASKS_ONE_BY_ONE {
        for t in &tasks {
            let why = outlier(t);
            let mut f = Finding::new(
                "task-timing",
                if why.is_empty() { "info" } else { "warning" },
                format!(
                    "Timing of {}: {} ({}).{} Compare with the service level; long offer-to-start times point at the agent or the desktop, long queue times at staffing.",
                    key(t),
                    describe(t),
                    marks_text(t),
                    if why.is_empty() { String::new() } else { format!(" Outlier: {}.", why.join("; ")) }
                ),
                evidence(t),
            );
            f.flow = Some(t.flow as usize);
            out.push(f);
        }
        return;
    }
    let med = median.iter().map(|(n, d)| format!("{n} {}", secs(*d))).collect::<Vec<_>>().join(", ");
    let slow: Vec<(&Timing, Vec<String>)> = tasks.iter().map(|t| (t, outlier(t))).filter(|(_, w)| !w.is_empty()).collect();
    let mut f = Finding::new(
        "task-timing",
        "info",
        format!(
            "{} tasks timed: median {med}; {} outlier(s). Compare with the service level; long offer-to-start times point at the agent or the desktop.",
            tasks.len(),
            slow.len()
        ),
        tasks.iter().filter_map(|t| t.marks().flatten().next().map(|m| m.1)).take(MAX_EVIDENCE).collect(),
    );
    f.count = tasks.len();
    out.push(f);
    for (t, why) in slow.into_iter().take(TASKS_ONE_BY_ONE) {
        let mut f = Finding::new(
            "task-timing",
            "warning",
            format!("Slow task {}: {} ({}). Outlier: {}.", key(t), describe(t), marks_text(t), why.join("; ")),
            evidence(t),
        );
        f.flow = Some(t.flow as usize);
        out.push(f);
    }
}

fn stuck_reserved(ctx: &Ctx, states: &States, out: &mut Vec<Finding>) {
    let end = ctx.s.timeline.iter().map(|&i| ctx.when(i as usize)).max().unwrap_or(i64::MIN);
    for tl in states.iter(&ctx.s.records).filter(|t| t.kind == "agent-mrd" || t.kind == "finesse-user") {
        let mut episodes: Vec<(usize, Option<usize>, i64)> = Vec::new();
        for (n, c) in tl.changes().enumerate() {
            if !c.state.eq_ignore_ascii_case("RESERVED") {
                continue;
            }
            let next = tl.change(n + 1);
            let (t0, t1, rec) = match (next, c.utc_ms) {
                (Some(x), Some(a)) => match x.utc_ms {
                    Some(b) => (a, b, Some(x.record)),
                    None => continue,
                },
                // Logs without a date: two changes in the same file compare by time of day.
                (Some(x), None) if ctx.rec(x.record).map(|r| r.file()) == ctx.rec(c.record).map(|r| r.file()) => {
                    let (a, b) = (local_time(ctx, c.record), local_time(ctx, x.record));
                    if a == i64::MIN || b == i64::MIN {
                        continue;
                    }
                    (a, b, Some(x.record))
                }
                (None, Some(a)) if end != i64::MIN => (a, end, None),
                _ => continue,
            };
            if t1 - t0 > RESERVED_LIMIT_MS && !offered(ctx, c.record, t0) {
                episodes.push((c.record, rec, t1 - t0));
            }
        }
        let Some(&(first, next, dur)) = episodes.first() else { continue };
        let after = match next.and_then(|x| tl.changes().find(|c| c.record == x)) {
            Some(c) => format!("until {} at {}", c.state, ctx.loc(c.record)),
            None => "until the end of the logs".to_string(),
        };
        let mut f = Finding::new(
            "task-stuck-reserved",
            "warning",
            format!(
                "{} stayed RESERVED for {} ({} {after}){}: the agent was reserved for a task that was not offered or started, and was unavailable to other tasks. \
                 Check the desktop for the offer (Dialog ALERTING/OFFERED), the CTI server for OFFER_TASK_IND / START_TASK_IND with the task ID, and the task's timeouts.",
                tl.key.replacen("agent", "Agent", 1),
                secs(dur),
                ctx.loc(first),
                if episodes.len() > 1 { format!("; {} such reservations in all", episodes.len()) } else { String::new() }
            ),
            episodes.iter().flat_map(|e| std::iter::once(e.0).chain(e.1)).take(MAX_EVIDENCE).collect(),
        );
        f.count = episodes.len();
        out.push(f);
    }
}

/// True if a task was offered to (or started by) the agent of record `i` within the reservation
/// limit after `t0`: the agent was reserved for a task that did come.
fn offered(ctx: &Ctx, i: usize, t0: i64) -> bool {
    ctx.each_id(i).filter(|id| matches!(id.0, IdKind::IcmAgent | IdKind::Agent)).any(|(k, v)| {
        ctx.id_within(k, &v, t0, t0 + RESERVED_LIMIT_MS).into_iter().take(MAX_SCAN).any(|x| {
            let k = event_kind(ctx, x as usize).unwrap_or_default();
            contains(&k, "OFFER") || contains(&k, "START_TASK") || contains(&k, "ALERTING")
        })
    })
}

// ---------------------------------------------------------------------------------------------
// Dates

/// The calendar day a router call key day names.
pub fn rck_day(day: i64) -> Option<(i32, u32, u32)> {
    (100_000..400_000).contains(&day).then(|| crate::time::civil_from_days(day - RCK_EPOCH_DAYS))
}

fn date_mismatch(ctx: &Ctx, out: &mut Vec<Finding>) {
    // (key day, log day) → records
    let mut per_day: BTreeMap<(Day, Day), Vec<usize>> = BTreeMap::new();
    for r in ctx.recs() {
        // The task ID's first part is the router call key day (`day_callid_seq`, protocols.md A.7).
        let Some(v) = r.get("RouterCallKeyDay").or_else(|| r.get("routerCallKeyDay")).or_else(|| r.get("TaskKey").and_then(|k| k.split('_').next())) else {
            continue;
        };
        let Some(day) = v.trim().parse::<i64>().ok().and_then(rck_day) else { continue };
        let logged = r.time().and_then(|t| t.date()).or_else(|| r.utc_ms().map(|u| crate::time::civil_from_days(u.div_euclid(86_400_000))));
        let Some(logged) = logged else { continue };
        let diff = crate::time::days_from_civil(logged.0, logged.1, logged.2) - crate::time::days_from_civil(day.0, day.1, day.2);
        // A call key from just before midnight is still in use after it.
        if diff.abs() <= 1 {
            continue;
        }
        per_day.entry((day, logged)).or_default().push(r.index);
    }
    for ((day, logged), recs) in per_day {
        let first = recs.first().copied().unwrap_or(0);
        let mut files: Vec<String> = recs.iter().map(|&i| ctx.file_name(i)).collect();
        files.sort();
        files.dedup();
        let mut f = Finding::new(
            "date-mismatch",
            "warning",
            format!(
                "{} record(s) in {} carry a router call key day naming {:04}-{:02}-{:02}, but are logged on {:04}-{:02}-{:02} (first at {}). \
                 The logs come from another day than they seem, a capture mixes days, or a clock is wrong: check which day the capture covers and the server clocks.",
                recs.len(),
                files.join(", "),
                day.0,
                day.1,
                day.2,
                logged.0,
                logged.1,
                logged.2,
                ctx.loc(first)
            ),
            recs.iter().copied().take(MAX_EVIDENCE).collect(),
        );
        f.count = recs.len();
        out.push(f);
    }
}

// ---------------------------------------------------------------------------------------------
// Personal data

/// Byte ranges of the lines of `f` holding a word of each group (`group[pattern]`: the group of
/// each of the matcher's words) with the line after each, neighbouring lines joined so a value
/// written over two lines stays whole. One pass over the text: `scan` gives each match (its
/// pattern and start) in the order matches end, overlapping ones too; no word holds a line break,
/// so the lines they mark come in text order.
fn marked_lines(
    scan: impl FnOnce(&str, &mut dyn FnMut(usize, usize)),
    group: &[usize],
    groups: usize,
    f: &crate::model::LogFile,
) -> Vec<Vec<std::ops::Range<usize>>> {
    let text = f.text.as_str();
    let starts = &f.line_starts;
    let mut out: Vec<Vec<std::ops::Range<usize>>> = vec![Vec::new(); groups];
    // The line holding `pos` and the one after it (an XML value is often on the line after its name).
    let line_of = |pos: usize| -> std::ops::Range<usize> {
        let k = starts.partition_point(|&s| s as usize <= pos);
        let start = k.checked_sub(1).and_then(|k| starts.get(k)).map_or(0, |&s| s as usize);
        let end = starts.get(k + 1).map_or(text.len(), |&s| (s as usize).saturating_sub(1)).max(start);
        start..end
    };
    scan(text, &mut |pattern, start| {
        let Some(list) = group.get(pattern).and_then(|&g| out.get_mut(g)) else { return };
        if list.last().is_some_and(|l| start < l.end) {
            return;
        }
        let line = line_of(start);
        match list.last_mut() {
            Some(last) if line.start <= last.end + 1 => last.end = line.end.max(last.end),
            _ => list.push(line),
        }
    });
    out
}

fn personal_data(ctx: &Ctx, out: &mut Vec<Finding>) {
    use crate::sanitize::personal;
    use crate::sanitize::pseudonym::Class;
    // One matcher for the four finders' words, and the finder of each word.
    static MARKERS: std::sync::LazyLock<Option<(crate::formats::engine::Words, Vec<usize>)>> = std::sync::LazyLock::new(|| {
        let groups = personal::line_markers();
        let words: Vec<&str> = groups.iter().flatten().copied().collect();
        let group: Vec<usize> = groups.iter().enumerate().flat_map(|(g, w)| std::iter::repeat_n(g, w.len())).collect();
        crate::formats::engine::Words::new(words, true).map(|m| (m, group))
    });
    let Some((markers, group)) = MARKERS.as_ref() else { return };
    let files: Vec<(u32, &crate::model::LogFile)> = ctx
        .s
        .files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.status == crate::model::FileStatus::Loaded && !f.text.is_empty())
        .map(|(i, f)| (i as u32, f))
        .collect();
    // class → (count, distinct value hashes, files, first (file, line) places)
    let mut tally: BTreeMap<Class, Tally> = BTreeMap::new();
    let mut add = |class: Class, value: &str, fi: u32, f: &crate::model::LogFile, at: usize| {
        // Pseudonyms of a sanitized export are not personal data.
        if crate::sanitize::pseudonym::looks_like_token(class, value) {
            return;
        }
        let e = tally.entry(class).or_default();
        e.count += 1;
        e.distinct.insert(hash(value));
        e.files.insert(fi);
        if e.places.len() < 5 {
            e.places.push((fi, line_of(f, at)));
        }
    };
    // `x@domain` that may be e-mail addresses, tallied per domain (a day of logs names the same
    // few agent addresses hundreds of thousands of times): decided once the XMPP domains are known.
    let mut maybe_mail: HashMap<String, Tally, crate::model::FxBuild> = HashMap::default();
    let finders: [fn(&str, &mut Vec<personal::Found>); 3] = [personal::names, personal::phones, personal::chat_text];
    for (fi, f) in &files {
        let text = f.text.as_str();
        let segs = marked_lines(|t, each| markers.each(t.as_bytes(), each), group, 4, f);
        for (finder, segs) in finders.iter().zip(&segs) {
            for seg in segs {
                let Some(part) = text.get(seg.clone()) else { continue };
                let mut found = Vec::new();
                finder(part, &mut found);
                for x in found {
                    add(x.class, part.get(x.range.clone()).unwrap_or(""), *fi, f, seg.start + x.range.start);
                }
            }
        }
        for seg in segs.get(3).into_iter().flatten() {
            let Some(part) = text.get(seg.clone()) else { continue };
            personal::each_address(part, |a| {
                let domain = part.get(a.domain.clone()).unwrap_or("");
                let value = part.get(a.whole.clone()).unwrap_or("");
                if !personal::is_xmpp(part, &a, &HashSet::new())
                    && personal::is_mail_domain(domain)
                    && !crate::sanitize::pseudonym::looks_like_token(Class::Email, value)
                {
                    // Looked up as written when it is lower case already (nearly always): a
                    // day of logs names the same few domains hundreds of thousands of times.
                    let key = if domain.bytes().any(|c| c.is_ascii_uppercase()) { Cow::Owned(domain.to_ascii_lowercase()) } else { Cow::Borrowed(domain) };
                    if !maybe_mail.contains_key(key.as_ref()) {
                        maybe_mail.insert(key.to_string(), Tally::default());
                    }
                    let Some(t) = maybe_mail.get_mut(key.as_ref()) else { return };
                    t.count += 1;
                    t.distinct.insert(hash(value));
                    t.files.insert(*fi);
                    if t.places.len() < 5 {
                        t.places.push((*fi, line_of(f, seg.start + a.whole.start)));
                    }
                }
            });
        }
    }
    if !maybe_mail.is_empty() {
        // The domains the logs use for XMPP, learnt from the lines that name a candidate domain.
        let mut domains: Vec<&str> = maybe_mail.keys().map(String::as_str).collect();
        domains.sort_unstable();
        // Files are read until every candidate domain is known to be an XMPP domain (the usual case:
        // `agent@finesse-host` without a resource), so only real e-mail domains cost a full pass.
        let mut xmpp = HashSet::new();
        let mut pending: Vec<&str> = domains;
        // A line is marked when a domain starts on it, whichever: every place is as good as the
        // matches of a non-overlapping search (a domain holds no line break, so a place a match
        // hides is on the match's line). A few domains are looked for one by one (`memmem`), many
        // with one automaton.
        const FEW_DOMAINS: usize = 8;
        'files: for (_, f) in &files {
            let one = [0];
            let segs = if pending.len() <= FEW_DOMAINS {
                marked_lines(|t, each| crate::formats::engine::each_any_case(t, &pending, |at| each(0, at)), &one, 1, f)
            } else {
                let Ok(dm) = aho_corasick::AhoCorasickBuilder::new().ascii_case_insensitive(true).build(&pending) else { break };
                marked_lines(|t, each| dm.find_iter(t).for_each(|m| each(0, m.start())), &one, 1, f)
            };
            for seg in segs.into_iter().flatten() {
                personal::xmpp_domains(f.text.get(seg).unwrap_or(""), &mut xmpp);
                pending.retain(|d| !xmpp.contains(*d));
                if pending.is_empty() {
                    break 'files;
                }
            }
        }
        let mut mail = Tally::default();
        for (domain, t) in maybe_mail {
            if !xmpp.contains(&domain) {
                mail.count += t.count;
                mail.distinct.extend(t.distinct);
                mail.files.extend(t.files);
                mail.places.extend(t.places);
            }
        }
        if mail.count > 0 {
            // The first five places in reading order, as for the other classes.
            mail.places.sort_unstable();
            mail.places.truncate(5);
            tally.insert(Class::Email, mail);
        }
    }
    if tally.is_empty() {
        return;
    }
    // The records holding the first places, in one pass.
    let wanted: HashSet<(u32, u32), crate::model::FxBuild> = tally.values().flat_map(|t| t.places.iter().copied()).collect();
    let mut at: HashMap<(u32, u32), usize, crate::model::FxBuild> = HashMap::default();
    for (i, r) in ctx.s.records.iter().enumerate() {
        if wanted.contains(&(r.file, r.line)) {
            at.entry((r.file, r.line)).or_insert(i);
        } else if r.line_end > r.line {
            for l in r.line + 1..=r.line_end.min(r.line + 200) {
                if wanted.contains(&(r.file, l)) {
                    at.entry((r.file, l)).or_insert(i);
                }
            }
        }
    }
    let classes: Vec<String> =
        tally.iter().map(|(c, t)| format!("{} {} ({} distinct, in {} file(s))", t.count, label(*c), t.distinct.len(), t.files.len())).collect();
    let mut ev: Vec<usize> = tally.values().flat_map(|t| t.places.iter().filter_map(|p| at.get(p).copied())).collect();
    ev.sort_unstable();
    ev.dedup();
    let total: usize = tally.values().map(|t| t.count).sum();
    let places: Vec<String> = ev.iter().take(6).map(|&i| ctx.loc(i)).collect();
    let mut f = Finding::new(
        "personal-data-present",
        "info",
        format!(
            "The inputs hold personal data: {} (values not shown; e.g. {}). \
             Use the sanitized export with personal-data masking (switchboard sanitize --personal) before sharing outside your organisation.",
            classes.join(", "),
            places.join(", ")
        ),
        ev,
    );
    f.count = total;
    out.push(f);
}

fn label(c: crate::sanitize::pseudonym::Class) -> &'static str {
    use crate::sanitize::pseudonym::Class;
    match c {
        Class::Name => "person name(s)",
        Class::Email => "e-mail address(es)",
        Class::Phone => "phone number(s)",
        Class::ChatText => "chat message(s)",
        Class::Ip => "IP address(es)",
        Class::Host => "host name(s)",
    }
}

/// The 1-based line of a byte offset in a file.
fn line_of(f: &crate::model::LogFile, at: usize) -> u32 {
    (f.line_starts.partition_point(|&s| s as usize <= at) as u32).max(1)
}

/// A value's 64-bit hash, for counting distinct values. FxHash: the values are the logs' own names
/// and numbers, not keys chosen to collide, and SipHash took a tenth of this finding on a busy day.
fn hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::model::FxHasher::default();
    s.hash(&mut h);
    h.finish()
}

// ---------------------------------------------------------------------------------------------
// ECE availability over time

/// An ECE entry point's answer: the ECE web server's, or one a browser captured (a HAR entry for
/// `entrypoint/initialize/{id}` or `checkEligibility`), with a numeric `responseType` (a BOSH
/// body's `type` is read into the same field as words).
pub fn is_entry_point_answer(r: super::facts::Rec) -> bool {
    r.get("responseType").is_some_and(|v| v.parse::<i64>().is_ok()) && (r.lane() == Lane::EceWeb || r.has("entryPointId"))
}

/// Each ECE entry point's availability over time: one finding per run of the same responseType
/// (`ece-chat-available` 0, `ece-no-agent` 1, `ece-queue-full` 2), with the run's count and span
/// and the entry point's whole history in its summary.
pub fn ece_availability(ctx: &Ctx, recs: &[usize], out: &mut Vec<Finding>) {
    let mut by_ep: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    for &i in recs {
        let Some(r) = ctx.rec(i) else { continue };
        let Some(rt) = field(r, "responseType") else { continue };
        by_ep.entry(field(r, "entryPointId").unwrap_or_default().to_string()).or_default().push((i, rt.to_string()));
    }
    for (ep, mut v) in by_ep {
        v.sort_by_key(|(i, _)| (ctx.pos(*i), *i));
        let mut runs: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, rt) in v {
            match runs.last_mut() {
                Some((t, list)) if *t == rt => list.push(i),
                _ => runs.push((rt, vec![i])),
            }
        }
        let when = |i: usize| {
            let t = ctx.time_text(i);
            if t.is_empty() {
                ctx.loc(i)
            } else {
                t.to_string()
            }
        };
        let history = if runs.len() > 1 {
            format!(
                " Over the capture: {}.",
                runs.iter()
                    .map(|(rt, l)| format!("responseType {rt} ×{} from {}", l.len(), l.first().map(|&i| when(i)).unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(" → ")
            )
        } else {
            String::new()
        };
        for (rt, list) in &runs {
            let (code, sev, text) = match rt.as_str() {
                "0" => ("ece-chat-available", "info", "an agent is available or the queue depth is not reached, so chat is offered. If chats still do not reach agents, check the agent's MRD state in rttest (look for [..,RD]: CSCvq11852)."),
                "1" => ("ece-no-agent", "warning", "no agent is available, so chat is not offered. Check that an agent is logged in to the chat MRD and ready (OPC AS_NOT_ACTIVE, rttest [na-…,RA]), and that the agent is in a skill group of the MRD."),
                "2" => ("ece-queue-full", "warning", "the maximum queue depth is reached, so chat is not offered. Check the queue's maximum depth and how many chats are waiting."),
                _ => ("ece-chat-available", "info", "an unknown responseType."),
            };
            let (Some(&a), Some(&b)) = (list.first(), list.last()) else { continue };
            let span = if list.len() > 1 { format!(" {} times, from {} to {}", list.len(), when(a), when(b)) } else { String::new() };
            let mut f = Finding::new(
                code,
                sev,
                format!("Chat entry point {ep} answers responseType {rt}{span}: {text}{history} Evidence: {}.", ctx.loc(a)),
                list.iter().copied().take(MAX_EVIDENCE).collect(),
            );
            f.count = list.len();
            out.push(f);
        }
    }
}
