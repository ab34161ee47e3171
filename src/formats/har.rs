//! HAR 1.1/1.2 files (Chrome, Edge, Firefox, Fiddler; JSONP-wrapped `.harp` too): one record per
//! entry, one per WebSocket frame (`_webSocketMessages`).
//!
//! Entry record fields: `method`, `url`, `host`, `path`, `status`, `statusText`, `httpVersion`,
//! `time` (ms), `timings` (object), `serverIPAddress`, `connection`, `pageref`, `resourceType`,
//! `fromCache`, `error`, `requestHeaders`/`responseHeaders` (objects, name → value; repeated names
//! joined by `\n`), `requestMimeType`, `requestBody`, `requestBodySize`, `mimeType`,
//! `responseBody`, `contentSize`, `responseBodySize`, `transferSize`, `responseEncoding`
//! (bodies decoded from base64 and pretty-printed when JSON or XML), and, for `/http-bind` POSTs, the
//! BOSH fields of `decoders::bosh::har_exchange` plus `ridGap`/`ridRepeat` across entries.
//! WebSocket frame records: `wsDirection` (send|receive|error), `opcode`, `data`, `url`, `entry`
//! (index of the entry). Records have no lines of their own (`line` = 0); `own_text` is a compact
//! text (`POST https://host/http-bind 200 (123 ms)` + bodies).

use super::{Format, Sample, Shape};
use crate::decoders;
use crate::model::{LogFile, LogTime, Problem, Record};
use base64::Engine;
use serde_json::{Map, Value};

pub static HAR: Format = Format { name: "har", detect, shape: Shape::Document { parse } };

/// The text inside an optional BOM and JSONP wrapper `callback({...});`.
/// Err names what is wrong with the wrapper.
pub fn unwrap_jsonp(text: &str) -> Result<&str, String> {
    let t = text.trim_start_matches('\u{feff}').trim();
    if t.starts_with('{') || t.starts_with('[') {
        return Ok(t);
    }
    let ident_end = t.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.')).unwrap_or(t.len());
    let rest = t.get(ident_end..).unwrap_or("").trim_start();
    if ident_end == 0 || !rest.starts_with('(') {
        return Err("does not start with '{' or a JSONP callback".into());
    }
    let inner = rest.get(1..).unwrap_or("").trim_end();
    let inner = inner.strip_suffix(';').unwrap_or(inner).trim_end();
    match inner.strip_suffix(')') {
        Some(i) => Ok(i.trim()),
        None => Err("JSONP callback is not closed with ')'".into()),
    }
}

fn detect(s: &Sample) -> u8 {
    let head = crate::decoders::common::truncate_at_char(s.text, 4096);
    let Ok(inner) = unwrap_jsonp(head).or_else(|_| {
        // The head may cut the JSONP close; only the opening matters here.
        let t = head.trim_start_matches('\u{feff}').trim_start();
        match t.find('(') {
            Some(i) if t.get(..i).map(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.')).unwrap_or(false) => {
                Ok(t.get(i + 1..).unwrap_or("").trim_start())
            }
            _ => Err(()),
        }
    }) else {
        return 0;
    };
    if !inner.starts_with('{') {
        return 0;
    }
    let has_log = inner.contains("\"log\"");
    let har_name = {
        let p = s.path.to_ascii_lowercase();
        p.ends_with(".har") || p.ends_with(".harp")
    };
    match (has_log, har_name) {
        (true, _) => 90,
        (false, true) => 60,
        _ => 0,
    }
}

