//! A flow's texts — its steps' labels and its link reasons — and a finding's summary, kept
//! packed: a busy day has a hundred thousand flows, half a million steps and tens of thousands of
//! findings, and their texts were a sixth of the memory at the end of an analysis. Texts are
//! written by a few templates around IDs, so they pack well word by word:
//! - a word without a digit ("AgentStateEvent", " (", "requestId"), or a file name the flow
//!   names (or, in a summary, one a flow named before), is an index into a registry shared by
//!   every flow (one byte for the first 192, two for the next 8192); the registry fills on
//!   sight, and words past it are written out;
//! - a number is a varint, a line reference `L401` too, a lower-case UUID its 16 bytes, a
//!   lower-case hex ID its nibbles;
//! - a word the flow said before (the same requestId in four labels and a reason) is a
//!   reference back to where it was first written;
//! - anything else is written out, with its length.
//!
//! Every text of a list reads back on its own, exactly as it was given (references point at a
//! token, never into another text's words in a way that needs decoding from the start).

use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write;

/// Registry words with a one-byte token: tags below this.
const SHORT_WORDS: usize = 0xC0;
/// Tags `0xC0..0xE0` and one more byte: the next 32 × 256 registry words.
const LONG_TAG: u8 = 0xC0;
const LONG_WORDS: usize = 32 * 256;
const MAX_WORDS: usize = SHORT_WORDS + LONG_WORDS;
/// Written out: varint length, then the UTF-8 bytes.
const LITERAL: u8 = 0xE0;
/// A decimal number without leading zeros: varint.
const NUMBER: u8 = 0xE1;
/// `L` and a decimal number (a line reference): varint.
const LINE: u8 = 0xE2;
/// A lower-case UUID (8-4-4-4-12): 16 bytes.
const UUID: u8 = 0xE3;
/// A run of lower-case hex digits: varint count, then the nibbles, two to a byte.
const HEX: u8 = 0xE4;
/// The same word as the token at this place of the list: varint place.
const BACK: u8 = 0xE5;

/// Longest registry word (longer ones are not template words; file names are shorter).
const MAX_WORD: usize = 96;
/// Shortest word with a digit looked up as a file name ("a.log").
const MIN_NAME: usize = 5;
/// Shortest hex run worth packing (two bytes of tag and count, half the digits).
const MIN_HEX: usize = 6;

type Map<K, V> = HashMap<K, V, crate::model::FxBuild>;

static WORDS: [std::sync::OnceLock<&'static str>; MAX_WORDS] = [const { std::sync::OnceLock::new() }; MAX_WORDS];
/// Word → index, locked only to register (reading a word takes no lock).
static INDEX: std::sync::Mutex<Option<Map<&'static str, u16>>> = std::sync::Mutex::new(None);

/// The words this thread met, and their indexes: the registry is locked only for a word the
/// thread meets for the first time (a few hundred in a run), not once per flow.
struct Known {
    /// One-byte words (a space, a comma) by byte: index + 1, 0 when not met yet.
    single: [u16; 128],
    words: Map<&'static str, u16>,
}

impl Known {
    /// The registry index of `w`, registering it the first time while there is room.
    fn index_of(&mut self, w: &str) -> Option<usize> {
        if let [c] = w.as_bytes() {
            if let Some(&i) = self.single.get(usize::from(*c)).filter(|&&i| i > 0) {
                return Some(usize::from(i) - 1);
            }
        } else if let Some(&i) = self.words.get(w) {
            return Some(usize::from(i));
        }
        let i = register(w)?;
        let kept = word_of(i)?;
        match kept.as_bytes() {
            [c] if c.is_ascii() => {
                if let Some(slot) = self.single.get_mut(usize::from(*c)) {
                    *slot = i as u16 + 1;
                }
            }
            _ => {
                self.words.insert(kept, i as u16);
            }
        }
        Some(i)
    }
}

thread_local! {
    static KNOWN: std::cell::RefCell<Known> = std::cell::RefCell::new(Known { single: [0; 128], words: Map::default() });
}

/// The registry index of `w`, registering it the first time while there is room (the registry
/// locked).
fn register(w: &str) -> Option<usize> {
    use std::sync::atomic::{AtomicBool, Ordering};
    /// Set once every slot is taken: later words are written out without taking the lock.
    static FULL: AtomicBool = AtomicBool::new(false);
    if FULL.load(Ordering::Relaxed) {
        return None;
    }
    let i = {
        let mut guard = INDEX.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let index = guard.get_or_insert_with(Default::default);
        match index.get(w) {
            Some(&i) => i,
            None => {
                let i = index.len();
                let Some(slot) = WORDS.get(i) else {
                    FULL.store(true, Ordering::Relaxed);
                    return None;
                };
                let kept: &'static str = Box::leak(w.to_string().into_boxed_str());
                slot.set(kept).ok()?;
                index.insert(kept, i as u16);
                i as u16
            }
        }
    };
    Some(usize::from(i))
}

fn word_of(i: usize) -> Option<&'static str> {
    WORDS.get(i)?.get().copied()
}

