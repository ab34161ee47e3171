//! Finesse: desktop client logs (`finesse-clientlog`), the webservices log in its Cisco CCBU forms
//! (`finesse-webservices`: bare `%CCBU_…`, numbered `0000001043: host:` and `host::`; and the 12.x
//! bracketed `finesse-webservices-v12`), and the 9.1 Notification Service log (`finesse-notification`).
//! `ccbu_line` is shared with the CCP family, which writes the same grammar.

use super::engine::{self, kv_eq, mdy_parts, pct_fields, put, query_fields, share, stamp_hms, stamp_mdy, stamp_ymd, MdyParts, Stamp};
use super::{Example, Format, IdKind, IdRule, Lane, Role, Shape};
use crate::model::Record;

// --- CCBU grammar -------------------------------------------------------------------------------

/// `[<seq>: <host|empty>:[:] ][<Mon dd yyyy HH:mm:ss.SSS ±hhmm>: ]%CCBU_<thread>-<sev>-<MNEMONIC>: rest`
pub struct Ccbu<'a> {
    pub seq: Option<&'a str>,
    pub host: Option<&'a str>,
    /// The timestamp, read but not yet made a record time (`stamp()`).
    pub stamp: Option<MdyParts<'a>>,
    pub thread: &'a str,
    pub sev: &'a str,
    pub mnemonic: &'a str,
    pub rest: &'a str,
}

/// `s` split at the first `c` (memchr: SIMD in wasm too, unlike `str::split_once`).
fn split_at_byte(s: &str, c: u8) -> Option<(&str, &str)> {
    let i = memchr::memchr(c, s.as_bytes())?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

pub fn ccbu_line(l: &str) -> Option<Ccbu<'_>> {
    // Built once: every line of these files is tested.
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> = std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"%CCBU_"));
    let p = FINDER.find(l.as_bytes())?;
    if p > 120 {
        return None;
    }
    let prefix = l.get(..p)?;
    let (mut seq, mut host, mut stamp) = (None, None, None);
    if !prefix.is_empty() {
        let mut rest = prefix;
        // The stamp read while telling `seq: stamp` from `seq: host: stamp`, kept for below.
        let mut probed = None;
        if let Some((s, r)) = split_at_byte(rest, b':') {
            if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) {
                seq = Some(s);
                rest = r;
                let r = rest.trim_start_matches(' ');
                match mdy_parts(r.trim_start_matches(':').trim_start()) {
                    None => {
                        let (h, r2) = split_at_byte(r, b':')?;
                        host = Some(h.trim());
                        rest = r2;
                    }
                    Some(st) => {
                        probed = Some(st);
                        rest = r;
                    }
                }
            }
        }
        let r = rest.trim_start_matches(':').trim_start();
        let st = match probed {
            Some(st) => st,
            None => mdy_parts(r)?,
        };
        if !r.get(st.used()..)?.trim_start_matches(':').trim().is_empty() {
            return None;
        }
        stamp = Some(st);
    }
    let body = l.get(p + 6..)?;
    let hend = memchr::memchr(b':', body.as_bytes())?;
    let header = body.get(..hend)?;
    // `<thread>-<sev>-<MNEMONIC>`: the thread may hold dashes, the other two do not.
    let m_dash = memchr::memrchr(b'-', header.as_bytes())?;
    let mnemonic = header.get(m_dash + 1..)?;
    let s_dash = memchr::memrchr(b'-', header.get(..m_dash)?.as_bytes())?;
    let sev = header.get(s_dash + 1..m_dash)?;
    let thread = header.get(..s_dash)?;
    if sev.len() != 1 || !sev.bytes().all(|c| c.is_ascii_digit()) || mnemonic.is_empty() {
        return None;
    }
    let rest = body.get(hend + 1..)?.trim_start_matches(' ');
    Some(Ccbu { seq, host, stamp, thread, sev, mnemonic, rest })
}

/// CCP facilities are upper case and padded with underscores (`%CCBU_______EVENTING`).
pub fn is_ccp_thread(t: &str) -> bool {
    t.starts_with('_') || (t.len() >= 3 && t.bytes().all(|c| c.is_ascii_uppercase() || c == b'-' || c == b'_'))
}

