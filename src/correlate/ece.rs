//! `ece-chat-availability`: the ECE listener logs an agent in (MEDIA_LOGIN_REQ/RESP) or makes the
//! agent available (MAKE_AGENT_ROUTABLE_IND, MAKE_AGENT_READY_IND) over ARM; the CTI server relays
//! to the agent PG's OPC, which changes the agent's state in the MRD; rttest shows the router's view;
//! the chat entry point's `checkEligibility.responseType` says whether chat is offered.
//!
//! One flow per episode: the listener's ARM messages for one ICM agent within a minute of each other.

use super::flows::{Builder, Ctx, StepSpec};
use super::ids::{field, IdKind};
use super::participants::*;
use super::{Flow, Flows};
use crate::kinds::Lane;

const ANCHORS: [&str; 4] = ["MEDIA_LOGIN_REQ", "MEDIA_LOGIN_RESP", "MAKE_AGENT_ROUTABLE_IND", "MAKE_AGENT_READY_IND"];

/// The ARM message type of a record; a ctisvr `SendARMMsg` takes it from the `Process…` line before it.
pub fn arm_type<'a>(ctx: &Ctx<'a>, i: usize) -> Option<&'a str> {
    let r = ctx.rec(i)?;
    if let Some(t) = field(r, "MessageType") {
        return Some(t);
    }
    if r.name() == Some("SendARMMsg") && i > 0 {
        let p = ctx.rec(i - 1)?;
        if p.file() == r.file() && p.name().is_some_and(|n| n.starts_with("Process")) {
            return field(p, "MessageType");
        }
    }
    None
}

pub fn flows(ctx: &Ctx) -> Flows {
    // Listener ARM records per ICM agent, in time order.
    let mut anchors: Vec<(String, i64, usize)> = Vec::new();
    let mut entrypoints: Vec<usize> = Vec::new();
    for r in ctx.recs() {
        let i = r.index;
        // A saved entry point answer, or the browser's (a HAR entry with a numeric responseType).
        if r.lane() == Lane::EceWeb || (r.lane() == Lane::Browser && super::har_flows::response_type(ctx, i).is_some()) {
            entrypoints.push(i);
            continue;
        }
        if r.lane() != Lane::EceListener {
            continue;
        }
        let Some(t) = field(r, "MessageType") else { continue };
        if !ANCHORS.contains(&t) {
            continue;
        }
        let agent = field(r, "ICMAgentID").unwrap_or_default().to_string();
        anchors.push((agent, ctx.time(i).unwrap_or(i64::MIN), i));
    }
    // A RESP has no agent ID: give it the agent of the request with the same InvokeID.
    let mut by_invoke: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (a, _, i) in &anchors {
        if let (false, Some(inv)) = (a.is_empty(), ctx.rec(*i).and_then(|r| field(r, "InvokeID"))) {
            by_invoke.insert(inv.to_string(), a.clone());
        }
    }
    for (a, _, i) in anchors.iter_mut() {
        if a.is_empty() {
            if let Some(agent) = ctx.rec(*i).and_then(|r| field(r, "InvokeID")).and_then(|inv| by_invoke.get(inv).cloned()) {
                *a = agent;
            }
        }
    }
    anchors.retain(|(a, _, _)| !a.is_empty());
    anchors.sort();
    let mut episodes: Vec<(String, Vec<usize>)> = Vec::new();
    let mut last: Option<(String, i64)> = None;
    for (a, t, i) in anchors {
        let same = matches!(&last, Some((la, lt)) if *la == a && (t == i64::MIN || *lt == i64::MIN || t - *lt <= 60_000));
        if same {
            if let Some(e) = episodes.last_mut() {
                e.1.push(i);
            }
        } else {
            episodes.push((a.clone(), vec![i]));
        }
        last = Some((a, t));
    }
    let mut out = Vec::new();
    for (agent, recs) in episodes {
        if let Some(f) = episode(ctx, &agent, &recs, &entrypoints) {
            out.push(f);
        }
    }
    out
}

