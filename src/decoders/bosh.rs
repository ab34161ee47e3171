//! BOSH (XEP-0124/0206): Openfire HTTP-bind log lines and `/http-bind` request/response bodies.
//!
//! Fields: `sid`, `rid`, `direction` (RECVC|SENT from Openfire), `bodyType` (the `type` attribute:
//! terminate|error), `condition`, `wait`, `hold`, `inactivity`, `polling`, `requests`, `ver`,
//! `maxpause`, `restart`, `payloads` (child count), `emptyBody` (true for an empty keep-alive
//! body), `status` (HttpSession status), `jid`, `lastActiveMs`, `inactivityThreshold` (s),
//! `routeFailure`. HAR exchanges (see `har_exchange`) use `requestType`/`responseType`,
//! `requestPayloads`/`responsePayloads`, `emptyResponse`, and `ridGap` is added across entries by
//! the HAR parser (from `har_sid_rid`).

use super::common::{self, name_if_none};
use super::xml;
use crate::formats::engine::{find as find_in, has as contains};
use crate::model::Record;
use regex::Regex;
use std::sync::LazyLock;

static CONSUME_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"consumeResponse:.*?status: (\d+) address: (\S+) id: (\S+)").ok());
static RID_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\brid: (\d+)").ok());
static ACTIVE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"Session \(id=([^)]+)\) was last active (\d+) ms ago(?:: (\S+))?").ok());
static IDLE_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"Closing idle session \(id=([^)]+)\):? (\S+)?(?: after being inactive for more than threshold value of (\d+))?").ok());
static ROUTE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"Failed to route packet to JID: (\S+)").ok());
static CLOSED_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"A session is being closed for (\S+)").ok());

pub fn decode(rec: &mut Record, text: &str) {
    if rec.format() == "har" {
        return; // HAR exchanges are decoded by the HAR parser with request/response kept apart.
    }
    if crate::holds!(text, "HTTP RECV") || crate::holds!(text, "HTTP SENT") || crate::holds!(text, "HTTP SEND") {
        if let Some((direction, sid)) = http_exchange(text) {
            name_if_none(rec, "HTTP-bind body");
            rec.set("direction", direction);
            rec.set("sid", sid);
        }
        if let Some(i) = find_in(text, "<body") {
            body_into(rec, text.get(i..).unwrap_or(""), "");
        }
    }
    if crate::holds!(text, "consumeResponse") {
        name_if_none(rec, "consumeResponse");
        if let Some(c) = CONSUME_RE.as_ref().and_then(|r| r.captures(text)) {
            if let Some(v) = c.get(1) {
                rec.set("status", common::num_or_str(v.as_str()));
            }
            if let Some(v) = c.get(2) {
                rec.set("jid", v.as_str());
            }
            if let Some(v) = c.get(3) {
                rec.set("sid", v.as_str());
            }
        }
        if let Some(r) = RID_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
            rec.set("rid", common::num_or_str(r.as_str()));
        }
    }
    // The patterns' literal heads asked first: Openfire 4.x writes `Session 7c2e91aa was last
    // active …` on every poll of a day, which the 3.x pattern never matches.
    if crate::holds!(text, "was last active") && contains(text, "Session (id=") {
        if let Some(c) = ACTIVE_RE.as_ref().and_then(|r| r.captures(text)) {
            name_if_none(rec, "Session last active");
            if let Some(v) = c.get(1) {
                rec.set("sid", v.as_str());
            }
            if let Some(v) = c.get(2) {
                rec.set("lastActiveMs", common::num_or_str(v.as_str()));
            }
            if let Some(v) = c.get(3) {
                rec.set("jid", v.as_str());
            }
        }
    }
    if crate::holds!(text, "Closing idle session") && contains(text, "Closing idle session (id=") {
        if let Some(c) = IDLE_RE.as_ref().and_then(|r| r.captures(text)) {
            name_if_none(rec, "Closing idle session");
            if let Some(v) = c.get(1) {
                rec.set("sid", v.as_str());
            }
            if let Some(v) = c.get(2) {
                rec.set("jid", v.as_str());
            }
            if let Some(v) = c.get(3) {
                rec.set("inactivityThreshold", common::num_or_str(v.as_str()));
            }
        }
    }
    if crate::holds!(text, "A session is being closed for") {
        if let Some(v) = CLOSED_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
            name_if_none(rec, "Session closed");
            rec.set("jid", v.as_str());
        }
    }
    if crate::holds!(text, "Unable to route packet") {
        name_if_none(rec, "Unable to route packet");
        let reason = text.split("Unable to route packet.").nth(1).and_then(|s| s.split('<').next()).unwrap_or("").trim();
        rec.set("routeFailure", if reason.is_empty() { "Unable to route packet" } else { reason });
    }
    if crate::holds!(text, "Failed to route packet") {
        name_if_none(rec, "Failed to route packet");
        if let Some(v) = ROUTE_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
            rec.set("routeFailure", format!("Failed to route packet to JID {}", v.as_str()));
        }
    }
    // A `<body/>` anywhere else (Prosody, ejabberd, node-xmpp-bosh, Strophe, wire traces, saved
    // files): read once, even when the log line already named the session.
    if !rec.fields().contains_key("payloads") && crate::holds!(text, "<body") && crate::holds!(text, "http://jabber.org/protocol/httpbind") {
        if let Some(i) = bosh_body_at(text) {
            body_into(rec, text.get(i..).unwrap_or(""), "");
        }
    }
    if crate::holds!(text, "{body,") {
        erlang_body(rec, text);
    }
}

