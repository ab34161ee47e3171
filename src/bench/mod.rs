//! Benchmark data and native timings.
//!
//! `generate` writes a deterministic bundle of about N bytes (uncompressed) in the seed formats by
//! repeating the demo incident (`crate::demo`) for many agents with shifted IDs and times: one folder
//! per site day (`day-2026-03-12/01-signin/…`), ~60 agents a day whose incidents overlap, every file
//! ordered by time. Output is a zip, written member by member to a file (never the whole bundle in
//! memory, only one day of text), and optionally the same files as a folder (for tools such as lnav).
//!
//! `measure` loads a path the way the CLI does and times the phases: ingest (read, unzip, decode
//! text, split lines), parse (recognise formats, split records into index entries: time,
//! component, severity, name), timeline (clocks, UTC times, order: the merged view is usable),
//! analyze (decode every record's fields with the protocol decoders, ID index, flows, findings,
//! state timelines); `finish` = timeline + analyze. Peak resident memory (VmHWM) is read after the
//! timeline and at the end.
//!
//! CLI: `switchboard gen-bench --size 100MiB --out bench-data/bench-100m.zip [--folder DIR]` and
//! `switchboard gen-bench --measure PATH` (prints one JSON object).

pub mod phases;
pub mod shapes;

use crate::demo::{write_incident, Files, Incident, DEMO_DATE};
#[cfg(not(target_arch = "wasm32"))]
use std::io::Write;
#[cfg(not(target_arch = "wasm32"))]
use std::path::Path;

/// Agents whose incidents share one site day.
pub const AGENTS_PER_DAY: u32 = 60;
/// Seconds between the incidents of two agents of the same day.
pub const AGENT_STAGGER_MS: i64 = 1_700;

/// `100MiB`, `1GiB`, `500MB`, `64k`, `12345` → bytes.
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let v: f64 = num.parse().ok()?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kib" => 1024.0,
        "kb" => 1e3,
        "m" | "mib" => 1024.0 * 1024.0,
        "mb" => 1e6,
        "g" | "gib" => 1024.0 * 1024.0 * 1024.0,
        "gb" => 1e9,
        _ => return None,
    };
    let b = v * mult;
    (b.is_finite() && (0.0..1e15).contains(&b)).then_some(b as u64)
}

/// What `generate` wrote.
#[derive(Debug, Default, Clone)]
pub struct GenStats {
    pub bytes: u64,
    pub files: u64,
    pub days: u32,
    pub incidents: u32,
}

/// The files of day `day` (0 = the demo's day) with incidents `first..first+count`.
pub fn day_files(day: u32, first: u32, count: u32) -> Vec<(String, String)> {
    let days0 = crate::time::days_from_civil(DEMO_DATE.0, DEMO_DATE.1, DEMO_DATE.2);
    let date = crate::time::civil_from_days(days0 + day as i64);
    let root = format!("day-{:04}-{:02}-{:02}/", date.0, date.1, date.2);
    let mut files = Files::default();
    for k in 0..count {
        let mut inc = Incident::new(first + k, date, k as i64 * AGENT_STAGGER_MS);
        inc.shared_files = true;
        write_incident(&inc, &root, &mut files);
    }
    files.finish()
}

/// Where generated files go: a zip written member by member, and optionally a folder.
#[cfg(not(target_arch = "wasm32"))]
struct Out<'a> {
    zip: zip::ZipWriter<std::io::BufWriter<std::fs::File>>,
    folder: Option<&'a Path>,
    stats: GenStats,
}

#[cfg(not(target_arch = "wasm32"))]
impl<'a> Out<'a> {
    fn create(zip_path: &Path, folder: Option<&'a Path>) -> std::io::Result<Self> {
        if let Some(parent) = zip_path.parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
        let out = std::fs::File::create(zip_path)?;
        Ok(Out { zip: zip::ZipWriter::new(std::io::BufWriter::with_capacity(1 << 20, out)), folder, stats: GenStats::default() })
    }

    fn write(&mut self, files: Vec<(String, String)>) -> std::io::Result<()> {
        use std::io::Error;
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).compression_level(Some(1)).large_file(true);
        for (name, text) in files {
            self.zip.start_file(name.as_str(), opts).map_err(|e| Error::other(e.to_string()))?;
            self.zip.write_all(text.as_bytes())?;
            if let Some(dir) = self.folder {
                let p = dir.join(&name);
                if let Some(parent) = p.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&p, text.as_bytes())?;
            }
            self.stats.bytes += text.len() as u64;
            self.stats.files += 1;
        }
        Ok(())
    }

    fn finish(self) -> std::io::Result<GenStats> {
        let mut w = self.zip.finish().map_err(|e| std::io::Error::other(e.to_string()))?;
        w.flush()?;
        Ok(self.stats)
    }
}

/// Writes about `size` bytes of logs as a zip at `zip_path` (and as plain files under `folder`).
#[cfg(not(target_arch = "wasm32"))]
pub fn generate(size: u64, zip_path: &Path, folder: Option<&Path>) -> std::io::Result<GenStats> {
    generate_shape(shapes::Shape::Incidents, size, zip_path, folder)
}

