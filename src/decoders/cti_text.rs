//! Text forms of CTI/ARM messages in ctisvr and OPC traces:
//! `MsgType:END_TASK_IND (InvokeID:0x8c2c …)`, `AGENT_EVENT: ID=… St=… MRDID=…`,
//! `SendARMMsg -- InvokeID = …`, `ProcessARMMediaLoginRespMsg -- …`, OPC `MakeAgentRoutableInd - …`,
//! `SetAgentState: … OldState=AS_NOT_READY NewState=AS_NOT_ACTIVE`, `DEVICE_TARGET_PRE_CALL_IND - …`,
//! `OFFER_TASK_EVENT: …` and its continuation lines (`TaskID=…`).
//!
//! Fields keep the names the trace prints (`InvokeID`, `MRDID`, `ICMAgentID`, `MaxTasks`,
//! `MakeRoutable`, `AgentInfo`, `Status`, `TaskID`, …), plus `InvokeID` as a decimal number with
//! `InvokeIDHex`, `MessageType` (ARM name, e.g. `MAKE_AGENT_ROUTABLE_IND`), `AgentState` (name) and
//! `AgentStateID` for agent events, `OldState`/`NewState` without the `AS_` prefix for SetAgentState,
//! `StatusName` for ARM status codes, `TaskKey` (canonical `day_callid_seq`) and `RouterCallKey`.

use super::common::{self, name_if_none};
use crate::model::Record;
use regex::Regex;
use std::sync::LazyLock;

static MSGTYPE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"MsgType:\s*([A-Z][A-Z0-9_]*)").ok());
static COLON_PAIR_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"([A-Za-z][A-Za-z0-9_]*):("[^"]*"|<[^>]*>(?: <[^>]*>)?|[^\s()]*)"#).ok());
static GLUED_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(\d)([A-Z][A-Za-z]+:)").ok());
static ARM_FN_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?:SendARMMsg(?::\s*ARM_([A-Z_]+))?|Process(?:ARM)?([A-Z][A-Za-z]+?)(?:Msg)?|\b(MakeAgent[A-Za-z]+|MediaLogin[A-Za-z]+|MediaLogout[A-Za-z]+|[A-Z][a-z]+TaskInd))\s*-")
        .ok()
});
static EVENT_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?::| -) ").ok());
static RCK_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"RouterCallKey=(-?\d+) (-?\d+) (-?\d+)").ok());

pub fn decode(rec: &mut Record, text: &str) {
    let has = |s: &str| text.contains(s);
    if has("MsgType:") {
        msg_type(rec, text);
    }
    if (has(" = ") && (has("SendARMMsg") || has("InvokeID = ") || has("Process"))) || (has("Process") && has("sessionID")) {
        arm_call(rec, text);
    }
    if has("AGENT_EVENT:") || has("OverallState=") || has("SkgState=") {
        agent_event(rec, text);
    }
    if has("SetAgentState:") {
        set_agent_state(rec, text);
    }
    if has("_PRE_CALL_IND") || has("_TASK_EVENT:") || (has("TaskID=") && !has("MsgType:")) || has("PreviousTaskID=") {
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
                if let Some(s) = common::arm_status_name(n) {
                    rec.set("StatusName", s);
                }
            }
        }
        _ => rec.set(k, common::num_or_str(v)),
    }
}

