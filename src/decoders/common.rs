//! Small helpers shared by the decoders: naming, number parsing, key=value scanning, task IDs.

use crate::formats::engine::{find as find_in, has as contains};
use crate::model::Record;
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
pub fn truncate_at_char(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// Sets the record's name if no parser named it yet.
pub fn name_if_none(rec: &mut Record, name: &str) {
    if rec.name.is_none() && !name.is_empty() {
        rec.set_name(name);
    }
}

/// Inserts a field only if it is not there yet (the format parser's generic fields win).
pub fn set_if_absent(rec: &mut Record, key: &str, value: impl Into<Value>) {
    rec.set_new(key, value);
}

/// A number when the text is an integer (decimal, optionally negative), a string otherwise.
pub fn num_or_str(s: &str) -> Value {
    let t = crate::formats::engine::trimmed(s);
    if !t.is_empty() && t.len() < 19 {
        let digits = t.strip_prefix('-').unwrap_or(t);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && !(digits.len() > 1 && digits.starts_with('0')) {
            if let Ok(n) = t.parse::<i64>() {
                return Value::from(n);
            }
        }
    }
    Value::from(t.to_string())
}

/// What `read` takes from the text right after the first occurrence of `lit` where it takes
/// anything, trying each occurrence in turn: the groups of an expression `lit(…)` searched
/// leftmost-first, without a regex engine's passes per match (decoders pull a number or a quoted
/// value after a fixed phrase out of most records).
pub fn after_literal<'t, T>(text: &'t str, lit: &str, read: impl Fn(&'t str) -> Option<T>) -> Option<T> {
    // Occurrences may overlap: the next one is looked for from the next character on.
    let step = lit.chars().next().map_or(1, char::len_utf8);
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|t| find_in(t, lit)) {
        if let Some(v) = text.get(from + at + lit.len()..).and_then(&read) {
            return Some(v);
        }
        from += at + step;
    }
    None
}

/// The ASCII digits `s` starts with (`[0-9]+`).
pub fn leading_digits(s: &str) -> Option<&str> {
    leading(s, |c| c.is_ascii_digit())
}

/// The characters `s` starts with while `keep` holds: at least one (`[…]+`).
pub fn leading(s: &str, keep: impl Fn(char) -> bool) -> Option<&str> {
    let end = s.find(|c: char| !keep(c)).unwrap_or(s.len());
    s.get(..end).filter(|v| !v.is_empty())
}

/// The text before the first `'` of `s`, when there is one (`([^']*)'`).
pub fn before_quote(s: &str) -> Option<&str> {
    s.find('\'').and_then(|q| s.get(..q))
}

/// Parses an integer written in decimal or as `0x…` hex.
pub fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim();
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return i64::from_str_radix(h, 16).ok();
    }
    t.parse::<i64>().ok()
}

/// Sets `InvokeID` (decimal number) and `InvokeIDHex` from a value written in either base.
pub fn set_invoke_id(rec: &mut Record, raw: &str) {
    let raw = raw.trim();
    match parse_int(raw) {
        Some(n) => {
            rec.set("InvokeID", n);
            rec.set("InvokeIDHex", format!("0x{:x}", n));
        }
        None => {
            if !raw.is_empty() && raw != "null" {
                rec.set("InvokeID", raw);
            }
        }
    }
}

static TASK_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^\s*(-?\d+)\s*[_/:,\s]\s*(-?\d+)\s*[_/:,\s]\s*(-?\d+)\s*$").ok());

/// Canonical task key `day_callid_seq` (the Finesse/CCP form) from any of the written forms:
/// `154526_37051928_1`, `154526/37051928/1`, `154526:37051928: 1`, `154526 37051928 1`.
pub fn task_key(s: &str) -> Option<String> {
    if s.is_ascii() {
        return task_key_ascii(s.as_bytes());
    }
    // Digits and spaces of other scripts are read by the pattern (`\d`, `\s` are Unicode).
    let re = TASK_RE.as_ref()?;
    let c = re.captures(s)?;
    Some(format!("{}_{}_{}", c.get(1)?.as_str(), c.get(2)?.as_str(), c.get(3)?.as_str()))
}

