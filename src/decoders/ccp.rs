//! CCP / SocialMiner and ICM routing: `DSNotificationEvent` dumps, SocialContact / contactXML
//! documents, MR PIM message blocks (`Message = NEW_TASK; Length = …`), PIM `NEW_CALL`/`CONNECT`
//! dumps and router `NewCall:` / `DeviceTargetPreCall:` / `Connect:` / agent-state lines.
//!
//! Fields: `SocialContactID`, `status` (SocialContact status: unread|queued|reserved|handled…),
//! `statusReason`, `statusUserId`, `eventType`, `campaignIds`, `extensionFields` (object),
//! `TaskID`/`TaskKey`, `MRDID`, `scriptSelector`, `author`, `title`, `publishedDate`,
//! `statusTimestamp`, `refURL`, `tags`, `notificationTag`; MR PIM: `MessageType` (NEW_TASK,
//! DO_THIS_WITH_TASK, NEW_CALL, CONNECT), `Length`, each block field by its name (numbers from
//! `(N) Hex …`), `IcmTaskID`, `ScriptSelector`, `ApplicationString1/2`; routing: `RouterCallKeyDay`,
//! `RouterCallKeyCallID`, `InvokeID`, `ICMAgentID` (from AGSTID/Agent), `DN`, `CED`, `RCID`, `PQID`,
//! `SGSTID`, `fromState`/`toState` (router agent state text).

use super::common::{self, name_if_none};
use super::xml;
use crate::formats::engine::find as find_in;
use crate::model::Record;
use regex::Regex;
use serde_json::{Map, Value};
use std::sync::LazyLock;

static SCID_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:SOCIAL_CONTACT_ID=|scId=|Contact=|socialContactId=|contactID:\s?|ContactId:\s?|socialcontact/)([0-9A-F]{32})").ok());
/// The literal start of each of `SCID_RE`'s alternatives: looked up in the record's one scan
/// before the regex searches (most records hold none).
const SCID_PREFIXES: [&str; 7] = ["SOCIAL_CONTACT_ID=", "scId=", "Contact=", "socialContactId=", "contactID:", "ContactId:", "socialcontact/"];
/// Places of `SCID_PREFIXES` in the decoders' one scan.
const SCID_AT: [usize; SCID_PREFIXES.len()] = {
    let mut at = [0; SCID_PREFIXES.len()];
    let mut i = 0;
    while i < at.len() {
        at[i] = match common::trigger(SCID_PREFIXES[i]) {
            Some(t) => t,
            None => panic!("a SocialContactID prefix not in TRIGGERS"),
        };
        i += 1;
    }
    at
};
static CRS_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?:CRS\(RtrDate=|CID=\()(-?\d+),(?:RtrCID=)?(-?\d+)\)").ok());
static MR_MSG_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"Message = ([A-Z_]+); Length = (\d+)").ok());
static MR_FIELD_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?m)^[ \t]*([A-Za-z][A-Za-z0-9]*)[ \t]*(?:=|:)[ \t]*(.*?)[ \t\r]*$").ok());
static PAREN_NUM_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^\((-?\d+)\)").ok());
static RTR_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b(NewCall|DeviceTargetPreCall(?:_V\d+)?|Connect):\s").ok());
static PIM_DUMP_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?m)^(NEW_CALL|CONNECT) [A-Z]").ok());
static AGENT_STATE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"Agent (\d+) from PG domain (\d+)\. (\[[^ ]*\]) to (\[[^ ]*\])").ok());
static LIST_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"=\[\s*([^\]]*?)\s*\]").ok());
static TO_AGENT_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"sending call to Agent (\d+)").ok());