/// Writes about `size` bytes of logs of one shape (see `shapes`).
#[cfg(not(target_arch = "wasm32"))]
pub fn generate_shape(shape: shapes::Shape, size: u64, zip_path: &Path, folder: Option<&Path>) -> std::io::Result<GenStats> {
    let mut out = Out::create(zip_path, folder)?;
    match shape {
        shapes::Shape::Incidents => {
            // One incident is ~140 KB; estimate it once so a day can be cut short at the target size.
            let per_incident = day_files(0, 0, 1).iter().map(|(_, t)| t.len() as u64).sum::<u64>().max(1);
            let mut day = 0u32;
            while out.stats.bytes < size {
                let left = size - out.stats.bytes;
                let count = (left.div_ceil(per_incident)).min(AGENTS_PER_DAY as u64).max(1) as u32;
                let first = day * AGENTS_PER_DAY;
                out.write(day_files(day, first, count))?;
                out.stats.incidents += count;
                out.stats.days += 1;
                day += 1;
                if day > 3000 {
                    break;
                }
            }
        }
        shapes::Shape::Hot => out.write(shapes::hot_files(size))?,
        shapes::Shape::Many => out.write(shapes::many_files(size))?,
        shapes::Shape::Day => out.write(shapes::day_files(size))?,
        shapes::Shape::Small => out.write(shapes::small_files(size))?,
    }
    out.finish()
}

/// Peak resident set size of this process (VmHWM), in bytes, where /proc is available.
pub fn peak_rss_bytes() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Loads `path` like `switchboard analyze` and times each phase. Returns a JSON object.
#[cfg(not(target_arch = "wasm32"))]
pub fn measure(path: &Path, index_only: bool, answers: bool) -> serde_json::Value {
    use crate::ingest::{ingest_path, Limits, LoadState};
    use crate::model::LogFile;
    use crate::session::Session;
    use std::time::Instant;
    let limits = Limits::default();
    let mut state = LoadState::default();
    let t0 = Instant::now();
    let mut loaded: Vec<LogFile> = Vec::new();
    ingest_path(path, &limits, &mut state, &mut loaded);
    let t_ingest = t0.elapsed().as_secs_f64();
    let bytes: u64 = loaded.iter().map(|f| f.text.len() as u64).sum();
    let files = loaded.len();
    let not_loaded = loaded.iter().filter(|f| f.status != crate::model::FileStatus::Loaded).count();
    let t1 = Instant::now();
    let mut session = Session::new();
    for f in loaded {
        session.add_file(f);
    }
    let t_parse = t1.elapsed().as_secs_f64();
    let parse_peak = peak_rss_bytes();
    let t2 = Instant::now();
    session.finish_index();
    let t_timeline = t2.elapsed().as_secs_f64();
    let timeline_peak = peak_rss_bytes();
    let t3 = Instant::now();
    phases::start();
    if !index_only {
        session.analyze();
    }
    let t_analyze = t3.elapsed().as_secs_f64();
    let analysis_phases: serde_json::Map<String, serde_json::Value> =
        phases::take().into_iter().map(|(k, v)| (k.to_string(), serde_json::json!((v * 1000.0).round() / 1000.0))).collect();
    let t_finish = t_timeline + t_analyze;
    let records = session.records.len();
    let timed = session.records.iter().filter(|r| r.utc_ms().is_some()).count();
    let mb = bytes as f64 / 1e6;
    let rate = |s: f64| if s > 0.0 { (mb / s * 10.0).round() / 10.0 } else { 0.0 };
    let peak = peak_rss_bytes();
    let total = t_ingest + t_parse + t_finish;
    let answers = if answers { answer_times(session) } else { serde_json::Value::Null };
    let mut out = serde_json::json!({
        "path": path.display().to_string(),
        "files": files,
        "files_not_loaded": not_loaded,
        "records": records,
        "records_with_utc": timed,
        "text_bytes": bytes,
        "ingest_s": t_ingest,
        "parse_s": t_parse,
        "finish_s": t_finish,
        "timeline_s": t_timeline,
        "analyze_s": t_analyze,
        "timeline_mb_s": rate(t_timeline),
        "analyze_mb_s": rate(t_analyze),
        "parse_timeline_mb_s": rate(t_parse + t_timeline),
        "peak_rss_timeline_bytes": timeline_peak,
        "peak_rss_timeline_x_text": timeline_peak.map(|p| if bytes > 0 { (p as f64 / bytes as f64 * 100.0).round() / 100.0 } else { 0.0 }),
        "total_s": total,
        "ingest_mb_s": rate(t_ingest),
        "parse_mb_s": rate(t_parse),
        "finish_mb_s": rate(t_finish),
        "parse_index_mb_s": rate(t_parse + t_finish),
        "end_to_end_mb_s": rate(total),
        "analysis_phases_s": analysis_phases,
        "peak_rss_bytes": peak,
        "peak_rss_after_parse_bytes": parse_peak,
        "peak_rss_x_text": peak.map(|p| if bytes > 0 { (p as f64 / bytes as f64 * 100.0).round() / 100.0 } else { 0.0 }),
    });
    if !answers.is_null() {
        out["answers"] = answers;
    }
    out
}

