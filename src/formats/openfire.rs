//! Openfire (the Finesse Notification service, and Openfire anywhere) logs. Openfire writes local
//! time with no zone (the clock inference places it). One record per stamped line; stack traces
//! and multi-line stanzas continue it.
//!
//! ```text
//! <yyyy.MM.dd> <HH:mm:ss>[.SSS] [<LEVEL> [<thread>]: ][<logger> - ][\[<caller>\] ][<Component>: ]<message>
//!
//! <LEVEL> [<thread>]:   all.log (4.x), openfire.log (4.6+, `.SSS` too): `%-5p` padded, so `INFO  [`
//! <logger> - <message>  debug/info/warn/error.log of 3.7-4.x (log4j `%c - %m`): a dotted class name
//! [<caller>]            3.0-3.6 (Jive logger): `[org.example.Class.method(Class.java:42)]`
//! <Component>:          Finesse 9.x-11.x Notification service: `HTTPBindLog: …`, `HttpSession: …`, or none
//! ```
//!
//! The families split by file, as Openfire splits its output: `openfire-debug` (debug.log),
//! `openfire-info` (info.log, and a file whose kind cannot be told), `openfire-warn` (warn.log),
//! `openfire-error` (error.log) — one level each, so severity is the file's — and `openfire-all`
//! (all.log, openfire.log: every level, with a level and a thread column on each line, whatever
//! the file is called).
//!
//! Examples (written by the project):
//! ```text
//! 2016.11.02 08:14:02 Session (id=a81f22c0) was last active 12003 ms ago: 3105@finesse-a.example.org/desktop
//! 2016.11.02 08:14:05 HTTPBindLog: HTTP RECV(a81f22c0): <body rid='811337' sid='a81f22c0' …/>
//! 2019.05.14 09:12:00 org.jivesoftware.openfire.http.HttpSessionManager - Closing idle session 7c2e91aa: 4410@fin-b.example.net/desktop from IP 10.1.2.3
//! 2022.01.20 16:40:03.128 WARN  [TaskEngine-pool-2]: org.jivesoftware.openfire.http.HttpSession - Overactivity detected, too many simultaneous requests.
//! 2009.03.11 10:39:13 [org.jivesoftware.openfire.net.SocketReadingMode.negotiateTLS(SocketReadingMode.java:169)] Error while negotiating TLS
//! ```
//!
//! Names: the BOSH session events engineers look for (`SESSION_LAST_ACTIVE`, `CLOSING_IDLE_SESSION`,
//! `SESSION_CLOSED`, `UNABLE_TO_ROUTE`, `FAILED_TO_ROUTE`, `HTTP_RECV`, `HTTP_SENT`, `HTTP_ERR`,
//! `INVALID_SESSION`, `OVERACTIVITY`, `RID_NOT_AVAILABLE`, `SESSION_ERROR_CLOSE`,
//! `CONNECTION_CLOSED`), else the message's leading words, else the logger's class.
//! Fields: `level` (severity), `thread`, `logger` (component; or the Finesse component), `area`
//! (bosh, pubsub, presence, routing, session, connection, muc, cluster, plugin), `caller`,
//! `session_id`/`sid`, `last_active_ms`/`lastActiveMs` (an ISO-8601 duration such as `PT13.23S`
//! is turned into milliseconds), `jid`, `ip`, `rid`, `threshold_s`/`inactivityThreshold`,
//! `errorType`, `condition`, and every `key=value`.

use super::engine::{self, kv_eq, make_time, put, Stamp};
use super::{Example, Format, Lane, Role, Sample, Shape};
use crate::model::{Record, Sym};
use crate::time;

/// `yyyy.MM.dd HH:mm:ss[.SSS]` at the start of a line, local time (no zone is read after it).
fn of_stamp(l: &str) -> Option<Stamp> {
    let b = l.as_bytes();
    if b.get(4) != Some(&b'.') || b.get(10) != Some(&b' ') {
        return None;
    }
    let (date, _) = time::parse_ymd(l)?;
    let (ms, tl) = time::parse_hms(l.get(11..)?)?;
    let len = 11 + tl;
    Some(Stamp { time: make_time(l.get(..len)?, Some(date), Some(ms), None), len })
}

