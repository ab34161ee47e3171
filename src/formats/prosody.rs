//! Prosody (XMPP server, `mod_bosh`) logs, in its file layout and inside syslog.
//!
//! Grammar (`[…]` optional, `|` alternatives):
//!
//! ```text
//! file sink:    [<stamp> ]<source><sep><level><sep><message>
//!   <stamp>     Mon DD HH:MM:SS            (the default `timestamps`: no year, no zone)
//!             | YYYY-MM-DD[ |T]HH:MM:SS[.fff][zone]   (a custom `timestamps` format)
//!               (console/stdout sinks write no stamp and pad the source to 20 columns)
//!   <source>    the logger: `general`, `socket`, `http.server`, `mod_bosh`, `<host>:<module>`,
//!               a session's own logger `bosh<sid>` (the BOSH sid, a UUID), `c2s<hex>`,
//!               `s2sin<hex>`, `s2sout<hex>`
//!   <sep>       a tab (as written) or blanks (after a copy)
//!   <level>     debug | info | warn | error
//!   <message>   free text; a message may run over several lines (`Handling new request …`
//!               prints the request body and a `----------` line): lines that do not start a
//!               record continue it
//! syslog sink:  <syslog header> <source>: <message>
//!               (the header `Mon DD HH:MM:SS host prosody[pid]:` is read by the syslog wrapper,
//!               which gives the time; the level is only in the syslog priority)
//! ```
//!
//! Examples (written by the project; `<TAB>` stands for a tab):
//!
//! ```text
//! Jun 11 15:20:31 mod_bosh<TAB>info<TAB>New BOSH session, assigned it sid '7c1e4d2a-5b3f-4e61-9d0a-2f8b6c4e1a90'
//! Jun 11 15:20:31 bosh7c1e4d2a-5b3f-4e61-9d0a-2f8b6c4e1a90<TAB>debug<TAB>BOSH session marked as inactive (for 60s)
//! 2024-06-11 15:21:35 bosh7c1e4d2a-5b3f-4e61-9d0a-2f8b6c4e1a90<TAB>info<TAB>Destroying session for 3105@xmpp.example.org/desktop (BOSH client silent for over 60 seconds)
//! <30>Jun 11 15:22:02 xmpp1 prosody[812]: mod_bosh: Client tried to use sid '7c1e4d2a-5b3f-4e61-9d0a-2f8b6c4e1a90' which we don't know about
//! ```
//!
//! Names (from the message): `SESSION_CREATED` (sid assigned), `SESSION_STARTED`, `BOSH_REQUEST` /
//! `BOSH_TERMINATE` (`Handling new request`, its body decoded), `BOSH_RESPONSE` (a held request
//! answered), `REQUEST_HELD`, `EMPTY_RESPONSE` (wait expired), `BODY_OPEN`, `REQUESTS_OPEN`,
//! `RID_CHECK`, `RID_SKIPPED`, `REQUEST_DESTROYED`, `SESSION_INACTIVE` (no request open: the
//! inactivity clock runs), `SESSION_ACTIVE`, `CLOSING_IDLE_SESSION` (destroyed for silence),
//! `SESSION_CLOSED`, `SESSION_CLOSING`, `UNKNOWN_SID` (answered `item-not-found`), `BAD_REQUEST`,
//! `AUTHENTICATED`, `STREAM_ERROR`, `CLIENT_CONNECTED`, `CLIENT_DISCONNECTED`, `HTTP_REQUEST`, and
//! the stanza kind (`XMPP_IQ`, …) for `Received[c2s]:` / `Sending[c2s]:` / `BOSH stanza received:`.
//! Fields: `logger` (the source column), `sid` (from `bosh<sid>`, `sid '…'`, `(sid: …)`, `Session … has`),
//! `jid`, `rid`, `ridDiff`, `inactivity` (s), `inactivityThreshold` (s), `reason`, `condition`,
//! `ip`, `requestsOpen`.

use super::engine::{self, mdy_parts, put, share, stamp_ymd, Stamp};
use super::{Example, Format, Lane, Role, Sample, Shape};
use crate::model::Record;

/// A line in the file layout: stamp, source, level, message.
struct Native<'a> {
    stamp: Option<Stamp>,
    source: &'a str,
    level: &'a str,
    msg: &'a str,
}

fn source_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':' | b'-' | b'@' | b'/' | b'+')
}

/// The source token at the start of `s` and the rest after it.
fn source_token(s: &str) -> Option<(&str, &str)> {
    let n = s.bytes().take_while(|&c| source_char(c)).count();
    if n == 0 || n > 96 || !s.as_bytes().first().is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    Some((s.get(..n)?, s.get(n..)?))
}

