//! The engine the page's worker runs, and the messages it answers.
//!
//! The worker owns the session (Perfetto's model): the page sends small JSON requests and gets back
//! only what it shows — a window of rows, one record's details, a histogram — so a million records
//! never cross to the main thread. Everything here is plain Rust, tested natively.

use crate::model::FileStatus;
use crate::session::Session;
use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Which records the merged view shows.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Filter {
    /// Text the record must contain (case-insensitive), or a regex when `regex` is set.
    pub text: String,
    pub regex: bool,
    /// Hidden files, components, severities and message names.
    pub hide_files: Vec<u32>,
    pub hide_components: Vec<String>,
    pub hide_severities: Vec<String>,
    pub hide_names: Vec<String>,
    /// Only records that carry this ID value in a field or their text.
    pub id: String,
    /// Only records in this UTC range (ms), from the histogram zoom.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

/// A request from the page.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Request {
    /// Files, counts and facets after a load.
    Summary,
    /// Only the file rows (while a load runs).
    Files,
    /// A window of the filtered timeline.
    Rows {
        filter: Filter,
        start: usize,
        count: usize,
    },
    /// One record's fields and raw lines with context, by timeline position.
    Record {
        pos: usize,
    },
    /// Counts per time bucket over the filtered timeline.
    Histogram {
        filter: Filter,
        buckets: usize,
    },
    /// Next (or previous) filtered row at or after `from` whose text matches `query`.
    Find {
        filter: Filter,
        query: String,
        regex: bool,
        from: usize,
        forward: bool,
    },
    /// The flows found, and one flow's steps with their records.
    Flows,
    Flow {
        index: usize,
    },
    /// The per-file clock panel: date, UTC offset and skew for a file.
    SetClock {
        file: u32,
        date: Option<(i32, u32, u32)>,
        utc_offset_min: Option<i32>,
        skew_ms: i64,
    },
    /// What the sanitized export would mask (the preview), with the user's extra patterns.
    ExportPreview {
        patterns: Vec<String>,
    },
    /// An ad-hoc flow over every record that carries this ID value.
    AdhocFlow {
        id: String,
    },
    /// State timelines (agent per MRD, Finesse user, dialog, contact, chat session, BOSH session).
    States,
    /// Forget everything loaded.
    Clear,
}

pub struct Engine {
    pub session: Session,
    /// Timeline position of each record (the inverse of `session.timeline`), rebuilt on refresh.
    positions: Vec<u32>,
    /// Cached filtered view: the filter it was made for and the timeline positions that pass.
    view: Option<(Filter, Vec<u32>)>,
    /// True when the last load did not run the analysis (Cancel, or the page found it would not fit
    /// in memory): a clock change then re-orders the timeline only, never starts it unasked.
    pub analysis_off: bool,
}

impl Default for Engine {
    fn default() -> Self {
        Engine { session: Session::new(), positions: Vec::new(), view: None, analysis_off: false }
    }
}

fn compile(pattern: &str, regex: bool) -> Result<Regex, String> {
    let p = if regex { pattern.to_string() } else { regex::escape(pattern) };
    RegexBuilder::new(&p).case_insensitive(true).size_limit(1 << 22).build().map_err(|e| e.to_string())
}

impl Engine {
    pub fn new() -> Self {
        Self::default()
    }

    /// Call after files were added: re-runs time resolution, ordering and correlation.
    pub fn refresh(&mut self) {
        self.refresh_index();
        if !self.analysis_off {
            self.session.analyze();
        }
    }

    /// Finishes an analysis decoded in steps (`Session::begin_analysis`): flows, findings, states.
    pub fn analyze_with(&mut self, a: crate::session::Analysis) {
        self.session.finish_analysis(a);
        self.view = None;
    }

    /// Time resolution and ordering only (the merged view is usable; flows come with `analyze`).
    pub fn refresh_index(&mut self) {
        self.session.finish_index();
        self.positions = vec![0; self.session.records.len()];
        for (pos, &ri) in self.session.timeline.iter().enumerate() {
            if let Some(p) = self.positions.get_mut(ri as usize) {
                *p = pos as u32;
            }
        }
        self.view = None;
    }

