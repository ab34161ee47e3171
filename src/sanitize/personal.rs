//! Where personal data sits in log text: person names, e-mail addresses, phone numbers, IP
//! addresses, host names and chat text. Each finder returns the byte range of the value only (not
//! its key) and its class; the sanitizer turns values into consistent pseudonyms.
//!
//! What is read as what, and why:
//! - names: the fields that hold one (`firstName`, `lastName`, `author`, `customerName`,
//!   `agentName`, `displayName`, UCCX's `h_Name` extension field, ECE's `full_name` login
//!   parameter, the chat gateway's `setUserName … to NAME …`), in `k=v`, JSON and XML (also
//!   escaped) forms. A name is never guessed from free text; once learnt, it is replaced wherever it
//!   occurs (`Sanitizer::learn`).
//! - e-mail addresses anywhere (also `%40`-encoded). `user@domain` is an XMPP address instead when
//!   the domain is an XMPP domain the logs use (`to='…'`, `pubsub.…`, `xmppDomain`, a `/resource`
//!   after it) or the user part is a number (agent IDs): then only the domain is a host name, and
//!   the agent ID stays, because correlation reads it.
//! - phone numbers: ANI, caller ID, phone and `fromAddress`/`toAddress` fields with at least seven
//!   digits (shorter ones are extensions, which correlation reads), and `+E.164` numbers, `tel:`
//!   and `sip:+…` anywhere. A long bare number in free text is an ID far more often than a phone.
//! - IP addresses: IPv4 (not a version such as `Chrome/122.0.0.0`, not loopback) and IPv6 (parsed,
//!   so a time or a C++ `a::b` is not one).
//! - host names: URL authorities, `Host` headers, XMPP domains, and dotted names ending in a
//!   top-level domain from a fixed list (a Java package such as `com.cisco.ccbu` is not one).
//! - chat text: the chat gateway's `message [...]`, `[Message=...]` and `body: '...'`, XMPP
//!   `<body>` elements (a BOSH wrapper always has attributes, so it is never one), and JSON `body`,
//!   `chatMessage`, `messageText` values. Typing notifications stay.

use super::pseudonym::Class;
use regex::Regex;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

/// One personal value found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub class: Class,
}

/// An `x@domain` seen in a text, before it is known whether it is an e-mail or an XMPP address.
#[derive(Clone, Debug)]
pub struct Address {
    pub local: Range<usize>,
    pub domain: Range<usize>,
    /// The whole `local@domain` (or `local%40domain`).
    pub whole: Range<usize>,
    /// A `/resource` follows: an XMPP address for sure.
    pub resource: bool,
}

fn re(p: &str) -> Option<Regex> {
    Regex::new(p).ok()
}

/// Fields whose value is a person's name.
const NAME_KEYS: &str = "firstName|lastName|fullName|full_name|first_name|last_name|displayName|display_name|customerName|customer_name|agentName|agent_name|author|callerName|contactName|h_Name|nickname|nickName";
/// Fields whose value is a phone number when it has seven digits or more.
const PHONE_KEYS: &str =
    "ANI|callingNumber|callerNumber|callerId|caller_id|CallingLineId|callingLineID|phone|phoneNumber|phone_number|mobile|msisdn|fromAddress|toAddress|h_Phone|customerPhone|contactNumber";

/// `key` then `=`, `:`, `>` or `&gt;` (k=v, JSON, XML, escaped XML, JSON-escaped text), then the value.
fn keyed(keys: &str, value: &str) -> String {
    format!(r#"(?i)(?:^|[^A-Za-z0-9_])(?:{keys})\\?["']?\s*(?:[=:]|>|&gt;)\s*\\?["']?({value})"#)
}

static NAME_RES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        keyed(NAME_KEYS, r#"[^,\]\[;&"'\r\n<>\\{}|=]{1,80}"#),
        // UCCX extension fields and ECE/HAR name-value pairs.
        r#"(?i)(?:<|&lt;)name(?:>|&gt;)h_Name(?:<|&lt;)/name(?:>|&gt;)\s*(?:<|&lt;)value(?:>|&gt;)([^<&]{1,80})"#.to_string(),
        r#"(?i)"(?:name|paramName|paramKey|key)"\s*:\s*"(?:full_?name|first_?name|last_?name|customer_?name|h_Name|name)"\s*,\s*"(?:value|paramValue)"\s*:\s*"([^"\\]{1,80})""#.to_string(),
        // rttest and OPC name agents by their enterprise name (`Agent HRB.GraceHopper (7342, periph# 26107)`).
        r#"(?:^|\n)\s*Agent ([^\s(),]{3,64}) \(\d+, periph#"#.to_string(),
        r#"setUserName: Setting user name of session \[[^\]\r\n]{0,80}\] to ([^\r\n]{1,80}?) \.\.\."#.to_string(),
    ]
    .iter()
    .filter_map(|p| re(p))
    .collect()
});

