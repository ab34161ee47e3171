//! The flow builder shared by every flow kind: the analysis context (index, timeline positions),
//! link reasons, neighbour rules, step ordering, and ad-hoc flows.

use super::facts::{Facts, Rec};
use super::ids::{Id, IdIndex, IdKind};
use super::participants::{default_peer, lifeline};
use super::{Flow, Step};
use crate::session::Session;
use std::collections::{BTreeMap, BTreeSet};

/// Largest number of records one flow takes (a pathological ID shared by millions of records
/// must not make a flow unusable). A flow cut there says so (`Flow::truncated`).
pub const MAX_FLOW_RECORDS: usize = 20_000;

/// A request-scoped ID (InvokeID, nocache, requestId) is reused: clients recycle InvokeIDs and
/// retry with the same requestId. It links only records this close in time (ms) to the exchange.
pub const REQUEST_WINDOW_MS: i64 = 120_000;

/// Records of one ID whose time is unknown (a log without date or zone) that a flow still links;
/// beyond this many the ID is too common to mean one exchange without a time.
pub const MAX_UNTIMED_LINKS: usize = 64;

/// What the analysis knows about a session: the records (index entries), the facts kept of
/// them, the ID index, timeline positions.
pub struct Ctx<'a> {
    pub s: &'a Session,
    /// The fields correlation reads, per record (see `facts`).
    pub facts: &'a Facts,
    /// Built by the analysis pass, or the session's stored index (ad-hoc flows).
    pub idx: &'a IdIndex,
    /// Timeline position of each record.
    pub pos: Vec<u32>,
    /// Each record's place in time as the timeline sorts it (its UTC, else the time of the timed
    /// record before it in its file): non-decreasing along the timeline, so the records of an ID
    /// (kept in timeline order, see `IdIndex::sort_by_position`) are searched by time in log n.
    pub key: Vec<i64>,
}

/// Timeline positions of a session's records (records missing from the timeline go last).
pub fn positions(s: &Session) -> Vec<u32> {
    let mut pos = vec![u32::MAX; s.records.len()];
    for (p, &i) in s.timeline.iter().enumerate() {
        if let Some(slot) = pos.get_mut(i as usize) {
            *slot = p as u32;
        }
    }
    for (i, slot) in pos.iter_mut().enumerate() {
        if *slot == u32::MAX {
            *slot = (s.timeline.len() + i).min(u32::MAX as usize - 1) as u32;
        }
    }
    pos
}

impl<'a> Ctx<'a> {
    /// A context over records whose ID lists are in timeline order (`IdIndex::sort_by_position`).
    pub fn new(s: &'a Session, facts: &'a Facts, idx: &'a IdIndex) -> Self {
        Ctx { s, facts, idx, pos: positions(s), key: s.sort_keys() }
    }

    /// The records of `list` (in timeline order) whose timeline time is within `[t0, t1]`, and
    /// those whose time is not known at all (they sort first), unless there are more than
    /// `MAX_UNTIMED_LINKS` of them (an ID that common says nothing without a time).
    pub fn within(&self, list: &[u32], t0: i64, t1: i64) -> Vec<u32> {
        let key = |r: &u32| self.key.get(*r as usize).copied().unwrap_or(i64::MIN);
        let untimed = list.partition_point(|r| key(r) == i64::MIN);
        let lo = list.partition_point(|r| key(r) < t0).max(untimed);
        let hi = list.partition_point(|r| key(r) <= t1).max(lo);
        let mut out = Vec::with_capacity(hi - lo + untimed.min(MAX_UNTIMED_LINKS));
        if untimed <= MAX_UNTIMED_LINKS {
            out.extend_from_slice(list.get(..untimed).unwrap_or(&[]));
        }
        out.extend_from_slice(list.get(lo..hi).unwrap_or(&[]));
        out
    }

    /// The records carrying `id` within `[t0, t1]` on the timeline (see `within`).
    pub fn id_within(&self, id: &Id, t0: i64, t1: i64) -> Vec<u32> {
        self.within(self.idx.get(id.0, &id.1), t0, t1)
    }

    /// A record's place in time on the timeline (see `key`).
    pub fn when(&self, i: usize) -> i64 {
        self.key.get(i).copied().unwrap_or(i64::MIN)
    }

    /// Every record as correlation sees it, in record order.
    pub fn recs(&self) -> impl Iterator<Item = Rec<'a>> + '_ {
        let (s, facts) = (self.s, self.facts);
        s.records.iter().enumerate().map(move |(i, r)| Rec::new(r, i, facts))
    }

