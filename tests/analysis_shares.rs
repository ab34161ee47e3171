//! The page's engine hands ranges of records to helper workers (`switchboard::share`): each reads
//! the files again as the engine read them, decodes its range and sends back what the analysis
//! keeps. The answers must be the same as the engine's own, on every family, whatever the cuts;
//! and a helper whose records differ, or an answer that does not read, must be refused without
//! adding anything (the engine then decodes the range itself).

mod common;
#[path = "ingest_support.rs"]
mod ingest_support;

use switchboard::session::Session;
use switchboard::share;

/// A session with its timeline made and no analysis (as the page's engine has it when the
/// analysis starts).
fn indexed(paths: &[&str]) -> Session {
    let mut s = common::ingested(paths);
    s.finish_index();
    s
}

fn indexed_files(files: &[(String, String)]) -> Session {
    let mut s = Session::new();
    for (p, t) in files {
        s.add_file(common::text_file(p, t));
    }
    s.finish_index();
    s
}

/// The texts that go with a job, as the page's worker sends them.
fn texts(s: &Session, job: &share::Job) -> Vec<String> {
    job.files.iter().map(|&i| s.files[i as usize].text.clone()).collect()
}

/// A helper's answers to a job, in the order it sends them.
fn run_job(job: &[u8], texts: Vec<String>) -> Result<Vec<Vec<u8>>, String> {
    let mut texts: Vec<Option<String>> = texts.into_iter().map(Some).collect();
    let mut chunks = Vec::new();
    share::run(job, |k| texts.get_mut(k)?.take(), |c| chunks.push(c))?;
    Ok(chunks)
}

/// Analyses `s` as the page's engine does with `parts - 1` helpers: its own range first, then
/// each helper's answers in order. Returns how many records helpers decoded.
fn analyse_with_helpers(s: &mut Session, parts: usize) -> usize {
    let jobs = share::plan(s, 0, s.records.len(), parts, 1);
    let mut a = s.begin_analysis();
    let own = jobs.first().map_or(s.records.len(), |j| j.from);
    s.analysis_step(&mut a, own);
    assert_eq!(a.done(), own);
    let mut by_helpers = 0;
    for job in &jobs {
        assert_eq!(a.done(), job.from, "jobs follow each other");
        let chunks = run_job(&job.bytes, texts(s, job)).unwrap_or_else(|e| panic!("job {}: {e}", job.id));
        for c in &chunks {
            by_helpers += s.add_share_chunk(&mut a, job.id, c).unwrap_or_else(|e| panic!("job {}: {e}", job.id));
        }
        assert_eq!(a.done(), job.to, "job {} answered for its whole range", job.id);
    }
    s.finish_analysis(a);
    by_helpers
}

/// The CLI's JSON of `s` analysed alone, and analysed with 1 and 3 helpers, are the same.
fn assert_same_with_helpers(what: &str, load: impl Fn() -> Session) {
    let mut alone = load();
    alone.analyze();
    let want = switchboard::report::to_json(&alone);
    assert!(!alone.records.is_empty(), "{what}: no records");
    for parts in [2, 4] {
        let mut s = load();
        let by_helpers = analyse_with_helpers(&mut s, parts);
        assert!(by_helpers * parts >= s.records.len() / 2, "{what}, {parts} parts: helpers decoded only {by_helpers} of {} records", s.records.len());
        let got = switchboard::report::to_json(&s);
        assert!(
            got == want,
            "{what}, {parts} parts: the analysis differs when helpers decode ({} flows, {} findings alone; {} and {} with helpers)",
            alone.flows.len(),
            alone.findings.len(),
            s.flows.len(),
            s.findings.len()
        );
    }
}

#[test]
fn corpus_analysed_with_helpers_is_the_same() {
    assert_same_with_helpers("corpus", || indexed(&[common::CORPUS]));
}

