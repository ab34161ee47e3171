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

/// Builds the JSON report of a session (the whole document in memory: tests and small inputs;
/// the CLI streams it with `write_json`).
pub fn to_json(s: &Session) -> Value {
    let position = positions(s);
    let remap = |i: usize| position.get(i).copied().unwrap_or(i);
    let records: Vec<Value> = s.timeline.iter().filter_map(|&i| record_json(s, i as usize)).collect();
    json!({
        "files": files_json(s),
        "records": records,
        "flows": flows_json(s, &remap).collect::<Vec<_>>(),
        "findings": findings_json(s, &remap).collect::<Vec<_>>(),
        "states": states_json(s, &remap).collect::<Vec<_>>(),
    })
}

/// Writes the same document as `to_json` a record at a time: each record is decoded, written and
/// dropped, so memory stays that of the session, whatever the number of records.
pub fn write_json(s: &Session, w: &mut impl std::io::Write) -> std::io::Result<()> {
    let position = positions(s);
    let remap = |i: usize| position.get(i).copied().unwrap_or(i);
    w.write_all(b"{\"files\":")?;
    serde_json::to_writer(&mut *w, &files_json(s))?;
    w.write_all(b",\"records\":")?;
    write_array(w, s.timeline.iter().filter_map(|&i| record_json(s, i as usize)))?;
    w.write_all(b",\"flows\":")?;
    write_array(w, flows_json(s, &remap))?;
    w.write_all(b",\"findings\":")?;
    write_array(w, findings_json(s, &remap))?;
    w.write_all(b",\"states\":")?;
    write_array(w, states_json(s, &remap))?;
    w.write_all(b"}")
}

/// A JSON array written an element at a time.
fn write_array(w: &mut impl std::io::Write, items: impl Iterator<Item = Value>) -> std::io::Result<()> {
    w.write_all(b"[")?;
    for (n, v) in items.enumerate() {
        if n > 0 {
            w.write_all(b",")?;
        }
        serde_json::to_writer(&mut *w, &v)?;
    }
    w.write_all(b"]")
}

/// Session record index → position in the timeline.
fn positions(s: &Session) -> Vec<usize> {
    let mut position = vec![0usize; s.records.len()];
    for (pos, &idx) in s.timeline.iter().enumerate() {
        if let Some(p) = position.get_mut(idx as usize) {
            *p = pos;
        }
    }
    position
}

fn files_json(s: &Session) -> Vec<Value> {
    let counts = s.record_counts();
    let coverage = s.coverage();
    s.files
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
                "format_chosen": f.format_chosen,
                "wrappers": f.wrappers,
            })
        })
        .collect()
}

/// One record, decoded on its own (its fields live only while its JSON is made).
fn record_json(s: &Session, i: usize) -> Option<Value> {
    let r = s.decoded(i)?;
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
    Some(v)
}

fn flows_json<'a>(s: &'a Session, remap: &'a dyn Fn(usize) -> usize) -> impl Iterator<Item = Value> + 'a {
    s.flows.iter().map(move |f| {
        let mut v = json!({
            "kind": f.kind,
            "key": f.key,
            "participants": f.participants,
            "steps": f.steps.labelled().map(|(st, label)| {
                let mut v = json!({"record": remap(st.record()), "from": st.from, "to": st.to, "label": label});
                if st.count > 1 {
                    v["count"] = json!(st.count);
                }
                if let Some(l) = st.last_record.get() {
                    v["last_record"] = json!(remap(l));
                }
                v
            }).collect::<Vec<_>>(),
            "links": f.links,
            "files": f.files,
        });
        if let Some(t) = f.truncated.as_deref() {
            v["truncated"] = json!(t);
        }
        v
    })
}

fn findings_json<'a>(s: &'a Session, remap: &'a dyn Fn(usize) -> usize) -> impl Iterator<Item = Value> + 'a {
    s
        .findings
        .iter()
        .map(move |f| {
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
            if let Some(e) = crate::correlate::catalogue::entry(f.code) {
                v["next"] = json!(e.next);
            }
            if let Some(sug) = &f.suggestion {
                v["suggestion"] = json!(sug);
            }
            v
        })
}

fn states_json<'a>(s: &'a Session, remap: &'a dyn Fn(usize) -> usize) -> impl Iterator<Item = Value> + 'a {
    s.states.iter(&s.records).map(move |t| {
        json!({
            "kind": t.kind,
            "key": t.key,
            "changes": t.changes().map(|c| json!({
                "record": remap(c.record),
                "utc": c.utc_ms.map(crate::time::iso_utc),
                "state": c.state,
            })).collect::<Vec<_>>(),
        })
    })
}

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
