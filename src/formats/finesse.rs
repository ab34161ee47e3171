//! Finesse: desktop client logs (`finesse-clientlog`), the webservices log in its Cisco CCBU forms
//! (`finesse-webservices`) and its 12.x bracketed form (`finesse-webservices-v12`), and the 9.1
//! Notification Service log (`finesse-notification`). `ccbu_line` is the CCBU grammar every Cisco
//! contact-center Java server writes; the CCP/SocialMiner (`ccp.rs`) and CUIC (`cuic.rs`) families
//! share it and differ only in which facilities they claim.
//!
//! ## The CCBU grammar
//!
//! ```text
//! [<seq>:[ <host>]:[:] ][<stamp>: ]%CCBU_<facility>-<sev>-<MNEMONIC>: <body>
//! ```
//! Every part before `%CCBU_` is optional and varies across releases and products:
//! - `<seq>`: a zero-padded line sequence (`0000001043`), or any number of digits;
//! - `<host>`: the node's address or name, possibly empty (`0000837786:: …`) or followed by a
//!   doubled colon (`host:: …`); an IPv6 address is read whole;
//! - `<stamp>`: `Mon dd[ yyyy] HH:mm:ss[.SSS][ ±hhmm|zone]` (year, milliseconds and zone each optional);
//!   a prefix with a host and no stamp is read too (the record then has no time);
//! - `<facility>`: a thread name (`http-8080-7`, `pool-5-thread-4`, `Smack Listener Processor (1)`,
//!   `CTIMessageEventExecutor-0`: dashes and spaces allowed) on Finesse, or an upper-case
//!   subfacility padded with underscores (`__________FEEDS`, `_____CCP-DS-API`, `___________CUIC`,
//!   `__CUIC_SECURITY`) on CCP/SocialMiner and CUIC;
//! - `<sev>`: one digit (syslog severity); the header splits at the last `-<digit>-`, so the
//!   facility may hold dashes and digits;
//! - `<MNEMONIC>`: upper snake case, with spaces (`PRESENCE DRIVEN LOGOUT`), or a Java method
//!   name (`CTIWriter.getQueryQueueStatisticsReq()`) in debug lines;
//! - `<body>`: `%[k=v][k=v]…: text` groups (values may nest brackets), `{Thrd=<thread>} params :
//!   k=v, k=v`, or free text.
//!
//! A grep prefix in front (`runtime/CCBU-runtime.log:0000837786:: …`) is taken off by the wrapper
//! layer; a `grep -n` prefix that swallowed the sequence number leaves `: <stamp>: %CCBU…`, which
//! reads as a line with an empty sequence and host.
//!
//! Examples (written by the project):
//! ```text
//! %CCBU_http-8443-3-6-REQUEST_START: %[method_name=GET][resource_name=/User/3105][usr=3105]: Request start
//! Oct 04 2022 10:00:12.441 +0200: %CCBU_pool-3-thread-7-6-QUEUE_STATISTICS_REQUEST: %[count=12]: Starting
//! 0000002201: 172.16.4.20: Oct 04 2022 10:00:12.441 +0200: %CCBU_CoreImpl-worker3-6-PRESENCE DRIVEN LOGOUT: %[agent_id=3105]: …
//! 0000002202: 172.16.4.20:: Oct 04 2022 10:00:12.445 +0200: %CCBU_pool-19-thread-4-7-CTIWriter.getQueryQueueStatisticsReq():  {Thrd=pool-19-thread-4} params : invokeId=5120, queueId=4410
//! 0000000912:: Mar 11 2025 14:02:18.002 -0400: %CCBU___________CCPAPI-6-REST_API_INFO: Updating contact … status= queued
//! 0000000053: 10.20.30.41: Mar 11 2025 14:02:19 +0100: %CCBU___________CUIC-4-WARN: Dashboard Migration : widget w1
//! ```
//!
//! ## The 12.x bracketed form (`finesse-webservices-v12`)
//!
//! ```text
//! [<seq>: ][<host>: ][<LEVEL>]: [[call-id <id>] [agent-id <id>]: ][<stamp>]: [<thread>]: [[<class>]: ][<NAME>] <text>
//! ```
//! The call-id and agent-id groups are each optional, their values bracketed (`[call-id [1_2_3]]`),
//! bare or empty (`[call-id ]`, `[call-id []]`); the name group may be doubled (`[[COMMAND_DISPATCHER]]`)
//! or absent. The stamp is the CCBU one.
//! ```text
//! 220411: [INFO]: [call-id [162811_40012001_1]] [agent-id [2280]]: [Jun 11 2024 15:20:31.902 -0400]: [EVENT_POOL-1-worker-4]: [c.c.c.f.c.XMPPPublishUtils]: [XMPP_PUBLISH_ASYNCHRONOUS] Publishing
//! 220412: [DEBUG]: [Jun 11 2024 15:20:31.950 -0400]: [http-nio-8082-exec-5]: [c.c.c.f.r.RequestLogger]: [REQUEST_START] GET /finesse/api/User/2280
//! ```
//!
//! ## The desktop client log (`finesse-clientlog`)
//!
//! ```text
//! [<client time>: [<id>: ][<host>: ][<server time>|--- -- ---- --:--:--.--- -----: ]]<Component> : <message>
//! ```
//! - `<client time>`: the browser's clock, `HH:mm:ss[.SSS][ ±hhmm]` (9.x/10.x), an ISO date-time
//!   (`2024-06-11T15:20:31.902-04:00`, `2024-06-11 15:20:31.902 -0400`) or the CCBU stamp; absent
//!   on lines the desktop wrote before it had a clock;
//! - `<id>`, `<host>`: the desktop session's ID and the Finesse node, when the desktop writes them;
//! - `<server time>`: the CCBU stamp (the Finesse node's clock, with date and zone) or dashes when
//!   the desktop had not yet learnt the server's clock; when both times are written the record
//!   takes the server time (it lines up with the server logs) and keeps both as fields;
//! - `<Component>`: `Container`, `Header`, a gadget's name (`TeamPerformance`, `CallControl`,
//!   `Team Performance`, `finesse.gadget.Sample`): letters, digits, blanks, `._-()/`; written
//!   ` : ` before the message (`: ` is accepted after the server-time column).
//! ```text
//! 09:12:44.105: Container : [ClientServices] SystemInfo: requestId='undefined', Making REST request: method=GET, url='/finesse/api/SystemInfo?nocache=1700000000100'
//! 2024-06-11T15:20:31.902-04:00: 8F21AC: fin-a.example.org: Jun 11 2024 15:20:31.899 -0400: Header : [ClientServices] User: Returned with status=200
//! 2024-06-11T15:20:30.120-04:00: 8F21AC: fin-a.example.org: --- -- ---- --:--:--.--- -----: TeamPerformance : init(): gadget loading
//! ```

