//! The compact bar that stands for the drop zone once files are loaded (files dropped on it are
//! merged in; its button opens the file list), with the load note; and the progress bar of a load
//! or an analysis, with Cancel.

use super::app::{Analysis, Phase};
use super::{count, human_size};
use crate::answers::{FileState, LoadReport, Summary};
use std::rc::Rc;
use web_sys::DragEvent;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LoadBarProps {
    pub summary: Rc<Summary>,
    pub last_load: Option<Rc<LoadReport>>,
    pub files_open: bool,
    pub drag_over: bool,
    pub on_toggle_files: Callback<()>,
    pub ondrop: Callback<DragEvent>,
    pub ondragover: Callback<DragEvent>,
    pub ondragleave: Callback<DragEvent>,
}

/// Loaded / skipped / failed counts of the file rows.
pub fn file_counts(s: &Summary) -> (usize, usize, usize) {
    let n = |st: FileState| s.files.iter().filter(|f| f.status == st).count();
    (n(FileState::Loaded), n(FileState::Skipped), n(FileState::Failed))
}

#[function_component(LoadBar)]
pub fn load_bar(p: &LoadBarProps) -> Html {
    let s = &p.summary;
    let (loaded, skipped, failed) = file_counts(s);
    let size: u64 = s.files.iter().map(|f| f.size).sum();
    let toggle = p.on_toggle_files.reform(|_: MouseEvent| ());
    html! {
        <section id="drop-zone" class={classes!("drop-zone", "compact", p.drag_over.then_some("over"))} title="Drop more files or folders here to merge them in"
            ondrop={p.ondrop.clone()} ondragover={p.ondragover.clone()} ondragleave={p.ondragleave.clone()}>
            <button id="files-toggle" class={classes!("btn", "small", p.files_open.then_some("on"))} onclick={toggle} aria-expanded={p.files_open.to_string()}>
                { format!("{} file{} {}", s.files.len(), if s.files.len() == 1 { "" } else { "s" }, if p.files_open { "▴" } else { "▾" }) }
            </button>
            <div class="load-summary">
                <span class="counts" id="load-counts">
                    { format!("{} records · {} · ", count(s.records), human_size(size as f64)) }
                    <span class="ok">{ format!("{loaded} loaded") }</span>
                    { " · " }
                    <span class={classes!((skipped > 0).then_some("warn"))}>{ format!("{skipped} skipped") }</span>
                    { " · " }
                    <span class={classes!((failed > 0).then_some("err"))}>{ format!("{failed} failed") }</span>
                </span>
                if let Some(l) = &p.last_load { <LoadNote report={l.clone()} counts={(loaded, skipped, failed)} /> }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct LoadNoteProps {
    pub report: Rc<LoadReport>,
    pub counts: (usize, usize, usize),
}

/// What the last load did, with its timings as data attributes (the benchmark reads them).
#[function_component(LoadNote)]
pub fn load_note(p: &LoadNoteProps) -> Html {
    let l = &p.report;
    let (loaded, skipped, failed) = p.counts;
    let mut text = format!(
        "{} {} of text in {:.1} s{}",
        if l.cancelled { "Cancelled after" } else { "Loaded" },
        human_size(l.expanded as f64),
        l.seconds,
        if l.seconds > 0.05 && l.expanded >= 1_000_000 { format!(" ({:.1} MB/s)", l.expanded as f64 / 1e6 / l.seconds) } else { String::new() }
    );
    text.push_str(&format!(": {loaded} file{} loaded, {skipped} skipped, {failed} failed", if loaded == 1 { "" } else { "s" }));
    if l.index_seconds > 0.0 && l.analysed {
        text.push_str(&format!(" — timeline ready after {:.1} s, flows and findings after {:.1} s.", l.index_seconds, l.seconds));
    }
    if l.analysed && l.helpers > 0 {
        let share = l.helper_records as f64 / (l.summary.records.max(1) as f64) * 100.0;
        let s = if l.helpers == 1 { "" } else { "s" };
        text.push_str(&format!(" Records decoded by the engine and {} helper worker{s} ({share:.0} % by the helper{s}).", l.helpers));
    }
    if let (true, Some(why)) = (l.analysed, &l.helper_failed) {
        text.push_str(&format!(" A helper's records were decoded by the engine instead ({why})."));
    }
    if l.cancelled && l.analysed {
        text.push_str(" — what finished before Cancel is kept.");
    }
    match &l.analysis_skipped {
        Some(why) => text.push_str(&format!(" — {why}.")),
        None if !l.analysed => text.push_str(" — flows and findings were not computed (cancelled); the timeline is complete for what loaded."),
        None => {}
    }
    let a = |v: f64| v.to_string();
    html! {
        <span class="load-note" id="load-note" title={text.clone()} data-seconds={a(l.seconds)} data-expanded={a(l.expanded as f64)} data-wasm-memory={a(l.wasm_memory)} data-heap-peak={a(l.heap_peak)}
            data-index-seconds={a(l.index_seconds)} data-parse-seconds={a(l.parse_seconds)} data-ingest-seconds={a(l.ingest_seconds)}
            data-parsed-wasm-memory={a(l.parsed_wasm_memory)} data-ordered-wasm-memory={a(l.ordered_wasm_memory)} data-start-wasm-memory={a(l.start_wasm_memory)}
            data-order-seconds={a(l.order_seconds)} data-index-wasm-memory={a(l.index_wasm_memory)} data-analysed={l.analysed.to_string()}
            data-loaded={loaded.to_string()} data-skipped={skipped.to_string()} data-failed={failed.to_string()}
            data-helpers={l.helpers.to_string()} data-helper-records={l.helper_records.to_string()} data-helper-failed={l.helper_failed.clone().unwrap_or_default()} data-helper-wasm-memory={a(l.helper_wasm_memory)}
            data-decode-seconds={a(l.decode_seconds)} data-helper-seconds={a(l.helper_seconds)} data-helper-wait-seconds={a(l.helper_wait_seconds)}>
            { text }
        </span>
    }
}

#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    pub phase: Phase,
    pub progress: Option<crate::answers::Progress>,
    pub parsing: String,
    pub analysis: Option<Analysis>,
    pub on_cancel: Callback<()>,
}

/// The bar of a running load (bytes, inputs, files, MB/s, the file being read) or analysis.
#[function_component(Progress)]
pub fn progress(p: &ProgressProps) -> Html {
    let cancel = html! { <button id="cancel-button" class="btn small danger" onclick={p.on_cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button> };
    match (p.phase, &p.analysis, &p.progress) {
        (Phase::Analysing, Some(a), _) => {
            let pct = if a.total > 0 { (a.done as f64 / a.total as f64 * 100.0).min(100.0) } else { 0.0 };
            let what = if a.correlating {
                "Correlating: flows, findings, state timelines…".to_string()
            } else {
                format!("Decoding records for flows and findings: {} / {} (the timeline is ready)", a.done, a.total)
            };
            html! {
                <div class="progress" id="progress" role="status" data-phase="analysing">
                    <div class="bar"><div style={format!("width:{pct:.1}%")}></div></div>
                    <span class="nums">{ what }</span>
                    { cancel }
                </div>
            }
        }
        (Phase::Loading, _, Some(pr)) => {
            let pct = if pr.bytes_total > 0 { (pr.bytes_done as f64 / pr.bytes_total as f64 * 100.0).min(100.0) } else { 0.0 };
            // The file handed to the parser last is the one being parsed (a big one takes a while).
            let current = if p.parsing.is_empty() { pr.current.clone() } else { format!("parsing {}", p.parsing) };
            html! {
                <div class="progress" id="progress" role="status" data-phase="loading">
                    <div class="bar"><div style={format!("width:{pct:.1}%")}></div></div>
                    <span class="nums">
                        { format!("{} / {} · inputs {} / {} · {} files · {:.0} MB/s", human_size(pr.bytes_done as f64), human_size(pr.bytes_total as f64),
                            pr.inputs_done, pr.inputs_total, pr.files_done, pr.mbps) }
                    </span>
                    <span class="current" title={current.clone()}>{ current }</span>
                    { cancel }
                </div>
            }
        }
        (Phase::Loading, _, None) => html! {
            <div class="progress" id="progress" role="status" data-phase="loading"><div class="bar indeterminate"><div></div></div><span>{ "Starting…" }</span>{ cancel }</div>
        },
        _ => html! {},
    }
}
