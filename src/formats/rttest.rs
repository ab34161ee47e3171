//! `rttest` console transcripts (`rttest: agent_status /agent 6420` and its output): one record
//! per line, with agent, domain and skill-group values as fields.

use super::engine::{self, put};
use super::{Example, Format, IdKind, IdRule, Lane, Role, Shape};
use crate::model::Record;

/// `c:\icm\acme\ra\logfiles>rttest /cust acme /node routera` (the console's invocation).
fn invocation(l: &str) -> Option<&str> {
    let t = l.trim_start();
    let cmd = match t.find('>') {
        Some(i) if t.get(1..2) == Some(":") => t.get(i + 1..)?.trim_start(),
        _ => t,
    };
    let rest = cmd.strip_prefix("rttest").or_else(|| cmd.strip_prefix("RTTEST"))?;
    (rest.is_empty() || rest.starts_with(' ') || rest.starts_with(".exe")).then_some(rest.trim_start_matches(".exe").trim())
}

fn looks(l: &str) -> bool {
    l.starts_with("rttest:") || engine::has(l, "periph# ") || (l.starts_with("domain: ") && engine::has(l, "state = ["))
}

pub static RTTEST: Format = Format {
    name: "rttest",
    detect: |s| {
        if s.lines.first().is_some_and(|l| l.starts_with("rttest:")) || s.lines.iter().take(8).any(|l| invocation(l).is_some()) {
            90
        } else {
            engine::scored(&s.lines, 40, 65, looks)
        }
    },
    shape: Shape::Lines { starts_record: |_| true, glue: engine::no_glue, parse },
    lane: Lane::Router,
    role: Role::Snapshot,
    ids: &[IdRule::Field("agent", IdKind::IcmAgent)],
    examples: EXAMPLES,
};

/// `NAME (ID, periph# N)` → (name, id, periph).
fn named_id(s: &str) -> Option<(&str, &str, Option<&str>)> {
    let (name, rest) = s.rsplit_once(" (")?;
    let inner = rest.split(')').next()?;
    let mut it = inner.split(',');
    let id = it.next()?.trim();
    let periph = it.next().and_then(|p| p.trim().strip_prefix("periph#")).map(str::trim);
    Some((name.trim(), id, periph))
}

fn parse(rec: &mut Record, first: &str, _text: &str) {
    let l = first.trim();
    if let Some(args) = invocation(l) {
        rec.set_name("rttest");
        put(rec, "command", l);
        let mut it = args.split_whitespace();
        while let Some(w) = it.next() {
            if let (Some(opt), Some(v)) = (w.strip_prefix('/'), it.next()) {
                put(rec, opt, v);
            }
        }
    } else if let Some(cmd) = l.strip_prefix("rttest:") {
        let cmd = cmd.trim();
        let mut it = cmd.split_whitespace();
        rec.name = crate::model::sym_of(it.next().map(str::to_string));
        put(rec, "command", cmd);
        while let Some(w) = it.next() {
            if let (Some(opt), Some(v)) = (w.strip_prefix('/'), it.next()) {
                put(rec, opt, v);
            }
        }
    } else if let Some(a) = l.strip_prefix("Agent ") {
        rec.set_name("Agent");
        if let Some((n, id, p)) = named_id(a) {
            put(rec, "agent", n);
            put(rec, "skill_target_id", id);
            put(rec, "periph", p.unwrap_or(""));
            // The agent's skill target ID and peripheral number under their protocol names.
            put(rec, "SkillTargetID", id);
            put(rec, "ICMAgentID", id);
            if let Some(p) = p {
                put(rec, "AgentID", p);
            }
        }
    } else if let Some(d) = l.strip_prefix("domain: ") {
        rec.set_name("domain");
        let (head, tail) = d.split_once(", state = ").unwrap_or((d, ""));
        if let Some((n, id, _)) = named_id(head) {
            put(rec, "domain", n);
            put(rec, "domain_id", id);
        }
        if let Some((state, secs)) = tail.split_once("], ") {
            put(rec, "state", &format!("{state}]"));
            put(rec, "secs", secs.trim_end_matches(" secs"));
        }
    } else if let Some((n, id, p)) = named_id(l) {
        let mut words = n.split_whitespace();
        let (flags, state, sg) = match (words.next(), words.next(), words.next()) {
            (Some(f), Some(s), Some(g)) => (f, s, g),
            _ => return,
        };
        rec.set_name("skill_group");
        put(rec, "flags", flags);
        put(rec, "state", state);
        put(rec, "skill_group", sg);
        put(rec, "skill_group_id", id);
        put(rec, "periph", p.unwrap_or(""));
    }
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const EXAMPLES: &[Example] = &[
    Example {
        variant: "agent_status output",
        timed: false,
        path: "rttest.txt",
        text: "rttest: agent_status /agent 7012
Agent ACME.Chat_Agent (7012, periph# 3021)
domain: ACME_Chat (5002), state = [na-0:2,RA], 95 secs
CL na ACME_ChatSG (7100, periph# 80112)
",
    },
    Example {
        variant: "session with the console's invocation",
        timed: false,
        path: "router-console.txt",
        text: "c:\\icm\\acme\\ra\\logfiles>rttest /cust acme /node routera
rttest: agent_status /agent 7012
Agent ACME.Voice_Agent (7012, periph# 3021)
domain: Cisco_Voice (1), state = [nr-0:1,R], 12 secs
",
    },
];
