//! ECE (Enterprise Chat and Email): the listener/ARM log (`ece-listener`, fields separated by
//! ` <@> `) and entry-point REST responses saved as JSON (`ece-entrypoint-json`, one record).

use super::engine::{self, put, share, stamp_ymd, upper_snake};
use super::{Example, Format, Lane, Role, Sample, Shape};
use crate::model::{LogFile, Record};

fn is_listener_start(l: &str) -> bool {
    engine::has(l, " <@> ") && stamp_ymd(l).is_some()
}

pub static ECE_LISTENER: Format = Format {
    name: "ece-listener",
    detect: |s| engine::score(share(&s.lines, is_listener_start), 20, 85),
    shape: Shape::Lines { starts_record: is_listener_start, glue: engine::no_glue, parse: parse_listener },
    lane: Lane::EceListener,
    role: Role::Server,
    ids: &[],
    examples: LISTENER_EXAMPLES,
};

fn parse_listener(rec: &mut Record, first: &str, text: &str) {
    let Some(st) = stamp_ymd(first) else { return };
    rec.time = Some(st.time);
    let parts: Vec<&str> = text.split(" <@> ").collect();
    if let Some(sev) = parts.get(1) {
        rec.set_severity(sev.trim());
    }
    if let Some(th) = parts.get(2) {
        put(rec, "thread", th.trim().trim_start_matches('[').trim_end_matches(']'));
    }
    let mut msg_at = None;
    for (i, p) in parts.iter().enumerate().skip(3) {
        let p = p.trim();
        if let Some((k, v)) = p.split_once(':') {
            if matches!(k, "ProcessId" | "PID" | "UID" | "HttpSessionId") {
                put(rec, k, v);
                continue;
            }
        }
        if rec.component.is_none() && !p.is_empty() && !p.contains(' ') && p.contains('.') {
            rec.set_component(p);
            continue;
        }
        if rec.component.is_some() && !p.is_empty() && msg_at.is_none() {
            msg_at = Some(i);
        }
    }
    if let Some(i) = msg_at {
        let msg: String = parts.get(i..).map(|m| m.join(" <@> ")).unwrap_or_default();
        let msg = msg.trim().trim_start_matches("<@>").trim().trim_end_matches("<@>").trim_end();
        rec.name = crate::model::sym_of(upper_snake(msg).map(str::to_string));
        put(rec, "message", msg);
        if let Some((dir, _)) = msg.split_once(' ') {
            if dir == "Sending" || dir == "Received" {
                put(rec, "direction", dir);
            }
        }
    }
}

fn entrypoint_detect(s: &Sample) -> u8 {
    let t = s.text.trim_start_matches('\u{feff}').trim_start();
    if !t.starts_with('{') {
        return 0;
    }
    if engine::has(t, "\"checkEligibility\"") {
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
];

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
