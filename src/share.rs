//! A share of an analysis: a range of a session's records decoded by another worker.
//!
//! In the browser the engine is one thread, and decoding the records is most of an analysis
//! (each record on its own). So the page starts helper workers, and the engine gives each a
//! range of records to decode while it decodes the first range itself: the files the range lies
//! in, as the engine read them (text, format, wrapper), which of their records the range is, and
//! a fingerprint of those records' index entries. The helper reads the files as given (no
//! detection), checks that its records are the engine's (counts and fingerprint), decodes the
//! range and sends back what the analysis keeps of each record (`correlate::Prepared`) in chunks,
//! which the engine adds in record order. When anything is off (a helper died, a fingerprint
//! differs, bytes do not read) the engine decodes the range itself: the answers never depend on
//! whether helpers ran, only how soon they come.
//!
//! Nothing here knows the browser: the page's worker moves the bytes (`ui::worker`).

use crate::formats::wrapper::Wrapper;
use crate::model::{LogFile, Record};
use crate::session::Session;
use crate::wire::{Reader, Writer};

/// Written first in every job and chunk: bytes from another build (a stale helper) never read.
const MAGIC: u32 = 0x5342_5301;

/// A chunk of answers holds this many records at most, or fewer whose bytes reach `CHUNK_BYTES`:
/// the engine copies one chunk at a time into its memory, which never shrinks.
const CHUNK_RECORDS: usize = 4096;
const CHUNK_BYTES: usize = 1 << 20;

/// A range of the engine's records to hand to a helper: the job's header (`bytes`) and the
/// engine's files whose texts go with it, in the order the header lists them.
pub struct Job {
    pub id: u32,
    pub from: usize,
    pub to: usize,
    pub bytes: Vec<u8>,
    pub files: Vec<u32>,
}

/// One file of a job, as the helper reads it.
struct JobFile<'a> {
    /// The engine's index of the file.
    index: u32,
    path: &'a str,
    format: &'a str,
    wrapper: Wrapper,
    /// How many records the engine read from it.
    records: u32,
    /// The range's records of this file: from the `from`-th of them, `count` of them, and
    /// their fingerprint.
    from: u32,
    count: u32,
    fingerprint: u64,
}

fn wrapper_code(w: Wrapper) -> (u8, u8) {
    match w {
        Wrapper::None => (0, 0),
        Wrapper::GrepPathLine => (1, 0),
        Wrapper::GrepPath => (2, 0),
        Wrapper::GrepLine => (3, 0),
        Wrapper::LineLabel => (4, 0),
        Wrapper::Syslog => (5, 0),
        Wrapper::Quote => (6, 0),
        Wrapper::Indent(n) => (7, n),
    }
}

fn wrapper_of(tag: u8, n: u8) -> Option<Wrapper> {
    Some(match tag {
        0 => Wrapper::None,
        1 => Wrapper::GrepPathLine,
        2 => Wrapper::GrepPath,
        3 => Wrapper::GrepLine,
        4 => Wrapper::LineLabel,
        5 => Wrapper::Syslog,
        6 => Wrapper::Quote,
        7 => Wrapper::Indent(n),
        _ => return None,
    })
}

/// What both sides hash of a file's records in a range: where each is and what the parser made
/// of it. A helper checks a file's hash before it sends any answer for it.
fn fingerprint<'a>(records: impl Iterator<Item = &'a Record>) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::model::FxHasher::default();
    for r in records {
        h.write_u32(r.line);
        h.write_u32(r.line_end);
        h.write_usize(r.text_start());
        h.write_usize(r.text_end());
        h.write_usize(r.format_index());
        h.write_u32(r.part());
        h.write_u8(u8::from(r.unread()));
        for label in [r.name, r.component, r.severity] {
            h.write(label.map_or("", |s| s.as_str()).as_bytes());
            h.write_u8(0xff);
        }
    }
    h.finish()
}

