//! The flow builder shared by every flow kind: the analysis context (index, timeline positions),
//! link reasons, neighbour rules, step ordering, and ad-hoc flows.

use super::ids::{Id, IdIndex, IdKind};
use super::participants::{default_peer, lifeline};
use super::{Flow, Step};
use crate::model::Record;
use crate::session::Session;
use std::collections::{BTreeMap, BTreeSet};

/// Largest number of records one flow takes (a pathological ID shared by millions of records
/// must not make a flow unusable).
pub const MAX_FLOW_RECORDS: usize = 20_000;

/// A request-scoped ID (InvokeID, nocache, requestId) on more records than this is reused and
/// ambiguous; flows do not link through it.
pub const MAX_SHARED_REQUEST_ID: usize = 64;

/// What the analysis knows about a session: the records, the ID index, timeline positions.
pub struct Ctx<'a> {
    pub s: &'a Session,
    /// Built from the (decoded) records, or the session's stored index (ad-hoc flows).
    pub idx: std::borrow::Cow<'a, IdIndex>,
    /// Timeline position of each record.
    pub pos: Vec<u32>,
}

impl<'a> Ctx<'a> {
    pub fn new(s: &'a Session) -> Self {
        Self::with(s, std::borrow::Cow::Owned(IdIndex::build(s)))
    }

    /// A context over the session's stored ID index (from its last analysis).
    pub fn with_stored_index(s: &'a Session) -> Self {
        Self::with(s, std::borrow::Cow::Borrowed(&s.ids))
    }

    fn with(s: &'a Session, idx: std::borrow::Cow<'a, IdIndex>) -> Self {
        let mut pos = vec![u32::MAX; s.records.len()];
        for (p, &i) in s.timeline.iter().enumerate() {
            if let Some(slot) = pos.get_mut(i as usize) {
                *slot = p as u32;
            }
        }
        // Records missing from the timeline (should not happen) go last in record order.
        for (i, slot) in pos.iter_mut().enumerate() {
            if *slot == u32::MAX {
                *slot = (s.timeline.len() + i).min(u32::MAX as usize - 1) as u32;
            }
        }
        Ctx { s, idx, pos }
    }

    pub fn rec(&self, i: usize) -> Option<&'a Record> {
        self.s.records.get(i)
    }

    pub fn text(&self, i: usize) -> &'a str {
        match self.s.records.get(i) {
            Some(r) => self.s.record_text(r),
            None => "",
        }
    }

    /// The time of record `i` as written ("" when it has none).
    pub fn time_text(&self, i: usize) -> &'a str {
        match self.s.records.get(i) {
            Some(r) => self.s.time_text(r),
            None => "",
        }
    }

    pub fn file_name(&self, i: usize) -> String {
        let Some(r) = self.rec(i) else { return String::new() };
        let path = self.s.files.get(r.file as usize).map(|f| f.path.as_str()).unwrap_or("");
        short_name(path).to_string()
    }

    /// "listener.log L6".
    pub fn loc(&self, i: usize) -> String {
        match self.rec(i) {
            Some(r) => format!("{} L{}", self.file_name(i), r.line),
            None => String::new(),
        }
    }

    /// UTC of a record, or an epoch value the record carries about itself (CTI_MSG_RECEIVED).
    pub fn time(&self, i: usize) -> Option<i64> {
        let r = self.rec(i)?;
        if let Some(t) = r.utc_ms() {
            return Some(t);
        }
        super::ids::field(r, "CTI_MSG_RECEIVED").and_then(|v| v.parse::<i64>().ok())
    }

    /// An InvokeID (or other per-request ID) carried by so many records that it no longer names
    /// one exchange (clients reuse InvokeIDs): not used to link flows.
    pub fn ambiguous(&self, id: &Id) -> bool {
        matches!(id.0, IdKind::Invoke | IdKind::Nocache | IdKind::RequestId) && self.idx.get(id.0, &id.1).len() > MAX_SHARED_REQUEST_ID
    }

    pub fn pos(&self, i: usize) -> u32 {
        self.pos.get(i).copied().unwrap_or(u32::MAX)
    }

    pub fn ids(&self, i: usize) -> Vec<Id> {
        let mut v = Vec::new();
        if let Some(r) = self.rec(i) {
            super::ids::ids_of(self.s, r, &mut v);
        }
        v
    }

    /// The ICM agent ID for a peripheral agent ID and back, with the evidence record.
    pub fn agent_aliases(&self, kind: IdKind, value: &str) -> Option<(Id, usize)> {
        match kind {
            IdKind::Agent => self.idx.agent_to_icm.get(value).map(|(m, r)| ((IdKind::IcmAgent, m.clone()), *r)),
            IdKind::IcmAgent => self.idx.icm_to_agent.get(value).map(|(a, r)| ((IdKind::Agent, a.clone()), *r)),
            _ => None,
        }
    }
}

