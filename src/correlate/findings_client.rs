//! Findings a browser capture (HAR) shows on its own, and the request/notification pairing that
//! works from any source:
//!
//! - `http-blocked`: requests the browser recorded with status 0, per host;
//! - `http-slow`: requests far slower than the others of their kind (long polls and WebSockets
//!   excepted);
//! - `notification-missing` / `notification-late`: a PUT with a requestId (a HAR entry, or a
//!   webservices `API_REQUEST`) and no `<Update>` with the same requestId, or a late one (generic
//!   over the facts: any source that writes `method`/`request_method`, `requestId` and `event`);
//! - `no-clean-close`: a WebSocket whose XMPP stream ends without `<close/>`;
//! - `ping-gap`: XMPP pings on a WebSocket that stop for longer than their interval, or go
//!   unanswered;
//! - `poll-gap`: a BOSH session with no request held at the server for a while;
//! - `credentials-present`: records carrying Authorization headers, cookies, SASL payloads,
//!   passwords or tokens (their kinds only; never the values).
//!
//! `rid-gap` and `bosh-terminated` come from `bosh`/`findings`, which read HAR BOSH bodies too;
//! the ECE entry points' answers (`ece-*`) from `findings_server`, which reads HAR answers too.

use super::findings::MAX_EVIDENCE;
use super::flows::{short_name, Ctx};
use super::har_flows::{arrival, is_close, is_ping, Browser};
use super::ids::{field, IdKind};
use super::Finding;
use crate::formats::engine::{find as find_in, has as contains};
use std::collections::BTreeMap;

/// A request at least this slow (ms) may be reported…
const SLOW_MS: i64 = 5_000;
/// …when it is this many times the median of its kind (or its kind has too few requests to tell).
const SLOW_FACTOR: i64 = 4;
/// An Update this long after its PUT is late (ms).
const LATE_MS: i64 = 3_000;
/// A BOSH session without a request held at the server for this long (ms) has a poll gap.
const POLL_GAP_MS: i64 = 15_000;

pub fn findings(ctx: &Ctx, b: &Browser) -> Vec<Finding> {
    let mut out = Vec::new();
    blocked(ctx, b, &mut out);
    slow(ctx, b, &mut out);
    notifications(ctx, &mut out);
    let mut unclosed: BTreeMap<u32, Vec<(usize, usize)>> = BTreeMap::new();
    for s in b.sockets.values() {
        if let Some(ends) = socket(ctx, s, &mut out) {
            unclosed.entry(ctx.rec(ends.1).map_or(0, |r| r.file())).or_default().push(ends);
        }
    }
    for (file, ends) in unclosed {
        no_clean_close(ctx, file, &ends, &mut out);
    }
    for (sid, recs) in &b.bosh {
        poll_gap(ctx, sid, recs, &mut out);
    }
    credentials(ctx, &mut out);
    out
}

fn evidence(mut recs: Vec<usize>) -> Vec<usize> {
    recs.truncate(MAX_EVIDENCE);
    recs
}

/// "POST /http-bind/" (method and path without the query).
fn what(ctx: &Ctx, i: usize) -> String {
    let Some(r) = ctx.rec(i) else { return String::new() };
    let url = field(r, "url").unwrap_or_default();
    let path = url.split("://").nth(1).and_then(|u| u.find('/').and_then(|k| u.get(k..))).unwrap_or(url);
    format!("{} {}", field(r, "method").unwrap_or_default(), path.split('?').next().unwrap_or(path))
}

/// The browser's reason for a failed request (`_error`, e.g. `net::ERR_NETWORK_CHANGED`).
fn browser_error(ctx: &Ctx, i: usize) -> Option<String> {
    let t = ctx.text(i);
    let at = find_in(t, "\"_error\"")?;
    let rest = t.get(at + 8..)?.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let e: String = rest.chars().take_while(|c| *c != '"').take(80).collect();
    (!e.is_empty()).then_some(e)
}

