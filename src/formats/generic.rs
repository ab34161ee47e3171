//! The generic layer under every format: what any log line gives away without knowing its family.
//! A line its family's grammar cannot read, and every line of a file no family claims, still gets
//! its time from one catalogue of timestamp layouts, its level, and its `key=value`, `Key: value`
//! and JSON fields, so that every timed line lands on the timeline in its place.
//!
//! The timestamp catalogue (lnav's list was the reference for which layouts matter), each found at
//! a word boundary in the first 200 bytes of a line:
//!
//! | layout | example (written by the project) |
//! |---|---|
//! | ISO-8601, `T` or space, any fraction, `Z`/`±hh:mm`/`±hhmm`/name | `2024-06-11T15:20:31.902+02:00`, `2024-06-11 15:20:31,902` |
//! | `yyyy.MM.dd` / `yyyy/MM/dd` | `2024.06.11 15:20:31.902` |
//! | `Mon DD [YYYY] HH:MM:SS[.mmm] [zone]` (Cisco, syslog) | `Jun 11 2024 15:20:31.902 -0400`, `Jun 11 15:20:31` |
//! | `DD/Mon/YYYY:HH:MM:SS ±zzzz` (access logs) | `11/Jun/2024:15:20:31 -0400` |
//! | `DD-Mon-YYYY HH:MM:SS[.mmm]` (Tomcat 8.5+ catalina) | `11-Jun-2024 15:20:31.902` |
//! | `MM/DD/YYYY HH:MM:SS[.mmm] [AM/PM]` (US; day first when the first number is over 12) | `06/11/2024 3:20:31 PM` |
//! | `Www Mon DD HH:MM:SS [zone] YYYY` (Unix `date`, Java `Date`) | `Tue Jun 11 15:20:31 EDT 2024` |
//! | `HH:MM:SS:mmm` / `HH:MM:SS.mmm` (time of day: the date comes from the file's clock) | `15:20:31:902` |
//! | epoch seconds or milliseconds, 2001–2100, optional fraction | `1718133631`, `1718133631.902`, `1718133631902` |

use super::engine::{self, make_time, stamp_any, Stamp};
use crate::model::{LogTime, Record};
use crate::time;

/// Bytes of a line searched for a timestamp.
const SEARCH_BYTES: usize = 200;

/// `DD-Mon-YYYY HH:MM:SS[.mmm]`.
pub fn stamp_dmy_mon(s: &str) -> Option<Stamp> {
    let b = s.as_bytes();
    let dl = if b.get(1) == Some(&b'-') { 1 } else { 2 };
    let d: u32 = s.get(..dl)?.parse().ok()?;
    if b.get(dl) != Some(&b'-') || b.get(dl + 4) != Some(&b'-') {
        return None;
    }
    let m = time::month_from_abbrev(s.get(dl + 1..dl + 4)?)?;
    let y: i32 = s.get(dl + 5..dl + 9)?.parse().ok()?;
    if !time::valid_date(y, m, d) || !matches!(b.get(dl + 9), Some(b' ') | Some(b':')) {
        return None;
    }
    let at = dl + 10;
    let (ms, tl) = time::parse_hms(s.get(at..)?)?;
    finish(s, (y, m, d), ms, at + tl)
}