fn of_start(l: &str) -> bool {
    let b = l.as_bytes();
    b.get(4) == Some(&b'.') && b.get(7) == Some(&b'.') && b.get(10) == Some(&b' ') && b.first().is_some_and(u8::is_ascii_digit) && of_stamp(l).is_some()
}

const LEVELS: [&str; 6] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

/// The parts of a line after its stamp.
#[derive(Default)]
struct Line<'a> {
    level: &'a str,
    thread: &'a str,
    logger: &'a str,
    caller: &'a str,
    component: &'a str,
    msg: &'a str,
}

/// `<LEVEL> [<thread>]: ` right after the stamp: (level, thread, rest).
fn level_column(rest: &str) -> Option<(&str, &str, &str)> {
    let lvl_end = rest.find(' ')?;
    let level = rest.get(..lvl_end)?;
    if !LEVELS.contains(&level) {
        return None;
    }
    let r = rest.get(lvl_end..)?.trim_start_matches(' ').strip_prefix('[')?;
    let close = engine::find(r, "]: ")?;
    Some((level, r.get(..close)?, r.get(close + 3..)?))
}

fn is_logger(s: &str) -> bool {
    s.len() >= 3
        && s.len() <= 200
        && s.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && s.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'$'))
}

/// `rest` split at `sep` when the text before it is one word (no space, no byte of `sep`):
/// loggers and components are such words, so only the first space or `sep` byte is looked at,
/// not a search through a long message.
fn word_then<'a>(rest: &'a str, sep: &str) -> Option<(&'a str, &'a str)> {
    let b = rest.as_bytes();
    let first = *sep.as_bytes().first()?;
    let at = b.iter().position(|&c| c == b' ' || c == first)?;
    if !b.get(at..)?.starts_with(sep.as_bytes()) {
        return None;
    }
    Some((rest.get(..at)?, rest.get(at + sep.len()..)?))
}

fn split_line(after_stamp: &str) -> Line<'_> {
    let mut out = Line::default();
    let mut rest = after_stamp.trim_start_matches(' ');
    if let Some((level, thread, r)) = level_column(rest) {
        out.level = level;
        out.thread = thread;
        rest = r;
    }
    // `<logger> - `: a dotted class name (or any one word when the level column said it is log4j).
    if let Some((lg, r)) = word_then(rest, " - ") {
        if is_logger(lg) && (lg.contains('.') || !out.level.is_empty()) {
            out.logger = lg;
            rest = r;
        }
    }
    // `[pkg.Class.method(Class.java:42)] `
    if let Some(r) = rest.strip_prefix('[') {
        if let Some(close) = engine::find(r, ")] ") {
            let c = r.get(..close + 1).unwrap_or("");
            if c.contains('(') && !c.contains(' ') {
                out.caller = c;
                rest = r.get(close + 3..).unwrap_or("");
            }
        }
    }
    if out.logger.is_empty() {
        if let Some((w, r)) = word_then(rest, ": ") {
            if !w.is_empty() && w.len() <= 64 && w.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.') {
                out.component = w;
                rest = r;
            }
        }
    }
    out.msg = rest;
    out
}

/// Which file of Openfire's output a sample is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Debug,
    Info,
    Warn,
    Error,
    All,
}

const DEBUG_MARKERS: &[&str] = &["REQUEST /", "HTTPBindLog", "consumeResponse", "last active", "Launching thread", "session=", "servlet ", "Exiting since"];

fn kind(s: &Sample) -> Kind {
    let stamped: Vec<&str> = s.lines.iter().copied().filter(|l| of_start(l)).collect();
    let leveled =
        stamped.iter().filter(|l| of_stamp(l).and_then(|st| l.get(st.len..)).is_some_and(|r| level_column(r.trim_start_matches(' ')).is_some())).count();
    if !stamped.is_empty() && leveled * 2 >= stamped.len() {
        return Kind::All;
    }
    let p = s.path.to_ascii_lowercase();
    let name = p.rsplit(['/', '\\']).next().unwrap_or("");
    if engine::has(name, "debug") {
        return Kind::Debug;
    }
    if engine::has(name, "warn") {
        return Kind::Warn;
    }
    if engine::has(name, "error") {
        return Kind::Error;
    }
    if engine::has(name, "info") {
        return Kind::Info;
    }
    if s.lines.iter().any(|l| DEBUG_MARKERS.iter().any(|m| engine::has(l, m))) {
        Kind::Debug
    } else {
        Kind::Info
    }
}