/// Fills a record from a CCBU line (time, seq, host, component, severity, name, `%[k=v]` fields).
pub fn fill_ccbu(rec: &mut Record, c: &Ccbu, text: &str) {
    if let Some(st) = &c.stamp {
        rec.time = Some(st.stamp().time);
    }
    if let Some(s) = c.seq {
        put(rec, "seq", s);
    }
    if let Some(h) = c.host {
        put(rec, "host", h);
    }
    rec.set_component(c.thread.trim_matches('_'));
    rec.set_severity(c.sev);
    rec.set_name(c.mnemonic.trim());
    // The `%[k=v]` groups are fields only: an index entry skips them.
    if rec.detail() {
        let start = engine::offset_in(text, c.rest).unwrap_or(0);
        let body = text.get(start..).unwrap_or("");
        if body.starts_with("%[") {
            pct_fields(rec, body);
        }
    }
}

fn ws_start(l: &str) -> bool {
    ccbu_line(l).is_some_and(|c| !is_ccp_thread(c.thread))
}

pub static FINESSE_WEBSERVICES: Format = Format {
    name: "finesse-webservices",
    detect: |s| engine::score(share(&s.lines, ws_start), 10, 80),
    shape: Shape::Lines { starts_record: |l| ccbu_line(l).is_some(), glue: engine::no_glue, parse: parse_ws },
    lane: Lane::Webservices,
    role: Role::Server,
    ids: &[],
    examples: WEBSERVICES_EXAMPLES,
};

fn parse_ws(rec: &mut Record, first: &str, text: &str) {
    if let Some(c) = ccbu_line(first) {
        fill_ccbu(rec, &c, text);
    }
}

// --- 12.x bracketed form ------------------------------------------------------------------------

/// The parts of a 12.x line:
/// `104068: [INFO]: [call-id [x]] [agent-id [y]]: [Mon dd yyyy hh:mm:ss.SSS ±hhmm]: [Component]: [Class]: [Name] rest`
/// (the name group is optional; call-id and agent-id values may be bracketed or bare). Read by hand
/// rather than with a regex: every line of the file is tested.
struct V12<'a> {
    /// seq, severity, call id, agent id, stamp, component, class, name.
    groups: [&'a str; 8],
    /// Bytes of the line the header used.
    end: usize,
}

/// `[value]` (or `value` when `brackets` is false) up to the next `]`; returns it and the position
/// after its closing bracket(s).
fn v12_id<'a>(l: &'a str, at: usize, tag: &str) -> Option<(&'a str, usize)> {
    let b = l.as_bytes();
    let mut i = at + tag.len();
    if l.get(at..i)? != tag {
        return None;
    }
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    if b.get(i) == Some(&b'[') {
        i += 1;
    }
    let close = i + memchr::memchr(b']', b.get(i..)?)?;
    let v = l.get(i..close)?;
    let mut j = close + 1;
    if b.get(j) == Some(&b']') {
        j += 1;
    }
    Some((v, j))
}

fn v12(l: &str) -> Option<V12<'_>> {
    let b = l.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || l.get(digits..digits + 3)? != ": [" {
        return None;
    }
    let mut i = digits + 3;
    let sev_end = i + memchr::memchr(b']', b.get(i..)?)?;
    let sev = l.get(i..sev_end)?;
    if sev.is_empty() || !sev.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
        return None;
    }
    i = sev_end;
    if l.get(i..i + 3)? != "]: " {
        return None;
    }
    let (call, j) = v12_id(l, i + 3, "[call-id")?;
    let (agent, j) = v12_id(l, j + 1, "[agent-id").filter(|_| b.get(j) == Some(&b' '))?;
    // Then `: [stamp]: [component]: [class]:` and an optional ` [name]`.
    let mut parts = [""; 3];
    i = j;
    for (k, p) in parts.iter_mut().enumerate() {
        if l.get(i..i + 3)? != ": [" {
            return None;
        }
        let s = i + 3;
        let e = s + memchr::memchr(b']', b.get(s..)?)?;
        *p = l.get(s..e)?;
        if k == 0 && p.is_empty() {
            return None;
        }
        i = e + 1;
    }
    if b.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    let mut name = "";
    if l.get(i..i + 2) == Some(" [") {
        if let Some(e) = memchr::memchr(b']', b.get(i + 2..)?) {
            name = l.get(i + 2..i + 2 + e)?;
            i += 2 + e + 1;
        }
    }
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    Some(V12 { groups: [l.get(..digits)?, sev, call, agent, parts[0], parts[1], parts[2], name], end: i })
}

