//! SVG drawings with no browser in sight: a flow as a sequence diagram and state timelines as bars
//! on one time axis. The case report inlines them; the page can use them for its own export
//! (`standalone` adds the XML namespace a separate `.svg` file needs).
//!
//! Labels are never cut: text is set in a monospace face, so its width is known without a browser
//! (0.6 em per character, 1.2 em for wide East Asian characters), and a label longer than its arrow
//! is wrapped onto more lines (long words are broken), the row growing to hold them. Colours are
//! presentation attributes, so a drawing keeps them wherever it is pasted; failures are red and
//! dashed, so they stay distinct printed in black and white.

use std::fmt::Write;

/// One participant's lifeline, left to right.
pub type Participant = String;

/// One arrow of a sequence diagram.
#[derive(Clone, Debug, Default)]
pub struct Message {
    /// The time shown in the left column ("10:14:03.120").
    pub time: String,
    /// Indices into the participants.
    pub from: usize,
    pub to: usize,
    pub label: String,
    /// Drawn red and dashed.
    pub failure: bool,
    /// A run of the same message (polls): drawn once with "×N".
    pub count: u32,
    /// A marker drawn before this message ("… 4 min 10 s later …").
    pub gap_before: Option<String>,
    /// A bookmark on this step: a flag in the time column, and an anchor to link to.
    pub mark: Option<String>,
}

/// A sequence diagram to draw.
#[derive(Clone, Debug, Default)]
pub struct Sequence {
    pub title: String,
    pub participants: Vec<Participant>,
    pub messages: Vec<Message>,
}

const FONT: f64 = 11.0;
const LINE: f64 = 14.0;
const TIME_W: f64 = 96.0;
const MIN_LANE: f64 = 150.0;
const HEAD_H: f64 = 40.0;
/// A lane with messages to itself: their labels sit right of its lifeline, inside the lane.
const SELF_LANE: f64 = 240.0;
const PAD: f64 = 10.0;
const INK: &str = "#1f2328";
const MUTED: &str = "#59636e";
const FAIL: &str = "#c62828";
const LANE_FILL: &str = "#eef2f7";

/// Width in pixels of `s` in the monospace face at `FONT`.
pub fn text_width(s: &str) -> f64 {
    s.chars().map(|c| if is_wide(c) { 2.0 } else { 1.0 }).sum::<f64>() * FONT * 0.6
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF | 0x20000..=0x3FFFD)
}

/// Wraps text into lines of at most `width` pixels: at spaces where it can, inside a word where a
/// word alone is wider. Every character is kept.
pub fn wrap(s: &str, width: f64) -> Vec<String> {
    let max = (width / (FONT * 0.6)).floor().max(4.0) as usize;
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0usize;
    let cw = |c: char| if is_wide(c) { 2 } else { 1 };
    for word in s.split_inclusive(' ') {
        let ww: usize = word.chars().map(cw).sum();
        if cur_w + ww.saturating_sub(usize::from(word.ends_with(' '))) > max && !cur.is_empty() {
            lines.push(cur.trim_end().to_string());
            cur.clear();
            cur_w = 0;
        }
        for c in word.chars() {
            if cur_w + cw(c) > max && c != ' ' {
                lines.push(cur.trim_end().to_string());
                cur.clear();
                cur_w = 0;
            }
            cur.push(c);
            cur_w += cw(c);
        }
    }
    if !cur.trim().is_empty() || lines.is_empty() {
        lines.push(cur.trim_end().to_string());
    }
    lines
}

/// Escapes text for XML; `://` is written `:&#47;&#47;` so no viewer or scanner takes a quoted URL
/// for a reference.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out.replace("://", ":&#47;&#47;")
}

fn open_svg(out: &mut String, w: f64, h: f64, title: &str, standalone: bool) {
    let ns = if standalone { " xmlns=\"http://www.w3.org/2000/svg\"" } else { "" };
    let _ = write!(
        out,
        "<svg{ns} width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\" role=\"img\" aria-label=\"{t}\" font-family=\"ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace\" font-size=\"{FONT}\"><title>{t}</title>",
        t = esc(title)
    );
}

fn text_lines(out: &mut String, x: f64, y: f64, lines: &[String], anchor: &str, fill: &str, bold: bool) {
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    let _ = write!(out, "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" fill=\"{fill}\"{weight}>");
    for (i, l) in lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { LINE };
        let _ = write!(out, "<tspan x=\"{x:.1}\" dy=\"{dy:.0}\" xml:space=\"preserve\">{}</tspan>", esc(l));
    }
    out.push_str("</text>");
}

