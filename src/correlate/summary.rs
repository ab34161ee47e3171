//! What a flow came to, for the flow list and the diagram: when it started, how long it lasted,
//! which steps are failures or errors, how it ended (closed, logged out, timed out, or still open
//! at the end of the logs), and where a source's clock ran backwards.
//!
//! Pure functions over a built [`Flow`] and the [`Session`] (steps' labels, records' times and
//! severities), so they keep working whatever way the flow builders find the steps.

use super::{Flow, Step};
use crate::answers::{EndKind, FlowSummary, Outcome};
use crate::formats::engine::has as contains;
use crate::session::Session;
use std::borrow::Cow;
use std::collections::HashMap;

/// Words that make a step a failure or an error (lowercase; matched in the step's label and its
/// message name).
const FAILURE_WORDS: &[&str] = &[
    "unable to",
    "failed",
    "failure",
    "error",
    "exception",
    "refused",
    "rejected",
    "denied",
    "no agent available",
    "responsetype 1",
    "reason 255",
    "presence driven logout",
    "disconnected",
    "store offline",
    "not found",
];

/// Steps that end a flow, strongest first (a logout after an idle close is a logout).
const LOGGED_OUT: &[&str] = &["logout", "logged out", "log out", "logoff", "sign out", "signed out"];
const TIMED_OUT: &[&str] = &["idle session", "timed out", "timeout", "expired", "inactive >"];
const CLOSED: &[&str] = &[
    "closed",
    "close request",
    "destroy",
    "end_task",
    "endtask",
    "end task",
    "handled",
    "chat has ended",
    "responsetype",
    " received (requestid",
    "successfully logged in",
    "rating submitted",
];
/// Steps that start the flow again after an end (a sign-in after a logout).
const REOPEN: &[&str] = &["state:login", "session created", "new_task", "new incoming", "performing login"];

fn has(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// An HTTP status of 400 or more written after a verb or "returned" ("PUT User/3107 returned 500",
/// "GET / 404").
fn http_error(label: &str) -> bool {
    let words: Vec<&str> = label.split_whitespace().collect();
    words.windows(2).any(|w| {
        let before = w.first().copied().unwrap_or("");
        let code = w.get(1).copied().unwrap_or("").trim_end_matches([',', ')', ';']);
        code.len() == 3
            && code.parse::<u16>().is_ok_and(|c| (400..600).contains(&c))
            && (before == "returned" || before == "HTTP" || before.starts_with('/') || before.ends_with(':') || before == "status")
    })
}

/// A CTI/ARM response with a non-zero status ("MEDIA_LOGIN_RESP Status 3").
fn bad_status(label: &str) -> bool {
    let mut it = label.split_whitespace();
    while let Some(w) = it.next() {
        if w == "Status" {
            return it.next().and_then(|v| v.parse::<i64>().ok()).is_some_and(|v| v != 0);
        }
    }
    false
}

/// A flow's step labels, read back once (they are packed: `Steps::label` decodes).
fn labels(flow: &Flow) -> Vec<Cow<'_, str>> {
    flow.steps.labelled().map(|(_, l)| l).collect()
}

/// Is a step a failure or an error: its label (`text`) or message name says so, or its record is
/// logged at error severity.
fn step_failure(step: &Step, text: &str, s: &Session) -> bool {
    let label = text.to_ascii_lowercase();
    if has(&label, FAILURE_WORDS) || http_error(text) || bad_status(text) {
        return true;
    }
    let Some(r) = s.records.get(step.record()) else { return false };
    if r.name().is_some_and(|n| has(&n.to_ascii_lowercase(), &["error", "fail", "exception"])) {
        return true;
    }
    r.severity().is_some_and(|v| crate::answers::normal_severity(v) == "error")
}

/// Each step's label, read back once, and whether the step is a failure (the flow view shows
/// both), in the flow's step order.
pub fn labels_and_failures(flow: &Flow, s: &Session) -> Vec<(String, bool)> {
    flow.steps
        .labelled()
        .map(|(st, label)| {
            let failed = step_failure(st, &label, s);
            (label.into_owned(), failed)
        })
        .collect()
}

/// UTC of each step's record (and of the last record of a folded run), in step order.
fn step_utcs<'a>(flow: &'a Flow, s: &'a Session) -> impl Iterator<Item = Option<i64>> + 'a {
    let utc = |i: usize| s.records.get(i).and_then(|r| r.utc_ms());
    flow.steps.iter().flat_map(move |st| [utc(st.record()), st.last_record.get().and_then(utc)])
}