/// A text's words: maximal runs of letters, digits, `_`, `-` and `.` (a UUID, "29.8", a file or
/// host name is one word), with whether each holds a digit; the text between words comes as
/// words without one.
pub fn words(s: &str) -> impl Iterator<Item = (&str, bool)> {
    // Each byte's class, looked up (every label is split into words two or three times while
    // its flow is built): bit 0 a word byte, bit 1 a digit.
    const CLASS: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut c = 0;
        while c < 256 {
            let b = c as u8;
            if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.' {
                t[c] = if b.is_ascii_digit() { 3 } else { 1 };
            }
            c += 1;
        }
        t
    };
    let class = |c: u8| CLASS.get(usize::from(c)).copied().unwrap_or(0);
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let first = class(*b.get(i)?);
        let word = first & 1;
        let mut digits = first;
        let mut j = i + 1;
        while let Some(c) = b.get(j).map(|&c| class(c)).filter(|c| c & 1 == word) {
            digits |= c;
            j += 1;
        }
        // Runs end at ASCII bytes or at the end: always on a character boundary.
        let part = s.get(i..j).unwrap_or("");
        i = j;
        Some((part, digits & 2 != 0))
    })
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn varint_len(v: u64) -> usize {
    (64 - (v | 1).leading_zeros() as usize).div_ceil(7)
}

/// Reads a varint at `*at`, moving past it.
fn get_varint(b: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let c = *b.get(*at)?;
        *at += 1;
        v |= u64::from(c & 0x7F) << shift;
        if c < 0x80 {
            return Some(v);
        }
    }
    None
}

/// A decimal number as written without leading zeros, that fits a `u64`.
fn decimal(w: &str) -> Option<u64> {
    let b = w.as_bytes();
    let first = *b.first()?;
    if !b.iter().all(u8::is_ascii_digit) || (first == b'0' && b.len() > 1) || b.len() > 19 {
        return None;
    }
    w.parse().ok()
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Packs lower-case hex digits two to a byte (`None` if `w` holds anything else).
fn put_nibbles(out: &mut Vec<u8>, w: &[u8]) -> Option<()> {
    for pair in w.chunks(2) {
        let hi = hex_value(*pair.first()?)?;
        let lo = match pair.get(1) {
            Some(&c) => hex_value(c)?,
            None => 0,
        };
        out.push(hi << 4 | lo);
    }
    Some(())
}

fn is_uuid(w: &[u8]) -> bool {
    w.len() == 36 && w.iter().enumerate().all(|(i, &c)| if matches!(i, 8 | 13 | 18 | 23) { c == b'-' } else { hex_value(c).is_some() })
}

/// Packs one list.
struct Packer<'r, 's> {
    known: &'r mut Known,
    /// File names the flow names: registered although they hold digits.
    names: &'r [&'r str],
    /// Words written so far (with a digit), and where.
    said: Map<&'s str, u32>,
    out: Vec<u8>,
}

