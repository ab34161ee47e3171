//! ECE (Enterprise Chat and Email, and EIM/WIM before it): the process logs, whose fields are
//! separated by `<@>` (`ece-listener` for the listener, the ARM client of the CTI server;
//! `ece-process` for every other ECE process writing the same layout: application server, services,
//! dispatchers), and entry-point REST responses saved as JSON (`ece-entrypoint-json`, one record).
//!
//! ```text
//! <yyyy-MM-dd HH:mm:ss.SSS>[ <zone>] <@> <LEVEL> <@> [<n>:<thread>] <@> [<Key>:<value> <@> …]<logger> <@> [<method()>] <@> <message>[ <@>]
//!
//! <zone>     GMT+0000, GMT-0400, GMT+05:30, a name (EDT) or none
//! <LEVEL>    FATAL | ERROR | WARN | INFO | PERF | DBQUERY | DEBUG | TRACE
//! <Key>      ProcessId, PID, UID, HttpSessionId (11.x-12.x; a release may add, drop or leave them empty)
//! <logger>   the class: com.ipcc.listener.arm.ARMLogger, com.egain.platform.framework.…
//! <method()> the calling method, empty in the listener's ARM lines
//! <message>  ARM traffic as `Sending|Received <MESSAGE_TYPE> -> <signed bytes…>` (decoded by the ARM
//!            decoder), or free text; a record continues over the lines that follow (object
//!            dumps, stack traces, and e-mail hard wraps, which may cut a line anywhere, even
//!            inside the fields or the byte dump)
//! ```
//!
//! Examples (written by the project):
//! ```text
//! 2023-02-14 09:15:42.120 GMT+0000 <@> INFO <@> [221:Thread-14] <@> ProcessId:3120 <@> PID:1 <@> UID:12 <@> HttpSessionId: <@> com.ipcc.listener.arm.ARMLogger <@> <@> Sending MAKE_AGENT_READY_IND -> 0 0 0 14 … <@>
//! 2012-06-01 08:02:11.410 GMT-0400 <@> ERROR <@> [57:Thread-9] <@> ProcessId:2212 <@> PID:1 <@> UID:12 <@> HttpSessionId:  <@> com.egain.platform.framework.dataaccess.DataAccess <@> runQuery() <@> Query failed : agent::get_state <@>
//! ```
//!
//! Fields: severity = the level, `thread`, every `Key:value` field (`ProcessId`, `PID`, `UID`,
//! `HttpSessionId`, …), component = the logger, `method`, `message`, `direction` (Sending/Received).
//! Name: the first UPPER_SNAKE word of the message (the ARM message type), else the method, else
//! the message's leading words.
//!
//! The listener is told from the other processes by its file name (`…listener…`), its classes
//! (`com.ipcc.listener…`, `ARMLogger`) or its ARM traffic; a sample that shows none of them and
//! names another process (`eg_log_…`, `ApplicationServer`, `com.egain.` classes) is `ece-process`,
//! any other `<@>` file stays `ece-listener`.

use super::engine::{self, put, stamp_ymd, upper_snake};
use super::{Example, Format, Lane, Role, Sample, Shape};
use crate::model::{LogFile, Record, Sym};

/// A record starts at a timestamp followed, after an optional zone token, by `<@>`.
fn is_listener_start(l: &str) -> bool {
    let b = l.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) || b.get(4) != Some(&b'-') {
        return false;
    }
    let Some(st) = stamp_ymd(l) else { return false };
    let rest = l.get(st.len..).unwrap_or("").trim_start();
    if rest.starts_with("<@>") {
        return true;
    }
    // A zone the stamp reader does not know (`GMT+05:30` is known; a made-up name is not).
    let tok_end = rest.find(' ').unwrap_or(rest.len());
    rest.get(tok_end..).is_some_and(|r| r.trim_start().starts_with("<@>")) && tok_end <= 12
}

/// Signs of the listener among ECE process logs: its classes, its ARM traffic.
fn listener_sign(l: &str) -> bool {
    engine::has(l, "com.ipcc.listener")
        || engine::has(l, "ARMLogger")
        || (engine::has(l, " -> ") && (engine::has(l, "<@> Sending ") || engine::has(l, "<@> Received ")))
}