/// Each file's first record and record count in the session's list (a file's records are
/// together: they are added a file at a time, and a file read again goes to the end whole).
fn file_spans(session: &Session) -> Vec<(usize, u32)> {
    let mut spans = vec![(usize::MAX, 0u32); session.files.len()];
    for (i, r) in session.records.iter_from(0).enumerate() {
        if let Some(s) = spans.get_mut(r.file as usize) {
            s.0 = s.0.min(i);
            s.1 += 1;
        }
    }
    spans
}

/// The jobs for records `from..to` of the session cut into `parts` ranges of about equal text;
/// the engine keeps the first range (`from..` the first job's start) for itself. Job ids count
/// from `first_id`. Empty when there is nothing to cut.
pub fn plan(session: &Session, from: usize, to: usize, parts: usize, first_id: u32) -> Vec<Job> {
    let to = to.min(session.records.len());
    if parts < 2 || from >= to {
        return Vec::new();
    }
    let bytes_of = |r: &Record| r.text_end().saturating_sub(r.text_start()).max(1);
    let total: usize = session.records.iter_from(from).take(to - from).map(bytes_of).sum();
    let spans = file_spans(session);
    // Range boundaries where the running text passes each part's share.
    let mut cuts = vec![from];
    let mut sum = 0usize;
    for (i, r) in session.records.iter_from(from).take(to - from).enumerate() {
        sum += bytes_of(r);
        if sum >= total / parts * cuts.len() && cuts.len() < parts && from + i + 1 < to {
            cuts.push(from + i + 1);
        }
    }
    cuts.push(to);
    cuts.windows(2).skip(1).enumerate().filter_map(|(k, w)| job(session, &spans, first_id.wrapping_add(k as u32), w[0], w[1])).collect()
}

/// The job for records `from..to`.
fn job(session: &Session, spans: &[(usize, u32)], id: u32, from: usize, to: usize) -> Option<Job> {
    if from >= to {
        return None;
    }
    // The range's runs of records of one file, in order.
    let mut files: Vec<JobFile> = Vec::new();
    for (i, r) in session.records.iter_from(from).take(to - from).enumerate() {
        match files.last_mut() {
            Some(f) if f.index == r.file => f.count += 1,
            _ => {
                let lf = session.files.get(r.file as usize)?;
                let &(first, records) = spans.get(r.file as usize)?;
                files.push(JobFile {
                    index: r.file,
                    path: &lf.path,
                    format: &lf.format,
                    wrapper: lf.wrapper,
                    records,
                    from: u32::try_from((from + i).checked_sub(first)?).ok()?,
                    count: 1,
                    fingerprint: 0,
                });
            }
        }
    }
    // A file's records are together, so each file of the job is one run of the range.
    let mut at = from;
    for f in &mut files {
        f.fingerprint = fingerprint(session.records.iter_from(at).take(f.count as usize));
        at += f.count as usize;
    }
    let mut w = Writer::default();
    w.u32(MAGIC);
    w.u32(id);
    w.u32(u32::try_from(from).ok()?);
    w.u32(u32::try_from(to).ok()?);
    w.len(files.len());
    for f in &files {
        w.u32(f.index);
        w.str(f.path);
        w.str(f.format);
        let (tag, n) = wrapper_code(f.wrapper);
        w.u8(tag);
        w.u8(n);
        w.u32(f.records);
        w.u32(f.from);
        w.u32(f.count);
        w.u64(f.fingerprint);
    }
    Some(Job { id, from, to, bytes: w.bytes, files: files.iter().map(|f| f.index).collect() })
}

/// A job read back (the helper's side).
struct Header<'a> {
    id: u32,
    from: u32,
    to: u32,
    files: Vec<JobFile<'a>>,
}

fn read_header(bytes: &[u8]) -> Option<Header<'_>> {
    let mut r = Reader::new(bytes);
    if r.u32()? != MAGIC {
        return None;
    }
    let (id, from, to) = (r.u32()?, r.u32()?, r.u32()?);
    let n = r.len(34)?;
    let mut files = Vec::with_capacity(n);
    for _ in 0..n {
        let index = r.u32()?;
        let (path, format) = (r.str()?, r.str()?);
        let wrapper = wrapper_of(r.u8()?, r.u8()?)?;
        files.push(JobFile { index, path, format, wrapper, records: r.u32()?, from: r.u32()?, count: r.u32()?, fingerprint: r.u64()? });
    }
    r.is_empty().then_some(Header { id, from, to, files })
}

