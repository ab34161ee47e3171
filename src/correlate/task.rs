//! `task-routing`: a CCP (SocialMiner) task routed by CCE to a Finesse agent. Anchored on the task
//! key (`day_callid_seq`, written four ways in the logs); the router's `CID=(day,callid)` and the
//! PIM's `CRS(RtrDate,RtrCID)` join by the day+callid prefix; the SocialContactID (CED,
//! ApplicationString2, sm_contact_id) joins the CCP side; InvokeIDs join each indication to its
//! CTI-server line; the agent's state changes join by ICM agent ID within the task's time span.

use super::flows::{episode_bounds, values_of, Builder, Ctx, StepSpec};
use super::ids::{field, IdKind};
use super::participants::*;
use super::{Flow, Flows};
use crate::formats::engine::{has as contains, has_any_case};
use crate::kinds::Lane;
use std::collections::HashMap;

/// CCP records that start a contact but carry no SocialContactID (the REST request, the bus
/// message, the create call), sorted by time.
pub fn ccp_requests(ctx: &Ctx) -> Vec<(i64, usize)> {
    let mut v: Vec<(i64, usize)> = Vec::new();
    for r in ctx.recs() {
        let i = r.index;
        if r.lane() != Lane::Ccp {
            continue;
        }
        let start = match r.name() {
            Some("REQUEST_INITIATED") | Some("CREATE_SOCIAL_CONTACT") | Some("SOCIAL_CONTACT_PROCESSOR") => true,
            Some("MSG_INCOMING_FROM_BUS") => field(r, "msg_type").is_some_and(|m| contains(m, "PushSocialContact")),
            Some("CONFIG_OBJECT_STORED_IN_CACHE") => field(r, "type.id") == Some("FeedReader"),
            _ => false,
        };
        if start {
            if let Some(t) = ctx.time(i) {
                v.push((t, i));
            }
        }
    }
    v.sort();
    v
}

/// Links the CCP request records of the same host in the 3 s before the contact was created
/// (the contact's creation looked for around the flow's records so far).
pub fn add_ccp_requests(b: &mut Builder, ctx: &Ctx, requests: &[(i64, usize)], sc: &str) {
    let (lo, hi) = b.span();
    let (w0, w1) = if lo <= hi { (lo - TASK_SLACK_MS, hi + TASK_SLACK_MS) } else { (i64::MIN, i64::MAX) };
    let created = ctx
        .id_within(IdKind::SocialContact, sc, w0, w1)
        .into_iter()
        .map(|r| r as usize)
        .find(|&r| ctx.rec(r).is_some_and(|x| x.name() == Some("SOCIAL_CONTACT_CREATED")));
    let Some(created) = created else { return };
    let Some(t) = ctx.time(created) else { return };
    let host = ctx.rec(created).and_then(|r| field(r, "host"));
    let lo = requests.partition_point(|(x, _)| *x < t - 3_000);
    let hi = requests.partition_point(|(x, _)| *x <= t);
    let mut added = Vec::new();
    for &(_, r) in requests.get(lo..hi).unwrap_or(&[]) {
        if ctx.rec(r).and_then(|x| field(x, "host")) == host && b.add(r) {
            added.push(r);
        }
    }
    if !added.is_empty() {
        b.links.push(format!(
            "{} on the same CCP host {} in the 3 s before SocialContact {sc} was created ({}) — no shared ID in these logs, linked by time and host",
            b.locs(&added),
            host.unwrap_or_default(),
            ctx.loc(created)
        ));
        for r in added {
            for id in ctx.ids_of_kind(r, IdKind::CcpRequest) {
                b.add_id(&id, |_| true);
            }
        }
    }
}