static PHONE_RES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        keyed(PHONE_KEYS, r"\+?[0-9][0-9 ().-]{5,24}[0-9]"),
        r#"(?i)"(?:name|paramName|paramKey|key)"\s*:\s*"(?:phone_?number|phone|mobile|h_Phone)"\s*,\s*"(?:value|paramValue)"\s*:\s*"(\+?[0-9][0-9 ().-]{5,24}[0-9])""#.to_string(),
        r"(?:^|[^\w+])(\+[1-9][0-9]{7,14})(?-u:\b)".to_string(),
        r"(?i)(?-u:\b)(?:tel:|sips?:)(\+?[0-9][0-9-]{6,20}[0-9])".to_string(),
    ]
    .iter()
    .filter_map(|p| re(p))
    .collect()
});

/// Chat text patterns, each with the most characters a message may have: a longer one is not a
/// message (its closing delimiter is too far), or, for the last pattern (which has no closing
/// delimiter), is cut there. The length is checked after the match: a bounded repetition
/// (`{1,8000}`) makes the regex automaton thousands of states large, too large for its fast
/// engine, and the search a hundred times slower.
static CHAT_RES: LazyLock<Vec<(Regex, usize)>> = LazyLock::new(|| {
    [
        (r"(?:Received|Sent) message \[([^\]\r\n]+)\]", 4000),
        (r"\[Message=([^\]\r\n]+)\]", 4000),
        (r"(?-u:\b)body: '((?:[^'\\\r\n]|\\.)+)'", 4000),
        (r"(?:^|[^A-Za-z])<body>([^<]+)</body>", 8000),
        (r"&lt;body&gt;((?:[^&<]|&amp;|&quot;|&apos;|&#\d+;)+)&lt;/body&gt;", 8000),
        (r#""body"\s*:\s*"((?:[^"\\]|\\.)+)""#, 8000),
        (r#"(?i)(?-u:\b)(?:chatMessage|messageText|msgText)\\?["']?\s*[=:]\s*\\?["']?([^"'\r\n\\]+)"#, 4000),
    ]
    .iter()
    .filter_map(|(p, n)| re(p).map(|r| (r, *n)))
    .collect()
});

/// The user part as RFC 5321 §4.5.3.1.1 bounds it; the domain an unbounded run checked in code
/// (`dns_name_len`): its counted labels (`{0,61}` in a repeated group) made the lazy DFA build
/// states of megabytes on a day of addresses.
/// An address's grammar, as a pattern: `find_address` reads it by hand (the test holds both).
#[cfg(test)]
const ADDRESS_PATTERN: &str = r"(?i-u)([a-z0-9._%+-]{1,64})(@|%40)([a-z0-9][a-z0-9.-]*)";
/// Longest user part `find_address` takes.
const MAX_LOCAL: usize = 64;

/// How much of `s` (which starts with a letter or digit) is a DNS name: dot-separated labels of
/// 1 to 63 letters, digits and hyphens that start and end with a letter or digit. A label cut
/// short (too long, or ending in hyphens) ends the name.
fn dns_name_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut end = 0;
    let mut start = 0;
    loop {
        let label = &b[start..];
        if !label.first().is_some_and(u8::is_ascii_alphanumeric) {
            return end;
        }
        let run = label.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'-').count();
        let mut len = run.min(63);
        while len > 0 && label[len - 1] == b'-' {
            len -= 1;
        }
        end = start + len;
        if len < run || label.get(run) != Some(&b'.') {
            return end;
        }
        start = end + 1;
    }
}

static URL_HOST_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(r#"(?i)(?-u:\b)(?:https?|wss?|ftps?|ldaps?|xmpp)://(?:[^/\s@"'<>]{1,128}@)?(\[[0-9a-f:.]{2,45}\]|[a-z0-9](?:[a-z0-9.-]{0,252}[a-z0-9])?)"#)
});

static HOST_FIELD_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r#"(?i)(?:^|[^A-Za-z0-9_-])(?:host|:authority|xmppDomain|xmppPubSubDomain|serverName|server_name)\\?["']?\s*(?:[=:]|>|&gt;)\s*\\?["']?([a-z0-9](?:[a-z0-9.-]{0,252}[a-z0-9])?)"#,
    )
});

static XMPP_ATTR_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r#"(?i)(?-u:\b)(?:to|from)=\\?['"]([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+)\\?['"]"#));