use super::engine::{self, kv_eq, mdy_parts, pct_fields, put, query_fields, share, stamp_hms, stamp_mdy, stamp_ymd, MdyParts, Stamp};
use super::{Example, Format, IdKind, IdRule, Lane, Role, Shape};
use crate::model::Record;

// --- CCBU grammar -------------------------------------------------------------------------------

/// A CCBU line's parts (see the grammar above).
pub struct Ccbu<'a> {
    pub seq: Option<&'a str>,
    pub host: Option<&'a str>,
    /// The timestamp, read but not yet made a record time (`stamp()`).
    pub stamp: Option<MdyParts<'a>>,
    /// The facility: a thread name, or an upper-case subfacility padded with underscores.
    pub thread: &'a str,
    pub sev: &'a str,
    pub mnemonic: &'a str,
    pub rest: &'a str,
}

/// Bytes before `%CCBU_` a prefix may take.
const CCBU_PREFIX_MAX: usize = 160;

pub fn ccbu_line(l: &str) -> Option<Ccbu<'_>> {
    // Built once: every line of these files is tested.
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> = std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"%CCBU_"));
    let p = FINDER.find(engine::prefix_at_most(l, CCBU_PREFIX_MAX + 6).as_bytes())?;
    let (seq, host, stamp) = ccbu_prefix(l.get(..p)?)?;
    let body = l.get(p + 6..)?;
    let hend = memchr::memchr(b':', body.as_bytes())?;
    let (thread, sev, mnemonic) = ccbu_header(body.get(..hend)?)?;
    let rest = body.get(hend + 1..)?.trim_start_matches(' ');
    Some(Ccbu { seq, host, stamp, thread, sev, mnemonic, rest })
}

/// `<facility>-<sev>-<MNEMONIC>`, split at the last `-<digit>-` (the facility may hold dashes and
/// digits, the mnemonic spaces and dots).
fn ccbu_header(h: &str) -> Option<(&str, &str, &str)> {
    let b = h.as_bytes();
    let mut k = b.len().checked_sub(3)?;
    loop {
        if b.get(k) == Some(&b'-') && b.get(k + 1).is_some_and(u8::is_ascii_digit) && b.get(k + 2) == Some(&b'-') {
            let mnemonic = h.get(k + 3..)?.trim();
            if mnemonic.is_empty() || mnemonic.len() > 120 || !mnemonic.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric) {
                return None;
            }
            return Some((h.get(..k)?, h.get(k + 1..k + 2)?, mnemonic));
        }
        k = k.checked_sub(1)?;
    }
}