pub static FINESSE_WEBSERVICES_V12: Format = Format {
    name: "finesse-webservices-v12",
    detect: |s| engine::score(share(&s.lines, |l| v12(l).is_some()), 30, 82),
    shape: Shape::Lines { starts_record: |l| v12(l).is_some(), glue: engine::no_glue, parse: parse_v12 },
    lane: Lane::Webservices,
    role: Role::Server,
    ids: &[IdRule::Hex32InText(IdKind::SocialContact)],
    examples: V12_EXAMPLES,
};

fn parse_v12(rec: &mut Record, first: &str, text: &str) {
    let Some(c) = v12(first) else { return };
    let g = |i: usize| c.groups.get(i.wrapping_sub(1)).copied().unwrap_or("");
    put(rec, "seq", g(1));
    rec.set_severity(g(2));
    put(rec, "call_id", g(3));
    put(rec, "agent_id", g(4));
    if let Some(st) = stamp_mdy(g(5)) {
        rec.time = Some(st.time);
    }
    rec.set_component(g(6));
    put(rec, "class", g(7));
    if !g(8).is_empty() {
        rec.set_name(g(8));
    }
    if !rec.detail() {
        return;
    }
    let body = text.get(c.end..).unwrap_or("");
    // `cti_message_name: OfferTaskIndication, …` / `Name of the CTI Message: StartTaskEvent, …`
    for key in ["cti_message_name: ", "Name of the CTI Message: "] {
        if let Some(i) = body.find(key) {
            if let Some(v) = body.get(i + key.len()..).and_then(|v| v.split([',', ' ']).next()) {
                put(rec, "cti_message_name", v);
            }
        }
    }
    if let Some(i) = body.find("node_id: ") {
        if let Some(v) = body.get(i + 9..).and_then(|v| v.split([',', ' ']).next()) {
            put(rec, "node_id", v);
        }
    }
}

// --- client log ---------------------------------------------------------------------------------

/// `[HH:MM:SS[.mmm]: ]<Component> : message`
fn client_line(l: &str) -> Option<(Option<Stamp>, &str, &str)> {
    let (st, rest) = match stamp_hms(l) {
        Some(st) => {
            let r = l.get(st.len..)?.strip_prefix(": ")?;
            (Some(st), r)
        }
        None => (None, l),
    };
    static SEP: std::sync::LazyLock<memchr::memmem::Finder<'static>> = std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b" : "));
    let at = SEP.find(rest.as_bytes())?;
    let (comp, msg) = (rest.get(..at)?, rest.get(at + 3..)?);
    if comp.is_empty() || comp.len() > 40 || !comp.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.') {
        return None;
    }
    Some((st, comp, msg))
}

pub static FINESSE_CLIENTLOG: Format = Format {
    name: "finesse-clientlog",
    detect: |s| engine::score(share(&s.lines, |l| client_line(l).is_some()), 15, 78),
    shape: Shape::Lines { starts_record: |l| client_line(l).is_some(), glue: engine::no_glue, parse: parse_client },
    lane: Lane::Desktop,
    role: Role::Client,
    ids: &[],
    examples: CLIENT_EXAMPLES,
};

fn parse_client(rec: &mut Record, first: &str, _text: &str) {
    let Some((st, comp, msg)) = client_line(first) else { return };
    if let Some(st) = st {
        rec.time = Some(st.time);
    }
    rec.set_component(comp);
    let mut m = msg;
    if let Some(r) = m.strip_prefix('[') {
        if let Some((tag, r)) = r.split_once("] ") {
            put(rec, "module", tag);
            m = r;
        }
    }
    let end = memchr::memchr2(b':', b' ', m.as_bytes()).unwrap_or(m.len());
    let name = m.get(..end).unwrap_or("").trim_end_matches(" -");
    if !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'(' | b')')) {
        rec.set_name(name);
    }
    // The rest are fields: an index entry stops here.
    if !rec.detail() {
        return;
    }
    kv_eq(rec, m);
    if let Some(u) = rec.get_str("url") {
        query_fields(rec, &u);
    }
    if let Some(i) = m.find("on node '") {
        if let Some(v) = m.get(i + 9..).and_then(|v| v.split('\'').next()) {
            put(rec, "node", v);
        }
    }
}

