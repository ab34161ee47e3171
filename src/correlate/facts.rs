//! What the analysis keeps of each record: not the decoded record (its fields as JSON cost several
//! times the text), but the few fields correlation reads — IDs, states, message types, statuses —
//! as interned strings in one flat table. Records are decoded once, in one streaming pass
//! (`Kept::of`, then `Facts::add_kept` in record order), reduced to these facts, and dropped; flows, findings and states are built from
//! the facts; a record's full fields are decoded again only when someone opens it.
//!
//! `Rec` is the view correlation works with: the record's index entry (time, file, name…) plus
//! its kept fields.

use crate::model::Record;
use std::collections::HashMap;

/// The fields correlation reads (flows, findings, states, IDs, labels). Anything else is left to
/// on-demand decoding.
const KEPT: &[&str] = &[
    // IDs (see `ids::ids_of`; kept so link reasons and labels can name them)
    "InvokeID",
    "PreCallInvokeID",
    "ClientInvokeID",
    "TaskKey",
    "RouterCallKey",
    "call_id",
    "TaskID",
    "taskId",
    "IcmTaskID",
    "RouterCallKeyDay",
    "RouterCallKeyCallID",
    "RtrDate",
    "RtrCID",
    "routerCallKeyDay",
    "routerCallKeyCallID",
    "dialogId",
    "SocialContactID",
    "SOCIAL_CONTACT_ID",
    "scId",
    "Contact",
    "CED",
    "ApplicationString2",
    "sm_contact_id",
    "id",
    "sid",
    "JID",
    "jid",
    "from",
    "FROM JID",
    "user_id",
    "to",
    "agent_id",
    "agentID",
    "loginId",
    "AgentID",
    "usr",
    "authUser",
    "ID",
    "ICMAgentID",
    "ICMAgtID",
    "AGSTID",
    "AgSkTargID",
    "ASTID",
    "STID",
    "SkTgtID",
    "skill_target_id",
    "AgentSkillTargetID",
    "agent",
    "agentId",
    "requestId",
    "request_identifer",
    "request_identifier",
    "RequestId",
    "nocache",
    "sessionId",
    // message types and names
    "MessageType",
    "cti_message_name",
    "cti_message_class",
    "msg_type",
    "arm_message",
    "operation",
    "command",
    "event",
    "type.id",
    // states
    "AgentState",
    "RequestedAgentState",
    "St",
    "NewState",
    "OldState",
    "agentStateName",
    "state",
    "dataType",
    "sessionState",
    "status",
    "socialContactStatus",
    "presenceType",
    "SkgState",
    "SkillGroupState",
    "fromState",
    "toState",
    "typingStatus",
    "stateChangeTime",
    // statuses, errors, reasons
    "Status",
    "StatusName",
    "reasonCode",
    "eventReasonCode",
    "routeFailure",
    "responseType",
    "responseStatus",
    "entryPointId",
    "staleSessions",
    "noEvents",
    "rating",
    // BOSH and XMPP
    "rid",
    "lastActiveMs",
    "inactivityThreshold",
    "node",
    "Node",
    "wire",
    "direction",
    "inactivity",
    "wait",
    "condition",
    "reason",
    "stanza",
    "stanzaType",
    "emptyBody",
    "missingRid",
    // requests and responses
    "request_parameters",
    "request_method",
    "resource",
    "uri",
    "url",
    "method",
    "client_ip",
    "user",
    "host",
    "elapsed_time",
    "extn",
    // routing and media
    "MRDID",
    "MRDomainID",
    "CID",
    "DN",
    "CalledParty#",
    "ScriptSelector",
    "FEEDID",
    "QUEUEID",
    "queueId",
    "channelType",
    "domain",
    "domain_id",
    "skill_group",
    "skill_group_id",
    "thread",
    "message",
    "message_string",
    "CTI_MSG_RECEIVED",
    // browser captures (HAR entries and WebSocket frames; `har_flows`, `findings_client`)
    "entry",
    "frame",
    "wsDirection",
    "durationMs",
    "stanzaId",
    "framing",
    "requestType",
    "emptyResponse",
    "requestPayloads",
    "mediaType",
    "participantStates",
    "sensitive",
];

/// Longest value kept (correlation reads prefixes, words and short labels from long values).
const MAX_VALUE: usize = 256;

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<crate::model::FxHasher>>;

/// The place of a kept field name, for any name (decoded records' keys).
fn key_index(key: &str) -> Option<u16> {
    static INDEX: std::sync::LazyLock<crate::model::NameTable> = std::sync::LazyLock::new(|| crate::model::NameTable::new(KEPT));
    INDEX.get(key)
}

/// Whether the analysis' decoding stores a field (`model::keeping_only`): the fields it keeps,
/// and those the decoders read back from the record to derive a kept one.
pub fn stored_for_analysis(key: &str) -> bool {
    key_index(key).is_some() || crate::decoders::READ_BACK.contains(&key)
}

