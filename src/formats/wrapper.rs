//! Whatever wraps log lines on their way to the engineer: a `grep` prefix, a syslog header, an
//! e-mail quote or indentation, ANSI colour codes, HTML escaping after a copy from a web page.
//!
//! Line wrappers (`Wrapper`) stay in the text, so the raw lines are shown as they came; the
//! engine reads each line past its wrapper, and a decoded record keeps the prefix as fields
//! (`grep_path`, `grep_line`, `syslog_host`, `syslog_program`, `syslog_pid`, `syslog_priority`).
//! Text wrappers (colour codes, HTML entities) are taken off the whole text before anything reads
//! it (`clean_text`); the file says so.
//!
//! Line wrappers, with lines written by the project:
//!
//! | wrapper | example |
//! |---|---|
//! | `grep -H` | `logs/ctisvr.txt:11:02:45:310 cg1A-ctisvr Trace: …` |
//! | `grep -Hn` (`-` on context lines) | `Desktop-webservices.log:1043:0000002201: host: …`, `x.log-1044-…` |
//! | `grep -n` | `1043:%CCBU_pool-3-thread-7-6-…` |
//! | editor search results | `Line 1043: 2016.11.02 08:14:02 …` |
//! | syslog (RFC 3164 / 5424) | `<134>Jun 11 15:20:31 xmpp1 prosody[812]: …`, `<134>1 2024-06-11T15:20:31Z xmpp1 prosody 812 - - …` |
//! | e-mail quote | `> 2016.11.02 08:14:02 …` |
//! | indentation | four spaces before every line |

use super::engine::{self, Stamp};
use crate::model::{LogFile, Record};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Wrapper {
    #[default]
    None,
    /// `path:NNN:` (or `path-NNN-` on context lines).
    GrepPathLine,
    /// `path:`.
    GrepPath,
    /// `NNN:` (or `NNN-`).
    GrepLine,
    /// `Line NNN: ` (editor search results), after optional blanks.
    LineLabel,
    /// A syslog header: `[<PRI>]Mon DD HH:MM:SS host tag[pid]: ` or `<PRI>1 ISO host app pid msgid SD `.
    Syslog,
    /// `> ` (possibly repeated) before every line.
    Quote,
    /// The same blanks before every line (this many bytes).
    Indent(u8),
}

/// A file-path token as `grep` prints it: no blanks, a file name with a dot, or a folder.
fn pathish(p: &str) -> bool {
    if p.is_empty() || p.len() > 255 || p.contains([' ', '\t', '<', '>', '"', '[', ']', '=']) {
        return false;
    }
    let name = p.rsplit(['/', '\\']).next().unwrap_or(p);
    // `ctisvr.txt`, `debug.log.1`, `MIVR01.log`; a bare number is not a path.
    (name.contains('.') || p.contains('/')) && name.bytes().any(|c| c.is_ascii_alphabetic())
}

/// The length of a leading `path:` (a drive letter's colon is part of the path).
fn path_prefix(l: &str) -> Option<usize> {
    let skip = if l.get(1..3) == Some(":\\") { 2 } else { 0 };
    let c = skip + l.get(skip..)?.find(':')?;
    pathish(l.get(..c)?).then_some(c + 1)
}

/// The length of leading `NNN:` / `NNN-` (1 to 9 digits).
fn number_prefix(l: &str) -> Option<usize> {
    let n = l.bytes().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || n > 9 {
        return None;
    }
    matches!(l.as_bytes().get(n), Some(b':') | Some(b'-')).then_some(n + 1)
}

/// A syslog header's parts: (header length, priority, stamp, host, program, pid).
pub struct SyslogHeader<'a> {
    pub len: usize,
    pub priority: Option<&'a str>,
    pub stamp: Option<Stamp>,
    pub host: &'a str,
    pub program: &'a str,
    pub pid: Option<&'a str>,
}