/// Top-level domains read as the end of a host name in free text (file extensions such as `.log`,
/// `.js`, `.md`, and words such as `.in`, `.it`, `.no` are left out on purpose).
const TLDS: &str = "com|net|org|edu|gov|mil|int|info|biz|io|local|lan|corp|internal|intranet|test|example|invalid|localdomain|home|arpa|cloud|us|uk|de|fr|nl|ch|se|dk|fi|es|ca|au|nz|jp|cn|br|mx|ie|eu|sg|hk";

static FQDN_RE: LazyLock<Option<Regex>> = LazyLock::new(|| re(&format!(r"(?i)(?-u:\b)((?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{TLDS}))(?-u:\b)")));

static IPV4_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?-u:\b)(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?-u:\b)"));

static IPV6_RE: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"(?i)[0-9a-f:]*:[0-9a-f:]*:[0-9a-f:.]*"));

/// Labels kept as they are in a pseudonymised host name (they name a service, not a site).
pub const SERVICE_LABELS: &[&str] = &["pubsub", "conference", "www", "localhost", "mail", "smtp", "xmpp", "chat", "api"];

/// Public domains of protocols and vendors (XML namespaces, product URLs): never a customer's.
pub const PUBLIC_DOMAINS: &[&str] = &[
    "jabber.org",
    "xmpp.org",
    "w3.org",
    "ietf.org",
    "xmlsoap.org",
    "cisco.com",
    "webex.com",
    "egain.com",
    "facebook.com",
    "fbcdn.net",
    "apache.org",
    "java.com",
    "oracle.com",
    "google.com",
    "googleapis.com",
    "gstatic.com",
    "microsoft.com",
    "mozilla.org",
    "openfire.org",
    "igniterealtime.org",
    "jquery.com",
    "example.com",
    "example.net",
    "example.org",
    "example.invalid",
    "schema.org",
    "json-schema.org",
    "oasis-open.org",
    "openid.net",
];

/// Package roots: a dotted name starting with one is Java, not a host.
const PACKAGE_ROOTS: &[&str] = &["com", "org", "net", "java", "javax", "sun", "jdk", "io", "de", "uk", "nl"];

/// Words that are never a person's name even where a name field holds them.
const NOT_NAMES: &[&str] = &[
    "null",
    "undefined",
    "none",
    "n/a",
    "na",
    "unknown",
    "system",
    "anonymous",
    "admin",
    "administrator",
    "agent",
    "customer",
    "user",
    "guest",
    "test",
    "true",
    "false",
    "chat",
    "default",
    "visitor",
];

/// Chat bodies that are protocol, not text someone typed.
const CHAT_CONTROL: &[&str] = &["typing_message", "composing", "paused", "active", "inactive", "gone"];

fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// A found value with the surrounding spaces and quotes a greedy pattern took trimmed off.
fn trimmed(m: regex::Match<'_>) -> Option<Range<usize>> {
    let s = m.as_str();
    let lead = s.len() - s.trim_start().len();
    let v = s.trim();
    (!v.is_empty()).then(|| m.start() + lead..m.start() + lead + v.len())
}

/// For each finder (`names`, `phones`, `chat_text`, `addresses`, in that order), words one of which
/// is on every line where it can find something (ASCII, to match case-insensitively): a caller
/// scanning a large text runs each finder only on the lines that hold one of its words.
pub fn line_markers() -> [Vec<&'static str>; 4] {
    let mut names: Vec<&'static str> = NAME_KEYS.split('|').collect();
    names.extend(["periph#", "setUserName", "\"value\"", "paramValue", "&gt;"]);
    let mut phones: Vec<&'static str> = PHONE_KEYS.split('|').collect();
    phones.extend(["+1", "+2", "+3", "+4", "+5", "+6", "+7", "+8", "+9", "tel:", "sip:", "sips:", "\"value\"", "paramValue"]);
    let chat = vec!["message [", "[Message=", "body: '", "<body>", "&lt;body&gt;", "\"body\"", "chatMessage", "messageText", "msgText"];
    [names, phones, chat, vec!["@", "%40"]]
}

/// Person names in field contexts.
pub fn names(text: &str, out: &mut Vec<Found>) {
    for r in NAME_RES.iter() {
        for c in r.captures_iter(text) {
            let Some(range) = c.get(1).and_then(trimmed) else { continue };
            let v = text.get(range.clone()).unwrap_or("");
            if is_name(v) {
                out.push(Found { range, class: Class::Name });
            }
        }
    }
}

