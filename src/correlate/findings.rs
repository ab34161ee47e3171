//! Findings: what went wrong, the evidence records, and what to check next. Codes are stable:
//! `presence-driven-logout`, `bosh-idle-close`, `xmpp-route-failure`, `ece-no-agent`,
//! `ece-queue-full`, `ece-chat-available`, `arm-status-error`, `login-refused`, `task-not-handled`,
//! `rid-gap`, `rest-error`, `chat-stale-session`, `chat-no-rating`, `domain-unavailable`,
//! `bosh-terminated`, `decode-error` (plus `clock-skew` / `zone-inferred` from [`super::clock`], and
//! the browser captures' from [`super::findings_client`]).

use super::flows::Ctx;
use super::ids::{field, IdKind};
use super::{Finding, Flow};
use crate::formats::engine::{has as contains, has_any_case};
use crate::kinds::Lane;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Evidence records listed per finding at most.
pub const MAX_EVIDENCE: usize = 50;

pub fn findings(ctx: &Ctx, flows: &[Box<Flow>], notes: &BTreeMap<u32, super::NoteTally>) -> Vec<Finding> {
    let mut out = Vec::new();
    // Group some per-record observations in one pass.
    let mut rest: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut route: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut pdl: Vec<usize> = Vec::new();
    let mut idle: Vec<usize> = Vec::new();
    let mut stale: Vec<usize> = Vec::new();
    let mut ece_answers: Vec<usize> = Vec::new();
    // (sid, condition) → records: BOSH sessions ended with a terminal condition.
    let mut terminated: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for r in ctx.recs() {
        let i = r.index;
        if let Some(c) = field(r, "condition") {
            terminated.entry((field(r, "sid").unwrap_or_default().to_ascii_lowercase(), c.to_string())).or_default().push(i);
        }
        match r.name() {
            Some("PRESENCE DRIVEN LOGOUT") => pdl.push(i),
            Some("CLOSING_IDLE_SESSION") => idle.push(i),
            _ => {}
        }
        if let Some(f) = field(r, "routeFailure") {
            let target = field(r, "JID").or_else(|| field(r, "to")).or_else(|| field(r, "node")).unwrap_or_default();
            route.entry(format!("{target}\u{1}{f}")).or_default().push(i);
        }
        if super::findings_server::is_entry_point_answer(r) {
            ece_answers.push(i);
        }
        if let Some(st) = field(r, "Status") {
            arm_status(ctx, i, st, &mut out);
        }
        if super::flows::is_console(r.rec) {
            if let Some(state) = field(r, "state") {
                domain_unavailable(ctx, i, state, &mut out);
            }
        }
        if r.lane() == Lane::ChatGateway && field(r, "staleSessions").is_some_and(|n| n != "0") {
            stale.push(i);
        }
        http_error(ctx, i, &mut rest);
    }
    super::findings_server::ece_availability(ctx, &ece_answers, &mut out);
    for &i in &pdl {
        presence_logout(ctx, i, &mut out);
    }
    for &i in &idle {
        let Some(r) = ctx.rec(i) else { continue };
        let sid = field(r, "sid").unwrap_or_default();
        let jid = field(r, "jid").unwrap_or_default();
        // The session's records in the ten minutes up to the close.
        let w = ctx.when(i);
        let (w0, w1) = if w == i64::MIN { (i64::MAX, i64::MIN) } else { (w - 600_000, w) };
        let mut ev: Vec<usize> =
            ctx.within(ctx.idx.get(IdKind::BoshSid, &sid.to_ascii_lowercase()), w0, w1).into_iter().map(|x| x as usize).filter(|&x| x <= i).collect();
        if ev.len() > MAX_EVIDENCE {
            ev.drain(..ev.len() - MAX_EVIDENCE);
        }
        if !ev.contains(&i) {
            ev.push(i);
        }
        let last = ev
            .iter()
            .filter_map(|&x| ctx.rec(x).and_then(|r| field(r, "lastActiveMs")))
            .next_back()
            .map(|v| format!(" (last active {v} ms before)"))
            .or_else(|| {
                // Servers that say when the session stopped holding a request (Prosody).
                ev.iter()
                    .copied()
                    .rfind(|&x| x != i && ctx.rec(x).and_then(|r| r.name()) == Some("SESSION_INACTIVE"))
                    .map(|x| format!(" (no request held since {})", ctx.loc(x)))
            })
            .unwrap_or_default();
        let of = if jid.is_empty() { String::new() } else { format!(" of {jid}") };
        let limit = field(r, "inactivityThreshold")
            .or_else(|| ev.iter().rev().find_map(|&x| ctx.rec(x).and_then(|r| field(r, "inactivity"))))
            .map(|v| format!("more than {v} s"))
            .unwrap_or_else(|| "longer than its inactivity limit".into());
        out.push(Finding::new(
            "bosh-idle-close",
            "warning",
            format!(
                "The notification server closed idle BOSH session {sid}{of}{last}: the client stopped polling http-bind for {limit}. \
                 Evidence: {}. Check the client's network path to the http-bind port (7443 on Finesse), browser hangs or PC sleep, and whether a presence-driven logout followed.",
                ctx.loc(i)
            ),
            ev,
        ));
    }
    for ((sid, cond), recs) in terminated {
        bosh_terminated(ctx, &sid, &cond, recs, &mut out);
    }
    for (key, recs) in route {
        let mut parts = key.splitn(2, '\u{1}');
        let target = parts.next().unwrap_or("");
        let why = parts.next().unwrap_or("");
        let offline = contains(why, "offline");
        // Did the desktop get the same Update anyway (same requestId in a client log)?
        let delivered = recs.iter().find_map(|&i| {
            let req = ctx.rec(i).and_then(|r| field(r, "requestId"))?;
            ctx.idx
                .get(IdKind::RequestId, req)
                .iter()
                .map(|&x| x as usize)
                .find(|&x| ctx.rec(x).is_some_and(|r| matches!(r.lane(), Lane::Desktop | Lane::Browser)))
        });
        let mut recs = recs;
        if let Some(d) = delivered {
            recs.push(d);
        }
        let delivered_text = delivered
            .map(|d| format!(" The desktop nevertheless received the same Update ({}), so this one is informational.", ctx.loc(d)))
            .unwrap_or_default();
        out.push(Finding::new(
            "xmpp-route-failure",
            if delivered.is_some() { "info" } else { "warning" },
            format!(
                "Openfire could not route {} XMPP update(s) to {target}: \"{}\"{} ({}). \
                 {}{delivered_text}",
                recs.len() - usize::from(delivered.is_some()),
                why.trim_end_matches('.'),
                if offline { " — stored offline, the desktop had no session" } else { "" },
                recs.first().map(|&x| ctx.loc(x)).unwrap_or_default(),
                if offline {
                    "The agent's BOSH/WebSocket session was gone; check why the desktop disconnected (see bosh-idle-close / presence-driven-logout)."
                } else {
                    "Check whether the desktop still received the event (client log MasterPublisher with the same requestId); if not, check the desktop's notification connection and the JID resource."
                }
            ),
            recs.into_iter().take(MAX_EVIDENCE).collect(),
        ));
    }
    for (key, recs) in rest {
        out.push(Finding::new(
            "rest-error",
            "warning",
            format!(
                "REST error: {key} ({} time(s), first at {}). Check the request's parameters and the agent's state for that call, \
                 and the webservices log around that time for the ApiErrors reason.",
                recs.len(),
                recs.first().map(|&x| ctx.loc(x)).unwrap_or_default()
            ),
            recs.into_iter().take(MAX_EVIDENCE).collect(),
        ));
    }
    for &i in &stale {
        let mut ev = vec![i];
        for j in i + 1..i + 4 {
            if ctx.rec(j).is_some_and(|r| r.lane() == Lane::ChatGateway && field(r, "sessionId").is_some()) {
                ev.push(j);
            }
        }
        let n = ctx.rec(i).and_then(|r| field(r, "staleSessions")).unwrap_or_default();
        let sess = ev.iter().skip(1).find_map(|&j| ctx.rec(j).and_then(|r| field(r, "sessionId"))).unwrap_or_default();
        out.push(Finding::new(
            "chat-stale-session",
            "warning",
            format!(
                "The chat gateway's hourly check found {n} stale session(s) and destroyed them ({}{}). A session that outlives its chat means the gateway \
                 missed the end of the chat; check the gateway's SocialMiner polling and the agent's leave/close in that chat.",
                ctx.loc(i),
                if sess.is_empty() { String::new() } else { format!(", session {sess}") }
            ),
            ev,
        ));
    }
    for (k, f) in flows.iter().enumerate() {
        let before = out.len();
        match f.kind {
            "task-routing" => task_not_handled(ctx, f, &mut out),
            "uccx-chat" => chat_no_rating(ctx, f, &mut out),
            _ => {}
        }
        // A finding about a flow opens that flow.
        for found in &mut out[before..] {
            found.flow = Some(k);
        }
    }
    for (file, t) in notes {
        let name = ctx.s.files.get(*file as usize).map(|f| super::flows::short_name(&f.path).to_string()).unwrap_or_default();
        out.push(Finding::new(
            "decode-error",
            "info",
            format!(
                "{} record(s) in {name} could not be fully decoded (first: {} — {}). The records are kept with what could be read; \
                 check whether the log was cut or wrapped when it was collected.",
                t.count,
                t.records.first().map(|&i| ctx.loc(i)).unwrap_or_default(),
                t.first_note
            ),
            t.records.clone(),
        ));
    }
    // Kept while the server findings are made (the analysis' peak): no doubling's slack.
    out.shrink_to_fit();
    out
}

