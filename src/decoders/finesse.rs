//! Finesse server (webservices) and client-log lines.
//!
//! webservices (`%CCBU_<thread>-<sev>-<MNEMONIC>: %[k=v]…` and the 12.x `[MNEMONIC] text` form):
//! - `REQUEST_START`: `method`, `resource`, `usr`, `nocache`
//! - `REQUEST_END`: `elapsed_time` (ms)
//! - `API_REQUEST`: `REQUEST_URL`, `agent_id`, `requestId` (from request_identifier/identifer), `request_method`, `request_parameters`
//! - `MESSAGE_TO_CTI_SERVER`: `cti_message_name`, `InvokeID`/`InvokeIDHex`, `agentState` (+`agentStateName`),
//!   `reasonCode`, `MRDID`, `ICMAgentID`, `TaskID`/`TaskKey`, other pairs with spaces removed
//! - `DECODED_MESSAGE_FROM_CTI_SERVER` / `MESSAGE_FROM_CTI_SERVER`: `cti_message_class`, `msgName`, `msgID`,
//!   `agentState` (+`agentStateName`), `skillGroupState`, `eventReasonCode`, `agentID`, `deploymentType`,
//!   `cti_sequence_id`, `CTI_MSG_RECEIVED` (epoch ms), `MRDID`, `ICMAgentID`, `TaskID`/`TaskKey`
//! - `XMPP_PUBLISH_ASYNCHRONOUS` / `UNSUBSCRIBE_REQUEST_SUCCESS`: `node` (the Update itself: see xmpp.rs)
//! - `PRESENCE_NOTIFICATION_RECIEVED`: `from`, `presenceType`; `PRESENCE DRIVEN LOGOUT`: `agent_id`
//! - `SM_REST_OPERATION_MSG`: `agent_id`, `TaskKey`, `SocialContactID`; `SOCIALMINER_HTTP_RESPONSE`: `status`
//! - other `%[k=v]` groups are added as they are when the format parser did not set them.
//!
//! Client log: `REST request` (`method`, `url`, `requestId`, `nocache`), `REST response` (`status`,
//! content root as an object under its element name, e.g. `User`, plus the typed User/Dialog fields),
//! `Received event on node` (`node`); REST error bodies `ApiErrors` → `apiErrors`.

use super::common::{self, name_if_none, set_if_absent};
use super::{xml, xmpp};
use crate::formats::engine::find as find_in;
use crate::model::Record;
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

static CCBU_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"%CCBU_.*?-(\d)-([A-Z][A-Z0-9_ ]*[A-Z0-9_]):").ok());
static V12_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\]: \[\[?([A-Z][A-Z0-9_]+)\]\]? ").ok());

// The phrases below are read by hand (`common::after_literal`); each reader's comment gives the
// expression it stands for (with `[0-9]` for `\d`: Finesse writes ASCII numbers), and the tests
// compare them on every text of a small grammar.

/// `nocache=\[?([0-9]+)`, as a number.
fn nocache(text: &str) -> Option<i64> {
    common::after_literal(text, "nocache=", |s| common::leading_digits(s.strip_prefix('[').unwrap_or(s))).and_then(|n| n.parse().ok())
}

/// `"CTI_MSG_RECEIVED"\s*:\s*([0-9]+)`, as a number.
fn cti_msg_received(text: &str) -> Option<i64> {
    common::after_literal(text, "\"CTI_MSG_RECEIVED\"", |s| {
        let s = s.trim_start_matches(char::is_whitespace).strip_prefix(':')?;
        common::leading_digits(s.trim_start_matches(char::is_whitespace))
    })
    .and_then(|n| n.parse().ok())
}

/// `Making REST request: method=([A-Z]+), url='([^']*)'`: the method and the URL.
fn rest_request(text: &str) -> Option<(&str, &str)> {
    common::after_literal(text, "Making REST request: method=", |s| {
        let method = common::leading(s, |c| c.is_ascii_uppercase())?;
        let url = common::before_quote(s.get(method.len()..)?.strip_prefix(", url='")?)?;
        Some((method, url))
    })
}

