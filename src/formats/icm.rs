//! UCCE/PCCE process logs as dumplog prints them (`HH:MM:SS:mmm <node>-<proc> Trace: …`): the shared
//! ICM line prefix, the MR PIM (`mr-pim`) and router (`icm-router`) families, and whole dumplog output
//! (`icm-dumplog` with its `Events from …` date header, `icm-dumplog-cisco` in "Cisco Log" form).

use super::engine::{self, bracket_groups, kv_eq, kv_lines, lead_word, put, share, stamp_hms, stamp_mdy, strip_grep_prefix};
use super::{Example, Format, IdRule, Lane, Role, Sample, Shape};
use crate::model::Record;

/// One ICM line split into its parts.
pub struct IcmLine<'a> {
    pub time: Option<engine::Stamp>,
    /// `cg1A-ctisvr`, `PG2A-pim3`, `ra-rtr` (empty for prefix-less excerpts).
    pub component: &'a str,
    /// `Trace`, `Session 3`, or empty.
    pub kind: &'a str,
    pub msg: &'a str,
}

/// Splits `[file:]HH:MM:SS[:mmm] <proc> [Trace: |Session N: ]message`.
pub fn icm_line(line: &str) -> Option<IcmLine<'_>> {
    let l = strip_grep_prefix(line);
    let st = stamp_hms(l)?;
    let rest = l.get(st.len..)?.strip_prefix(' ')?;
    let sp = rest.find(' ').unwrap_or(rest.len());
    let component = rest.get(..sp)?;
    if component.is_empty() || component.ends_with(':') || !component.bytes().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let after = rest.get(sp..).unwrap_or("").trim_start_matches(' ');
    let (kind, msg) = split_kind(after);
    Some(IcmLine { time: Some(st), component, kind, msg })
}

/// `Trace: x` → ("Trace", "x"); `Session 3: x` → ("Session 3", "x"); otherwise ("", all).
pub fn split_kind(s: &str) -> (&str, &str) {
    if let Some(m) = s.strip_prefix("Trace:") {
        return ("Trace", m.trim_start_matches(' '));
    }
    if s.starts_with("Session ") {
        if let Some(c) = s.find(": ") {
            let k = s.get(..c).unwrap_or("");
            if k.get(8..).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) {
                return (k, s.get(c + 2..).unwrap_or(""));
            }
        }
    }
    ("", s)
}

/// Prefix-less excerpt lines (`Trace: …`, `MsgType:…`) as articles quote them.
pub fn bare_line(line: &str) -> Option<IcmLine<'_>> {
    if line.starts_with("Trace:") || line.starts_with("MsgType:") {
        let (kind, msg) = split_kind(line);
        return Some(IcmLine { time: None, component: "", kind, msg });
    }
    None
}

/// The process part of a component: `cg1A-ctisvr` → `ctisvr`.
pub fn process(component: &str) -> &str {
    component.rsplit('-').next().unwrap_or(component)
}

/// Share of sample lines whose process satisfies `pred`.
pub fn proc_share(s: &Sample, pred: fn(&str) -> bool) -> u32 {
    share(&s.lines, |l| icm_line(l).is_some_and(|p| pred(process(p.component))))
}

/// Glue for ICM logs: a prefixed line continues the one before when it has the same time and
/// process and carries only `key=value` data (an event printed over several trace lines), or when
/// it finishes a `Session N: MsgType:… (` dump whose parenthesis is still open.
pub fn icm_glue(prev: &str, line: &str) -> bool {
    let cur = match icm_line(line).or_else(|| bare_line(line)) {
        Some(c) => c,
        None => return false,
    };
    let Some(p) = icm_line(prev).or_else(|| bare_line(prev)) else { return false };
    let same = p.component == cur.component
        && p.time.as_ref().map(|t| (t.len, t.time.date(), t.time.ms_of_day(), t.time.offset_min()))
            == cur.time.as_ref().map(|t| (t.len, t.time.date(), t.time.ms_of_day(), t.time.offset_min()));
    if !same {
        return false;
    }
    if cur.kind.starts_with("Session") && p.kind == cur.kind {
        let opens = p.msg.matches('(').count();
        let closes = p.msg.matches(')').count();
        return opens > closes;
    }
    let m = cur.msg;
    !m.starts_with('(') && !m.starts_with("MsgType:") && lead_word(m).is_none() && m.contains('=')
}

