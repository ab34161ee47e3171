//! CTI server (`ctisvr`) and OPC (`opc`) traces: `HH:MM:SS:mmm cg1A-ctisvr Trace: …`, including the
//! prefix-less `Trace:`/`MsgType:` excerpts articles quote and grep's `file:` prefix.

use super::engine::{self, kv_colon, kv_eq, kv_spaced, put, share};
use super::icm::{bare_line, fill_prefix, icm_glue, icm_line, op_name, proc_share};
use super::{Example, Format, IdRule, Lane, Role, Sample, Shape};
use crate::model::Record;

fn ctisvr_detect(s: &Sample) -> u8 {
    let prefixed = proc_share(s, |p| p == "ctisvr" || p.starts_with("cti"));
    if prefixed > 0 {
        return engine::score(prefixed, 20, 75);
    }
    let bare = share(&s.lines, |l| bare_line(l).is_some());
    let cti_words = s.lines.iter().any(|l| engine::has(l, "AGENT_EVENT") || engine::has(l, "MsgType:") || engine::has(l, "_IND"));
    let hint = s.path.to_ascii_lowercase().contains("ctisvr");
    if bare >= 50 && (cti_words || hint) {
        60
    } else {
        0
    }
}

pub static CTISVR: Format = Format {
    name: "ctisvr",
    detect: ctisvr_detect,
    shape: Shape::Lines { starts_record: |l| icm_line(l).is_some() || bare_line(l).is_some(), glue: icm_glue, parse: parse_cti },
    lane: Lane::Cti,
    role: Role::Server,
    ids: &[IdRule::AgentAliases],
    examples: CTISVR_EXAMPLES,
};

pub static OPC: Format = Format {
    name: "opc",
    detect: |s| engine::score(proc_share(s, |p| p == "opc"), 20, 75),
    shape: Shape::Lines { starts_record: |l| icm_line(l).is_some(), glue: icm_glue, parse: parse_cti },
    lane: Lane::Opc,
    role: Role::Server,
    ids: &[],
    examples: OPC_EXAMPLES,
};

fn parse_cti(rec: &mut Record, first: &str, text: &str) {
    let Some(p) = icm_line(first).or_else(|| bare_line(first)) else { return };
    let msg = fill_prefix(rec, &p);
    rec.name = crate::model::sym_of(op_name(msg));
    if first.starts_with("MsgType:") {
        rec.name = crate::model::sym_of(op_name(first));
    }
    // `SendARMMsg: ARM_OFFER_TASK_IND-- InvokeID = …`
    if rec.name() == Some("SendARMMsg") {
        if let Some(arm) = msg.get(10..).and_then(engine::upper_snake) {
            put(rec, "arm_message", arm);
        }
    }
    if !rec.detail() {
        return;
    }
    let start = engine::offset_in(text, msg).or_else(|| text.find(msg)).unwrap_or(0);
    let body = text.get(start..).unwrap_or("");
    kv_spaced(rec, body);
    kv_eq(rec, body);
    kv_colon(rec, body);
    // `ProcessMediaLoginReq - sessionID 4`
    if let Some(i) = msg.find("sessionID ") {
        if let Some(v) = msg.get(i + 10..).and_then(|v| v.split_whitespace().next()) {
            put(rec, "sessionID", v);
        }
    }
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const CTISVR_EXAMPLES: &[Example] = &[Example {
    variant: "Trace lines with key = value",
    timed: true,
    path: "ctisvr.txt",
    text: "11:02:45:310 cg1A-ctisvr Trace: ProcessMakeAgentRoutableInd - sessionID 9
11:02:45:310 cg1A-ctisvr Trace: SendARMMsg: ARM_MAKE_AGENT_ROUTABLE_IND-- InvokeID = 4411, MRDID = 5001, ICMAgentID = 7012, MaxTasks = 3, SessionID = 9
11:02:45:612 cg1A-ctisvr Trace: AGENT_EVENT: ID=3021 Periph=5000 ICMAgentID=7012 AgentState=NOT_ACTIVE
",
}];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const OPC_EXAMPLES: &[Example] = &[Example {
    variant: "Trace lines",
    timed: true,
    path: "opc.txt",
    text: "11:02:45:311 PG1A-opc Trace: MakeAgentRoutableInd - InvokeID = 4411, MRDID = 5001, ICMAgentID = 7012, MaxTasks = 3, SessionID = 9
11:02:45:312 PG1A-opc Trace: SetAgentState: ASTID=7012 Periph#=5000 MRDomainID=5001 OldState=AS_NOT_READY NewState=AS_NOT_ACTIVE ReasonCode=0
",
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grep_prefix_and_crlf() {
        let t = "ctisvr.txt:08:54:27:874 cg1A-ctisvr Trace: AGENT_EVENT: ID=1080 Periph=5000\r\nctisvr.txt:08:54:27:874 cg1A-ctisvr Trace: MRDID=5011 NumTasks=0\r\nctisvr.txt:08:54:28:000 cg1A-ctisvr Trace: ProcessMediaLoginReq - sessionID 4\r\n";
        let s = Sample { path: "a.txt", lines: t.lines().collect(), text: t };
        assert!(ctisvr_detect(&s) >= 75);
        let mut file = crate::model::LogFile::new("a.txt", 0);
        file.text = t.into();
        file.line_starts = engine::line_starts(t);
        let mut out = Vec::new();
        super::super::parse_file(&CTISVR, &file, 0, &mut out);
        let out: Vec<Record> = out.iter().map(|r| super::super::decode_record(&file, r)).collect();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].name(), Some("AGENT_EVENT"));
        assert_eq!(out[0].get_str("MRDID").as_deref(), Some("5011"));
        assert_eq!(out[0].component(), Some("cg1A-ctisvr"));
        assert_eq!(out[1].name(), Some("ProcessMediaLoginReq"));
        assert_eq!(Some(out[1].time_text(t)), Some("08:54:28:000"));
        assert!(!out[1].text(t).ends_with('\r'));
    }
}