fn episode(ctx: &Ctx, agent: &str, anchors: &[usize], entrypoints: &[usize]) -> Option<Box<Flow>> {
    let mut b = Builder::new(ctx);
    let times: Vec<i64> = anchors.iter().filter_map(|&i| ctx.time(i)).collect();
    let (t0, t1) = (times.iter().min().copied(), times.iter().max().copied());
    let near = |i: usize| match (ctx.time(i), t0, t1) {
        (Some(t), Some(a), Some(z)) => t >= a - 600_000 && t <= z + 600_000,
        _ => true,
    };
    let arm_side = |i: usize| ctx.rec(i).is_some_and(|r| matches!(r.lane(), Lane::EceListener | Lane::Cti | Lane::Opc));
    let same_agent = |i: usize| ctx.rec(i).and_then(|r| field(r, "ICMAgentID")).is_none_or(|a| a == agent);
    let mut mrd = String::new();
    let mut types: Vec<String> = Vec::new();
    for &i in anchors {
        b.add(i);
        if let Some(r) = ctx.rec(i) {
            if let Some(m) = field(r, "MRDID") {
                mrd = m.to_string();
            }
            if let Some(t) = field(r, "MessageType") {
                types.push(t.to_string());
            }
        }
    }
    // Same InvokeID on every side.
    for &i in anchors {
        for id in ctx.ids_of_kind(i, IdKind::Invoke) {
            b.add_id(&id, |r| arm_side(r) && same_agent(r) && near(r));
        }
    }
    // Same message type, agent and MRD where the InvokeIDs differ (the login request): the
    // agent's records around the episode only (an agent may log all day).
    let (w0, w1) = match (t0, t1) {
        (Some(a), Some(z)) => (a - 600_000, z + 600_000),
        _ => (i64::MIN, i64::MAX),
    };
    let agent_recs: Vec<usize> = ctx.within(ctx.idx.get(IdKind::IcmAgent, agent), w0, w1).into_iter().map(|r| r as usize).collect();
    for &r in &agent_recs {
        if b.has(r) || !arm_side(r) || !near(r) {
            continue;
        }
        let Some(rec) = ctx.rec(r) else { continue };
        if rec.lane() == Lane::EceListener {
            continue;
        }
        let Some(t) = arm_type(ctx, r) else { continue };
        if !types.iter().any(|x| x == t) || field(rec, "MRDID").is_some_and(|m| !mrd.is_empty() && m != mrd) {
            continue;
        }
        if let Some(&a) = anchors.iter().find(|&&a| ctx.rec(a).and_then(|x| field(x, "MessageType")) == Some(t)) {
            let inv_a = ctx.rec(a).and_then(|x| field(x, "InvokeID")).unwrap_or_default();
            let inv_r = field(rec, "InvokeID").unwrap_or_default();
            let why = if inv_a == inv_r {
                format!("carries {t} for ICM agent {agent} in MRD {mrd} with InvokeID {inv_r}, like {}", ctx.loc(a))
            } else {
                format!("carries {t} for ICM agent {agent} in MRD {mrd} like {} (InvokeIDs differ: {inv_a} vs {inv_r})", ctx.loc(a))
            };
            b.add_because(r, why);
            for id in ctx.ids_of_kind(r, IdKind::Invoke) {
                b.add_id(&id, |x| arm_side(x) && near(x));
            }
        }
    }
    // ctisvr `Process…` lines before their `SendARMMsg`; listener lines on the same thread.
    b.add_neighbours(|i, j| {
        let (Some(a), Some(c)) = (ctx.rec(i), ctx.rec(j)) else { return false };
        match a.lane() {
            Lane::Cti => j + 1 == i && c.name().is_some_and(|n| n.starts_with("Process")),
            Lane::EceListener => {
                field(a, "thread").is_some()
                    && field(a, "thread") == field(c, "thread")
                    && match (ctx.time(i), ctx.time(j)) {
                        (Some(x), Some(y)) => (x - y).abs() <= 1000,
                        _ => false,
                    }
            }
            _ => false,
        }
    });
    let available = types.iter().any(|t| t.starts_with("MAKE_AGENT"));
    if available {
        // OPC state change right after the OPC's ready indication.
        let opc: Vec<usize> = b.recs.iter().copied().filter(|&i| ctx.rec(i).is_some_and(|r| r.lane() == Lane::Opc)).collect();
        for i in opc {
            for j in i + 1..i + 4 {
                let Some(r) = ctx.rec(j) else { break };
                if r.name() == Some("SetAgentState") && field(r, "ICMAgentID") == Some(agent) {
                    b.add_because(j, format!("SetAgentState for ICM agent {agent} right after the OPC's ready indication"));
                }
            }
        }
        // rttest agent_status for this agent: the command and its output block.
        for &r in &agent_recs {
            let Some(rec) = ctx.rec(r) else { continue };
            if !super::flows::is_console(rec.rec) || field(rec, "command").is_none() {
                continue;
            }
            b.add(r);
            let mut j = r + 1;
            let mut last = r;
            while let Some(x) = ctx.rec(j) {
                if x.file() != rec.file() || field(x, "command").is_some() {
                    break;
                }
                b.add(j);
                last = j;
                j += 1;
            }
            b.links.push(format!("rttest agent_status /agent {agent} ({}–L{})", ctx.loc(r), ctx.rec(last).map(|x| x.line()).unwrap_or(0)));
        }
        // The entry points' answers: the ones logged around the episode, or the few untimed
        // saved responses (a capture with many of them links them by time only).
        let nearby: Vec<usize> = entrypoints
            .iter()
            .copied()
            .filter(|&e| match ctx.time(e) {
                Some(t) => t >= w0 && t <= w1,
                None => entrypoints.len() <= super::flows::MAX_UNTIMED_LINKS,
            })
            .collect();
        for e in nearby {
            b.add_because(e, "the chat entry point's availability answer (no shared ID; shown as the result of the MRD's availability)".to_string());
        }
    }
    let key = if mrd.is_empty() { format!("ICM agent {agent}") } else { format!("ICM agent {agent}, MRD {mrd}") };
    b.finish("ece-chat-availability", key, classify)
}

