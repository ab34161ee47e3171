//! A small, safe XML → JSON reader for payloads inside log records (Finesse `<Update>`, REST bodies,
//! SocialContact, BOSH `<body/>`). It never resolves external entities and never expands custom
//! entities (`&foo;` stays as written), caps depth, element count and input size, and reports
//! malformed input as an error string instead of failing.
//!
//! Mapping: an element with no attributes and no child elements becomes its text (string); otherwise
//! an object with `@attr` keys for attributes, one key per child element's local name (repeated
//! children become arrays) and `#text` for non-blank text. Namespace prefixes are dropped.

use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::{Map, Value};

pub const MAX_DEPTH: usize = 64;
pub const MAX_ELEMENTS: usize = 50_000;
pub const MAX_INPUT: usize = 8 << 20;

struct Frame {
    name: String,
    obj: Map<String, Value>,
    text: String,
    has_children: bool,
}

fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => name.to_string(),
    }
}

/// Resolves the five predefined entities and character references; anything else stays literal.
pub fn entity_text(name: &str) -> String {
    match name {
        "lt" => "<".into(),
        "gt" => ">".into(),
        "amp" => "&".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        _ => {
            let num = name.strip_prefix('#').and_then(|n| {
                if let Some(h) = n.strip_prefix('x').or_else(|| n.strip_prefix('X')) {
                    u32::from_str_radix(h, 16).ok()
                } else {
                    n.parse::<u32>().ok()
                }
            });
            match num.and_then(char::from_u32) {
                Some(c) => c.to_string(),
                None => format!("&{name};"),
            }
        }
    }
}

/// Unescapes text that holds escaped XML (`&lt;Update&gt;…`), predefined entities only.
pub fn unescape_basic(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i + 1..).unwrap_or("");
        match after.find(';') {
            Some(j) if j <= 10 => {
                out.push_str(&entity_text(after.get(..j).unwrap_or("")));
                rest = after.get(j + 1..).unwrap_or("");
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// An attribute's name as the value's key holds it (after its `@`): namespace declarations as
/// written, other prefixes dropped but `xml:` and `xmpp:`.
fn attr_name(key: &str) -> &str {
    if key == "xmlns" || key.starts_with("xmlns:") {
        return key;
    }
    match key.rsplit_once(':') {
        Some((p, l)) if p != "xml" && p != "xmpp" => l,
        _ => key,
    }
}

fn attrs_into(e: &quick_xml::events::BytesStart, obj: &mut Map<String, Value>) {
    for a in e.attributes().with_checks(false).flatten() {
        obj.insert(format!("@{}", attr_name(a.key.as_ref())), Value::from(unescape_basic(&a.value)));
    }
}

/// An element's attributes as `(name, value)` (names as `attr_name` gives them), in the order and
/// with the values `attrs_into` leaves in an object: a name written twice keeps its first place
/// and its last value. A list, not a map: a BOSH `<body/>` has a handful, read on every poll.
pub type AttrList = Vec<(String, String)>;

fn attrs_list(e: &quick_xml::events::BytesStart, out: &mut AttrList) {
    for a in e.attributes().with_checks(false).flatten() {
        let name = attr_name(a.key.as_ref());
        let value = unescape_basic(&a.value);
        match out.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => out.push((name.to_string(), value)),
        }
    }
}

fn finish(f: Frame) -> Value {
    let text = f.text.trim();
    if f.obj.is_empty() && !f.has_children {
        return Value::from(text.to_string());
    }
    let mut obj = f.obj;
    if !text.is_empty() {
        obj.insert("#text".into(), Value::from(text.to_string()));
    }
    Value::Object(obj)
}

fn attach(parent: &mut Frame, name: String, v: Value) {
    parent.has_children = true;
    // Element values are never arrays (see `finish`), so an array here is a list of siblings.
    match parent.obj.get_mut(&name) {
        Some(Value::Array(a)) => a.push(v),
        Some(existing) => {
            let old = existing.take();
            *existing = Value::Array(vec![old, v]);
        }
        None => {
            parent.obj.insert(name, v);
        }
    }
}

/// A reader for a payload of at most `MAX_INPUT` bytes that checks end names and reports empty
/// elements as such (`to_json` and `root_shape` read alike).
fn payload_reader(xml: &str) -> Result<Reader<&[u8]>, String> {
    if xml.len() > MAX_INPUT {
        return Err(format!("XML payload of {} bytes is over the {} byte cap", xml.len(), MAX_INPUT));
    }
    let mut reader = Reader::from_str(xml);
    let c = reader.config_mut();
    c.check_end_names = true;
    c.expand_empty_elements = false;
    Ok(reader)
}

/// Parses one XML document (or fragment with one root). Returns (root local name, value).
pub fn to_json(xml: &str) -> Result<(String, Value), String> {
    let mut reader = payload_reader(xml)?;
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<(String, Value)> = None;
    let mut count = 0usize;
    loop {
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => return Err(format!("malformed XML at byte {}: {e}", reader.buffer_position())),
        };
        match ev {
            Event::Start(e) | Event::Empty(e) if root.is_some() && stack.is_empty() => {
                let _ = e;
                return Err("more than one root element".into());
            }
            Event::Start(e) => {
                count += 1;
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("XML nested deeper than {MAX_DEPTH} levels"));
                }
                if count > MAX_ELEMENTS {
                    return Err(format!("XML has more than {MAX_ELEMENTS} elements"));
                }
                let mut f = Frame { name: local(e.name().as_ref()), obj: Map::new(), text: String::new(), has_children: false };
                attrs_into(&e, &mut f.obj);
                stack.push(f);
            }
            Event::Empty(e) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(format!("XML has more than {MAX_ELEMENTS} elements"));
                }
                let mut f = Frame { name: local(e.name().as_ref()), obj: Map::new(), text: String::new(), has_children: false };
                attrs_into(&e, &mut f.obj);
                let name = f.name.clone();
                let v = finish(f);
                match stack.last_mut() {
                    Some(p) => attach(p, name, v),
                    None => root = Some((name, v)),
                }
            }
            Event::End(_) => {
                let Some(f) = stack.pop() else { return Err("unmatched end tag".into()) };
                let name = f.name.clone();
                let v = finish(f);
                match stack.last_mut() {
                    Some(p) => attach(p, name, v),
                    None => root = Some((name, v)),
                }
            }
            Event::Text(t) => {
                if let Some(f) = stack.last_mut() {
                    if f.text.len() < MAX_INPUT {
                        f.text.push_str(&t);
                    }
                } else if !t.trim().is_empty() && root.is_some() {
                    // Trailing text after the root: ignore (log text after the payload).
                }
            }
            Event::CData(t) => {
                if let Some(f) = stack.last_mut() {
                    f.text.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(f) = stack.last_mut() {
                    f.text.push_str(&entity_text(&r));
                }
            }
            Event::Eof => break,
            // DOCTYPE declarations are read but never used: no entity is ever expanded from them.
            Event::DocType(_) | Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if !stack.is_empty() {
        let open: Vec<String> = stack.iter().map(|f| f.name.clone()).collect();
        return Err(format!("XML truncated: <{}> not closed", open.join("> <")));
    }
    root.ok_or_else(|| "no XML element found".to_string())
}