impl<'r, 's> Packer<'r, 's> {
    /// The registry index of a word without a digit or of a file name the flow names.
    fn registered(&mut self, w: &str, digits: bool) -> Option<usize> {
        if w.is_empty() || w.len() > MAX_WORD {
            return None;
        }
        if digits && !self.names.contains(&w) {
            // A file name some flow registered (a finding names the files its flow did); only
            // looked up, without the lock, and only for words shaped like one.
            return if w.len() >= MIN_NAME && w.contains('.') { self.known.words.get(w).map(|&i| usize::from(i)) } else { None };
        }
        self.known.index_of(w)
    }

    fn put(&mut self, w: &'s str, digits: bool) {
        if let Some(i) = self.registered(w, digits) {
            if i < SHORT_WORDS {
                self.out.push(i as u8);
            } else {
                let long = i - SHORT_WORDS;
                self.out.push(LONG_TAG + (long >> 8) as u8);
                self.out.push(long as u8);
            }
            return;
        }
        if let Some(&at) = self.said.get(w) {
            self.out.push(BACK);
            put_varint(&mut self.out, u64::from(at));
            return;
        }
        let at = self.out.len();
        let b = w.as_bytes();
        if let Some(n) = decimal(w) {
            self.out.push(NUMBER);
            put_varint(&mut self.out, n);
        } else if let Some(n) = w.strip_prefix('L').and_then(decimal) {
            self.out.push(LINE);
            put_varint(&mut self.out, n);
        } else if is_uuid(b) {
            self.out.push(UUID);
            for part in w.split('-') {
                // Every byte was checked by `is_uuid`.
                let _ = put_nibbles(&mut self.out, part.as_bytes());
            }
        } else if b.len() >= MIN_HEX && b.iter().all(|&c| hex_value(c).is_some()) {
            self.out.push(HEX);
            put_varint(&mut self.out, b.len() as u64);
            let _ = put_nibbles(&mut self.out, b);
        } else {
            self.out.push(LITERAL);
            put_varint(&mut self.out, b.len() as u64);
            self.out.extend_from_slice(b);
        }
        // Said again later, a word costs a reference when that is shorter.
        if let Ok(at32) = u32::try_from(at) {
            if self.out.len() - at > 1 + varint_len(u64::from(at32)) {
                self.said.insert(w, at32);
            }
        }
    }
}

/// Appends the one token at `*at` to `out`, moving past it; `back` is false inside a reference
/// (a reference only ever points at a written word). `None`: the bytes end or are not tokens.
fn read_token(b: &[u8], at: &mut usize, out: &mut String, back: bool) -> Option<()> {
    let tag = *b.get(*at)?;
    *at += 1;
    match tag {
        t if (t as usize) < SHORT_WORDS => out.push_str(word_of(t as usize)?),
        t if t < LITERAL => {
            let lo = *b.get(*at)?;
            *at += 1;
            out.push_str(word_of(SHORT_WORDS + (usize::from(t - LONG_TAG) << 8 | usize::from(lo)))?);
        }
        LITERAL => {
            let len = usize::try_from(get_varint(b, at)?).ok()?;
            let bytes = b.get(*at..at.checked_add(len)?)?;
            *at += len;
            out.push_str(std::str::from_utf8(bytes).ok()?);
        }
        NUMBER => {
            let n = get_varint(b, at)?;
            write!(out, "{n}").ok()?;
        }
        LINE => {
            let n = get_varint(b, at)?;
            write!(out, "L{n}").ok()?;
        }
        UUID => {
            let bytes = b.get(*at..*at + 16)?;
            *at += 16;
            for (k, &c) in bytes.iter().enumerate() {
                if matches!(k, 4 | 6 | 8 | 10) {
                    out.push('-');
                }
                out.push(HEX_DIGITS[usize::from(c >> 4)] as char);
                out.push(HEX_DIGITS[usize::from(c & 15)] as char);
            }
        }
        HEX => {
            let n = usize::try_from(get_varint(b, at)?).ok()?;
            let bytes = b.get(*at..at.checked_add(n.div_ceil(2))?)?;
            *at += bytes.len();
            for k in 0..n {
                let c = bytes.get(k / 2)?;
                let nibble = if k % 2 == 0 { c >> 4 } else { c & 15 };
                out.push(HEX_DIGITS[usize::from(nibble)] as char);
            }
        }
        BACK if back => {
            let mut place = usize::try_from(get_varint(b, at)?).ok()?;
            // Only earlier places: a reference cannot loop.
            if place >= *at {
                return None;
            }
            read_token(b, &mut place, out, false)?;
        }
        _ => return None,
    }
    Some(())
}

