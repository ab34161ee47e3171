//! The shared line/record machinery: split a file's text into lines once, group continuation
//! lines under the line that starts their record, and hand each record to its format's parser.
//! Also the shared readers every family uses: timestamp forms, `%[k=v]`, `[k=v]`, `k=v`,
//! `Key = Value`, `Key:value` and `Key: value` fields, mnemonics. None of them panics on any input.

use crate::model::{LogFile, LogTime, Record, Sym};
use crate::time;

/// Compiles a regex once per call site; `None` only if the pattern is invalid (tests catch that).
#[macro_export]
macro_rules! lazy_regex {
    ($pat:expr) => {{
        static R: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| regex::Regex::new($pat).ok());
        R.as_ref()
    }};
}

/// Byte offsets of the start of every line (LF-terminated; a CR before the LF stays in the line
/// text and is trimmed by `line_text`). 32-bit: ingest keeps no text over 4 GiB in one file (a
/// longer one is indexed up to its first 4 GiB).
pub fn line_starts(text: &str) -> Vec<u32> {
    if text.is_empty() {
        return Vec::new();
    }
    // Counted first (a fast scan) so the index is allocated once at its size: no doublings.
    let mut starts = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    starts.push(0);
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        if i + 1 < text.len() {
            let Ok(at) = u32::try_from(i + 1) else { break };
            starts.push(at);
        }
    }
    // Kept for the session: no spare capacity.
    starts.shrink_to_fit();
    starts
}

/// Start and end (exclusive, line ending included) of line `idx` in a text of `len` bytes.
pub fn line_span(starts: &[u32], len: usize, idx: usize) -> Option<(usize, usize)> {
    let start = *starts.get(idx)? as usize;
    let end = starts.get(idx + 1).map_or(len, |&e| e as usize);
    Some((start, end))
}

/// The text of line `idx` (0-based) without its line ending ("" if out of range).
pub fn line_text<'a>(text: &'a str, starts: &[u32], idx: usize) -> &'a str {
    let Some((start, end)) = line_span(starts, text.len(), idx) else { return "" };
    let line = text.get(start..end).unwrap_or("");
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// Never glue: every line that starts a record starts a new one.
pub fn no_glue(_prev: &str, _line: &str) -> bool {
    false
}

/// Groups lines into records: a record starts where `starts_record` says so, unless `glue` says the
/// line continues the line before it (a message split over several prefixed lines). Lines before the
/// first record start form a record of their own, so no line is ever lost.
///
/// Works in steps: starts at line index `from` (0, or a value this function returned), stops at the
/// first record start at or after `from + max_lines`, and returns where the next step begins (the
/// line count when the file is done). A huge file is parsed a slice at a time so the page's worker
/// can answer Cancel and queries between slices.
#[allow(clippy::too_many_arguments)]
pub fn split_records(
    format: &'static str,
    file: &LogFile,
    file_index: u32,
    starts_record: fn(&str) -> bool,
    glue: fn(&str, &str) -> bool,
    parse: fn(&mut Record, &str, &str),
    from: usize,
    max_lines: usize,
    out: &mut impl crate::model::RecordSink,
) -> usize {
    let text = &file.text;
    let starts = &file.line_starts;
    let n = starts.len();
    let stop = from.saturating_add(max_lines);
    let format_id = crate::model::format_id(format);
    let wrapper = file.wrapper;
    let line = |k: usize| wrapper.strip(line_text(text, starts, k));
    // Files no family claims: records start at timestamped lines when the file is timestamped
    // (the lines between continue them), else at every line that is not indented.
    let generic_only = format == super::TEXT.name;
    let stamped = generic_only && text_is_stamped(file);
    let start_kind = |l: &str, prev: usize| -> Start {
        if generic_only {
            let starts = if stamped { super::generic::leading_time(l).is_some() } else { !l.is_empty() && !l.starts_with([' ', '\t']) };
            return if starts { Start::Generic } else { Start::No };
        }
        if starts_record(l) && !glue(line(prev), l) {
            Start::Family
        } else if !l.starts_with([' ', '\t']) && super::generic::leading_time(l).is_some_and(|(_, st)| st.time.date().is_some() || st.time.epoch_ms().is_some())
        {
            // A line in another layout, with a dated timestamp: its own record, read generically.
            Start::Generic
        } else {
            Start::No
        }
    };
    let mut i = from;
    // How line `i` was found to start a record (None at the first line of a step): a line its
    // family's grammar started is not read by `starts_record` a second time.
    let mut kind_of_i: Option<Start> = None;
    while i < n && i < stop {
        let first = line(i);
        let family = !generic_only && (kind_of_i == Some(Start::Family) || starts_record(first));
        let mut j = i + 1;
        kind_of_i = None;
        // Blank lines and lines that do not start a record continue the current one.
        while j < n {
            let kind = start_kind(line(j), j - 1);
            if kind != Start::No {
                kind_of_i = Some(kind);
                break;
            }
            j += 1;
        }
        let mut rec = Record::index_entry_of(file_index, format_id);
        rec.line = (i + 1) as u32;
        rec.line_end = j as u32;
        let start = starts.get(i).map_or(0, |&s| s as usize);
        let end = starts.get(j).map_or(text.len(), |&e| e as usize);
        // Exclude the final line ending from the record's text.
        let raw = text.get(start..end).unwrap_or("");
        let trimmed = raw.trim_end_matches(['\n', '\r']);
        rec.set_text_range(start, start + trimmed.len());
        if family {
            parse(&mut rec, first, trimmed);
        } else {
            super::generic::read(&mut rec, first, trimmed);
        }
        wrapper.fill(&mut rec, line_text(text, starts, i));
        rec.settle_time_text(text);
        out.push_record(rec);
        i = j;
    }
    i.min(n)
}