/// `requestId='([^']*)'`.
fn request_id(text: &str) -> Option<&str> {
    common::after_literal(text, "requestId='", common::before_quote)
}

/// `Returned with status=([0-9]+)`.
fn returned_status(text: &str) -> Option<&str> {
    common::after_literal(text, "Returned with status=", common::leading_digits)
}

/// `Received event on node '([^']*)'`.
fn event_node(text: &str) -> Option<&str> {
    common::after_literal(text, "Received event on node '", common::before_quote)
}

/// `node_id: ([^,\s]+)`.
fn node_id(text: &str) -> Option<&str> {
    common::after_literal(text, "node_id: ", |s| common::leading(s, |c| c != ',' && !c.is_whitespace()))
}

pub fn decode(rec: &mut Record, text: &str) {
    if crate::holds!(text, "%CCBU_") || crate::holds!(text, "]: [") {
        server(rec, text);
    }
    if crate::holds!(text, "Making REST request") || crate::holds!(text, "Returned with status=") || crate::holds!(text, "Received event on node") {
        client(rec, text);
    }
    if crate::holds!(text, "<ApiErrors") || crate::holds!(text, "<apiErrors") {
        api_errors(rec, text);
    }
}

/// The mnemonic of a webservices line: `%CCBU_<thread>-<sev>-<MNEMONIC>:` or the 12.x
/// `]: [MNEMONIC] ` (read by hand on the first line: every server record comes through here).
fn mnemonic(text: &str) -> Option<&str> {
    let first = text.split('\n').next().unwrap_or(text);
    if let Some(m) = ccbu_mnemonic(first) {
        return Some(m);
    }
    if let Some(m) = v12_mnemonic(first) {
        return Some(m);
    }
    // A wrapped or unusual line: the general patterns over the whole text.
    if let Some(c) = CCBU_RE.as_ref().and_then(|r| r.captures(text)) {
        return c.get(2).map(|m| m.as_str());
    }
    V12_RE.as_ref()?.captures(text)?.get(1).map(|m| m.as_str())
}

/// `%CCBU_<thread>-<sev>-<MNEMONIC>:` → MNEMONIC (the thread may hold dashes; the severity is a digit).
fn ccbu_mnemonic(line: &str) -> Option<&str> {
    let p = memchr::memmem::find(line.as_bytes(), b"%CCBU_")?;
    let body = line.get(p + 6..)?;
    let colon = memchr::memchr(b':', body.as_bytes())?;
    let header = body.get(..colon)?;
    let dash = memchr::memrchr(b'-', header.as_bytes())?;
    let m = header.get(dash + 1..)?;
    let sev = header.get(..dash)?;
    let sev_dash = memchr::memrchr(b'-', sev.as_bytes())?;
    let ok_sev = sev.get(sev_dash + 1..).is_some_and(|d| d.len() == 1 && d.bytes().all(|c| c.is_ascii_digit()));
    let ok_m =
        m.bytes().next().is_some_and(|c| c.is_ascii_uppercase()) && m.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_' || c == b' ');
    (ok_sev && ok_m && !m.ends_with(' ')).then_some(m)
}

/// The 12.x name group: the first `]: [NAME] ` whose NAME is upper-case (`[[NAME]]` too).
fn v12_mnemonic(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    for p in memchr::memmem::find_iter(b, b"]: [") {
        let mut i = p + 4;
        if b.get(i) == Some(&b'[') {
            i += 1;
        }
        let end = i + b.get(i..)?.iter().take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || **c == b'_').count();
        if end > i && b.get(i).is_some_and(|c| c.is_ascii_uppercase()) && b.get(end) == Some(&b']') {
            let mut j = end + 1;
            if b.get(j) == Some(&b']') {
                j += 1;
            }
            if b.get(j) == Some(&b' ') {
                return line.get(i..end);
            }
        }
    }
    None
}

