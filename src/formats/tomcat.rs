//! Tomcat access logs (`tomcat-access`), as the Tomcats of Finesse, CUIC, UCCX and CCP write them
//! with their `AccessLogValve` patterns, read by one grammar whose every column is optional:
//!
//! ```text
//! <client>[, <proxy>…] [<local address>] <ident|user> <user|ident> [<port>] [\[<time>\]] ["]<METHOD> <URI>[ <PROTOCOL>]["] <status> <bytes|-> [<time taken>] ["<referer>"] ["<user agent>"] ["<X-Forwarded-For>"] [more…]
//! ```
//! - `<client>`: `%h`/`%a`, IPv4 or IPv6 (`2001:db8::17`, `0:0:0:0:0:0:0:1`, `[::1]`), a host name
//!   (with `enableLookups`), `-`, or an `X-Forwarded-For` list (`%{X-Forwarded-For}i`: `203.0.113.9, 10.1.1.5`);
//! - the Finesse layout (9.x–10.x, `%h %A %u %l %p %m %U%q %H %s %b %D`) has the local address and
//!   port columns and writes the user first; the common/combined layout writes `%l %u`;
//! - `<time>`: `%t` (`[23/Apr/2013:18:40:05 -0400]`, with or without milliseconds) or
//!   `%{yyyy-MM-dd HH:mm:ss.SSS Z}t`-style patterns inside the brackets; absent in the Finesse
//!   layout of 9.x–10.x (the record then has no time);
//! - the request is bare (`GET /x HTTP/1.1`) or quoted (`"GET /x HTTP/1.1"`); a stray blank inside
//!   the URI or the protocol (`HTTP/ 1.1`) is tolerated;
//! - `<time taken>`: `%D` (milliseconds up to Tomcat 9, microseconds from Tomcat 10) or `%T`
//!   (seconds, `0.012`), kept as written in `time_taken` (and as `time_ms` in the Finesse layout,
//!   where it is milliseconds);
//! - quoted columns after it: referer and user agent, an `X-Forwarded-For` value.
//!
//! Examples (written by the project):
//! ```text
//! 172.16.4.88 172.16.4.88 3105 - 8082 GET /finesse/api/User/3105?nocache=1664870400100 HTTP/1.1 200 1880 31
//! 172.16.4.88 - 3105 [04/Oct/2022:10:00:02 +0200] "PUT /finesse/api/User/3105 HTTP/1.1" 202 - 14
//! 2001:db8:40::1c - - [04/Oct/2022:10:00:03.118 +0200] "GET /cuic/Main.htmx HTTP/1.1" 200 5120 0.012 "-" "Mozilla/5.0"
//! ```

use super::engine::{self, put, query_fields, stamp_clf, stamp_ymd, Stamp};
use super::{Example, Format, Lane, Role, Shape};
use crate::model::Record;

const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE"];

/// An IPv4 address (`10.1.2.3`) or an IPv6 one (hex groups and colons: `fe80::1`, `::1`, `[::1]`).
fn ipish(s: &str) -> bool {
    let s = s.strip_prefix('[').and_then(|x| x.strip_suffix(']')).unwrap_or(s);
    let v4 = s.split('.').count() == 4 && s.split('.').all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|c| c.is_ascii_digit()));
    let v6 = s.len() >= 2 && s.bytes().filter(|&c| c == b':').count() >= 2 && s.bytes().all(|c| c.is_ascii_hexdigit() || c == b':' || c == b'.');
    v4 || v6
}

/// A host name as `%h` writes it with lookups on: letters, digits, dots and dashes, with a dot.
fn hostish(s: &str) -> bool {
    s.len() <= 253 && s.contains('.') && s.bytes().any(|c| c.is_ascii_alphabetic()) && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-')
}

