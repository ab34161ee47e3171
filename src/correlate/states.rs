//! State timelines: how an agent, a Finesse user, a dialog, a contact, a chat session or a BOSH
//! session changed state over time, read from the decoded fields of every source.
//!
//! Each rule says which records carry a state for which entity; consecutive repeats of the same
//! state are folded, so a timeline lists changes only.

use super::facts::{group_by_key, Rec, StringTable, Strings};
use super::flows::Ctx;
use crate::formats::engine::has as contains;
use crate::model::Records;
use std::borrow::Cow;

/// The kinds of entity, in the order timelines are listed.
const KINDS: [&str; 6] = ["agent-mrd", "finesse-user", "dialog", "contact", "chat-session", "bosh-session"];
const AGENT: u8 = 0;
const USER: u8 = 1;
const DIALOG: u8 = 2;
const CONTACT: u8 = 3;
const CHAT: u8 = 4;
const BOSH: u8 = 5;

/// Every state timeline of a session, kept compact: a busy day has a hundred thousand entities
/// that each change state a few times, and agents with tens of thousands of changes.
#[derive(Default)]
pub struct States {
    /// In kind then entity order.
    timelines: Vec<Entry>,
    /// Every timeline's changes, one run per timeline, each in timeline order.
    changes: Vec<Change>,
    /// Entity names and state names.
    text: StringTable,
}

struct Entry {
    kind: u8,
    key: u32,
    start: u32,
    len: u32,
}

/// One change: the record that says it and the state (an id in `States::text`).
#[derive(Clone, Copy, Default)]
struct Change {
    record: u32,
    state: u32,
}

/// One entity's timeline, read from `States`.
#[derive(Clone, Copy)]
pub struct StateTimeline<'a> {
    /// `agent-mrd`, `finesse-user`, `dialog`, `contact`, `chat-session`, `bosh-session`.
    pub kind: &'static str,
    /// The entity, as engineers name it ("agent 5172 · MRD 5011", "chat session 2242…").
    pub key: &'a str,
    changes: &'a [Change],
    text: &'a StringTable,
    records: &'a Records,
}

#[derive(Clone, Copy, Debug)]
pub struct StateChange<'a> {
    /// Index into `Session::records`.
    pub record: usize,
    pub utc_ms: Option<i64>,
    pub state: &'a str,
}

impl States {
    pub fn len(&self) -> usize {
        self.timelines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.timelines.is_empty()
    }

    /// The timelines, in kind then entity order; `records` are the session's (for the times).
    pub fn iter<'a>(&'a self, records: &'a Records) -> impl Iterator<Item = StateTimeline<'a>> + 'a {
        self.timelines.iter().map(move |e| StateTimeline {
            kind: KINDS.get(e.kind as usize).copied().unwrap_or(""),
            key: self.text.get(e.key),
            changes: self.changes.get(e.start as usize..(e.start + e.len) as usize).unwrap_or(&[]),
            text: &self.text,
            records,
        })
    }
}

impl<'a> StateTimeline<'a> {
    /// Change `n`, in time order.
    pub fn change(&self, n: usize) -> Option<StateChange<'a>> {
        self.changes.get(n).map(|c| self.view(c))
    }

    pub fn changes(&self) -> impl ExactSizeIterator<Item = StateChange<'a>> + 'a {
        let this = *self;
        self.changes.iter().map(move |c| this.view(c))
    }

    fn view(&self, c: &Change) -> StateChange<'a> {
        let record = c.record as usize;
        StateChange { record, utc_ms: self.records.get(record).and_then(|r| r.utc_ms()), state: self.text.get(c.state) }
    }
}

fn f<'a>(r: &Rec<'a>, k: &'static str) -> Option<&'a str> {
    r.get(k).filter(|v| !v.is_empty() && *v != "-1")
}