/// File name without its folders (archive members keep the member name).
pub fn short_name(path: &str) -> &str {
    path.rsplit(['/', '\\', '!']).next().unwrap_or(path)
}

/// How a classified record appears in a flow.
pub struct StepSpec {
    /// Logical stage in the flow kind; steps sort by (stage, timeline position).
    pub stage: u32,
    pub from: String,
    pub to: String,
    pub label: String,
}

impl StepSpec {
    pub fn new(stage: u32, from: &str, to: &str, label: impl Into<String>) -> Self {
        StepSpec { stage, from: from.to_string(), to: to.to_string(), label: label.into() }
    }
}

/// Collects the records of one flow and why each group was linked.
pub struct Builder<'c, 'a> {
    pub ctx: &'c Ctx<'a>,
    pub recs: BTreeSet<usize>,
    pub links: Vec<String>,
    seen_ids: BTreeSet<Id>,
}

impl<'c, 'a> Builder<'c, 'a> {
    pub fn new(ctx: &'c Ctx<'a>) -> Self {
        Builder { ctx, recs: BTreeSet::new(), links: Vec::new(), seen_ids: BTreeSet::new() }
    }

    pub fn full(&self) -> bool {
        self.recs.len() >= MAX_FLOW_RECORDS
    }

    pub fn has(&self, i: usize) -> bool {
        self.recs.contains(&i)
    }

    /// Adds a record without a reason (the seed of the flow).
    pub fn add(&mut self, i: usize) -> bool {
        if self.full() {
            return false;
        }
        self.recs.insert(i)
    }

    /// Adds a record with a reason.
    pub fn add_because(&mut self, i: usize, reason: String) {
        if self.add(i) {
            self.links.push(reason);
        }
    }

    /// Adds every record (passing `keep`) that carries the ID, with a "same ID in …" reason.
    /// Returns the records added.
    pub fn add_id(&mut self, id: &Id, keep: impl Fn(usize) -> bool) -> Vec<usize> {
        if !self.seen_ids.insert(id.clone()) {
            return Vec::new();
        }
        let all = self.ctx.idx.get(id.0, &id.1);
        let mut matched: Vec<usize> = Vec::new();
        for &r in all {
            let r = r as usize;
            if keep(r) {
                matched.push(r);
            }
        }
        let mut added = Vec::new();
        for &r in &matched {
            if self.add(r) {
                added.push(r);
            }
        }
        let files: BTreeSet<u32> = matched.iter().filter_map(|&r| self.ctx.rec(r).map(|x| x.file)).collect();
        if matched.len() >= 2 && (!added.is_empty() || files.len() >= 2) {
            self.links.push(format!("same {} {} in {}", id.0.label(), id.1, self.locs(&matched)));
        }
        added
    }

    /// "listener.log L6, ctisvr.txt L6 and opc.txt L1": grouped by file, at most 4 lines per file and
    /// 6 files named.
    pub fn locs(&self, recs: &[usize]) -> String {
        let mut groups: Vec<(String, Vec<u32>)> = Vec::new();
        for &r in recs {
            let name = self.ctx.file_name(r);
            let line = self.ctx.rec(r).map(|x| x.line).unwrap_or(0);
            match groups.iter_mut().find(|(n, _)| *n == name) {
                Some((_, lines)) => lines.push(line),
                None => groups.push((name, vec![line])),
            }
        }
        let mut names: Vec<String> = groups
            .iter()
            .take(6)
            .map(|(n, lines)| {
                let shown: Vec<String> = lines.iter().take(4).map(|l| format!("L{l}")).collect();
                let more = if lines.len() > 4 { format!(" (+{})", lines.len() - 4) } else { String::new() };
                format!("{n} {}{more}", shown.join(", "))
            })
            .collect();
        if groups.len() > 6 {
            names.push(format!("{} more files", groups.len() - 6));
        }
        match names.len() {
            0 => String::new(),
            1 => names.remove(0),
            _ => {
                let last = names.pop().unwrap_or_default();
                format!("{}; and {}", names.join("; "), last)
            }
        }
    }

