//! Flows a browser capture (HAR) tells on its own, in the kinds the server logs already use so
//! that, with server logs loaded, the browser's steps join the same flows:
//!
//! - `ece-chat-availability` per chat entry point: every `entrypoint/initialize`,
//!   `checkEligibility`, `agentAvailability` answer in order with its responseType in words, the
//!   entry point's pages, then the chat's own requests (start, messages, end).
//! - `notification-session` per WebSocket: the upgrade, RFC 7395 `<open/>`, SASL, bind, session,
//!   presence, subscriptions, pings and their answers, Updates, `<close/>` or the socket's end.
//!   (BOSH sessions are `bosh::flows`, per sid; their browser steps are labelled by `bosh_step`.)
//! - `agent-sign-in` steps seen from the browser (`sign_in_step`, `channel_up`): SystemInfo →
//!   notification channel up → GET User → PUT state (requestId) → the `<Update>` with the same
//!   requestId and its delay.
//! - `agent-state-change`: a later PUT of the agent's state and the `<Update>` answering it.
//! - `dialog`: a Finesse Dialog's Updates (ALERTING → ACTIVE → DROPPED, participants and their
//!   actions) and the browser's requests on it.
//!
//! Records are sorted into these groups in one pass (`Browser::collect`); each flow then only reads
//! its own records and the ID index, so the whole stays O(n log n).

use super::flows::{default_label, Builder, Ctx, StepSpec};
use super::ids::{field, IdKind};
use super::participants::*;
use super::{Flow, Flows};
use crate::formats::engine::{find as find_in, has as contains};
use crate::kinds::Lane;
use std::collections::BTreeMap;

/// The browser's records, sorted by what they are.
#[derive(Default)]
pub struct Browser {
    /// (file, entry) → the WebSocket's entry record (if any) and its frames, in record order.
    pub sockets: BTreeMap<(u32, u64), Socket>,
    /// Chat entry point calls and chat requests, by host, in record order.
    pub ece: BTreeMap<String, Vec<usize>>,
    /// PUTs of a User carrying a requestId (state changes), in record order.
    pub puts: Vec<usize>,
    /// Dialog ID → the Updates that carry it and the requests on it.
    pub dialogs: BTreeMap<String, Vec<usize>>,
    /// BOSH exchanges (`/http-bind` entries) with a sid, by sid.
    pub bosh: BTreeMap<String, Vec<usize>>,
    /// Every HTTP entry (not frames), in record order.
    pub entries: Vec<usize>,
}

#[derive(Default)]
pub struct Socket {
    pub entry: Option<usize>,
    pub frames: Vec<usize>,
}

impl Browser {
    pub fn collect(ctx: &Ctx) -> Browser {
        let mut b = Browser::default();
        for r in ctx.recs() {
            if r.lane() != Lane::Browser {
                continue;
            }
            let i = r.index;
            let entry = field(r, "entry").and_then(|e| e.parse::<u64>().ok());
            if let Some(d) = field(r, "dialogId") {
                b.dialogs.entry(d.to_string()).or_default().push(i);
            }
            if field(r, "frame").is_some() {
                if let Some(e) = entry {
                    b.sockets.entry((r.file(), e)).or_default().frames.push(i);
                }
                continue;
            }
            // HTTP exchanges only (a browser console log is on the same lane).
            if field(r, "method").is_none() {
                continue;
            }
            b.entries.push(i);
            let url = field(r, "url").unwrap_or_default();
            let method = field(r, "method").unwrap_or_default();
            if url.starts_with("ws") || field(r, "status") == Some("101") {
                if let Some(e) = entry {
                    b.sockets.entry((r.file(), e)).or_default().entry = Some(i);
                }
            }
            if field(r, "entryPointId").is_some() || contains(url, "/egain/chat/") || contains(url, "entryPointId=") {
                b.ece.entry(field(r, "host").unwrap_or_default().to_string()).or_default().push(i);
            }
            if method == "PUT" && contains(url, "/User/") && field(r, "requestId").is_some() {
                b.puts.push(i);
            }
            if let Some(d) = dialog_in_url(url) {
                b.dialogs.entry(d).or_default().push(i);
            }
            if let Some(sid) = field(r, "sid") {
                b.bosh.entry(sid.to_ascii_lowercase()).or_default().push(i);
            }
        }
        b
    }
}

