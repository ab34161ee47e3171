//! SocialMiner/CCP chat gateway (node) lines and their `{ chatEvents: … }` object dumps.
//!
//! Fields: `sessionId` (the `[ID=…]`), `channelType` (`[Type=…]`), `sessionState` (setSessionState),
//! `FEEDID`, `QUEUEID`, `HOST`, `SocialContactID` (from `SC RefURL`), `message` (text sent or
//! received), `rating`, `latestEventId`, `staleSessions`; for dumps: `chatEvents` (object, message
//! bodies URL-decoded), `eventTypes` (list), `noEvents` (true for `chatEvents: ''`), and for a single
//! `{ type: 'StatusEvent', … }` object: `eventType`, `eventId`, `status`, `from`.

use super::common::{self, name_if_none};
use crate::formats::engine::find as find_in;
use crate::model::Record;
use regex::Regex;
use serde_json::{Map, Value};
use std::sync::LazyLock;

static BRACKET_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\[([A-Za-z][A-Za-z ]*)=([^\]]*)\]").ok());
static STATE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"Setting state of session \[ID=[^\]]*\] to ([A-Z_]+)").ok());
static MSG_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?:Received message|Sent message|Received feedback rating) \[([^\]]*)\]").ok());
static EVID_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"latest event ID \[(\d+)\]").ok());
static STALE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"Found (\d+) stale sessions").ok());

pub fn decode(rec: &mut Record, text: &str) {
    if crate::holds!(text, "[ID=") {
        line(rec, text);
    }
    if crate::holds!(text, "stale sessions") {
        if let Some(n) = STALE_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
            rec.set("staleSessions", common::num_or_str(n.as_str()));
        }
    }
    let t = text.trim_start();
    if t.starts_with('{') && (crate::holds!(text, "chatEvents") || crate::holds!(text, "type: '")) {
        dump(rec, text);
    } else if let Some(i) = find_in(text, "{ chatEvents") {
        dump(rec, text.get(i..).unwrap_or(""));
    }
}

fn line(rec: &mut Record, text: &str) {
    if let Some(re) = BRACKET_RE.as_ref() {
        for c in re.captures_iter(text) {
            let (Some(k), Some(v)) = (c.get(1), c.get(2)) else { continue };
            match k.as_str() {
                "ID" => rec.set("sessionId", v.as_str()),
                "Type" => rec.set("channelType", v.as_str()),
                "SC RefURL" => {
                    rec.set("refURL", v.as_str());
                    if let Some(id) = v.as_str().rsplit('/').next() {
                        rec.set("SocialContactID", id);
                    }
                }
                "Message" => rec.set("message", v.as_str()),
                "Status" => rec.set("typingStatus", v.as_str()),
                other => rec.set(other, common::num_or_str(v.as_str())),
            }
        }
    }
    if let Some(s) = STATE_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
        name_if_none(rec, "setSessionState");
        rec.set("sessionState", s.as_str());
    }
    if let Some(m) = MSG_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
        if crate::holds!(text, "feedback rating") {
            rec.set("rating", common::num_or_str(m.as_str()));
        } else {
            rec.set("message", m.as_str());
        }
    }
    if let Some(n) = EVID_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
        rec.set("latestEventId", common::num_or_str(n.as_str()));
    }
    if crate::holds!(text, "Creating new session") {
        name_if_none(rec, "Creating new session");
    } else if crate::holds!(text, "Destroyed session") || crate::holds!(text, "Destroying session") {
        name_if_none(rec, "Destroyed session");
    }
}

fn dump(rec: &mut Record, text: &str) {
    let mut p = JsObj { s: text.as_bytes(), i: 0, depth: 0 };
    match p.value() {
        Some(Value::Object(mut o)) => {
            if let Some(ev) = o.get_mut("chatEvents") {
                match ev {
                    Value::String(s) if s.is_empty() => {
                        rec.set("noEvents", true);
                    }
                    Value::Object(events) => {
                        let types: Vec<Value> = events.keys().map(|k| Value::from(k.clone())).collect();
                        for (_, e) in events.iter_mut() {
                            decode_bodies(e);
                        }
                        rec.set("eventTypes", Value::Array(types));
                    }
                    _ => {}
                }
                name_if_none(rec, "chatEvents");
                let v = o.remove("chatEvents").unwrap_or(Value::Null);
                rec.set("chatEvents", v);
            } else if let Some(t) = o.get("type").and_then(Value::as_str) {
                rec.set("eventType", t);
                for (k, dst) in [("id", "eventId"), ("status", "status"), ("from", "from")] {
                    if let Some(v) = o.get(k).and_then(Value::as_str) {
                        rec.set(dst, common::num_or_str(v));
                    }
                }
                if let Some(b) = o.get("body").and_then(Value::as_str) {
                    rec.set("body", common::url_decode(b));
                }
            }
        }
        _ => rec.note("chat gateway object dump not decoded (cut or malformed)"),
    }
}

