//! A flow's link reasons ("same requestId … in Desktop-webservices.2026-03-12T06-00-00.000.log
//! L401, L404; and Finesse_agents.txt L201") kept compactly: one text per flow, and the names of
//! the flow's files written in it as three-byte tokens. On a busy day there are hundreds of
//! thousands of reasons, and the file names were a third of their text.
//!
//! A token is `\u{1}` and two characters naming a file name in a registry shared by every flow
//! (`register`); a `\u{1}` the reason itself held is written twice. Reading expands both, so a
//! reason reads back exactly as it was given.

use serde::Serialize;
use std::borrow::Cow;

/// Starts a token.
const MARK: char = '\u{1}';
/// The characters of a token's two-digit index.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// Names the registry holds (two digits of 64); later names stay written out.
const MAX_NAMES: usize = 64 * 64;
/// Names shorter than this gain nothing from a token; longer ones are not file names.
const MIN_NAME: usize = 4;
const MAX_NAME: usize = 255;

static NAMES: [std::sync::OnceLock<&'static str>; MAX_NAMES] = [const { std::sync::OnceLock::new() }; MAX_NAMES];
/// Name → index, held only to register (reading a token takes no lock).
static INDEX: std::sync::Mutex<Option<std::collections::HashMap<&'static str, u16>>> = std::sync::Mutex::new(None);

/// The registry index of a file name, registering it the first time (names are kept for the
/// run, at most `MAX_NAMES` of at most `MAX_NAME` bytes). `None`: written out.
fn register(name: &str) -> Option<u16> {
    if name.len() < MIN_NAME || name.len() > MAX_NAME || name.contains(MARK) {
        return None;
    }
    let mut guard = INDEX.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let index = guard.get_or_insert_with(Default::default);
    if let Some(&i) = index.get(name) {
        return Some(i);
    }
    let i = index.len();
    let slot = NAMES.get(i)?;
    let kept: &'static str = Box::leak(name.to_string().into_boxed_str());
    slot.set(kept).ok()?;
    index.insert(kept, i as u16);
    Some(i as u16)
}

fn name_of(i: usize) -> Option<&'static str> {
    NAMES.get(i)?.get().copied()
}

fn digit(c: u8) -> Option<usize> {
    DIGITS.iter().position(|&d| d == c)
}

/// `s` with `\u{1}` doubled and each of `names` (name, index) as a token, in one pass from the
/// left (a name found first wins; of two starting together, the longer).
fn encode(s: &str, names: &[(&str, u16)], out: &mut String) {
    let mut rest = s;
    loop {
        let next = names.iter().filter_map(|&(n, i)| rest.find(n).map(|at| (at, n.len(), i))).min_by_key(|&(at, len, _)| (at, std::cmp::Reverse(len)));
        let (plain, token) = match next {
            Some((at, len, i)) => (rest.get(..at).unwrap_or(""), Some((len, i))),
            None => (rest, None),
        };
        for part in plain.split_inclusive(MARK) {
            out.push_str(part);
            if part.ends_with(MARK) {
                out.push(MARK);
            }
        }
        let Some((len, i)) = token else { return };
        // `register` gives indexes below 64 × 64 only; any other is written out.
        let name = rest.get(plain.len()..plain.len() + len).unwrap_or("");
        match (DIGITS.get(i as usize / 64), DIGITS.get(i as usize % 64)) {
            (Some(&hi), Some(&lo)) => {
                out.push(MARK);
                out.push(hi as char);
                out.push(lo as char);
            }
            _ => out.push_str(name),
        }
        rest = rest.get(plain.len() + len..).unwrap_or("");
    }
}