fn presence_logout(ctx: &Ctx, i: usize, out: &mut Vec<Finding>) {
    let Some(r) = ctx.rec(i) else { return };
    let agent = field(r, "agent_id").unwrap_or_default();
    let t = ctx.time(i);
    let mut ev: Vec<usize> = Vec::new();
    let mut reason255 = false;
    let mut unavailable: Option<usize> = None;
    // The agent's records from five minutes before the logout to a minute after (an agent logs
    // all day: only that window is read).
    let w = ctx.when(i);
    let (w0, w1) = if w == i64::MIN { (i64::MAX, i64::MIN) } else { (w - 300_000, w + 60_000) };
    for x in ctx.within(ctx.idx.get(IdKind::Agent, agent), w0, w1) {
        let x = x as usize;
        let Some(rx) = ctx.rec(x) else { continue };
        let near = match (t, ctx.time(x)) {
            (Some(a), Some(b)) => b >= a - 300_000 && b <= a + 60_000,
            _ => x.abs_diff(i) < 20,
        };
        if !near {
            continue;
        }
        let rc = field(rx, "reasonCode").or_else(|| field(rx, "eventReasonCode"));
        if rc == Some("255") {
            reason255 = true;
            ev.push(x);
        } else if field(rx, "presenceType") == Some("unavailable") {
            unavailable = Some(x);
            ev.push(x);
        } else if rx.name() == Some("CLOSING_IDLE_SESSION") || x == i {
            ev.push(x);
        }
    }
    if !ev.contains(&i) {
        ev.push(i);
    }
    ev.sort_by_key(|&x| (ctx.pos(x), x));
    let gap = match (unavailable.and_then(|u| ctx.time(u)), t) {
        (Some(a), Some(b)) => format!(" {:.1} s after its presence went unavailable", (b - a) as f64 / 1000.0),
        _ => String::new(),
    };
    out.push(Finding::new(
        "presence-driven-logout",
        "error",
        format!(
            "Agent {agent} was logged out by Finesse (PRESENCE DRIVEN LOGOUT at {}){gap}: the desktop's notification session (BOSH) went idle and the \
             Notification service closed it, so Finesse sent SetAgentStateReq LOGOUT{}. \
             Check the agent PC's network path to Finesse port 7443, browser hangs (other tabs, unsupported browser), PC sleep, \
             third-party tools, and NTP / server load at that time.",
            ctx.loc(i),
            if reason255 { " with reason code 255 (AgentStateEvent LOGOUT, eventReasonCode 255)" } else { "" }
        ),
        ev,
    ));
}