fn decode_bodies(e: &mut Value) {
    match e {
        Value::Object(o) => {
            if let Some(Value::String(b)) = o.get("body").cloned().as_ref() {
                o.insert("body".into(), Value::from(common::url_decode(b)));
                o.insert("bodyRaw".into(), Value::from(b.clone()));
            }
        }
        Value::Array(a) => a.iter_mut().for_each(decode_bodies),
        _ => {}
    }
}

/// A tolerant reader of node's `util.inspect` object literals: `{ key: 'v', k2: { … }, k3: [ … ] }`.
struct JsObj<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl JsObj<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).map(|c| c.is_ascii_whitespace()).unwrap_or(false) {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Option<Value> {
        self.ws();
        self.depth += 1;
        if self.depth > 64 {
            return None;
        }
        let v = match self.s.get(self.i)? {
            b'{' => self.object(),
            b'[' => self.array(),
            b'\'' | b'"' => self.string().map(Value::from),
            _ => {
                let start = self.i;
                while self.s.get(self.i).map(|c| !b",}] \n\r\t".contains(c)).unwrap_or(false) {
                    self.i += 1;
                }
                let raw = std::str::from_utf8(self.s.get(start..self.i)?).ok()?;
                if raw.is_empty() {
                    return None;
                }
                Some(match raw {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" | "undefined" => Value::Null,
                    _ => common::num_or_str(raw),
                })
            }
        };
        self.depth -= 1;
        v
    }

    fn string(&mut self) -> Option<String> {
        let q = *self.s.get(self.i)?;
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let c = *self.s.get(self.i)?;
            self.i += 1;
            if c == b'\\' {
                out.push(*self.s.get(self.i)?);
                self.i += 1;
            } else if c == q {
                break;
            } else {
                out.push(c);
            }
        }
        Some(String::from_utf8_lossy(&out).into_owned())
    }

    fn key(&mut self) -> Option<String> {
        self.ws();
        if matches!(self.s.get(self.i), Some(b'\'') | Some(b'"')) {
            return self.string();
        }
        let start = self.i;
        while self.s.get(self.i).map(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$').unwrap_or(false) {
            self.i += 1;
        }
        let k = std::str::from_utf8(self.s.get(start..self.i)?).ok()?;
        if k.is_empty() {
            None
        } else {
            Some(k.to_string())
        }
    }

    fn object(&mut self) -> Option<Value> {
        self.i += 1;
        let mut m = Map::new();
        loop {
            self.ws();
            if self.s.get(self.i) == Some(&b'}') {
                self.i += 1;
                return Some(Value::Object(m));
            }
            let k = self.key()?;
            self.ws();
            if self.s.get(self.i) != Some(&b':') {
                return None;
            }
            self.i += 1;
            let v = self.value()?;
            m.insert(k, v);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {}
                _ => return None,
            }
        }
    }

    fn array(&mut self) -> Option<Value> {
        self.i += 1;
        let mut a = Vec::new();
        loop {
            self.ws();
            if self.s.get(self.i) == Some(&b']') {
                self.i += 1;
                return Some(Value::Array(a));
            }
            a.push(self.value()?);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {}
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_events() {
        let mut r = Record::new(0, "text");
        decode(&mut r, "{ chatEvents:\n   { MessageEvent: { id: '4', body: 'Hi+How+can+I+help+you%3F', from: 'agent7901' },\n     TypingEvent: { id: '5', from: 'agent7901', status: 'paused' } } }");
        assert_eq!(r.fields()["chatEvents"]["MessageEvent"]["body"], "Hi How can I help you?");
        let mut r = Record::new(0, "text");
        decode(&mut r, "{ chatEvents: { MessageEvent: { id: '4', body: 'Hi");
        assert!(!r.notes().is_empty());
        let mut r = Record::new(0, "text");
        decode(&mut r, &format!("{{ chatEvents: {}", "{ a: ".repeat(5000)));
        assert!(!r.notes().is_empty());
    }
}