/// How a line relates to the records of its file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Start {
    /// It continues the record before it.
    No,
    /// Its family's grammar reads it as the start of a record.
    Family,
    /// It starts a record the generic layer reads.
    Generic,
}

/// True when most of the first lines of a file start with a catalogued timestamp.
fn text_is_stamped(file: &LogFile) -> bool {
    let lines: Vec<&str> = (0..file.line_starts.len().min(256))
        .map(|k| file.wrapper.strip(line_text(&file.text, &file.line_starts, k)))
        .filter(|l| !l.trim().is_empty())
        .take(64)
        .collect();
    let stamped = lines.iter().filter(|l| super::generic::leading_time(l).is_some()).count();
    !lines.is_empty() && stamped * 2 >= lines.len()
}

// ---------------------------------------------------------------------------------------------
// Time

/// A record time from its parts; `zone_text` is the zone as written (empty when the log is local).
pub fn make_time(text: &str, date: Option<(i32, u32, u32)>, ms_of_day: Option<u32>, offset: Option<(i32, &str)>) -> LogTime {
    let mut t = LogTime::wall(date, ms_of_day, offset.map(|o| o.0));
    t.zone = offset.and_then(|(_, z)| Sym::new(z));
    t.written_at(text)
}

/// A timestamp found at the start of a string, with the number of bytes it used.
pub struct Stamp {
    pub time: LogTime,
    pub len: usize,
}

/// `YYYY-MM-DD HH:MM:SS[.mmm][ zone]` (also `.`/`/` date separators and a `T`).
pub fn stamp_ymd(s: &str) -> Option<Stamp> {
    let (date, dl) = time::parse_ymd(s)?;
    let sep = *s.as_bytes().get(dl)?;
    if sep != b' ' && sep != b'T' {
        return None;
    }
    let (ms, tl) = time::parse_hms(s.get(dl + 1..)?)?;
    let mut len = dl + 1 + tl;
    let rest = s.get(len..)?;
    let zone = time::parse_zone_token(rest).filter(|z| z.2 > 0 && !rest.starts_with("  "));
    // A zone must be separated by one space or follow directly (`Z`, `+0000`).
    let zone = zone.filter(|(_, tok, used)| {
        let lead = used - tok.len();
        lead <= 1 && (lead == 1 || tok.starts_with(['+', '-', 'Z']))
    });
    let off = zone.map(|(o, tok, used)| {
        len += used;
        (o, tok)
    });
    let text = s.get(..len)?;
    Some(Stamp { time: make_time(text, Some(date), Some(ms), off), len })
}

/// `Mon DD [YYYY] HH:MM:SS[.mmm][ zone]` (Cisco CCBU/UCCX/dumplog form). Without a year the date is
/// left for `infer_clocks`.
pub fn stamp_mdy(s: &str) -> Option<Stamp> {
    mdy_parts(s).map(|p| p.stamp())
}

/// A `stamp_mdy` timestamp read and checked but not yet made a record time: what a record-start
/// test needs (it runs on every line) without the cost of the zone label.
#[derive(Clone, Copy, Debug)]
pub struct MdyParts<'a> {
    text: &'a str,
    date: Option<(i32, u32, u32)>,
    ms: u32,
    off: Option<(i32, &'a str)>,
}

impl MdyParts<'_> {
    /// Bytes of the line the timestamp takes.
    pub fn used(&self) -> usize {
        self.text.len()
    }

    pub fn stamp(&self) -> Stamp {
        Stamp { time: make_time(self.text, self.date, Some(self.ms), self.off), len: self.text.len() }
    }
}

/// `Mon dd[ yyyy] HH:MM:SS[.mmm][ zone]` read into its parts (see `stamp_mdy`).
pub fn mdy_parts(s: &str) -> Option<MdyParts<'_>> {
    let (m, d, ml) = time::parse_mon_day(s)?;
    let b = s.as_bytes();
    if b.get(ml) != Some(&b' ') {
        return None;
    }
    let mut i = ml + 1;
    let mut year = None;
    if b.get(i + 4) == Some(&b' ') {
        if let Some(y) = digits4(b, i) {
            year = Some(y);
            i += 5;
        }
    }
    let (ms, tl) = time::parse_hms(s.get(i..)?)?;
    let mut len = i + tl;
    let rest = s.get(len..)?;
    let zone = time::parse_zone_token(rest).filter(|(_, tok, used)| used - tok.len() == 1);
    let off = zone.map(|(o, tok, used)| {
        len += used;
        (o, tok)
    });
    let date = match year {
        Some(y) if time::valid_date(y, m, d) => Some((y, m, d)),
        Some(_) => return None,
        None => None,
    };
    Some(MdyParts { text: s.get(..len)?, date, ms, off })
}

/// Four ASCII digits at `i` as a year (what `str::parse::<i32>` accepted there: no sign).
fn digits4(b: &[u8], i: usize) -> Option<i32> {
    let w = b.get(i..i + 4)?;
    let mut v = 0i32;
    for c in w {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as i32;
    }
    Some(v)
}

/// `HH:MM:SS[:mmm|.mmm]` (no date, no zone).
pub fn stamp_hms(s: &str) -> Option<Stamp> {
    let (ms, len) = time::parse_hms(s)?;
    let text = s.get(..len)?;
    Some(Stamp { time: make_time(text, None, Some(ms), None), len })
}