/// Parses an ISO 8601 instant (`2010-06-06T09:40:21.181+02:00`, `…Z`, `…+0000`) into a LogTime.
pub fn parse_iso(s: &str) -> Option<LogTime> {
    let b = s.trim();
    let num = |from: usize, len: usize| -> Option<u32> { b.get(from..from + len)?.parse::<u32>().ok() };
    let (y, mo, d) = (num(0, 4)? as i32, num(5, 2)?, num(8, 2)?);
    if b.get(4..5)? != "-" || b.get(7..8)? != "-" {
        return None;
    }
    let (h, mi, se) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if h > 23 || mi > 59 || se > 60 || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let mut i = 19;
    let mut ms = 0u32;
    if b.get(i..i + 1) == Some(".") {
        i += 1;
        let frac: String = b.get(i..)?.chars().take_while(|c| c.is_ascii_digit()).collect();
        i += frac.len();
        let mut f3: String = frac.chars().take(3).collect();
        while f3.len() < 3 {
            f3.push('0');
        }
        ms = f3.parse().unwrap_or(0);
    }
    let zone = b.get(i..).unwrap_or("");
    let offset = if zone.is_empty() {
        None
    } else if zone == "Z" || zone == "z" {
        Some(0)
    } else {
        crate::time::parse_offset(zone)
    };
    let ms_of_day = ((h * 60 + mi) * 60 + se.min(59)) * 1000 + ms;
    let mut t = LogTime::wall(Some((y, mo, d)), Some(ms_of_day), offset);
    if let Some(o) = offset {
        t.set_epoch_ms(Some(crate::time::to_epoch_ms((y, mo, d), ms_of_day, o)));
    }
    Some(t)
}

fn parse(file: &LogFile, file_index: u32, out: &mut Vec<Record>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let path = &file.path;
    let inner = match unwrap_jsonp(&file.text) {
        Ok(i) => i,
        Err(e) => {
            problems.push(Problem::new("not-har", format!("{path}: not a HAR file: {e}")));
            return problems;
        }
    };
    let doc: Value = match serde_json::from_str(inner) {
        Ok(v) => v,
        Err(e) => {
            let what = if e.is_eof() { "JSON is cut short" } else { "not valid JSON" };
            problems.push(Problem::new("bad-json", format!("{path}: HAR could not be read: {what}: {e}")));
            return problems;
        }
    };
    let Some(log) = doc.get("log").and_then(Value::as_object) else {
        problems.push(Problem::new("not-har", format!("{path}: JSON has no \"log\" object, so it is not a HAR file")));
        return problems;
    };
    let Some(entries) = log.get("entries").and_then(Value::as_array) else {
        problems.push(Problem::new("not-har", format!("{path}: HAR \"log\" has no \"entries\" array (required by the HAR spec); nothing to show")));
        return problems;
    };
    let mut invalid: Vec<String> = Vec::new();
    let first = out.len();
    for (idx, e) in entries.iter().enumerate() {
        let Some(eo) = e.as_object() else {
            invalid.push(format!("entry {idx} is not an object"));
            continue;
        };
        let missing: Vec<&str> = ["startedDateTime", "time", "request", "response", "cache", "timings"]
            .into_iter()
            .filter(|k| !eo.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            invalid.push(format!("entry {idx} has no {}", missing.join(", ")));
        }
        let rec = entry_record(file_index, idx, eo);
        let frames = eo.get("_webSocketMessages").and_then(Value::as_array);
        let url = rec.get_str("url").unwrap_or_default();
        out.push(rec);
        if let Some(frames) = frames {
            for (fi, f) in frames.iter().enumerate() {
                out.push(frame_record(file_index, idx, fi, &url, f));
            }
        }
    }
    if !invalid.is_empty() {
        let n = invalid.len();
        invalid.truncate(5);
        problems.push(Problem::new(
            "har-invalid",
            format!(
                "{path}: HAR does not follow the spec ({n} entr{} affected): {}{}; the entries were loaded anyway",
                if n == 1 { "y" } else { "ies" },
                invalid.join("; "),
                if n > 5 { "; …" } else { "" }
            ),
        ));
    }
    if let Some(slice) = out.get_mut(first..) {
        rid_gaps(slice);
    }
    problems
}

