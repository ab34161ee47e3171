//! A session: everything loaded so far, merged on one timeline, with flows and findings.
//! The CLI builds one per run; the page's worker keeps one and adds to it as files arrive.

use crate::correlate::{Finding, Flows};
use crate::formats;
use crate::ingest::Sink;
use crate::model::{FileStatus, LogFile, Record, Records};

/// How well a file was read: shares (0..=1) of its lines its family's grammar read, of its lines
/// inside records with a time, and of its records with a message name; `why` says what lowers them.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Coverage {
    pub lines: f64,
    pub timed: f64,
    pub named: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<String>,
}

/// A file whose records are being read in steps (`Session::begin_file`).
pub struct PendingParse {
    pub file: u32,
    format: &'static formats::Format,
    next_line: usize,
}

/// An analysis in progress (`Session::begin_analysis`): the records decoded so far, reduced to
/// what correlation needs (see `correlate::Pass`).
pub struct Analysis {
    pass: crate::correlate::Pass,
    /// Record count when it began (a load that added files makes it stale).
    records: usize,
}

impl Analysis {
    pub fn done(&self) -> usize {
        self.pass.done()
    }
}

#[derive(Default)]
pub struct Session {
    pub files: Vec<LogFile>,
    pub records: Records,
    /// Record indices in timeline order (UTC; untimed records keep their place in their file).
    pub timeline: Vec<u32>,
    pub flows: Flows,
    pub findings: Vec<Finding>,
    /// State timelines (agent, user, dialog, contact, chat and BOSH sessions), from the last analysis.
    pub states: crate::correlate::states::States,
    /// Normalised ID → records, from the last analysis (the ID filter and ad-hoc flows use it).
    pub ids: crate::correlate::ids::IdIndex,
    /// Files whose clock the user set by hand (inference must not overwrite them).
    pub user_clocks: std::collections::BTreeSet<u32>,
    /// Files whose clocks were inferred by an earlier `finish_index` (a load finished before):
    /// later loads neither change them nor borrow from them.
    pub clocks_inferred: usize,
    /// The formats each logger's files were read as so far (detection of rolled siblings).
    families: formats::Families,
}

impl Sink for Session {
    fn file(&mut self, file: LogFile) {
        self.add_file(file);
    }
}

impl Session {
    pub fn new() -> Self {
        Self::default()
    }

    /// Recognises the file's format and parses its records (only for files that loaded).
    pub fn add_file(&mut self, file: LogFile) {
        if let Some(mut p) = self.begin_file(file) {
            while !self.parse_step(&mut p, usize::MAX) {}
        }
    }

    /// Adds a file and recognises its format; a line format is then parsed in steps
    /// (`parse_step`), a document (HAR, JSON) at once. Returns the pending parse, if any.
    pub fn begin_file(&mut self, mut file: LogFile) -> Option<PendingParse> {
        let index = self.files.len() as u32;
        let mut pending = None;
        if file.status == FileStatus::Loaded {
            file.wrappers = formats::wrapper::clean_text(&mut file);
            let found = self.families.detect(&file);
            let format = found.format;
            file.format = format.name.to_string();
            file.confidence = found.score;
            file.wrapper = found.wrapper;
            file.wrappers.extend(found.wrapper.describe());
            match format.shape {
                formats::Shape::Lines { .. } => pending = Some(PendingParse { file: index, format, next_line: 0 }),
                formats::Shape::Document { .. } => {
                    let mut out = Vec::new();
                    let problems = formats::parse_file(format, &file, index, &mut out);
                    self.records.extend(out);
                    file.problems.extend(problems);
                }
            }
        }
        self.files.push(file);
        pending
    }