pub fn decode(rec: &mut Record, text: &str) {
    if crate::holds!(text, "DSNotificationEvent") || crate::holds!(text, "NotificationEvent@") {
        ds_notification(rec, text);
    }
    if crate::holds!(text, "<SocialContact>") || crate::holds!(text, "<contactXML>") || crate::holds!(text, "<SocialContact ") {
        social_contact(rec, text);
    }
    if crate::holds!(text, "Message = ") && crate::holds!(text, "; Length = ") {
        mr_block(rec, text);
    }
    if crate::holds!(text, "NEW_CALL ") || crate::holds!(text, "CONNECT ") {
        pim_dump(rec, text);
    }
    if crate::holds!(text, "NewCall:")
        || crate::holds!(text, "DeviceTargetPreCall")
        || crate::holds!(text, "Connect:")
        || crate::holds!(text, "sending call to Agent")
        || crate::holds!(text, "from PG domain")
    {
        router(rec, text);
    }
    if SCID_AT.iter().any(|&i| common::holds_trigger(text, i)) && !rec.fields().contains_key("SocialContactID") {
        if let Some(id) = SCID_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
            rec.set("SocialContactID", id.as_str());
        }
    }
    if let Some(i) = find_in(text, ";status= ") {
        if let Some(s) = text.get(i + 9..).and_then(|s| s.split_whitespace().next()) {
            rec.set("status", s);
        }
    }
}