fn arm_status(ctx: &Ctx, i: usize, st: &str, out: &mut Vec<Finding>) {
    let Some(r) = ctx.rec(i) else { return };
    if st == "0" || !matches!(r.lane(), Lane::EceListener | Lane::Cti | Lane::Opc) {
        return;
    }
    let name = field(r, "StatusName").unwrap_or("unknown status");
    let msg = field(r, "MessageType").or(r.name()).unwrap_or_default();
    // CTI failures answering a request by InvokeID are reported with that request (`findings_server`).
    if msg.starts_with("FAILURE_") && r.get("InvokeID").and_then(|v| v.trim().parse::<u64>().ok()).is_some_and(|n| n > 0) {
        return;
    }
    let cause = super::findings_server::status_cause(name);
    let login = contains(msg, "LOGIN");
    let (code, sev) = if login { ("login-refused", "error") } else { ("arm-status-error", "error") };
    out.push(Finding::new(
        code,
        sev,
        format!(
            "{msg} returned ARM Status {st} ({name}) at {}{}. Usual cause: {cause}. {}",
            ctx.loc(i),
            field(r, "InvokeID").map(|v| format!(" for InvokeID {v}")).unwrap_or_default(),
            if login {
                "The media login was refused: check that the client's OPEN_REQ names an application path for this MRD/peripheral and that the agent is in a skill group of the MRD."
            } else {
                "Check the request's agent, MRD and task IDs against the CTI server log for the same InvokeID."
            }
        ),
        vec![i],
    ));
}