/// What `to_json` says of a document's root without building the rest: the root's local name, its
/// attributes as `to_json` writes them (`@name`), and how many child elements it has. The whole
/// input is read and checked as `to_json` checks it, with the same errors; a BOSH `<body/>`
/// wrapper needs no more, and building its payload's values was most of decoding a day of polls.
pub fn root_shape(xml: &str) -> Result<(String, AttrList, usize), String> {
    let mut reader = payload_reader(xml)?;
    let mut root: Option<(String, AttrList)> = None;
    let mut done = false;
    let mut children = 0usize;
    let mut depth = 0usize;
    let mut count = 0usize;
    loop {
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => return Err(format!("malformed XML at byte {}: {e}", reader.buffer_position())),
        };
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(_) | Event::Empty(_) if done && depth == 0 => return Err("more than one root element".into()),
            Event::Start(e) | Event::Empty(e) => {
                count += 1;
                if !empty && depth >= MAX_DEPTH {
                    return Err(format!("XML nested deeper than {MAX_DEPTH} levels"));
                }
                if count > MAX_ELEMENTS {
                    return Err(format!("XML has more than {MAX_ELEMENTS} elements"));
                }
                match depth {
                    0 => {
                        let mut attrs = AttrList::new();
                        attrs_list(&e, &mut attrs);
                        root = Some((local(e.name().as_ref()), attrs));
                        done = empty;
                    }
                    1 => children += 1,
                    _ => {}
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(_) => {
                depth = depth.checked_sub(1).ok_or_else(|| "unmatched end tag".to_string())?;
                done = depth == 0;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth > 0 {
        // `to_json`'s message names every open element: read the document again for it.
        return to_json(xml).map(|(name, _)| (name, AttrList::new(), 0));
    }
    match root {
        Some((name, attrs)) if done => Ok((name, attrs, children)),
        _ => Err("no XML element found".to_string()),
    }
}

/// Most attributes `plain_empty_root` reads; a tag with more is left to `root_shape`.
pub const PLAIN_MAX_ATTRS: usize = 16;

/// The attributes of `xml` when it is nothing but one self-closing `<{name} …/>` tag in the
/// plainest form — `key="value"` or `key='value'` pairs separated by XML white space, no `<`, `>`
/// or `&` in a value, no name written twice — as `(name, value)` with names as `attr_name` gives
/// them: what `root_shape` answers for such a tag (no payloads) without a reader, an event and an
/// allocation per attribute. A day of BOSH polls is one such tag a line. None for anything else
/// (the caller reads it with `root_shape`); the count is the slots filled.
pub fn plain_empty_root<'a>(xml: &'a str, name: &str) -> Option<([(&'a str, &'a str); PLAIN_MAX_ATTRS], usize)> {
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    if xml.len() > MAX_INPUT {
        return None;
    }
    let inner = xml.strip_prefix('<')?.strip_prefix(name)?.strip_suffix("/>")?;
    let b = inner.as_bytes();
    // The name ends at white space (or at once, `<body/>`); no other tag may start or end inside.
    if b.first().is_some_and(|&c| !is_space(c)) || memchr::memchr3(b'<', b'>', b'&', b).is_some() {
        return None;
    }
    let mut out = [("", ""); PLAIN_MAX_ATTRS];
    let mut n = 0;
    let mut i = 0;
    loop {
        let start = i;
        while b.get(i).is_some_and(|&c| is_space(c)) {
            i += 1;
        }
        if i == b.len() {
            return Some((out, n));
        }
        // Each pair follows white space.
        if i == start {
            return None;
        }
        let key_start = i;
        while b.get(i).is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, b':' | b'_' | b'-' | b'.')) {
            i += 1;
        }
        let key = inner.get(key_start..i).filter(|k| !k.is_empty())?;
        let quote = *b.get(i + 1).filter(|_| b.get(i) == Some(&b'='))?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value_start = i + 2;
        let len = memchr::memchr(quote, b.get(value_start..)?)?;
        let value = inner.get(value_start..value_start + len)?;
        i = value_start + len + 1;
        let key = attr_name(key);
        if out.get(..n)?.iter().any(|(k, _)| *k == key) {
            return None;
        }
        *out.get_mut(n)? = (key, value);
        n += 1;
    }
}