fn server(rec: &mut Record, text: &str) {
    let Some(m) = mnemonic(text) else { return };
    name_if_none(rec, m);
    let groups = common::ccbu_groups(text);
    let g = |k: &str| groups.iter().find(|(gk, _)| *gk == k).map(|&(_, v)| v);
    match m {
        "REQUEST_START" => {
            if let Some(v) = g("method_name") {
                rec.set("method", v);
            }
            if let Some(v) = g("resource_name") {
                rec.set("resource", v);
            }
            if let Some(v) = g("usr") {
                if !v.is_empty() {
                    rec.set("usr", common::num_or_str(v));
                }
            }
            if let Some(n) = nocache(text) {
                rec.set("nocache", n);
            }
        }
        "REQUEST_END" => {
            if let Some(v) = g("elapsed_time") {
                rec.set("elapsed_time", common::num_or_str(v));
            }
        }
        "API_REQUEST" => {
            for k in ["REQUEST_URL", "agent_id", "request_method", "request_parameters"] {
                if let Some(v) = g(k) {
                    rec.set(k, common::num_or_str(v));
                }
            }
            if let Some(v) = g("request_identifier").or_else(|| g("request_identifer")) {
                let v = v.trim();
                if !v.is_empty() && v != "null" {
                    rec.set("requestId", v);
                }
            }
        }
        "MESSAGE_TO_CTI_SERVER" => to_cti(rec, text, g("cti_message_name"), g("cti_message")),
        "DECODED_MESSAGE_FROM_CTI_SERVER" | "MESSAGE_FROM_CTI_SERVER" => from_cti(rec, text),
        "XMPP_PUBLISH_ASYNCHRONOUS" | "UNSUBSCRIBE_REQUEST_SUCCESS" => {
            if let Some(n) = g("NodeId").or_else(|| node_id(text)) {
                rec.set("node", n);
            }
        }
        "PRESENCE_NOTIFICATION_RECIEVED" | "PRESENCE_NOTIFICATION_RECEIVED" => {
            if let Some(v) = g("FROM JID") {
                rec.set("from", v);
            }
            if let Some(v) = g("PRESENCE_TYPE") {
                rec.set("presenceType", v);
            }
        }
        "PRESENCE DRIVEN LOGOUT" => {
            if let Some(v) = g("agent_id") {
                rec.set("agent_id", common::num_or_str(v));
            }
        }
        "SM_REST_OPERATION_MSG" => {
            for (k, v) in colon_pairs(text.split("] ").last().unwrap_or("")) {
                match k {
                    "agent_id" => rec.set("agent_id", common::num_or_str(v)),
                    "task_id" => {
                        rec.set("TaskID", v);
                        common::set_task_key(rec, v);
                    }
                    "sm_contact_id" => {
                        let id = v.trim_end_matches('.').split_whitespace().next().unwrap_or("").trim_end_matches('.').to_string();
                        rec.set("SocialContactID", id);
                    }
                    _ => {}
                }
            }
        }
        "SOCIALMINER_HTTP_RESPONSE" => {
            if let Some(s) = text.split("Status: ").nth(1).and_then(|s| s.split_whitespace().next()) {
                rec.set("status", common::num_or_str(s));
            }
        }
        _ => {}
    }
    for &(k, v) in &groups {
        if k != "cti_message" && k != "Payload" && k != "DSNotificationEvent" && crate::model::field_wanted(k) {
            set_if_absent(rec, k, common::num_or_str(v));
        }
    }
}