/// Draws a flow as a sequence diagram.
pub fn sequence(d: &Sequence, standalone: bool) -> String {
    let n = d.participants.len().max(1);
    // Lane widths: room for the participant's name, and for self-messages' labels beside it.
    let mut lane: Vec<f64> = (0..n).map(|i| (text_width(d.participants.get(i).map_or("", String::as_str)) + 2.0 * PAD).clamp(MIN_LANE, 260.0)).collect();
    for m in &d.messages {
        if m.from == m.to {
            // The label of a message to itself runs right of the lifeline, up to the next one (the
            // last lane has no next one, so it is wider).
            let want = if m.from + 1 >= n { SELF_LANE + 120.0 } else { SELF_LANE };
            if let Some(w) = lane.get_mut(m.from) {
                *w = w.max(want);
            }
        }
    }
    let centre: Vec<f64> = lane
        .iter()
        .scan(TIME_W, |x, w| {
            let c = *x + w / 2.0;
            *x += w;
            Some(c)
        })
        .collect();
    let width = TIME_W + lane.iter().sum::<f64>() + PAD;
    let cx = |i: usize| centre.get(i.min(n - 1)).copied().unwrap_or(TIME_W);
    // Rows: each message's label wrapped to its arrow's span.
    struct Row {
        y: f64,
        lines: Vec<String>,
        gap: Option<f64>,
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut y = HEAD_H + 2.0 * PAD;
    for m in &d.messages {
        let gap = m.gap_before.as_ref().map(|_| {
            let g = y;
            y += LINE + 8.0;
            g
        });
        let label = if m.count > 1 { format!("{} ×{}", m.label, m.count) } else { m.label.clone() };
        let span = if m.from == m.to {
            let right = if m.from + 1 < n { cx(m.from + 1) } else { cx(m.from) + lane.get(m.from).copied().unwrap_or(SELF_LANE) / 2.0 };
            right - cx(m.from) - 44.0
        } else {
            (cx(m.from) - cx(m.to)).abs() - 16.0
        };
        let lines = wrap(&label, span.max(60.0));
        y += LINE * lines.len() as f64 + if m.from == m.to { 16.0 } else { 8.0 };
        rows.push(Row { y, lines, gap });
        y += 10.0;
    }
    let height = y + PAD;
    let mut out = String::new();
    open_svg(&mut out, width, height, &d.title, standalone);
    let _ = write!(out, "<rect width=\"{width:.0}\" height=\"{height:.0}\" fill=\"#ffffff\"/>");
    // Participants and lifelines.
    for (i, p) in d.participants.iter().enumerate() {
        let w = lane.get(i).copied().unwrap_or(MIN_LANE) - 12.0;
        let x = cx(i);
        let _ = write!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#9aa4b2\" stroke-dasharray=\"4 4\"/>",
            PAD + HEAD_H,
            height - PAD
        );
        let _ = write!(
            out,
            "<rect x=\"{:.1}\" y=\"{PAD:.1}\" width=\"{w:.1}\" height=\"{HEAD_H:.1}\" rx=\"6\" fill=\"{LANE_FILL}\" stroke=\"#9aa4b2\"/>",
            x - w / 2.0
        );
        let lines = wrap(p, w - 8.0);
        let top = PAD + HEAD_H / 2.0 + 4.0 - (lines.len() as f64 - 1.0) * LINE / 2.0;
        text_lines(&mut out, x, top, &lines, "middle", INK, true);
    }
    let _ = write!(out, "<text x=\"{PAD:.1}\" y=\"{:.1}\" fill=\"{MUTED}\">time (UTC)</text>", PAD + HEAD_H / 2.0 + 4.0);
    for (m, r) in d.messages.iter().zip(&rows) {
        if let (Some(g), Some(text)) = (r.gap, &m.gap_before) {
            let gy = g + LINE / 2.0;
            let _ =
                write!(out, "<line x1=\"{TIME_W:.1}\" y1=\"{gy:.1}\" x2=\"{:.1}\" y2=\"{gy:.1}\" stroke=\"#c9d1d9\" stroke-dasharray=\"2 6\"/>", width - PAD);
            text_lines(&mut out, TIME_W + 6.0, gy - 3.0, std::slice::from_ref(text), "start", MUTED, false);
        }
        let colour = if m.failure { FAIL } else { INK };
        let dash = if m.failure { " stroke-dasharray=\"6 3\"" } else { "" };
        let _ = write!(out, "<text x=\"{PAD:.1}\" y=\"{:.1}\" fill=\"{MUTED}\">{}</text>", r.y, esc(&m.time));
        if let Some(mark) = &m.mark {
            let _ = write!(out, "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#b26b00\" font-weight=\"bold\"><title>{}</title>⚑</text>", TIME_W - 14.0, r.y, esc(mark));
        }
        let label_top = r.y - 6.0 - LINE * (r.lines.len() as f64 - 1.0) - if m.from == m.to { 10.0 } else { 0.0 };
        if m.from == m.to {
            let x = cx(m.from);
            let (y0, y1) = (r.y - 10.0, r.y);
            let _ = write!(out, "<path d=\"M{x:.1},{y0:.1} h28 v10 h-24\" fill=\"none\" stroke=\"{colour}\"{dash}/>");
            arrowhead(&mut out, x + 4.0, y1, -1.0, colour);
            text_lines(&mut out, x + 34.0, label_top + 10.0, &r.lines, "start", colour, false);
        } else {
            let (x1, x2) = (cx(m.from), cx(m.to));
            let dir = if x2 > x1 { 1.0 } else { -1.0 };
            let _ = write!(
                out,
                "<line x1=\"{x1:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"1.4\"{dash}/>",
                r.y,
                x2 - dir * 6.0,
                r.y
            );
            arrowhead(&mut out, x2, r.y, dir, colour);
            text_lines(&mut out, (x1 + x2) / 2.0, label_top, &r.lines, "middle", colour, false);
        }
    }
    out.push_str("</svg>");
    out
}