fn blocked(ctx: &Ctx, b: &Browser, out: &mut Vec<Finding>) {
    let mut by_host: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for &i in &b.entries {
        let Some(r) = ctx.rec(i) else { continue };
        if field(r, "status") == Some("0") {
            by_host.entry(field(r, "host").unwrap_or_default().to_string()).or_default().push(i);
        }
    }
    for (host, recs) in by_host {
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        for &i in &recs {
            let e = browser_error(ctx, i).map(|e| format!(" ({e})")).unwrap_or_default();
            *kinds.entry(format!("{}{e}", what(ctx, i))).or_default() += 1;
        }
        let list: Vec<String> = kinds.iter().take(5).map(|(k, n)| if *n > 1 { format!("{k} ×{n}") } else { k.clone() }).collect();
        let mut f = Finding::new(
            "http-blocked",
            "warning",
            format!(
                "{} request(s) to {host} never got an answer (status 0 in the capture): {}{}. First at {}. \
                 Check the browser console for the reason, certificates, proxies and the server's availability at that time.",
                recs.len(),
                list.join("; "),
                if kinds.len() > 5 { "; …" } else { "" },
                recs.first().map(|&x| ctx.loc(x)).unwrap_or_default()
            ),
            evidence(recs.clone()),
        );
        f.count = recs.len();
        out.push(f);
    }
}

fn slow(ctx: &Ctx, b: &Browser, out: &mut Vec<Finding>) {
    let mut kinds: BTreeMap<String, Vec<(i64, usize)>> = BTreeMap::new();
    for &i in &b.entries {
        let Some(r) = ctx.rec(i) else { continue };
        let url = field(r, "url").unwrap_or_default();
        let status = field(r, "status").unwrap_or_default();
        // Long polls wait on purpose; a socket lasts as long as it is open; status 0 is `http-blocked`.
        if contains(url, "http-bind") || url.starts_with("ws") || status == "101" || status == "0" {
            continue;
        }
        if let Some(d) = field(r, "durationMs").and_then(|d| d.parse::<i64>().ok()) {
            kinds.entry(what(ctx, i)).or_default().push((d, i));
        }
    }
    for (kind, list) in kinds {
        let mut ds: Vec<i64> = list.iter().map(|p| p.0).collect();
        ds.sort_unstable();
        let median = ds.get(ds.len() / 2).copied().unwrap_or(0);
        let slow: Vec<(i64, usize)> = list.iter().copied().filter(|&(d, _)| d >= SLOW_MS && (list.len() < 3 || d >= SLOW_FACTOR * median.max(1))).collect();
        let Some(&(worst, at)) = slow.iter().max_by_key(|p| p.0) else { continue };
        let mut f = Finding::new(
            "http-slow",
            "info",
            format!(
                "{kind} took {:.1} s at {} ({} slow of {} such request(s); median {} ms). Check the server's load and the network at that time.",
                worst as f64 / 1000.0,
                ctx.loc(at),
                slow.len(),
                list.len(),
                median
            ),
            evidence(slow.iter().map(|p| p.1).collect()),
        );
        f.count = slow.len();
        out.push(f);
    }
}

/// A request asking for a change (`PUT`), from any source.
fn is_put(ctx: &Ctx, i: usize) -> bool {
    let Some(r) = ctx.rec(i) else { return false };
    field(r, "method") == Some("PUT") || field(r, "request_method").is_some_and(|m| m.ends_with(".PUT") || m == "PUT")
}

/// A PUT the server refused (4xx/5xx) or that never got an answer (0): no Update is expected.
fn refused(ctx: &Ctx, i: usize) -> bool {
    ctx.rec(i).and_then(|r| field(r, "status")).and_then(|s| s.parse::<u32>().ok()).is_some_and(|s| s == 0 || s >= 400)
}

fn is_update(ctx: &Ctx, i: usize) -> bool {
    ctx.rec(i).is_some_and(|r| field(r, "event").is_some())
}

