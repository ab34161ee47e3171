//! Which bars a state timeline's row draws at a zoom: a state wide enough gets its own bar;
//! states narrower than a bar can show that follow each other share one bar, which says how many
//! changes it holds. An agent with 50 000 changes in a day then draws a few hundred bars across
//! the page's width, not 50 000 (one such row stopped the page for over half a second).

use std::ops::Range;

/// One bar of a row: a state of its own (its index), or the states in a range drawn as one.
#[derive(Clone, Debug, PartialEq)]
pub enum Bar {
    One(usize),
    Many(Range<usize>),
}

/// Groups states given as `(start, end)` times in order so that no bar is narrower than `min_px`:
/// a state at least that wide stands alone; narrower ones are gathered until the group spans
/// `min_px` from its first state's start. The last state always has its own bar (the page marks
/// it as running to the end of the logs). `x` maps a time to pixels. O(n) in the states.
pub fn bars(spans: &[(i64, i64)], x: impl Fn(i64) -> f64, min_px: f64) -> Vec<Bar> {
    let mut out = Vec::new();
    // The narrow states gathered so far: from the index of the first, and its start in pixels.
    let mut run: Option<(usize, f64)> = None;
    let flush = |run: &mut Option<(usize, f64)>, end: usize, out: &mut Vec<Bar>| match run.take() {
        Some((first, _)) if end - first > 1 => out.push(Bar::Many(first..end)),
        Some((first, _)) => out.push(Bar::One(first)),
        None => {}
    };
    for (i, &(start, end)) in spans.iter().enumerate() {
        let (x1, x2) = (x(start), x(end));
        if x2 - x1 >= min_px {
            flush(&mut run, i, &mut out);
            out.push(Bar::One(i));
            continue;
        }
        if run.is_some_and(|(_, from)| x1 - from >= min_px) {
            flush(&mut run, i, &mut out);
        }
        if run.is_none() {
            run = Some((i, x1));
        }
    }
    let n = spans.len();
    if run.is_some_and(|(first, _)| first + 1 < n) {
        flush(&mut run, n - 1, &mut out);
        out.push(Bar::One(n - 1));
    }
    flush(&mut run, n, &mut out);
    out
}

/// The states a shared bar holds, most frequent first (then by name): "READY ×12, NOT_READY ×11
/// and 2 other states" (at most `shown` named).
pub fn tally<'a>(states: impl IntoIterator<Item = &'a str>, shown: usize) -> String {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for st in states {
        *counts.entry(st).or_default() += 1;
    }
    let mut counts: Vec<(&str, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut out = counts.iter().take(shown).map(|(st, n)| format!("{st} ×{n}")).collect::<Vec<_>>().join(", ");
    if counts.len() > shown {
        out.push_str(&format!(" and {} other states", counts.len() - shown));
    }
    out
}

/// The time window a click on a shared bar zooms to: around the middle of its `changes` changes
/// (from `from_ms` to `to_ms`), narrow enough that each gets twice `min_px` of `plot_px` on
/// average (a bar can hold thousands), and at least a second wide.
pub fn zoom_to(from_ms: i64, to_ms: i64, changes: usize, plot_px: f64, min_px: f64) -> (i64, i64) {
    let fit = (plot_px / (2.0 * min_px)).max(1.0);
    let parts = (changes as f64 / fit).ceil().max(1.0);
    let half = (((to_ms - from_ms) as f64 / parts / 2.0) as i64).max(500);
    let mid = from_ms + (to_ms - from_ms) / 2;
    (mid - half, mid + half)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One pixel per millisecond.
    fn px(ms: i64) -> f64 {
        ms as f64
    }

    #[test]
    fn wide_states_stand_alone_and_narrow_ones_share_a_bar() {
        // 0–10 wide, then three 1 ms states, then a wide one, then one narrow state alone.
        let spans = [(0, 10), (10, 11), (11, 12), (12, 13), (13, 30), (30, 31)];
        assert_eq!(bars(&spans, px, 4.0), vec![Bar::One(0), Bar::Many(1..4), Bar::One(4), Bar::One(5)]);
        // At a zoom where every state is wide enough, each has its own bar.
        assert_eq!(bars(&spans, |ms| ms as f64 * 10.0, 4.0), (0..6).map(Bar::One).collect::<Vec<_>>());
    }

    #[test]
    fn a_day_of_changes_draws_about_one_bar_per_min_width() {
        // 50 000 changes one second apart over 1 000 pixels: at most one bar per 4 pixels (+1).
        let spans: Vec<(i64, i64)> = (0..50_000i64).map(|k| (k * 1_000, (k + 1) * 1_000)).collect();
        let width = 1_000.0;
        let day = 50_000_000.0;
        let out = bars(&spans, |ms| ms as f64 / day * width, 4.0);
        assert!(out.len() <= 251, "{} bars", out.len());
        // Every change is in exactly one bar, in order.
        let mut next = 0;
        for b in &out {
            match b {
                Bar::One(i) => {
                    assert_eq!(*i, next);
                    next += 1;
                }
                Bar::Many(r) => {
                    assert_eq!(r.start, next);
                    next = r.end;
                }
            }
        }
        assert_eq!(next, spans.len());
    }

    #[test]
    fn the_last_state_keeps_its_own_bar() {
        let spans = [(0, 10), (10, 11), (11, 12), (12, 13)];
        assert_eq!(bars(&spans, px, 4.0), vec![Bar::One(0), Bar::Many(1..3), Bar::One(3)]);
        let spans = [(0, 10), (10, 11), (11, 12)];
        assert_eq!(bars(&spans, px, 4.0), vec![Bar::One(0), Bar::One(1), Bar::One(2)]);
    }

    #[test]
    fn a_shared_bar_says_which_states_and_zooms_until_they_fit() {
        let states = ["READY", "NOT_READY", "READY", "TALKING", "WORK", "HOLD", "READY", "NOT_READY"];
        assert_eq!(tally(states, 2), "READY ×3, NOT_READY ×2 and 3 other states");
        assert_eq!(tally(["READY"], 4), "READY ×1");
        // 2 000 changes over an hour, 800 px at 4 px at least: 100 fit, so a twentieth of the hour.
        let (a, b) = zoom_to(0, 3_600_000, 2_000, 800.0, 4.0);
        assert_eq!((a, b), (1_800_000 - 90_000, 1_800_000 + 90_000));
        // A few changes: the whole run; a tiny one: a second at least.
        assert_eq!(zoom_to(1_000, 5_000, 3, 800.0, 4.0), (1_000, 5_000));
        assert_eq!(zoom_to(1_000, 1_010, 3, 800.0, 4.0), (505, 1_505));
    }

    #[test]
    fn no_states_no_bars() {
        assert!(bars(&[], px, 4.0).is_empty());
        assert_eq!(bars(&[(5, 5)], px, 4.0), vec![Bar::One(0)]);
    }
}