/// The part before `%CCBU_`: `[<seq>:][ <host>][:][:][ <stamp>:] ` (each optional); None when it
/// is not a CCBU prefix (a stack trace or a sentence quoting `%CCBU_`).
#[allow(clippy::type_complexity)]
fn ccbu_prefix(prefix: &str) -> Option<(Option<&str>, Option<&str>, Option<MdyParts<'_>>)> {
    if prefix.is_empty() {
        return Some((None, None, None));
    }
    // The prefix ends with its separator: a colon and blanks.
    if !prefix.trim_end_matches(' ').ends_with(':') {
        return None;
    }
    let b = prefix.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let (seq, rest) = if digits > 0 && b.get(digits) == Some(&b':') { (prefix.get(..digits), prefix.get(digits + 1..)?) } else { (None, prefix) };
    // The stamp: the first place after a blank or a colon where a `Mon dd` timestamp reads and only
    // separators follow it.
    let rb = rest.as_bytes();
    let mut stamp = None;
    let mut host_end = rest.len();
    for (i, &c) in rb.iter().enumerate() {
        if !c.is_ascii_uppercase() || (i > 0 && !matches!(rb.get(i - 1), Some(b' ') | Some(b':'))) {
            continue;
        }
        let Some(st) = rest.get(i..).and_then(mdy_parts) else { continue };
        if rest.get(i + st.used()..).is_some_and(|t| t.bytes().all(|c| c == b':' || c == b' ')) {
            stamp = Some(st);
            host_end = i;
            break;
        }
    }
    let host = rest.get(..host_end)?.trim_matches(|c| c == ' ' || c == ':');
    if host.contains([' ', '\t']) || host.len() > 100 {
        return None;
    }
    let host = (!host.is_empty()).then_some(host);
    if seq.is_none() && stamp.is_none() && host.is_none() {
        return None;
    }
    Some((seq, host, stamp))
}

/// Which product a CCBU line comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CcbuProduct {
    /// Finesse (webservices, realm, fippa, its Openfire plug-ins), also on UCCX: thread names.
    Finesse,
    /// CCP / SocialMiner (runtime, ccpapi, ccppublicapps, eventing…): padded upper-case subfacilities.
    Ccp,
    /// Cisco Unified Intelligence Center: a subfacility naming CUIC.
    Cuic,
}

/// CCP facilities are upper case and padded with underscores (`%CCBU_______EVENTING`).
pub fn is_ccp_thread(t: &str) -> bool {
    t.starts_with('_') || (t.len() >= 3 && t.bytes().all(|c| c.is_ascii_uppercase() || c == b'-' || c == b'_'))
}

/// The product a facility names: CUIC's subfacilities say so (`___________CUIC`, `__CUIC_SECURITY`);
/// otherwise the file's name decides when it names a product, else the facility's shape.
pub fn product_of(thread: &str, hint: Option<CcbuProduct>) -> CcbuProduct {
    if engine::has(thread, "CUIC") && is_ccp_thread(thread) {
        return CcbuProduct::Cuic;
    }
    match hint {
        Some(h) => h,
        None if is_ccp_thread(thread) => CcbuProduct::Ccp,
        None => CcbuProduct::Finesse,
    }
}

/// What a file's name says about the product whose CCBU logs it holds (`Desktop-webservices.…`,
/// `realm.…`, `CCBU-runtime.…`, `ccpapi.log`, `CUIC.…`); None when it says nothing.
pub fn path_product(path: &str) -> Option<CcbuProduct> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path).to_ascii_lowercase();
    let dir = path.to_ascii_lowercase();
    if engine::has(&name, "cuic") || engine::has(&dir, "/cuic/") {
        Some(CcbuProduct::Cuic)
    } else if ["webservices", "finesse", "realm", "fippa", "desktop"].iter().any(|k| name.contains(k)) {
        Some(CcbuProduct::Finesse)
    } else if ["runtime", "ccpapi", "ccppublicapps", "eventing", "socialminer", "ccp-"].iter().any(|k| name.contains(k)) {
        Some(CcbuProduct::Ccp)
    } else {
        None
    }
}

/// Share of sample lines that are CCBU lines of this product.
pub fn ccbu_share(s: &super::Sample, product: CcbuProduct) -> u32 {
    let hint = path_product(s.path);
    let threads = s.ccbu_threads();
    engine::percent(threads.iter().filter(|t| t.is_some_and(|t| product_of(t, hint) == product)).count(), threads.len())
}

/// Fills a record from a CCBU line (time, seq, host, component, severity, name; in detail mode the
/// `%[k=v]` groups and `{Thrd=…} params : k=v, …` bodies).
pub fn fill_ccbu(rec: &mut Record, c: &Ccbu, text: &str) {
    if let Some(st) = &c.stamp {
        rec.time = Some(st.stamp().time);
    }
    rec.set_component(c.thread.trim_matches('_'));
    rec.set_severity(c.sev);
    rec.set_name(c.mnemonic);
    // The rest are fields: an index entry stops here.
    if !rec.detail() {
        return;
    }
    if let Some(s) = c.seq {
        put(rec, "seq", s);
    }
    if let Some(h) = c.host {
        put(rec, "host", h);
    }
    let start = engine::offset_in(text, c.rest).unwrap_or(0);
    let body = text.get(start..).unwrap_or("");
    if body.starts_with("%[") {
        pct_fields(rec, body);
    } else if let Some(r) = body.strip_prefix("{Thrd=") {
        // `{Thrd=pool-19-thread-4} params : invokeId=112223, queueId=28353`
        let (thrd, after) = r.split_once('}').unwrap_or((r, ""));
        put(rec, "Thrd", thrd);
        let after = after.trim_start();
        let params = after.strip_prefix("params").map(|p| p.trim_start().trim_start_matches(':')).unwrap_or(after);
        let line = params.lines().next().unwrap_or("");
        kv_eq(rec, line);
        if let Some(v) = rec.get_str("invokeId") {
            put(rec, "InvokeID", &v);
        }
    }
}