    /// Reads a loaded file again as another format (the user's choice when detection guessed):
    /// its records are replaced, the timeline re-ordered; the analysis has to run again (`analyze`,
    /// or the worker's steps). Bookmarks name lines, not records, so they survive.
    pub fn set_format(&mut self, file: u32, name: &str) -> Result<(), String> {
        let format = formats::by_name(name).ok_or_else(|| format!("no format called {name}"))?;
        let f = self.files.get_mut(file as usize).ok_or_else(|| format!("no file {file}"))?;
        if f.status != FileStatus::Loaded {
            return Err(format!("{} was not loaded, so it cannot be read again", f.path));
        }
        let found = formats::detect_as(f, format);
        f.format = format.name.to_string();
        f.confidence = found.score;
        f.format_chosen = true;
        // The old wrapper's note goes; notes on what cleaning took off (ANSI, HTML) stay.
        if let Some(old) = f.wrapper.describe() {
            f.wrappers.retain(|w| *w != old);
        }
        f.wrapper = found.wrapper;
        f.wrappers.extend(found.wrapper.describe());
        self.records.retain(|r| r.file != file);
        let Some(f) = self.files.get(file as usize) else { return Ok(()) };
        match format.shape {
            formats::Shape::Lines { .. } => {
                formats::parse_lines_step(format, f, file, 0, usize::MAX, &mut self.records);
            }
            formats::Shape::Document { .. } => {
                let mut out = Vec::new();
                let problems = formats::parse_file(format, f, file, &mut out);
                self.records.extend(out);
                if let Some(f) = self.files.get_mut(file as usize) {
                    f.problems.extend(problems);
                }
            }
        }
        self.resolve_times();
        self.order_timeline();
        Ok(())
    }

    /// Adds a file read as another session read it: its format and wrapper as given, not
    /// detected, its text as it was after cleaning (a helper decoding a share of the engine's
    /// records, `share::run`).
    pub fn add_file_as(&mut self, file: LogFile) -> Result<(), String> {
        let format = formats::by_name(&file.format).ok_or_else(|| format!("{}: no format called {}", file.path, file.format))?;
        let index = self.files.len() as u32;
        self.files.push(file);
        let Some(f) = self.files.last() else { return Ok(()) };
        match format.shape {
            formats::Shape::Lines { .. } => {
                formats::parse_lines_step(format, f, index, 0, usize::MAX, &mut self.records);
            }
            formats::Shape::Document { .. } => {
                let mut out = Vec::new();
                formats::parse_file(format, f, index, &mut out);
                self.records.extend(out);
            }
        }
        Ok(())
    }

    /// A pending parse given up (Cancel): the records read so far stay, and the file says where
    /// parsing stopped.
    pub fn abandon_parse(&mut self, p: PendingParse) {
        if let Some(f) = self.files.get_mut(p.file as usize) {
            let msg = format!("{}: parsing cancelled at line {} of {}; the records before it are kept", f.path, p.next_line + 1, f.line_count());
            f.problems.push(crate::model::Problem::new("cancelled", msg));
        }
    }

    /// Parses about `max_lines` more lines of a pending file; true when the file is done.
    pub fn parse_step(&mut self, p: &mut PendingParse, max_lines: usize) -> bool {
        let Some(file) = self.files.get(p.file as usize) else { return true };
        p.next_line = formats::parse_lines_step(p.format, file, p.file, p.next_line, max_lines, &mut self.records);
        p.next_line >= file.line_count()
    }

    /// Resolves times, orders the timeline and runs correlation. Call after each batch of files.
    pub fn finish(&mut self) {
        self.finish_index();
        self.analyze();
    }

    /// The timeline without correlation: clocks, UTC times, order. What the merged view needs.
    pub fn finish_index(&mut self) {
        // Clocks the user set in the page win over inference.
        let kept: Vec<(u32, crate::model::FileClock)> =
            self.user_clocks.iter().filter_map(|&i| self.files.get(i as usize).map(|f| (i, f.clock.clone()))).collect();
        // A clock set by hand is not lent to neighbouring files: setting one file's clock in the
        // page never moves another's, so a restored session must not either.
        for (i, _) in &kept {
            if let Some(f) = self.files.get_mut(*i as usize) {
                f.clock = crate::model::FileClock::default();
            }
        }
        formats::infer_clocks(&mut self.files, &mut self.records, self.clocks_inferred);
        self.clocks_inferred = self.files.len();
        for (i, c) in kept {
            if let Some(f) = self.files.get_mut(i as usize) {
                f.clock = c;
            }
        }
        self.resolve_times();
        self.order_timeline();
    }

    /// Correlation: decodes every record once, in one streaming pass that keeps only what
    /// correlation reads (IDs, states, message types), then builds the ID index, flows, findings
    /// and state timelines, and keeps the names the decoders gave.
    pub fn analyze(&mut self) {
        let mut a = self.begin_analysis();
        #[cfg(not(target_arch = "wasm32"))]
        self.decode_in_parallel(&mut a);
        while !self.analysis_step(&mut a, usize::MAX) {}
        crate::bench::phases::mark("decode+facts");
        self.finish_analysis(a);
    }

