//! ID normalisation and the link index: one pass over the records, each normalised ID interned
//! once with the records that carry it, and the agent aliases learnt from the logs.

use super::facts::{KeySet, Rec, Strings};
use crate::formats::engine::find as find_in;
use crate::model::Record;
use crate::session::Session;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;

pub use crate::kinds::IdKind;
use crate::kinds::IdRule;

pub type Id = (IdKind, String);

/// Normalised ID → record indices (ascending, then in timeline order), each record's IDs, and
/// the agent aliases. A busy day has hundreds of thousands of IDs (a requestId per REST call):
/// each is its text once in an arena and two numbers, not a key and a list of its own.
#[derive(Default)]
pub struct IdIndex {
    /// Every ID as its kind's letter then its value, in the order first seen: an ID's place.
    names: Strings,
    /// (place, record) of records added out of order (or again), until `finish` groups them
    /// with the per-record lists into `starts`/`records`. In order, the per-record lists are
    /// all there is: no pair is stored twice while the records are read.
    pending: Vec<(u32, u32)>,
    /// ID `p`'s records are `records[starts[p]..starts[p + 1]]` once finished.
    starts: Vec<u32>,
    records: Vec<u32>,
    /// Each record's IDs as places, in the order `ids_of` read them: record `i`'s are
    /// `record_ids[record_start[i]..record_start[i + 1]]`. Flows ask a record's IDs again and
    /// again; reading them off the facts each time was a tenth of the analysis.
    record_start: Vec<u32>,
    record_ids: Vec<u32>,
    records_out_of_order: bool,
    /// Records the run will add (`with_records`), for growing the lists by projection.
    expected: usize,
    /// Agent aliases by place: a peripheral agent ID's → (its ICM agent ID's, the first record
    /// that shows both), and the ICM agent ID's → (the peripheral one's, that record). Places,
    /// not texts: a day with a hundred thousand agents had two strings and a map entry each.
    aliases: HashMap<u32, (u32, u32), crate::model::FxBuild>,
}

/// The letter an ID's kind is stored under (its place in `IdKind::ALL`).
fn kind_letter(kind: IdKind) -> u8 {
    b'a' + kind as u8
}

fn kind_of_letter(b: u8) -> Option<IdKind> {
    IdKind::ALL.get(b.checked_sub(b'a')? as usize).copied()
}

