//! node-xmpp-bosh (a BOSH and WebSocket connection manager on node.js) logs, written by log4js.
//!
//! Grammar (`[…]` in the layout are literal brackets; optional parts are said so):
//!
//! ```text
//! [<stamp>] [<LEVEL>] [<category>] - <message>       (node-xmpp-bosh's layout)
//! [<stamp>] [<LEVEL>] <category> - <message>         (log4js' basic layout)
//!   <stamp>     YYYY-MM-DD HH:MM:SS.mmm | YYYY-MM-DDTHH:MM:SS.mmm[±HH:MM|Z]   (log4js versions)
//!   <LEVEL>     TRACE | DEBUG | INFO | WARN | ERROR | FATAL | MARK
//!   <category>  the source file, optionally with function and line: `http-server.js`,
//!               `options.js:new:80`, `xmpp-proxy.js:Object.<anonymous>:79`
//!   <message>   optional `<sid>` then optional `<stream>` (UUIDs), then the text:
//!               `RECD: <body …/>` (a request's body), `<sid> SENT(<rid>): <body …/>` (the response
//!               to that rid), `<sid> terminating Session due to inactivity`,
//!               `<sid> send_terminate_response - ro: true, condition: item-not-found`, …
//! ```
//!
//! Lines that do not start a record (the start-up banner in `+---+` boxes, wrapped XML) continue
//! the record before them. ANSI colour codes (console) and HTML escaping (a copy from a web page)
//! are taken off by the text wrappers before this grammar reads the lines.
//!
//! Examples (written by the project):
//!
//! ```text
//! [2013-05-02 10:15:02.118] [DEBUG] [http-server.js] - RECD: <body rid="551201" sid="…" xmlns="http://jabber.org/protocol/httpbind"/>
//! [2013-05-02 10:15:02.121] [DEBUG] [response.js] - 6a1f0c3e-… SENT(551201): <body xmlns="http://jabber.org/protocol/httpbind"/>
//! [2013-05-02T10:16:30.004+02:00] [INFO] session.js - 6a1f0c3e-… terminating Session due to inactivity
//! ```
//!
//! Names: `BOSH_REQUEST`, `BOSH_RESPONSE`, `SESSION_CREATED`, `BOSH_TERMINATE` (from the bodies,
//! and from `send_terminate_response` / `send_invalid_packet_terminate_response` / the
//! MAX_BOSH_CONNECTIONS and stream-count violations), `CLOSING_IDLE_SESSION`, `STREAM_TERMINATE`,
//! `HTTP_REQUEST`, `DATA_RECEIVED`, the stanza kind for `_on_stanza parsed:` / `Sent:`.
//! Fields: `category`, `sid`, `stream`, `rid` (from `SENT(<rid>)`), `condition`; the BOSH and
//! XMPP decoders read the bodies.

use super::engine::{self, put, share, stamp_ymd, Stamp};
use super::prosody::is_uuid;
use super::{Example, Format, Lane, Role, Shape};
use crate::model::Record;

const LEVELS: &[&str] = &["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "MARK"];

struct Line<'a> {
    stamp: Stamp,
    level: &'a str,
    category: &'a str,
    msg: &'a str,
}

fn line(l: &str) -> Option<Line<'_>> {
    let inner = l.strip_prefix('[')?;
    let stamp = stamp_ymd(inner)?;
    let rest = inner.get(stamp.len..)?.strip_prefix("] [")?;
    let close = memchr::memchr(b']', rest.get(..rest.len().min(8))?.as_bytes())?;
    let level = rest.get(..close)?;
    if !LEVELS.contains(&level) {
        return None;
    }
    let rest = rest.get(close + 1..)?.strip_prefix(' ')?;
    let sep = engine::prefix_at_most(rest, 200).find(" - ")?;
    let category = rest.get(..sep)?;
    let category = category.strip_prefix('[').and_then(|c| c.strip_suffix(']')).unwrap_or(category);
    if category.is_empty() || category.contains(' ') && !engine::has(category, "<anonymous>") {
        return None;
    }
    Some(Line { stamp, level, category, msg: rest.get(sep + 3..)? })
}

pub static NODE_XMPP_BOSH: Format = Format {
    name: "node-xmpp-bosh",
    detect: |s| {
        let n = share(&s.lines, |l| line(l).is_some());
        let bosh = s.lines.iter().any(|l| engine::has(l, "RECD:") || engine::has(l, " SENT(") || engine::has(l, ".js") || engine::has(l, "httpbind"));
        if bosh {
            engine::score(n, 30, 82)
        } else {
            0
        }
    },
    shape: Shape::Lines { starts_record: |l| line(l).is_some(), glue: engine::no_glue, parse },
    lane: Lane::Notification,
    role: Role::Server,
    ids: &[],
    examples: EXAMPLES,
};

/// The `<sid>` and `<stream>` UUIDs at the start of a message, and the text after them.
fn ids(msg: &str) -> (Option<&str>, Option<&str>, &str) {
    fn take(s: &str) -> Option<(&str, &str)> {
        let id = s.get(..36).filter(|x| is_uuid(x))?;
        let rest = s.get(36..)?;
        Some((id, rest.strip_prefix(' ').unwrap_or(rest)))
    }
    match take(msg) {
        Some((sid, rest)) => match take(rest) {
            Some((stream, rest)) => (Some(sid), Some(stream), rest),
            None => (Some(sid), None, rest),
        },
        None => (None, None, msg),
    }
}

