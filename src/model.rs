//! The data every stage shares: loaded files, records, problems.
//!
//! A record keeps its raw text as a byte range into its file's decoded text (no copy per record),
//! and its decoded values as an ordered JSON map, so the CLI can print them as they are and the page
//! can show them as a tree.

use serde::Serialize;

/// Decoded values of a record, in the order they were found. Nested JSON is allowed
/// (an XMPP `<Update>` decodes to an object, a HAR header list to an array).
///
/// A flat vector of (key, value) pairs: records carry a handful of fields, so a linear scan beats a
/// hash map, and there is no hash table or per-key allocation per record. Keys are interned
/// (`intern_key`): the same protocol field names recur on every record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fields {
    entries: Vec<(Key, serde_json::Value)>,
}

thread_local! {
    /// While set (`keeping_only`), fields whose name it refuses are not stored: the analysis
    /// decodes every record but reads a few fields of each, and building the rest was a large
    /// part of its time.
    static FIELD_FILTER: std::cell::Cell<Option<FieldFilter>> = const { std::cell::Cell::new(None) };
}

/// Whether a field of this name is stored (`keeping_only`).
pub type FieldFilter = fn(&str) -> bool;

/// Whether a field of this name would be stored now (see `keeping_only`): decoders ask before
/// making a value that would be dropped.
pub fn field_wanted(key: &str) -> bool {
    FIELD_FILTER.with(|f| f.get()).is_none_or(|keep| keep(key))
}

/// Runs `f` with only the fields `keep` accepts stored on this thread (other fields set meanwhile
/// are dropped), then stores every field again.
pub fn keeping_only<T>(keep: FieldFilter, f: impl FnOnce() -> T) -> T {
    /// Puts the filter back as it was even if `f` unwinds.
    struct Restore(Option<FieldFilter>);
    impl Drop for Restore {
        fn drop(&mut self) {
            FIELD_FILTER.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(FIELD_FILTER.with(|c| c.replace(Some(keep))));
    f()
}

/// A field name: interned (shared, never freed) for the usual protocol names, owned otherwise.
pub type Key = std::borrow::Cow<'static, str>;

/// Most distinct field names kept in the interner; further names are stored per record (a log
/// with ever-new keys cannot grow the interner without bound).
const MAX_INTERNED_KEYS: usize = 4096;

/// The interner lives in a static (never dropped), so its names stay reachable for the whole run:
/// a thread-local would be destroyed at exit and leak sanitizers would then report every name.
static KEYS: std::sync::Mutex<Option<std::collections::HashSet<&'static str>>> = std::sync::Mutex::new(None);

/// The shared copy of a field name (see `Key`). Each thread remembers the names it has seen
/// (decoding asks for the same few dozen names on every record), so the shared table's lock is
/// taken once per name and thread.
pub fn intern_key(key: &str) -> Key {
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashSet<&'static str, std::hash::BuildHasherDefault<FxHasher>>> =
            std::cell::RefCell::new(Default::default());
    }
    if let Some(k) = SEEN.with(|s| s.borrow().get(key).copied()) {
        return Key::Borrowed(k);
    }
    let k = intern_shared(key);
    if let Key::Borrowed(b) = k {
        SEEN.with(|s| s.borrow_mut().insert(b));
    }
    k
}

fn intern_shared(key: &str) -> Key {
    let Ok(mut guard) = KEYS.lock() else { return Key::Owned(key.to_string()) };
    let set = guard.get_or_insert_with(std::collections::HashSet::new);
    if let Some(k) = set.get(key) {
        return Key::Borrowed(*k);
    }
    if set.len() >= MAX_INTERNED_KEYS || key.len() > 64 {
        return Key::Owned(key.to_string());
    }
    let leaked: &'static str = Box::leak(key.to_string().into_boxed_str());
    set.insert(leaked);
    Key::Borrowed(leaked)
}

static NULL: serde_json::Value = serde_json::Value::Null;

impl Fields {
    pub fn new() -> Self {
        Fields { entries: Vec::new() }
    }

    pub fn with_capacity(n: usize) -> Self {
        Fields { entries: Vec::with_capacity(n) }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k.as_ref() == key)
    }

    /// `position` of an interned name: the same name is the same address.
    fn position_interned(&self, key: &Key) -> Option<usize> {
        match key {
            Key::Borrowed(b) => self.entries.iter().position(|(k, _)| match k {
                Key::Borrowed(x) => std::ptr::eq(*x, *b),
                Key::Owned(x) => x == b,
            }),
            Key::Owned(o) => self.position(o),
        }
    }

    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.entries.iter().find(|(k, _)| k.as_ref() == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut serde_json::Value> {
        self.entries.iter_mut().find(|(k, _)| k.as_ref() == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets a value; an existing key keeps its place (as `serde_json::Map` with `preserve_order`).
    /// Returns the previous value.
    pub fn insert(&mut self, key: impl AsRef<str>, value: serde_json::Value) -> Option<serde_json::Value> {
        if !field_wanted(key.as_ref()) {
            return None;
        }
        self.store(key.as_ref(), value)
    }

    /// `insert` of a field already known to be wanted.
    fn store(&mut self, key: &str, value: serde_json::Value) -> Option<serde_json::Value> {
        let key = intern_key(key);
        match self.position_interned(&key) {
            Some(i) => self.entries.get_mut(i).map(|e| std::mem::replace(&mut e.1, value)),
            None => {
                // A decoded record holds a handful of fields: room for them at once (grown one by
                // one, the pushes cost more than the lookups).
                if self.entries.capacity() == 0 {
                    self.entries.reserve(8);
                }
                self.entries.push((key, value));
                None
            }
        }
    }

    /// Removes a key, keeping the order of the others.
    pub fn remove(&mut self, key: &str) -> Option<serde_json::Value> {
        let i = self.position(key)?;
        Some(self.entries.remove(i).1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> + '_ {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// Names as stored: an interned name is a borrowed literal.
    pub fn entries(&self) -> impl Iterator<Item = (&Key, &serde_json::Value)> + '_ {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.entries.iter().map(|(k, _)| k.as_ref())
    }

    pub fn values(&self) -> impl Iterator<Item = &serde_json::Value> + '_ {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Gives back spare capacity (records are kept for the whole session).
    pub fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
    }

    /// The fields as a JSON object (same keys, same order).
    pub fn to_map(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut m = serde_json::Map::with_capacity(self.entries.len());
        for (k, v) in &self.entries {
            m.insert(k.to_string(), v.clone());
        }
        m
    }
}

impl From<serde_json::Map<String, serde_json::Value>> for Fields {
    fn from(m: serde_json::Map<String, serde_json::Value>) -> Self {
        let mut f = Fields::with_capacity(m.len());
        for (k, v) in m {
            f.insert(k, v);
        }
        f
    }
}

impl From<Fields> for serde_json::Value {
    fn from(f: Fields) -> Self {
        let mut m = serde_json::Map::with_capacity(f.entries.len());
        for (k, v) in f.entries {
            m.insert(k.into_owned(), v);
        }
        serde_json::Value::Object(m)
    }
}

impl std::ops::Index<&str> for Fields {
    type Output = serde_json::Value;
    /// Like indexing a JSON value: `Null` when the key is missing.
    fn index(&self, key: &str) -> &serde_json::Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl Serialize for Fields {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            m.serialize_entry(k.as_ref(), v)?;
        }
        m.end()
    }
}

/// What happened to one input file (or one archive member).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// Read and parsed (possibly with problems worth a note).
    Loaded,
    /// Deliberately not parsed (binary, encrypted, over a limit, empty); `problems` says why.
    Skipped,
    /// Could not be read at all; `problems` says why.
    Failed,
}

/// A problem found while loading a file. `code` is stable and machine-readable
/// (`binary`, `encrypted`, `corrupt`, `truncated`, `too-deep`, `size-cap`, `ratio-cap`, `long-line`,
/// `empty`, `invalid-bytes`, `bad-json`, `not-har`, …); `message` is for people and names the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: String,
    pub message: String,
}

