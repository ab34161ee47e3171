//! Decoded fields as a foldable tree. Values are always rendered as text nodes (never as HTML):
//! log text is attacker-controlled.

use serde_json::Value;
use yew::prelude::*;

/// Renders a JSON value; `on_pick` receives a scalar value the user clicked (to filter by it).
pub fn tree(v: &Value, on_pick: &Callback<String>) -> Html {
    match v {
        Value::Object(map) => html! {
            <ul class="tree">
                { for map.iter().map(|(k, v)| html! {
                    <li>{ node(k, v, on_pick) }</li>
                }) }
            </ul>
        },
        Value::Array(items) => html! {
            <ol class="tree" start="0">
                { for items.iter().enumerate().map(|(i, v)| html! { <li>{ node(&i.to_string(), v, on_pick) }</li> }) }
            </ol>
        },
        other => scalar(other, on_pick),
    }
}

fn node(key: &str, v: &Value, on_pick: &Callback<String>) -> Html {
    match v {
        Value::Object(_) | Value::Array(_) => {
            let n = match v {
                Value::Object(m) => m.len(),
                Value::Array(a) => a.len(),
                _ => 0,
            };
            html! {
                <details open={n <= 12}>
                    <summary><span class="k">{ key }</span><span class="dim">{ format!(" ({n})") }</span></summary>
                    { tree(v, on_pick) }
                </details>
            }
        }
        _ => html! { <><span class="k">{ key }</span>{ ": " }{ scalar(v, on_pick) }</> },
    }
}

fn scalar(v: &Value, on_pick: &Callback<String>) -> Html {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let pretty = pretty_body(&text);
    let t = text.clone();
    let pick = on_pick.reform(move |_: MouseEvent| t.clone());
    match pretty {
        Some(p) => html! { <pre class="v body" title="click to filter by this value" onclick={pick}>{ p }</pre> },
        None => html! { <span class="v" title="click to filter by this value" onclick={pick}>{ text }</span> },
    }
}

/// Pretty-prints a JSON or XML body for display; None for anything else.
pub fn pretty_body(s: &str) -> Option<String> {
    let t = s.trim_start();
    if s.len() < 60 {
        return None;
    }
    if t.starts_with('{') || t.starts_with('[') {
        return serde_json::from_str::<Value>(t).ok().and_then(|v| serde_json::to_string_pretty(&v).ok());
    }
    if t.starts_with('<') {
        return Some(indent_xml(t));
    }
    None
}

/// Indents XML by tag depth (display only; not a validator).
fn indent_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    let mut depth: usize = 0;
    let mut rest = s;
    while let Some(lt) = rest.find('<') {
        let text = rest.get(..lt).unwrap_or("").trim();
        if !text.is_empty() {
            out.push_str(&"  ".repeat(depth));
            out.push_str(text);
            out.push('\n');
        }
        let after = rest.get(lt..).unwrap_or("");
        let gt = after.find('>').map(|i| i + 1).unwrap_or(after.len());
        let tag = after.get(..gt).unwrap_or(after);
        let closing = tag.starts_with("</");
        let selfclosing = tag.ends_with("/>") || tag.starts_with("<?") || tag.starts_with("<!");
        if closing {
            depth = depth.saturating_sub(1);
        }
        out.push_str(&"  ".repeat(depth.min(40)));
        out.push_str(tag);
        out.push('\n');
        if !closing && !selfclosing {
            depth += 1;
        }
        rest = after.get(gt..).unwrap_or("");
    }
    let tail = rest.trim();
    if !tail.is_empty() {
        out.push_str(tail);
    }
    out
}