/// A value a name field holds that is a name (letters in it, not a placeholder, not an ID).
pub fn is_name(v: &str) -> bool {
    let v = v.trim();
    let letters = v.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2
        && v.chars().count() <= 80
        && !NOT_NAMES.contains(&v.to_lowercase().as_str())
        && !v.starts_with("[MASKED")
        && !v.contains(['/', '@', '$', '%', '(', ')'])
        // IDs mix digits into a long run without spaces (7CC1846210000165…).
        && v.chars().filter(char::is_ascii_digit).count() * 2 <= v.len()
}

/// Phone numbers in field contexts and in unmistakable forms.
pub fn phones(text: &str, out: &mut Vec<Found>) {
    for r in PHONE_RES.iter() {
        for c in r.captures_iter(text) {
            let Some(range) = c.get(1).and_then(trimmed) else { continue };
            let v = text.get(range.clone()).unwrap_or("");
            let digits = v.chars().filter(char::is_ascii_digit).count();
            if (7..=20).contains(&digits) && !char_at(text, range.end).is_some_and(|ch| ch.is_ascii_alphanumeric()) {
                out.push(Found { range, class: Class::Phone });
            }
        }
    }
}

/// Chat text someone typed.
pub fn chat_text(text: &str, out: &mut Vec<Found>) {
    let last = CHAT_RES.len().saturating_sub(1);
    for (k, (r, limit)) in CHAT_RES.iter().enumerate() {
        for c in r.captures_iter(text) {
            let Some(m) = c.get(1) else { continue };
            let mut value = m.as_str();
            if let Some((cut, _)) = value.char_indices().nth(*limit) {
                if k != last {
                    continue;
                }
                value = value.get(..cut).unwrap_or(value);
            }
            let v = value.trim();
            if v.is_empty() || CHAT_CONTROL.contains(&v) || v.starts_with("[MASKED") {
                continue;
            }
            let lead = value.len() - value.trim_start().len();
            let start = m.start() + lead;
            out.push(Found { range: start..start + v.len(), class: Class::ChatText });
        }
    }
}

/// `x@domain` addresses; `decide` then says e-mail or XMPP.
pub fn addresses(text: &str, out: &mut Vec<Address>) {
    each_address(text, |a| out.push(a));
}

/// `addresses` one at a time (a run of marked lines can hold a day of addresses).
pub fn each_address(text: &str, mut found: impl FnMut(Address)) {
    if !text.contains('@') && !text.contains("%40") {
        return;
    }
    let mut at = 0;
    // A day of BOSH lines holds a JID on every line: the grammar is read by hand, in one pass
    // (a regular expression took some 14 instructions a byte here).
    while let Some(m) = find_address(text.as_bytes(), at) {
        let local = m.start..m.sep;
        let domain_start = m.sep + m.sep_len;
        let domain = domain_start..domain_start + dns_name_len(text.get(domain_start..m.end).unwrap_or(""));
        let whole = m.start..domain.end;
        // Searching goes on right after the name, as a match of the name's own grammar would.
        at = whole.end.max(whole.start + 1);
        // The user part starts where the pattern could start it, never in the middle of a word.
        if domain.is_empty() || char_before(text, whole.start).is_some_and(|ch| ch.is_alphanumeric() || "._%+-".contains(ch)) {
            continue;
        }
        let resource = char_at(text, domain.end) == Some('/');
        found(Address { local, domain, whole, resource });
    }
}

/// Where `find_address` found an address: its start, its separator (`@` or `%40`) and end.
#[derive(Debug, PartialEq, Eq)]
struct AddressAt {
    start: usize,
    sep: usize,
    sep_len: usize,
    end: usize,
}

/// A user part's byte (`[a-z0-9._%+-]`, any ASCII case).
fn local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// A separator (`@`, `%40`) at `q` followed by a domain's first byte: its length.
fn separator_at(text: &[u8], q: usize) -> Option<usize> {
    let len = match text.get(q)? {
        b'@' => 1,
        b'%' if text.get(q + 1..q + 3) == Some(b"40") => 3,
        _ => return None,
    };
    text.get(q + len).is_some_and(u8::is_ascii_alphanumeric).then_some(len)
}

