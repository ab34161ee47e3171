//! UCCX engine logs: `MADM*.log` → `uccx-madm` (the administration web application), `MIVR*.log`
//! and every other facility → `uccx-mivr` (the engine, its subsystems and steps; the same grammar
//! is written by the cluster view daemon `MCVD`, the JTAPI client `JTAPI`, and Cisco VVB's engine).
//!
//! One record per header line; lines that do not start with a header continue the record above
//! (the contact XML of `New incoming contact`, stack traces, an e-mail's hard wraps).
//!
//! ```text
//! [<seq>: ][<Mon> <DD>[ <YYYY>] <HH:MM:SS>[.mmm][ <ZONE>][ ]]%<FAC>-<SUBFAC>-<sev>-<MNEMONIC>:[ ]<body>
//!
//! <FAC>      MIVR | MADM | MCVD | JTAPI | …   upper-case letters and digits, no `_` (`%CCBU_…` is not UCCX)
//! <SUBFAC>   SS_TEL | SS_CM | SS_RM | ENG | SS_CHAT | ADM_CFG | LIB_MEDIA | STEP_MEDIA_CONTROL | JASMIN | …
//! <sev>      0-7 (7 debug … 1 alert; kept as written)
//! <MNEMONIC> UNK for trace lines, else an alarm name (EXCEPTION, ModuleRunTimeFailure, …)
//! <body>     [\[<thread>\] ][<Class>: ]<message>      UCCX 11.6+ (thread bracket, logger class)
//!          | [\[CALLID=<id>\] ]<message>             VVB (the bracket holds the call)
//!          | [(<provider>) \[<thread>\] ]<message>    JTAPI client
//!          | [<Class>: ]<message>                    UCCX 8.x-11.5 (no bracket, often no space after `:`)
//!          | <description>: <Key>=<Value>,<Key>=<Value>…   alarms (keys may hold spaces)
//! ```
//!
//! The sequence number, the date, the year, the milliseconds and the zone are each optional (a
//! quoted alarm may be the bare `%MIVR-…` part); the zone may touch the `%` (`PST%MIVR-…`). Without
//! a year the date waits for `infer_clocks` (neighbouring files).
//!
//! Examples (written by the project):
//! ```text
//! 7104: Jun 03 09:15:02.114 CEST %MIVR-SS_TEL-7-UNK:CallID:41 MediaId:61802/1 Task:52000000311 Digit received: 4
//! 7105: Jun 03 09:15:02.120 CEST %MIVR-ENG-7-UNK:Execute step of Task 52000000311 : Select Resource (--Triggering Contact-- from CSQ)
//! 88120: Oct 09 10:12:40.551 EDT %MIVR-SS_CHAT-7-UNK:[chatEventConsumer-2] ChatSubsystemLogger: addContact()--Queue for tag is 2
//! 412: Feb 11 2021 14:02:09.877 +0100 %MCVD-CLUSTER_MGR-3-UNK:[Thread-19] ClusterManager: peer node 2 unreachable
//! 88: Mar 02 07:41:12.003 PST%MIVR-SS_TEL-3-UNABLE_REGISTER_CTIPORT:Unable to register CTI Port: CTI Port=6104,Exception=com.example.InvalidArgument
//! %MIVR-SS_TEL-7-EXCEPTION:com.example.PlatformException: Unable to create provider
//! ```
//!
//! Fields: `seq`, `facility`, component = sub-facility, severity = the digit, `thread`, `class`,
//! `provider` (JTAPI), `CALLID` (VVB); from messages `callId`, `mediaId`, `taskId`, `step` (script
//! step executed), `description` and the alarm's own keys, `oldState`/`newState` (`… from X to Y`),
//! and every `key=value`. Names: the alarm mnemonic, else the logger class, else the message's
//! leading words (`Digit received`, `Call.received`, `Execute step of Task`).

use super::engine::{self, kv_eq, mdy_parts, put, MdyParts};
use super::{Example, Format, IdKind, IdRule, Lane, Role, Shape};
use crate::model::{Record, Sym};

/// The header of a UCCX line: everything up to the `MNEMONIC:`.
pub struct Header<'a> {
    seq: &'a str,
    stamp: Option<MdyParts<'a>>,
    facility: &'a str,
    sub: &'a str,
    sev: &'a str,
    mnemonic: &'a str,
    /// What follows `MNEMONIC:`.
    body: &'a str,
}

