//! Calendar arithmetic and time-zone names, without a date crate: logs only need the proleptic
//! Gregorian calendar, fixed offsets and a table of zone abbreviations.

/// Milliseconds in a day (a UTC day: no leap seconds in logs' clocks).
pub const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y as i64 - 1 } else { y as i64 };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Civil date for days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

/// Milliseconds since the epoch for a local wall time at a fixed UTC offset.
pub fn to_epoch_ms(date: (i32, u32, u32), ms_of_day: u32, offset_min: i32) -> i64 {
    days_from_civil(date.0, date.1, date.2) * 86_400_000 + ms_of_day as i64 - offset_min as i64 * 60_000
}

/// ISO-8601 UTC text (`2019-07-20T18:27:31.749Z`) for ms since the epoch.
pub fn iso_utc(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, milli) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// UTC offset in minutes for a zone abbreviation as logs write it. North-American zones first,
/// since the products log in the server's local zone and most deployments are there.
pub fn zone_offset_min(abbrev: &str) -> Option<i32> {
    Some(match abbrev {
        "UTC" | "GMT" | "Z" | "WET" => 0,
        "EST" => -300,
        "EDT" => -240,
        "CST" => -360,
        "CDT" => -300,
        "MST" => -420,
        "MDT" => -360,
        "PST" => -480,
        "PDT" => -420,
        "AKST" => -540,
        "AKDT" => -480,
        "HST" => -600,
        "AST" => -240,
        "ADT" => -180,
        "NST" => -210,
        "NDT" => -150,
        "BST" | "CET" | "WEST" => 60,
        "CEST" | "EET" => 120,
        "EEST" | "MSK" => 180,
        "IST" => 330,
        "SGT" | "HKT" | "AWST" => 480,
        "KST" | "JST" => 540,
        "AEST" => 600,
        "AEDT" => 660,
        "NZST" => 720,
        "NZDT" => 780,
        _ => return None,
    })
}

/// Text for an offset: `+0530`, `-0400`.
pub fn offset_text(offset_min: i32) -> String {
    let sign = if offset_min < 0 { '-' } else { '+' };
    let a = offset_min.unsigned_abs();
    format!("{sign}{:02}{:02}", a / 60, a % 60)
}