/// `Tue Aug 28 10:21:19 EDT 2018` (Unix `date` output).
pub fn stamp_unix_date(s: &str) -> Option<Stamp> {
    let wd = s.get(..4)?;
    if !wd.ends_with(' ') || !wd.get(..3)?.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let (m, d, ml) = time::parse_mon_day(s.get(4..)?)?;
    let mut i = 4 + ml;
    if s.as_bytes().get(i) != Some(&b' ') {
        return None;
    }
    i += 1;
    let (ms, tl) = time::parse_hms(s.get(i..)?)?;
    i += tl;
    let rest = s.get(i..)?;
    let zone = time::parse_zone_token(rest);
    if let Some((_, _, used)) = zone {
        i += used;
    }
    let yrest = s.get(i..)?.strip_prefix(' ')?;
    let y: i32 = yrest.get(..4)?.parse().ok()?;
    i += 5;
    if !time::valid_date(y, m, d) {
        return None;
    }
    let text = s.get(..i)?;
    Some(Stamp { time: make_time(text, Some((y, m, d)), Some(ms), zone.map(|(o, t, _)| (o, t))), len: i })
}

/// `23/Apr/2013:18:40:05 -0400` (Apache/Tomcat common log form, inside brackets).
pub fn stamp_clf(s: &str) -> Option<Stamp> {
    let b = s.as_bytes();
    let d: u32 = s.get(..2)?.parse().ok()?;
    if b.get(2) != Some(&b'/') || b.get(6) != Some(&b'/') || b.get(11) != Some(&b':') {
        return None;
    }
    let m = time::month_from_abbrev(s.get(3..6)?)?;
    let y: i32 = s.get(7..11)?.parse().ok()?;
    if !time::valid_date(y, m, d) {
        return None;
    }
    let (ms, tl) = time::parse_hms(s.get(12..)?)?;
    let mut len = 12 + tl;
    let zone = time::parse_zone_token(s.get(len..)?);
    if let Some((_, _, used)) = zone {
        len += used;
    }
    let text = s.get(..len)?;
    Some(Stamp { time: make_time(text, Some((y, m, d)), Some(ms), zone.map(|(o, t, _)| (o, t))), len })
}

/// Any of the timestamp forms above at the start of `s`.
pub fn stamp_any(s: &str) -> Option<Stamp> {
    let c = *s.as_bytes().first()?;
    if c.is_ascii_digit() {
        stamp_ymd(s).or_else(|| stamp_clf(s)).or_else(|| stamp_hms(s))
    } else if c.is_ascii_alphabetic() {
        stamp_mdy(s).or_else(|| stamp_unix_date(s))
    } else {
        None
    }
}

/// Finds a timestamp anywhere in the first 200 bytes of a line (for the text fallback).
pub fn find_stamp(line: &str) -> Option<(usize, Stamp)> {
    let head = prefix_at_most(line, 200);
    let b = head.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        let boundary = i == 0 || !b.get(i - 1).is_some_and(|p| p.is_ascii_alphanumeric());
        if !boundary || !(c.is_ascii_digit() || c.is_ascii_uppercase()) {
            continue;
        }
        if let Some(st) = line.get(i..).and_then(stamp_any) {
            return Some((i, st));
        }
    }
    None
}

/// Where `inner` (a slice of `outer`) starts in `outer`, from their addresses: parsers hand slices of
/// the record around, and a search for the same text would cost a scan per record.
pub fn offset_in(outer: &str, inner: &str) -> Option<usize> {
    let off = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    (off + inner.len() <= outer.len()).then_some(off)
}

/// The longest prefix of `s` of at most `n` bytes that ends on a char boundary.
pub fn prefix_at_most(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut k = n;
    while k > 0 && !s.is_char_boundary(k) {
        k -= 1;
    }
    s.get(..k).unwrap_or("")
}

// ---------------------------------------------------------------------------------------------
// Fields

/// `s.trim()`, answered at once when `s` starts and ends with a visible ASCII character (the
/// usual field: `str::trim` decodes a character at each end through a generic pattern, and
/// parsers and decoders trim every key and value they read).
#[inline]
pub fn trimmed(s: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii() && !char::from(b).is_whitespace());
    if visible(s.as_bytes().first()) && visible(s.as_bytes().last()) {
        s
    } else {
        s.trim()
    }
}

/// Sets a string field unless it is already set (the first occurrence wins).
pub fn put(rec: &mut Record, key: &str, value: &str) {
    if !rec.detail() {
        return;
    }
    let key = trimmed(key);
    if !key.is_empty() {
        rec.set_new(key, trimmed(value));
    }
}

fn key_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'#' | b'.' | b'-')
}

/// `%[k=v][k=v]…` (Cisco CCBU): values may hold nested brackets (`{ nocache=[1366756802163], }`).
/// Returns the byte offset just past the group, if one was found.
pub fn pct_fields(rec: &mut Record, s: &str) -> Option<usize> {
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> = std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"%["));
    let start = FINDER.find(s.as_bytes())?;
    Some(start + 1 + bracket_groups(rec, s.get(start + 1..)?))
}