/// Reads a header line (see the grammar above); None when the line does not start a record.
pub fn header(l: &str) -> Option<Header<'_>> {
    let b = l.as_bytes();
    let first = *b.first()?;
    let (seq, rest) = if first.is_ascii_digit() {
        let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if n > 12 || b.get(n) != Some(&b':') || b.get(n + 1) != Some(&b' ') {
            return None;
        }
        (l.get(..n)?, l.get(n + 2..)?)
    } else {
        ("", l)
    };
    let (stamp, rest) = if rest.starts_with('%') {
        (None, rest)
    } else {
        let p = mdy_parts(rest)?;
        let r = rest.get(p.used()..)?;
        (Some(p), r.strip_prefix(' ').unwrap_or(r))
    };
    let h = rest.strip_prefix('%')?;
    let hb = h.as_bytes();
    // Facility: 2-12 upper-case letters or digits, starting with a letter.
    let fl = hb.iter().take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit()).count();
    if !(2..=12).contains(&fl) || hb.get(fl) != Some(&b'-') || !hb.first().is_some_and(u8::is_ascii_uppercase) {
        return None;
    }
    // Sub-facility up to `-<digit>-`.
    let sub_start = fl + 1;
    let sl = hb.get(sub_start..)?.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
    if sl == 0 || sl > 48 {
        return None;
    }
    let sev_at = sub_start + sl;
    if hb.get(sev_at) != Some(&b'-') || !hb.get(sev_at + 1).is_some_and(u8::is_ascii_digit) || hb.get(sev_at + 2) != Some(&b'-') {
        return None;
    }
    let mn_start = sev_at + 3;
    let ml = hb.get(mn_start..)?.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
    if ml == 0 || ml > 64 || hb.get(mn_start + ml) != Some(&b':') {
        return None;
    }
    Some(Header {
        seq,
        stamp,
        facility: h.get(..fl)?,
        sub: h.get(sub_start..sev_at)?,
        sev: h.get(sev_at + 1..sev_at + 2)?,
        mnemonic: h.get(mn_start..mn_start + ml)?,
        body: h.get(mn_start + ml + 1..)?,
    })
}

fn is_start(l: &str) -> bool {
    header(l).is_some()
}

pub static UCCX_MADM: Format = Format {
    name: "uccx-madm",
    detect: |s| engine::scored(&s.lines, 10, 80, |l| header(l).is_some_and(|u| u.facility == "MADM")),
    shape: Shape::Lines { starts_record: is_start, glue: engine::no_glue, parse },
    lane: Lane::UccxAdmin,
    role: Role::Server,
    ids: &[IdRule::Hex32InText(IdKind::SocialContact)],
    examples: MADM_EXAMPLES,
};

pub static UCCX_MIVR: Format = Format {
    name: "uccx-mivr",
    detect: |s| engine::scored(&s.lines, 10, 80, |l| header(l).is_some_and(|u| u.facility != "MADM")),
    shape: Shape::Lines { starts_record: is_start, glue: engine::no_glue, parse },
    lane: Lane::UccxEngine,
    role: Role::Server,
    ids: &[IdRule::Hex32InText(IdKind::SocialContact)],
    examples: MIVR_EXAMPLES,
};

/// The parts of a header's body: a bracket (thread or `CALLID=`), a JTAPI provider, a logger
/// class, and the message.
struct Body<'a> {
    bracket: &'a str,
    provider: &'a str,
    class: &'a str,
    msg: &'a str,
}

fn body(s: &str) -> Body<'_> {
    let mut rest = s.trim_start_matches(' ');
    let mut provider = "";
    if let Some(r) = rest.strip_prefix('(') {
        if let Some((p, after)) = r.split_once(") ") {
            if !p.is_empty() && !p.contains(' ') && after.starts_with('[') {
                provider = p;
                rest = after;
            }
        }
    }
    let mut bracket = "";
    if let Some(r) = rest.strip_prefix('[') {
        // The thread may hold spaces and brackets of its own (`ChatContactEvent--… 1535396382446`).
        let close = engine::find(r, "] ").or_else(|| r.strip_suffix(']').map(str::len));
        if let Some(c) = close {
            bracket = r.get(..c).unwrap_or("");
            rest = r.get(c + 1..).unwrap_or("").trim_start_matches(' ');
        }
    }
    let mut class = "";
    if let Some((c, m)) = rest.split_once(": ") {
        if is_class(c) {
            class = c;
            rest = m;
        }
    }
    Body { bracket, provider, class, msg: rest }
}

