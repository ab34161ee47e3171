//! The sanitizer: one engine for the page's "Export sanitized…", the CLI's `sanitize` and the
//! sanitized case report. Secrets are always masked; personal data is optionally replaced by
//! consistent pseudonyms so that flows and correlation still form on the masked logs.
//!
//! It works in two passes over everything loaded:
//! 1. **learn** (`Sanitizer::learn_file`, `learn_text`): every finder runs over every file, and the
//!    values found are remembered — secrets long enough to be unambiguous (cookie values, session
//!    IDs, tokens, passwords decoded out of Basic and SASL PLAIN credentials), person names and
//!    phone numbers read from their fields, host names, XMPP domains.
//! 2. **apply** (`Sanitizer::clean`, `clean_file`): the finders run again, and every learnt value is
//!    also replaced wherever else it occurs (a name learnt from a `<firstName>` field is replaced in
//!    the chat gateway's free text; a JSESSIONID learnt from a `Set-Cookie` is masked in a URL).
//!
//! Secrets become `[MASKED:kind]` (`decoders::sensitive` lists the kinds and what is deliberately not
//! a secret: the BOSH sid). Personal values become tokens from `pseudonym` (`person-3f2a`,
//! `user-3f2a@example.invalid`, `phone-3f2a`, `198.18.7.42`, `h3f2a.h91c0.com`, `chat-3f2a`): the
//! same value gives the same token in every file, and agent IDs, extensions, task and dialog IDs
//! and BOSH sids stay, so the flows form again when the sanitized files are loaded.
//!
//! HAR files are read as JSON: headers, cookies, query and form parameters and name/value pairs
//! (ECE login parameters) are masked by their names, base64 bodies are decoded and masked inside,
//! and every string (bodies, WebSocket frames) is masked like a log. A HAR that is not valid JSON is
//! masked as text.
//!
//! The caller sees what will be masked before anything is written (`Preview`: every class with its
//! count, distinct values and sample lines taken from the masked output, so a secret is never shown).

pub mod personal;
pub mod pseudonym;

use crate::decoders::sensitive;
use crate::model::{FileStatus, LogFile};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use base64::Engine;
use pseudonym::{Class, Pseudonyms};
use regex::Regex;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

/// What to mask.
#[derive(Clone, Debug)]
pub struct Options {
    /// Also replace personal data by pseudonyms (secrets are always masked).
    pub personal: bool,
    /// The user's own patterns: the first capture group is masked, or the whole match.
    pub patterns: Vec<Regex>,
    /// Key of the pseudonym hash: random per export unless the user fixes it to keep tokens stable
    /// across exports (see `pseudonym`).
    pub key: [u8; 16],
}

impl Options {
    /// Secrets and the user's patterns only.
    pub fn secrets(patterns: Vec<Regex>) -> Self {
        Options { personal: false, patterns, key: [0; 16] }
    }
}

/// A pseudonym key from 32 hex digits.
pub fn key_from_hex(hex: &str) -> Result<[u8; 16], String> {
    let hex = hex.trim();
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("a key is 32 hex digits, not {hex:?}"));
    }
    let mut key = [0u8; 16];
    for (i, k) in key.iter_mut().enumerate() {
        *k = u8::from_str_radix(hex.get(2 * i..2 * i + 2).unwrap_or("00"), 16).map_err(|e| e.to_string())?;
    }
    Ok(key)
}

/// A key nobody can guess, for one export (natively: the clock, the process and the address space
/// layout through the standard library's randomly seeded hasher). The page passes bytes from
/// `crypto.getRandomValues` instead.
#[cfg(not(target_arch = "wasm32"))]
pub fn random_key() -> [u8; 16] {
    use std::hash::{BuildHasher, Hasher};
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let mut key = [0u8; 16];
    for (i, half) in key.chunks_mut(8).enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(now);
        h.write_u32(std::process::id());
        h.write_usize(i);
        half.copy_from_slice(&h.finish().to_le_bytes());
    }
    key
}

/// One masked value, for the preview and the export's SANITIZED.txt.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub file: String,
    /// 1-based line of the value in the input (0 in HAR files: see `place`).
    pub line: usize,
    /// Secret kind (`cookie`, `sasl`…), `pattern`, or personal class (`name`, `ip`…).
    pub kind: String,
    /// Where in a HAR ("entry 3 request header authorization"); empty for text.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub place: String,
    /// The line with the value already masked (never the secret), cut at 200 characters; empty
    /// past the first samples of a kind in a file.
    pub preview: String,
}

/// What an export masks, by class.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Preview {
    /// Files that will be written.
    pub files: usize,
    /// Values masked in all.
    pub total: usize,
    pub classes: Vec<ClassCount>,
    /// Whether personal data is replaced.
    pub personal: bool,
}

/// One class of masked values.
#[derive(Clone, Debug, Serialize)]
pub struct ClassCount {
    /// `cookie`, `sasl`, `pattern`, `name`, `ip`…
    pub kind: String,
    /// `secret`, `pattern` or `personal`.
    pub group: String,
    /// For people: what it is and what replaces it.
    pub label: String,
    /// Occurrences masked.
    pub count: usize,
    /// Distinct values masked.
    pub distinct: usize,
    /// A few hits with their masked lines.
    pub samples: Vec<Hit>,
}