/// Consecutive `[k=v]` groups at the start of `s`; returns bytes used.
pub fn bracket_groups(rec: &mut Record, s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while b.get(i) == Some(&b'[') {
        let mut depth = 0usize;
        let mut j = i;
        let mut close = None;
        while let Some(&c) = b.get(j) {
            match c {
                b'[' => depth += 1,
                b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        let Some(close) = close else { break };
        if let Some(inner) = s.get(i + 1..close) {
            if let Some((k, v)) = inner.split_once('=') {
                put(rec, k, v);
            }
        }
        i = close + 1;
    }
    i
}

/// `[Key=value]` groups anywhere in `s` (chat gateway `[ID=…]`, dumplog `[comp=…]`).
pub fn bracket_kv(rec: &mut Record, s: &str) {
    if !rec.detail() {
        return;
    }
    let b = s.as_bytes();
    for open in memchr::memchr_iter(b'[', b) {
        let Some(rest) = s.get(open + 1..) else { continue };
        // Bounded look-ahead keeps a line of unclosed brackets linear.
        let Some(close) = prefix_at_most(rest, 4096).find(']') else { continue };
        let Some(inner) = rest.get(..close) else { continue };
        if let Some((k, v)) = inner.split_once('=') {
            if !k.is_empty() && k.bytes().all(key_char) && !v.contains('[') {
                put(rec, k, v);
            }
        }
    }
}

/// `key=value` tokens (no spaces around `=`), values up to whitespace, `,` or a closing bracket.
/// Quotes around values are removed.
pub fn kv_eq(rec: &mut Record, s: &str) {
    if !rec.detail() {
        return;
    }
    let b = s.as_bytes();
    for eq in memchr::memchr_iter(b'=', b) {
        // Key: run of key chars right before '='.
        let mut k = eq;
        while k > 0 && b.get(k - 1).is_some_and(|&c| key_char(c)) {
            k -= 1;
        }
        if k == eq || !b.get(k).is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        if k > 0 && !b.get(k - 1).is_some_and(|&c| matches!(c, b' ' | b'\t' | b',' | b'(' | b'[' | b'{' | b'&' | b'?' | b';' | b'\n')) {
            continue;
        }
        if b.get(eq + 1) == Some(&b'=') || (eq > 0 && b.get(eq - 1) == Some(&b'=')) {
            continue;
        }
        let (v_start, v_end) = value_span(b, eq + 1);
        if let (Some(key), Some(val)) = (s.get(k..eq), s.get(v_start..v_end)) {
            put(rec, key, val);
        }
    }
}

/// The value starting at `vs`: quoted (quotes removed) or a token; a token followed by bare numbers
/// keeps them (`RouterCallKey=154526 37051928 1`).
fn value_span(b: &[u8], vs: usize) -> (usize, usize) {
    if let Some(&q @ (b'\'' | b'"')) = b.get(vs) {
        let rest = b.get(vs + 1..).unwrap_or(&[]);
        return match memchr::memchr(q, rest) {
            Some(e) => (vs + 1, vs + 1 + e),
            None => (vs + 1, token_end(b, vs + 1)),
        };
    }
    let mut end = token_end(b, vs);
    if end > vs && b.get(vs..end).is_some_and(|v| v.iter().all(|c| c.is_ascii_digit())) {
        while b.get(end) == Some(&b' ') {
            let next = token_end(b, end + 1);
            let tok = b.get(end + 1..next).unwrap_or(&[]);
            let after = b.get(next).copied();
            if tok.is_empty() || !tok.iter().all(|c| c.is_ascii_digit()) || after.is_some_and(|c| c != b' ' && c != b'\n' && c != b'\r') {
                break;
            }
            end = next;
        }
    }
    (vs, end)
}

fn token_end(b: &[u8], from: usize) -> usize {
    // Up to whitespace, `,`, `]`, `&`, `;` or a quote; parentheses and braces opened inside the value
    // are kept whole (`SG#=70518(0x11376)`, `CID=(154526,37051928)`), an unopened `)` ends it.
    let mut e = from;
    let mut depth = 0usize;
    while let Some(&c) = b.get(e) {
        match c {
            b'(' | b'{' => depth += 1,
            b')' | b'}' => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            b',' if depth > 0 => {}
            b' ' if depth > 0 && b.get(e + 1).is_some_and(|n| n.is_ascii_digit()) => {}
            _ if c.is_ascii_whitespace() || matches!(c, b',' | b']' | b'&' | b';' | b'\'' | b'"') => break,
            _ => {}
        }
        e += 1;
    }
    e
}

/// `Key = Value` pairs separated by commas, semicolons or line ends (ICM `SendARMMsg -- InvokeID = 1, …`).
pub fn kv_spaced(rec: &mut Record, s: &str) {
    if !rec.detail() {
        return;
    }
    for part in s.split([',', ';', '\n']) {
        let Some((k, v)) = part.split_once(" =") else { continue };
        let key = k.trim_end().rsplit([' ', '\t']).next().unwrap_or("");
        if key.is_empty() || !key.bytes().all(key_char) || !key.as_bytes().first().is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        put(rec, key, v.trim_end_matches('\r'));
    }
}

/// `Key:value` tokens (no space after the colon, CTI `MsgType:AGENT_STATE_EVENT (MonitorID:0 …`).
pub fn kv_colon(rec: &mut Record, s: &str) {
    if !rec.detail() {
        return;
    }
    let b = s.as_bytes();
    for c in memchr::memchr_iter(b':', b) {
        let mut k = c;
        while k > 0 && b.get(k - 1).is_some_and(|&x| x.is_ascii_alphanumeric() || x == b'_' || x == b'#') {
            k -= 1;
        }
        if k == c || !b.get(k).is_some_and(|x| x.is_ascii_alphabetic()) {
            continue;
        }
        if k > 0 && !b.get(k - 1).is_some_and(|&x| matches!(x, b' ' | b'(' | b'\t' | b'\n' | b'"')) {
            continue;
        }
        let vs = c + 1;
        if !b.get(vs).is_some_and(|x| !x.is_ascii_whitespace() && *x != b':') {
            continue;
        }
        let (vs, ve) = value_span(b, vs);
        if let (Some(key), Some(val)) = (s.get(k..c), s.get(vs..ve)) {
            put(rec, key, val);
        }
    }
}

/// One `Key = value` or `Key: value` per line (MR PIM message blocks, rttest).
pub fn kv_lines(rec: &mut Record, s: &str) {
    if !rec.detail() {
        return;
    }
    for line in s.lines() {
        let line = line.trim();
        if let Some((k, v)) = line.split_once(" = ") {
            if k.bytes().all(key_char) && !k.is_empty() {
                if k == "Message" {
                    // `Message = NEW_TASK; Length = 201 bytes`
                    kv_spaced(rec, line);
                } else {
                    put(rec, k, v);
                }
            }
        } else if let Some((k, v)) = line.split_once(':') {
            if !k.is_empty() && k.bytes().all(key_char) && (v.is_empty() || v.starts_with(' ')) {
                put(rec, k, v);
            }
        }
    }
}

/// Query parameters of a URL-ish token (`…?nocache=1366756805180&x=y`).
pub fn query_fields(rec: &mut Record, s: &str) {
    if !rec.detail() {
        return;
    }
    let Some(q) = s.find('?') else { return };
    let Some(query) = s.get(q + 1..) else { return };
    for part in query.split('&') {
        if let Some((k, v)) = part.split_once('=') {
            let v = v.split(['\'', '"', ' ']).next().unwrap_or("");
            if !k.is_empty() && k.bytes().all(key_char) {
                put(rec, k, v);
            }
        }
    }
}

/// The first UPPER_SNAKE token (at least one `_`, 4+ chars) in `s`: `Sending MEDIA_LOGIN_REQ -> …`.
pub fn upper_snake(s: &str) -> Option<&str> {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).find(|t| {
        t.len() >= 4
            && t.contains('_')
            && t.as_bytes().first().is_some_and(|c| c.is_ascii_uppercase())
            && t.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
            && !t.ends_with('_')
    })
}

/// The leading word of a message when it names an operation (`ProcessMediaLoginReq - …`,
/// `AGENT_EVENT: …`, `SetAgentState: …`, `MDSIO::ProcessOPCMessage: …`). None for `Key=value`.
pub fn lead_word(s: &str) -> Option<&str> {
    let s = s.trim_start();
    let end = s.find([' ', '\t', '(', '[', ',']).unwrap_or(s.len());
    let w = s.get(..end)?.trim_end_matches([':', '-']);
    let w = w.strip_suffix("()").unwrap_or(w);
    if w.is_empty() || w.len() > 80 || w.contains('=') || !w.as_bytes().first().is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    if !w.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'.' | b'-')) {
        return None;
    }
    Some(w)
}

