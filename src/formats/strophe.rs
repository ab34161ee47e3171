//! Browser-console captures of an XMPP client built on Strophe.js (the Finesse desktop, Candy,
//! Converse, JSXC…): the traffic the page printed with `rawInput` / `rawOutput` (`SENT:` / `RECV:`)
//! and Strophe's own debug lines, copied from the developer tools' console.
//!
//! Grammar (`[…]` optional, `|` alternatives):
//!
//! ```text
//! [<time> ][<source> ][<tag> ]<payload>[ <source>]
//!   <time>      HH:MM:SS.mmm                 (the console's "show timestamps" setting)
//!   <source>    file.js:123 | file.js:123:9 | VM123:4 | (index):45   (Chrome before, Firefox after)
//!   <tag>       [Strophe][DEBUG]: | [Strophe] | DEBUG: | INFO: | WARN: | ERROR:
//!   <payload>   <dir>:[ ]<xml>                (what the page printed around rawInput/rawOutput)
//!             | > <xml> | < <xml>             (JSXC: sent, received)
//!             | <strophe debug text>          (`request id 5.1 got 200`, `request id 5.0 posting`,
//!                                              `_throttledRequestHandler called with 1 requests`,
//!                                              `removing request`, `no requests during idle cycle…`,
//!                                              `request errored, status: 404, number of errors: 1`)
//!   <dir>       SENT | SEND | OUT (the client sent it) | RECV | RECEIVED | IN (it received it)
//!   <xml>       a BOSH <body/> or an XMPP stanza; a pretty-printed one continues on the lines after
//! ```
//!
//! Examples (written by the project):
//!
//! ```text
//! 15:20:31.902 finesse.js:212 SENT: <body rid='4118002' xmlns='http://jabber.org/protocol/httpbind' sid='…'/>
//! RECV: <body xmlns='http://jabber.org/protocol/httpbind'><message from='pubsub.…' …>…</message></body> strophe.js:301:13
//! app.bundle.js:88 [Strophe][DEBUG]: request id 5.1 got 404
//! ```
//!
//! Names: `BOSH_REQUEST`, `BOSH_RESPONSE`, `SESSION_CREATED`, `BOSH_TERMINATE` and the stanza
//! kinds (`XMPP_MESSAGE`, `XMPP_IQ`, `XMPP_OPEN`… for WebSocket frames) from the payload;
//! `REQUEST_POSTING`, `REQUEST_STATE`, `REQUEST_RESPONSE` (with `status`), `REQUEST_ERROR`,
//! `REQUEST_REMOVED`, `REQUEST_HANDLER`, `BLANK_REQUEST` from Strophe's debug text.
//! Fields: `direction` (sent|received), `script` (the script line), `stropheRequest` (`5.1`),
//! `status`; the BOSH and XMPP decoders read the payload (sid, rid, type/condition, stanzas,
//! the Finesse `<Update>` with its requestId).

use super::engine::{self, put, share, stamp_hms, Stamp};
use super::{Example, Format, Lane, Role, Shape};
use crate::model::Record;

/// What a console line carries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Traffic; `true` when the client sent it.
    Xml(bool),
    /// Strophe's debug text.
    Debug,
}

struct Line<'a> {
    stamp: Option<Stamp>,
    source: Option<&'a str>,
    kind: Kind,
    /// The XML (from its `<`) or the debug text.
    payload: &'a str,
}

/// `file.js:123`, `file.js:123:9`, `VM123:4`, `(index):45`: a script position.
fn is_source(t: &str) -> bool {
    let Some((file, pos)) = t.split_once(':') else { return false };
    let pos_ok = !pos.is_empty() && pos.split(':').all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
    pos_ok && (file.ends_with(".js") || file.ends_with(".html") || file.starts_with("VM") || file == "(index)" || file.ends_with(".mjs"))
}

const DIRS: &[(&str, bool)] = &[("SENT:", true), ("SEND:", true), ("OUT:", true), ("RECV:", false), ("RECEIVED:", false), ("IN:", false)];
const DEBUG: &[&str] = &["request id ", "_throttledRequestHandler", "removing request", "no requests during idle cycle", "request errored"];

fn line(l: &str) -> Option<Line<'_>> {
    let mut rest = l;
    let mut stamp = None;
    if rest.as_bytes().first()?.is_ascii_digit() {
        let st = stamp_hms(rest)?;
        rest = rest.get(st.len..)?.strip_prefix(' ')?;
        stamp = Some(st);
    }
    let mut source = None;
    if let Some((tok, after)) = rest.split_once(' ') {
        if is_source(tok) {
            source = Some(tok);
            rest = after;
        }
    }
    for tag in ["[Strophe][DEBUG]: ", "[Strophe][INFO]: ", "[Strophe][WARN]: ", "[Strophe][ERROR]: ", "[Strophe] ", "DEBUG: ", "INFO: ", "WARN: ", "ERROR: "] {
        if let Some(r) = rest.strip_prefix(tag) {
            rest = r;
            break;
        }
    }
    for (d, sent) in DIRS {
        if let Some(r) = rest.strip_prefix(d) {
            let r = r.trim_start_matches(' ');
            if r.starts_with('<') {
                return Some(Line { stamp, source, kind: Kind::Xml(*sent), payload: r });
            }
        }
    }
    for (d, sent) in [("> <", true), ("< <", false)] {
        if rest.starts_with(d) {
            return Some(Line { stamp, source, kind: Kind::Xml(sent), payload: rest.get(2..)? });
        }
    }
    if DEBUG.iter().any(|d| rest.starts_with(d)) {
        return Some(Line { stamp, source, kind: Kind::Debug, payload: rest });
    }
    None
}