/// `key_index` for the names correlation writes in its code. They are static, so each one's answer
/// is remembered by its address and length in a small direct-mapped table (one word to hash, one
/// to compare): correlation asks for the same names millions of times.
fn static_key_index(key: &'static str) -> Option<u16> {
    use std::sync::atomic::{AtomicU64, Ordering};
    const SLOTS_LOG2: u32 = 12;
    const NONE_IDX: u64 = 0xFF;
    static CACHE: [AtomicU64; 1 << SLOTS_LOG2] = [const { AtomicU64::new(0) }; 1 << SLOTS_LOG2];
    let addr = key.as_ptr() as u64;
    // Literals sit a few bytes apart: a multiplicative hash spreads them (shifts of the address
    // put pairs of hot names in one slot, where they evicted each other on every record).
    let slot = (addr.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SLOTS_LOG2)) as usize;
    // A slot holds address (48 bits: every target we build for) | length | index, 8 bits each:
    // two literals can share a start only if their lengths differ.
    let tag = ((addr & 0xFFFF_FFFF_FFFF) << 16) | ((key.len() as u64 & 0xFF) << 8);
    let packed = CACHE.get(slot).map_or(0, |c| c.load(Ordering::Relaxed));
    if packed != 0 && key.len() < 256 && packed & !0xFF == tag {
        let idx = packed & 0xFF;
        if idx == NONE_IDX {
            // Static names never change: an address seen once answers for good.
            return None;
        }
        // The tag is the literal's exact address and length, so the slot names this very
        // literal: no string compare needed.
        return Some(idx as u16);
    }
    let found = key_index(key);
    let idx = found.map_or(NONE_IDX, u64::from);
    if let Some(c) = CACHE.get(slot).filter(|_| key.len() < 256) {
        c.store(tag | idx, Ordering::Relaxed);
    }
    found
}

/// The capacity to grow a table that holds about as much per record to when it is full, having
/// read `done` of `total` records: what they project for the whole run plus an eighth, rather than
/// double. A doubled table holds up to as much again unused until the analysis shrinks it, and in
/// wasm the memory a growth took is never given back: on `day` the facts' doublings made the peak
/// of the whole analysis. (Not for interned text: it grows slower than the records.)
pub(crate) fn projected_capacity(len: usize, extra: usize, done: usize, total: usize) -> usize {
    // Too few records read to project from (the first files may be of another kind): double.
    if done < (total / 32).max(4096) {
        return len.saturating_mul(2).max(len.saturating_add(extra)).max(64);
    }
    let projected = (len as u128 * total.max(done) as u128 / done.max(1) as u128).min(usize::MAX as u128) as usize;
    // Never less than an eighth more (a projection made early can be low), nor than `extra` more.
    projected.saturating_add(projected / 8).max(len.saturating_add(len / 8).saturating_add(64)).max(len.saturating_add(extra))
}

/// Makes room in `v` for `extra` more, growing it to `projected_capacity` when it is full.
pub(crate) fn reserve_projected<T>(v: &mut Vec<T>, extra: usize, done: usize, total: usize) {
    if v.capacity() - v.len() < extra {
        let cap = projected_capacity(v.len(), extra, done, total);
        v.reserve_exact(cap - v.len());
    }
}

/// Groups items by a key below `keys` in linear time, keeping their order within a key (a
/// counting sort): `each` hands every (key, item) to the function it is given, and is run
/// twice (count, then place). Returns where each key's items start (`keys + 1` entries, the
/// last the total) and the items; items whose key is out of range are left out.
pub fn group_by_key<T: Copy + Default>(keys: usize, each: impl Fn(&mut dyn FnMut(u32, T))) -> (Vec<u32>, Vec<T>) {
    let mut starts = vec![0u32; keys + 1];
    each(&mut |k, _| {
        if let Some(c) = starts.get_mut(k as usize + 1) {
            *c += 1;
        }
    });
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut items = vec![T::default(); starts.last().copied().unwrap_or(0) as usize];
    let mut next = starts.clone();
    each(&mut |k, item| {
        if let Some(slot) = next.get_mut(k as usize) {
            if let Some(x) = items.get_mut(*slot as usize) {
                *x = item;
            }
            *slot += 1;
        }
    });
    (starts, items)
}

/// Interned strings in one arena: each distinct value once, addressed by a 4-byte id.
#[derive(Default)]
pub struct Strings {
    /// Every string once, one after the other: string `id` ends at `ends[id]` and starts where
    /// the one before ends (four bytes a string where a start and a length took eight).
    arena: String,
    ends: Vec<u32>,
    /// The lookup table: open addressing, linear probing, a power of two long. A slot is 0 when
    /// empty, else the string's hash (high 32 bits) above its id + 1: eight bytes a string at
    /// most three quarters full, where a map of hash to id with a chain beside it took twenty
    /// to forty (the strings' table was a fifth of the peak on a day of polls).
    slots: Vec<u64>,
    /// Slots in use (fewer than the strings once `Facts::shrink` dropped the table).
    filled: usize,
}

