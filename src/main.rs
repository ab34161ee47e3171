//! The CLI twin of the page: the same core, natively.
//!
//! `switchboard analyze [--json] PATH...`  a PATH is a file, a folder or an archive.
//! `switchboard demo --out DIR`            writes the demo bundle the page embeds.
//! Exit status: 0 success, 1 some input had problems (everything that loaded is still printed),
//! 2 usage error.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::run(std::env::args().skip(1).collect()));
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use switchboard::ingest::{ingest_path, Limits, LoadState};
    use switchboard::session::Session;

    const USAGE: &str = "usage:
  switchboard analyze [--json] [--max-total-bytes N] PATH...   parse files, folders, archives, HAR
  switchboard demo --out DIR                                    write the demo bundle
  switchboard sanitize --out FILE.zip [--pattern REGEX]... PATH...
                                                                export the logs with secrets masked
  switchboard findings-doc                                      the findings catalogue as Markdown (docs/findings.md)
  switchboard gen-bench --size 100MiB --out FILE.zip [--folder DIR]   write benchmark logs
  switchboard gen-bench --measure PATH                          time ingest/parse/finish (JSON)
  switchboard --version";

    pub fn run(args: Vec<String>) -> i32 {
        match args.first().map(String::as_str) {
            Some("analyze") => analyze(&args[1..]),
            Some("demo") => demo(&args[1..]),
            Some("sanitize") => sanitize(&args[1..]),
            Some("gen-bench") => switchboard::bench::cli(&args[1..]),
            Some("findings-doc") => {
                print!("{}", switchboard::correlate::catalogue::markdown());
                0
            }
            Some("--version") | Some("-V") => {
                println!("switchboard {}", switchboard::VERSION);
                0
            }
            Some("--help") | Some("-h") => {
                println!("{USAGE}");
                0
            }
            _ => {
                eprintln!("{USAGE}");
                2
            }
        }
    }

    fn analyze(args: &[String]) -> i32 {
        let mut json = false;
        let mut limits = Limits::default();
        let mut paths = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--json" => json = true,
                "--max-total-bytes" => match it.next().and_then(|v| v.parse().ok()) {
                    Some(n) => limits.max_total_bytes = n,
                    None => {
                        eprintln!("--max-total-bytes needs a number of bytes\n{USAGE}");
                        return 2;
                    }
                },
                s if s.starts_with("--") => {
                    eprintln!("unknown option {s}\n{USAGE}");
                    return 2;
                }
                _ => paths.push(a.clone()),
            }
        }
        if paths.is_empty() {
            eprintln!("analyze needs at least one PATH\n{USAGE}");
            return 2;
        }
        let mut session = Session::new();
        let mut state = LoadState::default();
        for p in &paths {
            ingest_path(std::path::Path::new(p), &limits, &mut state, &mut session);
        }
        session.finish();
        let out = if json {
            match serde_json::to_string(&switchboard::report::to_json(&session)) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("could not write the JSON report: {e}");
                    return 1;
                }
            }
        } else {
            switchboard::report::to_text(&session)
        };
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(out.as_bytes());
        let _ = stdout.write_all(b"\n");
        if session.had_problems() {
            1
        } else {
            0
        }
    }

    fn sanitize(args: &[String]) -> i32 {
        let mut out = None;
        let mut patterns = Vec::new();
        let mut paths = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--out" => out = it.next().cloned(),
                "--pattern" => match it.next() {
                    Some(p) => patterns.push(p.clone()),
                    None => {
                        eprintln!("--pattern needs a regex\n{USAGE}");
                        return 2;
                    }
                },
                s if s.starts_with("--") => {
                    eprintln!("unknown option {s}\n{USAGE}");
                    return 2;
                }
                _ => paths.push(a.clone()),
            }
        }
        let (Some(out), false) = (out, paths.is_empty()) else {
            eprintln!("sanitize needs --out FILE.zip and at least one PATH\n{USAGE}");
            return 2;
        };
        let extra = match switchboard::export::compile_patterns(&patterns) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("{e}");
                return 2;
            }
        };
        let mut session = Session::new();
        let mut state = LoadState::default();
        for p in &paths {
            ingest_path(std::path::Path::new(p), &Limits::default(), &mut state, &mut session);
        }
        match switchboard::export::sanitized_zip(&session, &extra) {
            Ok((bytes, hits)) => {
                if let Err(e) = std::fs::write(&out, bytes) {
                    eprintln!("{out}: {e}");
                    return 1;
                }
                for h in &hits {
                    println!("{}:{} {} | {}", h.file, h.line, h.kind, h.preview);
                }
                println!("{} values masked; wrote {out}", hits.len());
                if session.had_problems() {
                    1
                } else {
                    0
                }
            }
            Err(e) => {
                eprintln!("could not write the export: {e}");
                1
            }
        }
    }

    fn demo(args: &[String]) -> i32 {
        let out = match args {
            [flag, dir] if flag == "--out" => std::path::PathBuf::from(dir),
            _ => {
                eprintln!("{USAGE}");
                return 2;
            }
        };
        for (name, text) in switchboard::demo::bundle() {
            let path = out.join(&name);
            if let Some(parent) = path.parent() {
                if let Err(e) = std::fs::create_dir_all(parent) {
                    eprintln!("{}: {e}", parent.display());
                    return 1;
                }
            }
            if let Err(e) = std::fs::write(&path, text) {
                eprintln!("{}: {e}", path.display());
                return 1;
            }
        }
        0
    }
}
