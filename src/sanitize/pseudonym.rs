//! Consistent pseudonyms: the same value of a class always gets the same token in one export (in
//! every file, in the report, in the preview), so IDs, JIDs and flows still line up after masking.
//!
//! Tokens come from a keyed hash (SipHash-2-4) of the class and the value, never from the value
//! itself: without the key nobody can test a guess ("is phone-3f2a +1 415 555 0123?"). The key is
//! random per export unless the caller fixes it (the CLI's `--key`), which keeps tokens stable
//! across exports of the same case. Two values whose short hashes collide get a longer token, so a
//! token always stands for one value.
//!
//! Token shapes keep every parser reading the masked logs: no spaces, brackets or quotes, IPs stay
//! IPs (198.18.0.0/15, the benchmarking range no network routes, and 2001:db8::/32, the
//! documentation prefix), host names keep their dotted structure label by label.

use std::collections::{HashMap, HashSet};

/// What kind of personal value a token stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// A person's name (customer, agent display name, chat author).
    Name,
    Email,
    /// A phone number (ANI, caller ID, customer phone).
    Phone,
    Ip,
    /// A host name (one label of it: names are pseudonymised label by label).
    Host,
    /// Free text a customer or agent typed in a chat.
    ChatText,
}

impl Class {
    pub const ALL: [Class; 6] = [Class::Name, Class::Email, Class::Phone, Class::Ip, Class::Host, Class::ChatText];

    /// Stable name used in previews, hits and the mapping file.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Name => "name",
            Class::Email => "email",
            Class::Phone => "phone",
            Class::Ip => "ip",
            Class::Host => "host",
            Class::ChatText => "chat-text",
        }
    }

    /// For people: what the class covers and what replaces it.
    pub fn describe(self) -> &'static str {
        match self {
            Class::Name => "person names (customers, agents' display names, chat authors) → person-xxxx",
            Class::Email => "e-mail addresses → user-xxxx@example.invalid",
            Class::Phone => "phone numbers (ANI, caller ID, customer phone) → phone-xxxx",
            Class::Ip => "IP addresses → addresses in 198.18.0.0/15 (IPv4) and 2001:db8::/32 (IPv6)",
            Class::Host => "host and domain names → hxxxx labels (the top-level domain and service labels such as pubsub stay)",
            Class::ChatText => "chat message text → chat-xxxx",
        }
    }

    fn tag(self) -> u8 {
        match self {
            Class::Name => 1,
            Class::Email => 2,
            Class::Phone => 3,
            Class::Ip => 4,
            Class::Host => 5,
            Class::ChatText => 6,
        }
    }
}

/// SipHash-2-4 of `data` under the 128-bit key (k0, k1).
pub fn siphash24(k0: u64, k1: u64, data: &[u8]) -> u64 {
    let mut v = [k0 ^ 0x736f_6d65_7073_6575, k1 ^ 0x646f_7261_6e64_6f6d, k0 ^ 0x6c79_6765_6e65_7261, k1 ^ 0x7465_6462_7974_6573];
    fn round(v: &mut [u64; 4]) {
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13) ^ v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16) ^ v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21) ^ v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17) ^ v[2];
        v[2] = v[2].rotate_left(32);
    }
    let compress = |v: &mut [u64; 4], m: u64| {
        v[3] ^= m;
        round(v);
        round(v);
        v[0] ^= m;
    };
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        compress(&mut v, u64::from_le_bytes(b));
    }
    let mut last = (data.len() as u64 & 0xff) << 56;
    for (i, &b) in chunks.remainder().iter().enumerate() {
        last |= u64::from(b) << (8 * i);
    }
    compress(&mut v, last);
    v[2] ^= 0xff;
    for _ in 0..4 {
        round(&mut v);
    }
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