    /// Natively, records are decoded on every core (decoding is most of the analysis), a batch
    /// at a time so memory stays bounded; each thread reads its records' facts and IDs too, and
    /// the calling thread adds one batch in record order while the threads decode the next.
    #[cfg(not(target_arch = "wasm32"))]
    fn decode_in_parallel(&self, a: &mut Analysis) {
        use crate::correlate::Prepared;
        // A thread's share of a batch: this many records, or fewer whose texts come to
        // `CHUNK_BYTES` (a decoded HAR entry holds its bodies several times over).
        const CHUNK: usize = 4096;
        const CHUNK_BYTES: usize = 8 << 20;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(16);
        if threads < 2 {
            return;
        }
        let n = self.records.len();
        // The next batch: one (from, to) range of records per thread.
        let batch_from = |mut lo: usize| -> Vec<(usize, usize)> {
            let mut batch = Vec::with_capacity(threads);
            for _ in 0..threads {
                if lo >= n {
                    break;
                }
                let mut bytes = 0usize;
                let mut hi = lo;
                for r in self.records.iter_from(lo).take(CHUNK) {
                    bytes = bytes.saturating_add(r.text_end().saturating_sub(r.text_start()));
                    hi += 1;
                    if bytes >= CHUNK_BYTES {
                        break;
                    }
                }
                batch.push((lo, hi));
                lo = hi;
            }
            batch
        };
        let prepare = |lo: usize, hi: usize| -> Vec<Prepared> { self.records.iter_from(lo).take(hi - lo).map(|r| self.prepare(r)).collect() };
        // A thread's records (from, to) read.
        type Share = ((usize, usize), Vec<Prepared>);
        // Results of the batch before, waiting to be added while the next one decodes.
        let mut ready: Vec<Share> = Vec::new();
        let mut from = a.pass.done();
        loop {
            let batch = batch_from(from);
            from = batch.last().map_or(from, |b| b.1);
            let done: Option<Vec<Share>> = std::thread::scope(|scope| {
                let handles: Vec<_> = batch.iter().map(|&(lo, hi)| scope.spawn(move || prepare(lo, hi))).collect();
                for ((lo, hi), recs) in ready.drain(..) {
                    if recs.len() != hi - lo {
                        break;
                    }
                    for (k, p) in recs.into_iter().enumerate() {
                        a.pass.add_prepared(lo + k, p);
                    }
                }
                batch.iter().zip(handles).map(|(&range, h)| h.join().ok().map(|recs| (range, recs))).collect()
            });
            match done {
                Some(next) if next.iter().all(|((lo, hi), recs)| recs.len() == hi - lo) && !next.is_empty() => ready = next,
                // The last batch was added, or a thread failed: the sequential step goes on from
                // the first record not added.
                _ => return,
            }
        }
    }

    /// Starts an analysis that decodes in steps (the page's worker yields between them, so queries
    /// and Cancel get through). The timeline stays usable meanwhile.
    pub fn begin_analysis(&self) -> Analysis {
        Analysis { pass: crate::correlate::Pass::new(self.records.len()), records: self.records.len() }
    }

    /// Decodes up to `budget` more records; true when every record is decoded.
    pub fn analysis_step(&self, a: &mut Analysis, budget: usize) -> bool {
        let from = a.pass.done();
        let to = from.saturating_add(budget).min(self.records.len());
        for (i, r) in self.records.iter_from(from).take(to - from).enumerate() {
            a.pass.add_prepared(from + i, self.prepare(r));
        }
        a.pass.done() >= self.records.len()
    }

    /// A record decoded and reduced to what the analysis keeps of it.
    pub(crate) fn prepare(&self, r: &Record) -> crate::correlate::Prepared {
        let text = self.record_text(r);
        match self.files.get(r.file as usize) {
            Some(file) => {
                let decoded = crate::model::keeping_only(crate::correlate::facts::stored_for_analysis, || formats::decode_record(file, r));
                crate::correlate::Prepared::of(r, &decoded, text)
            }
            None => crate::correlate::Prepared::of(r, r, text),
        }
    }

    /// Adds a chunk of records a helper decoded (`share::run`); they must be the next ones.
    /// Nothing is added when the chunk does not read or is not the next records of job `id`.
    pub fn add_share_chunk(&self, a: &mut Analysis, id: u32, bytes: &[u8]) -> Result<usize, String> {
        let (got, first, prepared) = crate::share::read_chunk(bytes).ok_or("a helper's answer does not read")?;
        if got != id || first != a.pass.done() || first + prepared.len() > self.records.len() {
            return Err(format!("a helper answered for records {first}.. of job {got}, where {}.. of job {id} come next", a.pass.done()));
        }
        let n = prepared.len();
        for (k, p) in prepared.into_iter().enumerate() {
            a.pass.add_prepared(first + k, p);
        }
        Ok(n)
    }