/// String `id` of an arena ("" for an unknown id).
fn span_text<'a>(arena: &'a str, ends: &[u32], id: u32) -> &'a str {
    let id = id as usize;
    let start = match id.checked_sub(1) {
        Some(before) => ends.get(before).copied(),
        None => Some(0),
    };
    match (start, ends.get(id)) {
        (Some(a), Some(&b)) => arena.get(a as usize..b as usize).unwrap_or(""),
        _ => "",
    }
}

/// A string's hash in 32 bits: FxHash, finished by splitmix64's mixer. FxHash alone leaves IDs
/// that differ in their last digits on neighbouring values, and linear probing (`Strings`) then
/// walks long runs of them.
fn fx(s: &str) -> u32 {
    use std::hash::Hasher;
    let mut h = crate::model::FxHasher::default();
    h.write(s.as_bytes());
    let mut x = h.finish();
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (x ^ (x >> 31)) as u32
}

impl Strings {
    pub fn get(&self, id: u32) -> &str {
        span_text(&self.arena, &self.ends, id)
    }

    /// How many strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The id of `s`, if it was added.
    pub fn find(&self, s: &str) -> Option<u32> {
        self.find_hashed(s, fx(s)).ok()
    }

    /// `find` with `s`'s hash already made (`intern` hashes once): the id, or the empty slot
    /// where `s` would go (`None` when there is no table).
    fn find_hashed(&self, s: &str, h: u32) -> Result<u32, Option<usize>> {
        let mask = self.slots.len().wrapping_sub(1);
        if self.slots.is_empty() {
            return Err(None);
        }
        let mut at = h as usize & mask;
        // The table is never full (`intern` grows it at three quarters), so an empty slot ends
        // every probe; the bound is for a table a bug would fill.
        for _ in 0..self.slots.len() {
            let slot = self.slots.get(at).copied().unwrap_or(0);
            if slot == 0 {
                return Err(Some(at));
            }
            if (slot >> 32) as u32 == h {
                let id = (slot as u32).wrapping_sub(1);
                if self.get(id) == s {
                    return Ok(id);
                }
            }
            at = (at + 1) & mask;
        }
        Err(None)
    }

    /// Doubles the table (or makes the first one), placing every string again by its kept hash.
    fn grow_slots(&mut self) {
        let len = (self.slots.len() * 2).max(64);
        let mask = len - 1;
        let mut slots = vec![0u64; len];
        for &slot in self.slots.iter().filter(|&&x| x != 0) {
            let mut at = (slot >> 32) as usize & mask;
            while slots.get(at).is_some_and(|&x| x != 0) {
                at = (at + 1) & mask;
            }
            if let Some(x) = slots.get_mut(at) {
                *x = slot;
            }
        }
        self.slots = slots;
    }

    /// Gives back spare room (more strings may still be added).
    pub fn shrink_to_fit(&mut self) {
        self.arena.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// The id of `s`, adding it once.
    pub fn intern(&mut self, s: &str) -> u32 {
        let h = fx(s);
        // Room for one more at most three quarters full.
        if (self.filled + 1) * 4 > self.slots.len() * 3 {
            self.grow_slots();
        }
        let at = match self.find_hashed(s, h) {
            Ok(id) => return id,
            Err(at) => at,
        };
        let new = self.ends.len() as u32;
        self.arena.push_str(s);
        self.ends.push(self.arena.len() as u32);
        if let Some(slot) = at.and_then(|a| self.slots.get_mut(a)) {
            *slot = (u64::from(h) << 32) | u64::from(new.wrapping_add(1));
            self.filled += 1;
        }
        new
    }

    /// The strings, read-only: the lookup table is dropped and no spare room kept.
    pub fn into_table(mut self) -> StringTable {
        self.arena.shrink_to_fit();
        self.ends.shrink_to_fit();
        StringTable { arena: self.arena, ends: self.ends }
    }
}

/// Interned strings once every one is added: read by id only.
#[derive(Default)]
pub struct StringTable {
    arena: String,
    ends: Vec<u32>,
}

impl StringTable {
    pub fn get(&self, id: u32) -> &str {
        span_text(&self.arena, &self.ends, id)
    }
}

/// Calls `put` with each of `decoded`'s kept fields: its place in `KEPT` and its value as text
/// (numbers in decimal, a list of words joined by commas, at most `MAX_VALUE` bytes).
fn for_kept(decoded: &Record, mut put: impl FnMut(u16, &str)) {
    // An integer's decimal text is written here, not into a new string (most records carry two
    // or three).
    let mut digits = itoa::Buffer::new();
    for (k, v) in decoded.fields().entries() {
        // Interned names are literals: answered by their address.
        let key = match k {
            std::borrow::Cow::Borrowed(name) => static_key_index(name),
            std::borrow::Cow::Owned(name) => key_index(name),
        };
        let Some(key) = key else { continue };
        match v {
            serde_json::Value::String(s) => put(key, crate::formats::engine::prefix_at_most(s, MAX_VALUE)),
            serde_json::Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => put(key, digits.format(u)),
                (None, Some(i)) => put(key, digits.format(i)),
                _ => put(key, &n.to_string()),
            },
            serde_json::Value::Bool(b) => put(key, if *b { "true" } else { "false" }),
            // A list of words (`sensitive`): kept joined by commas.
            serde_json::Value::Array(a) if !a.is_empty() && a.iter().all(serde_json::Value::is_string) => {
                put(key, crate::formats::engine::prefix_at_most(&a.iter().filter_map(serde_json::Value::as_str).collect::<Vec<_>>().join(","), MAX_VALUE))
            }
            _ => {}
        }
    }
}

