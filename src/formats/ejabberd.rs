//! ejabberd (and MongooseIM) logs: `ejabberd.log` as lager wrote it (13.x–19.x), as the OTP
//! logger writes it (20.x on), the console layout, and the 2.x report layout.
//!
//! Grammar (`[…]` optional, `|` alternatives):
//!
//! ```text
//! lager, logger:  <date> <time>[zone] [<level>] [<pid>[@<module>:<function>[/<arity>]:<line>] ][(<socket>) ]<message>
//!   <date> <time> YYYY-MM-DD HH:MM:SS.mmm (lager) | YYYY-MM-DD HH:MM:SS.uuuuuu (logger)
//!   [zone]        ±HH:MM | Z directly after the time (logger)
//!   <level>       debug | info | notice | warning | error | critical | alert | emergency
//!   <pid>         <0.15575.0>
//!   location      @ejabberd_http:init:149 (lager) | @ejabberd_listener:accept/7:273 (logger)
//!   <socket>      (tls|<0.19067.3>) | (http_bind|<0.14497.26>) | (#Port<0.26761>) | ({socket_state,…})
//! console:        HH:MM:SS.mmm [<level>] [<pid>[@…] ]<message>      (time of day only)
//! 2.x:            =<LEVEL> REPORT==== <YYYY-MM-DD HH:MM:SS | DD-Mon-YYYY::HH:MM:SS> ===
//!                 <L>(<pid>:<module>:<line>) : <message>          (the next line)
//! <message>       free text; Erlang terms and XML printed inside binaries (`<<"<body rid=\"1\" …>">>`,
//!                 quotes escaped), often over several lines (`** Request: …`): lines that do
//!                 not start a record continue it
//! ```
//!
//! Examples (written by the project):
//!
//! ```text
//! 2019-03-14 09:41:10.215 [debug] <0.912.0>@mod_bosh:process:70 Incoming data: <<"<body rid=\"880101\" sid=\"3f9e…\" xmlns=\"http://jabber.org/protocol/httpbind\"/>">>
//! 2023-06-11 15:20:31.902114+02:00 [info] <0.618.0>@ejabberd_c2s:process_auth_result/3:268 (http_bind|<0.901.0>) Accepted c2s PLAIN authentication for 2280@xmpp.example.org by mnesia backend from ::ffff:192.0.2.44
//! 15:20:31.902 [info]  (tls|<0.1049.0>) Send XML on stream = <<"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>">>
//! =INFO REPORT==== 2012-04-17 08:07:30 ===
//! I(<0.8904.0>:ejabberd_c2s:651) : ({socket_state,tls,…}) Failed authentication for 3105@xmpp.example.org
//! ```
//!
//! Names: the message's meaning where it has one — `BOSH_REQUEST` / `BOSH_TERMINATE` /
//! `SESSION_CREATED` (`Incoming data:` with its body), `GOT_REQUEST`, `BOSH_RESPONSE` (`send reply`),
//! `BOSH_TERMINATE` (`Send error reply`: `Session ID mismatch` → item-not-found, …),
//! `CLOSING_IDLE_SESSION` (`Session timeout. Closing the HTTP bind session`), `SESSION_CLOSED`,
//! `SESSION_OPENED`, `AUTHENTICATED`, `AUTH_FAILED`, `CONNECTION_ACCEPTED`, `XML_RECEIVED`,
//! `XML_SENT`, `HTTP_QUERY` — else `<module>:<function>` from the location.
//! Fields: `pid`, `module`, `function`, `arity`, `srcLine`, `socket`, `transport` (`http_bind`,
//! `tls`, `tcp`), `sid`, `jid`, `reason`; the BOSH decoder reads the bodies and the `#body{}` terms.

use super::engine::{self, make_time, put, share, stamp_hms, stamp_ymd, Stamp};
use super::{Example, Format, Lane, Role, Sample, Shape};
use crate::model::Record;

const LEVELS: &[&str] = &["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];

struct Line<'a> {
    stamp: Stamp,
    level: &'a str,
    pid: Option<&'a str>,
    /// `module:function[/arity]:line` without the `@`.
    location: Option<&'a str>,
    msg: &'a str,
}

/// `<0.15575.0>` at the start of `s`: its length.
fn pid_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() != Some(&b'<') {
        return None;
    }
    let close = memchr::memchr(b'>', b.get(..b.len().min(24))?)?;
    let inner = s.get(1..close)?;
    let dots = inner.bytes().filter(|&c| c == b'.').count();
    (dots == 2 && inner.bytes().all(|c| c.is_ascii_digit() || c == b'.')).then_some(close + 1)
}

