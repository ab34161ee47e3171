//! UCCE / PCCE process logs: every ICM process (CTI server, OPC, router, PIMs, JTAPI gateway, NM,
//! MDS, logger, real-time server, DB agent …) as `dumplog` prints its binary `.ems` log, in both of
//! `dumplog`'s output forms, as engineers paste them. The families that share this grammar:
//! `ctisvr` and `opc` (in `cti.rs`), `mr-pim` (every PIM: media routing and voice), `icm-router`,
//! `icm-process` (any other process, or several at once), `icm-dumplog` (the standard form with its
//! date line) and `icm-dumplog-cisco` (the `/ciscoLog` form). Which family a file is depends only on
//! which processes its lines name; the records read the same.
//!
//! ## The standard form (`dumplog`, `dumplog /ms`)
//!
//! ```text
//! file      := { date-line | line | continuation }
//! date-line := "Events from " [weekday ", "] month-name " " d ", " yyyy      -- at the top and at each new day
//!            | "Events from " mm "/" dd "/" yyyy | "Events from " yyyy "-" mm "-" dd
//! line      := time " " [component " "] [kind] message
//! time      := HH ":" MM ":" SS [ (":" | ".") mmm ]          -- /ms adds the milliseconds; no date, no zone
//! component := node "-" process                               -- cg1A-ctisvr, PG2A-pim3, ra-rtr, la-lgr, PG1A-jgw1
//! kind      := "Trace: "
//!            | ("SESSION" | "Session") " " n ":" blanks       -- a CTI client session's message dump
//!            | ε                                              -- an EMS event (`MDS is in service.`)
//! continuation := a line that does not start with a time      -- the rest of a multi-line dump
//!              | a prefixed line that continues the one before (see `icm_glue`)
//! ```
//! `procmon` echoes trace lines without a component (`14:32:40 Trace: …`); articles often quote
//! ctisvr lines without the time and component (`Trace: AGENT_EVENT: …`, `MsgType:…`). The
//! `grep`/quote/indent prefixes an engineer's copy adds are taken off by `wrapper.rs`.
//!
//! Messages (what names a record):
//!
//! | message | name |
//! |---|---|
//! | `MsgType:OFFER_TASK_IND (InvokeID:0x… …` (after `SESSION n:`, over several lines) | `OFFER_TASK_IND` |
//! | `ProcessOfferTaskInd - sessionID 3`, `MakeAgentReadyInd - InvokeID = …` | the operation |
//! | `SendARMMsg: ARM_OFFER_TASK_IND-- InvokeID = …` / `SendARMMsg -- …` | `SendARMMsg` (`arm_message`) |
//! | `AGENT_EVENT: ID=… St=…`, `OFFER_TASK_EVENT: …`, `DEVICE_TARGET_PRE_CALL_IND - …` | the event |
//! | `SetAgentState: ASTID=… OldState=AS_… NewState=AS_…` | `SetAgentState` |
//! | router `(4 x 0 : 0 0) NewCall: CID=(day,callid), …` | `NewCall` (`dialog`, `CID`) |
//! | router `Agent 7012 from PG domain 5002. [na-0:2[0],RA] to [res-0+1:2[0],R]` | `AgentStateChange` |
//! | PIM `Application->PG:` + `Message = NEW_TASK; Length = …` block | `NEW_TASK` |
//! | PIM `Send INRCMSGNewCall to Router : :` + `NEW_CALL RCID=…` | `NEW_CALL` |
//! | an EMS event in prose | none (its text stays the message) |
//!
//! Lines written by the project (standard form, with and without `/ms`):
//!
//! ```text
//! Events from Tuesday, March 11, 2025
//! 14:30:02:118 cg2A-ctisvr SESSION 4: MsgType:SET_AGENT_STATE_REQ (InvokeID:0x2a1 PeripheralID:5002
//! 14:30:02:118 cg2A-ctisvr SESSION 4:         AgentState:AVAILABLE AgentWorkMode:0 AgentID:"3021" )
//! 14:30:02:140 PG2A-opc Trace: SetAgentState: ASTID=7012 Periph#=3021 MRDomainID=1 OldState=AS_NOT_READY NewState=AS_AVAILABLE
//! 14:30:03 rb-rtr MDS is in service.
//! ```
//!
//! ## The Cisco Log form (`dumplog /ciscoLog`, and the same events sent to syslog)
//!
//! ```text
//! line := ["<" pri ">"] seq ":" [" " host] ": " Mon " " d " " yyyy " " HH:MM:SS[.mmm] " " ±zzzz ": "
//!         "%" appname ["-" sev "-" msgid] ": " ["%"] { "[" key "=" value "]" } ": " message
//! ```
//! Tags: `comp` (component and side), `pname` (process), `iid` (instance), `mid` (message id), `sev`.
//! The message is the same text as the standard form's (a `Trace:` or `SESSION n:` message reads
//! as above). Written by the project:
//! `31: CCE-RGR-B: Mar 11 2025 14:30:02.125 -0400: %ICM_Router_CallRouter: [comp=Router-B][pname=rtr][iid=acme][sev=info]: Side B rtr process is OK.`
//!
//! Sources that taught these layouts: the Serviceability Best Practices Guide (dumplog standard and
//! Cisco Log forms, the `Events from` line, since 7.2(1)), the Serviceability Guide 12.5 (Cisco Log
//! syslog form with `-sev-msgid` and `[mid=…]`), the dumplog tech note (`/ms`, `/ciscoLog`), the
//! Finesse queue-statistics TAC note (ctisvr `SESSION n:` dumps with indented continuation lines),
//! the ProcMon TAC note (trace echo without a component) and the shared corpus (seeds 000, 001, 003).

use super::engine::{self, bracket_groups, kv_colon, kv_eq, kv_lines, kv_spaced, put, share, stamp_hms};
use super::{Example, Format, IdRule, Lane, Role, Sample, Shape};
use crate::model::Record;