// --- notification service -----------------------------------------------------------------------

fn notif_start(l: &str) -> bool {
    if l.starts_with("<<") || l.starts_with(">>") {
        return true;
    }
    !(l.is_empty() || l.starts_with('<') || l.starts_with([' ', '\t']))
}

pub static FINESSE_NOTIFICATION: Format = Format {
    name: "finesse-notification",
    detect: |s| {
        let wire = share(&s.lines, |l| {
            let l = stamp_ymd(l).and_then(|st| l.get(st.len..)).map(str::trim_start).unwrap_or(l);
            (l.starts_with(">>") || l.starts_with("<<")) && l.contains('"')
        });
        let routing = s.lines.iter().any(|l| engine::has(l, "RoutingTableImpl") || engine::has(l, "Jakarta Commons-HttpClient"));
        let stamped = share(&s.lines, |l| stamp_ymd(l).is_some());
        if wire >= 10 || (routing && stamped < 30) {
            76
        } else {
            0
        }
    },
    shape: Shape::Lines { starts_record: notif_start, glue: engine::no_glue, parse: parse_notif },
    lane: Lane::Notification,
    role: Role::Server,
    ids: &[],
    examples: NOTIFICATION_EXAMPLES,
};

fn parse_notif(rec: &mut Record, first: &str, _text: &str) {
    let mut l = first;
    if let Some(st) = stamp_ymd(l) {
        l = l.get(st.len..).unwrap_or("").trim_start();
        rec.time = Some(st.time);
    }
    let dir = if l.starts_with(">>") {
        Some("out")
    } else if l.starts_with("<<") {
        Some("in")
    } else {
        None
    };
    if let Some(d) = dir {
        rec.set_component("httpclient.wire");
        put(rec, "direction", d);
        let v = l.get(2..).unwrap_or("").trim().trim_matches('"');
        let v = v.strip_suffix("[\\r][\\n]").unwrap_or(v);
        put(rec, "wire", v);
        return;
    }
    if let Some((w, rest)) = l.split_once(": ") {
        if !w.is_empty() && w.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.') {
            rec.set_component(w);
            if let Some(i) = rest.find("JID: ") {
                if let Some(j) = rest.get(i + 5..).and_then(|v| v.split(' ').next()) {
                    put(rec, "JID", j);
                }
            }
        }
    }
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const WEBSERVICES_EXAMPLES: &[Example] = &[
    Example {
        variant: "9.x bare %CCBU lines",
        timed: false,
        path: "Desktop-webservices.log",
        text: "%CCBU_http-8443-3-6-REQUEST_START: %[method_name=GET][parameter_name={ nocache=[1700000000123], }][resource_name=/User/3105][usr=3105]: Request start
%CCBU_http-8443-3-6-REQUEST_END: %[elapsed_time=12]: Request complete
",
    },
    Example {
        variant: "10.x/11.x numbered with host",
        timed: true,
        path: "Desktop-webservices.2022-10-04T10-00-00.000.log",
        text: "0000002201: 172.16.4.20: Oct 04 2022 10:00:12.441 +0200: %CCBU_pool-3-thread-7-6-PRESENCE_NOTIFICATION_RECIEVED: %[FROM JID=3105@finesse-a.example.org/desktop][PRESENCE_TYPE=unavailable]: Received presence notification
0000002202: 172.16.4.20:: Oct 04 2022 10:00:12.445 +0200: %CCBU_CoreImpl-worker3-6-PRESENCE DRIVEN LOGOUT: %[agent_id=3105]: Presence driven logout
",
    },
];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const V12_EXAMPLES: &[Example] = &[
    Example {
        variant: "12.x bracketed",
        timed: true,
        path: "Desktop-webservices.2024-06-11T15-20-00.000.log",
        text: "220411: [INFO]: [call-id [162811_40012001_1]] [agent-id [2280]]: [Jun 11 2024 15:20:31.902 -0400]: [EVENT_POOL-1-worker-4]: [c.c.c.f.c.XMPPPublishUtils]: [XMPP_PUBLISH_ASYNCHRONOUS] Publishing update
220412: [DEBUG]: [call-id []] [agent-id []]: [Jun 11 2024 15:20:31.950 -0400]: [http-nio-8082-exec-5]: [c.c.c.f.r.RequestLogger]: [REQUEST_START] GET /finesse/api/User/2280
",
    },
];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const CLIENT_EXAMPLES: &[Example] = &[
    Example {
        variant: "Container lines with and without a time",
        timed: true,
        path: "Finesse_3105.txt",
        text: "09:12:44.105: Container : [ClientServices] SystemInfo: requestId='undefined', Making REST request: method=GET, url='/finesse/api/SystemInfo?nocache=1700000000100'
09:12:44.260: Container : [ClientServices] SystemInfo: requestId='undefined', Returned with status=200
09:12:45.002: Container : PageServices.init(): Establishing BOSH connection...
",
    },
];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const NOTIFICATION_EXAMPLES: &[Example] = &[Example {
    variant: "9.1 HttpClient wire log",
    timed: false,
    path: "debug.log",
    text: ">> \"GET /finesse/api/User/3105 HTTP/1.1[\\r][\\n]\"
Adding Host request header
>>\"User-Agent: Jakarta Commons-HttpClient/3.1[\\r][\\n]\"
<<\"HTTP/1.1 200 OK[\\r][\\n]\"
RoutingTableImpl: Failed to route packet to JID: 3105@finesse-a.example.org/User packet: <message id=\"x1\"/>
",
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ccbu_variants() {
        let bare = "%CCBU_Smack Listener Processor (1)-6-PRESENCE_NOTIFICATION_RECIEVED: %[FROM JID=a][PRESENCE_TYPE=available]: x";
        let c = ccbu_line(bare).map(|c| (c.thread, c.sev, c.mnemonic));
        assert_eq!(c, Some(("Smack Listener Processor (1)", "6", "PRESENCE_NOTIFICATION_RECIEVED")));
        let num = "0000001043: XX.XX.XX.XXX: Jun 17 2017 00:16:04.630 +0530: %CCBU_CoreImpl-worker12-6-PRESENCE DRIVEN LOGOUT: %[agent_id=1]: P";
        let c = ccbu_line(num);
        assert_eq!(c.as_ref().map(|c| c.mnemonic), Some("PRESENCE DRIVEN LOGOUT"));
        assert_eq!(c.as_ref().and_then(|c| c.host), Some("XX.XX.XX.XXX"));
        let dbl = "0000001060: XX.XX.XX.XXX:: Jun 17 2017 00:17:04.632 +0530: %CCBU_CoreImpl-worker12-6-X: y";
        assert_eq!(ccbu_line(dbl).and_then(|c| c.stamp).map(|s| s.stamp().time.offset_min()), Some(Some(330)));
        let nohost = "0000837786:: Jun 20 2017 21:18:36.552 +0000: %CCBU__________FEEDS-3-SECURE: %[FEED_ID=1]";
        let c = ccbu_line(nohost);
        assert!(c.as_ref().is_some_and(|c| is_ccp_thread(c.thread)));
        let nostamp = "Sep 22 2014 14:34:59.878 -0700: %CCBU_pool-21-thread-1-6-QUEUE_STATISTICS_REQUEST: %[count=751]: S";
        assert_eq!(ccbu_line(nostamp).map(|c| c.thread), Some("pool-21-thread-1"));
        assert!(ccbu_line("%CCBU_x: no severity").is_none());
    }

    #[test]
    fn v12_form() {
        let l = "104068: [INFO]: [call-id [154526_37051928_1]] [agent-id [1080]]: [Jan 30 2024 08:56:53.774 -0500]: [EVENT_POOL-1-worker-19]: [c.c.c.f.c.XMPPPublishUtils]: [XMPP_PUBLISH_ASYNCHRONOUS] Publishing";
        let mut r = Record::new(0, "finesse-webservices-v12");
        parse_v12(&mut r, l, l);
        assert_eq!(r.name(), Some("XMPP_PUBLISH_ASYNCHRONOUS"));
        assert_eq!(r.get_str("call_id").as_deref(), Some("154526_37051928_1"));
        assert_eq!(r.get_str("agent_id").as_deref(), Some("1080"));
        assert_eq!(r.time.and_then(|t| t.offset_min()), Some(-300));
    }
}
