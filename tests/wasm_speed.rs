//! Parse and analysis speed inside a JavaScript engine's WebAssembly (the page's worker runs the
//! same code): one generated site day per format, parsed `ROUNDS` times, MB/s printed per format and
//! overall; the whole pipeline; the analysis per bench shape.
//! Timings are not tests, so every function here is ignored by default; run them with
//! `cargo test --release --target wasm32-unknown-unknown --test wasm_speed -- --include-ignored --nocapture`
//! (Node.js; for a profile of the wasm functions put a `node` that adds `--cpu-prof` first on PATH:
//! `NODE_OPTIONS` refuses that flag), and natively with
//! `cargo test --release --test wasm_speed -- --include-ignored --nocapture` for the ratio.
use std::collections::BTreeMap;
use switchboard::ingest::{block_on, ingest, Limits, LoadState, NoPause};
use switchboard::model::LogFile;
use switchboard::session::Session;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen::JsCast;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::{console_log, wasm_bindgen_test as test};

#[cfg(not(target_arch = "wasm32"))]
macro_rules! console_log {
    ($($t:tt)*) => { println!($($t)*) };
}

const ROUNDS: usize = 10;

#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).expect("performance");
    let now = js_sys::Reflect::get(&perf, &"now".into()).expect("now");
    let now: js_sys::Function = now.into();
    now.call0(&perf).expect("now()").as_f64().unwrap_or(0.0)
}

/// The wasm memory's size in bytes (it only grows, so it is the peak so far); 0 natively.
#[cfg(target_arch = "wasm32")]
fn wasm_memory() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().map(|b| b.byte_length() as f64).unwrap_or(0.0))
        .unwrap_or(0.0)
}

#[cfg(not(target_arch = "wasm32"))]
fn wasm_memory() -> f64 {
    0.0
}

#[cfg(not(target_arch = "wasm32"))]
fn now_ms() -> f64 {
    use std::sync::OnceLock;
    static T0: OnceLock<std::time::Instant> = OnceLock::new();
    T0.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1e3
}

fn day() -> Vec<LogFile> {
    let mut files: Vec<LogFile> = Vec::new();
    for (name, text) in switchboard::bench::day_files(1, 0, switchboard::bench::AGENTS_PER_DAY) {
        let bytes = text.into_bytes();
        let len = bytes.len() as u64;
        block_on(ingest(&name, std::io::Cursor::new(bytes), len, &Limits::default(), &mut LoadState::default(), &mut files, &mut NoPause))
            .expect("not cancelled");
    }
    files
}

#[test]
#[ignore = "a measurement, not a test: run it with --include-ignored (see the top of the file)"]
fn parse_speed_per_format() {
    let files = day();
    let mut by_format: BTreeMap<String, (u64, f64, usize)> = BTreeMap::new();
    let mut total = (0u64, 0f64);
    for round in 0..ROUNDS {
        let r0 = now_ms();
        let mut round_bytes = 0u64;
        for f in &files {
            round_bytes += f.text.len() as u64;
            let mut s = Session::new();
            let bytes = f.text.len() as u64;
            let t0 = now_ms();
            s.add_file(f.clone());
            let ms = now_ms() - t0;
            // The first half of the rounds warms the engine up (tier-up); only the rest counts.
            if round < ROUNDS / 2 {
                continue;
            }
            let e = by_format.entry(s.files[0].format.clone()).or_default();
            e.0 += bytes;
            e.1 += ms;
            e.2 = s.records.len();
            total.0 += bytes;
            total.1 += ms;
        }
        console_log!("round {round}: {:.1} MB/s", round_bytes as f64 / 1e3 / (now_ms() - r0).max(0.001));
    }
    let counted = (ROUNDS - ROUNDS / 2) as f64;
    for (format, (bytes, ms, records)) in &by_format {
        console_log!(
            "{format:28} {:8.1} MB/s  {:7} bytes/round  {records} records  {:6.2} ms/round",
            *bytes as f64 / 1e3 / ms.max(0.001),
            *bytes as f64 / counted,
            ms / counted
        );
    }
    console_log!("{:28} {:8.1} MB/s", "all", total.0 as f64 / 1e3 / total.1.max(0.001));
    assert!(by_format.len() > 10, "the day holds the seed formats");
}