/// Answers gathered into chunks: a chunk is sent when it is full, and what is in it when the work
/// stops (every record in it was checked and decoded).
struct Chunks<F: FnMut(Vec<u8>)> {
    id: u32,
    next: u32,
    count: u32,
    w: Writer,
    send: F,
}

impl<F: FnMut(Vec<u8>)> Chunks<F> {
    fn put(&mut self, p: &crate::correlate::Prepared, file: u32) {
        if self.count == 0 {
            self.w.u32(MAGIC);
            self.w.u32(self.id);
            self.w.u32(self.next);
            // The count, filled in when the chunk is sent.
            self.w.u32(0);
        }
        p.write(file, &mut self.w);
        self.count += 1;
        if self.count as usize == CHUNK_RECORDS || self.w.bytes.len() >= CHUNK_BYTES {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.count == 0 {
            return;
        }
        if let Some(slot) = self.w.bytes.get_mut(12..16) {
            slot.copy_from_slice(&self.count.to_le_bytes());
        }
        (self.send)(std::mem::take(&mut self.w.bytes));
        self.next += self.count;
        self.count = 0;
    }
}

/// The helper's work: reads the job's files one at a time (`text_of(k)`: the job's `k`-th file's
/// text) as the engine read them, checks each file's records of the range are the engine's,
/// decodes them and hands the answers to `send` a chunk at a time (`Session::add_share_chunk`
/// reads one). A file at a time, so a helper holds one file's text and records, not its whole
/// range's. An error says why the engine must decode the rest of the range itself; the answers
/// sent before it are good.
pub fn run(job: &[u8], mut text_of: impl FnMut(usize) -> Option<String>, send: impl FnMut(Vec<u8>)) -> Result<(), String> {
    let h = read_header(job).ok_or("the job does not read (a different build?)")?;
    if h.files.iter().map(|f| f.count as usize).sum::<usize>() != (h.to as usize).saturating_sub(h.from as usize) {
        return Err("the job's files do not add up to its range".into());
    }
    let mut out = Chunks { id: h.id, next: h.from, count: 0, w: Writer::default(), send };
    let result = (|| {
        for (k, f) in h.files.iter().enumerate() {
            let text = text_of(k).ok_or_else(|| format!("{}: its text did not come with the job, or is not UTF-8", f.path))?;
            let mut file = LogFile::new(f.path, text.len() as u64);
            file.line_starts = crate::formats::engine::line_starts(&text);
            file.text = text;
            file.format = f.format.to_string();
            file.wrapper = f.wrapper;
            let mut session = Session::new();
            session.add_file_as(file)?;
            if session.records.len() != f.records as usize {
                return Err(format!("{}: read {} records where the engine read {}", f.path, session.records.len(), f.records));
            }
            let (from, count) = (f.from as usize, f.count as usize);
            if from + count > session.records.len() || fingerprint(session.records.iter_from(from).take(count)) != f.fingerprint {
                return Err(format!("{}: the records read here differ from the engine's", f.path));
            }
            for r in session.records.iter_from(from).take(count) {
                out.put(&session.prepare(r), f.index);
            }
        }
        Ok(())
    })();
    out.flush();
    result
}

/// A chunk of a job's answers: the job's id, the engine's index of its first record, and the
/// records read (`None` when the bytes do not read, or hold fewer records than they say).
pub fn read_chunk(bytes: &[u8]) -> Option<(u32, usize, Vec<crate::correlate::Prepared>)> {
    let mut r = Reader::new(bytes);
    if r.u32()? != MAGIC {
        return None;
    }
    let (id, first, count) = (r.u32()?, r.u32()? as usize, r.u32()? as usize);
    // Each record is at least a dozen bytes: a count larger than the chunk can hold is corrupt.
    if count.saturating_mul(12) > bytes.len() {
        return None;
    }
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        out.push(crate::correlate::Prepared::read(&mut r)?);
    }
    r.is_empty().then_some((id, first, out))
}
