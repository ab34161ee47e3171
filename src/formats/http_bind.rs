//! Raw HTTP wire traces of BOSH (`POST /http-bind`): what `curl -v`, a Fiddler or Wireshark text
//! export and `tcpdump -A` print — request and response headers with the `<body/>` payloads.
//! One record per HTTP message (or per packet for tcpdump).
//!
//! Grammar (`[…]` optional, `|` alternatives):
//!
//! ```text
//! curl -v:      [<time> ]> <METHOD> <target> HTTP/<v>      then `> <Header>: <value>` lines
//!               [<time> ]< HTTP/<v> <status>[ <reason>]   then `< <Header>: <value>` lines and the body
//!               [<time> ]* <curl's note>                  (`* Connected to …`, one record each)
//! raw text:     <METHOD> <target> HTTP/<v>                 then headers, a blank line, the body
//!               HTTP/<v> <status>[ <reason>]              (Fiddler "Save as Text", Wireshark
//!                                                          "Follow HTTP stream"; `-----` separators)
//! tcpdump -A:   <time> IP[6] <src>.<port> > <dst>.<port>: <tcp flags…>, length <n>[: HTTP…]
//!               then the packet as text: a binary prefix, the request/status line, headers, body
//!   <time>      HH:MM:SS.uuuuuu (curl --trace-time, tcpdump) | YYYY-MM-DD HH:MM:SS.uuuuuu (tcpdump -tttt)
//!   <target>    /http-bind[/] | https://host:7443/http-bind/ (proxies)
//! ```
//!
//! A message without a time of its own (raw text) takes the time of its `Date:` header (a
//! response's, RFC 1123: `Date: Tue, 11 Jun 2024 19:20:31 GMT`).
//!
//! Examples (written by the project):
//!
//! ```text
//! > POST /http-bind/ HTTP/1.1
//! < HTTP/1.1 200 OK
//! POST https://fin1.example.org:7443/http-bind/ HTTP/1.1
//! 15:20:31.902311 IP 192.0.2.44.51022 > 192.0.2.10.7071: Flags [P.], seq 1:402, ack 1, win 502, length 401: HTTP: POST /http-bind HTTP/1.1
//! ```
//!
//! Names: `BOSH_REQUEST`, `BOSH_TERMINATE`, `BOSH_RESPONSE`, `SESSION_CREATED` (from the body),
//! `HTTP_REQUEST` / `HTTP_RESPONSE` (no BOSH body), `TCP_PACKET` (a packet with no HTTP text),
//! `CURL_INFO`. Fields: `method`, `url`, `status`, `reason`, `host`, `contentLength`, `date`,
//! `src`, `dst`, `tcpLength`; the BOSH and XMPP decoders read the body.

use super::engine::{self, make_time, put, share, stamp_hms, stamp_ymd, Stamp};
use super::{Example, Format, Lane, Role, Shape};
use crate::model::Record;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Request,
    Response,
    Curl,
    Packet,
}

const METHODS: &[&str] = &["POST", "GET", "OPTIONS", "PUT", "DELETE", "HEAD"];

/// `<METHOD> <target> HTTP/<v>`: the method and target.
fn request_line(l: &str) -> Option<(&str, &str)> {
    let (method, rest) = l.split_once(' ')?;
    if !METHODS.contains(&method) {
        return None;
    }
    let (target, version) = rest.rsplit_once(' ')?;
    (version.starts_with("HTTP/") && !target.is_empty() && !target.contains(' ')).then_some((method, target))
}

/// `HTTP/<v> <status>[ <reason>]`: the status and reason.
fn status_line(l: &str) -> Option<(&str, &str)> {
    let rest = l.strip_prefix("HTTP/")?;
    let (_, rest) = rest.split_once(' ')?;
    let status = rest.get(..3)?;
    if !status.bytes().all(|c| c.is_ascii_digit()) || !matches!(rest.as_bytes().get(3), None | Some(b' ')) {
        return None;
    }
    Some((status, rest.get(3..).unwrap_or("").trim()))
}

struct Start<'a> {
    stamp: Option<Stamp>,
    kind: Kind,
    /// The line past the time and curl's `> ` / `< ` / `* `.
    rest: &'a str,
}

