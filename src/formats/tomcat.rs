//! Tomcat access logs: the Finesse layout (`client local user - port METHOD URI PROTO status bytes ms`)
//! and the common/combined log format (`ip - user [23/Apr/2013:18:40:05 -0400] "GET / HTTP/1.1" 200 5`).

use super::engine::{self, put, query_fields, share, stamp_clf};
use super::{Example, Format, Lane, Role, Shape};
use crate::model::Record;

const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE"];

/// An IPv4 address (`10.1.2.3`) or an IPv6 one (hex groups and colons: `fe80::1`, `::1`).
fn ipish(s: &str) -> bool {
    let v4 = s.split('.').count() == 4 && s.split('.').all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|c| c.is_ascii_digit()));
    let v6 = s.len() >= 2 && s.matches(':').count() >= 2 && s.bytes().all(|c| c.is_ascii_hexdigit() || c == b':' || c == b'.');
    v4 || v6
}

fn is_access(l: &str) -> bool {
    let mut it = l.split(' ');
    let Some(first) = it.next() else { return false };
    if !ipish(first) {
        return false;
    }
    l.split(' ').take(8).any(|t| METHODS.contains(&t.trim_start_matches('"')))
}

pub static TOMCAT_ACCESS: Format = Format {
    name: "tomcat-access",
    detect: |s| engine::score(share(&s.lines, is_access), 50, 75),
    shape: Shape::Lines { starts_record: |_| true, glue: engine::no_glue, parse },
    lane: Lane::Tomcat,
    role: Role::Server,
    ids: &[],
    examples: EXAMPLES,
};

fn parse(rec: &mut Record, first: &str, _text: &str) {
    if !is_access(first) {
        return;
    }
    let is_method = |t: &&str| METHODS.contains(&t.trim_start_matches('"'));
    let Some(method) = first.split(' ').filter(|t| !t.is_empty()).find(is_method).map(|t| t.trim_start_matches('"')) else { return };
    if let Some(b) = memchr::memchr(b'[', first.as_bytes()) {
        if let Some(st) = first.get(b + 1..).and_then(stamp_clf) {
            rec.time = Some(st.time);
        }
    }
    rec.set_name(method);
    // The rest are fields: an index entry stops here.
    if !rec.detail() {
        return;
    }
    let toks: Vec<&str> = first.split(' ').filter(|t| !t.is_empty()).collect();
    let Some(mi) = toks.iter().position(is_method) else { return };
    put(rec, "client_ip", toks.first().copied().unwrap_or(""));
    if rec.time.is_none() {
        // Finesse layout.
        put(rec, "local_ip", toks.get(1).copied().unwrap_or(""));
        put(rec, "user", toks.get(2).copied().unwrap_or(""));
        if mi >= 1 {
            put(rec, "port", toks.get(mi - 1).copied().unwrap_or(""));
        }
    } else {
        put(rec, "user", toks.get(2).copied().unwrap_or(""));
    }
    put(rec, "method", method);
    // URI: tokens up to the protocol (a stray space inside the URI is dropped).
    let mut i = mi + 1;
    let mut uri = String::new();
    while let Some(t) = toks.get(i) {
        if t.starts_with("HTTP/") {
            break;
        }
        uri.push_str(t);
        i += 1;
    }
    let mut proto = toks.get(i).map(|t| t.trim_end_matches('"').to_string()).unwrap_or_default();
    if proto == "HTTP/" {
        i += 1;
        if let Some(v) = toks.get(i) {
            proto.push_str(v.trim_end_matches('"'));
        }
    }
    put(rec, "uri", &uri);
    put(rec, "protocol", &proto);
    let rest: Vec<&str> = toks.get(i + 1..).map(|r| r.to_vec()).unwrap_or_default();
    put(rec, "status", rest.first().copied().unwrap_or(""));
    put(rec, "bytes", rest.get(1).copied().unwrap_or(""));
    if rec.time.is_none() {
        put(rec, "time_ms", rest.get(2).copied().unwrap_or(""));
        if rest.len() > 3 {
            put(rec, "extra", &rest.get(3..).map(|r| r.join(" ")).unwrap_or_default());
        }
    }
    query_fields(rec, &uri);
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const EXAMPLES: &[Example] = &[
    Example {
        variant: "Finesse layout without a time",
        timed: false,
        path: "localhost_access_log.2022-10-04.txt",
        text: "172.16.4.88 172.16.4.88 - - 8082 GET /desktop/container/ HTTP/1.1 200 4410 97
172.16.4.88 172.16.4.88 3105 - 8082 GET /finesse/api/User/3105?nocache=1664870400100 HTTP/1.1 200 1880 31
",
    },
    Example {
        variant: "combined log format",
        timed: true,
        path: "localhost_access_log.2022-10-04.txt",
        text: "172.16.4.88 - 3105 [04/Oct/2022:10:00:01 +0200] \"GET /finesse/api/SystemInfo?nocache=1664870401002 HTTP/1.1\" 200 612
172.16.4.88 - 3105 [04/Oct/2022:10:00:02 +0200] \"PUT /finesse/api/User/3105 HTTP/1.1\" 202 0
",
    },
];