/// `task_key` of an ASCII text, read by hand (asked of several fields of every record; the
/// pattern's search and the formatting were a percent of the analysis): three numbers, each an
/// optional `-` and digits, apart by spaces with at most one of `_/:,` among them.
fn task_key_ascii(b: &[u8]) -> Option<String> {
    // `\s` in ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
    let space = |c: u8| matches!(c, b'\t'..=b'\r' | b' ');
    let mut at = 0;
    let mut out = String::with_capacity(b.len());
    for part in 0..3 {
        let gap = at;
        let mut marks = 0;
        while let Some(&c) = b.get(at) {
            if space(c) {
                at += 1;
            } else if matches!(c, b'_' | b'/' | b':' | b',') && part > 0 && marks == 0 {
                marks += 1;
                at += 1;
            } else {
                break;
            }
        }
        // Between two numbers stands one separator at least (a space can be it).
        if part > 0 && at == gap {
            return None;
        }
        let start = at;
        if b.get(at) == Some(&b'-') {
            at += 1;
        }
        let digits = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        if at == digits {
            return None;
        }
        if part > 0 {
            out.push('_');
        }
        out.push_str(std::str::from_utf8(b.get(start..at)?).ok()?);
    }
    b.get(at..)?.iter().all(|&c| space(c)).then_some(out)
}

/// Sets `TaskKey` (canonical) when `raw` is a task ID other than the empty `-1_-1_-1`.
pub fn set_task_key(rec: &mut Record, raw: &str) {
    if let Some(k) = task_key(raw) {
        if k != "-1_-1_-1" {
            rec.set("TaskKey", k);
        }
    }
}

/// CTI agent states (protocols.md A.3).
pub fn agent_state_name(n: i64) -> Option<&'static str> {
    Some(match n {
        0 => "LOGIN",
        1 => "LOGOUT",
        2 => "NOT_READY",
        3 => "AVAILABLE",
        4 => "TALKING",
        5 => "WORK_NOT_READY",
        6 => "WORK_READY",
        7 => "BUSY_OTHER",
        8 => "RESERVED",
        9 => "UNKNOWN",
        10 => "HOLD",
        11 => "ACTIVE",
        12 => "PAUSED",
        13 => "INTERRUPTED",
        14 => "NOT_ACTIVE",
        _ => return None,
    })
}

/// ARM status codes (protocols.md A.6); 0 is success.
pub fn arm_status_name(n: i64) -> Option<&'static str> {
    Some(match n {
        0 => "SUCCESS",
        1 => "E_ARM_STAT_AGENT_ALREADY_LOGGED_IN",
        2 => "E_ARM_STAT_AGENT_NOT_FOUND",
        3 => "E_ARM_STAT_MRD_LIST_ENTRY_NOT_FOUND",
        6 => "E_ARM_STAT_AGENT_NOT_LOGGED_IN",
        9 => "E_ARM_STAT_ALREADY_HAVE_PENDING_MAKE_AGENT_NOT_READY",
        11 => "E_ARM_STAT_CANT_LOGIN_TO_VOICE_MRD",
        14 => "E_ARM_STAT_DO_THIS_WITH_TASK_SENT_RECENTLY",
        27 => "E_ARM_STAT_LOGIN_NOT_ALLOWED_FOR_APP_PATH",
        34 => "E_ARM_STAT_PERFORMANCE_LIMIT_EXCEEDED",
        36 => "E_ARM_STAT_CC_OFFLINE",
        37 => "E_ARM_STAT_LOGIN_TIMEOUT",
        38 => "E_ARM_STAT_PQ_LOGIN_FAILED",
        41 => "E_ARM_STAT_LOGIN_REQUEST_ALREADY_PENDING",
        _ => return None,
    })
}

