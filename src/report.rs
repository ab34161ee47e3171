//! The CLI's JSON document (the contract checks outside the repo rely on) and its human summary;
//! the case report (`case`: self-contained HTML and Markdown) and its drawings (`svg`).
//!
//! ```text
//! {"files":    [{"path", "format", "records", "encoding", "problems": [..], "clock",
//!                "coverage": {"lines", "timed", "named", "why"?}, "confidence", "wrappers": [..]}],
//!  "records":  [{"file", "line", "time": {"text", "utc"}, "format", "name", "fields", "text"}],
//!  "flows":    [{"kind", "key", "participants", "steps": [{"record", "from", "to", "label"}]}],
//!  "findings": [{"code", "severity", "summary", "records"}],
//!  "states":   [{"kind", "key", "changes": [{"record", "utc", "state"}]}]}
//! ```
//! Records are in timeline order; `record` indices in flows and findings point into that list.

pub mod case;
pub mod svg;

use crate::session::Session;
use serde_json::{json, Value};

/// Builds the JSON report of a session.
pub fn to_json(s: &Session) -> Value {
    let counts = s.record_counts();
    let coverage = s.coverage();
    let files: Vec<Value> = s
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            json!({
                "path": f.path,
                "format": f.format,
                "records": counts.get(i).copied().unwrap_or(0),
                "encoding": f.encoding,
                "size": f.size,
                "lines": f.line_count(),
                "status": f.status,
                "problems": f.problems.iter().map(|p| json!({"code": p.code, "message": p.message})).collect::<Vec<_>>(),
                "clock": f.clock,
                "coverage": coverage.get(i),
                "confidence": f.confidence,
                "wrappers": f.wrappers,
            })
        })
        .collect();

    // Session record index → position in the timeline.
    let mut position = vec![0usize; s.records.len()];
    for (pos, &idx) in s.timeline.iter().enumerate() {
        if let Some(p) = position.get_mut(idx as usize) {
            *p = pos;
        }
    }
    let records: Vec<Value> = s
        .timeline
        .iter()
        // Each record decoded on its own: fields live only while its JSON is made.
        .filter_map(|&i| s.decoded(i as usize))
        .map(|r| {
            let r = &r;
            let file = s.files.get(r.file as usize).map(|f| f.path.as_str()).unwrap_or("");
            let time = match &r.time {
                Some(t) => json!({
                    "text": s.time_text(r),
                    "utc": t.utc_ms().map(crate::time::iso_utc),
                    "zone": t.zone_text(),
                }),
                None => Value::Null,
            };
            let mut v = json!({
                "file": file,
                "line": r.line,
                "line_end": r.line_end,
                "time": time,
                "format": r.format(),
                "component": r.component,
                "severity": r.severity,
                "name": r.name,
                "fields": r.fields(),
                "text": s.record_text(r),
            });
            if !r.notes().is_empty() {
                v["notes"] = json!(r.notes());
            }
            v
        })
        .collect();
    let remap = |i: usize| position.get(i).copied().unwrap_or(i);
    let flows: Vec<Value> = s
        .flows
        .iter()
        .map(|f| {
            let mut v = json!({
                "kind": f.kind,
                "key": f.key,
                "participants": f.participants,
                "steps": f.steps.iter().map(|st| {
                    let mut v = json!({"record": remap(st.record), "from": st.from, "to": st.to, "label": st.label});
                    if st.count > 1 {
                        v["count"] = json!(st.count);
                    }
                    if let Some(l) = st.last_record {
                        v["last_record"] = json!(remap(l));
                    }
                    v
                }).collect::<Vec<_>>(),
                "links": f.links,
                "files": f.files,
            });
            if let Some(t) = f.truncated {
                v["truncated"] = json!(t);
            }
            v
        })
        .collect();
    let findings: Vec<Value> = s
        .findings
        .iter()
        .map(|f| {
            let mut v = json!({
                "code": f.code,
                "severity": f.severity,
                "summary": f.summary,
                "records": f.records.iter().map(|&i| remap(i)).collect::<Vec<_>>(),
                "title": f.title(),
                "count": f.count,
                "evidence": f.records.iter().filter_map(|&i| s.records.get(i).map(|r| format!("{}:{}", s.files.get(r.file as usize).map_or("", |x| x.path.as_str()), r.line))).collect::<Vec<_>>(),
            });
            if let Some(fl) = f.flow {
                v["flow"] = json!(fl);
            }
            if let (Some(a), Some(b)) = (f.first_utc, f.last_utc) {
                v["span"] = json!({"from": crate::time::iso_utc(a), "to": crate::time::iso_utc(b)});
            }
            if let Some(e) = crate::correlate::catalogue::entry(&f.code) {
                v["next"] = json!(e.next);
            }
            if let Some(sug) = &f.suggestion {
                v["suggestion"] = json!(sug);
            }
            v
        })
        .collect();
    let states: Vec<Value> = s
        .states
        .iter()
        .map(|t| {
            json!({
                "kind": t.kind,
                "key": t.key,
                "changes": t.changes.iter().map(|c| json!({
                    "record": remap(c.record),
                    "utc": c.utc_ms.map(crate::time::iso_utc),
                    "state": c.state,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "files": files, "records": records, "flows": flows, "findings": findings, "states": states })
}

/// A human-readable summary for the terminal.
pub fn to_text(s: &Session) -> String {
    use std::fmt::Write;
    let counts = s.record_counts();
    let mut out = String::new();
    let _ = writeln!(out, "Switchboard {} — {} files, {} records", crate::VERSION, s.files.len(), s.records.len());
    let _ = writeln!(out);
    let width = s.files.iter().map(|f| f.path.len()).max().unwrap_or(4).min(70);
    let _ = writeln!(out, "{:<width$}  {:<24} {:>8}  {:<9} STATUS", "FILE", "FORMAT", "RECORDS", "ENCODING");
    for (i, f) in s.files.iter().enumerate() {
        let status = match f.status {
            crate::model::FileStatus::Loaded => "loaded",
            crate::model::FileStatus::Skipped => "skipped",
            crate::model::FileStatus::Failed => "failed",
        };
        let _ = writeln!(out, "{:<width$}  {:<24} {:>8}  {:<9} {}", f.path, f.format, counts[i], f.encoding, status);
        for p in &f.problems {
            let _ = writeln!(out, "{:<width$}    ! {}", "", p.message);
        }
    }
    if !s.flows.is_empty() {
        let _ = writeln!(out, "\nFLOWS");
        for f in &s.flows {
            let _ = writeln!(out, "  {} [{}]: {} steps across {}", f.kind, f.key, f.steps.len(), f.participants.join(", "));
        }
    }
    if !s.findings.is_empty() {
        let _ = writeln!(out, "\nFINDINGS");
        for f in &s.findings {
            let _ = writeln!(out, "  [{}] {}: {}", f.severity, f.code, f.summary);
        }
    }
    out
}