pub fn flows(ctx: &Ctx) -> Flows {
    let requests = ccp_requests(ctx);
    // ICM agent → state changes (ctisvr AGENT_EVENT, router agent state), sorted by time.
    let mut states: HashMap<String, Vec<(i64, usize)>> = HashMap::new();
    for (v, recs) in ctx.idx.of_kind(IdKind::IcmAgent) {
        let mut list: Vec<(i64, usize)> = recs
            .iter()
            .map(|&r| r as usize)
            .filter(|&r| ctx.rec(r).is_some_and(|x| matches!(x.name(), Some("AGENT_EVENT") | Some("AgentStateChange"))))
            .filter_map(|r| ctx.time(r).map(|t| (t, r)))
            .collect();
        if !list.is_empty() {
            list.sort();
            states.insert(v.to_string(), list);
        }
    }
    let mut out = Vec::new();
    for (task, all) in values_of(ctx, IdKind::Task) {
        // A task key names one task; the same key again after the task ended (or hours later) is
        // another task (a replayed capture, a reused key): one flow per episode.
        let eps = super::flows::episodes(ctx, all, TASK_GAP_MS, TASK_SLACK_MS, |r| ends_task(ctx, r));
        // Each episode's windows stop where the next one's begin.
        let spans: Vec<(i64, i64)> = eps.iter().map(|recs| ctx.timed_span(recs.iter().map(|&r| r as usize)).unwrap_or((i64::MIN, i64::MIN))).collect();
        let n = eps.len();
        for ((k, recs), (t0, t1)) in eps.into_iter().enumerate().zip(episode_bounds(&spans, TASK_SLACK_MS)) {
            let tag = if n > 1 { format!(" #{}", k + 1) } else { String::new() };
            let b = Builder::new(ctx).within_episode(t0, t1);
            if let Some(f) = task_flow(b, task, &tag, &recs, &requests, &states) {
                out.push(f);
            }
        }
    }
    out
}

/// How far before and after a task's own records its contact's other records are looked for
/// (the CCP contact is created before the task is routed and closed after it ends).
pub const TASK_SLACK_MS: i64 = 5 * 60_000;

/// A pause this long between records of one task key means another task.
const TASK_GAP_MS: i64 = 60 * 60_000;

/// The record that ends a task: END_TASK (CTI, Finesse) or the CCP contact handled.
fn ends_task(ctx: &Ctx, r: usize) -> bool {
    let m = msg(ctx, r);
    has_any_case(m, "END_TASK")
        || m.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("ENDTASK"))
        || ctx.rec(r).and_then(|x| field(x, "status")).is_some_and(|s| s.eq_ignore_ascii_case("handled"))
}

