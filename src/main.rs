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
  switchboard sanitize --out FILE.zip [--pattern REGEX]... [--personal [--key HEX32] [--mapping FILE.csv]] PATH...
                                                                export the logs with secrets masked (and personal
                                                                data replaced by consistent pseudonyms)
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
        print_out(&out);
        if session.had_problems() {
            1
        } else {
            0
        }
    }

    fn sanitize(args: &[String]) -> i32 {
        let mut out = None;
        let mut patterns = Vec::new();
        let mut personal = false;
        let mut key = None;
        let mut mapping = None;
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
                "--personal" => personal = true,
                "--key" => match it.next().map(|k| switchboard::sanitize::key_from_hex(k)) {
                    Some(Ok(k)) => key = Some(k),
                    Some(Err(e)) => {
                        eprintln!("--key: {e}\n{USAGE}");
                        return 2;
                    }
                    None => {
                        eprintln!("--key needs 32 hex digits\n{USAGE}");
                        return 2;
                    }
                },
                "--mapping" => mapping = it.next().cloned(),
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
        if mapping.is_some() && !personal {
            eprintln!("--mapping needs --personal (without it nothing is pseudonymised)\n{USAGE}");
            return 2;
        }
        let extra = match switchboard::export::compile_patterns(&patterns) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("{e}");
                return 2;
            }
        };
        let opts = switchboard::sanitize::Options { personal, patterns: extra, key: key.unwrap_or_else(switchboard::sanitize::random_key) };
        let session = load(&paths, &Limits::default(), false);
        match switchboard::export::export_zip(&session, &opts) {
            Ok(export) => {
                if let Err(e) = std::fs::write(&out, &export.bytes) {
                    eprintln!("{out}: {e}");
                    return 1;
                }
                if let Some(m) = &mapping {
                    if let Err(e) = std::fs::write(m, &export.mapping) {
                        eprintln!("{m}: {e}");
                        return 1;
                    }
                }
                let note = mapping.map(|m| format!(" (pseudonym key to the values: {m}; keep it, never send it)")).unwrap_or_default();
                let p = &export.preview;
                print_out(&format!(
                    "{}\nSamples (from the masked files):\n{}wrote {out}{note}",
                    switchboard::export::summary_text(p),
                    switchboard::export::samples_text(p)
                ));
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

    /// Prints a document and a newline (a closed pipe is not an error worth a panic).
    fn print_out(text: &str) {
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.write_all(b"\n");
    }

    /// Loads the inputs as `analyze` does; `finish` also runs correlation.
    fn load(paths: &[String], limits: &Limits, finish: bool) -> Session {
        let mut session = Session::new();
        let mut state = LoadState::default();
        for p in paths {
            ingest_path(std::path::Path::new(p), limits, &mut state, &mut session);
        }
        if finish {
            session.finish();
        }
        session
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