/// Fills time, component and severity from an ICM line; returns the message.
pub fn fill_prefix<'a>(rec: &mut Record, p: &IcmLine<'a>) -> &'a str {
    if let Some(st) = &p.time {
        rec.time = Some(st.time.clone());
    }
    if !p.component.is_empty() {
        rec.set_component(p.component);
    }
    if p.kind == "Trace" {
        rec.set_severity("Trace");
    } else if let Some(n) = p.kind.strip_prefix("Session ") {
        rec.set_severity("Trace");
        put(rec, "session", n);
    }
    p.msg
}

/// Name from the leading word when it looks like an operation, not prose.
pub fn op_name(msg: &str) -> Option<String> {
    if let Some(t) = msg.strip_prefix("MsgType:") {
        return lead_word(t).map(str::to_string);
    }
    let w = lead_word(msg)?;
    let after = msg.trim_start().get(w.len()..).unwrap_or("");
    let caps = w.bytes().filter(|c| c.is_ascii_uppercase()).count();
    let named = w.contains('_') || caps >= 2 || after.starts_with(':') || after.starts_with("()");
    named.then(|| w.to_string())
}

// --- mr-pim -------------------------------------------------------------------------------------

pub static MR_PIM: Format = Format {
    name: "mr-pim",
    detect: |s| {
        let sh = proc_share(s, |p| p.starts_with("pim"));
        let block = s.lines.iter().any(|l| l.starts_with("Message = ") || engine::has(l, "MR_Peripheral"));
        let mut sc = engine::score(sh, 5, 60);
        if sc > 0 && block {
            sc = sc.saturating_add(10);
        }
        sc
    },
    shape: Shape::Lines { starts_record: |l| icm_line(l).is_some(), glue: engine::no_glue, parse: parse_pim },
    lane: Lane::MrPim,
    role: Role::Server,
    ids: &[],
    examples: PIM_EXAMPLES,
};

fn parse_pim(rec: &mut Record, first: &str, text: &str) {
    let Some(p) = icm_line(first) else { return };
    let msg = fill_prefix(rec, &p);
    put(rec, "header", msg.trim_end_matches([' ', ':']));
    let body = text.split_once('\n').map(|x| x.1).unwrap_or("");
    kv_lines(rec, body);
    let second = body.lines().next().unwrap_or("");
    // Read from the text, not from the fields: an index entry keeps no fields.
    let message = body.lines().find_map(|l| l.trim().strip_prefix("Message = ")).map(|v| v.split(';').next().unwrap_or("").trim().to_string());
    let name = message
        .filter(|m| !m.is_empty())
        .or_else(|| second.split(' ').next().filter(|w| w.len() > 2 && w.bytes().all(|c| c.is_ascii_uppercase() || c == b'_')).map(str::to_string))
        .or_else(|| op_name(msg));
    if let Some(dump) = body.lines().find(|l| !l.contains(" = ") && !l.contains(": ")) {
        kv_eq(rec, dump);
    }
    rec.name = crate::model::sym_of(name);
}

// --- icm-router ---------------------------------------------------------------------------------

pub static ICM_ROUTER: Format = Format {
    name: "icm-router",
    detect: |s| engine::score(proc_share(s, |p| p == "rtr" || p == "router"), 20, 70),
    shape: Shape::Lines { starts_record: |l| icm_line(l).is_some(), glue: icm_glue, parse: parse_router },
    lane: Lane::Router,
    role: Role::Server,
    ids: &[],
    examples: ROUTER_EXAMPLES,
};

fn parse_router(rec: &mut Record, first: &str, text: &str) {
    let Some(p) = icm_line(first) else { return };
    let msg = fill_prefix(rec, &p);
    // `(4 x 0 : 0 0) NewCall: …` — the dialog context in parentheses.
    let msg = match msg.strip_prefix('(').and_then(|m| m.split_once(") ")) {
        Some((ctx, rest)) => {
            put(rec, "dialog", ctx);
            rest
        }
        None => msg,
    };
    if let Some(w) = lead_word(msg) {
        if msg.trim_start().get(w.len()..).is_some_and(|a| a.starts_with(':')) {
            rec.set_name(w);
        }
    }
    let start = text.find(msg).unwrap_or(0);
    let body = text.get(start..).unwrap_or("");
    kv_eq(rec, body);
    // `Agent 5172 from PG domain 5011. [na-0:3[0],RA*] to [res-0+1:3[0],R]`
    if let Some(r) = msg.strip_prefix("Agent ") {
        if let Some((a, rest)) = r.split_once(" from PG domain ") {
            rec.set_name("AgentStateChange");
            put(rec, "AGSTID", a);
            if let Some((d, rest)) = rest.split_once(". ") {
                put(rec, "MRDID", d);
                if let Some((from, to)) = rest.split_once(" to ") {
                    put(rec, "from_state", from);
                    put(rec, "to_state", to);
                }
            }
        }
    }
}