/// `MakeAgentRoutableInd` → `MAKE_AGENT_ROUTABLE_IND`.
pub fn camel_to_upper_snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev_lower = false;
    for ch in s.chars() {
        if ch.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        out.push(ch.to_ascii_uppercase());
    }
    out
}

/// Scans `Key=Value` pairs separated by whitespace: a key is an ASCII letter then letters, digits,
/// `_` or `#`, at the start of the text or after white space, directly before `=`; its value runs
/// to the next white space. (Read by hand: the regular expression this replaced spent some
/// 170 instructions per byte of a CTI line.)
pub fn ws_pairs(text: &str) -> Vec<(&str, &str)> {
    let b = text.as_bytes();
    let is_key = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'#';
    let mut out = Vec::new();
    let mut pos = 0;
    // Whether a key may start at `pos` (the text's start, or just after white space).
    let mut key_may_start = true;
    while let Some(&c) = b.get(pos) {
        if key_may_start && c.is_ascii_alphabetic() {
            let key_end = pos + b.get(pos..).unwrap_or(&[]).iter().take_while(|&&c| is_key(c)).count();
            if b.get(key_end) == Some(&b'=') {
                let value_end = non_space_end(text, key_end + 1);
                if let (Some(k), Some(v)) = (text.get(pos..key_end), text.get(key_end + 1..value_end)) {
                    out.push((k, v));
                }
                pos = value_end;
            } else {
                // No key starts inside the run either: its bytes are not white space.
                pos = key_end;
            }
            key_may_start = false;
            continue;
        }
        let (space, width) = space_at(text, pos);
        key_may_start = space;
        pos += width;
    }
    out
}

/// Whether the character at byte `pos` of `text` is white space (Unicode's, as `\s`), and its width.
fn space_at(text: &str, pos: usize) -> (bool, usize) {
    match text.as_bytes().get(pos) {
        Some(&c) if c.is_ascii() => (matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'), 1),
        Some(_) => text.get(pos..).and_then(|s| s.chars().next()).map_or((false, 1), |ch| (ch.is_whitespace(), ch.len_utf8())),
        None => (false, 1),
    }
}

/// The end of the run of non-white-space characters of `text` from byte `pos`.
fn non_space_end(text: &str, mut pos: usize) -> usize {
    while pos < text.len() {
        let (space, width) = space_at(text, pos);
        if space {
            break;
        }
        pos += width;
    }
    pos.min(text.len())
}

/// Scans `Key = Value` pairs separated by commas or line ends (ctisvr/OPC `SendARMMsg` style).
pub fn eq_comma_pairs(text: &str) -> Vec<(String, String)> {
    static RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"([A-Za-z][A-Za-z0-9_]*) = ([^,\r\n]*)").ok());
    let Some(re) = RE.as_ref() else { return Vec::new() };
    re.captures_iter(text).filter_map(|c| Some((c.get(1)?.as_str().to_string(), c.get(2)?.as_str().trim().to_string()))).collect()
}