    /// Answers a request as a JSON value (errors as `{"error": …}`, never a panic).
    pub fn handle(&mut self, req: Request) -> Value {
        match req {
            Request::Summary => self.summary(),
            Request::Files => self.files_only(),
            Request::Rows { filter, start, count } => self.rows(&filter, start, count.min(2000)),
            Request::Record { pos } => self.record(pos),
            Request::Histogram { filter, buckets } => self.histogram(&filter, buckets.clamp(1, 2000)),
            Request::Find { filter, query, regex, from, forward } => self.find(&filter, &query, regex, from, forward),
            Request::Flows => self.flows(),
            Request::Flow { index } => self.flow(index),
            Request::SetClock { file, date, utc_offset_min, skew_ms } => {
                if let Some(f) = self.session.files.get_mut(file as usize) {
                    f.clock.date = date;
                    f.clock.utc_offset_min = utc_offset_min;
                    f.clock.skew_ms = skew_ms;
                    f.clock.source = "set by you".into();
                    self.session.user_clocks.insert(file);
                }
                self.refresh();
                self.summary()
            }
            Request::ExportPreview { patterns } => self.export_preview(&patterns),
            Request::AdhocFlow { id } => self.adhoc_flow(&id),
            Request::States => self.states(),
            Request::Clear => {
                *self = Engine::new();
                self.summary()
            }
        }
    }

    fn view(&mut self, filter: &Filter) -> Result<&[u32], String> {
        let fresh = matches!(&self.view, Some((f, _)) if f == filter);
        if !fresh {
            let v = self.compute_view(filter)?;
            self.view = Some((filter.clone(), v));
        }
        Ok(self.view.as_ref().map(|(_, v)| v.as_slice()).unwrap_or(&[]))
    }

    fn compute_view(&self, f: &Filter) -> Result<Vec<u32>, String> {
        let s = &self.session;
        let text_re = if f.text.is_empty() { None } else { Some(compile(&f.text, f.regex)?) };
        let id = f.id.trim();
        // Records that carry the ID in a decoded form (hex InvokeID, ARM dump, another spelling of a
        // task key), from the session's ID index; the raw text is checked as well.
        let mut id_records: std::collections::HashSet<u32> = std::collections::HashSet::new();
        if !id.is_empty() {
            for (kind, value) in crate::correlate::ids::normalise_query(id) {
                id_records.extend(s.ids.get(kind, &value).iter().copied());
            }
        }
        let hide_components: Vec<crate::model::Sym> = f.hide_components.iter().filter_map(|h| crate::model::Sym::new(h)).collect();
        let hide_names: Vec<crate::model::Sym> = f.hide_names.iter().filter_map(|h| crate::model::Sym::new(h)).collect();
        let mut out = Vec::new();
        for (pos, &ri) in s.timeline.iter().enumerate() {
            let Some(r) = s.records.get(ri as usize) else { continue };
            if f.hide_files.contains(&r.file) {
                continue;
            }
            if r.component.is_some_and(|c| hide_components.contains(&c)) {
                continue;
            }
            if !f.hide_severities.is_empty() {
                if let Some(sev) = r.severity() {
                    if f.hide_severities.iter().any(|h| h.eq_ignore_ascii_case(sev)) {
                        continue;
                    }
                }
            }
            if r.name.is_some_and(|n| hide_names.contains(&n)) {
                continue;
            }
            if f.from_ms.is_some() || f.to_ms.is_some() {
                match r.utc_ms() {
                    Some(ms) if f.from_ms.is_none_or(|a| ms >= a) && f.to_ms.is_none_or(|b| ms <= b) => {}
                    _ => continue,
                }
            }
            let text = s.record_text(r);
            if !id.is_empty() && !text.contains(id) && !id_records.contains(&ri) {
                continue;
            }
            if let Some(re) = &text_re {
                if !re.is_match(text) && !r.name().is_some_and(|n| re.is_match(n)) {
                    continue;
                }
            }
            out.push(pos as u32);
        }
        Ok(out)
    }

    /// The file rows only (cheap: what the page refreshes while a load is running).
    fn files_only(&self) -> Value {
        json!({"files": self.file_rows(), "records": self.session.records.len(), "partial": true})
    }

