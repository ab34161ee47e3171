//! The analysis decodes each record storing only the fields correlation keeps (and those the
//! decoders read back while decoding). A decoder that starts reading back another field would
//! lose facts without any error, so the lean decode is compared with a full one, record by record,
//! on inputs of every family: the real corpus, the HAR suite of another project, the demo bundle
//! and each benchmark shape. (Every variant in `tests/variants_*.rs` is compared too, in
//! `common::variants::check`.)

mod common;

fn assert_lean_decode_same(what: &str, s: &switchboard::session::Session) {
    assert!(!s.records.is_empty(), "{what}: no records");
    let misses = common::lean_decode_mismatches(s);
    assert!(
        misses.is_empty(),
        "{what}: {} record(s) keep other facts when decoded lean:\n{}",
        misses.len(),
        misses.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn corpus_keeps_the_same_facts() {
    let s = common::load_paths(&[common::CORPUS]);
    assert!(s.records.len() > 400, "corpus loaded: {} records", s.records.len());
    assert_lean_decode_same("corpus", &s);
}

#[test]
fn peer_har_suite_keeps_the_same_facts() {
    let s = common::load_paths(&[concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/peer")]);
    assert_lean_decode_same("peer HAR suite", &s);
}

#[test]
fn demo_bundle_keeps_the_same_facts() {
    let files = switchboard::demo::bundle();
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    assert_lean_decode_same("demo bundle", &common::session_of(&refs));
}

#[test]
fn bench_shapes_keep_the_same_facts() {
    use switchboard::bench::shapes;
    for (name, files) in [
        ("incidents", switchboard::bench::day_files(0, 0, 4)),
        ("hot", shapes::hot_files(1 << 20)),
        ("many", shapes::many_files(1 << 20)),
        ("day", shapes::day_files(1 << 20)),
    ] {
        let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        assert_lean_decode_same(name, &common::session_of(&refs));
    }
}