    /// Correlates the facts, keeps the results and the decoders' names. A session that changed
    /// since `begin_analysis` (files added) is left alone.
    pub fn finish_analysis(&mut self, mut a: Analysis) {
        if a.records != self.records.len() || a.pass.done() != self.records.len() {
            return;
        }
        for n in a.pass.renames() {
            if let Some(r) = self.records.get_mut(n.record as usize) {
                r.name = n.name;
                r.component = n.component;
                r.severity = n.severity;
            }
        }
        crate::bench::phases::mark("renames");
        let o = a.pass.correlate(self);
        self.flows = o.flows;
        self.findings = o.findings;
        self.states = o.states;
        self.ids = o.ids;
    }

    /// Runs `f` with the records `which` decoded (the others stay index entries).
    pub fn with_decoded_subset<T>(&mut self, which: &[usize], f: impl FnOnce(&Session) -> T) -> T {
        let mut kept: Vec<(usize, Record)> = Vec::with_capacity(which.len());
        for &i in which {
            if let Some(d) = self.decoded(i) {
                if let Some(slot) = self.records.get_mut(i) {
                    kept.push((i, std::mem::replace(slot, d)));
                }
            }
        }
        let out = f(self);
        for (i, r) in kept {
            if let Some(slot) = self.records.get_mut(i) {
                *slot = r;
            }
        }
        out
    }

    /// UTC for every record whose time can be placed: an epoch value, or a wall time with a date
    /// and a zone from the record itself or from its file's clock.
    pub fn resolve_times(&mut self) {
        // The zone label of each file's clock, made once per file (not once per record).
        let clock_zone: Vec<Option<crate::model::Sym>> = self
            .files
            .iter()
            .map(|f| {
                let c = &f.clock;
                let o = c.utc_offset_min?;
                crate::model::Sym::new(&format!("{} ({})", crate::time::offset_text(o), if c.source.is_empty() { "file clock" } else { &c.source }))
            })
            .collect();
        let utc = crate::model::Sym::new("UTC");
        for rec in self.records.iter_mut() {
            let Some(file) = self.files.get(rec.file as usize) else { continue };
            let clock = &file.clock;
            let Some(t) = rec.time.as_mut() else { continue };
            t.set_utc_ms(None);
            if let Some(ms) = t.epoch_ms() {
                t.set_utc_ms(Some(ms + clock.skew_ms));
                if t.zone.is_none() {
                    t.zone = utc;
                }
                continue;
            }
            let (Some(ms_of_day), Some(date)) = (t.ms_of_day(), t.date().or(clock.date)) else { continue };
            let offset = match (t.offset_min(), clock.utc_offset_min) {
                (Some(o), _) => o,
                (None, Some(o)) => {
                    t.zone = clock_zone.get(rec.file as usize).copied().flatten();
                    o
                }
                (None, None) => continue,
            };
            t.set_utc_ms(Some(crate::time::to_epoch_ms(date, ms_of_day, offset) + clock.skew_ms));
        }
    }

    /// Each record's place in time for sorting: its UTC, else the time of the timed record before
    /// it in its file (records before any time in a file take the file's first time), else
    /// `i64::MIN`. Untimed records so keep their place among their file's neighbours.
    pub fn sort_keys(&self) -> Vec<i64> {
        let mut key: Vec<i64> = vec![i64::MIN; self.records.len()];
        let mut first_time: Vec<Option<i64>> = vec![None; self.files.len()];
        for r in &self.records {
            if let (Some(ms), Some(slot)) = (r.utc_ms(), first_time.get_mut(r.file as usize)) {
                if slot.is_none() {
                    *slot = Some(ms);
                }
            }
        }
        let mut last: Vec<Option<i64>> = first_time;
        for (i, r) in self.records.iter().enumerate() {
            let f = r.file as usize;
            if let Some(ms) = r.utc_ms() {
                if let Some(slot) = last.get_mut(f) {
                    *slot = Some(ms);
                }
            }
            if let Some(k) = key.get_mut(i) {
                *k = last.get(f).copied().flatten().unwrap_or(i64::MIN);
            }
        }
        key
    }