/// Splits `a=1,b=[x, y],c={k=v, k2=v2}` at top-level commas (brackets and braces nest).
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, ch) in s.char_indices() {
        match ch {
            '[' | '{' | '(' => depth += 1,
            ']' | '}' | ')' => depth -= 1,
            ',' if depth <= 0 => {
                out.push(s.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s.get(start..).unwrap_or(""));
    out
}

fn list_value(v: &str) -> Value {
    let inner = v.trim().trim_start_matches('[').trim_end_matches(']');
    Value::Array(inner.split(',').map(str::trim).filter(|s| !s.is_empty()).map(common::num_or_str).collect())
}

fn ds_notification(rec: &mut Record, text: &str) {
    let Some(at) = find_in(text, "NotificationEvent@") else { return };
    let Some(open) = text.get(at..).and_then(|t| t.find('[')).map(|i| at + i) else { return };
    // The event body runs to its matching bracket.
    let body = match common::matching_bracket(text.as_bytes(), open) {
        Some(c) => text.get(open + 1..c).unwrap_or(""),
        None => {
            rec.note("DSNotificationEvent truncated (no closing bracket)");
            text.get(open + 1..).unwrap_or("")
        }
    };
    name_if_none(rec, "DS_NOTIFICATION_EVENT");
    for part in split_top(body) {
        let Some((k, v)) = part.split_once('=') else { continue };
        let k = k.trim();
        let v = v.trim();
        match k {
            "socialContactId" => rec.set("SocialContactID", v),
            "socialContactStatus" => {
                rec.set("socialContactStatus", v);
                if v != "<null>" {
                    rec.set("status", v);
                }
            }
            "socialContactStatusReason" => rec.set("statusReason", v),
            "socialContactStatusUserId" => rec.set("statusUserId", v),
            "campaignIds" | "newTags" | "oldTags" | "socialContactTags" => rec.set(k, list_value(v)),
            "socialContactExtensionFields" => {
                let inner = v.trim_start_matches('{').trim_end_matches('}');
                let mut m = Map::new();
                for p in split_top(inner) {
                    if let Some((a, b)) = p.split_once('=') {
                        m.insert(a.trim().to_string(), common::num_or_str(b));
                    }
                }
                apply_extension_fields(rec, &m);
                rec.set("extensionFields", Value::Object(m));
            }
            "" => {}
            _ => rec.set(k, common::num_or_str(v)),
        }
    }
}

fn apply_extension_fields(rec: &mut Record, m: &Map<String, Value>) {
    for (k, v) in m {
        let s = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match k.as_str() {
            "taskID" => {
                rec.set("TaskID", s.as_str());
                common::set_task_key(rec, &s);
            }
            "mrdID" => rec.set("MRDID", common::num_or_str(&s)),
            "scriptSelector" => rec.set("scriptSelector", s),
            _ => {}
        }
    }
}

fn social_contact(rec: &mut Record, text: &str) {
    let (open, close) = if crate::holds!(text, "<contactXML>") { ("<contactXML>", "</contactXML>") } else { ("<SocialContact", "</SocialContact>") };
    let Some(start) = find_in(text, open) else { return };
    let rest = text.get(start..).unwrap_or("");
    let Some(end) = find_in(rest, close) else {
        rec.note(format!("{} document truncated (no {close})", open.trim_start_matches('<').trim_end_matches('>')));
        return;
    };
    let doc = rest.get(..end + close.len()).unwrap_or("");
    let v = match xml::to_json(doc) {
        Ok((_, v)) => v,
        Err(e) => {
            rec.note(format!("SocialContact XML not decoded: {e}"));
            return;
        }
    };
    if let Some(id) = xml::text_of(&v, "id") {
        rec.set("SocialContactID", id);
    }
    for key in ["status", "statusReason", "statusUserId", "author", "title", "notificationTag", "refURL", "sourceType", "campaignPublicId"] {
        if let Some(s) = xml::text_of(&v, key) {
            rec.set(key, s);
        }
    }
    for key in ["publishedDate", "statusTimestamp"] {
        if let Some(s) = xml::text_of(&v, key) {
            rec.set(key, common::num_or_str(s));
        }
    }
    if let Some(t) = v.get("tags").and_then(|t| t.get("tag")) {
        rec.set(
            "tags",
            match t {
                Value::Array(_) => t.clone(),
                other => Value::Array(vec![other.clone()]),
            },
        );
    }
    let efs = v.get("extensionFields").and_then(|e| e.get("extensionField"));
    let list: Vec<&Value> = match efs {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(x) => vec![x],
        None => vec![],
    };
    if !list.is_empty() {
        let mut m = Map::new();
        for ef in list {
            if let (Some(n), Some(val)) = (xml::text_of(ef, "name"), xml::text_of(ef, "value")) {
                m.insert(n.to_string(), Value::from(val));
            }
        }
        apply_extension_fields(rec, &m);
        rec.set("extensionFields", Value::Object(m));
    }
    rec.set("SocialContact", v);
}

fn mr_block(rec: &mut Record, text: &str) {
    let Some(c) = MR_MSG_RE.as_ref().and_then(|r| r.captures(text)) else { return };
    let name = c.get(1).map(|m| m.as_str()).unwrap_or("");
    rec.set("MessageType", name);
    rec.set_name(name);
    if let Some(l) = c.get(2) {
        rec.set("Length", common::num_or_str(l.as_str()));
    }
    let Some(re) = MR_FIELD_RE.as_ref() else { return };
    let block = text.get(c.get(0).map(|m| m.end()).unwrap_or(0)..).unwrap_or("");
    for f in re.captures_iter(block) {
        let (Some(k), Some(v)) = (f.get(1), f.get(2)) else { continue };
        let k = k.as_str();
        let v = v.as_str();
        let value = match PAREN_NUM_RE.as_ref().and_then(|r| r.captures(v)).and_then(|c| c.get(1)) {
            Some(n) => common::num_or_str(n.as_str()),
            None => common::num_or_str(v),
        };
        match k {
            "IcmTaskID" | "PreviousTask" => {
                rec.set(k, v);
                if k == "IcmTaskID" {
                    common::set_task_key(rec, v);
                }
            }
            "Agent" => {
                rec.set("Agent", value.clone());
                rec.set("ICMAgentID", value);
            }
            "MRDID" => rec.set("MRDID", value),
            "ApplicationString2" if v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()) => {
                rec.set(k, v);
                rec.set("SocialContactID", v);
            }
            _ => rec.set(k, value),
        }
    }
}

fn pim_dump(rec: &mut Record, text: &str) {
    let Some(c) = PIM_DUMP_RE.as_ref().and_then(|r| r.captures(text)) else { return };
    let name = c.get(1).map(|m| m.as_str()).unwrap_or("");
    rec.set("MessageType", name);
    name_if_none(rec, name);
    let line = text.get(c.get(0).map(|m| m.start()).unwrap_or(0)..).unwrap_or("");
    for (k, v) in common::ws_pairs(line) {
        let v = v.trim_end_matches(',');
        if k != "CRS" {
            router_pair(rec, k, v);
        }
    }
    router_key(rec, line);
}

/// One `Key=value` of a router or MR PIM trace line, with the IDs under their protocol names.
fn router_pair(rec: &mut Record, k: &str, v: &str) {
    match k {
        "" => {}
        "InvokeID" => common::set_invoke_id(rec, v),
        "AGSTID" => {
            rec.set("AGSTID", common::num_or_str(v));
            rec.set("ICMAgentID", common::num_or_str(v));
        }
        "CED" => {
            rec.set("CED", v);
            if v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()) {
                rec.set("SocialContactID", v);
            }
        }
        _ => rec.set(k, common::num_or_str(v)),
    }
}