/// The CTI message class a Finesse line names before its fields (`CTI AgentStateEvent [` →
/// `AgentStateEvent`): the first run of ASCII letters directly before optional white space and a
/// `[` that holds, from an upper-case letter, at least one more letter and then `Event`, `Conf`,
/// `Req` or `Indication` up to its end. The run's leftmost such letter starts the class, except
/// that a `CTI` there, or a `CTI ` before the run, is a prefix and not part of it. (Read by hand,
/// as the expression `(?:CTI ?)?([A-Z][A-Za-z]+(?:Event|Conf|Req|Indication))\s*\[` read it
/// leftmost-first; that expression could not be prefiltered and ran on every CTI line.)
fn cti_class(text: &str) -> Option<&str> {
    const SUFFIXES: [&str; 4] = ["Event", "Conf", "Req", "Indication"];
    let b = text.as_bytes();
    for open in memchr::memchr_iter(b'[', b) {
        let before = text.get(..open)?;
        let end = before.trim_end_matches(char::is_whitespace).len();
        let run_start = end - b.get(..end)?.iter().rev().take_while(|c| c.is_ascii_alphabetic()).count();
        let Some(suffix) = SUFFIXES.iter().find(|s| b.get(run_start..end).is_some_and(|run| run.ends_with(s.as_bytes()))) else { continue };
        // A class start: an upper-case letter with at least one letter between it and the suffix.
        let Some(last_start) = end.checked_sub(suffix.len() + 2) else { continue };
        let starts_class = |q: usize| q >= run_start && q <= last_start && b.get(q).is_some_and(u8::is_ascii_uppercase);
        if run_start >= 4 && b.get(run_start - 4..run_start) == Some(b"CTI ".as_slice()) && starts_class(run_start) {
            return text.get(run_start..end);
        }
        let Some(first) = (run_start..=last_start).find(|&q| starts_class(q)) else { continue };
        let class_start = if b.get(first..first + 3) == Some(b"CTI".as_slice()) && starts_class(first + 3) { first + 3 } else { first };
        return text.get(class_start..end);
    }
    None
}

/// `a : b, c: d` pairs (MESSAGE_TO_CTI_SERVER style), keys with spaces kept as written.
fn colon_pairs(s: &str) -> Vec<(&str, &str)> {
    s.split(',')
        .filter_map(|part| {
            let (k, v) = part.split_once(':').or_else(|| part.split_once('='))?;
            let k = crate::formats::engine::trimmed(k);
            if k.is_empty() || k.len() > 40 {
                return None;
            }
            Some((k, crate::formats::engine::trimmed(v)))
        })
        .collect()
}

/// A CTI key as correlation names it: spaces dropped, the usual names in their usual case.
fn cti_key(k: &str) -> std::borrow::Cow<'_, str> {
    const NAMES: [(&str, &str); 9] = [
        ("invokeid", "InvokeID"),
        ("agentstate", "agentState"),
        ("reasoncode", "reasonCode"),
        ("mrdid", "MRDID"),
        ("icmagentid", "ICMAgentID"),
        ("taskid", "TaskID"),
        ("workmode", "workMode"),
        ("agentid", "agentID"),
        ("agentext", "agentExtension"),
    ];
    let flat: std::borrow::Cow<str> =
        if k.contains(char::is_whitespace) { k.chars().filter(|c| !c.is_whitespace()).collect::<String>().into() } else { k.into() };
    match NAMES.iter().find(|(low, _)| flat.eq_ignore_ascii_case(low)) {
        Some((_, name)) => std::borrow::Cow::Borrowed(name),
        None => flat,
    }
}

fn put_cti(rec: &mut Record, key: &str, v: &str) {
    let v = crate::formats::engine::trimmed(v);
    match key {
        "InvokeID" => common::set_invoke_id(rec, v),
        "TaskID" => {
            rec.set("TaskID", v);
            common::set_task_key(rec, v);
        }
        "agentState" | "skillGroupState" => {
            // `2 (NOT_READY)` or `0`
            let (num, name) = match v.split_once(' ') {
                Some((n, rest)) => (n, Some(rest.trim().trim_matches(|c| c == '(' || c == ')').to_string())),
                None => (v, None),
            };
            rec.set(key, common::num_or_str(num));
            let name = name.or_else(|| common::parse_int(num).and_then(common::agent_state_name).map(str::to_string));
            if let Some(n) = name {
                rec.set(&format!("{key}Name"), n);
            }
        }
        _ => {
            if v != "null" && crate::model::field_wanted(key) {
                rec.set(key, common::num_or_str(v))
            }
        }
    }
}