pub fn syslog_header(l: &str) -> Option<SyslogHeader<'_>> {
    let mut at = 0;
    let mut priority = None;
    if l.starts_with('<') {
        let close = l.find('>')?;
        let p = l.get(1..close)?;
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        priority = Some(p);
        at = close + 1;
    }
    let rest = l.get(at..)?;
    // RFC 5424: `1 <ISO> host app procid msgid [structured data|-] msg`.
    if let Some(r) = rest.strip_prefix("1 ") {
        let st = engine::stamp_ymd(r)?;
        let mut parts = r.get(st.len..)?.trim_start().splitn(5, ' ');
        let host = parts.next()?;
        let app = parts.next()?;
        let pid = parts.next()?;
        let _msgid = parts.next()?;
        let tail = parts.next().unwrap_or("");
        let sd_end = if tail.starts_with('-') {
            1
        } else if tail.starts_with('[') {
            engine::find(tail, "] ").map_or(tail.len(), |i| i + 1)
        } else {
            0
        };
        let msg = tail.get(sd_end..).unwrap_or("").trim_start();
        let len = l.len() - msg.len();
        return Some(SyslogHeader { len, priority, stamp: Some(st), host, program: app, pid: (pid != "-").then_some(pid) });
    }
    // RFC 3164: `Mon DD HH:MM:SS host tag[pid]: msg` (the tag's colon ends the header).
    let parts = engine::mdy_parts(rest)?;
    let after = rest.get(parts.used()..)?.strip_prefix(' ')?;
    let (host, tail) = after.split_once(' ')?;
    if host.is_empty() || host.contains(':') && !host.contains('.') {
        return None;
    }
    let colon = engine::find(tail, ": ").or_else(|| tail.ends_with(':').then(|| tail.len() - 1))?;
    let tag = tail.get(..colon)?;
    if tag.is_empty() || tag.len() > 64 || tag.contains(' ') {
        return None;
    }
    let (program, pid) = match tag.strip_suffix(']').and_then(|t| t.split_once('[')) {
        Some((p, pid)) => (p, Some(pid)),
        None => (tag, None),
    };
    let len = at + parts.used() + 1 + host.len() + 1 + colon + 1 + usize::from(tail.get(colon + 1..colon + 2) == Some(" "));
    Some(SyslogHeader { len, priority, stamp: Some(parts.stamp()), host, program, pid })
}

impl Wrapper {
    /// Bytes the wrapper takes at the start of this line (0 when the line does not carry it).
    pub fn prefix_len(self, l: &str) -> usize {
        match self {
            Wrapper::None => 0,
            Wrapper::GrepPathLine => path_prefix(l)
                .and_then(|p| l.get(p..).and_then(number_prefix).map(|n| p + n))
                .or_else(|| {
                    // context lines: `path-NNN-`
                    let dash = l.find(['-', ':'])?;
                    let mut i = dash;
                    while let Some(d) = l.get(i..).and_then(|r| r.find('-')).map(|x| x + i) {
                        let after = l.get(d + 1..)?;
                        let n = after.bytes().take_while(|c| c.is_ascii_digit()).count();
                        if n > 0 && after.as_bytes().get(n) == Some(&b'-') && pathish(l.get(..d)?) {
                            return Some(d + 1 + n + 1);
                        }
                        i = d + 1;
                        if i > 256 {
                            break;
                        }
                    }
                    None
                })
                .unwrap_or(0),
            Wrapper::GrepPath => path_prefix(l).unwrap_or(0),
            Wrapper::GrepLine => number_prefix(l).unwrap_or(0),
            Wrapper::LineLabel => {
                let t = l.trim_start_matches([' ', '\t']);
                let lead = l.len() - t.len();
                t.strip_prefix("Line ")
                    .and_then(|r| {
                        let n = r.bytes().take_while(|c| c.is_ascii_digit()).count();
                        (n > 0 && r.get(n..n + 1) == Some(":")).then(|| lead + 5 + n + 1 + usize::from(r.get(n + 1..n + 2) == Some(" ")))
                    })
                    .unwrap_or(0)
            }
            Wrapper::Syslog => syslog_header(l).map_or(0, |h| h.len),
            Wrapper::Quote => {
                let mut i = 0;
                let b = l.as_bytes();
                while b.get(i) == Some(&b'>') {
                    i += 1;
                    if b.get(i) == Some(&b' ') {
                        i += 1;
                    }
                }
                i
            }
            Wrapper::Indent(n) => {
                let n = n as usize;
                if l.len() >= n && l.as_bytes().iter().take(n).all(|c| *c == b' ' || *c == b'\t') {
                    n
                } else {
                    l.len() - l.trim_start_matches([' ', '\t']).len()
                }
            }
        }
    }

