//! Clock skew and zone inference: when the same message is logged on two sides (same InvokeID,
//! requestId or task key, same message type), the difference between the two times tells how the
//! files' clocks relate. Nothing is changed here: findings carry a `suggestion` the page offers to apply.

use super::flows::Ctx;
use super::ids::{field, IdKind};
use super::{ClockSuggestion, Finding};
use crate::kinds::Lane;
use std::collections::BTreeMap;

use crate::time::DAY_MS;
/// IDs shared by more records than this are not used as evidence (too ambiguous, too costly).
const MAX_GROUP: usize = 50;
/// Pairs kept per file pair.
const MAX_PAIRS: usize = 1000;

/// The message type in a comparable form: `OfferTaskIndication` and `OFFER_TASK_IND` agree.
pub fn event_kind(ctx: &Ctx, i: usize) -> Option<String> {
    let r = ctx.rec(i)?;
    let raw =
        field(r, "MessageType").or_else(|| super::ece::arm_type(ctx, i)).or_else(|| field(r, "cti_message_name")).or_else(|| field(r, "cti_message_class"))?;
    // One copy, shortened in place after: asked of every record of every ID group.
    let mut up = if raw.contains('_') || raw.chars().all(|c| !c.is_ascii_lowercase()) {
        raw.to_ascii_uppercase()
    } else {
        crate::decoders::common::camel_to_upper_snake(raw)
    };
    if up.contains("_INDICATION") {
        up = up.replace("_INDICATION", "_IND");
    }
    let arm_prefixes = up.len() - up.trim_start_matches("ARM_").len();
    up.drain(..arm_prefixes);
    Some(up)
}

struct Pair {
    diff: i64,
    a: usize,
    b: usize,
}