/// Percent-decoding with `+` as space (chat message bodies). Invalid escapes stay as written.
pub fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b.get(i) {
            Some(b'+') => {
                out.push(b' ');
                i += 1;
            }
            Some(b'%') => {
                let hex = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            Some(&c) => {
                out.push(c);
                i += 1;
            }
            None => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads `%[k=v][k=v]` groups (Cisco CCBU logs), honouring nested brackets inside values.
/// Index of the `]` that closes the `[` at `open` (nested brackets allowed), if there is one.
pub fn matching_bracket(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (j, &c) in bytes.iter().enumerate().skip(open) {
        if c == b'[' {
            depth += 1;
        } else if c == b']' {
            depth -= 1;
            if depth == 0 {
                return Some(j);
            }
        }
    }
    None
}

/// The literals decoders look for in a record before decoding it (their prefilters). One pass of
/// one automaton over a record finds them all (`begin_scan`), instead of one search per literal
/// per decoder; `holds!` answers from that pass with a bit test (the literal's place is worked out
/// while compiling, so a decoder cannot ask for a literal missing from this list).
const TRIGGERS: &[&str] = &[
    "%CCBU_",
    "]: [",
    " -> ",
    " = ",
    "%MADM-",
    "%MIVR-",
    "; Length = ",
    "<<\"<",
    "<ApiErrors",
    "<SocialContact ",
    "<SocialContact>",
    "<apiErrors",
    "<body",
    "<close",
    "<contactXML>",
    "<iq",
    "<message",
    "<open",
    "<presence",
    "A session is being closed for",
    "AGENT_EVENT:",
    "CONNECT ",
    "CallContact[",
    "Closing idle session",
    "Connect:",
    "Contact=",
    "ContactEvent [",
    "ContactId:",
    "Contact[",
    "Creating new session",
    "DSNotificationEvent",
    "Destroyed session",
    "Destroying session",
    "DeviceTargetPreCall",
    "Failed to route packet",
    "HTTP RECV",
    "HTTP SEND",
    "HTTP SENT",
    "InvokeID = ",
    "Making REST request",
    "Message = ",
    "MsgType:",
    "NEW_CALL ",
    "New incoming contact",
    "NewCall:",
    "NotificationEvent@",
    "OverallState=",
    "PreviousTaskID=",
    "Process",
    "Received ",
    "Received event on node",
    "Returned with status=",
    "SOCIAL_CONTACT_ID=",
    "SendARMMsg",
    "Sending ",
    "SetAgentState:",
    "SkgState=",
    "TaskID=",
    "Unable to route packet",
    "Update",
    "[ID=",
    "\\\"",
    "_PRE_CALL_IND",
    "_TASK_EVENT:",
    "agentAvailability",
    "chatEvents",
    "checkEligibility",
    "consumeResponse",
    "contactID:",
    "entrypoint/",
    "feedback rating",
    "from PG domain",
    "http://jabber.org/protocol/httpbind",
    "responseType",
    "scId=",
    "sending call to Agent",
    "sessionID",
    "socialContactId=",
    "socialcontact/",
    "stale sessions",
    "type: '",
    "was last active",
    "{body,",
];

// The scan keeps a bit per trigger in two words.
const _: () = assert!(TRIGGERS.len() <= 128);

/// What one scan found in the text being decoded: its address, length, one bit per trigger,
/// and the secret patterns whose words it holds (`sensitive::patterns_to_run`'s answer).
#[derive(Clone, Copy)]
struct Found {
    at: usize,
    len: usize,
    triggers: [u64; 2],
    secrets: u32,
}

impl Found {
    /// This scan's answers when it was of `text` (the same bytes at the same place).
    fn of(self, text: &str) -> Option<Self> {
        (self.at == text.as_ptr() as usize && self.len == text.len()).then_some(self)
    }
}

thread_local! {
    static CURRENT: std::cell::Cell<Option<Found>> = const { std::cell::Cell::new(None) };
}

/// While alive, `holds!` on `text` answers from one scan of it. Restores the outer scan when
/// dropped (decoders decode payloads inside payloads).
pub struct ScanGuard {
    previous: Option<Found>,
}

impl Drop for ScanGuard {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.previous));
    }
}

/// The automaton of `begin_scan`: the triggers, then the secret patterns' words, matched in any
/// ASCII case (the words of secrets are matched so; a trigger's hit is checked against its exact
/// bytes). With the word of each pattern id past the triggers, the secret patterns that need it.
struct Scanner {
    words: crate::formats::engine::Words,
    secret_needs: Vec<u32>,
}

static SCANNER: LazyLock<Option<Scanner>> = LazyLock::new(|| {
    let (words, secret_needs) = crate::decoders::sensitive::trigger_words();
    let words = crate::formats::engine::Words::new(TRIGGERS.iter().chain(words.iter()), true)?;
    Some(Scanner { words, secret_needs })
});