fn domain_unavailable(ctx: &Ctx, i: usize, state: &str, out: &mut Vec<Finding>) {
    // `[na-0:2,RD]`: flags after the comma; D = domain unavailable per application path.
    let flags = state.rsplit(',').next().unwrap_or("").trim_end_matches(']');
    if !state.starts_with('[') || !flags.contains('D') {
        return;
    }
    let Some(r) = ctx.rec(i) else { return };
    let domain = field(r, "domain").unwrap_or_default();
    out.push(Finding::new(
        "domain-unavailable",
        "error",
        format!(
            "rttest shows domain {domain} as {state} at {}: D means the domain is unavailable for the agent's application path, so tasks are not assigned. \
             This matches defect CSCvq11852 (ICM 11.5/11.6/12.0); check the fix for your version and the application path's connection (CTI server / ECE listener).",
            ctx.loc(i)
        ),
        vec![i],
    ));
}

fn http_error(ctx: &Ctx, i: usize, rest: &mut BTreeMap<String, Vec<usize>>) {
    let Some(r) = ctx.rec(i) else { return };
    if !matches!(r.lane(), Lane::Tomcat | Lane::Desktop | Lane::Browser | Lane::Webservices) {
        return;
    }
    let status = field(r, "status").or_else(|| field(r, "responseStatus")).and_then(|s| s.parse::<u32>().ok());
    let api_error = crate::formats::engine::has(ctx.text(i), "<ApiErrors>");
    if !(status.is_some_and(|s| (400..600).contains(&s)) || api_error) {
        return;
    }
    let what = field(r, "uri").or_else(|| field(r, "url")).or(r.name()).unwrap_or_default();
    let what = what.split('?').next().unwrap_or("").to_string();
    let method = field(r, "method").unwrap_or_default();
    let key = format!(
        "{}{}{} returned {}",
        method,
        if method.is_empty() { "" } else { " " },
        what,
        status.map(|s| s.to_string()).unwrap_or_else(|| "ApiErrors".into())
    );
    rest.entry(key).or_default().push(i);
}

fn task_not_handled(ctx: &Ctx, f: &Flow, out: &mut Vec<Finding>) {
    let mut offered: Option<usize> = None;
    let mut ended = false;
    for (st, label) in f.steps.labelled() {
        let l = label.as_ref();
        if offered.is_none() && (has_any_case(l, "OFFER_TASK") || has_any_case(l, "OFFERTASK")) {
            offered = Some(st.record());
        }
        if has_any_case(l, "END_TASK") || has_any_case(l, "ENDTASK") || has_any_case(l, "HANDLED") {
            ended = true;
        }
    }
    let Some(o) = offered else { return };
    if ended {
        return;
    }
    out.push(Finding::new(
        "task-not-handled",
        "warning",
        format!(
            // What to check next is the catalogue's (shown once per code): a day of logs can hold
            // thousands of these.
            "Task {} was offered ({}) but the logs show no END_TASK and no CCP 'handled' status: either the logs stop early, or the task is stuck.",
            f.key,
            ctx.loc(o)
        ),
        // Where it was offered and where the logs last speak of it: the flow (linked) holds the rest.
        match f.steps.iter().map(|s| s.last_record.get().unwrap_or(s.record())).max_by_key(|&r| ctx.pos(r)) {
            Some(last) if last != o => vec![o, last],
            _ => vec![o],
        },
    ));
}

fn chat_no_rating(ctx: &Ctx, f: &Flow, out: &mut Vec<Finding>) {
    // After each agent "left", a RATING_WAIT should come before the session is destroyed.
    let mut left: Option<usize> = None;
    let mut rating = false;
    for (st, label) in f.steps.labelled() {
        if contains(&label, "PresenceEvent left") {
            left = Some(st.record());
            rating = false;
        } else if contains(&label, "RATING_WAIT") || contains(&label, "rating") {
            rating = true;
        } else if label == "session destroyed" || label == "destroying session" {
            if let (Some(l), false) = (left, rating) {
                out.push(Finding::new(
                    "chat-no-rating",
                    "info",
                    format!(
                        "In {} the agent left ({}) and the session was destroyed ({}) without RATING_WAIT: no rating was asked. \
                         If ratings are enabled in the chat gateway configuration (ratingEnabled), check whether this was a different chat reusing the same \
                         Facebook session ID, or a chat that ended abnormally.",
                        f.key,
                        ctx.loc(l),
                        ctx.loc(st.record())
                    ),
                    vec![l, st.record()],
                ));
                left = None;
            }
        }
    }
}