/// `…/finesse/api/Dialog/16804377…` → `16804377`.
fn dialog_in_url(url: &str) -> Option<String> {
    let at = find_in(url, "/Dialog/")?;
    let id: String = url.get(at + 8..)?.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    (!id.is_empty()).then_some(id)
}

pub fn flows(ctx: &Ctx, b: &Browser) -> Flows {
    let mut out = Vec::new();
    out.extend(ece_flows(ctx, b));
    out.extend(b.sockets.values().filter_map(|s| socket_flow(ctx, s)));
    out.extend(state_changes(ctx, b));
    out.extend(b.dialogs.iter().filter_map(|(id, recs)| dialog_flow(ctx, id, recs)));
    out
}

// ---------------------------------------------------------------------------------------------
// ECE chat availability

/// The entry point a browser record is about (`entryPointId` field, or `entryPointId=` in its URL).
fn entry_point(ctx: &Ctx, i: usize) -> Option<String> {
    let r = ctx.rec(i)?;
    if let Some(e) = field(r, "entryPointId") {
        return Some(e.to_string());
    }
    let url = field(r, "url")?;
    let at = find_in(url, "entryPointId=")?;
    let id: String = url.get(at + 13..)?.chars().take_while(char::is_ascii_digit).collect();
    (!id.is_empty()).then_some(id)
}

/// A numeric responseType (a BOSH `type='terminate'` answer is written to the same field).
pub fn response_type(ctx: &Ctx, i: usize) -> Option<i64> {
    ctx.rec(i).and_then(|r| field(r, "responseType")).and_then(|v| v.parse().ok())
}

pub fn response_words(rt: i64) -> &'static str {
    match rt {
        0 => "chat offered",
        1 => "no agent available",
        2 => "queue full",
        _ => "unknown",
    }
}

/// One flow per entry point and host: its calls in order, then the chat requests that follow
/// (attributed to the entry point last seen on that host).
fn ece_flows(ctx: &Ctx, b: &Browser) -> Flows {
    let mut out = Vec::new();
    for (host, recs) in &b.ece {
        let mut by_ep: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut current: Option<String> = None;
        for &i in recs {
            if let Some(ep) = entry_point(ctx, i) {
                current = Some(ep);
            }
            if let Some(ep) = &current {
                by_ep.entry(ep.clone()).or_default().push(i);
            }
        }
        for (ep, list) in by_ep {
            let mut bld = Builder::new(ctx);
            for &i in &list {
                bld.add(i);
            }
            bld.links.push(format!("requests for chat entry point {ep} on {host} in {}", bld.locs(&list)));
            if let Some(f) = bld.finish("ece-chat-availability", format!("entry point {ep} ({host})"), ece_step) {
                out.push(f);
            }
        }
    }
    out
}

/// A browser step of a chat entry point: an availability answer in words, a page, a chat request.
pub fn ece_step(ctx: &Ctx, i: usize) -> Option<StepSpec> {
    let r = ctx.rec(i)?;
    let url = field(r, "url").unwrap_or_default();
    let path = url.split("://").nth(1).and_then(|u| u.find('/').and_then(|k| u.get(k..))).unwrap_or(url);
    let path = path.split('?').next().unwrap_or(path);
    let method = field(r, "method").unwrap_or_default();
    let status = field(r, "status").unwrap_or_default();
    let ep = entry_point(ctx, i).unwrap_or_default();
    if let Some(rt) = response_type(ctx, i) {
        let api = ["initialize", "checkEligibility", "agentAvailability", "capacity"].into_iter().find(|a| path.contains(a)).unwrap_or("checkEligibility");
        return Some(StepSpec::new(10, ECE_WEB, BROWSER, format!("entrypoint/{api} {ep} → responseType {rt} ({})", response_words(rt))));
    }
    let lower = path.to_ascii_lowercase();
    let failed = if status == "0" { " — failed (status 0)".to_string() } else { format!(" {status}") };
    if contains(&lower, "/egain/chat/") && !contains(&lower, "/entrypoint/") {
        let what = if ["end", "logout", "close", "leave"].iter().any(|w| lower.contains(w)) {
            "end chat"
        } else if ["message", "poll", "typing", "send"].iter().any(|w| lower.contains(w)) {
            "chat messages"
        } else if ["start", "login", "create"].iter().any(|w| lower.contains(w)) || method == "POST" {
            "start chat"
        } else {
            "chat request"
        };
        return Some(StepSpec::new(20, BROWSER, ECE_WEB, format!("{what}: {method} {path}{failed}")));
    }
    if contains(&lower, "agentavailability") || contains(&lower, "checkeligibility") || contains(&lower, "/entrypoint/") {
        return Some(StepSpec::new(10, BROWSER, ECE_WEB, format!("{method} {path}{failed}")));
    }
    Some(StepSpec::new(10, BROWSER, ECE_WEB, format!("chat page {method} {path}{failed}")))
}