/// `MsgType:OFFER_TASK_IND (InvokeID:0x8a88 MRDID:5011 …` (and its continuation line).
fn msg_type(rec: &mut Record, text: &str) {
    let Some(c) = MSGTYPE_RE.as_ref().and_then(|r| r.captures(text)) else { return };
    let name = c.get(1).map(|m| m.as_str()).unwrap_or("");
    rec.set("MessageType", name);
    if let Some(n) = super::arm::message_type_number(name) {
        rec.set("MessageTypeID", n);
    }
    name_if_none(rec, name);
    let start = c.get(0).map(|m| m.end()).unwrap_or(0);
    let rest = text.get(start..).unwrap_or("");
    let fixed = match GLUED_RE.as_ref() {
        Some(re) => re.replace_all(rest, "$1 $2").into_owned(),
        None => rest.to_string(),
    };
    if let Some(re) = COLON_PAIR_RE.as_ref() {
        for cap in re.captures_iter(&fixed) {
            let (Some(k), Some(v)) = (cap.get(1), cap.get(2)) else { continue };
            if k.as_str() == "Session" || k.as_str() == "Trace" {
                continue;
            }
            put_pair(rec, k.as_str(), v.as_str());
        }
    }
    if !text.contains(')') {
        rec.note("MsgType block continues on the next line(s) (no closing parenthesis in this record)");
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
        if mtype.is_none() && text.contains("SendARMMsg") {
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
}

/// `AGENT_EVENT: ID=1080 … St=NOT_READY …` (also the 001 variant split over `Trace:` lines).
fn agent_event(rec: &mut Record, text: &str) {
    if text.contains("AGENT_EVENT:") && !text.contains("MsgType:") {
        name_if_none(rec, "AGENT_EVENT");
        rec.set("MessageType", "AGENT_EVENT");
    }
    for (k, v) in common::ws_pairs(text) {
        match k.as_str() {
            "ID" => rec.set("AgentID", common::num_or_str(&v)),
            "St" | "OverallState" => {
                rec.set("AgentState", v.as_str());
                if let Some(n) = state_number(&v) {
                    rec.set("AgentStateID", n);
                }
            }
            "ICMAgtID" => rec.set("ICMAgentID", common::num_or_str(&v)),
            _ => rec.set(&k, common::num_or_str(&v)),
        }
    }
}

fn state_number(name: &str) -> Option<i64> {
    (0..=14).find(|&n| common::agent_state_name(n) == Some(name))
}

/// OPC `SetAgentState: ASTID=6420 … OldState=AS_NOT_READY NewState=AS_NOT_ACTIVE …`.
fn set_agent_state(rec: &mut Record, text: &str) {
    name_if_none(rec, "SetAgentState");
    for (k, v) in common::ws_pairs(text) {
        match k.as_str() {
            "OldState" | "NewState" => {
                let s = v.strip_prefix("AS_").unwrap_or(&v);
                rec.set(&k, s);
            }
            "ASTID" => {
                rec.set("ASTID", common::num_or_str(&v));
                rec.set("ICMAgentID", common::num_or_str(&v));
            }
            "MRDomainID" => {
                rec.set("MRDomainID", common::num_or_str(&v));
                rec.set("MRDID", common::num_or_str(&v));
            }
            _ => rec.set(&k, common::num_or_str(&v)),
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
    }
    for (k, v) in common::ws_pairs(text) {
        if k == "RouterCallKey" {
            continue;
        }
        if k == "PreCallInvokeID" {
            rec.set("PreCallInvokeID", common::num_or_str(&v));
            continue;
        }
        put_pair(rec, &k, &v);
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
    fn agent_event_and_state() {
        let r = run("08:54:27:874 cg3A-ctisvr Trace: AGENT_EVENT: ID=1080 Periph=5000 Sig=Finesse UniqueInstID= St=NOT_READY MRDID=5011 ICMAgtID=5172");
        assert_eq!(r.get_str("AgentState").as_deref(), Some("NOT_READY"));
        assert_eq!(r.get_str("AgentStateID").as_deref(), Some("2"));
        assert_eq!(r.get_str("ICMAgentID").as_deref(), Some("5172"));
        let r = run("15:34:09:841 PG1A-opc Trace: SetAgentState: ASTID=6420 OldState=AS_NOT_READY NewState=AS_NOT_ACTIVE");
        assert_eq!(r.get_str("NewState").as_deref(), Some("NOT_ACTIVE"));
    }

    #[test]
    fn garbage() {
        for t in ["MsgType:", "MsgType:X (InvokeID:0xZZZ", "SendARMMsg -- = , = ,", "AGENT_EVENT: ==== St=", "SetAgentState: OldState="] {
            let _ = run(t);
        }
    }
}