/// PUTs with a requestId against the Updates with the same requestId.
fn notifications(ctx: &Ctx, out: &mut Vec<Finding>) {
    // Only where the notification side is in the inputs at all (some Update was seen), and up to
    // the end of the inputs less the time an Update may take.
    let mut last = i64::MIN;
    // When Updates (of any request) were seen: a PUT's Update is missing only if the notification
    // side was captured after the PUT.
    let mut seen: Vec<i64> = Vec::new();
    for r in ctx.recs() {
        last = last.max(ctx.when(r.index));
        if field(r, "event").is_some() {
            seen.push(arrival(ctx, r.index).unwrap_or(i64::MIN));
        }
    }
    if seen.is_empty() {
        return;
    }
    // (Logs written to the second only may put an Update a second before its PUT.)
    let untimed = seen.contains(&i64::MIN);
    let last_update = seen.iter().copied().max().unwrap_or(i64::MIN);
    let covered = |t: i64| untimed || last_update >= t - 1_000;
    let mut missing: Vec<(String, usize)> = Vec::new();
    let mut late: Vec<(String, usize, usize, i64)> = Vec::new();
    let mut reqs: Vec<(&str, &[u32])> = ctx.idx.of_kind(IdKind::RequestId).collect();
    reqs.sort();
    for (req, recs) in reqs {
        let recs: Vec<usize> = recs.iter().map(|&r| r as usize).collect();
        let Some(&put) = recs.iter().find(|&&r| is_put(ctx, r)) else { continue };
        if recs.iter().any(|&r| is_put(ctx, r) && refused(ctx, r)) {
            continue;
        }
        let t_put = ctx.time(put);
        let update = recs.iter().copied().filter(|&r| is_update(ctx, r) && !is_put(ctx, r)).min_by_key(|&r| (arrival(ctx, r).unwrap_or(i64::MAX), r));
        match (update, t_put) {
            (Some(u), Some(tp)) => {
                if let Some(tu) = arrival(ctx, u) {
                    if tu - tp > LATE_MS {
                        late.push((req.to_string(), put, u, tu - tp));
                    }
                }
            }
            (Some(_), None) => {}
            (None, _) => {
                if t_put.is_none_or(|t| last - t > LATE_MS && covered(t)) {
                    missing.push((req.to_string(), put));
                }
            }
        }
    }
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().take(5).map(|(q, p)| format!("requestId {q} ({})", ctx.loc(*p))).collect();
        let mut f = Finding::new(
            "notification-missing",
            "warning",
            format!(
                "{} state change request(s) (PUT with a requestId) were never answered by an XMPP <Update> with the same requestId, though Updates \
                 were captured: {}{}. The desktop never learnt the result: check the CTI server for the request's response, the Notification \
                 service for routing failures, and the desktop's notification connection at that time.",
                missing.len(),
                list.join(", "),
                if missing.len() > 5 { ", …" } else { "" }
            ),
            evidence(missing.iter().map(|p| p.1).collect()),
        );
        f.count = missing.len();
        out.push(f);
    }
    if !late.is_empty() {
        let worst = late.iter().map(|l| l.3).max().unwrap_or(0);
        let list: Vec<String> = late.iter().take(5).map(|(q, p, u, d)| format!("requestId {q}: {d} ms ({} → {})", ctx.loc(*p), ctx.loc(*u))).collect();
        let mut f = Finding::new(
            "notification-late",
            "warning",
            format!(
                "{} state change request(s) were answered by their XMPP <Update> more than {} s later (worst {:.1} s): {}. The agent saw the change \
                 late: compare the CTI server's response time and the Notification service's load, and the desktop's notification connection.",
                late.len(),
                LATE_MS / 1000,
                worst as f64 / 1000.0,
                list.join("; ")
            ),
            evidence(late.iter().flat_map(|l| [l.1, l.2]).collect()),
        );
        f.count = late.len();
        out.push(f);
    }
}