/// What follows the component on an ICM line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind<'a> {
    /// `Trace: …`
    Trace,
    /// `SESSION n: …` / `Session n: …` (the session number).
    Session(&'a str),
    /// An EMS event without a kind.
    Plain,
}

/// One ICM line split into its parts.
pub struct IcmLine<'a> {
    pub time: Option<engine::Stamp>,
    /// `cg1A-ctisvr`, `PG2A-pim3`, `ra-rtr` (empty for prefix-less excerpts and procmon echoes).
    pub component: &'a str,
    pub kind: Kind<'a>,
    /// True when the message was indented after its kind (a dump's continuation line).
    pub indented: bool,
    pub msg: &'a str,
}

/// Splits `HH:MM:SS[:mmm] [node-proc ][Trace: |SESSION n: ]message`. Runs on every line at load:
/// one pass over the component's bytes, no searcher.
pub fn icm_line(line: &str) -> Option<IcmLine<'_>> {
    let st = stamp_hms(line)?;
    let b = line.as_bytes();
    let mut i = st.len;
    if b.get(i) != Some(&b' ') {
        return None;
    }
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    let rest = line.get(i..)?;
    if let Some(after) = rest.strip_prefix("Trace:") {
        let (indented, msg) = unindent(after);
        return Some(IcmLine { time: Some(st), component: "", kind: Kind::Trace, indented, msg });
    }
    // `node-process`: letters, digits, `_` and `-`, the process (after the last `-`) starting with a letter.
    let mut j = i;
    let mut dash = None;
    while let Some(&c) = b.get(j) {
        if c == b' ' {
            break;
        }
        if c == b'-' {
            dash = Some(j);
        } else if !(c.is_ascii_alphanumeric() || c == b'_') {
            return None;
        }
        j += 1;
    }
    let d = dash?;
    if d == i || !b.get(d + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let component = line.get(i..j)?;
    let (kind, indented, msg) = split_kind(line.get(j..).unwrap_or("").trim_start_matches(' '));
    Some(IcmLine { time: Some(st), component, kind, indented, msg })
}

fn unindent(s: &str) -> (bool, &str) {
    let t = s.trim_start_matches([' ', '\t']);
    (s.len() - t.len() >= 2, t)
}

/// `Trace: x` → (Trace, x); `SESSION 3:   x` → (Session("3"), indented, x); otherwise (Plain, all).
pub fn split_kind(s: &str) -> (Kind<'_>, bool, &str) {
    if let Some(m) = s.strip_prefix("Trace:") {
        let (ind, msg) = unindent(m);
        return (Kind::Trace, ind, msg);
    }
    let rest = s.strip_prefix("SESSION ").or_else(|| s.strip_prefix("Session "));
    if let Some(rest) = rest {
        let n = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
        if n > 0 && rest.as_bytes().get(n) == Some(&b':') {
            let (ind, msg) = unindent(rest.get(n + 1..).unwrap_or(""));
            return (Kind::Session(rest.get(..n).unwrap_or("")), ind, msg);
        }
    }
    (Kind::Plain, false, s)
}

/// Prefix-less excerpt lines (`Trace: …`, `MsgType:…`) as articles quote them.
pub fn bare_line(line: &str) -> Option<IcmLine<'_>> {
    if line.starts_with("Trace:") || line.starts_with("MsgType:") {
        let (kind, indented, msg) = split_kind(line);
        return Some(IcmLine { time: None, component: "", kind, indented, msg });
    }
    None
}

/// The process part of a component: `cg1A-ctisvr` → `ctisvr`.
pub fn process(component: &str) -> &str {
    component.rsplit('-').next().unwrap_or(component)
}

/// ICM processes engineers send logs of (for telling an ICM process log from other `HH:MM:SS`
/// logs): router, logger, AW/HDS, PG, CG and CTI OS processes.
pub fn known_process(p: &str) -> bool {
    let l = p.trim_end_matches(|c: char| c.is_ascii_digit());
    [
        "ctisvr",
        "ctios",
        "ctiosservernode",
        "opc",
        "rtr",
        "router",
        "pim",
        "jgw",
        "nm",
        "nmm",
        "mds",
        "ccag",
        "dbagent",
        "lgr",
        "logger",
        "rtsvr",
        "rtdist",
        "rtclient",
        "rtfeed",
        "pgag",
        "cg",
        "csfs",
        "hlgr",
        "rcv",
        "rpl",
        "replication",
        "uaw",
        "updateaw",
        "configlogger",
        "eagtpim",
        "vrupim",
        "mrpim",
        "cic",
        "msgis",
        "baimport",
        "dtp",
        "cms_jserver",
        "ctitest",
        "agi",
        "tomcat",
    ]
    .iter()
    .any(|k| l.eq_ignore_ascii_case(k))
}

/// How the ICM lines of a detection sample divide among processes.
pub struct Census {
    /// Non-blank sample lines.
    pub lines: usize,
    /// Lines with an ICM prefix.
    pub icm: usize,
    /// Of those, lines whose process satisfies the family's predicate.
    pub family: usize,
    /// Lines naming a known ICM process or written as `Trace:`.
    pub known: usize,
}

pub fn census(s: &Sample, pred: fn(&str) -> bool) -> Census {
    let mut c = Census { lines: s.lines.len(), icm: 0, family: 0, known: 0 };
    for l in &s.lines {
        let Some(p) = icm_line(l) else { continue };
        c.icm += 1;
        let proc_ = process(p.component);
        if !p.component.is_empty() && pred(proc_) {
            c.family += 1;
        }
        if p.kind == Kind::Trace || matches!(p.kind, Kind::Session(_)) || known_process(proc_) {
            c.known += 1;
        }
    }
    c
}

/// Score of a one-process family: most of the file's ICM lines come from its process.
pub fn proc_score(s: &Sample, pred: fn(&str) -> bool) -> u8 {
    let c = census(s, pred);
    if c.icm == 0 || c.icm * 100 < c.lines * 5 {
        return 0;
    }
    let share = c.family * 100 / c.icm;
    if share <= 50 {
        return 0;
    }
    75 + (share / 10).min(10) as u8
}