/// The text a stored one stands for (tokens and doubled marks expanded).
fn decode(s: &str) -> Cow<'_, str> {
    if !s.contains(MARK) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 64);
    let mut rest = s;
    while let Some(at) = rest.find(MARK) {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at + 1..).unwrap_or("");
        let b = after.as_bytes();
        match (b.first().copied(), b.get(1).copied()) {
            (Some(1), _) => {
                out.push(MARK);
                rest = after.get(1..).unwrap_or("");
            }
            (Some(hi), Some(lo)) => {
                // Only `encode` writes these: an unknown token reads as nothing rather than wrong.
                if let Some(name) = digit(hi).zip(digit(lo)).and_then(|(h, l)| name_of(h * 64 + l)) {
                    out.push_str(name);
                }
                rest = after.get(2..).unwrap_or("");
            }
            _ => rest = "",
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A list of texts kept as one text and where each ends: a flow's link reasons cost two
/// allocations per flow, not one per reason.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Texts {
    text: Box<str>,
    ends: Box<[u32]>,
}

impl Texts {
    /// The list, with the file names `names` (a flow's files' short names) written as tokens.
    pub fn with_names<S: AsRef<str>>(list: &[S], names: &[&str]) -> Self {
        // Only the names the reasons hold are registered and searched for, each once.
        let mut names: Vec<&str> = names.iter().copied().filter(|n| list.iter().any(|s| s.as_ref().contains(n))).collect();
        names.sort_unstable();
        names.dedup();
        let names: Vec<(&str, u16)> = names.into_iter().filter_map(|n| register(n).map(|i| (n, i))).collect();
        let mut text = String::with_capacity(list.iter().map(|s| s.as_ref().len()).sum());
        let mut ends = Vec::with_capacity(list.len());
        for s in list {
            encode(s.as_ref(), &names, &mut text);
            // Past 4 GiB of text (never: a flow lists at most `flows::MAX_LINKS` + 2 reasons)
            // the rest read as empty rather than wrong.
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        Texts { text: text.into_boxed_str(), ends: ends.into_boxed_slice() }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, n: usize) -> Option<Cow<'_, str>> {
        let end = *self.ends.get(n)? as usize;
        let start = match n.checked_sub(1) {
            Some(p) => self.ends.get(p).copied().unwrap_or(0) as usize,
            None => 0,
        };
        self.text.get(start..end).map(decode)
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Cow<'_, str>> + '_ {
        (0..self.ends.len()).map(move |n| self.get(n).unwrap_or_default())
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

    /// Link reasons kept as one text read back as the list they were, empty ones included.
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

    /// File names become tokens and read back exactly: names inside other names, a name at the
    /// very start and end, marks the text held itself, a name holding a mark (written out),
    /// names too short to gain, non-ASCII around a token.
    #[test]
    fn file_names_are_tokens_and_read_back_exactly() {
        let long = "Desktop-webservices.2026-03-12T06-00-00.000.log";
        let list = vec![
            format!("same requestId r1 in {long} L401, L404; and Finesse_agents.txt L201"),
            format!("{long} L402: names agent 100100 and lies between flow records in old-ctisvr.txt L9 and ctisvr.txt L8"),
            "a \u{1} mark, two \u{1}\u{1} and one at the end \u{1}".to_string(),
            "ünïcode ctisvr.txt→ctisvr.txt a.b ctisvr.txtctisvr.txt".to_string(),
            format!("\u{1}AB{long}\u{1}"),
            "rtr.txt L1 and b\u{1}c.log L2".to_string(),
        ];
        let names = [long, "Finesse_agents.txt", "ctisvr.txt", "old-ctisvr.txt", "a.b", "b\u{1}c.log"];
        let t = Texts::with_names(&list, &names);
        assert_eq!(t.iter().collect::<Vec<_>>(), list);
        assert_eq!(serde_json::to_string(&t).unwrap_or_default(), serde_json::to_string(&list).unwrap_or_default());
        let written: usize = list.iter().map(String::len).sum();
        assert!(t.text.len() + 2 * long.len() < written, "{} of {written} bytes", t.text.len());
        assert!(!t.text.contains(long) && !t.text.contains("Finesse_agents.txt"));
        // Too short for a token: written out.
        assert!(t.text.contains("a.b"));
    }
}
