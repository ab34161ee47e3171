//! CTI server (`ctisvr`) and OPC (`opc`) process logs. Both are ICM process logs: the line grammar,
//! continuation rules and the message names are in `icm.rs`; the CTI/ARM message text is decoded
//! by `decoders::cti_text`. What is particular to these two families:
//!
//! ```text
//! ctisvr := { icm-line | bare-line | continuation }
//! bare-line := "Trace: " message | "MsgType:" name " (" fields    -- excerpts quoted without time and component
//! session-dump := time " " node "-ctisvr " ("SESSION"|"Session") " " n ": MsgType:" name " (" key ":" value …
//!                 { time " " node "-ctisvr " ("SESSION"|"Session") " " n ":" blanks key ":" value … } [")"]
//! trace     := "ProcessXxx - sessionID " n                        -- a client request handed to the PG
//!            | "SendARMMsg" [": ARM_" name] "--" key " = " value { ", " key " = " value }   -- may wrap
//!            | "ProcessARMXxxMsg -- " key " = " value …             -- the PG's answer
//!            | "AGENT_EVENT: " key "=" value …                     -- possibly over several `Trace:` lines
//!            | name "_EVENT: " key "=" value … | name "_IND - " key "=" value …
//! opc    := { icm-line }   trace := "XxxInd - " key " = " value … | "SetAgentState: " key "=" value …
//! ```
//! Written by the project:
//! ```text
//! 11:02:45:300 cg1A-ctisvr SESSION 6: MsgType:SET_AGENT_STATE_REQ (InvokeID:0x1f4 PeripheralID:5000
//! 11:02:45:300 cg1A-ctisvr SESSION 6:         AgentState:AVAILABLE AgentWorkMode:0 AgentID:"3021" )
//! 11:02:45:310 cg1A-ctisvr Trace: ProcessMakeAgentRoutableInd - sessionID 9
//! 11:02:45:612 cg1A-ctisvr Trace: AGENT_EVENT: ID=3021 Periph=5000 St=NOT_ACTIVE MRDID=5001 ICMAgtID=7012
//! 11:02:45:311 PG1A-opc Trace: MakeAgentRoutableInd - InvokeID = 4411, MRDID = 5001, ICMAgentID = 7012
//! ```
//! Sources: the Finesse queue-statistics TAC note (`SESSION n:` dumps, indented continuation lines,
//! `QUERY_SKILL_GROUP_STATISTICS_REQ/CONF`), the shared corpus (seeds 000, 001, 003: `Session 3:`
//! dumps whose line breaks fall inside values, ARM traces, AGENT_EVENT in both layouts, OPC
//! `SetAgentState`), the Finesse agent-login TAC note (AGENT_STATE_EVENT dump).

use super::engine::{self, share};
use super::icm::{bare_line, dumplog_header, icm_glue, icm_line, parse_icm_line, proc_score};
use super::{Example, Format, IdRule, Lane, Role, Sample, Shape};

fn is_ctisvr(p: &str) -> bool {
    p.eq_ignore_ascii_case("ctisvr") || p.get(..3).is_some_and(|x| x.eq_ignore_ascii_case("cti"))
}

fn ctisvr_detect(s: &Sample) -> u8 {
    let prefixed = proc_score(s, is_ctisvr);
    if prefixed > 0 {
        return prefixed;
    }
    let bare = share(&s.lines, |l| bare_line(l).is_some());
    // Looked for only when the lines are bare ICM lines (every file is asked).
    let cti_words = || s.lines.iter().any(|l| engine::has(l, "AGENT_EVENT") || engine::has(l, "MsgType:") || engine::has(l, "_IND"));
    let hint = || s.path.to_ascii_lowercase().contains("ctisvr");
    if bare >= 50 && (cti_words() || hint()) {
        60
    } else {
        0
    }
}

pub static CTISVR: Format = Format {
    name: "ctisvr",
    detect: ctisvr_detect,
    shape: Shape::Lines {
        starts_record: |l| icm_line(l).is_some() || bare_line(l).is_some() || dumplog_header(l).is_some(),
        glue: icm_glue,
        parse: parse_icm_line,
    },
    lane: Lane::Cti,
    role: Role::Server,
    ids: &[IdRule::AgentAliases],
    examples: CTISVR_EXAMPLES,
};

pub static OPC: Format = Format {
    name: "opc",
    detect: |s| proc_score(s, |p| p.eq_ignore_ascii_case("opc")),
    shape: Shape::Lines { starts_record: super::icm::starts_icm, glue: icm_glue, parse: parse_icm_line },
    lane: Lane::Opc,
    role: Role::Server,
    ids: &[],
    examples: OPC_EXAMPLES,
};

