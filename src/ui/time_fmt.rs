//! Times as the page shows them: in UTC, in the browser's zone, or as written in the log; and
//! durations and axis ticks.

/// Which clock the page shows times in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Zone {
    #[default]
    Utc,
    /// The browser's zone (DST-aware, per instant).
    Local,
    /// The time as the log wrote it.
    Written,
}

impl Zone {
    pub fn from_value(v: &str) -> Zone {
        match v {
            "local" => Zone::Local,
            "written" => Zone::Written,
            _ => Zone::Utc,
        }
    }

    /// The zone instants are shown in: times as written have no zone of their own to place a
    /// computed instant (an axis tick, a span's end) in, so those are shown in UTC.
    pub fn absolute(self) -> Zone {
        if self == Zone::Written {
            Zone::Utc
        } else {
            self
        }
    }

    /// The column heading.
    pub fn heading(self) -> String {
        match self {
            Zone::Utc => "Time (UTC)".into(),
            Zone::Local => format!("Time (browser, UTC{})", crate::time::offset_text(local_offset_min(js_sys::Date::now() as i64))),
            Zone::Written => "Time (as written)".into(),
        }
    }
}

/// The browser zone's offset from UTC at an instant, in minutes east.
pub fn local_offset_min(ms: i64) -> i32 {
    -(js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64)).get_timezone_offset() as i32)
}

/// An instant moved by the zone's offset: its UTC fields read as the zone's wall clock.
fn wall_ms(ms: i64, zone: Zone) -> i64 {
    if zone == Zone::Local {
        ms + local_offset_min(ms) as i64 * 60_000
    } else {
        ms
    }
}

/// `2026-03-12 15:02:10.123` in UTC or the browser's zone.
pub fn date_time(ms: i64, zone: Zone) -> String {
    let iso = crate::time::iso_utc(wall_ms(ms, zone));
    format!("{} {}", iso.get(..10).unwrap_or(""), iso.get(11..23).unwrap_or(""))
}

/// A row's time in the chosen zone (the written text when asked, or when it has no UTC).
pub fn row_time(utc_ms: Option<i64>, written: &str, zone: Zone) -> String {
    match (zone, utc_ms) {
        (Zone::Written, _) | (_, None) => written.to_string(),
        (z, Some(ms)) => date_time(ms, z),
    }
}

/// Time of day only (`15:02:10.123`).
pub fn clock(ms: i64, zone: Zone) -> String {
    date_time(ms, zone).get(11..).unwrap_or("").to_string()
}

/// Time of day, or date and time when `dated` (an end that may be days away).
pub fn clock_or_date(ms: i64, zone: Zone, dated: bool) -> String {
    if dated {
        date_time(ms, zone)
    } else {
        clock(ms, zone)
    }
}

/// How many calendar days (in the zone) `later` is after `earlier`: 0 on the same day.
pub fn days_after(earlier: i64, later: i64, zone: Zone) -> i64 {
    let day = |ms: i64| wall_ms(ms, zone).div_euclid(crate::time::DAY_MS);
    day(later) - day(earlier)
}

/// `850 ms`, `12.4 s`, `3 min 20 s`, `2.5 h`, `3.1 d`.
pub fn duration(ms: i64) -> String {
    let neg = ms < 0;
    let ms = ms.abs();
    let s = ms as f64 / 1000.0;
    let t = if s < 1.0 {
        format!("{ms} ms")
    } else if s < 120.0 {
        format!("{s:.1} s")
    } else if s < 7200.0 {
        format!("{:.0} min {:.0} s", (s / 60.0).floor(), s % 60.0)
    } else if s < 172_800.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.1} d", s / 86_400.0)
    };
    if neg {
        format!("−{t}")
    } else {
        t
    }
}

/// Axis ticks over [t0, t1] for about `n` labels: (ms, label).
pub fn ticks(t0: i64, t1: i64, n: usize, zone: Zone) -> Vec<(i64, String)> {
    let span = (t1 - t0).max(1);
    const STEPS: [i64; 22] = [
        1,
        10,
        100,
        1_000,
        5_000,
        10_000,
        30_000,
        60_000,
        300_000,
        600_000,
        1_800_000,
        3_600_000,
        7_200_000,
        21_600_000,
        43_200_000,
        86_400_000,
        604_800_000,
        2_592_000_000,
        7_776_000_000,
        31_536_000_000,
        157_680_000_000,
        315_360_000_000,
    ];
    let want = span / n.max(1) as i64;
    let mut k = STEPS.iter().position(|&s| s >= want).unwrap_or(STEPS.len() - 1);
    // At least two labels where a finer step gives them: rounding the step up can leave none.
    while k > 0 && STEPS.get(k).is_some_and(|&s| span / s < 2) {
        k -= 1;
    }
    let step = STEPS.get(k).copied().unwrap_or(315_360_000_000);
    let offset = if zone == Zone::Local { local_offset_min(t0) as i64 * 60_000 } else { 0 };
    let first = ((t0 + offset).div_euclid(step) + 1) * step - offset;
    let mut out = Vec::new();
    let mut t = first;
    while t <= t1 && out.len() < 200 {
        let full = date_time(t, zone.absolute());
        let label = if step >= 86_400_000 {
            full.get(..10).unwrap_or("").to_string()
        } else if step >= 60_000 {
            full.get(11..16).unwrap_or("").to_string()
        } else if step >= 1_000 {
            full.get(11..19).unwrap_or("").to_string()
        } else {
            full.get(11..).unwrap_or("").to_string()
        };
        out.push((t, label));
        t += step;
    }
    out
}