/// The kind and state a record contributes, if any, with the entity's name written to `key`.
fn state_of<'a>(r: &Rec<'a>, key: &mut String) -> Option<(u8, Cow<'a, str>)> {
    use std::fmt::Write;
    key.clear();
    // CTI agent state per media routing domain: ctisvr AGENT_EVENT, OPC SetAgentState, Finesse's
    // decoded CTIAgentStateEvent.
    if let Some(st) = f(r, "AgentState").or_else(|| f(r, "NewState")).or_else(|| f(r, "agentStateName")) {
        let agent = f(r, "ICMAgentID").or_else(|| f(r, "AgentID")).or_else(|| f(r, "agentID")).or_else(|| f(r, "ID"))?;
        let _ = write!(key, "agent {agent}");
        if let Some(m) = f(r, "MRDID") {
            let _ = write!(key, " · MRD {m}");
        }
        return Some((AGENT, Cow::Borrowed(st.trim_start_matches("AS_"))));
    }
    let data_type = f(r, "dataType");
    let is = |t: &str| data_type.is_some_and(|d| d.eq_ignore_ascii_case(t));
    if let (true, Some(st)) = (is("user"), f(r, "state")) {
        let login = f(r, "loginId").or_else(|| f(r, "id").and_then(|id| id.split("/User/").nth(1).map(|s| s.split(['_', '/']).next().unwrap_or(s))))?;
        let _ = write!(key, "Finesse user {login}");
        return Some((USER, Cow::Borrowed(st)));
    }
    if let (true, Some(st)) = (is("dialog"), f(r, "state")) {
        let id = f(r, "dialogId")?;
        let _ = write!(key, "dialog {id}");
        return Some((DIALOG, Cow::Borrowed(st)));
    }
    if let Some(st) = f(r, "sessionState") {
        let id = f(r, "sessionId")?;
        let _ = write!(key, "chat session {id}");
        return Some((CHAT, Cow::Borrowed(st)));
    }
    if let Some(st) = f(r, "status") {
        const CONTACT_STATES: [&str; 7] = ["unread", "queued", "reserved", "handled", "discarded", "closed", "engaged"];
        if let Some(lower) = CONTACT_STATES.iter().find(|w| w.eq_ignore_ascii_case(st)) {
            let id = f(r, "SocialContactID").or_else(|| f(r, "id").filter(|i| i.len() == 32))?;
            let _ = write!(key, "contact {id}");
            return Some((CONTACT, Cow::Borrowed(lower)));
        }
    }
    if let Some(ms) = r.get("lastActiveMs").and_then(|v| v.parse::<i64>().ok()) {
        let sid = f(r, "sid").or_else(|| f(r, "id"))?;
        let _ = write!(key, "BOSH session {sid}");
        let st = if ms < 1000 { Cow::Borrowed("ACTIVE") } else { Cow::Owned(format!("IDLE {} s", ms / 1000)) };
        return Some((BOSH, st));
    }
    if r.name().is_some_and(|n| contains(n, "CLOSING_IDLE_SESSION") || contains(n, "IdleSession")) {
        let sid = f(r, "sid").or_else(|| f(r, "id"))?;
        let _ = write!(key, "BOSH session {sid}");
        return Some((BOSH, Cow::Borrowed("CLOSED (idle)")));
    }
    None
}

/// An entity while its timeline is read.
struct Open {
    kind: u8,
    key: u32,
    last_state: u32,
    len: u32,
}

/// Every state timeline in the session, in kind then entity order. Linear in the records (plus
/// sorting the entities): each change is 8 bytes, each entity 16 and its name once.
pub fn timelines(ctx: &Ctx) -> States {
    let mut text = Strings::default();
    // Entity by its name's id in `text` (names and states share the table: a name is never a
    // state, as every name starts with its kind's words).
    let mut entity_of: Vec<u32> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    // (entity, change) in timeline order, grouped by entity below.
    let mut read: Vec<(u32, Change)> = Vec::new();
    let mut key = String::new();
    for &ri in &ctx.s.timeline {
        if !ctx.facts.any(ri as usize) {
            continue;
        }
        let Some(r) = ctx.rec(ri as usize) else { continue };
        let Some((kind, state)) = state_of(&r, &mut key) else { continue };
        let key_id = text.intern(&key);
        let state = text.intern(&state);
        if entity_of.len() <= key_id as usize {
            entity_of.resize(key_id as usize + 1, u32::MAX);
        }
        let Some(slot) = entity_of.get_mut(key_id as usize) else { continue };
        if *slot == u32::MAX {
            *slot = open.len() as u32;
            open.push(Open { kind, key: key_id, last_state: u32::MAX, len: 0 });
        }
        let e = *slot;
        let Some(o) = open.get_mut(e as usize) else { continue };
        // A transition record (OPC `OldState → NewState`) also says where the agent came from.
        if o.len == 0 {
            if let Some(old) = f(&r, "OldState") {
                let old = text.intern(old.trim_start_matches("AS_"));
                read.push((e, Change { record: ri, state: old }));
                o.len += 1;
                o.last_state = old;
            }
        }
        if o.last_state == state {
            continue;
        }
        read.push((e, Change { record: ri, state }));
        o.len += 1;
        o.last_state = state;
    }
    drop(entity_of);
    // Each entity's changes in one run (linear, and stable so time order stays).
    let (start, changes) = group_by_key(open.len(), |put| read.iter().for_each(|&(e, c)| put(e, c)));
    drop(read);
    let mut timelines: Vec<Entry> = open.iter().zip(&start).map(|(o, &s)| Entry { kind: o.kind, key: o.key, start: s, len: o.len }).collect();
    let text = text.into_table();
    timelines.sort_by(|a, b| (a.kind, text.get(a.key)).cmp(&(b.kind, text.get(b.key))));
    States { timelines, changes, text }
}