/// The `key=value` pairs of a CTI message as Finesse logs it (`… [agentID=1001, agentState=2
/// (NOT_READY), …]`): a key is a run of ASCII letters, digits and `_` that does not start with a
/// digit, directly before `=`; its value runs to the next `,` or `]` (or the end of the text),
/// less trailing white space. A value that reaches a `[` first is a nested structure, not a
/// value: that key is skipped and the keys inside the structure are read. (This is what a
/// regular expression read before; its lazy value made the engine backtrack on every CTI line.)
fn cti_pairs(text: &str) -> Vec<(&str, &str)> {
    let b = text.as_bytes();
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    let mut p = 0;
    while let Some(&c) = b.get(p) {
        if !(c.is_ascii_alphabetic() || c == b'_') {
            p += 1;
            continue;
        }
        let key_end = p + b.get(p..).unwrap_or(&[]).iter().take_while(|&&c| is_word(c)).count();
        if b.get(key_end) != Some(&b'=') {
            // Every start inside this run ends at the same place: none is a key.
            p = key_end;
            continue;
        }
        let from = key_end + 1;
        let to = from + b.get(from..).unwrap_or(&[]).iter().take_while(|&&c| !matches!(c, b',' | b'[' | b']')).count();
        if b.get(to) == Some(&b'[') {
            p = from;
            continue;
        }
        if let (Some(key), Some(value)) = (text.get(p..key_end), text.get(from..to)) {
            out.push((key, value.trim_end()));
        }
        p = (to + 1).min(b.len());
    }
    out
}

fn to_cti(rec: &mut Record, text: &str, name: Option<&str>, msg: Option<&str>) {
    let (name, body): (Option<&str>, &str) = match (name, msg) {
        (Some(n), Some(m)) => (Some(n), m),
        _ => {
            // 12.x: `cti_message_name: OfferTaskIndication, invokeId :35464 , …`
            let after = text.split("cti_message_name:").nth(1).unwrap_or("");
            let (n, rest) = after.split_once(',').unwrap_or((after, ""));
            (Some(n.trim()).filter(|s| !s.is_empty()), rest)
        }
    };
    if let Some(n) = name {
        rec.set("cti_message_name", n);
    }
    for (k, v) in colon_pairs(body) {
        put_cti(rec, &cti_key(k), v);
    }
}

fn from_cti(rec: &mut Record, text: &str) {
    if let Some(c) = cti_class(text) {
        rec.set("cti_message_class", c);
    }
    for (k, v) in cti_pairs(text) {
        let key = match k {
            "mrdId" | "MRDId" => "MRDID",
            "icmAgentID" | "agentSkillTargetID" => "ICMAgentID",
            "taskId" => "TaskID",
            "invokeID" => "InvokeID",
            "elapsed_time" | "cti_message" | "timeTracker" => continue,
            other => other,
        };
        put_cti(rec, key, v);
    }
    if let Some(n) = cti_msg_received(text) {
        rec.set("CTI_MSG_RECEIVED", n);
    }
}

fn client(rec: &mut Record, text: &str) {
    // Each expression is run only on text holding its literal (one of the scan's triggers): most
    // client lines are one of the three kinds.
    if let Some((method, url)) = crate::holds!(text, "Making REST request").then(|| rest_request(text)).flatten() {
        name_if_none(rec, "REST request");
        rec.set("method", method);
        rec.set("url", url);
        if let Some(n) = nocache(url) {
            rec.set("nocache", n);
        }
    }
    if let Some(r) = request_id(text) {
        if r != "undefined" && !r.is_empty() {
            rec.set("requestId", r);
        }
    }
    if let Some(s) = crate::holds!(text, "Returned with status=").then(|| returned_status(text)).flatten() {
        name_if_none(rec, "REST response");
        rec.set("status", common::num_or_str(s));
        if let Some(i) = find_in(text, "content='") {
            let body = text.get(i + 9..).unwrap_or("");
            let body = body.trim_end();
            let body = body.strip_suffix('\'').unwrap_or(body);
            if body.trim_start().starts_with('<') {
                match xml::to_json(body) {
                    Ok((root, v)) => {
                        match root.as_str() {
                            "User" => {
                                rec.set("dataType", "User");
                                xmpp::apply_user(rec, &v);
                            }
                            "Dialog" => {
                                rec.set("dataType", "Dialog");
                                xmpp::apply_dialog(rec, &v);
                            }
                            "ApiErrors" | "apiErrors" => xmpp::apply_api_errors(rec, &v),
                            _ => {}
                        }
                        rec.set(&root, v);
                    }
                    Err(e) => rec.note(format!("REST response content not decoded: {e}")),
                }
            }
        }
    }
    if let Some(n) = crate::holds!(text, "Received event on node").then(|| event_node(text)).flatten() {
        name_if_none(rec, "Received event");
        rec.set("node", n);
    }
}