    /// Records right before/after flow records in the same file, on the same thread/component, that
    /// carry no ID of their own but belong to the same exchange (`ProcessOfferTaskInd` before its
    /// `SendARMMsg`, `REQUEST_END` after `API_REQUEST`). `accept` decides which ones.
    pub fn add_neighbours(&mut self, accept: impl Fn(usize, usize) -> bool) {
        let current: Vec<usize> = self.recs.iter().copied().collect();
        for i in current {
            for j in [i.wrapping_sub(1), i + 1] {
                if j == usize::MAX || self.has(j) {
                    continue;
                }
                let (Some(a), Some(b)) = (self.ctx.rec(i), self.ctx.rec(j)) else { continue };
                if a.file != b.file {
                    continue;
                }
                if accept(i, j) {
                    let reason = format!(
                        "{} is next to {} in the same file ({})",
                        self.ctx.loc(j),
                        self.ctx.loc(i),
                        match b.component() {
                            Some(c) if !c.is_empty() => format!("same thread {c}"),
                            _ => "same exchange".to_string(),
                        }
                    );
                    self.add_because(j, reason);
                }
            }
        }
    }

    /// Orders the classified records into a flow. Records the classifier rejects are left out.
    pub fn finish(self, kind: &str, key: String, classify: impl Fn(&Ctx, usize) -> Option<StepSpec>) -> Option<Flow> {
        let ctx = self.ctx;
        let mut steps: Vec<(u32, u32, usize, StepSpec)> = Vec::new();
        for &i in &self.recs {
            if let Some(spec) = classify(ctx, i) {
                steps.push((spec.stage, ctx.pos(i), i, spec));
            }
        }
        if steps.len() < 2 {
            return None;
        }
        steps.sort_by_key(|(stage, pos, i, _)| (*stage, *pos, *i));
        let mut participants: Vec<String> = Vec::new();
        let mut files: Vec<String> = Vec::new();
        let mut out_steps = Vec::with_capacity(steps.len());
        for (_, _, i, spec) in steps {
            for p in [&spec.from, &spec.to] {
                if !participants.contains(p) {
                    participants.push(p.clone());
                }
            }
            if let Some(path) = ctx.rec(i).and_then(|r| ctx.s.files.get(r.file as usize)).map(|f| f.path.clone()) {
                if !files.contains(&path) {
                    files.push(path);
                }
            }
            out_steps.push(Step { record: i, from: spec.from, to: spec.to, label: spec.label });
        }
        let mut links = self.links;
        let mut seen = BTreeSet::new();
        links.retain(|l| seen.insert(l.clone()));
        Some(Flow { kind: kind.to_string(), key, participants, steps: out_steps, links, files })
    }
}

/// The message name of a record: CTI message name, MessageType, record name, or its first words.
pub fn message_name(ctx: &Ctx, i: usize) -> String {
    let Some(r) = ctx.rec(i) else { return String::new() };
    for k in ["cti_message_name", "MessageType", "msg_type"] {
        if let Some(v) = super::ids::field(r, k) {
            return v;
        }
    }
    if let Some(n) = r.name() {
        if !n.is_empty() {
            return n.to_string();
        }
    }
    let text = ctx.text(i);
    let line = text.lines().next().unwrap_or("");
    let short: String = line.chars().take(60).collect();
    short
}

/// A default label: message name plus the most telling ID.
pub fn default_label(ctx: &Ctx, i: usize) -> String {
    let name = message_name(ctx, i);
    let Some(r) = ctx.rec(i) else { return name };
    for (k, what) in [
        ("InvokeID", "InvokeID"),
        ("TaskKey", "task"),
        ("requestId", "requestId"),
        ("nocache", "nocache"),
        ("sid", "sid"),
        ("SocialContactID", "SC"),
        ("sessionId", "session"),
    ] {
        if let Some(v) = super::ids::field(r, k) {
            let v = if k == "requestId" { v.chars().take(8).collect::<String>() + "…" } else { v };
            return format!("{name} ({what} {v})");
        }
    }
    name
}