fn name_of(text: &str) -> Option<&'static str> {
    use crate::decoders::bosh::payload_name;
    let p = |x: &str| text.starts_with(x);
    let xml = || text.find('<').and_then(|i| text.get(i..)).unwrap_or("");
    Some(if p("RECD: ") {
        payload_name(xml(), Some(true)).unwrap_or("BOSH_REQUEST")
    } else if p("SENT(") {
        payload_name(xml(), Some(false)).unwrap_or("BOSH_RESPONSE")
    } else if p("terminating Session due to inactivity") {
        "CLOSING_IDLE_SESSION"
    } else if p("send_terminate_response")
        || p("send_invalid_packet_terminate_response")
        || p("will terminate due to")
        || engine::has(text, "max stream violation")
    {
        "BOSH_TERMINATE"
    } else if p("Stream Terminate Request") {
        "STREAM_TERMINATE"
    } else if p("Processing ") && engine::has(text, " request at location") {
        "HTTP_REQUEST"
    } else if p("_on_data RECD") {
        "DATA_RECEIVED"
    } else if p("_on_stanza parsed: ") || p("Sent: ") {
        return payload_name(xml(), None);
    } else {
        return None;
    })
}

fn parse(rec: &mut Record, first: &str, _text: &str) {
    let Some(x) = line(first) else { return };
    rec.time = Some(x.stamp.time);
    rec.set_severity(x.level);
    // The file name is the component (`response.js`); function and line are fields.
    let (file, where_) = x.category.split_once(':').unwrap_or((x.category, ""));
    rec.set_component(file);
    let (sid, stream, text) = ids(x.msg);
    if let Some(n) = name_of(text) {
        rec.set_name(n);
    }
    // The rest are fields: an index entry stops here.
    if !rec.detail() {
        return;
    }
    if !where_.is_empty() {
        put(rec, "category", x.category);
    }
    if let Some(s) = sid {
        put(rec, "sid", s);
    }
    if let Some(s) = stream {
        put(rec, "stream", s);
    }
    if let Some(rid) = text.strip_prefix("SENT(").and_then(|r| r.split(')').next()) {
        put(rec, "rid", rid);
        put(rec, "direction", "out");
    }
    if text.starts_with("RECD: ") {
        put(rec, "direction", "in");
    }
    if let Some(c) = text.split("condition: ").nth(1).map(str::trim).filter(|c| !c.is_empty() && *c != "no-condition") {
        put(rec, "condition", c);
    } else if text.starts_with("send_invalid_packet_terminate_response") {
        put(rec, "condition", "item-not-found");
    } else if text.starts_with("will terminate due to") || engine::has(text, "max stream violation") {
        put(rec, "condition", "policy-violation");
    }
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const EXAMPLES: &[Example] = &[
    Example {
        variant: "0.7.x layout: bracketed category",
        timed: true,
        path: "bosh.log",
        text: "[2013-05-02 10:15:01.007] [DEBUG] [http-server.js] - RECD: <body rid=\"551200\" xmlns=\"http://jabber.org/protocol/httpbind\" to=\"xmpp.example.org\" wait=\"60\" hold=\"1\" ver=\"1.6\" xmlns:xmpp=\"urn:xmpp:xbosh\" xmpp:version=\"1.0\"/>
[2013-05-02 10:15:01.012] [DEBUG] [response.js] - 6a1f0c3e-8b2d-4e7f-9a10-3c5d7e9f1b24 SENT(551200): <body xmlns=\"http://jabber.org/protocol/httpbind\" stream=\"e0d1c2b3-a4f5-4e6d-8c7b-9a0f1e2d3c4b\" sid=\"6a1f0c3e-8b2d-4e7f-9a10-3c5d7e9f1b24\" wait=\"60\" ver=\"1.6\" polling=\"35\" inactivity=\"70\" requests=\"2\" hold=\"1\" from=\"xmpp.example.org\"/>
[2013-05-02 10:15:02.118] [DEBUG] [http-server.js] - RECD: <body rid=\"551201\" sid=\"6a1f0c3e-8b2d-4e7f-9a10-3c5d7e9f1b24\" xmlns=\"http://jabber.org/protocol/httpbind\"/>
[2013-05-02 10:16:22.500] [INFO] [session.js:Session.reset_inactivity_timeout:612] - 6a1f0c3e-8b2d-4e7f-9a10-3c5d7e9f1b24 terminating Session due to inactivity
[2013-05-02 10:16:22.502] [INFO] [session.js] - 6a1f0c3e-8b2d-4e7f-9a10-3c5d7e9f1b24 send_terminate_response - ro: false, condition: no-condition
",
    },
    Example {
        variant: "log4js basic layout, ISO stamp with zone",
        timed: true,
        path: "node-xmpp-bosh.log",
        text: "[2016-09-20T08:30:11.402+02:00] [INFO] session.js - 1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5 send_invalid_packet_terminate_response -- will terminate
[2016-09-20T08:30:11.405+02:00] [DEBUG] response.js - 1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5 SENT(88120): <body xmlns=\"http://jabber.org/protocol/httpbind\" type=\"terminate\" condition=\"item-not-found\"/>
",
    },
];