/// The pseudonym table of one export: value → token per class, assigned on first sight.
#[derive(Clone, Debug)]
pub struct Pseudonyms {
    k0: u64,
    k1: u64,
    /// (class, normalised value) → token.
    tokens: HashMap<(Class, String), String>,
    /// Every token handed out (a token is never given to two values, and is never masked again).
    issued: HashSet<String>,
    /// Values as first written, for the owner's mapping file (`entries`).
    written: HashMap<(Class, String), String>,
    /// Values the input itself holds that look like tokens (a real 198.18.0.1): never issued.
    reserved: HashSet<String>,
}

impl Pseudonyms {
    pub fn new(key: [u8; 16]) -> Self {
        let mut a = [0u8; 8];
        let mut b = [0u8; 8];
        a.copy_from_slice(&key[..8]);
        b.copy_from_slice(&key[8..]);
        Pseudonyms {
            k0: u64::from_le_bytes(a),
            k1: u64::from_le_bytes(b),
            tokens: HashMap::new(),
            issued: HashSet::new(),
            written: HashMap::new(),
            reserved: HashSet::new(),
        }
    }

    fn hash(&self, class: Class, value: &str, round: u32) -> u64 {
        let mut data = Vec::with_capacity(value.len() + 6);
        data.push(class.tag());
        data.extend_from_slice(&round.to_le_bytes());
        data.push(0);
        data.extend_from_slice(value.as_bytes());
        siphash24(self.k0, self.k1, &data)
    }

    /// True if `s` is a token this table issued (masking never applies to its own output).
    pub fn is_token(&self, s: &str) -> bool {
        self.issued.contains(s)
    }

    /// Keeps `s` from ever being issued as a token (it occurs in the input as a real value).
    pub fn reserve(&mut self, s: &str) {
        if !self.issued.contains(s) {
            self.reserved.insert(s.to_string());
        }
    }

    /// The token for a value of a class. `value` is compared after normalisation (`normalise`).
    pub fn token(&mut self, class: Class, value: &str) -> String {
        let key = (class, normalise(class, value));
        if let Some(t) = self.tokens.get(&key) {
            return t.clone();
        }
        let mut attempt = 0u32;
        let token = loop {
            let h = self.hash(class, &key.1, attempt / 4);
            // Each round widens the token (4, 6, 8… hex digits) before rehashing.
            let t = shape(class, h, attempt);
            if !self.issued.contains(&t) && !self.reserved.contains(&t) {
                break t;
            }
            attempt += 1;
        };
        self.issued.insert(token.clone());
        self.written.insert(key.clone(), value.to_string());
        self.tokens.insert(key, token.clone());
        token
    }

    /// Number of distinct values per class.
    pub fn distinct(&self, class: Class) -> usize {
        self.tokens.keys().filter(|(c, _)| *c == class).count()
    }

    /// (class, value as first written, token) for every value, sorted: the owner's key to read a
    /// sanitized case back. It never goes into the export itself.
    pub fn entries(&self) -> Vec<(Class, String, String)> {
        let mut out: Vec<(Class, String, String)> =
            self.tokens.iter().map(|(k, t)| (k.0, self.written.get(k).cloned().unwrap_or_else(|| k.1.clone()), t.clone())).collect();
        out.sort();
        out
    }
}

/// How a class's values are compared: names and addresses ignore case, phones compare their last
/// ten digits (so `+1 (415) 555-0123` and `4155550123` are one number).
pub fn normalise(class: Class, value: &str) -> String {
    match class {
        Class::Name => value.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase(),
        Class::Email | Class::Host | Class::Ip => value.trim().to_ascii_lowercase(),
        Class::Phone => {
            let digits: String = value.chars().filter(char::is_ascii_digit).collect();
            let skip = digits.len().saturating_sub(10);
            digits.get(skip..).unwrap_or("").to_string()
        }
        Class::ChatText => value.to_string(),
    }
}