/// Glue for ICM logs: a prefixed line continues the one before when it finishes a `SESSION n:`
/// dump (same component and session, indented or with the dump's parenthesis still open, and not
/// a new `MsgType:`), or when it has the same time and process and carries only `key=value` data
/// (an event printed over several trace lines).
pub fn icm_glue(prev: &str, line: &str) -> bool {
    let Some(cur) = icm_line(line).or_else(|| bare_line(line)) else { return false };
    // What the line itself says first (most lines start a record: the line before is not parsed).
    let m = cur.msg;
    if m.starts_with("MsgType:") {
        return false;
    }
    let session = matches!(cur.kind, Kind::Session(_));
    if !session && (m.starts_with('(') || !m.contains('=') || first_word(m).is_some()) {
        return false;
    }
    let Some(p) = icm_line(prev).or_else(|| bare_line(prev)) else { return false };
    if p.component != cur.component || p.kind != cur.kind {
        return false;
    }
    if session {
        let opens = p.msg.bytes().filter(|&b| b == b'(').count();
        let closes = p.msg.bytes().filter(|&b| b == b')').count();
        return cur.indented || opens > closes;
    }
    p.time.as_ref().map(|t| (t.len, t.time.ms_of_day())) == cur.time.as_ref().map(|t| (t.len, t.time.ms_of_day()))
}

/// Fills time, component and severity from an ICM line; returns the message.
pub fn fill_prefix<'a>(rec: &mut Record, p: &IcmLine<'a>) -> &'a str {
    if let Some(st) = &p.time {
        rec.time = Some(st.time.clone());
    }
    if !p.component.is_empty() {
        rec.set_component(p.component);
    }
    match p.kind {
        Kind::Trace => rec.set_severity("Trace"),
        Kind::Session(n) => {
            rec.set_severity("Trace");
            put(rec, "session", n);
        }
        Kind::Plain => {}
    }
    p.msg
}

/// `engine::lead_word` in one pass over bytes (it runs on every ICM record at load): the leading
/// word up to a blank, `(`, `[` or `,`, without a trailing `:`/`-`/`()`; None for `Key=value`.
pub fn first_word(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let start = b.iter().position(|c| !c.is_ascii_whitespace())?;
    let mut end = start;
    while let Some(&c) = b.get(end) {
        match c {
            b' ' | b'\t' | b'(' | b'[' | b',' => break,
            b'=' => return None,
            _ if c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'.' | b'-') => end += 1,
            // Other bytes (`{`, quotes, non-ASCII) make it no operation name.
            _ => {
                while let Some(&c) = b.get(end) {
                    if matches!(c, b' ' | b'\t' | b'(' | b'[' | b',') {
                        break;
                    }
                    if c == b'=' {
                        return None;
                    }
                    end += 1;
                }
                return None;
            }
        }
    }
    let w = s.get(start..end)?.trim_end_matches([':', '-']);
    let w = w.strip_suffix("()").unwrap_or(w);
    (!w.is_empty() && w.len() <= 80 && w.as_bytes().first().is_some_and(|c| c.is_ascii_alphabetic())).then_some(w)
}

/// Name from the leading word when it names an operation, not prose: `MsgType:X`, a word followed
/// by `:`, ` -`, `--` or `()`, an UPPER_SNAKE event, or a CamelCase operation (`ProcessOfferTaskInd`).
pub fn op_name(msg: &str) -> Option<&str> {
    if let Some(t) = msg.strip_prefix("MsgType:") {
        return first_word(t);
    }
    let w = first_word(msg)?;
    let after = msg.trim_start().get(w.len()..).unwrap_or("");
    let upper = w.bytes().filter(|c| c.is_ascii_uppercase()).count();
    let lower = w.bytes().any(|c| c.is_ascii_lowercase());
    let snake = w.contains('_') && w.len() >= 4;
    let marked = after.starts_with(':') || after.starts_with(" -") || after.starts_with("--") || after.starts_with("()");
    let camel = lower && upper >= 2 && w.as_bytes().first().is_some_and(|c| c.is_ascii_uppercase());
    (marked || snake || camel).then_some(w)
}

/// `(4 x 0 : 0 0) rest` → (Some("4 x 0 : 0 0"), rest): the router's dialog context.
fn dialog_context(msg: &str) -> (Option<&str>, &str) {
    match msg.strip_prefix('(').and_then(|m| m.split_once(") ")) {
        Some((ctx, rest)) if engine::has(ctx, " x ") => (Some(ctx), rest),
        _ => (None, msg),
    }
}

/// The lines after the first one (memchr: records are mostly one long line).
fn after_first_line(body: &str) -> &str {
    memchr::memchr(b'\n', body.as_bytes()).and_then(|i| body.get(i + 1..)).unwrap_or("")
}

/// The name of an ICM message (read from the text: index entries keep no fields).
pub fn message_name<'a>(msg: &'a str, body: &'a str) -> Option<&'a str> {
    let (_, msg) = dialog_context(msg);
    if let Some(r) = msg.strip_prefix("Agent ") {
        if engine::has(r, " from PG domain ") {
            return Some("AgentStateChange");
        }
    }
    // PIM blocks: `Message = NEW_TASK; Length = …` or `NEW_CALL RCID=…` on the next line.
    let second = after_first_line(body);
    if let Some(m) = second.lines().find_map(|l| l.trim().strip_prefix("Message = ")) {
        let m = m.split(';').next().unwrap_or("").trim();
        if !m.is_empty() {
            return Some(m);
        }
    }
    if let Some(first) = second.lines().next() {
        let w = first.split(' ').next().unwrap_or("");
        if w.len() > 2 && w.bytes().all(|c| c.is_ascii_uppercase() || c == b'_') && first.contains('=') {
            return Some(w);
        }
    }
    op_name(msg)
}