fn lager(l: &str) -> Option<Line<'_>> {
    if !l.as_bytes().first()?.is_ascii_digit() {
        return None;
    }
    let stamp = stamp_ymd(l).or_else(|| stamp_hms(l))?;
    let rest = l.get(stamp.len..)?.strip_prefix(" [")?;
    let close = memchr::memchr(b']', rest.get(..rest.len().min(12))?.as_bytes())?;
    let level = rest.get(..close)?;
    if !LEVELS.contains(&level) {
        return None;
    }
    let mut rest = rest.get(close + 1..)?.trim_start_matches(' ');
    let mut pid = None;
    let mut location = None;
    if let Some(n) = pid_len(rest) {
        pid = rest.get(1..n - 1);
        rest = rest.get(n..)?;
        if let Some(loc) = rest.strip_prefix('@') {
            let end = loc.find(' ').unwrap_or(loc.len());
            location = loc.get(..end);
            rest = loc.get(end..)?;
        }
        rest = rest.trim_start_matches(' ');
    }
    Some(Line { stamp, level, pid, location, msg: rest })
}

/// `=INFO REPORT==== 2012-04-17 08:07:30 ===` / `=ERROR REPORT==== 17-Apr-2012::08:07:30 ===`.
fn report(l: &str) -> Option<(Stamp, &str)> {
    let rest = l.strip_prefix('=')?;
    let sp = engine::find(rest, " REPORT==== ")?;
    let level = rest.get(..sp)?;
    if level.is_empty() || !level.bytes().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let when = rest.get(sp + 12..)?;
    let stamp = stamp_ymd(when).or_else(|| dmy_colons(when))?;
    when.get(stamp.len..)?.strip_prefix(" ===")?;
    Some((stamp, level))
}

/// `17-Apr-2012::08:07:30` (Erlang's own report stamp).
fn dmy_colons(s: &str) -> Option<Stamp> {
    let (d, rest) = s.split_once('-')?;
    let (mon, rest) = rest.split_once('-')?;
    let y: i32 = rest.get(..4)?.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    let m = crate::time::month_from_abbrev(mon)?;
    if !crate::time::valid_date(y, m, d) || rest.get(4..6) != Some("::") {
        return None;
    }
    let at = s.len() - rest.len() + 6;
    let (ms, tl) = crate::time::parse_hms(s.get(at..)?)?;
    let text = s.get(..at + tl)?;
    Some(Stamp { time: make_time(text, Some((y, m, d)), Some(ms), None), len: at + tl })
}

/// `I(<0.8904.0>:ejabberd_c2s:651) : message` (the line under a 2.x report header).
fn report_body(l: &str) -> Option<(&str, &str, &str)> {
    let b = l.as_bytes();
    if !b.first()?.is_ascii_uppercase() || b.get(1) != Some(&b'(') {
        return None;
    }
    let n = pid_len(l.get(2..)?)?;
    let loc = l.get(2 + n..)?.strip_prefix(':')?;
    let (loc, msg) = loc.split_once(") : ").or_else(|| loc.split_once("):"))?;
    Some((l.get(3..1 + n)?, loc, msg.trim_start()))
}

fn starts(l: &str) -> bool {
    lager(l).is_some() || report(l).is_some()
}

fn detect(s: &Sample) -> u8 {
    // Each clue is read only when the ones before leave the answer open (every file is asked).
    let lines = share(&s.lines, |l| lager(l).is_some());
    let located = || share(&s.lines, |l| lager(l).is_some_and(|x| x.pid.is_some()));
    let ejabberd = || {
        let head = engine::prefix_at_most(s.text, 16384);
        engine::has(head, "ejabberd") || engine::has(head, "@mod_") || engine::has(head, "mongoose")
    };
    // Erlang's own marks: binaries (`<<"…">>`) and socket groups (`(tls|<0.1049.0>)`).
    let erlang = || share(&s.lines, |l| engine::has(l, "<<\"") || engine::has(l, "|<0."));
    if lines >= 30 && (located() >= 30 || ejabberd() || erlang() >= 30) {
        return engine::score(lines, 30, 82);
    }
    let reports = share(&s.lines, |l| report(l).is_some());
    if reports >= 10 && ejabberd() {
        engine::score(reports, 10, 82)
    } else {
        0
    }
}