/// Parses `+0530`, `-05:00`, `GMT+0000`, `UTC-4`, `EDT`… into minutes east of UTC.
pub fn parse_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    if let Some(z) = zone_offset_min(s) {
        return Some(z);
    }
    let s = s.strip_prefix("GMT").or_else(|| s.strip_prefix("UTC")).unwrap_or(s);
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, s.get(1..)?),
        b'-' => (-1, s.get(1..)?),
        _ => return None,
    };
    // Up to four digits, colons allowed between them (`+05:30`); read without a copy (every zoned
    // timestamp comes through here).
    let mut d = [0i32; 4];
    let mut n = 0usize;
    for c in rest.bytes() {
        match c {
            b'0'..=b'9' => {
                *d.get_mut(n)? = i32::from(c - b'0');
                n += 1;
            }
            b':' => {}
            _ => return None,
        }
    }
    let (h, m) = match n {
        1 => (d[0], 0),
        2 => (d[0] * 10 + d[1], 0),
        3 => (d[0], d[1] * 10 + d[2]),
        4 => (d[0] * 10 + d[1], d[2] * 10 + d[3]),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

/// Month number for an English abbreviation (`Jan` → 1).
pub fn month_from_abbrev(s: &str) -> Option<u32> {
    const M: [&[u8; 3]; 12] = [b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"];
    // Every timestamp goes through here: compare bytes, no lower-cased copy.
    let b = s.as_bytes().get(..3)?;
    let l = [b.first()?.to_ascii_lowercase(), b.get(1)?.to_ascii_lowercase(), b.get(2)?.to_ascii_lowercase()];
    M.iter().position(|m| **m == l).map(|i| i as u32 + 1)
}

/// Days in a month of the proleptic Gregorian calendar (0 for an invalid month).
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// True for a plausible civil date (years 1..=9999).
pub fn valid_date(y: i32, m: u32, d: u32) -> bool {
    (1..=9999).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

/// Number made of exactly `n` ASCII digits at `b[at..at+n]`.
fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(n)?)?;
    let mut v: u32 = 0;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

/// Parses `HH:MM:SS` (hour may be one digit) with optional fraction after `.`, `,` or `:`
/// (`08:54:27:874`, `18:27:31.749`). Returns (ms of day, bytes used).
pub fn parse_hms(s: &str) -> Option<(u32, usize)> {
    let b = s.as_bytes();
    let hl = if b.get(1) == Some(&b':') { 1 } else { 2 };
    let h = digits(b, 0, hl)?;
    if b.get(hl) != Some(&b':') {
        return None;
    }
    let mi = digits(b, hl + 1, 2)?;
    if b.get(hl + 3) != Some(&b':') {
        return None;
    }
    let sec = digits(b, hl + 4, 2)?;
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut used = hl + 6;
    let mut ms = 0u32;
    if let Some(&sep) = b.get(used) {
        if sep == b'.' || sep == b',' || sep == b':' {
            let mut n = 0;
            while b.get(used + 1 + n).is_some_and(|c| c.is_ascii_digit()) {
                n += 1;
            }
            // A colon followed by exactly 3 digits is ICM's millisecond form; `.`/`,` take 1-9 digits.
            let ok = if sep == b':' { n == 3 } else { (1..=9).contains(&n) };
            if ok {
                let take = n.min(3);
                let mut v = digits(b, used + 1, take)?;
                for _ in take..3 {
                    v *= 10;
                }
                ms = v;
                used += 1 + n;
            }
        }
    }
    Some(((h * 3600 + mi * 60 + sec.min(59)) * 1000 + ms, used))
}

/// Parses `YYYY-MM-DD`, `YYYY.MM.DD` or `YYYY/MM/DD`. Returns (date, bytes used).
pub fn parse_ymd(s: &str) -> Option<((i32, u32, u32), usize)> {
    let b = s.as_bytes();
    let y = digits(b, 0, 4)? as i32;
    let sep = *b.get(4)?;
    if !matches!(sep, b'-' | b'.' | b'/') || b.get(7) != Some(&sep) {
        return None;
    }
    let m = digits(b, 5, 2)?;
    let d = digits(b, 8, 2)?;
    if !valid_date(y, m, d) {
        return None;
    }
    Some(((y, m, d), 10))
}

/// Parses `Mon DD` (`Aug 27`, `Feb  8`, `Feb 8`). Returns (month, day, bytes used).
pub fn parse_mon_day(s: &str) -> Option<(u32, u32, usize)> {
    let m = month_from_abbrev(s.get(..3)?)?;
    let b = s.as_bytes();
    let mut i = 3;
    if b.get(i) != Some(&b' ') {
        return None;
    }
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    let dl = if b.get(i + 1).is_some_and(|c| c.is_ascii_digit()) { 2 } else { 1 };
    let d = digits(b, i, dl)?;
    if !(1..=31).contains(&d) {
        return None;
    }
    Some((m, d, i + dl))
}

/// A zone token right at the start of `s` (after spaces): `GMT+0000`, `+0530`, `-05:00`, `EDT`, `Z`.
/// Returns (offset minutes, token text, bytes used including leading spaces).
pub fn parse_zone_token(s: &str) -> Option<(i32, &str, usize)> {
    let lead = s.len() - s.trim_start_matches(' ').len();
    let rest = s.get(lead..)?;
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == ':')).unwrap_or(rest.len());
    let mut tok = rest.get(..end)?;
    // `+0530:` — a colon right after a 4-digit offset is punctuation, not part of it.
    if tok.ends_with(':') {
        tok = tok.get(..tok.len() - 1)?;
    }
    if tok.is_empty() {
        return None;
    }
    let off = parse_offset(tok)?;
    Some((off, tok, lead + tok.len()))
}

