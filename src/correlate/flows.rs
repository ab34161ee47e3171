//! The flow builder shared by every flow kind: the analysis context (index, timeline positions),
//! link reasons, neighbour rules, step ordering, and ad-hoc flows.

use super::facts::{Facts, Rec};
use super::ids::{Id, IdIndex, IdKind};
use super::participants::{default_peer, lifeline};
use super::texts::words;
use super::{Flow, LastRecord, Steps, StepsBuilder};
use crate::session::Session;
use std::borrow::Cow;
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
    /// Each file's path, shared by the flows that name it (a flow lists its files; thousands of
    /// flows name the same few).
    pub paths: Vec<std::sync::Arc<str>>,
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
        Ctx { s, facts, idx, pos: positions(s), key: s.sort_keys(), paths: s.files.iter().map(|f| std::sync::Arc::from(f.path.as_str())).collect() }
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
    pub fn id_within(&self, kind: IdKind, value: &str, t0: i64, t1: i64) -> Vec<u32> {
        self.within(self.idx.get(kind, value), t0, t1)
    }

    /// A record's place in time on the timeline (see `key`).
    pub fn when(&self, i: usize) -> i64 {
        self.key.get(i).copied().unwrap_or(i64::MIN)
    }

    /// The first and last timeline time of the timed records among `recs`, `None` when none is timed.
    pub fn timed_span(&self, recs: impl IntoIterator<Item = usize>) -> Option<(i64, i64)> {
        recs.into_iter().map(|i| self.when(i)).filter(|&t| t != i64::MIN).fold(None, |acc, t| match acc {
            None => Some((t, t)),
            Some((lo, hi)) => Some((lo.min(t), hi.max(t))),
        })
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
        self.short_file_name(i).to_string()
    }

    /// The short name of a record's file ("" for no record), borrowed.
    pub fn short_file_name(&self, i: usize) -> &str {
        let Some(r) = self.rec(i) else { return "" };
        short_name(self.s.files.get(r.file() as usize).map(|f| f.path.as_str()).unwrap_or(""))
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

    /// Record `i`'s IDs: as the index holds them (lent, not copied: flows ask this of every
    /// record they look at), else read off its facts.
    pub fn each_id(&self, i: usize) -> impl Iterator<Item = (IdKind, Cow<'_, str>)> + '_ {
        let indexed = self.idx.of_record(i);
        let mut read = Vec::new();
        if indexed.is_none() {
            if let Some(r) = self.rec(i) {
                super::ids::ids_of(&r, self.text(i), &mut read);
            }
        }
        let lent = indexed.into_iter().flatten().map(|(k, v)| (k, Cow::Borrowed(v)));
        lent.chain(read.into_iter().map(|(k, v)| (k, Cow::Owned(v))))
    }

    /// Record `i`'s IDs of `kind`, copied (the others are not).
    pub fn ids_of_kind(&self, i: usize, kind: IdKind) -> impl Iterator<Item = Id> + '_ {
        self.each_id(i).filter(move |(k, _)| *k == kind).map(|(k, v)| (k, v.into_owned()))
    }

    /// Record `i`'s first ID of `kind`.
    pub fn id_of(&self, i: usize, kind: IdKind) -> Option<String> {
        self.each_id(i).find(|(k, _)| *k == kind).map(|(_, v)| v.into_owned())
    }

    /// The ICM agent ID for a peripheral agent ID and back, with the evidence record.
    pub fn agent_aliases(&self, kind: IdKind, value: &str) -> Option<(Id, usize)> {
        self.idx.agent_alias(kind, value)
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
    reason_at: std::collections::HashMap<String, usize, crate::model::FxBuild>,
    seen_ids: BTreeSet<Id>,
    /// Records left out because the flow was full.
    pub dropped: usize,
    /// The flow's episode on the timeline: timed records outside it belong to an earlier or
    /// later flow of the same key (an agent signs in many times a day) and are not added.
    episode: (i64, i64),
}

impl<'c, 'a> Builder<'c, 'a> {
    pub fn new(ctx: &'c Ctx<'a>) -> Self {
        Builder {
            ctx,
            recs: BTreeSet::new(),
            links: Vec::new(),
            reasons: Vec::new(),
            reason_at: Default::default(),
            seen_ids: BTreeSet::new(),
            dropped: 0,
            episode: (i64::MIN, i64::MAX),
        }
    }

    /// Bounds the flow to `[t0, t1)` on the timeline (see `episode`); untimed records still join.
    pub fn within_episode(mut self, t0: i64, t1: i64) -> Self {
        self.episode = (t0, t1);
        self
    }

    fn in_episode(&self, i: usize) -> bool {
        let t = self.ctx.when(i);
        t == i64::MIN || (t >= self.episode.0 && t < self.episode.1)
    }

    pub fn full(&self) -> bool {
        self.recs.len() >= MAX_FLOW_RECORDS
    }

    pub fn has(&self, i: usize) -> bool {
        self.recs.contains(&i)
    }

    /// Adds a record without a reason (the seed of the flow).
    pub fn add(&mut self, i: usize) -> bool {
        if !self.in_episode(i) {
            return false;
        }
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
        let all = self.ctx.id_within(id.0, &id.1, t0, t1);
        let mut matched: Vec<usize> = Vec::new();
        for &r in &all {
            let r = r as usize;
            if self.in_episode(r) && keep(r) {
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
        self.ctx.timed_span(self.recs.iter().copied()).unwrap_or((i64::MAX, i64::MIN))
    }

    /// "listener.log L6, ctisvr.txt L6 and opc.txt L1": grouped by file, at most 4 lines per file and
    /// 6 files named.
    pub fn locs(&self, recs: &[usize]) -> String {
        let mut out = String::new();
        self.write_locs(&mut out, recs);
        out
    }

    /// `locs` written at the end of `out` (one buffer, no text made per line or file).
    fn write_locs(&self, out: &mut String, recs: &[usize]) {
        use std::fmt::Write as _;
        const SHOWN: usize = 4;
        const FILES_NAMED: usize = 6;
        // (short file name, its first lines, how many lines): files of the same short name (two
        // servers' ctisvr.txt) are one group. A hot ID links a hundred thousand records: each is
        // looked up by its file's index, not by a name made for it.
        let mut groups: Vec<(&str, [u32; SHOWN], usize)> = Vec::new();
        let mut group_of_file: Vec<(u32, usize)> = Vec::new();
        for &r in recs {
            let (file, line) = self.ctx.rec(r).map_or((u32::MAX, 0), |x| (x.file(), x.line()));
            let g = match group_of_file.iter().find(|(f, _)| *f == file) {
                Some(&(_, g)) => g,
                None => {
                    let name = self.ctx.short_file_name(r);
                    let g = match groups.iter().position(|(n, _, _)| *n == name) {
                        Some(g) => g,
                        None => {
                            groups.push((name, [0; SHOWN], 0));
                            groups.len() - 1
                        }
                    };
                    group_of_file.push((file, g));
                    g
                }
            };
            if let Some((_, lines, count)) = groups.get_mut(g) {
                if let Some(slot) = lines.get_mut(*count) {
                    *slot = line;
                }
                *count += 1;
            }
        }
        let named = groups.len().min(FILES_NAMED);
        let parts = named + usize::from(groups.len() > FILES_NAMED);
        for (k, (name, lines, count)) in groups.iter().take(FILES_NAMED).enumerate() {
            out.push_str(separator(k, parts));
            out.push_str(name);
            out.push(' ');
            for (j, line) in lines.iter().take((*count).min(SHOWN)).enumerate() {
                if j > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "L{line}");
            }
            if *count > SHOWN {
                let _ = write!(out, " (+{})", count - SHOWN);
            }
        }
        if groups.len() > FILES_NAMED {
            out.push_str(separator(named, parts));
            let _ = write!(out, "{} more files", groups.len() - FILES_NAMED);
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
    pub fn finish(self, kind: &'static str, key: String, classify: impl Fn(&Ctx, usize) -> Option<StepSpec>) -> Option<Box<Flow>> {
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
        let mut participants: Vec<&'static str> = Vec::new();
        let mut files: Vec<std::sync::Arc<str>> = Vec::new();
        let mut kept: Vec<(u32, StepSpec, usize)> = Vec::with_capacity(steps.len());
        for (stage, _, i, spec) in steps {
            for p in [spec.from, spec.to] {
                if !participants.contains(&p) {
                    participants.push(p);
                }
            }
            if let Some(path) = ctx.rec(i).and_then(|r| ctx.paths.get(r.file() as usize)) {
                if !files.contains(path) {
                    files.push(path.clone());
                }
            }
            kept.push((stage, spec, i));
        }
        let out_steps = fold_repeats(kept);
        let grouped: Vec<String> = self
            .reasons
            .iter()
            .map(|(why, recs)| {
                let mut text = String::with_capacity(64 + why.len());
                self.write_locs(&mut text, recs);
                text.push_str(": ");
                text.push_str(why);
                text
            })
            .collect();
        let mut links = self.links;
        links.extend(grouped);
        let mut seen = BTreeSet::new();
        links.retain(|l| seen.insert(l.clone()));
        if links.len() > MAX_LINKS {
            let more = links.len() - MAX_LINKS;
            links.truncate(MAX_LINKS);
            links.push(format!("… and {more} more links of the same kinds"));
        }
        // Boxed: few flows are cut, and every flow holds the field.
        let truncated = (self.dropped > 0).then(|| Box::new(super::Truncated { shown: self.recs.len(), total: self.recs.len() + self.dropped }));
        if let Some(t) = &truncated {
            links.push(format!("only the first {} of {} linked records are shown: narrow the time range or the ID to see the rest", t.shown, t.total));
        }
        let key = key.into_boxed_str();
        let names: Vec<&str> = files.iter().map(|p| short_name(p)).collect();
        let links = super::Texts::with_names(&links, &names);
        Some(Box::new(Flow { kind, key, participants: participants.into(), steps: out_steps, links, files: files.into(), truncated }))
    }
}

/// What goes before part `k` of `parts` in "a; b; and c" ("a" alone, "a; and b" for two).
fn separator(k: usize, parts: usize) -> &'static str {
    if k == 0 {
        ""
    } else if k + 1 == parts {
        "; and "
    } else {
        "; "
    }
}

/// Link reasons listed per flow (a sign-in with dozens of polled GETs explains the first ones).
pub const MAX_LINKS: usize = 32;

/// Steps of one run kept as they are; a longer run is folded (see `fold_repeats`).
pub const MAX_RUN: usize = 6;

/// Longest cycle of steps folded as a unit (a BOSH poll, its "last active" check and its answer).
const MAX_PERIOD: usize = 4;

/// A cycle of two or more steps is folded from this many repetitions on (first and last kept,
/// the ones between counted): fewer would not shorten the flow.
const MIN_CYCLE_REPS: usize = 4;
// `fold_repeats` skips flows of `MAX_RUN` steps or fewer: no cycle fits in them.
const _: () = assert!(2 * MIN_CYCLE_REPS > MAX_RUN);

/// Folds repeats: a run of the same step longer than `MAX_RUN`, or a cycle of up to
/// `MAX_PERIOD` steps repeated `MIN_CYCLE_REPS` times or more (a day of BOSH polls alternating
/// with "last active" checks), keeps its first and last occurrence; the ones between become one
/// counted step per place in the cycle, spanning their numbers ("last active 1200…29800 ms ago",
/// count 2878). Steps are the same when their stage, lanes and label match with every word that
/// holds a digit (rid, sid, requestId, times) taken as equal. Linear: each place tries a few
/// periods, each bounded by the fold threshold unless it folds and moves past the repeats.
fn fold_repeats(steps: Vec<(u32, StepSpec, usize)>) -> Steps {
    let n = steps.len();
    // Where folds start: (first step, period, repetitions).
    let mut folds: Vec<(usize, usize, usize)> = Vec::new();
    // Each step's shape written once (see `Shapes`). A flow of `MAX_RUN` steps or fewer has
    // nothing to fold (a run needs more, a cycle twice as many).
    let shapes = if n > MAX_RUN { Shapes::of(steps.iter().map(|(stage, spec, _)| (*stage, spec))) } else { Shapes::default() };
    let same = |a: usize, b: usize| shapes.same(a, b);
    let mut i = if n > MAX_RUN { 0 } else { n };
    while i < n {
        let mut next = i + 1;
        for p in 1..=MAX_PERIOD.min(n - i) {
            let mut reps = 1;
            while i + (reps + 1) * p <= n && (0..p).all(|k| same(i + k, i + reps * p + k)) {
                reps += 1;
            }
            let enough = if p == 1 { reps > MAX_RUN } else { reps >= MIN_CYCLE_REPS };
            if enough {
                folds.push((i, p, reps));
                next = i + reps * p;
                break;
            }
        }
        i = next;
    }
    let mut slots: Vec<Option<(u32, StepSpec, usize)>> = steps.into_iter().map(Some).collect();
    let mut take = |k: usize| slots.get_mut(k).and_then(Option::take);
    // Exactly what is kept: each fold keeps three of its `reps` repetitions (first, counted, last).
    let kept = n - folds.iter().map(|&(_, p, reps)| p * reps.saturating_sub(3)).sum::<usize>();
    let mut out = StepsBuilder::with_capacity(kept);
    let step_of = |out: &mut StepsBuilder, (_, spec, i): (u32, StepSpec, usize)| {
        out.push(i, spec.from, spec.to, &spec.label);
    };
    let mut at = 0;
    for (start, p, reps) in folds {
        for s in (at..start + p).filter_map(&mut take) {
            step_of(&mut out, s);
        }
        // The middle repetitions: one counted step per place in the cycle.
        let middle = reps - 2;
        for k in 0..p {
            let first = take(start + p + k);
            let last = take(start + (reps - 2) * p + k);
            let Some((_, a, ra)) = first else { continue };
            let (z_label, rz) = match &last {
                Some((_, z, rz)) => (z.label.as_str(), *rz),
                None => (a.label.as_str(), ra),
            };
            // The count is the step's own field: every view draws it ("× 2877 …").
            let folded = out.push(ra, a.from, a.to, &word_range(&a.label, z_label));
            folded.count = middle as u32;
            folded.last_record = LastRecord::some(rz);
        }
        at = start + (reps - 1) * p;
    }
    for s in (at..n).filter_map(&mut take) {
        step_of(&mut out, s);
    }
    out.finish()
}

/// Steps' shapes, written once each as bytes — stage, lanes, then per word a 0 for a word with a
/// digit, or its length and bytes — with their hash, in one buffer for the flow. Two steps are
/// the same (equal stages and lanes, labels equal by `same_words`) exactly when their shapes'
/// bytes are equal, so a comparison is a hash test and rarely a compare of bytes (a run of a
/// day's polls compared every label with its neighbours' word by word).
#[derive(Default)]
struct Shapes {
    bytes: Vec<u8>,
    /// Per step: its shape's hash, and where its bytes end.
    ends: Vec<(u64, usize)>,
}

impl Shapes {
    fn of<'s>(steps: impl ExactSizeIterator<Item = (u32, &'s StepSpec)> + Clone) -> Self {
        use std::hash::Hasher;
        // A text: 1, its length (one byte below 255, else 255 and eight), its bytes.
        fn put_text(bytes: &mut Vec<u8>, t: &str) {
            bytes.push(1);
            match u8::try_from(t.len()) {
                Ok(n) if n < u8::MAX => bytes.push(n),
                _ => {
                    bytes.push(u8::MAX);
                    bytes.extend_from_slice(&(t.len() as u64).to_le_bytes());
                }
            }
            bytes.extend_from_slice(t.as_bytes());
        }
        let room: usize = steps.clone().map(|(_, spec)| spec.label.len() + spec.from.len() + spec.to.len() + 16).sum();
        let mut out = Shapes { bytes: Vec::with_capacity(room), ends: Vec::with_capacity(steps.len()) };
        for (stage, spec) in steps {
            let start = out.bytes.len();
            out.bytes.extend_from_slice(&stage.to_le_bytes());
            put_text(&mut out.bytes, spec.from);
            put_text(&mut out.bytes, spec.to);
            for (word, digits) in words(&spec.label) {
                if digits {
                    out.bytes.push(0);
                } else {
                    put_text(&mut out.bytes, word);
                }
            }
            let mut h = crate::model::FxHasher::default();
            h.write(out.bytes.get(start..).unwrap_or(&[]));
            out.ends.push((h.finish(), out.bytes.len()));
        }
        out
    }

    /// Step `k`'s hash and bytes.
    fn get(&self, k: usize) -> Option<(u64, &[u8])> {
        let start = k.checked_sub(1).and_then(|j| self.ends.get(j)).map_or(0, |&(_, e)| e);
        let &(h, end) = self.ends.get(k)?;
        Some((h, self.bytes.get(start..end)?))
    }

    /// Whether steps `a` and `b` are the same (false past the end).
    fn same(&self, a: usize, b: usize) -> bool {
        matches!((self.get(a), self.get(b)), (Some((ha, x)), Some((hb, y))) if ha == hb && x == y)
    }
}

/// True when `a` and `b` differ only in words that hold a digit.
fn same_words(a: &str, b: &str) -> bool {
    let (mut x, mut y) = (words(a), words(b));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some((p, pd)), Some((q, qd))) if pd && qd || p == q => {}
            _ => return false,
        }
    }
}