/// Blanks (tabs or spaces, at least one) at the start of `s`, skipped.
fn blanks(s: &str) -> Option<&str> {
    let t = s.trim_start_matches([' ', '\t']);
    (t.len() < s.len()).then_some(t)
}

fn level_token(s: &str) -> Option<(&str, &str)> {
    for lv in ["debug", "info", "warn", "error"] {
        if let Some(rest) = s.strip_prefix(lv) {
            if rest.is_empty() {
                return Some((lv, rest));
            }
            if let Some(r) = blanks(rest) {
                return Some((lv, r));
            }
        }
    }
    None
}

fn native(l: &str) -> Option<Native<'_>> {
    let c = *l.as_bytes().first()?;
    let (stamp, rest) = if c.is_ascii_digit() {
        let st = stamp_ymd(l)?;
        let rest = l.get(st.len..)?.strip_prefix(' ')?;
        (Some(st), rest)
    } else if let Some(p) = mdy_parts(l).filter(|p| l.as_bytes().get(p.used()) == Some(&b' ')) {
        (Some(p.stamp()), l.get(p.used() + 1..)?)
    } else {
        (None, l)
    };
    let (source, rest) = source_token(rest)?;
    let rest = blanks(rest)?;
    let (level, msg) = level_token(rest)?;
    Some(Native { stamp, source, level, msg })
}

/// The part of a syslog line after the wrapper: `<source>: <message>`.
fn syslog_inner(l: &str) -> Option<(&str, &str)> {
    // The source may hold a colon itself (`example.org:muc`): it ends at the first `: `.
    let end = memchr::memmem::find(engine::prefix_at_most(l, 100).as_bytes(), b": ")?;
    let (source, rest) = source_token(l.get(..end)?)?;
    if !rest.is_empty() {
        return None;
    }
    Some((source, l.get(end + 2..)?))
}

fn starts(l: &str) -> bool {
    native(l).is_some() || syslog_inner(l).is_some()
}

/// A source only Prosody writes (for detection).
fn prosody_source(s: &str) -> bool {
    const FIXED: &[&str] = &[
        "general",
        "socket",
        "http.server",
        "http",
        "portmanager",
        "certmanager",
        "datamanager",
        "storagemanager",
        "modulemanager",
        "startup",
        "runner",
        "sql",
        "server_epoll",
        "server_select",
        "hostmanager",
        "usermanager",
        "sessionmanager",
        "stanzarouter",
        "c2s",
        "s2s",
    ];
    s.starts_with("mod_")
        || FIXED.contains(&s)
        || s.strip_prefix("bosh").is_some_and(is_uuid)
        || ["c2s", "s2sin", "s2sout", "runner", "websocket"]
            .iter()
            .any(|p| s.strip_prefix(p).is_some_and(|h| !h.is_empty() && h.bytes().all(|c| c.is_ascii_hexdigit())))
        || s.split_once(':')
            .is_some_and(|(host, module)| host.contains('.') && !module.is_empty() && module.bytes().all(|c| c.is_ascii_lowercase() || c == b'_'))
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36 && b.iter().enumerate().all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() })
}

fn detect(s: &Sample) -> u8 {
    let native_share = share(&s.lines, |l| native(l).is_some_and(|n| prosody_source(n.source)));
    if native_share >= 30 {
        return engine::score(native_share, 30, 80);
    }
    // Inside syslog (the lines may still carry their header: the wrapper is tried separately, and
    // wins a tie): the program name says Prosody, or the sources do.
    // Looked for only when the sources say Prosody (every file is asked).
    let named = || {
        let head = engine::prefix_at_most(s.text, 8192);
        engine::has(head, " prosody[") || engine::has(head, " prosody:")
    };
    fn inner_of(l: &str) -> Option<(&str, &str)> {
        let l = super::wrapper::syslog_header(l).and_then(|h| l.get(h.len..)).unwrap_or(l);
        syslog_inner(l)
    }
    let inner = share(&s.lines, |l| inner_of(l).is_some_and(|(src, _)| prosody_source(src)));
    if inner >= 30 && named() {
        engine::score(inner, 30, 80)
    } else if inner >= 50 {
        engine::score(inner, 50, 70)
    } else {
        0
    }
}

pub static PROSODY: Format = Format {
    name: "prosody",
    detect,
    shape: Shape::Lines { starts_record: starts, glue: engine::no_glue, parse },
    lane: Lane::Notification,
    role: Role::Server,
    ids: &[],
    examples: EXAMPLES,
};

/// The text between the first `open` and the next `close` after it.
fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let at = s.find(open)? + open.len();
    let rest = s.get(at..)?;
    rest.get(..rest.find(close)?)
}

/// A number right after `prefix` in `s`.
fn number_after<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let at = s.find(prefix)? + prefix.len();
    let rest = s.get(at..)?;
    let n = rest.bytes().take_while(|c| c.is_ascii_digit()).count();
    (n > 0).then(|| rest.get(..n)).flatten()
}