fn task_flow(mut b: Builder, task: &str, tag: &str, recs: &[u32], requests: &[(i64, usize)], states: &HashMap<String, Vec<(i64, usize)>>) -> Option<Box<Flow>> {
    let ctx = b.ctx;
    for &r in recs {
        b.add(r as usize);
    }
    if recs.len() >= 2 {
        let all: Vec<usize> = recs.iter().map(|&r| r as usize).collect();
        b.links.push(format!("same task ID {task} in {}", b.locs(&all)));
    }
    if b.recs.is_empty() {
        return None;
    }
    // The episode's time span: the router call key and the contact's other records around it.
    let (lo, hi) = b.span();
    let (w0, w1) = if lo <= hi { (lo - TASK_SLACK_MS, hi + TASK_SLACK_MS) } else { (i64::MIN, i64::MAX) };
    let mut parts = task.split('_');
    if let (Some(d), Some(c)) = (parts.next(), parts.next()) {
        let ck = (IdKind::CallKey, format!("{d}_{c}"));
        let added = b.add_id_within(&ck, w0, w1, |_| true);
        if !added.is_empty() {
            b.links.push(format!("router call key ({d},{c}) is the day+callid prefix of task {task}"));
        }
    }
    let first: Vec<usize> = b.recs.iter().copied().collect();
    let times: Vec<i64> = first.iter().filter_map(|&i| ctx.time(i)).collect();
    let (t0, t1) = (times.iter().min().copied(), times.iter().max().copied());
    let in_window = |i: usize, slack: i64| match (ctx.time(i), t0, t1) {
        (Some(t), Some(a), Some(z)) => t >= a - slack && t <= z + slack,
        _ => true,
    };
    // SocialContactIDs, ICM agents and InvokeIDs of the task's records.
    let mut scs: Vec<String> = Vec::new();
    let mut agents: Vec<String> = Vec::new();
    for &i in &first {
        for (k, v) in ctx.each_id(i) {
            match k {
                IdKind::SocialContact if !scs.iter().any(|s| *s == v) => scs.push(v.into_owned()),
                IdKind::IcmAgent if !agents.iter().any(|a| *a == v) => agents.push(v.into_owned()),
                _ => {}
            }
        }
    }
    for sc in &scs {
        b.add_id_within(&(IdKind::SocialContact, sc.clone()), w0, w1, |_| true);
        add_ccp_requests(&mut b, ctx, requests, sc);
    }
    let current: Vec<usize> = b.recs.iter().copied().collect();
    for &i in &current {
        if !ctx.rec(i).is_some_and(|r| matches!(r.lane(), Lane::Cti | Lane::Webservices | Lane::Router | Lane::MrPim)) {
            continue;
        }
        for id in ctx.ids_of_kind(i, IdKind::Invoke) {
            b.add_id(&id, |r| {
                in_window(r, 60_000)
                    && ctx.rec(r).is_some_and(|x| {
                        matches!(x.lane(), Lane::Cti | Lane::Webservices | Lane::Router | Lane::MrPim)
                            && field(x, "ICMAgentID").is_none_or(|a| agents.iter().any(|x| x == a))
                    })
            });
        }
    }
    // The agent's state changes during the task.
    let times: Vec<i64> = b.recs.iter().filter(|&&i| ctx.rec(i).is_some_and(|r| r.lane() != Lane::Ccp)).filter_map(|&i| ctx.time(i)).collect();
    if let (Some(&a), Some(&z)) = (times.iter().min(), times.iter().max()) {
        for agent in &agents {
            let Some(list) = states.get(agent) else { continue };
            let lo = list.partition_point(|(t, _)| *t < a - 1_000);
            let hi = list.partition_point(|(t, _)| *t <= z + 1_000);
            let mut added = Vec::new();
            for &(_, r) in list.get(lo..hi).unwrap_or(&[]) {
                if b.add(r) {
                    added.push(r);
                }
            }
            if !added.is_empty() {
                let alias = ctx.agent_aliases(IdKind::IcmAgent, agent).map(|((_, p), ev)| format!(" (agent {p}, per {})", ctx.loc(ev))).unwrap_or_default();
                b.links.push(format!("state changes of ICM agent {agent}{alias} during the task: {}", b.locs(&added)));
            }
        }
    }
    for _ in 0..3 {
        let before = b.recs.len();
        b.add_neighbours(|i, j| {
            let (Some(a), Some(c)) = (ctx.rec(i), ctx.rec(j)) else { return false };
            match a.lane() {
                Lane::Cti => j == i + 1 && c.name().is_some_and(|n| n.starts_with("Process") || n.starts_with("MDSIO")),
                Lane::Webservices => j == i + 1 && a.component_sym() == c.component_sym() && c.component_sym().is_some(),
                Lane::Ccp => {
                    j + 1 == i
                        && a.component_sym() == c.component_sym()
                        && c.name() == Some("MSG_INCOMING_FROM_BUS")
                        && matches!((ctx.time(i), ctx.time(j)), (Some(x), Some(y)) if (x - y).abs() <= 100)
                }
                _ => false,
            }
        });
        if b.recs.len() == before {
            break;
        }
    }
    // Phase boundaries for CCP records: before NEW_TASK, during routing, after END_TASK.
    let t_new = b.recs.iter().filter(|&&i| ctx.rec(i).is_some_and(|r| r.lane() == Lane::MrPim)).filter_map(|&i| ctx.time(i)).min();
    let t_end = b
        .recs
        .iter()
        .filter(|&&i| ctx.rec(i).is_some_and(|r| r.lane() != Lane::Ccp) && has_any_case(msg(ctx, i), "END_TASK") || msg(ctx, i).starts_with("EndTask"))
        .filter_map(|&i| ctx.time(i))
        .min();
    let sc = scs.first().cloned().unwrap_or_default();
    let key = if sc.is_empty() { format!("task {task}{tag}") } else { format!("task {task}{tag}, SocialContact {sc}") };
    b.finish("task-routing", key, |ctx, i| classify(ctx, i, t_new, t_end))
}