fn arrowhead(out: &mut String, x: f64, y: f64, dir: f64, colour: &str) {
    let _ = write!(out, "<path d=\"M{x:.1},{y:.1} l{:.1},-4 v8 z\" fill=\"{colour}\"/>", -dir * 8.0);
}

/// One entity's states over time (an agent in an MRD, a dialog, a BOSH session…).
#[derive(Clone, Debug, Default)]
pub struct Track {
    pub label: String,
    /// (from ms, to ms, state), in time order.
    pub segments: Vec<(i64, i64, String)>,
}

/// A colour for a state: the usual meanings (ready green, not ready amber, reserved blue, talking or
/// active purple, logout grey, failures red), any other state a stable colour of its own.
pub fn state_colour(state: &str) -> &'static str {
    let s = state.to_ascii_uppercase();
    let has = |w: &str| s.contains(w);
    if has("FAIL") || has("ERROR") || has("TERMINAT") || has("DROPPED") || has("REFUSED") {
        "#e57373"
    } else if has("NOT_READY") || has("NOT READY") || has("NOT_ACTIVE") || has("WAIT") || has("PAUSED") || has("IDLE") {
        "#ffca6e"
    } else if has("LOGOUT") || has("CLOSED") || has("ENDED") || has("DESTROYED") || has("UNKNOWN") {
        "#c7ccd1"
    } else if has("READY") || has("AVAILABLE") || has("LOGIN") || has("CONNECTED") || has("ALIVE") {
        "#81c784"
    } else if has("RESERVED") || has("OFFERED") || has("QUEUED") || has("ALERTING") {
        "#64b5f6"
    } else if has("TALKING") || has("ACTIVE") || has("HANDLED") || has("WORK") {
        "#b39ddb"
    } else {
        const OTHERS: [&str; 6] = ["#80cbc4", "#f48fb1", "#aed581", "#ffab91", "#9fa8da", "#bcaaa4"];
        let h = state.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        OTHERS[(h % OTHERS.len() as u32) as usize]
    }
}

/// A bar standing for many short states is hatched, as on the page (a flat grey read as LOGOUT's):
/// stripes of `BUSY` on `BUSY_GROUND`, through a pattern each drawing defines under its own id
/// (a report holds several drawings in one HTML file).
const BUSY: &str = "#4c5a6e";
const BUSY_GROUND: &str = "#eef1f5";

/// The id of a drawing's hatch pattern: from its title, so a report's drawings get their own and
/// the same report is the same text (drawings that share a title share the same pattern).
fn hatch_id(title: &str) -> String {
    let h = title.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("busy-hatch-{h:08x}")
}