impl Problem {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Problem { code: code.to_string(), message: message.into() }
    }
}

/// One loaded log file: an input path or an archive member (`outer.zip!/inner/path.log`).
#[derive(Clone, Debug)]
pub struct LogFile {
    pub path: String,
    /// Size in bytes before text decoding (the member's uncompressed size for archives).
    pub size: u64,
    /// `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`, `binary`, or empty when not read.
    pub encoding: String,
    /// Format name from `formats::registry()`, or empty when not parsed.
    pub format: String,
    pub status: FileStatus,
    pub problems: Vec<Problem>,
    /// The decoded text (LF or CRLF kept as found). Records point into it.
    pub text: String,
    /// Byte offset of the start of each line in `text` (line n is `line_starts[n-1]`; 32-bit, see
    /// `formats::engine::line_starts`).
    pub line_starts: Vec<u32>,
    /// Time context for logs that write time without a date or a zone.
    pub clock: FileClock,
    /// What wraps each line (a grep prefix, a syslog header, …): lines are read past it.
    pub wrapper: crate::formats::wrapper::Wrapper,
    /// For people: what wrapped the log and was taken off before reading (grep prefixes, syslog
    /// headers, ANSI colour codes, HTML escaping).
    pub wrappers: Vec<String>,
    /// How sure format detection was (0..=100; below `formats::CONFIDENT` it is a guess).
    pub confidence: u8,
    /// The user chose the format (`Session::set_format`) instead of detection.
    pub format_chosen: bool,
}

impl LogFile {
    pub fn new(path: impl Into<String>, size: u64) -> Self {
        LogFile {
            path: path.into(),
            size,
            encoding: String::new(),
            format: String::new(),
            status: FileStatus::Loaded,
            problems: Vec::new(),
            text: String::new(),
            line_starts: Vec::new(),
            clock: FileClock::default(),
            wrapper: Default::default(),
            wrappers: Vec::new(),
            confidence: 0,
            format_chosen: false,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// How a file's local times map to UTC. Filled from the file name, a header, neighbouring files or
/// the user (the page's per-file clock panel).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FileClock {
    /// Date for time-of-day-only logs, as (year, month, day).
    pub date: Option<(i32, u32, u32)>,
    /// Offset of the log's local time from UTC in minutes (e.g. -240 for EDT), when known.
    pub utc_offset_min: Option<i32>,
    /// Correction added to every time in the file (clock skew), in milliseconds.
    pub skew_ms: i64,
    /// Where the date/zone came from ("file name", "header", "user", "inferred from …").
    pub source: String,
}

/// A short text that recurs on many records (component, severity, message name, zone label),
/// interned once for the whole process: a record stores 4 bytes instead of a `String`.
///
/// The table only grows; it is capped (`MAX_LABEL_BYTES`), after which new labels are not kept (the
/// record simply has no label; its raw text still says everything). Labels are cut at 128 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(std::num::NonZeroU32);

const MAX_LABEL_BYTES: usize = 64 << 20;
const MAX_LABEL_LEN: usize = 128;

/// FxHash (the rustc hasher): labels are short and not attacker-chosen keys into anything that
/// matters beyond this table, and SipHash cost more than the rest of `Sym::new`.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])));
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let mut w = [0u8; 8];
            for (d, s) in w.iter_mut().zip(tail) {
                *d = *s;
            }
            self.add(u64::from_le_bytes(w));
        }
    }
    fn finish(&self) -> u64 {
        // A product's low bits depend only on the low bits of its inputs, and hash tables index by
        // the low bits: the well-mixed high half is rotated down (as rustc-hash 2 does), or keys
        // that differ only in their later bytes pile into a few buckets.
        self.0.rotate_left(26)
    }
}

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// The place of each name in a fixed list, answered with one probe and one compare for most names:
/// the slot comes from the name's length and three of its bytes. Decoders and correlation ask for
/// field names millions of times; hashing every byte of the name cost more than the rest of a
/// lookup. A name listed twice answers with its last place (as a map collected from the list).
pub struct NameTable {
    names: &'static [&'static str],
    /// Place in `names`, or `EMPTY`; open addressing, a quarter full at most.
    slots: Vec<u16>,
}