/// Lines of a sample that are not blank, with a `file:` prefix (as grep writes it) removed when the
/// rest starts with a digit.
pub fn strip_grep_prefix(line: &str) -> &str {
    let b = line.as_bytes();
    if b.first().is_some_and(|c| c.is_ascii_digit()) {
        return line;
    }
    if let Some(c) = line.find(':') {
        let name = line.get(..c).unwrap_or("");
        if !name.is_empty() && !name.contains(' ') && name.contains('.') && name.len() < 256 {
            let rest = line.get(c + 1..).unwrap_or("");
            if rest.as_bytes().first().is_some_and(|c| c.is_ascii_digit()) {
                return rest;
            }
        }
    }
    line
}

/// `hay.contains(needle)`. A long text gets memchr's SIMD searcher (in wasm too); a short one (a
/// sample line, a header) is searched for the needle's first byte and compared there, because
/// building a searcher (memchr's, or the Two-Way one `str::contains` builds) costs more than
/// that, and format detection would pay it on every sample line for every family. Parsers,
/// decoders and correlation search record texts with it (imported as `contains`): in wasm,
/// `str::contains` built a Two-Way searcher per call, 8 % of the analysis' time.
pub fn has(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// `has` with ASCII letters of either case taken as equal (`needle` as written in any case):
/// no upper-cased copy of `hay` (correlation asks it of a message name per record).
pub fn has_any_case(hay: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    n.is_empty() || hay.as_bytes().windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// Calls `each(start)` for every place in `hay` where one of `needles` starts, ASCII letters of `hay` in either case, in order, each place once. For a handful of
/// needles: the text is lower-cased a block at a time into a small buffer and each needle found
/// there by `memmem` (vectorised, in wasm too), where a case-insensitive automaton walked every
/// byte through its table.
pub fn each_any_case(hay: &str, needles: &[&str], each: impl FnMut(usize)) {
    each_any_case_by(hay, needles, 64 << 10, each);
}

/// `each_any_case` lower-casing `block` bytes at a time.
fn each_any_case_by(hay: &str, needles: &[&str], block: usize, mut each: impl FnMut(usize)) {
    let block = block.max(1);
    let finders: Vec<memchr::memmem::Finder<'static>> =
        needles.iter().filter(|n| !n.is_empty()).map(|n| memchr::memmem::Finder::new(n.to_ascii_lowercase().as_bytes()).into_owned()).collect();
    let Some(longest) = finders.iter().map(|f| f.needle().len()).max() else { return };
    let h = hay.as_bytes();
    let mut lower = Vec::with_capacity(block + longest);
    let mut starts = Vec::new();
    let mut from = 0;
    while from < h.len() {
        // A block and the bytes after it that a needle starting inside it may reach; places are
        // taken only inside the block (the next block sees the rest).
        let block_end = from.saturating_add(block).min(h.len());
        let window = h.get(from..(block_end + longest - 1).min(h.len())).unwrap_or(&[]);
        lower.clear();
        lower.extend(window.iter().map(u8::to_ascii_lowercase));
        starts.clear();
        for f in &finders {
            starts.extend(f.find_iter(&lower).map(|i| from + i).filter(|&at| at < block_end));
        }
        starts.sort_unstable();
        starts.dedup();
        for &at in &starts {
            each(at);
        }
        from = block_end;
    }
}

/// Many words found in one pass over a text: every place each occurs, overlapping ones too (a
/// trigger inside a longer one, a marker inside a key). The walk over the automaton's table is
/// written here: aho-corasick's own overlapping and restarted searches keep their place in
/// memory and check it on every byte, about twice the work a byte for the same automaton.
pub struct Words {
    dfa: aho_corasick::dfa::DFA,
}

impl Words {
    /// The words, matched as written or (`any_case`) with ASCII letters in either case; `None`
    /// when they do not make an automaton (too many to build).
    pub fn new<P: AsRef<[u8]>>(words: impl IntoIterator<Item = P>, any_case: bool) -> Option<Words> {
        aho_corasick::dfa::DFA::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .ascii_case_insensitive(any_case)
            .prefilter(false)
            .build(words)
            .ok()
            .map(|dfa| Words { dfa })
    }

    /// Calls `each(word, start)` for every occurrence of every word in `hay` (`word` its place
    /// in the list given to `new`), in the order the occurrences end.
    pub fn each(&self, hay: &[u8], mut each: impl FnMut(usize, usize)) {
        self.walk(hay, &mut each);
    }

    /// `each`'s walk, compiled once on its own with the matches handled out of line: inlined
    /// into a large caller, the loop kept its place and state on the stack and read the table's
    /// address again for every byte (16 instructions a byte). Four bytes a turn: most turns meet
    /// no word, and the loop's own count is paid once for four.
    #[inline(never)]
    fn walk(&self, hay: &[u8], each: &mut dyn FnMut(usize, usize)) {
        use aho_corasick::automaton::Automaton;
        use aho_corasick::Anchored;
        let dfa = &self.dfa;
        let Ok(mut sid) = dfa.start_state(Anchored::No) else { return };
        let mut step = |sid: &mut aho_corasick::automaton::StateID, b: u8, end: usize| -> bool {
            *sid = dfa.next_state(Anchored::No, *sid, b);
            !dfa.is_special(*sid) || self.report(*sid, end, each)
        };
        let mut quads = hay.chunks_exact(4);
        let mut at = 0;
        for q in quads.by_ref() {
            if let [a, b, c, d] = *q {
                if !(step(&mut sid, a, at + 1) && step(&mut sid, b, at + 2) && step(&mut sid, c, at + 3) && step(&mut sid, d, at + 4)) {
                    return;
                }
            }
            at += 4;
        }
        for &b in quads.remainder() {
            at += 1;
            if !step(&mut sid, b, at) {
                return;
            }
        }
    }

    /// The words that end at `end` in state `sid`; false when the walk is over (a dead state).
    #[cold]
    #[inline(never)]
    fn report(&self, sid: aho_corasick::automaton::StateID, end: usize, each: &mut dyn FnMut(usize, usize)) -> bool {
        use aho_corasick::automaton::Automaton;
        let dfa = &self.dfa;
        if dfa.is_dead(sid) {
            return false;
        }
        if dfa.is_match(sid) {
            for k in 0..dfa.match_len(sid) {
                let word = dfa.match_pattern(sid, k);
                each(word.as_usize(), end.saturating_sub(dfa.pattern_len(word)));
            }
        }
        true
    }
}

/// `hay.find(needle)`, searched as `has` searches (parsers look for a dozen phrases in every line).
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    const SHORT: usize = 512;
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if h.len() >= SHORT {
        return memchr::memmem::find(h, n);
    }
    // The byte looked for: the needle's first that is not a space. Spaces are the commonest byte
    // of a log line and many needles start with one (" -> ", " was last active "): looking for
    // the space stopped at every word. Every match has this byte `k` bytes in, so the places it
    // is found, `k` bytes back, are the candidates in order and the first that holds is leftmost.
    let k = n.iter().position(|&c| c != b' ').unwrap_or(0);
    let Some(&key) = n.get(k) else { return Some(0) };
    let mut from = k;
    while let Some(i) = h.get(from..).and_then(|t| memchr::memchr(key, t)) {
        let at = from + i - k;
        if h.get(at..).is_some_and(|t| t.starts_with(n)) {
            return Some(at);
        }
        from += i + 1;
    }
    None
}

/// `hay.split_once(needle)`, searched as `find` searches.
pub fn split_once<'a>(hay: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let at = find(hay, needle)?;
    Some((hay.get(..at)?, hay.get(at + needle.len()..)?))
}