/// Re-indents an XML document for display; returns None when it is not well-formed.
pub fn pretty(xml: &str) -> Option<String> {
    if xml.len() > MAX_INPUT {
        return None;
    }
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut writer = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(ev) => {
                match &ev {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth = depth.saturating_sub(1),
                    _ => {}
                }
                if depth > MAX_DEPTH {
                    return None;
                }
                writer.write_event(ev).ok()?;
            }
            Err(_) => return None,
        }
    }
    String::from_utf8(writer.into_inner()).ok()
}

/// Object field helper: a child's text (string value, or `#text` of an object).
pub fn text_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    match v.get(key)? {
        Value::String(s) => Some(s.as_str()),
        Value::Object(o) => o.get("#text").and_then(|t| t.as_str()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `root_shape` against `to_json` on generated documents, well-formed or not: the same root,
    /// attributes and number of children, or the same error.
    #[test]
    fn root_shape_says_what_to_json_says() {
        // What `to_json` says of the root, in `root_shape`'s terms.
        let reference = |xml: &str| -> Result<(String, AttrList, usize), String> {
            let (root, v) = to_json(xml)?;
            let Value::Object(o) = v else { return Ok((root, AttrList::new(), 0)) };
            let attrs: AttrList = o.iter().filter_map(|(k, v)| Some((k.strip_prefix('@')?.to_string(), v.as_str()?.to_string()))).collect();
            let children = o
                .iter()
                .filter(|(k, _)| !k.starts_with('@') && *k != "#text")
                .map(|(_, v)| match v {
                    Value::Array(a) => a.len(),
                    _ => 1,
                })
                .sum();
            Ok((root, attrs, children))
        };
        let pieces = [
            "<body rid='12' sid=\"a&amp;b\" xmlns='http://jabber.org/protocol/httpbind'>",
            "<body/>",
            "<body type='terminate' condition='item-not-found'/>",
            "</body>",
            "<message to='1001@f.example.org'>",
            "</message>",
            "<x:presence x:type='unavailable'/>",
            "<Update><data><user/></data></Update>",
            "<data>",
            "</data>",
            "text &lt; more",
            "<![CDATA[<not/>]]>",
            "<!-- note -->",
            "<?xml version='1.0'?>",
            "<a b='1' b='2'/>",
            "</wrong>",
            "<broken attr=>",
            " ",
            "&foo;",
        ];
        let agreed_ok = crate::test_support::agree_on(
            crate::test_support::generated_texts(0x9e37_79b9_7f4a_7c15, &pieces, 9, 20_000),
            reference,
            root_shape,
            Result::is_ok,
        );
        // Both answers were compared, not only both errors.
        assert!(agreed_ok > 1_000, "{agreed_ok} well-formed documents");
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert_eq!(root_shape(&deep), reference(&deep));
        let many = format!("<body>{}</body>", "<m/>".repeat(MAX_ELEMENTS + 1));
        assert_eq!(root_shape(&many), reference(&many));
        assert_eq!(root_shape("<body rid='7'><m/><m/><n/></body>").map(|r| r.2), Ok(3));
    }

    /// Whatever tag `plain_empty_root` reads, `root_shape` reads alike: root `body`, the same
    /// attributes in the same order, no payloads. Generated tags, plain or not.
    #[test]
    fn plain_empty_root_reads_as_root_shape_does() {
        let plain = |xml: &str| -> Option<(String, AttrList, usize)> {
            let (attrs, n) = plain_empty_root(xml, "body")?;
            Some(("body".to_string(), attrs.iter().take(n).map(|(k, v)| (k.to_string(), v.to_string())).collect(), 0))
        };
        let reference = |xml: &str| plain(xml).and_then(|_| root_shape(xml).ok());
        let pieces = [
            " ",
            "\t",
            "\n",
            "  ",
            "rid='1640000018'",
            "sid=\"dc282988\"",
            "xmlns=\"http://jabber.org/protocol/httpbind\"",
            "xmlns:xmpp='urn:xmpp:xbosh'",
            "xmpp:version='1.0'",
            "xml:lang='en'",
            "x:type='terminate'",
            "type=\"terminate\"",
            "condition='item-not-found'",
            "a='1'",
            "a=\"2\"",
            "q='say \"hi\"'",
            "d=\"it's\"",
            "e=''",
            "_k.1-2=\"v\"",
            ":c='v'",
            "é='1'",
            "a = '1'",
            "b=1",
            "=",
            "'",
            "\"",
            "/",
            ">",
            "<",
            "&amp;",
            "v='a&lt;b'",
            "<m/>",
            "</body>",
        ];
        let texts = crate::test_support::generated_texts(0x00b0_5eb0_d1e5, &pieces, 8, 100_000).enumerate().map(|(i, t)| match i % 4 {
            0 => t,
            1 => format!("<body{t}"),
            _ => format!("<body{t}/>"),
        });
        let agreed = crate::test_support::agree_on(texts, reference, plain, Option::is_some);
        assert!(agreed > 5_000, "{agreed} plain tags");
        // A day of polls: the plain tag, read in full.
        let poll = "<body rid=\"1640000018\" sid=\"dc282988\" xmlns=\"http://jabber.org/protocol/httpbind\"/>";
        assert_eq!(plain(poll), root_shape(poll).ok());
        assert_eq!(plain(poll).map(|p| p.1.len()), Some(3));
        // Not plain: payloads, entities, a name written twice, another root, a prefix.
        for other in ["<body rid='1'><m/></body>", "<body a='&amp;'/>", "<body a='1' a='2'/>", "<bodyx a='1'/>", "<x:body a='1'/>", "<body a='1'b='2'/>"] {
            assert_eq!(plain(other), None, "{other}");
        }
    }

    #[test]
    fn basic() {
        let (n, v) = to_json("<a x='1'><b>t&amp;</b><b>u</b><c/></a>").unwrap();
        assert_eq!(n, "a");
        assert_eq!(v["@x"], "1");
        assert_eq!(v["b"][1], "u");
        assert_eq!(v["b"][0], "t&");
    }

    #[test]
    fn hostile() {
        let lol = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>"#;
        let (_, v) = to_json(lol).unwrap();
        assert_eq!(v, "&lol2;");
        let deep = "<a>".repeat(10_000);
        assert!(to_json(&deep).is_err());
        assert!(to_json("<a><b></a>").is_err());
        assert!(to_json("<a>").is_err());
        assert!(to_json("").is_err());
        let ext = r#"<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>"#;
        assert_eq!(to_json(ext).unwrap().1, "&e;");
    }
}