impl NameTable {
    const EMPTY: u16 = u16::MAX;

    pub fn new(names: &'static [&'static str]) -> Self {
        let len = (names.len().saturating_mul(4)).next_power_of_two().max(64);
        let mut table = NameTable { names, slots: vec![Self::EMPTY; len] };
        for (i, name) in names.iter().enumerate().take(usize::from(Self::EMPTY)) {
            let mut at = table.slot(name.as_bytes());
            while let Some(slot) = table.slots.get_mut(at) {
                let here = *slot;
                if here == Self::EMPTY || names.get(usize::from(here)) == Some(name) {
                    *slot = i as u16;
                    break;
                }
                at = (at + 1) & (len - 1);
            }
        }
        table
    }

    #[inline]
    fn slot(&self, b: &[u8]) -> usize {
        let n = b.len();
        let (first, mid, last) = (b.first().copied().unwrap_or(0), b.get(n / 2).copied().unwrap_or(0), b.last().copied().unwrap_or(0));
        let word = (n as u32) | (u32::from(first) << 8) | (u32::from(mid) << 16) | (u32::from(last) << 24);
        (word.wrapping_mul(0x9E37_79B1) >> 16) as usize & (self.slots.len() - 1)
    }

    /// The place of `name` in the list.
    #[inline]
    pub fn get(&self, name: &str) -> Option<u16> {
        let mask = self.slots.len() - 1;
        let mut at = self.slot(name.as_bytes());
        // At most a quarter full, so an empty slot ends every probe; the bound is for a bug.
        for _ in 0..self.slots.len() {
            let here = *self.slots.get(at)?;
            if here == Self::EMPTY {
                return None;
            }
            if self.names.get(usize::from(here)).is_some_and(|n| *n == name) {
                return Some(here);
            }
            at = (at + 1) & mask;
        }
        None
    }
}

/// A cheap fingerprint of a label for the per-thread cache: its length and its first and last
/// eight bytes (labels that differ only in the middle share a slot and evict each other, which
/// costs a table lookup, never a wrong answer: a hit compares the whole text).
#[inline]
fn sketch(b: &[u8]) -> u64 {
    let n = b.len();
    let (head, tail) = match (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        (Some(h), Some(t)) => (u64::from_le_bytes(*h), u64::from_le_bytes(*t)),
        _ => {
            let mut w = [0u8; 8];
            for (d, s) in w.iter_mut().zip(b) {
                *d = *s;
            }
            (u64::from_le_bytes(w), 0)
        }
    };
    let mut h = FxHasher(n as u64);
    h.add(head);
    h.add(tail);
    h.0 ^ (h.0 >> 29)
}

#[derive(Default)]
struct Labels {
    ids: std::collections::HashMap<&'static str, Sym, FxBuild>,
    names: Vec<&'static str>,
    bytes: usize,
}

const RECENT_LABELS: usize = 512;

thread_local! {
    /// Direct-mapped cache of recently interned labels (the texts are the table's, never freed).
    static RECENT: std::cell::RefCell<Vec<Option<(&'static str, Sym)>>> = std::cell::RefCell::new(vec![None; RECENT_LABELS]);
}

/// Static for the same reason as `KEYS` (leak sanitizers at thread exit).
static LABELS: std::sync::RwLock<Option<Labels>> = std::sync::RwLock::new(None);

impl Sym {
    /// The label for `s` (trimmed to 128 bytes on a char boundary), or None when `s` is empty or the
    /// table is full.
    pub fn new(s: &str) -> Option<Sym> {
        let s = crate::formats::engine::prefix_at_most(s, MAX_LABEL_LEN);
        if s.is_empty() {
            return None;
        }
        // A small per-thread cache in front of the shared table: every record asks for three
        // labels, nearly always ones asked for a moment ago.
        let h = sketch(s.as_bytes());
        let slot = (h as usize) & (RECENT_LABELS - 1);
        if let Some(hit) = RECENT.with(|r| r.borrow().get(slot).copied().flatten().filter(|(t, _)| *t == s).map(|(_, id)| id)) {
            return Some(hit);
        }
        let found = Self::lookup_or_insert(s);
        if let Some(id) = found {
            let text = id.as_str();
            RECENT.with(|r| {
                if let Some(e) = r.borrow_mut().get_mut(slot) {
                    *e = Some((text, id));
                }
            });
        }
        found
    }

    fn lookup_or_insert(s: &str) -> Option<Sym> {
        if let Ok(g) = LABELS.read() {
            if let Some(id) = g.as_ref().and_then(|l| l.ids.get(s)) {
                return Some(*id);
            }
        }
        let mut g = LABELS.write().ok()?;
        let l = g.get_or_insert_with(Labels::default);
        if let Some(id) = l.ids.get(s) {
            return Some(*id);
        }
        if l.bytes + s.len() > MAX_LABEL_BYTES {
            return None;
        }
        let id = Sym(std::num::NonZeroU32::new(l.names.len() as u32 + 1)?);
        let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
        l.names.push(leaked);
        l.ids.insert(leaked, id);
        l.bytes += s.len();
        Some(id)
    }

    /// How many labels the table holds and their bytes (memory accounting in the benchmark).
    pub fn table_size() -> (usize, usize) {
        match LABELS.read() {
            Ok(g) => g.as_ref().map(|l| (l.names.len(), l.bytes)).unwrap_or((0, 0)),
            Err(_) => (0, 0),
        }
    }

    pub fn as_str(self) -> &'static str {
        let Ok(g) = LABELS.read() else { return "" };
        g.as_ref().and_then(|l| l.names.get(self.0.get() as usize - 1).copied()).unwrap_or("")
    }
}

