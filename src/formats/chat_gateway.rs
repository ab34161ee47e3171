//! SocialMiner/CCP chat gateway (node.js): `log.log` lines `YYYY-MM-DD HH:MM:SS.mmm - level: text`
//! with object dumps on following lines (`chat-gateway`), and `startup.log`, which mixes launcher
//! lines `[Tue Aug 28 10:21:19 EDT 2018] : chat_gateway_launcher.sh : text`, command output and node
//! lines (`chat-gateway-startup`).

use super::engine::{self, bracket_kv, kv_spaced, lead_word, put, stamp_unix_date, stamp_ymd, Stamp};
use super::{Example, Format, IdKind, IdRule, Lane, Role, Shape};
use crate::model::Record;

fn node_line(l: &str) -> Option<(Stamp, &str, &str)> {
    let st = stamp_ymd(l)?;
    let rest = l.get(st.len..)?.strip_prefix(" - ")?;
    let (level, msg) = rest.split_once(": ")?;
    if level.is_empty() || level.len() > 10 || !level.bytes().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    Some((st, level, msg))
}

fn launcher_line(l: &str) -> Option<(Stamp, &str, &str)> {
    let inner = l.strip_prefix('[')?;
    let st = stamp_unix_date(inner)?;
    let rest = inner.get(st.len..)?.strip_prefix("] : ")?;
    let (script, msg) = rest.split_once(" : ")?;
    Some((st, script, msg))
}

pub static CHAT_GATEWAY: Format = Format {
    name: "chat-gateway",
    detect: |s| engine::scored(&s.lines, 30, 80, |l| node_line(l).is_some()),
    shape: Shape::Lines { starts_record: |l| node_line(l).is_some(), glue: engine::no_glue, parse },
    lane: Lane::ChatGateway,
    role: Role::Server,
    ids: &[IdRule::Field("sessionId", IdKind::ChatSession), IdRule::Hex32InText(IdKind::SocialContact)],
    examples: GATEWAY_EXAMPLES,
};

pub static CHAT_GATEWAY_STARTUP: Format = Format {
    name: "chat-gateway-startup",
    detect: |s| engine::scored(&s.lines, 10, 85, |l| launcher_line(l).is_some()),
    shape: Shape::Lines { starts_record: |l| node_line(l).is_some() || launcher_line(l).is_some(), glue: engine::no_glue, parse },
    lane: Lane::ChatGateway,
    role: Role::Server,
    ids: &[],
    examples: STARTUP_EXAMPLES,
};

fn parse(rec: &mut Record, first: &str, _text: &str) {
    if let Some((st, script, msg)) = launcher_line(first) {
        rec.time = Some(st.time);
        rec.set_component(script);
        kv_spaced(rec, msg);
        return;
    }
    let Some((st, level, msg)) = node_line(first) else { return };
    rec.time = Some(st.time);
    rec.set_severity(level);
    if let Some(w) = lead_word(msg) {
        if msg.get(w.len()..).is_some_and(|a| a.starts_with(':')) {
            rec.set_name(w);
        }
    }
    bracket_kv(rec, msg);
    // `Setting state of session [ID=…] to INFO_WAIT ...`
    if let Some(i) = engine::find(msg, "] to ") {
        if let Some(v) = msg.get(i + 5..).and_then(|v| v.split_whitespace().next()) {
            if v.bytes().all(|c| c.is_ascii_uppercase() || c == b'_') && rec.name() == Some("setSessionState") {
                put(rec, "state", v);
            }
        }
    }
    if let Some(i) = engine::find(msg, "Session count = ") {
        put(rec, "session_count", msg.get(i + 16..).unwrap_or("").trim());
    }
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const GATEWAY_EXAMPLES: &[Example] = &[Example {
    variant: "node log.log with an object dump",
    timed: true,
    path: "log.log",
    text: "2024-05-02 09:41:10.115 - info: Creating new session. [Type=FACEBOOK_MESSENGER], [ID=5550001112223334] ...
2024-05-02 09:41:20.360 - debug: setSessionState: Setting state of session [ID=5550001112223334] to INFO_WAIT ...
2024-05-02 09:41:25.401 - debug: Received chat events for [ID=5550001112223334]
{ chatEvents: '' }
",
}];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const STARTUP_EXAMPLES: &[Example] = &[Example {
    variant: "launcher lines and node lines",
    timed: true,
    path: "startup.log",
    text: "[Thu May 02 09:30:01 EDT 2024] : chat_gateway_launcher.sh : Starting SocialMiner Chat Gateway ...
[Thu May 02 09:30:02 EDT 2024] : chat_gateway_launcher.sh : Enabling port 10443 on system firewall ...
2024-05-02 09:30:03.551 - info: Chat gateway listening on port 10443
2024-05-02 09:30:03.602 - debug: loadConfig: Loaded gateway configuration [FEEDID=100031]
",
}];