// ---------------------------------------------------------------------------------------------
// WebSocket notification sessions

/// Is this WebSocket frame an XMPP ping (`urn:xmpp:ping`)?
pub fn is_ping(ctx: &Ctx, i: usize) -> bool {
    ctx.rec(i).and_then(|r| field(r, "stanza")) == Some("iq") && ctx.text(i).contains("urn:xmpp:ping")
}

/// Does the frame close the XMPP stream (`<close/>` of RFC 7395, or `</stream:stream>`)?
pub fn is_close(ctx: &Ctx, i: usize) -> bool {
    ctx.rec(i).and_then(|r| field(r, "framing")) == Some("close") || ctx.text(i).contains("</stream:stream>")
}

/// The value of `attr='…'` or `attr="…"` in `text`.
fn attr(text: &str, attr: &str) -> Option<String> {
    for q in ['\'', '"'] {
        for pat in [format!("{attr}={q}"), format!("{attr}=\\{q}")] {
            if let Some(at) = text.find(&pat) {
                let rest = text.get(at + pat.len()..)?;
                let v: String = rest.chars().take_while(|c| *c != q && *c != '\\').collect();
                return Some(v);
            }
        }
    }
    None
}

/// The text between `<tag>` and `</tag>` (first one).
fn element(text: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let at = text.find(&open)? + open.len();
    let rest = text.get(at..)?;
    let end = rest.find(&format!("</{tag}>"))?;
    rest.get(..end).map(|s| s.trim().to_string())
}

fn socket_flow(ctx: &Ctx, s: &Socket) -> Option<Box<Flow>> {
    if s.frames.is_empty() {
        return None;
    }
    let mut b = Builder::new(ctx);
    if let Some(e) = s.entry {
        b.add(e);
    }
    for &f in &s.frames {
        b.add(f);
    }
    let last = s.frames.iter().copied().max_by_key(|&f| (ctx.when(f), f));
    let closed = s.frames.iter().any(|&f| is_close(ctx, f));
    let url = s.entry.or(s.frames.first().copied()).and_then(|i| ctx.rec(i)).and_then(|r| field(r, "url")).unwrap_or_default();
    let jid = s
        .frames
        .iter()
        .filter_map(|&f| ctx.rec(f))
        .filter(|&r| field(r, "wsDirection") == Some("receive"))
        .find_map(|r| field(r, "to").filter(|t| t.contains('@')))
        .unwrap_or_default();
    b.links.push(format!("frames of the WebSocket {url} in {}", b.locs(&s.frames)));
    let key = if jid.is_empty() { format!("WebSocket {url}") } else { format!("WebSocket {url} ({jid})") };
    b.finish("notification-session", key, |ctx, i| {
        let mut spec = ws_step(ctx, i)?;
        if Some(i) == last && !closed {
            spec.label.push_str(" — then the socket ends without <close/>");
        }
        Some(spec)
    })
}

