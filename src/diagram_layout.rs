//! Where everything of a sequence diagram goes: lanes, one row per message (tall enough for its
//! label, wrapped), long silences as breaks, repeated messages collapsed, and the flow's end.
//! The page draws the rows in view from it; the exports draw every row from the same layout.

use crate::answers::{FlowDetail, FlowStep};
use std::collections::BTreeSet;

/// Height of the lane header, width of the time column.
pub const HEAD_H: f64 = 44.0;
pub const TIME_W: f64 = 124.0;
/// A label line's height, and the least height of a row.
pub const LINE_H: f64 = 15.0;
pub const ROW_MIN: f64 = 34.0;
/// A silence longer than this is drawn as a break.
pub const GAP_MS: i64 = 10_000;
/// Label lines a row shows on the page (the rest is elided, in full on hover and in exports).
pub const PAGE_LINES: usize = 2;

/// What one row shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A message: index into the flow's `steps` (time order).
    Step(usize),
    /// `n` identical messages in a row, collapsed; the first one's index.
    Run { first: usize, n: usize },
    /// A silence of this many ms.
    Gap(i64),
    /// How the flow ended (or that it is still open).
    End,
}

/// Room between the end box's text and the diagram's sides.
pub const END_PAD: f64 = 18.0;

/// How much wider the end box's bold text is than `text_w`'s regular estimate.
pub const END_BOLD_W: f64 = 1.15;

/// Height of the end box holding `lines` lines of text (28 for one).
pub fn end_box_h(lines: usize) -> f64 {
    13.0 + lines.max(1) as f64 * LINE_H
}

/// A row with its place and label.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub item: Item,
    pub y: f64,
    pub h: f64,
    /// The label, wrapped to the room between the arrow's ends.
    pub lines: Vec<String>,
    /// Some of the label did not fit (the full text is in the row's title).
    pub elided: bool,
    pub x1: f64,
    pub x2: f64,
}

impl Placed {
    /// The arrow's height in the row (below the label).
    pub fn arrow_y(&self) -> f64 {
        self.y + self.h - 12.0
    }
}

/// How to lay out.
pub struct Opts<'a> {
    /// Collapsed runs the user expanded (by their first step).
    pub expanded: &'a BTreeSet<usize>,
    pub hidden_lanes: &'a BTreeSet<String>,
    /// Collapse repeats (the page) or draw every message (exports).
    pub collapse: bool,
    /// Most label lines per row (`usize::MAX` in exports: labels are never cut there).
    pub max_lines: usize,
    /// Only the steps in this UTC range.
    pub range: Option<(i64, i64)>,
    /// The end box's text (mark included): wrapped to the diagram's width, never cut.
    pub end_text: &'a str,
}

pub struct Layout {
    pub lanes: Vec<String>,
    pub lane_w: f64,
    pub width: f64,
    pub height: f64,
    pub rows: Vec<Placed>,
    /// Steps drawn (indices into `steps`).
    pub shown: usize,
}

/// Width of text at 12 px in the page's sans-serif (a generous estimate per character class, so
/// a label is never wider than its room).
pub fn text_w(s: &str) -> f64 {
    s.chars()
        .map(|c| match c {
            'A'..='Z' | 'm' | 'w' | '@' | '%' | '#' | '&' => 9.0,
            ' ' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'i' | 'l' | 'j' | 'f' | 't' | '(' | ')' | '[' | ']' | '/' | '-' => 4.5,
            '0'..='9' | 'a'..='z' | '_' | '?' | '$' => 7.0,
            c if c.is_ascii() => 7.5,
            _ => 12.0,
        })
        .sum()
}