fn s_of<'a>(v: Option<&'a Value>) -> &'a str {
    v.and_then(Value::as_str).unwrap_or("")
}

fn headers_obj(v: Option<&Value>) -> Map<String, Value> {
    let mut m = Map::new();
    for h in v.and_then(Value::as_array).into_iter().flatten() {
        let name = s_of(h.get("name"));
        let value = s_of(h.get("value"));
        if name.is_empty() {
            continue;
        }
        match m.get_mut(name) {
            Some(Value::String(prev)) => {
                prev.push('\n');
                prev.push_str(value);
            }
            _ => {
                m.insert(name.to_string(), Value::from(value));
            }
        }
    }
    m
}

/// Pretty form of a body for display (JSON or XML re-indented), and a note if it claims to be
/// JSON/XML but does not parse.
fn pretty_body(text: &str, mime: &str) -> (String, Option<String>) {
    let t = text.trim_start();
    let m = mime.to_ascii_lowercase();
    if m.contains("json") || ((t.starts_with('{') || t.starts_with('[')) && !m.contains("html")) {
        match serde_json::from_str::<Value>(t) {
            Ok(v) => return (serde_json::to_string_pretty(&v).unwrap_or_else(|_| text.to_string()), None),
            Err(e) if m.contains("json") => return (text.to_string(), Some(format!("JSON body not decoded (cut or malformed): {e}"))),
            Err(_) => {}
        }
    }
    if t.starts_with('<') && (m.contains("xml") || t.starts_with("<body") || t.starts_with("<?xml")) {
        match decoders::xml::pretty(t) {
            Some(p) => return (p, None),
            None if m.contains("xml") => return (text.to_string(), Some("XML body not well-formed".into())),
            None => {}
        }
    }
    (text.to_string(), None)
}