/// A WebSocket step: the upgrade, or a frame in words (never a SASL payload).
pub fn ws_step(ctx: &Ctx, i: usize) -> Option<StepSpec> {
    let r = ctx.rec(i)?;
    if field(r, "frame").is_none() {
        let status = field(r, "status").unwrap_or_default();
        let url = field(r, "url").unwrap_or_default();
        let label = if status == "0" { format!("WebSocket {url} failed (status 0)") } else { format!("WebSocket upgrade {url} {status}") };
        return Some(StepSpec::new(0, BROWSER, NOTIFICATION, label));
    }
    let send = field(r, "wsDirection") == Some("send");
    let (from, to) = if send { (BROWSER, NOTIFICATION) } else { (NOTIFICATION, BROWSER) };
    let text = ctx.text(i);
    let stanza = field(r, "stanza").unwrap_or_default();
    let id = field(r, "stanzaId").map(|v| format!(" (id {v})")).unwrap_or_default();
    let label = if let Some(f) = field(r, "framing") {
        if f == "open" {
            if send {
                format!("<open/> to {}", field(r, "to").unwrap_or_default())
            } else {
                "<open/>: stream opened".to_string()
            }
        } else {
            "<close/>".to_string()
        }
    } else if contains(text, "</stream:stream>") {
        "</stream:stream>: stream closed".to_string()
    } else if contains(text, "<auth") && contains(text, "xmpp-sasl") {
        format!("SASL auth {}", attr(text, "mechanism").unwrap_or_default())
    } else if contains(text, "<success") && contains(text, "xmpp-sasl") {
        "SASL success".to_string()
    } else if contains(text, "<failure") && contains(text, "xmpp-sasl") {
        "SASL failure".to_string()
    } else if contains(text, "<stream:features") || contains(text, "<features") {
        "stream features".to_string()
    } else if is_ping(ctx, i) {
        format!("ping{id}")
    } else if contains(text, "xmpp-bind") {
        if send {
            "bind resource".to_string()
        } else {
            format!("bound {}", element(text, "jid").unwrap_or_default())
        }
    } else if contains(text, "xmpp-session") {
        "session".to_string()
    } else if stanza == "iq" && contains(text, "<subscribe") {
        format!("subscribe {}", attr(text, "node").unwrap_or_default())
    } else if stanza == "iq" && contains(text, "<subscription") {
        format!("subscription {}", attr(text, "node").unwrap_or_default())
    } else if stanza == "iq" {
        format!("iq {}{id}", field(r, "stanzaType").unwrap_or_default())
    } else if stanza == "presence" {
        format!("presence {}", field(r, "stanzaType").unwrap_or("available"))
    } else if stanza == "message" || field(r, "event").is_some() {
        update_label(ctx, i)
    } else {
        format!("frame {}", field(r, "wsDirection").unwrap_or_default())
    };
    Some(StepSpec::new(10, from, to, label))
}

/// "Update User READY (requestId …)" / "Update Dialog 1680 ACTIVE".
pub fn update_label(ctx: &Ctx, i: usize) -> String {
    let Some(r) = ctx.rec(i) else { return String::new() };
    let dialog = field(r, "dialogId").map(|d| format!(" {d}")).unwrap_or_default();
    let what = if dialog.is_empty() { field(r, "dataType").or_else(|| field(r, "node")).unwrap_or_default() } else { "Dialog" };
    let state = field(r, "state").map(|s| format!(" {s}")).unwrap_or_default();
    let req = field(r, "requestId").map(|q| format!(" (requestId {q})")).unwrap_or_default();
    if what.is_empty() && state.is_empty() {
        return format!("message{}", field(r, "stanzaType").map(|t| format!(" {t}")).unwrap_or_default());
    }
    format!("Update {what}{dialog}{state}{req}")
}

// ---------------------------------------------------------------------------------------------
// BOSH exchanges seen from the browser (steps of `bosh::flows`)