/// The WebSockets of one capture whose XMPP stream ends without `<close/>` ((entry or first
/// frame, last frame) of each): one finding.
fn no_clean_close(ctx: &Ctx, file: u32, ends: &[(usize, usize)], out: &mut Vec<Finding>) {
    let name = ctx.s.files.get(file as usize).map(|f| short_name(&f.path).to_string()).unwrap_or_default();
    let lasts: Vec<String> = ends.iter().take(5).map(|&(_, l)| ctx.loc(l)).collect();
    let mut f = Finding::new(
        "no-clean-close",
        "info",
        format!(
            "{} WebSocket(s) in {name} end their XMPP stream without <close/> (last frame at {}{}): the socket dropped, the page went away, \
             or the capture stopped first. Check whether the agent closed the browser, the network dropped, or the server restarted at that time.",
            ends.len(),
            lasts.join(", "),
            if ends.len() > 5 { ", …" } else { "" }
        ),
        evidence(ends.iter().flat_map(|&(a, z)| [a, z]).collect()),
    );
    f.count = ends.len();
    out.push(f);
}

/// A WebSocket's pings (`ping-gap`); returns (its entry or first frame, its last frame) when its
/// XMPP stream ends without `<close/>`.
fn socket(ctx: &Ctx, s: &super::har_flows::Socket, out: &mut Vec<Finding>) -> Option<(usize, usize)> {
    let &last = s.frames.iter().max_by_key(|&&f| (ctx.when(f), f))?;
    let url = s.entry.or(s.frames.first().copied()).and_then(|i| ctx.rec(i)).and_then(|r| field(r, "url")).unwrap_or_default();
    let xmpp = s.frames.iter().any(|&f| ctx.rec(f).is_some_and(|r| field(r, "framing").is_some() || field(r, "stanza").is_some()));
    let unclosed = (xmpp && !s.frames.iter().any(|&f| is_close(ctx, f))).then(|| (s.entry.or(s.frames.first().copied()).unwrap_or(last), last));
    // Pings: their usual interval, gaps far longer, and pings without a result.
    let pings: Vec<usize> = s.frames.iter().copied().filter(|&f| is_ping(ctx, f) && ctx.rec(f).and_then(|r| field(r, "stanzaType")) == Some("get")).collect();
    if pings.len() < 2 {
        return unclosed;
    }
    let times: Vec<(i64, usize)> = pings.iter().filter_map(|&p| ctx.time(p).map(|t| (t, p))).collect();
    let mut gaps: Vec<i64> = times.windows(2).map(|w| w.get(1).map_or(0, |b| b.0) - w.first().map_or(0, |a| a.0)).collect();
    gaps.sort_unstable();
    let interval = gaps.get(gaps.len() / 2).copied().unwrap_or(0).max(1);
    let too_long = |g: i64| g > 2 * interval && g > interval + 10_000;
    let mut ev: Vec<usize> = Vec::new();
    let mut worst = 0i64;
    let mut n = 0usize;
    for w in times.windows(2) {
        let (Some(a), Some(b)) = (w.first(), w.get(1)) else { continue };
        if too_long(b.0 - a.0) {
            n += 1;
            worst = worst.max(b.0 - a.0);
            ev.extend([a.1, b.1]);
        }
    }
    // Pings that stop before the socket ends.
    if let (Some(&(tp, p)), Some(te)) = (times.last(), ctx.time(last)) {
        if too_long(te - tp) {
            n += 1;
            worst = worst.max(te - tp);
            ev.extend([p, last]);
        }
    }
    let answered: std::collections::HashSet<&str> =
        s.frames.iter().filter_map(|&f| ctx.rec(f)).filter(|&r| field(r, "stanzaType") == Some("result")).filter_map(|r| field(r, "stanzaId")).collect();
    let unanswered: Vec<usize> =
        pings.iter().copied().filter(|&p| ctx.rec(p).and_then(|r| field(r, "stanzaId")).is_none_or(|id| !answered.contains(id))).collect();
    if n == 0 && unanswered.is_empty() {
        return unclosed;
    }
    let mut parts = Vec::new();
    if n > 0 {
        parts.push(format!("{n} gap(s) in the pings, the longest {:.1} s where they come every {:.1} s", worst as f64 / 1000.0, interval as f64 / 1000.0));
    }
    if !unanswered.is_empty() {
        parts.push(format!("{} ping(s) without a result (first at {})", unanswered.len(), unanswered.first().map(|&x| ctx.loc(x)).unwrap_or_default()));
    }
    ev.extend(unanswered.iter().copied());
    ev.sort_unstable();
    ev.dedup();
    let mut f = Finding::new(
        "ping-gap",
        "warning",
        format!(
            "XMPP keep-alive pings on WebSocket {url}: {}. The connection may have been dead before anyone noticed: check the network path for \
             idle-connection timeouts (firewalls, proxies) and the desktop's reconnect behaviour.",
            parts.join("; ")
        ),
        evidence(ev),
    );
    f.count = n + unanswered.len();
    out.push(f);
    unclosed
}

