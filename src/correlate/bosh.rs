//! `notification-session`: one BOSH session's life on the Notification service (Openfire) and what
//! Finesse does when it ends — polls and "last active" checks, the idle close, the unavailable
//! presence, the PRESENCE DRIVEN LOGOUT with reason 255, and the user update stored offline.

use super::flows::{episodes, values_of, Builder, Ctx, StepSpec};
use super::ids::{field, IdKind};
use super::participants::*;
use super::{Finding, Flow, Flows};
use crate::kinds::Lane;
use std::collections::HashMap;

/// After the last record of a session, how long Finesse may take to log the agent out
/// (UCCE: up to 120 s to notice, then 60 s).
const LOGOUT_WINDOW_MS: i64 = 240_000;

/// The Finesse server side of a notification session: the XMPP server and the web services.
fn server_side(lane: Lane) -> bool {
    matches!(lane, Lane::Notification | Lane::Webservices)
}

/// The notification-session flows (one per episode of each BOSH sid) and the rid gaps found in
/// them.
pub fn flows(ctx: &Ctx) -> (Flows, Vec<Finding>) {
    // Agent → timed server-side records, sorted by time (one pass, then binary search per session).
    let mut by_agent: HashMap<&str, Vec<(i64, usize)>> = HashMap::new();
    for (v, recs) in ctx.idx.of_kind(IdKind::Agent) {
        let mut list: Vec<(i64, usize)> = recs
            .iter()
            .map(|&r| r as usize)
            .filter(|&r| ctx.rec(r).is_some_and(|x| server_side(x.lane())))
            .filter_map(|r| ctx.time(r).map(|t| (t, r)))
            .collect();
        if !list.is_empty() {
            list.sort();
            by_agent.insert(v, list);
        }
    }
    let mut out = Vec::new();
    let mut found = Vec::new();
    for (sid, all) in values_of(ctx, IdKind::BoshSid) {
        let eps = episodes(ctx, all, SESSION_GAP_MS, SESSION_GRACE_MS, |r| ctx.rec(r).and_then(|x| x.name()).is_some_and(|n| ENDS.contains(&n)));
        let n = eps.len();
        for (k, recs) in eps.into_iter().enumerate() {
            let tag = if n > 1 { format!(" #{}", k + 1) } else { String::new() };
            found.extend(rid_gaps(ctx, sid, &recs));
            if let Some(f) = session(ctx, sid, &tag, &recs, &by_agent) {
                out.push(f);
            }
        }
    }
    (out, found)
}

/// Records that end a session's life: the next record with the same sid starts a new episode.
const ENDS: &[&str] = &["CLOSING_IDLE_SESSION", "SESSION_CLOSED", "BOSH_TERMINATE", "UNKNOWN_SID", "STREAM_TERMINATE"];

/// A pause in a sid's records this long means a new session reusing the sid (a live session
/// holds a request at all times and is closed after its inactivity limit, about a minute).
const SESSION_GAP_MS: i64 = 10 * 60_000;

/// After a session's end, records with its sid this close still belong to it (the client's last
/// request answered item-not-found, the close logged by a second log).
const SESSION_GRACE_MS: i64 = 60_000;