/// A browser `/http-bind` exchange as a step of its notification session: the session's creation,
/// a long poll with its duration and what it brought, a keep-alive, a terminate.
pub fn bosh_step(ctx: &Ctx, i: usize, sid: &str) -> Option<StepSpec> {
    let r = ctx.rec(i)?;
    if field(r, "frame").is_some() {
        return ws_step(ctx, i);
    }
    let rid = field(r, "rid").map(|v| format!(" rid {v}")).unwrap_or_default();
    let secs = field(r, "durationMs").and_then(|d| d.parse::<f64>().ok()).map(|d| format!(" ({:.1} s)", d / 1000.0)).unwrap_or_default();
    let status = field(r, "status").unwrap_or_default();
    if status == "0" {
        return Some(StepSpec::new(10, BROWSER, NOTIFICATION, format!("POST http-bind{rid} failed: status 0{secs}")));
    }
    if field(r, "requestType") == Some("terminate") {
        return Some(StepSpec::new(25, BROWSER, NOTIFICATION, format!("terminate{rid} (the client ends session {sid})")));
    }
    if field(r, "responseType") == Some("terminate") {
        let cond = field(r, "condition").map(|c| format!(": {c}")).unwrap_or_default();
        return Some(StepSpec::new(26, NOTIFICATION, BROWSER, format!("terminate{cond}{rid}{secs}")));
    }
    if field(r, "wait").is_some() || field(r, "inactivity").is_some() {
        let limits: Vec<String> = ["wait", "inactivity"].iter().filter_map(|&k| field(r, k).map(|v| format!("{k} {v} s"))).collect();
        return Some(StepSpec::new(5, BROWSER, NOTIFICATION, format!("BOSH session {sid} created ({}){rid}", limits.join(", "))));
    }
    let sent = field(r, "requestPayloads").is_some_and(|n| n != "0");
    let what = if field(r, "emptyResponse").is_some() {
        if sent { "empty answer" } else { "empty keep-alive" }.to_string()
    } else if field(r, "event").is_some() || field(r, "dataType").is_some() {
        update_label(ctx, i)
    } else if let Some(s) = field(r, "stanza") {
        s.to_string()
    } else {
        format!("HTTP {status}")
    };
    // A request that carries stanzas (presence, SASL, subscriptions) is not a bare long poll.
    let sends = if sent { format!("request{rid} sends {}", field(r, "stanza").unwrap_or("a payload")) } else { format!("long poll{rid}") };
    Some(StepSpec::new(10, BROWSER, NOTIFICATION, format!("{sends}{secs} → {what}")))
}

// ---------------------------------------------------------------------------------------------
// Sign-in and state changes from the browser

/// The state a PUT asks for (`<state>READY</state>` in its body).
pub fn put_state(ctx: &Ctx, i: usize) -> Option<String> {
    element(ctx.text(i), "state")
}

/// The first PUT (from the browser) with this requestId, for the delay of its Update.
fn put_of(ctx: &Ctx, req: &str) -> Option<usize> {
    ctx.idx.get(IdKind::RequestId, req).iter().map(|&x| x as usize).find(|&x| ctx.rec(x).and_then(|r| field(r, "method")) == Some("PUT"))
}

/// When a record's content reached the browser: a WebSocket frame's time, an HTTP entry's end
/// (start + duration: a long poll delivers its Update when it returns), else the record's time.
pub fn arrival(ctx: &Ctx, i: usize) -> Option<i64> {
    let t = ctx.time(i)?;
    let Some(r) = ctx.rec(i) else { return Some(t) };
    if r.lane() != Lane::Browser || field(r, "frame").is_some() {
        return Some(t);
    }
    Some(t + field(r, "durationMs").and_then(|d| d.parse::<i64>().ok()).unwrap_or(0).max(0))
}

/// "… 312 ms after the PUT".
fn delay_after_put(ctx: &Ctx, i: usize) -> String {
    let Some(req) = ctx.rec(i).and_then(|r| field(r, "requestId")) else { return String::new() };
    match put_of(ctx, req).map(|p| (arrival(ctx, i), ctx.time(p))) {
        Some((Some(a), Some(b))) => format!(", {} ms after the PUT", a - b),
        _ => String::new(),
    }
}