/// `MM/DD/YYYY HH:MM:SS[.mmm][ AM|PM]` (day first when the first number is over 12).
pub fn stamp_slashed(s: &str) -> Option<Stamp> {
    let b = s.as_bytes();
    let al = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&al) || b.get(al) != Some(&b'/') {
        return None;
    }
    let bl = b.get(al + 1..)?.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&bl) || b.get(al + 1 + bl) != Some(&b'/') {
        return None;
    }
    let yat = al + bl + 2;
    let y: i32 = s.get(yat..yat + 4)?.parse().ok()?;
    let (a, c): (u32, u32) = (s.get(..al)?.parse().ok()?, s.get(al + 1..al + 1 + bl)?.parse().ok()?);
    let (m, d) = if a > 12 { (c, a) } else { (a, c) };
    if !time::valid_date(y, m, d) || !matches!(b.get(yat + 4), Some(b' ') | Some(b',')) {
        return None;
    }
    let mut at = yat + 5;
    if b.get(at) == Some(&b' ') {
        at += 1;
    }
    let (mut ms, tl) = time::parse_hms(s.get(at..)?)?;
    let mut len = at + tl;
    // A 12-hour clock.
    let rest = s.get(len..).unwrap_or("");
    let ampm = rest.strip_prefix(' ').and_then(|r| r.get(..2)).map(|x| x.to_ascii_uppercase());
    if let Some(ap @ ("AM" | "PM")) = ampm.as_deref() {
        const HOUR: u32 = 3_600_000;
        let hour = ms / HOUR;
        if hour == 0 || hour > 12 {
            return None;
        }
        match (ap, hour) {
            ("AM", 12) => ms -= 12 * HOUR,
            ("PM", h) if h < 12 => ms += 12 * HOUR,
            _ => {}
        }
        len += 3;
    }
    finish(s, (y, m, d), ms, len)
}

/// The zone that may follow a date and time, and the stamp.
fn finish(s: &str, date: (i32, u32, u32), ms: u32, mut len: usize) -> Option<Stamp> {
    let rest = s.get(len..)?;
    let zone = time::parse_zone_token(rest).filter(|(_, tok, used)| {
        let lead = used - tok.len();
        lead <= 1 && (lead == 1 || tok.starts_with(['+', '-', 'Z']))
    });
    let off = zone.map(|(o, tok, used)| {
        len += used;
        (o, tok)
    });
    let text = s.get(..len)?;
    Some(Stamp { time: make_time(text, Some(date), Some(ms), off), len })
}

/// Epoch seconds (10 digits) or milliseconds (13), optionally with a fraction, standing alone as a
/// token; only instants from 2001 to 2100 count (other numbers of that length are IDs).
pub fn stamp_epoch(s: &str) -> Option<Stamp> {
    let b = s.as_bytes();
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if n != 10 && n != 13 {
        return None;
    }
    let v: i64 = s.get(..n)?.parse().ok()?;
    let (mut ms, mut len) = if n == 10 { (v * 1000, n) } else { (v, n) };
    if n == 10 && b.get(n) == Some(&b'.') {
        let f = b.get(n + 1..)?.iter().take_while(|c| c.is_ascii_digit()).count();
        if f > 0 {
            let take = f.min(3);
            let mut frac: i64 = s.get(n + 1..n + 1 + take)?.parse().ok()?;
            for _ in take..3 {
                frac *= 10;
            }
            ms += frac;
            len = n + 1 + f;
        }
    }
    if b.get(len).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    const FROM: i64 = 978_307_200_000; // 2001-01-01
    const TO: i64 = 4_102_444_800_000; // 2100-01-01
    if !(FROM..TO).contains(&ms) {
        return None;
    }
    let mut t = LogTime::epoch(ms);
    t = t.written_at(s.get(..len)?);
    Some(Stamp { time: t, len })
}

/// Any catalogued timestamp at the start of `s`.
pub fn stamp_at(s: &str) -> Option<Stamp> {
    let c = *s.as_bytes().first()?;
    if c.is_ascii_digit() {
        stamp_any(s).or_else(|| stamp_dmy_mon(s)).or_else(|| stamp_slashed(s)).or_else(|| stamp_epoch(s))
    } else {
        stamp_any(s)
    }
}