/// A BOSH session ended by the connection manager with a terminal condition (XEP-0124 §17.2):
/// what the condition means, and whether the session had already gone idle or been closed.
fn bosh_terminated(ctx: &Ctx, sid: &str, cond: &str, recs: Vec<usize>, out: &mut Vec<Finding>) {
    let meaning = match cond {
        "item-not-found" => "the server no longer knew the session (it had been closed, e.g. for inactivity, or the request id was outside its window)",
        "policy-violation" => "the client polled too often or held more requests than allowed",
        "remote-connection-failed" => "the connection manager lost its connection to the XMPP server",
        "remote-stream-error" => "the XMPP server closed the stream with an error",
        "host-unknown" | "host-gone" | "improper-addressing" => "the domain the client asked for is not served here (or was missing)",
        "system-shutdown" => "the server was shutting down",
        "bad-request" => "the server could not read the request",
        "internal-server-error" => "the connection manager failed internally",
        "other-request" => "another request of the same session ended it",
        "see-other-uri" => "the server asked the client to use another URI",
        _ => "the session ended with this condition",
    };
    let first = recs.first().copied().unwrap_or(0);
    let t0 = ctx.time(first);
    // What happened to the same session before: marked inactive, closed for inactivity.
    let mut before: Vec<usize> = Vec::new();
    if !sid.is_empty() {
        for &x in ctx.idx.get(IdKind::BoshSid, sid) {
            let x = x as usize;
            let earlier = match (ctx.time(x), t0) {
                (Some(a), Some(b)) => a <= b,
                _ => x < first,
            };
            if earlier
                && !recs.contains(&x)
                && matches!(ctx.rec(x).and_then(|r| r.name()), Some("CLOSING_IDLE_SESSION" | "SESSION_INACTIVE" | "SESSION_CLOSED"))
            {
                before.push(x);
            }
        }
    }
    let history = match before.iter().rev().find(|&&x| ctx.rec(x).and_then(|r| r.name()) != Some("SESSION_INACTIVE")).or(before.last()) {
        Some(&x) if ctx.rec(x).and_then(|r| r.name()) == Some("SESSION_INACTIVE") => {
            format!(" The session had been marked inactive (no request held) at {}: the client came back too late.", ctx.loc(x))
        }
        Some(&x) => format!(" The session had already been closed ({}): the client came back after its session was gone.", ctx.loc(x)),
        None => String::new(),
    };
    let advice = if cond == "item-not-found" {
        "The client has to sign in again on a new session; check why it stopped polling before (network path to the http-bind port, browser hangs, PC sleep, a proxy dropping requests)."
    } else {
        "Check the connection manager's log around that time and the client's request pattern."
    };
    let who = if sid.is_empty() { "A BOSH request".to_string() } else { format!("BOSH session {sid}") };
    let mut ev: Vec<usize> = before.into_iter().chain(recs.iter().copied()).collect();
    ev.sort_unstable();
    ev.dedup();
    ev.truncate(MAX_EVIDENCE);
    out.push(Finding::new(
        "bosh-terminated",
        "warning",
        format!("{who} was terminated with condition {cond} ({} record(s), first at {}): {meaning}.{history} {advice}", recs.len(), ctx.loc(first)),
        ev,
    ));
}

/// Each finding's time span (its evidence's first and last UTC) and the flow that holds its first
/// evidence record, in one pass over the flows' steps.
pub fn place(ctx: &Ctx, flows: &[Box<Flow>], found: &mut [Finding]) {
    // Only the evidence of findings without a flow is looked up: a map of every step would cost
    // more than the flows' own steps at the end of a busy day.
    let wanted: HashSet<usize> = found.iter().filter(|f| f.flow.is_none()).flat_map(|f| f.records.iter().copied()).collect();
    let mut flow_of: HashMap<usize, usize> = HashMap::new();
    if !wanted.is_empty() {
        for (k, f) in flows.iter().enumerate() {
            for st in f.steps.iter().filter(|st| wanted.contains(&st.record())) {
                flow_of.entry(st.record()).or_insert(k);
            }
        }
    }
    for f in found.iter_mut() {
        let times: Vec<i64> = f.records.iter().filter_map(|&r| ctx.rec(r).and_then(|x| x.utc_ms())).collect();
        f.first_utc = times.iter().min().copied();
        f.last_utc = times.iter().max().copied();
        if f.flow.is_none() {
            f.flow = f.records.iter().find_map(|r| flow_of.get(r).copied());
        }
        f.count = f.count.max(1);
    }
}
