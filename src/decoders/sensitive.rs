//! Secrets inside records and files: anything that grants access if copied out of a log.
//!
//! - Authorization in every form (`Basic`, `Bearer`, `Digest`, `NTLM`, `Negotiate`…; header text,
//!   JSON header objects, URL-encoded), `Proxy-Authorization`, credentials in URLs
//!   (`https://user:pass@host`);
//! - cookies and `Set-Cookie`, session IDs that grant access (`JSESSIONID`, `X-egain-session`,
//!   `X-egain-chat-session`, `X-Auth-Token`, CSRF tokens);
//! - tokens (`pageAccessToken`, `verificationToken`, `integrationAuthTokenGUID`, OAuth
//!   `access_token`/`refresh_token`/`id_token`, API keys, client secrets) and JWTs wherever they are;
//! - passwords in URLs, forms, XML and JSON (also `j_password`, `httpPassword`, legacy
//!   `jabber:iq:auth` `<password>`/`<digest>`);
//! - SASL exchanges in BOSH bodies and XMPP WebSocket frames: the `<auth>` payload (PLAIN is the
//!   base64 of `authzid\0user\0password`), `<response>`, `<challenge>` and `<success>` payloads (a
//!   SCRAM or DIGEST-MD5 proof lets an attacker test passwords offline), raw or XML-escaped.
//!
//! Not secrets here: a BOSH `sid` (correlation needs it; a BOSH session dies after its inactivity
//! limit, a minute or so, and a request also needs the next `rid` in the window), Finesse
//! `requestId`s, chat session IDs. A JSESSIONID is one: Tomcat keeps the authenticated session
//! alive for as long as it is used, and nothing correlates on it.
//!
//! `find_secrets(text)` returns the byte ranges of the secret values (not their keys) with their
//! kind, for masking exports. `annotate` adds the field `sensitive` (sorted list of kinds found) and,
//! for Basic credentials and SASL PLAIN, `authUser` (the user name inside; the password is never
//! copied).

use crate::formats::engine::has as contains;
use crate::model::Record;
use base64::Engine;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// Kinds reported by `find_secrets`.
pub const KINDS: &[&str] = &[
    "authorization-basic",
    "authorization-bearer",
    "authorization",
    "cookie",
    "session-id",
    "pageAccessToken",
    "verificationToken",
    "integrationAuthTokenGUID",
    "token",
    "jwt",
    "password",
    "sasl",
];

struct Pattern {
    kind: &'static str,
    re: Regex,
    /// Lower-case words one of which the pattern needs (in any case): a pattern runs only on text
    /// holding one. Empty: the pattern runs when the text has a URL with credentials.
    words: &'static [&'static str],
    /// Only SASL payloads: the element's attributes must say it is SASL (group 1), the payload is group 2.
    sasl: bool,
}