/// The earliest UTC of the flow's records (`summarise`'s `start_ms`, without reading labels).
pub fn start_ms(flow: &Flow, s: &Session) -> Option<i64> {
    step_utcs(flow, s).flatten().min()
}

/// UTC of each step's record (and of the last record of a folded run).
pub fn step_times(flow: &Flow, s: &Session) -> Vec<Option<i64>> {
    step_utcs(flow, s).collect()
}

/// The steps in time order: by UTC, the flow's own order breaking ties; a step whose time is not
/// placed in UTC stays after the step the flow builder put before it (it takes that step's time),
/// or with the first one when nothing timed comes before it.
pub fn time_order(flow: &Flow, s: &Session) -> Vec<usize> {
    let utc: Vec<Option<i64>> = flow.steps.iter().map(|st| s.records.get(st.record()).and_then(|r| r.utc_ms())).collect();
    let first = utc.iter().flatten().next().copied();
    let mut last = first;
    let eff: Vec<i64> = utc
        .iter()
        .map(|t| {
            if t.is_some() {
                last = *t;
            }
            t.or(last).unwrap_or(i64::MIN)
        })
        .collect();
    let mut order: Vec<usize> = (0..flow.steps.len()).collect();
    order.sort_by_key(|&i| (eff.get(i).copied().unwrap_or(i64::MIN), i));
    order
}

/// A record's time as its own file sees it: UTC when placed, else the time as written (date and
/// time of day), so a file's records compare among themselves either way.
fn file_time(r: &crate::model::Record) -> Option<i64> {
    if let Some(ms) = r.utc_ms() {
        return Some(ms);
    }
    let t = r.time.as_ref()?;
    let day = t.date().map(|(y, m, d)| crate::time::days_from_civil(y, m, d)).unwrap_or(0);
    Some(day * 86_400_000 + t.ms_of_day()? as i64)
}

/// For each step: by how much its source's clock ran backwards, when a line written earlier in the
/// same file (of this flow) carries a later time.
pub fn clock_backwards(flow: &Flow, s: &Session) -> Vec<Option<i64>> {
    let mut out = vec![None; flow.steps.len()];
    // Steps per file, in line order.
    let mut by_file: HashMap<u32, Vec<(u32, usize, i64)>> = HashMap::new();
    for (i, st) in flow.steps.iter().enumerate() {
        if let Some(r) = s.records.get(st.record()) {
            if let Some(ms) = file_time(r) {
                by_file.entry(r.file).or_default().push((r.line, i, ms));
            }
        }
    }
    for steps in by_file.values_mut() {
        steps.sort_unstable();
        let mut latest: Option<i64> = None;
        for &(_, i, ms) in steps.iter() {
            if let Some(l) = latest.filter(|&l| ms < l) {
                if let Some(slot) = out.get_mut(i) {
                    *slot = Some(l - ms);
                }
            }
            latest = Some(latest.map_or(ms, |l| l.max(ms)));
        }
    }
    out
}

/// Which end wins when a flow shows several: a logout after an idle close is a logout.
fn strength(k: EndKind) -> u8 {
    match k {
        EndKind::LoggedOut => 3,
        EndKind::TimedOut => 2,
        EndKind::Closed => 1,
        EndKind::Open => 0,
    }
}

/// How the flow ends: the strongest end (logged out, timed out, closed) after the last step that
/// starts it again, and that step's index; `Open` when the logs show no end.
pub fn end_of(flow: &Flow, order: &[usize]) -> (EndKind, Option<usize>) {
    end_of_labels(&labels(flow), order)
}