/// The page's pipeline over ~100 MiB (13 site days) in one engine, twice: the first pass runs while
/// the engine still compiles the hot functions (tier-up), the second with them compiled.
#[test]
#[ignore = "a measurement, not a test: run it with --include-ignored (see the top of the file)"]
fn pipeline_cold_and_warm() {
    let days: Vec<Vec<(String, String)>> = (0..13).map(|d| switchboard::bench::day_files(d, d * 1000, switchboard::bench::AGENTS_PER_DAY)).collect();
    for pass in ["cold", "warm", "warm"] {
        let (mut t_ingest, mut t_parse, mut bytes) = (0f64, 0f64, 0u64);
        let mut s = Session::new();
        for day in &days {
            for (name, text) in day {
                let t0 = now_ms();
                let mut files: Vec<LogFile> = Vec::new();
                let b = text.as_bytes().to_vec();
                let len = b.len() as u64;
                bytes += len;
                block_on(ingest(name, std::io::Cursor::new(b), len, &Limits::default(), &mut LoadState::default(), &mut files, &mut NoPause))
                    .expect("not cancelled");
                let t1 = now_ms();
                for f in files {
                    if let Some(mut p) = s.begin_file(f) {
                        while !s.parse_step(&mut p, 50_000) {}
                    }
                }
                let t2 = now_ms();
                t_ingest += t1 - t0;
                t_parse += t2 - t1;
            }
        }
        let t0 = now_ms();
        s.finish_index();
        let t_index = now_ms() - t0;
        let mb = bytes as f64 / 1e6;
        console_log!(
            "{pass}: {mb:.1} MB, {} records; ingest {:.0} MB/s, parse {:.0} MB/s, index {:.0} MB/s, parse+index {:.0} MB/s, all {:.0} MB/s",
            s.records.len(),
            mb / t_ingest * 1e3,
            mb / t_parse * 1e3,
            mb / t_index * 1e3,
            mb / (t_parse + t_index) * 1e3,
            mb / (t_ingest + t_parse + t_index) * 1e3
        );
        assert!(s.records.len() > 100_000);
    }
}

/// What the timeline holds in memory, by part, against the text (the ≤ 1.5× target).
#[test]
#[ignore = "a measurement, not a test: run it with --include-ignored (see the top of the file)"]
fn timeline_memory_parts() {
    let days: Vec<Vec<(String, String)>> = (0..13).map(|d| switchboard::bench::day_files(d, d * 1000, switchboard::bench::AGENTS_PER_DAY)).collect();
    let mem = wasm_memory;
    let m0 = mem();
    let mut s = Session::new();
    for day in &days {
        for (name, text) in day {
            let b = text.as_bytes().to_vec();
            let len = b.len() as u64;
            let mut files: Vec<LogFile> = Vec::new();
            block_on(ingest(name, std::io::Cursor::new(b), len, &Limits::default(), &mut LoadState::default(), &mut files, &mut NoPause))
                .expect("not cancelled");
            for f in files {
                s.add_file(f);
            }
        }
    }
    let m_parsed = mem();
    s.finish_index();
    let m1 = mem();
    console_log!(
        "wasm memory grew {:.3}x by the end of parsing, {:.3}x after clocks and order",
        (m_parsed - m0) / s.files.iter().map(|f| f.text.len()).sum::<usize>() as f64,
        (m1 - m0) / s.files.iter().map(|f| f.text.len()).sum::<usize>() as f64
    );
    let text: usize = s.files.iter().map(|f| f.text.len()).sum();
    let text_cap: usize = s.files.iter().map(|f| f.text.capacity()).sum();
    let lines: usize = s.files.iter().map(|f| f.line_starts.capacity() * std::mem::size_of::<u32>()).sum();
    let rec = s.records.len() * std::mem::size_of::<switchboard::model::Record>();
    let t = text as f64;
    console_log!(
        "text {text} B (capacity {:.3}x), line starts {:.3}x, records {} x {} B = {:.3}x, timeline {:.3}x, wasm memory grew {:.3}x",
        text_cap as f64 / t,
        lines as f64 / t,
        s.records.len(),
        std::mem::size_of::<switchboard::model::Record>(),
        rec as f64 / t,
        (s.timeline.len() * 4) as f64 / t,
        (m1 - m0) / t
    );
    let (labels, label_bytes) = switchboard::model::Sym::table_size();
    console_log!("labels: {labels}, {label_bytes} bytes");
    assert!(text > 0);
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(module = "fs")]
extern "C" {
    #[wasm_bindgen(js_name = readFileSync, catch)]
    fn read_file_sync(path: &str) -> Result<Vec<u8>, wasm_bindgen::JsValue>;
}

/// The benchmark zip (`bench-data/bench-100m.zip`) read through Node.js; None (and a note) when it
/// has not been generated.
#[cfg(target_arch = "wasm32")]
fn bench_zip() -> Option<Vec<u8>> {
    let zip = read_file_sync(concat!(env!("CARGO_MANIFEST_DIR"), "/bench-data/bench-100m.zip")).ok();
    if zip.is_none() {
        console_log!("no bench-data/bench-100m.zip: skipped");
    }
    zip
}