/// A logger class or object name as UCCX writes it before `: ` (`AppAdminUtil`, `PrPl`,
/// `RIMgrAddressCallObserver`): one identifier, no spaces, not a `Key:value` ID.
fn is_class(c: &str) -> bool {
    c.len() >= 2
        && c.len() <= 80
        && c.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && c.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'$'))
}

fn parse(rec: &mut Record, first: &str, text: &str) {
    let Some(h) = header(first) else { return };
    if let Some(st) = h.stamp {
        rec.time = Some(st.stamp().time);
    }
    rec.set_component(h.sub);
    rec.set_severity(h.sev);
    let b = body(h.body);
    rec.name = if h.mnemonic != "UNK" {
        Sym::new(h.mnemonic)
    } else if !b.class.is_empty() {
        Sym::new(b.class)
    } else {
        let m = strip_call_ids(b.msg);
        // A leading `leg, State=X: ` (VVB) or other values before a `: `: the words after it.
        lead_phrase(m).or_else(|| m.split_once(": ").and_then(|(_, r)| lead_phrase(r))).and_then(Sym::new)
    };
    if !rec.detail() {
        return;
    }
    if !h.seq.is_empty() {
        put(rec, "seq", h.seq);
    }
    put(rec, "facility", h.facility);
    put(rec, "subfacility", h.sub);
    if !b.bracket.is_empty() {
        match b.bracket.split_once('=') {
            Some((k, v)) if !k.is_empty() && k.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') => put(rec, k, v),
            _ => put(rec, "thread", b.bracket),
        }
    }
    if !b.provider.is_empty() {
        put(rec, "provider", b.provider);
    }
    if !b.class.is_empty() {
        put(rec, "class", b.class);
    }
    // The message with its continuation lines (hard wraps, XML, stack traces).
    let full = engine::offset_in(text, b.msg).and_then(|o| text.get(o..)).unwrap_or(b.msg);
    // An alarm hard-wrapped in a document or an e-mail: its parameters read over the wraps.
    let joined;
    let alarm_text = if h.mnemonic != "UNK" && full.contains('\n') {
        joined = full.lines().map(str::trim_end).collect::<Vec<_>>().join(" ");
        joined.as_str()
    } else {
        b.msg
    };
    message_fields(rec, b.msg);
    let alarm = h.mnemonic != "UNK" && alarm_params(rec, alarm_text);
    // An alarm's parameters and a call contact's object (see `decoders::uccx`) are read by their
    // own rules.
    if !alarm && !engine::has(b.msg, "CallContact[") {
        kv_eq(rec, full);
    }
}

/// `CallID:41 MediaId:61802/1 Task:52000000311[,] ` (SS_TEL) and `OrigCall=` before it: the IDs
/// that prefix telephony messages, skipped to find the words that name the event.
fn strip_call_ids(msg: &str) -> &str {
    let mut m = msg.trim_start();
    if let Some(r) = m.strip_prefix("OrigCall=") {
        m = r;
    }
    for key in ["CallID:", "MediaId:", "Task:"] {
        if let Some(r) = m.strip_prefix(key) {
            let end = r.find([' ', ',']).unwrap_or(r.len());
            m = r.get(end..).unwrap_or("").trim_start_matches([',', ' ']);
        }
    }
    m
}

/// The value after `key` up to a space, comma or closing bracket.
fn token_after<'a>(msg: &'a str, key: &str) -> Option<&'a str> {
    let i = msg.find(key)?;
    let r = msg.get(i + key.len()..)?;
    let end = r.find([' ', ',', ']', ')', ';']).unwrap_or(r.len());
    r.get(..end).filter(|v| !v.is_empty())
}