/// Offset (minutes east of UTC) of a wall time given the UTC instant it stands for, rounded to a
/// quarter hour; None if it is not a plausible zone (beyond -12 h / +14 h).
pub fn offset_from_epoch(ms_of_day: u32, epoch_ms: i64) -> Option<i32> {
    let utc_of_day = epoch_ms.rem_euclid(86_400_000);
    let mut diff = ms_of_day as i64 - utc_of_day;
    if diff > 14 * 3_600_000 {
        diff -= 86_400_000;
    }
    if diff < -12 * 3_600_000 {
        diff += 86_400_000;
    }
    let q = (diff as f64 / 900_000.0).round() as i64 * 15;
    if !(-720..=840).contains(&q) {
        return None;
    }
    // Clocks further than 10 minutes from the quarter hour are not the same instant.
    if (diff - q * 60_000).abs() > 600_000 {
        return None;
    }
    Some(q as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for &(y, m, d) in &[(1970, 1, 1), (2000, 2, 29), (2013, 4, 23), (2038, 1, 19), (1969, 12, 31)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }

    #[test]
    fn epoch_from_nocache() {
        // Seed 001: nocache=1366756805180 is 22:40:05.180Z, logged 18:40:05 EDT by the client.
        let ms = to_epoch_ms((2013, 4, 23), (18 * 3600 + 40 * 60 + 5) * 1000 + 180, -240);
        assert_eq!(ms, 1366756805180);
        assert_eq!(iso_utc(ms), "2013-04-23T22:40:05.180Z");
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("GMT+0000"), Some(0));
        assert_eq!(parse_offset("-0500"), Some(-300));
        assert_eq!(parse_offset("+0530"), Some(330));
        assert_eq!(parse_offset("+05:30"), Some(330));
        assert_eq!(parse_offset("EDT"), Some(-240));
        assert_eq!(parse_offset("PDT"), Some(-420));
        assert_eq!(parse_offset("banana"), None);
        assert_eq!(parse_offset("+99"), None);
        assert_eq!(offset_text(-240), "-0400");
        assert_eq!(parse_offset("-"), None);
        assert_eq!(parse_offset("+"), None);
    }

    #[test]
    fn parsers() {
        assert_eq!(parse_hms("08:54:27:874 cg"), Some((((8 * 60 + 54) * 60 + 27) * 1000 + 874, 12)));
        assert_eq!(parse_hms("18:40:03: Container"), Some(((18 * 3600 + 40 * 60 + 3) * 1000, 8)));
        assert_eq!(parse_hms("1:34:21 x").map(|x| x.1), Some(7));
        assert_eq!(parse_hms("25:00:00"), None);
        assert_eq!(parse_hms("12:3"), None);
        assert_eq!(parse_ymd("2019-07-20 18"), Some(((2019, 7, 20), 10)));
        assert_eq!(parse_ymd("2017.06.17"), Some(((2017, 6, 17), 10)));
        assert_eq!(parse_ymd("2017-13-17"), None);
        assert_eq!(parse_ymd("2017-02-30"), None);
        assert_eq!(parse_mon_day("Feb 8 2007"), Some((2, 8, 5)));
        assert_eq!(parse_mon_day("Aug 27 12"), Some((8, 27, 6)));
        assert_eq!(parse_zone_token(" GMT+0000 <@>"), Some((0, "GMT+0000", 9)));
        assert_eq!(parse_zone_token(" +0530: %"), Some((330, "+0530", 6)));
        assert_eq!(parse_zone_token(" EDT %MADM"), Some((-240, "EDT", 4)));
        assert_eq!(parse_zone_token(" %MADM"), None);
        assert_eq!(offset_from_epoch((18 * 3600 + 40 * 60 + 5) * 1000, 1366756805180), Some(-240));
        assert_eq!(offset_from_epoch((21 * 3600 + 34 * 60 + 26) * 1000, 1492185866851), Some(330));
    }
}
