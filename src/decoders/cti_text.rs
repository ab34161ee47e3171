//! Text forms of CTI/ARM messages in ctisvr and OPC traces (any release, any dumplog form):
//! `SESSION n: MsgType:END_TASK_IND (InvokeID:0x8c2c …)` dumps whose fields continue on the
//! following prefixed lines (indented, or cut inside a value), `AGENT_EVENT: ID=… St=… MRDID=…`
//! (also split over `Trace:` lines), `SendARMMsg -- InvokeID = …`, `ProcessARMMediaLoginRespMsg -- …`,
//! OPC `MakeAgentRoutableInd - …`, `SetAgentState: … OldState=AS_NOT_READY NewState=AS_NOT_ACTIVE`,
//! `DEVICE_TARGET_PRE_CALL_IND - …`, `OFFER_TASK_EVENT: …` and its continuation lines (`TaskID=…`).
//!
//! Fields keep the names the trace prints (`InvokeID`, `MRDID`, `ICMAgentID`, `PeripheralID`,
//! `SkillGroupNumber`, `MaxTasks`, `MakeRoutable`, `AgentInfo`, `Status`, `TaskID`, …), plus:
//! `InvokeID` as a decimal number with `InvokeIDHex`; `MessageType` (CTI or ARM name) and
//! `MessageTypeID` (its number in the CTI protocol); `AgentState` (name) and `AgentStateID` for
//! agent events and confirmations (a request's state is `RequestedAgentState`); `SkillGroupState`;
//! `OldState`/`NewState` without the `AS_` prefix for SetAgentState; `StatusName` for ARM status
//! codes and CTI failure statuses (`E_CTI_…`); `AgentID`, `ICMAgentID`, `SkillTargetID`,
//! `PeripheralID`, `ReasonCode` under their protocol names whatever the trace abbreviation
//! (`ID`, `ICMAgtID`, `STID`/`SkTgtID`, `Periph`, `Reason`; OPC `Periph#` is the agent's peripheral
//! number); `TaskKey` (canonical `day_callid_seq`) and `RouterCallKey`.

use super::common::{self, name_if_none};
use crate::model::Record;
use regex::Regex;
use std::sync::LazyLock;

static MSGTYPE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"MsgType:\s*([A-Z][A-Z0-9_]*)").ok());
static GLUED_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(\d)([A-Z][A-Za-z]+:)").ok());
static ARM_FN_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?:SendARMMsg(?::\s*ARM_([A-Z_]+))?|Process(?:ARM)?([A-Z][A-Za-z]+?)(?:Msg)?|\b(MakeAgent[A-Za-z]+|MediaLogin[A-Za-z]+|MediaLogout[A-Za-z]+|[A-Z][a-z]+TaskInd))\s*-")
        .ok()
});
static EVENT_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?::| -) ").ok());
static RCK_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"RouterCallKey=(-?\d+) (-?\d+) (-?\d+)").ok());