/// A catalogued timestamp at a word boundary in the first 200 bytes of a line: (offset, stamp).
/// Stamps with a date win over a bare time of day found earlier in the line (`12:01:02 2024-…`
/// rarely happens; `id=12:00:01 … 2024-06-11 …` does).
pub fn find_time(line: &str) -> Option<(usize, Stamp)> {
    let head = engine::prefix_at_most(line, SEARCH_BYTES);
    let b = head.as_bytes();
    let mut time_only: Option<(usize, Stamp)> = None;
    for (i, &c) in b.iter().enumerate() {
        let boundary = i == 0 || !b.get(i - 1).is_some_and(|p| p.is_ascii_alphanumeric() || *p == b'.' || *p == b':');
        if !boundary || !(c.is_ascii_digit() || c.is_ascii_uppercase()) {
            continue;
        }
        if let Some(st) = line.get(i..).and_then(stamp_at) {
            if st.time.date().is_some() || st.time.epoch_ms().is_some() {
                return Some((i, st));
            }
            if time_only.is_none() {
                time_only = Some((i, st));
            }
        }
    }
    time_only
}

/// A timestamp at the very start of a line (after an opening bracket or a few blanks): what makes
/// a line start a record in a file no family claims. A bare number is not enough (it may be a
/// sequence number), so epoch values need 13 digits (milliseconds) or a fraction here.
pub fn leading_time(line: &str) -> Option<(usize, Stamp)> {
    let lead = line.len() - line.trim_start_matches([' ', '\t', '[']).len();
    if lead > 4 {
        return None;
    }
    let st = line.get(lead..).and_then(stamp_at)?;
    if st.time.epoch_ms().is_some() && st.len == 10 {
        return None;
    }
    Some((lead, st))
}

/// The levels logs write, as they write them, and the name kept (upper case).
const LEVELS: &[&str] = &[
    "TRACE",
    "DEBUG",
    "FINEST",
    "FINER",
    "FINE",
    "CONFIG",
    "INFO",
    "NOTICE",
    "WARN",
    "WARNING",
    "ERROR",
    "ERR",
    "SEVERE",
    "FATAL",
    "CRITICAL",
    "CRIT",
    "ALERT",
    "EMERG",
    "EMERGENCY",
];

/// The level written near the start of a message (`INFO`, `[warn]`, `<error>`, `level=debug`), as
/// written.
pub fn level(msg: &str) -> Option<&str> {
    let head = engine::prefix_at_most(msg, 120);
    for tok in head.split([' ', '\t', '[', ']', '<', '>', '|', ':', '(', ')', ',']) {
        let t = tok.strip_prefix("level=").unwrap_or(tok);
        if t.len() < 3 || t.len() > 9 {
            continue;
        }
        if LEVELS.iter().any(|l| l.eq_ignore_ascii_case(t)) && (t.bytes().all(|c| c.is_ascii_uppercase()) || t.bytes().all(|c| c.is_ascii_lowercase())) {
            return Some(t);
        }
    }
    None
}

/// Reads what any line gives away: the time (unless the record has one), the level (unless it
/// has a severity), and in detail mode its `key=value`, `Key: value` and JSON fields. Marks the
/// record `unread` (its family's grammar did not read it).
pub fn read(rec: &mut Record, first: &str, text: &str) {
    rec.set_unread(true);
    let mut rest = first;
    if rec.time.is_none() {
        if let Some((at, st)) = find_time(first) {
            rec.time = Some(st.time);
            rest = first.get(at + st.len..).unwrap_or("");
        }
    }
    if rec.severity.is_none() {
        if let Some(l) = level(rest) {
            rec.set_severity(l);
        }
    }
    if !rec.detail() {
        return;
    }
    let body = match engine::offset_in(text, rest) {
        Some(o) => text.get(o..).unwrap_or(""),
        None => text,
    };
    json_fields(rec, text);
    engine::kv_eq(rec, body);
    engine::kv_colon(rec, body);
}

