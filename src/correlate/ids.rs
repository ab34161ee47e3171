//! ID normalisation and the link index: one pass over the records, one `HashMap` from a normalised
//! ID to the records that carry it, and the agent aliases learnt from the logs.

use super::facts::Rec;
use crate::model::Record;
use crate::session::Session;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;

pub use crate::kinds::IdKind;
use crate::kinds::IdRule;

pub type Id = (IdKind, String);

/// Normalised ID → record indices (ascending), each record's IDs, and the agent aliases.
#[derive(Clone, Default)]
pub struct IdIndex {
    /// In the order the IDs were first seen; an ID's place in this map is what `record_ids` holds.
    pub map: indexmap::IndexMap<Id, Vec<u32>>,
    /// Each record's IDs as places in `map`, in the order `ids_of` read them: record `i`'s are
    /// `record_ids[record_start[i]..record_start[i + 1]]`. Flows ask a record's IDs again and
    /// again; reading them off the facts each time was a tenth of the analysis.
    record_start: Vec<u32>,
    record_ids: Vec<u32>,
    records_out_of_order: bool,
    /// Records the run will add (`with_records`), for growing `record_ids` by projection.
    expected: usize,
    /// Peripheral agent ID → (ICM agent ID, record that shows both).
    pub agent_to_icm: HashMap<String, (String, usize)>,
    /// ICM agent ID → (peripheral agent ID, record that shows both).
    pub icm_to_agent: HashMap<String, (String, usize)>,
}

impl IdIndex {
    /// An empty index for a run of `records` records: each record's start in the per-record lists
    /// reserved at once, the lists grown by projection (`facts::projected_capacity`).
    pub fn with_records(records: usize) -> Self {
        IdIndex { record_start: Vec::with_capacity(records + 1), expected: records, ..Default::default() }
    }

    /// One pass over all records (decoding each): tests and tools; the analysis adds records one
    /// at a time (`add`) as it decodes them.
    pub fn build(s: &Session) -> Self {
        let mut idx = IdIndex::default();
        let mut buf = Vec::new();
        for (i, rec) in s.records.iter().enumerate() {
            let decoded = s.files.get(rec.file as usize).map(|f| crate::formats::decode_record(f, rec));
            if let Some(d) = decoded {
                idx.add(i, &d, s.record_text(rec), &mut buf);
            }
        }
        idx
    }

    /// Adds record `i` (decoded, or the facts kept of it; records are added in index order).
    /// `buf` is scratch space.
    pub fn add<F: Fields + ?Sized>(&mut self, i: usize, rec: &F, text: &str, buf: &mut Vec<Id>) {
        buf.clear();
        ids_of(rec, text, buf);
        self.add_ids(i, is_alias_source(rec.record()), buf);
    }

    /// Adds record `i`'s IDs, read before (`ids_of`); `alias_source`: the record teaches agent
    /// aliases (`is_alias_source`). Leaves `ids` empty.
    pub fn add_ids(&mut self, i: usize, alias_source: bool, ids: &mut Vec<Id>) {
        if alias_source {
            let agent = ids.iter().find(|id| id.0 == IdKind::Agent).map(|id| id.1.as_str());
            let icm = ids.iter().find(|id| id.0 == IdKind::IcmAgent).map(|id| id.1.as_str());
            if let (Some(a), Some(m)) = (agent, icm) {
                if a != m {
                    self.agent_to_icm.entry(a.to_string()).or_insert((m.to_string(), i));
                    self.icm_to_agent.entry(m.to_string()).or_insert((a.to_string(), i));
                }
            }
        }
        // Records are added in order; records skipped have none. A record added again or out
        // of order leaves the per-record lists unusable (they are then read off the facts).
        let in_order = self.record_start.len() <= i + 1 && !self.records_out_of_order;
        if !in_order {
            self.records_out_of_order = true;
            self.record_start = Vec::new();
            self.record_ids = Vec::new();
        } else {
            self.record_start.resize(i + 1, self.record_ids.len() as u32);
            super::facts::reserve_projected(&mut self.record_ids, ids.len(), i + 1, self.expected);
        }
        for id in ids.drain(..) {
            let entry = self.map.entry(id);
            let place = entry.index() as u32;
            let v = entry.or_default();
            if v.last() != Some(&(i as u32)) {
                v.push(i as u32);
                if in_order {
                    self.record_ids.push(place);
                }
            }
        }
        if in_order {
            self.record_start.push(self.record_ids.len() as u32);
        }
    }