/// Scans `text` once for every trigger (see `TRIGGERS`) and every secret pattern's words.
fn scan(text: &str) -> Option<Found> {
    // Every occurrence of every word, in one overlapping pass (the word set is too large for a
    // prefilter to skip text, so nothing is lost against a restarted non-overlapping search,
    // which walked the text after each match again to find the longest). Secrets' words were a
    // second pass over a lower-cased copy of every record.
    let s = SCANNER.as_ref()?;
    let mut found = Found { at: text.as_ptr() as usize, len: text.len(), triggers: [0; 2], secrets: 0 };
    let bytes = text.as_bytes();
    s.words.each(bytes, |i, start| match TRIGGERS.get(i) {
        // Triggers are case-sensitive: the hit counts only in the trigger's own case.
        Some(t) => {
            if bytes.get(start..start + t.len()) == Some(t.as_bytes()) {
                if let Some(word) = found.triggers.get_mut(i / 64) {
                    *word |= 1 << (i % 64);
                }
            }
        }
        None => found.secrets |= s.secret_needs.get(i - TRIGGERS.len()).copied().unwrap_or(0),
    });
    Some(found)
}

/// Scans `text` once for every trigger (see `TRIGGERS`) and the words of secrets (see
/// `scanned_secret_patterns`).
pub fn begin_scan(text: &str) -> ScanGuard {
    let previous = CURRENT.with(|c| c.get());
    if let Some(found) = scan(text) {
        CURRENT.with(|c| c.set(Some(found)));
    }
    ScanGuard { previous }
}

/// The secret patterns (a bit each, as `sensitive::patterns_to_run`) whose words `text` holds,
/// when the current scan covers `text`.
pub fn scanned_secret_patterns(text: &str) -> Option<u32> {
    CURRENT.with(|c| c.get()).and_then(|f| f.of(text)).map(|f| f.secrets)
}

/// The place of `needle` in `TRIGGERS`. `holds!` works it out while compiling (a literal missing
/// from the list is a build error there, never a panic at run time).
pub const fn trigger(needle: &str) -> Option<usize> {
    let mut i = 0;
    while i < TRIGGERS.len() {
        if same_bytes(TRIGGERS[i].as_bytes(), needle.as_bytes()) {
            return Some(i);
        }
        i += 1;
    }
    None
}

const fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `text` holds trigger `i` (`trigger(..)`), answered from the current scan when it
/// covers `text` (a bit test: decoders ask some forty of these of every record).
#[inline]
pub fn holds_trigger(text: &str, i: usize) -> bool {
    match CURRENT.with(|c| c.get()).and_then(|f| f.of(text)) {
        Some(f) => f.triggers.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0),
        None => holds_trigger_unscanned(text, i),
    }
}

/// `holds_trigger` of a text no scan covers (a decoder's part of a record): searched. Kept out
/// of line so that the bit test above stays small enough to be inlined at every `holds!`.
#[cold]
#[inline(never)]
fn holds_trigger_unscanned(text: &str, i: usize) -> bool {
    TRIGGERS.get(i).is_some_and(|t| contains(text, t))
}

/// `text.contains("literal")` for a literal of `TRIGGERS` (checked while compiling), answered
/// from the current scan.
#[macro_export]
macro_rules! holds {
    ($text:expr, $lit:literal) => {{
        const AT: usize = match $crate::decoders::common::trigger($lit) {
            Some(at) => at,
            None => panic!("not in TRIGGERS"),
        };
        $crate::decoders::common::holds_trigger($text, AT)
    }};
}

