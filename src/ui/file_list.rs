//! The file table: one row per file (format, size, encoding, records, how well it was read, status,
//! clock), the reason a file was skipped or failed or read only in part, a box to hide a loaded
//! file's records, its clock editor, and a format picker when detection guessed.
//! It drops down from the compact bar and stays in the DOM while closed.

use super::bridge;
use super::clock_editor::{ClockApply, ClockEditor};
use super::human_size;
use crate::answers::{FileRow, FileState, FormatChoices, Summary};
use crate::query::Request;
use std::collections::HashMap;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FileListProps {
    pub files: Rc<Summary>,
    pub open: bool,
    pub hidden_files: Vec<u32>,
    pub cap_gb: String,
    pub on_toggle_file: Callback<u32>,
    pub on_close: Callback<()>,
    pub on_cap: Callback<String>,
    pub on_apply_clock: Callback<ClockApply>,
    /// Read a file again as the named format.
    pub on_set_format: Callback<(u32, String)>,
    /// Show only the lines of this file no family read.
    pub on_show_unread: Callback<u32>,
}

/// Below this detection score the format is a guess (`formats::CONFIDENT`).
const CONFIDENT: u8 = crate::formats::CONFIDENT;

/// The coverage cell: "98 % read · 97 % timed", and whether it is low enough to explain.
fn coverage_text(f: &FileRow) -> (String, bool) {
    match &f.coverage {
        Some(c) if f.status == FileState::Loaded && f.records > 0 => {
            let pct = |x: f64| format!("{:.0} %", (x * 100.0).floor());
            // A file no family claimed is read by the generic layer alone: only its times count.
            let read = if f.format == crate::formats::TEXT.name { "generic".to_string() } else { format!("{} read", pct(c.lines)) };
            (format!("{read} · {} timed", pct(c.timed)), !c.why.is_empty())
        }
        _ => (String::new(), false),
    }
}

/// What the clock cell says, and whether it offers to change the clock.
fn clock_text(f: &FileRow) -> (String, bool) {
    if f.status != FileState::Loaded {
        return (String::new(), false);
    }
    let skew = if f.clock.skew_ms != 0 { format!(" {:+} ms", f.clock.skew_ms) } else { String::new() };
    match f.clock.utc_offset_min {
        Some(o) => (format!("UTC{}{skew}", crate::time::offset_text(o)), true),
        None if f.needs_clock => ("zone unknown — set…".into(), true),
        None if f.uses_clock || !f.timed => (if f.timed { String::new() } else { "no times".into() }, false),
        None => (format!("in each line{skew}"), true),
    }
}