/// The first address at or after `at` as the grammar `[a-z0-9._%+-]{1,64}(@|%40)[a-z0-9][a-z0-9.-]*`
/// (any ASCII case) matches it, leftmost first: the earliest start, then the longest user part,
/// then the longest domain.
fn find_address(text: &[u8], at: usize) -> Option<AddressAt> {
    let mut from = at;
    // The first separator with a user part before it: user parts ending at later separators
    // start no earlier, so it gives the earliest start.
    let (start, first, first_len) = loop {
        let q = from + memchr::memchr2(b'@', b'%', text.get(from..)?)?;
        from = q + 1;
        let Some(len) = separator_at(text, q).filter(|_| q > at && text.get(q - 1).is_some_and(|&b| local_byte(b))) else { continue };
        let floor = at.max(q.saturating_sub(MAX_LOCAL));
        let mut start = q - 1;
        while start > floor && text.get(start - 1).is_some_and(|&b| local_byte(b)) {
            start -= 1;
        }
        break (start, q, len);
    };
    // The longest user part from `start`: the last separator within reach whose bytes before it
    // are all a user part's (`%40` is one, so a part can run over an earlier separator).
    let (mut sep, mut sep_len) = (first, first_len);
    let limit = (start + MAX_LOCAL).min(text.len());
    let mut q = first;
    while q < limit && text.get(q).is_some_and(|&b| local_byte(b)) {
        q += 1;
        if q <= limit {
            if let Some(len) = separator_at(text, q) {
                (sep, sep_len) = (q, len);
            }
        }
    }
    let mut end = sep + sep_len + 1;
    while text.get(end).is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') {
        end += 1;
    }
    Some(AddressAt { start, sep, sep_len, end })
}

/// True if an address is an XMPP address (only its domain is personal), given the XMPP domains
/// the logs use.
pub fn is_xmpp(text: &str, a: &Address, xmpp_domains: &HashSet<String>) -> bool {
    let local = text.get(a.local.clone()).unwrap_or("");
    let domain = text.get(a.domain.clone()).unwrap_or("").to_ascii_lowercase();
    a.resource || xmpp_domains.contains(&domain) || (!local.is_empty() && local.bytes().all(|b| b.is_ascii_digit()))
}