pub static FINESSE_WEBSERVICES: Format = Format {
    name: "finesse-webservices",
    detect: |s| engine::score(ccbu_share(s, CcbuProduct::Finesse), 10, 80),
    shape: Shape::Lines { starts_record: |l| ccbu_line(l).is_some(), glue: engine::no_glue, parse: parse_ws },
    lane: Lane::Webservices,
    role: Role::Server,
    ids: &[],
    examples: WEBSERVICES_EXAMPLES,
};

fn parse_ws(rec: &mut Record, first: &str, text: &str) {
    if let Some(c) = ccbu_line(first) {
        fill_ccbu(rec, &c, text);
        if rec.detail() {
            for k in ["resource_name", "REQUEST_URL"] {
                if let Some(v) = rec.get_str(k) {
                    dialog_id_of(rec, &v);
                }
            }
        }
    }
}

/// The Dialog ID a Finesse REST path names (`/finesse/api/Dialog/16803421`, `Dialog/16803421`), as
/// `dialogId`.
pub fn dialog_id_of(rec: &mut Record, path: &str) {
    let Some(i) = engine::find(path, "Dialog/") else { return };
    let id = path.get(i + 7..).unwrap_or("");
    let n = id.bytes().take_while(u8::is_ascii_digit).count();
    if n > 0 && !id.as_bytes().get(n).is_some_and(u8::is_ascii_alphanumeric) {
        put(rec, "dialogId", id.get(..n).unwrap_or(""));
    }
}

// --- 12.x bracketed form ------------------------------------------------------------------------

/// The parts of a 12.x line (see the grammar at the top). Read by hand rather than with a regex:
/// every line of the file is tested.
#[derive(Default)]
struct V12<'a> {
    seq: &'a str,
    host: &'a str,
    level: &'a str,
    call: Option<&'a str>,
    agent: Option<&'a str>,
    stamp: &'a str,
    thread: &'a str,
    class: &'a str,
    name: &'a str,
    /// Bytes of the line the header used.
    end: usize,
}

/// `[tag value]`, `[tag [value]]`, `[tag ]` or `[tag []]` at `at`; returns the value and the
/// position after the group.
fn v12_id<'a>(l: &'a str, at: usize, tag: &str) -> Option<(&'a str, usize)> {
    let b = l.as_bytes();
    let mut i = at + tag.len();
    if l.get(at..i)? != tag {
        return None;
    }
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    let nested = b.get(i) == Some(&b'[');
    if nested {
        i += 1;
    }
    let close = i + memchr::memchr(b']', b.get(i..)?)?;
    let v = l.get(i..close)?.trim();
    let mut j = close + 1;
    if nested {
        if b.get(j) != Some(&b']') {
            return None;
        }
        j += 1;
    }
    Some((v, j))
}

/// `[group]` at `at` (the text up to the first `]`): the group and the position after it.
fn v12_group(l: &str, at: usize) -> Option<(&str, usize)> {
    let b = l.as_bytes();
    if b.get(at) != Some(&b'[') {
        return None;
    }
    let close = at + 1 + memchr::memchr(b']', b.get(at + 1..)?)?;
    Some((l.get(at + 1..close)?, close + 1))
}

fn v12(l: &str) -> Option<V12<'_>> {
    let b = l.as_bytes();
    let mut v = V12::default();
    let mut i = 0;
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 {
        if l.get(digits..digits + 2)? != ": " {
            return None;
        }
        v.seq = l.get(..digits)?;
        i = digits + 2;
    }
    // An optional host before the level.
    if b.get(i) != Some(&b'[') {
        // A token without blanks up to `: [` (continuation lines fail at their first blank).
        let head = engine::prefix_at_most(l.get(i..)?, 80).as_bytes();
        let e = i + memchr::memchr(b' ', head)?.checked_sub(1)?;
        if e == i || l.get(e..e + 3)? != ": [" {
            return None;
        }
        v.host = l.get(i..e)?;
        i = e + 2;
    }
    let (level, j) = v12_group(l, i)?;
    if level.is_empty() || level.len() > 12 || !level.bytes().all(|c| c.is_ascii_uppercase() || c == b'_') {
        return None;
    }
    v.level = level;
    i = j;
    if l.get(i..i + 2)? != ": " {
        return None;
    }
    i += 2;
    // `[call-id …] [agent-id …]: `, each optional.
    let mut ids = false;
    if let Some((c, j)) = v12_id(l, i, "[call-id") {
        v.call = Some(c);
        i = j;
        ids = true;
        if b.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    if let Some((a, j)) = v12_id(l, i, "[agent-id") {
        v.agent = Some(a);
        i = j;
        ids = true;
    }
    if ids {
        if l.get(i..i + 2)? != ": " {
            return None;
        }
        i += 2;
    }
    // The stamp is read when the record is parsed; a record start only needs its group.
    let (stamp, j) = v12_group(l, i)?;
    if !stamp.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
        return None;
    }
    v.stamp = stamp;
    i = j;
    if l.get(i..i + 2)? != ": " {
        return None;
    }
    let (thread, j) = v12_group(l, i + 2)?;
    v.thread = thread;
    i = j;
    if b.get(i) == Some(&b':') {
        i += 1;
    }
    // `[class]:` then `[NAME]` (or `[[NAME]]`): a group followed by a colon is the class.
    for _ in 0..2 {
        if b.get(i) == Some(&b' ') && b.get(i + 1) == Some(&b'[') {
            i += 1;
        }
        if l.get(i..i + 2) == Some("[[") {
            let close = i + 2 + engine::prefix_at_most(l.get(i + 2..)?, 120).find("]]")?;
            v.name = l.get(i + 2..close)?;
            i = close + 2;
            break;
        }
        let Some((g, j)) = v12_group(l, i) else { break };
        if b.get(j) == Some(&b':') && v.class.is_empty() && v.name.is_empty() {
            v.class = g;
            i = j + 1;
            continue;
        }
        if !g.is_empty() && g.len() <= 120 && g.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b' ' | b'.' | b'-')) {
            v.name = g;
            i = j;
        }
        break;
    }
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    v.end = i;
    Some(v)
}