/// True when a sample of `<@>` lines is the listener's (the default when nothing tells).
fn is_listener(s: &Sample) -> bool {
    let p = s.path.to_ascii_lowercase();
    let name = p.rsplit(['/', '\\']).next().unwrap_or("");
    if engine::has(name, "listener") || s.lines.iter().any(|l| listener_sign(l)) {
        return true;
    }
    let other_name = name.starts_with("eg_log") || engine::has(name, "applicationserver") || engine::has(name, "-process") || engine::has(name, "server");
    let other_class = s.lines.iter().any(|l| engine::has(l, "<@> com.egain.") || engine::has(l, "<@> com.cisco."));
    !(other_name || other_class)
}

fn base_score(s: &Sample) -> u8 {
    engine::scored(&s.lines, 20, 85, is_listener_start)
}

pub static ECE_LISTENER: Format = Format {
    name: "ece-listener",
    detect: |s| {
        let b = base_score(s);
        b + u8::from(b > 0 && is_listener(s))
    },
    shape: Shape::Lines { starts_record: is_listener_start, glue: engine::no_glue, parse: parse_listener },
    lane: Lane::EceListener,
    role: Role::Server,
    ids: &[],
    examples: LISTENER_EXAMPLES,
};

pub static ECE_PROCESS: Format = Format {
    name: "ece-process",
    detect: |s| {
        let b = base_score(s);
        b + u8::from(b > 0 && !is_listener(s))
    },
    shape: Shape::Lines { starts_record: is_listener_start, glue: engine::no_glue, parse: parse_listener },
    // The ECE server side. `EceWeb` (the application server) is where most of these belong, but
    // correlation takes every `EceWeb` record for an entry-point answer and would add each line of
    // an application-server log to the chat-availability flow: until it tells them apart by their
    // fields, they share the listener's lifeline, where only records with ARM IDs join flows.
    lane: Lane::EceListener,
    role: Role::Server,
    ids: &[],
    examples: PROCESS_EXAMPLES,
};

const LEVELS: [&str; 8] = ["FATAL", "ERROR", "WARN", "INFO", "PERF", "DBQUERY", "DEBUG", "TRACE"];

/// A logger class: dotted, no spaces.
fn is_logger(p: &str) -> bool {
    p.contains('.')
        && p.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && p.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'$'))
}

/// `name()`, `name(args)` or `Class:name()`: the method field after the logger.
fn is_method(p: &str) -> bool {
    let head = p.split('(').next().unwrap_or("");
    p.ends_with(')')
        && !head.is_empty()
        && !head.contains(' ')
        && head.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':' | b'$' | b'<' | b'>'))
}

/// A `Key:value` field (`ProcessId:3120`, `HttpSessionId:`): the key and the value.
fn key_field(p: &str) -> Option<(&str, &str)> {
    let (k, v) = p.split_once(':')?;
    (!k.is_empty()
        && k.len() <= 32
        && k.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && k.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
        && !v.contains(' '))
    .then_some((k, v.trim()))
}

