//! A file's clock: its date, UTC offset and a correction, applied at once to every record of
//! the file (and kept over an engine restart).

use crate::answers::ClockView;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// (file, date, UTC offset in minutes, correction in ms).
pub type ClockApply = (u32, Option<(i32, u32, u32)>, Option<i32>, i64);

#[derive(Properties, PartialEq)]
pub struct ClockEditorProps {
    pub file: u32,
    pub clock: ClockView,
    pub on_apply: Callback<ClockApply>,
}

pub fn date_text(d: Option<(i32, u32, u32)>) -> String {
    d.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")).unwrap_or_default()
}

fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let mut it = s.trim().split(['-', '/', '.']);
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// Reads the three boxes into a clock to apply.
pub fn clock_apply(file: u32, date: &str, offset: &str, skew_s: &str) -> ClockApply {
    let skew_ms = skew_s.trim().parse::<f64>().map(|s| (s * 1000.0) as i64).unwrap_or(0);
    (file, parse_date(date), crate::time::parse_offset(offset), skew_ms)
}

#[function_component(ClockEditor)]
pub fn clock_editor(p: &ClockEditorProps) -> Html {
    let d_ref = use_node_ref();
    let o_ref = use_node_ref();
    let s_ref = use_node_ref();
    let apply = {
        let (d, o, s) = (d_ref.clone(), o_ref.clone(), s_ref.clone());
        let file = p.file;
        p.on_apply.reform(move |_: MouseEvent| {
            let v = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            clock_apply(file, &v(&d), &v(&o), &v(&s))
        })
    };
    let c = &p.clock;
    html! {
        <div class="clock-editor" role="row">
            <label>{ "Date " }<input id="clock-date" ref={d_ref} placeholder="2024-01-30" value={date_text(c.date)} /></label>
            <label>{ "UTC offset " }<input id="clock-offset" ref={o_ref} placeholder="-0500 or EDT" value={c.utc_offset_min.map(crate::time::offset_text).unwrap_or_default()} /></label>
            <label>{ "Clock correction (s) " }<input id="clock-skew" ref={s_ref} value={format!("{}", c.skew_ms as f64 / 1000.0)} /></label>
            <button class="btn primary" id="clock-apply" onclick={apply}>{ "Apply" }</button>
            <span class="dim">{ "Applies at once to every record of this file." }</span>
        </div>
    }
}