pub static EJABBERD: Format = Format {
    name: "ejabberd",
    detect,
    shape: Shape::Lines { starts_record: starts, glue: engine::no_glue, parse },
    lane: Lane::Notification,
    role: Role::Server,
    ids: &[],
    examples: EXAMPLES,
};

/// The text of the first Erlang binary `<<"…">>` in `s`.
fn binary(s: &str) -> Option<&str> {
    let at = engine::find(s, "<<\"")? + 3;
    let rest = s.get(at..)?;
    rest.get(..rest.find("\">>")?)
}

/// The record name a message gives, without allocating (index mode runs this on every line).
fn name_of(msg: &str) -> Option<&'static str> {
    let p = |x: &str| msg.starts_with(x);
    Some(if p("Incoming data: ") {
        let xml = engine::find(msg, "<<\"<").and_then(|i| msg.get(i + 3..)).unwrap_or("");
        crate::decoders::bosh::payload_name(xml, Some(true)).unwrap_or("BOSH_REQUEST")
    } else if p("got request:") {
        "GOT_REQUEST"
    } else if p("send reply:") {
        "BOSH_RESPONSE"
    } else if p("Send error reply:") {
        "BOSH_TERMINATE"
    } else if p("Session timeout. Closing the HTTP bind session") || p("Session timeout. Closing the BOSH session") {
        "CLOSING_IDLE_SESSION"
    } else if p("Closing session ") || p("Closing c2s session for ") {
        "SESSION_CLOSED"
    } else if p("Opened c2s session for ") || p("Opened session for ") {
        "SESSION_OPENED"
    } else if p("Accepted ") && engine::has(msg, "authentication for ") {
        "AUTHENTICATED"
    } else if p("Failed ") && engine::has(msg, "authentication for ") {
        "AUTH_FAILED"
    } else if p("Accepted connection") {
        "CONNECTION_ACCEPTED"
    } else if p("Received XML on stream = ") {
        "XML_RECEIVED"
    } else if p("Send XML on stream = ") {
        "XML_SENT"
    } else if p("http query: ") {
        "HTTP_QUERY"
    } else {
        return None;
    })
}