/// IDs, the script step and state changes in a message.
fn message_fields(rec: &mut Record, msg: &str) {
    if let Some(v) = token_after(msg, "CallID:") {
        put(rec, "callId", v);
    }
    if let Some(v) = token_after(msg, "MediaId:") {
        put(rec, "mediaId", v);
    }
    let digits = |v: &&str| v.bytes().all(|c| c.is_ascii_digit());
    if let Some(v) = ["Task:", "Task ID: ", "Task ", "task="].iter().find_map(|k| token_after(msg, k).filter(digits)) {
        put(rec, "taskId", v);
    }
    // VVB call legs: `SIP-<leg>, State=ALERTED: Sending 200 OK response.`
    if let Some(v) = token_after(msg, "State=") {
        put(rec, "State", v.trim_end_matches(':'));
    }
    // `Execute step of Task 52000000311 : Select Resource (…)`: the script step.
    if let Some(r) = msg.strip_prefix("Execute step of Task ") {
        if let Some((_, step)) = r.split_once(" : ") {
            put(rec, "step", step);
        }
    }
    // `… state … from READY to RESERVED`
    if let Some(i) = engine::find(msg, " from ") {
        let r = msg.get(i + 6..).unwrap_or("");
        if let Some((a, b)) = r.split_once(" to ") {
            let b = b.split([' ', ',', '.', ')']).next().unwrap_or("");
            let caps = |s: &str| s.len() >= 3 && s.bytes().all(|c| c.is_ascii_uppercase() || c == b'_');
            if caps(a) && caps(b) {
                put(rec, "oldState", a);
                put(rec, "newState", b);
            }
        }
    }
}

/// An alarm's `description: Key=Value,Key Two=Value,…` (keys may hold spaces; a value runs to the
/// next `,Key=`, so an exception text keeps its own commas).
fn alarm_params(rec: &mut Record, msg: &str) -> bool {
    let (desc, params) = match msg.split_once(": ") {
        Some((d, p)) if p.contains('=') => (d, p),
        _ => return false,
    };
    put(rec, "description", desc);
    let mut pairs: Vec<(&str, usize, usize)> = Vec::new();
    let mut at = 0;
    for seg in params.split(',') {
        let start = at;
        at += seg.len() + 1;
        let key = seg.split_once('=').map(|(k, _)| k.trim()).filter(|k| {
            !k.is_empty()
                && k.len() <= 40
                && k.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
                && k.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b' ' | b'_' | b'.'))
        });
        match key {
            Some(k) => pairs.push((k, start + seg.find('=').unwrap_or(0) + 1, start + seg.len())),
            None => {
                if let Some(last) = pairs.last_mut() {
                    last.2 = start + seg.len();
                }
            }
        }
    }
    let any = !pairs.is_empty();
    for (k, s, e) in pairs {
        put(rec, k, params.get(s..e.min(params.len())).unwrap_or(""));
    }
    any
}