    fn order_timeline(&mut self) {
        let key = self.sort_keys();
        // The old order goes first: the timeline's peak memory is the records plus 12 bytes each
        // (and the sort's buffer, half of the order at most).
        self.timeline = Vec::new();
        let mut order: Vec<u32> = (0..self.records.len() as u32).collect();
        // A stable sort: ties keep the records' order, which is file by file and line by line
        // within a file; and each file is nearly in time order already, runs the merge sort finds.
        order.sort_by_key(|&i| key.get(i as usize).copied().unwrap_or(i64::MIN));
        self.timeline = order;
    }

    /// The time of a record as written ("" when it has none).
    pub fn time_text<'a>(&'a self, rec: &'a Record) -> &'a str {
        match self.files.get(rec.file as usize) {
            Some(f) => rec.time_text(&f.text),
            None => "",
        }
    }

    /// A record with its fields and decoder notes (decoded on demand; see `formats::decode_record`).
    pub fn decoded(&self, i: usize) -> Option<Record> {
        let rec = self.records.get(i)?;
        let file = self.files.get(rec.file as usize)?;
        Some(formats::decode_record(file, rec))
    }

    /// Every record decoded, in record order (tests and tools; the page decodes what it shows).
    pub fn decoded_records(&self) -> Vec<Record> {
        (0..self.records.len()).filter_map(|i| self.decoded(i)).collect()
    }

    /// Raw text of a record.
    pub fn record_text<'a>(&'a self, rec: &'a Record) -> &'a str {
        match self.files.get(rec.file as usize) {
            Some(f) => rec.text(&f.text),
            None => "",
        }
    }

    /// How well each file was read (see `Coverage`), in one pass over the records.
    pub fn coverage(&self) -> Vec<Coverage> {
        #[derive(Default, Clone)]
        struct Tally {
            records: u64,
            named: u64,
            read_lines: u64,
            timed_lines: u64,
            unread_records: u64,
        }
        let mut t = vec![Tally::default(); self.files.len()];
        for r in &self.records {
            let Some(x) = t.get_mut(r.file as usize) else { continue };
            let lines = u64::from(r.line_end.saturating_sub(r.line) + 1);
            x.records += 1;
            x.named += u64::from(r.name.is_some());
            if r.unread() {
                x.unread_records += 1;
            } else {
                x.read_lines += lines;
            }
            if r.time.is_some() {
                x.timed_lines += lines;
            }
        }
        self.files
            .iter()
            .zip(t)
            .map(|(f, x)| {
                let lines = (f.line_count() as u64).max(1);
                let share = |n: u64, of: u64| if of == 0 { 0.0 } else { ((n as f64 / of as f64) * 1000.0).round() / 1000.0 };
                let mut c = Coverage {
                    lines: share(x.read_lines.min(lines), lines),
                    timed: share(x.timed_lines.min(lines), lines),
                    named: share(x.named, x.records),
                    why: Vec::new(),
                };
                if f.status != FileStatus::Loaded || x.records == 0 {
                    return Coverage { lines: 0.0, timed: 0.0, named: 0.0, why: Vec::new() };
                }
                let family = formats::by_name(&f.format);
                if f.format == formats::TEXT.name {
                    c.why.push("no log family recognised this file: read by the generic layer (time, level, key=value)".into());
                } else if c.lines < 0.95 {
                    c.why.push(format!("{} record(s) in a layout the {} grammar does not read (read by the generic layer)", x.unread_records, f.format));
                }
                if f.confidence < formats::CONFIDENT && f.format != formats::TEXT.name {
                    c.why.push(format!("the format is a guess (detection score {}); another format can be chosen", f.confidence));
                }
                let timed_family = family.is_some_and(|fm| fm.examples.iter().any(|e| e.timed));
                if c.timed < 0.95 && (timed_family || f.format == formats::TEXT.name) {
                    c.why.push(format!("{:.0} % of lines carry no time this tool can read", (1.0 - c.timed) * 100.0));
                }
                if c.named < 0.5 && f.format != formats::TEXT.name {
                    c.why.push("most records have no message name (free text)".into());
                }
                c
            })
            .collect()
    }

    /// Number of records per file.
    pub fn record_counts(&self) -> Vec<usize> {
        let mut counts = vec![0usize; self.files.len()];
        for r in &self.records {
            if let Some(c) = counts.get_mut(r.file as usize) {
                *c += 1;
            }
        }
        counts
    }

    /// True if some input had problems that lost data (failed or skipped files).
    pub fn had_problems(&self) -> bool {
        self.files.iter().any(|f| f.status != FileStatus::Loaded || !f.problems.is_empty())
    }
}