/// One episode of a BOSH session: its records, and what Finesse did for its agent around its end.
fn session(ctx: &Ctx, sid: &str, tag: &str, recs: &[u32], by_agent: &HashMap<&str, Vec<(i64, usize)>>) -> Option<Box<Flow>> {
    let mut b = Builder::new(ctx);
    for &r in recs {
        b.add(r as usize);
    }
    if recs.len() >= 2 {
        let all: Vec<usize> = recs.iter().map(|&r| r as usize).collect();
        b.links.push(format!("same BOSH sid {sid} in {}", b.locs(&all)));
    }
    let mut agents: Vec<String> = Vec::new();
    let mut jid = String::new();
    for &r in recs {
        for (k, v) in ctx.each_id(r as usize) {
            if k == IdKind::Agent && !agents.iter().any(|a| *a == v) {
                agents.push(v.into_owned());
            }
        }
        if jid.is_empty() {
            if let Some(j) = ctx.rec(r as usize).and_then(|x| field(x, "jid").or_else(|| field(x, "JID"))) {
                jid = j.to_string();
            }
        }
    }
    let times: Vec<i64> = recs.iter().filter_map(|&r| ctx.time(r as usize)).collect();
    if let (Some(&t0), Some(&t1)) = (times.iter().min(), times.iter().max()) {
        for a in &agents {
            let Some(list) = by_agent.get(a.as_str()) else { continue };
            // Around the session's end: what Finesse did when the session went away.
            let lo = list.partition_point(|(t, _)| *t < t0.max(t1 - 60_000));
            let hi = list.partition_point(|(t, _)| *t <= t1 + LOGOUT_WINDOW_MS);
            let mut added: Vec<usize> = Vec::new();
            for &(_, r) in list.get(lo..hi).unwrap_or(&[]) {
                if !b.has(r) && b.add(r) {
                    added.push(r);
                }
            }
            if !added.is_empty() {
                b.links.push(format!(
                    "agent {a} (JID of session {sid}) in {} from 60 s before to {} s after the session's last record",
                    b.locs(&added),
                    LOGOUT_WINDOW_MS / 1000
                ));
            }
        }
    }
    let key = if jid.is_empty() { format!("sid {sid}{tag}") } else { format!("sid {sid}{tag} ({jid})") };
    b.finish("notification-session", key, |ctx, i| classify(ctx, i, sid))
}

/// Request ids that jump within one session episode: requests the server never logged.
fn rid_gaps(ctx: &Ctx, sid: &str, recs: &[u32]) -> Vec<Finding> {
    let mut rids: Vec<(i64, usize)> =
        recs.iter().filter_map(|&r| ctx.rec(r as usize).and_then(|x| field(x, "rid")).and_then(|s| s.parse::<i64>().ok()).map(|n| (n, r as usize))).collect();
    rids.sort();
    rids.dedup_by_key(|p| p.0);
    let mut out = Vec::new();
    for w in rids.windows(2) {
        let &[a, b] = w else { continue };
        // A jump of thousands is a new session that reused the sid, not lost requests.
        if b.0 - a.0 > 1 && b.0 - a.0 < 1000 {
            out.push(Finding::new(
                "rid-gap",
                "warning",
                format!(
                    "BOSH session {sid}: request id jumps from {} to {} ({} missing) between {} and {}. Missing rids are requests the server \
                     never logged: check proxies/load balancers between the desktop and port 7443 and the client log for failed http-bind calls.",
                    a.0,
                    b.0,
                    b.0 - a.0 - 1,
                    ctx.loc(a.1),
                    ctx.loc(b.1)
                ),
                vec![a.1, b.1],
            ));
        }
    }
    out
}

