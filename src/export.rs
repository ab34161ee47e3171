//! Sanitized export: the loaded logs and HAR files with secrets masked, so engineers can share them.
//!
//! Masked: everything `decoders::sensitive::find_secrets` reports (Authorization headers, cookies,
//! pageAccessToken, verificationToken, integrationAuthTokenGUID, passwords), in HAR files also every
//! cookie value and sensitive header structurally, plus any pattern the user adds (a regex; its
//! first capture group is masked, or the whole match when it has none). A preview lists what will
//! be masked before anything is written.

use crate::decoders::sensitive::find_secrets;
use crate::model::FileStatus;
use crate::session::Session;
use regex::Regex;
use serde::Serialize;
use serde_json::Value;
use std::ops::Range;

/// One masked value, for the preview.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub file: String,
    pub line: usize,
    pub kind: String,
    /// The line with the value already masked (the preview never shows the secret).
    pub preview: String,
}

/// Compiles the user's extra patterns; a bad one is an error naming it.
pub fn compile_patterns(patterns: &[String]) -> Result<Vec<Regex>, String> {
    patterns
        .iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| regex::RegexBuilder::new(p.trim()).size_limit(1 << 20).build().map_err(|e| format!("pattern {p:?}: {e}")))
        .collect()
}

fn mask_for(kind: &str) -> String {
    format!("[MASKED:{kind}]")
}

/// Secret ranges in a text: the built-in ones plus the user's patterns, sorted, not overlapping.
fn secret_ranges(text: &str, extra: &[Regex]) -> Vec<(Range<usize>, String)> {
    let mut out: Vec<(Range<usize>, String)> = find_secrets(text).into_iter().map(|(r, k)| (r, k.to_string())).collect();
    for re in extra {
        for c in re.captures_iter(text) {
            let m = c.get(1).or_else(|| c.get(0));
            if let Some(m) = m {
                if m.start() < m.end() {
                    out.push((m.start()..m.end(), "pattern".into()));
                }
            }
        }
    }
    out.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<(Range<usize>, String)> = Vec::new();
    for (r, k) in out {
        match merged.last_mut() {
            Some((last, _)) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push((r, k)),
        }
    }
    merged
}