fn classify(ctx: &Ctx, i: usize) -> Option<StepSpec> {
    let r = ctx.rec(i)?;
    let inv = field(r, "InvokeID").map(|v| format!(" (InvokeID {v})")).unwrap_or_default();
    let t = arm_type(ctx, i).unwrap_or_default();
    let login = t.starts_with("MEDIA_LOGIN");
    let status = field(r, "Status").map(|s| format!(" Status {s}")).unwrap_or_default();
    Some(match r.lane() {
        Lane::EceListener => {
            let name = r.name().map(str::to_string).unwrap_or_default();
            if field(r, "InvokeID").is_none() {
                let msg = field(r, "message").unwrap_or_default();
                let short = msg.lines().next().unwrap_or("").chars().take(70).collect::<String>();
                StepSpec::new(if login { 10 } else { 20 }, ECE_LISTENER, ECE_LISTENER, if short.is_empty() { name } else { short })
            } else if t.ends_with("_RESP") {
                StepSpec::new(13, CTI, ECE_LISTENER, format!("{t}{status}{inv}"))
            } else {
                StepSpec::new(if login { 10 } else { 20 }, ECE_LISTENER, CTI, format!("{t}{inv}"))
            }
        }
        Lane::Cti => {
            let name = r.name().map(str::to_string).unwrap_or_default();
            let stage = if login {
                if t.ends_with("_RESP") {
                    12
                } else {
                    11
                }
            } else {
                21
            };
            if name.starts_with("Process") && t.ends_with("_RESP") {
                StepSpec::new(stage, OPC, CTI, format!("{t}{status}{inv}"))
            } else if name.starts_with("Process") {
                StepSpec::new(stage, ECE_LISTENER, CTI, format!("{name} ({t})"))
            } else {
                StepSpec::new(stage, CTI, OPC, format!("SendARMMsg {t}{inv}"))
            }
        }
        Lane::Opc => {
            if r.name() == Some("SetAgentState") {
                let old = field(r, "OldState").unwrap_or_default();
                let new = field(r, "NewState").unwrap_or_default();
                let mrd = field(r, "MRDomainID").unwrap_or_default();
                StepSpec::new(23, OPC, ROUTER, format!("SetAgentState {old} → {new} (MRD {mrd})"))
            } else {
                StepSpec::new(22, CTI, OPC, format!("{}{inv}", r.name().unwrap_or(t)))
            }
        }
        Lane::Router if super::flows::is_console(r.rec) => {
            let label = if let Some(c) = field(r, "command") {
                format!("rttest {c}")
            } else if let Some(d) = field(r, "domain") {
                format!("domain {d} ({}) {}", field(r, "domain_id").unwrap_or_default(), field(r, "state").unwrap_or_default())
            } else if let Some(sg) = field(r, "skill_group") {
                format!("skill group {sg} ({}) {}", field(r, "skill_group_id").unwrap_or_default(), field(r, "state").unwrap_or_default())
            } else {
                format!("agent {}", field(r, "agent").unwrap_or_default())
            };
            StepSpec::new(24, ROUTER, ROUTER, label)
        }
        Lane::Browser => super::har_flows::ece_step(ctx, i)?,
        Lane::EceWeb => {
            let rt = field(r, "responseType").unwrap_or("?");
            let id = field(r, "entryPointId").unwrap_or_default();
            let meaning = match rt {
                "0" => "chat offered",
                "1" => "no agent available",
                "2" => "queue full",
                _ => "unknown",
            };
            StepSpec::new(25, ECE_WEB, BROWSER, format!("entrypoint/initialize {id} → responseType {rt} ({meaning})"))
        }
        _ => return None,
    })
}
