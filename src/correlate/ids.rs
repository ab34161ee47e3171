//! ID normalisation and the link index: one pass over the records, one `HashMap` from a normalised
//! ID to the records that carry it, and the agent aliases learnt from the logs.

use crate::model::Record;
use crate::session::Session;
use serde_json::Value;
use std::collections::HashMap;

pub use crate::kinds::IdKind;
use crate::kinds::IdRule;

pub type Id = (IdKind, String);

/// Normalised ID → record indices (ascending), plus agent aliases.
#[derive(Clone, Default)]
pub struct IdIndex {
    pub map: HashMap<Id, Vec<u32>>,
    /// Peripheral agent ID → (ICM agent ID, record that shows both).
    pub agent_to_icm: HashMap<String, (String, usize)>,
    /// ICM agent ID → (peripheral agent ID, record that shows both).
    pub icm_to_agent: HashMap<String, (String, usize)>,
}

impl IdIndex {
    /// One pass over all records.
    pub fn build(s: &Session) -> Self {
        let mut idx = IdIndex::default();
        let mut buf: Vec<Id> = Vec::new();
        for (i, rec) in s.records.iter().enumerate() {
            buf.clear();
            ids_of(s, rec, &mut buf);
            let mut agent: Option<String> = None;
            let mut icm: Option<String> = None;
            for id in buf.drain(..) {
                if is_alias_source(rec) {
                    match id.0 {
                        IdKind::Agent if agent.is_none() => agent = Some(id.1.clone()),
                        IdKind::IcmAgent if icm.is_none() => icm = Some(id.1.clone()),
                        _ => {}
                    }
                }
                let v = idx.map.entry(id).or_default();
                if v.last() != Some(&(i as u32)) {
                    v.push(i as u32);
                }
            }
            if let (Some(a), Some(m)) = (agent, icm) {
                if a != m {
                    idx.agent_to_icm.entry(a.clone()).or_insert((m.clone(), i));
                    idx.icm_to_agent.entry(m).or_insert((a, i));
                }
            }
        }
        idx
    }

    pub fn get(&self, kind: IdKind, value: &str) -> &[u32] {
        self.map.get(&(kind, value.to_string())).map(|v| v.as_slice()).unwrap_or(&[])
    }
}

/// Records that state an agent's peripheral ID and ICM ID together (CTI AGENT_EVENT,
/// AGENT_STATE_EVENT), in formats that declare it.
fn is_alias_source(rec: &Record) -> bool {
    crate::formats::of(rec).ids.contains(&IdRule::AgentAliases) && matches!(rec.name(), Some("AGENT_EVENT") | Some("AGENT_STATE_EVENT"))
}

/// A value read as an ID of `kind`, normalised (None when it cannot be one).
fn normalise(kind: IdKind, v: &str) -> Option<String> {
    match kind {
        IdKind::Invoke | IdKind::IcmAgent => positive_int(v).map(|n| n.to_string()),
        IdKind::SocialContact => is_hex32(v).then(|| v.to_ascii_uppercase()),
        IdKind::BoshSid => Some(v.to_ascii_lowercase()),
        IdKind::Task => crate::decoders::common::task_key(v),
        _ => Some(v.to_string()),
    }
}

/// A field as a trimmed string (numbers as decimal).
pub fn field(rec: &Record, key: &str) -> Option<String> {
    field_ref(rec, key).map(|v| v.into_owned())
}

/// `field` without a copy when the value is a string.
pub fn field_ref<'a>(rec: &'a Record, key: &str) -> Option<std::borrow::Cow<'a, str>> {
    use std::borrow::Cow;
    let v: Cow<'a, str> = match rec.fields().get(key)? {
        Value::String(s) => Cow::Borrowed(s.trim()),
        Value::Number(n) => Cow::Owned(n.to_string()),
        _ => return None,
    };
    if v.is_empty() || v == "null" || v == "undefined" || v == "N/A" {
        None
    } else {
        Some(v)
    }
}

fn positive_int(s: &str) -> Option<i64> {
    let n = crate::decoders::common::parse_int(s)?;
    (n > 0).then_some(n)
}