pub fn findings(ctx: &Ctx) -> Vec<Finding> {
    let mut skew: BTreeMap<(u32, u32), Vec<Pair>> = BTreeMap::new();
    let mut zone: BTreeMap<u32, Vec<Pair>> = BTreeMap::new();
    for (kind, _, recs) in ctx.idx.iter() {
        if !matches!(kind, IdKind::Invoke | IdKind::RequestId | IdKind::Task) || recs.len() < 2 || recs.len() > MAX_GROUP {
            continue;
        }
        // Each record's message type read once, when a pair first needs it (not once per pair).
        let mut kinds: Vec<Option<Option<String>>> = vec![None; recs.len()];
        for (n, &a) in recs.iter().enumerate() {
            for (m, &b) in recs.iter().enumerate().skip(n + 1) {
                let (a, b) = (a as usize, b as usize);
                let (Some(ra), Some(rb)) = (ctx.rec(a), ctx.rec(b)) else { continue };
                if ra.file() == rb.file() {
                    continue;
                }
                for (at, rec) in [(n, a), (m, b)] {
                    if let Some(k @ None) = kinds.get_mut(at) {
                        *k = Some(event_kind(ctx, rec));
                    }
                }
                let (Some(Some(Some(ka))), Some(Some(Some(kb)))) = (kinds.get(n), kinds.get(m)) else { continue };
                if ka != kb || ka.ends_with("_EVENT") && kind == IdKind::Task {
                    // Task events are published several times; only indications pair reliably.
                    continue;
                }
                match (ra.utc_ms(), rb.utc_ms()) {
                    (Some(ta), Some(tb)) => {
                        let (x, y, d) = if ra.file() < rb.file() { (a, b, tb - ta) } else { (b, a, ta - tb) };
                        let key = (ra.file().min(rb.file()), ra.file().max(rb.file()));
                        let v = skew.entry(key).or_default();
                        if v.len() < MAX_PAIRS {
                            v.push(Pair { diff: d, a: x, b: y });
                        }
                    }
                    (Some(ta), None) | (None, Some(ta)) => {
                        let (timed, other) = if ra.utc_ms().is_some() { (a, b) } else { (b, a) };
                        let Some(o) = ctx.rec(other) else { continue };
                        let Some(ms) = o.time().as_ref().and_then(|t| t.ms_of_day()) else { continue };
                        let utc_of_day = ta.rem_euclid(DAY_MS);
                        let mut d = ms as i64 - utc_of_day;
                        if d <= -12 * 3_600_000 {
                            d += DAY_MS;
                        }
                        if d > 14 * 3_600_000 {
                            d -= DAY_MS;
                        }
                        let v = zone.entry(o.file()).or_default();
                        if v.len() < MAX_PAIRS {
                            v.push(Pair { diff: d, a: timed, b: other });
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let mut out = Vec::new();
    for ((fa, fb), mut pairs) in skew {
        pairs.sort_by_key(|p| p.diff);
        let Some(med) = pairs.get(pairs.len() / 2) else { continue };
        let d = med.diff;
        if d.abs() < 10 {
            continue;
        }
        let name_a = file_name(ctx, fa);
        let name_b = file_name(ctx, fb);
        let (lo, hi) = (pairs.first().map(|p| p.diff).unwrap_or(d), pairs.last().map(|p| p.diff).unwrap_or(d));
        let severity = if d.abs() >= 1000 { "warning" } else { "info" };
        let dir = if d < 0 { "earlier" } else { "later" };
        let summary = format!(
            "Clock skew: {name_b} logs the same messages {} ms {dir} than {name_a} (median of {} pairs, range {lo}…{hi} ms; e.g. {} vs {}). \
             Sorting by raw time can invert request/response pairs between these files. \
             Check NTP on both servers (utils ntp status); the page can shift {name_b} by {} ms if you apply the suggestion.",
            d.abs(),
            pairs.len(),
            ctx.loc(med.a),
            ctx.loc(med.b),
            -d
        );
        let mut f = Finding::new("clock-skew", severity, summary, pairs.iter().take(10).flat_map(|p| [p.a, p.b]).collect());
        f.suggestion = Some(Box::new(ClockSuggestion { file_index: fb, file: path(ctx, fb), utc_offset_min: None, skew_ms: -d, date: None }));
        out.push(f);
    }
    for (file, mut pairs) in zone {
        pairs.sort_by_key(|p| p.diff);
        let Some(med) = pairs.get(pairs.len() / 2) else { continue };
        let offset_min = ((med.diff as f64) / 900_000.0).round() as i64 * 15;
        let residual = med.diff - offset_min * 60_000;
        let consistent = pairs.iter().all(|p| (p.diff - offset_min * 60_000).abs() < 5 * 60_000);
        let name = file_name(ctx, file);
        let timed_name = ctx.file_name(med.a);
        let zone = crate::time::offset_text(offset_min as i32);
        let date = ctx.rec(med.a).and_then(|r| r.utc_ms()).map(|t| {
            let local = t + offset_min * 60_000;
            crate::time::civil_from_days(local.div_euclid(DAY_MS))
        });
        let date_text = date.map(|(y, m, d)| format!(" and date {y:04}-{m:02}-{d:02}")).unwrap_or_default();
        let t_timed = ctx.time_text(med.a);
        let t_other = ctx.time_text(med.b);
        let summary = format!(
            "Zone inferred: {name} logs local time without a zone. The same message ({}) is logged at {t_timed} in {timed_name} and at {t_other} in {name}, \
             so {name} runs at about {zone}{} ({} pairs{}). Correlate by IDs, not raw time, until the zone is set; \
             apply the suggested zone{date_text} to {name} if it matches the server's configuration.",
            ctx.loc(med.b),
            if residual != 0 { format!(" with {residual} ms of skew") } else { String::new() },
            pairs.len(),
            if consistent { "" } else { ", not all consistent — check for several captures or a clock change" }
        );
        let mut f = Finding::new("zone-inferred", "info", summary, pairs.iter().take(10).flat_map(|p| [p.a, p.b]).collect());
        f.suggestion =
            Some(Box::new(ClockSuggestion { file_index: file, file: path(ctx, file), utc_offset_min: Some(offset_min as i32), skew_ms: -residual, date }));
        out.push(f);
    }
    out.extend(state_change_skew(ctx));
    out
}

/// A desktop that logs receiving an Update before the server's `stateChangeTime`: its clock is behind.
fn state_change_skew(ctx: &Ctx) -> Vec<Finding> {
    let mut per_file: BTreeMap<u32, Vec<(i64, usize)>> = BTreeMap::new();
    for r in ctx.recs() {
        let i = r.index;
        if !matches!(r.lane(), Lane::Desktop | Lane::Browser) {
            continue;
        }
        let (Some(t), Some(sct)) = (r.utc_ms(), field(r, "stateChangeTime").and_then(super::sign_in::iso_ms)) else { continue };
        // Second-precision logs: only a difference of more than a second means something.
        if sct - t > 1_000 {
            per_file.entry(r.file()).or_default().push((sct - t, i));
        }
    }
    let mut out = Vec::new();
    for (file, mut v) in per_file {
        v.sort();
        let Some(&(d, i)) = v.get(v.len() / 2) else { continue };
        let name = file_name(ctx, file);
        let summary = format!(
            "Clock skew: {name} logs receiving an Update at {} UTC, {:.1} s before the server's stateChangeTime ({} records). \
             The desktop PC's clock is about {:.0} s behind the servers; check the PC's time sync before comparing desktop and server times.",
            ctx.rec(i).and_then(|r| r.utc_ms()).map(crate::time::iso_utc).unwrap_or_default(),
            d as f64 / 1000.0,
            v.len(),
            d as f64 / 1000.0
        );
        let mut f = Finding::new("clock-skew", if d >= 2_000 { "warning" } else { "info" }, summary, v.iter().take(20).map(|p| p.1).collect());
        f.suggestion = Some(Box::new(ClockSuggestion { file_index: file, file: path(ctx, file), utc_offset_min: None, skew_ms: d / 1000 * 1000, date: None }));
        out.push(f);
    }
    out
}

fn path(ctx: &Ctx, file: u32) -> String {
    ctx.s.files.get(file as usize).map(|f| f.path.clone()).unwrap_or_default()
}

fn file_name(ctx: &Ctx, file: u32) -> String {
    super::flows::short_name(&path(ctx, file)).to_string()
}
