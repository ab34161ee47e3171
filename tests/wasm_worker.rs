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
    let a = e.handle(switchboard::query::Request::Rows { filter: Default::default(), start: 0, count: 10 });
    let rows = <switchboard::answers::Rows as switchboard::answers::FromAnswer>::from_answer(a).expect("rows");
    assert_eq!(rows.total, 2);
    // The answer crosses to the page as JSON and reads back the same.
    let text = serde_json::to_string(&switchboard::answers::Answer::Rows(rows.clone())).expect("json");
    let back: switchboard::answers::Answer = serde_json::from_str(&text).expect("parse");
    assert_eq!(<switchboard::answers::Rows as switchboard::answers::FromAnswer>::from_answer(back), Ok(rows));
}

fn tar_gz(members: &[(&str, &[u8])]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    for (name, data) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        tar.append_data(&mut h, name, *data).expect("append");
    }
    tar.into_inner().expect("tar").finish().expect("gz")
}

async fn load_blob(name: &str, bytes: &[u8]) -> Session {
    let reader = BlobReader::new(blob(bytes), Rc::new(Cell::new(0))).expect("reader");
    let mut session = Session::new();
    let mut state = LoadState::default();
    ingest(name, std::io::BufReader::new(reader), bytes.len() as u64, &Limits::default(), &mut state, &mut session, &mut NoPause).await.expect("not cancelled");
    session.finish();
    session
}

#[wasm_bindgen_test]
async fn tar_gz_gz_and_nested_archives_load_from_blobs() {
    let ctisvr = b"08:54:27:874 cg3A-ctisvr Trace: AGENT_EVENT: ID=1080 Periph=5000 St=NOT_READY MRDID=5011\n";
    let tgz = tar_gz(&[
        ("activelog/pg/ctisvr.txt", ctisvr),
        (
            "activelog/openfire/info.log",
            b"2026.03.12 10:15:04 Closing idle session (id=ab12cd34): 3107@fin/desktop after being inactive for more than threshold value of 60\n",
        ),
    ]);
    let s = load_blob("bundle.tar.gz", &tgz).await;
    let paths: Vec<&str> = s.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["bundle.tar.gz!/activelog/pg/ctisvr.txt", "bundle.tar.gz!/activelog/openfire/info.log"]);
    assert_eq!(s.files[0].format, "ctisvr");
    assert_eq!(s.files[1].format, "openfire-info");

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, ctisvr).expect("gz");
    let gz = gz.finish().expect("gz");
    let s = load_blob("ctisvr.txt.1.gz", &gz).await;
    assert_eq!(s.files.len(), 1);
    assert_eq!(s.files[0].path, "ctisvr.txt.1.gz!/ctisvr.txt.1");
    assert_eq!(s.files[0].format, "ctisvr");

    // A tar.gz inside a zip.
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("rtmt/collection.tar.gz", opts).expect("zip");
    w.write_all(&tgz).expect("zip");
    let z = w.finish().expect("zip").into_inner();
    let s = load_blob("outer.zip", &z).await;
    assert!(
        s.files.iter().any(|f| f.path == "outer.zip!/rtmt/collection.tar.gz!/activelog/pg/ctisvr.txt" && f.format == "ctisvr"),
        "{:?}",
        s.files.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
}