/// The leading words of a message that name what happened, without the values that vary
/// (`Digit received`, `Launching thread for`, `Call.received`, `NEW_CALL`). Words are letters and
/// `_`; the phrase ends at the first word holding anything else, after a word ending in `:`, `,`,
/// `;`, `.` or `=` (`ConsultEvent= …`), or after six words. A leading dotted name (`Call.received()`, `com.example.FooImpl`) is the
/// phrase by itself (its last segment when it is a package path).
pub fn lead_phrase(msg: &str) -> Option<&str> {
    let m = msg.trim_start();
    let first_end = m.find([' ', '\t']).unwrap_or(m.len());
    let first = m.get(..first_end)?;
    let w = first.trim_end_matches([':', ',', ';', '.']);
    // A call (`makeCall(6104,3999)`, `Call.transferred(4410)`): the name before its arguments.
    let (w, call) = match w.find('(') {
        Some(p) if p > 0 => (w.get(..p).unwrap_or(w), true),
        _ => (w, false),
    };
    if (call || w.contains('.'))
        && w.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && w.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'$'))
    {
        let segs = w.split('.').count();
        let lower = w.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
        let out = if segs >= 3 && lower { w.rsplit('.').next().unwrap_or(w) } else { w };
        return (out.len() >= 3).then_some(out);
    }
    let mut end = 0;
    let mut words = 0;
    for (i, word) in m.split(' ').enumerate() {
        if word.is_empty() {
            break;
        }
        let bare = word.trim_end_matches([':', ',', ';', '.', '=']);
        let ok = !bare.is_empty() && bare.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) && bare.bytes().all(|c| c.is_ascii_alphabetic() || c == b'_');
        if !ok {
            break;
        }
        // Byte offset of this word's end in `m`.
        let Some(off) = engine::offset_in(m, word) else { break };
        end = off + bare.len();
        words = i + 1;
        if bare.len() != word.len() || words >= 6 {
            break;
        }
    }
    let out = m.get(..end)?;
    (words > 0 && out.len() >= 3).then_some(out)
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const MADM_EXAMPLES: &[Example] = &[
    Example {
        variant: "MADM with a thread bracket",
        timed: true,
        path: "MADM01.log",
        text: "1201: Oct 09 10:11:12.013 EDT %MADM-ADM_CFG-7-UNK:[http-bio-443-exec-4] AppAdminUtil: Getting gateway config
1202: Oct 09 10:11:12.020 EDT %MADM-CFG_MGR-7-UNK:[http-bio-443-exec-4] ConfigManagerImpl: getAccessor(ConfigQuery)
",
    },
    Example {
        variant: "MADM 10.x without a thread bracket, with the year",
        timed: true,
        path: "MADM02.log",
        text: "310: Jan 19 2016 16:02:45.710 CST %MADM-ADM_CFG-7-UNK:AppAdminUtil: Entering - getCsqName(3)
311: Jan 19 2016 16:02:45.733 CST %MADM-DB_MGR-3-DB_CONN_ERROR:Database connection error: Reason=timeout,Datasource=db_cra
",
    },
];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const MIVR_EXAMPLES: &[Example] = &[
    Example {
        variant: "MIVR with a thread bracket",
        timed: true,
        path: "MIVR01.log",
        text: "88120: Oct 09 10:12:40.551 EDT %MIVR-SS_CHAT-7-UNK:[chatEventConsumer-2] ChatSubsystemLogger: Received Event [ContactEvent [operation=ADD, id=AB12CD34EF56AB78CD90EF12AB34CD56]]
88121: Oct 09 10:12:40.560 EDT %MIVR-SS_CHAT-7-UNK:[chatEventConsumer-2] ChatSubsystemLogger: addContact()--Queue for tag is 2
",
    },
    Example {
        variant: "MIVR 8.x-11.5 without a bracket or a space after the colon",
        timed: true,
        path: "MIVR02.log",
        text: "7104: Jun 03 09:15:02.114 CEST %MIVR-SS_TEL-7-UNK:CallID:41 MediaId:61802/1 Task:52000000311 Digit received: 4
7105: Jun 03 09:15:02.120 CEST %MIVR-ENG-7-UNK:Execute step of Task 52000000311 : Select Resource (--Triggering Contact-- from CSQ)
7106: Jun 03 09:15:02.121 CEST %MIVR-SS_RM-7-UNK:RIMgrAddressCallObserver: CallCtlConnEstablishedEv received for call:2000451
",
    },
    Example {
        variant: "alarm mnemonics, the zone touching the percent sign",
        timed: true,
        path: "MIVR03.log",
        text: "88: Mar 02 07:41:12.003 PST%MIVR-SS_TEL-3-UNABLE_REGISTER_CTIPORT:Unable to register CTI Port: CTI Port=6104,Exception=com.example.InvalidArgument
89: Mar 02 07:41:12.005 PST%MIVR-SS_TEL-7-EXCEPTION:com.example.InvalidArgument: address 6104 unknown
",
    },
    Example {
        variant: "other facilities, with the year and a numeric zone, no sequence number",
        timed: true,
        path: "MCVD01.log",
        text: "Feb 11 2021 14:02:09.877 +0100 %MCVD-CLUSTER_MGR-3-UNK:[Thread-19] ClusterManager: peer node 2 unreachable
Feb 11 2021 14:02:10.002 +0100 %MCVD-CLUSTER_MGR-6-UNK:[Thread-19] ClusterManager: peer node 2 back IN_SERVICE
",
    },
    Example {
        variant: "VVB engine with a CALLID bracket",
        timed: true,
        path: "MIVR04.log",
        text: "5012: Nov 14 16:20:01.330 AEDT %MIVR-JASMIN-7-UNK:[CALLID=0A1B2C3D00010000000000AA11223344-170000000000001] NEW_CALL, GUCID=0A1B2C3D00010000000000AA11223344; URI=sip:7001@vvb.example.org
5013: Nov 14 16:20:01.390 AEDT %MIVR-SS_VB-7-UNK:[CALLID=0A1B2C3D00010000000000AA11223344-170000000000001] Fetching bootstrap document
",
    },
];