/// The token text for hash `h` on the `attempt`-th try.
fn shape(class: Class, h: u64, attempt: u32) -> String {
    let width = (4 + 2 * (attempt % 4)) as usize;
    let hex = format!("{h:016x}");
    let short = hex.get(..width).unwrap_or(&hex);
    match class {
        Class::Name => format!("person-{short}"),
        Class::Email => format!("user-{short}@example.invalid"),
        Class::Phone => format!("phone-{short}"),
        Class::ChatText => format!("chat-{short}"),
        Class::Host => format!("h{short}"),
        Class::Ip => {
            // IPv4 and IPv6 share the class; the caller picks the family by the value's shape.
            let n = (h >> 8) as u32 & 0x1_ffff;
            format!("198.{}.{}.{}", 18 + (n >> 16), (n >> 8) & 0xff, (n & 0xff).max(1))
        }
    }
}

/// True if `value` has the shape of a token of `class` (`person-3f2a`, `user-3f2a@example.invalid`,
/// `phone-3f2a`, `chat-3f2a`): a value a sanitizer already replaced, not personal data.
pub fn looks_like_token(class: Class, value: &str) -> bool {
    let hex = match class {
        Class::Name => value.strip_prefix("person-"),
        Class::Email => value.strip_prefix("user-").and_then(|v| v.strip_suffix("@example.invalid")),
        Class::Phone => value.strip_prefix("phone-"),
        Class::ChatText => value.strip_prefix("chat-"),
        Class::Host | Class::Ip => None,
    };
    hex.is_some_and(|h| (4..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// An IPv6 token: 2001:db8:: plus two groups from the hash.
pub fn ipv6_token(t: &mut Pseudonyms, value: &str) -> String {
    let key = (Class::Ip, normalise(Class::Ip, value));
    if let Some(tok) = t.tokens.get(&key) {
        return tok.clone();
    }
    let mut attempt = 0u32;
    let token = loop {
        let h = t.hash(Class::Ip, &key.1, attempt);
        let tok = format!("2001:db8::{:x}:{:x}", (h >> 16) & 0xffff, (h & 0xffff).max(1));
        if !t.issued.contains(&tok) && !t.reserved.contains(&tok) {
            break tok;
        }
        attempt += 1;
    };
    t.issued.insert(token.clone());
    t.written.insert(key.clone(), value.to_string());
    t.tokens.insert(key, token.clone());
    token
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siphash_reference_vectors() {
        // The reference implementation's vectors: key 00..0f, messages 00..(n-1).
        let k0 = u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7]);
        let k1 = u64::from_le_bytes([8, 9, 10, 11, 12, 13, 14, 15]);
        assert_eq!(siphash24(k0, k1, &[]), 0x726f_db47_dd0e_0e31);
        let msg: Vec<u8> = (0u8..15).collect();
        assert_eq!(siphash24(k0, k1, &msg), 0xa129_ca61_49be_45e5);
    }

    #[test]
    fn same_value_same_token_other_value_other_token() {
        let mut p = Pseudonyms::new([7; 16]);
        let a = p.token(Class::Name, "Amar Kumar");
        assert_eq!(p.token(Class::Name, "amar  kumar"), a);
        assert_ne!(p.token(Class::Name, "Grace Hopper"), a);
        assert!(a.starts_with("person-") && p.is_token(&a));
        assert_eq!(p.token(Class::Phone, "+1 (415) 555-0123"), p.token(Class::Phone, "4155550123"));
        let ip = p.token(Class::Ip, "10.20.30.40");
        assert!(ip.starts_with("198.18.") || ip.starts_with("198.19."), "{ip}");
        assert!(ip.parse::<std::net::Ipv4Addr>().is_ok());
        assert!(ipv6_token(&mut p, "fe80::1").parse::<std::net::Ipv6Addr>().is_ok());
        // Another key, other tokens: a token says nothing about its value without the key.
        let mut q = Pseudonyms::new([8; 16]);
        assert_ne!(q.token(Class::Name, "Amar Kumar"), a);
    }

    #[test]
    fn collisions_widen_the_token() {
        let mut p = Pseudonyms::new([1; 16]);
        let mut seen = HashSet::new();
        for i in 0..5000 {
            assert!(seen.insert(p.token(Class::Host, &format!("label{i}"))), "one token per value");
        }
        assert!(seen.iter().any(|t| t.len() > 5), "some 4-digit tokens collided and were widened");
    }
}