/// Samples of one kind kept per file, and per class in the preview.
const SAMPLES: usize = 5;
/// Learnt secrets shorter than this are only masked where a pattern finds them (a 4-digit
/// password would otherwise mask every agent ID that happens to match it).
const MIN_SECRET_LITERAL: usize = 8;
/// Set-Cookie attributes: not secrets (a Domain would otherwise be masked everywhere).
const COOKIE_ATTRIBUTES: &[&str] = &["path", "domain", "expires", "max-age", "samesite", "secure", "httponly", "version", "comment", "priority", "partitioned"];
/// Learnt names shorter than this are only replaced in their fields.
const MIN_NAME_LITERAL: usize = 3;

/// What replaces a span of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum What {
    Secret(&'static str),
    Pattern,
    Personal(Class),
}

impl What {
    fn kind(self) -> &'static str {
        match self {
            What::Secret(k) => k,
            What::Pattern => "pattern",
            What::Personal(c) => c.as_str(),
        }
    }
}

/// Values learnt in pass 1, matched literally in pass 2.
#[derive(Default)]
struct Learnt {
    /// Secret value → kind.
    secrets: HashMap<String, &'static str>,
    /// Names and phone numbers as written.
    exact: HashMap<String, Class>,
    /// Host names (dotted), lower case.
    hosts: HashSet<String>,
}

/// The literal matchers built from `Learnt`.
struct Literals {
    exact: Option<AhoCorasick>,
    exact_what: Vec<What>,
    hosts: Option<AhoCorasick>,
}

/// Running counts for the preview.
#[derive(Default)]
struct Tally {
    count: BTreeMap<&'static str, usize>,
    /// Distinct secrets per kind, as keyed hashes (the secrets themselves are not kept).
    secret_values: HashMap<&'static str, HashSet<u64>>,
    samples: BTreeMap<String, Vec<Hit>>,
}

/// The engine; see the module doc.
pub struct Sanitizer {
    opts: Options,
    pub pseudonyms: Pseudonyms,
    xmpp_domains: HashSet<String>,
    learnt: Learnt,
    literals: Option<Literals>,
    tally: Tally,
}

impl Sanitizer {
    pub fn new(opts: Options) -> Self {
        let pseudonyms = Pseudonyms::new(opts.key);
        Sanitizer { opts, pseudonyms, xmpp_domains: HashSet::new(), learnt: Learnt::default(), literals: None, tally: Tally::default() }
    }