/// `HTTP RECV(sid)` (`RECVC`, `SENT`, `SEND`): the direction and the sid between the parentheses
/// (any text but `)`, empty too), at the first place the whole form is written. Read by hand: a
/// regular expression's captures cost more than the rest of decoding such a line.
fn http_exchange(text: &str) -> Option<(&'static str, &str)> {
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| find_in(t, "HTTP ")).map(|i| i + from) {
        let rest = text.get(i + 5..).unwrap_or("");
        // The longer word first: `RECVC(` is not `RECV` followed by `(`.
        for word in ["RECVC", "RECV", "SENT", "SEND"] {
            if let Some(inside) = rest.strip_prefix(word).and_then(|r| r.strip_prefix('(')) {
                // No `)` after this place: none after any later one either.
                let close = memchr::memchr(b')', inside.as_bytes())?;
                return Some((word, inside.get(..close).unwrap_or("")));
            }
        }
        from = i + 1;
    }
    None
}

/// Where the BOSH `<body` wrapper starts: the first `<body` whose tag carries BOSH attributes
/// (a chat message's own `<body>` child has none).
fn bosh_body_at(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| find_in(t, "<body")).map(|i| i + from) {
        let tag = text.get(i..).and_then(|t| t.get(..t.find('>').unwrap_or(t.len()))).unwrap_or("");
        if contains(tag, "httpbind") || contains(tag, "rid=") || contains(tag, "sid=") {
            return Some(i);
        }
        from = i + 5;
    }
    None
}

/// ejabberd prints the `#body{}` record it sends or receives as an Erlang term:
/// `{body,<<"Session ID mismatch">>,[{type,<<"terminate">>},{condition,<<"item-not-found">>}],[],0}`
/// (HTTP reason, attributes, elements, size). Reads the reason and the BOSH attributes it holds.
fn erlang_body(rec: &mut Record, text: &str) {
    let Some(at) = find_in(text, "{body,") else { return };
    let term = text.get(at..).unwrap_or("");
    if let Some(reason) = term.strip_prefix("{body,<<\"").and_then(|r| r.split("\">>").next()) {
        if !reason.is_empty() && reason.len() < 200 {
            rec.set("httpReason", reason);
        }
    }
    for key in ["type", "condition", "sid", "rid", "wait", "hold", "inactivity", "polling", "requests", "ver"] {
        // `{type,<<"terminate">>}`, `{<<"type">>,<<"terminate">>}` or `{rid,1121749773441902}`.
        let value = [format!("{{{key},"), format!("{{<<\"{key}\">>,")].iter().find_map(|open| {
            let v = term.get(find_in(term, open)? + open.len()..)?;
            let v = v.get(..v.find('}')?)?;
            Some(v.trim_start_matches("<<\"").trim_end_matches("\">>").to_string())
        });
        if let Some(v) = value.filter(|v| !v.is_empty() && v.len() < 200) {
            put_attr(rec, key, &v, "");
        }
    }
}