fn is_method(t: &str) -> bool {
    let m = t.trim_start_matches('"');
    // Every method is 3 to 7 upper-case letters (tested): detection asks this of every token of
    // every sample line, and most tokens are turned away by their length or first byte.
    (3..=7).contains(&m.len()) && m.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && METHODS.contains(&m)
}

/// Space-separated tokens with their offsets.
fn tokens(l: &str) -> impl Iterator<Item = (usize, &str)> {
    // A byte loop: tokens are a few bytes long, and a `memchr` call per blank (or `str::split`'s
    // searcher) cost more than the bytes it skipped; every sample line of every file is split
    // here during detection.
    let b = l.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while b.get(at) == Some(&b' ') {
            at += 1;
        }
        let start = at;
        while b.get(at).is_some_and(|&c| c != b' ') {
            at += 1;
        }
        // Blanks are ASCII: both ends are character boundaries.
        (at > start).then(|| (start, l.get(start..at).unwrap_or("")))
    })
}

/// What index mode needs from an access line: its client column, the time inside brackets (as
/// written), the method, and where the request starts.
struct Head<'a> {
    client: &'a str,
    time: Option<&'a str>,
    method: &'a str,
    /// Byte offset of the method's token (its quote included).
    method_at: usize,
    /// Byte offset where the columns between the client and the request end (the time's bracket
    /// or the method).
    pre_end: usize,
    /// Byte offset after the client column(s).
    client_end: usize,
}

fn head(l: &str) -> Option<Head<'_>> {
    let mut it = tokens(l);
    let (_, first) = it.next()?;
    // An X-Forwarded-For list: `203.0.113.9, 10.1.1.5`.
    let mut client_end = first.len();
    let mut client = first;
    if first.ends_with(',') {
        client = first.trim_end_matches(',');
        let mut end = client_end;
        let rest = l.get(client_end..)?;
        for t in rest.split(' ').filter(|t| !t.is_empty()) {
            let ip = t.trim_end_matches(',');
            if !ipish(ip) {
                break;
            }
            end = engine::offset_in(l, t)? + t.len();
            if !t.ends_with(',') {
                break;
            }
        }
        client_end = end;
    }
    let client_ok = ipish(client) || client == "-";
    // A line is an access line only with a client an address, `-` or a host name: most lines of
    // other families are turned away here, before their tokens are read (detection asks every
    // sample line of every file).
    if !client_ok && !hostish(client) {
        return None;
    }
    let mut time = None;
    let mut pre_end = None;
    let mut skip_until = 0;
    for (n, (at, t)) in tokens(l).enumerate() {
        if at < client_end || at < skip_until {
            continue;
        }
        if n > 16 {
            return None;
        }
        if t.starts_with('[') && time.is_none() {
            let close = at + memchr::memchr(b']', l.get(at..)?.as_bytes())?;
            time = l.get(at + 1..close);
            pre_end.get_or_insert(at);
            skip_until = close + 1;
            continue;
        }
        if is_method(t) {
            if !(client_ok || (time.is_some() && hostish(client))) {
                return None;
            }
            let method = t.trim_start_matches('"');
            return Some(Head { client, time, method, method_at: at, pre_end: pre_end.unwrap_or(at), client_end });
        }
    }
    None
}

/// The status after the request: the first 3-digit token (100–599) within a few tokens.
fn status_after(l: &str, h: &Head) -> Option<(usize, usize)> {
    let rest = l.get(h.method_at..)?;
    for (k, (at, t)) in tokens(rest).enumerate().skip(1) {
        if k > 8 {
            break;
        }
        if t.len() == 3 && t.bytes().all(|c| c.is_ascii_digit()) && t.as_bytes().first().is_some_and(|c| (b'1'..=b'5').contains(c)) {
            return Some((k, h.method_at + at));
        }
    }
    None
}

fn is_access(l: &str) -> bool {
    head(l).is_some_and(|h| status_after(l, &h).is_some())
}

