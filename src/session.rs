//! A session: everything loaded so far, merged on one timeline, with flows and findings.
//! The CLI builds one per run; the page's worker keeps one and adds to it as files arrive.

use crate::correlate::{Finding, Flow};
use crate::formats;
use crate::ingest::Sink;
use crate::model::{FileStatus, LogFile, Record};

#[derive(Default)]
pub struct Session {
    pub files: Vec<LogFile>,
    pub records: Vec<Record>,
    /// Record indices in timeline order (UTC; untimed records keep their place in their file).
    pub timeline: Vec<u32>,
    pub flows: Vec<Flow>,
    pub findings: Vec<Finding>,
    /// Files whose clock the user set by hand (inference must not overwrite them).
    pub user_clocks: std::collections::BTreeSet<u32>,
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
    pub fn add_file(&mut self, mut file: LogFile) {
        let index = self.files.len() as u32;
        if file.status == FileStatus::Loaded {
            let format = formats::detect(&file);
            file.format = format.name.to_string();
            let problems = formats::parse_file(format, &file, index, &mut self.records);
            file.problems.extend(problems);
        }
        self.files.push(file);
    }

    /// Resolves times, orders the timeline and runs correlation. Call after each batch of files.
    pub fn finish(&mut self) {
        // Clocks the user set in the page win over inference.
        let kept: Vec<(u32, crate::model::FileClock)> = self
            .user_clocks
            .iter()
            .filter_map(|&i| self.files.get(i as usize).map(|f| (i, f.clock.clone())))
            .collect();
        formats::infer_clocks(&mut self.files, &mut self.records);
        for (i, c) in kept {
            if let Some(f) = self.files.get_mut(i as usize) {
                f.clock = c;
            }
        }
        self.resolve_times();
        self.order_timeline();
        let (flows, findings) = crate::correlate::analyze(self);
        self.flows = flows;
        self.findings = findings;
    }

    /// UTC for every record whose time can be placed: an epoch value, or a wall time with a date
    /// and a zone from the record itself or from its file's clock.
    pub fn resolve_times(&mut self) {
        for rec in &mut self.records {
            let Some(file) = self.files.get(rec.file as usize) else { continue };
            let clock = &file.clock;
            let Some(t) = rec.time.as_mut() else { continue };
            t.utc_ms = None;
            if let Some(ms) = t.epoch_ms {
                t.utc_ms = Some(ms + clock.skew_ms);
                if t.zone.is_empty() {
                    t.zone = "UTC".into();
                }
                continue;
            }
            let (Some(ms_of_day), Some(date)) = (t.ms_of_day, t.date.or(clock.date)) else { continue };
            let offset = match (t.offset_min, clock.utc_offset_min) {
                (Some(o), _) => o,
                (None, Some(o)) => {
                    t.zone = format!("{} ({})", crate::time::offset_text(o), if clock.source.is_empty() { "file clock" } else { &clock.source });
                    o
                }
                (None, None) => continue,
            };
            t.utc_ms = Some(crate::time::to_epoch_ms(date, ms_of_day, offset) + clock.skew_ms);
        }
    }

    fn order_timeline(&mut self) {
        // Untimed records take the time of the timed record before them in the same file, so they
        // keep their place; records before any time in a file take the file's first time.
        let mut key: Vec<i64> = vec![i64::MIN; self.records.len()];
        let mut first_time: Vec<Option<i64>> = vec![None; self.files.len()];
        for r in &self.records {
            if let (Some(ms), Some(slot)) = (r.utc_ms(), first_time.get_mut(r.file as usize)) {
                if slot.is_none() {
                    *slot = Some(ms);
                }
            }
        }
        let mut last: Vec<Option<i64>> = first_time.clone();
        for (i, r) in self.records.iter().enumerate() {
            let f = r.file as usize;
            if let Some(ms) = r.utc_ms() {
                last[f] = Some(ms);
            }
            key[i] = last.get(f).copied().flatten().unwrap_or(i64::MIN);
        }
        let mut order: Vec<u32> = (0..self.records.len() as u32).collect();
        order.sort_by_key(|&i| {
            let r = &self.records[i as usize];
            (key[i as usize], r.file, r.line)
        });
        self.timeline = order;
    }

    /// Raw text of a record.
    pub fn record_text<'a>(&'a self, rec: &'a Record) -> &'a str {
        match self.files.get(rec.file as usize) {
            Some(f) => rec.text(&f.text),
            None => "",
        }
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