/// CTI message types (CTI Server protocol; the ARM types are in `arm::message_type_name`).
pub fn cti_message_type_name(n: u32) -> Option<&'static str> {
    Some(match n {
        1 => "FAILURE_CONF",
        2 => "FAILURE_EVENT",
        3 => "OPEN_REQ",
        4 => "OPEN_CONF",
        5 => "HEARTBEAT_REQ",
        6 => "HEARTBEAT_CONF",
        7 => "CLOSE_REQ",
        8 => "CLOSE_CONF",
        9 => "CALL_DELIVERED_EVENT",
        10 => "CALL_ESTABLISHED_EVENT",
        11 => "CALL_HELD_EVENT",
        12 => "CALL_RETRIEVED_EVENT",
        13 => "CALL_CLEARED_EVENT",
        14 => "CALL_CONNECTION_CLEARED_EVENT",
        15 => "CALL_ORIGINATED_EVENT",
        16 => "CALL_FAILED_EVENT",
        17 => "CALL_CONFERENCED_EVENT",
        18 => "CALL_TRANSFERRED_EVENT",
        19 => "CALL_DIVERTED_EVENT",
        20 => "CALL_SERVICE_INITIATED_EVENT",
        21 => "CALL_QUEUED_EVENT",
        22 => "CALL_TRANSLATION_ROUTE_EVENT",
        23 => "BEGIN_CALL_EVENT",
        24 => "END_CALL_EVENT",
        25 => "CALL_DATA_UPDATE_EVENT",
        26 => "SET_CALL_DATA_REQ",
        27 => "SET_CALL_DATA_CONF",
        28 => "RELEASE_CALL_REQ",
        29 => "RELEASE_CALL_CONF",
        30 => "AGENT_STATE_EVENT",
        31 => "SYSTEM_EVENT",
        32 => "CLIENT_EVENT_REPORT_REQ",
        33 => "CLIENT_EVENT_REPORT_CONF",
        34 => "CALL_REACHED_NETWORK_EVENT",
        35 => "CONTROL_FAILURE_CONF",
        36 => "QUERY_AGENT_STATE_REQ",
        37 => "QUERY_AGENT_STATE_CONF",
        38 => "SET_AGENT_STATE_REQ",
        39 => "SET_AGENT_STATE_CONF",
        40 => "ALTERNATE_CALL_REQ",
        41 => "ALTERNATE_CALL_CONF",
        42 => "ANSWER_CALL_REQ",
        43 => "ANSWER_CALL_CONF",
        44 => "CLEAR_CALL_REQ",
        45 => "CLEAR_CALL_CONF",
        46 => "CLEAR_CONNECTION_REQ",
        47 => "CLEAR_CONNECTION_CONF",
        48 => "CONFERENCE_CALL_REQ",
        49 => "CONFERENCE_CALL_CONF",
        50 => "CONSULT_CALL_REQ",
        51 => "CONSULT_CALL_CONF",
        52 => "DEFLECT_CALL_REQ",
        53 => "DEFLECT_CALL_CONF",
        54 => "HOLD_CALL_REQ",
        55 => "HOLD_CALL_CONF",
        56 => "MAKE_CALL_REQ",
        57 => "MAKE_CALL_CONF",
        114 => "QUERY_SKILL_GROUP_STATISTICS_REQ",
        115 => "QUERY_SKILL_GROUP_STATISTICS_CONF",
        _ => return None,
    })
}

/// A message type's number: CTI first, then ARM.
fn message_type_number(name: &str) -> Option<u32> {
    (1..=115u32).find(|&n| cti_message_type_name(n) == Some(name)).or_else(|| super::arm::message_type_number(name))
}

/// CTI failure statuses (`FAILURE_CONF` / `FAILURE_EVENT` `Status`).
pub fn cti_status_name(n: i64) -> Option<&'static str> {
    Some(match n {
        0 => "E_CTI_NO_ERROR",
        1 => "E_CTI_INVALID_VERSION",
        2 => "E_CTI_INVALID_MESSAGE_TYPE",
        3 => "E_CTI_INVALID_FIELD",
        4 => "E_CTI_SESSION_NOT_OPEN",
        5 => "E_CTI_SESSION_ALREADY_OPEN",
        6 => "E_CTI_REQUIRED_DATA_MISSING",
        7 => "E_CTI_INVALID_PERIPHERAL_ID",
        8 => "E_CTI_INVALID_AGENT_DATA",
        9 => "E_CTI_AGENT_NOT_LOGGED_ON",
        10 => "E_CTI_DEVICE_IN_USE",
        11 => "E_CTI_NEW_SESSION_OPENED",
        13 => "E_CTI_INVALID_CALLID",
        17 => "E_CTI_UNSPECIFIED_FAILURE",
        _ => return None,
    })
}