/// The record name a message gives, without allocating (index mode runs this on every line).
fn name_of(msg: &str) -> Option<&'static str> {
    let p = |x: &str| msg.starts_with(x);
    Some(if p("New BOSH session, assigned it sid") {
        "SESSION_CREATED"
    } else if p("BOSH session created for request") {
        "SESSION_STARTED"
    } else if p("Handling new request") {
        let body = msg.find('<').and_then(|i| msg.get(i..)).unwrap_or("");
        crate::decoders::bosh::payload_name(body, Some(true)).filter(|n| n.starts_with("BOSH")).unwrap_or("BOSH_REQUEST")
    } else if p("BOSH body open") {
        "BODY_OPEN"
    } else if p("Session ") && engine::has(msg, " requests open") {
        "REQUESTS_OPEN"
    } else if p("rid: ") {
        "RID_CHECK"
    } else if p("rid skipped") {
        "RID_SKIPPED"
    } else if p("BOSH session marked as inactive") {
        "SESSION_INACTIVE"
    } else if p("BOSH client now active again") {
        "SESSION_ACTIVE"
    } else if p("BOSH client inactive too long") {
        "CLOSING_IDLE_SESSION"
    } else if p("BOSH client disconnected") {
        "SESSION_CLOSED"
    } else if p("Destroying session") {
        if engine::has(msg, "silent for over") {
            "CLOSING_IDLE_SESSION"
        } else {
            "SESSION_CLOSED"
        }
    } else if p("Closing session with") {
        "SESSION_CLOSING"
    } else if p("Client tried to use sid") || p("Unable to associate request with a session") {
        "UNKNOWN_SID"
    } else if p("Error parsing BOSH payload") {
        "BAD_REQUEST"
    } else if p("Authenticated as") {
        "AUTHENTICATED"
    } else if p("We have an open request, so") || p("Sending BOSH data") {
        "BOSH_RESPONSE"
    } else if p("Have nothing to say") {
        "REQUEST_HELD"
    } else if engine::has(msg, "was soon to timeout") {
        "EMPTY_RESPONSE"
    } else if p("Request destroyed") {
        "REQUEST_DESTROYED"
    } else if p("Disconnecting client, <stream:error>") {
        "STREAM_ERROR"
    } else if p("Client connected") {
        "CLIENT_CONNECTED"
    } else if p("Client disconnected") {
        "CLIENT_DISCONNECTED"
    } else if p("Firing event: ") {
        "HTTP_REQUEST"
    } else if p("Received[") || p("Sending[") || p("BOSH stanza received") {
        let xml = msg.find('<').and_then(|i| msg.get(i..)).unwrap_or("");
        return crate::decoders::bosh::payload_name(xml, Some(p("Received[") || p("BOSH stanza")));
    } else {
        return None;
    })
}