fn is_hex32(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Finds a 32-hex-digit token (SocialContactID) in free text.
pub fn scan_hex32(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut run = 0usize;
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_hexdigit() {
            run += 1;
        } else {
            if run == 32 {
                return text.get(i - 32..i).map(|s| s.to_ascii_uppercase());
            }
            run = 0;
        }
    }
    if run == 32 {
        return text.get(b.len() - 32..).map(|s| s.to_ascii_uppercase());
    }
    None
}

/// Agent ID from a path like `/finesse/api/User/2001/Dialogs` or `User/2001`.
pub fn user_from_path(s: &str) -> Option<String> {
    let p = s.find("User/")?;
    let rest = s.get(p + 5..)?;
    let id: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.').collect();
    (!id.is_empty()).then_some(id)
}

/// The local part of a JID (`2001@host/desktop` → `2001`).
pub fn jid_user(s: &str) -> Option<String> {
    let at = s.find('@')?;
    let u = s.get(..at)?.trim();
    (!u.is_empty() && !u.contains(' ')).then(|| u.to_string())
}

/// nocache value from a URL, plain or percent-encoded.
pub fn nocache_in(s: &str) -> Option<String> {
    let p = s.find("nocache%3D").map(|p| p + 10).or_else(|| s.find("nocache=").map(|p| p + 8))?;
    let digits: String = s.get(p..)?.chars().take_while(|c| c.is_ascii_digit()).collect();
    (!digits.is_empty()).then_some(digits)
}

/// Every identifier a record carries, normalised: the ID fields its format declares, then the
/// protocol fields any record may carry (fields a format declares are read only by its rule).
pub fn ids_of(s: &Session, rec: &Record, out: &mut Vec<Id>) {
    let rules = crate::formats::of(rec).ids;
    let claimed = |k: &str| rules.iter().any(|r| matches!(r, IdRule::Field(f, _) if *f == k));
    for rule in rules {
        match *rule {
            IdRule::Field(f, kind) => {
                if let Some(v) = field_ref(rec, f).as_deref().and_then(|v| normalise(kind, v)) {
                    out.push((kind, v));
                }
            }
            IdRule::Hex32InText(_) | IdRule::AgentAliases => {}
        }
    }
    // InvokeID
    for k in ["InvokeID", "PreCallInvokeID", "ClientInvokeID"] {
        if let Some(n) = field_ref(rec, k).as_deref().and_then(positive_int) {
            out.push((IdKind::Invoke, n.to_string()));
        }
    }
    // Task keys and router call keys
    let mut tasks: Vec<String> = Vec::new();
    if let Some(t) = field(rec, "TaskKey") {
        tasks.push(t);
    }
    for k in ["RouterCallKey", "call_id", "TaskID", "taskId", "IcmTaskID"] {
        if let Some(t) = field_ref(rec, k).as_deref().and_then(crate::decoders::common::task_key) {
            tasks.push(t);
        }
    }
    tasks.retain(|t| !t.starts_with('-'));
    tasks.sort();
    tasks.dedup();
    for t in &tasks {
        out.push((IdKind::Task, t.clone()));
        let mut parts = t.split('_');
        if let (Some(d), Some(c)) = (parts.next(), parts.next()) {
            out.push((IdKind::CallKey, format!("{d}_{c}")));
        }
    }
    for (dk, ck) in [("RouterCallKeyDay", "RouterCallKeyCallID"), ("RtrDate", "RtrCID"), ("routerCallKeyDay", "routerCallKeyCallID")] {
        if let (Some(d), Some(c)) = (field_ref(rec, dk).as_deref().and_then(positive_int), field_ref(rec, ck).as_deref().and_then(positive_int)) {
            out.push((IdKind::CallKey, format!("{d}_{c}")));
        }
    }
    // Dialog IDs that are not task keys
    if let Some(d) = field(rec, "dialogId") {
        if crate::decoders::common::task_key(&d).is_none() {
            out.push((IdKind::Dialog, d));
        }
    }
    // SocialContactID: from a field, else (formats that declare it) from the free text
    let mut sc = false;
    for k in ["SocialContactID", "SOCIAL_CONTACT_ID", "scId", "Contact", "CED", "ApplicationString2", "sm_contact_id", "id"] {
        if let Some(v) = field_ref(rec, k) {
            if is_hex32(&v) {
                out.push((IdKind::SocialContact, v.to_ascii_uppercase()));
                sc = true;
                break;
            }
        }
    }
    for rule in rules {
        if let (IdRule::Hex32InText(kind), false) = (rule, sc) {
            if let Some(v) = scan_hex32(s.record_text(rec)) {
                out.push((*kind, v));
            }
        }
    }
    // BOSH
    if let Some(v) = field(rec, "sid") {
        out.push((IdKind::BoshSid, v.to_ascii_lowercase()));
    }
    // Agents (peripheral / Finesse login IDs)
    for k in ["JID", "jid", "from", "FROM JID", "user_id", "to"] {
        if let Some(u) = field_ref(rec, k).as_deref().and_then(jid_user) {
            out.push((IdKind::Agent, u));
        }
    }
    for k in ["agent_id", "agentID", "loginId", "AgentID", "usr", "authUser"] {
        if let Some(v) = field(rec, k) {
            if v != "-1" && v != "0" {
                out.push((IdKind::Agent, v));
            }
        }
    }
    if rec.name() == Some("AGENT_EVENT") {
        if let Some(v) = field(rec, "ID") {
            out.push((IdKind::Agent, v));
        }
    }
    for k in ["node", "NodeId", "source", "REQUEST_URL", "uri", "url", "resource", "wire"] {
        if let Some(u) = field_ref(rec, k).as_deref().and_then(user_from_path) {
            out.push((IdKind::Agent, u));
        }
    }
    if rec.name() == Some("AGENT_PRESENCE_MONITOR") {
        if let Some(m) = field(rec, "message_string") {
            if let Some(n) = m.split_whitespace().find(|w| w.len() > 2 && w.bytes().all(|b| b.is_ascii_digit())) {
                out.push((IdKind::Agent, n.to_string()));
            }
        }
    }
    // ICM agent skill target IDs
    for k in ["ICMAgentID", "ICMAgtID", "AGSTID", "AgSkTargID", "ASTID", "STID", "SkTgtID", "skill_target_id", "AgentSkillTargetID"] {
        if let Some(n) = field_ref(rec, k).as_deref().and_then(positive_int) {
            out.push((IdKind::IcmAgent, n.to_string()));
        }
    }
    // Finesse requests
    for k in ["requestId", "request_identifer", "request_identifier"] {
        if claimed(k) {
            continue;
        }
        if let Some(v) = field(rec, k) {
            out.push((IdKind::RequestId, v));
        }
    }
    if let Some(v) = field(rec, "nocache") {
        out.push((IdKind::Nocache, v));
    } else {
        for k in ["uri", "url"] {
            if let Some(v) = field_ref(rec, k).as_deref().and_then(nocache_in) {
                out.push((IdKind::Nocache, v));
            }
        }
    }
    out.sort();
    out.dedup();
}

