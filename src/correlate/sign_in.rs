//! `agent-sign-in`: a Finesse agent signs in. Anchored on the requestId of the PUT that asks for
//! state LOGIN; the GETs before it are found by their nocache values (client epoch ms, so they
//! can be placed in time even when the server logs have no timestamps), the CTI side by the
//! agent ID, the notification side by the requestId carried in the XMPP `<Update>`.

use super::flows::{episode_bounds, has_any, Builder, Ctx, StepSpec, REQUEST_WINDOW_MS};
use super::ids::{field, IdKind};
use super::participants::*;
use super::{Flow, Flows};
use crate::formats::engine::{find as find_in, has as contains};
use crate::kinds::Lane;
use std::collections::{BTreeSet, HashMap};

/// Parses `2013-04-23T22:40:08Z` (or with milliseconds) to epoch ms.
pub fn iso_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, ms_of_day) = (s.get(0..10)?, s.get(11..)?);
    let y: i32 = date.get(0..4)?.parse().ok()?;
    let m: u32 = date.get(5..7)?.parse().ok()?;
    let d: u32 = date.get(8..10)?.parse().ok()?;
    if !crate::time::valid_date(y, m, d) {
        return None;
    }
    let h: u32 = ms_of_day.get(0..2)?.parse().ok()?;
    let mi: u32 = ms_of_day.get(3..5)?.parse().ok()?;
    let se: u32 = ms_of_day.get(6..8)?.parse().ok()?;
    let frac: u32 = match ms_of_day.get(8..9) {
        Some(".") => ms_of_day.get(9..12).and_then(|f| f.parse().ok()).unwrap_or(0),
        _ => 0,
    };
    if h > 23 || mi > 59 || se > 60 {
        return None;
    }
    Some(crate::time::to_epoch_ms((y, m, d), ((h * 60 + mi) * 60 + se) * 1000 + frac, 0))
}

fn is_login_put(ctx: &Ctx, i: usize) -> bool {
    let Some(r) = ctx.rec(i) else { return false };
    if let Some(p) = field(r, "request_parameters") {
        return contains(p, "state:LOGIN");
    }
    let t = ctx.text(i);
    contains(t, "PUT") && (contains(t, "<state>LOGIN</state>") || contains(t, "state:LOGIN"))
}

/// A login PUT repeating the requestId of one this close before it is a retry of that sign-in.
const RETRY_WINDOW_MS: i64 = 10_000;

pub fn flows(ctx: &Ctx) -> Flows {
    // nocache values sorted, for time-window lookups.
    let mut nocaches: Vec<(i64, String)> = ctx.idx.of_kind(IdKind::Nocache).filter_map(|(v, _)| v.parse::<i64>().ok().map(|n| (n, v.to_string()))).collect();
    nocaches.sort();
    // Every login PUT anchors a sign-in; PUTs repeating a requestId within the request window
    // are retries of the same sign-in.
    let mut anchors: Vec<(usize, String)> = Vec::new();
    for (val, recs) in super::flows::values_of(ctx, IdKind::RequestId) {
        let mut last: Option<i64> = None;
        for &r in recs {
            let r = r as usize;
            if !is_login_put(ctx, r) {
                continue;
            }
            let t = ctx.when(r);
            let retry = last.is_some_and(|l| t != i64::MIN && t - l <= RETRY_WINDOW_MS);
            if !retry {
                anchors.push((r, val.to_string()));
            }
            if t != i64::MIN {
                last = Some(t);
            }
        }
    }
    // One agent signs in many times a day (a requestId can even be reused): each sign-in is its
    // own episode, cut from the agent's sign-ins before and after it.
    let mut first_agents = HashMap::new();
    let heads: Vec<(usize, String, String)> =
        anchors.into_iter().filter_map(|(put, req)| Some((put, agent_of(ctx, put, &req, &mut first_agents)?, req))).collect();
    let times: Vec<(&str, i64)> = heads.iter().map(|(put, agent, _)| (agent.as_str(), ctx.when(*put))).collect();
    let mut out = Vec::new();
    for ((put, agent, req), (t0, t1)) in heads.iter().zip(login_episodes(&times)) {
        if let Some(f) = sign_in(Builder::new(ctx).within_episode(t0, t1), *put, req, agent, &nocaches) {
            out.push(f);
        }
    }
    out
}

