//! XMPP stanzas in Openfire/notification logs, BOSH bodies and WebSocket frames, and the Finesse
//! pubsub `<Update>` they carry (escaped `&lt;Update&gt;` or not; namespace
//! `http://jabber.org/protocol/pubsub` or `urn:xmpp:push:0`).
//!
//! Fields: `stanza` (message|presence|iq), `from`, `to`, `stanzaId`, `stanzaType`, `node`, `itemId`,
//! `pubsubNs`, `framing` (open|close for RFC 7395 frames); from the Update: `Update` (object),
//! `Updates` (array, only when a record holds several), `event` (upper case PUT|POST|DELETE),
//! `requestId` (trimmed; absent when empty), `source`, `dataType` (User|Dialog|Dialogs|apiErrors|…),
//! for a User: `state`, `reasonCodeId`, `extension`, `loginId`, `loginName`, `stateChangeTime`,
//! `pendingState`, `teamId`; for a Dialog: `dialogId`, `mediaType`, `state` (dialog state),
//! `participants` ([{mediaAddress, state, actions}]), `participantStates` (the same in one line), `TaskKey`, `dispositionCode`, `fromAddress`,
//! `toAddress`; for errors: `apiErrors` ([{errorType, errorMessage, errorData, errorMedia, statusName}]).

use super::common::{self, name_if_none};
use super::xml;
use crate::formats::engine::{find as find_in, has as contains};
use crate::model::Record;
use regex::Regex;
use serde_json::{json, Value};
use std::sync::LazyLock;

static STANZA_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"<(message|presence|iq|open|close)\b([^>]*)>").ok());
static ATTR_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"([A-Za-z_:][A-Za-z0-9_.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).ok());

fn attr_map(s: &str) -> Vec<(String, String)> {
    let Some(re) = ATTR_RE.as_ref() else { return Vec::new() };
    re.captures_iter(s)
        .filter_map(|c| {
            let k = c.get(1)?.as_str().to_string();
            let v = c.get(2).or(c.get(3))?.as_str();
            Some((k, xml::unescape_basic(v)))
        })
        .collect()
}

/// The attributes of the first `<tag …>` in `text`.
pub fn first_tag_attrs(text: &str, tag: &str) -> Option<Vec<(String, String)>> {
    let open = format!("<{tag}");
    let mut from = 0;
    while let Some(i) = crate::formats::engine::find(text.get(from..)?, &open) {
        let at = from + i;
        let after = text.get(at + open.len()..)?;
        match after.chars().next() {
            Some(c) if c.is_whitespace() || c == '>' || c == '/' => {
                let end = memchr::memchr(b'>', after.as_bytes())?;
                return Some(attr_map(after.get(..end)?));
            }
            _ => from = at + open.len(),
        }
    }
    None
}

pub fn decode(rec: &mut Record, text: &str) {
    stanza(rec, text);
    updates(rec, text);
}

fn stanza(rec: &mut Record, text: &str) {
    let Some(re) = STANZA_RE.as_ref() else { return };
    let Some(c) = re.captures(text) else { return };
    let kind = c.get(1).map(|m| m.as_str()).unwrap_or("");
    let attrs = attr_map(c.get(2).map(|m| m.as_str()).unwrap_or(""));
    if kind == "open" || kind == "close" {
        if !attrs.iter().any(|(k, v)| k == "xmlns" && contains(v, "xmpp-framing")) {
            return;
        }
        rec.set("framing", kind);
        for (k, v) in attrs {
            if k != "xmlns" {
                rec.set(&k, v);
            }
        }
        return;
    }
    rec.set("stanza", kind);
    for (k, v) in attrs {
        match k.as_str() {
            "from" | "to" => rec.set(&k, v.trim()),
            "id" => rec.set("stanzaId", v),
            "type" => rec.set("stanzaType", v),
            _ => {}
        }
    }
    if let Some(a) = first_tag_attrs(text, "items") {
        if let Some((_, v)) = a.iter().find(|(k, _)| k == "node") {
            rec.set("node", v.as_str());
        }
    }
    if let Some(a) = first_tag_attrs(text, "item") {
        if let Some((_, v)) = a.iter().find(|(k, _)| k == "id") {
            rec.set("itemId", v.as_str());
        }
    }
    for ns in ["http://jabber.org/protocol/pubsub", "urn:xmpp:push:0"] {
        if text.contains(&format!("xmlns=\"{ns}\"")) || text.contains(&format!("xmlns='{ns}'")) {
            rec.set("pubsubNs", ns);
            break;
        }
    }
}