/// Writes an ID as it is interned (kind letter, value) and hands it to `f`; short IDs (nearly
/// all) are written on the stack.
fn with_name<T>(kind: IdKind, value: &str, f: impl FnOnce(&str) -> T) -> T {
    let mut stack = [0u8; 96];
    let n = value.len() + 1;
    if let Some(buf) = stack.get_mut(..n) {
        buf[0] = kind_letter(kind);
        buf[1..].copy_from_slice(value.as_bytes());
        if let Ok(s) = std::str::from_utf8(buf) {
            return f(s);
        }
    }
    let mut s = String::with_capacity(n);
    s.push(char::from(kind_letter(kind)));
    s.push_str(value);
    f(&s)
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
        idx.finish();
        idx
    }

    /// Adds record `i` (decoded, or the facts kept of it; records are added in index order).
    /// `buf` is scratch space.
    pub fn add<F: Fields + ?Sized>(&mut self, i: usize, rec: &F, text: &str, buf: &mut Vec<Id>) {
        buf.clear();
        ids_of(rec, text, buf);
        self.add_ids(i, is_alias_source(rec.record()), buf);
    }

    /// Adds record `i`'s IDs, read before (`ids_of`: sorted, each once); `alias_source`: the
    /// record teaches agent aliases (`is_alias_source`). Leaves `ids` empty.
    pub fn add_ids(&mut self, i: usize, alias_source: bool, ids: &mut Vec<Id>) {
        // The record teaches an alias when it names an agent by both IDs and they differ.
        let teaches = alias_source && {
            let agent = ids.iter().find(|id| id.0 == IdKind::Agent).map(|id| id.1.as_str());
            let icm = ids.iter().find(|id| id.0 == IdKind::IcmAgent).map(|id| id.1.as_str());
            matches!((agent, icm), (Some(a), Some(m)) if a != m)
        };
        let (mut agent_place, mut icm_place) = (None, None);
        // Records are added in order; records skipped have none. A record added again or out
        // of order leaves the per-record lists unusable (they are then read off the facts).
        let in_order = self.record_start.len() <= i + 1 && !self.records_out_of_order;
        if !in_order && !self.records_out_of_order {
            // From here on pairs are kept as pairs: the lists so far become pairs too.
            self.records_out_of_order = true;
            let mut pairs = Vec::with_capacity(self.record_ids.len() + ids.len());
            self.for_each_listed(|p, r| pairs.push((p, r)));
            self.pending = pairs;
            self.record_start = Vec::new();
            self.record_ids = Vec::new();
        }
        if in_order {
            self.record_start.resize(i + 1, self.record_ids.len() as u32);
            super::facts::reserve_projected(&mut self.record_ids, ids.len(), i + 1, self.expected);
        }
        for (kind, value) in ids.drain(..) {
            let place = with_name(kind, &value, |name| self.names.intern(name));
            if teaches {
                match kind {
                    IdKind::Agent => agent_place = agent_place.or(Some(place)),
                    IdKind::IcmAgent => icm_place = icm_place.or(Some(place)),
                    _ => {}
                }
            }
            if in_order {
                self.record_ids.push(place);
            } else {
                self.pending.push((place, i as u32));
            }
        }
        if in_order {
            self.record_start.push(self.record_ids.len() as u32);
        }
        if let (Some(a), Some(m)) = (agent_place, icm_place) {
            self.aliases.entry(a).or_insert((m, i as u32));
            self.aliases.entry(m).or_insert((a, i as u32));
        }
    }

    /// Calls `f(place, record)` for every ID of every record in the per-record lists.
    fn for_each_listed(&self, mut f: impl FnMut(u32, u32)) {
        for (r, w) in self.record_start.windows(2).enumerate() {
            for &p in self.record_ids.get(w[0] as usize..w[1] as usize).unwrap_or(&[]) {
                f(p, r as u32);
            }
        }
    }

    /// Groups the records added by ID (each ID's in ascending order, each record once) and gives
    /// back spare room: call once every record is added, before `get`.
    pub fn finish(&mut self) {
        // A second finish (records added after one) regroups what the first grouped too.
        let grouped: Vec<(u32, u32)> = self
            .starts
            .windows(2)
            .enumerate()
            .flat_map(|(p, w)| self.records.get(w[0] as usize..w[1] as usize).unwrap_or(&[]).iter().map(move |&r| (p as u32, r)))
            .collect();
        self.pending.extend(grouped);
        let ids = self.names.len();
        let (mut starts, mut records) = super::facts::group_by_key(ids, |put| {
            self.for_each_listed(&mut *put);
            self.pending.iter().for_each(|&(p, r)| put(p, r));
        });
        self.pending = Vec::new();
        // Each ID's records ascending and once (a record added twice, or out of order).
        let mut out = 0usize;
        let mut from = 0usize;
        for p in 0..ids {
            let to = starts[p + 1] as usize;
            let list = &mut records[from..to];
            if list.windows(2).any(|w| w[0] >= w[1]) {
                list.sort_unstable();
            }
            let begin = out;
            for k in from..to {
                if out == begin || records[out - 1] != records[k] {
                    records[out] = records[k];
                    out += 1;
                }
            }
            starts[p] = begin as u32;
            from = to;
        }
        starts[ids] = out as u32;
        records.truncate(out);
        records.shrink_to_fit();
        self.starts = starts;
        self.records = records;
        self.names.shrink_to_fit();
        self.record_start.shrink_to_fit();
        self.record_ids.shrink_to_fit();
    }

    fn id_at(&self, place: u32) -> Option<(IdKind, &str)> {
        let name = self.names.get(place);
        Some((kind_of_letter(*name.as_bytes().first()?)?, name.get(1..)?))
    }

    fn records_at(&self, place: usize) -> &[u32] {
        match (self.starts.get(place), self.starts.get(place + 1)) {
            (Some(&a), Some(&b)) => self.records.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Every ID with its records, in the order the IDs were first seen.
    pub fn iter(&self) -> impl Iterator<Item = (IdKind, &str, &[u32])> + '_ {
        (0..self.names.len() as u32).filter_map(move |p| self.id_at(p).map(|(k, v)| (k, v, self.records_at(p as usize))))
    }

    /// The places (see `at`) of one kind's IDs, in the order the IDs were first seen: four bytes
    /// an ID for a caller that orders them otherwise.
    pub fn places_of_kind(&self, kind: IdKind) -> impl Iterator<Item = u32> + '_ {
        (0..self.names.len() as u32).filter(move |&p| self.id_at(p).is_some_and(|(k, _)| k == kind))
    }

    /// The ID at a place (`places_of_kind`) with its records.
    pub fn at(&self, place: u32) -> Option<(IdKind, &str, &[u32])> {
        self.id_at(place).map(|(k, v)| (k, v, self.records_at(place as usize)))
    }

    /// Every ID of one kind with its records, in the order the IDs were first seen.
    pub fn of_kind(&self, kind: IdKind) -> impl Iterator<Item = (&str, &[u32])> + '_ {
        self.places_of_kind(kind).filter_map(|p| self.at(p)).map(|(_, v, recs)| (v, recs))
    }

    /// Record `i`'s IDs, in the order they were read; `None` when the record was not added.
    pub fn of_record(&self, i: usize) -> Option<impl Iterator<Item = (IdKind, &str)> + '_> {
        let (from, to) = (*self.record_start.get(i)?, *self.record_start.get(i + 1)?);
        let places = self.record_ids.get(from as usize..to as usize)?;
        Some(places.iter().filter_map(|&p| self.id_at(p)))
    }

    /// Puts every ID's records in timeline order (`pos`: each record's timeline position), so a
    /// flow finds an ID's records in a time window by binary search (`flows::Ctx::within`).
    pub fn sort_by_position(&mut self, pos: &[u32]) {
        let at = |r: &u32| pos.get(*r as usize).copied().unwrap_or(u32::MAX);
        for w in self.starts.windows(2) {
            if let Some(v) = self.records.get_mut(w[0] as usize..w[1] as usize) {
                if v.windows(2).any(|w| at(&w[0]) > at(&w[1])) {
                    v.sort_unstable_by_key(|r| (at(r), *r));
                }
            }
        }
    }

    /// The ICM agent ID of a peripheral agent ID and back, with the first record that shows both.
    pub fn agent_alias(&self, kind: IdKind, value: &str) -> Option<(Id, usize)> {
        if !matches!(kind, IdKind::Agent | IdKind::IcmAgent) {
            return None;
        }
        let place = with_name(kind, value, |name| self.names.find(name))?;
        let &(other, record) = self.aliases.get(&place)?;
        let (k, v) = self.id_at(other)?;
        Some(((k, v.to_string()), record as usize))
    }

    /// The records that carry an ID (empty before `finish`).
    pub fn get(&self, kind: IdKind, value: &str) -> &[u32] {
        match with_name(kind, value, |name| self.names.find(name)) {
            Some(p) => self.records_at(p as usize),
            None => &[],
        }
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
    /// False when the record surely holds none of the names of `keys` (true: ask each).
    fn may_hold_any(&self, _keys: &KeySet) -> bool {
        true
    }
}