// --- dumplog output -----------------------------------------------------------------------------

/// `Events from February 8, 2007` (dumplog's date header) → date.
pub fn dumplog_header(line: &str) -> Option<(i32, u32, u32)> {
    let i = line.find("Events from ")?;
    let rest = line.get(i + 12..)?;
    let mut it = rest.split([' ', ',']).filter(|t| !t.is_empty());
    let m = crate::time::month_from_abbrev(it.next()?)?;
    let d: u32 = it.next()?.parse().ok()?;
    let y: i32 = it.next()?.parse().ok()?;
    crate::time::valid_date(y, m, d).then_some((y, m, d))
}

pub static ICM_DUMPLOG: Format = Format {
    name: "icm-dumplog",
    detect: |s| {
        let header = s.lines.iter().any(|l| dumplog_header(l).is_some());
        let lines = share(&s.lines, |l| icm_line(l).is_some());
        if header && lines >= 20 {
            90
        } else {
            0
        }
    },
    shape: Shape::Lines { starts_record: |l| icm_line(l).is_some() || dumplog_header(l).is_some(), glue: engine::no_glue, parse: parse_dumplog },
    lane: Lane::ByComponent,
    role: Role::Server,
    ids: &[IdRule::AgentAliases],
    examples: DUMPLOG_EXAMPLES,
};

fn parse_dumplog(rec: &mut Record, first: &str, text: &str) {
    if let Some((y, m, d)) = dumplog_header(first) {
        rec.set_name("DATE_HEADER");
        // The header opens the day's events: placed at its start (local time, like the lines).
        let at = first.find("Events from ").map_or(0, |i| i + 12);
        rec.time = Some(engine::make_time(first.get(at..).unwrap_or("").trim_end(), Some((y, m, d)), Some(0), None));
        put(rec, "date", &format!("{y:04}-{m:02}-{d:02}"));
        return;
    }
    let Some(p) = icm_line(first) else { return };
    let msg = fill_prefix(rec, &p);
    rec.name = crate::model::sym_of(op_name(msg));
    let start = text.find(msg).unwrap_or(0);
    kv_eq(rec, text.get(start..).unwrap_or(""));
}

/// `10: CICMRGRA: Feb 8 2007 05:37:44.658 +0000: %ICM_Router_X: [comp=Router-A][sev=info]: text`
fn cisco_log(line: &str) -> Option<(&str, &str, engine::Stamp, &str, &str)> {
    let (seq, rest) = line.split_once(": ")?;
    if seq.is_empty() || !seq.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (host, rest) = rest.split_once(": ")?;
    let st = stamp_mdy(rest)?;
    let rest = rest.get(st.len..)?.strip_prefix(": %")?;
    let (mnemonic, rest) = rest.split_once(':')?;
    Some((seq, host, st, mnemonic, rest.trim_start_matches(' ')))
}

pub static ICM_DUMPLOG_CISCO: Format = Format {
    name: "icm-dumplog-cisco",
    detect: |s| engine::score(share(&s.lines, |l| cisco_log(l).is_some_and(|c| c.4.starts_with('['))), 30, 85),
    shape: Shape::Lines { starts_record: |l| cisco_log(l).is_some(), glue: engine::no_glue, parse: parse_cisco_log },
    lane: Lane::ByComponent,
    role: Role::Server,
    ids: &[IdRule::AgentAliases],
    examples: DUMPLOG_CISCO_EXAMPLES,
};

fn parse_cisco_log(rec: &mut Record, first: &str, _text: &str) {
    let Some((seq, host, st, mnemonic, rest)) = cisco_log(first) else { return };
    rec.time = Some(st.time);
    put(rec, "seq", seq);
    put(rec, "host", host);
    rec.set_name(mnemonic);
    let used = bracket_groups(rec, rest);
    if let Some(msg) = rest.get(used..) {
        put(rec, "message", msg.trim_start_matches(':').trim());
    }
    rec.component = crate::model::sym_of(group_value(rest, "comp"));
    rec.severity = crate::model::sym_of(group_value(rest, "sev"));
}