#[cfg(test)]
mod tests {
    use crate::ingest::{ingest_path, Limits, LoadState};
    use crate::session::Session;

    fn load(p: &str) -> Session {
        let mut s = Session::new();
        ingest_path(std::path::Path::new(p), &Limits::default(), &mut LoadState::default(), &mut s);
        s.finish();
        s
    }

    #[test]
    fn corpus_state_timelines() {
        let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
        let s = load(&format!("{base}/003-cce-task-routing"));
        let agent = s.states.iter(&s.records).find(|t| t.kind == "agent-mrd" && t.key.contains("MRD 5011")).expect("agent timeline");
        let states: Vec<&str> = agent.changes().map(|c| c.state).collect();
        for want in ["NOT_READY", "NOT_ACTIVE", "RESERVED", "ACTIVE"] {
            assert!(states.contains(&want), "{want} in {states:?}");
        }
        let s = load(&format!("{base}/004-uccx-facebook-chat/ccp-chat-gateway"));
        let session = s.states.iter(&s.records).find(|t| t.kind == "chat-session").expect("chat session");
        let states: Vec<&str> = session.changes().map(|c| c.state).collect();
        let order = ["INFO_WAIT", "INFO_CLOSED", "AGENT_WAIT", "TALKING", "RATING_WAIT"];
        let pos: Vec<usize> = order.iter().filter_map(|w| states.iter().position(|s| s == w)).collect();
        assert_eq!(pos.len(), order.len(), "{states:?}");
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "{states:?}");
        let s = load(&format!("{base}/002-finesse-bosh"));
        let b = s.states.iter(&s.records).find(|t| t.kind == "bosh-session" && t.key.contains("f382a015")).expect("bosh");
        let changes: Vec<_> = b.changes().collect();
        assert!(changes.iter().any(|c| c.state.starts_with("IDLE")), "{changes:?}");
    }

    /// The compact timelines hold what one list per entity, filled record by record, holds: the
    /// same entities in kind then name order, each with its changes in timeline order and
    /// repeats folded, whatever the interleaving of entities in the logs (the corpus, and
    /// generated bundles of many agents and of day-long sessions).
    #[test]
    fn compact_timelines_match_one_list_per_entity() {
        use crate::bench::shapes;
        let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
        let mut inputs: Vec<std::path::PathBuf> = std::fs::read_dir(base).expect("corpus").flatten().map(|d| d.path()).filter(|p| p.is_dir()).collect();
        let tmp = std::env::temp_dir().join(format!("sb-states-{}", std::process::id()));
        for (name, files) in [("many", shapes::many_files(400_000)), ("day", shapes::day_files(1_000_000)), ("hot", shapes::hot_files(300_000))] {
            for (path, text) in files {
                let p = tmp.join(name).join(path);
                std::fs::create_dir_all(p.parent().expect("parent")).expect("dir");
                std::fs::write(&p, text).expect("write");
            }
            inputs.push(tmp.join(name));
        }
        let mut compared = 0;
        for dir in inputs {
            let s = load(&dir.display().to_string());
            let want = one_list_per_entity(&s);
            let got: Vec<Plain> =
                s.states.iter(&s.records).map(|t| (t.kind, t.key.to_string(), t.changes().map(|c| (c.record, c.state.to_string())).collect())).collect();
            assert_eq!(got, want, "{}", dir.display());
            compared += got.len();
        }
        let _ = std::fs::remove_dir_all(&tmp);
        assert!(compared > 100, "{compared} timelines compared");
    }

    /// A timeline as plain values: kind, entity, (record, state) per change.
    type Plain = (&'static str, String, Vec<(usize, String)>);

    /// The timelines as a map of lists (what `timelines` did before it was compact).
    fn one_list_per_entity(s: &Session) -> Vec<Plain> {
        let decoded: Vec<(usize, crate::model::Record)> = (0..s.records.len()).filter_map(|i| s.decoded(i).map(|d| (i, d))).collect();
        let facts = crate::correlate::facts::Facts::sparse(&decoded);
        let ctx = crate::correlate::flows::Ctx::new(s, &facts, &s.ids);
        let mut lists: std::collections::BTreeMap<(u8, String), Vec<(usize, String)>> = Default::default();
        let mut key = String::new();
        for &ri in &s.timeline {
            let Some(r) = ctx.rec(ri as usize) else { continue };
            let Some((kind, state)) = super::state_of(&r, &mut key) else { continue };
            let list = lists.entry((kind, key.clone())).or_default();
            if list.is_empty() {
                if let Some(old) = super::f(&r, "OldState") {
                    list.push((ri as usize, old.trim_start_matches("AS_").to_string()));
                }
            }
            if list.last().is_none_or(|(_, st)| *st != state) {
                list.push((ri as usize, state.into_owned()));
            }
        }
        lists.into_iter().map(|((k, key), list)| (super::KINDS[k as usize], key, list)).collect()
    }
}