/// The separator between a header's name and its value: `: `, `=`, `%3D`, or a JSON header object
/// (`"name": "Authorization", "value": "…"`).
const HEADER_SEP: &str = r#"(?:"\s*,\s*"value"\s*:\s*"|["']?\s*[:=]\s*["']?|%3D)\s*"#;

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let sep = HEADER_SEP;
    const AUTH: &[&str] = &["authoriz"];
    let defs: Vec<(&str, &'static [&'static str], String)> = vec![
        ("authorization-basic", AUTH, format!(r#"(?i)authorization{sep}basic(?:\s+|%20|%2520)([A-Za-z0-9+/=_-]{{4,}})"#)),
        ("authorization-bearer", AUTH, format!(r#"(?i)authorization{sep}bearer(?:\s+|%20|%2520)([A-Za-z0-9+/=._~-]{{4,}})"#)),
        ("authorization", AUTH, format!(r#"(?i)authorization{sep}((?:digest|ntlm|negotiate|token|oauth|hoba|mutual|aws4-hmac-sha256|scram-sha-\d+)(?-u:\b)(?:[^\r\n"\\]|\\.|"[^"\r\n]*")*)"#)),
        ("cookie", &["cookie"], r#"(?i)(?:^|[\s"'>\[{,])(?:set-)?cookie(?:"\s*,\s*"value"\s*:\s*"|["']?\s*:\s*["']?)([^"\r\n]+)"#.to_string()),
        ("session-id", &["sessionid", "sessid", "session="], r#"(?i)(?-u:\b)(?:JSESSIONID|JSESSIONIDSSO|PHPSESSID|ASP\.NET_SessionId|SESSION)=([A-Za-z0-9._~%-]{6,})"#.to_string()),
        ("session-id", &["sessionid"], r#"(?i);jsessionid=([A-Za-z0-9._~-]{6,})"#.to_string()),
        (
            "session-id",
            &["egain-session", "egain-chat-session", "auth-token", "csrf-token", "xsrf-token", "api-key"],
            format!(r#"(?i)(?-u:\b)x-(?:egain-session|egain-chat-session|auth-token|csrf-token|xsrf-token|api-key){sep}([^"'\s,;&<\]]{{4,}})"#),
        ),
        ("pageAccessToken", &["pageaccesstoken"], r#"pageAccessToken["']?\s*[=:]\s*["']?([^,\]\s"'<]+)"#.to_string()),
        ("verificationToken", &["verificationtoken"], r#"verificationToken["']?\s*[=:]\s*["']?([^,\]\s"'<]+)"#.to_string()),
        ("integrationAuthTokenGUID", &["integrationauthtokenguid"], r#"(?i)integrationAuthTokenGuid["']?\s*[=:]\s*["']?([^,\]\s"'<]+)"#.to_string()),
        ("integrationAuthTokenGUID", &["integrationauthtokenguid"], r#"(?i)(?:<|&lt;)integrationAuthTokenGUID(?:>|&gt;)([^<&]+)"#.to_string()),
        (
            "token",
            &["token", "api_key", "apikey", "secret", "oauth_verifier"],
            r#"(?i)(?-u:\b)(?:access_token|refresh_token|id_token|auth_token|authToken|sessionToken|session_token|api_?key|client_secret|secret_?key|csrf_?token|xsrf_?token|oauth_token|oauth_verifier|sharedSecret)\\?["']?\s*[=:]\s*\\?\s*["']?([^,&\]\s"'<;\\]{4,})"#
                .to_string(),
        ),
        ("token", &["token"], r#"(?i)(?:^|[^A-Za-z])token["']?\s*[=:]\s*["']?([A-Za-z0-9+/=._~-]{8,})"#.to_string()),
        ("jwt", &["eyj"], r#"(?-u:\b)(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)"#.to_string()),
        ("password", &[], r#"(?i)(?-u:\b)[a-z][a-z0-9+.-]{1,15}://[^/\s:@"'<>]{1,128}:([^@/\s"'<>]{1,128})@"#.to_string()),
        ("password", &["passw", "passwd", "pwd", "passphrase"], r#"(?i)(?:password|passwd|pwd|passphrase)\\?["']?\s*[=:]\s*\\?["']?([^,&\]\s"'<\\]+)"#.to_string()),
        ("password", &["password", "digest"], r#"(?i)(?:<|&lt;)(?:password|digest)(?:>|&gt;)([^<&]+)"#.to_string()),
    ];
    let mut out: Vec<Pattern> =
        defs.into_iter().filter_map(|(kind, words, p)| Regex::new(&p).ok().map(|re| Pattern { kind, re, words, sasl: false })).collect();
    // SASL payloads, raw or XML-escaped (inside a BOSH body quoted in a log, or a HAR string).
    let sasl =
        r#"(?i)(?:<|&lt;)(?:auth|response|challenge|success)(?-u:\b)((?:[^<>&]|&quot;|&apos;|&amp;)*?)(?:>|&gt;)\s*([A-Za-z0-9+/]{2,}={0,2})\s*(?:<|&lt;)/"#;
    if let Ok(re) = Regex::new(sasl) {
        out.push(Pattern { kind: "sasl", re, words: &["xmpp-sasl", "mechanism"], sasl: true });
    }
    out
});

/// Every pattern's words, each once, with the patterns (a bit each) that need it.
pub fn trigger_words() -> (Vec<&'static str>, Vec<u32>) {
    let mut words: Vec<&'static str> = Vec::new();
    let mut needs: Vec<u32> = Vec::new();
    for (i, p) in PATTERNS.iter().enumerate() {
        for w in p.words {
            let at = match words.iter().position(|x| x == w) {
                Some(at) => at,
                None => {
                    words.push(w);
                    needs.push(0);
                    words.len() - 1
                }
            };
            if let Some(bits) = needs.get_mut(at) {
                *bits |= 1 << i;
            }
        }
    }
    (words, needs)
}

/// `trigger_words`, and for each word the patterns that need it or a word inside it: a search
/// reports the longest word at a place, which stands for the ones it holds.
static TRIGGERS: LazyLock<Option<(aho_corasick::AhoCorasick, Vec<u32>)>> = LazyLock::new(|| {
    let (words, needs) = trigger_words();
    let closed: Vec<u32> = words.iter().map(|w| words.iter().zip(&needs).filter(|(v, _)| w.contains(**v)).fold(0, |bits, (_, n)| bits | n)).collect();
    aho_corasick::AhoCorasick::builder().match_kind(aho_corasick::MatchKind::LeftmostLongest).build(&words).ok().map(|ac| (ac, closed))
});

/// The patterns (a bit each) whose words `text` holds in any case: one case-sensitive search over
/// a lowered copy (several times faster than a case-insensitive one; most records hold none).
pub(crate) fn patterns_to_run(text: &str) -> u32 {
    thread_local! {
        static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let Some((words, needs)) = TRIGGERS.as_ref() else { return u32::MAX };
    // Leftmost-longest with the search restarted one byte after each match start: every place a
    // word starts is seen (a word starting inside another's match too), at the speed of a
    // non-overlapping search.
    let scan = |lower: &[u8]| {
        let mut bits = 0u32;
        let mut at = 0;
        while let Some(m) = words.find(aho_corasick::Input::new(lower).range(at..)) {
            bits |= needs.get(m.pattern().as_usize()).copied().unwrap_or(0);
            at = m.start() + 1;
        }
        bits
    };
    LOWER.with(|buf| {
        let Ok(mut lower) = buf.try_borrow_mut() else { return scan(text.to_ascii_lowercase().as_bytes()) };
        lower.clear();
        lower.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
        let bits = scan(lower.as_slice());
        // A 50 MB record does not keep 50 MB of scratch.
        if lower.capacity() > 1 << 20 {
            *lower = Vec::new();
        }
        bits
    })
}

/// Byte ranges of secret values in `text`, with their kind, in text order, not overlapping.
/// Masked placeholders (`XXXXXXXXX`, `*****`, `[MASKED:…]`, `<null>`) are not reported.
pub fn find_secrets(text: &str) -> Vec<(Range<usize>, &'static str)> {
    // Credentials in a URL have no keyword: a URL with `user:password@` is enough to look.
    // A record being decoded was scanned for the patterns' words already (`common::begin_scan`).
    let run = crate::decoders::common::scanned_secret_patterns(text).unwrap_or_else(|| patterns_to_run(text));
    let url_credentials = has_url_credentials(text);
    if run == 0 && !url_credentials {
        return Vec::new();
    }
    let mut out: Vec<(Range<usize>, &'static str)> = Vec::new();
    for (i, p) in PATTERNS.iter().enumerate() {
        let wanted = if p.words.is_empty() { url_credentials } else { run & (1 << i) != 0 };
        if !wanted {
            continue;
        }
        for c in p.re.captures_iter(text) {
            let m = if p.sasl {
                let attrs = c.get(1).map_or("", |a| a.as_str()).to_ascii_lowercase();
                let is_auth = c.get(0).is_some_and(|w| w.as_str().to_ascii_lowercase().trim_start_matches("&lt;").trim_start_matches('<').starts_with("auth"));
                if !(contains(&attrs, "xmpp-sasl") || (is_auth && contains(&attrs, "mechanism"))) {
                    continue;
                }
                c.get(2)
            } else {
                c.get(1)
            };
            let Some(m) = m else { continue };
            let v = m.as_str().trim();
            if is_placeholder(v) {
                continue;
            }
            // Ranges trimmed of the spaces a greedy value took.
            let start = m.start() + (m.as_str().len() - m.as_str().trim_start().len());
            let r = start..start + v.len();
            if out.iter().any(|(o, _)| o.start < r.end && r.start < o.end) {
                continue;
            }
            out.push((r, p.kind));
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

/// True if some URL in `text` carries `user:password@` (a cheap scan of each authority).
fn has_url_credentials(text: &str) -> bool {
    // Built once: `memmem::find_iter` builds its searcher on every call (asked of every record).
    static SCHEME_END: LazyLock<memchr::memmem::Finder<'static>> = LazyLock::new(|| memchr::memmem::Finder::new(b"://"));
    SCHEME_END.find_iter(text.as_bytes()).any(|at| {
        let authority =
            text.as_bytes().get(at + 3..).unwrap_or(&[]).iter().take(256).take_while(|&&b| !matches!(b, b'/' | b' ' | b'"' | b'\'' | b'<' | b'>' | b'\n'));
        let mut colon = false;
        for &b in authority {
            match b {
                b':' => colon = true,
                b'@' => return colon,
                _ => {}
            }
        }
        false
    })
}

/// A value that already hides its secret: `XXXX`, `****`, `[MASKED:…]`, `<null>`, `null`, `=`.
pub fn is_placeholder(v: &str) -> bool {
    v.is_empty()
        || v.chars().all(|ch| matches!(ch, 'X' | 'x' | '*' | '='))
        || v.starts_with("[MASKED")
        || v.eq_ignore_ascii_case("null")
        || v.eq_ignore_ascii_case("undefined")
        || v.eq_ignore_ascii_case("<null>")
}

fn base64_text(token: &str) -> Option<Vec<u8>> {
    let t = token.trim().trim_end_matches(['"', '\'']);
    base64::engine::general_purpose::STANDARD.decode(t).or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(t.trim_end_matches('='))).ok()
}

/// The user name inside a Basic credential (`MjAwMToyMDAx` → `2001`), if it decodes.
pub fn basic_user(token: &str) -> Option<String> {
    basic_parts(token).map(|(u, _)| u)
}

/// User and password inside a Basic credential.
pub fn basic_parts(token: &str) -> Option<(String, String)> {
    let s = String::from_utf8(base64_text(token)?).ok()?;
    let (user, password) = s.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

/// User and password inside a SASL PLAIN payload (`base64(authzid \0 user \0 password)`).
pub fn sasl_plain_parts(payload: &str) -> Option<(String, String)> {
    let bytes = base64_text(payload)?;
    let mut parts = bytes.split(|&b| b == 0);
    let _authzid = parts.next()?;
    let user = String::from_utf8(parts.next()?.to_vec()).ok()?;
    let password = String::from_utf8(parts.next()?.to_vec()).ok()?;
    (parts.next().is_none()).then_some((user, password))
}

/// The user a sanitized credential kept (`[MASKED:sasl][user=3107]`, see `crate::sanitize`).
pub fn masked_user(text: &str) -> Option<&str> {
    static KEPT: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\[MASKED:(?:authorization-basic|sasl)\]\[user=([^\]\s]+)\]").ok());
    if !contains(text, "[MASKED:") {
        return None;
    }
    KEPT.as_ref()?.captures(text)?.get(1).map(|m| m.as_str())
}

/// Adds `sensitive` (kinds found) and `authUser` to the record.
pub fn annotate(rec: &mut Record, text: &str) {
    if let Some(u) = masked_user(text) {
        rec.set("authUser", u);
    }
    let found = find_secrets(text);
    if found.is_empty() {
        return;
    }
    let mut kinds: Vec<&str> = found.iter().map(|(_, k)| *k).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for (r, k) in &found {
        let user = match *k {
            "authorization-basic" => text.get(r.clone()).and_then(basic_user),
            "sasl" => text.get(r.clone()).and_then(sasl_plain_parts).map(|(u, _)| u),
            _ => None,
        };
        if let Some(u) = user.filter(|u| !u.is_empty()) {
            rec.set("authUser", u);
            break;
        }
    }
    let mut list: Vec<serde_json::Value> = match rec.fields().get("sensitive") {
        Some(serde_json::Value::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    for k in kinds {
        if !list.iter().any(|v| v.as_str() == Some(k)) {
            list.push(serde_json::Value::from(k));
        }
    }
    rec.set("sensitive", serde_json::Value::Array(list));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_has_a_bit_and_its_words_are_lower_case() {
        assert!(PATTERNS.len() <= 32, "patterns_to_run gives one bit of a u32 per pattern");
        assert!(PATTERNS.iter().flat_map(|p| p.words.iter()).all(|w| *w == w.to_ascii_lowercase()));
        // Each pattern runs on a line holding its words in another case.
        assert_eq!(patterns_to_run("X-API-Key: abcd1234") & (1 << 6), 1 << 6);
        assert_eq!(patterns_to_run("nothing to see"), 0);
        // A word inside another's match, or starting inside it, is seen too.
        let token = PATTERNS.iter().position(|p| p.words == ["token"]).unwrap_or(usize::MAX);
        assert_ne!(patterns_to_run("X-Auth-Token: abcdefgh") & (1 << token), 0);
        let jsession = PATTERNS.iter().position(|p| p.words == ["sessionid"]).unwrap_or(usize::MAX);
        assert_ne!(patterns_to_run("x-egain-sessionid;jsessionid=abcdefgh") & (1 << jsession), 0);
    }

    fn values(t: &str) -> Vec<(&str, &'static str)> {
        find_secrets(t).into_iter().filter_map(|(r, k)| t.get(r).map(|v| (v, k))).collect()
    }

    #[test]
    fn basic() {
        let t = r#">>"Authorization: Basic MjAwMToyMDAx[\r][\n]""#;
        let s = find_secrets(t);
        assert_eq!(s.len(), 1);
        assert_eq!(&t[s[0].0.clone()], "MjAwMToyMDAx");
        assert_eq!(basic_user("MjAwMToyMDAx").as_deref(), Some("2001"));
        let t = "headers=Authorization%3DBasic%2520MjAwMToyMDAx&x";
        assert_eq!(find_secrets(t).len(), 1);
        assert!(find_secrets("integrationAuthTokenGuid=XXXXXXXXX").is_empty());
        assert_eq!(find_secrets("pageAccessToken=EAAV,verificationToken=yy7]").len(), 2);
        assert!(find_secrets("Authorization: Basic [MASKED:authorization-basic][user=2001]").is_empty());
        assert_eq!(masked_user("<auth mechanism='PLAIN'>[MASKED:sasl][user=3107]</auth>"), Some("3107"));
    }

    #[test]
    fn sasl_payloads_raw_escaped_and_in_json() {
        // base64("\0agent1\0s3cret-Pw")
        let plain = "AGFnZW50MQBzM2NyZXQtUHc=";
        assert_eq!(sasl_plain_parts(plain), Some(("agent1".into(), "s3cret-Pw".into())));
        for t in [
            format!("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{plain}</auth>"),
            format!(r#"<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\" mechanism=\"PLAIN\">{plain}</auth>"#),
            format!("&lt;auth xmlns=&apos;urn:ietf:params:xml:ns:xmpp-sasl&apos; mechanism=&apos;PLAIN&apos;&gt;{plain}&lt;/auth&gt;"),
        ] {
            assert_eq!(values(&t), vec![(plain, "sasl")], "{t}");
        }
        let r = "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>Yz1iaXdzLHI9ZnlrbytkMmxiYkZnT05S</response>";
        assert_eq!(values(r).len(), 1);
        // Not SASL: an ECE <response> element, an empty PLAIN response.
        assert!(find_secrets("<response>QUJDREVGR0g=</response>").is_empty());
        assert!(find_secrets("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='ANONYMOUS'>=</auth>").is_empty());
    }

    #[test]
    fn other_forms() {
        assert_eq!(values("GET https://svc:Hunter22@h.example.com/x"), vec![("Hunter22", "password")]);
        assert_eq!(values("j_password=abc123&j_username=x"), vec![("abc123", "password")]);
        assert_eq!(values("httpPassword=<null>,x"), vec![]);
        assert_eq!(values("Set-Cookie: JSESSIONID=ABCDEF123456; Path=/"), vec![("JSESSIONID=ABCDEF123456; Path=/", "cookie")]);
        assert_eq!(values("GET /x;jsessionid=ABCDEF123456?a=1"), vec![("ABCDEF123456", "session-id")]);
        assert_eq!(values("X-egain-session: 9a8b7c6d-1111"), vec![("9a8b7c6d-1111", "session-id")]);
        assert_eq!(values("?access_token=ya29.a0AfH6SM&x=1"), vec![("ya29.a0AfH6SM", "token")]);
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        assert_eq!(values(&format!("x {jwt} y")), vec![(jwt, "jwt")]);
        assert_eq!(
            values("Authorization: Digest username=\"a\", response=\"6629fae4\""),
            vec![("Digest username=\"a\", response=\"6629fae4\"", "authorization")]
        );
        assert_eq!(values("<query xmlns='jabber:iq:auth'><username>a</username><password>pw-1</password></query>"), vec![("pw-1", "password")]);
    }
}