pub static STROPHE_CONSOLE: Format = Format {
    name: "strophe-console",
    detect: |s| {
        let traffic = share(&s.lines, |l| line(l).is_some_and(|x| x.kind != Kind::Debug));
        let all = share(&s.lines, |l| line(l).is_some());
        if traffic >= 10 {
            engine::score(all, 20, 84)
        } else if all >= 40 {
            engine::score(all, 40, 70)
        } else {
            0
        }
    },
    shape: Shape::Lines { starts_record: |l| line(l).is_some(), glue: engine::no_glue, parse },
    lane: Lane::Browser,
    role: Role::Client,
    ids: &[],
    examples: EXAMPLES,
};

fn debug_name(t: &str) -> Option<&'static str> {
    Some(if let Some(r) = t.strip_prefix("request id ") {
        if engine::has(r, " posting") {
            "REQUEST_POSTING"
        } else if engine::has(r, " state changed to ") {
            "REQUEST_STATE"
        } else if engine::has(r, " got ") {
            "REQUEST_RESPONSE"
        } else if engine::has(r, " should now be removed") {
            "REQUEST_REMOVED"
        } else {
            "REQUEST"
        }
    } else if t.starts_with("_throttledRequestHandler") {
        "REQUEST_HANDLER"
    } else if t.starts_with("removing request") {
        "REQUEST_REMOVED"
    } else if t.starts_with("no requests during idle cycle") {
        "BLANK_REQUEST"
    } else if t.starts_with("request errored") {
        "REQUEST_ERROR"
    } else {
        return None;
    })
}

fn parse(rec: &mut Record, first: &str, _text: &str) {
    let Some(x) = line(first) else { return };
    if let Some(st) = x.stamp {
        rec.time = Some(st.time);
    }
    rec.set_component("strophe");
    let name = match x.kind {
        Kind::Xml(sent) => crate::decoders::bosh::payload_name(x.payload, Some(sent)),
        Kind::Debug => debug_name(x.payload),
    };
    if let Some(n) = name {
        rec.set_name(n);
    }
    // The rest are fields: an index entry stops here.
    if !rec.detail() {
        return;
    }
    if let Some(s) = x.source {
        put(rec, "script", s);
    }
    match x.kind {
        Kind::Xml(sent) => put(rec, "direction", if sent { "sent" } else { "received" }),
        Kind::Debug => {
            if let Some(id) = x.payload.strip_prefix("request id ").and_then(|r| r.split(' ').next()) {
                put(rec, "stropheRequest", id);
            }
            let status = x.payload.split(" got ").nth(1).or_else(|| x.payload.split("status: ").nth(1));
            if let Some(s) = status.and_then(|s| s.split([',', ' ']).next()).filter(|s| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())) {
                put(rec, "status", s);
            }
        }
    }
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const EXAMPLES: &[Example] = &[
    Example {
        variant: "Chrome, timestamps on, source before",
        timed: true,
        path: "console-export.log",
        text: "15:20:31.902 finesse.js:212 SENT: <body rid='4118002' xmlns='http://jabber.org/protocol/httpbind' sid='c0ffee42-1d2e-4f30-8a4b-5c6d7e8f9a0b'/>
15:20:41.117 finesse.js:209 RECV: <body xmlns='http://jabber.org/protocol/httpbind'><message from='pubsub.fin1.example.org' to='2280@fin1.example.org' id='/finesse/api/User/2280__2280@fin1.example.org__Xa3b9'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='/finesse/api/User/2280'><item id='b1c2d3e4-0000-4000-8000-00000000c0de'><notification xmlns='http://jabber.org/protocol/pubsub'>&lt;Update&gt;&lt;data&gt;&lt;user&gt;&lt;loginId&gt;2280&lt;/loginId&gt;&lt;state&gt;READY&lt;/state&gt;&lt;/user&gt;&lt;/data&gt;&lt;event&gt;PUT&lt;/event&gt;&lt;requestId&gt;5e6f7a8b-1111-4222-8333-944455556666&lt;/requestId&gt;&lt;source&gt;/finesse/api/User/2280&lt;/source&gt;&lt;/Update&gt;</notification></item></items></event></message></body>
15:20:41.130 app.bundle.js:88 [Strophe][DEBUG]: request id 5.1 got 200
",
    },
    Example {
        variant: "Firefox, no timestamps, source after; WebSocket frames",
        timed: false,
        path: "console.txt",
        text: "SENT: <open xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\" to=\"xmpp.example.org\" version=\"1.0\"/> converse.js:1201:17
RECV: <iq xmlns=\"jabber:client\" type=\"result\" id=\"bind_1\" to=\"2280@xmpp.example.org/web\"/> converse.js:1198:17
",
    },
    Example {
        variant: "JSXC arrows",
        timed: false,
        path: "jsxc-console.txt",
        text: "jsxc.js:1280 > <body rid=\"77120\" xmlns=\"http://jabber.org/protocol/httpbind\" sid=\"5b6c7d8e9f\"/>
jsxc.js:1277 < <body xmlns=\"http://jabber.org/protocol/httpbind\" type=\"terminate\" condition=\"item-not-found\"/>
",
    },
];