/// The value of a `[key=value]` group in `s` (read from the text: index entries keep no fields).
fn group_value<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    let at = s.find(&format!("[{key}="))?;
    let rest = s.get(at + key.len() + 2..)?;
    Some(rest.get(..rest.find(']')?)?.trim())
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const PIM_EXAMPLES: &[Example] = &[Example {
    variant: "Application->PG message block",
    timed: true,
    path: "pim2.txt",
    text: "14:30:02:118 PG3A-pim2 Trace: Application->PG:
Message = NEW_TASK; Length = 188 bytes
DialogueID = (7) Hex 00000007
14:30:02:140 PG3A-pim2 Trace: PG->Application:
Message = DO_THIS_WITH_TASK; Length = 96 bytes
",
}];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const ROUTER_EXAMPLES: &[Example] = &[Example {
    variant: "Trace lines with a dialog context",
    timed: true,
    path: "rtr.txt",
    text: "14:30:02:125 rb-rtr Trace: (7 x 0 : 0 0) NewCall: CID=(155021,40077120), DN=ChatTask, MRDID=5002, CallAtVRU=1
14:30:02:126 rb-rtr Trace: (7 x 0 : 0 0) DeviceTargetPreCall_V14: CID=(155021,40077120), PerID=5000, AGSTID=7012, InvokeID=902
",
}];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const DUMPLOG_EXAMPLES: &[Example] = &[Example {
    variant: "dumplog output with its date header",
    timed: true,
    path: "dumplog.txt",
    text: "Events from March 11, 2025
14:30:02:118 PG3A-opc Trace: SetAgentState: ASTID=7012 Periph#=5000 MRDomainID=5002 OldState=AS_NOT_ACTIVE NewState=AS_RESERVED
14:30:02:140 cg3A-ctisvr Trace: AGENT_EVENT: ID=3021 Periph=5000 ICMAgentID=7012 AgentState=RESERVED
14:30:03:002 rb-rtr Trace: Agent 7012 from PG domain 5002. [na-0:2[0],RA] to [res-0+1:2[0],R]
",
}];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const DUMPLOG_CISCO_EXAMPLES: &[Example] = &[
    Example {
        variant: "dumplog /cisco form",
        timed: true,
        path: "rtr_cisco.txt",
        text: "21: CICMRGRB: Mar 11 2025 14:30:02.125 -0400: %ICM_Router_ProcessSynchronization: [comp=Router-B][pname=rtr][iid=acme][sev=info]: Router is synchronized.
22: CICMRGRB: Mar 11 2025 14:30:05.900 -0400: %ICM_Router_MDSState: [comp=Router-B][pname=rtr][iid=acme][sev=info]: MDS is in service.
",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn one(f: &'static Format, text: &str) -> Vec<Record> {
        let mut file = crate::model::LogFile::new("x.log", text.len() as u64);
        file.text = text.to_string();
        file.line_starts = engine::line_starts(text);
        let mut out = Vec::new();
        super::super::parse_file(f, &file, 0, &mut out);
        out.iter().map(|r| super::super::decode_record(&file, r)).collect()
    }

    #[test]
    fn cisco_log_form() {
        let t = "10: CICMRGRA: Feb 8 2007 05:37:44.658 +0000: %ICM_Router_ProcessSynchronization: [comp=Router-A][pname=rtr][iid=ipcc][sev=info]: MDS is in service.\r\n";
        let lines: Vec<&str> = t.lines().collect();
        let s = Sample { path: "rtr.txt", lines, text: t };
        assert!((ICM_DUMPLOG_CISCO.detect)(&s) >= 85);
        let r = one(&ICM_DUMPLOG_CISCO, t);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].name(), Some("ICM_Router_ProcessSynchronization"));
        assert_eq!(r[0].component(), Some("Router-A"));
        assert_eq!(r[0].severity(), Some("info"));
        assert_eq!(r[0].get_str("message").as_deref(), Some("MDS is in service."));
        let tm = r[0].time.clone().unwrap_or_default();
        assert_eq!(tm.date(), Some((2007, 2, 8)));
        assert_eq!(tm.offset_min(), Some(0));
    }

    #[test]
    fn standard_dumplog() {
        let t = "Events from February 8, 2007\n00:37:44 ra-rtr MDS is in service.\n00:37:45 ra-rtr Trace: NewCall: CID=(1,2)\n";
        let s = Sample { path: "x.txt", lines: t.lines().collect(), text: t };
        assert_eq!((ICM_DUMPLOG.detect)(&s), 90);
        let r = one(&ICM_DUMPLOG, t);
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].get_str("date").as_deref(), Some("2007-02-08"));
        assert_eq!(r[1].component(), Some("ra-rtr"));
        assert_eq!(Some(r[1].time_text(t)), Some("00:37:44"));
    }

    #[test]
    fn grep_prefix() {
        let p = icm_line("ctisvr.txt:08:54:27:874 cg1A-ctisvr Trace: AGENT_EVENT: ID=1");
        assert_eq!(p.as_ref().map(|p| p.component), Some("cg1A-ctisvr"));
        assert_eq!(p.map(|p| p.msg), Some("AGENT_EVENT: ID=1"));
    }
}