/// Splits `text` into lines no wider than `room`; at most `max_lines`, the last elided with "…"
/// when there is more. Returns the lines and whether text was left out.
pub fn wrap(text: &str, room: f64, max_lines: usize) -> (Vec<String>, bool) {
    let room = room.max(60.0);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let push_word = |word: &str, cur: &mut String, lines: &mut Vec<String>| {
        let candidate = if cur.is_empty() { word.to_string() } else { format!("{cur} {word}") };
        if text_w(&candidate) <= room {
            *cur = candidate;
            return;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(cur));
        }
        // A word wider than the room is broken where it must be.
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if text_w(&piece) > room {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        *cur = piece;
    };
    for word in text.split_whitespace() {
        push_word(word, &mut cur, &mut lines);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    if lines.len() <= max_lines {
        return (lines, false);
    }
    lines.truncate(max_lines.max(1));
    if let Some(last) = lines.last_mut() {
        while !last.is_empty() && text_w(&format!("{last}…")) > room {
            last.pop();
        }
        last.push('…');
    }
    (lines, true)
}

/// What a step's label says (a run the flow builder folded says how many).
pub fn step_text(s: &FlowStep) -> String {
    if s.count > 1 {
        format!("× {} {}", s.count, s.label)
    } else {
        s.label.clone()
    }
}

/// When a step's messages end: a run the flow builder folded ("× 2877 BOSH poll") lasts until
/// its last message, so a silence is measured from there (a day of polls every 30 s is not a
/// 24-hour silence after its first poll).
pub fn last_time(s: &FlowStep) -> Option<i64> {
    if s.count > 1 {
        s.last_utc_ms.or(s.utc_ms)
    } else {
        s.utc_ms
    }
}

/// Until when a run the flow builder folded went on, when not at its first message's time: the
/// time column says so under the first time ("03:10:00", "… 03:59:00").
pub fn run_until(s: &FlowStep) -> Option<i64> {
    if s.count > 1 {
        s.last_utc_ms.filter(|&last| Some(last) != s.utc_ms)
    } else {
        None
    }
}

/// `run_until` as written in the log (a log without a zone has no UTC to tell it by).
pub fn run_until_written(s: &FlowStep) -> Option<&str> {
    (s.count > 1 && !s.last_time.is_empty() && s.last_time != s.time).then_some(s.last_time.as_str())
}

/// The time column of a folded run holds a second time: until when it went on.
pub fn has_until(s: &FlowStep) -> bool {
    run_until(s).is_some() || run_until_written(s).is_some()
}

fn same(a: &FlowStep, b: &FlowStep) -> bool {
    a.from == b.from
        && a.to == b.to
        && a.label == b.label
        && !a.failure
        && !b.failure
        && a.back_ms.is_none()
        && b.back_ms.is_none()
        && a.count <= 1
        && b.count <= 1
}

pub fn layout(flow: &FlowDetail, o: &Opts) -> Layout {
    let lanes: Vec<String> = flow.participants.iter().filter(|l| !o.hidden_lanes.contains(*l)).cloned().collect();
    let steps: Vec<usize> = (0..flow.steps.len())
        .filter(|&i| {
            let s = &flow.steps[i];
            !o.hidden_lanes.contains(&s.from) && !o.hidden_lanes.contains(&s.to) && o.range.is_none_or(|(a, b)| s.utc_ms.is_some_and(|t| t >= a && t <= b))
        })
        .collect();
    let lane_of = |name: &str| lanes.iter().position(|l| l == name);
    // Lanes wide enough for most labels between neighbours to fit on two lines.
    let widest = steps
        .iter()
        .filter_map(|&i| {
            let s = &flow.steps[i];
            let (a, b) = (lane_of(&s.from)?, lane_of(&s.to)?);
            (a.abs_diff(b) <= 1).then(|| text_w(&s.label))
        })
        .fold(0.0_f64, f64::max);
    let lane_w = (widest / 2.0 + 24.0).clamp(170.0, 210.0);
    let x_of = |name: &str| lane_of(name).map(|i| lane_w * i as f64 + lane_w / 2.0).unwrap_or(lane_w / 2.0);
    // A message to itself on the last lane draws its label right of the lane: room for it there.
    let self_on_last = steps.iter().any(|&i| {
        let s = &flow.steps[i];
        s.from == s.to && lane_of(&s.from).is_some_and(|k| k + 1 == lanes.len())
    });
    let width = lane_w * lanes.len().max(1) as f64 + 40.0 + if self_on_last { lane_w } else { 0.0 };
    let room = |x1: f64, x2: f64| -> f64 {
        if (x1 - x2).abs() < 1.0 {
            (width - x1 - 54.0).min(lane_w + lane_w / 2.0 - 54.0)
        } else {
            (x1 - x2).abs() - 16.0
        }
    };
    let mut rows: Vec<Placed> = Vec::new();
    let mut y = 8.0;
    let mut last_ms: Option<i64> = None;
    let mut k = 0;
    let mut shown = 0;
    let place = |item: Item, label: &str, x1: f64, x2: f64, extra_lines: usize, y: &mut f64, rows: &mut Vec<Placed>| {
        let (lines, elided) = match item {
            _ if label.is_empty() => (Vec::new(), false),
            // The end box spans the diagram, its bold text inset by END_PAD on each side.
            Item::End => wrap(label, (width - 2.0 * END_PAD) / END_BOLD_W, usize::MAX),
            _ => wrap(label, room(x1, x2), o.max_lines),
        };
        let h = match item {
            Item::Gap(_) => 26.0,
            Item::End => end_box_h(lines.len()) + 16.0,
            _ => (20.0 + (lines.len() + extra_lines) as f64 * LINE_H).max(ROW_MIN),
        };
        rows.push(Placed { item, y: *y, h, lines, elided, x1, x2 });
        *y += h;
    };
    while k < steps.len() {
        let i = steps[k];
        let s = &flow.steps[i];
        if let (Some(a), Some(b)) = (last_ms, s.utc_ms) {
            if b - a > GAP_MS {
                place(Item::Gap(b - a), "", 0.0, width, 0, &mut y, &mut rows);
            }
        }
        let mut n = 1;
        while o.collapse && k + n < steps.len() && same(&flow.steps[steps[k + n]], s) {
            n += 1;
        }
        let (x1, x2) = (x_of(&s.from), x_of(&s.to));
        if n >= 3 && !o.expanded.contains(&i) {
            let label = format!("× {n} {} (click to expand)", s.label);
            place(Item::Run { first: i, n }, &label, x1, x2, 0, &mut y, &mut rows);
            shown += n;
            last_ms = flow.steps.get(steps[k + n - 1]).and_then(last_time).or(last_ms);
            k += n;
            continue;
        }
        for j in 0..n {
            let si = steps[k + j];
            let st = &flow.steps[si];
            if j > 0 {
                if let (Some(a), Some(b)) = (last_ms, st.utc_ms) {
                    if b - a > GAP_MS {
                        place(Item::Gap(b - a), "", 0.0, width, 0, &mut y, &mut rows);
                    }
                }
            }
            // A folded run's row is a line taller: its time column holds two times.
            let extra = usize::from(st.back_ms.is_some()) + usize::from(has_until(st));
            place(Item::Step(si), &step_text(st), x1, x2, extra, &mut y, &mut rows);
            shown += 1;
            last_ms = last_time(st).or(last_ms);
        }
        k += n;
    }
    place(Item::End, o.end_text, 0.0, width, 0, &mut y, &mut rows);
    Layout { lanes, lane_w, width, height: y + 12.0, rows, shown }
}

impl Layout {
    pub fn lane_x(&self, i: usize) -> f64 {
        self.lane_w * i as f64 + self.lane_w / 2.0
    }

    /// Rows that overlap [top, bottom] (y in diagram units).
    pub fn rows_in(&self, top: f64, bottom: f64) -> std::ops::Range<usize> {
        let a = self.rows.partition_point(|r| r.y + r.h < top);
        let b = self.rows.partition_point(|r| r.y <= bottom);
        a..b.max(a)
    }

    /// The row that shows step `i` (or the run that holds it).
    pub fn row_of_step(&self, i: usize) -> Option<usize> {
        self.rows.iter().position(|r| match r.item {
            Item::Step(s) => s == i,
            Item::Run { first, n } => (first..first + n).contains(&i),
            _ => false,
        })
    }
}

/// The end box's text with its mark: "■ logged out — … at 10:02:03 UTC", "… still open …".
/// `clock(ms, dated)` writes a time: of day, or with its date when `dated`.
pub fn end_line(flow: &FlowDetail, clock: impl Fn(i64, bool) -> String) -> String {
    format!("{} {}", if flow.summary.end == crate::answers::EndKind::Open { "…" } else { "■" }, end_text(flow, clock))
}

/// The end box's class: how the flow ended.
pub fn end_class(kind: crate::answers::EndKind) -> &'static str {
    match kind {
        crate::answers::EndKind::Closed => "closed",
        crate::answers::EndKind::LoggedOut => "logged-out",
        crate::answers::EndKind::TimedOut => "timed-out",
        crate::answers::EndKind::Open => "open",
    }
}