fn start(l: &str) -> Option<Start<'_>> {
    let mut stamp = None;
    let mut rest = l;
    if l.as_bytes().first()?.is_ascii_digit() {
        let st = stamp_ymd(l).or_else(|| stamp_hms(l))?;
        rest = l.get(st.len..)?.strip_prefix(' ')?;
        stamp = Some(st);
    }
    if let Some(r) = rest.strip_prefix("> ") {
        return request_line(r).map(|_| Start { stamp, kind: Kind::Request, rest: r });
    }
    if let Some(r) = rest.strip_prefix("< ") {
        return status_line(r).map(|_| Start { stamp, kind: Kind::Response, rest: r });
    }
    if let Some(r) = rest.strip_prefix("* ") {
        return Some(Start { stamp, kind: Kind::Curl, rest: r });
    }
    if stamp.is_some() && (rest.starts_with("IP ") || rest.starts_with("IP6 ")) && engine::has(rest, " > ") {
        return Some(Start { stamp, kind: Kind::Packet, rest });
    }
    if stamp.is_none() {
        if request_line(rest).is_some() {
            return Some(Start { stamp, kind: Kind::Request, rest });
        }
        if status_line(rest).is_some() {
            return Some(Start { stamp, kind: Kind::Response, rest });
        }
    }
    None
}

pub static HTTP_BIND_WIRE: Format = Format {
    name: "http-bind-wire",
    detect: |s| {
        let head = engine::prefix_at_most(s.text, 65536);
        let bosh = engine::has(head, "/http-bind") || engine::has(head, "jabber.org/protocol/httpbind");
        let http = share(&s.lines, |l| start(l).is_some_and(|x| x.kind != Kind::Curl));
        if bosh && http >= 5 {
            engine::score(http, 5, 79)
        } else {
            0
        }
    },
    shape: Shape::Lines { starts_record: |l| start(l).is_some(), glue: engine::no_glue, parse },
    lane: Lane::Browser,
    role: Role::Client,
    ids: &[],
    examples: EXAMPLES,
};

/// `Tue, 11 Jun 2024 19:20:31 GMT` (RFC 1123, as HTTP `Date:` headers write it).
fn rfc1123(s: &str) -> Option<Stamp> {
    let (_, rest) = s.split_once(", ")?;
    let mut it = rest.splitn(4, ' ');
    let d: u32 = it.next()?.parse().ok()?;
    let m = crate::time::month_from_abbrev(it.next()?)?;
    let y: i32 = it.next()?.parse().ok()?;
    let tail = it.next()?;
    let (ms, tl) = crate::time::parse_hms(tail)?;
    if !crate::time::valid_date(y, m, d) {
        return None;
    }
    let zone = tail.get(tl..)?.trim();
    let off = crate::time::parse_offset(zone).map(|o| (o, zone));
    let used = s.len() - tail.len() + tl + if off.is_some() { tail.get(tl..)?.len() } else { 0 };
    Some(Stamp { time: make_time(s.get(..used)?, Some((y, m, d)), Some(ms), off), len: used })
}

/// The value of header `name` in a record's text (`\n<name>: value` or curl's `\n< <name>: value`).
fn header<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    for line in text.lines().skip(1).take(60) {
        let l = line.strip_prefix("< ").or_else(|| line.strip_prefix("> ")).unwrap_or(line);
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case(name) {
                return Some(v.trim());
            }
        }
    }
    None
}

/// The BOSH or XMPP payload in a record's text, from its `<`.
fn payload(text: &str) -> Option<&str> {
    let at = memchr::memmem::find(text.as_bytes(), b"<body")
        .or_else(|| ["<message", "<presence", "<iq "].iter().filter_map(|t| memchr::memmem::find(text.as_bytes(), t.as_bytes())).min())?;
    text.get(at..)
}

