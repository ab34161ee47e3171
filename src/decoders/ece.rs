//! ECE chat entry point answers: `entrypoint/initialize/{id}` JSON (with `checkEligibility`),
//! `checkEligibility` (JSON or `<checkEligibility responseType="0"/>`) and `agentAvailability`.
//!
//! Fields: `responseType` (number), `responseTypeMeaning` (words), `entryPointId` (from a URL in the
//! text), `flags` (object: every boolean setting of the entry point, e.g. `isVideoChatEnabled`),
//! `settings` (object: the numeric settings), `available` (agentAvailability), `maskingPatterns`
//! (count).

use super::common::name_if_none;
use crate::formats::engine::has as contains;
use crate::model::Record;
use regex::Regex;
use serde_json::{Map, Value};
use std::sync::LazyLock;

static XML_RT_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"<checkEligibility[^>]*responseType\s*=\s*["'](-?\d+)["']"#).ok());
static XML_AV_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"<agentAvailability[^>]*available\s*=\s*["'](true|false)["']"#).ok());
static EP_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"entrypoint/(initialize|checkEligibility|agentAvailability|capacity)/(\d+)").ok());

/// The words for a `checkEligibility.responseType` value (protocols.md D.1).
pub fn response_type_meaning(n: i64) -> &'static str {
    match n {
        0 => "the entry point can take new chats (agents available or queue not full)",
        1 => "no agent is available to work on new chats",
        2 => "maximum queue depth reached: no new chats will be processed",
        _ => "unknown responseType",
    }
}

fn set_response_type(rec: &mut Record, n: i64) {
    rec.set("responseType", n);
    rec.set("responseTypeMeaning", response_type_meaning(n));
}

pub fn decode(rec: &mut Record, text: &str) {
    if let Some(c) = EP_RE.as_ref().and_then(|r| r.captures(text)) {
        if let Some(id) = c.get(2).and_then(|m| m.as_str().parse::<i64>().ok()) {
            rec.set("entryPointId", id);
        }
        if let Some(kind) = c.get(1) {
            rec.set("eceApi", kind.as_str());
        }
    }
    if let Some(n) = XML_RT_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)).and_then(|m| m.as_str().parse::<i64>().ok()) {
        name_if_none(rec, "checkEligibility");
        set_response_type(rec, n);
    }
    if let Some(v) = XML_AV_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
        name_if_none(rec, "agentAvailability");
        rec.set("available", v.as_str() == "true");
    }
    if !text.contains('{') {
        return;
    }
    match find_json(text) {
        Some(Ok(v)) => apply_json(rec, &v),
        // A lone fragment line (`"checkEligibility": {`) is not a payload; a record that is one is.
        Some(Err(e)) if text.trim_start().starts_with('{') || crate::holds!(text, "entrypoint/") => {
            rec.note(format!("ECE JSON not decoded (cut or malformed): {e}"))
        }
        Some(Err(_)) => {}
        None => {}
    }
}

/// The first JSON object in the text that mentions an ECE key. Err when the text holds one that
/// is cut or broken.
fn find_json(text: &str) -> Option<Result<Value, String>> {
    let mut from = 0;
    let mut tries = 0;
    let mut last_err = None;
    while let Some(i) = text.get(from..)?.find('{') {
        let at = from + i;
        tries += 1;
        if tries > 32 {
            break;
        }
        let slice = text.get(at..)?;
        let mut it = serde_json::Deserializer::from_str(slice).into_iter::<Value>();
        match it.next() {
            Some(Ok(v)) => {
                if v.get("checkEligibility").is_some() || v.get("responseType").is_some() || v.get("available").is_some() {
                    return Some(Ok(v));
                }
                from = at + 1;
            }
            Some(Err(e)) => {
                if contains(slice, "checkEligibility") || contains(slice, "responseType") {
                    last_err = Some(format!("{e}"));
                }
                from = at + 1;
            }
            None => break,
        }
    }
    last_err.map(Err)
}

fn apply_json(rec: &mut Record, v: &Value) {
    let rt = v.get("checkEligibility").and_then(|c| c.get("responseType")).or_else(|| v.get("responseType"));
    if let Some(n) = rt.and_then(|r| r.as_i64().or_else(|| r.as_str().and_then(|s| s.trim().parse().ok()))) {
        set_response_type(rec, n);
    }
    if v.get("checkEligibility").is_some() && v.get("maskingPatterns").is_some() {
        name_if_none(rec, "ECE entry point initialize");
    } else if rt.is_some() {
        name_if_none(rec, "checkEligibility");
    }
    if let Some(a) = v.get("available").and_then(Value::as_bool) {
        name_if_none(rec, "agentAvailability");
        rec.set("available", a);
    }
    if let Some(o) = v.as_object() {
        let mut flags = Map::new();
        let mut settings = Map::new();
        for (k, val) in o {
            match val {
                Value::Bool(_) => {
                    flags.insert(k.clone(), val.clone());
                }
                Value::Number(_) => {
                    settings.insert(k.clone(), val.clone());
                }
                _ => {}
            }
        }
        if !flags.is_empty() {
            rec.set("flags", Value::Object(flags));
        }
        if !settings.is_empty() {
            rec.set("settings", Value::Object(settings));
        }
        if let Some(mp) = o.get("maskingPatterns").and_then(|m| m.get("maskingPattern")).and_then(Value::as_array) {
            rec.set("maskingPatterns", mp.len());
        }
    }
}