fn entry_record(file_index: u32, idx: usize, e: &Map<String, Value>) -> Record {
    let mut rec = Record::new(file_index, "har");
    let req = e.get("request");
    let resp = e.get("response");
    let method = s_of(req.and_then(|r| r.get("method")));
    let url = s_of(req.and_then(|r| r.get("url")));
    let started = s_of(e.get("startedDateTime"));
    if !started.is_empty() {
        match parse_iso(started) {
            Some(t) => {
                rec.time = Some(t);
                rec.set_time_text(started);
            }
            None => {
                rec.time = Some(LogTime::default());
                rec.set_time_text(started);
                rec.note(format!("startedDateTime {started:?} is not an ISO 8601 time"));
            }
        }
    }
    rec.set("entry", idx);
    rec.set("method", method);
    rec.set("url", url);
    let (host, path) = split_url(url);
    if !host.is_empty() {
        rec.set_component(&host);
        rec.set("host", host);
    }
    rec.set("path", path);
    let status = resp.and_then(|r| r.get("status")).and_then(Value::as_i64).unwrap_or(0);
    rec.set("status", status);
    let status_text = s_of(resp.and_then(|r| r.get("statusText")));
    if !status_text.is_empty() {
        rec.set("statusText", status_text);
    }
    if let Some(v) = req.and_then(|r| r.get("httpVersion")).and_then(Value::as_str) {
        rec.set("httpVersion", v);
    }
    let total = e.get("time").and_then(Value::as_f64);
    if let Some(t) = total {
        rec.set("time", t);
    }
    if let Some(t) = e.get("timings") {
        rec.set("timings", t.clone());
    }
    for (k, dst) in [("serverIPAddress", "serverIPAddress"), ("connection", "connection"), ("pageref", "pageref"), ("_resourceType", "resourceType"), ("_fromCache", "fromCache")] {
        if let Some(v) = e.get(k).filter(|v| !v.is_null()) {
            rec.set(dst, v.clone());
        }
    }
    if let Some(err) = resp.and_then(|r| r.get("_error")).and_then(Value::as_str).filter(|s| !s.is_empty()) {
        rec.set("error", err);
    }
    let rh = headers_obj(req.and_then(|r| r.get("headers")));
    let sh = headers_obj(resp.and_then(|r| r.get("headers")));
    // Sensitive headers: kinds and the Basic user, never copied elsewhere.
    let mut header_text = String::new();
    for (k, v) in rh.iter().chain(sh.iter()) {
        if let Some(v) = v.as_str() {
            header_text.push_str(k);
            header_text.push_str(": ");
            header_text.push_str(v);
            header_text.push('\n');
        }
    }
    if !rh.is_empty() {
        rec.set("requestHeaders", Value::Object(rh));
    }
    if !sh.is_empty() {
        rec.set("responseHeaders", Value::Object(sh));
    }
    decoders::sensitive::annotate(&mut rec, &header_text);
    for c in [req.and_then(|r| r.get("cookies")), resp.and_then(|r| r.get("cookies"))].into_iter().flatten() {
        if c.as_array().map(|a| !a.is_empty()).unwrap_or(false) {
            let mut list: Vec<Value> = match rec.fields().get("sensitive") {
                Some(Value::Array(a)) => a.clone(),
                _ => vec![],
            };
            if !list.iter().any(|v| v.as_str() == Some("cookie")) {
                list.push(Value::from("cookie"));
            }
            rec.set("sensitive", Value::Array(list));
        }
    }
    // Request body.
    let post = req.and_then(|r| r.get("postData"));
    let mut req_body = String::new();
    if let Some(p) = post {
        let mime = s_of(p.get("mimeType"));
        if !mime.is_empty() {
            rec.set("requestMimeType", mime);
        }
        if let Some(t) = p.get("text").and_then(Value::as_str) {
            req_body = t.to_string();
        } else if let Some(params) = p.get("params").and_then(Value::as_array) {
            req_body = params
                .iter()
                .map(|x| format!("{}={}", s_of(x.get("name")), s_of(x.get("value"))))
                .collect::<Vec<_>>()
                .join("&");
        }
        if !req_body.is_empty() {
            let (pretty, note) = pretty_body(&req_body, mime);
            rec.set("requestBody", pretty);
            if let Some(n) = note {
                rec.note(format!("request {n}"));
            }
        }
    }
    if let Some(v) = req.and_then(|r| r.get("bodySize")) {
        rec.set("requestBodySize", v.clone());
    }
    // Response body.
    let content = resp.and_then(|r| r.get("content"));
    let mime = s_of(content.and_then(|c| c.get("mimeType")));
    if !mime.is_empty() {
        rec.set("mimeType", mime);
    }
    if let Some(sz) = content.and_then(|c| c.get("size")) {
        rec.set("contentSize", sz.clone());
    }
    if let Some(v) = resp.and_then(|r| r.get("bodySize")) {
        rec.set("responseBodySize", v.clone());
    }
    if let Some(v) = resp.and_then(|r| r.get("_transferSize")) {
        rec.set("transferSize", v.clone());
    }
    let mut resp_body = String::new();
    if let Some(text) = content.and_then(|c| c.get("text")).and_then(Value::as_str) {
        let enc = s_of(content.and_then(|c| c.get("encoding")));
        if enc.eq_ignore_ascii_case("base64") {
            rec.set("responseEncoding", "base64");
            let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            match base64::engine::general_purpose::STANDARD.decode(cleaned.as_bytes()) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(s) => resp_body = s,
                    Err(e) => {
                        rec.set("responseBody", format!("(binary, {} bytes)", e.as_bytes().len()));
                    }
                },
                Err(e) => {
                    rec.note(format!("response body: bad base64 ({e}); kept as written"));
                    resp_body = text.to_string();
                }
            }
        } else {
            resp_body = text.to_string();
        }
        if !resp_body.is_empty() {
            let (pretty, note) = pretty_body(&resp_body, mime);
            rec.set("responseBody", pretty);
            if let Some(n) = note {
                rec.note(format!("response {n}"));
            }
        }
    }
    if url.contains("http-bind") {
        decoders::bosh::har_exchange(&mut rec, Some(&req_body), content.map(|_| resp_body.as_str()));
    }
    let name = format!("{method} {}", path.split('?').next().unwrap_or(path));
    rec.set_name(&name.trim());
    let mut own = format!("{method} {url} {status}");
    if !status_text.is_empty() {
        own.push(' ');
        own.push_str(status_text);
    }
    if let Some(t) = total {
        own.push_str(&format!(" ({} ms)", t.round() as i64));
    }
    if !req_body.is_empty() {
        own.push_str("\n> ");
        own.push_str(&req_body);
    }
    if !resp_body.is_empty() {
        own.push_str("\n< ");
        own.push_str(&resp_body);
    }
    rec.set_own_text(own);
    rec
}