/// `a` with each word that differs in `z` written as a range: ("rid 17", "rid 42") → "rid 17…42";
/// a varying ID that is not a number becomes "…".
fn word_range(a: &str, z: &str) -> String {
    if !same_words(a, z) {
        return a.to_string();
    }
    words(a)
        .zip(words(z))
        .map(|((x, _), (y, _))| match () {
            _ if x == y => x.to_string(),
            _ if is_number(x) && is_number(y) => format!("{x}…{y}"),
            _ => "…".to_string(),
        })
        .collect()
}

fn is_number(w: &str) -> bool {
    w.bytes().next().is_some_and(|c| c.is_ascii_digit()) && w.bytes().all(|c| c.is_ascii_digit() || c == b'.')
}

/// The message name of a record: CTI message name, MessageType, record name, or its first words.
pub fn message_name(ctx: &Ctx, i: usize) -> String {
    let Some(r) = ctx.rec(i) else { return String::new() };
    for k in ["cti_message_name", "MessageType", "msg_type"] {
        if let Some(v) = super::ids::field(r, k) {
            return v.to_string();
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
            let v = if k == "requestId" { v.chars().take(8).collect::<String>() + "…" } else { v.to_string() };
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
pub fn adhoc_flow(session: &Session, id_value: &str) -> Option<Box<Flow>> {
    let mut which: Vec<usize> = Vec::new();
    for id in super::ids::normalise_query(id_value) {
        which.extend(session.ids.get(id.0, &id.1).iter().map(|&r| r as usize));
        if let Some((a, ev)) = session.ids.agent_alias(id.0, &id.1) {
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

pub fn adhoc_in(ctx: &Ctx, id_value: &str) -> Option<Box<Flow>> {
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
        let path = ctx.paths.get(r.file() as usize).cloned().unwrap_or_else(|| std::sync::Arc::from(""));
        let (from, to) = (lifeline(r.rec), default_peer(r.rec));
        return Some(Box::new(Flow {
            kind: "adhoc",
            key: key.into(),
            participants: [from, to].into(),
            steps: {
                let mut steps = StepsBuilder::with_capacity(1);
                steps.push(i, from, to, &default_label(ctx, i));
                steps.finish()
            },
            links: b.links.into(),
            files: Box::new([path]),
            truncated: None,
        }));
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

/// Bounds on the timeline for consecutive episodes of one key, given each one's first and last
/// time in order (`i64::MIN` when untimed): each ends where the next begins, `pre` before the
/// next one's first record, or halfway between them when they are closer. Records of a
/// neighbouring episode then stay out of a flow's windows (see `Builder::within_episode`).
pub fn episode_bounds(spans: &[(i64, i64)], pre: i64) -> Vec<(i64, i64)> {
    let mut out = vec![(i64::MIN, i64::MAX); spans.len()];
    for k in 1..spans.len() {
        let (end, start) = (spans[k - 1].1, spans[k].0);
        if end == i64::MIN || start == i64::MIN || start <= end {
            continue;
        }
        let cut = start.saturating_sub(pre.min(start.saturating_sub(end) / 2));
        out[k - 1].1 = cut;
        out[k].0 = cut;
    }
    out
}

/// Groups records by an ID kind: value → records, in index order (deterministic). Borrowed from
/// the ID index: a busy day has a hundred thousand tasks, and a copy of each one's list doubled
/// what the index holds while the flows were built.
pub fn values_of<'a>(ctx: &Ctx<'a>, kind: IdKind) -> Vec<(&'a str, &'a [u32])> {
    let mut v: Vec<(&str, &[u32])> = ctx.idx.of_kind(kind).collect();
    v.sort_by(|a, b| (a.1.first().copied().unwrap_or(0), a.0).cmp(&(b.1.first().copied().unwrap_or(0), b.0)));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn episode_bounds_cut_between_neighbours_only() {
        let m = 60_000;
        // Far apart: cut `pre` before the next; close: halfway; overlapping or untimed: no cut.
        let b = episode_bounds(&[(0, m), (60 * m, 61 * m), (62 * m, 63 * m), (62 * m, 70 * m), (i64::MIN, i64::MIN), (80 * m, 81 * m)], 5 * m);
        assert_eq!(b[0], (i64::MIN, 55 * m));
        assert_eq!(b[1], (55 * m, 61 * m + m / 2));
        assert_eq!(b[2], (61 * m + m / 2, i64::MAX), "the next one starts before this one ends");
        assert_eq!(b[3], (i64::MIN, i64::MAX));
        assert_eq!(b[5], (i64::MIN, i64::MAX), "after an untimed episode");
    }

    fn spec(stage: u32, label: &str) -> StepSpec {
        StepSpec::new(stage, "Finesse desktop", "Notification service", label)
    }

    fn fold(labels: &[String]) -> Steps {
        fold_repeats(labels.iter().enumerate().map(|(i, l)| (1, spec(1, l), i)).collect())
    }

    /// Steps have the same shape exactly when the comparison it replaced said they were
    /// the same (stage, lanes, and labels by `same_words`), for every pair of a few thousand
    /// steps made of a grammar of words, digits, IDs, separators and non-ASCII text.
    #[test]
    fn shapes_are_equal_exactly_for_the_same_steps() {
        let pieces = ["poll", "Poll", " ", "(", ")", "sid", "42", "7", "a1b2", "-", ".", "é", "x9y", "", "rid 17"];
        let labels = crate::test_support::every_text(&pieces, 3, 8);
        let lanes = ["Finesse desktop", "Notification service", "Finesse"];
        let mut steps: Vec<(u32, StepSpec)> = Vec::new();
        for (k, label) in labels.iter().enumerate() {
            let stage = (k % 2) as u32;
            steps.push((stage, StepSpec::new(stage, lanes[k % 3], lanes[(k / 3) % 3], label.as_str())));
        }
        let shapes = Shapes::of(steps.iter().map(|(stage, spec)| (*stage, spec)));
        assert!(!shapes.same(0, steps.len()), "past the end");
        let mut same_pairs = 0;
        for (a, (sa, x)) in steps.iter().enumerate() {
            for (b, (sb, y)) in steps.iter().enumerate() {
                let same = sa == sb && x.from == y.from && x.to == y.to && same_words(&x.label, &y.label);
                assert_eq!(shapes.same(a, b), same, "{:?} / {:?}", x.label, y.label);
                same_pairs += usize::from(same && a != b);
            }
        }
        assert!(same_pairs > 1000, "{same_pairs} pairs of different steps are the same");
    }

    #[test]
    fn words_holding_digits_are_equal() {
        assert!(same_words("BOSH poll (sid afb139f0)", "BOSH poll (sid 0c2d9e11)"));
        assert!(same_words("Update (requestId 81f4c8da-145e-4fa4-a819-b27ee15f9dd6)", "Update (requestId ba4f2ab1-0e3b-4d1c-a2b2-1b2c3c4d5e6f)"));
        assert!(!same_words("AGENT_EVENT READY", "AGENT_EVENT NOT_READY"));
        assert!(!same_words("poll", "poll again"));
        assert_eq!(word_range("last active 29057 ms ago", "last active 30334 ms ago"), "last active 29057…30334 ms ago");
        assert_eq!(
            word_range("long poll (29.8 s) → Update (requestId 81f4c8da-1)", "long poll (30.1 s) → Update (requestId ba4f2ab1-2)"),
            "long poll (29.8…30.1 s) → Update (requestId …)"
        );
    }

    #[test]
    fn a_day_of_alternating_polls_folds_to_three_cycles() {
        let mut labels = Vec::new();
        for k in 0..2879 {
            labels.push(format!("BOSH poll rid {}", 100 + k));
            labels.push(format!("session afb139f0 last active {} ms ago", 29_000 + k % 1000));
        }
        labels.push("closing idle session afb139f0".to_string());
        let steps = fold(&labels);
        let got: Vec<(String, u32)> = steps.labelled().map(|(s, label)| (label.into_owned(), s.count)).collect();
        let got: Vec<(&str, u32)> = got.iter().map(|(l, n)| (l.as_str(), *n)).collect();
        assert_eq!(
            got,
            vec![
                ("BOSH poll rid 100", 1),
                ("session afb139f0 last active 29000 ms ago", 1),
                ("BOSH poll rid 101…2977", 2877),
                ("session afb139f0 last active 29001…29877 ms ago", 2877),
                ("BOSH poll rid 2978", 1),
                ("session afb139f0 last active 29878 ms ago", 1),
                ("closing idle session afb139f0", 1),
            ]
        );
        // The counted steps point at their first and last records; nothing is lost from the count.
        assert_eq!((steps[2].record, steps[2].last_record.get()), (2, Some(5754)));
        assert_eq!(steps.iter().map(|s| s.count as usize).sum::<usize>(), labels.len());
    }

    #[test]
    fn short_repeats_and_runs_stay_as_they_are() {
        // Six identical polls (MAX_RUN) and three repetitions of a pair stay whole.
        let mut labels: Vec<String> = (0..MAX_RUN).map(|_| "poll SocialMiner: no events".to_string()).collect();
        for k in 0..3 {
            labels.push(format!("GET Dialogs {k}"));
            labels.push("Update received".to_string());
        }
        let steps = fold(&labels);
        assert_eq!(steps.len(), labels.len());
        // One more poll folds the run: first, counted middle, last.
        labels.insert(0, "poll SocialMiner: no events".to_string());
        let steps = fold(&labels);
        assert_eq!(steps.len(), labels.len() - (MAX_RUN + 1) + 3);
        assert_eq!((steps.label(1).as_ref(), steps[1].count), ("poll SocialMiner: no events", MAX_RUN as u32 - 1));
    }

    #[test]
    fn a_cycle_of_three_folds_and_stages_tell_steps_apart() {
        let mut labels = Vec::new();
        for k in 0..10 {
            labels.push(format!("BOSH poll (sid fc978e67) rid {k}"));
            labels.push(format!("request rid {k} sends presence"));
            labels.push(format!("long poll rid {k} → Update User NOT_READY"));
        }
        assert_eq!(fold(&labels).len(), 9);
        // The same label at two stages is two steps: a cycle of two, not a run of one.
        let mixed: Vec<(u32, StepSpec, usize)> = (0..20).map(|i| (i as u32 % 2, spec(i as u32 % 2, "BOSH poll"), i)).collect();
        let folded = fold_repeats(mixed);
        assert_eq!(folded.iter().map(|s| (s.record(), s.count)).collect::<Vec<_>>(), vec![(0, 1), (1, 1), (2, 8), (3, 8), (18, 1), (19, 1)]);
    }
}