    /// The line past its wrapper.
    pub fn strip(self, l: &str) -> &str {
        if self == Wrapper::None {
            return l;
        }
        l.get(self.prefix_len(l)..).unwrap_or(l)
    }

    /// For people: what was found around the lines.
    pub fn describe(self) -> Option<String> {
        Some(match self {
            Wrapper::None => return None,
            Wrapper::GrepPathLine => "grep prefix (file:line:) before each line".into(),
            Wrapper::GrepPath => "grep prefix (file:) before each line".into(),
            Wrapper::GrepLine => "grep -n prefix (line:) before each line".into(),
            Wrapper::LineLabel => "search-result prefix (Line N:) before each line".into(),
            Wrapper::Syslog => "syslog header before each line".into(),
            Wrapper::Quote => "e-mail quote (>) before each line".into(),
            Wrapper::Indent(n) => format!("{n} blanks before each line"),
        })
    }

    /// The prefix's values as fields of a decoded record, and the syslog time when the line
    /// inside has none.
    pub fn fill(self, rec: &mut Record, line: &str) {
        let n = self.prefix_len(line);
        if n == 0 {
            return;
        }
        let prefix = line.get(..n).unwrap_or("");
        match self {
            Wrapper::GrepPathLine | Wrapper::GrepPath | Wrapper::GrepLine => {
                let (path, num) = match self {
                    Wrapper::GrepLine => ("", prefix),
                    _ => {
                        let p = path_prefix(prefix).unwrap_or(prefix.len());
                        (prefix.get(..p - 1).unwrap_or(""), prefix.get(p..).unwrap_or(""))
                    }
                };
                let num = num.trim_end_matches([':', '-']);
                if !path.is_empty() {
                    engine::put(rec, "grep_path", path);
                }
                if !num.is_empty() && self != Wrapper::GrepPath {
                    engine::put(rec, "grep_line", num);
                }
            }
            Wrapper::LineLabel => {
                let num: String = prefix.chars().filter(|c| c.is_ascii_digit()).collect();
                engine::put(rec, "grep_line", &num);
            }
            Wrapper::Syslog => {
                if let Some(h) = syslog_header(line) {
                    if rec.time.is_none() {
                        rec.time = h.stamp.map(|s| s.time);
                    }
                    if let Some(p) = h.priority {
                        engine::put(rec, "syslog_priority", p);
                    }
                    engine::put(rec, "syslog_host", h.host);
                    engine::put(rec, "syslog_program", h.program);
                    if let Some(pid) = h.pid {
                        engine::put(rec, "syslog_pid", pid);
                    }
                    if rec.component.is_none() {
                        rec.set_component(h.program);
                    }
                }
            }
            Wrapper::Quote | Wrapper::Indent(_) | Wrapper::None => {}
        }
    }

