//! Switchboard's parsing core: everything between "bytes the user dropped" and "records, flows and
//! findings". It holds no browser types, so it runs natively (CLI, `cargo test`, fuzzing) and in wasm
//! (the page's Web Worker) from one code path.
//!
//! The pipeline reads top to bottom in the module list:
//! `ingest` (containers, text decoding) → `formats` (recognise a log family, split it into records,
//! read time and fields) → `decoders` (protocol payloads inside records) → `correlate` (IDs, flows,
//! findings) → `session` (the loaded state the CLI prints and the page queries).
//! What an engineer hands on is made from a session: `sanitize` and `export` (logs with secrets and,
//! optionally, personal data masked), `report` (the CLI's JSON; the case report), `annotations` and
//! `workspace` (bookmarks, notes, filters; the session file).
//! The browser front end lives in `ui` and is compiled for wasm32 only.

pub mod annotations;
pub mod answers;
pub mod bench;
pub mod correlate;
pub mod decoders;
pub mod demo;
pub mod diagram_layout;
pub mod export;
pub mod formats;
pub mod ingest;
pub mod kinds;
pub mod model;
pub mod query;
pub mod report;
pub mod sanitize;
pub mod session;
pub mod share;
pub mod state_bars;
#[cfg(test)]
mod test_support;
pub mod time;
pub mod waterfall;
pub mod wire;
pub mod workspace;

#[cfg(target_arch = "wasm32")]
pub mod ui;

/// Product version shown on the page and printed by the CLI.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