/// One record's kept fields, read from its decoded record without the shared string table (so
/// that records can be read on several threads and added in order after).
#[derive(Default, Debug, PartialEq, Eq)]
pub struct Kept {
    text: String,
    /// (place in `KEPT`, end of the value in `text`); each value starts where the one before ends.
    pairs: Vec<(u16, u32)>,
    /// Bit `k` set when a pair of key `k` is held: `ids_of` asks some forty names of each record
    /// and most are absent, so an absent name is answered without a scan.
    present: [u64; KEPT_WORDS],
}

/// Words of `Kept::present`: one bit per name in `KEPT`.
const KEPT_WORDS: usize = 4;

fn bit(key: u16) -> (usize, u64) {
    (key as usize / 64, 1u64 << (key % 64))
}

/// A bit per key of `keys` (places in `KEPT`), as `Kept::present` holds them.
fn mask_of(keys: impl IntoIterator<Item = u16>) -> [u64; KEPT_WORDS] {
    let mut mask = [0; KEPT_WORDS];
    for k in keys {
        let (w, b) = bit(k);
        if let Some(word) = mask.get_mut(w) {
            *word |= b;
        }
    }
    mask
}

impl Kept {
    pub fn of(decoded: &Record) -> Self {
        // Sized once for the record's fields (grown value by value, this was a tenth of the
        // time spent reading a record's facts).
        let fields = decoded.fields();
        let bytes: usize = fields.values().map(|v| v.as_str().map_or(20, |s| s.len().min(MAX_VALUE))).sum();
        let mut kept = Kept { text: String::with_capacity(bytes), pairs: Vec::with_capacity(fields.len()), present: [0; KEPT_WORDS] };
        for_kept(decoded, |key, text| {
            kept.text.push_str(text);
            kept.pairs.push((key, kept.text.len() as u32));
        });
        kept.present = mask_of(kept.pairs.iter().map(|&(key, _)| key));
        kept
    }

    /// Written for another worker (`share`): the values' text, then (key, end) per value.
    pub fn write(&self, w: &mut crate::wire::Writer) {
        w.str(&self.text);
        w.len(self.pairs.len());
        for &(key, end) in &self.pairs {
            w.u16(key);
            w.u32(end);
        }
    }

    /// What `write` wrote; `None` when the bytes do not read as kept fields (a key `KEPT` does
    /// not have, a value ending outside the text or before the one before it).
    pub fn read(r: &mut crate::wire::Reader) -> Option<Self> {
        let text = r.str()?;
        let n = r.len(6)?;
        let mut pairs = Vec::with_capacity(n);
        let mut start = 0u32;
        for _ in 0..n {
            let (key, end) = (r.u16()?, r.u32()?);
            if usize::from(key) >= KEPT.len() || end < start || !text.is_char_boundary(end as usize) {
                return None;
            }
            pairs.push((key, end));
            start = end;
        }
        let present = mask_of(pairs.iter().map(|&(key, _)| key));
        Some(Kept { text: text.to_string(), pairs, present })
    }

    fn iter(&self) -> impl Iterator<Item = (u16, &str)> + '_ {
        let mut start = 0usize;
        self.pairs.iter().map(move |&(key, end)| {
            let v = self.text.get(start..end as usize).unwrap_or("");
            start = end as usize;
            (key, v)
        })
    }

    /// Whether the record keeps any of the names of `set` (one test per word of bits).
    pub fn holds_any(&self, set: &KeySet) -> bool {
        self.present.iter().zip(&set.0).any(|(held, asked)| held & asked != 0)
    }

    /// A kept field's value.
    pub fn get(&self, key: &'static str) -> Option<&str> {
        let k = static_key_index(key)?;
        let (w, b) = bit(k);
        if self.present.get(w).is_none_or(|word| word & b == 0) {
            return None;
        }
        self.iter().find(|(x, _)| *x == k).map(|(_, v)| v)
    }
}

