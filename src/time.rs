//! Calendar arithmetic and time-zone names, without a date crate: logs only need the proleptic
//! Gregorian calendar, fixed offsets and a table of zone abbreviations.

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
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 4 || rest.chars().any(|c| !c.is_ascii_digit() && c != ':') {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 => (digits[..1].parse::<i32>().ok()?, digits[1..].parse::<i32>().ok()?),
        _ => (digits[..2].parse::<i32>().ok()?, digits[2..].parse::<i32>().ok()?),
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

/// Month number for an English abbreviation (`Jan` → 1).
pub fn month_from_abbrev(s: &str) -> Option<u32> {
    const M: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let l = s.get(..3)?.to_ascii_lowercase();
    M.iter().position(|m| *m == l).map(|i| i as u32 + 1)
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
    }
}