fn api_errors(rec: &mut Record, text: &str) {
    if rec.fields().contains_key("apiErrors") {
        return;
    }
    let start = find_in(text, "<ApiErrors").or_else(|| find_in(text, "<apiErrors"));
    let Some(start) = start else { return };
    let rest = text.get(start..).unwrap_or("");
    let end = find_in(rest, "</ApiErrors>").map(|i| i + 12).or_else(|| find_in(rest, "</apiErrors>").map(|i| i + 12));
    let Some(end) = end else {
        rec.note("ApiErrors body truncated (no closing tag)");
        return;
    };
    match xml::to_json(rest.get(..end).unwrap_or("")) {
        Ok((_, v)) => {
            xmpp::apply_api_errors(rec, &v);
            name_if_none(rec, "ApiErrors");
        }
        Err(e) => rec.note(format!("ApiErrors body not decoded: {e}")),
    }
    let _ = Value::Null;
}

#[cfg(test)]
mod tests {
    use super::{cti_class, cti_msg_received, cti_pairs, event_node, nocache, node_id, request_id, rest_request, returned_status};

    /// Each phrase reader against the expression it replaced, on texts made of the phrases, their
    /// halves, values, quotes, separators, white space of two kinds and digits of another script:
    /// the first match wins, a broken occurrence gives way to a later one.
    #[test]
    fn phrase_readers_read_as_the_old_expressions_did() {
        // The phrases with everything around them; then two phrases that need several pieces in
        // a row, each with a few of its own.
        let grammars: [&[&str]; 3] = [
            &[
                "nocache=",
                "nocache",
                "requestId='",
                "Returned with status=",
                "Received event on node '",
                "node_id: ",
                "/finesse/api/User/1001",
                "=",
                "[",
                "1",
                "23",
                "\u{663}",
                "'",
                ",",
                " ",
                "\u{2003}",
                "\n",
                "x",
            ],
            &["Making REST request: method=", "GET", "Put", ", url='", "'", "/finesse?nocache=1", "x"],
            &["\"CTI_MSG_RECEIVED\"", "\"CTI", ":", " ", "\u{2003}", "12", "\u{663}", "x"],
        ];
        let re = |p: &str| regex::Regex::new(p).expect("pattern");
        let (nocache_re, received_re, request_re) = (re(r"nocache=\[?([0-9]+)"), re(r#""CTI_MSG_RECEIVED"\s*:\s*([0-9]+)"#), re(r"requestId='([^']*)'"));
        let (status_re, node_re, node_id_re) = (re(r"Returned with status=([0-9]+)"), re(r"Received event on node '([^']*)'"), re(r"node_id: ([^,\s]+)"));
        let rest_re = re(r"Making REST request: method=([A-Z]+), url='([^']*)'");
        let cap = |re: &regex::Regex, t: &str| re.captures(t).and_then(|c| c.get(1)).map(|m| m.as_str().to_string());
        let number = |re: &regex::Regex, t: &str| cap(re, t).and_then(|n| n.parse::<i64>().ok()).map(|n| n.to_string());
        let mut found = [0usize; 7];
        for (g, grammar) in grammars.iter().enumerate() {
            // The first grammar is too large to try whole: 20 000 texts of it; every text of the others.
            let texts: Vec<String> = match g {
                0 => crate::test_support::generated_texts(0x0f1e55e, grammar, 9, 20_000).collect(),
                _ => crate::test_support::every_text(grammar, 6, 200),
            };
            for t in texts {
                let checks = [
                    (nocache(&t).map(|n| n.to_string()), number(&nocache_re, &t)),
                    (cti_msg_received(&t).map(|n| n.to_string()), number(&received_re, &t)),
                    (request_id(&t).map(str::to_string), cap(&request_re, &t)),
                    (returned_status(&t).map(str::to_string), cap(&status_re, &t)),
                    (event_node(&t).map(str::to_string), cap(&node_re, &t)),
                    (node_id(&t).map(str::to_string), cap(&node_id_re, &t)),
                    (rest_request(&t).map(|(m, u)| format!("{m} {u}")), rest_re.captures(&t).map(|c| format!("{} {}", &c[1], &c[2]))),
                ];
                for (k, (ours, theirs)) in checks.into_iter().enumerate() {
                    found[k] += usize::from(theirs.is_some());
                    assert_eq!(ours, theirs, "reader {k} on {t:?}");
                }
            }
        }
        assert!(found.iter().all(|&n| n > 200), "texts each expression matched: {found:?}");
    }

    /// The hand reader against the expression it replaced, on every text of a grammar of the
    /// parts that matter (the `CTI` prefix with and without its space, suffixes, upper and lower
    /// case, white space of both kinds, brackets, a multi-byte letter).
    #[test]
    fn cti_class_reads_as_the_old_expression_did() {
        let re = regex::Regex::new(r"(?:CTI ?)?([A-Z][A-Za-z]+(?:Event|Conf|Req|Indication))\s*\[").expect("pattern");
        let pieces = ["CTI", " ", "[", "Event", "Req", "A", "x", "C", "TI", "\u{a0}", "é", "Indication", "Conf", "\t", "ab"];
        let texts = crate::test_support::every_text(&pieces, 5, 24);
        let mut found = 0;
        for t in &texts {
            let want = re.captures(t).and_then(|c| c.get(1)).map(|m| m.as_str());
            found += usize::from(want.is_some());
            assert_eq!(cti_class(t), want, "{t:?}");
        }
        assert!(found > 10_000, "{found} of {} texts name a class", texts.len());
        assert_eq!(cti_class("x CTIAgentStateEvent [a=1]"), Some("AgentStateEvent"));
        assert_eq!(cti_class("CTI BeginCallEvent\u{a0}[a=1]"), Some("BeginCallEvent"));
    }

    /// The scan against the regular expression it replaced, on generated text rich in the
    /// characters that matter (keys, `=`, delimiters, brackets, white space, multi-byte).
    #[test]
    fn cti_pairs_read_as_the_old_expression_did() {
        let re = regex::Regex::new(r"([A-Za-z_][A-Za-z0-9_]*)=([^,\[\]]*?(?:\s\([A-Z_]+\))?)\s*(?:,|\]|$)").unwrap();
        let alphabet = ["a", "Z", "_", "9", "=", ",", "[", "]", " ", "(", ")", "\t", "é", "\n", "agentState", "=2 (NOT_READY)", "\u{2003}"];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut with_pairs = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for k in 0..(seed % 24) {
                text.push_str(alphabet[((seed >> (k % 48)) as usize ^ (k as usize * 7)) % alphabet.len()]);
            }
            let want: Vec<(&str, &str)> = re.captures_iter(&text).map(|c| (c.get(1).unwrap().as_str(), c.get(2).unwrap().as_str())).collect();
            assert_eq!(cti_pairs(&text), want, "text {text:?}");
            with_pairs += usize::from(!want.is_empty());
        }
        assert!(with_pairs > 2_000, "only {with_pairs} generated texts held a pair");
        let line = "CTI AgentStateEvent [ICMAgentID=5000, agentState=2 (NOT_READY) , skills=[1, 2], reasonCode=0]";
        assert_eq!(cti_pairs(line), vec![("ICMAgentID", "5000"), ("agentState", "2 (NOT_READY)"), ("reasonCode", "0")]);
    }
}