fn classify(ctx: &Ctx, i: usize, sid: &str) -> Option<StepSpec> {
    let r = ctx.rec(i)?;
    // An HTTP exchange (or WebSocket frame) recorded by the browser (HAR).
    if r.lane() == Lane::Browser && (r.has("method") || r.has("frame")) {
        return super::har_flows::bosh_step(ctx, i, sid);
    }
    let name = r.name().map(str::to_string).unwrap_or_default();
    let known = matches!(
        name.as_str(),
        "HTTP_RECV"
            | "HTTP_SEND"
            | "HTTP_RECVC"
            | "consumeResponse"
            | "SESSION_LAST_ACTIVE"
            | "CLOSING_IDLE_SESSION"
            | "SESSION_CLOSED"
            | "PRESENCE_NOTIFICATION_RECIEVED"
            | "UNSUBSCRIBE_REQUEST_SUCCESS"
            | "AGENT_PRESENCE_MONITOR"
            | "PRESENCE DRIVEN LOGOUT"
            | "MESSAGE_TO_CTI_SERVER"
            | "DECODED_MESSAGE_FROM_CTI_SERVER"
            | "MESSAGE_FROM_CTI_SERVER"
            | "XMPP_PUBLISH_ASYNCHRONOUS"
            // Any BOSH server's or client's log (Prosody, ejabberd, node-xmpp-bosh, Strophe
            // consoles, wire traces, saved bodies): see `other_source`.
            | "BOSH_REQUEST"
            | "BOSH_RESPONSE"
            | "BOSH_TERMINATE"
            | "SESSION_CREATED"
            | "SESSION_INACTIVE"
            | "SESSION_ACTIVE"
            | "RID_SKIPPED"
            | "UNKNOWN_SID"
            | "STREAM_TERMINATE"
            | "XMPP_MESSAGE"
            | "XMPP_PRESENCE"
            | "XMPP_IQ"
    );
    if !known && !r.has("routeFailure") {
        return None;
    }
    let agent = if matches!(name.as_str(), "SESSION_CLOSED" | "PRESENCE_NOTIFICATION_RECIEVED" | "PRESENCE DRIVEN LOGOUT") {
        ctx.id_of(i, IdKind::Agent).unwrap_or_default()
    } else {
        String::new()
    };
    Some(match name.as_str() {
        "HTTP_RECV" | "HTTP_SEND" | "HTTP_RECVC" => StepSpec::new(10, DESKTOP, NOTIFICATION, format!("BOSH poll (sid {sid})")),
        "consumeResponse" => StepSpec::new(10, NOTIFICATION, DESKTOP, format!("BOSH response (sid {sid})")),
        "SESSION_LAST_ACTIVE" => {
            let ms = field(r, "lastActiveMs").unwrap_or_default();
            StepSpec::new(10, NOTIFICATION, NOTIFICATION, format!("session {sid} last active {ms} ms ago"))
        }
        "CLOSING_IDLE_SESSION" => match field(r, "inactivityThreshold") {
            Some(th) => StepSpec::new(20, NOTIFICATION, NOTIFICATION, format!("closing idle session {sid} (inactive > {th} s)")),
            None => StepSpec::new(20, NOTIFICATION, NOTIFICATION, format!("closing idle session {sid}")),
        },
        "SESSION_CLOSED" => {
            let who = if agent.is_empty() { field(r, "jid").or_else(|| field(r, "reason")).unwrap_or_default() } else { &agent };
            StepSpec::new(21, NOTIFICATION, NOTIFICATION, format!("session closed for {who}"))
        }
        "PRESENCE_NOTIFICATION_RECIEVED" => {
            let p = field(r, "presenceType").unwrap_or_default();
            StepSpec::new(30, NOTIFICATION, WEBSERVICES, format!("presence {p} ({agent})"))
        }
        "UNSUBSCRIBE_REQUEST_SUCCESS" => {
            let n = field(r, "node").unwrap_or_default();
            StepSpec::new(31, WEBSERVICES, NOTIFICATION, format!("unsubscribe {n}"))
        }
        "AGENT_PRESENCE_MONITOR" => {
            let m = field(r, "message_string").unwrap_or_default();
            StepSpec::new(32, WEBSERVICES, WEBSERVICES, m.trim_end_matches('.').to_string())
        }
        "PRESENCE DRIVEN LOGOUT" => StepSpec::new(40, WEBSERVICES, WEBSERVICES, format!("PRESENCE DRIVEN LOGOUT agent {agent}")),
        "MESSAGE_TO_CTI_SERVER" => {
            let m = field(r, "cti_message_name").unwrap_or_default();
            let st = field(r, "agentStateName").unwrap_or_default();
            let rc = field(r, "reasonCode").map(|v| format!(" reason {v}")).unwrap_or_default();
            let inv = field(r, "InvokeID").map(|v| format!(" (InvokeID {v})")).unwrap_or_default();
            StepSpec::new(41, WEBSERVICES, CTI, format!("{m} {st}{rc}{inv}"))
        }
        "DECODED_MESSAGE_FROM_CTI_SERVER" | "MESSAGE_FROM_CTI_SERVER" => {
            let m = field(r, "cti_message_class").unwrap_or_default();
            let st = field(r, "agentStateName").unwrap_or_default();
            let rc = field(r, "eventReasonCode").map(|v| format!(" reason {v}")).unwrap_or_default();
            StepSpec::new(42, CTI, WEBSERVICES, format!("{m} {st}{rc}"))
        }
        "XMPP_PUBLISH_ASYNCHRONOUS" => {
            let n = field(r, "node").unwrap_or_default();
            StepSpec::new(43, WEBSERVICES, NOTIFICATION, format!("XMPP publish Update to {n}"))
        }
        n @ ("BOSH_REQUEST" | "BOSH_RESPONSE" | "BOSH_TERMINATE" | "SESSION_CREATED" | "SESSION_INACTIVE" | "SESSION_ACTIVE" | "RID_SKIPPED"
        | "UNKNOWN_SID" | "STREAM_TERMINATE" | "XMPP_MESSAGE" | "XMPP_PRESENCE" | "XMPP_IQ") => other_source(ctx, i, n, sid)?,
        _ if field(r, "routeFailure").is_some() => {
            let n = field(r, "node").unwrap_or_default();
            let f = field(r, "routeFailure").unwrap_or_default();
            StepSpec::new(44, NOTIFICATION, NOTIFICATION, format!("unable to route Update {n}: {}", f.trim_end_matches('.')))
        }
        _ => return None,
    })
}