pub static FINESSE_WEBSERVICES_V12: Format = Format {
    name: "finesse-webservices-v12",
    detect: |s| engine::scored(&s.lines, 30, 82, |l| v12(l).is_some()),
    shape: Shape::Lines { starts_record: |l| v12(l).is_some(), glue: engine::no_glue, parse: parse_v12 },
    lane: Lane::Webservices,
    role: Role::Server,
    ids: &[IdRule::Hex32InText(IdKind::SocialContact)],
    examples: V12_EXAMPLES,
};

fn parse_v12(rec: &mut Record, first: &str, text: &str) {
    let Some(c) = v12(first) else { return };
    rec.set_severity(c.level);
    if let Some(st) = stamp_mdy(c.stamp) {
        rec.time = Some(st.time);
    }
    rec.set_component(c.thread);
    if !c.name.is_empty() {
        rec.set_name(c.name);
    }
    if !rec.detail() {
        return;
    }
    for (k, val) in [("seq", c.seq), ("host", c.host), ("class", c.class)] {
        if !val.is_empty() {
            put(rec, k, val);
        }
    }
    // An id group that is present is a field, even empty (`[call-id ]`).
    for (k, val) in [("call_id", c.call), ("agent_id", c.agent)] {
        if let Some(v) = val {
            put(rec, k, v);
        }
    }
    let body = text.get(c.end..).unwrap_or("");
    // `cti_message_name: OfferTaskIndication, …` / `Name of the CTI Message: StartTaskEvent, …`
    for key in ["cti_message_name: ", "Name of the CTI Message: "] {
        if let Some(i) = engine::find(body, key) {
            if let Some(v) = body.get(i + key.len()..).and_then(|v| v.split([',', ' ']).next()) {
                put(rec, "cti_message_name", v);
            }
        }
    }
    if let Some(i) = engine::find(body, "node_id: ") {
        if let Some(v) = body.get(i + 9..).and_then(|v| v.split([',', ' ']).next()) {
            put(rec, "node_id", v);
        }
    }
}

// --- client log ---------------------------------------------------------------------------------

/// The dashes a desktop writes where the server time is not known yet.
const NO_SERVER_TIME: &str = "--- -- ---- --:--:--.--- -----";

/// A client-log line's parts (see the grammar at the top).
struct ClientLine<'a> {
    /// The browser's time as written, and its length-checked kind.
    client: Option<&'a str>,
    id: Option<&'a str>,
    host: Option<&'a str>,
    /// The server's time (CCBU stamp) as written; None when missing or written as dashes.
    server: Option<&'a str>,
    /// True when the server time was written as dashes.
    server_unknown: bool,
    comp: &'a str,
    msg: &'a str,
}

/// The browser time at the start of `s`: its length. Checks the layout without making a time
/// (every line of these files is tested).
fn client_stamp_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let c = *b.first()?;
    if c.is_ascii_uppercase() {
        return mdy_parts(s).map(|p| p.used());
    }
    if !c.is_ascii_digit() {
        return None;
    }
    let mut n = if b.get(4) == Some(&b'-') {
        // `yyyy-MM-dd[T| ]HH:mm:ss[.SSS]`
        let (_, dl) = crate::time::parse_ymd(s)?;
        if !matches!(b.get(dl), Some(b'T') | Some(b' ')) {
            return None;
        }
        dl + 1 + crate::time::parse_hms(s.get(dl + 1..)?)?.1
    } else {
        crate::time::parse_hms(s)?.1
    };
    // A zone: `Z`, or `±hh[:]mm` attached or after one blank.
    let z = if b.get(n) == Some(&b' ') { n + 1 } else { n };
    match b.get(z) {
        Some(b'Z') if z == n => n += 1,
        Some(b'+') | Some(b'-') => {
            let digits = |i: usize, k: usize| (i..i + k).all(|j| b.get(j).is_some_and(u8::is_ascii_digit));
            if digits(z + 1, 4) {
                n = z + 5;
            } else if digits(z + 1, 2) && b.get(z + 3) == Some(&b':') && digits(z + 4, 2) {
                n = z + 6;
            }
        }
        _ => {}
    }
    Some(n)
}