fn split_url(url: &str) -> (&str, &str) {
    let after = match url.find("://") {
        Some(i) => url.get(i + 3..).unwrap_or(""),
        None => return ("", url),
    };
    match after.find('/') {
        Some(i) => (after.get(..i).unwrap_or(""), after.get(i..).unwrap_or("/")),
        None => (after, "/"),
    }
}

fn frame_record(file_index: u32, entry: usize, idx: usize, url: &str, f: &Value) -> Record {
    let mut rec = Record::new(file_index, "har");
    let dir = s_of(f.get("type"));
    let opcode = f.get("opcode").and_then(Value::as_i64).unwrap_or(-1);
    let data = s_of(f.get("data"));
    rec.set("entry", entry);
    rec.set("frame", idx);
    rec.set("wsDirection", dir);
    rec.set("opcode", opcode);
    rec.set("url", url);
    rec.set("data", data);
    let (host, _) = split_url(url);
    if !host.is_empty() {
        rec.set_component(&host);
    }
    match f.get("time").and_then(Value::as_f64) {
        Some(secs) if secs.is_finite() && secs > 0.0 && secs < 1.0e11 => {
            let ms = (secs * 1000.0).round() as i64;
            rec.time = Some(LogTime::epoch(ms));
            rec.set_time_text(format!("{secs}"));
        }
        Some(secs) => rec.note(format!("WebSocket frame time {secs} is not an epoch time in seconds")),
        None => rec.note("WebSocket frame has no time"),
    }
    rec.set_name(&format!("WebSocket {}", if dir.is_empty() { "frame" } else { dir }));
    rec.set_own_text(format!("WS {dir} {url}: {data}"));
    rec
}

/// Marks gaps and repeats in BOSH `rid`s per `sid`, in time order.
fn rid_gaps(recs: &mut [Record]) {
    let mut order: Vec<usize> = (0..recs.len()).filter(|&i| recs.get(i).map(|r| r.fields().contains_key("rid")).unwrap_or(false)).collect();
    order.sort_by_key(|&i| recs.get(i).and_then(|r| r.time.as_ref()).and_then(|t| t.epoch_ms()).unwrap_or(i64::MIN));
    let mut last: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for i in order {
        let Some(r) = recs.get_mut(i) else { continue };
        let (Some(sid), Some(rid)) = (r.get_str("sid"), r.fields().get("rid").and_then(Value::as_i64)) else { continue };
        if let Some(&prev) = last.get(&sid) {
            if rid == prev {
                r.set("ridRepeat", true);
                r.note(format!("BOSH rid {rid} resent (same as the previous request of session {sid})"));
            } else if rid != prev.saturating_add(1) {
                let gap = rid.saturating_sub(prev).saturating_sub(1);
                r.set("ridGap", gap);
                r.note(format!("BOSH rid jumps from {prev} to {rid} in session {sid}: {gap} request(s) not in this capture or out of order"));
            }
        }
        last.insert(sid, rid);
    }
}