    pub fn rec(&self, i: usize) -> Option<Rec<'a>> {
        self.s.records.get(i).map(|r| Rec::new(r, i, self.facts))
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
        let path = self.s.files.get(r.file() as usize).map(|f| f.path.as_str()).unwrap_or("");
        short_name(path).to_string()
    }

    /// "listener.log L6".
    pub fn loc(&self, i: usize) -> String {
        match self.rec(i) {
            Some(r) => format!("{} L{}", self.file_name(i), r.line()),
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

    /// True for IDs that name one exchange and are reused over time (InvokeIDs recycle, retries
    /// repeat a requestId): they link only records near in time (`REQUEST_WINDOW_MS`).
    pub fn request_scoped(kind: IdKind) -> bool {
        matches!(kind, IdKind::Invoke | IdKind::Nocache | IdKind::RequestId | IdKind::CcpRequest)
    }

    pub fn pos(&self, i: usize) -> u32 {
        self.pos.get(i).copied().unwrap_or(u32::MAX)
    }

    pub fn ids(&self, i: usize) -> Vec<Id> {
        let mut v = Vec::new();
        if let Some(r) = self.rec(i) {
            super::ids::ids_of(&r, self.text(i), &mut v);
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
    /// Lifelines (participants' names, static: see `participants`).
    pub from: &'static str,
    pub to: &'static str,
    pub label: String,
}

impl StepSpec {
    pub fn new(stage: u32, from: &'static str, to: &'static str, label: impl Into<String>) -> Self {
        StepSpec { stage, from, to, label: label.into() }
    }
}

/// Collects the records of one flow and why each group was linked.
pub struct Builder<'c, 'a> {
    pub ctx: &'c Ctx<'a>,
    pub recs: BTreeSet<usize>,
    pub links: Vec<String>,
    /// Reasons that apply to several records ("is next to a flow record in the same file"),
    /// each with its records: written once as "file L1, L2 … why" when the flow is finished.
    reasons: Vec<(String, Vec<usize>)>,
    reason_at: std::collections::HashMap<String, usize>,
    seen_ids: BTreeSet<Id>,
    /// Records left out because the flow was full.
    pub dropped: usize,
}

impl<'c, 'a> Builder<'c, 'a> {
    pub fn new(ctx: &'c Ctx<'a>) -> Self {
        Builder { ctx, recs: BTreeSet::new(), links: Vec::new(), reasons: Vec::new(), reason_at: Default::default(), seen_ids: BTreeSet::new(), dropped: 0 }
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
            if !self.recs.contains(&i) {
                self.dropped += 1;
            }
            return false;
        }
        self.recs.insert(i)
    }

    /// Adds a record with a reason. The reason says why without naming the record ("is next to
    /// a flow record in the same file"): records with the same reason share one link.
    pub fn add_because(&mut self, i: usize, reason: String) {
        if self.add(i) {
            match self.reason_at.get(&reason) {
                Some(&k) => {
                    if let Some((_, v)) = self.reasons.get_mut(k) {
                        v.push(i);
                    }
                }
                None => {
                    self.reason_at.insert(reason.clone(), self.reasons.len());
                    self.reasons.push((reason, vec![i]));
                }
            }
        }
    }

    /// Adds every record (passing `keep`) that carries the ID, with a "same ID in …" reason.
    /// A request-scoped ID (see `Ctx::request_scoped`) links only records within
    /// `REQUEST_WINDOW_MS` of the flow's records so far. Returns the records added.
    pub fn add_id(&mut self, id: &Id, keep: impl Fn(usize) -> bool) -> Vec<usize> {
        if Ctx::request_scoped(id.0) {
            let (lo, hi) = self.span();
            if lo <= hi {
                return self.add_id_within(id, lo.saturating_sub(REQUEST_WINDOW_MS), hi.saturating_add(REQUEST_WINDOW_MS), keep);
            }
        }
        self.add_id_within(id, i64::MIN, i64::MAX, keep)
    }

    /// `add_id` over the ID's records within `[t0, t1]` on the timeline.
    pub fn add_id_within(&mut self, id: &Id, t0: i64, t1: i64, keep: impl Fn(usize) -> bool) -> Vec<usize> {
        if !self.seen_ids.insert(id.clone()) {
            return Vec::new();
        }
        let all = self.ctx.id_within(id, t0, t1);
        let mut matched: Vec<usize> = Vec::new();
        for &r in &all {
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
        let files: BTreeSet<u32> = matched.iter().filter_map(|&r| self.ctx.rec(r).map(|x| x.file())).collect();
        if matched.len() >= 2 && (!added.is_empty() || files.len() >= 2) {
            self.links.push(format!("same {} {} in {}", id.0.label(), id.1, self.locs(&matched)));
        }
        added
    }

    /// The first and last timeline time of the flow's records so far (`(MAX, MIN)` when empty).
    pub fn span(&self) -> (i64, i64) {
        let mut lo = i64::MAX;
        let mut hi = i64::MIN;
        for &i in &self.recs {
            let k = self.ctx.when(i);
            if k != i64::MIN {
                lo = lo.min(k);
                hi = hi.max(k);
            }
        }
        (lo, hi)
    }

    /// "listener.log L6, ctisvr.txt L6 and opc.txt L1": grouped by file, at most 4 lines per file and
    /// 6 files named.
    pub fn locs(&self, recs: &[usize]) -> String {
        let mut groups: Vec<(String, Vec<u32>)> = Vec::new();
        for &r in recs {
            let name = self.ctx.file_name(r);
            let line = self.ctx.rec(r).map(|x| x.line()).unwrap_or(0);
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
                if a.file() != b.file() {
                    continue;
                }
                if accept(i, j) {
                    let reason = format!(
                        "next to a flow record in the same file ({})",
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
        let mut out_steps: Vec<Step> = Vec::with_capacity(steps.len());
        // Runs of the same step (stage, lanes, label without its numbers) longer than
        // `MAX_RUN` keep their first and last step; the steps between become one counted step.
        let mut run: Option<(u32, String)> = None;
        let mut run_start = 0usize;
        for (stage, _, i, spec) in steps {
            for p in [spec.from, spec.to] {
                if !participants.iter().any(|x| x == p) {
                    participants.push(p.to_string());
                }
            }
            if let Some(path) = ctx.rec(i).and_then(|r| ctx.s.files.get(r.file() as usize)).map(|f| f.path.as_str()) {
                if !files.iter().any(|f| f == path) {
                    files.push(path.to_string());
                }
            }
            let shape = (stage, format!("{}\u{1}{}\u{1}{}", spec.from, spec.to, without_numbers(&spec.label)));
            if run.as_ref() != Some(&shape) {
                collapse_run(&mut out_steps, run_start);
                run = Some(shape);
                run_start = out_steps.len();
            }
            out_steps.push(Step::new(i, spec.from, spec.to, spec.label));
        }
        collapse_run(&mut out_steps, run_start);
        let grouped: Vec<String> = self.reasons.iter().map(|(why, recs)| format!("{}: {why}", self.locs(recs))).collect();
        let mut links = self.links;
        links.extend(grouped);
        let mut seen = BTreeSet::new();
        links.retain(|l| seen.insert(l.clone()));
        if links.len() > MAX_LINKS {
            let more = links.len() - MAX_LINKS;
            links.truncate(MAX_LINKS);
            links.push(format!("… and {more} more links of the same kinds"));
        }
        let truncated = (self.dropped > 0).then(|| super::Truncated { shown: self.recs.len(), total: self.recs.len() + self.dropped });
        if let Some(t) = truncated {
            links.push(format!("only the first {} of {} linked records are shown: narrow the time range or the ID to see the rest", t.shown, t.total));
        }
        Some(Flow { kind: kind.to_string(), key, participants, steps: out_steps, links, files, truncated })
    }
}

/// Link reasons listed per flow (a sign-in with dozens of polled GETs explains the first ones).
pub const MAX_LINKS: usize = 32;

/// Steps of one run kept as they are; a longer run is folded (see `collapse_run`).
pub const MAX_RUN: usize = 6;

/// Folds the run `steps[start..]` when it is longer than `MAX_RUN`: its first and last steps stay,
/// the ones between become one step that counts them and spans their numbers ("last active
/// 1200…29800 ms ago (×2878)").
fn collapse_run(steps: &mut Vec<Step>, start: usize) {
    let n = steps.len().saturating_sub(start);
    if n <= MAX_RUN {
        return;
    }
    let Some(last) = steps.pop() else { return };
    let middle: Vec<Step> = steps.drain(start + 1..).collect();
    let (Some(a), Some(z)) = (middle.first(), middle.last()) else { return };
    let mut folded = Step::new(a.record, a.from.clone(), a.to.clone(), format!("{} (×{})", number_range(&a.label, &z.label), middle.len()));
    folded.count = middle.len() as u32;
    folded.last_record = Some(z.record);
    steps.push(folded);
    steps.push(last);
}

/// `a` with each number that differs in `z` written as a range: ("rid 17", "rid 42") → "rid 17…42".
fn number_range(a: &str, z: &str) -> String {
    fn parts(s: &str) -> Vec<&str> {
        let mut v = Vec::new();
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let digit = b[i].is_ascii_digit();
            let mut j = i + 1;
            while j < b.len() && b[j].is_ascii_digit() == digit {
                j += 1;
            }
            v.push(s.get(i..j).unwrap_or(""));
            i = j;
        }
        v
    }
    let (pa, pz) = (parts(a), parts(z));
    if pa.len() != pz.len() {
        return a.to_string();
    }
    pa.iter().zip(&pz).map(|(x, y)| if x != y && x.bytes().all(|c| c.is_ascii_digit()) { format!("{x}…{y}") } else { x.to_string() }).collect()
}

/// A label with its digit runs replaced by `#`: steps that differ only by numbers (rids,
/// "last active N ms", times) repeat the same step.
fn without_numbers(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut in_num = false;
    for c in label.chars() {
        if c.is_ascii_digit() {
            if !in_num {
                out.push('#');
            }
            in_num = true;
        } else {
            in_num = false;
            out.push(c);
        }
    }
    out
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
pub fn adhoc_flow(session: &Session, id_value: &str) -> Option<Flow> {
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
    which.truncate(MAX_FLOW_RECORDS);
    let decoded: Vec<(usize, crate::model::Record)> = which.iter().filter_map(|&i| session.decoded(i).map(|d| (i, d))).collect();
    let facts = Facts::sparse(&decoded);
    drop(decoded);
    adhoc_in(&Ctx::new(session, &facts, &session.ids), id_value)
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
            b.add_because(ev, format!("says {} {} is {} {}", id.0.label(), id.1, alias.0.label(), alias.1));
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
        let path = ctx.s.files.get(r.file() as usize).map(|f| f.path.clone()).unwrap_or_default();
        let from = lifeline(r.rec).to_string();
        let to = default_peer(r.rec).to_string();
        return Some(Flow {
            kind: "adhoc".into(),
            key,
            participants: vec![from.clone(), to.clone()],
            steps: vec![Step::new(i, from, to, default_label(ctx, i))],
            links: b.links,
            files: vec![path],
            truncated: None,
        });
    }
    b.finish("adhoc", key, |ctx, i| {
        let r = ctx.rec(i)?;
        Some(StepSpec::new(by_stage.get(&i).copied().unwrap_or(0), lifeline(r.rec), default_peer(r.rec), default_label(ctx, i)))
    })
}

/// Cuts one ID's records (in timeline order) into episodes: a new one starts after a pause
/// longer than `gap_ms`, or after a record that ends a lifecycle (`ends`: a session closed, a task
/// ended) once `grace_ms` have passed (the end's echoes — a response, a late event — stay with
/// it). A long-lived key (a BOSH sid polled all day, a reused task key) so gives one flow per
/// episode, not one flow per key. Records without a time stay in the episode they follow.
pub fn episodes(ctx: &Ctx, list: &[u32], gap_ms: i64, grace_ms: i64, ends: impl Fn(usize) -> bool) -> Vec<Vec<u32>> {
    let mut out: Vec<Vec<u32>> = Vec::new();
    let mut last_time: Option<i64> = None;
    let mut ended_at: Option<i64> = None;
    for &r in list {
        let t = ctx.when(r as usize);
        let timed = t != i64::MIN;
        let gap = timed && last_time.is_some_and(|l| t - l > gap_ms);
        let after_end = timed && ended_at.is_some_and(|e| t - e > grace_ms);
        if out.is_empty() || gap || after_end {
            out.push(Vec::new());
            ended_at = None;
        }
        if let Some(e) = out.last_mut() {
            e.push(r);
        }
        if timed {
            last_time = Some(t);
        }
        if ended_at.is_none() && ends(r as usize) {
            ended_at = Some(if timed { t } else { last_time.unwrap_or(i64::MIN) });
        }
    }
    out
}

/// Groups records by an ID kind: value → records, in index order (deterministic).
pub fn values_of(ctx: &Ctx, kind: IdKind) -> Vec<(String, Vec<u32>)> {
    let mut v: Vec<(String, Vec<u32>)> = ctx.idx.map.iter().filter(|((k, _), _)| *k == kind).map(|((_, val), recs)| (val.clone(), recs.clone())).collect();
    v.sort_by_key(|(val, recs)| (recs.first().copied().unwrap_or(0), val.clone()));
    v
}

/// A router console transcript (`rttest`): a snapshot of the router's view, not its trace.
pub fn is_console(r: &crate::model::Record) -> bool {
    r.lane() == crate::kinds::Lane::Router && r.role() == crate::kinds::Role::Snapshot
}

/// Does the text contain any of the needles.
pub fn has_any(text: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| text.contains(n))
}