/// Lines written by the project in this family's grammar (see `formats::Example`).
const CTISVR_EXAMPLES: &[Example] = &[
    Example {
        variant: "Trace lines with key = value",
        timed: true,
        path: "ctisvr.txt",
        text: "11:02:45:310 cg1A-ctisvr Trace: ProcessMakeAgentRoutableInd - sessionID 9
11:02:45:310 cg1A-ctisvr Trace: SendARMMsg: ARM_MAKE_AGENT_ROUTABLE_IND-- InvokeID = 4411, MRDID = 5001, ICMAgentID = 7012, MaxTasks = 3, SessionID = 9
11:02:45:612 cg1A-ctisvr Trace: AGENT_EVENT: ID=3021 Periph=5000 ICMAgentID=7012 AgentState=NOT_ACTIVE
",
    },
    Example {
        variant: "SESSION n: client message dumps with indented continuation lines",
        timed: true,
        path: "cg1A_ctisvr.txt",
        text: "11:02:45:300 cg1A-ctisvr SESSION 6: MsgType:SET_AGENT_STATE_REQ (InvokeID:0x1f4 PeripheralID:5000
11:02:45:300 cg1A-ctisvr SESSION 6:         AgentState:AVAILABLE AgentWorkMode:0 AgentID:\"3021\" )
11:02:45:302 cg1A-ctisvr SESSION 6: MsgType:SET_AGENT_STATE_CONF (InvokeID:0x1f4 )
",
    },
    Example {
        variant: "excerpt without time and component",
        timed: false,
        path: "ctisvr-excerpt.txt",
        text: "Trace: AGENT_EVENT: ID=3021 Periph=5000 Ext=3021 Inst=3021
Trace: SkgState=LOGIN OverallState=NOT_READY Reason=0 ICMAgtID=7012
MsgType:AGENT_STATE_EVENT (MonitorID:0 PeripheralID:5000 AgentState:NOT_READY ICMAgentID:7012 AgentID:\"3021\" )
",
    },
];

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
    use crate::model::Record;

    fn run(f: &'static Format, path: &str, t: &str) -> Vec<Record> {
        let mut file = crate::model::LogFile::new(path, 0);
        file.text = t.into();
        file.line_starts = engine::line_starts(t);
        let mut out = Vec::new();
        super::super::parse_file(f, &file, 0, &mut out);
        out.iter().map(|r| super::super::decode_record(&file, r)).collect()
    }

    #[test]
    fn crlf_and_glue() {
        let t = "08:54:27:874 cg1A-ctisvr Trace: AGENT_EVENT: ID=1080 Periph=5000\r\n08:54:27:874 cg1A-ctisvr Trace: MRDID=5011 NumTasks=0\r\n08:54:28:000 cg1A-ctisvr Trace: ProcessMediaLoginReq - sessionID 4\r\n";
        let s = Sample::new("a.txt", t.lines().collect(), t);
        assert!(ctisvr_detect(&s) >= 75);
        let out = run(&CTISVR, "a.txt", t);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].name(), Some("AGENT_EVENT"));
        assert_eq!(out[0].get_str("MRDID").as_deref(), Some("5011"));
        assert_eq!(out[0].component(), Some("cg1A-ctisvr"));
        assert_eq!(out[1].name(), Some("ProcessMediaLoginReq"));
        assert_eq!(Some(out[1].time_text(t)), Some("08:54:28:000"));
        assert!(!out[1].text(t).ends_with('\r'));
    }

    #[test]
    fn session_dump() {
        let t = "22:21:22:921 cg1A-ctisvr SESSION 9: MsgType:QUERY_SKILL_GROUP_STATISTICS_REQ (InvokeID:0x1b65f PeripheralID:5000\n\
                 22:21:22:921 cg1A-ctisvr SESSION 9:         SkillGroupNumber:28353 SkillGroupID:N/A )\n\
                 22:21:22:999 cg1A-ctisvr SESSION 9: MsgType:QUERY_SKILL_GROUP_STATISTICS_CONF (InvokeID:0x1b65f PeripheralID:5000\n\
                 22:21:22:999 cg1A-ctisvr SESSION 9:         SkillGroupNumber:28353 SkillGroupID:9431 AgentsLoggedOn:2 AgentsAvail:1\n\
                 22:21:22:999 cg1A-ctisvr SESSION 9:         AgentsReady:1 RouterCallsQNow:0 )\n";
        let out = run(&CTISVR, "ctisvr.txt", t);
        assert_eq!(out.len(), 2, "{:?}", out.iter().map(|r| r.name()).collect::<Vec<_>>());
        assert_eq!(out[0].name(), Some("QUERY_SKILL_GROUP_STATISTICS_REQ"));
        assert_eq!(out[0].get_str("InvokeID").as_deref(), Some("112223"));
        assert_eq!(out[0].get_str("InvokeIDHex").as_deref(), Some("0x1b65f"));
        assert_eq!(out[0].get_str("PeripheralID").as_deref(), Some("5000"));
        assert_eq!(out[0].get_str("SkillGroupNumber").as_deref(), Some("28353"));
        assert_eq!(out[0].get_str("session").as_deref(), Some("9"));
        assert_eq!(out[1].get_str("AgentsReady").as_deref(), Some("1"));
        assert_eq!(out[1].get_str("RouterCallsQNow").as_deref(), Some("0"));
        assert_eq!(out[1].get_str("MessageTypeID").as_deref(), Some("115"));
    }
}