/// A browser record as a sign-in (or state change) step.
pub fn sign_in_step(ctx: &Ctx, i: usize, agent: &str) -> Option<StepSpec> {
    let r = ctx.rec(i)?;
    if field(r, "event").is_some() || (field(r, "frame").is_some() && field(r, "requestId").is_some()) {
        return Some(StepSpec::new(100, NOTIFICATION, BROWSER, format!("{}{}", update_label(ctx, i), delay_after_put(ctx, i))));
    }
    // The session's other frames and polls are the notification-session flow's.
    if field(r, "frame").is_some() {
        return None;
    }
    let url = field(r, "url").unwrap_or_default();
    let method = field(r, "method").unwrap_or_default();
    let status = field(r, "status").unwrap_or_default();
    let ms = field(r, "durationMs").map(|d| format!(" ({d} ms)")).unwrap_or_default();
    let nocache = super::ids::nocache_in(url).map(|n| format!(" (nocache {n})")).unwrap_or_default();
    if url.starts_with("ws") || status == "101" {
        return Some(StepSpec::new(20, BROWSER, NOTIFICATION, format!("notification channel up: WebSocket {status}")));
    }
    if contains(url, "http-bind") {
        if field(r, "wait").is_none() && field(r, "inactivity").is_none() {
            return None;
        }
        let sid = field(r, "sid").unwrap_or_default();
        return Some(StepSpec::new(20, BROWSER, NOTIFICATION, format!("notification channel up: BOSH session {sid} created")));
    }
    if contains(url, "SystemInfo") {
        return Some(StepSpec::new(10, BROWSER, WEBSERVICES, format!("GET SystemInfo {status}{ms}{nocache}")));
    }
    if method == "PUT" {
        let state = put_state(ctx, i).map(|s| format!(" state {s}")).unwrap_or_default();
        let req = field(r, "requestId").map(|q| format!(" (requestId {q})")).unwrap_or_default();
        return Some(StepSpec::new(41, BROWSER, WEBSERVICES, format!("PUT User/{agent}{state} {status}{ms}{req}")));
    }
    if method == "GET" && url.contains(&format!("/User/{agent}")) {
        return Some(StepSpec::new(30, BROWSER, WEBSERVICES, format!("GET User/{agent} {status}{ms}{nocache}")));
    }
    Some(StepSpec::new(45, BROWSER, WEBSERVICES, default_label(ctx, i)))
}

/// How far before a sign-in's PUT its notification channel may have come up, and how many records
/// of the HAR are looked at backwards to find it.
const CHANNEL_WINDOW_MS: i64 = 180_000;
const CHANNEL_LOOKBACK: usize = 5_000;

/// Records after a channel's set-up looked at for the user it authenticated (`channel_user`).
const CHANNEL_USER_LOOKAHEAD: usize = 400;

/// The user a notification channel authenticated as (SASL PLAIN, or a Basic header): for a
/// WebSocket in its frames (the records right after its entry), for a BOSH session in the
/// requests with its `sid`. None when the capture does not say.
fn channel_user(ctx: &Ctx, at: usize, ws: bool) -> Option<String> {
    let first = ctx.rec(at)?;
    let sid = if ws { None } else { Some(field(first, "sid")?) };
    for k in at + 1..at + 1 + CHANNEL_USER_LOOKAHEAD {
        let r = ctx.rec(k)?;
        if r.file() != first.file() || (ws && field(r, "frame").is_none()) {
            return None;
        }
        if sid.is_some() && field(r, "sid") != sid {
            continue;
        }
        if let Some(u) = field(r, "authUser") {
            return Some(u.to_string());
        }
    }
    None
}

/// The browser's notification channel set up before a sign-in PUT: the WebSocket upgrade or the
/// BOSH session's creation in the same HAR, nearest before the PUT, skipping a channel that
/// authenticated as another agent (a capture of several desktops).
pub fn channel_up(ctx: &Ctx, b: &mut Builder, put: usize, agent: &str) {
    let Some(p) = ctx.rec(put) else { return };
    if p.lane() != Lane::Browser {
        return;
    }
    let t = ctx.when(put);
    let mut j = put;
    for _ in 0..CHANNEL_LOOKBACK {
        let Some(k) = j.checked_sub(1) else { break };
        j = k;
        let Some(r) = ctx.rec(j) else { break };
        if r.file() != p.file() {
            break;
        }
        let tj = ctx.when(j);
        if t != i64::MIN && tj != i64::MIN && t - tj > CHANNEL_WINDOW_MS {
            break;
        }
        if field(r, "frame").is_some() {
            continue;
        }
        let url = field(r, "url").unwrap_or_default();
        let ws = url.starts_with("ws") || field(r, "status") == Some("101");
        let bosh = contains(url, "http-bind") && (field(r, "wait").is_some() || field(r, "inactivity").is_some());
        if (ws || bosh) && channel_user(ctx, j, ws).is_none_or(|u| u == agent) {
            b.add_because(
                j,
                format!("sets up the browser's notification channel ({}) before the PUT, in the same capture", if ws { "WebSocket" } else { "BOSH" }),
            );
            break;
        }
    }
}