pub fn ccbu_groups(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let Some(start) = find_in(text, "%[") else { return out };
    let bytes = text.as_bytes();
    let mut i = start + 1;
    while bytes.get(i) == Some(&b'[') {
        let open = i;
        let close = matching_bracket(bytes, open);
        let Some(close) = close else {
            // Unclosed group: take the rest as the value.
            if let Some(inner) = text.get(open + 1..) {
                if let Some((k, v)) = inner.split_once('=') {
                    out.push((crate::formats::engine::trimmed(k), v));
                }
            }
            break;
        };
        if let Some(inner) = text.get(open + 1..close) {
            if let Some((k, v)) = inner.split_once('=') {
                out.push((crate::formats::engine::trimmed(k), v));
            }
        }
        i = close + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand reader finds the pairs the pattern it replaced found, on every text of a grammar
    /// of keys, values, `=` and kinds of white space (Unicode's included).
    #[test]
    fn ws_pairs_by_hand_reads_like_the_pattern() {
        let re = Regex::new(r"(?:^|\s)([A-Za-z][A-Za-z0-9_#]*)=(\S*)").expect("pattern");
        let by_pattern = |s: &str| -> Vec<(String, String)> {
            re.captures_iter(s).filter_map(|c| Some((c.get(1)?.as_str().to_string(), c.get(2)?.as_str().to_string()))).collect()
        };
        let pieces = ["a", "B1", "=", " ", "\t", "\x0b", "\u{a0}", "\u{2003}", "#", "_", "9", "é", ",", "x=y", "\n", "\u{85}"];
        let texts = crate::test_support::every_text(&pieces, 5, 12);
        let mut with_pairs = 0;
        for t in &texts {
            let expected = by_pattern(t);
            with_pairs += usize::from(!expected.is_empty());
            let got: Vec<(String, String)> = ws_pairs(t).into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            assert_eq!(got, expected, "{t:?}");
        }
        assert!(with_pairs > 10_000, "{with_pairs} of {} texts hold a pair", texts.len());
    }

    /// The one scan answers as `str::contains` would, for triggers inside, overlapping and
    /// starting within other triggers' matches.
    #[test]
    fn task_key_by_hand_reads_like_the_pattern() {
        let re = TASK_RE.as_ref().expect("pattern");
        let by_pattern = |s: &str| re.captures(s).and_then(|c| Some(format!("{}_{}_{}", c.get(1)?.as_str(), c.get(2)?.as_str(), c.get(3)?.as_str())));
        // Every string of up to five pieces from an alphabet of the grammar's parts.
        let pieces = ["1", "23", "-4", "-", "_", "/", ":", ",", " ", "\t", "\x0b", "x", "__", " _ ", "5 "];
        let mut texts = crate::test_support::every_text(&pieces, 5, 9);
        texts.extend(
            ["154526_37051928_1", "154526/37051928/1", "154526:37051928: 1", " 154526 37051928 1 ", "1_2_3_4", "-1_-1_-1", "1,,2,3", "1 _ 2 / 3"]
                .map(String::from),
        );
        let mut matched = 0;
        for t in &texts {
            assert_eq!(task_key(t), by_pattern(t), "{t:?}");
            matched += usize::from(by_pattern(t).is_some());
        }
        assert!(matched > 1000, "{matched} of {} texts are task keys", texts.len());
        assert_eq!(task_key("١_٢_٣"), by_pattern("١_٢_٣"));
    }

    #[test]
    fn scan_agrees_with_contains() {
        let texts = [
            "AGENT_EVENT: InvokeID = 12 Message = x -> y",
            "<<\"<body rid=1><presence/></body>\">> Contact[ CallContact[ ]: [",
            "HTTP SENDHTTP RECV stale sessions was last active",
            "; Length = 3 = 4",
            "",
        ];
        for t in texts {
            let _scan = begin_scan(t);
            for (i, w) in TRIGGERS.iter().enumerate() {
                assert_eq!(holds_trigger(t, i), t.contains(w), "{w:?} in {t:?}");
            }
        }
    }

    /// One case-insensitive pass answers for the case-sensitive triggers and for the secrets'
    /// words as the searches it replaced did (`contains` per trigger; the secret patterns' own
    /// scan of a lower-cased copy), on every short text of triggers and secret words in three
    /// cases, run together and cut, on random longer ones, and on every line of the corpus.
    #[test]
    fn one_scan_answers_for_triggers_and_secret_words() {
        let (secret_words, _) = crate::decoders::sensitive::trigger_words();
        let mut pieces: Vec<String> = Vec::new();
        for w in TRIGGERS.iter().chain(secret_words.iter()).filter(|w| w.len() <= 12) {
            pieces.extend([w.to_string(), w.to_ascii_lowercase(), w.to_ascii_uppercase()]);
        }
        pieces.extend(["x".into(), " ".into(), "=".into(), "://a:b@".into(), "é".into()]);
        pieces.sort();
        pieces.dedup();
        let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
        let mut texts: Vec<String> = crate::test_support::generated_texts(7, &refs, 8, 60_000).collect();
        // Words cut anywhere, so that a text holds a word's start or end only.
        texts.extend(refs.iter().flat_map(|p| (0..p.len()).filter_map(move |k| Some(format!("{}{}", p.get(..k)?, p.get(k..)?.to_ascii_uppercase())))));
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let mut stack = vec![corpus];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    texts.extend(text.lines().map(String::from));
                }
            }
        }
        assert!(texts.len() > 60_000, "{} texts", texts.len());
        let (mut with_trigger, mut with_secret_word) = (0, 0);
        for t in &texts {
            let _scan = begin_scan(t);
            for (i, w) in TRIGGERS.iter().enumerate() {
                assert_eq!(holds_trigger(t, i), t.contains(w), "{w:?} in {t:?}");
            }
            let secrets = scanned_secret_patterns(t).expect("the scan covers the text");
            assert_eq!(secrets, crate::decoders::sensitive::patterns_to_run(t), "{t:?}");
            with_trigger += usize::from(TRIGGERS.iter().any(|w| t.contains(w)));
            with_secret_word += usize::from(secrets != 0);
        }
        assert!(with_trigger > 20_000 && with_secret_word > 20_000, "{with_trigger} and {with_secret_word} of {}", texts.len());
        assert_eq!(scanned_secret_patterns("a text no scan covers"), None);
    }

    #[test]
    fn scan_answers_like_contains() {
        let text = "Trace: AGENT_EVENT: ID=1 -> Sending MsgType:X <body rid='1'/>";
        let _g = begin_scan(text);
        for (i, t) in TRIGGERS.iter().enumerate() {
            assert_eq!(holds_trigger(text, i), text.contains(t), "{t}");
        }
        assert!(!holds_trigger(text, TRIGGERS.len()), "past the list");
        assert_eq!(trigger("not a trigger"), None);
        assert_eq!(trigger("AGENT_EVENT:").and_then(|i| TRIGGERS.get(i)).copied(), Some("AGENT_EVENT:"));
        let other = String::from("no scan covers this text: AGENT_EVENT:");
        assert!(crate::holds!(&other, "AGENT_EVENT:"), "another text is searched");
        assert!(!crate::holds!(&other, "MsgType:"));
    }

    #[test]
    fn task_keys() {
        assert_eq!(task_key("154526/37051928/1").as_deref(), Some("154526_37051928_1"));
        assert_eq!(task_key("154526:37051928: 1").as_deref(), Some("154526_37051928_1"));
        assert_eq!(task_key("154526 37051928 1").as_deref(), Some("154526_37051928_1"));
        assert_eq!(task_key("abc"), None);
    }

    #[test]
    fn groups() {
        let g = ccbu_groups("%CCBU_x-6-Y: %[a=1][b={ n=[2], }][c=x [y] z]: text");
        assert_eq!(g.len(), 3);
        assert_eq!(g[1].1, "{ n=[2], }");
        assert_eq!(g[2].1, "x [y] z");
        assert_eq!(camel_to_upper_snake("MakeAgentRoutableInd"), "MAKE_AGENT_ROUTABLE_IND");
        assert_eq!(url_decode("Hi+How%3F%zz"), "Hi How?%zz");
    }
}