/// Reads an ICM line and its continuation lines: time, component, severity, name and (in detail
/// mode) the message's fields. The protocol decoders (CTI text, ARM, routing) run after it.
pub fn read_icm(rec: &mut Record, p: &IcmLine, text: &str) {
    let msg = fill_prefix(rec, p);
    let start = engine::offset_in(text, msg).unwrap_or(0);
    let body = text.get(start..).unwrap_or("");
    if let Some(n) = message_name(msg, body) {
        rec.set_name(n);
    }
    if !rec.detail() {
        return;
    }
    let (ctx, m) = dialog_context(msg);
    if let Some(c) = ctx {
        put(rec, "dialog", c);
    }
    if rec.name() == Some("SendARMMsg") {
        if let Some(arm) = m.get(10..).and_then(engine::upper_snake) {
            put(rec, "arm_message", arm);
        }
    }
    // `ProcessMediaLoginReq - sessionID 4`
    if let Some(i) = engine::find(m, "sessionID ") {
        if let Some(v) = m.get(i + 10..).and_then(|v| v.split_whitespace().next()) {
            put(rec, "sessionID", v);
        }
    }
    // PIM blocks: one `Key = value` / `Key: value` per line after the header.
    let rest = after_first_line(body);
    if !rest.is_empty() && m.trim_end().ends_with(':') {
        put(rec, "header", m.trim_end_matches([' ', ':']));
    }
    if engine::has(body, "\nMessage = ") {
        kv_lines(rec, rest);
    }
    agent_state_change(rec, m);
    kv_spaced(rec, body);
    kv_eq(rec, body);
    kv_colon(rec, body);
    router_call_key(rec, body);
}

/// `CID=(154526,37051928)` / `CRS(RtrDate=154526,RtrCID=37051928)` → RouterCallKeyDay/CallID.
fn router_call_key(rec: &mut Record, body: &str) {
    let at = engine::find(body, "CID=(").map(|i| i + 5).or_else(|| engine::find(body, "RtrDate=").map(|i| i + 8));
    let Some(rest) = at.and_then(|i| body.get(i..)) else { return };
    let day: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
    let after = rest.get(day.len()..).unwrap_or("");
    let after = after.strip_prefix(',').map(|a| a.strip_prefix("RtrCID=").unwrap_or(a)).unwrap_or("");
    let call: String = after.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
    if !day.is_empty() && !call.is_empty() && !day.starts_with('-') && !call.starts_with('-') {
        put(rec, "RouterCallKeyDay", &day);
        put(rec, "RouterCallKeyCallID", &call);
    }
}

/// Router agent state text: `na` not active, `nr` not ready, `res` reserved (`[res-0+1:3[0],R]`).
fn router_state(s: &str) -> Option<&'static str> {
    let abbrev = s.trim_start_matches('[').split(['-', ',', ']']).next().unwrap_or("");
    Some(match abbrev {
        "na" => "NOT_ACTIVE",
        "nr" => "NOT_READY",
        "res" => "RESERVED",
        "act" => "ACTIVE",
        "li" => "LOGIN",
        "lo" => "LOGOUT",
        _ => return None,
    })
}

/// `Agent 5172 from PG domain 5011. [na-0:3[0],RA*] to [res-0+1:3[0],R]`.
fn agent_state_change(rec: &mut Record, msg: &str) {
    let Some(r) = msg.strip_prefix("Agent ") else { return };
    let Some((a, rest)) = r.split_once(" from PG domain ") else { return };
    put(rec, "AGSTID", a);
    put(rec, "ICMAgentID", a);
    let Some((d, rest)) = rest.split_once(". ") else { return };
    put(rec, "MRDID", d);
    let Some((from, to)) = rest.split_once(" to ") else { return };
    let to = to.split_whitespace().next().unwrap_or(to);
    put(rec, "from_state", from);
    put(rec, "to_state", to);
    if let Some(s) = router_state(from) {
        put(rec, "OldState", s);
    }
    if let Some(s) = router_state(to) {
        put(rec, "NewState", s);
    }
}

/// Every ICM family reads its lines this way (the date line too).
pub fn parse_icm_line(rec: &mut Record, first: &str, text: &str) {
    if let Some((y, m, d)) = dumplog_header(first) {
        date_header(rec, first, (y, m, d));
        return;
    }
    if let Some(p) = icm_line(first).or_else(|| bare_line(first)) {
        read_icm(rec, &p, text);
    }
}

/// A record starts at an ICM line or a dumplog date line.
pub fn starts_icm(l: &str) -> bool {
    icm_line(l).is_some() || dumplog_header(l).is_some()
}

// --- mr-pim -------------------------------------------------------------------------------------

fn is_pim(p: &str) -> bool {
    p.get(..3).is_some_and(|x| x.eq_ignore_ascii_case("pim")) || p.eq_ignore_ascii_case("eagtpim") || p.eq_ignore_ascii_case("vrupim")
}

pub static MR_PIM: Format = Format {
    name: "mr-pim",
    detect: |s| proc_score(s, is_pim),
    shape: Shape::Lines { starts_record: starts_icm, glue: icm_glue, parse: parse_icm_line },
    lane: Lane::MrPim,
    role: Role::Server,
    ids: &[],
    examples: PIM_EXAMPLES,
};

// --- icm-router ---------------------------------------------------------------------------------

fn is_router(p: &str) -> bool {
    p.eq_ignore_ascii_case("rtr") || p.eq_ignore_ascii_case("router")
}

pub static ICM_ROUTER: Format = Format {
    name: "icm-router",
    detect: |s| proc_score(s, is_router),
    shape: Shape::Lines { starts_record: starts_icm, glue: icm_glue, parse: parse_icm_line },
    lane: Lane::Router,
    role: Role::Server,
    ids: &[],
    examples: ROUTER_EXAMPLES,
};

// --- icm-process --------------------------------------------------------------------------------

