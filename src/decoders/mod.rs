//! Protocol decoders: payloads inside records (ARM byte dumps, CTI text, XMPP, BOSH, Finesse REST,
//! ECE JSON, CCP contacts, chat-gateway events). Each decoder adds named fields to the record and
//! an error note when a payload is malformed; none ever drops a record or panics.
//!
//! Dispatch is by cheap literal prefilters on the record's raw text (never by format: in a branch
//! without the line-format parsers every line log is the `text` format). Regexes are compiled once.
//!
//! `rec.name` is set only when it is still `None` (the format parser may have named the record),
//! except by the ARM dump decoder, which knows better: the name becomes the decoded MessageType name.

pub mod arm;
pub mod bosh;
pub mod ccp;
pub mod chat_gateway;
pub mod common;
pub mod cti_text;
pub mod ece;
pub mod finesse;
pub mod sensitive;
pub mod uccx;
pub mod xml;
pub mod xmpp;

use crate::formats::engine::has as contains;
use crate::model::Record;

/// Largest record text the decoders look at; longer texts are decoded on their first part only.
pub const MAX_DECODE_BYTES: usize = 4 << 20;

/// Fields a parser or decoder reads back from the record it is filling, to derive another one
/// (`invokeId` → `InvokeID`, a REST path → `dialogId`, a body or error list read once). The
/// analysis stores only the fields it keeps (`correlate::facts::stored_for_analysis`) and these;
/// `tests/analysis_decode.rs` checks that it keeps the same facts as a full decode.
pub const READ_BACK: &[&str] = &["invokeId", "resource_name", "REQUEST_URL", "payloads", "apiErrors"];

/// Runs the decoders that apply to this record (by cheap literal prefilters on its text).
pub fn decode(rec: &mut Record, text: &str) {
    let text = if text.len() > MAX_DECODE_BYTES {
        rec.note(format!("record text is {} bytes; decoders looked at the first {} bytes only", text.len(), MAX_DECODE_BYTES));
        common::truncate_at_char(text, MAX_DECODE_BYTES)
    } else {
        text
    };
    // XML that ejabberd printed inside an Erlang binary (`<<"<body rid=\"1\" …>">>`): its
    // quotes are escaped; the XML decoders read an unescaped copy.
    let unescaped;
    let text = if contains(text, "<<\"<") && contains(text, "\\\"") {
        unescaped = text.replace("\\\"", "\"").replace("\\\\", "\\");
        unescaped.as_str()
    } else {
        text
    };
    // One scan for every decoder's prefilter literals (`holds!` answers from it).
    let _scan = common::begin_scan(text);
    if crate::holds!(text, " -> ") && (crate::holds!(text, "Sending ") || crate::holds!(text, "Received ")) {
        arm::decode(rec, text);
    }
    cti_text::decode(rec, text);
    finesse::decode(rec, text);
    if crate::holds!(text, "Update")
        || crate::holds!(text, "<message")
        || crate::holds!(text, "<presence")
        || crate::holds!(text, "<iq")
        || crate::holds!(text, "<open")
        || crate::holds!(text, "<close")
    {
        xmpp::decode(rec, text);
    }
    bosh::decode(rec, text);
    if crate::holds!(text, "checkEligibility") || crate::holds!(text, "agentAvailability") || crate::holds!(text, "responseType") {
        ece::decode(rec, text);
    }
    ccp::decode(rec, text);
    chat_gateway::decode(rec, text);
    uccx::decode(rec, text);
    sensitive::annotate(rec, text);
}
