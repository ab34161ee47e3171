//! UCCX MADM / MIVR contact events (`%MIVR-SS_CHAT-7-UNK:[thread] …`).
//!
//! Fields: `operation` (ContactEvent ADD/…), `SocialContactID`, `MediaType`, `queueId`, `agentId`,
//! `agentResourceId`, `contactState`, `dispositionReason`, plus the ContactXML pairs (`author`,
//! `notificationTag`, `refURL`, `status`, `publishedDate`, `statusTimestamp`, `ccxqueuetag`).

use super::common::{self, name_if_none};
use crate::model::Record;
use regex::Regex;
use std::sync::LazyLock;

static FAC_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"%(MIVR|MADM)-([A-Z_]+)-(\d)-").ok());
static OP_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"ContactEvent \[operation=([A-Z_]+)").ok());
static PAIR_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b(author|id|notificationTag|refURL|status|publishedDate|statusTimestamp|ccxqueuetag|state|dispReason)=([^,\]\[]*)").ok());
static QUEUE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?:Queue for tag is|To Queue:) (\d+)").ok());
static AGENT_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?:Return id \[(\d+)\] agentId \[([^\]]+)\]|Selected agent \[ ?([^\] ]+) ?\])").ok());
static MEDIA_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"MediaType: ([A-Z_]+)").ok());
static DISP_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"dispositionReason:([A-Z_]+?)(?:timestamp|\s|$)").ok());

pub fn decode(rec: &mut Record, text: &str) {
    if !text.contains("%MIVR-") && !text.contains("%MADM-") {
        return;
    }
    if let Some(c) = FAC_RE.as_ref().and_then(|r| r.captures(text)) {
        if let Some(s) = c.get(2) {
            rec.set("subfacility", s.as_str());
        }
    }
    if let Some(op) = OP_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
        name_if_none(rec, "ContactEvent");
        rec.set("operation", op.as_str());
    }
    if text.contains("ContactEvent [") || text.contains("Contact[") {
        if let Some(re) = PAIR_RE.as_ref() {
            for c in re.captures_iter(text) {
                let (Some(k), Some(v)) = (c.get(1), c.get(2)) else { continue };
                match k.as_str() {
                    "id" => rec.set("SocialContactID", v.as_str().trim()),
                    "state" => rec.set("contactState", v.as_str().trim()),
                    "dispReason" => rec.set("dispositionReason", v.as_str().trim()),
                    other => rec.set(other, common::num_or_str(v.as_str())),
                }
            }
        }
    }
    if let Some(m) = MEDIA_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
        rec.set("MediaType", m.as_str());
    }
    if let Some(q) = QUEUE_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
        rec.set("queueId", common::num_or_str(q.as_str()));
    }
    if let Some(c) = AGENT_RE.as_ref().and_then(|r| r.captures(text)) {
        if let Some(id) = c.get(1) {
            rec.set("agentResourceId", common::num_or_str(id.as_str()));
        }
        if let Some(a) = c.get(2).or(c.get(3)) {
            rec.set("agentId", a.as_str());
        }
    }
    if let Some(d) = DISP_RE.as_ref().and_then(|r| r.captures(text)).and_then(|c| c.get(1)) {
        rec.set("dispositionReason", d.as_str());
    }
    if text.contains("New incoming contact") {
        name_if_none(rec, "New incoming contact");
    }
}