/// True if `domain` can end an e-mail address (a dotted name with a letter TLD).
pub fn is_mail_domain(domain: &str) -> bool {
    domain.contains('.') && domain.rsplit('.').next().is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// XMPP domains named in a text (`to='…'` on a stream or BOSH body, `xmppDomain`, `pubsub.…`,
/// the domain of an address with a resource).
pub fn xmpp_domains(text: &str, out: &mut HashSet<String>) {
    if let Some(r) = XMPP_ATTR_RE.as_ref() {
        if text.contains("to=") || text.contains("from=") {
            for c in r.captures_iter(text) {
                if let Some(m) = c.get(1) {
                    out.insert(m.as_str().to_ascii_lowercase());
                }
            }
        }
    }
    for marker in ["pubsub.", "conference."] {
        let mut from = 0;
        while let Some(p) = text.get(from..).and_then(|t| t.find(marker)) {
            let start = from + p + marker.len();
            let end = text.get(start..).map_or(start, |t| start + t.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')).unwrap_or(t.len()));
            let d = text.get(start..end).unwrap_or("").trim_end_matches('.');
            if d.contains('.') {
                out.insert(d.to_ascii_lowercase());
            }
            from = end.max(start);
        }
    }
    let mut a = Vec::new();
    addresses(text, &mut a);
    for x in a.iter().filter(|x| x.resource) {
        if let Some(d) = text.get(x.domain.clone()) {
            out.insert(d.to_ascii_lowercase());
        }
    }
    let mut f = Vec::new();
    host_fields(text, &mut f);
    for x in f {
        if let Some(d) = text.get(x.range) {
            if d.contains('.') {
                out.insert(d.to_ascii_lowercase());
            }
        }
    }
}

/// Host names in URLs, host fields and free text, and IP literals in URLs.
pub fn hosts(text: &str, out: &mut Vec<Found>) {
    if let Some(r) = URL_HOST_RE.as_ref() {
        if text.contains("://") {
            for c in r.captures_iter(text) {
                let (Some(m), Some(url)) = (c.get(1), c.get(0)) else { continue };
                if is_namespace(text, url.start()) {
                    continue;
                }
                let v = m.as_str().trim_start_matches('[').trim_end_matches(']');
                if v.parse::<std::net::IpAddr>().is_ok() {
                    continue; // the IP finders take it
                }
                if is_host(v) {
                    out.push(Found { range: m.range(), class: Class::Host });
                }
            }
        }
    }
    host_fields(text, out);
    if let Some(r) = XMPP_ATTR_RE.as_ref() {
        if text.contains("to=") || text.contains("from=") {
            for c in r.captures_iter(text) {
                if let Some(m) = c.get(1).filter(|m| is_host(m.as_str())) {
                    out.push(Found { range: m.range(), class: Class::Host });
                }
            }
        }
    }
    if let Some(r) = FQDN_RE.as_ref() {
        for m in r.find_iter(text) {
            let v = m.as_str();
            let first = v.split('.').next().unwrap_or("").to_ascii_lowercase();
            let before = char_before(text, m.start());
            let after = char_at(text, m.end());
            // Part of a longer dotted word, a Java package or class (`org.x.Y`), or a method call.
            let in_namespace = text.get(..m.start()).and_then(|h| h.strip_suffix("://")).is_some_and(|h| {
                let scheme = h.len() - h.trim_end_matches(|c: char| c.is_ascii_alphanumeric()).len();
                is_namespace(text, h.len() - scheme)
            });
            if in_namespace
                || matches!(before, Some('.') | Some('-') | Some('_'))
                || PACKAGE_ROOTS.contains(&first.as_str())
                || matches!(after, Some('(') | Some('$') | Some('_'))
                || (after == Some('.') && char_at(text, m.end() + 1).is_some_and(|c| c.is_ascii_alphanumeric()))
                || v.parse::<std::net::IpAddr>().is_ok()
                || !is_host(v)
            {
                continue;
            }
            out.push(Found { range: m.range(), class: Class::Host });
        }
    }
}

/// True if the URL starting at `at` is an XML namespace (`xmlns='http://…'`, `xmlns:stream="…"`):
/// a name, not a place anyone connects to.
fn is_namespace(text: &str, at: usize) -> bool {
    let head = text.get(at.saturating_sub(40)..at).or_else(|| text.get(..at)).unwrap_or("");
    let head = head.trim_end_matches(['\'', '"', '\\']).trim_end_matches('=').trim_end_matches("&quot;").trim_end_matches("&apos;");
    let head = head.trim_end_matches(['\'', '"', '\\', '=']);
    head.rsplit([' ', '<', '\t', '\n']).next().is_some_and(|w| w == "xmlns" || w.starts_with("xmlns:"))
}

fn host_fields(text: &str, out: &mut Vec<Found>) {
    if let Some(r) = HOST_FIELD_RE.as_ref() {
        for c in r.captures_iter(text) {
            let Some(m) = c.get(1) else { continue };
            let v = m.as_str();
            if v.parse::<std::net::IpAddr>().is_err() && is_host(v) && v.bytes().any(|b| b.is_ascii_alphabetic()) {
                out.push(Found { range: m.range(), class: Class::Host });
            }
        }
    }
}

/// A host name worth hiding: not `localhost`, not all service labels, labels of letters, digits
/// and hyphens.
pub fn is_host(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    !lower.is_empty()
        && lower.len() <= 253
        && lower != "localhost"
        && !PUBLIC_DOMAINS.iter().any(|d| lower == *d || lower.ends_with(&format!(".{d}")))
        && !lower.ends_with(".localhost")
        && lower.split('.').all(|l| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && lower.split('.').any(|l| !SERVICE_LABELS.contains(&l))
        // A top-level domain has a letter: `conference.127.0.0.1` ends in an address, not a name.
        && lower.rsplit('.').next().is_some_and(|t| t.bytes().any(|b| b.is_ascii_alphabetic()))
}

/// IPv4 and IPv6 addresses (not loopback, unspecified or broadcast; not versions).
pub fn ips(text: &str, out: &mut Vec<Found>) {
    if let Some(r) = IPV4_RE.as_ref() {
        for m in r.find_iter(text) {
            let before = char_before(text, m.start());
            let after_dot_digit = text.get(m.end()..).is_some_and(|t| {
                let mut c = t.chars();
                c.next() == Some('.') && c.next().is_some_and(|d| d.is_ascii_digit())
            });
            if before == Some('.') || after_dot_digit || looks_like_version(text, m.start()) {
                continue;
            }
            let Ok(ip) = m.as_str().parse::<std::net::Ipv4Addr>() else { continue };
            if ip.is_loopback() || ip.is_unspecified() || ip.is_broadcast() {
                continue;
            }
            out.push(Found { range: m.range(), class: Class::Ip });
        }
    }
    if let Some(r) = IPV6_RE.as_ref() {
        if !text.contains("::") && text.matches(':').count() < 7 {
            return;
        }
        for m in r.find_iter(text) {
            let before = char_before(text, m.start());
            let after = char_at(text, m.end());
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') || after.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let v = m.as_str().trim_end_matches('.');
            // Two groups, one of three digits or more: `a::b` in C++ is not an address.
            if v.split(':').filter(|g| !g.is_empty()).count() < 2 || !v.split(':').any(|g| g.len() >= 3) {
                continue;
            }
            let Ok(ip) = v.parse::<std::net::Ipv6Addr>() else { continue };
            if ip.is_loopback() || ip.is_unspecified() {
                continue;
            }
            out.push(Found { range: m.start()..m.start() + v.len(), class: Class::Ip });
        }
    }
}

/// `Chrome/122.0.0.0`, `version 12.5.1.0`, `v=11.6.1.0`: a dotted quad that is a version.
fn looks_like_version(text: &str, start: usize) -> bool {
    let head = text.get(..start).unwrap_or("");
    let mut tail = head.chars().rev();
    if let (Some('/'), Some(c)) = (tail.next(), tail.next()) {
        if c.is_ascii_alphabetic() {
            return true;
        }
    }
    let lower: String = head.chars().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect::<String>().to_ascii_lowercase();
    let trimmed = lower.trim_end_matches([' ', '=', ':', '"', '\'']);
    trimmed.ends_with("version") || trimmed.ends_with("ver") || trimmed.ends_with(" v") || trimmed.ends_with("build") || trimmed.ends_with("release")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `find_address` finds what the pattern finds, from every place of generated texts of
    /// user parts, separators and domains cut and joined anyhow (long runs cross the 64-byte cap).
    #[test]
    fn find_address_matches_as_the_pattern_does() {
        let Ok(pattern) = Regex::new(ADDRESS_PATTERN) else { panic!("pattern") };
        let long = "a".repeat(40);
        let pieces = [
            "agent",
            "3000",
            "@",
            "%40",
            "%4",
            "%",
            "40",
            ".",
            "-",
            "+",
            "_",
            "Fin1A.harborbank.test",
            "/desktop",
            " ",
            "é",
            "\n",
            "<jid>",
            &long,
            "Z9",
            "@@",
            "x%40y",
        ];
        let mut matched = 0;
        for text in crate::test_support::generated_texts(0x2545_f491_4f6c_dd1d, &pieces, 10, 20_000) {
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let want = pattern.find_at(&text, at).map(|m| (m.start(), m.end()));
                let got = find_address(text.as_bytes(), at);
                assert_eq!(got.as_ref().map(|a| (a.start, a.end)), want, "{text:?} from {at}");
                if let (Some(a), Some(m)) = (got, pattern.find_at(&text, at)) {
                    let sep = memchr::memrchr2(b'@', b'%', m.as_str().as_bytes()).map(|k| k + m.start());
                    assert_eq!(Some(a.sep), sep, "{text:?} from {at}");
                    matched += 1;
                }
            }
        }
        assert!(matched > 10_000, "{matched} addresses found");
    }

    fn found(text: &str, f: fn(&str, &mut Vec<Found>)) -> Vec<&str> {
        let mut out = Vec::new();
        f(text, &mut out);
        out.dedup();
        out.iter().filter_map(|x| text.get(x.range.clone())).collect()
    }

    /// The chat patterns keep their length limits, checked after the match.
    #[test]
    fn chat_text_length_limits() {
        let long = "x".repeat(4001);
        assert!(found(&format!("Received message [{long}]"), chat_text).is_empty(), "too far to its closing bracket");
        assert_eq!(found(&format!("Received message [{}]", "y".repeat(4000)), chat_text).first().map(|v| v.len()), Some(4000));
        // No closing delimiter: the value is cut at the limit.
        assert_eq!(found(&format!("chatMessage={long}"), chat_text).first().map(|v| v.len()), Some(4000));
        assert_eq!(found("<body>hello there</body>", chat_text), vec!["hello there"]);
    }

    #[test]
    fn names_in_their_fields() {
        assert_eq!(found("author=Amar Kumar,title=Chat", names), vec!["Amar Kumar"]);
        assert_eq!(found("<firstName>Grace</firstName><lastName>Hopper</lastName>", names), vec!["Grace", "Hopper"]);
        assert_eq!(found("&lt;firstName&gt;Grace&lt;/firstName&gt;", names), vec!["Grace"]);
        assert_eq!(found(r#"{"customerName": "Ada Lovelace"}"#, names), vec!["Ada Lovelace"]);
        assert_eq!(found("setUserName: Setting user name of session [ID=22] to Amar Kumar ...", names), vec!["Amar Kumar"]);
        assert_eq!(found(r#"{"paramName":"full_name","paramValue":"Jo Bloggs"}"#, names), vec!["Jo Bloggs"]);
        assert!(found("author=,title=", names).is_empty());
        assert!(found("resource_name=/User/3107 method_name=GET", names).is_empty());
    }

    #[test]
    fn phones_only_where_they_are_phones() {
        assert_eq!(found("ANI=4155550123, DNIS=8000", phones), vec!["4155550123"]);
        assert_eq!(found("<fromAddress>+1 (415) 555-0123</fromAddress>", phones), vec!["+1 (415) 555-0123"]);
        assert!(found("<fromAddress>4107</fromAddress>", phones).is_empty(), "an extension");
        assert!(found("ANI=e947f209-339f-4a2c-afdc-fa983acaabd2", phones).is_empty(), "a task GUID");
        assert_eq!(found("call from +442071838750 ended", phones), vec!["+442071838750"]);
        assert!(found("InvokeID=591309094 RouterCallKey=152631", phones).is_empty());
    }

    #[test]
    fn ips_not_versions() {
        assert_eq!(found("0000001010: 10.20.30.40: Mar 12", ips), vec!["10.20.30.40"]);
        assert!(found("Chrome/122.0.0.0 Safari", ips).is_empty());
        assert!(found("version 12.5.1.0", ips).is_empty());
        assert!(found("conference.127.0.0.1 oid 1.3.6.1.4.1", ips).is_empty());
        assert_eq!(found("from fe80::1ff:fe23:4567:890a port", ips), vec!["fe80::1ff:fe23:4567:890a"]);
        assert!(found("14:59:41.977 std::string a::b", ips).is_empty());
    }

    #[test]
    fn hosts_not_packages() {
        assert_eq!(found("url='https://fin1a.harborbank.test:7443/http-bind/'", hosts), vec!["fin1a.harborbank.test"]);
        assert_eq!(found("refURL=http://sm-fqdn/ccp-webapp", hosts), vec!["sm-fqdn"]);
        assert_eq!(found("to pubsub.fin1a.harborbank.test now", hosts), vec!["pubsub.fin1a.harborbank.test"]);
        assert!(found("<body xmlns='http://jabber/protocol/httpbind' xmlns:stream=\"http://etherx.acme.test/streams\"/>", hosts).is_empty());
        assert!(found("com.cisco.ccbu.ccp.notification.Notification@6c657e org.jivesoftware.net", hosts).is_empty());
        assert!(found("/desktop/js/jquery-3.5.1.min.js debug.log", hosts).is_empty());
    }

    #[test]
    fn addresses_split_into_mail_and_xmpp() {
        let t = "to='3107@fin1a.harborbank.test/desktop' mail ada@example.com";
        let mut a = Vec::new();
        addresses(t, &mut a);
        assert_eq!(a.len(), 2);
        let mut d = HashSet::new();
        xmpp_domains(t, &mut d);
        assert!(d.contains("fin1a.harborbank.test"));
        assert!(is_xmpp(t, &a[0], &d));
        assert!(!is_xmpp(t, &a[1], &d));
    }

    /// The address finder agrees with the DNS grammar written as one counted regex (what it used
    /// before; too costly on a day of logs), on generated text heavy in the edge cases: long
    /// labels and user parts, hyphens at label ends, empty labels, `%40`, resources.
    #[test]
    fn addresses_match_the_counted_grammar() {
        let counted = Regex::new(r"(?i)([a-z0-9._%+-]{1,64})(@|%40)((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)").unwrap();
        // (whole, user part, domain, followed by a resource)
        type Spans = (Range<usize>, Range<usize>, Range<usize>, bool);
        let reference = |text: &str| -> Vec<Spans> {
            counted
                .captures_iter(text)
                .filter_map(|c| {
                    let (whole, local, domain) = (c.get(0)?, c.get(1)?, c.get(3)?);
                    if char_before(text, whole.start()).is_some_and(|ch| ch.is_alphanumeric() || "._%+-".contains(ch)) {
                        return None;
                    }
                    Some((whole.range(), local.range(), domain.range(), char_at(text, domain.end()) == Some('/')))
                })
                .collect()
        };
        let pieces = ["a", "B9", "x", "-", ".", "@", "%40", "%", "%4", "_", "+", " ", "/r", "é", "..", "q-", &"k".repeat(62), &"z".repeat(70)];
        for text in crate::test_support::generated_texts(0x2545_f491_4f6c_dd1d, &pieces, 12, 20_000) {
            let mut got = Vec::new();
            addresses(&text, &mut got);
            let got: Vec<_> = got.into_iter().map(|a| (a.whole, a.local, a.domain, a.resource)).collect();
            assert_eq!(got, reference(&text), "{text:?}");
        }
    }

    #[test]
    fn chat_text_not_wrappers() {
        assert_eq!(found("Received message [Hi] in session [ID=1]", chat_text), vec!["Hi"]);
        assert_eq!(found("<message type='chat'><body>I need help</body></message>", chat_text), vec!["I need help"]);
        assert!(found("<body rid='1' xmlns='http://jabber.org/protocol/httpbind'/>", chat_text).is_empty());
        assert!(found("<body>typing_message</body>", chat_text).is_empty());
    }
}