pub fn decode(rec: &mut Record, text: &str) {
    if crate::holds!(text, "MsgType:") {
        msg_type(rec, text);
    }
    if (crate::holds!(text, " = ") && (crate::holds!(text, "SendARMMsg") || crate::holds!(text, "InvokeID = ") || crate::holds!(text, "Process")))
        || (crate::holds!(text, "Process") && crate::holds!(text, "sessionID"))
    {
        arm_call(rec, text);
    }
    if crate::holds!(text, "AGENT_EVENT:") || crate::holds!(text, "OverallState=") || crate::holds!(text, "SkgState=") {
        agent_event(rec, text);
    }
    if crate::holds!(text, "SetAgentState:") {
        set_agent_state(rec, text);
    }
    if crate::holds!(text, "_PRE_CALL_IND")
        || crate::holds!(text, "_TASK_EVENT:")
        || (crate::holds!(text, "TaskID=") && !crate::holds!(text, "MsgType:"))
        || crate::holds!(text, "PreviousTaskID=")
    {
        named_event(rec, text);
    }
}

fn put_pair(rec: &mut Record, k: &str, v: &str) {
    let v = v.trim().trim_matches('"');
    match k {
        "InvokeID" => common::set_invoke_id(rec, v),
        "TaskID" | "IcmTaskID" | "PreviousTaskID" => {
            rec.set(k, v);
            if k != "PreviousTaskID" {
                common::set_task_key(rec, v);
            }
        }
        "Status" => {
            rec.set("Status", common::num_or_str(v));
            if let Some(n) = common::parse_int(v) {
                let msg = rec.get_str("MessageType");
                let cti_failure = msg.as_deref().is_some_and(|m| m == "FAILURE_CONF" || m == "FAILURE_EVENT");
                let name = if cti_failure { cti_status_name(n) } else { common::arm_status_name(n) };
                if let Some(s) = name {
                    rec.set("StatusName", s);
                }
            } else if v.starts_with("E_") {
                rec.set("StatusName", v);
            }
        }
        "AgentState" | "SkillGroupState" => {
            // Numbers become names; names keep their number beside them.
            let named = common::parse_int(v).and_then(common::agent_state_name);
            let state = named.unwrap_or(v).trim_start_matches("AGENT_STATE_");
            let request = rec.get_str("MessageType").is_some_and(|m| m.ends_with("_REQ"));
            let key = match (k, request) {
                ("AgentState", true) => "RequestedAgentState",
                _ => k,
            };
            rec.set(key, state);
            if key == "RequestedAgentState" {
                // A request asks for a state; it does not report one (the format's generic reader
                // may have kept it as written).
                rec.fields_mut().remove("AgentState");
            }
            if k == "AgentState" && !request {
                if let Some(n) = state_number(state) {
                    rec.set("AgentStateID", n);
                }
            }
        }
        _ => rec.set(k, common::num_or_str(v)),
    }
}

/// A continuation line of a message dump without its ICM prefix (`HH:MM:SS:mmm node-proc SESSION n:`
/// or `Trace:`).
fn without_prefix(line: &str) -> &str {
    match crate::formats::icm::icm_line(line).or_else(|| crate::formats::icm::bare_line(line)) {
        Some(p) => p.msg,
        None => line,
    }
}

/// `MsgType:OFFER_TASK_IND (InvokeID:0x8a88 MRDID:5011 …` and its continuation lines.
fn msg_type(rec: &mut Record, text: &str) {
    let Some(c) = MSGTYPE_RE.as_ref().and_then(|r| r.captures(text)) else { return };
    let name = c.get(1).map(|m| m.as_str()).unwrap_or("");
    rec.set("MessageType", name);
    if let Some(n) = message_type_number(name) {
        rec.set("MessageTypeID", n);
    }
    name_if_none(rec, name);
    let start = c.get(0).map(|m| m.end()).unwrap_or(0);
    let rest = text.get(start..).unwrap_or("");
    // The dump's lines, each without its prefix, joined where the trace broke them.
    let mut joined = String::with_capacity(rest.len());
    for (i, line) in rest.lines().enumerate() {
        let l = if i == 0 { line } else { without_prefix(line) };
        if i > 0 {
            joined.push(' ');
        }
        joined.push_str(l.trim_end_matches('\r'));
    }
    let fixed = match GLUED_RE.as_ref() {
        Some(re) => re.replace_all(&joined, "$1 $2").into_owned(),
        None => joined,
    };
    colon_pairs(&fixed, |k, v| {
        if k != "Session" && k != "Trace" && k != "SESSION" {
            put_pair(rec, k, v);
        }
    });
    protocol_names(rec);
    if !text.contains(')') {
        rec.note("MsgType block continues on the next line(s) (no closing parenthesis in this record)");
    }
}

