//! The waterfall of a browser capture (HAR), as the developer tools draw it: each HTTP entry as a
//! bar from its start for its duration, each WebSocket frame as a tick at its time. Read from the
//! index entries alone (`formats::har` keeps an entry's duration there), so a capture of 50 000
//! entries is drawn without decoding one; opening a bar decodes that record as any other.

use crate::kinds::Lane;
use crate::session::Session;
use serde::Serialize;

/// One bar (an HTTP entry) or tick (a WebSocket frame) of the waterfall.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bar {
    /// Index into `Session::records`.
    pub record: usize,
    /// Index into `Session::files`.
    pub file: u32,
    /// The entry's index in its HAR (a frame's: its entry's).
    pub entry: u32,
    /// UTC epoch ms of the entry's start (`startedDateTime`) or of the frame.
    pub start_ms: i64,
    /// The entry's total time (ms); None for a frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<i64>,
    /// The frame's number in its entry's `_webSocketMessages`; None for an entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame: Option<u64>,
}

impl Session {
    /// The waterfall's bars that overlap `[from_ms, to_ms]` (either bound open), by start time
    /// (then record order). Records without a UTC time are left out.
    pub fn waterfall(&self, from_ms: Option<i64>, to_ms: Option<i64>) -> Vec<Bar> {
        let mut out: Vec<Bar> = Vec::new();
        for (i, r) in self.records.iter().enumerate() {
            if r.lane() != Lane::Browser {
                continue;
            }
            let frame = r.fields().get("frame").and_then(serde_json::Value::as_u64);
            let duration_ms = r.fields().get("durationMs").and_then(serde_json::Value::as_i64);
            if frame.is_none() && duration_ms.is_none() {
                continue;
            }
            let Some(start_ms) = r.utc_ms() else { continue };
            let end = start_ms.saturating_add(duration_ms.unwrap_or(0));
            if from_ms.is_some_and(|f| end < f) || to_ms.is_some_and(|t| start_ms > t) {
                continue;
            }
            out.push(Bar { record: i, file: r.file, entry: r.part(), start_ms, duration_ms, frame });
        }
        out.sort_by_key(|b| (b.start_ms, b.record));
        out
    }
}