/// `end_of` over the flow's labels, read back once.
fn end_of_labels(labels: &[Cow<'_, str>], order: &[usize]) -> (EndKind, Option<usize>) {
    let mut best: Option<(EndKind, usize)> = None;
    for &i in order {
        let Some(label) = labels.get(i) else { continue };
        let label = label.to_ascii_lowercase();
        let kind = if has(&label, LOGGED_OUT) && !contains(&label, "state:login") {
            Some(EndKind::LoggedOut)
        } else if has(&label, TIMED_OUT) {
            Some(EndKind::TimedOut)
        } else if has(&label, CLOSED) {
            Some(EndKind::Closed)
        } else {
            None
        };
        match kind {
            Some(k) if best.is_none_or(|(b, _)| strength(k) >= strength(b)) => best = Some((k, i)),
            Some(_) => {}
            None if has(&label, REOPEN) => best = None,
            None => {}
        }
    }
    match best {
        Some((k, i)) => (k, Some(i)),
        None => (EndKind::Open, None),
    }
}

/// The flow's start, duration, outcome, error count and end.
pub fn summarise(flow: &Flow, s: &Session) -> FlowSummary {
    let times = step_times(flow, s);
    let start_ms = times.iter().flatten().min().copied();
    let end_ms = times.iter().flatten().max().copied();
    let labels = labels(flow);
    let fails: Vec<bool> = flow.steps.iter().zip(&labels).map(|(st, label)| step_failure(st, label, s)).collect();
    let errors = fails.iter().filter(|f| **f).count();
    let order = time_order(flow, s);
    let (end, end_step) = end_of_labels(&labels, &order);
    let label_of = |i: usize| labels.get(i).map(|l| l.to_string()).unwrap_or_default();
    let first_error = order.iter().find(|&&i| fails.get(i).copied().unwrap_or(false)).map(|&i| label_of(i)).unwrap_or_default();
    let outcome = if errors > 0 {
        Outcome::Failed
    } else if end == EndKind::Open {
        Outcome::Open
    } else {
        Outcome::Ok
    };
    FlowSummary {
        start_ms,
        end_ms,
        duration_ms: start_ms.zip(end_ms).map(|(a, b)| b - a),
        outcome,
        errors,
        end,
        end_step,
        end_label: end_step.map(label_of).unwrap_or_default(),
        first_error,
    }
}

/// A flow kind as people say it.
pub fn kind_text(kind: &str) -> &str {
    match kind {
        "agent-sign-in" => "Agent sign-in",
        "notification-session" => "Notification session",
        "ece-chat-availability" => "ECE chat availability",
        "task-routing" => "Task routing",
        "uccx-chat" => "UCCX chat",
        "adhoc" => "Records with",
        other => other,
    }
}

/// The flow's title: its kind and key ("Task routing · task 154526_37051928_1, SocialContact …").
pub fn title(flow: &Flow) -> String {
    format!("{} · {}", kind_text(flow.kind), flow.key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::correlate::StepsBuilder;

    fn flow(labels: &[&str]) -> Flow {
        Flow {
            kind: "t",
            key: "k".into(),
            participants: ["A", "B"].into(),
            steps: {
                let mut steps = StepsBuilder::default();
                for (i, l) in labels.iter().enumerate() {
                    steps.push(i, "A", "B", l);
                }
                steps.finish()
            },
            links: Default::default(),
            files: Box::default(),
            truncated: None,
        }
    }

    #[test]
    fn failures_read_like_failures() {
        let s = Session::new();
        let f = flow(&[
            "entrypoint/initialize 1001 → responseType 1 (no agent available)",
            "entrypoint/initialize 1001 → responseType 0 (chat offered)",
            "unable to route Update /finesse/api/User/3107: No session is available so store offline",
            "SetAgentStateReq LOGOUT reason 255 (InvokeID 247)",
            "SetAgentStateReq LOGIN reason -1 (InvokeID 118)",
            "PUT User/3107 returned 500",
            "PUT User/3107 returned 202 (requestId x)",
            "MEDIA_LOGIN_RESP Status 3 (InvokeID 1)",
            "MEDIA_LOGIN_RESP Status 0 (InvokeID 1)",
            "GET / 404",
        ]);
        let failures: Vec<bool> = labels_and_failures(&f, &s).into_iter().map(|(_, failed)| failed).collect();
        assert_eq!(failures, vec![true, false, true, true, false, true, false, true, false, true]);
    }

    #[test]
    fn ends_are_named() {
        let order = |f: &Flow| (0..f.steps.len()).collect::<Vec<_>>();
        let f = flow(&["BOSH connecting", "closing idle session 376ca3e4 (inactive > 60 s)", "PRESENCE DRIVEN LOGOUT agent 3107", "session closed for 3107"]);
        assert_eq!(end_of(&f, &order(&f)), (EndKind::LoggedOut, Some(2)));
        let f = flow(&["User returned 200 state LOGOUT", "PUT User/2001 extension:2003 state:LOGIN (requestId r)", "Update NOT_READY received (requestId r)"]);
        assert_eq!(end_of(&f, &order(&f)).0, EndKind::Closed);
        let f = flow(&["session created (FACEBOOK_MESSENGER)", "state TALKING"]);
        assert_eq!(end_of(&f, &order(&f)), (EndKind::Open, None));
        let f = flow(&["session f382a015 last active 63231 ms ago", "closing idle session f382a015 (inactive > 60 s)"]);
        assert_eq!(end_of(&f, &order(&f)).0, EndKind::TimedOut);
    }
}