/// Finds every `<Update>` (plain or escaped) and decodes it.
fn updates(rec: &mut Record, text: &str) {
    let mut found: Vec<Value> = Vec::new();
    let mut first_decoded = false;
    for (open, close, escaped) in [("<Update>", "</Update>", false), ("&lt;Update&gt;", "&lt;/Update&gt;", true)] {
        let mut from = 0;
        while let Some(i) = text.get(from..).and_then(|t| find_in(t, open)) {
            let start = from + i;
            let Some(after) = text.get(start..) else { break };
            let (chunk, complete) = match find_in(after, close) {
                Some(j) => (after.get(..j + close.len()).unwrap_or(after), true),
                None => (after, false),
            };
            from = start + chunk.len().max(open.len());
            let xml_text = if escaped { xml::unescape_basic(chunk) } else { chunk.to_string() };
            if !complete {
                rec.note(format!("Update payload truncated: no closing </Update> ({} bytes kept)", chunk.len()));
                continue;
            }
            match xml::to_json(&xml_text) {
                Ok((_, v)) => {
                    if !first_decoded {
                        apply_update(rec, &v);
                        first_decoded = true;
                    }
                    found.push(v);
                }
                Err(e) => rec.note(format!("Update payload not decoded: {e}")),
            }
            if found.len() >= 200 {
                break;
            }
        }
    }
    if found.len() > 1 {
        rec.set("Updates", Value::Array(found.clone()));
    }
    if let Some(first) = found.into_iter().next() {
        rec.set("Update", first);
    }
}

/// Sets the typed fields of one decoded `<Update>` object.
pub fn apply_update(rec: &mut Record, u: &Value) {
    if let Some(e) = xml::text_of(u, "event") {
        rec.set("event", e.trim().to_ascii_uppercase());
    }
    if let Some(r) = xml::text_of(u, "requestId") {
        let r = r.trim();
        if !r.is_empty() {
            rec.set("requestId", r);
        }
    }
    if let Some(s) = xml::text_of(u, "source") {
        rec.set("source", s.trim());
    }
    name_if_none(rec, "Update");
    let Some(data) = u.get("data") else { return };
    apply_data(rec, data);
}

/// Typed fields of a Finesse object (the `<data>` of an Update, or a REST body's root children).
pub fn apply_data(rec: &mut Record, data: &Value) {
    let Some(obj) = data.as_object() else { return };
    for (k, v) in obj {
        match k.to_ascii_lowercase().as_str() {
            "user" => {
                rec.set("dataType", "User");
                apply_user(rec, v);
            }
            "dialog" => {
                rec.set("dataType", "Dialog");
                apply_dialog(rec, v);
            }
            "dialogs" => {
                rec.set("dataType", "Dialogs");
                let d = v.get("Dialog").or_else(|| v.get("dialog"));
                match d {
                    Some(Value::Array(a)) => {
                        rec.set("dialogCount", a.len());
                        if let Some(first) = a.first() {
                            apply_dialog(rec, first);
                        }
                    }
                    Some(one) => {
                        rec.set("dialogCount", 1);
                        apply_dialog(rec, one);
                    }
                    None => rec.set("dialogCount", 0),
                }
            }
            "apierrors" => {
                rec.set("dataType", "apiErrors");
                apply_api_errors(rec, v);
            }
            other => {
                if rec.get_str("dataType").is_none() {
                    rec.set("dataType", other);
                }
            }
        }
    }
}

pub fn apply_user(rec: &mut Record, u: &Value) {
    for key in ["state", "reasonCodeId", "extension", "loginId", "loginName", "stateChangeTime", "pendingState", "teamId", "teamName"] {
        if let Some(v) = xml::text_of(u, key) {
            if !v.is_empty() || key == "extension" {
                rec.set(key, common::num_or_str(v));
            }
        }
    }
    // state must stay a string even if numeric-looking
    if let Some(s) = xml::text_of(u, "state") {
        rec.set("state", s);
    }
}