/// The label of an optional text (`None` stays `None`).
pub fn sym_of<S: AsRef<str>>(o: Option<S>) -> Option<Sym> {
    o.and_then(|s| Sym::new(s.as_ref()))
}

impl std::fmt::Display for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Sym {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A record's time: where it is written, its parts, and the UTC instant once it can be known.
///
/// Packed (28 bytes, 4-byte aligned, no heap): every record has one. Missing parts are sentinels
/// behind accessors; an epoch instant shares its 8 bytes with the wall date and time of day (a
/// record carries one or the other: an epoch record's wall parts are not used).
/// While a line parser runs, the written text is known only as an address (the stamp readers see a
/// `&str`); `Record::settle_time_text` turns it into an offset in the file text.
#[derive(Clone, Debug, PartialEq)]
pub struct LogTime {
    /// The resolved UTC instant (ms since 1970) after the file clock is applied; while parsing, the
    /// address of the written text (see `F_ADDRESSED`). Two words, low first, so the type needs
    /// only 4-byte alignment.
    utc: [u32; 2],
    /// Date written on the record, `y * 10000 + m * 100 + d`; 0 when none. With `ms`, the epoch
    /// instant (ms since 1970 UTC) when `F_EPOCH`.
    date: u32,
    /// Milliseconds since local midnight; `u32::MAX` when none.
    ms: u32,
    /// Offset of the written time from UTC (start of the written text in the file once settled).
    text_at: u32,
    /// UTC offset written on the record, in minutes; `i16::MIN` when none.
    offset: i16,
    /// Length of the written time (times are short; longer texts are cut at 255 bytes).
    text_len: u8,
    /// `F_*` bits, with `F_ON` always set (a zero byte is then free to mean `None` in
    /// `Option<LogTime>`, which thus costs no extra word).
    flags: std::num::NonZeroU8,
    /// The zone used to resolve it, for display ("GMT+0000", "-0400", "EDT (file clock)", …);
    /// None: local time, zone unknown.
    pub zone: Option<Sym>,
}

const F_ON: u8 = 0x80;
const FLAGS_NONE: std::num::NonZeroU8 = match std::num::NonZeroU8::new(F_ON) {
    Some(f) => f,
    None => std::num::NonZeroU8::MIN,
};
/// `text_at` is an offset in the file text.
const F_SETTLED: u8 = 1;
/// `utc` holds the address of the written text (parsing).
const F_ADDRESSED: u8 = 2;
/// `date` and `ms` hold an epoch instant (epoch values, HAR ISO times).
const F_EPOCH: u8 = 4;

const NONE_I64: i64 = i64::MIN;

impl Default for LogTime {
    fn default() -> Self {
        let none = NONE_I64 as u64;
        LogTime { utc: [none as u32, (none >> 32) as u32], date: 0, ms: u32::MAX, text_at: 0, offset: i16::MIN, text_len: 0, flags: FLAGS_NONE, zone: None }
    }
}

impl LogTime {
    fn utc_raw(&self) -> i64 {
        ((u64::from(self.utc[1]) << 32) | u64::from(self.utc[0])) as i64
    }

    fn set_utc_raw(&mut self, v: i64) {
        let v = v as u64;
        self.utc = [v as u32, (v >> 32) as u32];
    }

    fn flag(&self, f: u8) -> bool {
        self.flags.get() & f != 0
    }

    fn set_flag(&mut self, f: u8, on: bool) {
        let bits = if on { self.flags.get() | f } else { self.flags.get() & !f };
        self.flags = std::num::NonZeroU8::new(bits | F_ON).unwrap_or(self.flags);
    }

    /// A wall time from its parts (any may be missing).
    pub fn wall(date: Option<(i32, u32, u32)>, ms_of_day: Option<u32>, offset_min: Option<i32>) -> Self {
        let mut t = LogTime::default();
        t.set_date(date);
        t.set_ms_of_day(ms_of_day);
        t.set_offset_min(offset_min);
        t
    }

    /// An absolute instant (epoch values, HAR ISO times), ms since 1970 UTC.
    pub fn epoch(ms: i64) -> Self {
        let mut t = LogTime::default();
        t.set_epoch_ms(Some(ms));
        t
    }

    /// A time already placed in UTC (tests, synthetic records).
    pub fn at_utc(ms: i64) -> Self {
        let mut t = LogTime::default();
        t.set_utc_raw(ms);
        t
    }

    pub fn date(&self) -> Option<(i32, u32, u32)> {
        (self.date != 0 && !self.flag(F_EPOCH)).then_some(((self.date / 10_000) as i32, self.date / 100 % 100, self.date % 100))
    }

    /// Years outside 1..=9999 are not kept (no log writes them).
    pub fn set_date(&mut self, d: Option<(i32, u32, u32)>) {
        if self.flag(F_EPOCH) {
            return;
        }
        self.date = match d {
            Some((y, m, d)) if (1..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d) => y as u32 * 10_000 + m * 100 + d,
            _ => 0,
        };
    }

    pub fn ms_of_day(&self) -> Option<u32> {
        (self.ms != u32::MAX && !self.flag(F_EPOCH)).then_some(self.ms)
    }

    pub fn set_ms_of_day(&mut self, ms: Option<u32>) {
        if self.flag(F_EPOCH) {
            return;
        }
        self.ms = ms.filter(|&m| m != u32::MAX).unwrap_or(u32::MAX);
    }

    pub fn offset_min(&self) -> Option<i32> {
        (self.offset != i16::MIN).then_some(self.offset as i32)
    }