/// The first `: ` in the first `max` bytes of `s`.
fn colon_blank(s: &str, max: usize) -> Option<usize> {
    let head = engine::prefix_at_most(s, max).as_bytes();
    memchr::memchr_iter(b':', head).find(|&i| head.get(i + 1) == Some(&b' '))
}

/// A component name: letters, digits, blanks, `._-()/`, starting with a letter, at most 60 bytes
/// and 7 words.
fn component_ok(c: &str) -> bool {
    !c.is_empty()
        && c.len() <= 60
        && c.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && c.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'_' | b'.' | b'-' | b'(' | b')' | b'/'))
        && c.bytes().filter(|&b| b == b' ').count() <= 6
}

/// A column token (a session ID or a host): no blanks, at most 64 bytes, followed by `: `.
fn column_token(s: &str) -> Option<(&str, &str)> {
    let e = colon_blank(s, 66)?;
    let t = s.get(..e)?;
    if t.is_empty() || t.contains([' ', '\t', '[', '(', '=', '\'', '"']) {
        return None;
    }
    Some((t, s.get(e + 2..)?))
}

fn client_line(l: &str) -> Option<ClientLine<'_>> {
    let mut out = ClientLine { client: None, id: None, host: None, server: None, server_unknown: false, comp: "", msg: "" };
    let mut rest = l;
    if let Some(n) = client_stamp_len(l) {
        let after = l.get(n..)?;
        if let Some(r) = after.strip_prefix(':') {
            out.client = l.get(..n);
            rest = r.strip_prefix(' ').unwrap_or(r);
        }
    }
    // Columns after the browser time: up to two tokens, then the server time (or dashes). Tokens
    // count only when a server time follows them.
    let mut columns = false;
    // The component right after the browser time (`09:12:44.105: Container : …`) needs no column.
    let first_colon = colon_blank(rest, 64);
    let direct = first_colon.is_some_and(|c| c > 0 && rest.as_bytes().get(c - 1) == Some(&b' '));
    if (out.client.is_some() || l.starts_with(NO_SERVER_TIME)) && !direct {
        let mut r = rest;
        let mut toks: [Option<&str>; 2] = [None, None];
        for k in 0..3 {
            if let Some(after) = r.strip_prefix(NO_SERVER_TIME) {
                out.server_unknown = true;
                rest = after.strip_prefix(':').map(|a| a.strip_prefix(' ').unwrap_or(a))?;
                columns = true;
                break;
            }
            if let Some(p) = r.as_bytes().first().filter(|c| c.is_ascii_uppercase()).and_then(|_| mdy_parts(r)) {
                if let Some(after) = r.get(p.used()..).and_then(|a| a.strip_prefix(':')) {
                    out.server = r.get(..p.used());
                    rest = after.strip_prefix(' ').unwrap_or(after);
                    columns = true;
                    break;
                }
            }
            if k == 2 {
                break;
            }
            let Some((t, after)) = column_token(r) else { break };
            if let Some(slot) = toks.get_mut(k) {
                *slot = Some(t);
            }
            r = after;
        }
        if columns {
            match toks {
                [Some(a), Some(b)] => {
                    out.id = Some(a);
                    out.host = Some(b);
                }
                [Some(a), None] if a.contains(['.', ':']) => out.host = Some(a),
                [Some(a), None] => out.id = Some(a),
                _ => {}
            }
        }
    }
    // `<Component> : message` (also `<Component>: message` after a time column).
    static SEP: std::sync::LazyLock<memchr::memmem::Finder<'static>> = std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b" : "));
    let head = engine::prefix_at_most(rest, 64);
    let sep = if direct { first_colon.map(|c| c - 1) } else { SEP.find(head.as_bytes()) };
    let (comp, msg) = match sep {
        Some(at) => (rest.get(..at)?, rest.get(at + 3..)?),
        None if columns => {
            let at = colon_blank(head, 64)?;
            (rest.get(..at)?, rest.get(at + 2..)?)
        }
        None => return None,
    };
    let comp = comp.trim();
    if !component_ok(comp) {
        return None;
    }
    out.comp = comp;
    out.msg = msg;
    Some(out)
}