fn parse_listener(rec: &mut Record, first: &str, text: &str) {
    let Some(st) = stamp_ymd(first) else { return };
    rec.time = Some(st.time);
    // The record's text from the first field on: e-mail wraps may cut a field, so the fields are
    // read from the whole record with line ends as spaces around `<@>`.
    let body = engine::offset_in(text, first).and_then(|o| text.get(o + st.len..)).unwrap_or_else(|| first.get(st.len..).unwrap_or(""));
    let mut parts = body.split("<@>").map(|p| p.trim_matches(|c: char| c == ' ' || c == '\n' || c == '\r' || c == '\t'));
    let _zone = parts.next();
    let mut level = "";
    let mut logger = "";
    let mut method = "";
    let mut method_seen = false;
    let mut message: Option<&str> = None;
    let mut rest_at: Option<usize> = None;
    let mut i = 0usize;
    for p in parts.by_ref() {
        i += 1;
        if i == 1 && LEVELS.contains(&p) {
            level = p;
            continue;
        }
        if logger.is_empty() {
            if let Some(t) = p.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
                put(rec, "thread", t);
                continue;
            }
            if let Some((k, v)) = key_field(p) {
                put(rec, k, v);
                continue;
            }
            if is_logger(p) {
                logger = p;
                continue;
            }
            if p.is_empty() {
                continue;
            }
        } else if !method_seen && (p.is_empty() || is_method(p)) {
            // The method field follows the logger (empty in ARM lines).
            method = p;
            method_seen = true;
            continue;
        }
        if message.is_none() && !p.is_empty() {
            message = Some(p);
            rest_at = engine::offset_in(body, p);
            break;
        }
    }
    if !level.is_empty() {
        rec.set_severity(level);
    }
    if !logger.is_empty() {
        rec.set_component(logger);
    }
    // The message runs to the `<@>` that closes it, over wrapped lines; without one (an object
    // dump follows), to the end of the record. A stack trace after the closing `<@>` stays in the
    // record's text.
    let msg = match rest_at.and_then(|o| body.get(o..)) {
        Some(m) => m.split("<@>").next().unwrap_or(m).trim_end(),
        None => message.unwrap_or(""),
    };
    // Named from the message's first line (a dump that follows holds other UPPER_SNAKE words).
    let first_line = msg.lines().next().unwrap_or("");
    let name = upper_snake(first_line)
        .or_else(|| (!method.is_empty()).then(|| method.split('(').next().unwrap_or(method).rsplit(':').next().unwrap_or(method)))
        .or_else(|| super::uccx::lead_phrase(first_line));
    rec.name = name.and_then(Sym::new);
    if !rec.detail() {
        return;
    }
    if !method.is_empty() {
        put(rec, "method", method);
    }
    if !msg.is_empty() {
        put(rec, "message", msg);
    }
    if let Some((dir, _)) = msg.split_once(' ') {
        if dir == "Sending" || dir == "Received" {
            put(rec, "direction", dir);
        }
    }
}

fn entrypoint_detect(s: &Sample) -> u8 {
    let t = s.text.trim_start_matches('\u{feff}').trim_start();
    if !t.starts_with('{') {
        return 0;
    }
    // The head only: every JSON document (a HAR of megabytes) is asked.
    if engine::has(engine::prefix_at_most(t, 64 << 10), "\"checkEligibility\"") {
        return 90;
    }
    if s.path.to_ascii_lowercase().contains("entrypoint") {
        return 80;
    }
    0
}

pub static ECE_ENTRYPOINT_JSON: Format = Format {
    name: "ece-entrypoint-json",
    detect: entrypoint_detect,
    shape: Shape::Document { parse: parse_entrypoint, decode: None },
    lane: Lane::EceWeb,
    role: Role::Snapshot,
    ids: &[],
    examples: ENTRYPOINT_EXAMPLES,
};