    /// Offsets beyond ±24 h are not zones: dropped.
    pub fn set_offset_min(&mut self, o: Option<i32>) {
        self.offset = o.filter(|o| o.unsigned_abs() <= 24 * 60).map(|o| o as i16).unwrap_or(i16::MIN);
    }

    pub fn epoch_ms(&self) -> Option<i64> {
        self.flag(F_EPOCH).then(|| ((u64::from(self.date) << 32) | u64::from(self.ms)) as i64)
    }

    /// An epoch instant replaces the wall date and time of day (see the type's note).
    pub fn set_epoch_ms(&mut self, ms: Option<i64>) {
        match ms {
            Some(m) => {
                let bits = m as u64;
                self.date = (bits >> 32) as u32;
                self.ms = bits as u32;
                self.set_flag(F_EPOCH, true);
            }
            None if self.flag(F_EPOCH) => {
                self.set_flag(F_EPOCH, false);
                self.date = 0;
                self.ms = u32::MAX;
            }
            None => {}
        }
    }

    pub fn utc_ms(&self) -> Option<i64> {
        (!self.flag(F_ADDRESSED) && self.utc_raw() != NONE_I64).then_some(self.utc_raw())
    }

    pub fn set_utc_ms(&mut self, ms: Option<i64>) {
        self.set_flag(F_ADDRESSED, false);
        self.set_utc_raw(ms.filter(|&m| m != NONE_I64).unwrap_or(NONE_I64));
    }

    /// The zone as shown ("local (zone unknown)" when there is none).
    pub fn zone_text(&self) -> &'static str {
        match self.zone {
            Some(z) => z.as_str(),
            None => "local (zone unknown)",
        }
    }

    /// Marks `text` (a slice of the text a parser was given) as where this time is written.
    pub fn written_at(mut self, text: &str) -> Self {
        self.set_utc_raw(text.as_ptr() as usize as i64);
        self.text_len = text.len().min(u8::MAX as usize) as u8;
        self.set_flag(F_ADDRESSED, true);
        self.set_flag(F_SETTLED, false);
        self
    }

    /// The written text's byte range in the file, once settled.
    pub fn text_range(&self) -> Option<(usize, usize)> {
        self.flag(F_SETTLED).then(|| (self.text_at as usize, self.text_at as usize + self.text_len as usize))
    }
}

/// What a record carries beyond its index entry: decoded fields, decoder notes, and for document
/// records their own text. Records get it only when decoded (`Session::decoded`), so a loaded
/// bundle costs its text plus a small index entry per record. A few index entries carry fields and
/// notes that decoding their own text could not find again (a HAR frame's entry URL, a BOSH `ridGap`
/// worked out across entries; see `formats::har`).
#[derive(Clone, Debug, Default)]
pub struct Extra {
    pub fields: Fields,
    pub notes: Vec<String>,
    pub own_text: Option<String>,
    pub time_text: Option<String>,
}

static NO_FIELDS: std::sync::LazyLock<Fields> = std::sync::LazyLock::new(Fields::new);

/// One log record: one or more raw lines plus what was read from them.
///
/// The index entry (file, lines, byte range, time, format, part, component, severity, name) is kept
/// for every record; fields and notes are filled only in *detail* mode (`detail`), which decoding a
/// record on demand uses. Setters of fields do nothing on an index entry.
#[derive(Clone, Debug)]
pub struct Record {
    /// Index into the session's files.
    pub file: u32,
    /// First and last line, 1-based, inclusive.
    pub line: u32,
    pub line_end: u32,
    /// Process or component (`cglA-ctisvr`, `Container`, `HTTPBindLog`, …).
    pub component: Option<Sym>,
    /// Level as written (`INFO`, `DEBUG`, `Trace`, `warn`, …).
    pub severity: Option<Sym>,
    /// Message name or mnemonic (`MEDIA_LOGIN_REQ`, `REQUEST_START`, `SOCIAL_CONTACT_CREATED`, …).
    pub name: Option<Sym>,
    /// Byte range of the raw text in the file's decoded text (files are under 4 GiB: ingest
    /// splits nothing bigger into one text).
    text_start: u32,
    text_len: u32,
    pub time: Option<LogTime>,
    /// Four small values in one word (a record is kept per log record, so every byte counts
    /// against the ≤ 1.5× memory target): bits 0-22 the part (which item of its document the
    /// record is, a HAR entry's index in `log.entries`, for formats that decode one record from
    /// its byte range alone; 0 otherwise), bits 23-29 the format (index into
    /// `formats::registry()`; same as the file's, except for sub-records such as a HAR entry's
    /// WebSocket frames), bit 30 unread (the family's grammar did not read it), bit 31 detail
    /// (fields and notes are kept: decoding; clear for an index entry).
    meta: u32,
    extra: Option<Box<Extra>>,
}

const PART_BITS: u32 = 23;
const PART_MAX: u32 = (1 << PART_BITS) - 1;
const FORMAT_MASK: u32 = 0x7f;
const UNREAD_BIT: u32 = 1 << 30;
const DETAIL_BIT: u32 = 1 << 31;

/// The place of a format in `formats::registry()` (unknown names are `text`). A search through
/// the registry: parsers that make many records look it up once (`Record::index_entry_of`).
pub fn format_id(name: &str) -> u8 {
    let reg = crate::formats::registry();
    reg.iter().position(|f| f.name == name).or_else(|| reg.iter().position(|f| f.name == "text")).unwrap_or(0) as u8
}

impl Record {
    /// A record that keeps its fields (tests, document parsers, decoding).
    pub fn new(file: u32, format: &'static str) -> Self {
        let mut r = Record::index_entry_of(file, format_id(format));
        r.set_detail(true);
        r
    }

    /// An index entry: fields are not kept.
    pub fn index_entry(file: u32, format: &'static str) -> Self {
        Record::index_entry_of(file, format_id(format))
    }