/// Any ICM process log (JTAPI gateway, NM, MDS, logger, real-time server, …) or several processes
/// in one file, without dumplog's date line: the lane comes from each record's component.
pub static ICM_PROCESS: Format = Format {
    name: "icm-process",
    detect: |s| {
        let c = census(s, |_| false);
        if c.icm * 100 < c.lines * 20 || c.known == 0 {
            return 0;
        }
        62 + ((c.icm * 100 / c.lines.max(1)) / 10).min(10) as u8
    },
    shape: Shape::Lines { starts_record: starts_icm, glue: icm_glue, parse: parse_icm_line },
    lane: Lane::ByComponent,
    role: Role::Server,
    ids: &[IdRule::AgentAliases],
    examples: PROCESS_EXAMPLES,
};

// --- dumplog output -----------------------------------------------------------------------------

fn month_name(s: &str) -> Option<u32> {
    const NAMES: [&str; 12] = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
    let m = crate::time::month_from_abbrev(s)?;
    let full = NAMES.get(m as usize - 1)?;
    // `Feb`, `Feb.`, `February` (any case), not `Febx`.
    let w = s.trim_end_matches('.');
    (w.len() == 3 || (w.len() == full.len() && w.eq_ignore_ascii_case(full)) || (w.len() == 4 && w.eq_ignore_ascii_case("sept"))).then_some(m)
}

/// `Events from February 8, 2007` (dumplog's date line; also with a weekday, an abbreviated month,
/// `mm/dd/yyyy` or `yyyy-mm-dd`) → date.
pub fn dumplog_header(line: &str) -> Option<(i32, u32, u32)> {
    let rest = line.trim_start().strip_prefix("Events from ")?.trim();
    let b = rest.as_bytes();
    if b.first().is_some_and(|c| c.is_ascii_digit()) {
        if let Some(((y, m, d), _)) = crate::time::parse_ymd(rest) {
            return Some((y, m, d));
        }
        let mut it = rest.split(['/', ' ']);
        let m: u32 = it.next()?.parse().ok()?;
        let d: u32 = it.next()?.parse().ok()?;
        let y: i32 = it.next()?.parse().ok()?;
        return crate::time::valid_date(y, m, d).then_some((y, m, d));
    }
    let mut words = rest.split([' ', ',']).filter(|t| !t.is_empty());
    let mut w = words.next()?;
    let month = match month_name(w) {
        Some(m) => m,
        None => {
            // A weekday first.
            w = words.next()?;
            month_name(w)?
        }
    };
    let d: u32 = words.next()?.parse().ok()?;
    let y: i32 = words.next()?.parse().ok()?;
    crate::time::valid_date(y, month, d).then_some((y, month, d))
}

fn date_header(rec: &mut Record, first: &str, (y, m, d): (i32, u32, u32)) {
    rec.set_name("DATE_HEADER");
    // The line opens the day's events: placed at its start (local time, like the lines).
    let at = engine::find(first, "Events from ").map_or(0, |i| i + 12);
    rec.time = Some(engine::make_time(first.get(at..).unwrap_or("").trim_end(), Some((y, m, d)), Some(0), None));
    put(rec, "date", &format!("{y:04}-{m:02}-{d:02}"));
}

pub static ICM_DUMPLOG: Format = Format {
    name: "icm-dumplog",
    detect: |s| {
        let header = s.lines.iter().any(|l| dumplog_header(l).is_some());
        let lines = share(&s.lines, |l| icm_line(l).is_some());
        if header && lines >= 20 {
            90
        } else {
            0
        }
    },
    shape: Shape::Lines { starts_record: starts_icm, glue: icm_glue, parse: parse_icm_line },
    lane: Lane::ByComponent,
    role: Role::Server,
    ids: &[IdRule::AgentAliases],
    examples: DUMPLOG_EXAMPLES,
};

/// A Cisco Log line split into its parts.
pub struct CiscoLog<'a> {
    pub priority: Option<&'a str>,
    pub seq: &'a str,
    pub host: &'a str,
    pub stamp: engine::MdyParts<'a>,
    /// `ICM_Router_ProcessSynchronization` (without `-sev-msgid`).
    pub app: &'a str,
    pub sev: Option<&'a str>,
    pub msgid: Option<&'a str>,
    /// `[comp=…][pname=…]…` (possibly empty) and the message after it.
    pub rest: &'a str,
}

/// `[<134>]10: CICMRGRA: Feb 8 2007 05:37:44.658 +0000: %ICM_Router_X[-6-10500FF]: [comp=Router-A]…: text`
pub fn cisco_log(line: &str) -> Option<CiscoLog<'_>> {
    let mut l = line;
    let mut priority = None;
    if let Some(r) = l.strip_prefix('<') {
        let close = r.find('>')?;
        let p = r.get(..close)?;
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        priority = Some(p);
        l = r.get(close + 1..)?;
    }
    let n = l.bytes().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || n > 12 {
        return None;
    }
    let seq = l.get(..n)?;
    let mut rest = l.get(n..)?.strip_prefix(':')?.trim_start_matches(' ');
    // The host (possibly empty: `10:: Feb …`).
    let host = if let Some(r) = rest.strip_prefix(':') {
        rest = r.trim_start_matches(' ');
        ""
    } else {
        let (h, r) = rest.split_once(": ")?;
        if h.contains(' ') || h.len() > 255 {
            return None;
        }
        rest = r;
        h
    };
    let stamp = engine::mdy_parts(rest)?;
    let rest = rest.get(stamp.used()..)?.strip_prefix(": %")?;
    let colon = rest.find(':')?;
    let app_full = rest.get(..colon)?;
    if app_full.is_empty() || app_full.contains(' ') {
        return None;
    }
    let (app, sev, msgid) = split_app(app_full);
    let rest = rest.get(colon + 1..)?.trim_start_matches(' ');
    Some(CiscoLog { priority, seq, host, stamp, app, sev, msgid, rest })
}