/// Masks a text; returns it with the hits (line numbers 1-based).
pub fn sanitize_text(file: &str, text: &str, extra: &[Regex]) -> (String, Vec<Hit>) {
    let ranges = secret_ranges(text, extra);
    if ranges.is_empty() {
        return (text.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut hits = Vec::new();
    for (r, kind) in &ranges {
        out.push_str(text.get(last..r.start).unwrap_or(""));
        out.push_str(&mask_for(kind));
        last = r.end;
        let line = text.get(..r.start).map(|t| t.matches('\n').count() + 1).unwrap_or(0);
        hits.push(Hit { file: file.to_string(), line, kind: kind.clone(), preview: String::new() });
    }
    out.push_str(text.get(last..).unwrap_or(""));
    // Previews come from the masked text, so they never carry the secret.
    let lines: Vec<&str> = out.lines().collect();
    for h in &mut hits {
        let l = lines.get(h.line.saturating_sub(1)).copied().unwrap_or("");
        h.preview = l.chars().take(200).collect();
    }
    (out, hits)
}

const SENSITIVE_HEADERS: &[&str] = &["authorization", "cookie", "set-cookie", "proxy-authorization", "x-auth-token", "x-csrf-token", "x-xsrf-token"];

/// HAR files: mask cookie values and sensitive headers structurally (whatever their spelling), then
/// mask the rest of the text like any log.
fn sanitize_har(file: &str, text: &str, extra: &[Regex]) -> Option<(String, Vec<Hit>)> {
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    let mut v: Value = serde_json::from_str(text.get(start..=end)?).ok()?;
    let mut hits = Vec::new();
    let entries = v.pointer_mut("/log/entries")?.as_array_mut()?;
    for (i, e) in entries.iter_mut().enumerate() {
        for side in ["request", "response"] {
            let Some(obj) = e.get_mut(side) else { continue };
            if let Some(Value::Array(headers)) = obj.get_mut("headers") {
                for h in headers {
                    let name = h.get("name").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
                    if SENSITIVE_HEADERS.contains(&name.as_str()) {
                        if let Some(val) = h.get_mut("value") {
                            *val = Value::from(mask_for(&name));
                            hits.push(Hit { file: file.into(), line: 0, kind: name.clone(), preview: format!("entry {i} {side} header {name}: [MASKED]") });
                        }
                    }
                }
            }
            if let Some(Value::Array(cookies)) = obj.get_mut("cookies") {
                for c in cookies {
                    let name = c.get("name").and_then(Value::as_str).unwrap_or("").to_string();
                    if let Some(val) = c.get_mut("value") {
                        *val = Value::from(mask_for("cookie"));
                        hits.push(Hit { file: file.into(), line: 0, kind: "cookie".into(), preview: format!("entry {i} {side} cookie {name}: [MASKED]") });
                    }
                }
            }
        }
    }
    // Bodies are JSON strings holding JSON or XML: mask inside every string value, unescaped.
    mask_strings(&mut v, file, extra, &mut hits);
    let pretty = serde_json::to_string_pretty(&v).ok()?;
    let (masked, more) = sanitize_text(file, &pretty, extra);
    hits.extend(more);
    Some((masked, hits))
}

fn mask_strings(v: &mut Value, file: &str, extra: &[Regex], hits: &mut Vec<Hit>) {
    match v {
        Value::String(s) => {
            let (masked, h) = sanitize_text(file, s, extra);
            if !h.is_empty() {
                hits.extend(h.into_iter().map(|mut x| {
                    x.line = 0;
                    x
                }));
                *s = masked;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| mask_strings(x, file, extra, hits)),
        Value::Object(o) => o.values_mut().for_each(|x| mask_strings(x, file, extra, hits)),
        _ => {}
    }
}

/// Every loaded file of the session, masked: (path, text) and the hits.
pub fn sanitize_session(s: &Session, extra: &[Regex]) -> (Vec<(String, String)>, Vec<Hit>) {
    let mut files = Vec::new();
    let mut hits = Vec::new();
    for f in &s.files {
        if f.status != FileStatus::Loaded {
            continue;
        }
        let (text, h) = if f.format == "har" {
            sanitize_har(&f.path, &f.text, extra).unwrap_or_else(|| sanitize_text(&f.path, &f.text, extra))
        } else {
            sanitize_text(&f.path, &f.text, extra)
        };
        files.push((export_name(&f.path), text));
        hits.extend(h);
    }
    (files, hits)
}

/// A path inside the export zip: archive members keep their inner path under the archive's name.
pub fn export_name(path: &str) -> String {
    let p = path.replace("!/", "/").replace('\\', "/");
    let p = p.trim_start_matches("./").trim_start_matches('/');
    let parts: Vec<&str> = p.split('/').filter(|s| !s.is_empty() && *s != "..").collect();
    parts.join("/")
}

/// The sanitized files as a zip, with a SANITIZED.txt listing what was masked.
pub fn sanitized_zip(s: &Session, extra: &[Regex]) -> Result<(Vec<u8>, Vec<Hit>), String> {
    use std::io::Write;
    let (files, hits) = sanitize_session(s, extra);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut seen = std::collections::BTreeSet::new();
    for (name, text) in &files {
        let mut n = name.clone();
        let mut k = 2;
        while !seen.insert(n.clone()) {
            n = format!("{name}.{k}");
            k += 1;
        }
        w.start_file(n, opts).map_err(|e| e.to_string())?;
        w.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    }
    let mut report = format!("Sanitized by Switchboard {}. {} values masked.\n", crate::VERSION, hits.len());
    for h in &hits {
        report.push_str(&format!("{}:{} {} | {}\n", h.file, h.line, h.kind, h.preview));
    }
    w.start_file("SANITIZED.txt", opts).map_err(|e| e.to_string())?;
    w.write_all(report.as_bytes()).map_err(|e| e.to_string())?;
    let c = w.finish().map_err(|e| e.to_string())?;
    Ok((c.into_inner(), hits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_previews_without_the_secret() {
        let t = "GET /x Authorization: Basic MjAwMToyMDAx\npassword=hunter2&user=a\nnothing here\n";
        let (out, hits) = sanitize_text("a.log", t, &[]);
        assert!(!out.contains("MjAwMToyMDAx") && !out.contains("hunter2"), "{out}");
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].line, 1);
        assert_eq!(hits[1].line, 2);
        assert!(hits.iter().all(|h| !h.preview.contains("hunter2")));
        assert!(out.ends_with("nothing here\n"));
    }

    #[test]
    fn user_patterns_mask_their_group() {
        let extra = compile_patterns(&["customer=(\\w+)".into()]).unwrap_or_default();
        let (out, hits) = sanitize_text("a.log", "x customer=Alice y", &extra);
        assert_eq!(out, "x customer=[MASKED:pattern] y");
        assert_eq!(hits.len(), 1);
        assert!(compile_patterns(&["(".into()]).is_err());
    }

    #[test]
    fn har_cookies_and_headers_are_masked_structurally() {
        let har = r#"{"log":{"version":"1.2","entries":[{"startedDateTime":"2026-03-12T10:00:00.000Z","time":1,
          "request":{"method":"GET","url":"https://h/x","headers":[{"name":"X-Auth-Token","value":"tok-123456"},{"name":"cookie","value":"a=b"}],
          "cookies":[{"name":"SID","value":"s3cr3tvalue"}]},
          "response":{"status":200,"headers":[{"name":"Set-Cookie","value":"JSESSIONID=ABCDEF123456; Path=/"}],"cookies":[],"content":{"size":0}}}]}}"#;
        let (out, hits) = sanitize_har("x.har", har, &[]).unwrap_or_default();
        for secret in ["tok-123456", "s3cr3tvalue", "ABCDEF123456", "a=b"] {
            assert!(!out.contains(secret), "{secret} survived: {out}");
        }
        assert!(hits.len() >= 4);
        assert!(serde_json::from_str::<Value>(&out).is_ok(), "still valid JSON");
    }
}