/// A set of kept field names, a bit per name of `KEPT`: `ids_of` asks a record whether it keeps
/// any name of a group (most records keep none of most groups) before asking for each name.
pub struct KeySet([u64; KEPT_WORDS]);

impl KeySet {
    /// The kept names among `keys` (a name correlation never keeps is no record's field).
    pub fn of(keys: &[&str]) -> Self {
        KeySet(mask_of(keys.iter().filter_map(|k| key_index(k))))
    }
}

/// A decoded record with its kept fields (`Kept`): what IDs are read from before the record is
/// added to the facts.
#[derive(Clone, Copy)]
pub struct KeptRec<'a> {
    pub rec: &'a Record,
    pub kept: &'a Kept,
}

/// The kept fields of every record, in record order (a compressed sparse row table).
#[derive(Default)]
pub struct Facts {
    /// `starts[i]..starts[i+1]` are record i's values (ids in `strings`) in `values`; their
    /// names are the key list `shapes[i]` names in `keys`, in the same order.
    starts: Vec<u32>,
    shapes: Vec<u16>,
    values: Vec<u32>,
    keys: KeyLists,
    pub strings: Strings,
    /// For a few records only (an ad-hoc flow): record → its range of values and its key list.
    sparse: Option<HashMap<u32, (u32, u32, u16)>>,
    /// Scratch for the key list of the record being added.
    scratch: Vec<u16>,
}

/// The lists of field names records keep (places in `KEPT`), each once. Records of one kind keep
/// the same fields, so a busy day has a few hundred lists for millions of fields: a record names
/// its list in two bytes where each field's name took two.
#[derive(Default)]
struct KeyLists {
    /// List `n` is `keys[ends[n - 1]..ends[n]]` (from 0 for the first).
    keys: Vec<u16>,
    ends: Vec<u32>,
    index: FxMap<Box<[u16]>, u16>,
    /// A bit per key of each list (as `Kept::present`): most names correlation asks a record
    /// for are not in its list, answered without reading the list.
    masks: Vec<[u64; KEPT_WORDS]>,
    /// Records whose list came after the table was full (`OWN_KEYS`): record → its keys.
    own: FxMap<u32, Box<[u16]>>,
}

/// A record's list number when its keys are stored with it (`KeyLists::own`).
const OWN_KEYS: u16 = u16::MAX;

impl KeyLists {
    /// The number of a key list, added if new; `OWN_KEYS` once the table is full.
    fn intern(&mut self, list: &[u16]) -> u16 {
        if let Some(&n) = self.index.get(list) {
            return n;
        }
        let n = self.ends.len();
        if n >= OWN_KEYS as usize {
            return OWN_KEYS;
        }
        self.keys.extend_from_slice(list);
        self.ends.push(self.keys.len() as u32);
        self.index.insert(list.into(), n as u16);
        self.masks.push(mask_of(list.iter().copied()));
        n as u16
    }

    /// False when list `list` surely lacks key `k` (a record's own list is always read).
    fn may_hold(&self, list: u16, k: u16) -> bool {
        let (w, b) = bit(k);
        self.masks.get(usize::from(list)).is_none_or(|m| m.get(w).is_some_and(|word| word & b != 0))
    }

    /// Record `record`'s keys, given its list number.
    fn get(&self, list: u16, record: u32) -> &[u16] {
        if list == OWN_KEYS {
            return self.own.get(&record).map_or(&[], |k| k);
        }
        let n = list as usize;
        let from = n.checked_sub(1).and_then(|p| self.ends.get(p)).map_or(0, |&e| e as usize);
        let to = self.ends.get(n).map_or(from, |&e| e as usize);
        self.keys.get(from..to).unwrap_or(&[])
    }

    /// Stores the key list of record `record`: its number.
    fn add(&mut self, list: &[u16], record: u32) -> u16 {
        let n = self.intern(list);
        if n == OWN_KEYS {
            self.own.insert(record, list.into());
        }
        n
    }
}

impl Facts {
    pub fn with_records(n: usize) -> Self {
        let mut starts = Vec::with_capacity(n + 1);
        starts.push(0);
        Facts { starts, shapes: Vec::with_capacity(n), ..Default::default() }
    }

    /// Facts of a few records (decoded), by record index.
    pub fn sparse(records: &[(usize, Record)]) -> Self {
        let mut f = Facts { sparse: Some(HashMap::new()), ..Default::default() };
        for (i, r) in records {
            let a = f.values.len() as u32;
            let mut scratch = std::mem::take(&mut f.scratch);
            scratch.clear();
            for_kept(r, |key, text| {
                let id = f.strings.intern(text);
                scratch.push(key);
                f.values.push(id);
            });
            let list = f.keys.add(&scratch, *i as u32);
            f.scratch = scratch;
            let b = f.values.len() as u32;
            if let Some(m) = f.sparse.as_mut() {
                m.insert(*i as u32, (a, b, list));
            }
        }
        f
    }