/// Share (0..=100) of sample lines for which `pred` holds.
pub fn share(lines: &[&str], pred: impl Fn(&str) -> bool) -> u32 {
    percent(lines.iter().filter(|l| pred(l)).count(), lines.len())
}

/// `count` of `of` in whole percent, rounded down (0 of nothing).
pub fn percent(count: usize, of: usize) -> u32 {
    (count.saturating_mul(100)).checked_div(of).map_or(0, |p| p as u32)
}

/// Score from a share: nothing below `min` percent, else `base` plus up to 10 for more matching lines.
pub fn score(share: u32, min: u32, base: u8) -> u8 {
    if share < min || share == 0 {
        0
    } else {
        base.saturating_add((share / 10).min(10) as u8)
    }
}

/// `score(share(lines, pred), min, base)`, reading lines only while `min` can still be reached:
/// detection asks every family about every file, and a family turns most files away before half
/// their sample lines are read (a bundle of thousands of small files paid for every line).
pub fn scored(lines: &[&str], min: u32, base: u8, pred: impl Fn(&str) -> bool) -> u8 {
    let n = lines.len();
    // The fewest matching lines whose share (rounded down, as `share` does) is `min` or more.
    let need = (min as usize).saturating_mul(n).div_ceil(100);
    let mut hits = 0;
    for (k, l) in lines.iter().enumerate() {
        if hits + (n - k) < need {
            return 0;
        }
        if pred(l) {
            hits += 1;
        }
    }
    score(percent(hits, n), min, base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scored_is_the_score_of_the_share() {
        // Every sample of up to 70 lines whose matches follow a few patterns, every threshold the
        // detectors use and the edges.
        let lines: Vec<String> = (0..70).map(|i| format!("{i}")).collect();
        let patterns: [fn(usize) -> bool; 6] = [|_| true, |_| false, |i| i % 2 == 0, |i| i % 7 == 3, |i| i < 20, |i| i >= 45];
        for n in 0..=70 {
            let sample: Vec<&str> = lines.iter().take(n).map(String::as_str).collect();
            for p in patterns {
                let pred = |l: &str| l.parse().is_ok_and(p);
                for min in [0, 1, 10, 15, 20, 29, 30, 40, 50, 99, 100, 101] {
                    for base in [0, 65, 85, 250] {
                        assert_eq!(scored(&sample, min, base, pred), score(share(&sample, pred), min, base), "n {n} min {min}");
                    }
                }
            }
        }
    }

    /// `has_any_case` answers as upper-casing both sides and searching did, on every short text
    /// of a few pieces (letters in both cases, `_`, multi-byte letters).
    #[test]
    fn any_case_search_is_an_upper_cased_search() {
        let pieces = ["end", "END", "_task", "TASK", "Offer", "é", "ß", "x", "_"];
        for hay in crate::test_support::every_text(&pieces, 4, 12) {
            for needle in ["END_TASK", "OFFER", "START", "END", "", "é"] {
                let upper = hay.to_ascii_uppercase();
                assert_eq!(has_any_case(&hay, needle), upper.contains(&needle.to_ascii_uppercase()), "{hay:?} {needle:?}");
            }
        }
    }

    /// Every place any needle starts, in order, once: against every overlapping match of a
    /// case-insensitive automaton, on every text of a grammar, with blocks from one byte (every
    /// place near a block's edge) to larger than the text.
    #[test]
    fn any_case_places_are_every_overlapping_match() {
        let pieces = ["ex", "EX", "ample.com", ".", "Example.COM", "a", "é", "\n", "com", "x.co"];
        let needle_sets: [&[&str]; 4] = [&["example.com"], &["x.com", "example.com", "com"], &["é", "a.c"], &["EXAMPLE.com", ""]];
        let mut found = 0;
        for needles in needle_sets {
            let ac = aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(needles.iter().filter(|n| !n.is_empty())).expect("automaton");
            for hay in crate::test_support::every_text(&pieces, 4, 40) {
                let mut want: Vec<usize> = ac.find_overlapping_iter(&hay).map(|m| m.start()).collect();
                want.sort_unstable();
                want.dedup();
                found += want.len();
                for block in [1, 2, 3, 7, 64 << 10] {
                    let mut got = Vec::new();
                    each_any_case_by(&hay, needles, block, |at| got.push(at));
                    assert_eq!(got, want, "{hay:?} {needles:?} block {block}");
                }
            }
        }
        assert!(found > 10_000, "{found} places");
    }

    /// `Words::each` reports what aho-corasick's overlapping search reports (word and start), in
    /// the order the occurrences end, as written and in any case, on every text of a grammar.
    #[test]
    fn words_are_every_overlapping_match() {
        let pieces = ["ex", "EX", "ample.com", ".", "Example.COM", "a", "é", "\n", "com", "x.co", "+1", "@"];
        let word_sets: [&[&str]; 3] = [&["example.com", "ex"], &["x.com", "example.com", "com", "m", "co"], &["é", "a.c", "+1", "@", "Ex"]];
        let mut found = 0;
        for words in word_sets {
            for any_case in [false, true] {
                let ac = aho_corasick::AhoCorasick::builder().ascii_case_insensitive(any_case).build(words).expect("automaton");
                let scan = Words::new(words, any_case).expect("words");
                for hay in crate::test_support::every_text(&pieces, 3, 40) {
                    let want: Vec<(usize, usize, usize)> = ac.find_overlapping_iter(&hay).map(|m| (m.end(), m.pattern().as_usize(), m.start())).collect();
                    let mut got = Vec::new();
                    scan.each(hay.as_bytes(), |w, start| got.push((start + words[w].len(), w, start)));
                    assert_eq!(got, want, "{hay:?} {words:?} any case {any_case}");
                    found += want.len();
                }
            }
        }
        assert!(found > 10_000, "{found} places");
    }

    /// Every text of up to three characters from a grammar of white space (ASCII, vertical tab,
    /// Unicode), visible ASCII and a multi-byte letter: `trimmed` is `str::trim`.
    #[test]
    fn trimmed_is_str_trim() {
        let pieces = [" ", "\t", "\u{b}", "\u{c}", "\r\n", "\u{a0}", "\u{2003}", "\u{85}", "a", "é", "\u{1f}", "-"];
        for s in crate::test_support::every_text(&pieces, 3, 16) {
            assert_eq!(trimmed(&s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn has_agrees_with_contains() {
        let long = format!("{}needle", "nee".repeat(400));
        let hays = ["", "n", "needle", "neneedle", "a needle in", "needl", "ééneedleé", "nee nee", " ", "  needle", "a  nee  needle ", " é é", long.as_str()];
        for hay in hays {
            for needle in ["", "n", "needle", "le", "é", "xyz", "neneedle", " ", "  ", " needle", "  nee", " in", "e nee", " é"] {
                assert_eq!(has(hay, needle), hay.contains(needle), "{hay:?} / {needle:?}");
                assert_eq!(find(hay, needle), hay.find(needle), "{hay:?} / {needle:?}");
            }
        }
    }

    /// Every text of up to six bytes from spaces and two letters, every needle of up to three:
    /// `find` answers as `str::find` (needles that start with spaces are found by another byte).
    #[test]
    fn find_agrees_with_str_find_everywhere() {
        let every = |n: usize| crate::test_support::every_text(&[" ", "a", "b"], n, n);
        let (hays, needles) = (every(6), every(3));
        for hay in &hays {
            for needle in &needles {
                assert_eq!(find(hay, needle), hay.find(needle.as_str()), "{hay:?} / {needle:?}");
            }
        }
    }

    #[test]
    fn fields() {
        let mut r = Record::new(0, "text");
        pct_fields(&mut r, "%CCBU_x-6-A: %[method_name=GET][parameter_name={ nocache=[1366756802163], }][usr=]: Request");
        assert_eq!(r.get_str("parameter_name").as_deref(), Some("{ nocache=[1366756802163], }"));
        assert_eq!(r.get_str("usr").as_deref(), Some(""));
        let mut r = Record::new(0, "text");
        kv_eq(&mut r, "SetAgentState: ASTID=6420 Periph#=15003 SG#=70518(0x11376) url='/a?b=1' x==y");
        assert_eq!(r.get_str("SG#").as_deref(), Some("70518(0x11376)"));
        assert_eq!(r.get_str("url").as_deref(), Some("/a?b=1"));
        let mut r = Record::new(0, "text");
        kv_spaced(&mut r, "SendARMMsg -- InvokeID = 5, AgentMode = 0\nIsAvailable = 0, AgentID =");
        assert_eq!(r.get_str("InvokeID").as_deref(), Some("5"));
        assert_eq!(r.get_str("IsAvailable").as_deref(), Some("0"));
        assert_eq!(r.get_str("AgentID").as_deref(), Some(""));
        let mut r = Record::new(0, "text");
        kv_colon(&mut r, "MsgType:OFFER_TASK_IND (InvokeID:0x8a88 MRDID:5011 ICMAgentID:5172");
        assert_eq!(r.get_str("MsgType").as_deref(), Some("OFFER_TASK_IND"));
        assert_eq!(r.get_str("InvokeID").as_deref(), Some("0x8a88"));
    }

    #[test]
    fn garbage_never_panics() {
        let long = "x=".repeat(100_000);
        let mut r = Record::new(0, "text");
        for s in ["", "=", "[", "%[", "%[a", "é=é", ":", "a:", "ä:ö", long.as_str(), "\u{0}\u{ffff}[[[=]]]"] {
            kv_eq(&mut r, s);
            kv_colon(&mut r, s);
            kv_spaced(&mut r, s);
            pct_fields(&mut r, s);
            bracket_kv(&mut r, s);
            kv_lines(&mut r, s);
            let _ = stamp_any(s);
            let _ = find_stamp(s);
        }
        assert!(stamp_any("2019-13-20 18:27:31.749").is_none());
        assert!(stamp_any("99999-01-20 18:27:31").is_none());
        assert!(stamp_any("Feb 8 2007 25:37:44.658").is_none());
        assert!(stamp_mdy("Foo 8 2007 05:37:44").is_none());
    }

    #[test]
    fn stamps() {
        let line = "2019-07-20 18:27:31.749 GMT+0000 <@> INFO";
        assert_eq!(stamp_ymd(line).map(|s| &line[..s.len]), Some("2019-07-20 18:27:31.749 GMT+0000"));
        let s = stamp_ymd(line).map(|s| s.time);
        assert_eq!(s.and_then(|t| t.offset_min()), Some(0));
        let line = "2018-08-27 14:59:01.781 - info: x";
        assert_eq!(stamp_ymd(line).map(|s| &line[..s.len]), Some("2018-08-27 14:59:01.781"));
        let line = "Jun 17 2017 00:16:04.630 +0530: %CCBU";
        let s = stamp_mdy(line).map(|s| s.time);
        assert_eq!(s.as_ref().and_then(|t| t.offset_min()), Some(330));
        assert_eq!(stamp_mdy(line).map(|s| &line[..s.len]), Some("Jun 17 2017 00:16:04.630 +0530"));
        let line = "Aug 27 12:21:23.943 EDT %MADM";
        let s = stamp_mdy(line).map(|s| s.time);
        assert_eq!(s.as_ref().and_then(|t| t.date()), None);
        assert_eq!(stamp_mdy(line).map(|s| &line[..s.len]), Some("Aug 27 12:21:23.943 EDT"));
        let s = stamp_unix_date("Tue Aug 28 10:21:19 EDT 2018] : x").map(|s| s.time);
        assert_eq!(s.as_ref().and_then(|t| t.date()), Some((2018, 8, 28)));
        let s = stamp_clf("23/Apr/2013:18:40:05 -0400] \"GET").map(|s| s.time);
        assert_eq!(s.as_ref().and_then(|t| t.offset_min()), Some(-240));
    }
}