/// Draws state timelines as bars on one time axis (`fmt_time` writes an axis tick).
pub fn states(title: &str, tracks: &[Track], fmt_time: &dyn Fn(i64) -> String, standalone: bool) -> String {
    const LABEL_W: f64 = 240.0;
    const PLOT_W: f64 = 720.0;
    const BAR_H: f64 = 22.0;
    let t0 = tracks.iter().flat_map(|t| t.segments.iter().map(|s| s.0)).min().unwrap_or(0);
    let t1 = tracks.iter().flat_map(|t| t.segments.iter().map(|s| s.1)).max().unwrap_or(t0 + 1).max(t0 + 1);
    let x = |t: i64| LABEL_W + (t - t0) as f64 / (t1 - t0) as f64 * PLOT_W;
    let width = LABEL_W + PLOT_W + 2.0 * PAD;
    let label_lines: Vec<Vec<String>> = tracks.iter().map(|t| wrap(&t.label, LABEL_W - 2.0 * PAD)).collect();
    let mut y = PAD + 24.0;
    let mut tops = Vec::new();
    for l in &label_lines {
        tops.push(y);
        y += (BAR_H).max(LINE * l.len() as f64) + 8.0;
    }
    // As wide as the page's narrowest bar: narrower, a shared bar's hatch does not show.
    let track_bars: Vec<Vec<crate::state_bars::Bar>> =
        tracks.iter().map(|t| crate::state_bars::bars(&t.segments.iter().map(|(a, b, _)| (*a, *b)).collect::<Vec<_>>(), x, 4.0)).collect();
    // The hatch is explained under the drawing when a bar uses it (the page has a legend key).
    let key_y = track_bars.iter().flatten().any(|b| matches!(b, crate::state_bars::Bar::Many(_))).then_some(y + 4.0);
    let height = key_y.map_or(y, |k| k + BAR_H) + PAD;
    let mut out = String::new();
    open_svg(&mut out, width, height, title, standalone);
    let hatch = hatch_id(title);
    // Defined where a bar uses it (`key_y` says one does).
    if key_y.is_some() {
        let _ = write!(
            out,
            "<defs><pattern id=\"{hatch}\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
             <rect width=\"5\" height=\"5\" fill=\"{BUSY_GROUND}\"/><rect width=\"2\" height=\"5\" fill=\"{BUSY}\"/></pattern></defs>"
        );
    }
    let _ = write!(out, "<rect width=\"{width:.0}\" height=\"{height:.0}\" fill=\"#ffffff\"/>");
    // Axis: five ticks.
    for k in 0..=4 {
        let t = t0 + (t1 - t0) * k / 4;
        let tx = x(t);
        let _ = write!(out, "<line x1=\"{tx:.1}\" y1=\"{:.1}\" x2=\"{tx:.1}\" y2=\"{:.1}\" stroke=\"#e1e4e8\"/>", PAD + 16.0, height - PAD);
        let anchor = match k {
            0 => "start",
            4 => "end",
            _ => "middle",
        };
        text_lines(&mut out, tx, PAD + 10.0, &[fmt_time(t)], anchor, MUTED, false);
    }
    for (((t, lines), top), bars) in tracks.iter().zip(&label_lines).zip(&tops).zip(track_bars) {
        text_lines(&mut out, PAD, top + 15.0, lines, "start", INK, false);
        // States too short to see at this width share one bar that says how many there are.
        for bar in bars {
            match bar {
                crate::state_bars::Bar::One(k) => {
                    let Some((a, b, state)) = t.segments.get(k) else { continue };
                    let (xa, xb) = (x(*a), x(*b).max(x(*a) + 2.0));
                    let _ = write!(
                        out,
                        "<rect x=\"{xa:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{BAR_H:.1}\" fill=\"{}\" stroke=\"#ffffff\"><title>{}</title></rect>",
                        xb - xa,
                        state_colour(state),
                        esc(&format!("{state}: {} → {}", fmt_time(*a), fmt_time(*b)))
                    );
                    if text_width(state) + 6.0 < xb - xa {
                        text_lines(&mut out, xa + 3.0, top + 15.0, std::slice::from_ref(state), "start", INK, false);
                    }
                }
                crate::state_bars::Bar::Many(range) => {
                    let Some(run) = t.segments.get(range) else { continue };
                    let (Some(first), Some(last)) = (run.first(), run.last()) else { continue };
                    let (xa, xb) = (x(first.0), x(last.1).max(x(first.0) + 2.0));
                    let _ = write!(
                        out,
                        "<rect x=\"{xa:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{BAR_H:.1}\" fill=\"url(#{hatch})\" stroke=\"{BUSY}\"><title>{}</title></rect>",
                        xb - xa,
                        esc(&format!(
                            "{} state changes: {} → {} ({})",
                            run.len(),
                            fmt_time(first.0),
                            fmt_time(last.1),
                            crate::state_bars::tally(run.iter().map(|(_, _, st)| st.as_str()), 4)
                        ))
                    );
                }
            }
        }
    }
    if let Some(k) = key_y {
        let _ = write!(out, "<rect x=\"{LABEL_W:.1}\" y=\"{k:.1}\" width=\"14\" height=\"14\" fill=\"url(#{hatch})\" stroke=\"{BUSY}\"/>");
        text_lines(&mut out, LABEL_W + 20.0, k + 11.0, &[SHARED_KEY.to_string()], "start", MUTED, false);
    }
    out.push_str("</svg>");
    out
}