/// Later state changes: each browser PUT with a requestId that is not a LOGIN, with every record of
/// that requestId (the Update, and the server side when loaded).
fn state_changes(ctx: &Ctx, b: &Browser) -> Flows {
    let mut out = Vec::new();
    for &put in &b.puts {
        let Some(r) = ctx.rec(put) else { continue };
        let Some(req) = field(r, "requestId") else { continue };
        let state = put_state(ctx, put).unwrap_or_default();
        if state == "LOGIN" {
            continue;
        }
        let agent = ctx.id_of(put, IdKind::Agent).unwrap_or_default();
        let mut bld = Builder::new(ctx);
        bld.add(put);
        bld.add_id(&(IdKind::RequestId, req.to_string()), |_| true);
        let key = format!("agent {agent} → {}, requestId {req}", if state.is_empty() { "?" } else { &state });
        let flow = bld.finish("agent-state-change", key, |ctx, i| {
            let r = ctx.rec(i)?;
            if r.lane() == Lane::Browser {
                sign_in_step(ctx, i, &agent)
            } else {
                Some(StepSpec::new(50, lifeline(r.rec), default_peer(r.rec), default_label(ctx, i)))
            }
        });
        out.extend(flow);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Dialogs

/// How far around a dialog's browser records its server-side records are linked.
const DIALOG_WINDOW_MS: i64 = 60_000;

fn dialog_flow(ctx: &Ctx, id: &str, recs: &[usize]) -> Option<Box<Flow>> {
    let mut b = Builder::new(ctx);
    for &i in recs {
        b.add(i);
    }
    b.links.push(format!("Dialog {id} in {}", b.locs(recs)));
    let (lo, hi) = b.span();
    if lo <= hi {
        let task = recs.iter().find_map(|&i| ctx.rec(i).and_then(|r| field(r, "TaskKey")));
        let ids = [Some((IdKind::Dialog, id.to_string())), task.map(|t| (IdKind::Task, t.to_string()))];
        for key in ids.into_iter().flatten() {
            b.add_id_within(&key, lo - DIALOG_WINDOW_MS, hi + DIALOG_WINDOW_MS, |_| true);
        }
    }
    let media = recs.iter().find_map(|&i| ctx.rec(i).and_then(|r| field(r, "mediaType"))).map(|m| format!(" ({m})")).unwrap_or_default();
    b.finish("dialog", format!("Dialog {id}{media}"), dialog_step)
}

/// A dialog Update ("Dialog 1680 ALERTING: 1001 ALERTING [ANSWER]") or a request on the dialog.
fn dialog_step(ctx: &Ctx, i: usize) -> Option<StepSpec> {
    let r = ctx.rec(i)?;
    if r.lane() != Lane::Browser {
        return Some(StepSpec::new(10, lifeline(r.rec), default_peer(r.rec), default_label(ctx, i)));
    }
    if let Some(d) = field(r, "dialogId") {
        let state = field(r, "state").unwrap_or_default();
        let who = field(r, "participantStates").map(|p| format!(": {p}")).unwrap_or_default();
        return Some(StepSpec::new(10, NOTIFICATION, BROWSER, format!("Dialog {d} {state}{who}")));
    }
    let method = field(r, "method").unwrap_or_default();
    let status = field(r, "status").unwrap_or_default();
    let action = element(ctx.text(i), "requestedAction").map(|a| format!(" {a}")).unwrap_or_default();
    Some(StepSpec::new(10, BROWSER, WEBSERVICES, format!("{method} Dialog{action} {status}")))
}