    /// An index entry of the format with index `format` in `FORMAT_NAMES` (see `format_id`).
    pub fn index_entry_of(file: u32, format: u8) -> Self {
        Record {
            file,
            line: 0,
            line_end: 0,
            component: None,
            severity: None,
            name: None,
            text_start: 0,
            text_len: 0,
            time: None,
            meta: (format as u32 & FORMAT_MASK) << PART_BITS,
            extra: None,
        }
    }

    /// True when fields and notes are kept (a decoded record); false for an index entry.
    #[inline]
    pub fn detail(&self) -> bool {
        self.meta & DETAIL_BIT != 0
    }

    pub fn set_detail(&mut self, on: bool) {
        self.meta = if on { self.meta | DETAIL_BIT } else { self.meta & !DETAIL_BIT };
    }

    /// True when its family's grammar did not read the record's first line (a line before the
    /// first record start, a line in another layout, or a file no family claims): its time and
    /// fields come from the generic layer (`formats::generic`).
    #[inline]
    pub fn unread(&self) -> bool {
        self.meta & UNREAD_BIT != 0
    }

    pub fn set_unread(&mut self, on: bool) {
        self.meta = if on { self.meta | UNREAD_BIT } else { self.meta & !UNREAD_BIT };
    }

    /// Which item of its document the record is (see `meta`); saturates at 2^23 - 1.
    pub fn part(&self) -> u32 {
        self.meta & PART_MAX
    }

    pub fn set_part(&mut self, part: usize) {
        let p = u32::try_from(part).unwrap_or(PART_MAX).min(PART_MAX);
        self.meta = (self.meta & !PART_MAX) | p;
    }

    /// The place of the record's format in `formats::registry()` (see `formats::of`).
    pub fn format_index(&self) -> usize {
        ((self.meta >> PART_BITS) & FORMAT_MASK) as usize
    }

    /// The raw text of the record, given its file's text.
    pub fn text<'a>(&'a self, file_text: &'a str) -> &'a str {
        if let Some(t) = self.own_text() {
            return t;
        }
        file_text.get(self.text_start()..self.text_end()).unwrap_or("")
    }

    /// The lifeline the record is drawn on (its format's lane; see `formats::lane_of`).
    pub fn lane(&self) -> crate::kinds::Lane {
        crate::formats::lane_of(self)
    }

    /// What part the record's source plays (its format's role).
    pub fn role(&self) -> crate::kinds::Role {
        crate::formats::role_of(self)
    }

    /// Format name (from `formats::registry()`).
    pub fn format(&self) -> &'static str {
        crate::formats::of(self).name
    }

    pub fn text_start(&self) -> usize {
        self.text_start as usize
    }

    pub fn text_end(&self) -> usize {
        self.text_start as usize + self.text_len as usize
    }

    /// Sets the byte range of the raw text (clamped to 4 GiB offsets; see `text_start`).
    pub fn set_text_range(&mut self, start: usize, end: usize) {
        self.text_start = u32::try_from(start).unwrap_or(u32::MAX);
        self.text_len = u32::try_from(end.saturating_sub(start)).unwrap_or(u32::MAX - self.text_start);
    }

    /// The time as written, given the file's text ("" when the record has no time).
    pub fn time_text<'a>(&'a self, file_text: &'a str) -> &'a str {
        if let Some(t) = self.extra.as_ref().and_then(|e| e.time_text.as_deref()) {
            return t;
        }
        match self.time.as_ref().and_then(LogTime::text_range) {
            Some((a, b)) => file_text.get(a..b).unwrap_or(""),
            None => "",
        }
    }

    /// After a line parser ran on slices of `file_text`: the time's address becomes an offset
    /// (an address outside the file text, or a file over 4 GiB, leaves the time without its text).
    pub fn settle_time_text(&mut self, file_text: &str) {
        let base = file_text.as_ptr() as usize;
        let Some(t) = self.time.as_mut() else { return };
        if !t.flag(F_ADDRESSED) {
            return;
        }
        let (start, len) = (t.utc_raw() as usize, t.text_len as usize);
        t.set_utc_ms(None);
        if start >= base && start + len <= base + file_text.len() {
            if let Ok(at) = u32::try_from(start - base) {
                t.text_at = at;
                t.set_flag(F_SETTLED, true);
                return;
            }
        }
        t.text_len = 0;
    }

    /// Sets the time as written when it is not a slice of the file (document records).
    pub fn set_time_text(&mut self, text: impl Into<String>) {
        if let Some(t) = self.time.as_mut() {
            if t.flag(F_ADDRESSED) {
                t.set_utc_ms(None);
            }
            t.set_flag(F_SETTLED, false);
            t.text_len = 0;
        }
        self.extra_mut().time_text = Some(text.into());
    }

    fn extra_mut(&mut self) -> &mut Extra {
        self.extra.get_or_insert_with(Box::default)
    }

    pub fn fields(&self) -> &Fields {
        match &self.extra {
            Some(e) => &e.fields,
            None => &NO_FIELDS,
        }
    }

    pub fn fields_mut(&mut self) -> &mut Fields {
        &mut self.extra_mut().fields
    }

    pub fn notes(&self) -> &[String] {
        self.extra.as_ref().map(|e| e.notes.as_slice()).unwrap_or(&[])
    }

    /// A decoder note for a malformed payload ("ARM dump truncated at byte 12 of 27").
    pub fn note(&mut self, n: impl Into<String>) {
        self.extra_mut().notes.push(n.into());
    }

    pub fn own_text(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.own_text.as_deref())
    }

    /// For records that do not come straight from lines (HAR entries, WebSocket frames): the
    /// synthesized text to show and print, since their "raw lines" are a JSON object.
    pub fn set_own_text(&mut self, t: impl Into<String>) {
        self.extra_mut().own_text = Some(t.into());
    }

    pub fn take_own_text(&mut self) -> Option<String> {
        self.extra.as_mut().and_then(|e| e.own_text.take())
    }

    /// Fields and notes, taken from another (decoded) record.
    pub fn take_extra_from(&mut self, other: &mut Record) {
        let time_text = self.extra.as_mut().and_then(|e| e.time_text.take());
        self.extra = other.extra.take();
        if let Some(t) = time_text {
            self.extra_mut().time_text = Some(t);
        }
    }

    /// Gives back spare capacity (records are kept for the whole session).
    pub fn shrink(&mut self) {
        if let Some(e) = self.extra.as_mut() {
            e.fields.shrink_to_fit();
            e.notes.shrink_to_fit();
        }
    }

    /// Set a field (nothing on an index entry, nor for a field `keeping_only` refuses: the value
    /// is then not even built).
    pub fn set(&mut self, key: &str, value: impl Into<serde_json::Value>) {
        if self.detail() && field_wanted(key) {
            self.fields_mut().store(key, value.into());
        }
    }

    /// `set` for a field not there yet: the first value written wins.
    pub fn set_new(&mut self, key: &str, value: impl Into<serde_json::Value>) {
        if self.detail() && field_wanted(key) && !self.fields().contains_key(key) {
            self.fields_mut().store(key, value.into());
        }
    }

    /// A string field's value, if it is a string or a number.
    pub fn get_str(&self, key: &str) -> Option<String> {
        match self.fields().get(key)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            serde_json::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn utc_ms(&self) -> Option<i64> {
        self.time.as_ref().and_then(LogTime::utc_ms)
    }

    pub fn name(&self) -> Option<&'static str> {
        self.name.map(Sym::as_str)
    }

    pub fn component(&self) -> Option<&'static str> {
        self.component.map(Sym::as_str)
    }

    pub fn severity(&self) -> Option<&'static str> {
        self.severity.map(Sym::as_str)
    }

    pub fn set_name(&mut self, s: &str) {
        self.name = Sym::new(s);
    }

    pub fn set_component(&mut self, s: &str) {
        self.component = Sym::new(s);
    }

    pub fn set_severity(&mut self, s: &str) {
        self.severity = Sym::new(s);
    }
}