/// What a hatched bar is, written under a drawing that has one.
const SHARED_KEY: &str = "many state changes too close together to draw one by one (hover a bar for how many, and which)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_character() {
        let s = "PUT /finesse/api/User/3107 state=NOT_READY reasonCode=-1 requestId=3ba69eda-a6ca-441a-aa47-2f6c85926691";
        let lines = wrap(s, 120.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l) <= 120.0 + 0.01), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), s.replace(' ', ""));
        assert_eq!(wrap("", 100.0), vec![String::new()]);
    }

    #[test]
    fn a_sequence_has_lanes_arrows_times_and_failures() {
        let d = Sequence {
            title: "flow <1>".into(),
            participants: vec!["Finesse desktop".into(), "Finesse webservices".into(), "CTI server".into()],
            messages: vec![
                Message { time: "10:00:00.000".into(), from: 0, to: 1, label: "PUT User LOGIN".into(), count: 1, ..Default::default() },
                Message {
                    time: "10:00:00.100".into(),
                    from: 1,
                    to: 2,
                    label: "SetAgentStateReq".into(),
                    count: 3,
                    gap_before: Some("… 5 s later …".into()),
                    ..Default::default()
                },
                Message {
                    time: "10:00:01.000".into(),
                    from: 2,
                    to: 2,
                    label: "E_CTI_INVALID refused".into(),
                    failure: true,
                    count: 1,
                    mark: Some("note".into()),
                    ..Default::default()
                },
            ],
        };
        let svg = sequence(&d, false);
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>") && !svg.contains("xmlns"));
        assert!(svg.contains("flow &lt;1&gt;") && svg.contains("SetAgentStateReq ×3") && svg.contains("10:00:01.000"));
        assert!(svg.contains(FAIL) && svg.contains("⚑") && svg.contains("5 s later"));
        assert!(sequence(&d, true).contains("xmlns=\"http://www.w3.org/2000/svg\""));
        assert_eq!(svg.matches("<line").count(), 3 + 1 + 2, "lifelines, the gap, two arrows");
    }

    #[test]
    fn state_bars() {
        let t = vec![Track { label: "agent 3107".into(), segments: vec![(0, 1000, "NOT_READY".into()), (1000, 5000, "READY".into())] }];
        let svg = states("states", &t, &|ms| format!("{ms}"), false);
        assert!(svg.contains("NOT_READY") && svg.contains(state_colour("READY")) && svg.contains("agent 3107"));
        assert!(!svg.contains("busy-hatch") && !svg.contains(SHARED_KEY), "no shared bar: two states, both wide");
    }

    #[test]
    fn a_day_of_short_states_draws_a_bar_per_couple_of_pixels() {
        let names = ["READY", "NOT_READY", "TALKING"];
        let segments: Vec<(i64, i64, String)> = (0..10_000i64).map(|k| (k * 1_000, (k + 1) * 1_000, names[k as usize % 3].to_string())).collect();
        let svg = states("states", &[Track { label: "agent 3107".into(), segments }], &|ms| format!("{ms}"), false);
        let rects = svg.matches("<rect").count();
        assert!(rects < 400, "{rects} rectangles for 10 000 states over 720 px");
        assert!(svg.contains(" state changes: "));
        // Shared bars are hatched through this drawing's own pattern, as on the page.
        let id = hatch_id("states");
        assert_eq!(svg.matches(&format!("<pattern id=\"{id}\"")).count(), 1);
        assert!(svg.contains(&format!("fill=\"url(#{id})\"")) && svg.contains(SHARED_KEY), "hatched bars and the key that explains them");
        assert_ne!(hatch_id("states"), hatch_id("Agent states"), "drawings of a report get their own pattern");
    }
}