fn detect_as(s: &Sample, want: Kind) -> u8 {
    let b = engine::scored(&s.lines, 30, 70, of_start);
    if b > 0 && kind(s) == want {
        b + 1
    } else {
        b
    }
}

macro_rules! openfire_family {
    ($stat:ident, $name:literal, $kind:expr, $level:literal, $parse:ident, $examples:ident) => {
        pub static $stat: Format = Format {
            name: $name,
            detect: |s| detect_as(s, $kind),
            shape: Shape::Lines { starts_record: of_start, glue: engine::no_glue, parse: $parse },
            lane: Lane::Notification,
            role: Role::Server,
            ids: &[],
            examples: $examples,
        };

        fn $parse(rec: &mut Record, first: &str, text: &str) {
            parse(rec, first, text, $level)
        }
    };
}

openfire_family!(OPENFIRE_DEBUG, "openfire-debug", Kind::Debug, "DEBUG", parse_debug, DEBUG_EXAMPLES);
openfire_family!(OPENFIRE_INFO, "openfire-info", Kind::Info, "INFO", parse_info, INFO_EXAMPLES);
openfire_family!(OPENFIRE_WARN, "openfire-warn", Kind::Warn, "WARN", parse_warn, WARN_EXAMPLES);
openfire_family!(OPENFIRE_ERROR, "openfire-error", Kind::Error, "ERROR", parse_error, ERROR_EXAMPLES);
openfire_family!(OPENFIRE_ALL, "openfire-all", Kind::All, "", parse_all, ALL_EXAMPLES);

/// Phrases that name a record, earliest in this list first when a message holds several.
const NAMES: [(&str, &str); 14] = [
    ("was last active", "SESSION_LAST_ACTIVE"),
    ("Closing idle session", "CLOSING_IDLE_SESSION"),
    ("A session is being closed", "SESSION_CLOSED"),
    ("Unable to route packet", "UNABLE_TO_ROUTE"),
    ("Failed to route packet", "FAILED_TO_ROUTE"),
    ("HTTP RECV", "HTTP_RECV"),
    ("HTTP SENT", "HTTP_SENT"),
    ("HTTP ERR(", "HTTP_ERR"),
    ("Client provided invalid session", "INVALID_SESSION"),
    ("Overactivity detected", "OVERACTIVITY"),
    ("Deliverable unavailable", "RID_NOT_AVAILABLE"),
    ("Closing session due to error", "SESSION_ERROR_CLOSE"),
    ("Connection closed", "CONNECTION_CLOSED"),
    ("Closing connection", "CONNECTION_CLOSED"),
];

fn known_name(msg: &str) -> Option<&'static str> {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    static FINDERS: LazyLock<Vec<Finder<'static>>> = LazyLock::new(|| NAMES.iter().map(|(p, _)| Finder::new(p.as_bytes())).collect());
    // Every phrase holds one of these: a message without any holds none of the phrases.
    static PRE: LazyLock<[Finder<'static>; 6]> = LazyLock::new(|| ["ession", "oute", "HTTP", "ctiv", "eliver", "onnection"].map(|p| Finder::new(p.as_bytes())));
    let hay = msg.as_bytes();
    if !PRE.iter().any(|f| f.find(hay).is_some()) {
        return None;
    }
    FINDERS.iter().zip(NAMES.iter()).find(|(f, _)| f.find(hay).is_some()).map(|(_, (_, n))| *n)
}