#[cfg(test)]
mod intern_tests {
    /// Regression (fuzzing, LeakSanitizer at exit): the interner was thread-local, so its names
    /// were freed-then-unreachable at thread exit. It is one static table now, shared by threads.
    #[test]
    fn interned_names_are_shared_across_threads() {
        let here = super::intern_key("RegressionKeyA");
        let there = std::thread::spawn(|| match super::intern_key("RegressionKeyA") {
            std::borrow::Cow::Borrowed(s) => s.as_ptr() as usize,
            std::borrow::Cow::Owned(_) => 0,
        })
        .join()
        .unwrap_or(1);
        match here {
            std::borrow::Cow::Borrowed(s) => assert_eq!(s.as_ptr() as usize, there),
            std::borrow::Cow::Owned(_) => panic!("the name was not interned"),
        }
    }
}

#[cfg(test)]
mod packing_tests {
    use super::*;

    /// The memory budget: a loaded bundle costs its text plus this much per record.
    #[test]
    fn index_entries_stay_small() {
        assert!(std::mem::size_of::<Record>() <= 72, "Record is {} bytes", std::mem::size_of::<Record>());
        assert!(std::mem::size_of::<LogTime>() <= 28, "LogTime is {} bytes", std::mem::size_of::<LogTime>());
        assert_eq!(std::mem::size_of::<Option<LogTime>>(), std::mem::size_of::<LogTime>(), "the flags' niche holds None");
    }

    #[test]
    fn log_time_parts_round_trip() {
        let t = LogTime::wall(Some((2019, 7, 20)), Some(66_451_749), Some(-240));
        assert_eq!((t.date(), t.ms_of_day(), t.offset_min(), t.epoch_ms(), t.utc_ms()), (Some((2019, 7, 20)), Some(66_451_749), Some(-240), None, None));
        for ms in [0i64, 1_563_647_251_749, -86_400_000, i64::MAX, i64::MIN + 1] {
            let mut e = LogTime::epoch(ms);
            assert_eq!(e.epoch_ms(), Some(ms));
            assert_eq!((e.date(), e.ms_of_day()), (None, None));
            e.set_date(Some((2020, 1, 1)));
            assert_eq!(e.epoch_ms(), Some(ms), "an epoch record keeps its instant");
        }
        let mut u = LogTime::default();
        u.set_utc_ms(Some(42));
        assert_eq!(u.utc_ms(), Some(42));
        // Out-of-range parts are dropped, not wrapped.
        let w = LogTime::wall(Some((99_999, 1, 1)), Some(u32::MAX), Some(100_000));
        assert_eq!((w.date(), w.ms_of_day(), w.offset_min()), (None, None, None));
        assert_eq!(LogTime::wall(None, None, Some(i32::MIN)).offset_min(), None);
    }

    #[test]
    fn record_ranges_and_formats() {
        let mut r = Record::index_entry(3, "ctisvr");
        r.set_text_range(10, 25);
        assert_eq!((r.text_start(), r.text_end(), r.format()), (10, 25, "ctisvr"));
        assert_eq!(r.text("0123456789abcdefghijklmnopqrstuvwxyz"), "abcdefghijklmno");
        assert_eq!(Record::new(0, "no-such-format").format(), "text");
        r.set("k", "v");
        assert!(r.fields().is_empty(), "an index entry keeps no fields");
    }
}

/// Where parsers put records: a plain `Vec` (one file, tests) or the session's chunked `Records`
/// (the page's parse steps write straight into it, with no step-sized buffer in between).
pub trait RecordSink {
    fn push_record(&mut self, r: Record);
}