    /// Records added so far.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps the next record's fields that correlation reads, read before by `Kept::of` (on any
    /// thread; records are added in order).
    pub fn add_kept(&mut self, kept: &Kept) {
        // Records read so far of the run's total (`with_records` reserved a start for each).
        let (done, total) = (self.len() + 1, self.starts.capacity().saturating_sub(1));
        reserve_projected(&mut self.values, kept.pairs.len(), done, total);
        self.scratch.clear();
        for (key, text) in kept.iter() {
            let id = self.strings.intern(text);
            self.scratch.push(key);
            self.values.push(id);
        }
        let list = self.keys.add(&self.scratch, self.len() as u32);
        self.shapes.push(list);
        self.starts.push(self.values.len() as u32);
    }

    /// Where record `i`'s values are in `values`, and their keys (empty when it has none).
    fn fields(&self, i: usize) -> (std::ops::Range<usize>, &[u16]) {
        let (a, b, list) = match &self.sparse {
            Some(m) => m.get(&(i as u32)).copied().unwrap_or((0, 0, OWN_KEYS)),
            None => match (self.starts.get(i), self.starts.get(i + 1), self.shapes.get(i)) {
                (Some(&a), Some(&b), Some(&list)) => (a, b, list),
                _ => (0, 0, OWN_KEYS),
            },
        };
        (a as usize..b as usize, self.keys.get(list, i as u32))
    }

    /// Where record `i`'s values are in `values` (empty when it has none).
    fn range(&self, i: usize) -> std::ops::Range<usize> {
        self.fields(i).0
    }

    /// Does record `i` have a kept field.
    pub fn any(&self, i: usize) -> bool {
        !self.range(i).is_empty()
    }

    /// A kept field's value, as the decoder wrote it (numbers in decimal).
    pub fn get(&self, i: usize, key: &'static str) -> Option<&str> {
        let k = static_key_index(key)?;
        if self.sparse.is_none() && !self.keys.may_hold(*self.shapes.get(i)?, k) {
            return None;
        }
        let (r, keys) = self.fields(i);
        let at = r.start + keys.iter().position(|&x| x == k)?;
        self.values.get(at).filter(|_| at < r.end).map(|&v| self.strings.get(v))
    }

    /// Gives back spare capacity once every record is added, and the strings' lookup table
    /// (correlation reads values by id only; a string interned after this is stored again).
    pub fn shrink(&mut self) {
        self.starts.shrink_to_fit();
        self.shapes.shrink_to_fit();
        self.values.shrink_to_fit();
        self.scratch = Vec::new();
        self.strings.arena.shrink_to_fit();
        self.strings.ends.shrink_to_fit();
        self.strings.slots = Vec::new();
        self.strings.filled = 0;
    }
}

/// A record as correlation sees it: its index entry and its kept fields.
#[derive(Clone, Copy)]
pub struct Rec<'a> {
    pub rec: &'a Record,
    pub index: usize,
    facts: &'a Facts,
}

impl<'a> Rec<'a> {
    pub fn new(rec: &'a Record, index: usize, facts: &'a Facts) -> Self {
        Rec { rec, index, facts }
    }