/// What the page asks the worker once a load is ready, timed natively: seconds to answer and
/// bytes of the JSON reply each (the worker answers one request at a time, so a slow one holds
/// back the timeline's rows asked after it).
#[cfg(not(target_arch = "wasm32"))]
fn answer_times(session: crate::session::Session) -> serde_json::Value {
    use crate::answers::FlowQuery;
    use crate::query::{Filter, Request};
    use std::time::Instant;
    let mut engine = crate::query::Engine::new();
    engine.session = session;
    engine.refresh_index();
    let asks: [(&str, Request); 5] = [
        ("histogram", Request::Histogram { filter: Filter::default(), buckets: 400 }),
        ("rows", Request::Rows { filter: Filter::default(), start: 0, count: 100 }),
        ("states", Request::States),
        ("findings", Request::Findings),
        ("flow_list", Request::FlowList { query: FlowQuery::default(), start: 0, count: 200 }),
    ];
    let mut out = serde_json::Map::new();
    for (name, req) in asks {
        let t = Instant::now();
        let answer = engine.handle(req);
        let seconds = t.elapsed().as_secs_f64();
        let bytes = serde_json::to_vec(&answer).map_or(0, |v| v.len());
        out.insert(name.to_string(), serde_json::json!({ "s": (seconds * 1000.0).round() / 1000.0, "json_bytes": bytes }));
    }
    serde_json::Value::Object(out)
}

/// `switchboard gen-bench …`. Returns the process exit status.
#[cfg(not(target_arch = "wasm32"))]
pub fn cli(args: &[String]) -> i32 {
    const USAGE: &str = "usage:
  switchboard gen-bench --size SIZE --out FILE.zip [--folder DIR] [--shape incidents|hot|many|day|small]
                                                                   write benchmark logs (SIZE: 100MiB, 1GiB, …; shapes: bench::shapes)
  switchboard gen-bench --measure PATH [--index-only] [--answers]  time ingest / parse / timeline / analyze of PATH (JSON);
                                                                   --index-only stops when the timeline is ready (profiling);
                                                                   --answers times the page's asks at ready (rows, findings, …)";
    let mut size = None;
    let mut out = None;
    let mut folder = None;
    let mut measure_path = None;
    let mut shape = shapes::Shape::Incidents;
    let mut index_only = false;
    let mut answers = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--index-only" {
            index_only = true;
            continue;
        }
        if a == "--answers" {
            answers = true;
            continue;
        }
        let v = match a.as_str() {
            "--size" | "--out" | "--folder" | "--measure" | "--shape" => match it.next() {
                Some(v) => v.clone(),
                None => {
                    eprintln!("{a} needs a value\n{USAGE}");
                    return 2;
                }
            },
            _ => {
                eprintln!("unknown argument {a}\n{USAGE}");
                return 2;
            }
        };
        match a.as_str() {
            "--size" => size = Some(v),
            "--out" => out = Some(v),
            "--folder" => folder = Some(v),
            "--shape" => match shapes::Shape::parse(&v) {
                Some(sh) => shape = sh,
                None => {
                    eprintln!("unknown shape {v}\n{USAGE}");
                    return 2;
                }
            },
            _ => measure_path = Some(v),
        }
    }
    if let Some(p) = measure_path {
        let v = measure(Path::new(&p), index_only, answers);
        println!("{v}");
        return if v["files"].as_u64().unwrap_or(0) > 0 && v["files_not_loaded"].as_u64() == Some(0) { 0 } else { 1 };
    }
    let (Some(size), Some(out)) = (size, out) else {
        eprintln!("{USAGE}");
        return 2;
    };
    let Some(bytes) = parse_size(&size) else {
        eprintln!("bad size {size:?}\n{USAGE}");
        return 2;
    };
    match generate_shape(shape, bytes, Path::new(&out), folder.as_deref().map(Path::new)) {
        Ok(st) => {
            println!(
                "{{\"out\":{:?},\"shape\":\"{}\",\"bytes\":{},\"files\":{},\"days\":{},\"incidents\":{}}}",
                out,
                shape.name(),
                st.bytes,
                st.files,
                st.days,
                st.incidents
            );
            0
        }
        Err(e) => {
            eprintln!("{out}: {e}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("100MiB"), Some(100 << 20));
        assert_eq!(parse_size("1GiB"), Some(1 << 30));
        assert_eq!(parse_size("500MB"), Some(500_000_000));
        assert_eq!(parse_size("12345"), Some(12345));
        assert_eq!(parse_size("1.5k"), Some(1536));
        assert_eq!(parse_size("x"), None);
        assert_eq!(parse_size("5 parsecs"), None);
    }
}