/// A list of texts packed in one run of bytes, with where each ends: a flow's labels, or its link
/// reasons, cost one allocation per flow. The bytes: a width (2 or 4), the count (4 bytes),
/// where each text ends in that width, then the packed texts. No texts: no bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Texts {
    data: Box<[u8]>,
}

/// Width, count, and where the ends start.
const HEAD: usize = 5;

impl Texts {
    /// The list packed, the file names `names` (a flow's files' short names) as registry words.
    pub fn with_names<S: AsRef<str>>(list: &[S], names: &[&str]) -> Self {
        Self::pack(list.iter().map(AsRef::as_ref), names, list.iter().map(|s| s.as_ref().len()).sum())
    }

    /// `with_names` over any run of texts, `bytes` long in all (texts pack to about a third:
    /// half is room enough to grow rarely).
    pub fn pack<'s>(list: impl IntoIterator<Item = &'s str>, names: &[&str], bytes: usize) -> Self {
        let list = list.into_iter();
        let mut ends: Vec<usize> = Vec::with_capacity(list.size_hint().0);
        let packed = KNOWN.with(|known| {
            let mut known = known.borrow_mut();
            // Sized for the words a text this long holds (grown from empty it was rehashed
            // several times per flow).
            let said = Map::with_capacity_and_hasher((bytes / 16).min(4096), Default::default());
            let mut p = Packer { known: &mut known, names, said, out: Vec::with_capacity(bytes / 2) };
            for s in list {
                for (w, digits) in words(s) {
                    p.put(w, digits);
                }
                ends.push(p.out.len());
            }
            p.out
        });
        // Past 4 GiB of packed text or of texts (never: a flow holds at most
        // `flows::MAX_FLOW_RECORDS` steps) the list reads as empty rather than wrong.
        let (Ok(count), Ok(_)) = (u32::try_from(ends.len()), u32::try_from(packed.len())) else { return Texts::default() };
        if count == 0 {
            return Texts::default();
        }
        let width = if packed.len() <= usize::from(u16::MAX) { 2 } else { 4 };
        let mut data = Vec::with_capacity(HEAD + width * ends.len() + packed.len());
        data.push(width as u8);
        data.extend_from_slice(&count.to_le_bytes());
        for e in ends {
            data.extend_from_slice(&(e as u32).to_le_bytes()[..width]);
        }
        data.extend_from_slice(&packed);
        Texts { data: data.into_boxed_slice() }
    }

    pub fn len(&self) -> usize {
        let count = self.data.get(1..HEAD).and_then(|b| b.try_into().ok()).map_or(0, |b| u32::from_le_bytes(b) as usize);
        // No more than the ends the bytes hold.
        count.min(self.data.len().saturating_sub(HEAD) / self.width())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn width(&self) -> usize {
        self.data.first().map_or(2, |&w| usize::from(w).clamp(1, 4))
    }

    /// The packed texts, after the ends.
    fn packed(&self) -> &[u8] {
        let from = HEAD.saturating_add(self.len().saturating_mul(self.width()));
        self.data.get(from..).unwrap_or(&[])
    }

    /// Where text `n` ends in the packed texts.
    fn end(&self, n: usize) -> Option<usize> {
        let w = self.width();
        let at = HEAD.checked_add(n.checked_mul(w)?)?;
        let mut b = [0u8; 4];
        b.get_mut(..w)?.copy_from_slice(self.data.get(at..at + w)?);
        Some(u32::from_le_bytes(b) as usize)
    }

    /// Bytes held.
    pub fn packed_bytes(&self) -> usize {
        self.data.len()
    }

    /// Text `n`, appended to `out` (cleared first).
    pub fn read_into(&self, n: usize, out: &mut String) -> bool {
        out.clear();
        if n >= self.len() {
            return false;
        }
        let Some(end) = self.end(n) else { return false };
        let mut at = n.checked_sub(1).and_then(|p| self.end(p)).unwrap_or(0);
        let packed = self.packed();
        let end = end.min(packed.len());
        while at < end {
            // Only `pack` writes these bytes: what cannot be read ends the text short rather
            // than wrong.
            if read_token(packed, &mut at, out, true).is_none() {
                break;
            }
        }
        true
    }

    pub fn get(&self, n: usize) -> Option<Cow<'_, str>> {
        let mut out = String::new();
        self.read_into(n, &mut out).then_some(Cow::Owned(out))
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Cow<'_, str>> + '_ {
        (0..self.len()).map(move |n| self.get(n).unwrap_or_default())
    }
}