/// A browser time as a record time.
fn client_stamp(s: &str) -> Option<Stamp> {
    if s.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
        return stamp_mdy(s);
    }
    if let Some(st) = stamp_ymd(s) {
        return Some(st);
    }
    let st = stamp_hms(s)?;
    match s.get(st.len..).and_then(crate::time::parse_zone_token) {
        Some((off, tok, used)) if used == tok.len() + 1 && tok.starts_with(['+', '-']) => {
            let text = s.get(..st.len + used)?;
            Some(Stamp { time: engine::make_time(text, None, st.time.ms_of_day(), Some((off, tok))), len: text.len() })
        }
        _ => Some(st),
    }
}

pub static FINESSE_CLIENTLOG: Format = Format {
    name: "finesse-clientlog",
    detect: |s| engine::scored(&s.lines, 15, 78, |l| client_line(l).is_some()),
    shape: Shape::Lines { starts_record: |l| client_line(l).is_some(), glue: engine::no_glue, parse: parse_client },
    lane: Lane::Desktop,
    role: Role::Client,
    ids: &[],
    examples: CLIENT_EXAMPLES,
};

fn parse_client(rec: &mut Record, first: &str, _text: &str) {
    let Some(c) = client_line(first) else { return };
    // The server time lines up with the server logs; the browser's clock may be off.
    let server = c.server.and_then(stamp_mdy);
    let client = c.client.and_then(client_stamp);
    if let Some(st) = server.or(client) {
        rec.time = Some(st.time);
    }
    rec.set_component(c.comp);
    let mut m = c.msg;
    let mut module = None;
    if let Some(r) = m.strip_prefix('[') {
        if let Some((tag, r)) = r.split_once("] ") {
            module = Some(tag);
            m = r;
        }
    }
    let end = memchr::memchr2(b':', b' ', m.as_bytes()).unwrap_or(m.len());
    let name = m.get(..end).unwrap_or("").trim_end_matches(" -");
    if !name.is_empty() && name.len() <= 80 && name.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'(' | b')')) {
        rec.set_name(name);
    }
    // The rest are fields: an index entry stops here.
    if !rec.detail() {
        return;
    }
    if let Some(t) = module {
        put(rec, "module", t);
    }
    if let Some(t) = c.client {
        put(rec, "client_time", t);
    }
    if let Some(t) = c.server {
        put(rec, "server_time", t);
    } else if c.server_unknown {
        put(rec, "server_time", NO_SERVER_TIME);
    }
    if let Some(t) = c.id {
        put(rec, "client_id", t);
    }
    if let Some(t) = c.host {
        put(rec, "host", t);
    }
    kv_eq(rec, m);
    if let Some(u) = rec.get_str("url") {
        query_fields(rec, &u);
        dialog_id_of(rec, &u);
    }
    if let Some(i) = engine::find(m, "on node '") {
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
            if let Some(i) = engine::find(rest, "JID: ") {
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
    Example {
        variant: "stamp without sequence, debug {Thrd=} params body",
        timed: true,
        path: "Desktop-webservices.2022-10-05T08-00-00.000.log",
        text: "Oct 05 2022 08:00:00.010 -0700: %CCBU_pool-21-thread-1-6-QUEUE_STATISTICS_REQUEST: %[count=40]: Starting new round of querying active queue statistics
Oct 05 2022 08:00:00.031 -0700: %CCBU_pool-19-thread-4-7-CTIWriter.getQueryQueueStatisticsReq():  {Thrd=pool-19-thread-4} params : invokeId=5120, queueId=4410
Oct 05 2022 08:00:02.900 -0700: %CCBU_pool-21-thread-1-3-QUEUE STATISTICS POLLING ERROR: %[ERROR_DESCRIPTION= pool saturated][error_message=discarding]: Error during queue statistics polling
",
    },
    Example {
        variant: "UCCX Finesse, empty host, no milliseconds or zone",
        timed: true,
        path: "Desktop-webservices.2023-01-09T11-00-00.000.log",
        text: "0000000410:: Jan 09 2023 11:00:04: %CCBU_Smack Listener Processor (2)-6-PRESENCE_NOTIFICATION_RECIEVED: %[FROM JID=agent7@uccx-a.example.org/desktop][PRESENCE_TYPE=available]: Finesse received a presence notification
0000000411: uccx-a: Jan 09 2023 11:00:05: %CCBU_http-nio-8082-exec-3-6-API_REQUEST: %[REQUEST_URL=User/agent7][agent_id=agent7][request_identifier=6f0a2b1c-0d1e-4f20-8a3b-4c5d6e7f8091][request_method=user.PUT][request_parameters= state:READY]: Request from client to webservice api
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
    Example {
        variant: "12.x empty and bare ids, doubled name group",
        timed: true,
        path: "Desktop-webservices.2024-06-11T15-30-00.000.log",
        text: "220501: [INFO]: [call-id ] [agent-id ]: [Jun 11 2024 15:30:02.114 -0400]: [COMMAND_POOL-1-worker-2]: [c.c.c.f.a.a.c.CCECTIWriter]: [MESSAGE_TO_CTI_SERVER] Message going to the backend cti server cti_message_name: StartTaskIndication, invokeId=7301, mrdId=5011, icmAgentId=5172, taskId=162811_40012001_1
220502: [INFO]: [call-id 162811_40012001_1] [agent-id 2280]: [Jun 11 2024 15:30:02.120 -0400]: [EVENT_POOL-1-worker-9]: [c.c.c.f.c.c.d.CommandDispatcher]: [[COMMAND_DISPATCHER]] DnE-CHECKPOINT-5 - SEQS: [162811_40012001_1]
",
    },
    Example {
        variant: "12.x without call-id/agent-id groups or sequence",
        timed: true,
        path: "Desktop-webservices.2024-06-11T15-40-00.000.log",
        text: "[INFO]: [Jun 11 2024 15:40:00.001 -0400]: [SM-TASK-NOTIFIER-POOL-1]: [c.c.c.f.c.s.SMRestClientImpl]: [SOCIALMINER_HTTP_RESPONSE] Received HTTP Response from SOCIAL-MINER. Status: 200
[WARN]: [Jun 11 2024 15:40:00.310 -0400]: [EVENT_POOL-1-worker-1]: [c.c.c.f.c.XMPPPublishUtils]: [XMPP_PUBLISH_ASYNCHRONOUS] Publishing XMPP Message Asynchronously. node_id: /finesse/api/User/2280/Dialogs
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
    Example {
        variant: "client and server time columns, gadgets, server time as dashes",
        timed: true,
        path: "Finesse_agent2280_2024-06-11T15-20-30.txt",
        text: "2024-06-11T15:20:30.120-04:00: 8F21AC: fin-a.example.org: --- -- ---- --:--:--.--- -----: Header : [ClientServices] ConnectionInfo: connecting
2024-06-11T15:20:31.902-04:00: 8F21AC: fin-a.example.org: Jun 11 2024 15:20:31.899 -0400: Header : [ClientServices] User: requestId='undefined', Returned with status=200
2024-06-11T15:20:32.015-04:00: 8F21AC: fin-a.example.org: Jun 11 2024 15:20:32.011 -0400: TeamPerformance : TeamPerformance.init(): gadget loading for team 5000
2024-06-11T15:20:33.440-04:00: 8F21AC: fin-a.example.org: Jun 11 2024 15:20:33.437 -0400: Call Control : [ClientServices] Dialog: requestId='4b1a2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', Making REST request: method=PUT, url='/finesse/api/Dialog/16803421'
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
        let v6 = "0000000077: fd00:10::20: Oct 04 2022 10:00:14.000 +0200: %CCBU_pool-3-thread-1-6-SOME-THING: x";
        let c = ccbu_line(v6).map(|c| (c.host, c.thread, c.mnemonic));
        assert_eq!(c, Some((Some("fd00:10::20"), "pool-3-thread-1", "SOME-THING")));
        let grep_n = ": Oct 04 2022 10:00:14.000 +0200: %CCBU_CoreImpl-worker3-6-X: y";
        assert!(ccbu_line(grep_n).is_some_and(|c| c.seq.is_none() && c.host.is_none() && c.stamp.is_some()));
        // A stack trace or a sentence quoting the grammar is not a record start.
        assert!(ccbu_line("\tat com.cisco.Foo(Foo.java:12) %CCBU_x-6-Y: z").is_none());
        assert!(ccbu_line("see the line %CCBU_x-6-Y: z").is_none());
        assert_eq!(product_of("___________CUIC", None), CcbuProduct::Cuic);
        assert_eq!(product_of("__CUIC_SECURITY", Some(CcbuProduct::Finesse)), CcbuProduct::Cuic);
        assert_eq!(product_of("_______EVENTING", None), CcbuProduct::Ccp);
        assert_eq!(product_of("http-8080-7", None), CcbuProduct::Finesse);
        for s in ["", "%CCBU_", "%CCBU_-", "%CCBU_-1-", "%CCBU_a-1-:", "1:%CCBU_a-1-b:", ": : %CCBU_x-9-y:", "é: %CCBU_é-1-é:"] {
            let _ = ccbu_line(s);
            let _ = client_line(s);
            let _ = v12(s);
        }
    }

    #[test]
    fn client_columns() {
        let l = "2024-06-11T15:20:31.902-04:00: 8F21AC: fin-a.example.org: Jun 11 2024 15:20:31.899 -0400: Header : [ClientServices] User: x";
        let c = client_line(l).map(|c| (c.id, c.host, c.server, c.comp));
        assert_eq!(c, Some((Some("8F21AC"), Some("fin-a.example.org"), Some("Jun 11 2024 15:20:31.899 -0400"), "Header")));
        // Not client-log lines: an ICM process line, an ISO line without a component.
        assert!(client_line("11:02:45:311 PG1A-opc Trace: MakeAgentRoutableInd - InvokeID = 4411").is_none());
        assert!(client_line("2016.11.02 08:15:10 Closing idle session (id=a81f22c0): 3105@x/desktop").is_none());
        assert!(client_line("12:00:01: INFO: started").is_none());
        let dashes = "--- -- ---- --:--:--.--- -----: Header : [ClientServices] x";
        assert!(client_line(dashes).is_some_and(|c| c.server_unknown && c.comp == "Header"));
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