/// What a BOSH or XMPP payload is, from its opening tag (`xml` starts at its `<`), as a record
/// name: `BOSH_REQUEST`, `BOSH_RESPONSE`, `BOSH_TERMINATE` (a `type='terminate'` body either
/// way), `SESSION_CREATED` (a response that gives a `sid` with its `wait`/`inactivity`/`requests`),
/// `XMPP_MESSAGE`, `XMPP_PRESENCE`, `XMPP_IQ`, `XMPP_OPEN`, `XMPP_CLOSE` (RFC 7395 framing),
/// `XMPP_STREAM_OPEN`, `XMPP_STREAM_CLOSE`, `XMPP_FEATURES`, `XMPP_STREAM_ERROR`, `XMPP_SASL`,
/// `XMPP_SM` (stream management), `FINESSE_UPDATE` (a bare `<Update>`), else `XMPP_STANZA`.
/// `from_client`: who sent it, when the log says so. Cheap (no allocation): record names are
/// given on every line at load.
pub fn payload_name(xml: &str, from_client: Option<bool>) -> Option<&'static str> {
    let b = xml.as_bytes();
    if b.first() != Some(&b'<') {
        return None;
    }
    let head = xml.get(..xml.len().min(4096)).or_else(|| xml.get(..)).unwrap_or("");
    let tag = match memchr::memchr(b'>', head.as_bytes()) {
        Some(e) => head.get(..e).unwrap_or(head),
        None => head,
    };
    let is = |name: &str| {
        tag.len() > name.len()
            && tag.get(1..=name.len()) == Some(name)
            && matches!(tag.as_bytes().get(name.len() + 1), None | Some(b' ' | b'/' | b'\t' | b'\r' | b'\n'))
            || tag.len() == name.len() + 1 && tag.get(1..) == Some(name)
    };
    let finder = |n: &str| memchr::memmem::find(tag.as_bytes(), n.as_bytes()).is_some();
    if is("body") {
        if finder("terminate") {
            return Some("BOSH_TERMINATE");
        }
        let rid = finder("rid=");
        if from_client != Some(true) && !rid && finder("sid=") && (finder("wait=") || finder("inactivity=") || finder("requests=")) {
            return Some("SESSION_CREATED");
        }
        return Some(match from_client {
            Some(true) => "BOSH_REQUEST",
            Some(false) => "BOSH_RESPONSE",
            None if rid => "BOSH_REQUEST",
            None => "BOSH_RESPONSE",
        });
    }
    const KINDS: &[(&str, &str)] = &[
        ("message", "XMPP_MESSAGE"),
        ("presence", "XMPP_PRESENCE"),
        ("iq", "XMPP_IQ"),
        ("open", "XMPP_OPEN"),
        ("close", "XMPP_CLOSE"),
        ("stream:stream", "XMPP_STREAM_OPEN"),
        ("/stream:stream", "XMPP_STREAM_CLOSE"),
        ("stream:features", "XMPP_FEATURES"),
        ("stream:error", "XMPP_STREAM_ERROR"),
        ("Update", "FINESSE_UPDATE"),
        ("auth", "XMPP_SASL"),
        ("success", "XMPP_SASL"),
        ("failure", "XMPP_SASL"),
        ("challenge", "XMPP_SASL"),
        ("response", "XMPP_SASL"),
        ("r", "XMPP_SM"),
        ("a", "XMPP_SM"),
        ("enable", "XMPP_SM"),
        ("enabled", "XMPP_SM"),
        ("resume", "XMPP_SM"),
        ("resumed", "XMPP_SM"),
    ];
    Some(KINDS.iter().find(|(k, _)| is(k)).map_or("XMPP_STANZA", |(_, n)| n))
}

/// Reads the `<body/>` wrapper at the start of `xml_text` into fields (keys prefixed by `prefix`
/// for `type`/payload counts, so a HAR exchange keeps request and response apart).
fn body_into(rec: &mut Record, xml_text: &str, side: &str) -> bool {
    // The last `</body>`: a chat message inside the wrapper has a `<body>` of its own.
    let end = memchr::memmem::rfind(xml_text.as_bytes(), b"</body>").map(|i| i + 7);
    let candidate = match end {
        Some(e) => xml_text.get(..e).unwrap_or(xml_text),
        None => match xml_text.find('>') {
            Some(gt) if xml_text.get(..gt).map(|s| s.ends_with('/')).unwrap_or(false) => xml_text.get(..=gt).unwrap_or(xml_text),
            _ => xml_text,
        },
    };
    // The wrapper's attributes and how many payloads it carries are all it tells: its payloads
    // are decoded by the XMPP decoder. An empty poll's plain tag is read without an XML reader.
    if let Some((attrs, n)) = xml::plain_empty_root(candidate, "body") {
        for (name, value) in attrs.iter().take(n) {
            put_attr(rec, name, value, side);
        }
        put_payloads(rec, 0, side);
        return true;
    }
    match xml::root_shape(candidate) {
        Ok((root, attrs, payloads)) if root == "body" => {
            apply_body(rec, &attrs, payloads, side);
            true
        }
        Ok((root, _, _)) => {
            rec.note(format!("BOSH: expected a <body/> wrapper, found <{root}>"));
            false
        }
        Err(e) => {
            rec.note(format!("BOSH body not decoded: {e}"));
            // Still read the attributes of the opening tag.
            if let Some(attrs) = super::xmpp::first_tag_attrs(xml_text, "body") {
                for (k, v) in attrs {
                    put_attr(rec, &k, &v, side);
                }
            }
            false
        }
    }
}

