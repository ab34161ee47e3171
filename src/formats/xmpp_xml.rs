//! Bare XMPP stanzas and BOSH `<body/>`s saved as files (`.xml`, or pasted into a ticket): a Finesse
//! pubsub notification, a saved BOSH response, a bare Finesse `<Update>`. One record per top-level
//! stanza or body.
//!
//! Grammar (`[…]` optional, `|` alternatives):
//!
//! ```text
//! [<?xml …?>]                       (on its own line or before the first element)
//! <top>…                            one top-level element per record, starting a line unindented;
//!                                   its children follow, on the same line or indented on the next
//!   <top>   <message …> | <presence …> | <iq …>        (an XMPP stanza)
//!         | <body … rid=|sid=|xmlns='…httpbind'…>     (a BOSH wrapper: a chat message's own
//!                                                      `<body>` child has no such attributes)
//!         | <open …/> | <close …/>                    (RFC 7395 framing)
//!         | <Update>                                  (a Finesse notification payload)
//! ```
//!
//! A stanza carries a time only when it says when it was sent: an XEP-0203 `<delay stamp='…'/>`.
//!
//! Examples (written by the project):
//!
//! ```text
//! <message from='pubsub.fin1.example.org' to='2280@fin1.example.org' id='/finesse/api/User/2280__…'>
//!   <event xmlns='http://jabber.org/protocol/pubsub#event'><items node='/finesse/api/User/2280'>…
//! <body xmlns='http://jabber.org/protocol/httpbind' sid='…'><presence …/></body>
//! ```
//!
//! Names: the kind of the top element (`XMPP_MESSAGE`, `XMPP_PRESENCE`, `XMPP_IQ`, `BOSH_REQUEST`,
//! `BOSH_RESPONSE`, `BOSH_TERMINATE`, `SESSION_CREATED`, `XMPP_OPEN`, `XMPP_CLOSE`,
//! `FINESSE_UPDATE`); the XMPP, BOSH and Finesse decoders read the rest (from, to, node, the
//! Update's event, requestId and state, sid, rid, condition, …).

use super::engine::{self, stamp_ymd};
use super::{Example, Format, Lane, Role, Shape};
use crate::model::Record;

const TOPS: &[&str] = &["<message", "<presence", "<iq", "<open", "<close", "<Update>", "<body"];

/// The line without an XML declaration in front.
fn past_decl(l: &str) -> &str {
    match l.strip_prefix("<?xml").and_then(|r| engine::find(r, "?>").map(|i| (r, i))) {
        Some((r, i)) => r.get(i + 2..).unwrap_or("").trim_start(),
        None => l,
    }
}

fn top(l: &str) -> bool {
    let l = past_decl(l);
    TOPS.iter().any(|t| {
        l.starts_with(t)
            && (t.ends_with('>') || matches!(l.as_bytes().get(t.len()), None | Some(b' ' | b'>' | b'/' | b'\t')))
            && (*t != "<body" || {
                let tag = engine::prefix_at_most(l, 2048);
                let tag = tag.get(..tag.find('>').unwrap_or(tag.len())).unwrap_or("");
                engine::has(tag, "httpbind") || engine::has(tag, "rid=") || engine::has(tag, "sid=")
            })
    })
}

/// An XML declaration alone on its line.
fn decl_only(l: &str) -> bool {
    l.starts_with("<?xml") && l.trim_end().ends_with("?>")
}

fn starts(l: &str) -> bool {
    top(l) || decl_only(l)
}

pub static XMPP_XML: Format = Format {
    name: "xmpp-xml",
    detect: |s| {
        // The first element of the file is a stanza or a BOSH body, and most unindented lines are.
        let first = s.lines.iter().map(|l| l.trim_start_matches('\u{feff}')).find(|l| !decl_only(l));
        if !first.is_some_and(top) {
            return 0;
        }
        let flush: Vec<&str> = s.lines.iter().copied().filter(|l| !l.starts_with([' ', '\t']) && !l.starts_with("</") && !decl_only(l)).collect();
        let tops = flush.iter().filter(|l| top(l)).count();
        if tops * 2 >= flush.len() {
            engine::score((tops * 100 / flush.len().max(1)) as u32, 50, 80)
        } else {
            0
        }
    },
    shape: Shape::Lines {
        starts_record: starts,
        // A declaration alone on its line belongs to the element after it.
        glue: |prev, _line| decl_only(prev),
        parse,
    },
    lane: Lane::Notification,
    role: Role::Snapshot,
    ids: &[],
    examples: EXAMPLES,
};

fn parse(rec: &mut Record, first: &str, text: &str) {
    // The element: past a declaration on the first line or on a line of its own.
    let el = if decl_only(first) { text.lines().nth(1).unwrap_or("") } else { past_decl(first) };
    let name = if el.starts_with("<Update>") { Some("FINESSE_UPDATE") } else { crate::decoders::bosh::payload_name(el, None) };
    if let Some(n) = name {
        rec.set_name(n);
    }
    rec.set_component(if el.starts_with("<body") { "bosh" } else { "xmpp" });
    // XEP-0203: `<delay xmlns='urn:xmpp:delay' stamp='2024-06-11T19:20:31.902Z'/>`.
    if let Some(i) = memchr::memmem::find(text.as_bytes(), b"<delay") {
        let tag = text.get(i..).unwrap_or("");
        let tag = tag.get(..tag.find('>').unwrap_or(tag.len())).unwrap_or("");
        if let Some(v) = tag.split("stamp=").nth(1).and_then(|v| v.get(1..)) {
            if let Some(st) = stamp_ymd(v) {
                rec.time = Some(st.time);
            }
        }
    }
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const EXAMPLES: &[Example] = &[
    Example {
        variant: "a saved Finesse pubsub notification, pretty-printed",
        timed: false,
        path: "notification.xml",
        text: "<?xml version='1.0' encoding='UTF-8'?>
<message from='pubsub.fin1.example.org' to='2280@fin1.example.org' id='/finesse/api/User/2280__2280@fin1.example.org__Qw7Rt'>
  <event xmlns='http://jabber.org/protocol/pubsub#event'>
    <items node='/finesse/api/User/2280'>
      <item id='a0b1c2d3-4e5f-4a6b-8c7d-9e0f1a2b3c4d'>
        <notification xmlns='http://jabber.org/protocol/pubsub'>
          <Update>
            <data><user><loginId>2280</loginId><state>NOT_READY</state><reasonCodeId>12</reasonCodeId></user></data>
            <event>PUT</event>
            <requestId>7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910</requestId>
            <source>/finesse/api/User/2280</source>
          </Update>
        </notification>
      </item>
    </items>
  </event>
</message>
",
    },
    Example {
        variant: "saved BOSH bodies, one per line, one delayed stanza",
        timed: false,
        path: "bosh-bodies.xml",
        text: "<body xmlns='http://jabber.org/protocol/httpbind' sid='c0ffee42-1d2e-4f30-8a4b-5c6d7e8f9a0b' wait='60' inactivity='60' polling='5' requests='2' hold='1' ver='1.6'/>
<body xmlns='http://jabber.org/protocol/httpbind' type='terminate' condition='item-not-found'/>
<message from='room@conference.example.org/agent' to='2280@example.org' type='groupchat'><body>back in 5</body><delay xmlns='urn:xmpp:delay' stamp='2024-06-11T19:20:31.902Z'/></message>
",
    },
];
