//! The variants table: lines the project wrote in each family's grammar, with what an engineer
//! must get out of each — the format of the file, and per line the time as written, the time in
//! UTC, the message name and key fields. Each family's test file lists its variants with
//! `Variant` and checks them with `check_all`, which reports every miss at once.

use serde_json::Value;

/// What one line of a variant must yield. Empty strings and `None` are not checked.
pub struct Expect {
    /// 1-based line in the variant's text where the record starts.
    pub line: u64,
    /// The time as written (`time.text`).
    pub time: &'static str,
    /// UTC as ISO-8601 with milliseconds (`2024-06-11T19:20:31.902Z`).
    pub utc: &'static str,
    /// The record's name.
    pub name: &'static str,
    /// Decoded fields: (key, value as text).
    pub fields: &'static [(&'static str, &'static str)],
}

/// One variant of a family's grammar: a file the project wrote and what it must yield.
pub struct Variant<'a> {
    pub family: &'static str,
    pub variant: &'static str,
    /// The file's name (a hint for detection, as real files are named).
    pub path: &'static str,
    pub text: &'static str,
    /// The format the file must be detected as.
    pub format: &'static str,
    pub expect: &'a [Expect],
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Checks one variant through the CLI's JSON; returns the misses.
pub fn check(v: &Variant) -> Vec<String> {
    let s = super::session_of(&[(v.path, v.text)]);
    let j = switchboard::report::to_json(&s);
    let tag = format!("{} / {}", v.family, v.variant);
    // The analysis' lean decode must keep what a full decode keeps (`tests/analysis_decode.rs`).
    let mut miss: Vec<String> = super::lean_decode_mismatches(&s).into_iter().map(|m| format!("{tag}: lean decode differs at {m}")).collect();
    let format = j["files"][0]["format"].as_str().unwrap_or("");
    if format != v.format {
        miss.push(format!("{tag}: detected as {format}, want {}", v.format));
    }
    let records = j["records"].as_array().cloned().unwrap_or_default();
    for e in v.expect {
        let Some(r) = records.iter().find(|r| r["line"].as_u64() == Some(e.line)) else {
            miss.push(format!("{tag}: no record starts at line {}", e.line));
            continue;
        };
        let mut want = |what: &str, got: Option<String>, exp: &str| {
            if !exp.is_empty() && got.as_deref() != Some(exp) {
                miss.push(format!("{tag} L{}: {what} = {got:?}, want {exp:?}", e.line));
            }
        };
        want("time.text", text_of(&r["time"]["text"]), e.time);
        want("time.utc", text_of(&r["time"]["utc"]), e.utc);
        want("name", text_of(&r["name"]), e.name);
        for (k, val) in e.fields {
            want(&format!("fields.{k}"), text_of(&r["fields"][*k]), val);
        }
    }
    miss
}

/// Checks every variant and fails with every miss listed.
pub fn check_all(variants: &[Variant]) {
    let misses: Vec<String> = variants.iter().flat_map(check).collect();
    assert!(misses.is_empty(), "{} miss(es):\n{}", misses.len(), misses.join("\n"));
}

/// Share of lines inside timed records, for a variant's file.
pub fn timed_share(path: &str, text: &str) -> f64 {
    let j = super::json_of(&[(path, text)]);
    j["files"][0]["coverage"]["timed"].as_f64().unwrap_or(0.0)
}