    /// The wrappers worth trying on a sample (each applies to at least 80 % of its lines).
    pub fn candidates(lines: &[&str]) -> Vec<Wrapper> {
        let mut out = Vec::new();
        if lines.is_empty() {
            return out;
        }
        // Four lines in five must carry the prefix: the count stops once more than a fifth lack it
        // (most files have no wrapper, and looking for a grep context prefix walks every dash).
        let allowed_missing = lines.len() - (lines.len() * 4).div_ceil(5);
        let most = |w: Wrapper| {
            let mut missing = 0;
            lines.iter().all(|l| {
                missing += usize::from(w.prefix_len(l) == 0);
                missing <= allowed_missing
            })
        };
        for w in [Wrapper::GrepPathLine, Wrapper::GrepPath, Wrapper::GrepLine, Wrapper::LineLabel, Wrapper::Syslog, Wrapper::Quote] {
            if most(w) {
                out.push(w);
            }
        }
        let indent = lines.iter().map(|l| l.len() - l.trim_start_matches([' ', '\t']).len()).min().unwrap_or(0);
        if indent > 0 {
            out.push(Wrapper::Indent(indent.min(64) as u8));
        }
        out
    }
}

/// Takes text wrappers off a file's whole text: ANSI colour codes, and HTML escaping when the text
/// was copied from a web page (entities where the log had `<`, `>`, `&`, quotes and blanks).
/// Returns what was done, for the file's row; the line index is rebuilt when the text changed.
pub fn clean_text(file: &mut LogFile) -> Vec<String> {
    let mut done = Vec::new();
    if memchr::memchr(0x1b, file.text.as_bytes()).is_some() {
        file.text = strip_ansi(&file.text);
        done.push("ANSI colour codes removed".to_string());
    }
    if looks_html_escaped(&file.text) {
        file.text = unescape_html(&file.text);
        done.push("HTML entities decoded (text copied from a web page)".to_string());
    }
    if !done.is_empty() {
        file.line_starts = engine::line_starts(&file.text);
    }
    done
}

/// `ESC [ … final` (CSI) and `ESC ] … BEL` (OSC) sequences removed.
fn strip_ansi(t: &str) -> String {
    let b = t.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == 0x1b {
            match b.get(i + 1) {
                Some(b'[') => {
                    let mut j = i + 2;
                    while j < b.len() && !(0x40..=0x7e).contains(&b[j]) {
                        j += 1;
                    }
                    i = j + 1;
                    continue;
                }
                Some(b']') => {
                    let mut j = i + 2;
                    while j < b.len() && b[j] != 0x07 && !(b[j] == 0x1b && b.get(j + 1) == Some(&b'\\')) {
                        j += 1;
                    }
                    i = if b.get(j) == Some(&0x07) { j + 1 } else { j + 2 };
                    continue;
                }
                _ => {
                    i += 2;
                    continue;
                }
            }
        }
        out.push(c);
        i += 1;
    }
    // Only ASCII bytes were removed, so the rest is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// HTML-escaped when entities stand where markup would be and raw markup is rare: at least three
/// `&lt;`/`&gt;`/`&quot;`/`&amp;`/`&nbsp;`/`&#…;` in the first 64 KiB and fewer raw `<` than them.
fn looks_html_escaped(t: &str) -> bool {
    let head = engine::prefix_at_most(t, 64 << 10);
    // One pass over the ampersands (six searches, one per entity, cost as much as parsing the head).
    let b = head.as_bytes();
    let entities = memchr::memchr_iter(b'&', b)
        .filter(|&i| {
            let tail = b.get(i + 1..).unwrap_or(&[]);
            [&b"lt;"[..], b"gt;", b"quot;", b"amp;", b"nbsp;", b"#"].iter().any(|e| tail.starts_with(e))
        })
        .count();
    let raw = memchr::memchr_iter(b'<', head.as_bytes()).count();
    entities >= 3 && raw * 4 < entities
}