fn parse(rec: &mut Record, first: &str, text: &str) {
    let Some(s) = start(first) else { return };
    let stamped = s.stamp.is_some();
    if let Some(st) = s.stamp {
        rec.time = Some(st.time);
    }
    // A tcpdump packet: the HTTP line inside it decides what it is.
    let (kind, http_line) = match s.kind {
        Kind::Packet => {
            let after = text.get(first.len().min(text.len())..).unwrap_or("");
            let inner = ["POST ", "GET ", "OPTIONS ", "HTTP/1."]
                .iter()
                .filter_map(|t| memchr::memmem::find(after.as_bytes(), t.as_bytes()))
                .min()
                .and_then(|i| after.get(i..))
                .map(|t| t.lines().next().unwrap_or(""));
            match inner {
                Some(l) if request_line(l).is_some() => (Kind::Request, l),
                Some(l) if status_line(l).is_some() => (Kind::Response, l),
                _ => (Kind::Packet, ""),
            }
        }
        k => (k, s.rest),
    };
    let body = payload(text);
    let name = match kind {
        Kind::Request => body.and_then(|b| crate::decoders::bosh::payload_name(b, Some(true))).unwrap_or_else(|| {
            // curl -v does not print the body it posts: the target says it is BOSH.
            let bosh = request_line(http_line).is_some_and(|(m, t)| m == "POST" && (engine::has(t, "http-bind") || engine::has(t, "/bosh")));
            if bosh {
                "BOSH_REQUEST"
            } else {
                "HTTP_REQUEST"
            }
        }),
        Kind::Response => body.and_then(|b| crate::decoders::bosh::payload_name(b, Some(false))).unwrap_or("HTTP_RESPONSE"),
        Kind::Curl => "CURL_INFO",
        Kind::Packet => "TCP_PACKET",
    };
    rec.set_name(name);
    rec.set_component(match s.kind {
        Kind::Packet => "tcpdump",
        Kind::Curl => "curl",
        _ if first.starts_with(['>', '<']) || stamped => "curl",
        _ => "http",
    });
    if rec.time.is_none() && kind == Kind::Response {
        if let Some(st) = header(text, "Date").and_then(rfc1123) {
            rec.time = Some(st.time);
        }
    }
    // The rest are fields: an index entry stops here.
    if !rec.detail() {
        return;
    }
    if let Some((method, target)) = request_line(http_line) {
        put(rec, "method", method);
        put(rec, "url", target);
    }
    if let Some((status, reason)) = status_line(http_line) {
        put(rec, "status", status);
        put(rec, "reason", reason);
    }
    for (h, key) in [("Host", "host"), ("Content-Length", "contentLength"), ("Date", "date")] {
        if let Some(v) = header(text, h) {
            put(rec, key, v);
        }
    }
    if s.kind == Kind::Packet {
        // `IP 192.0.2.44.51022 > 192.0.2.10.7071: Flags [P.], …, length 401`
        let r = s.rest.split_once(' ').map_or("", |x| x.1);
        if let Some((src, r)) = r.split_once(" > ") {
            put(rec, "src", src);
            put(rec, "dst", r.split(':').next().unwrap_or(""));
        }
        if let Some(n) = s.rest.split("length ").nth(1).and_then(|v| v.split([':', ' ', ',']).next()) {
            put(rec, "tcpLength", n);
        }
    }
    if s.kind == Kind::Curl {
        put(rec, "note", s.rest);
    }
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const EXAMPLES: &[Example] = &[
    Example {
        variant: "curl -v --trace-time",
        timed: true,
        path: "curl-http-bind.txt",
        text: "15:20:31.901002 * Connected to xmpp.example.org (192.0.2.10) port 5280 (#0)
15:20:31.901120 > POST /http-bind HTTP/1.1
15:20:31.901120 > Host: xmpp.example.org:5280
15:20:31.901120 > Content-Type: text/xml; charset=utf-8
15:20:31.901120 > Content-Length: 108
15:20:31.901120 >
15:20:31.902950 < HTTP/1.1 200 OK
15:20:31.902950 < Content-Type: text/xml; charset=utf-8
15:20:31.902950 < Content-Length: 150
15:20:31.902950 <
<body xmlns='http://jabber.org/protocol/httpbind' sid='9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' type='terminate' condition='item-not-found'/>
15:20:31.903100 * Connection #0 to host xmpp.example.org left intact
",
    },
    Example {
        variant: "Fiddler text export, time from the Date header",
        timed: false,
        path: "fiddler-sessions.txt",
        text: "POST https://fin1.example.org:7443/http-bind/ HTTP/1.1
Host: fin1.example.org:7443
Content-Type: text/xml; charset=UTF-8
Content-Length: 112

<body rid='3881220' xmlns='http://jabber.org/protocol/httpbind' sid='c0ffee42-1d2e-4f30-8a4b-5c6d7e8f9a0b'/>

HTTP/1.1 200 OK
Date: Tue, 11 Jun 2024 19:20:31 GMT
Content-Type: text/xml; charset=utf-8
Content-Length: 52

<body xmlns='http://jabber.org/protocol/httpbind'/>

------------------------------------------------------------------
",
    },
    Example {
        variant: "tcpdump -A -tttt on the plain-text port",
        timed: true,
        path: "capture.txt",
        text: "2024-06-11 15:20:31.902311 IP 192.0.2.44.51022 > 192.0.2.10.7071: Flags [P.], seq 1:402, ack 1, win 502, length 401: HTTP: POST /http-bind HTTP/1.1
E....@.@.....,.....P....POST /http-bind HTTP/1.1
Host: fin1.example.org:7071
Content-Type: text/xml; charset=utf-8

<body rid='3881221' xmlns='http://jabber.org/protocol/httpbind' sid='c0ffee42-1d2e-4f30-8a4b-5c6d7e8f9a0b' type='terminate'><presence type='unavailable' xmlns='jabber:client'/></body>
",
    },
];