/// `ICM_Router_CallRouter-6-10500FF` → (`ICM_Router_CallRouter`, `6`, `10500FF`).
fn split_app(a: &str) -> (&str, Option<&str>, Option<&str>) {
    if let Some((head, msgid)) = a.rsplit_once('-') {
        if let Some((app, sev)) = head.rsplit_once('-') {
            if sev.len() == 1 && sev.bytes().all(|c| c.is_ascii_digit()) && !msgid.is_empty() && msgid.bytes().all(|c| c.is_ascii_alphanumeric()) {
                return (app, Some(sev), Some(msgid));
            }
        }
    }
    (a, None, None)
}

fn is_icm_cisco(c: &CiscoLog) -> bool {
    let tags = c.rest.trim_start_matches('%');
    c.app.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("ICM")) || (tags.starts_with('[') && (engine::has(tags, "[pname=") || engine::has(tags, "[comp=")))
}

pub static ICM_DUMPLOG_CISCO: Format = Format {
    name: "icm-dumplog-cisco",
    detect: |s| engine::scored(&s.lines, 30, 85, |l| cisco_log(l).is_some_and(|c| is_icm_cisco(&c))),
    shape: Shape::Lines { starts_record: |l| cisco_log(l).is_some() || dumplog_header(l).is_some(), glue: engine::no_glue, parse: parse_cisco_log },
    lane: Lane::ByComponent,
    role: Role::Server,
    ids: &[IdRule::AgentAliases],
    examples: DUMPLOG_CISCO_EXAMPLES,
};

fn syslog_severity(n: &str) -> Option<&'static str> {
    Some(match n {
        "0" => "emergency",
        "1" => "alert",
        "2" => "critical",
        "3" => "error",
        "4" => "warning",
        "5" => "notice",
        "6" => "info",
        "7" => "debug",
        _ => return None,
    })
}

fn parse_cisco_log(rec: &mut Record, first: &str, text: &str) {
    if let Some(d) = dumplog_header(first) {
        date_header(rec, first, d);
        return;
    }
    // A copy hard-wrapped inside the tags (`[comp=Router-` / `A][pname=rtr]…`): read the lines
    // joined (the wrap fell inside a token).
    let opens = first.bytes().filter(|&b| b == b'[').count();
    let closes = first.bytes().filter(|&b| b == b']').count();
    if opens > closes && text.len() > first.len() {
        let joined: String = text.lines().map(|l| l.trim_end_matches('\r')).collect();
        if joined.len() > first.len() {
            let line = joined.lines().next().unwrap_or("");
            parse_cisco_line(rec, line, &joined);
            // The time as written is a slice of the file's own first line.
            if let Some(c) = cisco_log(first) {
                rec.time = Some(c.stamp.stamp().time);
            }
            return;
        }
    }
    parse_cisco_line(rec, first, text);
}

fn parse_cisco_line(rec: &mut Record, first: &str, text: &str) {
    let Some(c) = cisco_log(first) else { return };
    rec.time = Some(c.stamp.stamp().time);
    let tags = c.rest.strip_prefix('%').unwrap_or(c.rest);
    let comp = group_value(tags, "comp");
    let pname = group_value(tags, "pname");
    match (comp, pname) {
        // `Router-A` + `rtr` → `Router-A-rtr`, so the lane comes from the process as in the standard form.
        (Some(cm), Some(p)) if !cm.ends_with(p) => {
            // One buffer per thread: no allocation per line at load.
            thread_local!(static BUF: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) });
            BUF.with(|b| {
                let mut b = b.borrow_mut();
                b.clear();
                b.push_str(cm);
                b.push('-');
                b.push_str(p);
                rec.set_component(&b);
            });
        }
        (Some(cm), _) => rec.set_component(cm),
        (None, Some(p)) => rec.set_component(p),
        (None, None) => {}
    }
    if let Some(s) = group_value(tags, "sev").or_else(|| c.sev.and_then(syslog_severity)) {
        rec.set_severity(s);
    }
    // The message after the tags (`]: text`), read like a standard-form message.
    let used = if tags.starts_with('[') { tags_len(tags) } else { 0 };
    let after = tags.get(used..).unwrap_or("");
    let msg = after.strip_prefix(':').unwrap_or(after).trim_start_matches(' ');
    let (kind, _, m) = split_kind(msg);
    let start = engine::offset_in(text, m).unwrap_or(0);
    let body = text.get(start..).unwrap_or("");
    match message_name(m, body) {
        Some(n) if kind != Kind::Plain || m.starts_with("MsgType:") => rec.set_name(n),
        _ => rec.set_name(c.app),
    }
    if !rec.detail() {
        return;
    }
    put(rec, "seq", c.seq);
    put(rec, "host", c.host);
    put(rec, "app", c.app);
    if let Some(p) = c.priority {
        put(rec, "syslog_priority", p);
    }
    if let Some(m) = c.msgid {
        put(rec, "mid", m);
    }
    bracket_groups(rec, tags);
    put(rec, "message", m.trim());
    if let Kind::Session(n) = kind {
        put(rec, "session", n);
    }
    if kind != Kind::Plain || m.starts_with("MsgType:") {
        let (_, mm) = dialog_context(m);
        agent_state_change(rec, mm);
        kv_spaced(rec, body);
        kv_eq(rec, body);
        kv_colon(rec, body);
        router_call_key(rec, body);
    }
}

/// Bytes taken by consecutive `[k=v]` groups at the start of `s`.
fn tags_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while b.get(i) == Some(&b'[') {
        match s.get(i..).and_then(|r| r.find(']')) {
            Some(c) => i += c + 1,
            None => break,
        }
    }
    i
}