fn parse(rec: &mut Record, first: &str, text: &str, file_level: &str) {
    let Some(st) = of_stamp(first) else { return };
    rec.time = Some(st.time);
    let line = split_line(first.get(st.len..).unwrap_or(""));
    let level = if line.level.is_empty() { file_level } else { line.level };
    if !level.is_empty() {
        rec.set_severity(level);
    }
    if !line.logger.is_empty() {
        rec.set_component(line.logger);
    } else if !line.component.is_empty() {
        rec.set_component(line.component);
    }
    let simple = |c: &str| -> Option<Sym> { Sym::new(c.rsplit(['.', '$']).next().unwrap_or(c)) };
    rec.name = match known_name(line.msg) {
        Some(n) => Sym::new(n),
        None => super::uccx::lead_phrase(line.msg)
            .and_then(Sym::new)
            .or_else(|| if line.logger.is_empty() { None } else { simple(line.logger) })
            .or_else(|| if line.component.is_empty() { None } else { Sym::new(line.component) }),
    };
    // The rest are fields: an index entry stops here.
    if !rec.detail() {
        return;
    }
    if !line.thread.is_empty() {
        put(rec, "thread", line.thread);
    }
    if !line.logger.is_empty() {
        put(rec, "logger", line.logger);
        if let Some(a) = area(line.logger) {
            put(rec, "area", a);
        }
    }
    if !line.caller.is_empty() {
        put(rec, "caller", line.caller);
    }
    session_fields(rec, line.msg);
    let body = engine::offset_in(text, line.msg).and_then(|o| text.get(o..)).unwrap_or(line.msg);
    kv_eq(rec, body);
}

/// What part of the server a logger belongs to, for filtering a busy all.log: `bosh`
/// (`…openfire.http.`), `pubsub`, `presence`, `routing`, `session`, `connection` (`…openfire.net.`,
/// `…openfire.nio.`, `…spi.ConnectionManagerImpl`), `muc`, `cluster`, `plugin`.
fn area(logger: &str) -> Option<&'static str> {
    let l = logger.strip_prefix("org.jivesoftware.openfire.").unwrap_or(logger);
    Some(if l.starts_with("http.") {
        "bosh"
    } else if l.starts_with("pubsub.") || engine::has(l, "PubSub") {
        "pubsub"
    } else if engine::has(l, "Presence") || engine::has(l, "Roster") {
        "presence"
    } else if engine::has(l, "Routing") || engine::has(l, "PacketRouter") || engine::has(l, "OfflineMessage") {
        "routing"
    } else if engine::has(l, "SessionManager") || l.starts_with("session.") {
        "session"
    } else if l.starts_with("net.") || l.starts_with("nio.") || engine::has(l, "Connection") {
        "connection"
    } else if l.starts_with("muc.") {
        "muc"
    } else if l.starts_with("cluster.") || engine::has(l, "Cluster") {
        "cluster"
    } else if l.starts_with("plugin.") || l.starts_with("container.") {
        "plugin"
    } else {
        return None;
    })
}

/// The word after `key` up to a space (or one of `end`).
fn word_after<'a>(msg: &'a str, key: &str, end: &[char]) -> Option<&'a str> {
    let i = engine::find(msg, key)?;
    let r = msg.get(i + key.len()..)?;
    let stop = r.find(|c: char| c == ' ' || end.contains(&c)).unwrap_or(r.len());
    r.get(..stop).filter(|v| !v.is_empty())
}

/// The session and error of an `HTTP RECV(sid)` / `SENT` / `ERR` line: for each key the word
/// after its first place (`word_after`), the places found in one walk over the `HTTP `s.
fn http_fields(rec: &mut Record, msg: &str) {
    const KEYS: [&str; 4] = ["HTTP RECV(", "HTTP RECVC(", "HTTP SENT(", "HTTP ERR("];
    const ERR: usize = 3;
    let mut first: [Option<usize>; 4] = [None; 4];
    let mut from = 0;
    while let Some(at) = msg.get(from..).and_then(|rest| engine::find(rest, "HTTP ")).map(|i| from + i) {
        let here = msg.get(at..).unwrap_or("");
        for (slot, key) in first.iter_mut().zip(KEYS) {
            if slot.is_none() && here.starts_with(key) {
                *slot = Some(at);
            }
        }
        if first.iter().all(Option::is_some) {
            break;
        }
        from = at + 1;
    }
    for (at, key) in first.iter().zip(KEYS) {
        if let Some(sid) = at.and_then(|at| msg.get(at..)).and_then(|here| word_after(here, key, &[')'])) {
            put(rec, "sid", sid);
        }
    }
    if let Some(i) = first.get(ERR).copied().flatten() {
        if let Some((_, r)) = engine::split_once(msg.get(i..).unwrap_or(""), "): ") {
            let mut p = r.splitn(2, ", ");
            if let Some(t) = p.next() {
                put(rec, "errorType", t.trim());
            }
            if let Some(c) = p.next() {
                put(rec, "condition", c.trim().trim_end_matches('.'));
            }
        }
    }
}