fn put_attr(rec: &mut Record, k: &str, v: &str, side: &str) {
    let key = k.rsplit(':').next().unwrap_or(k);
    match key {
        "sid" if !rec.fields().contains_key("sid") => {
            rec.set("sid", v);
        }
        "rid" => rec.set("rid", common::num_or_str(v)),
        "type" => rec.set(
            if side.is_empty() {
                "bodyType"
            } else if side == "request" {
                "requestType"
            } else {
                "responseType"
            },
            v,
        ),
        "condition" => rec.set("condition", v),
        "wait" | "hold" | "inactivity" | "polling" | "requests" | "maxpause" | "ack" | "ver" | "restart" | "to" | "route" => {
            rec.set(key, common::num_or_str(v))
        }
        _ => {}
    }
}

fn apply_body(rec: &mut Record, attrs: &xml::AttrList, payloads: usize, side: &str) {
    for (name, value) in attrs {
        put_attr(rec, name, value, side);
    }
    put_payloads(rec, payloads, side);
}

/// How many payloads a `<body/>` carries, and that it carries none.
fn put_payloads(rec: &mut Record, payloads: usize, side: &str) {
    let (pk, ek) = match side {
        "request" => ("requestPayloads", "emptyRequest"),
        "response" => ("responsePayloads", "emptyResponse"),
        _ => ("payloads", "emptyBody"),
    };
    rec.set(pk, payloads);
    if payloads == 0 {
        rec.set(ek, true);
    }
}

/// The `sid` and `rid` that `har_exchange` gives an exchange, from the `<body>` opening tags alone
/// (the HAR index marks `rid` gaps across entries without decoding them). As there, the request's
/// `sid` wins, the response's `rid` replaces the request's, and a `rid` that is not a number is none.
pub fn har_sid_rid(request: Option<&str>, response: Option<&str>) -> (Option<String>, Option<i64>) {
    let (mut sid, mut rid) = (None, None);
    for body in [request, response].into_iter().flatten().map(str::trim_start).filter(|b| b.starts_with("<body")) {
        for (k, v) in super::xmpp::first_tag_attrs(body, "body").unwrap_or_default() {
            match k.rsplit(':').next().unwrap_or(&k) {
                "sid" if sid.is_none() => sid = Some(v),
                "rid" => rid = common::num_or_str(&v).as_i64(),
                _ => {}
            }
        }
    }
    (sid, rid)
}

/// A HAR POST to `/http-bind`: reads the request and response `<body/>` wrappers.
pub fn har_exchange(rec: &mut Record, request: Option<&str>, response: Option<&str>) {
    if let Some(b) = request.map(str::trim_start).filter(|b| b.starts_with("<body")) {
        body_into(rec, b, "request");
    }
    if let Some(b) = response.map(str::trim_start) {
        if b.starts_with("<body") {
            body_into(rec, b, "response");
        } else if b.is_empty() {
            rec.set("emptyResponse", true);
        }
    }
    if let Some(c) = rec.get_str("condition") {
        rec.note(format!("BOSH session ended or failed: condition {c}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `http_exchange` finds what the pattern it replaced found, on generated lines of its pieces
    /// cut and joined anyhow.
    #[test]
    fn http_exchange_reads_as_the_pattern_did() {
        let Ok(pattern) = Regex::new(r"HTTP (RECVC|RECV|SENT|SEND)\(([^)]*)\)") else { panic!("pattern") };
        // Pieces split at `|`: words of the form, cut short, and whole heads.
        let pieces: Vec<&str> =
            "HTTP |HTTP| |RECVC|RECV|SENT|SEND|SENDS|(|)|afb139f0|é|\n|: <body rid='1'/>|x|HTTP RECV(|HTTP RECVC(|HTTP SENT(|HTTP SEND(".split('|').collect();
        let matched = crate::test_support::agree_on(
            crate::test_support::generated_texts(0x51ed_2701_9a3c_44e5, &pieces, 12, 60_000),
            |text| pattern.captures(text).map(|c| (c.get(1).map_or("", |m| m.as_str()).to_string(), c.get(2).map_or("", |m| m.as_str()).to_string())),
            |text| http_exchange(text).map(|(d, s)| (d.to_string(), s.to_string())),
            Option::is_some,
        );
        assert!(matched > 1_000, "{matched} lines matched");
        assert_eq!(http_exchange("2026.03.12 00:00:00 HTTPBindLog: HTTP RECV(afb139f0): <body/>"), Some(("RECV", "afb139f0")));
        assert_eq!(http_exchange("HTTP RECVC(7c2e91aa)"), Some(("RECVC", "7c2e91aa")));
        assert_eq!(http_exchange("HTTP RECV(no close"), None);
    }
}