/// One text packed as `Texts` packs a list (a finding's summary: a busy day has tens of thousands).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Text(Texts);

impl Text {
    pub fn new(s: &str) -> Self {
        Text(Texts::pack([s], &[], s.len()))
    }

    /// The text, read back.
    pub fn get(&self) -> String {
        let mut out = String::new();
        self.0.read_into(0, &mut out);
        out
    }

    pub fn is_empty(&self) -> bool {
        self.0.end(0).unwrap_or(0) == 0
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::new(&s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::new(s)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.get())
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.get(), f)
    }
}

/// Written as the text.
impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.get())
    }
}

impl<S: AsRef<str>> From<Vec<S>> for Texts {
    fn from(list: Vec<S>) -> Self {
        Texts::with_names(&list, &[])
    }
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Written as the list of texts.
impl Serialize for Texts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words are maximal runs of one class (ASCII word bytes or not), with whether a word holds a
    /// digit.
    #[test]
    fn words_split_runs_and_see_digits() {
        let got: Vec<(&str, bool)> = words("GET User/1001 (requestId a1-b2) — ok.v2 ünï L9").collect();
        let want = [
            ("GET", false),
            (" ", false),
            ("User", false),
            ("/", false),
            ("1001", true),
            (" (", false),
            ("requestId", false),
            (" ", false),
            ("a1-b2", true),
            (") — ", false),
            ("ok.v2", true),
            // Bytes outside ASCII are not word bytes.
            (" ü", false),
            ("n", false),
            ("ï ", false),
            ("L9", true),
        ];
        assert_eq!(got, want);
        assert_eq!(words("").count(), 0);
        assert_eq!(words("ü").collect::<Vec<_>>(), [("ü", false)]);
    }