impl RecordSink for Vec<Record> {
    fn push_record(&mut self, r: Record) {
        self.push(r);
    }
}

impl RecordSink for Records {
    fn push_record(&mut self, r: Record) {
        self.push(r);
    }
}

/// Every record of a session, in fixed-size chunks: growing never copies what is stored, and never
/// holds an old and a new buffer at once (a `Vec` doubles; in wasm the memory a doubling took is
/// never given back, so a 1 GiB bundle paid ~0.3× its text in slack).
#[derive(Clone, Debug, Default)]
pub struct Records {
    chunks: Vec<Vec<Record>>,
    len: usize,
}

/// Records per chunk (about 1 MiB of index entries: the last, partly filled chunk is what growing
/// costs beyond the records themselves).
const RECORDS_PER_CHUNK: usize = 1 << 14;

impl Records {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, r: Record) {
        if self.chunks.last().is_none_or(|c| c.len() >= RECORDS_PER_CHUNK) {
            self.chunks.push(Vec::with_capacity(RECORDS_PER_CHUNK));
        }
        if let Some(c) = self.chunks.last_mut() {
            c.push(r);
            self.len += 1;
        }
    }

    /// Keeps the records `keep` accepts, in order (one pass; the chunks are rebuilt).
    pub fn retain(&mut self, mut keep: impl FnMut(&Record) -> bool) {
        let old = std::mem::take(self);
        for chunk in old.chunks {
            for r in chunk {
                if keep(&r) {
                    self.push(r);
                }
            }
        }
    }

    pub fn get(&self, i: usize) -> Option<&Record> {
        self.chunks.get(i / RECORDS_PER_CHUNK)?.get(i % RECORDS_PER_CHUNK)
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut Record> {
        self.chunks.get_mut(i / RECORDS_PER_CHUNK)?.get_mut(i % RECORDS_PER_CHUNK)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Record> + '_ {
        self.chunks.iter().flatten()
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut Record> + '_ {
        self.chunks.iter_mut().flatten()
    }

    /// The records from index `from` on, without walking the ones before it.
    pub fn iter_from(&self, from: usize) -> impl Iterator<Item = &Record> + '_ {
        let (c, o) = (from / RECORDS_PER_CHUNK, from % RECORDS_PER_CHUNK);
        self.chunks.get(c..).unwrap_or(&[]).iter().enumerate().flat_map(move |(k, ch)| ch.get(if k == 0 { o } else { 0 }..).unwrap_or(&[]).iter())
    }
}

impl Extend<Record> for Records {
    fn extend<I: IntoIterator<Item = Record>>(&mut self, iter: I) {
        for r in iter {
            self.push(r);
        }
    }
}

impl FromIterator<Record> for Records {
    fn from_iter<I: IntoIterator<Item = Record>>(iter: I) -> Self {
        let mut r = Records::new();
        r.extend(iter);
        r
    }
}

impl From<Vec<Record>> for Records {
    fn from(v: Vec<Record>) -> Self {
        v.into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a Records {
    type Item = &'a Record;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<Record>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.chunks.iter().flatten()
    }
}

#[cfg(test)]
mod records_tests {
    use super::*;

    #[test]
    fn chunks_hold_records_in_order() {
        let n = RECORDS_PER_CHUNK * 2 + 5;
        let mut rs = Records::new();
        for i in 0..n {
            let mut r = Record::index_entry(0, "text");
            r.line = i as u32;
            rs.push(r);
        }
        assert_eq!(rs.len(), n);
        assert_eq!(rs.chunks.len(), 3);
        assert!(rs.iter().enumerate().all(|(i, r)| r.line == i as u32));
        assert_eq!(rs.get(RECORDS_PER_CHUNK).map(|r| r.line), Some(RECORDS_PER_CHUNK as u32));
        assert!(rs.get(n).is_none());
        if let Some(r) = rs.get_mut(7) {
            r.line = 99;
        }
        assert_eq!(rs.get(7).map(|r| r.line), Some(99));
        assert_eq!(rs.iter().next_back().map(|r| r.line), Some(n as u32 - 1));
        for from in [0, 1, RECORDS_PER_CHUNK - 1, RECORDS_PER_CHUNK, n - 1, n, n + 10] {
            let got: Vec<u32> = rs.iter_from(from).map(|r| r.line).collect();
            let want: Vec<u32> = rs.iter().skip(from).map(|r| r.line).collect();
            assert_eq!(got, want, "from {from}");
        }
    }
}

#[cfg(test)]
mod name_table_tests {
    use super::NameTable;

    #[test]
    fn every_name_is_found_at_its_place_and_no_other_name_is() {
        // Names alike in length and in their first, middle and last bytes share a slot.
        static NAMES: &[&str] = &["aXa", "aYa", "aZa", "bXb", "TaskID", "taskId", "", "x", "InvokeID", "aXa"];
        let t = NameTable::new(NAMES);
        for (i, n) in NAMES.iter().enumerate() {
            let want = if *n == "aXa" { 9 } else { i as u16 };
            assert_eq!(t.get(n), Some(want), "{n:?}");
        }
        for other in ["aWa", "TaskId", "y", "InvokeId", "aXaa", "é", "aX"] {
            assert_eq!(t.get(other), None, "{other:?}");
        }
    }

    #[test]
    fn a_full_list_of_like_names_is_read_back() {
        let names: Vec<&'static str> = (0..3000).map(|i| &*Box::leak(format!("k{:04}k", i % 1000 * 7).into_boxed_str())).collect();
        let names: &'static [&'static str] = Box::leak(names.into_boxed_slice());
        let t = NameTable::new(names);
        for (i, n) in names.iter().enumerate() {
            let last = names.iter().rposition(|m| m == n).unwrap_or(i);
            assert_eq!(t.get(n), Some(last as u16));
        }
        assert_eq!(t.get("k0001k"), None);
    }
}