/// Top-level scalar members of the first JSON object in the text (a JSON log line, a payload).
fn json_fields(rec: &mut Record, body: &str) {
    let Some(open) = body.find('{') else { return };
    let candidate = body.get(open..).unwrap_or("");
    if candidate.len() > 64 << 10 {
        return;
    }
    let mut de = serde_json::Deserializer::from_str(candidate).into_iter::<serde_json::Map<String, serde_json::Value>>();
    if let Some(Ok(map)) = de.next() {
        for (k, v) in map.into_iter().take(64) {
            if rec.fields().contains_key(&k) {
                continue;
            }
            match v {
                serde_json::Value::String(_) | serde_json::Value::Number(_) | serde_json::Value::Bool(_) => rec.set(&k, v),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(line: &str) -> Option<(String, Option<i64>, Option<i32>)> {
        let (at, st) = find_time(line)?;
        let t = st.time;
        let ms = t.epoch_ms().or_else(|| Some(time::to_epoch_ms(t.date()?, t.ms_of_day()?, t.offset_min().unwrap_or(0))));
        Some((line.get(at..at + st.len)?.to_string(), ms, t.offset_min()))
    }

    #[test]
    fn catalogue() {
        let cases: &[(&str, &str, &str)] = &[
            ("2024-06-11T15:20:31.902+02:00 app started", "2024-06-11T15:20:31.902+02:00", "2024-06-11T13:20:31.902Z"),
            ("2024-06-11 15:20:31,902 INFO [main] x", "2024-06-11 15:20:31,902", "2024-06-11T15:20:31.902Z"),
            ("2024-06-11T15:20:31.902123Z x", "2024-06-11T15:20:31.902123Z", "2024-06-11T15:20:31.902Z"),
            ("2024.06.11 15:20:31 INFO  [pool-2]: org.x - y", "2024.06.11 15:20:31", "2024-06-11T15:20:31.000Z"),
            ("Jun 11 2024 15:20:31.902 -0400: %CCBU", "Jun 11 2024 15:20:31.902 -0400", "2024-06-11T19:20:31.902Z"),
            ("10.1.1.1 - - [11/Jun/2024:15:20:31 -0400] \"GET /\"", "11/Jun/2024:15:20:31 -0400", "2024-06-11T19:20:31.000Z"),
            ("11-Jun-2024 15:20:31.902 INFO [main] org.apache", "11-Jun-2024 15:20:31.902", "2024-06-11T15:20:31.902Z"),
            ("06/11/2024 3:20:31 PM Service started", "06/11/2024 3:20:31 PM", "2024-06-11T15:20:31.000Z"),
            ("25/06/2024 08:00:00 x", "25/06/2024 08:00:00", "2024-06-25T08:00:00.000Z"),
            ("Tue Jun 11 15:20:31 EDT 2024 x", "Tue Jun 11 15:20:31 EDT 2024", "2024-06-11T19:20:31.000Z"),
            ("ts=1718133631.902 msg=x", "1718133631.902", "2024-06-11T19:20:31.902Z"),
            ("1718133631902 SENT <body/>", "1718133631902", "2024-06-11T19:20:31.902Z"),
        ];
        for (line, text, iso) in cases {
            let got = utc(line).unwrap_or_else(|| panic!("no time in {line}"));
            assert_eq!(got.0, *text, "{line}");
            assert_eq!(got.1.map(time::iso_utc).as_deref(), Some(*iso), "{line}");
        }
        // Numbers that are not times.
        for line in ["id 4294967295 ok", "InvokeID 9999999999", "12345 67890", "version 1.2.3"] {
            assert!(find_time(line).is_none(), "{line}");
        }
        assert_eq!(utc("at 15:20:31:902 cg1A-ctisvr").map(|x| x.0).as_deref(), Some("15:20:31:902"));
    }

    #[test]
    fn levels() {
        assert_eq!(level(" INFO  [main]: x"), Some("INFO"));
        assert_eq!(level(" [warn] <0.1.0>@mod"), Some("warn"));
        assert_eq!(level(" level=error msg=x"), Some("error"));
        assert_eq!(level(" Information about"), None);
        assert_eq!(level(" Info about"), None);
    }

    #[test]
    fn never_panics() {
        for s in ["", "[", "99/99/9999 99:99:99", "1/1/2024 ", "31-Feb-2024 10:00:00", "1718133631.", "\u{1b}[31m", "é2024-01-01 00:00:00"] {
            let _ = find_time(s);
            let _ = leading_time(s);
            let _ = level(s);
        }
    }
}