#[test]
fn seeds_and_peer_har_suite_analysed_with_helpers_are_the_same() {
    assert_same_with_helpers("seeds", || indexed(&[concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds")]));
    assert_same_with_helpers("peer HAR suite", || indexed(&[concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/peer")]));
}

#[test]
fn demo_and_bench_shapes_analysed_with_helpers_are_the_same() {
    use switchboard::bench::shapes;
    assert_same_with_helpers("demo", || indexed_files(&switchboard::demo::bundle()));
    for (name, files) in [
        ("incidents", switchboard::bench::day_files(0, 0, 4)),
        ("hot", shapes::hot_files(1 << 20)),
        ("many", shapes::many_files(1 << 20)),
        ("day", shapes::day_files(1 << 20)),
        ("small", shapes::small_files(1 << 20)),
    ] {
        assert_same_with_helpers(name, || indexed_files(&files));
    }
}

#[test]
fn a_helper_whose_records_differ_is_refused() {
    let s = indexed(&[common::CORPUS]);
    let jobs = share::plan(&s, 0, s.records.len(), 3, 1);
    assert_eq!(jobs.len(), 2);
    let job = &jobs[0];
    // A text that reads as more records (a line added at the end of every file).
    let more: Vec<String> = texts(&s, job).into_iter().map(|t| format!("{t}\n2024-01-30 13:58:10,696 INFO [main] one line more\n")).collect();
    let e = run_job(&job.bytes, more).expect_err("a file with another record is refused");
    assert!(e.contains("records where the engine read") || e.contains("differ"), "{e}");
    // The same count of records, read differently: a byte changed inside a record moves no record
    // boundary but the fingerprint sees names and places.
    let mut one_off = texts(&s, job);
    let t = &mut one_off[0];
    if let Some(at) = t.find("INFO") {
        t.replace_range(at..at + 4, "WARN");
        assert!(run_job(&job.bytes, one_off).is_err(), "a severity read differently is refused");
    }
    // Too few texts, and a job from another build.
    assert!(run_job(&job.bytes, Vec::new()).is_err());
    let mut stale = job.bytes.clone();
    stale[0] ^= 1;
    assert!(run_job(&stale, texts(&s, job)).is_err());
}

#[test]
fn a_helper_that_stops_part_way_leaves_the_rest_to_the_engine() {
    // The bench's `small` shape: a range spans many files, so a helper answers for some before
    // it meets the one that differs.
    let files = switchboard::bench::shapes::small_files(1 << 20);
    let mut alone = indexed_files(&files);
    alone.analyze();
    let want = switchboard::report::to_json(&alone);
    let mut s = indexed_files(&files);
    let jobs = share::plan(&s, 0, s.records.len(), 2, 1);
    let job = &jobs[0];
    assert!(job.files.len() > 4, "the range spans {} files", job.files.len());
    let mut sent = texts(&s, job);
    let last = sent.len() - 1;
    sent[last].push_str("\n2024-01-30 13:58:10,696 INFO one line more\n");
    let mut chunks = Vec::new();
    let mut texts_left: Vec<Option<String>> = sent.into_iter().map(Some).collect();
    let e = share::run(&job.bytes, |k| texts_left.get_mut(k)?.take(), |c| chunks.push(c)).expect_err("the last file differs");
    assert!(e.contains("records where the engine read") || e.contains("differ"), "{e}");
    assert!(!chunks.is_empty(), "the files before it were answered");
    let mut a = s.begin_analysis();
    s.analysis_step(&mut a, job.from);
    let mut answered = 0;
    for c in &chunks {
        answered += s.add_share_chunk(&mut a, job.id, c).expect("answers sent before the error are good");
    }
    assert!(answered > 0 && a.done() < job.to, "{answered} answered of {}", job.to - job.from);
    // The engine decodes the rest itself.
    let rest = s.records.len() - a.done();
    s.analysis_step(&mut a, rest);
    s.finish_analysis(a);
    assert!(switchboard::report::to_json(&s) == want, "the same analysis when a helper stops part way");
}

#[test]
fn an_answer_that_does_not_fit_adds_nothing() {
    let s = indexed(&[common::CORPUS]);
    let jobs = share::plan(&s, 0, s.records.len(), 2, 1);
    let job = &jobs[0];
    let chunks = run_job(&job.bytes, texts(&s, job)).expect("the job runs");
    let mut a = s.begin_analysis();
    // Answers for a range that does not come next, or for another job.
    assert!(s.add_share_chunk(&mut a, job.id, &chunks[0]).is_err());
    s.analysis_step(&mut a, job.from);
    assert!(s.add_share_chunk(&mut a, job.id + 1, &chunks[0]).is_err());
    assert_eq!(a.done(), job.from);
    // Every cut and every flipped byte of an answer either reads whole or adds nothing.
    let c = &chunks[0];
    for cut in (0..c.len()).step_by(7) {
        assert!(s.add_share_chunk(&mut a, job.id, &c[..cut]).is_err(), "cut at {cut}");
        assert_eq!(a.done(), job.from);
    }
    for at in (0..c.len()).step_by(13) {
        let mut bad = c.clone();
        bad[at] ^= 0xA5;
        // A flip inside a value's text may still read (other text): then it adds its records;
        // otherwise nothing. Either way no panic.
        let mut b = s.begin_analysis();
        s.analysis_step(&mut b, job.from);
        match s.add_share_chunk(&mut b, job.id, &bad) {
            Ok(n) => assert_eq!(b.done(), job.from + n),
            Err(_) => assert_eq!(b.done(), job.from),
        }
    }
    // Random bytes never panic either side.
    for len in 0..400 {
        let bytes = ingest_support::random_bytes(len, 0x9E37_79B9_7F4A_7C15 ^ len as u64);
        assert!(share::read_chunk(&bytes).is_none() || bytes.len() >= 16);
        let _ = run_job(&bytes, vec![String::new()]);
    }
    s.add_share_chunk(&mut a, job.id, c).expect("the answer itself reads");
}