    /// Texts read back as the list they were, empty ones included.
    #[test]
    fn texts_read_back_as_the_list_they_were() {
        let list = vec!["same InvokeID 80171 in listener.log L6", "", "ünïcode → reason", "last"];
        let t = Texts::from(list.clone());
        assert_eq!(t.len(), 4);
        assert_eq!(t.iter().collect::<Vec<_>>(), list);
        assert_eq!(t.get(1).as_deref(), Some(""));
        assert_eq!(t.get(4), None);
        assert_eq!(serde_json::to_string(&t).unwrap_or_default(), serde_json::to_string(&list).unwrap_or_default());
        assert_eq!(format!("{:?}", Texts::from(vec!["a", "b"])), r#"["a", "b"]"#);
        let empty = Texts::default();
        assert!(empty.is_empty() && empty.iter().next().is_none() && serde_json::to_string(&empty).unwrap_or_default() == "[]");
    }

    /// Every kind of word reads back exactly: numbers at the edges of what packs (leading zeros,
    /// past `u64`), line references, UUIDs in both cases, hex runs of odd length, file names
    /// with digits, words said twice (references), controls and non-ASCII.
    #[test]
    fn every_kind_of_word_reads_back_exactly() {
        let long = "Desktop-webservices.2026-03-12T06-00-00.000.log";
        let list: Vec<String> = vec![
            format!("same requestId 81f4c8da-145e-4fa4-a819-b27ee15f9dd6 in {long} L401, L404; and Finesse_agents.txt L201"),
            format!("{long} L402: names agent 100100 and 81f4c8da-145e-4fa4-a819-b27ee15f9dd6 again"),
            "0 00 01 007 18446744073709551615 18446744073709551616 99999999999999999999 -1 1.5 29.8".into(),
            "L L0 L01 Lx L18446744073709551616 l7 LL7".into(),
            "81F4C8DA-145E-4FA4-A819-B27EE15F9DD6 81f4c8da-145e-4fa4-a819-b27ee15f9dd 5276b7ca 5276b7c abc12 0x5276b7ca deadbeef".into(),
            "\u{1}\u{0} tab\tand\nnewline ünïcode → label – ✓ 日本 😀 end".into(),
            "155298_50000000_1 155298_50000000_1 155298_50000000_1".into(),
            " leading and trailing spaces  ".into(),
        ];
        let t = Texts::with_names(&list, &[long, "Finesse_agents.txt"]);
        assert_eq!(t.iter().collect::<Vec<_>>(), list);
        for (n, s) in list.iter().enumerate() {
            assert_eq!(t.get(n).as_deref(), Some(s.as_str()), "text {n} on its own");
        }
        let written: usize = list.iter().map(String::len).sum();
        assert!(t.packed_bytes() < written, "{} of {written} bytes", t.packed_bytes());
    }

    /// A flow's labels pack to under half: template words are registry bytes, IDs said again
    /// are references.
    #[test]
    fn labels_of_a_flow_pack_small() {
        let list: Vec<String> = (0..40)
            .map(|k| format!("XMPP publish Update to /finesse/api/User/100{} (requestId 81f4c8da-145e-4fa4-a819-b27ee15f9dd{})", k % 3, k % 4))
            .collect();
        let t = Texts::from(list.clone());
        assert_eq!(t.iter().collect::<Vec<_>>(), list);
        let written: usize = list.iter().map(String::len).sum();
        // Under half even when every word took two bytes (tests share the registry).
        assert!(t.packed_bytes() * 2 < written, "{} of {written} bytes", t.packed_bytes());
    }

    /// One text reads back as it was; a file name a flow registered is a registry word in it.
    #[test]
    fn one_text_reads_back_and_borrows_file_names() {
        let name = "Desktop-webservices.2026-03-12T06-00-00.009.log";
        let _ = Texts::with_names(&[format!("same ID in {name} L4")], &[name]);
        let s = format!("Task task 155298_50000000_1 was offered ({name} L1) but the logs show no END_TASK");
        let t = Text::from(s.clone());
        assert_eq!((t.get(), t.to_string(), format!("{t:?}")), (s.clone(), s.clone(), format!("{s:?}")));
        assert_eq!(serde_json::to_string(&t).unwrap_or_default(), serde_json::to_string(&s).unwrap_or_default());
        assert!(t.0.packed_bytes() < s.len() - name.len(), "{} bytes", t.0.packed_bytes());
        assert!(Text::default().is_empty() && Text::from("").is_empty() && !t.is_empty());
    }

    /// Random texts over an alphabet of word and separator characters, digits, hex and
    /// multi-byte characters read back exactly.
    #[test]
    fn random_texts_read_back_exactly() {
        let alphabet: Vec<char> = "0123456789abcdefL-_. ,;:()/\u{1}é→😀AZxyz".chars().collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..300 {
            let list: Vec<String> = (0..next(6)).map(|_| (0..next(60)).map(|_| alphabet[next(alphabet.len())]).collect()).collect();
            let t = Texts::from(list.clone());
            assert_eq!(t.iter().collect::<Vec<_>>(), list);
        }
    }

    /// Bytes that are not what `with_names` writes read as short texts, never a panic.
    #[test]
    fn damaged_bytes_read_short_without_panic() {
        let t = Texts::from(vec!["same requestId 81f4c8da-145e-4fa4-a819-b27ee15f9dd6 L401", "again 81f4c8da-145e-4fa4-a819-b27ee15f9dd6"]);
        for cut in 0..t.data.len() {
            for flip in [0x00, 0x01, 0x04, 0x7F, 0xFF, BACK, LITERAL, HEX, UUID] {
                let mut data = t.data.to_vec();
                data[cut] = flip;
                data.truncate(data.len() - cut / 3);
                let damaged = Texts { data: data.into_boxed_slice() };
                let _ = damaged.iter().count();
            }
        }
    }
}