/// Every `Key:value` of a dump, in order, as the pattern
/// `([A-Za-z][A-Za-z0-9_]*):("[^"]*"|<[^>]*>(?: <[^>]*>)?|[^\s()]*)` finds them one after another
/// (read by hand: the pattern's capture passes cost some 4 000 instructions a pair). A key is the
/// first letter of the name run before a colon; the value a quoted string, one or two `<…>`, or
/// the run up to white space or a parenthesis.
fn colon_pairs<'t>(text: &'t str, mut each: impl FnMut(&'t str, &'t str)) {
    let b = text.as_bytes();
    let name_byte = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut at = 0;
    while let Some(colon) = memchr::memchr(b':', b.get(at..).unwrap_or(&[])).map(|i| at + i) {
        // The name run before the colon, no further back than the search's start; the key starts
        // at its first letter (a digit or `_` cannot start one).
        let mut run = colon;
        while run > at && b.get(run - 1).is_some_and(|&c| name_byte(c)) {
            run -= 1;
        }
        let Some(start) = (run..colon).find(|&i| b.get(i).is_some_and(u8::is_ascii_alphabetic)) else {
            at = colon + 1;
            continue;
        };
        let from = colon + 1;
        let end = pair_value_end(text, from);
        each(text.get(start..colon).unwrap_or(""), text.get(from..end).unwrap_or(""));
        // A pair is never empty (a letter and a colon), so the search moves on.
        at = end.max(colon + 1);
    }
}

/// Where a `Key:` value starting at `from` ends (see `colon_pairs`): the alternatives in the
/// pattern's order, the first that matches wins.
fn pair_value_end(text: &str, from: usize) -> usize {
    let b = text.as_bytes();
    let rest = b.get(from..).unwrap_or(&[]);
    let after = |c: u8, skip: usize| rest.get(skip..).and_then(|r| memchr::memchr(c, r)).map(|i| from + skip + i + 1);
    match rest.first() {
        Some(b'"') => {
            if let Some(end) = after(b'"', 1) {
                return end;
            }
        }
        Some(b'<') => {
            if let Some(end) = after(b'>', 1) {
                // An optional second ` <…>`.
                if b.get(end..end + 2) == Some(b" <") {
                    if let Some(second) = b.get(end + 2..).and_then(|r| memchr::memchr(b'>', r)) {
                        return end + 2 + second + 1;
                    }
                }
                return end;
            }
        }
        _ => {}
    }
    let tail = text.get(from..).unwrap_or("");
    from + tail.find(|c: char| c.is_whitespace() || c == '(' || c == ')').unwrap_or(tail.len())
}

