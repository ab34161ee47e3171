//! The CLI twin of the page: the same core, natively.
//!
//! `switchboard analyze [--json] PATH...`  a PATH is a file, a folder, an archive or a session file.
//! `switchboard report --out FILE.html ...` the case report (self-contained HTML, Markdown twin).
//! `switchboard sanitize --out FILE.zip ...` the logs with secrets (and personal data) masked.
//! `switchboard session --out FILE.switchboard ...` the inputs and annotations as one session file.
//! `switchboard demo --out DIR`            writes the demo bundle the page embeds.
//! Exit status: 0 success, 1 some input had problems (everything that loaded is still used),
//! 2 usage error.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::run(std::env::args().skip(1).collect()));
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::collections::HashMap;
    use switchboard::annotations::Annotations;
    use switchboard::ingest::{ingest_path, Limits, LoadState};
    use switchboard::session::Session;
    use switchboard::workspace::Restoring;

    const USAGE: &str = "usage:
  switchboard analyze [--json] [--max-total-bytes N] PATH...   parse files, folders, archives, HAR, session files
  switchboard report --out FILE.html [--markdown FILE.md] [--flows all|none|KIND,INDEX...]
                     [--annotations FILE.json] [--sanitize [--personal] [--key HEX32] [--pattern REGEX]...] PATH...
                                                                the case report: one self-contained HTML file
  switchboard sanitize --out FILE.zip [--pattern REGEX]... [--personal [--key HEX32] [--mapping FILE.csv]] PATH...
                                                                export the logs with secrets masked (and personal
                                                                data replaced by consistent pseudonyms)
  switchboard session --out FILE.switchboard [--annotations FILE.json] PATH...
                                                                save the inputs, clocks and annotations as one file
  switchboard demo --out DIR                                    write the demo bundle
  switchboard findings-doc                                      the findings catalogue as Markdown (docs/findings.md)
  switchboard gen-bench --size 100MiB --out FILE.zip [--folder DIR]   write benchmark logs
  switchboard gen-bench --measure PATH                          time ingest/parse/finish (JSON)
  switchboard --version";

    pub fn run(args: Vec<String>) -> i32 {
        match args.first().map(String::as_str) {
            Some("analyze") => analyze(&args[1..]),
            Some("demo") => demo(&args[1..]),
            Some("sanitize") => sanitize(&args[1..]),
            Some("report") => report(&args[1..]),
            Some("session") => session_file(&args[1..]),
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

    /// A command's options: flags with a value (repeatable), switches, and the paths.
    struct Parsed {
        values: HashMap<&'static str, Vec<String>>,
        switches: Vec<&'static str>,
        paths: Vec<String>,
    }

    impl Parsed {
        fn one(&self, flag: &str) -> Option<&str> {
            self.values.get(flag).and_then(|v| v.last()).map(String::as_str)
        }
        fn all(&self, flag: &str) -> Vec<String> {
            self.values.get(flag).cloned().unwrap_or_default()
        }
        fn on(&self, switch: &str) -> bool {
            self.switches.contains(&switch)
        }
    }

    /// Parses `args` against the flags a command takes; the error is the usage message to print.
    fn parse(args: &[String], with_value: &[&'static str], switches: &[&'static str]) -> Result<Parsed, String> {
        let mut p = Parsed { values: HashMap::new(), switches: Vec::new(), paths: Vec::new() };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if let Some(&flag) = with_value.iter().find(|f| **f == a) {
                match it.next() {
                    Some(v) => p.values.entry(flag).or_default().push(v.clone()),
                    None => return Err(format!("{flag} needs a value")),
                }
            } else if let Some(&s) = switches.iter().find(|s| **s == a) {
                p.switches.push(s);
            } else if a.starts_with("--") {
                return Err(format!("unknown option {a}"));
            } else {
                p.paths.push(a.clone());
            }
        }
        Ok(p)
    }

    fn usage_error(msg: &str) -> i32 {
        eprintln!("{msg}\n{USAGE}");
        2
    }

    /// Loads the inputs as `analyze` does (session files restore their clocks and annotations);
    /// `finish` also runs correlation.
    fn load(paths: &[String], limits: &Limits, finish: bool) -> (Session, Annotations) {
        let mut session = Session::new();
        let mut state = LoadState::default();
        let mut sink = Restoring::new(&mut session);
        for p in paths {
            ingest_path(std::path::Path::new(p), limits, &mut state, &mut sink);
        }
        let notes = sink.finish();
        if finish {
            session.finish();
        }
        (session, notes)
    }

    /// Reads `--annotations FILE.json` into `notes` (added to what session files carried).
    fn read_annotations(p: &Parsed, notes: &mut Annotations) -> Result<(), String> {
        for path in p.all("--annotations") {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            notes.merge(Annotations::from_json(&text).map_err(|e| format!("{path}: {e}"))?);
        }
        Ok(())
    }

    /// The sanitizer options from `--personal`, `--key` and `--pattern`.
    fn sanitize_options(p: &Parsed) -> Result<switchboard::sanitize::Options, String> {
        let patterns = switchboard::export::compile_patterns(&p.all("--pattern"))?;
        let key = match p.one("--key") {
            Some(k) => switchboard::sanitize::key_from_hex(k).map_err(|e| format!("--key: {e}"))?,
            None => switchboard::sanitize::random_key(),
        };
        Ok(switchboard::sanitize::Options { personal: p.on("--personal"), patterns, key })
    }

    /// Prints a document and a newline (a closed pipe is not an error worth a panic).
    fn print_out(text: &str) {
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.write_all(b"\n");
    }

    fn write_file(path: &str, bytes: &[u8]) -> Result<(), i32> {
        std::fs::write(path, bytes).map_err(|e| {
            eprintln!("{path}: {e}");
            1
        })
    }

    fn exit_for(session: &Session) -> i32 {
        i32::from(session.had_problems())
    }

    fn analyze(args: &[String]) -> i32 {
        let p = match parse(args, &["--max-total-bytes"], &["--json"]) {
            Ok(p) => p,
            Err(e) => return usage_error(&e),
        };
        let mut limits = Limits::default();
        if let Some(v) = p.one("--max-total-bytes") {
            match v.parse() {
                Ok(n) => limits.max_total_bytes = n,
                Err(_) => return usage_error("--max-total-bytes needs a number of bytes"),
            }
        }
        if p.paths.is_empty() {
            return usage_error("analyze needs at least one PATH");
        }
        let (session, _) = load(&p.paths, &limits, true);
        if p.on("--json") {
            use std::io::Write;
            // Streamed: a flow, finding or state at a time, so the document never sits whole in memory.
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            if let Err(e) = switchboard::report::write_json(&session, &mut stdout).and_then(|_| stdout.write_all(b"\n")).and_then(|_| stdout.flush()) {
                eprintln!("could not write the JSON report: {e}");
                return 1;
            }
        } else {
            print_out(&switchboard::report::to_text(&session));
        }
        exit_for(&session)
    }

    fn sanitize(args: &[String]) -> i32 {
        let p = match parse(args, &["--out", "--pattern", "--key", "--mapping"], &["--personal"]) {
            Ok(p) => p,
            Err(e) => return usage_error(&e),
        };
        let (Some(out), false) = (p.one("--out"), p.paths.is_empty()) else {
            return usage_error("sanitize needs --out FILE.zip and at least one PATH");
        };
        let mapping = p.one("--mapping");
        if mapping.is_some() && !p.on("--personal") {
            return usage_error("--mapping needs --personal (without it nothing is pseudonymised)");
        }
        let opts = match sanitize_options(&p) {
            Ok(o) => o,
            Err(e) => return usage_error(&e),
        };
        let (session, _) = load(&p.paths, &Limits::default(), false);
        let export = match switchboard::export::export_zip(&session, &opts) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("could not write the export: {e}");
                return 1;
            }
        };
        if let Err(code) = write_file(out, &export.bytes) {
            return code;
        }
        if let Some(m) = mapping {
            if let Err(code) = write_file(m, export.mapping.as_bytes()) {
                return code;
            }
        }
        let note = mapping.map(|m| format!(" (pseudonym key to the values: {m}; keep it, never send it)")).unwrap_or_default();
        let pv = &export.preview;
        print_out(&format!(
            "{}\nSamples (from the masked files):\n{}wrote {out}{note}",
            switchboard::export::summary_text(pv),
            switchboard::export::samples_text(pv)
        ));
        exit_for(&session)
    }

    fn report(args: &[String]) -> i32 {
        let p = match parse(args, &["--out", "--markdown", "--flows", "--annotations", "--pattern", "--key"], &["--sanitize", "--personal"]) {
            Ok(p) => p,
            Err(e) => return usage_error(&e),
        };
        let (Some(out), false) = (p.one("--out"), p.paths.is_empty()) else {
            return usage_error("report needs --out FILE.html and at least one PATH");
        };
        if (p.on("--personal") || p.one("--key").is_some() || p.one("--pattern").is_some()) && !p.on("--sanitize") {
            return usage_error("--personal, --key and --pattern go with --sanitize");
        }
        let sanitize = match p.on("--sanitize").then(|| sanitize_options(&p)).transpose() {
            Ok(s) => s,
            Err(e) => return usage_error(&e),
        };
        let (session, mut notes) = load(&p.paths, &Limits::default(), true);
        if let Err(e) = read_annotations(&p, &mut notes) {
            eprintln!("{e}");
            return 2;
        }
        let mut opts = switchboard::report::case::Options {
            flows: switchboard::report::case::FlowChoice::parse(p.one("--flows").unwrap_or("all")),
            sanitize,
            generated: now_text(),
            ..Default::default()
        };
        if p.one("--flows").is_some() {
            // Flows asked for by name are all drawn, however many.
            opts.max_flows = usize::MAX;
        }
        let r = switchboard::report::case::build(&session, &notes, &opts);
        if let Err(code) = write_file(out, r.html.as_bytes()) {
            return code;
        }
        if let Some(md) = p.one("--markdown") {
            if let Err(code) = write_file(md, r.markdown.as_bytes()) {
                return code;
            }
        }
        print_out(&format!(
            "wrote {out}{}: {} files, {} findings, {} flows{}",
            p.one("--markdown").map(|m| format!(" and {m}")).unwrap_or_default(),
            session.files.len(),
            session.findings.len(),
            session.flows.len(),
            r.masked.map(|m| format!(", {} values masked", m.total)).unwrap_or_default()
        ));
        exit_for(&session)
    }

    fn session_file(args: &[String]) -> i32 {
        let p = match parse(args, &["--out", "--annotations"], &[]) {
            Ok(p) => p,
            Err(e) => return usage_error(&e),
        };
        let (Some(out), false) = (p.one("--out"), p.paths.is_empty()) else {
            return usage_error("session needs --out FILE.switchboard and at least one PATH");
        };
        let (mut session, mut notes) = load(&p.paths, &Limits::default(), false);
        if let Err(e) = read_annotations(&p, &mut notes) {
            eprintln!("{e}");
            return 2;
        }
        // Clocks as the timeline uses them (inferred ones too; only those set by hand are kept as set).
        session.finish_index();
        let bytes = match switchboard::workspace::save(&session, &notes) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("could not write the session file: {e}");
                return 1;
            }
        };
        if let Err(code) = write_file(out, &bytes) {
            return code;
        }
        print_out(&format!("wrote {out}: {} files, {} bookmarks, {} filters", session.files.len(), notes.bookmarks.len(), notes.filters.len()));
        exit_for(&session)
    }

    /// The current time, for the report's "made on" line.
    fn now_text() -> String {
        let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
        let iso = switchboard::time::iso_utc(ms);
        format!("{} {} UTC", iso.get(..10).unwrap_or(""), iso.get(11..16).unwrap_or(""))
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
