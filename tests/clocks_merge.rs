//! Merging bundles never changes what was placed before: each load's clocks are inferred from that
//! load's own files, so a later bundle neither undoes an earlier file's zone or date nor lends its
//! own (issue 14, item 4: after the demo and 002, all of 003's ctisvr rows had lost their date).

use switchboard::ingest::{self, Limits, LoadState};
use switchboard::session::Session;

/// Adds one input the way the page's worker does (a file picked with *Open files…* has its name
/// only), then finishes the load.
fn load(s: &mut Session, inputs: &[(String, Vec<u8>)]) {
    for (name, bytes) in inputs {
        let mut files = Vec::new();
        let size = bytes.len() as u64;
        let r = ingest::block_on(ingest::ingest(
            name,
            std::io::Cursor::new(bytes.clone()),
            size,
            &Limits::default(),
            &mut LoadState::default(),
            &mut files,
            &mut ingest::NoPause,
        ));
        assert!(r.is_ok());
        for f in files {
            s.add_file(f);
        }
    }
    s.finish();
}

/// A corpus folder's files by base name (as *Open files…* gives them).
fn corpus(dir: &str) -> Vec<(String, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus").join(dir);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("corpus folder").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                out.push((e.file_name().to_string_lossy().into_owned(), bytes));
            }
        }
    }
    out.sort();
    out
}

/// (path, clock offset, clock date, records placed in UTC, records).
type Placed = (String, Option<i32>, Option<(i32, u32, u32)>, usize, usize);

/// How every file is placed.
fn placed(s: &Session) -> Vec<Placed> {
    let mut out: Vec<_> = s.files.iter().map(|f| (f.path.clone(), f.clock.utc_offset_min, f.clock.date, 0, 0)).collect();
    for r in s.records.iter() {
        if let Some(row) = out.get_mut(r.file as usize) {
            row.4 += 1;
            if r.utc_ms().is_some() {
                row.3 += 1;
            }
        }
    }
    out
}

#[test]
fn a_later_bundle_keeps_its_own_clocks_and_leaves_the_earlier_ones_alone() {
    let alone = {
        let mut s = Session::new();
        load(&mut s, &corpus("003-cce-task-routing"));
        placed(&s)
    };
    let ctisvr_alone = alone.iter().find(|f| f.0 == "ctisvr.txt").cloned().expect("003 ctisvr");
    assert_eq!(ctisvr_alone.1, Some(-300), "003's ctisvr is in UTC-0500 when loaded alone");
    assert_eq!(ctisvr_alone.3, ctisvr_alone.4, "and every record is placed");

    let mut s = Session::new();
    load(&mut s, &[(switchboard::demo::DEMO_NAME.to_string(), switchboard::demo::bundle_zip())]);
    let demo = placed(&s);
    load(&mut s, &corpus("002-finesse-bosh"));
    let after_002 = placed(&s);
    load(&mut s, &corpus("003-cce-task-routing"));
    let after_003 = placed(&s);

    assert_eq!(&after_003[..demo.len()], &demo[..], "the demo's clocks and placed records are unchanged by later loads");
    assert_eq!(&after_003[..after_002.len()], &after_002[..], "002's clocks are unchanged by 003");
    let merged: Vec<_> = after_003[after_002.len()..].to_vec();
    assert_eq!(merged, alone, "003 is placed exactly as when it is loaded alone");
}