pub fn apply_dialog(rec: &mut Record, d: &Value) {
    if let Some(id) = xml::text_of(d, "id") {
        rec.set("dialogId", id);
        common::set_task_key(rec, id);
    }
    for key in ["mediaType", "state", "fromAddress", "toAddress", "dispositionCode", "associatedDialogUri"] {
        if let Some(v) = xml::text_of(d, key) {
            if !v.is_empty() {
                rec.set(key, v);
            }
        }
    }
    if let Some(t) = d.get("taskId") {
        let p: Vec<String> =
            ["routerCallKeyDay", "routerCallKeyCallID", "routerCallKeySequenceNum"].iter().filter_map(|k| xml::text_of(t, k).map(str::to_string)).collect();
        if let [day, call, seq] = p.as_slice() {
            rec.set("routerCallKeyDay", common::num_or_str(day));
            rec.set("routerCallKeyCallID", common::num_or_str(call));
            rec.set("routerCallKeySequenceNum", common::num_or_str(seq));
            rec.set("TaskKey", format!("{day}_{call}_{seq}"));
        }
    }
    if let Some(mp) = d.get("mediaProperties") {
        for key in ["mediaId", "dialedNumber", "queueNumber", "queueName", "callType", "DNIS"] {
            if let Some(v) = xml::text_of(mp, key) {
                if !v.is_empty() {
                    rec.set(key, common::num_or_str(v));
                }
            }
        }
    }
    let parts = d.get("participants").and_then(|p| p.get("Participant").or_else(|| p.get("participant")));
    let list: Vec<&Value> = match parts {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
        None => vec![],
    };
    if !list.is_empty() {
        let ps: Vec<Value> = list
            .iter()
            .map(|p| {
                let actions: Vec<Value> = match p.get("actions").and_then(|a| a.get("action")) {
                    Some(Value::Array(a)) => a.clone(),
                    Some(v @ Value::String(_)) => vec![v.clone()],
                    _ => vec![],
                };
                json!({
                    "mediaAddress": xml::text_of(p, "mediaAddress").unwrap_or(""),
                    "state": xml::text_of(p, "state").unwrap_or(""),
                    "stateCause": xml::text_of(p, "stateCause").unwrap_or(""),
                    "actions": actions,
                })
            })
            .collect();
        // One line for correlation: `1001 ALERTING [ANSWER]; 1002 ACTIVE`.
        let line: Vec<String> = ps
            .iter()
            .map(|p| {
                let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                let acts: Vec<&str> = p.get("actions").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
                let acts = if acts.is_empty() { String::new() } else { format!(" [{}]", acts.join(", ")) };
                format!("{} {}{acts}", s("mediaAddress"), s("state")).trim().to_string()
            })
            .collect();
        rec.set("participantStates", line.join("; "));
        rec.set("participants", Value::Array(ps));
    }
}

/// `<apiErrors><apiError>…` (notification, lower case) or `<ApiErrors><ApiError>…` (REST).
pub fn apply_api_errors(rec: &mut Record, v: &Value) {
    let errs = v.get("apiError").or_else(|| v.get("ApiError"));
    let list: Vec<&Value> = match errs {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(x) => vec![x],
        None => vec![],
    };
    let out: Vec<Value> = list
        .iter()
        .map(|e| {
            let g = |a: &str, b: &str| xml::text_of(e, a).or_else(|| xml::text_of(e, b)).unwrap_or("").to_string();
            let mut o = json!({
                "errorType": g("errorType", "ErrorType"),
                "errorMessage": g("errorMessage", "ErrorMessage"),
                "errorData": g("errorData", "ErrorData"),
            });
            let media = g("errorMedia", "ErrorMedia");
            if !media.is_empty() {
                o["errorMedia"] = Value::from(media);
                if let Some(n) = common::parse_int(&g("errorData", "ErrorData")) {
                    if let Some(s) = common::arm_status_name(n) {
                        o["statusName"] = Value::from(s);
                    }
                }
            }
            o
        })
        .collect();
    rec.set("apiErrors", Value::Array(out));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_and_truncated() {
        let mut r = Record::new(0, "text");
        decode(&mut r, "<message from=\"pubsub.x\" to=\"a@x\" id=\"n__a__1\"><event xmlns=\"http://jabber.org/protocol/pubsub#event\"><items node=\"/finesse/api/User/1\"><item id=\"i1\"><notification xmlns=\"http://jabber.org/protocol/pubsub\">&lt;Update&gt;");
        assert_eq!(r.get_str("node").as_deref(), Some("/finesse/api/User/1"));
        assert!(r.notes().iter().any(|n| n.contains("truncated")));
        let mut r = Record::new(0, "text");
        decode(&mut r, "x &lt;Update&gt;&lt;data&gt;&lt;user&gt;&lt;state&gt;READY&lt;/state&gt;&lt;/user&gt;&lt;/data&gt;&lt;event&gt;put&lt;/event&gt;&lt;requestId&gt;&lt;/requestId&gt;&lt;/Update&gt;");
        assert_eq!(r.get_str("state").as_deref(), Some("READY"));
        assert_eq!(r.get_str("event").as_deref(), Some("PUT"));
        let mut r = Record::new(0, "text");
        decode(&mut r, "<Update><data><user></data></Update>");
        assert!(!r.notes().is_empty());
    }
}