    /// A sanitizer that has learnt every loaded file of a session, ready to clean.
    pub fn for_files<'a>(files: impl IntoIterator<Item = &'a LogFile>, opts: Options) -> Self {
        let mut s = Sanitizer::new(opts);
        for f in files {
            s.learn_file(f);
        }
        s.finish_learning();
        s
    }

    pub fn personal(&self) -> bool {
        self.opts.personal
    }

    // ---------------------------------------------------------------------------------------
    // Pass 1: learn

    /// Learns from one file (HAR files through their JSON).
    pub fn learn_file(&mut self, f: &LogFile) {
        if f.status != FileStatus::Loaded {
            return;
        }
        if f.format == "har" {
            if let Some((_, v, _)) = parse_har(&f.text) {
                self.learn_json(&v);
                return;
            }
        }
        self.learn_text(&f.text);
        self.learn_text(&f.path);
    }

    /// Learns the values in a text.
    pub fn learn_text(&mut self, text: &str) {
        for (r, kind) in sensitive::find_secrets(text) {
            if let Some(v) = text.get(r) {
                self.learn_secret(kind, v);
            }
        }
        if !self.opts.personal {
            return;
        }
        personal::xmpp_domains(text, &mut self.xmpp_domains);
        let mut found = Vec::new();
        personal::names(text, &mut found);
        personal::phones(text, &mut found);
        personal::hosts(text, &mut found);
        for f in found {
            if let Some(v) = text.get(f.range) {
                self.learn_personal(f.class, v);
            }
        }
        let mut addrs = Vec::new();
        personal::addresses(text, &mut addrs);
        for a in addrs {
            if let Some(d) = text.get(a.domain).filter(|d| d.contains('.') && d.parse::<std::net::IpAddr>().is_err()) {
                self.learn_personal(Class::Host, d);
            }
        }
    }

    /// A secret seen in pass 1: itself, and what it carries (cookie values, Basic and SASL
    /// passwords), are masked wherever they occur when long enough to be unambiguous.
    fn learn_secret(&mut self, kind: &'static str, value: &str) {
        let value = value.trim();
        self.learn_secret_literal(kind, value);
        match kind {
            "cookie" => {
                for part in value.split([';', ',']) {
                    if let Some((name, v)) = part.split_once('=') {
                        if !COOKIE_ATTRIBUTES.contains(&name.trim().to_ascii_lowercase().as_str()) {
                            self.learn_secret_literal("cookie", v);
                        }
                    }
                }
            }
            "authorization-basic" => {
                if let Some((_, p)) = sensitive::basic_parts(value) {
                    self.learn_secret_literal("password", &p);
                }
            }
            "sasl" => {
                if let Some((_, p)) = sensitive::sasl_plain_parts(value) {
                    self.learn_secret_literal("password", &p);
                }
            }
            _ => {}
        }
    }

    fn learn_secret_literal(&mut self, kind: &'static str, value: &str) {
        let v = value.trim().trim_matches(['"', '\'']);
        if v.chars().count() >= MIN_SECRET_LITERAL && !v.bytes().all(|b| b.is_ascii_digit()) && !sensitive::is_placeholder(v) {
            self.learnt.secrets.entry(v.to_string()).or_insert(kind);
        }
    }

    fn learn_personal(&mut self, class: Class, value: &str) {
        let v = value.trim();
        match class {
            Class::Name if personal::is_name(v) && v.chars().count() >= MIN_NAME_LITERAL => {
                self.learnt.exact.entry(v.to_string()).or_insert(Class::Name);
            }
            Class::Phone => {
                self.learnt.exact.entry(v.to_string()).or_insert(Class::Phone);
                let digits: String = v.chars().filter(char::is_ascii_digit).collect();
                if digits != v {
                    self.learnt.exact.entry(format!("+{digits}")).or_insert(Class::Phone);
                    self.learnt.exact.entry(digits).or_insert(Class::Phone);
                }
            }
            Class::Host if v.contains('.') && personal::is_host(v) => {
                self.learnt.hosts.insert(v.to_ascii_lowercase());
            }
            _ => {}
        }
    }

    /// Learns from a parsed HAR (or any JSON): name/value pairs by their names, then every string.
    fn learn_json(&mut self, v: &Value) {
        match v {
            Value::Object(o) => {
                if let Some((name, value)) = pair(o) {
                    let val = value.as_str().unwrap_or("");
                    if let Some(kind) = secret_name(&name, val) {
                        self.learn_secret(kind, val);
                    } else if self.opts.personal {
                        if let Some(class) = personal_name(&name) {
                            let v = if class == Class::Host { strip_port(val) } else { val };
                            self.learn_personal(class, v);
                        }
                    }
                }
                if let Some(Value::Array(cookies)) = o.get("cookies") {
                    for c in cookies {
                        if let Some(val) = c.get("value").and_then(Value::as_str) {
                            self.learn_secret("cookie", val);
                        }
                    }
                }
                if let Some(text) = base64_body(o) {
                    self.learn_text(&text);
                }
                o.values().for_each(|x| self.learn_json(x));
            }
            Value::Array(a) => a.iter().for_each(|x| self.learn_json(x)),
            Value::String(s) => self.learn_text(s),
            _ => {}
        }
    }

    /// Ends pass 1: gives every learnt value its token (in a fixed order, so the same inputs and
    /// key give the same tokens) and builds the literal matchers.
    pub fn finish_learning(&mut self) {
        let mut exact: Vec<(&String, &Class)> = self.learnt.exact.iter().collect();
        exact.sort();
        for (v, c) in &exact {
            self.pseudonyms.token(**c, v);
        }
        let mut hosts: Vec<&String> = self.learnt.hosts.iter().collect();
        hosts.sort();
        for h in hosts {
            let _ = host_token(&mut self.pseudonyms, h);
        }
        let mut pats: Vec<String> = Vec::new();
        let mut what: Vec<What> = Vec::new();
        let mut secrets: Vec<(&String, &&'static str)> = self.learnt.secrets.iter().collect();
        secrets.sort();
        for (v, k) in secrets {
            pats.push(v.clone());
            what.push(What::Secret(k));
        }
        if self.opts.personal {
            for (v, c) in exact {
                pats.push(v.clone());
                what.push(What::Personal(*c));
            }
        }
        let build = |p: &[String], ci: bool| -> Option<AhoCorasick> {
            if p.is_empty() {
                return None;
            }
            AhoCorasickBuilder::new().match_kind(MatchKind::Standard).ascii_case_insensitive(ci).build(p).ok()
        };
        let mut host_pats: Vec<String> = if self.opts.personal { self.learnt.hosts.iter().cloned().collect() } else { Vec::new() };
        host_pats.sort();
        self.literals = Some(Literals { exact: build(&pats, false), exact_what: what, hosts: build(&host_pats, true) });
    }

    // ---------------------------------------------------------------------------------------
    // Pass 2: apply

    /// Spans to mask in `text`: secrets first, then personal values that do not overlap them.
    fn spans(&mut self, text: &str) -> Vec<(Range<usize>, What)> {
        let mut secrets: Vec<(Range<usize>, What)> = sensitive::find_secrets(text).into_iter().map(|(r, k)| (r, What::Secret(k))).collect();
        for re in &self.opts.patterns {
            for c in re.captures_iter(text) {
                if let Some(m) = c.get(1).or_else(|| c.get(0)).filter(|m| m.start() < m.end()) {
                    secrets.push((m.range(), What::Pattern));
                }
            }
        }
        let mut personal_spans: Vec<(Range<usize>, What)> = Vec::new();
        if let Some(lit) = &self.literals {
            if let Some(ac) = &lit.exact {
                for m in ac.find_overlapping_iter(text) {
                    let Some(&w) = lit.exact_what.get(m.pattern().as_usize()) else { continue };
                    if literal_bounded(text, m.range(), w) {
                        match w {
                            What::Personal(_) => personal_spans.push((m.range(), w)),
                            _ => secrets.push((m.range(), w)),
                        }
                    }
                }
            }
            if let Some(ac) = &lit.hosts {
                for m in ac.find_overlapping_iter(text) {
                    if literal_bounded(text, m.range(), What::Personal(Class::Host)) {
                        personal_spans.push((m.range(), What::Personal(Class::Host)));
                    }
                }
            }
        }
        let chosen_secrets = choose(secrets, &[]);
        if !self.opts.personal {
            return chosen_secrets;
        }
        let mut found = Vec::new();
        personal::names(text, &mut found);
        personal::phones(text, &mut found);
        personal::chat_text(text, &mut found);
        personal::ips(text, &mut found);
        personal::hosts(text, &mut found);
        personal_spans.extend(found.into_iter().map(|f| (f.range, What::Personal(f.class))));
        let mut addrs = Vec::new();
        personal::addresses(text, &mut addrs);
        for a in addrs {
            if personal::is_xmpp(text, &a, &self.xmpp_domains) {
                let d = text.get(a.domain.clone()).unwrap_or("");
                if d.parse::<std::net::IpAddr>().is_err() && personal::is_host(d) && (d.contains('.') || a.resource) {
                    personal_spans.push((a.domain, What::Personal(Class::Host)));
                }
            } else if personal::is_mail_domain(text.get(a.domain.clone()).unwrap_or("")) {
                personal_spans.push((a.whole, What::Personal(Class::Email)));
            }
        }
        let chosen_personal = choose(personal_spans, &chosen_secrets);
        let mut all = chosen_secrets;
        all.extend(chosen_personal);
        all.sort_by_key(|(r, _)| r.start);
        all
    }

    /// The replacement for a span, or None to leave it (a token this sanitizer issued). A value
    /// over several lines (a chat message) leaves as many line breaks, so every line after it keeps
    /// its number (bookmarks, `file:line` evidence).
    fn replacement(&mut self, value: &str, what: What) -> Option<String> {
        let breaks = value.matches('\n').count();
        let mut rep = self.replacement_of_line(value, what)?;
        rep.extend(std::iter::repeat_n('\n', breaks));
        Some(rep)
    }

    fn replacement_of_line(&mut self, value: &str, what: What) -> Option<String> {
        match what {
            What::Secret(k) => Some(self.secret_mask(k, value)),
            What::Pattern => Some("[MASKED:pattern]".to_string()),
            What::Personal(class) => {
                if self.pseudonyms.is_token(value) {
                    return None;
                }
                let out = match class {
                    Class::Host => host_token(&mut self.pseudonyms, value),
                    Class::Ip if value.contains(':') => pseudonym::ipv6_token(&mut self.pseudonyms, value),
                    Class::Email if value.contains("%40") => self.pseudonyms.token(class, &value.replace("%40", "@")).replace('@', "%40"),
                    _ => self.pseudonyms.token(class, value),
                };
                (out != value).then_some(out)
            }
        }
    }

    /// The mask of a secret. Credentials that name their user (Basic, SASL PLAIN) keep it, so the
    /// masked logs still say which agent authenticated (correlation reads it as `authUser`):
    /// `[MASKED:sasl][user=3107]`.
    fn secret_mask(&mut self, kind: &str, value: &str) -> String {
        let user = match kind {
            "authorization-basic" => {
                // A header value has its scheme in front (`Basic MzEw…`); text gives the token alone.
                let token = value.trim();
                let token = token.split_once(char::is_whitespace).filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic")).map_or(token, |(_, t)| t.trim());
                sensitive::basic_parts(token).map(|(u, _)| u)
            }
            "sasl" => sensitive::sasl_plain_parts(value).map(|(u, _)| u),
            _ => None,
        };
        match user.filter(|u| !u.is_empty() && u.len() <= 128 && !u.contains([']', '[', '\n'])) {
            Some(u) => {
                let u = if self.opts.personal { self.clean(&u) } else { u };
                format!("[MASKED:{kind}][user={}]", u.replace(char::is_whitespace, "_"))
            }
            None => format!("[MASKED:{kind}]"),
        }
    }

    /// Masks a text: the masked text and, for each masked value, what it was, where it started in
    /// `text` and where its replacement starts in the output.
    fn mask(&mut self, text: &str) -> (String, Vec<(What, usize, usize)>) {
        let spans = self.spans(text);
        if spans.is_empty() {
            return (text.to_string(), Vec::new());
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        let mut done = Vec::with_capacity(spans.len());
        for (r, what) in spans {
            let Some(value) = text.get(r.clone()) else { continue };
            let Some(rep) = self.replacement(value, what) else { continue };
            self.count(what, value);
            out.push_str(text.get(last..r.start).unwrap_or(""));
            done.push((what, r.start, out.len()));
            out.push_str(&rep);
            last = r.end;
        }
        out.push_str(text.get(last..).unwrap_or(""));
        (out, done)
    }

    /// Masks a text. Returns the masked text and one hit per masked value (`file` names them; the
    /// first hits of each kind carry their masked line as a preview).
    pub fn clean_text(&mut self, file: &str, text: &str) -> (String, Vec<Hit>) {
        let (out, done) = self.mask(text);
        let mut line = 1usize;
        let mut counted_to = 0usize;
        let mut per_kind: HashMap<&'static str, usize> = HashMap::new();
        let hits: Vec<Hit> = done
            .into_iter()
            .map(|(what, start, at)| {
                line += text.get(counted_to..start).map_or(0, |t| memchr::memchr_iter(b'\n', t.as_bytes()).count());
                counted_to = start;
                let n = per_kind.entry(what.kind()).or_default();
                *n += 1;
                let preview = if *n <= SAMPLES { line_around(&out, at) } else { String::new() };
                Hit { file: file.to_string(), line, kind: what.kind().to_string(), place: String::new(), preview }
            })
            .collect();
        self.keep_samples(&hits);
        (out, hits)
    }

    /// Masks a short text (a report fragment, a path, a note) without hits.
    pub fn clean(&mut self, text: &str) -> String {
        self.mask(text).0
    }

    /// A file's path inside the export: archive members keep their inner path, nothing climbs out,
    /// and with personal masking on, names, hosts and addresses in it are replaced too.
    pub fn clean_path(&mut self, path: &str) -> String {
        let name = export_name(path);
        if self.opts.personal {
            name.split('/').map(|seg| self.clean(seg)).collect::<Vec<_>>().join("/")
        } else {
            name
        }
    }

    /// Masks one loaded file: HAR files through their JSON, others as text.
    pub fn clean_file(&mut self, f: &LogFile) -> (String, Vec<Hit>) {
        if f.format == "har" {
            if let Some(done) = self.clean_har(&f.path, &f.text) {
                return done;
            }
        }
        self.clean_text(&f.path, &f.text)
    }

    /// A HAR: pairs masked by their names, cookies, base64 bodies, then every string.
    fn clean_har(&mut self, file: &str, text: &str) -> Option<(String, Vec<Hit>)> {
        let (prefix, mut v, suffix) = parse_har(text)?;
        let mut hits = Vec::new();
        self.clean_json(&mut v, file, "", &mut hits);
        let body = serde_json::to_string_pretty(&v).ok()?;
        Some((format!("{prefix}{body}{suffix}"), hits))
    }

    fn clean_json(&mut self, v: &mut Value, file: &str, place: &str, hits: &mut Vec<Hit>) {
        match v {
            Value::Object(o) => {
                if let Some((name, value)) = pair(o) {
                    let val = value.as_str().unwrap_or("").to_string();
                    if let Some(kind) = secret_name(&name, &val).filter(|_| !sensitive::is_placeholder(val.trim())) {
                        self.count(What::Secret(kind), &val);
                        // A header keeps its scheme (`Basic [MASKED:…]`).
                        let scheme = if name.ends_with("authorization") { val.trim_start().split_once(' ').map(|(s, _)| format!("{s} ")) } else { None };
                        let mask = self.secret_mask(kind, &val);
                        let new = format!("{}{mask}", scheme.unwrap_or_default());
                        hits.push(self.har_hit(file, place, kind, &format!("{name}: {new}")));
                        set_pair_value(o, new);
                    } else if self.opts.personal && personal_name(&name) == Some(Class::Host) {
                        let host = strip_port(&val);
                        if let Some(rep) = (!host.is_empty()).then(|| self.replacement(host, What::Personal(Class::Host))).flatten() {
                            self.count(What::Personal(Class::Host), host);
                            let new = val.replacen(host, &rep, 1);
                            hits.push(self.har_hit(file, place, "host", &format!("{name}: {new}")));
                            set_pair_value(o, new);
                        }
                    }
                }
                if let Some(Value::Array(cookies)) = o.get_mut("cookies") {
                    for c in cookies.iter_mut() {
                        let name = c.get("name").and_then(Value::as_str).unwrap_or("").to_string();
                        let masked = c.get("value").and_then(Value::as_str).is_some_and(|s| !sensitive::is_placeholder(s.trim()));
                        if masked {
                            if let Some(val) = c.get_mut("value") {
                                let old = val.as_str().unwrap_or("").to_string();
                                *val = Value::from("[MASKED:cookie]");
                                self.count(What::Secret("cookie"), &old);
                                hits.push(self.har_hit(file, place, "cookie", &format!("cookie {name}: [MASKED:cookie]")));
                            }
                        }
                    }
                }
                if let Some(decoded) = base64_body(o) {
                    let (masked, h) = self.clean_text(file, &decoded);
                    if !h.is_empty() {
                        hits.extend(h.into_iter().map(|mut x| {
                            x.line = 0;
                            x.place = format!("{place} base64 body");
                            x
                        }));
                        o.insert("text".into(), Value::from(base64::engine::general_purpose::STANDARD.encode(masked)));
                    }
                }
                let keys: Vec<String> = o.keys().cloned().collect();
                for k in keys {
                    let here = match k.as_str() {
                        "request" | "response" | "headers" | "cookies" | "postData" | "content" | "queryString" | "params" | "_webSocketMessages" => {
                            format!("{place} {k}").trim().to_string()
                        }
                        _ => place.to_string(),
                    };
                    if let Some(x) = o.get_mut(&k) {
                        self.clean_json(x, file, &here, hits);
                    }
                }
            }
            Value::Array(a) => {
                let in_entries = place.is_empty() && a.iter().any(|e| e.get("request").is_some() || e.get("startedDateTime").is_some());
                for (i, x) in a.iter_mut().enumerate() {
                    let here = if in_entries {
                        format!("entry {}", i + 1)
                    } else if place.ends_with("_webSocketMessages") {
                        format!("{place} frame {}", i + 1)
                    } else {
                        place.to_string()
                    };
                    self.clean_json(x, file, &here, hits);
                }
            }
            Value::String(s) => {
                let (masked, h) = self.clean_text(file, s);
                if !h.is_empty() {
                    hits.extend(h.into_iter().map(|mut x| {
                        x.line = 0;
                        x.place = place.to_string();
                        x
                    }));
                    *s = masked;
                }
            }
            _ => {}
        }
    }

    /// A hit on a HAR pair or cookie (the preview says which, never the value).
    fn har_hit(&mut self, file: &str, place: &str, kind: &str, preview: &str) -> Hit {
        let hit = Hit { file: file.into(), line: 0, kind: kind.into(), place: place.into(), preview: preview.chars().take(200).collect() };
        self.keep_samples(std::slice::from_ref(&hit));
        hit
    }

    fn count(&mut self, what: What, value: &str) {
        *self.tally.count.entry(what.kind()).or_default() += 1;
        if !matches!(what, What::Personal(_)) {
            let h = pseudonym::siphash24(0x5eed, 0x5a17, value.as_bytes());
            self.tally.secret_values.entry(what.kind()).or_default().insert(h);
        }
    }

    fn keep_samples(&mut self, hits: &[Hit]) {
        for h in hits.iter().filter(|h| !h.preview.is_empty()) {
            let list = self.tally.samples.entry(h.kind.clone()).or_default();
            if list.len() < SAMPLES {
                list.push(h.clone());
            }
        }
    }

    /// What was masked so far, by class.
    pub fn preview(&self, files: usize) -> Preview {
        let mut classes: Vec<ClassCount> = Vec::new();
        for (kind, &count) in &self.tally.count {
            let personal = Class::ALL.iter().find(|c| c.as_str() == *kind).copied();
            let (group, label, distinct) = match personal {
                Some(c) => ("personal", c.describe().to_string(), self.pseudonyms.distinct(c)),
                None if *kind == "pattern" => {
                    ("pattern", "your own patterns → [MASKED:pattern]".to_string(), self.tally.secret_values.get(kind).map_or(0, HashSet::len))
                }
                None => ("secret", format!("{} → [MASKED:{kind}]", secret_label(kind)), self.tally.secret_values.get(kind).map_or(0, HashSet::len)),
            };
            classes.push(ClassCount {
                kind: kind.to_string(),
                group: group.into(),
                label,
                count,
                distinct,
                samples: self.tally.samples.get(*kind).cloned().unwrap_or_default(),
            });
        }
        classes.sort_by_key(|c| (c.group != "secret", c.group != "pattern", c.kind.clone()));
        Preview { files, total: classes.iter().map(|c| c.count).sum(), classes, personal: self.opts.personal }
    }

    /// The owner's key to the pseudonyms, as CSV (`class,value,token`). It names real people and
    /// addresses: it is for the customer who sanitized the logs, never for the export.
    pub fn mapping_csv(&self) -> String {
        let mut out = String::from("class,value,token\n");
        for (c, v, t) in self.pseudonyms.entries() {
            out.push_str(&format!("{},{},{}\n", c.as_str(), csv_field(&v), csv_field(&t)));
        }
        out
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// For people: what a secret kind is.
pub fn secret_label(kind: &str) -> &'static str {
    match kind {
        "authorization-basic" => "Basic credentials (user:password) in Authorization headers",
        "authorization-bearer" => "Bearer tokens in Authorization headers",
        "authorization" => "other Authorization credentials (Digest, NTLM, Negotiate…)",
        "cookie" => "cookies and Set-Cookie values",
        "session-id" => "session IDs that grant access (JSESSIONID, X-egain-session, CSRF tokens)",
        "pageAccessToken" | "verificationToken" | "integrationAuthTokenGUID" => "SocialMiner / Facebook channel tokens",
        "token" => "tokens, API keys and client secrets",
        "jwt" => "JSON Web Tokens",
        "password" => "passwords (forms, URLs, XML, JSON, and those decoded out of Basic and SASL credentials)",
        "sasl" => "SASL exchanges (XMPP <auth>, <response>, <challenge>, <success> payloads)",
        _ => "secrets",
    }
}

/// Picks non-overlapping spans: earliest first, longer first at the same start, none overlapping
/// `taken`.
fn choose(mut spans: Vec<(Range<usize>, What)>, taken: &[(Range<usize>, What)]) -> Vec<(Range<usize>, What)> {
    spans.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<(Range<usize>, What)> = Vec::new();
    let mut end = 0usize;
    for (r, w) in spans {
        if r.start >= r.end || (r.start < end && !out.is_empty()) {
            continue;
        }
        if taken.iter().any(|(t, _)| t.start < r.end && r.start < t.end) {
            continue;
        }
        end = r.end;
        out.push((r, w));
    }
    out
}

/// A learnt value found literally counts only where it stands on its own.
fn literal_bounded(text: &str, r: Range<usize>, what: What) -> bool {
    let before = text.get(..r.start).and_then(|t| t.chars().next_back());
    let after = text.get(r.end..).and_then(|t| t.chars().next());
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    match what {
        What::Personal(Class::Phone) => !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit()),
        What::Personal(Class::Host) => {
            let host_char = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            let dotted_on = text.get(r.end..).is_some_and(|t| t.starts_with('.') && t.chars().nth(1).is_some_and(|c| c.is_ascii_alphanumeric()));
            !host_char(before) && !host_char(after) && !dotted_on
        }
        _ => !word(before) && !word(after),
    }
}

/// A host name's token, label by label: service labels (`pubsub`) and the top-level domain stay,
/// tokens stay, every other label becomes its own pseudonym.
fn host_token(p: &mut Pseudonyms, host: &str) -> String {
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let lower = l.to_ascii_lowercase();
            // Labels already masked in the input (`xxxx.xxx.cisco.com`) stay too.
            let masked = lower.bytes().all(|b| b == b'x');
            if (n > 1 && i == n - 1) || masked || personal::SERVICE_LABELS.contains(&lower.as_str()) || p.is_token(&lower) {
                lower
            } else {
                p.token(Class::Host, &lower)
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn strip_port(v: &str) -> &str {
    let v = v.trim();
    match v.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !h.contains(':') => h,
        _ => v,
    }
}

/// The (name, value) of a name/value pair object (HAR headers, cookies, query and form parameters,
/// ECE login parameters).
fn pair(o: &serde_json::Map<String, Value>) -> Option<(String, &Value)> {
    for (n, v) in [("name", "value"), ("paramName", "paramValue"), ("paramKey", "paramValue"), ("key", "value")] {
        if let (Some(Value::String(name)), Some(value @ Value::String(_))) = (o.get(n), o.get(v)) {
            return Some((name.to_ascii_lowercase(), value));
        }
    }
    None
}

fn set_pair_value(o: &mut serde_json::Map<String, Value>, new: String) {
    for v in ["value", "paramValue"] {
        if o.get(v).is_some_and(Value::is_string) {
            o.insert(v.into(), Value::from(new));
            return;
        }
    }
}

/// The secret kind a header or parameter of this (lower-case) name holds, if it holds one.
fn secret_name(name: &str, value: &str) -> Option<&'static str> {
    let v = value.trim_start().to_ascii_lowercase();
    Some(match name {
        "authorization" | "proxy-authorization" if v.starts_with("basic ") => "authorization-basic",
        "authorization" | "proxy-authorization" if v.starts_with("bearer ") => "authorization-bearer",
        "authorization" | "proxy-authorization" => "authorization",
        "cookie" | "set-cookie" => "cookie",
        "x-auth-token" | "x-csrf-token" | "x-xsrf-token" | "x-egain-session" | "x-egain-chat-session" | "x-api-key" | "jsessionid" | "jsessionidsso" => {
            "session-id"
        }
        "password" | "passwd" | "pwd" | "j_password" | "passphrase" | "pass" | "userpassword" => "password",
        "pageaccesstoken" => "pageAccessToken",
        "verificationtoken" => "verificationToken",
        "integrationauthtokenguid" => "integrationAuthTokenGUID",
        "token" | "access_token" | "refresh_token" | "id_token" | "auth_token" | "authtoken" | "sessiontoken" | "api_key" | "apikey" | "client_secret"
        | "secret" => "token",
        _ => return None,
    })
}

/// The personal class a header or parameter of this (lower-case) name holds.
fn personal_name(name: &str) -> Option<Class> {
    match name {
        "host" | ":authority" => Some(Class::Host),
        "full_name" | "fullname" | "first_name" | "firstname" | "last_name" | "lastname" | "customer_name" | "customername" | "h_name" | "name"
        | "displayname" => Some(Class::Name),
        "phone_number" | "phonenumber" | "phone" | "mobile" | "h_phone" | "ani" => Some(Class::Phone),
        _ => None,
    }
}

/// A HAR `content` whose text is base64: the decoded text, when it is text.
fn base64_body(o: &serde_json::Map<String, Value>) -> Option<String> {
    if o.get("encoding").and_then(Value::as_str) != Some("base64") {
        return None;
    }
    let t = o.get("text").and_then(Value::as_str)?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(t.trim()).ok()?;
    String::from_utf8(bytes).ok()
}

/// A HAR's JSON with what surrounds it (a JSONP `.harp` wrapper).
fn parse_har(text: &str) -> Option<(String, Value, String)> {
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    let v: Value = serde_json::from_str(text.get(start..=end)?).ok()?;
    v.pointer("/log/entries")?;
    Some((text.get(..start)?.to_string(), v, text.get(end + 1..)?.to_string()))
}

/// The line of `text` around byte `at`, cut at 200 characters.
fn line_around(text: &str, at: usize) -> String {
    let start = text.get(..at).and_then(|t| t.rfind('\n')).map_or(0, |p| p + 1);
    let end = text.get(at..).and_then(|t| t.find('\n')).map_or(text.len(), |p| at + p);
    let line = text.get(start..end).unwrap_or("").trim_end_matches('\r');
    // Long lines: the part around the value.
    let lead = at.saturating_sub(start);
    if line.chars().count() > 200 && lead > 80 {
        let skip = line.get(..lead).map_or(0, |t| t.chars().count()).saturating_sub(80);
        let s: String = line.chars().skip(skip).take(200).collect();
        format!("…{s}")
    } else {
        line.chars().take(200).collect()
    }
}

/// Names without the folders every one of them starts with (`/home/me/case/a.log` and
/// `/home/me/case/b/c.log` become `a.log` and `b/c.log`): the export does not carry the local
/// folder the logs were read from.
pub fn without_common_folder(names: &[String]) -> Vec<String> {
    let split: Vec<Vec<&str>> = names.iter().map(|n| n.split('/').collect()).collect();
    let mut common = 0;
    if let Some(first) = split.first() {
        'outer: while common + 1 < first.len() {
            let seg = first[common];
            for s in &split {
                if s.len() <= common + 1 || s[common] != seg {
                    break 'outer;
                }
            }
            common += 1;
        }
    }
    split.iter().map(|s| s.get(common..).unwrap_or(&[]).join("/")).collect()
}