fn unescape_html(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(i) = rest.find('&') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let tail = rest.get(i..).unwrap_or("");
        let end = engine::prefix_at_most(tail, 12).find(';');
        let decoded = end.and_then(|e| {
            let ent = tail.get(1..e)?;
            let c = match ent {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                _ => {
                    let num = ent.strip_prefix('#')?;
                    let v = match num.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(v)?
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = tail.get(used..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wrapper is a candidate when at least four lines in five carry it, for every number of
    /// lines and of lines carrying it, wherever those lines are.
    #[test]
    fn candidates_need_four_lines_in_five() {
        for n in 1..=70usize {
            for with in 0..=n {
                for first in [true, false] {
                    // `with` quoted lines, at the start or at the end.
                    let quoted = |i: usize| if first { i < with } else { i >= n - with };
                    let lines: Vec<&str> = (0..n).map(|i| if quoted(i) { "> quoted" } else { "plain" }).collect();
                    let want = with * 5 >= n * 4;
                    assert_eq!(Wrapper::candidates(&lines).contains(&Wrapper::Quote), want, "{n} lines, {with} quoted, first {first}");
                }
            }
        }
    }

    #[test]
    fn prefixes() {
        let l = "logs/ctisvr.txt:11:02:45:310 cg1A-ctisvr Trace: x";
        assert_eq!(Wrapper::GrepPath.strip(l), "11:02:45:310 cg1A-ctisvr Trace: x");
        let l = "Desktop-webservices.log:1043:0000002201: host: x";
        assert_eq!(Wrapper::GrepPathLine.strip(l), "0000002201: host: x");
        let l = "Desktop-webservices.log-1044-%CCBU_x-6-Y: z";
        assert_eq!(Wrapper::GrepPathLine.strip(l), "%CCBU_x-6-Y: z");
        assert_eq!(Wrapper::GrepLine.strip("1043:%CCBU_a-6-B: c"), "%CCBU_a-6-B: c");
        assert_eq!(Wrapper::LineLabel.strip("  Line 88: 2016.11.02 08:14:02 x"), "2016.11.02 08:14:02 x");
        assert_eq!(Wrapper::Quote.strip("> > 2016.11.02 x"), "2016.11.02 x");
        assert_eq!(Wrapper::Indent(4).strip("    abc"), "abc");
        assert_eq!(Wrapper::GrepPath.strip("C:\\logs\\debug.log:2016.11.02 08:14:02 x"), "2016.11.02 08:14:02 x");
    }

    #[test]
    fn syslog() {
        let l = "<134>Jun 11 15:20:31 xmpp1 prosody[812]: mod_bosh: New BOSH session";
        let h = syslog_header(l).map(|h| (h.len, h.host, h.program, h.pid));
        assert_eq!(h.map(|h| (l.get(h.0..), h.1, h.2, h.3)), Some((Some("mod_bosh: New BOSH session"), "xmpp1", "prosody", Some("812"))));
        let l = "<134>1 2024-06-11T15:20:31.902Z xmpp1 prosody 812 - - c2s: connected";
        assert_eq!(Wrapper::Syslog.strip(l), "c2s: connected");
        assert_eq!(Wrapper::Syslog.prefix_len("2016.11.02 08:14:02 x"), 0);
    }

    #[test]
    fn text_wrappers() {
        let mut f = LogFile::new("x.log", 0);
        f.text = "\u{1b}[32m[2024-06-11T15:20:31.902] [INFO]\u{1b}[39m x - &lt;body rid=&quot;1&quot;/&gt;&nbsp;&amp;&#39;\n".into();
        let done = clean_text(&mut f);
        assert_eq!(done.len(), 2, "{done:?}");
        assert_eq!(f.text, "[2024-06-11T15:20:31.902] [INFO] x - <body rid=\"1\"/> &'\n");
        let mut g = LogFile::new("y.log", 0);
        g.text = "a &amp; b <body/> <x/> <y/> <z/>\n".into();
        assert!(clean_text(&mut g).is_empty(), "raw markup: not an escaped page");
    }
}