/// Candidate normalised forms of a user-typed ID value (for ad-hoc flows).
pub fn normalise_query(v: &str) -> Vec<Id> {
    let v = v.trim();
    let mut out: Vec<Id> = Vec::new();
    if v.is_empty() {
        return out;
    }
    if let Some(n) = positive_int(v) {
        out.push((IdKind::Invoke, n.to_string()));
        out.push((IdKind::IcmAgent, n.to_string()));
    }
    if let Some(t) = crate::decoders::common::task_key(v) {
        out.push((IdKind::Task, t));
    }
    // CID=(154526,37051928) or 154526,37051928: day+callid prefix
    let inner: String = v.chars().filter(|c| c.is_ascii_digit() || *c == ',' || *c == '_' || *c == ' ').collect();
    let parts: Vec<&str> = inner.split([',', '_', ' ']).filter(|p| !p.is_empty()).collect();
    if parts.len() == 2 {
        out.push((IdKind::CallKey, format!("{}_{}", parts[0], parts[1])));
    }
    if is_hex32(v) {
        out.push((IdKind::SocialContact, v.to_ascii_uppercase()));
    }
    if let Some(u) = jid_user(v) {
        out.push((IdKind::Agent, u));
    }
    for k in IdKind::ALL {
        match k {
            IdKind::SocialContact => {}
            IdKind::BoshSid => out.push((k, v.to_ascii_lowercase())),
            _ => out.push((k, v.to_string())),
        }
    }
    out.sort();
    out.dedup();
    out
}
