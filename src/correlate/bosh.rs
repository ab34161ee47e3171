//! `notification-session`: one BOSH session's life on the Notification service (Openfire) and what
//! Finesse does when it ends — polls and "last active" checks, the idle close, the unavailable
//! presence, the PRESENCE DRIVEN LOGOUT with reason 255, and the user update stored offline.

use super::flows::{values_of, Builder, Ctx, StepSpec};
use super::ids::{field, IdKind};
use super::participants::*;
use super::Flow;
use crate::kinds::Lane;
use std::collections::HashMap;

/// After the last record of a session, how long Finesse may take to log the agent out
/// (UCCE: up to 120 s to notice, then 60 s).
const LOGOUT_WINDOW_MS: i64 = 240_000;

/// The Finesse server side of a notification session: the XMPP server and the web services.
fn server_side(lane: Lane) -> bool {
    matches!(lane, Lane::Notification | Lane::Webservices)
}

pub fn flows(ctx: &Ctx) -> Vec<Flow> {
    // Agent → timed server-side records, sorted by time (one pass, then binary search per session).
    let mut by_agent: HashMap<&str, Vec<(i64, usize)>> = HashMap::new();
    for ((k, v), recs) in &ctx.idx.map {
        if *k != IdKind::Agent {
            continue;
        }
        let mut list: Vec<(i64, usize)> = recs
            .iter()
            .map(|&r| r as usize)
            .filter(|&r| ctx.rec(r).is_some_and(|x| server_side(crate::formats::lane_of(x))))
            .filter_map(|r| ctx.time(r).map(|t| (t, r)))
            .collect();
        if !list.is_empty() {
            list.sort();
            by_agent.insert(v.as_str(), list);
        }
    }
    let mut out = Vec::new();
    for (sid, recs) in values_of(ctx, IdKind::BoshSid) {
        let mut b = Builder::new(ctx);
        for &r in &recs {
            b.add(r as usize);
        }
        if recs.len() >= 2 {
            let all: Vec<usize> = recs.iter().map(|&r| r as usize).collect();
            b.links.push(format!("same BOSH sid {sid} in {}", b.locs(&all)));
        }
        let mut agents: Vec<String> = Vec::new();
        let mut jid = String::new();
        for &r in &recs {
            for (k, v) in ctx.ids(r as usize) {
                if k == IdKind::Agent && !agents.contains(&v) {
                    agents.push(v);
                }
            }
            if jid.is_empty() {
                if let Some(j) = ctx.rec(r as usize).and_then(|x| field(x, "jid").or_else(|| field(x, "JID"))) {
                    jid = j;
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
        let key = if jid.is_empty() { format!("sid {sid}") } else { format!("sid {sid} ({jid})") };
        if let Some(f) = b.finish("notification-session", key, |ctx, i| classify(ctx, i, &sid)) {
            out.push(f);
        }
    }
    out
}

fn classify(ctx: &Ctx, i: usize, sid: &str) -> Option<StepSpec> {
    let r = ctx.rec(i)?;
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
    );
    if !known && !r.fields().contains_key("routeFailure") {
        return None;
    }
    let agent = if matches!(name.as_str(), "SESSION_CLOSED" | "PRESENCE_NOTIFICATION_RECIEVED" | "PRESENCE DRIVEN LOGOUT") {
        ctx.ids(i).into_iter().find(|(k, _)| *k == IdKind::Agent).map(|(_, v)| v).unwrap_or_default()
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
        "CLOSING_IDLE_SESSION" => {
            let th = field(r, "inactivityThreshold").unwrap_or_default();
            StepSpec::new(20, NOTIFICATION, NOTIFICATION, format!("closing idle session {sid} (inactive > {th} s)"))
        }
        "SESSION_CLOSED" => StepSpec::new(21, NOTIFICATION, NOTIFICATION, format!("session closed for {agent}")),
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
        _ if field(r, "routeFailure").is_some() => {
            let n = field(r, "node").unwrap_or_default();
            let f = field(r, "routeFailure").unwrap_or_default();
            StepSpec::new(44, NOTIFICATION, NOTIFICATION, format!("unable to route Update {n}: {}", f.trim_end_matches('.')))
        }
        _ => return None,
    })
}