    /// A kept field's raw value.
    pub fn get(&self, key: &'static str) -> Option<&'a str> {
        self.facts.get(self.index, key)
    }

    pub fn has(&self, key: &'static str) -> bool {
        self.get(key).is_some()
    }
}

/// The index entry's parts (a `Rec` does not hand out the record itself where its empty fields
/// could be read by mistake: correlation reads fields through `get`).
impl<'a> Rec<'a> {
    pub fn file(&self) -> u32 {
        self.rec.file
    }
    pub fn line(&self) -> u32 {
        self.rec.line
    }
    pub fn name(&self) -> Option<&'static str> {
        self.rec.name()
    }
    pub fn component(&self) -> Option<&'static str> {
        self.rec.component()
    }
    pub fn component_sym(&self) -> Option<crate::model::Sym> {
        self.rec.component
    }
    pub fn utc_ms(&self) -> Option<i64> {
        self.rec.utc_ms()
    }
    pub fn time(&self) -> Option<&'a crate::model::LogTime> {
        self.rec.time.as_ref()
    }
    pub fn lane(&self) -> crate::kinds::Lane {
        self.rec.lane()
    }
    pub fn role(&self) -> crate::kinds::Role {
        self.rec.role()
    }
    pub fn format(&self) -> &'static str {
        self.rec.format()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kept numbers read as their JSON text: integers of either sign and size, and fractions.
    #[test]
    fn numbers_keep_their_decimal_text() {
        let numbers = [
            serde_json::json!(0),
            serde_json::json!(7),
            serde_json::json!(10),
            serde_json::json!(1234567),
            serde_json::json!(-5),
            serde_json::json!(i64::MIN),
            serde_json::json!(u64::MAX),
            serde_json::json!(2.5),
        ];
        for n in numbers {
            let mut rec = Record::new(0, "finesse-webservices");
            rec.set("InvokeID", n.clone());
            let mut seen = Vec::new();
            for_kept(&rec, |_, v| seen.push(v.to_string()));
            assert_eq!(seen, [n.to_string()]);
        }
    }

    /// Every field name correlation reads is kept: a name missing from `KEPT` would read as absent
    /// without any error, so the sources are searched for the names they read.
    #[test]
    fn every_field_correlation_reads_is_kept() {
        let sources = [
            include_str!("bosh.rs"),
            include_str!("chat.rs"),
            include_str!("clock.rs"),
            include_str!("ece.rs"),
            include_str!("findings.rs"),
            include_str!("findings_client.rs"),
            include_str!("findings_server.rs"),
            include_str!("flows.rs"),
            include_str!("har_flows.rs"),
            include_str!("ids.rs"),
            include_str!("sign_in.rs"),
            include_str!("states.rs"),
            include_str!("task.rs"),
        ];
        let Some(re) = crate::lazy_regex!(r#"(?:\bfield(?:_ref|_or)?\([^,()]+, |\bf\((?:&?\w+, )?|\.get\(|\.has\(|\bowned\(src, )"([^"]+)"\)"#) else {
            panic!("regex")
        };
        let mut missing = Vec::new();
        for src in sources {
            for c in re.captures_iter(src) {
                let k = c.get(1).map_or("", |m| m.as_str());
                if key_index(k).is_none() && !missing.contains(&k) {
                    missing.push(k);
                }
            }
        }
        assert!(missing.is_empty(), "fields read by correlation but not kept in facts::KEPT: {missing:?}");
    }

    /// Key lists are stored once each; past the table's last number a record keeps its own.
    #[test]
    fn key_lists_are_shared_and_overflow_to_the_record() {
        let mut k = KeyLists::default();
        let a = k.add(&[1, 2, 3], 0);
        assert_eq!(k.add(&[1, 2, 3], 1), a);
        assert_eq!(k.get(a, 5), &[1, 2, 3]);
        let none = k.add(&[], 2);
        assert_eq!(k.get(none, 2), &[] as &[u16]);
        'fill: for x in 0..400u16 {
            for y in 0..400u16 {
                if k.ends.len() >= OWN_KEYS as usize {
                    break 'fill;
                }
                k.add(&[x, y, 7], 10);
            }
        }
        let own = k.add(&[9, 9, 9, 9], 77);
        assert_eq!(own, OWN_KEYS);
        assert_eq!(k.get(own, 77), &[9, 9, 9, 9]);
        assert_eq!(k.get(own, 78), &[] as &[u16]);
        assert_eq!(k.get(a, 0), &[1, 2, 3]);
        assert_eq!(k.add(&[399, 0, 7], 11), OWN_KEYS, "a list past the last number is the record's own");
        assert_eq!(k.get(OWN_KEYS, 11), &[399, 0, 7]);
    }

    #[test]
    fn tables_grow_to_the_projected_size() {
        // Too early to project: doubled.
        assert_eq!(projected_capacity(1000, 5, 100, 1_000_000), 2000);
        // Half the records read: the whole run's projection and an eighth.
        assert_eq!(projected_capacity(800_000, 5, 500_000, 1_000_000), 1_800_000);
        // Near the end: the projection and an eighth, at least what is asked.
        assert_eq!(projected_capacity(2_000_000, 5, 990_000, 1_000_000), 2_272_727);
        assert!(projected_capacity(2_000_000, 1_000_000, 990_000, 1_000_000) >= 3_000_000);
        let mut v: Vec<u32> = Vec::new();
        for i in 0..200_000usize {
            reserve_projected(&mut v, 1, i + 1, 200_000);
            v.push(i as u32);
        }
        // Grown by projection, the table ends within an eighth of its length (a doubling: up to 2x).
        assert!(v.capacity() <= 200_000 + 200_000 / 8 + 64, "{}", v.capacity());
    }

    /// Items come back grouped by key, in their order within a key; keys out of range are left out.
    #[test]
    fn group_by_key_is_a_stable_counting_sort() {
        let items: Vec<(u32, u32)> = vec![(2, 10), (0, 11), (2, 12), (9, 13), (1, 14), (0, 15), (2, 16)];
        let (starts, grouped) = group_by_key(3, |put| items.iter().for_each(|&(k, v)| put(k, v)));
        assert_eq!(starts, [0, 2, 3, 6]);
        assert_eq!(grouped, [11, 15, 14, 10, 12, 16]);
        let (starts, grouped) = group_by_key::<u32>(0, |put| items.iter().for_each(|&(k, v)| put(k, v)));
        assert_eq!((starts, grouped), (vec![0], vec![]));
    }

    /// The open-addressing interner answers as a map of string to first id: sequential IDs (which
    /// FxHash alone clusters), the empty string, long and non-ASCII texts, repeats; after the
    /// table is dropped, old ids still read and a new string is added again.
    #[test]
    fn interner_answers_as_a_map() {
        let mut s = Strings::default();
        let mut want: HashMap<String, u32> = HashMap::new();
        let mut texts: Vec<String> = (0..50_000).map(|n| format!("t{n}")).collect();
        texts.extend(["".to_string(), "ünïcode → value".to_string(), "x".repeat(300), "t1".to_string(), "t49999".to_string()]);
        for t in texts.iter().chain(texts.iter().rev()) {
            let id = s.intern(t);
            let first = *want.entry(t.clone()).or_insert(id);
            assert_eq!(id, first, "{t}");
            assert_eq!(s.get(id), t);
        }
        assert_eq!(s.len(), want.len());
        assert!(want.iter().all(|(t, &id)| s.find(t) == Some(id)));
        assert_eq!(s.find("t50000"), None);
        // Eight bytes a string in the table, at most three quarters full.
        assert!(s.slots.len() * 3 >= s.filled * 4 && s.slots.len() <= 4 * want.len().next_power_of_two());
        s.slots = Vec::new();
        s.filled = 0;
        assert_eq!(s.get(want["t7"]), "t7");
        let again = s.intern("t7");
        assert_ne!(again, want["t7"]);
        assert_eq!(s.intern("t7"), again);
        assert_eq!((s.get(again), s.find("t7")), ("t7", Some(again)));
        assert!(s.slots.len() <= 64, "a dropped table regrows for the strings added after, not all of them");
    }

    /// A record keeping one name answers `holds_any` true for every set holding that name and
    /// false for every other, for each kept name and sets on all four words of bits.
    #[test]
    fn key_sets_answer_for_every_kept_name() {
        for (i, &name) in KEPT.iter().enumerate() {
            let mut r = Record::new(0, "ctisvr");
            r.set(name, "v");
            let kept = Kept::of(&r);
            assert!(kept.holds_any(&KeySet::of(&[name])), "{name}");
            assert!(kept.holds_any(&KeySet::of(&["no such name", name, KEPT[(i + 1) % KEPT.len()]])), "{name}");
            let others: Vec<&str> = KEPT.iter().copied().filter(|&k| k != name).collect();
            assert!(!kept.holds_any(&KeySet::of(&others)), "{name}");
        }
        assert!(KEPT.len() > 2 * 64, "the names reach the third word of bits");
        assert!(!Kept::of(&Record::new(0, "ctisvr")).holds_any(&KeySet::of(KEPT)));
    }

    #[test]
    fn interns_and_keeps_only_correlation_fields() {
        assert!(KEPT.len() < 255, "static_key_index packs an index in 8 bits");
        assert!(KEPT.len() <= KEPT_WORDS * 64, "Kept::present holds a bit per kept name");
        let mut f = Facts::with_records(2);
        let mut r = Record::new(0, "ctisvr");
        r.set("InvokeID", 80171);
        r.set("MRDID", "5000");
        r.set("Unrelated", "x".repeat(1000));
        f.add_kept(&Kept::of(&r));
        let mut r2 = Record::new(0, "ctisvr");
        r2.set("MRDID", "5000");
        r2.set("message", "y".repeat(1000));
        f.add_kept(&Kept::of(&r2));
        assert_eq!(f.len(), 2);
        assert_eq!(f.get(0, "InvokeID"), Some("80171"));
        assert_eq!(f.get(0, "Unrelated"), None);
        assert_eq!(f.get(1, "MRDID"), Some("5000"));
        assert_eq!(f.get(1, "InvokeID"), None, "a kept name outside record 1's key list");
        assert!(f.keys.may_hold(f.shapes[0], static_key_index("InvokeID").expect("kept")));
        assert!(!f.keys.may_hold(f.shapes[1], static_key_index("InvokeID").expect("kept")));
        assert_eq!(f.get(1, "message").map(str::len), Some(MAX_VALUE));
        let value_id = |f: &Facts, i: usize, key: &'static str| {
            let (r, keys) = f.fields(i);
            let k = static_key_index(key)?;
            let at = r.start + keys.iter().position(|&x| x == k)?;
            f.values.get(at).copied()
        };
        assert!(value_id(&f, 0, "MRDID").is_some());
        assert_eq!(value_id(&f, 0, "MRDID"), value_id(&f, 1, "MRDID"), "one copy of 5000");
        assert_eq!(f.get(5, "MRDID"), None);
        assert!(f.any(0) && f.any(1) && !f.any(2));
        // Shrunk (the lookup table given back), every value still reads; a value interned after
        // that is stored again and found by its id.
        f.shrink();
        assert_eq!((f.get(0, "InvokeID"), f.get(1, "MRDID")), (Some("80171"), Some("5000")));
        let again = f.strings.intern("5000");
        assert_eq!(f.strings.get(again), "5000");
        assert_eq!(f.strings.find("5000"), Some(again));
    }
}