fn router_key(rec: &mut Record, text: &str) {
    if let Some(c) = CRS_RE.as_ref().and_then(|r| r.captures(text)) {
        let (Some(d), Some(id)) = (c.get(1), c.get(2)) else { return };
        rec.set("RouterCallKeyDay", common::num_or_str(d.as_str()));
        rec.set("RouterCallKeyCallID", common::num_or_str(id.as_str()));
    }
}

fn router(rec: &mut Record, text: &str) {
    if let Some(c) = RTR_RE.as_ref().and_then(|r| r.captures(text)) {
        let name = c.get(1).map(|m| m.as_str()).unwrap_or("");
        let base = name.split("_V").next().unwrap_or(name);
        name_if_none(rec, base);
        rec.set("MessageType", base);
        let rest = text.get(c.get(0).map(|m| m.end()).unwrap_or(0)..).unwrap_or("");
        // `EnabledServiceTypes=[ 1 2 ]` → one token.
        let rest = match LIST_RE.as_ref() {
            Some(re) => re
                .replace_all(rest, |c: &regex::Captures| {
                    format!("=[{}]", c.get(1).map(|m| m.as_str().split_whitespace().collect::<Vec<_>>().join(",")).unwrap_or_default())
                })
                .into_owned(),
            None => rest.to_string(),
        };
        for part in split_top(&rest) {
            for piece in part.split_whitespace() {
                let Some((k, v)) = piece.split_once('=') else { continue };
                if k != "CID" {
                    router_pair(rec, k, v);
                }
            }
        }
        router_key(rec, text);
    }
    if let Some(a) = TO_AGENT_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
        name_if_none(rec, "sending call to Agent");
        rec.set("ICMAgentID", common::num_or_str(a.as_str()));
        router_key(rec, text);
    }
    if let Some(c) = AGENT_STATE_RE.as_ref().and_then(|r| r.captures(text)) {
        name_if_none(rec, "Agent state change");
        if let Some(v) = c.get(1) {
            rec.set("ICMAgentID", common::num_or_str(v.as_str()));
        }
        if let Some(v) = c.get(2) {
            rec.set("MRDID", common::num_or_str(v.as_str()));
        }
        if let Some(v) = c.get(3) {
            rec.set("fromState", v.as_str());
        }
        if let Some(v) = c.get(4) {
            rec.set("toState", v.as_str());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every written form of a SocialContactID is still read with the prefix check in front.
    #[test]
    fn social_contact_id_in_each_written_form() {
        let id = "0A1B2C3D4E5F60718293A4B5C6D7E8F9";
        for form in ["SOCIAL_CONTACT_ID=", "scId=", "Contact=", "socialContactId=", "contactID:", "contactID: ", "ContactId:", "ContactId: ", "socialcontact/"]
        {
            let text = format!("12:00:01 DEBUG something happened {form}{id} and more");
            let mut rec = Record::new(0, "text");
            // Through the decoders' entry point: the prefixes are answered from its one scan.
            crate::decoders::decode(&mut rec, &text);
            assert_eq!(rec.get_str("SocialContactID"), Some(id.to_string()), "{form}");
        }
        let mut rec = Record::new(0, "text");
        crate::decoders::decode(&mut rec, &format!("12:00:01 DEBUG id {id} without a name"));
        assert_eq!(rec.get_str("SocialContactID"), None);
        // Each alternative of the pattern starts with one of the prefixes looked up first.
        for alt in r"SOCIAL_CONTACT_ID=|scId=|Contact=|socialContactId=|contactID:\s?|ContactId:\s?|socialcontact/".split('|') {
            assert!(SCID_PREFIXES.iter().any(|p| alt.starts_with(p)), "{alt}");
        }
    }
}