/// The time inside the brackets: CLF, or an ISO-like pattern.
fn access_time(t: &str) -> Option<Stamp> {
    stamp_clf(t).or_else(|| stamp_ymd(t)).or_else(|| super::generic::find_time(t).filter(|(at, _)| *at == 0).map(|(_, st)| st))
}

pub static TOMCAT_ACCESS: Format = Format {
    name: "tomcat-access",
    detect: |s| engine::scored(&s.lines, 50, 75, is_access),
    shape: Shape::Lines { starts_record: |_| true, glue: engine::no_glue, parse },
    lane: Lane::Tomcat,
    role: Role::Server,
    ids: &[],
    examples: EXAMPLES,
};

fn parse(rec: &mut Record, first: &str, _text: &str) {
    let Some(h) = head(first) else { return };
    let Some((_, status_at)) = status_after(first, &h) else { return };
    if let Some(st) = h.time.and_then(access_time) {
        rec.time = Some(st.time);
    }
    rec.set_name(h.method);
    // The rest are fields: an index entry stops here.
    if !rec.detail() {
        return;
    }
    put(rec, "client_ip", h.client.trim_start_matches('[').trim_end_matches(']'));
    if let Some(list) = first.get(..h.client_end).filter(|c| c.contains(',')) {
        put(rec, "x_forwarded_for", list);
    }
    // The columns between the client and the request: [local address] ident/user [port].
    let pre: Vec<&str> = first.get(h.client_end..h.pre_end).unwrap_or("").split(' ').filter(|t| !t.is_empty()).collect();
    let mut p: &[&str] = &pre;
    let mut finesse = false;
    if let Some((a, rest)) = p.split_first().filter(|(a, _)| ipish(a)) {
        put(rec, "local_ip", a);
        p = rest;
        finesse = true;
    }
    if let Some((last, rest)) = p.split_last().filter(|(l, r)| r.len() >= 2 && l.len() <= 5 && l.bytes().all(|c| c.is_ascii_digit())) {
        put(rec, "port", last);
        p = rest;
        finesse = true;
    }
    let (user, ident) = match p {
        [a, b, ..] if finesse => (Some(*a), Some(*b)),
        [a, b, ..] => (Some(*b), Some(*a)),
        [a] => (Some(*a), None),
        [] => (None, None),
    };
    if let Some(u) = user {
        put(rec, "user", u);
        if u != "-" {
            put(rec, "authUser", u);
        }
    }
    if let Some(i) = ident.filter(|i| *i != "-") {
        put(rec, "ident", i);
    }
    put(rec, "method", h.method);
    // The request: URI tokens up to the protocol or the status (a stray blank inside is dropped).
    let req = first.get(h.method_at..status_at).unwrap_or("");
    let mut uri = String::new();
    let mut proto = String::new();
    for (_, t) in tokens(req).skip(1) {
        let t = t.trim_end_matches('"');
        if t.starts_with("HTTP/") || !proto.is_empty() {
            proto.push_str(t);
        } else {
            uri.push_str(t);
        }
    }
    put(rec, "uri", &uri);
    if !proto.is_empty() {
        put(rec, "protocol", &proto);
    }
    // After the request: status, bytes, time taken, quoted columns, anything else.
    let after = first.get(status_at..).unwrap_or("");
    let mut it = tokens(after);
    if let Some((_, s)) = it.next() {
        put(rec, "status", s);
    }
    if let Some((_, b)) = it.next() {
        put(rec, "bytes", b);
    }
    let mut quoted = 0;
    let mut extra: Vec<&str> = Vec::new();
    let mut skip_until = 0;
    let mut timed = false;
    for (at, t) in it {
        if at < skip_until {
            continue;
        }
        if let Some(q) = t.strip_prefix('"') {
            let close = after.get(at + 1..).and_then(|r| r.find('"')).map(|c| at + 1 + c);
            let v = match close {
                Some(c) => {
                    skip_until = c + 1;
                    after.get(at + 1..c).unwrap_or("")
                }
                None => q,
            };
            let key = if v.split(',').all(|ip| ipish(ip.trim())) && v != "-" {
                "x_forwarded_for"
            } else {
                quoted += 1;
                match quoted {
                    1 => "referer",
                    2 => "user_agent",
                    _ => "",
                }
            };
            if key.is_empty() {
                extra.push(v);
            } else {
                put(rec, key, v);
            }
            continue;
        }
        if !timed && t.bytes().all(|c| c.is_ascii_digit() || c == b'.') && t.bytes().any(|c| c.is_ascii_digit()) {
            put(rec, "time_taken", t);
            if finesse && h.time.is_none() {
                put(rec, "time_ms", t);
            }
            timed = true;
            continue;
        }
        extra.push(t);
    }
    if !extra.is_empty() {
        put(rec, "extra", &extra.join(" "));
    }
    query_fields(rec, &uri);
    super::finesse::dialog_id_of(rec, &uri);
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
        variant: "Finesse layout with a time",
        timed: true,
        path: "localhost_access_log.2022-10-04.txt",
        text: "172.16.4.88 172.16.4.20 3105 - 8445 [04/Oct/2022:10:00:01 +0200] GET /finesse/api/User/3105?nocache=1664870401002 HTTP/1.1 200 1880 31
172.16.4.88 172.16.4.20 3105 - 8445 [04/Oct/2022:10:00:02 +0200] PUT /finesse/api/User/3105 HTTP/1.1 202 - 12
",
    },
    Example {
        variant: "combined log format",
        timed: true,
        path: "localhost_access_log.2022-10-04.txt",
        text: "172.16.4.88 - 3105 [04/Oct/2022:10:00:01 +0200] \"GET /finesse/api/SystemInfo?nocache=1664870401002 HTTP/1.1\" 200 612
172.16.4.88 - 3105 [04/Oct/2022:10:00:02 +0200] \"PUT /finesse/api/User/3105 HTTP/1.1\" 202 0 \"https://fin-a.example.org/desktop/container/\" \"Mozilla/5.0 (Windows NT 10.0)\"
",
    },
    Example {
        variant: "X-Forwarded-For, IPv6 and time taken in seconds",
        timed: true,
        path: "localhost_access_log.2022-10-04.txt",
        text: "203.0.113.9, 10.1.1.5 - - [04/Oct/2022:10:00:03.118 +0200] \"GET /cuic/Main.htmx HTTP/1.1\" 200 5120 0.012
2001:db8:40::1c - rep1 [04/Oct/2022:10:00:04 +0200] \"POST /cuic/rest/report HTTP/1.1\" 201 88 1840 \"-\" \"Mozilla/5.0\" \"198.51.100.7\"
",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text of up to five pieces of this grammar.
    fn texts() -> Vec<String> {
        const PIECES: [&str; 9] = [" ", "  ", "a", "GET", "\"POST", "é", "x y", "\t", "TRACE\""];
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last.iter().flat_map(|t| PIECES.iter().map(move |p| format!("{t}{p}"))).collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn tokens_are_the_non_empty_pieces_between_blanks_with_their_offsets() {
        for t in texts() {
            let mut at = 0;
            let mut want = Vec::new();
            for piece in t.split(' ') {
                if !piece.is_empty() {
                    want.push((at, piece));
                }
                at += piece.len() + 1;
            }
            assert_eq!(tokens(&t).collect::<Vec<_>>(), want, "{t:?}");
        }
    }

    #[test]
    fn methods_are_turned_away_only_when_not_methods() {
        assert!(METHODS.iter().all(|m| (3..=7).contains(&m.len()) && m.bytes().all(|c| c.is_ascii_uppercase())));
        for t in texts().iter().chain(METHODS.iter().map(|m| format!("\"\"{m}")).collect::<Vec<_>>().iter()) {
            assert_eq!(is_method(t), METHODS.contains(&t.trim_start_matches('"')), "{t:?}");
        }
    }
}
