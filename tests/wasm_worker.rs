//! Browser tests (wasm-bindgen-test in headless Chromium, inside a dedicated worker, where the page's
//! engine runs): Blobs read through `BlobReader` stream through ingest, archives included.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;
use switchboard::ingest::{ingest, Limits, LoadState, NoPause};
use switchboard::model::FileStatus;
use switchboard::session::Session;
use switchboard::ui::blob_reader::BlobReader;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn blob(bytes: &[u8]) -> web_sys::Blob {
    let arr = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&arr);
    web_sys::Blob::new_with_u8_array_sequence(&parts).expect("blob")
}

#[wasm_bindgen_test]
async fn a_zip_blob_streams_through_ingest() {
    let zip = switchboard::demo::bundle_zip();
    assert!(!zip.is_empty());
    let hw = Rc::new(Cell::new(0));
    let reader = BlobReader::new(blob(&zip), hw.clone()).expect("reader");
    let mut session = Session::new();
    let mut state = LoadState::default();
    ingest("demo.zip", std::io::BufReader::new(reader), zip.len() as u64, &Limits::default(), &mut state, &mut session, &mut NoPause)
        .await
        .expect("not cancelled");
    session.finish();
    assert_eq!(hw.get(), zip.len() as u64, "the whole blob was read");
    let members = switchboard::demo::bundle().len();
    assert_eq!(session.files.len(), members, "one row per member");
    assert!(session.files.iter().all(|f| f.status == FileStatus::Loaded), "{:?}", session.files.iter().map(|f| (&f.path, &f.problems)).collect::<Vec<_>>());
    assert!(session.files.iter().all(|f| f.path.starts_with("demo.zip!/")));
    assert!(session.records.len() > 50);
}

#[wasm_bindgen_test]
async fn a_truncated_zip_blob_keeps_what_was_read() {
    let zip = switchboard::demo::bundle_zip();
    let cut = &zip[..zip.len() * 2 / 3];
    let reader = BlobReader::new(blob(cut), Rc::new(Cell::new(0))).expect("reader");
    let mut session = Session::new();
    let mut state = LoadState::default();
    ingest("cut.zip", reader, cut.len() as u64, &Limits::default(), &mut state, &mut session, &mut NoPause).await.expect("not cancelled");
    assert!(session.files.iter().any(|f| f.status == FileStatus::Loaded), "members before the damage are kept");
    assert!(session.files.iter().any(|f| !f.problems.is_empty()), "the damage is reported");
}

#[wasm_bindgen_test]
fn the_query_engine_answers_in_wasm() {
    let mut e = switchboard::query::Engine::new();
    let mut f = switchboard::model::LogFile::new("a.log", 10);
    f.text = "one\ntwo\n".into();
    f.line_starts = switchboard::formats::engine::line_starts(&f.text);
    e.session.add_file(f);
    e.refresh();
    let v = e.handle(switchboard::query::Request::Rows { filter: Default::default(), start: 0, count: 10 });
    assert_eq!(v["total"], 2);
}