    fn file_rows(&self) -> Vec<Value> {
        let s = &self.session;
        let counts = s.record_counts();
        // Files with times that could not be placed in UTC (the clock panel offers to fix them).
        let mut needs_clock = vec![false; s.files.len()];
        for r in &s.records {
            if r.time.as_ref().is_some_and(|t| t.utc_ms().is_none()) {
                if let Some(n) = needs_clock.get_mut(r.file as usize) {
                    *n = true;
                }
            }
        }
        let files: Vec<Value> = s
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                json!({
                    "index": i,
                    "path": f.path,
                    "format": f.format,
                    "size": f.size,
                    "encoding": f.encoding,
                    "status": match f.status { FileStatus::Loaded => "loaded", FileStatus::Skipped => "skipped", FileStatus::Failed => "failed" },
                    "records": counts.get(i).copied().unwrap_or(0),
                    "problems": f.problems.iter().map(|p| json!({"code": p.code, "message": p.message})).collect::<Vec<_>>(),
                    "clock": f.clock,
                    "needs_clock": needs_clock.get(i).copied().unwrap_or(false),
                })
            })
            .collect();
        files
    }

    fn summary(&self) -> Value {
        let s = &self.session;
        let files = self.file_rows();
        // Facets for the filter panel: component, severity and name with their counts.
        // Counted per label first (4-byte keys), then named.
        let mut by_sym: [std::collections::HashMap<crate::model::Sym, usize>; 3] = Default::default();
        for r in &s.records {
            for (m, l) in by_sym.iter_mut().zip([r.component, r.severity, r.name]) {
                if let Some(l) = l {
                    *m.entry(l).or_default() += 1;
                }
            }
        }
        let named = |m: &std::collections::HashMap<crate::model::Sym, usize>| -> std::collections::BTreeMap<&'static str, usize> {
            m.iter().map(|(k, v)| (k.as_str(), *v)).collect()
        };
        let (comps, sevs, names) = (named(&by_sym[0]), named(&by_sym[1]), named(&by_sym[2]));
        let (t0, t1) = time_span(s);
        json!({
            "files": files,
            "records": s.records.len(),
            "components": comps,
            "severities": sevs,
            "names": names,
            "flows": s.flows.len(),
            "findings": s.findings.iter().map(|f| json!({
                "code": f.code, "severity": f.severity, "summary": f.summary,
                "records": f.records.iter().filter_map(|&ri| self.positions.get(ri).copied()).collect::<Vec<_>>(),
                "suggestion": f.suggestion,
            })).collect::<Vec<_>>(),
            "from_ms": t0, "to_ms": t1,
        })
    }

    fn row_json(&self, pos: usize) -> Value {
        let s = &self.session;
        // Rows are decoded when shown: the summary reads the fields.
        let Some(r) = s.timeline.get(pos).and_then(|&i| s.decoded(i as usize)) else { return Value::Null };
        let r = &r;
        let file = s.files.get(r.file as usize);
        let text = s.record_text(r);
        let time_text = s.time_text(r);
        let (utc, zone) = match &r.time {
            Some(t) => (t.utc_ms().map(crate::time::iso_utc), t.zone_text()),
            None => (None, ""),
        };
        json!({
            "pos": pos,
            "time": time_text,
            "utc": utc,
            "zone": zone,
            "file": r.file,
            "source": file.map(|f| short_name(&f.path)).unwrap_or_default(),
            "format": r.format(),
            "component": r.component,
            "severity": r.severity,
            "name": r.name,
            "summary": summary_of(text, Some(time_text).filter(|t| !t.is_empty()), r.component(), r.fields()),
            "lines": r.line_end.saturating_sub(r.line) + 1,
            "notes": !r.notes().is_empty(),
        })
    }

    fn rows(&mut self, filter: &Filter, start: usize, count: usize) -> Value {
        let view: Vec<u32> = match self.view(filter) {
            Ok(v) => v.get(start.min(v.len())..(start.saturating_add(count)).min(v.len())).unwrap_or(&[]).to_vec(),
            Err(e) => return json!({"error": format!("invalid search: {e}"), "total": 0, "rows": []}),
        };
        let total = self.view.as_ref().map(|(_, v)| v.len()).unwrap_or(0);
        let rows: Vec<Value> = view.iter().map(|&p| self.row_json(p as usize)).collect();
        json!({"total": total, "start": start, "rows": rows})
    }

    fn record(&self, pos: usize) -> Value {
        let s = &self.session;
        let Some(r) = s.timeline.get(pos).and_then(|&i| s.decoded(i as usize)) else {
            return json!({"error": "no such record"});
        };
        let r = &r;
        let Some(file) = s.files.get(r.file as usize) else { return json!({"error": "no such file"}) };
        // Raw lines with five lines of context either side.
        let mut context = Vec::new();
        if r.own_text().is_none() && r.line > 0 {
            let first = (r.line as usize).saturating_sub(6);
            let last = (r.line_end as usize + 5).min(file.line_starts.len());
            for i in first..last {
                if let Some(l) = line_at(&file.text, &file.line_starts, i) {
                    context.push(json!({"n": i + 1, "text": l, "own": i + 1 >= r.line as usize && i < r.line_end as usize}));
                }
            }
        }
        let mut v = self.row_json(pos);
        v["path"] = json!(file.path);
        v["line"] = json!(r.line);
        v["line_end"] = json!(r.line_end);
        v["fields"] = Value::Object(r.fields().to_map());
        v["notes"] = json!(r.notes());
        v["text"] = json!(s.record_text(r));
        v["context"] = json!(context);
        v["clock"] = json!(file.clock);
        v
    }

    fn histogram(&mut self, filter: &Filter, buckets: usize) -> Value {
        let (t0, t1) = match (filter.from_ms, filter.to_ms) {
            (Some(a), Some(b)) if b > a => (Some(a), Some(b)),
            _ => time_span(&self.session),
        };
        let (Some(t0), Some(t1)) = (t0, t1) else { return json!({"buckets": [], "from_ms": null, "to_ms": null}) };
        let view = match self.view(filter) {
            Ok(v) => v.to_vec(),
            Err(e) => return json!({"error": e}),
        };
        let span = (t1 - t0).max(1) as f64;
        let mut counts = vec![0u64; buckets];
        for p in view {
            let s = &self.session;
            if let Some(ms) = s.timeline.get(p as usize).and_then(|&i| s.records.get(i as usize)).and_then(|r| r.utc_ms()) {
                let b = (((ms - t0) as f64 / span) * buckets as f64) as isize;
                if let Some(c) = counts.get_mut(b.clamp(0, buckets as isize - 1) as usize) {
                    *c += 1;
                }
            }
        }
        json!({"buckets": counts, "from_ms": t0, "to_ms": t1})
    }

    fn find(&mut self, filter: &Filter, query: &str, regex: bool, from: usize, forward: bool) -> Value {
        let re = match compile(query, regex) {
            Ok(r) => r,
            Err(e) => return json!({"error": format!("invalid search: {e}")}),
        };
        let view = match self.view(filter) {
            Ok(v) => v.to_vec(),
            Err(e) => return json!({"error": e}),
        };
        let s = &self.session;
        let hit = |idx: usize| -> bool {
            view.get(idx).and_then(|&p| s.timeline.get(p as usize)).and_then(|&i| s.records.get(i as usize)).is_some_and(|r| re.is_match(s.record_text(r)))
        };
        let n = view.len();
        if n == 0 {
            return json!({"index": null});
        }
        let start = from.min(n - 1);
        for k in 0..n {
            let idx = if forward { (start + k) % n } else { (start + n - k) % n };
            if hit(idx) {
                return json!({"index": idx, "wrapped": if forward { idx < start } else { idx > start }});
            }
        }
        json!({"index": null})
    }

    fn export_preview(&self, patterns: &[String]) -> Value {
        let extra = match crate::export::compile_patterns(patterns) {
            Ok(e) => e,
            Err(e) => return json!({"error": e}),
        };
        let (files, hits) = crate::export::sanitize_session(&self.session, &extra);
        let mut by_kind: std::collections::BTreeMap<&str, usize> = Default::default();
        for h in &hits {
            *by_kind.entry(h.kind.as_str()).or_default() += 1;
        }
        json!({"files": files.len(), "hits": hits.len(), "by_kind": by_kind, "sample": hits.iter().take(200).collect::<Vec<_>>()})
    }

    fn adhoc_flow(&mut self, id: &str) -> Value {
        let id = id.trim();
        if id.is_empty() {
            return json!({"error": "give an ID value"});
        }
        match crate::correlate::adhoc_flow(&self.session, id) {
            Some(f) => {
                self.session.flows.push(f);
                let index = self.session.flows.len() - 1;
                json!({"index": index})
            }
            None => json!({"error": format!("no record carries {id}")}),
        }
    }

    fn states(&self) -> Value {
        let list = &self.session.states;
        json!(list
            .iter()
            .map(|t| json!({
                "kind": t.kind,
                "key": t.key,
                "changes": t.changes.iter().map(|c| json!({
                    "pos": self.positions.get(c.record).copied(),
                    "utc_ms": c.utc_ms,
                    "state": c.state,
                })).collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>())
    }

    fn flows(&self) -> Value {
        let s = &self.session;
        json!(s
            .flows
            .iter()
            .enumerate()
            .map(|(i, f)| json!({
                "index": i, "kind": f.kind, "key": f.key, "participants": f.participants, "steps": f.steps.len(),
                "from": f.steps.first().and_then(|st| s.records.get(st.record)).and_then(|r| r.utc_ms()),
                "to": f.steps.last().and_then(|st| s.records.get(st.record)).and_then(|r| r.utc_ms()),
            }))
            .collect::<Vec<_>>())
    }

    fn flow(&self, index: usize) -> Value {
        let s = &self.session;
        let Some(f) = s.flows.get(index) else { return json!({"error": "no such flow"}) };
        let steps: Vec<Value> = f
            .steps
            .iter()
            .map(|st| {
                let r = s.decoded(st.record);
                let r = r.as_ref();
                let pos = self.positions.get(st.record).copied();
                json!({
                    "from": st.from, "to": st.to, "label": st.label, "pos": pos,
                    "utc_ms": r.and_then(|r| r.utc_ms()),
                    "time": r.filter(|r| r.time.is_some()).map(|r| s.time_text(r)),
                    "name": r.and_then(|r| r.name().map(str::to_string)),
                    "fields": r.map(|r| Value::Object(r.fields().to_map())),
                    "text": r.map(|r| s.record_text(r)),
                    "source": r.and_then(|r| s.files.get(r.file as usize)).map(|f| short_name(&f.path)),
                })
            })
            .collect();
        json!({"kind": f.kind, "key": f.key, "participants": f.participants, "steps": steps, "links": f.links, "files": f.files})
    }
}

fn time_span(s: &Session) -> (Option<i64>, Option<i64>) {
    let mut lo: Option<i64> = None;
    let mut hi: Option<i64> = None;
    for r in &s.records {
        if let Some(ms) = r.utc_ms() {
            lo = Some(lo.map_or(ms, |l| l.min(ms)));
            hi = Some(hi.map_or(ms, |h| h.max(ms)));
        }
    }
    (lo, hi)
}

fn line_at<'a>(text: &'a str, starts: &[u32], i: usize) -> Option<&'a str> {
    let (a, b) = crate::formats::engine::line_span(starts, text.len(), i)?;
    Some(text.get(a..b)?.trim_end_matches(['\n', '\r']))
}

