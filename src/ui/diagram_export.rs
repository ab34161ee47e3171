//! A flow's diagram for a ticket or a wiki: SVG and PNG with every message (whatever is scrolled
//! or collapsed on the page), labels in full, the time column, the legend and the end; and the same
//! flow as Mermaid and PlantUML text.

use super::time_fmt::{self, Zone};
use crate::answers::FlowDetail;
use crate::diagram_layout::{self, end_box_h, end_text, Item, Layout, Opts, END_PAD, HEAD_H, LINE_H, TIME_W};
use std::collections::BTreeSet;
use std::fmt::Write;
use wasm_bindgen::JsCast;

/// Styles embedded in the SVG (on the page and in exports), so it renders the same anywhere.
pub const SVG_STYLE: &str = "
.seq text{font:12px system-ui,-apple-system,Segoe UI,Roboto,sans-serif;fill:#1d2433}
.seq .bg{fill:#fff}
.seq .lane line{stroke:#9aa4b5;stroke-dasharray:4 4}
.seq .lane rect{fill:#eef2f8;stroke:#8ea0bd}
.seq .lane text{font-weight:600}
.seq .arrow{stroke:#2f5fb3;stroke-width:1.6;fill:none}
.seq .arrow.dashed{stroke-dasharray:6 4}
.seq .head{fill:#2f5fb3}
.seq .fail .arrow{stroke:#c62828;stroke-width:2}
.seq .fail .label{fill:#b71c1c;font-weight:600}
.seq .head.fail{fill:#c62828}
.seq .back{fill:#8a4b00;font-style:italic}
.seq .hit{fill:transparent;cursor:pointer}
.seq .step:hover .hit{fill:rgba(47,95,179,.07)}
.seq .step.selected .hit{fill:rgba(255,196,0,.28)}
.seq .step.pair .hit{fill:rgba(0,160,120,.16)}
.seq .step.marked .hit{fill:rgba(255,170,0,.13)}
.seq .step.marked .label{font-weight:600}
.seq .step.match .label{fill:#b00060;font-weight:700}
.seq .time{fill:#5a6478;font-variant-numeric:tabular-nums}
.seq .time.back{fill:#8a4b00}
.seq .gap line{stroke:#7a8599;stroke-dasharray:2 6}
.seq .gap text{fill:#5a6478;font-style:italic}
.seq .run{cursor:pointer}
.seq .run .label{fill:#6a3fb0}
.seq .end rect{fill:#eef2f8;stroke:#8ea0bd}
.seq .end.logged-out rect,.seq .end.timed-out rect{fill:#fdecea;stroke:#c62828}
.seq .end.open rect{fill:#fff8e1;stroke:#b07d00;stroke-dasharray:5 3}
.seq .end text{font-weight:600}
.seq .legend text{font-size:11px}
";

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The arrowhead markers (normal and failure).
pub const MARKERS: &str = r#"<marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="head" /></marker><marker id="arrowhead-fail" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="head fail" /></marker>"#;

/// The path or line of an arrow between x1 and x2 at y (a loop when both ends are one lane).
pub fn arrow_d(x1: f64, x2: f64, y: f64) -> String {
    if (x1 - x2).abs() < 1.0 {
        format!("M{x1:.1},{:.1} h40 v14 h-40", y - 7.0)
    } else {
        format!("M{x1:.1},{y:.1} L{x2:.1},{y:.1}")
    }
}

/// Where a label starts and how it is anchored.
pub fn label_pos(x1: f64, x2: f64) -> (f64, &'static str) {
    if (x1 - x2).abs() < 1.0 {
        (x1 + 48.0, "start")
    } else {
        ((x1 + x2) / 2.0, "middle")
    }
}

/// A time for the time column: clock time in the page's zone, or as written.
pub fn step_time(flow: &FlowDetail, i: usize, zone: Zone) -> String {
    let s = &flow.steps[i];
    match s.utc_ms {
        Some(ms) if zone != Zone::Written => time_fmt::clock(ms, zone),
        _ if !s.time.is_empty() => s.time.clone(),
        _ => "—".into(),
    }
}

/// The whole flow as an SVG document: every message, full labels.
pub fn svg(flow: &FlowDetail, zone: Zone, range: Option<(i64, i64)>) -> (String, f64, f64) {
    let (none, no_lanes) = (BTreeSet::new(), BTreeSet::new());
    let end = end_line(flow, zone);
    let lay = diagram_layout::layout(flow, &Opts { expanded: &none, hidden_lanes: &no_lanes, collapse: false, max_lines: usize::MAX, range, end_text: &end });
    let title_h = 54.0;
    let legend_h = 26.0;
    let top = title_h + legend_h + HEAD_H;
    let width = TIME_W + lay.width;
    let height = top + lay.height;
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="seq" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}"><style>{SVG_STYLE}</style><defs>{MARKERS}</defs><rect class="bg" x="0" y="0" width="{width:.0}" height="{height:.0}" />"#
    );
    let s = &flow.summary;
    let clock = |ms: i64| format!("{} {}", time_fmt::date_time(ms, zone.absolute()), zone_label(zone));
    let head = format!(
        "{} · {} messages{}{}{} · {}",
        flow.title,
        lay.shown,
        s.start_ms.map(|t| format!(" · from {}", clock(t))).unwrap_or_default(),
        s.duration_ms.map(|d| format!(" · {}", time_fmt::duration(d))).unwrap_or_default(),
        if s.errors > 0 { format!(" · {} errors", s.errors) } else { String::new() },
        s.outcome.as_str()
    );
    let _ = write!(o, r#"<text x="12" y="22" style="font-size:14px;font-weight:700">{}</text>"#, esc(&flow.title));
    let _ = write!(o, r#"<text x="12" y="42">{}</text>"#, esc(head.trim_start_matches(flow.title.as_str()).trim_start_matches(" · ")));
    legend(&mut o, 12.0, title_h + 16.0);
    // Lane headers and lifelines.
    for (i, l) in lay.lanes.iter().enumerate() {
        let x = TIME_W + lay.lane_x(i);
        let _ = write!(
            o,
            r#"<g class="lane"><line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}" /><rect x="{:.1}" y="{:.1}" width="{:.1}" height="28" rx="5" /><text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text></g>"#,
            top - 8.0,
            height - 8.0,
            x - lay.lane_w / 2.0 + 8.0,
            title_h + legend_h + 8.0,
            lay.lane_w - 16.0,
            title_h + legend_h + 27.0,
            esc(l)
        );
    }
    for r in &lay.rows {
        row_svg(&mut o, flow, &lay, r, top, TIME_W, zone);
    }
    o.push_str("</svg>");
    (o, width, height)
}

fn zone_label(zone: Zone) -> &'static str {
    match zone {
        Zone::Local => "browser time",
        _ => "UTC",
    }
}

/// The legend: what the colours and marks mean.
pub fn legend(o: &mut String, x: f64, y: f64) {
    let _ = write!(
        o,
        r#"<g class="legend" transform="translate({x:.1},{y:.1})"><line class="arrow" x1="0" x2="34" y1="-4" y2="-4" marker-end="url(#arrowhead)" /><text x="40" y="0">message</text><g class="fail"><line class="arrow" x1="110" x2="144" y1="-4" y2="-4" marker-end="url(#arrowhead-fail)" /><text class="label" x="150" y="0">failure or error</text></g><line class="arrow dashed" x1="262" x2="296" y1="-4" y2="-4" /><text x="302" y="0">repeats collapsed</text><text class="back" x="420" y="0">⟲ source's clock ran backwards</text><text x="620" y="0">⋯ silence</text><text x="700" y="0">■ how the flow ended</text></g>"#
    );
}

/// One row of the exported SVG.
fn row_svg(o: &mut String, flow: &FlowDetail, lay: &Layout, r: &diagram_layout::Placed, top: f64, dx: f64, zone: Zone) {
    let y0 = top + r.y;
    match &r.item {
        Item::Gap(ms) => {
            let y = y0 + r.h / 2.0;
            let _ = write!(
                o,
                r#"<g class="gap"><line x1="0" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" /><text x="{:.1}" y="{:.1}" text-anchor="middle">⋯ {} later ⋯</text></g>"#,
                dx + lay.width,
                dx + lay.width / 2.0,
                y + 4.0,
                time_fmt::duration(*ms)
            );
        }
        Item::End => {
            let class = diagram_layout::end_class(flow.summary.end);
            let _ = write!(
                o,
                r#"<g class="end {class}" data-end="{class}"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="4" />"#,
                dx + 8.0,
                y0 + 8.0,
                lay.width - 16.0,
                end_box_h(r.lines.len()),
            );
            for (k, line) in r.lines.iter().enumerate() {
                let _ = write!(o, r#"<text x="{:.1}" y="{:.1}">{}</text>"#, dx + END_PAD, y0 + 26.0 + k as f64 * LINE_H, esc(line));
            }
            o.push_str("</g>");
        }
        Item::Step(i) | Item::Run { first: i, .. } => {
            let s = &flow.steps[*i];
            let y = y0 + r.h - 12.0;
            let fail = s.failure;
            let dashed = matches!(r.item, Item::Run { .. });
            let _ = write!(
                o,
                r#"<g class="step{}" data-step="{}"><title>{}</title>"#,
                if fail { " fail" } else { "" },
                i,
                esc(&format!("{} — {} → {} — {}", s.label, s.from, s.to, s.source))
            );
            let _ = write!(
                o,
                r#"<path class="arrow{}" d="{}" marker-end="url(#{})" />"#,
                if dashed { " dashed" } else { "" },
                arrow_d(dx + r.x1, dx + r.x2, y),
                if fail { "arrowhead-fail" } else { "arrowhead" }
            );
            let (lx, anchor) = label_pos(dx + r.x1, dx + r.x2);
            for (k, line) in r.lines.iter().enumerate() {
                let ly = y0 + 14.0 + k as f64 * LINE_H;
                let _ = write!(o, r#"<text class="label" x="{lx:.1}" y="{ly:.1}" text-anchor="{anchor}">{}</text>"#, esc(line));
            }
            if let Some(b) = s.back_ms {
                let ly = y0 + 14.0 + r.lines.len() as f64 * LINE_H;
                let _ = write!(
                    o,
                    r#"<text class="back" x="{lx:.1}" y="{ly:.1}" text-anchor="{anchor}">⟲ {}: clock ran back {}</text>"#,
                    esc(&s.source),
                    time_fmt::duration(b)
                );
            }
            // A folded run's first time a line up, its last at the arrow.
            let until = step_until(flow, *i, zone);
            let _ = write!(
                o,
                r#"<text class="time{}" x="8" y="{:.1}">{}{}</text>"#,
                if s.back_ms.is_some() { " back" } else { "" },
                y + 4.0 - if until.is_some() { LINE_H } else { 0.0 },
                if s.back_ms.is_some() { "⟲ " } else { "" },
                esc(&step_time(flow, *i, zone))
            );
            if let Some(until) = until {
                let _ = write!(o, r#"<text class="time until" x="8" y="{:.1}">{}</text>"#, y + 4.0, esc(&until));
            }
            o.push_str("</g>");
        }
    }
}

fn ident(i: usize) -> String {
    format!("P{i}")
}

/// Text for a Mermaid or PlantUML label: one line, no characters that end the statement.
fn flat(s: &str) -> String {
    s.replace(['\n', '\r', ';', '#'], " ").replace(':', "∶")
}

fn steps_in(flow: &FlowDetail, range: Option<(i64, i64)>) -> Vec<usize> {
    (0..flow.steps.len()).filter(|&i| range.is_none_or(|(a, b)| flow.steps[i].utc_ms.is_some_and(|t| t >= a && t <= b))).collect()
}

/// The second line of a folded run's time column: its last message's time ("… 03:59:00.000";
/// "… 03:58:30 +1d" on a later day; as written when asked or when the log has no zone).
pub fn step_until(flow: &FlowDetail, i: usize, zone: Zone) -> Option<String> {
    let s = flow.steps.get(i)?;
    match (zone, diagram_layout::run_until(s), diagram_layout::run_until_written(s)) {
        (Zone::Written, _, Some(written)) | (_, None, Some(written)) => Some(format!("… {written}")),
        (Zone::Written, Some(utc), None) => Some(format!("… {} UTC", time_fmt::clock(utc, Zone::Utc))),
        // A run into a later day says so: "04:00:30" then "… 03:58:30" reads as going back. (To
        // the second then: the time column holds no more.)
        (_, Some(utc), _) => Some(match s.utc_ms.map(|first| time_fmt::days_after(first, utc, zone)) {
            Some(days) if days > 0 => format!("… {} +{days}d", time_fmt::clock(utc, zone).get(..8).unwrap_or("")),
            _ => format!("… {}", time_fmt::clock(utc, zone)),
        }),
        (_, None, None) => None,
    }
}

/// A step's time on one line, with a folded run's last ("03:10:00 … 03:59:00").
fn step_time_span(flow: &FlowDetail, i: usize, zone: Zone) -> String {
    match step_until(flow, i, zone) {
        Some(until) => format!("{} {until}", step_time(flow, i, zone)),
        None => step_time(flow, i, zone),
    }
}

/// The flow as a Mermaid sequence diagram (every message; failures as crossed arrows).
pub fn mermaid(flow: &FlowDetail, zone: Zone, range: Option<(i64, i64)>) -> String {
    let mut o = String::from("sequenceDiagram\n");
    let _ = writeln!(o, "    title {}", flat(&flow.title));
    for (i, p) in flow.participants.iter().enumerate() {
        let _ = writeln!(o, "    participant {} as {}", ident(i), flat(p));
    }
    let id = |name: &str| flow.participants.iter().position(|p| p == name).map(ident).unwrap_or_else(|| ident(0));
    let mut last: Option<i64> = None;
    for i in steps_in(flow, range) {
        let s = &flow.steps[i];
        if let (Some(a), Some(b)) = (last, s.utc_ms) {
            if b - a > diagram_layout::GAP_MS {
                let _ = writeln!(o, "    Note over {},{}: ⋯ {} later", ident(0), ident(flow.participants.len().saturating_sub(1)), time_fmt::duration(b - a));
            }
        }
        last = diagram_layout::last_time(s).or(last);
        let arrow = if s.failure { "-x" } else { "->>" };
        let _ = writeln!(o, "    {}{arrow}{}: {} {}", id(&s.from), id(&s.to), step_time_span(flow, i, zone), flat(&diagram_layout::step_text(s)));
        if let Some(b) = s.back_ms {
            let _ = writeln!(o, "    Note right of {}: ⟲ {} clock ran back {}", id(&s.from), flat(&s.source), time_fmt::duration(b));
        }
    }
    let end = end_text(flow, |ms, dated| time_fmt::clock_or_date(ms, zone.absolute(), dated));
    let _ = writeln!(o, "    Note over {},{}: ■ {}", ident(0), ident(flow.participants.len().saturating_sub(1)), flat(&end));
    o
}

/// The flow as PlantUML (every message; failures in red).
pub fn plantuml(flow: &FlowDetail, zone: Zone, range: Option<(i64, i64)>) -> String {
    let mut o = String::from("@startuml\n");
    let _ = writeln!(o, "title {}", flat(&flow.title));
    for (i, p) in flow.participants.iter().enumerate() {
        let _ = writeln!(o, "participant \"{}\" as {}", p.replace('"', "'"), ident(i));
    }
    let id = |name: &str| flow.participants.iter().position(|p| p == name).map(ident).unwrap_or_else(|| ident(0));
    let mut last: Option<i64> = None;
    for i in steps_in(flow, range) {
        let s = &flow.steps[i];
        if let (Some(a), Some(b)) = (last, s.utc_ms) {
            if b - a > diagram_layout::GAP_MS {
                let _ = writeln!(o, "... {} later ...", time_fmt::duration(b - a));
            }
        }
        last = diagram_layout::last_time(s).or(last);
        let arrow = if s.failure { "-[#c62828]>" } else { "->" };
        let _ = writeln!(o, "{} {arrow} {} : {} {}", id(&s.from), id(&s.to), step_time_span(flow, i, zone), flat(&diagram_layout::step_text(s)));
        if let Some(b) = s.back_ms {
            let _ = writeln!(o, "note right: ⟲ {} clock ran back {}", flat(&s.source), time_fmt::duration(b));
        }
    }
    let end = end_text(flow, |ms, dated| time_fmt::clock_or_date(ms, zone.absolute(), dated));
    let _ = writeln!(o, "== {} ==", flat(&end));
    o.push_str("@enduml\n");
    o
}

/// The largest side a canvas takes in every browser.
const MAX_CANVAS: f64 = 16_384.0;

/// Renders the exported SVG to a PNG and offers it; `on_note` hears when it had to be scaled down.
pub fn png(svg_text: String, width: f64, height: f64, name: String, on_note: impl FnOnce(String) + 'static) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let scale = (MAX_CANVAS / height).min(MAX_CANVAS / width).min(2.0);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/svg+xml");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&svg_text));
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let Ok(img) = doc.create_element("img") else { return };
    let img: web_sys::HtmlImageElement = img.unchecked_into();
    let img2 = img.clone();
    let url2 = url.clone();
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        let Ok(c) = doc.create_element("canvas") else { return };
        let c: web_sys::HtmlCanvasElement = c.unchecked_into();
        c.set_width((width * scale).round().max(1.0) as u32);
        c.set_height((height * scale).round().max(1.0) as u32);
        if let Ok(Some(ctx)) = c.get_context("2d") {
            if let Ok(ctx) = ctx.dyn_into::<web_sys::CanvasRenderingContext2d>() {
                let _ = ctx.scale(scale, scale);
                let _ = ctx.draw_image_with_html_image_element(&img2, 0.0, 0.0);
            }
        }
        if let Ok(data) = c.to_data_url_with_type("image/png") {
            super::download_url(&data, &name);
        }
        let _ = web_sys::Url::revoke_object_url(&url2);
        if scale < 1.0 {
            on_note(format!("The PNG is scaled to {:.0} % to fit a canvas (every message is there); the SVG keeps full size.", scale * 100.0));
        }
    });
    img.set_onload(Some(onload.unchecked_ref()));
    img.set_src(&url);
}

/// The end box's text in an export, with its mark.
fn end_line(flow: &FlowDetail, zone: Zone) -> String {
    diagram_layout::end_line(flow, |ms, dated| format!("{} {}", time_fmt::clock_or_date(ms, zone.absolute(), dated), zone_label(zone)))
}