fn parse_entrypoint(file: &LogFile, file_index: u32, out: &mut Vec<Record>) -> Vec<crate::model::Problem> {
    let mut problems = Vec::new();
    let mut rec = Record::new(file_index, "ece-entrypoint-json");
    let n = file.line_starts.len();
    if n == 0 {
        return problems;
    }
    rec.line = 1;
    rec.line_end = n as u32;
    rec.set_text_range(0, file.text.trim_end_matches(['\n', '\r']).len());
    // `entrypoint-initialize-1001.json` → name `entrypoint/initialize`, entry point 1001.
    let base = file.path.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.split('.').next().unwrap_or("");
    let words: Vec<&str> = stem.split(['-', '_']).collect();
    let mut name = String::from("entrypoint");
    for w in words.iter().skip(1) {
        if w.bytes().all(|c| c.is_ascii_digit()) && !w.is_empty() {
            put(&mut rec, "entryPointId", w);
        } else if !w.is_empty() {
            name.push('/');
            name.push_str(w);
        }
    }
    if name == "entrypoint" {
        name.push_str("/initialize");
    }
    rec.set_name(&name);
    let body = file.text.trim_start_matches('\u{feff}');
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => {
            for (k, v) in map {
                rec.fields_mut().insert(k, v);
            }
        }
        Ok(other) => {
            rec.fields_mut().insert("body", other);
        }
        Err(e) => {
            rec.note(format!("bad JSON: {e}"));
            problems.push(crate::model::Problem::new("bad-json", format!("{}: not valid JSON ({e}); kept as one record", file.path)));
        }
    }
    out.push(rec);
    problems
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const LISTENER_EXAMPLES: &[Example] = &[
    Example {
        variant: "<@>-separated fields with an ARM byte dump",
        timed: true,
        path: "listener.log",
        text: "2023-02-14 09:15:42.118 GMT+0000 <@> INFO <@> [221:Thread-14] <@> ProcessId:3120 <@> PID:1 <@> UID:12 <@> HttpSessionId: <@> com.ipcc.listener.AgentAvailabilityStatusHandler <@> <@> AgentAvailabilityStatusHandler:agentIsAvailable() MAKE_AGENT_ROUTABLE_IND to ARM <@>
2023-02-14 09:15:42.120 GMT+0000 <@> INFO <@> [221:Thread-14] <@> ProcessId:3120 <@> PID:1 <@> UID:12 <@> HttpSessionId: <@> com.ipcc.listener.arm.ARMLogger <@> <@> Sending MAKE_AGENT_READY_IND -> 0 0 0 14 0 0 0 -99 0 0 17 92 0 0 19 -120 0 0 27 102 0 1 <@>
",
    },
    Example {
        variant: "hard-wrapped in an e-mail, a method field, an object dump",
        timed: true,
        path: "listener-excerpt.txt",
        text: "2021-09-30 17:02:11.840 GMT-0400 <@> INFO <@> [88:listener-event-pool-priority-arm-request-executor::-3] <@> ProcessId:7716
<@> PID:1 <@> UID:1042 <@> HttpSessionId:Qm9ndXNTZXNzaW9uMDAx <@>
com.ipcc.listener.arm.ARMLogger <@>
<@> Sending MEDIA_LOGIN_REQ -> 0 0 0 27 0 0 0 -105 0 0 48 57 0 0 19 -120 0 0 19 -87 0 0 0 0 0 0 0
1 107 5 49 48 52 50 0 <@>
2021-09-30 17:02:12.003 GMT-0400 <@> WARN <@> [90:Thread-11] <@> ProcessId:7716 <@> PID:1 <@> UID:12 <@> HttpSessionId: <@> com.ipcc.listener.AgentStateManager <@> printState() <@> agent 5120 state dump follows
loginState= LOGGED_IN
=====
",
    },
];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const PROCESS_EXAMPLES: &[Example] = &[Example {
    variant: "application server log with method fields and a stack trace",
    timed: true,
    path: "eg_log_ECEAPP1_ApplicationServer.log",
    text: "2012-06-01 08:02:11.410 GMT-0400 <@> ERROR <@> [57:Thread-9] <@> ProcessId:2212 <@> PID:1 <@> UID:12 <@> HttpSessionId:  <@> com.egain.platform.framework.dataaccess.DataAccess <@> runQuery() <@> Query failed : agent::get_state <@>
java.sql.SQLException: timeout
\tat com.egain.platform.framework.dataaccess.DataAccess.runQuery(DataAccess.java:88)
2012-06-01 08:02:12.002 GMT-0400 <@> INFO <@> [61:http-nio-9001-exec-4] <@> ProcessId:2212 <@> PID:1 <@> UID:1001 <@> HttpSessionId:AbCdEf0123 <@> com.egain.platform.module.chat.EntryPointController <@> initialize() <@> chat entry point 1001 initialized <@>
",
}];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const ENTRYPOINT_EXAMPLES: &[Example] = &[Example {
    variant: "entrypoint/initialize response",
    timed: false,
    path: "entrypoint-initialize-1002.json",
    text: "{
  \"checkEligibility\": {
    \"responseType\": 1
  },
  \"isVideoChatLicensed\": false
}
",
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_json_makes_a_noted_record() {
        let mut f = LogFile::new("entrypoint-initialize-7.json", 0);
        f.text = "{\"checkEligibility\": {\"responseType\": \n".into();
        f.line_starts = engine::line_starts(&f.text);
        let mut out = Vec::new();
        parse_entrypoint(&f, 0, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].notes().len(), 1);
        assert_eq!(out[0].get_str("entryPointId").as_deref(), Some("7"));
        let deep = "[".repeat(100_000);
        f.text = format!("{{\"a\":{deep}");
        f.line_starts = engine::line_starts(&f.text);
        out.clear();
        parse_entrypoint(&f, 0, &mut out);
        assert_eq!(out.len(), 1);
    }
}
