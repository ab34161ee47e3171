//! Openfire (Finesse notification server) logs: `YYYY.MM.DD HH:MM:SS message`, local time with no
//! zone. `debug.log` and `info.log` share the layout; content (and the file name as a hint) decide.

use super::engine::{self, kv_eq, put, share, stamp_ymd};
use super::{Example, Format, Lane, Role, Sample, Shape};
use crate::model::Record;

fn of_start(l: &str) -> bool {
    l.as_bytes().get(4) == Some(&b'.') && stamp_ymd(l).is_some()
}

const DEBUG_MARKERS: &[&str] = &["REQUEST /", "HTTPBindLog", "consumeResponse", "last active", "Launching thread", "session=", "servlet ", "Exiting since"];

fn base(s: &Sample) -> u8 {
    engine::score(share(&s.lines, of_start), 30, 70)
}

fn is_debug(s: &Sample) -> bool {
    let p = s.path.to_ascii_lowercase();
    let name = p.rsplit(['/', '\\']).next().unwrap_or("");
    if name.contains("debug") {
        return true;
    }
    if name.contains("info") || name.contains("warn") || name.contains("error") {
        return false;
    }
    s.lines.iter().any(|l| DEBUG_MARKERS.iter().any(|m| l.contains(m)))
}

pub static OPENFIRE_DEBUG: Format = Format {
    name: "openfire-debug",
    detect: |s| {
        let b = base(s);
        if b > 0 && is_debug(s) {
            b + 1
        } else {
            b
        }
    },
    shape: Shape::Lines { starts_record: of_start, glue: engine::no_glue, parse },
    lane: Lane::Notification,
    role: Role::Server,
    ids: &[],
    examples: DEBUG_EXAMPLES,
};

pub static OPENFIRE_INFO: Format = Format {
    name: "openfire-info",
    detect: |s| {
        let b = base(s);
        if b > 0 && !is_debug(s) {
            b + 1
        } else {
            b
        }
    },
    shape: Shape::Lines { starts_record: of_start, glue: engine::no_glue, parse },
    lane: Lane::Notification,
    role: Role::Server,
    ids: &[],
    examples: INFO_EXAMPLES,
};

fn parse(rec: &mut Record, first: &str, text: &str) {
    let Some(st) = stamp_ymd(first) else { return };
    let msg = first.get(st.len..).unwrap_or("").trim_start();
    rec.time = Some(st.time);
    if let Some((w, _)) = msg.split_once(": ") {
        if !w.is_empty() && !w.contains(' ') && w.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.') {
            rec.set_component(w);
        }
    }
    // One scan for all the phrases that name a record (the first in this order wins, as listed).
    const NAMES: [(&str, &str); 7] = [
        ("was last active", "SESSION_LAST_ACTIVE"),
        ("Closing idle session", "CLOSING_IDLE_SESSION"),
        ("A session is being closed", "SESSION_CLOSED"),
        ("Unable to route packet", "UNABLE_TO_ROUTE"),
        ("Failed to route packet", "FAILED_TO_ROUTE"),
        ("HTTP RECV", "HTTP_RECV"),
        ("HTTP SENT", "HTTP_SENT"),
    ];
    if let Some(re) =
        crate::lazy_regex!("was last active|Closing idle session|A session is being closed|Unable to route packet|Failed to route packet|HTTP RECV|HTTP SENT")
    {
        // Several phrases in one message: the earliest in NAMES wins, as before.
        let best = re.find_iter(msg).filter_map(|m| NAMES.iter().position(|(n, _)| *n == m.as_str())).min();
        if let Some((_, name)) = best.and_then(|i| NAMES.get(i)) {
            rec.set_name(name);
        }
    }
    // The rest are fields: an index entry stops here.
    if !rec.detail() {
        return;
    }
    let body = text.get(st.len..).unwrap_or("");
    kv_eq(rec, body);
    if let Some(i) = msg.find("last active ") {
        if let Some(v) = msg.get(i + 12..).and_then(|v| v.split(' ').next()) {
            put(rec, "last_active_ms", v);
        }
    }
    if let Some(i) = msg.find("(id=") {
        if let Some(v) = msg.get(i + 4..).and_then(|v| v.split(')').next()) {
            put(rec, "session_id", v);
        }
    }
    if let Some(i) = msg.find("threshold value of ") {
        put(rec, "threshold_s", msg.get(i + 19..).unwrap_or("").trim());
    }
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const DEBUG_EXAMPLES: &[Example] = &[Example {
    variant: "3.x debug.log",
    timed: true,
    path: "debug.log",
    text: "2016.11.02 08:14:02 HttpSession: Session a81f22c0 was last active 12003 ms ago: 3105@finesse-a.example.org/desktop
2016.11.02 08:14:05 HTTPBindLog: HTTP RECV(a81f22c0): <body rid='811337' sid='a81f22c0' xmlns='http://jabber.org/protocol/httpbind'/>
",
}];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const INFO_EXAMPLES: &[Example] = &[Example {
    variant: "3.x info.log",
    timed: true,
    path: "info.log",
    text: "2016.11.02 08:15:10 Closing idle session (id=a81f22c0): 3105@finesse-a.example.org/desktop after being inactive for more than threshold value of 60
2016.11.02 08:15:10 A session is being closed for 3105@finesse-a.example.org/desktop
",
}];