use crate::time::DAY_MS;

/// How the end row reads (`end_line` without the mark): "logged out — AgentStateEvent LOGOUT
/// reason 255", or "still open at the end of the logs (last message 13:05:10, the logs end
/// 14:00:00)"; when the logs end a day or more after the flow's last message, the end is given
/// with its date ("the logs end 2024-01-30 13:58:10, 2481.9 d later").
pub fn end_text(flow: &FlowDetail, clock: impl Fn(i64, bool) -> String) -> String {
    let s = &flow.summary;
    match s.end {
        crate::answers::EndKind::Open => {
            let last = s.end_ms.map(|m| clock(m, false)).map(|t| format!("last message {t}")).unwrap_or_default();
            // A time of day alone reads as earlier than the last message when the logs end days
            // later (files of another day, or year, loaded with this flow's): the date and the
            // gap are said then.
            let end = flow
                .logs_end_ms
                .map(|e| match s.end_ms.map(|m| e.saturating_sub(m)).filter(|&gap| gap >= DAY_MS) {
                    Some(gap) => format!("the logs end {}, {:.1} d later", clock(e, true), gap as f64 / DAY_MS as f64),
                    None => format!("the logs end {}", clock(e, false)),
                })
                .unwrap_or_default();
            let when = [last, end].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(", ");
            if when.is_empty() {
                "still open at the end of the logs".into()
            } else {
                format!("still open at the end of the logs ({when})")
            }
        }
        k => {
            let at = s
                .end_step
                .and_then(|i| flow.steps.iter().find(|st| st.index == i))
                .and_then(|st| st.utc_ms)
                .map(|t| format!(" at {}", clock(t, false)))
                .unwrap_or_default();
            format!("{} — {}{at}", k.text(), s.end_label)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_and_elide_within_their_room() {
        // Two lines of a lane pair's room (2 × 170 px lanes, less the arrow's ends) hold it.
        let label = "entrypoint/initialize 1001 → responseType 1 (no agent available)";
        let (lines, elided) = wrap(label, 260.0, 2);
        assert!(lines.iter().all(|l| text_w(l) <= 260.0), "{lines:?}");
        assert!(!elided, "{lines:?}");
        assert_eq!(lines.join(" "), label);
        let (lines, elided) = wrap(&"word ".repeat(80), 120.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(elided && lines[1].ends_with('…'));
    }

    /// The logs may end on another day than the flow (a bundle of two incidents): the end box
    /// says how much later, so that "the logs end 13:58" does not read as before "16:04".
    #[test]
    fn an_open_flow_says_when_the_logs_end_days_later() {
        let clock = |ms: i64, dated: bool| {
            let day = if dated { format!("day {} ", ms / DAY_MS) } else { String::new() };
            format!("{day}{:02}:{:02} UTC", ms / 3_600_000 % 24, ms / 60_000 % 60)
        };
        let mut flow = FlowDetail::default();
        flow.summary.end = crate::answers::EndKind::Open;
        flow.summary.end_ms = Some(16 * 3_600_000 + 4 * 60_000);
        flow.logs_end_ms = Some(16 * 3_600_000 + 5 * 60_000);
        assert_eq!(end_text(&flow, clock), "still open at the end of the logs (last message 16:04 UTC, the logs end 16:05 UTC)");
        flow.logs_end_ms = Some(3 * DAY_MS + 13 * 3_600_000 + 58 * 60_000);
        assert_eq!(end_text(&flow, clock), "still open at the end of the logs (last message 16:04 UTC, the logs end day 3 13:58 UTC, 2.9 d later)");
        flow.logs_end_ms = Some(DAY_MS + 16 * 3_600_000 + 4 * 60_000);
        assert_eq!(end_text(&flow, clock), "still open at the end of the logs (last message 16:04 UTC, the logs end day 1 16:04 UTC, 1.0 d later)");
        // Within a day, though on the next date: the time of day says it.
        flow.logs_end_ms = Some(DAY_MS + 3_600_000);
        assert_eq!(end_text(&flow, clock), "still open at the end of the logs (last message 16:04 UTC, the logs end 01:00 UTC)");
    }

    /// A folded run of polls spans the day: the next message 30 s after its last one is 30 s
    /// later, not a day after its first one; a silence after a single message still shows.
    #[test]
    fn a_silence_after_a_folded_run_is_counted_from_its_last_message() {
        const S: i64 = 1_000;
        let step = |label: &str, at: i64, count: u32, last: Option<i64>| FlowStep {
            from: "Desktop".into(),
            to: "Openfire".into(),
            label: label.into(),
            utc_ms: Some(at),
            count,
            last_utc_ms: last,
            ..FlowStep::default()
        };
        let day = 24 * 3_600 * S;
        let flow = FlowDetail {
            participants: vec!["Desktop".into(), "Openfire".into()],
            steps: vec![
                step("BOSH poll (sid afb139f0)", 0, 1, None),
                step("BOSH poll (sid afb139f0)", 30 * S, 2877, Some(day - 60 * S)),
                step("BOSH poll (sid afb139f0)", day - 30 * S, 1, None),
                step("logout", day + 60 * S, 1, None),
            ],
            ..FlowDetail::default()
        };
        let (none, no_lanes) = (BTreeSet::new(), BTreeSet::new());
        let lay = layout(&flow, &Opts { expanded: &none, hidden_lanes: &no_lanes, collapse: true, max_lines: PAGE_LINES, range: None, end_text: "■ closed" });
        let gaps: Vec<i64> = lay.rows.iter().filter_map(|r| if let Item::Gap(ms) = r.item { Some(ms) } else { None }).collect();
        assert_eq!(gaps, [30 * S, 30 * S, 90 * S], "{:?}", lay.rows.iter().map(|r| &r.item).collect::<Vec<_>>());
        // The folded run says until when (its row has a line for it); the single polls do not.
        assert_eq!(flow.steps.iter().map(run_until).collect::<Vec<_>>(), [None, Some(day - 60 * S), None, None]);
        let height = |i: usize| lay.rows.iter().find(|r| r.item == Item::Step(i)).map(|r| r.h - r.lines.len() as f64 * LINE_H);
        assert_eq!(height(1), height(0).map(|h| h + LINE_H), "{:?}", lay.rows);
    }

    #[test]
    fn a_folded_run_in_a_log_without_a_zone_says_until_when_as_written() {
        let step = |time: &str, count: u32, last: &str| FlowStep {
            from: "Desktop".into(),
            to: "Openfire".into(),
            label: "BOSH poll (sid afb139f0)".into(),
            time: time.into(),
            count,
            last_time: last.into(),
            ..FlowStep::default()
        };
        let steps = [step("2026.03.12 04:00:00", 1, ""), step("2026.03.12 04:00:30", 198, "2026.03.12 05:39:00"), step("2026.03.12 05:39:30", 1, "")];
        assert_eq!(steps.iter().map(run_until_written).collect::<Vec<_>>(), [None, Some("2026.03.12 05:39:00"), None]);
        assert_eq!(steps.iter().map(has_until).collect::<Vec<_>>(), [false, true, false]);
        // A run whose messages share one written time has nothing more to say.
        assert!(!has_until(&step("2026.03.12 04:00:30", 3, "2026.03.12 04:00:30")));
        let flow = FlowDetail { participants: vec!["Desktop".into(), "Openfire".into()], steps: steps.to_vec(), ..FlowDetail::default() };
        let (none, no_lanes) = (BTreeSet::new(), BTreeSet::new());
        let lay = layout(&flow, &Opts { expanded: &none, hidden_lanes: &no_lanes, collapse: true, max_lines: PAGE_LINES, range: None, end_text: "■ closed" });
        let free = |i: usize| lay.rows.iter().find(|r| r.item == Item::Step(i)).map(|r| r.h - r.lines.len() as f64 * LINE_H);
        assert_eq!(free(1), free(0).map(|h| h + LINE_H), "the run's row holds a second time: {:?}", lay.rows);
    }

    #[test]
    fn a_narrow_diagram_wraps_its_end_box_instead_of_cutting_it() {
        let flow = FlowDetail {
            participants: vec!["Desktop".into(), "Openfire".into()],
            steps: vec![FlowStep { from: "Desktop".into(), to: "Openfire".into(), label: "BOSH poll".into(), ..FlowStep::default() }],
            ..FlowDetail::default()
        };
        let end = "… still open at the end of the logs (last message 16:04:07.123 UTC, the logs end 16:05:00.000 UTC)";
        let (none, no_lanes) = (BTreeSet::new(), BTreeSet::new());
        let lay = layout(&flow, &Opts { expanded: &none, hidden_lanes: &no_lanes, collapse: true, max_lines: PAGE_LINES, range: None, end_text: end });
        let row = lay.rows.last().expect("an end row");
        assert_eq!(row.item, Item::End);
        assert!(row.lines.len() >= 2, "two lanes cannot hold the whole sentence on one line: {:?}", row.lines);
        assert!(row.lines.iter().all(|l| text_w(l) * END_BOLD_W <= lay.width - 2.0 * END_PAD), "{:?} in {}", row.lines, lay.width);
        assert_eq!(row.lines.join(" "), end, "nothing is cut");
        assert!(row.h >= end_box_h(row.lines.len()) + 16.0 && lay.height >= row.y + row.h);
    }

    #[test]
    fn a_message_to_itself_on_the_last_lane_has_room_for_its_label() {
        let step = |from: &str, to: &str, label: &str| FlowStep { from: from.into(), to: to.into(), label: label.into(), ..FlowStep::default() };
        let flow = FlowDetail {
            participants: vec!["Desktop".into(), "Openfire".into()],
            steps: vec![step("Desktop", "Openfire", "BOSH poll"), step("Openfire", "Openfire", "session afb139f0 last active 29000 ms ago")],
            ..FlowDetail::default()
        };
        let (none, no_lanes) = (BTreeSet::new(), BTreeSet::new());
        let lay = layout(&flow, &Opts { expanded: &none, hidden_lanes: &no_lanes, collapse: true, max_lines: PAGE_LINES, range: None, end_text: "■ closed" });
        let row = lay.rows.iter().find(|r| r.item == Item::Step(1)).expect("the self message's row");
        assert!(!row.elided, "{:?}", row.lines);
        assert_eq!(row.lines.join(" "), "session afb139f0 last active 29000 ms ago");
    }
}