/// The file name without its folders (archive members keep the member name).
pub fn short_name(path: &str) -> String {
    let inner = path.rsplit("!/").next().unwrap_or(path);
    inner.rsplit(['/', '\\']).next().unwrap_or(inner).to_string()
}

/// One line for the table: the message part of the first line (without the timestamp and the
/// header fields), then the decoded fields that say what the record is about.
pub fn summary_of(text: &str, time_text: Option<&str>, component: Option<&str>, fields: &crate::model::Fields) -> String {
    let first = text.lines().next().unwrap_or("");
    let mut s = match time_text.filter(|t| !t.is_empty()).and_then(|t| first.find(t).map(|i| i + t.len())) {
        Some(end) => first.get(end..).unwrap_or(first),
        None => first,
    };
    // ICM/CTI lines repeat the component and the trace level the columns already show
    // (`cg1A-ctisvr Trace: AGENT_EVENT: …`): the summary starts after them.
    if let Some(c) = component.filter(|c| !c.is_empty()) {
        if let Some(rest) = s.trim_start().strip_prefix(c) {
            let rest = rest.trim_start();
            s = rest.strip_prefix("Trace:").or_else(|| rest.strip_prefix("Trace ")).unwrap_or(rest);
        }
    }
    // ECE listener: `… <@> logger <@> <@> message <@>` — the message is the last field.
    if s.contains(" <@> ") {
        s = s.trim_end().trim_end_matches("<@>").rsplit(" <@> ").map(str::trim).find(|p| !p.is_empty()).unwrap_or(s);
    }
    // Finesse/CCBU: `%CCBU_…-6-NAME: %[k=v][k=v]: message` — the bracketed fields are decoded.
    if let Some(i) = s.find(": %[") {
        if let Some(j) = s.get(i..).and_then(|r| r.rfind("]:")) {
            let msg = s.get(i + j + 2..).unwrap_or("").trim();
            s = if msg.is_empty() { s.get(..i).unwrap_or(s) } else { msg };
        }
    }
    s = s.trim_start_matches([' ', ':', '-', ']', '|', '\t']).trim_end();
    // A document record (JSON body) opens with a bare bracket: its fields say more.
    if matches!(s, "{" | "[") {
        s = "";
    }
    let mut out: String = s.chars().take(300).collect();
    let mut extra = String::new();
    for (k, v) in fields.iter() {
        if extra.len() > 160 {
            break;
        }
        let v = match v {
            Value::String(x) if x.len() <= 60 && !x.is_empty() => x.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => continue,
        };
        if out.contains(&v) {
            continue;
        }
        if !extra.is_empty() {
            extra.push(' ');
        }
        extra.push_str(k);
        extra.push('=');
        extra.push_str(&v);
    }
    if !extra.is_empty() {
        if !out.is_empty() {
            out.push_str(" · ");
        }
        out.push_str(&extra);
    }
    if text.contains('\n') {
        out.push_str(" …");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogFile;

    fn engine_with(text: &str) -> Engine {
        let mut e = Engine::new();
        let mut f = LogFile::new("a.log", text.len() as u64);
        f.text = text.to_string();
        f.line_starts = crate::formats::engine::line_starts(text);
        e.session.add_file(f);
        e.refresh();
        e
    }

    #[test]
    fn a_clock_change_never_starts_an_analysis_the_load_left_out() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/003-cce-task-routing");
        let mut e = Engine::new();
        crate::ingest::ingest_path(std::path::Path::new(dir), &crate::ingest::Limits::default(), &mut crate::ingest::LoadState::default(), &mut e.session);
        e.refresh_index();
        e.analysis_off = true;
        let set = Request::SetClock { file: 0, date: None, utc_offset_min: Some(-300), skew_ms: 0 };
        e.handle(set.clone());
        assert!(e.session.flows.is_empty(), "the analysis stayed off");
        e.analysis_off = false;
        e.handle(set);
        assert!(!e.session.flows.is_empty(), "with the analysis on, a clock change re-runs it");
    }

    #[test]
    fn summary_skips_what_the_columns_show() {
        let f = crate::model::Fields::new();
        let line = "08:54:27:874 cg1A-ctisvr Trace: AGENT_EVENT: ID=1080 Periph=5000";
        assert_eq!(summary_of(line, Some("08:54:27:874"), Some("cg1A-ctisvr"), &f), "AGENT_EVENT: ID=1080 Periph=5000");
        // A component that is not at the start is left alone.
        assert_eq!(summary_of("08:54:27:874 other: x", Some("08:54:27:874"), Some("cg1A-ctisvr"), &f), "other: x");
    }

    #[test]
    fn rows_window_and_filter() {
        let mut e = engine_with("alpha one\nbeta two\nalpha three\n");
        let all = e.handle(Request::Rows { filter: Filter::default(), start: 0, count: 10 });
        assert_eq!(all["total"], 3);
        let f = Filter { text: "ALPHA".into(), ..Default::default() };
        let some = e.handle(Request::Rows { filter: f.clone(), start: 0, count: 10 });
        assert_eq!(some["total"], 2);
        assert_eq!(some["rows"][1]["summary"], "alpha three");
        let bad = e.handle(Request::Rows { filter: Filter { text: "(".into(), regex: true, ..Default::default() }, start: 0, count: 5 });
        assert!(bad["error"].as_str().unwrap_or("").contains("invalid search"));
    }

    #[test]
    fn find_wraps_and_goes_back() {
        let mut e = engine_with("x\nneedle 1\ny\nneedle 2\n");
        let f = Filter::default();
        let a = e.handle(Request::Find { filter: f.clone(), query: "needle".into(), regex: false, from: 2, forward: true });
        assert_eq!(a["index"], 3);
        let b = e.handle(Request::Find { filter: f.clone(), query: "needle".into(), regex: false, from: 0, forward: false });
        assert_eq!(b["index"], 3);
        let c = e.handle(Request::Find { filter: f, query: "needle".into(), regex: false, from: 2, forward: false });
        assert_eq!(c["index"], 1);
    }

    #[test]
    fn record_detail_has_context() {
        let mut e = engine_with("l1\nl2\nl3\n");
        let r = e.handle(Request::Record { pos: 1 });
        assert_eq!(r["text"], "l2");
        assert_eq!(r["context"].as_array().map(|a| a.len()), Some(3));
        assert!(e.handle(Request::Record { pos: 99 })["error"].is_string());
    }

    #[test]
    fn requests_parse_from_json() {
        let r: Request = serde_json::from_str(r#"{"t":"rows","filter":{"text":"x"},"start":0,"count":5}"#).unwrap();
        assert!(matches!(r, Request::Rows { count: 5, .. }));
    }
}