/// A BOSH session seen from the browser: the time no request was held at the server.
fn poll_gap(ctx: &Ctx, sid: &str, recs: &[usize], out: &mut Vec<Finding>) {
    let mut spans: Vec<(i64, i64, usize)> = recs
        .iter()
        .filter_map(|&i| {
            let t = ctx.time(i)?;
            let d = ctx.rec(i).and_then(|r| field(r, "durationMs")).and_then(|d| d.parse::<i64>().ok()).unwrap_or(0);
            Some((t, t + d.max(0), i))
        })
        .collect();
    spans.sort_unstable();
    let mut held_until: Option<(i64, usize)> = None;
    let mut gaps: Vec<(i64, usize, usize)> = Vec::new();
    for &(start, end, i) in &spans {
        if let Some((until, prev)) = held_until {
            if start - until > POLL_GAP_MS {
                gaps.push((start - until, prev, i));
            }
        }
        if held_until.is_none_or(|(u, _)| end >= u) {
            held_until = Some((end, i));
        }
    }
    let Some(&(worst, a, z)) = gaps.iter().max_by_key(|g| g.0) else { return };
    let mut f = Finding::new(
        "poll-gap",
        "warning",
        format!(
            "BOSH session {sid}: no request was held at the server for {:.1} s between {} and {} ({} gap(s) longer than {} s). The client \
             stopped polling: check the client side at that time (network, browser, PC sleep) and whether the session survived the gap.",
            worst as f64 / 1000.0,
            ctx.loc(a),
            ctx.loc(z),
            gaps.len(),
            POLL_GAP_MS / 1000
        ),
        evidence(gaps.iter().flat_map(|g| [g.1, g.2]).collect()),
    );
    f.count = gaps.len();
    out.push(f);
}

/// The kinds of `sensitive` that grant access (every kind `decoders::sensitive` reports).
fn credentials(ctx: &Ctx, out: &mut Vec<Finding>) {
    let mut by_file: BTreeMap<u32, (Vec<usize>, usize, std::collections::BTreeSet<String>)> = BTreeMap::new();
    for r in ctx.recs() {
        let Some(kinds) = field(r, "sensitive") else { continue };
        let e = by_file.entry(r.file()).or_default();
        if e.0.len() < MAX_EVIDENCE {
            e.0.push(r.index);
        }
        e.1 += 1;
        e.2.extend(kinds.split(',').map(|k| k.trim().to_string()).filter(|k| !k.is_empty()));
    }
    for (file, (recs, n, kinds)) in by_file {
        let name = ctx.s.files.get(file as usize).map(|f| short_name(&f.path).to_string()).unwrap_or_default();
        let kinds: Vec<String> = kinds.into_iter().collect();
        let mut f = Finding::new(
            "credentials-present",
            "error",
            format!(
                "{n} record(s) in {name} carry credentials ({}; the values are not shown here), first at {}. \
                 Share only the sanitized export or the sanitized report; rotate the credentials if the capture left your hands.",
                kinds.join(", "),
                recs.first().map(|&x| ctx.loc(x)).unwrap_or_default()
            ),
            recs,
        );
        f.count = n;
        out.push(f);
    }
}