/// How long before its PUT a sign-in's own records may lie (the desktop's GETs by nocache).
const PRE_PUT_MS: i64 = 180_000;

/// The agent of the sign-in whose login PUT is `put`: the first agent ID on the PUT's records
/// (those of its requestId around it; all of them when the PUT is untimed).
/// `first_agents` keeps, per requestId, the first of its records that names an agent, so that
/// many untimed PUTs sharing one requestId walk its records once, not once each.
fn agent_of(ctx: &Ctx, put: usize, req: &str, first_agents: &mut HashMap<String, Option<(usize, String)>>) -> Option<String> {
    let agent_on = |i: usize| ctx.id_of(i, IdKind::Agent).map(|a| (i, a));
    // Index lists run in timeline order; "first" is in record order, as the files have them.
    let first_in = |mut recs: Vec<u32>| {
        recs.sort_unstable();
        recs.iter().find_map(|&i| agent_on(i as usize))
    };
    let t = ctx.when(put);
    let on_req = if t == i64::MIN {
        first_agents.entry(req.to_string()).or_insert_with(|| first_in(ctx.idx.get(IdKind::RequestId, req).to_vec())).clone()
    } else {
        first_in(ctx.id_within(IdKind::RequestId, req, t.saturating_sub(REQUEST_WINDOW_MS), t.saturating_add(REQUEST_WINDOW_MS)))
    };
    // The PUT itself counts where it comes first.
    [agent_on(put), on_req].into_iter().flatten().min_by_key(|(i, _)| *i).map(|(_, a)| a)
}

/// Each sign-in's `[t0, t1)` on the timeline, given its agent and PUT time: it ends where the
/// agent's next sign-in begins (`PRE_PUT_MS` before that PUT, or halfway when they are closer).
/// PUTs of one agent at the same instant share an episode; untimed PUTs are not bounded.
fn login_episodes(heads: &[(&str, i64)]) -> Vec<(i64, i64)> {
    let mut times: Vec<(&str, i64)> = heads.iter().copied().filter(|h| h.1 != i64::MIN).collect();
    times.sort_unstable();
    times.dedup();
    let mut bounds: std::collections::HashMap<(&str, i64), (i64, i64)> = std::collections::HashMap::new();
    for agent in times.chunk_by(|a, b| a.0 == b.0) {
        let spans: Vec<(i64, i64)> = agent.iter().map(|&(_, t)| (t, t)).collect();
        bounds.extend(agent.iter().copied().zip(episode_bounds(&spans, PRE_PUT_MS)));
    }
    heads.iter().map(|h| bounds.get(h).copied().unwrap_or((i64::MIN, i64::MAX))).collect()
}

