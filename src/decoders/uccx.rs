//! UCCX MADM / MIVR contact events (`%MIVR-SS_CHAT-7-UNK:[thread] …`) and call contacts
//! (`JTAPICallContact[id=…,state=…,app=App[name=…],task=…,cn=…,cgn=…]`).
//!
//! Fields: `operation` (ContactEvent ADD/…), `SocialContactID` (32 hex digits only), `MediaType`,
//! `queueId`, `agentId`, `agentResourceId`, `contactState`, `dispositionReason`, plus the ContactXML
//! pairs (`author`, `notificationTag`, `refURL`, `status`, `publishedDate`, `statusTimestamp`,
//! `ccxqueuetag`). A call contact gives `contactType`, `contactId`, `contactImplId`, `contactState`,
//! `application`, `taskId`, `calledNumber`, `callingNumber`, `dialedNumber`, `trigger`,
//! `origCallRef`, `sessionId`.

use super::common::{self, name_if_none};
use crate::formats::engine::find as find_in;
use crate::model::Record;
use regex::Regex;
use std::sync::LazyLock;

static FAC_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"%(MIVR|MADM)-([A-Z_]+)-(\d)-").ok());
static OP_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"ContactEvent \[operation=([A-Z_]+)").ok());
static PAIR_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b(author|id|notificationTag|refURL|status|publishedDate|statusTimestamp|ccxqueuetag|state|dispReason)=([^,\]\[]*)").ok());
static QUEUE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?:Queue for tag is|To Queue:) (\d+)").ok());
static AGENT_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?:Return id \[(\d+)\] agentId \[([^\]]+)\]|Selected agent \[ ?([^\] ]+) ?\])").ok());
static MEDIA_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"MediaType: ([A-Z_]+)").ok());
static DISP_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"dispositionReason:([A-Z_]+?)(?:timestamp|\s|$)").ok());

pub fn decode(rec: &mut Record, text: &str) {
    if !crate::holds!(text, "%MIVR-") && !crate::holds!(text, "%MADM-") {
        return;
    }
    if let Some(i) = find_in(text, "CallContact[") {
        call_contact(rec, text, i);
    }
    if let Some(c) = FAC_RE.as_ref().and_then(|r| r.captures(text)) {
        if let Some(s) = c.get(2) {
            rec.set("subfacility", s.as_str());
        }
    }
    if let Some(op) = OP_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
        name_if_none(rec, "ContactEvent");
        rec.set("operation", op.as_str());
    }
    // Chat / e-mail contacts (a call contact's nested `state=` values are read by `call_contact`).
    if (crate::holds!(text, "ContactEvent [") || crate::holds!(text, "Contact[")) && !crate::holds!(text, "CallContact[") {
        if let Some(re) = PAIR_RE.as_ref() {
            for c in re.captures_iter(text) {
                let (Some(k), Some(v)) = (c.get(1), c.get(2)) else { continue };
                match k.as_str() {
                    "id" if is_hex32(v.as_str().trim()) => rec.set("SocialContactID", v.as_str().trim()),
                    "id" => {}
                    "state" => rec.set("contactState", v.as_str().trim()),
                    "dispReason" => rec.set("dispositionReason", v.as_str().trim()),
                    other => rec.set(other, common::num_or_str(v.as_str())),
                }
            }
        }
    }
    if let Some(m) = MEDIA_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
        rec.set("MediaType", m.as_str());
    }
    if let Some(q) = QUEUE_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
        rec.set("queueId", common::num_or_str(q.as_str()));
    }
    if let Some(c) = AGENT_RE.as_ref().and_then(|r| r.captures(text)) {
        if let Some(id) = c.get(1) {
            rec.set("agentResourceId", common::num_or_str(id.as_str()));
        }
        if let Some(a) = c.get(2).or(c.get(3)) {
            rec.set("agentId", a.as_str());
        }
    }
    if let Some(d) = DISP_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
        rec.set("dispositionReason", d.as_str());
    }
    if crate::holds!(text, "New incoming contact") {
        name_if_none(rec, "New incoming contact");
    }
}

fn is_hex32(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|c| c.is_ascii_hexdigit())
}

/// The top-level `key=value` pairs of `XxxCallContact[…]` starting at `at` (nested `App[…]`,
/// `Session[…]`, `TP[…]` objects are read for the few keys that matter).
fn call_contact(rec: &mut Record, text: &str, at: usize) {
    let head = text.get(..at).unwrap_or("");
    let kind_start = head.rfind(|c: char| !c.is_ascii_alphanumeric()).map_or(0, |i| i + 1);
    let kind = text.get(kind_start..at + "CallContact".len()).unwrap_or("CallContact");
    rec.set("contactType", kind);
    let Some(inner) = text.get(at + "CallContact[".len()..) else { return };
    let b = inner.as_bytes();
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for (i, &c) in b.iter().enumerate().take(16 << 10) {
        match c {
            b'[' => depth += 1,
            b']' if depth == 0 => {
                pairs.push(split_pair(inner.get(start..i).unwrap_or("")));
                break;
            }
            b']' => depth -= 1,
            b',' if depth == 0 => {
                pairs.push(split_pair(inner.get(start..i).unwrap_or("")));
                start = i + 1;
            }
            _ => {}
        }
    }
    for (k, v) in pairs {
        let v = v.trim();
        if v.is_empty() || v == "null" || v == "-1" {
            continue;
        }
        let key = match k.trim() {
            "id" => "contactId",
            "implId" => "contactImplId",
            "state" => "contactState",
            "task" => "taskId",
            "cn" => "calledNumber",
            "cgn" => "callingNumber",
            "dn" => "dialedNumber",
            "OrigProtocolCallRef" => "origCallRef",
            "app" => {
                if let Some(n) = v.strip_prefix("App[name=").and_then(|r| r.split([',', ']']).next()) {
                    rec.set("application", n);
                }
                continue;
            }
            "route" => {
                if let Some(n) = v.strip_prefix("RP[num=").and_then(|r| r.split([',', ']']).next()) {
                    rec.set("trigger", n);
                }
                continue;
            }
            "session" => {
                if let Some(n) = v.strip_prefix("Session[id=").and_then(|r| r.split([',', ']']).next()) {
                    rec.set("sessionId", n);
                }
                continue;
            }
            _ => continue,
        };
        rec.set(key, v);
    }
}

fn split_pair(s: &str) -> (&str, &str) {
    s.split_once('=').unwrap_or((s, ""))
}
