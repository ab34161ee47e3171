//! Secrets inside records: Authorization headers (a Basic credential is decoded to show which user
//! it carries), cookies, SocialMiner/Facebook tokens (`pageAccessToken`, `verificationToken`,
//! `integrationAuthTokenGUID`), passwords.
//!
//! `find_secrets(text)` returns the byte ranges of the secret values (not their keys) with their
//! kind, for masking exports. `annotate` adds the field `sensitive` (sorted list of kinds found) and,
//! for Basic credentials, `authUser` (the user name inside; the password is never copied).

use crate::model::Record;
use base64::Engine;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// Kinds reported by `find_secrets`.
pub const KINDS: &[&str] =
    &["authorization-basic", "authorization-bearer", "authorization", "cookie", "pageAccessToken", "verificationToken", "integrationAuthTokenGUID", "password"];

struct Pattern {
    kind: &'static str,
    re: Regex,
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let defs: &[(&str, &str)] = &[
        // Header text, JSON header objects and URL-encoded forms (`Authorization%3DBasic%2520…`).
        ("authorization-basic", r#"(?i)authorization(?:"\s*,\s*"value"\s*:\s*"|["']?\s*[:=]\s*["']?|%3D)\s*basic(?:\s+|%20|%2520)([A-Za-z0-9+/=_-]{4,})"#),
        ("authorization-bearer", r#"(?i)authorization(?:"\s*,\s*"value"\s*:\s*"|["']?\s*[:=]\s*["']?|%3D)\s*bearer(?:\s+|%20|%2520)([A-Za-z0-9+/=._~-]{4,})"#),
        ("cookie", r#"(?i)(?:^|[\s"'>\[])(?:set-)?cookie(?:"\s*,\s*"value"\s*:\s*"|\s*:\s*)([^"\r\n]+)"#),
        ("cookie", r#"(?i)\b(?:JSESSIONID|JSESSIONIDSSO)=([A-Za-z0-9._-]{6,})"#),
        ("pageAccessToken", r#"pageAccessToken["']?\s*[=:]\s*["']?([^,\]\s"'<]+)"#),
        ("verificationToken", r#"verificationToken["']?\s*[=:]\s*["']?([^,\]\s"'<]+)"#),
        ("integrationAuthTokenGUID", r#"(?i)integrationAuthTokenGuid["']?\s*[=:]\s*["']?([^,\]\s"'<]+)"#),
        ("integrationAuthTokenGUID", r#"(?i)<integrationAuthTokenGUID>([^<]+)</integrationAuthTokenGUID>"#),
        ("password", r#"(?i)\b(?:password|passwd|pwd)["']?\s*[=:]\s*["']?([^,&\]\s"'<]+)"#),
        ("password", r#"(?i)<password>([^<]+)</password>"#),
    ];
    defs.iter().filter_map(|(k, p)| Regex::new(p).ok().map(|re| Pattern { kind: k, re })).collect()
});

/// Byte ranges of secret values in `text`, with their kind, in text order. Masked placeholders
/// (`XXXXXXXXX`, `*****`) are not reported.
pub fn find_secrets(text: &str) -> Vec<(Range<usize>, &'static str)> {
    // One pass for all the trigger words (a literal alternation is a multi-substring search).
    static TRIGGER: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new("uthorization|ookie|Token|token|assw|pwd|JSESSIONID|AUTHORIZATION|PASSWORD|COOKIE").ok());
    let hit = match TRIGGER.as_ref() {
        Some(re) => re.is_match(text),
        None => true,
    };
    if !hit {
        return Vec::new();
    }
    let mut out: Vec<(Range<usize>, &'static str)> = Vec::new();
    for p in PATTERNS.iter() {
        for c in p.re.captures_iter(text) {
            let Some(m) = c.get(1) else { continue };
            let v = m.as_str().trim();
            if v.is_empty() || v.chars().all(|ch| ch == 'X' || ch == 'x' || ch == '*') {
                continue;
            }
            let r = m.start()..m.end();
            if out.iter().any(|(o, _)| o.start < r.end && r.start < o.end) {
                continue;
            }
            out.push((r, p.kind));
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

/// The user name inside a Basic credential (`MjAwMToyMDAx` → `2001`), if it decodes.
pub fn basic_user(token: &str) -> Option<String> {
    let t = token.trim().trim_end_matches(['"', '\'']);
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(t)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(t.trim_end_matches('=')))
        .ok()?;
    let s = String::from_utf8(bytes).ok()?;
    let (user, _) = s.split_once(':')?;
    Some(user.to_string())
}

/// Adds `sensitive` (kinds found) and `authUser` to the record.
pub fn annotate(rec: &mut Record, text: &str) {
    let found = find_secrets(text);
    if found.is_empty() {
        return;
    }
    let mut kinds: Vec<&str> = found.iter().map(|(_, k)| *k).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for (r, k) in &found {
        if *k == "authorization-basic" {
            if let Some(u) = text.get(r.clone()).and_then(basic_user) {
                rec.set("authUser", u);
                break;
            }
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
    }
}