#[function_component(FileList)]
pub fn file_list(p: &FileListProps) -> Html {
    let editing = use_state(|| None::<u32>);
    // The format picker's choices for the file it is open on (asked from the engine on open).
    let picking = use_state(|| None::<FormatChoices>);
    let files = &p.files.files;
    // Paths loaded twice (two picks of files with the same name) say which load they came in.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for f in files.iter() {
        *seen.entry(f.path.as_str()).or_default() += 1;
    }
    let rows = files.iter().map(|f| {
        let idx = f.index;
        let loaded = f.status == FileState::Loaded;
        let hidden = p.hidden_files.contains(&idx);
        let path = if seen.get(f.path.as_str()).copied().unwrap_or(0) > 1 { format!("{} (load {})", f.path, f.load) } else { f.path.clone() };
        let (clock, editable) = clock_text(f);
        let is_editing = *editing == Some(idx);
        let toggle_edit = {
            let editing = editing.clone();
            Callback::from(move |_: MouseEvent| editing.set(if is_editing { None } else { Some(idx) }))
        };
        let on_toggle = p.on_toggle_file.reform(move |_: Event| idx);
        let source = f.clock.source.clone();
        let (coverage, explain) = coverage_text(f);
        let guess = loaded && !f.format_chosen && f.confidence < CONFIDENT && f.records > 0 && f.format != crate::formats::TEXT.name;
        let open_picker = {
            let picking = picking.clone();
            let open = picking.as_ref().is_some_and(|c| c.file == idx);
            Callback::from(move |_: MouseEvent| {
                if open {
                    picking.set(None);
                    return;
                }
                let picking = picking.clone();
                bridge::ask(Request::FormatChoices { file: idx }, move |r: Result<FormatChoices, String>| picking.set(r.ok()));
            })
        };
        let picker = picking.as_ref().filter(|c| c.file == idx).map(|c| {
            let on_pick = {
                let picking = picking.clone();
                let set = p.on_set_format.clone();
                Callback::from(move |e: Event| {
                    let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
                    if !v.is_empty() {
                        picking.set(None);
                        set.emit((idx, v));
                    }
                })
            };
            html! {
                <div class="frow-note" role="row">
                    <label>{ "Read this file as " }
                        <select class="format-picker" data-file={idx.to_string()} onchange={on_pick}>
                            <option value="" selected=true>{ "choose a format…" }</option>
                            { for c.choices.iter().map(|ch| html! {
                                <option value={ch.name.clone()}>{ if ch.score > 0 { format!("{} (reads it: {})", ch.name, ch.score) } else { ch.name.clone() } }</option>
                            }) }
                        </select>
                    </label>
                    <span class="dim">{ " the file's records are read again and the flows recomputed" }</span>
                </div>
            }
        });
        let on_unread = p.on_show_unread.reform(move |_: MouseEvent| idx);
        let unread = f.coverage.as_ref().is_some_and(|c| c.lines < 1.0) && f.format != crate::formats::TEXT.name;
        let why = f.coverage.as_ref().map(|c| c.why.join("; ")).unwrap_or_default();
        let on_apply = {
            let editing = editing.clone();
            p.on_apply_clock.reform(move |a: ClockApply| {
                editing.set(None);
                a
            })
        };
        html! {
            <>
            <div class={classes!("frow", f.status.as_str(), hidden.then_some("hidden-file"))} role="row" data-file-row="" data-format={f.format.clone()} data-status={f.status.as_str()}>
                <span>
                    if loaded {
                        <input type="checkbox" title="show this file's records in the timeline" checked={!hidden} onchange={on_toggle} />
                    }
                </span>
                <span class="path" title={f.path.clone()}><bdi>{ path }</bdi></span>
                <span class="num">{ human_size(f.size as f64) }</span>
                <span class="fmt">
                    if loaded && f.records > 0 {
                        <button class={classes!("link", "fmt-link", guess.then_some("guess"))} data-confidence={f.confidence.to_string()} onclick={open_picker}
                            title={if f.format_chosen { "chosen by you — click to read it as another format".to_string() } else { format!("detected (score {}) — click to read it as another format", f.confidence) }}>
                            { format!("{}{}", f.format, if guess { " ?" } else if f.format_chosen { " ✎" } else { "" }) }
                        </button>
                    } else {
                        { if f.format.is_empty() { "—".to_string() } else { f.format.clone() } }
                    }
                </span>
                <span>{ f.encoding.clone() }</span>
                <span class="num">{ f.records }</span>
                <span class={classes!("cov", explain.then_some("low"))} data-coverage={f.coverage.as_ref().map(|c| c.lines.to_string()).unwrap_or_default()} title={why.clone()}>{ coverage }</span>
                <span class={classes!("status", f.status.as_str())}>{ f.status.as_str() }</span>
                <span class="clock" title={if editable { format!("{} — click to change", if source.is_empty() { "the file's clock".to_string() } else { source.clone() }) } else { source.clone() }}>
                    if editable {
                        <button class="link clock-link" onclick={toggle_edit}>{ clock }</button>
                    } else {
                        { clock }
                    }
                </span>
            </div>
            { for f.problems.iter().map(|pr| html! { <div class="frow-problem" role="row">{ pr.message.clone() }</div> }) }
            if explain && loaded {
                <div class="frow-note" role="row" data-coverage-why="">
                    <span>{ why.clone() }</span>
                    if !f.wrappers.is_empty() {
                        <span class="dim">{ format!(" (taken off: {})", f.wrappers.join(", ")) }</span>
                    }
                    if unread {
                        <button class="link show-unread" onclick={on_unread}>{ "show the lines it did not read" }</button>
                    }
                    if guess {
                        <span class="dim">{ " — the format is a guess: click it to choose another" }</span>
                    }
                </div>
            }
            { picker.unwrap_or_default() }
            if is_editing {
                <ClockEditor file={idx} clock={f.clock.clone()} on_apply={on_apply} />
            }
            </>
        }
    });
    html! {
        <section class="files" id="files-panel" hidden={!p.open}>
            <div class="files-head">
                <h2>{ format!("{} files", files.len()) }</h2>
                <label class="cap">{ "Expanded-size cap " }
                    <input type="number" min="0.1" step="0.5" value={p.cap_gb.clone()}
                        onchange={p.on_cap.reform(|e: Event| e.target_unchecked_into::<web_sys::HtmlInputElement>().value())} />
                    { " GiB" }</label>
                <button class="btn small" onclick={p.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
            <div class="files-table" role="table">
                <div class="frow fhead" role="row">
                    <span>{ "" }</span><span>{ "File" }</span><span>{ "Size" }</span><span>{ "Format" }</span><span>{ "Encoding" }</span><span>{ "Records" }</span><span title="share of the lines its log family read, and of the lines with a time">{ "Read" }</span><span>{ "Status" }</span><span>{ "Clock" }</span>
                </div>
                { for rows }
            </div>
        </section>
    }
}