/// A path inside the export: archive members keep their inner path under the archive's name.
pub fn export_name(path: &str) -> String {
    let p = path.replace("!/", "/").replace('\\', "/");
    let p = p.trim_start_matches("./").trim_start_matches('/');
    let parts: Vec<&str> = p.split('/').filter(|s| !s.is_empty() && *s != ".." && *s != ".").collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn personal() -> Options {
        Options { personal: true, patterns: Vec::new(), key: [3; 16] }
    }

    #[test]
    fn learnt_values_are_replaced_everywhere_and_consistently() {
        let a = "x <firstName>Grace</firstName><lastName>Hopper</lastName> from 10.20.44.101 url='https://fin1a.harborbank.test:7443/x'\n";
        let b = "later Grace Hopper at 10.20.44.101 on fin1a.harborbank.test and pubsub.fin1a.harborbank.test\n";
        let mut s = Sanitizer::new(personal());
        s.learn_text(a);
        s.learn_text(b);
        s.finish_learning();
        let (ma, _) = s.clean_text("a", a);
        let (mb, hits) = s.clean_text("b", b);
        for secret in ["Grace", "Hopper", "10.20.44.101", "harborbank", "fin1a"] {
            assert!(!ma.contains(secret) && !mb.contains(secret), "{secret}: {ma} {mb}");
        }
        let grace = s.pseudonyms.token(Class::Name, "Grace");
        assert!(ma.contains(&grace) && mb.contains(&grace));
        let host = host_token(&mut s.pseudonyms, "fin1a.harborbank.test");
        assert!(ma.contains(&host) && mb.contains(&format!("pubsub.{host}")), "{mb}");
        assert!(hits.iter().any(|h| h.kind == "ip"));
        // Cleaning the output again changes nothing: tokens are never masked twice.
        assert_eq!(s.clean(&mb), mb);
    }

    #[test]
    fn agent_ids_and_jid_users_stay() {
        let t = "<message to='3107@fin1a.harborbank.test/desktop'><body>Hello there</body></message> ext 4107 ada@mail.example.com";
        let mut s = Sanitizer::new(personal());
        s.learn_text(t);
        s.finish_learning();
        let out = s.clean(t);
        assert!(out.contains("3107@h") && out.contains("/desktop") && out.contains("ext 4107"), "{out}");
        assert!(!out.contains("Hello there") && out.contains("<body>chat-"), "{out}");
        assert!(!out.contains("ada@") && out.contains("@example.invalid"), "{out}");
    }

    #[test]
    fn secrets_without_personal_leave_personal_data() {
        let t = "Authorization: Basic Z3JhY2U6czNjcmV0UGFzcw== from 10.1.2.3";
        let mut s = Sanitizer::new(Options::secrets(Vec::new()));
        s.learn_text(t);
        s.finish_learning();
        let (out, hits) = s.clean_text("f", t);
        assert_eq!(out, "Authorization: Basic [MASKED:authorization-basic][user=grace] from 10.1.2.3");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].preview, out);
        let p = s.preview(1);
        assert_eq!(p.total, 1);
        assert_eq!(p.classes[0].kind, "authorization-basic");
        assert_eq!(p.classes[0].distinct, 1);
    }

    #[test]
    fn a_learnt_password_is_masked_in_other_forms() {
        // The Basic credential decodes to grace:s3cretPass; the same password typed in a form.
        let a = "Authorization: Basic Z3JhY2U6czNjcmV0UGFzcw==";
        let b = "debug: login attempt with s3cretPass rejected";
        let mut s = Sanitizer::new(Options::secrets(Vec::new()));
        s.learn_text(a);
        s.finish_learning();
        assert!(!s.clean(b).contains("s3cretPass"));
    }

    #[test]
    fn common_folders_go() {
        let n = |v: &[&str]| without_common_folder(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(n(&["home/me/case/a.log", "home/me/case/b/c.log"]), vec!["a.log", "b/c.log"]);
        assert_eq!(n(&["home/me/a.log"]), vec!["a.log"]);
        assert_eq!(n(&["a/x.log", "b/x.log"]), vec!["a/x.log", "b/x.log"]);
    }

    #[test]
    fn keys_and_exports_names() {
        assert!(key_from_hex("00112233445566778899aabbccddeeff").is_ok());
        assert!(key_from_hex("xyz").is_err());
        assert_eq!(export_name("C:\\x\\..\\a.zip!/b/c.log"), "C:/x/a.zip/b/c.log");
    }
}