/// The value of a `[key=value]` group in `s` (read from the text: index entries keep no fields).
fn group_value<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    let b = s.as_bytes();
    let mut i = 0;
    while b.get(i) == Some(&b'[') {
        let close = i + s.get(i..)?.find(']')?;
        let inner = s.get(i + 1..close)?;
        if let Some((k, v)) = inner.split_once('=') {
            if k == key {
                return Some(v.trim());
            }
        }
        i = close + 1;
    }
    None
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const PIM_EXAMPLES: &[Example] = &[
    Example {
        variant: "MR PIM Application->PG message block",
        timed: true,
        path: "pim2.txt",
        text: "14:30:02:118 PG3A-pim2 Trace: Application->PG:
Message = NEW_TASK; Length = 188 bytes
DialogueID = (7) Hex 00000007
14:30:02:140 PG3A-pim2 Trace: PG->Application:
Message = DO_THIS_WITH_TASK; Length = 96 bytes
",
    },
    Example {
        variant: "voice PIM trace lines without milliseconds",
        timed: true,
        path: "pim1.txt",
        text: "14:30:02 PG1A-pim1 Trace: AgentStateChange: PeriphID=5000 Agent=3021 SkillTargetID=7012 State=AVAILABLE
14:30:05 PG1A-pim1 Trace: CSTA_DELIVERED: CallID=16777301 Device=3021
",
    },
];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const ROUTER_EXAMPLES: &[Example] = &[Example {
    variant: "Trace lines with a dialog context",
    timed: true,
    path: "rtr.txt",
    text: "14:30:02:125 rb-rtr Trace: (7 x 0 : 0 0) NewCall: CID=(155021,40077120), DN=ChatTask, MRDID=5002, CallAtVRU=1
14:30:02:126 rb-rtr Trace: (7 x 0 : 0 0) DeviceTargetPreCall_V14: CID=(155021,40077120), PerID=5000, AGSTID=7012, InvokeID=902
14:30:03:002 rb-rtr Trace: Agent 7012 from PG domain 5002. [na-0:2[0],RA] to [res-0+1:2[0],R]
",
}];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const PROCESS_EXAMPLES: &[Example] = &[
    Example {
        variant: "JTAPI gateway trace",
        timed: true,
        path: "jgw1.txt",
        text: "14:30:02:118 PG1A-jgw1 Trace: CallCtlConnOfferedEv: Call=16777301 Address=3021 Terminal=SEP00AA11BB22CC
14:30:02:131 PG1A-jgw1 Trace: ProcessAgentStateChange: AgentID=3021 State=TALKING
",
    },
    Example {
        variant: "several processes of one PG, without milliseconds",
        timed: true,
        path: "pg2a.txt",
        text: "14:30:02 PG2A-pgag Trace: MDSMessage: SendingToCentralController Side=A
14:30:02 PG2A-opc Trace: SetAgentState: ASTID=7012 Periph#=3021 MRDomainID=1 OldState=AS_NOT_READY NewState=AS_AVAILABLE
14:30:03 PG2A-pim1 Trace: AgentStateChange: Agent=3021 State=AVAILABLE
14:30:04 la-lgr Trace: RecoveryKey=4155001 Table=Agent_Event_Detail
",
    },
];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const DUMPLOG_EXAMPLES: &[Example] = &[
    Example {
        variant: "dumplog output with its date line",
        timed: true,
        path: "dumplog.txt",
        text: "Events from March 11, 2025
14:30:02:118 PG3A-opc Trace: SetAgentState: ASTID=7012 Periph#=5000 MRDomainID=5002 OldState=AS_NOT_ACTIVE NewState=AS_RESERVED
14:30:02:140 cg3A-ctisvr Trace: AGENT_EVENT: ID=3021 Periph=5000 ICMAgentID=7012 AgentState=RESERVED
14:30:03:002 rb-rtr Trace: Agent 7012 from PG domain 5002. [na-0:2[0],RA] to [res-0+1:2[0],R]
",
    },
    Example {
        variant: "without /ms, a weekday in the date line and a new day",
        timed: true,
        path: "rtr_dump.txt",
        text: "Events from Tuesday, March 11, 2025
23:59:58 rb-rtr MDS is in service.
Events from Wednesday, March 12, 2025
00:00:01 rb-rtr Trace: NewCall: CID=(155022,40077121), DN=ChatTask, MRDID=5002
",
    },
];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const DUMPLOG_CISCO_EXAMPLES: &[Example] = &[
    Example {
        variant: "dumplog /ciscoLog form",
        timed: true,
        path: "rtr_cisco.txt",
        text: "21: CICMRGRB: Mar 11 2025 14:30:02.125 -0400: %ICM_Router_ProcessSynchronization: [comp=Router-B][pname=rtr][iid=acme][sev=info]: Router is synchronized.
22: CICMRGRB: Mar 11 2025 14:30:05.900 -0400: %ICM_Router_MDSState: [comp=Router-B][pname=rtr][iid=acme][sev=info]: MDS is in service.
",
    },
    Example {
        variant: "Cisco Log to syslog, with severity and message id",
        timed: true,
        path: "icm-syslog.txt",
        text: "<134>31: cce-pg2a: Mar 11 2025 14:30:02.125 -0400: %ICM_PG_OPC-6-10A0001: [comp=PG2-A][pname=opc][iid=acme][mid=10A0001][sev=info]: Peripheral 5002 is online.
<131>32: cce-pg2a: Mar 11 2025 14:30:09.004 -0400: %ICM_PG_PIM-3-10B0003: [comp=PG2-A][pname=pim1][iid=acme][mid=10B0003][sev=error]: Peripheral 5002 went offline.
",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn one(f: &'static Format, text: &str) -> Vec<Record> {
        let mut file = crate::model::LogFile::new("x.log", text.len() as u64);
        file.text = text.to_string();
        file.line_starts = engine::line_starts(text);
        let mut out = Vec::new();
        super::super::parse_file(f, &file, 0, &mut out);
        out.iter().map(|r| super::super::decode_record(&file, r)).collect()
    }

    #[test]
    fn cisco_log_form() {
        let t = "10: CICMRGRA: Feb 8 2007 05:37:44.658 +0000: %ICM_Router_ProcessSynchronization: [comp=Router-A][pname=rtr][iid=ipcc][sev=info]: MDS is in service.\r\n";
        let lines: Vec<&str> = t.lines().collect();
        let s = Sample::new("rtr.txt", lines, t);
        assert!((ICM_DUMPLOG_CISCO.detect)(&s) >= 85);
        let r = one(&ICM_DUMPLOG_CISCO, t);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].name(), Some("ICM_Router_ProcessSynchronization"));
        assert_eq!(r[0].component(), Some("Router-A-rtr"));
        assert_eq!(r[0].severity(), Some("info"));
        assert_eq!(r[0].get_str("message").as_deref(), Some("MDS is in service."));
        let tm = r[0].time.clone().unwrap_or_default();
        assert_eq!(tm.date(), Some((2007, 2, 8)));
        assert_eq!(tm.offset_min(), Some(0));
        let c = cisco_log("<134>25: h: Feb 13 2007 18:23:21.408 +0000: %ICM_Router_CallRouter-6-10500FF: [mid=10500FF]: ok");
        assert_eq!(c.as_ref().map(|c| (c.app, c.sev, c.msgid, c.priority)), Some(("ICM_Router_CallRouter", Some("6"), Some("10500FF"), Some("134"))));
    }

    #[test]
    fn standard_dumplog() {
        let t = "Events from February 8, 2007\n00:37:44 ra-rtr MDS is in service.\n00:37:45 ra-rtr Trace: NewCall: CID=(1,2)\n";
        let s = Sample::new("x.txt", t.lines().collect(), t);
        assert_eq!((ICM_DUMPLOG.detect)(&s), 90);
        let r = one(&ICM_DUMPLOG, t);
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].get_str("date").as_deref(), Some("2007-02-08"));
        assert_eq!(r[1].component(), Some("ra-rtr"));
        assert_eq!(r[1].name(), None);
        assert_eq!(Some(r[1].time_text(t)), Some("00:37:44"));
        assert_eq!(r[2].get_str("RouterCallKeyDay").as_deref(), Some("1"));
    }

    #[test]
    fn date_lines() {
        assert_eq!(dumplog_header("Events from Tuesday, March 11, 2025"), Some((2025, 3, 11)));
        assert_eq!(dumplog_header("Events from Mar 11, 2025"), Some((2025, 3, 11)));
        assert_eq!(dumplog_header("Events from 03/11/2025"), Some((2025, 3, 11)));
        assert_eq!(dumplog_header("Events from 2025-03-11"), Some((2025, 3, 11)));
        assert_eq!(dumplog_header("Events from Marchy 11, 2025"), None);
        assert_eq!(dumplog_header("Events from Smarch 99, 2007"), None);
    }

    /// Lines of every ICM family cut and spliced with grammar pieces at random char boundaries:
    /// no parser or decoder panics.
    #[test]
    fn mutated_lines_never_panic() {
        let formats: [&'static Format; 9] = [
            &MR_PIM,
            &ICM_ROUTER,
            &ICM_PROCESS,
            &ICM_DUMPLOG,
            &ICM_DUMPLOG_CISCO,
            &super::super::cti::CTISVR,
            &super::super::cti::OPC,
            &super::super::icm_console::ICM_CONSOLE,
            &super::super::rttest::RTTEST,
        ];
        let seeds: Vec<&str> = formats.iter().flat_map(|f| f.examples.iter().map(|e| e.text)).collect();
        let junk = [
            "é",
            "[",
            "]",
            "(",
            ")",
            ":",
            "=",
            " ",
            "\n",
            "\r\n",
            "Trace:",
            "SESSION 9:",
            "MsgType:",
            "<",
            ">",
            "%",
            "-",
            "0x",
            "Events from ",
            "9",
            "\t",
            ">>>>",
            "opctest:",
            "InvokeID:0x",
            "Status:",
            "AgentState:",
            "CID=(",
            "Agent 1 from PG domain ",
            ". [",
            " to [",
            "Message = ",
            "[comp=",
            "[pname=",
            "\u{0}",
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n.max(1) as u64) as usize
        };
        for _ in 0..1500 {
            let mut t = seeds[next(seeds.len())].to_string();
            for _ in 0..1 + next(6) {
                let mut at = next(t.len() + 1);
                while !t.is_char_boundary(at) {
                    at -= 1;
                }
                if next(4) == 0 {
                    t.truncate(at);
                } else {
                    t.insert_str(at, junk[next(junk.len())]);
                }
            }
            for f in formats {
                let _ = one(f, &t);
            }
        }
    }

    #[test]
    fn first_word_is_lead_word() {
        for m in [
            "ProcessMediaLoginReq - sessionID 4",
            "SendARMMsg: ARM_X-- InvokeID = 1",
            "MDSIO::ProcessOPCMessage: x",
            "CID=(1,2):DN",
            "MRDID=1 X=2",
            "  Agent 5 from",
            "",
            " ",
            "Deleting Dialog.",
            "a{b} c",
            "x()",
            "é1 2",
            "OrigRCCallID{PhyCtrlID=0, RCID=0}",
            "9abc:",
        ] {
            assert_eq!(first_word(m), engine::lead_word(m), "{m:?}");
        }
    }

    #[test]
    fn session_blocks_glue() {
        let a = "22:21:22:999 cg1A-ctisvr SESSION 9: MsgType:QUERY_AGENT_STATE_CONF (InvokeID:0x1b65f PeripheralID:5000";
        let b = "22:21:22:999 cg1A-ctisvr SESSION 9:         AgentState:AGENT_STATE_AVAILABLE NumSkillGroups:1";
        let c = "22:21:23:004 cg1A-ctisvr SESSION 9: MsgType:HEARTBEAT_REQ (InvokeID:0x1b660 )";
        assert!(icm_glue(a, b));
        assert!(icm_glue(b, b));
        assert!(!icm_glue(b, c));
        assert!(!icm_glue(a, "22:21:22:999 cg1A-ctisvr SESSION 8:         X:1"));
        assert!(icm_line("15:20:31.902 job 5 done").is_none());
        assert_eq!(icm_line("14:32:40 Trace: EMT Creating Mutex").map(|p| p.component), Some(""));
    }
}