fn sign_in(mut b: Builder, put: usize, req: &str, agent: &str, nocaches: &[(i64, String)]) -> Option<Box<Flow>> {
    let ctx = b.ctx;
    b.add(put);
    b.add_id(&(IdKind::RequestId, req.to_string()), |_| true);
    // When the PUT happened: a timed record with the requestId, else the Update's stateChangeTime.
    let t_put = b
        .recs
        .iter()
        .filter_map(|&i| ctx.time(i))
        .min()
        .or_else(|| b.recs.iter().filter_map(|&i| ctx.rec(i).and_then(|r| field(r, "stateChangeTime"))).find_map(iso_ms));
    // GETs before the PUT, by nocache (epoch ms).
    if let Some(t) = t_put {
        let user_path = format!("User/{agent}");
        let lo = nocaches.partition_point(|(n, _)| *n < t - 180_000);
        let hi = nocaches.partition_point(|(n, _)| *n <= t + 10_000);
        for (n, v) in nocaches.get(lo..hi).unwrap_or(&[]) {
            let recs = ctx.idx.get(IdKind::Nocache, v);
            let relevant = recs.iter().any(|&r| {
                let t = ctx.text(r as usize);
                contains(t, "SystemInfo") || contains(t, &user_path)
            });
            if relevant {
                let before = b.recs.len();
                b.add_id(&(IdKind::Nocache, v.clone()), |_| true);
                if b.recs.len() > before {
                    b.links.push(format!("nocache {v} is client time {} — {} s before the PUT", crate::time::iso_utc(*n), (t - n) / 1000));
                }
            }
        }
    }
    // Webservices request chains, client responses, notification-service HTTP wire lines.
    for _ in 0..12 {
        let before = b.recs.len();
        b.add_neighbours(|i, j| {
            let (Some(a), Some(c)) = (ctx.rec(i), ctx.rec(j)) else { return false };
            match a.lane() {
                Lane::Webservices => {
                    j == i + 1
                        && a.component_sym() == c.component_sym()
                        && matches!(c.name(), Some("API_REQUEST") | Some("REGISTER_API_STATS_OBJECT") | Some("REQUEST_END"))
                }
                Lane::Notification => j == i + 1 && (c.component() == Some("httpclient.wire") || ctx.text(j).contains("Adding Host")),
                _ => false,
            }
        });
        if b.recs.len() == before {
            break;
        }
    }
    // Per file, records of this agent between the flow's first and last record there (server logs
    // are shared by all agents, so only agent-linked ones), and client-log records in that range.
    let mut span: std::collections::BTreeMap<u32, (usize, usize)> = std::collections::BTreeMap::new();
    for &i in &b.recs {
        if let Some(r) = ctx.rec(i) {
            let e = span.entry(r.file()).or_insert((i, i));
            e.0 = e.0.min(i);
            e.1 = e.1.max(i);
        }
    }
    // The agent's records during the sign-in only (an agent logs all day): the flow's span so far
    // and a minute around the PUT.
    let (mut w0, mut w1) = b.span();
    if let Some(p) = t_put {
        w0 = w0.min(p - 60_000);
        w1 = w1.max(p + 60_000);
    }
    let agent_recs: Vec<usize> = ctx.within(ctx.idx.get(IdKind::Agent, agent), w0, w1).into_iter().map(|r| r as usize).collect();
    for &r in &agent_recs {
        let Some(rec) = ctx.rec(r) else { continue };
        if b.has(r) {
            continue;
        }
        if let Some(&(lo, hi)) = span.get(&rec.file()) {
            if r > lo && r < hi {
                b.add_because(r, format!("names agent {agent} and lies between flow records in the same file"));
                continue;
            }
        }
        // The CTI server's agent events: in the time window, or by LOGIN state when untimed.
        if matches!(rec.name(), Some("AGENT_EVENT") | Some("AGENT_STATE_EVENT")) {
            let ok = match (ctx.time(r), t_put) {
                (Some(t), Some(p)) => t >= p - 5_000 && t <= p + 60_000,
                _ => field(rec, "SkgState").or_else(|| field(rec, "SkillGroupState")) == Some("LOGIN"),
            };
            if ok {
                b.add_because(
                    r,
                    format!("is a CTI agent event for agent {agent} in the LOGIN (matched by agent and state; the CTI log's time is not comparable)"),
                );
            }
        }
        // The notification service fetching the user.
        if rec.lane() == Lane::Notification && field(rec, "wire").is_some_and(|w| w.starts_with("GET ")) {
            let ok = match (ctx.time(r), t_put) {
                (Some(t), Some(p)) => (t - p).abs() <= 60_000,
                _ => true,
            };
            if ok {
                b.add_because(r, format!("is the notification service's GET of User/{agent}"));
            }
        }
    }
    for _ in 0..12 {
        let before = b.recs.len();
        b.add_neighbours(|i, j| {
            let (Some(a), Some(c)) = (ctx.rec(i), ctx.rec(j)) else { return false };
            a.lane() == Lane::Notification && j == i + 1 && (c.component() == Some("httpclient.wire") || ctx.text(j).contains("Adding Host"))
        });
        if b.recs.len() == before {
            break;
        }
    }
    // Client log: everything from the first to the last flow record, plus the "logged in" line.
    let client_files: BTreeSet<u32> = b.recs.iter().filter_map(|&i| ctx.rec(i)).filter(|r| r.lane() == Lane::Desktop).map(|r| r.file()).collect();
    let mut span: std::collections::BTreeMap<u32, (usize, usize)> = std::collections::BTreeMap::new();
    for &i in &b.recs {
        if let Some(r) = ctx.rec(i) {
            if client_files.contains(&r.file()) || r.lane() == Lane::Tomcat {
                let e = span.entry(r.file()).or_insert((i, i));
                e.0 = e.0.min(i);
                e.1 = e.1.max(i);
            }
        }
    }
    let mut ips: BTreeSet<&str> = BTreeSet::new();
    for &i in &b.recs {
        if let Some(r) = ctx.rec(i) {
            if r.lane() == Lane::Tomcat && field(r, "user").is_some_and(|u| u != "-") {
                if let Some(ip) = field(r, "client_ip") {
                    ips.insert(ip);
                }
            }
        }
    }
    for (&file, &(lo, hi)) in &span {
        let client = client_files.contains(&file);
        let (from, to) = if client { (lo, hi + 3) } else { (lo.saturating_sub(200), lo) };
        for j in from..=to {
            let Some(r) = ctx.rec(j) else { break };
            if r.file() != file || b.has(j) {
                continue;
            }
            if client {
                b.add_because(j, format!("in agent {agent}'s desktop log during the sign-in"));
            } else if field(r, "client_ip").is_some_and(|ip| ips.contains(ip)) && field(r, "uri").is_some_and(|u| u == "/" || u.starts_with("/desktop")) {
                b.add_because(j, "loads the desktop from the same client IP as the gadget request".to_string());
            }
        }
    }
    super::har_flows::channel_up(ctx, &mut b, put, agent);
    let key = format!("agent {agent}, requestId {req}");
    b.finish("agent-sign-in", key, |ctx, i| classify(ctx, i, agent))
}