fn parse(rec: &mut Record, first: &str, text: &str) {
    let (source, msg) = match native(first) {
        Some(n) => {
            if let Some(st) = n.stamp {
                rec.time = Some(st.time);
            }
            rec.set_severity(n.level);
            (n.source, n.msg)
        }
        None => match syslog_inner(first) {
            Some(x) => x,
            None => return,
        },
    };
    // One component per kind of logger (a session's own logger is named after its ID).
    let session_sid = source.strip_prefix("bosh").filter(|s| is_uuid(s));
    let component = if session_sid.is_some() {
        "bosh"
    } else {
        ["c2s", "s2sin", "s2sout"]
            .into_iter()
            .find(|p| source.strip_prefix(p).is_some_and(|h| !h.is_empty() && h.bytes().all(|c| c.is_ascii_hexdigit())))
            .unwrap_or(source)
    };
    rec.set_component(component);
    if let Some(n) = name_of(msg) {
        rec.set_name(n);
    }
    // The rest are fields: an index entry stops here.
    if !rec.detail() {
        return;
    }
    put(rec, "logger", source);
    if let Some(sid) = session_sid {
        put(rec, "sid", sid);
    }
    let quoted_sid = between(msg, "sid '", "'").or_else(|| between(msg, "(sid: ", ")")).filter(|s| *s != "<none>" && *s != "nil");
    if let Some(sid) = quoted_sid {
        put(rec, "sid", sid);
    }
    match rec.name() {
        Some("REQUESTS_OPEN") => {
            if let Some(sid) = between(msg, "Session ", " has") {
                put(rec, "sid", sid);
            }
            if let Some(n) = number_after(msg, " has ") {
                put(rec, "requestsOpen", n);
            }
        }
        Some("RID_CHECK") => {
            if let Some(r) = number_after(msg, "rid: ") {
                put(rec, "rid", r);
            }
            if let Some(d) = engine::find(msg, "diff: ").and_then(|i| msg.get(i + 6..)) {
                put(rec, "ridDiff", d.split([',', ' ']).next().unwrap_or(""));
            }
        }
        Some("RID_SKIPPED") => {
            if let Some(r) = number_after(msg, "rid skipped: ") {
                put(rec, "missingRid", r);
            }
        }
        Some("SESSION_INACTIVE") => {
            if let Some(n) = number_after(msg, "(for ") {
                put(rec, "inactivity", n);
            }
        }
        Some("SESSION_STARTED") => {
            if let Some(ip) = msg.rsplit(' ').next() {
                put(rec, "ip", ip);
            }
        }
        Some("AUTHENTICATED") => {
            if let Some(j) = msg.get(17..).and_then(|j| j.split_whitespace().next()) {
                put(rec, "jid", j);
            }
        }
        Some("UNKNOWN_SID") => put(rec, "condition", "item-not-found"),
        Some("BAD_REQUEST") => put(rec, "condition", "bad-request"),
        Some("SESSION_CLOSED" | "CLOSING_IDLE_SESSION") => {
            // `Destroying session for <jid> (<reason>)`, `BOSH client disconnected: <reason>`.
            if let Some(rest) = msg.strip_prefix("Destroying session for ") {
                let (jid, reason) = rest.split_once(' ').unwrap_or((rest, ""));
                put(rec, "jid", jid.trim_end_matches(':'));
                put(rec, "reason", reason.trim().trim_start_matches('(').trim_end_matches(')'));
            } else if let Some((_, reason)) = msg.split_once(": ") {
                put(rec, "reason", reason);
            }
            if let Some(n) = number_after(msg, "silent for over ") {
                put(rec, "inactivityThreshold", n);
            }
        }
        _ => {}
    }
    let _ = text;
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const EXAMPLES: &[Example] = &[
    Example {
        variant: "file sink, default stamp (tab-separated)",
        timed: true,
        path: "prosody.log",
        text: "Jun 11 15:20:31 mod_bosh\tinfo\tNew BOSH session, assigned it sid '7c1e4d2a-5b3f-4e61-9d0a-2f8b6c4e1a90'
Jun 11 15:20:31 bosh7c1e4d2a-5b3f-4e61-9d0a-2f8b6c4e1a90\tdebug\tBOSH session created for request from 192.0.2.44
Jun 11 15:20:32 mod_bosh\tdebug\tHandling new request request0x55d1c2: <body rid='4118002' xmlns='http://jabber.org/protocol/httpbind' sid='7c1e4d2a-5b3f-4e61-9d0a-2f8b6c4e1a90'/>
----------
Jun 11 15:20:32 bosh7c1e4d2a-5b3f-4e61-9d0a-2f8b6c4e1a90\tdebug\tBOSH session marked as inactive (for 60s)
Jun 11 15:21:35 bosh7c1e4d2a-5b3f-4e61-9d0a-2f8b6c4e1a90\tinfo\tDestroying session for 3105@xmpp.example.org/desktop (BOSH client silent for over 60 seconds)
",
    },
    Example {
        variant: "file sink, ISO stamp, blanks instead of tabs",
        timed: true,
        path: "prosody.log",
        text: "2024-06-11 15:22:02 mod_bosh        info    Client tried to use sid '7c1e4d2a-5b3f-4e61-9d0a-2f8b6c4e1a90' which we don't know about
2024-06-11 15:22:03 c2s55e1b0c0       info    Client connected
",
    },
    Example {
        variant: "console sink, no stamp, padded source",
        timed: false,
        path: "prosody-console.txt",
        text: "mod_bosh            info\tNew BOSH session, assigned it sid '0b4e51c8-2d7a-4f3e-8c11-6a9d3e2f7b05'
bosh0b4e51c8-2d7a-4f3e-8c11-6a9d3e2f7b05 info\tAuthenticated as 2280@xmpp.example.org
",
    },
    Example {
        variant: "syslog sink",
        timed: true,
        path: "messages",
        text: "<30>Jun 11 15:20:31 xmpp1 prosody[812]: mod_bosh: New BOSH session, assigned it sid '7c1e4d2a-5b3f-4e61-9d0a-2f8b6c4e1a90'
<31>Jun 11 15:20:32 xmpp1 prosody[812]: bosh7c1e4d2a-5b3f-4e61-9d0a-2f8b6c4e1a90: BOSH session marked as inactive (for 60s)
<30>Jun 11 15:22:02 xmpp1 prosody[812]: mod_bosh: Client tried to use sid '7c1e4d2a-5b3f-4e61-9d0a-2f8b6c4e1a90' which we don't know about
",
    },
];