/// Every record linked to one ID value, as a flow of kind `adhoc`. The value may be written in
/// any form the logs use (InvokeID in hex, a task key with `/` or `:`, `CID=(day,callid)`,
/// a JID, a SocialContactID in lower case…).
/// An ad-hoc flow over the records that carry `id_value` (any ID kind it can be read as), from
/// the session's stored ID index; only those records are decoded.
pub fn adhoc_flow(session: &mut Session, id_value: &str) -> Option<Flow> {
    let mut which: Vec<usize> = Vec::new();
    for id in super::ids::normalise_query(id_value) {
        which.extend(session.ids.get(id.0, &id.1).iter().map(|&r| r as usize));
        let alias = match id.0 {
            IdKind::Agent => session.ids.agent_to_icm.get(&id.1).map(|(m, r)| ((IdKind::IcmAgent, m.clone()), *r)),
            IdKind::IcmAgent => session.ids.icm_to_agent.get(&id.1).map(|(a, r)| ((IdKind::Agent, a.clone()), *r)),
            _ => None,
        };
        if let Some((a, ev)) = alias {
            which.push(ev);
            which.extend(session.ids.get(a.0, &a.1).iter().map(|&r| r as usize));
        }
    }
    which.sort_unstable();
    which.dedup();
    session.with_decoded_subset(&which, |s| adhoc_in(&Ctx::with_stored_index(s), id_value))
}

pub fn adhoc_in(ctx: &Ctx, id_value: &str) -> Option<Flow> {
    let mut b = Builder::new(ctx);
    let mut used: Vec<String> = Vec::new();
    for id in super::ids::normalise_query(id_value) {
        let n = ctx.idx.get(id.0, &id.1).len();
        if n == 0 {
            continue;
        }
        used.push(format!("{} {}", id.0.label(), id.1));
        b.add_id(&id, |_| true);
        if let Some((alias, ev)) = ctx.agent_aliases(id.0, &id.1) {
            b.add_because(ev, format!("{} {} is {} {} ({})", id.0.label(), id.1, alias.0.label(), alias.1, ctx.loc(ev)));
            b.add_id(&alias, |_| true);
        }
    }
    if b.recs.is_empty() {
        return None;
    }
    if b.links.is_empty() {
        b.links.push(format!("records carrying {}", used.join(", ")));
    }
    // An ad-hoc flow may hold a single record; `finish` needs two, so add the steps directly.
    let key = id_value.trim().to_string();
    let mut order: Vec<usize> = b.recs.iter().copied().collect();
    order.sort_by_key(|&i| (ctx.pos(i), i));
    let mut by_stage: BTreeMap<usize, u32> = BTreeMap::new();
    for (n, i) in order.iter().enumerate() {
        by_stage.insert(*i, n as u32);
    }
    if order.len() == 1 {
        let i = *order.first()?;
        let r = ctx.rec(i)?;
        let path = ctx.s.files.get(r.file as usize).map(|f| f.path.clone()).unwrap_or_default();
        let from = lifeline(r).to_string();
        let to = default_peer(r).to_string();
        return Some(Flow {
            kind: "adhoc".into(),
            key,
            participants: vec![from.clone(), to.clone()],
            steps: vec![Step { record: i, from, to, label: default_label(ctx, i) }],
            links: b.links,
            files: vec![path],
        });
    }
    b.finish("adhoc", key, |ctx, i| {
        let r = ctx.rec(i)?;
        Some(StepSpec::new(by_stage.get(&i).copied().unwrap_or(0), lifeline(r), default_peer(r), default_label(ctx, i)))
    })
}

/// Groups records by an ID kind: value → records, in index order (deterministic).
pub fn values_of(ctx: &Ctx, kind: IdKind) -> Vec<(String, Vec<u32>)> {
    let mut v: Vec<(String, Vec<u32>)> = ctx.idx.map.iter().filter(|((k, _), _)| *k == kind).map(|((_, val), recs)| (val.clone(), recs.clone())).collect();
    v.sort_by_key(|(val, recs)| (recs.first().copied().unwrap_or(0), val.clone()));
    v
}

/// A router console transcript (`rttest`): a snapshot of the router's view, not its trace.
pub fn is_console(r: &Record) -> bool {
    crate::formats::lane_of(r) == crate::kinds::Lane::Router && crate::formats::role_of(r) == crate::kinds::Role::Snapshot
}

/// Does the text contain any of the needles.
pub fn has_any(text: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| text.contains(n))
}