/// The benchmark zip (`bench-data/bench-100m.zip`, when generated) through ingest into a session,
/// as the page's worker does, with the wasm memory it took: Node.js only. Run it alone (filter
/// `bench_zip_memory`): wasm memory only grows, so tests run before it in the same engine hide
/// its growth (the same holds for `timeline_memory_parts`).
#[cfg(target_arch = "wasm32")]
#[test]
#[ignore = "a measurement, not a test: run it with --include-ignored (see the top of the file)"]
fn bench_zip_memory() {
    let Some(zip) = bench_zip() else { return };
    let mem = wasm_memory;
    let m0 = mem();
    let mut s = Session::new();
    let len = zip.len() as u64;
    let t0 = now_ms();
    block_on(ingest("bench.zip", std::io::Cursor::new(zip.as_slice()), len, &Limits::default(), &mut LoadState::default(), &mut s, &mut NoPause))
        .expect("not cancelled");
    let t1 = now_ms();
    let m1 = mem();
    s.finish_index();
    let m2 = mem();
    let text: usize = s.files.iter().map(|f| f.text.len()).sum();
    let t = text as f64;
    let chunks = s.records.len().div_ceil(1 << 14) * (1 << 14) * std::mem::size_of::<switchboard::model::Record>();
    let lines: usize = s.files.iter().map(|f| f.line_starts.capacity() * std::mem::size_of::<u32>()).sum();
    console_log!(
        "{} files, {text} B of text in {:.0} ms ({:.0} MB/s incl. parse): wasm memory grew {:.3}x after ingest + parse, {:.3}x after order; text cap {:.3}x, record chunks {:.3}x, line starts {:.3}x",
        s.files.len(),
        t1 - t0,
        t / 1e3 / (t1 - t0),
        (m1 - m0) / t,
        (m2 - m0) / t,
        s.files.iter().map(|f| f.text.capacity()).sum::<usize>() as f64 / t,
        chunks as f64 / t,
        lines as f64 / t
    );
}

/// Format detection over the benchmark zip's files (it runs every detector on each file's first
/// lines): its share of the parse phase.
#[cfg(target_arch = "wasm32")]
#[test]
#[ignore = "a measurement, not a test: run it with --include-ignored (see the top of the file)"]
fn bench_zip_detection() {
    let Some(zip) = bench_zip() else { return };
    let mut files: Vec<LogFile> = Vec::new();
    let len = zip.len() as u64;
    block_on(ingest("bench.zip", std::io::Cursor::new(zip.as_slice()), len, &Limits::default(), &mut LoadState::default(), &mut files, &mut NoPause))
        .expect("not cancelled");
    for round in 0..5 {
        let t0 = now_ms();
        let mut n = 0;
        for f in &files {
            n += switchboard::formats::detect(f).format.name.len();
        }
        console_log!("round {round}: detection of {} files {:.1} ms ({n})", files.len(), now_ms() - t0);
    }
    let samples: Vec<(String, Vec<&str>, &str)> = files
        .iter()
        .map(|f| (f.path.clone(), f.text.lines().filter(|l| !l.trim().is_empty()).take(switchboard::formats::SAMPLE_LINES).collect(), f.text.as_str()))
        .collect();
    for fmt in switchboard::formats::registry() {
        let t0 = now_ms();
        for _ in 0..3 {
            for (path, lines, text) in &samples {
                let s = switchboard::formats::Sample::new(path, lines.clone(), text);
                std::hint::black_box((fmt.detect)(&s));
            }
        }
        console_log!("{:28} {:6.2} ms", fmt.name, (now_ms() - t0) / 3.0);
    }
}

/// The whole analysis per bench shape (`hot`, `many`, `day`, 25 MB each) in one engine, twice
/// (the first pass while the engine tiers up): timeline and analysis throughput. With node's
/// `--cpu-prof` (`NODE_OPTIONS`) it gives a profile of the analysis' wasm functions.
#[test]
#[ignore = "a measurement, not a test: run it with --include-ignored (see the top of the file)"]
fn analysis_per_shape() {
    type Make = fn(u64) -> Vec<(String, String)>;
    let shapes: [(&str, Make); 3] =
        [("hot", switchboard::bench::shapes::hot_files), ("many", switchboard::bench::shapes::many_files), ("day", switchboard::bench::shapes::day_files)];
    for (name, make) in shapes {
        let texts = make(25_000_000);
        for pass in ["cold", "warm"] {
            let mut s = Session::new();
            let mut bytes = 0u64;
            let t0 = now_ms();
            for (file, text) in &texts {
                let b = text.as_bytes().to_vec();
                let len = b.len() as u64;
                bytes += len;
                let mut files: Vec<LogFile> = Vec::new();
                block_on(ingest(file, std::io::Cursor::new(b), len, &Limits::default(), &mut LoadState::default(), &mut files, &mut NoPause))
                    .expect("not cancelled");
                for f in files {
                    if let Some(mut p) = s.begin_file(f) {
                        while !s.parse_step(&mut p, 50_000) {}
                    }
                }
            }
            s.finish_index();
            let t1 = now_ms();
            s.analyze();
            let t2 = now_ms();
            let mb = bytes as f64 / 1e6;
            console_log!(
                "{name} {pass}: {mb:.1} MB, {} records, {} flows; timeline {:.0} MB/s, analysis {:.1} MB/s ({:.2} s), wasm memory {:.0} MB",
                s.records.len(),
                s.flows.len(),
                mb / (t1 - t0) * 1e3,
                mb / (t2 - t1) * 1e3,
                (t2 - t1) / 1e3,
                wasm_memory() / 1e6
            );
            assert!(!s.flows.is_empty());
        }
    }
}