fn msg<'a>(ctx: &Ctx<'a>, i: usize) -> &'a str {
    let Some(r) = ctx.rec(i) else { return "" };
    field(r, "cti_message_name")
        .or_else(|| field(r, "MessageType"))
        .or_else(|| if r.name() == Some("SendARMMsg") { field(r, "arm_message") } else { None })
        .or(r.name())
        .unwrap_or_default()
}

/// 0 offer, 1 start, 2 end, None otherwise.
fn task_phase(m: &str) -> Option<u32> {
    if has_any_case(m, "OFFER") {
        Some(0)
    } else if has_any_case(m, "START") {
        Some(1)
    } else if has_any_case(m, "END") {
        Some(2)
    } else {
        None
    }
}

fn classify(ctx: &Ctx, i: usize, t_new: Option<i64>, t_end: Option<i64>) -> Option<StepSpec> {
    let r = ctx.rec(i)?;
    let m = msg(ctx, i);
    let inv = field(r, "InvokeID").map(|v| format!(" (InvokeID {v})")).unwrap_or_default();
    let task = field(r, "TaskKey").map(|v| format!(" (task {v})")).unwrap_or_default();
    Some(match r.lane() {
        Lane::Ccp => {
            let t = ctx.text(i);
            let status = field(r, "status").or_else(|| field(r, "socialContactStatus"));
            let stage = match (ctx.time(i), t_new, t_end) {
                (Some(x), _, Some(e)) if x >= e => 200,
                (Some(x), Some(n), _) if x >= n => 100,
                (Some(_), Some(_), _) => 10,
                _ if contains(t, "CONTACT_CLOSE") || status == Some("handled") => 200,
                _ if matches!(status, Some("queued") | Some("reserved")) => 100,
                _ => 10,
            };
            let (from, to) = match r.name() {
                Some("REQUEST_INITIATED") => (TASK_APP, CCP),
                Some("REST_API_INFO") => (WEBSERVICES, CCP),
                Some("NOTIFICATION_REQUEST") => (CCP, MR_PIM),
                _ => (CCP, CCP),
            };
            let label = if contains(t, "CONTACT_CLOSE") {
                if contains(t, "HANDLED") {
                    "CONTACT_CLOSE: status HANDLED".to_string()
                } else {
                    "CONTACT_CLOSE request".to_string()
                }
            } else if let Some(s) = status {
                format!("{} status {s}", r.name().map(str::to_string).unwrap_or_default())
            } else if let Some(n) = field(r, "Node") {
                format!("{} {n}", r.name().map(str::to_string).unwrap_or_default())
            } else {
                super::flows::default_label(ctx, i)
            };
            StepSpec::new(stage, from, to, label)
        }
        Lane::MrPim => match m {
            "NEW_TASK" => StepSpec::new(20, CCP, MR_PIM, format!("NEW_TASK ScriptSelector {}", field(r, "ScriptSelector").unwrap_or_default())),
            "NEW_CALL" => StepSpec::new(30, MR_PIM, ROUTER, format!("NEW_CALL DN {}", field(r, "CalledParty#").unwrap_or_default())),
            "CONNECT" => StepSpec::new(80, ROUTER, MR_PIM, format!("CONNECT{inv}")),
            "DO_THIS_WITH_TASK" => StepSpec::new(90, MR_PIM, CCP, format!("DO_THIS_WITH_TASK{task}")),
            _ => StepSpec::new(95, MR_PIM, CCP, m),
        },
        Lane::Router => match r.name().unwrap_or("") {
            "NewCall" => {
                StepSpec::new(40, ROUTER, ROUTER, format!("NewCall CID={} DN {}", field(r, "CID").unwrap_or_default(), field(r, "DN").unwrap_or_default()))
            }
            "sending call to Agent" => StepSpec::new(41, ROUTER, ROUTER, format!("router picks agent {}", field(r, "ICMAgentID").unwrap_or_default())),
            n if n.starts_with("DeviceTargetPreCall") => StepSpec::new(50, ROUTER, OPC, format!("DeviceTargetPreCall{inv}")),
            "Connect" => StepSpec::new(70, ROUTER, MR_PIM, format!("Connect{inv}")),
            "AgentStateChange" => StepSpec::new(
                110,
                ROUTER,
                ROUTER,
                format!(
                    "agent {} {} → {}",
                    field(r, "ICMAgentID").unwrap_or_default(),
                    field(r, "fromState").unwrap_or_default(),
                    field(r, "toState").unwrap_or_default()
                ),
            ),
            _ => return None,
        },
        Lane::Cti => {
            if r.name() == Some("AGENT_EVENT") {
                let st = field(r, "St").or_else(|| field(r, "AgentState")).unwrap_or_default();
                let stage = match st {
                    "RESERVED" => 60,
                    "ACTIVE" => 132,
                    "NOT_ACTIVE" | "WORK_READY" | "WORK_NOT_READY" => 142,
                    _ => 61,
                };
                return Some(StepSpec::new(stage, CTI, WEBSERVICES, format!("AGENT_EVENT {st}")));
            }
            if m == "DEVICE_TARGET_PRE_CALL_IND" {
                let pi = field(r, "PreCallInvokeID").map(|v| format!(" (InvokeID {v})")).unwrap_or_default();
                return Some(StepSpec::new(61, OPC, CTI, format!("DEVICE_TARGET_PRE_CALL_IND{pi}")));
            }
            let phase = task_phase(m)?;
            let base = 120 + 10 * phase;
            let name = r.name().map(str::to_string).unwrap_or_default();
            if m.ends_with("_EVENT") {
                StepSpec::new(base + 3, CTI, WEBSERVICES, format!("{m}{task}"))
            } else if name.starts_with("Process") || name.starts_with("MDSIO") {
                return None;
            } else if name == "SendARMMsg" {
                StepSpec::new(base + 2, CTI, OPC, format!("{}{inv}", field(r, "arm_message").unwrap_or(m)))
            } else {
                StepSpec::new(base + 1, WEBSERVICES, CTI, format!("{m}{inv}"))
            }
        }
        Lane::Webservices => {
            let name = r.name().map(str::to_string).unwrap_or_default();
            if name == "SM_REST_OPERATION_MSG" || name == "SOCIALMINER_HTTP_RESPONSE" {
                let label = if name == "SOCIALMINER_HTTP_RESPONSE" {
                    format!("SocialMiner HTTP {}", field(r, "status").unwrap_or_default())
                } else if ctx.text(i).contains("About to") {
                    "EndTask REST call to SocialMiner".to_string()
                } else {
                    "EndTask REST call done".to_string()
                };
                let (from, to) = if name == "SOCIALMINER_HTTP_RESPONSE" { (CCP, WEBSERVICES) } else { (WEBSERVICES, CCP) };
                return Some(StepSpec::new(200, from, to, label));
            }
            if name == "XMPP_PUBLISH_ASYNCHRONOUS" {
                let st = field(r, "state").unwrap_or_default();
                let ev = field(r, "event").unwrap_or_default();
                let stage = match st {
                    "ACCEPTED" | "OFFERED" => 124,
                    "ACTIVE" => 134,
                    _ => 144,
                };
                return Some(StepSpec::new(stage, WEBSERVICES, NOTIFICATION, format!("XMPP Dialog {st} ({ev}){task}")));
            }
            let phase = task_phase(m)?;
            let base = 120 + 10 * phase;
            if name == "MESSAGE_TO_CTI_SERVER" {
                StepSpec::new(base, WEBSERVICES, CTI, format!("{m}{inv}"))
            } else if m.ends_with("Event") {
                StepSpec::new(base + 4, CTI, WEBSERVICES, format!("{m}{task}"))
            } else {
                return None;
            }
        }
        _ => return None,
    })
}
