//! A case's annotations: bookmarks on records and on flow steps, each with a note, named filter
//! sets, and the case's title and summary in the engineer's words. The session file
//! (`crate::workspace`) keeps them next to the inputs; the case report (`crate::report::case`)
//! lists them.
//!
//! A bookmark names its record by file path and first line, not by record index: indices depend on
//! how the formats split records, which may change between versions, while a line in a file does
//! not. A filter set is the page's own filter as JSON (`query::Filter` today), kept opaque so the
//! page can grow its filter without a new session-file version; the report describes it from its
//! members.

use crate::session::Session;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Everything the engineer added to a case.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Annotations {
    /// The case's title (the report's heading), e.g. "Agent 3107 logged out at 10:14".
    pub title: String,
    /// What the engineer concluded, in their own words.
    pub summary: String,
    pub bookmarks: Vec<Bookmark>,
    pub filters: Vec<FilterSet>,
}

/// A bookmarked record (a line in a file), optionally as a step of a flow, with a note.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Bookmark {
    /// The file's path as loaded (`outer.zip!/inner.log` for archive members).
    pub file: String,
    /// The record's first line in that file (1-based).
    pub line: u32,
    /// Set when the bookmark was made on a flow step: the flow's kind and key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow: Option<FlowRef>,
    pub note: String,
}

/// A flow by what names it across reloads: its kind and key (`notification-session`, `sid 376ca3e4`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FlowRef {
    pub kind: String,
    pub key: String,
}

/// A named set of filters (the page's filter, as JSON).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FilterSet {
    pub name: String,
    pub filter: Value,
}

/// A bookmark found in a session: its record and, for a step bookmark, its flow and step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// Index into `Annotations::bookmarks`.
    pub bookmark: usize,
    /// Index into `Session::records` (None when the file or line is not loaded).
    pub record: Option<usize>,
    /// Index into `Session::flows` and into that flow's steps.
    pub flow: Option<usize>,
    pub step: Option<usize>,
}

impl Annotations {
    /// Reads annotations from JSON (a file the CLI is given, or what the page sends).
    pub fn from_json(text: &str) -> Result<Annotations, String> {
        serde_json::from_str(text).map_err(|e| format!("not Switchboard annotations: {e}"))
    }

    pub fn is_empty(&self) -> bool {
        self.title.is_empty() && self.summary.is_empty() && self.bookmarks.is_empty() && self.filters.is_empty()
    }

    /// Adds another case's annotations (two session files opened together); the first title and
    /// summary win, the others' summaries follow.
    pub fn merge(&mut self, other: Annotations) {
        if self.title.is_empty() {
            self.title = other.title;
        }
        if self.summary.is_empty() {
            self.summary = other.summary;
        } else if !other.summary.is_empty() && other.summary != self.summary {
            self.summary = format!("{}\n\n{}", self.summary, other.summary);
        }
        for b in other.bookmarks {
            if !self.bookmarks.contains(&b) {
                self.bookmarks.push(b);
            }
        }
        for f in other.filters {
            if !self.filters.contains(&f) {
                self.filters.push(f);
            }
        }
    }

    /// Finds each bookmark's record (the record of that file that spans that line) and, for step
    /// bookmarks, the flow of that kind and key and its step on that record.
    pub fn resolve(&self, s: &Session) -> Vec<Resolved> {
        let file_index: std::collections::HashMap<&str, u32> = s.files.iter().enumerate().map(|(i, f)| (f.path.as_str(), i as u32)).collect();
        // (file, line) → bookmarks wanting it, then one pass over the records.
        let mut want: std::collections::HashMap<u32, Vec<(u32, usize)>> = std::collections::HashMap::new();
        for (i, b) in self.bookmarks.iter().enumerate() {
            if let Some(&f) = file_index.get(b.file.as_str()) {
                want.entry(f).or_default().push((b.line, i));
            }
        }
        let mut record: Vec<Option<usize>> = vec![None; self.bookmarks.len()];
        if !want.is_empty() {
            for (ri, r) in s.records.iter().enumerate() {
                let Some(list) = want.get(&r.file) else { continue };
                for &(line, bi) in list {
                    if r.line <= line && line <= r.line_end.max(r.line) {
                        if let Some(slot) = record.get_mut(bi) {
                            slot.get_or_insert(ri);
                        }
                    }
                }
            }
        }
        self.bookmarks
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let rec = record.get(i).copied().flatten();
                let (flow, step) = match (&b.flow, rec) {
                    (Some(fr), Some(r)) => s
                        .flows
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| f.kind == fr.kind && *f.key == *fr.key)
                        .find_map(|(fi, f)| f.steps.iter().position(|st| st.record() == r).map(|si| (Some(fi), Some(si))))
                        .unwrap_or((None, None)),
                    _ => (None, None),
                };
                Resolved { bookmark: i, record: rec, flow, step }
            })
            .collect()
    }
}

impl FilterSet {
    /// For people: the filter's non-empty members (`text "LOGOUT", id 3107, hide_severities DEBUG`).
    pub fn describe(&self) -> String {
        match &self.filter {
            Value::Object(o) => {
                let parts: Vec<String> = o
                    .iter()
                    .filter(|(_, v)| !matches!(v, Value::Null | Value::Bool(false)) && v.as_str() != Some("") && v.as_array().is_none_or(|a| !a.is_empty()))
                    .map(|(k, v)| match v {
                        Value::String(s) => format!("{} \"{s}\"", k.replace('_', " ")),
                        Value::Bool(true) => k.replace('_', " "),
                        Value::Array(a) => format!(
                            "{} {}",
                            k.replace('_', " "),
                            a.iter().map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string)).collect::<Vec<_>>().join(", ")
                        ),
                        other => format!("{} {other}", k.replace('_', " ")),
                    })
                    .collect();
                if parts.is_empty() {
                    "everything".into()
                } else {
                    parts.join("; ")
                }
            }
            Value::Null => "everything".into(),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_and_defaults() {
        let a = Annotations {
            title: "BOSH drop".into(),
            summary: "The desktop stopped polling.".into(),
            bookmarks: vec![Bookmark {
                file: "a.log".into(),
                line: 3,
                flow: Some(FlowRef { kind: "notification-session".into(), key: "sid 1".into() }),
                note: "here".into(),
            }],
            filters: vec![FilterSet { name: "agent".into(), filter: serde_json::json!({"text": "LOGOUT", "regex": false, "hide_files": [], "id": "3107"}) }],
        };
        let text = serde_json::to_string(&a).unwrap_or_default();
        assert_eq!(Annotations::from_json(&text), Ok(a.clone()));
        assert_eq!(Annotations::from_json("{}"), Ok(Annotations::default()));
        assert!(Annotations::from_json("[1]").is_err());
        assert_eq!(a.filters[0].describe(), "text \"LOGOUT\"; id \"3107\"");
        let mut b = Annotations::default();
        b.merge(a.clone());
        b.merge(a.clone());
        assert_eq!(b, a);
    }
}