/// The `KeySet` of a list of names, made once.
macro_rules! key_set {
    ($keys:expr) => {{
        static SET: std::sync::LazyLock<KeySet> = std::sync::LazyLock::new(|| KeySet::of(&$keys));
        &*SET
    }};
}

/// The names of list `$keys` for `$src` to be asked: none when it holds none of them.
macro_rules! held {
    ($src:expr, $keys:ident) => {
        if $src.may_hold_any(key_set!($keys)) {
            &$keys[..]
        } else {
            &[]
        }
    };
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
    fn may_hold_any(&self, keys: &KeySet) -> bool {
        self.kept.holds_any(keys)
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

/// A kept field, trimmed; None when empty or a placeholder. Lent from the facts, not copied:
/// flows read several fields of every record they look at.
pub fn field<'a>(rec: Rec<'a>, key: &'static str) -> Option<&'a str> {
    rec.get(key).map(crate::formats::engine::trimmed).filter(|v| !is_placeholder(v))
}

/// `field` of any record (numbers as decimal), without a copy when the value is a string.
pub fn field_ref<'a, F: Fields + ?Sized>(rec: &'a F, key: &'static str) -> Option<Cow<'a, str>> {
    let v = match rec.raw(key)? {
        Cow::Borrowed(s) => Cow::Borrowed(crate::formats::engine::trimmed(s)),
        Cow::Owned(s) => Cow::Owned(crate::formats::engine::trimmed(&s).to_string()),
    };
    (!is_placeholder(&v)).then_some(v)
}

/// Empty, or a value loggers write for "none".
fn is_placeholder(v: &str) -> bool {
    v.is_empty() || v == "null" || v == "undefined" || v == "N/A"
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

/// Finds a 32-hex-digit token (SocialContactID) in free text: the first run of exactly 32 hex
/// digits. Every such run holds exactly one place that is 31 more than a multiple of 32, so only
/// those places are looked at, and the run around one that is a hex digit is measured (record
/// texts are asked on every record of some formats; reading each byte was a percent of the
/// analysis).
pub fn scan_hex32(text: &str) -> Option<String> {
    const RUN: usize = 32;
    let b = text.as_bytes();
    let hex = |i: usize| b.get(i).is_some_and(u8::is_ascii_hexdigit);
    let mut probe = RUN - 1;
    while probe < b.len() {
        if !hex(probe) {
            probe += RUN;
            continue;
        }
        let mut start = probe;
        while start > 0 && hex(start - 1) {
            start -= 1;
        }
        let mut end = probe + 1;
        while hex(end) {
            end += 1;
        }
        if end - start == RUN {
            return text.get(start..end).map(|s| s.to_ascii_uppercase());
        }
        // The next place past this run.
        probe += (end - probe).div_ceil(RUN) * RUN;
    }
    None
}

/// Agent ID from a path like `/finesse/api/User/2001/Dialogs` or `User/2001`.
pub fn user_from_path(s: &str) -> Option<String> {
    let p = find_in(s, "User/")?;
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
    let p = find_in(s, "nocache%3D").map(|p| p + 10).or_else(|| find_in(s, "nocache=").map(|p| p + 8))?;
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
    const INVOKE: [&str; 3] = ["InvokeID", "PreCallInvokeID", "ClientInvokeID"];
    for &k in held!(src, INVOKE) {
        if let Some(n) = field_ref(src, k).as_deref().and_then(positive_int) {
            out.push((IdKind::Invoke, n.to_string()));
        }
    }
    // Task keys and router call keys
    const TASKS: [&str; 5] = ["RouterCallKey", "call_id", "TaskID", "taskId", "IcmTaskID"];
    let mut tasks: Vec<String> = Vec::new();
    if let Some(t) = owned(src, "TaskKey") {
        tasks.push(t);
    }
    for &k in held!(src, TASKS) {
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
    const CALL_KEY_DAYS: [&str; 3] = ["RouterCallKeyDay", "RtrDate", "routerCallKeyDay"];
    const CALL_KEY_IDS: [&str; 3] = ["RouterCallKeyCallID", "RtrCID", "routerCallKeyCallID"];
    for (&dk, &ck) in held!(src, CALL_KEY_DAYS).iter().zip(held!(src, CALL_KEY_IDS)) {
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
    const SOCIAL_CONTACTS: [&str; 8] = ["SocialContactID", "SOCIAL_CONTACT_ID", "scId", "Contact", "CED", "ApplicationString2", "sm_contact_id", "id"];
    for &k in held!(src, SOCIAL_CONTACTS) {
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
    const JIDS: [&str; 6] = ["JID", "jid", "from", "FROM JID", "user_id", "to"];
    for &k in held!(src, JIDS) {
        if let Some(u) = field_ref(src, k).as_deref().and_then(jid_user) {
            out.push((IdKind::Agent, u));
        }
    }
    const AGENTS: [&str; 6] = ["agent_id", "agentID", "loginId", "AgentID", "usr", "authUser"];
    for &k in held!(src, AGENTS) {
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
    const PATHS: [&str; 8] = ["node", "NodeId", "source", "REQUEST_URL", "uri", "url", "resource", "wire"];
    for &k in held!(src, PATHS) {
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
    const ICM_AGENTS: [&str; 9] = ["ICMAgentID", "ICMAgtID", "AGSTID", "AgSkTargID", "ASTID", "STID", "SkTgtID", "skill_target_id", "AgentSkillTargetID"];
    for &k in held!(src, ICM_AGENTS) {
        if let Some(n) = field_ref(src, k).as_deref().and_then(positive_int) {
            out.push((IdKind::IcmAgent, n.to_string()));
        }
    }
    // Finesse requests
    const REQUESTS: [&str; 3] = ["requestId", "request_identifer", "request_identifier"];
    for &k in held!(src, REQUESTS) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The probing scan finds what reading every byte finds: the first run of exactly 32.
    #[test]
    fn scan_hex32_finds_the_first_run_of_32() {
        let by_bytes = |text: &str| -> Option<String> {
            let mut run = 0usize;
            for (i, c) in text.bytes().enumerate() {
                if c.is_ascii_hexdigit() {
                    run += 1;
                } else {
                    if run == 32 {
                        return text.get(i - 32..i).map(|s| s.to_ascii_uppercase());
                    }
                    run = 0;
                }
            }
            (run == 32).then(|| text.get(text.len() - 32..).map(|s| s.to_ascii_uppercase())).flatten()
        };
        let pieces = ["0123456789abcdef", "ABCDEF0123456789", "a", "7", " ", "-", "é", "x", "fe", "0123456789abcdef0123456789abcdef"];
        let mut found = 0;
        for text in crate::test_support::generated_texts(0x2545_F491_4F6C_DD1D, &pieces, 12, 20_000) {
            assert_eq!(scan_hex32(&text), by_bytes(&text), "{text:?}");
            found += usize::from(by_bytes(&text).is_some());
        }
        assert!(found > 500, "only {found} texts held a run of 32");
    }

    /// The interned index answers as a map of lists would: each ID's records ascending and
    /// once, IDs in first-seen order, each record's IDs as read — with hot IDs, IDs seen once,
    /// long and non-ASCII values, records added twice or out of order, and a second `finish`.
    #[test]
    fn interned_index_answers_as_a_map_of_lists() {
        let values = ["80171", "a1b2c3d4", "0b7e1c2f-4a5d-4e6f-8a9b-0c1d2e3f4a5b", "ågent", "", "x"];
        let long = "9".repeat(200);
        for (out_of_order, finishes) in [(false, 1), (true, 2), (false, 2)] {
            let mut idx = IdIndex::with_records(3000);
            let mut want: indexmap::IndexMap<Id, Vec<u32>> = Default::default();
            let mut per_record: Vec<Vec<Id>> = Vec::new();
            let mut seed = 0x9e37_79b9_7f4a_7c15u64;
            let mut next = move || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            let mut order: Vec<usize> = (0..3000).collect();
            if out_of_order {
                order.swap(10, 2000);
                order.push(17);
            }
            for &i in &order {
                let n = next() % 5;
                let mut ids: Vec<Id> = (0..n)
                    .map(|_| {
                        let kind = IdKind::ALL[(next() % IdKind::ALL.len() as u64) as usize];
                        let value = match next() % 10 {
                            0..=3 => values[(next() % values.len() as u64) as usize].to_string(),
                            4 => long.clone(),
                            _ => format!("id{}", next() % 5000),
                        };
                        (kind, value)
                    })
                    .collect();
                // A record added again carries its IDs again.
                if let Some(before) = per_record.get(i) {
                    ids.extend(before.iter().cloned());
                }
                ids.sort();
                ids.dedup();
                for id in &ids {
                    let v = want.entry(id.clone()).or_default();
                    v.push(i as u32);
                }
                if per_record.len() <= i {
                    per_record.resize(i + 1, Vec::new());
                }
                per_record[i] = ids.clone();
                idx.add_ids(i, false, &mut ids);
                assert!(ids.is_empty());
            }
            for _ in 0..finishes {
                idx.finish();
            }
            for v in want.values_mut() {
                v.sort_unstable();
                v.dedup();
            }
            assert_eq!(idx.iter().count(), want.len());
            let got: Vec<(Id, Vec<u32>)> = idx.iter().map(|(k, v, r)| ((k, v.to_string()), r.to_vec())).collect();
            let expected: Vec<(Id, Vec<u32>)> = want.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            assert_eq!(got, expected, "out of order: {out_of_order}");
            for (id, recs) in &want {
                assert_eq!(idx.get(id.0, &id.1), recs.as_slice(), "{id:?}");
            }
            assert!(idx.get(IdKind::Agent, "never-seen").is_empty());
            for (i, ids) in per_record.iter().enumerate() {
                let read: Option<Vec<Id>> = idx.of_record(i).map(|it| it.map(|(k, v)| (k, v.to_string())).collect());
                match (out_of_order, read) {
                    (false, Some(read)) => assert_eq!(&read, ids, "record {i}"),
                    (false, None) => panic!("record {i}: no IDs kept"),
                    // Out of order: the per-record lists are given up (read off the facts).
                    (true, read) => assert!(read.is_none_or(|r| r.is_empty()), "record {i}"),
                }
            }
        }
    }
}
