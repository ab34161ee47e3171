//! State timelines: one bar per entity (agent per MRD, Finesse user, dialog, contact, chat
//! session, BOSH session), a segment per state, on one UTC axis. Click a segment for its record.

use super::app::{App, Msg};
use serde_json::Value;
use yew::prelude::*;

const LABEL_W: f64 = 280.0;
const PLOT_W: f64 = 1000.0;
const ROW_H: f64 = 30.0;

/// A stable colour per state, with the usual meanings where engineers expect them.
fn colour(state: &str) -> &'static str {
    let s = state.to_ascii_uppercase();
    match s.as_str() {
        "READY" | "AVAILABLE" | "NOT_ACTIVE" | "ACTIVE (IDLE)" => "#2e9d5b",
        "NOT_READY" | "UNAVAILABLE" => "#d99a00",
        "LOGOUT" | "LOGOFF" | "CLOSED" | "DESTROYED" | "HANDLED" | "CLOSED (IDLE)" => "#8792a6",
        "LOGIN" | "CREATED" | "UNREAD" | "INFO_WAIT" | "INFO_CLOSED" => "#5b8def",
        "RESERVED" | "OFFERED" | "ALERTING" | "QUEUED" | "AGENT_WAIT" => "#9b59b6",
        "ACTIVE" | "TALKING" | "ACCEPTED" | "WORK" | "WORK_READY" | "HOLD" | "RATING_WAIT" => "#1f6fb2",
        _ if s.starts_with("IDLE") => "#e67e22",
        _ if s.starts_with("ACTIVE") => "#2e9d5b",
        _ => "#4f6d8f",
    }
}

pub fn view(app: &App, ctx: &Context<App>) -> Html {
    let list = app.states.as_array().cloned().unwrap_or_default();
    if list.is_empty() {
        return html! { <div class="empty">{ "No state changes found in what is loaded." }</div> };
    }
    let times: Vec<i64> = list
        .iter()
        .flat_map(|t| t.get("changes").and_then(Value::as_array).cloned().unwrap_or_default())
        .filter_map(|c| c.get("utc_ms").and_then(Value::as_i64))
        .collect();
    let (t0, t1) = (times.iter().min().copied().unwrap_or(0), times.iter().max().copied().unwrap_or(1));
    let span = (t1 - t0).max(1) as f64;
    let x = |ms: i64| LABEL_W + (ms - t0) as f64 / span * PLOT_W;
    let height = 30.0 + list.len() as f64 * ROW_H;
    let link = ctx.link();
    let mut unplaced = 0usize;
    let rows: Vec<Html> = list
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let y = 24.0 + i as f64 * ROW_H;
            let key = t.get("key").and_then(Value::as_str).unwrap_or("").to_string();
            let kind = t.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
            let changes = t.get("changes").and_then(Value::as_array).cloned().unwrap_or_default();
            let placed: Vec<&Value> = changes.iter().filter(|c| c.get("utc_ms").and_then(Value::as_i64).is_some()).collect();
            unplaced += changes.len() - placed.len();
            let segs: Vec<Html> = placed
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    let ms = c.get("utc_ms").and_then(Value::as_i64).unwrap_or(t0);
                    let next = placed.get(k + 1).and_then(|n| n.get("utc_ms")).and_then(Value::as_i64);
                    let x1 = x(ms);
                    let x2 = next.map(x).unwrap_or(x1 + 14.0).max(x1 + 3.0);
                    let state = c.get("state").and_then(Value::as_str).unwrap_or("").to_string();
                    let pos = c.get("pos").and_then(Value::as_u64).map(|p| p as usize);
                    let title = format!("{state} from {} UTC{}", crate::time::iso_utc(ms), next.map(|n| format!(" for {}", super::flows::duration_text(n - ms))).unwrap_or_default());
                    let onclick = link.callback(move |_| match pos {
                        Some(p) => Msg::GotoPos(p),
                        None => Msg::Tab(super::app::Tab::States),
                    });
                    html! {
                        <g class="seg" {onclick} data-state-name={state.clone()}>
                            <title>{ title }</title>
                            <rect x={format!("{x1:.1}")} y={format!("{:.1}", y + 3.0)} width={format!("{:.1}", x2 - x1)} height={format!("{:.1}", ROW_H - 8.0)} rx="3" fill={colour(&state)} />
                            if x2 - x1 > 8.0 * state.len() as f64 {
                                <text x={format!("{:.1}", x1 + 4.0)} y={format!("{:.1}", y + ROW_H / 2.0 + 3.0)} class="seg-label">{ state.clone() }</text>
                            }
                        </g>
                    }
                })
                .collect();
            let transitions = changes.iter().filter_map(|c| c.get("state").and_then(Value::as_str)).collect::<Vec<_>>().join(" → ");
            html! {
                <g class="state-row" data-kind={kind.clone()}>
                    <text x="8" y={format!("{:.1}", y + ROW_H / 2.0 + 3.0)} class="row-label"><title>{ transitions }</title>{ key }</text>
                    <line x1={LABEL_W.to_string()} x2={(LABEL_W + PLOT_W).to_string()} y1={format!("{:.1}", y + ROW_H / 2.0)} y2={format!("{:.1}", y + ROW_H / 2.0)} class="axis" />
                    { for segs }
                </g>
            }
        })
        .collect();
    html! {
        <div class="states" id="states-view">
            <div class="toolbar">
                <strong>{ "State timelines" }</strong>
                <span class="dim">{ format!("{} entities · {} → {} UTC", list.len(), crate::time::iso_utc(t0), crate::time::iso_utc(t1)) }</span>
                if unplaced > 0 { <span class="dim">{ format!(" · {unplaced} changes not placed in UTC (set the file's clock)") }</span> }
            </div>
            <div class="states-scroll">
                <svg id="states-svg" viewBox={format!("0 0 {} {height}", LABEL_W + PLOT_W + 10.0)} width="100%" preserveAspectRatio="xMinYMin meet">
                    { for rows }
                </svg>
            </div>
            <p class="dim legend">{ "Hover a bar for its state and duration, hover a name for the whole sequence; click a bar to open its record in the timeline." }</p>
        </div>
    }
}