    /// Record `i`'s IDs, in the order they were read; `None` when the record was not added.
    pub fn of_record(&self, i: usize) -> Option<impl Iterator<Item = &Id> + '_> {
        let (from, to) = (*self.record_start.get(i)?, *self.record_start.get(i + 1)?);
        let places = self.record_ids.get(from as usize..to as usize)?;
        Some(places.iter().filter_map(|&p| self.map.get_index(p as usize).map(|(id, _)| id)))
    }

    /// Puts every ID's records in timeline order (`pos`: each record's timeline position), so a
    /// flow finds an ID's records in a time window by binary search (`flows::Ctx::within`).
    pub fn sort_by_position(&mut self, pos: &[u32]) {
        let at = |r: &u32| pos.get(*r as usize).copied().unwrap_or(u32::MAX);
        for v in self.map.values_mut() {
            if v.windows(2).any(|w| at(&w[0]) > at(&w[1])) {
                v.sort_unstable_by_key(|r| (at(r), *r));
            }
        }
    }

    /// Gives back spare capacity once every record is added.
    pub fn shrink(&mut self) {
        for v in self.map.values_mut() {
            v.shrink_to_fit();
        }
        self.map.shrink_to_fit();
        self.record_start.shrink_to_fit();
        self.record_ids.shrink_to_fit();
    }

    pub fn get(&self, kind: IdKind, value: &str) -> &[u32] {
        self.map.get(&(kind, value.to_string())).map(|v| v.as_slice()).unwrap_or(&[])
    }
}