/// The message past a leading `(socket) ` group, and the group.
fn socket_split(msg: &str) -> (Option<&str>, &str) {
    if msg.starts_with('(') {
        // `({socket_state,fast_tls,{tlssock,#Port<0.1>,#Port<0.2>},<0.3.0>}) Accepted …`: balanced.
        let mut depth = 0usize;
        for (i, c) in msg.bytes().enumerate().take(512) {
            match c {
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        if let (Some(inner), Some(rest)) = (msg.get(1..i), msg.get(i + 1..)) {
                            return (Some(inner), rest.trim_start());
                        }
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    (None, msg)
}

fn parse(rec: &mut Record, first: &str, text: &str) {
    let (level, pid, location, msg) = if let Some(x) = lager(first) {
        rec.time = Some(x.stamp.time);
        (x.level, x.pid, x.location, x.msg)
    } else if let Some((stamp, level)) = report(first) {
        rec.time = Some(stamp.time);
        // The message is on the next line.
        let second = text.lines().nth(1).unwrap_or("");
        match report_body(second) {
            Some((pid, loc, msg)) => (level, Some(pid), Some(loc), msg),
            None => (level, None, None, second),
        }
    } else {
        return;
    };
    rec.set_severity(level);
    let (socket, msg) = socket_split(msg);
    // `module:function[/arity]:line` (lager, logger) or `module:line` (2.x).
    let mut parts = location.unwrap_or("").splitn(3, ':');
    let (module, second, third) = (parts.next().unwrap_or(""), parts.next(), parts.next());
    let function = third.and(second);
    rec.set_component(if module.is_empty() { "ejabberd" } else { module });
    match name_of(msg) {
        Some(n) => rec.set_name(n),
        None => {
            if let (Some(f), Some(loc)) = (function, location) {
                // `module:function` straight from the line: no copy.
                let f = f.split('/').next().unwrap_or(f);
                if let Some(n) = loc.get(..module.len() + 1 + f.len()) {
                    rec.set_name(n);
                }
            }
        }
    }
    // The rest are fields: an index entry stops here.
    if !rec.detail() {
        return;
    }
    if let Some(p) = pid {
        put(rec, "pid", p);
    }
    if !module.is_empty() {
        put(rec, "module", module);
    }
    if let Some(f) = function {
        let (f, arity) = f.split_once('/').unwrap_or((f, ""));
        put(rec, "function", f);
        if !arity.is_empty() {
            put(rec, "arity", arity);
        }
    }
    if let Some(line) = third.or(second.filter(|_| function.is_none())) {
        put(rec, "srcLine", line);
    }
    if let Some(s) = socket {
        put(rec, "socket", s);
        if let Some((transport, _)) = s.split_once('|') {
            put(rec, "transport", transport);
        }
    }
    match rec.name() {
        Some("CLOSING_IDLE_SESSION") | Some("SESSION_CLOSED") if msg.starts_with("Session timeout") || msg.starts_with("Closing session ") => {
            if let Some(sid) = binary(msg) {
                put(rec, "sid", sid);
            }
        }
        _ => {}
    }
    for (lead, key) in [("Closing c2s session for ", "jid"), ("Opened c2s session for ", "jid"), ("Opened session for ", "jid")] {
        if let Some(rest) = msg.strip_prefix(lead) {
            let (jid, reason) = rest.split_once(": ").unwrap_or((rest, ""));
            put(rec, key, jid.trim());
            if !reason.is_empty() {
                put(rec, "reason", reason.trim());
            }
        }
    }
    if let Some(i) = engine::find(msg, "authentication for ") {
        if let Some(j) = msg.get(i + 19..).and_then(|r| r.split_whitespace().next()) {
            put(rec, "jid", j);
        }
    }
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const EXAMPLES: &[Example] = &[
    Example {
        variant: "lager (14.x-19.x), BOSH debug with a multi-line term",
        timed: true,
        path: "ejabberd.log",
        text: r#"2019-03-14 09:41:10.215 [debug] <0.912.0>@mod_bosh:process:70 Incoming data: <<"<body rid=\"880101\" sid=\"3f9e0c2b8d7a41f6a5e2c9b0d4f3a1e6c7b8d9e0\" xmlns=\"http://jabber.org/protocol/httpbind\"/>">>
2019-03-14 09:41:10.216 [debug] <0.913.0>@ejabberd_bosh:active:392 got request:
** Request: {body,<<>>,[{sid,<<"3f9e0c2b8d7a41f6a5e2c9b0d4f3a1e6c7b8d9e0">>},{rid,880101}],[],120}
2019-03-14 09:42:40.002 [info] <0.913.0>@ejabberd_c2s:process_terminated:271 (http_bind|<0.913.0>) Closing c2s session for 2280@xmpp.example.org/desktop: Connection failed: connection closed
"#,
    },
    Example {
        variant: "OTP logger (20.x on), microseconds and zone",
        timed: true,
        path: "ejabberd.log",
        text: "2023-06-11 15:20:31.902114+02:00 [info] <0.618.0>@ejabberd_listener:accept/7:273 (<0.901.0>) Accepted connection [::ffff:192.0.2.44]:51022 -> [::ffff:192.0.2.10]:5280
2023-06-11 15:20:32.114806+02:00 [info] <0.901.0>@ejabberd_c2s:process_auth_result/3:268 (http_bind|<0.901.0>) Accepted c2s PLAIN authentication for 2280@xmpp.example.org by mnesia backend from ::ffff:192.0.2.44
",
    },
    Example {
        variant: "console, time of day only",
        timed: true,
        path: "ejabberd-console.txt",
        text: "15:20:31.902 [info]  (tls|<0.1049.0>) Send XML on stream = <<\"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>\">>
15:20:31.950 [debug] <0.1049.0>@ejabberd_hooks:safe_apply/4:451 Running hook c2s_auth_result: ejabberd_c2s:process_auth_result/3
",
    },
    Example {
        variant: "2.x report layout",
        timed: true,
        path: "ejabberd.log",
        text: "=INFO REPORT==== 2012-04-17 08:07:30 ===
I(<0.8904.0>:ejabberd_c2s:651) : ({socket_state,tls,{tlssock,#Port<0.1>,#Port<0.2>},<0.8903.0>}) Failed authentication for 3105@xmpp.example.org
=INFO REPORT==== 17-Apr-2012::08:07:31 ===
I(<0.8905.0>:ejabberd_http_bind:519) : Session timeout. Closing the HTTP bind session: <<\"5d2c9e1f0a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d\">>
",
    },
];