fn classify(ctx: &Ctx, i: usize, agent: &str) -> Option<StepSpec> {
    let r = ctx.rec(i)?;
    let text = ctx.text(i);
    let name = r.name().unwrap_or_default();
    // Made only for the labels that show them.
    let nocache = || field(r, "nocache").map(|n| format!(" (nocache {n})")).unwrap_or_default();
    let req = field(r, "requestId").or_else(|| field(r, "request_identifer"));
    let req_s = || req.map(|q| format!(" (requestId {q})")).unwrap_or_default();
    let system = contains(text, "SystemInfo");
    let base = if system { 10 } else { 30 };
    Some(match r.lane() {
        Lane::Tomcat => {
            let uri = field(r, "uri").unwrap_or_default();
            let status = field(r, "status").unwrap_or_default();
            if uri.starts_with("/finesse/api") || uri.starts_with("/gadgets") {
                let what = if uri.starts_with("/gadgets") { "GET /gadgets/makeRequest → SystemInfo" } else { "GET SystemInfo" };
                let nc = super::ids::nocache_in(uri).map(|n| format!(" (nocache {n})")).unwrap_or_default();
                StepSpec::new(base + 1, DESKTOP, TOMCAT, format!("{what} {status}{nc}"))
            } else if uri == "/" || uri.ends_with('/') {
                StepSpec::new(0, DESKTOP, TOMCAT, format!("GET {uri} {status}"))
            } else {
                StepSpec::new(0, DESKTOP, TOMCAT, "GET desktop resource 200")
            }
        }
        Lane::Desktop => {
            if contains(text, "Making REST request") {
                let what = if system { "GET SystemInfo".to_string() } else { format!("GET User/{agent}") };
                StepSpec::new(base, DESKTOP, WEBSERVICES, format!("{what}{}", nocache()))
            } else if contains(text, "IN_SERVICE") {
                StepSpec::new(13, DESKTOP, DESKTOP, "SystemInfo status IN_SERVICE")
            } else if contains(name, "_connInfoHandler") || contains(name, "_onDisconnect") || contains(text, "BOSH") {
                let label = if contains(text, "BOSH established") {
                    "BOSH established".to_string()
                } else if let Some(p) = find_in(text, "Connection status: ") {
                    format!("BOSH {}", text.get(p + 19..).unwrap_or("").lines().next().unwrap_or("").trim())
                } else if contains(name, "_onDisconnect") {
                    "BOSH retry after disconnect".to_string()
                } else {
                    "BOSH connecting".to_string()
                };
                StepSpec::new(20, DESKTOP, NOTIFICATION, label)
            } else if contains(text, "Performing login") {
                let ext = field(r, "extn").map(|e| format!(" extn={e}")).unwrap_or_default();
                StepSpec::new(40, DESKTOP, DESKTOP, format!("Performing login{ext}"))
            } else if contains(name, "_eventHandler") {
                let state = field(r, "state").unwrap_or_default();
                StepSpec::new(100, NOTIFICATION, DESKTOP, format!("Update {state} received{}", req_s()))
            } else if contains(name, "_triggerLoggedIn") || contains(text, "Successfully logged in") {
                StepSpec::new(110, DESKTOP, DESKTOP, "Successfully logged in")
            } else if let Some(st) = field(r, "status") {
                if req.is_some() {
                    StepSpec::new(43, WEBSERVICES, DESKTOP, format!("PUT User/{agent} returned {st}{}", req_s()))
                } else {
                    let state = field(r, "state").map(|s| format!(" state {s}")).unwrap_or_default();
                    let what = if system { "SystemInfo" } else { "User" };
                    StepSpec::new(base + 3, WEBSERVICES, DESKTOP, format!("{what} returned {st}{state}"))
                }
            } else {
                return None;
            }
        }
        Lane::Webservices => match name {
            "REQUEST_START" => {
                let res = field(r, "resource").unwrap_or_default();
                StepSpec::new(base + 2, TOMCAT, WEBSERVICES, format!("REQUEST_START GET {res}{}", nocache()))
            }
            "API_REQUEST" => {
                let m = field(r, "request_method").unwrap_or_default();
                if m.ends_with(".PUT") {
                    let p = field(r, "request_parameters").unwrap_or_default();
                    StepSpec::new(41, DESKTOP, WEBSERVICES, format!("PUT User/{agent} {p}{}", req_s()))
                } else {
                    StepSpec::new(base + 2, WEBSERVICES, WEBSERVICES, format!("API_REQUEST {m}"))
                }
            }
            "REGISTER_API_STATS_OBJECT" => return None,
            "REQUEST_END" => {
                let e = field(r, "elapsed_time").unwrap_or_default();
                // Which request this ends: the API_REQUEST / REQUEST_START just before it on the same thread.
                let mut stage = 32;
                for back in 1..=3 {
                    let Some(p) = i.checked_sub(back).and_then(|j| ctx.rec(j)) else { break };
                    if p.file() != r.file() || p.component_sym() != r.component_sym() {
                        break;
                    }
                    if field(p, "request_method").is_some_and(|m| m.ends_with(".PUT")) {
                        stage = 42;
                        break;
                    }
                    if ctx.text(i - back).contains("SystemInfo") {
                        stage = 12;
                        break;
                    }
                }
                StepSpec::new(stage, WEBSERVICES, WEBSERVICES, format!("REQUEST_END {e} ms"))
            }
            "PRESENCE_NOTIFICATION_RECIEVED" => {
                let p = field(r, "presenceType").unwrap_or_default();
                StepSpec::new(21, NOTIFICATION, WEBSERVICES, format!("presence {p} ({agent})"))
            }
            "MESSAGE_TO_CTI_SERVER" => {
                let m = field(r, "cti_message_name").unwrap_or_default();
                let st = field(r, "agentStateName").unwrap_or_default();
                let inv = field(r, "InvokeID").map(|v| format!(" (InvokeID {v})")).unwrap_or_default();
                StepSpec::new(50, WEBSERVICES, CTI, format!("{m} {st}{inv}"))
            }
            "DECODED_MESSAGE_FROM_CTI_SERVER" | "MESSAGE_FROM_CTI_SERVER" => {
                let m = field(r, "cti_message_class").or_else(|| field(r, "cti_message_name")).unwrap_or_default();
                let st = field(r, "agentStateName").unwrap_or_default();
                StepSpec::new(70, CTI, WEBSERVICES, format!("{m} {st}"))
            }
            "XMPP_PUBLISH_ASYNCHRONOUS" => {
                let node = field(r, "node").unwrap_or_default();
                StepSpec::new(80, WEBSERVICES, NOTIFICATION, format!("XMPP publish Update to {node}{}", req_s()))
            }
            _ => return None,
        },
        Lane::Cti => {
            let m = field(r, "MessageType").unwrap_or(name);
            let st = field(r, "AgentState").unwrap_or_default();
            StepSpec::new(60, CTI, WEBSERVICES, format!("{m} {st}"))
        }
        Lane::Notification => {
            if let Some(w) = field(r, "wire") {
                if w.is_empty() {
                    return None;
                }
                let out = field(r, "direction") == Some("out");
                if out {
                    StepSpec::new(33, NOTIFICATION, WEBSERVICES, format!("HTTP {w}"))
                } else {
                    StepSpec::new(33, WEBSERVICES, NOTIFICATION, format!("HTTP {w}"))
                }
            } else if contains(text, "Adding Host") {
                return None;
            } else if req.is_some() || has_any(text, &["Update"]) {
                let fail = field(r, "routeFailure").map(|f| format!(" — {f}")).unwrap_or_default();
                StepSpec::new(90, NOTIFICATION, DESKTOP, format!("route Update{}{fail}", req_s()))
            } else {
                return None;
            }
        }
        Lane::Browser => return super::har_flows::sign_in_step(ctx, i, agent),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agents_sign_ins_cut_the_day_into_episodes() {
        let min = 60_000;
        // Agent a signs in at 0, 90 s and one hour; b in between does not cut a's episodes.
        let heads = [("a", 0), ("b", 30_000), ("a", 90_000), ("a", 60 * min), ("c", i64::MIN)];
        let ep = login_episodes(&heads);
        assert_eq!(ep[0], (i64::MIN, 45_000), "halfway to a sign-in 90 s later");
        assert_eq!(ep[1], (i64::MIN, i64::MAX), "b signs in once");
        assert_eq!(ep[2], (45_000, 60 * min - 3 * min), "up to PRE_PUT_MS before the next one");
        assert_eq!(ep[3], (57 * min, i64::MAX));
        assert_eq!(ep[4], (i64::MIN, i64::MAX), "untimed PUTs are not bounded");
        // Two PUTs of one agent at the same instant share one episode.
        let same = login_episodes(&[("a", 0), ("a", 0), ("a", 10_000)]);
        assert_eq!(same[0], same[1]);
        assert_eq!(same[0], (i64::MIN, 5_000));
    }
}