/// A step from any BOSH server's or client's log. The client is the desktop seen from a server's
/// log, and the log's own lifeline (the browser) when the client wrote it.
fn other_source(ctx: &Ctx, i: usize, name: &str, sid: &str) -> Option<StepSpec> {
    let r = ctx.rec(i)?;
    let client = if r.role() == crate::kinds::Role::Client { lifeline(r.rec) } else { DESKTOP };
    let f = |k: &'static str| field(r, k);
    // Who sent it, when the log says so (`sent`/`in`: from the client).
    let from_client = f("direction").map(|d| matches!(d, "sent" | "in" | "RECV" | "RECVC"));
    let payload = || {
        let what = [f("stanza"), f("node").or_else(|| f("stanzaType"))].into_iter().flatten().collect::<Vec<_>>().join(" ");
        if !what.is_empty() {
            format!(": {what}")
        } else if f("emptyBody").is_some() {
            " (empty)".to_string()
        } else {
            String::new()
        }
    };
    Some(match name {
        "BOSH_REQUEST" => {
            let rid = f("rid").map(|v| format!(" rid {v}")).unwrap_or_default();
            StepSpec::new(10, client, NOTIFICATION, format!("BOSH request{rid}{}", payload()))
        }
        "BOSH_RESPONSE" => StepSpec::new(10, NOTIFICATION, client, format!("BOSH response{}", payload())),
        "SESSION_CREATED" => {
            let limits: Vec<String> = ["wait", "inactivity"].iter().filter_map(|k| f(k).map(|v| format!("{k} {v} s"))).collect();
            let limits = if limits.is_empty() { String::new() } else { format!(" ({})", limits.join(", ")) };
            StepSpec::new(5, NOTIFICATION, client, format!("BOSH session {sid} created{limits}"))
        }
        "BOSH_TERMINATE" | "UNKNOWN_SID" => {
            let cond = f("condition");
            let label = match (name, &cond) {
                ("UNKNOWN_SID", _) => format!("unknown sid {sid}: terminate item-not-found"),
                (_, Some(c)) => format!("terminate: {c}"),
                (_, None) => "terminate".to_string(),
            };
            // A terminate with a condition comes from the server; without one, from whoever wrote it.
            if from_client == Some(true) || (cond.is_none() && f("rid").is_some() && from_client.is_none()) {
                StepSpec::new(25, client, NOTIFICATION, label)
            } else {
                StepSpec::new(26, NOTIFICATION, client, label)
            }
        }
        "STREAM_TERMINATE" => StepSpec::new(24, client, NOTIFICATION, "stream terminate request"),
        "SESSION_INACTIVE" => {
            let s = f("inactivity").map(|v| format!(" (closed after {v} s without a request)")).unwrap_or_default();
            StepSpec::new(10, NOTIFICATION, NOTIFICATION, format!("no request held: session inactive{s}"))
        }
        "SESSION_ACTIVE" => StepSpec::new(10, NOTIFICATION, NOTIFICATION, "session active again"),
        "RID_SKIPPED" => StepSpec::new(10, NOTIFICATION, NOTIFICATION, format!("rid {} missing: request deferred", f("missingRid").unwrap_or_default())),
        _ => {
            // A stanza on its own (WebSocket frame, server debug line).
            if from_client == Some(true) {
                StepSpec::new(10, client, NOTIFICATION, format!("XMPP{}", payload()))
            } else {
                StepSpec::new(10, NOTIFICATION, client, format!("XMPP{}", payload()))
            }
        }
    })
}