/// Records that state an agent's peripheral ID and ICM ID together (CTI AGENT_EVENT,
/// AGENT_STATE_EVENT), in formats that declare it.
pub fn is_alias_source(rec: &Record) -> bool {
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

/// Where correlation reads a record's fields: a decoded record (the analysis pass) or the facts
/// kept of it (`Rec`, when flows are built).
pub trait Fields {
    /// The record's index entry (name, format, file, time).
    fn record(&self) -> &Record;
    /// A field's value as written (numbers in decimal), untrimmed.
    fn raw(&self, key: &'static str) -> Option<Cow<'_, str>>;
}

impl Fields for Record {
    fn record(&self) -> &Record {
        self
    }
    fn raw(&self, key: &'static str) -> Option<Cow<'_, str>> {
        match self.fields().get(key)? {
            Value::String(s) => Some(Cow::Borrowed(s.as_str())),
            Value::Number(n) => Some(Cow::Owned(n.to_string())),
            _ => None,
        }
    }
}

impl Fields for super::facts::KeptRec<'_> {
    fn record(&self) -> &Record {
        self.rec
    }
    fn raw(&self, key: &'static str) -> Option<Cow<'_, str>> {
        self.kept.get(key).map(Cow::Borrowed)
    }
}

impl Fields for Rec<'_> {
    fn record(&self) -> &Record {
        self.rec
    }
    fn raw(&self, key: &'static str) -> Option<Cow<'_, str>> {
        self.get(key).map(Cow::Borrowed)
    }
}

/// A field as a trimmed string (numbers as decimal); None when empty or a placeholder.
pub fn field(rec: Rec<'_>, key: &'static str) -> Option<String> {
    field_ref(&rec, key).map(|v| v.into_owned())
}

/// `field` without a copy when the value is a string.
pub fn field_ref<'a, F: Fields + ?Sized>(rec: &'a F, key: &'static str) -> Option<Cow<'a, str>> {
    let v = match rec.raw(key)? {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
        Cow::Owned(s) => Cow::Owned(s.trim().to_string()),
    };
    if v.is_empty() || v == "null" || v == "undefined" || v == "N/A" {
        None
    } else {
        Some(v)
    }
}

fn owned<F: Fields + ?Sized>(rec: &F, key: &'static str) -> Option<String> {
    field_ref(rec, key).map(|v| v.into_owned())
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
pub fn ids_of<F: Fields + ?Sized>(src: &F, text: &str, out: &mut Vec<Id>) {
    let rec = src.record();
    let rules = crate::formats::of(rec).ids;
    let claimed = |k: &str| rules.iter().any(|r| matches!(r, IdRule::Field(f, _) if *f == k));
    for rule in rules {
        match *rule {
            IdRule::Field(f, kind) => {
                if let Some(v) = field_ref(src, f).as_deref().and_then(|v| normalise(kind, v)) {
                    out.push((kind, v));
                }
            }
            IdRule::Hex32InText(_) | IdRule::AgentAliases => {}
        }
    }
    // InvokeID
    for k in ["InvokeID", "PreCallInvokeID", "ClientInvokeID"] {
        if let Some(n) = field_ref(src, k).as_deref().and_then(positive_int) {
            out.push((IdKind::Invoke, n.to_string()));
        }
    }
    // Task keys and router call keys
    let mut tasks: Vec<String> = Vec::new();
    if let Some(t) = owned(src, "TaskKey") {
        tasks.push(t);
    }
    for k in ["RouterCallKey", "call_id", "TaskID", "taskId", "IcmTaskID"] {
        if let Some(t) = field_ref(src, k).as_deref().and_then(crate::decoders::common::task_key) {
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
        if let (Some(d), Some(c)) = (field_ref(src, dk).as_deref().and_then(positive_int), field_ref(src, ck).as_deref().and_then(positive_int)) {
            out.push((IdKind::CallKey, format!("{d}_{c}")));
        }
    }
    // Dialog IDs that are not task keys
    if let Some(d) = owned(src, "dialogId") {
        if crate::decoders::common::task_key(&d).is_none() {
            out.push((IdKind::Dialog, d));
        }
    }
    // SocialContactID: from a field, else (formats that declare it) from the free text
    let mut sc = false;
    for k in ["SocialContactID", "SOCIAL_CONTACT_ID", "scId", "Contact", "CED", "ApplicationString2", "sm_contact_id", "id"] {
        if let Some(v) = field_ref(src, k) {
            if is_hex32(&v) {
                out.push((IdKind::SocialContact, v.to_ascii_uppercase()));
                sc = true;
                break;
            }
        }
    }
    for rule in rules {
        if let (IdRule::Hex32InText(kind), false) = (rule, sc) {
            if let Some(v) = scan_hex32(text) {
                out.push((*kind, v));
            }
        }
    }
    // BOSH
    if let Some(v) = owned(src, "sid") {
        out.push((IdKind::BoshSid, v.to_ascii_lowercase()));
    }
    // Agents (peripheral / Finesse login IDs)
    for k in ["JID", "jid", "from", "FROM JID", "user_id", "to"] {
        if let Some(u) = field_ref(src, k).as_deref().and_then(jid_user) {
            out.push((IdKind::Agent, u));
        }
    }
    for k in ["agent_id", "agentID", "loginId", "AgentID", "usr", "authUser"] {
        if let Some(v) = owned(src, k) {
            if v != "-1" && v != "0" {
                out.push((IdKind::Agent, v));
            }
        }
    }
    if rec.name() == Some("AGENT_EVENT") {
        if let Some(v) = owned(src, "ID") {
            out.push((IdKind::Agent, v));
        }
    }
    for k in ["node", "NodeId", "source", "REQUEST_URL", "uri", "url", "resource", "wire"] {
        if let Some(u) = field_ref(src, k).as_deref().and_then(user_from_path) {
            out.push((IdKind::Agent, u));
        }
    }
    if rec.name() == Some("AGENT_PRESENCE_MONITOR") {
        if let Some(m) = owned(src, "message_string") {
            if let Some(n) = m.split_whitespace().find(|w| w.len() > 2 && w.bytes().all(|b| b.is_ascii_digit())) {
                out.push((IdKind::Agent, n.to_string()));
            }
        }
    }
    // ICM agent skill target IDs
    for k in ["ICMAgentID", "ICMAgtID", "AGSTID", "AgSkTargID", "ASTID", "STID", "SkTgtID", "skill_target_id", "AgentSkillTargetID"] {
        if let Some(n) = field_ref(src, k).as_deref().and_then(positive_int) {
            out.push((IdKind::IcmAgent, n.to_string()));
        }
    }
    // Finesse requests
    for k in ["requestId", "request_identifer", "request_identifier"] {
        if claimed(k) {
            continue;
        }
        if let Some(v) = owned(src, k) {
            out.push((IdKind::RequestId, v));
        }
    }
    if let Some(v) = owned(src, "nocache") {
        out.push((IdKind::Nocache, v));
    } else {
        for k in ["uri", "url"] {
            if let Some(v) = field_ref(src, k).as_deref().and_then(nocache_in) {
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