/// IDs under their protocol names whatever the trace abbreviation.
fn protocol_names(rec: &mut Record) {
    for (from, to) in [
        ("ICMAgtID", "ICMAgentID"),
        ("STID", "SkillTargetID"),
        ("SkTgtID", "SkillTargetID"),
        ("AgentSkillTargetID", "SkillTargetID"),
        ("Periph", "PeripheralID"),
        ("Reason", "ReasonCode"),
    ] {
        if rec.fields().contains_key(to) {
            continue;
        }
        if let Some(v) = rec.fields().get(from).cloned() {
            rec.set(to, common::num_or_str(&value_text(&v)));
        }
    }
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `SendARMMsg -- InvokeID = …`, `ProcessARMMediaLoginRespMsg -- …`, OPC `MakeAgentReadyInd - …`.
fn arm_call(rec: &mut Record, text: &str) {
    let mut mtype: Option<String> = None;
    if let Some(c) = ARM_FN_RE.as_ref().and_then(|r| r.captures(text)) {
        let cand = c.get(1).or(c.get(2)).or(c.get(3)).map(|m| m.as_str().to_string());
        if let Some(cand) = cand {
            let snake = if cand.contains('_') { cand.clone() } else { common::camel_to_upper_snake(&cand) };
            if super::arm::message_type_number(&snake).is_some() {
                mtype = Some(snake);
            } else if c.get(1).is_some() {
                mtype = Some(cand);
            }
        }
        if mtype.is_none() && crate::holds!(text, "SendARMMsg") {
            name_if_none(rec, "SendARMMsg");
        }
    }
    if let Some(t) = &mtype {
        if !rec.fields().contains_key("MessageType") {
            rec.set("MessageType", t.as_str());
            if let Some(n) = super::arm::message_type_number(t) {
                rec.set("MessageTypeID", n);
            }
        }
        name_if_none(rec, t);
    }
    for (k, v) in common::eq_comma_pairs(text) {
        // `TaskID = 154526/37051928/1 SkillGroupID = 5199` when a line break was joined by a space.
        put_pair(rec, &k, &v);
    }
    if let Some(sid) = text.split("sessionID ").nth(1).and_then(|s| s.split_whitespace().next()) {
        rec.set("SessionID", common::num_or_str(sid));
    }
    protocol_names(rec);
}

/// `AGENT_EVENT: ID=1080 … St=NOT_READY …` (also the 001 variant split over `Trace:` lines).
fn agent_event(rec: &mut Record, text: &str) {
    if crate::holds!(text, "AGENT_EVENT:") && !crate::holds!(text, "MsgType:") {
        name_if_none(rec, "AGENT_EVENT");
        rec.set("MessageType", "AGENT_EVENT");
    }
    for (k, v) in common::ws_pairs(text) {
        match k {
            "ID" => rec.set("AgentID", common::num_or_str(v)),
            "St" | "OverallState" | "AgentState" => {
                rec.set("AgentState", v);
                if let Some(n) = state_number(v) {
                    rec.set("AgentStateID", n);
                }
            }
            "SGSt" | "SkgState" => {
                rec.set(k, v);
                rec.set("SkillGroupState", v);
            }
            "ICMAgtID" => rec.set("ICMAgentID", common::num_or_str(v)),
            _ => rec.set(k, common::num_or_str(v)),
        }
    }
    protocol_names(rec);
}

fn state_number(name: &str) -> Option<i64> {
    (0..=14).find(|&n| common::agent_state_name(n) == Some(name))
}

/// OPC `SetAgentState: ASTID=6420 … OldState=AS_NOT_READY NewState=AS_NOT_ACTIVE …`.
fn set_agent_state(rec: &mut Record, text: &str) {
    name_if_none(rec, "SetAgentState");
    for (k, v) in common::ws_pairs(text) {
        match k {
            "OldState" | "NewState" => {
                let s = v.strip_prefix("AS_").unwrap_or(v);
                rec.set(k, s);
            }
            "ASTID" => {
                rec.set("ASTID", common::num_or_str(v));
                rec.set("ICMAgentID", common::num_or_str(v));
                rec.set("SkillTargetID", common::num_or_str(v));
            }
            "MRDomainID" => {
                rec.set("MRDomainID", common::num_or_str(v));
                rec.set("MRDID", common::num_or_str(v));
            }
            // The agent's peripheral number (its login ID), as rttest shows `periph# N` beside it.
            "Periph#" => {
                rec.set("Periph#", common::num_or_str(v));
                rec.set("AgentID", common::num_or_str(v));
            }
            "SG#" => {
                rec.set("SG#", common::num_or_str(v));
                if let Some(n) = common::leading_digits(v) {
                    rec.set("SkillGroupNumber", common::num_or_str(n));
                }
            }
            _ => rec.set(k, common::num_or_str(v)),
        }
    }
}

/// `DEVICE_TARGET_PRE_CALL_IND - …`, `OFFER_TASK_EVENT: …`, and `TaskID=…` continuation lines.
fn named_event(rec: &mut Record, text: &str) {
    if let Some(c) = EVENT_RE.as_ref().and_then(|r| r.captures(text)) {
        if let Some(n) = c.get(1) {
            let n = n.as_str();
            if n.ends_with("_EVENT") || n.ends_with("_IND") {
                name_if_none(rec, n);
                if !rec.fields().contains_key("MessageType") {
                    rec.set("MessageType", n);
                }
            }
        }
    }
    if let Some(c) = RCK_RE.as_ref().and_then(|r| r.captures(text)) {
        let parts: Vec<&str> = (1..=3).filter_map(|i| c.get(i).map(|m| m.as_str())).collect();
        let key = parts.join("_");
        rec.set("RouterCallKey", parts.join(" "));
        if key != "-1_-1_-1" {
            rec.set("TaskKey", key);
        }
        if let (Some(d), Some(id)) = (parts.first(), parts.get(1)) {
            if !d.starts_with('-') && !id.starts_with('-') {
                rec.set("RouterCallKeyDay", common::num_or_str(d));
                rec.set("RouterCallKeyCallID", common::num_or_str(id));
            }
        }
    }
    for (k, v) in common::ws_pairs(text) {
        if k == "RouterCallKey" {
            continue;
        }
        if k == "PreCallInvokeID" {
            rec.set("PreCallInvokeID", common::num_or_str(v));
            continue;
        }
        put_pair(rec, k, v);
    }
    // `PeripherlID` (sic) in task events.
    if !rec.fields().contains_key("PeripheralID") {
        if let Some(v) = rec.fields().get("PeripherlID").cloned() {
            rec.set("PeripheralID", v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Record {
        let mut r = Record::new(0, "text");
        decode(&mut r, text);
        r
    }

    /// `colon_pairs` finds the pairs the pattern it replaced found, in order, on generated texts
    /// (names cut by digits and `_`, quotes and angle brackets left open, white space of every
    /// kind, parentheses, multi-byte letters).
    #[test]
    fn colon_pairs_read_as_the_pattern_did() {
        let Ok(pattern) = Regex::new(r#"([A-Za-z][A-Za-z0-9_]*):("[^"]*"|<[^>]*>(?: <[^>]*>)?|[^\s()]*)"#) else { panic!("pattern") };
        let pieces: Vec<&str> = "Key|k1_|1|_|:|:|\"|<|>| |(|)|\u{a0}|é|x|\t|\n| <|ab:cd|\"q\"|<a>|Z9".split('|').collect();
        let pairs = |text: &str| {
            let mut out = Vec::new();
            colon_pairs(text, |k, v| out.push((k.to_string(), v.to_string())));
            out
        };
        let found = crate::test_support::agree_on(
            crate::test_support::generated_texts(0x2c07_91f3_5e6a_b418, &pieces, 14, 80_000),
            |text| {
                pattern
                    .captures_iter(text)
                    .map(|c| (c.get(1).map_or("", |m| m.as_str()).to_string(), c.get(2).map_or("", |m| m.as_str()).to_string()))
                    .collect::<Vec<_>>()
            },
            pairs,
            |p| p.len() > 1,
        );
        assert!(found > 2_000, "{found} texts with two pairs or more");
        assert_eq!(
            pairs("MRDID:5011 AgentInfo:<a> <b> Status:\"x y\" ID:(5)"),
            [("MRDID", "5011"), ("AgentInfo", "<a> <b>"), ("Status", "\"x y\""), ("ID", "")].map(|(k, v)| (k.to_string(), v.to_string()))
        );
    }

    #[test]
    fn end_task_ind() {
        let r = run("08:58:10:536 cg3A-ctisvr Session 3: MsgType:END_TASK_IND (InvokeID:0x8c2c MRDID:5011 ICMAgentID:5172\n08:58:10:536 cg3A-ctisvr Session 3: TaskID:154526/37051928/1ICMDisposition:38 ApplicationDisposition:38 WrapupData:\"\" )");
        assert_eq!(r.get_str("InvokeID").as_deref(), Some("35884"));
        assert_eq!(r.get_str("InvokeIDHex").as_deref(), Some("0x8c2c"));
        assert_eq!(r.get_str("TaskKey").as_deref(), Some("154526_37051928_1"));
        assert_eq!(r.get_str("ICMDisposition").as_deref(), Some("38"));
        assert_eq!(r.name(), Some("END_TASK_IND"));
    }

    #[test]
    fn session_dump_over_indented_lines() {
        let r = run("10:00:01:002 cg2A-ctisvr SESSION 12: MsgType:FAILURE_CONF (InvokeID:0x51 \n10:00:01:002 cg2A-ctisvr SESSION 12:         Status:9 )");
        assert_eq!(r.get_str("MessageTypeID").as_deref(), Some("1"));
        assert_eq!(r.get_str("StatusName").as_deref(), Some("E_CTI_AGENT_NOT_LOGGED_ON"));
        let r = run("10:00:01:002 cg2A-ctisvr SESSION 12: MsgType:AGENT_STATE_EVENT (MonitorID:0 PeripheralID:5002\n10:00:01:002 cg2A-ctisvr SESSION 12:         AgentState:3 ICMAgentID:7012 AgentID:\"3021\" )");
        assert_eq!(r.get_str("AgentState").as_deref(), Some("AVAILABLE"));
        assert_eq!(r.get_str("AgentStateID").as_deref(), Some("3"));
        assert_eq!(r.get_str("AgentID").as_deref(), Some("3021"));
        let r = run("MsgType:SET_AGENT_STATE_REQ (InvokeID:0x51 AgentState:NOT_READY AgentID:\"3021\" )");
        assert_eq!(r.get_str("RequestedAgentState").as_deref(), Some("NOT_READY"));
        assert_eq!(r.get_str("AgentState"), None);
    }

    #[test]
    fn agent_event_and_state() {
        let r =
            run("08:54:27:874 cg3A-ctisvr Trace: AGENT_EVENT: ID=1080 Periph=5000 Sig=Finesse UniqueInstID= St=NOT_READY MRDID=5011 ICMAgtID=5172 STID=5172");
        assert_eq!(r.get_str("AgentState").as_deref(), Some("NOT_READY"));
        assert_eq!(r.get_str("AgentStateID").as_deref(), Some("2"));
        assert_eq!(r.get_str("ICMAgentID").as_deref(), Some("5172"));
        assert_eq!(r.get_str("SkillTargetID").as_deref(), Some("5172"));
        assert_eq!(r.get_str("PeripheralID").as_deref(), Some("5000"));
        let r = run("15:34:09:841 PG1A-opc Trace: SetAgentState: ASTID=6420 Periph#=15003 SG#=70518(0x11376) OldState=AS_NOT_READY NewState=AS_NOT_ACTIVE");
        assert_eq!(r.get_str("NewState").as_deref(), Some("NOT_ACTIVE"));
        assert_eq!(r.get_str("AgentID").as_deref(), Some("15003"));
        assert_eq!(r.get_str("SkillGroupNumber").as_deref(), Some("70518"));
    }

    #[test]
    fn garbage() {
        for t in [
            "MsgType:",
            "MsgType:X (InvokeID:0xZZZ",
            "SendARMMsg -- = , = ,",
            "AGENT_EVENT: ==== St=",
            "SetAgentState: OldState=",
            "MsgType:A (AgentState:999 Status:x",
        ] {
            let _ = run(t);
        }
    }
}