/// `PT13.23S`, `PT1M2.5S`, `PT0.021S` → milliseconds.
fn iso_duration_ms(s: &str) -> Option<u64> {
    let mut rest = s.strip_prefix("PT")?;
    let mut ms: f64 = 0.0;
    while !rest.is_empty() {
        let n = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let v: f64 = rest.get(..n)?.parse().ok()?;
        let unit = rest.get(n..n + 1)?;
        ms += v * match unit {
            "H" => 3_600_000.0,
            "M" => 60_000.0,
            "S" => 1000.0,
            _ => return None,
        };
        rest = rest.get(n + 1..)?;
    }
    Some(ms.round() as u64)
}

fn session_fields(rec: &mut Record, msg: &str) {
    let both = |rec: &mut Record, a: &str, b: &str, v: &str| {
        put(rec, a, v);
        put(rec, b, v);
    };
    // `Session (id=f382a015) was last active 63231 ms ago: jid` (Finesse 3.x) or
    // `Session 7c2e91aa was last active PT13.23S ago: jid from IP ip  currently on rid 9001` (4.x).
    if let Some(i) = engine::find(msg, " was last active ") {
        let head = msg.get(..i).unwrap_or("");
        let sid = head.rsplit(' ').next().unwrap_or("").trim_start_matches("(id=").trim_end_matches(')');
        if !sid.is_empty() {
            both(rec, "session_id", "sid", sid);
        }
        let after = msg.get(i + 17..).unwrap_or("");
        let mut it = after.split(' ');
        let amount = it.next().unwrap_or("");
        let ms = if it.next() == Some("ms") { amount.parse::<u64>().ok() } else { iso_duration_ms(amount) };
        if let Some(ms) = ms {
            both(rec, "last_active_ms", "lastActiveMs", &ms.to_string());
        }
    }
    // `Closing idle session (id=f382a015): jid after being inactive for more than threshold value of 60`
    // or `Closing idle session 7c2e91aa: jid from IP ip`.
    // Three phrases hold `session`: a line without it is searched once for them, not three times.
    let names_session = engine::has(msg, "session");
    if let Some(i) = names_session.then(|| engine::find(msg, "Closing idle session ")).flatten() {
        let r = msg.get(i + 21..).unwrap_or("");
        let (sid, rest) = r.split_once(':').unwrap_or((r, ""));
        let sid = sid.trim().trim_start_matches("(id=").trim_end_matches(')');
        if !sid.is_empty() {
            both(rec, "session_id", "sid", sid);
        }
        if let Some(j) = rest.split_whitespace().next() {
            put(rec, "jid", j);
        }
        if let Some(t) = engine::find(msg, "threshold value of ").and_then(|k| msg.get(k + 19..)) {
            let t = t.split_whitespace().next().unwrap_or("");
            both(rec, "threshold_s", "inactivityThreshold", t);
        }
    }
    if let Some(j) = word_after(msg, " ago: ", &[]) {
        put(rec, "jid", j);
    }
    if let Some(j) = names_session.then(|| word_after(msg, "A session is being closed for ", &[])).flatten() {
        put(rec, "jid", j);
    }
    if let Some(ip) = word_after(msg, " from IP ", &[]) {
        put(rec, "ip", ip);
    }
    if let Some(rid) = word_after(msg, "currently on rid ", &[]) {
        put(rec, "rid", rid);
    }
    // `HTTP RECV(sid)`, `HTTP SENT(sid)`, `HTTP ERR(sid): terminate, item-not-found.` (each key
    // starts with `HTTP `: a line without it is searched once, not five times).
    if engine::has(msg, "HTTP ") {
        http_fields(rec, msg);
    }
    // `Client provided invalid session: sid. [ip]`
    if let Some(sid) = names_session.then(|| word_after(msg, "Client provided invalid session: ", &[])).flatten() {
        put(rec, "sid", sid.trim_end_matches('.'));
        if let Some(ip) = msg.rsplit('[').next().and_then(|r| r.strip_suffix(']')) {
            put(rec, "ip", ip);
        }
    }
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const DEBUG_EXAMPLES: &[Example] = &[
    Example {
        variant: "Finesse 3.x debug.log",
        timed: true,
        path: "debug.log",
        text: "2016.11.02 08:14:02 HttpSession: Session a81f22c0 was last active 12003 ms ago: 3105@finesse-a.example.org/desktop
2016.11.02 08:14:05 HTTPBindLog: HTTP RECV(a81f22c0): <body rid='811337' sid='a81f22c0' xmlns='http://jabber.org/protocol/httpbind'/>
",
    },
    Example {
        variant: "log4j debug.log (class - message)",
        timed: true,
        path: "debug.log",
        text: "2019.05.14 09:11:31 org.jivesoftware.openfire.http.HttpSession - Session 7c2e91aa requesting a retransmission for rid 40211
2019.05.14 09:11:31 org.jivesoftware.openfire.http.HttpBindServlet - Client provided invalid session: 5d0e7f11. [10.1.2.3]
",
    },
];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const INFO_EXAMPLES: &[Example] = &[
    Example {
        variant: "Finesse 3.x info.log",
        timed: true,
        path: "info.log",
        text: "2016.11.02 08:15:10 Closing idle session (id=a81f22c0): 3105@finesse-a.example.org/desktop after being inactive for more than threshold value of 60
2016.11.02 08:15:10 A session is being closed for 3105@finesse-a.example.org/desktop
",
    },
    Example {
        variant: "log4j info.log (class - message)",
        timed: true,
        path: "info.log",
        text: "2019.05.14 09:12:00 org.jivesoftware.openfire.http.HttpSessionManager - Session 7c2e91aa was last active PT31.004S ago: 4410@fin-b.example.net/desktop from IP 10.1.2.3  currently on rid 40212
2019.05.14 09:12:00 org.jivesoftware.openfire.http.HttpSessionManager - Closing idle session 7c2e91aa: 4410@fin-b.example.net/desktop from IP 10.1.2.3
",
    },
];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const WARN_EXAMPLES: &[Example] = &[Example {
    variant: "log4j warn.log",
    timed: true,
    path: "warn.log",
    text: "2019.05.14 09:13:44 org.jivesoftware.openfire.http.HttpSession - Deliverable unavailable for 40230 in session 7c2e91aa
2019.05.14 09:13:50 org.jivesoftware.openfire.spi.RoutingTableImpl - Failed to route packet to JID: 4410@fin-b.example.net/desktop packet: <message id='x1'/>
",
}];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const ERROR_EXAMPLES: &[Example] = &[
    Example {
        variant: "log4j error.log with a stack trace",
        timed: true,
        path: "error.log",
        text: "2019.05.14 09:14:02 org.jivesoftware.openfire.http.HttpBindServlet - Error sending packet to client.
org.jivesoftware.openfire.http.HttpConnectionClosedException: The http connection is no longer available to deliver content
\tat org.jivesoftware.openfire.http.HttpConnection.deliverBody(HttpConnection.java:120)
2019.05.14 09:14:09 org.jivesoftware.openfire.nio.ConnectionHandler - Closing connection due to exception in session: 10.1.2.9
",
    },
    Example {
        variant: "3.0-3.6 error.log with the caller in brackets",
        timed: true,
        path: "error.log",
        text: "2009.03.11 10:39:13 [org.jivesoftware.openfire.net.SocketReadingMode.negotiateTLS(SocketReadingMode.java:169)] Error while negotiating TLS
2009.03.11 10:39:20 [org.jivesoftware.openfire.spi.RoutingTableImpl.routePacket(RoutingTableImpl.java:240)] Failed to route packet to JID: 4410@im.example.net/spark
",
    },
];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const ALL_EXAMPLES: &[Example] = &[
    Example {
        variant: "4.x all.log with level and thread columns",
        timed: true,
        path: "all.log",
        text: "2019.05.14 09:11:30 INFO  [qtp1394336709-51]: org.jivesoftware.openfire.http.HttpBindServlet - HTTP RECV(7c2e91aa): <body rid='40211' sid='7c2e91aa' xmlns='http://jabber.org/protocol/httpbind'/>
2019.05.14 09:11:59 DEBUG [TaskEngine-pool-3]: org.jivesoftware.openfire.http.HttpBindServlet - HTTP ERR(7c2e91aa): terminate, item-not-found.
2019.05.14 09:12:00 ERROR [httpbind-worker-2]: org.jivesoftware.openfire.http.HttpBindServlet - Error sending packet to client.
java.io.IOException: Broken pipe
",
    },
    Example {
        variant: "4.6+ openfire.log with milliseconds",
        timed: true,
        path: "openfire.log",
        text: "2022.01.20 16:40:03.128 WARN  [TaskEngine-pool-2]: org.jivesoftware.openfire.http.HttpSession - Overactivity detected, too many simultaneous requests.
2022.01.20 16:40:05.001 INFO  [TaskEngine-pool-2]: org.jivesoftware.openfire.http.HttpSessionManager - Session 91aa0c2e was last active PT1M2.5S ago: 5120@fin-c.example.com/desktop from IP 192.0.2.10  currently on rid 700123
",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// `http_fields` sets the fields, values and order the per-key searches it replaced set, on
    /// generated lines (keys repeated, cut short, one inside another, empty sessions, errors).
    #[test]
    fn http_fields_read_as_one_search_per_key_did() {
        let per_key = |msg: &str| {
            let mut rec = Record::new(0, "text");
            for key in ["HTTP RECV(", "HTTP RECVC(", "HTTP SENT(", "HTTP ERR("] {
                if let Some(sid) = word_after(msg, key, &[')']) {
                    put(&mut rec, "sid", sid);
                }
            }
            if let Some(i) = engine::find(msg, "HTTP ERR(") {
                if let Some((_, r)) = engine::split_once(msg.get(i..).unwrap_or(""), "): ") {
                    let mut p = r.splitn(2, ", ");
                    if let Some(t) = p.next() {
                        put(&mut rec, "errorType", t.trim());
                    }
                    if let Some(c) = p.next() {
                        put(&mut rec, "condition", c.trim().trim_end_matches('.'));
                    }
                }
            }
            rec.fields().clone()
        };
        let one_walk = |msg: &str| {
            let mut rec = Record::new(0, "text");
            http_fields(&mut rec, msg);
            rec.fields().clone()
        };
        let pieces: Vec<&str> =
            "HTTP |HTTP RECV(|HTTP RECVC(|HTTP SENT(|HTTP ERR(|HTTP|RECV(|afb139f0|7c|)|): |terminate|, |item-not-found.| |é".split('|').collect();
        let found =
            crate::test_support::agree_on(crate::test_support::generated_texts(0x6f3e_0b19_a7c4_2d85, &pieces, 10, 60_000), per_key, one_walk, |f| f.len() > 1);
        assert!(found > 1_000, "{found} lines with two fields or more");
    }

    #[test]
    fn durations() {
        assert_eq!(iso_duration_ms("PT13.23S"), Some(13_230));
        assert_eq!(iso_duration_ms("PT1M2.5S"), Some(62_500));
        assert_eq!(iso_duration_ms("PT0.021S"), Some(21));
        assert_eq!(iso_duration_ms("13230"), None);
        assert_eq!(iso_duration_ms("PTxS"), None);
    }

    #[test]
    fn layouts() {
        let l = split_line("INFO  [Thread-41]: org.example.Foo - hello");
        assert_eq!((l.level, l.thread, l.logger, l.msg), ("INFO", "Thread-41", "org.example.Foo", "hello"));
        let l = split_line("HTTPBindLog: HTTP RECV(x): <body/>");
        assert_eq!((l.component, l.msg), ("HTTPBindLog", "HTTP RECV(x): <body/>"));
        let l = split_line("[org.example.A.b(A.java:3)] boom");
        assert_eq!((l.caller, l.msg), ("org.example.A.b(A.java:3)", "boom"));
        for s in ["", "INFO", "INFO  [", "INFO  [x", "[", "[a(", " - ", "x: "] {
            let _ = split_line(s);
        }
    }
}
