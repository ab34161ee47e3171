//! HAR 1.1/1.2 files (Chrome, Edge, Firefox, Fiddler; JSONP-wrapped `.harp` too): one record per
//! entry, one per WebSocket frame (`_webSocketMessages`).
//!
//! Loading makes index entries, like line formats, without building a JSON tree: the document is
//! checked in one pass that also takes each entry's members as slices of the file text
//! (`RawValue`) and tells where the entry is from its first name and last value (`entry_range`),
//! and only what the index needs is read from those: `startedDateTime`, the request's method and URL
//! (name, host), a frame's type and time. A record's byte range and lines are its entry's (or
//! frame's) JSON; `decode` reads that slice again into the record described below.
//! What an entry's JSON alone cannot tell is kept on its index entry: its index (`Record::part`),
//! a frame's number and its entry's URL (fields `frame`, `url`), and the BOSH `ridGap`/`ridRepeat`
//! marks worked out across entries at load (fields and notes, carried into the decoded record).
//! An entry's index entry also keeps its `durationMs`, so `Session::waterfall` draws every entry
//! (start, duration) and frame (time) without decoding any.
//!
//! Entry record fields: `method`, `url`, `host`, `path`, `status`, `statusText`, `httpVersion`,
//! `time` (ms), `durationMs` (`time` rounded), `startMs` (UTC epoch ms of `startedDateTime`; with
//! `durationMs` what a waterfall draws), `initiator` (`_initiator.type`), `requestId` (a
//! `requestId` request header, as Finesse's REST client sends), `timings` (object), `serverIPAddress`, `connection`, `pageref`, `resourceType`,
//! `fromCache`, `error`, `requestHeaders`/`responseHeaders` (objects, name → value; repeated names
//! joined by `\n`), `requestMimeType`, `requestBody`, `requestBodySize`, `mimeType`,
//! `responseBody`, `contentSize`, `responseBodySize`, `transferSize`, `responseEncoding`
//! (bodies decoded from base64 and pretty-printed when JSON or XML), and, for `/http-bind` POSTs, the
//! BOSH fields of `decoders::bosh::har_exchange` plus `ridGap`/`ridRepeat` across entries.
//! WebSocket frame records: `wsDirection` (send|receive|error), `opcode`, `data`, `url`, `entry`
//! (index of the entry), `frame`, `startMs` (the frame's UTC epoch ms). `own_text` is a compact text
//! (`POST https://host/http-bind 200 (123 ms)` + bodies).

use super::{Example, Format, Lane, Role, Sample, Shape};
use crate::decoders;
use crate::formats::engine::{find as find_in, has as contains};
use crate::model::{LogFile, LogTime, Problem, Record};
use base64::Engine;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::marker::PhantomData;

pub static HAR: Format = Format {
    name: "har",
    detect,
    shape: Shape::Document { parse, decode: Some(decode) },
    lane: Lane::Browser,
    role: Role::Client,
    ids: &[],
    examples: EXAMPLES,
};

/// The text inside an optional BOM and JSONP wrapper `callback({...});`.
/// Err names what is wrong with the wrapper.
pub fn unwrap_jsonp(text: &str) -> Result<&str, String> {
    let t = text.trim_start_matches('\u{feff}').trim();
    if t.starts_with('{') || t.starts_with('[') {
        return Ok(t);
    }
    let ident_end = t.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.')).unwrap_or(t.len());
    let rest = t.get(ident_end..).unwrap_or("").trim_start();
    if ident_end == 0 || !rest.starts_with('(') {
        return Err("does not start with '{' or a JSONP callback".into());
    }
    let inner = rest.get(1..).unwrap_or("").trim_end();
    let inner = inner.strip_suffix(';').unwrap_or(inner).trim_end();
    match inner.strip_suffix(')') {
        Some(i) => Ok(i.trim()),
        None => Err("JSONP callback is not closed with ')'".into()),
    }
}

fn detect(s: &Sample) -> u8 {
    let head = crate::decoders::common::truncate_at_char(s.text, 4096);
    let Ok(inner) = unwrap_jsonp(head).or_else(|_| {
        // The head may cut the JSONP close; only the opening matters here.
        let t = head.trim_start_matches('\u{feff}').trim_start();
        match t.find('(') {
            Some(i)
                if t.get(..i).map(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.')).unwrap_or(false) =>
            {
                Ok(t.get(i + 1..).unwrap_or("").trim_start())
            }
            _ => Err(()),
        }
    }) else {
        return 0;
    };
    if !inner.starts_with('{') {
        return 0;
    }
    let has_log = contains(inner, "\"log\"");
    let har_name = {
        let p = s.path.to_ascii_lowercase();
        p.ends_with(".har") || p.ends_with(".harp")
    };
    match (has_log, har_name) {
        (true, _) => 90,
        (false, true) => 60,
        _ => 0,
    }
}

/// Parses an ISO 8601 instant (`2010-06-06T09:40:21.181+02:00`, `…Z`, `…+0000`) into a LogTime.
pub fn parse_iso(s: &str) -> Option<LogTime> {
    let b = s.trim();
    let num = |from: usize, len: usize| -> Option<u32> { b.get(from..from + len)?.parse::<u32>().ok() };
    let (y, mo, d) = (num(0, 4)? as i32, num(5, 2)?, num(8, 2)?);
    if b.get(4..5)? != "-" || b.get(7..8)? != "-" {
        return None;
    }
    let (h, mi, se) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if h > 23 || mi > 59 || se > 60 || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let mut i = 19;
    let mut ms = 0u32;
    if b.get(i..i + 1) == Some(".") {
        i += 1;
        let frac: String = b.get(i..)?.chars().take_while(|c| c.is_ascii_digit()).collect();
        i += frac.len();
        let mut f3: String = frac.chars().take(3).collect();
        while f3.len() < 3 {
            f3.push('0');
        }
        ms = f3.parse().unwrap_or(0);
    }
    let zone = b.get(i..).unwrap_or("");
    let offset = if zone.is_empty() {
        None
    } else if zone == "Z" || zone == "z" {
        Some(0)
    } else {
        crate::time::parse_offset(zone)
    };
    let ms_of_day = ((h * 60 + mi) * 60 + se.min(59)) * 1000 + ms;
    let mut t = LogTime::wall(Some((y, mo, d)), Some(ms_of_day), offset);
    if let Some(o) = offset {
        t.set_epoch_ms(Some(crate::time::to_epoch_ms((y, mo, d), ms_of_day, o)));
    }
    Some(t)
}

/// The members of an entry the index looks at; the first six are required by the spec.
const ENTRY_KEYS: [&str; 7] = ["startedDateTime", "time", "request", "response", "cache", "timings", "_webSocketMessages"];

/// The field a frame's index entry keeps its number in (an entry's index entry has none).
const FRAME: &str = "frame";

/// The field an entry's index entry keeps its duration in (ms, rounded), as its record does.
const DURATION: &str = "durationMs";

fn parse(file: &LogFile, file_index: u32, out: &mut Vec<Record>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let path = &file.path;
    let inner = match unwrap_jsonp(&file.text) {
        Ok(i) => i,
        Err(e) => {
            problems.push(Problem::new("not-har", format!("{path}: not a HAR file: {e}")));
            return problems;
        }
    };
    // One pass checks the whole document and takes each entry's members as slices; nothing else
    // is kept.
    let doc = match read(inner, Member { name: "log", seed: Member { name: "entries", seed: Items(EntrySeed) } }) {
        Ok(d) => d,
        Err(e) => {
            let what = if is_cut(inner, &e) { "JSON is cut short" } else { "not valid JSON" };
            problems.push(Problem::new("bad-json", format!("{path}: HAR could not be read: {what}: {e}")));
            return problems;
        }
    };
    let Some(entries) = doc.flatten().flatten() else {
        problems.push(Problem::new("not-har", format!("{path}: JSON has no \"log\" object, so it is not a HAR file")));
        return problems;
    };
    let Some(entries) = entries.flatten() else {
        problems.push(Problem::new("not-har", format!("{path}: HAR \"log\" has no \"entries\" array (required by the HAR spec); nothing to show")));
        return problems;
    };
    // Where each entry is in the file, told from its first member's name and last value; when
    // that cannot be told for one (`{}`, an escaped name), every entry is taken as a slice first.
    let placed: Option<Vec<Option<EntryAt>>> = entries
        .iter()
        .map(|e| match e {
            None => Some(None),
            Some(e) => entry_range(&file.text, e).map(|range| Some(EntryAt { members: e.members, range: Some(range) })),
        })
        .collect();
    let entries = match placed {
        Some(p) => p,
        None => entries_in_two_passes(file, inner),
    };
    let mut invalid: Vec<String> = Vec::new();
    let mut rids: Vec<Rid> = Vec::new();
    for (idx, entry) in entries.into_iter().enumerate() {
        let Some(EntryAt { members: e, range }) = entry else {
            invalid.push(format!("entry {idx} is not an object"));
            continue;
        };
        let missing: Vec<&str> = ENTRY_KEYS.iter().zip(&e).take(6).filter(|(_, v)| v.is_none()).map(|(k, _)| *k).collect();
        if !missing.is_empty() {
            invalid.push(format!("entry {idx} has no {}", missing.join(", ")));
        }
        let [started, total, request, response, _, _, frames] = e;
        let [method, url, post] = request.and_then(|r| members(r.get(), ["method", "url", "postData"]).ok().flatten()).unwrap_or_default();
        let (method, url) = (str_of(method).unwrap_or_default(), str_of(url).unwrap_or_default());
        let mut rec = Record::index_entry(file_index, "har");
        place(&mut rec, file, range);
        rec.set_part(idx);
        if let Some(started) = str_of(started).filter(|s| !s.is_empty()) {
            set_time(&mut rec, &file.text, parse_iso(&started).unwrap_or_default(), started);
        }
        label_entry(&mut rec, &method, &url);
        // The entry's duration stays on its index entry: a waterfall draws every entry without
        // decoding them (`Session::waterfall`).
        if let Some(ms) = total.and_then(|t| serde_json::from_str::<f64>(t.get()).ok()).filter(|t| t.is_finite() && *t >= 0.0) {
            rec.fields_mut().insert(DURATION, Value::from(ms.round() as i64));
        }
        if contains(&url, "http-bind") {
            if let (Some(sid), Some(rid)) = bosh_ids(post, response) {
                rids.push(Rid { at: out.len(), sid, rid });
            }
        }
        out.push(rec);
        for (fi, f) in frames.and_then(raw_list).unwrap_or_default().into_iter().enumerate() {
            out.push(frame_entry(file, file_index, idx, fi, &url, f));
        }
    }
    if !invalid.is_empty() {
        let n = invalid.len();
        invalid.truncate(5);
        problems.push(Problem::new(
            "har-invalid",
            format!(
                "{path}: HAR does not follow the spec ({n} entr{} affected): {}{}; the entries were loaded anyway",
                if n == 1 { "y" } else { "ies" },
                invalid.join("; "),
                if n > 5 { "; …" } else { "" }
            ),
        ));
    }
    rid_gaps(out, rids);
    problems
}

/// True when `json` is cut short. The reader that skips values calls a number cut after `.`, `e`,
/// `+` or `-` invalid, where a tree parser (and so the user) sees the end of the input.
fn is_cut(json: &str, e: &serde_json::Error) -> bool {
    let last_line = json.rsplit('\n').next().unwrap_or("");
    let at_end = e.line() == json.matches('\n').count() + 1 && e.column() >= last_line.len();
    e.is_eof() || (e.is_syntax() && at_end && json.ends_with(['.', 'e', 'E', '+', '-']))
}

/// A frame's index entry: its JSON, time and labels, and what `decode` needs besides its JSON.
fn frame_entry(file: &LogFile, file_index: u32, entry: usize, idx: usize, url: &str, raw: &RawValue) -> Record {
    let [kind, time] = members(raw.get(), ["type", "time"]).ok().flatten().unwrap_or_default();
    let mut rec = Record::index_entry(file_index, "har");
    place(&mut rec, file, range_of(&file.text, raw));
    rec.set_part(entry);
    rec.fields_mut().insert(FRAME, Value::from(idx));
    rec.fields_mut().insert("url", Value::from(url));
    if let Ok((t, text)) = frame_time(time.and_then(|t| serde_json::from_str::<f64>(t.get()).ok())) {
        rec.time = Some(t);
        rec.set_time_text(text);
    }
    label_frame(&mut rec, &str_of(kind).unwrap_or_default(), url);
    rec
}

/// An index entry read again from its JSON: the entry's (or frame's) record with all its fields
/// and its own text. `formats::decode_record` runs the protocol decoders on it and keeps the index
/// entry's time.
fn decode(file: &LogFile, rec: &Record) -> Record {
    let json = file.text.get(rec.text_start()..rec.text_end()).unwrap_or("");
    let v: Value = match serde_json::from_str(json) {
        Ok(v) => v,
        // Checked at load, so only a tree serde_json will not build (nested too deep, a number
        // out of range) ends here.
        Err(e) => {
            let mut out = Record::new(rec.file, "har");
            out.note(format!("HAR entry not decoded: {e}"));
            return out;
        }
    };
    let entry = rec.part() as usize;
    if let Some(frame) = rec.fields().get(FRAME).and_then(Value::as_u64) {
        let url = rec.get_str("url").unwrap_or_default();
        return frame_record(rec.file, entry, usize::try_from(frame).unwrap_or(usize::MAX), &url, &v);
    }
    let mut out = entry_record(rec.file, entry, v.as_object().unwrap_or(&Map::new()));
    // The `rid` marks made across entries at load (and the duration, the same as read here).
    for (k, val) in rec.fields().iter() {
        out.set(k, val.clone());
    }
    for n in rec.notes() {
        out.note(n.clone());
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The index: reading the JSON without building a tree

/// Reads all of `json` with `seed` (trailing text is an error).
fn read<'a, S: DeserializeSeed<'a>>(json: &'a str, seed: S) -> serde_json::Result<S::Value> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = seed.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// The named members of a JSON object as slices of `json`; other members are only checked. A name
/// given twice keeps its last value, as `serde_json::Value` does. `Ok(None)`: valid JSON that is
/// not an object; `Err`: not valid JSON.
fn members<'a, const N: usize>(json: &'a str, names: [&str; N]) -> serde_json::Result<Option<[Option<&'a RawValue>; N]>> {
    read(json, Members(&names))
}

/// The items of a JSON array as slices (None when `raw` is not an array).
fn raw_list(raw: &RawValue) -> Option<Vec<&RawValue>> {
    read(raw.get(), SLICES).ok().flatten()
}

/// A JSON string's value: borrowed from the file when written without escapes (None when `raw`
/// is not a string).
fn str_of(raw: Option<&RawValue>) -> Option<Cow<'_, str>> {
    let json = raw?.get();
    match serde_json::from_str::<&str>(json) {
        Ok(s) => Some(Cow::Borrowed(s)),
        Err(_) => serde_json::from_str::<String>(json).ok().map(Cow::Owned),
    }
}

/// Visitor methods for values of a kind the reader does not look into: scalars give None.
macro_rules! scalars_are_none {
    () => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    };
}

/// See `members`.
struct Members<'n, const N: usize>(&'n [&'n str; N]);

impl<'de, const N: usize> DeserializeSeed<'de> for Members<'_, N> {
    type Value = Option<[Option<&'de RawValue>; N]>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, const N: usize> Visitor<'de> for Members<'_, N> {
    type Value = Option<[Option<&'de RawValue>; N]>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = [None; N];
        while let Some(wanted) = map.next_key_seed(Name(self.0))? {
            match wanted.and_then(|i| found.get_mut(i)) {
                Some(slot) => *slot = Some(map.next_value()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Some(found))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    scalars_are_none!();
}

/// One member of an object, read by `seed` (the last one when the name is repeated) while the
/// others are only checked: None when the value is not an object, Some(None) when it has no such
/// member. Nested, it walks down a document in one pass.
#[derive(Clone, Copy)]
struct Member<S> {
    name: &'static str,
    seed: S,
}

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for Member<S> {
    type Value = Option<Option<S::Value>>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for Member<S> {
    type Value = Option<Option<S::Value>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(wanted) = map.next_key_seed(Name(&[self.name]))? {
            match wanted {
                Some(_) => found = Some(map.next_value_seed(self.seed)?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Some(found))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    scalars_are_none!();
}

/// The items of an array, each read by the seed (`Items(PhantomData::<&RawValue>)`: as slices);
/// None when the value is not an array.
#[derive(Clone, Copy)]
struct Items<S>(S);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for Items<S> {
    type Value = Option<Vec<S::Value>>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for Items<S> {
    type Value = Option<Vec<S::Value>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.0)? {
            items.push(item);
        }
        Ok(Some(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    scalars_are_none!();
}

/// Items read as slices of the text.
const SLICES: Items<PhantomData<&RawValue>> = Items(PhantomData);

/// An entry's members wanted at load (`ENTRY_KEYS`) and its byte range in the file.
struct EntryAt<'a> {
    members: [Option<&'a RawValue>; ENTRY_KEYS.len()],
    range: Option<(usize, usize)>,
}

/// What one pass over an entry keeps: the wanted members as slices, and what places the entry in
/// the file (`entry_range`): its first member's name as written, and its last value.
struct EntryParts<'a> {
    members: [Option<&'a RawValue>; ENTRY_KEYS.len()],
    first_name: Option<&'a str>,
    last_value: Option<&'a RawValue>,
}

/// One entry of `log.entries` (see `EntryParts`); None when it is not an object.
#[derive(Clone, Copy)]
struct EntrySeed;

impl<'de> DeserializeSeed<'de> for EntrySeed {
    type Value = Option<EntryParts<'de>>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EntrySeed {
    type Value = Option<EntryParts<'de>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut parts = EntryParts { members: [None; ENTRY_KEYS.len()], first_name: None, last_value: None };
        let mut first = true;
        while let Some((wanted, name)) = map.next_key_seed(NameAt(&ENTRY_KEYS))? {
            if first {
                parts.first_name = name;
                first = false;
            }
            // Every value is taken as a slice (as cheap as skipping it): the last one ends the entry.
            let value: &'de RawValue = map.next_value()?;
            if let Some(slot) = wanted.and_then(|i| parts.members.get_mut(i)) {
                *slot = Some(value);
            }
            parts.last_value = Some(value);
        }
        Ok(Some(parts))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    scalars_are_none!();
}

/// `Name`, and the name itself when it is a slice of the text (written without escapes).
struct NameAt<'n, const N: usize>(&'n [&'n str; N]);

impl<'de, const N: usize> DeserializeSeed<'de> for NameAt<'_, N> {
    type Value = (Option<usize>, Option<&'de str>);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, const N: usize> Visitor<'de> for NameAt<'_, N> {
    type Value = (Option<usize>, Option<&'de str>);

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok((self.0.iter().position(|n| *n == s), Some(s)))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok((self.0.iter().position(|n| *n == s), None))
    }
}

/// A member name's position among the wanted names, compared without copying it.
struct Name<'n, const N: usize>(&'n [&'n str; N]);

impl<'de, const N: usize> DeserializeSeed<'de> for Name<'_, N> {
    type Value = Option<usize>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, const N: usize> Visitor<'de> for Name<'_, N> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|n| *n == s))
    }
}

/// The byte range of a slice of `text` (None when it is not one).
fn range_of(text: &str, raw: &RawValue) -> Option<(usize, usize)> {
    let json = raw.get();
    let start = (json.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let end = start + json.len();
    (end <= text.len()).then_some((start, end))
}

/// Blanks JSON allows between tokens.
const JSON_BLANKS: [char; 4] = [' ', '\t', '\n', '\r'];

/// Where an entry read in one pass is in `text`: from the `{` before its first member's name to the
/// `}` after its last value (JSON allows only blanks between them). None when that cannot be told:
/// no members, or a first name written with escapes (not a slice of the text).
fn entry_range(text: &str, e: &EntryParts) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let key_at = (e.first_name?.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let quote = key_at.checked_sub(1)?;
    if b.get(quote) != Some(&b'"') {
        return None;
    }
    let open = text.get(..quote)?.trim_end_matches(JSON_BLANKS).len().checked_sub(1)?;
    let (_, last_end) = range_of(text, e.last_value?)?;
    let after = text.get(last_end..)?;
    let close = last_end + (after.len() - after.trim_start_matches(JSON_BLANKS).len());
    (b.get(open) == Some(&b'{') && b.get(close) == Some(&b'}')).then_some((open, close + 1))
}

/// The entries read the slower way, when `entry_range` could not place one: each entry as a slice
/// of the text, then its members read from that slice.
fn entries_in_two_passes<'a>(file: &'a LogFile, inner: &'a str) -> Vec<Option<EntryAt<'a>>> {
    let doc = read(inner, Member { name: "log", seed: Member { name: "entries", seed: SLICES } });
    let raws = doc.ok().flatten().flatten().flatten().flatten().flatten().unwrap_or_default();
    raws.into_iter().map(|raw| members(raw.get(), ENTRY_KEYS).ok().flatten().map(|members| EntryAt { members, range: range_of(&file.text, raw) })).collect()
}

/// Points an index entry at its JSON: byte range in the file text and the lines it spans.
fn place(rec: &mut Record, file: &LogFile, range: Option<(usize, usize)>) {
    let Some((start, end)) = range else { return };
    rec.set_text_range(start, end);
    let line_at = |at: usize| u32::try_from(file.line_starts.partition_point(|&s| s as usize <= at)).unwrap_or(u32::MAX);
    rec.line = line_at(start);
    rec.line_end = line_at(end.saturating_sub(1).max(start));
}

/// Sets a time and where it is written: in the file when the JSON string is the text as written
/// (no escapes), else as a copy.
fn set_time(rec: &mut Record, file_text: &str, t: LogTime, written: Cow<str>) {
    if let Cow::Borrowed(s) = written {
        if s.len() <= u16::MAX as usize {
            rec.time = Some(t.clone().written_at(s));
            rec.settle_time_text(file_text);
            if rec.time.as_ref().and_then(LogTime::text_range).is_some() {
                return;
            }
        }
    }
    rec.time = Some(t);
    rec.set_time_text(written);
}

/// An `/http-bind` entry's BOSH `sid` and `rid`, for `rid_gaps`.
struct Rid {
    /// Index of the entry's record in the records.
    at: usize,
    sid: String,
    rid: i64,
}

/// The `sid` and `rid` `entry_record` finds in an `/http-bind` exchange: the bodies read by the same
/// helpers, then only the `<body>` tags' attributes (`bosh::har_sid_rid`).
fn bosh_ids(post: Option<&RawValue>, response: Option<&RawValue>) -> (Option<String>, Option<i64>) {
    let post: Option<Value> = post.and_then(|p| serde_json::from_str(p.get()).ok());
    let req_body = post.as_ref().map(request_body).unwrap_or_default();
    let content: Option<Value> =
        response.and_then(|r| members(r.get(), ["content"]).ok().flatten()).and_then(|[c]| c).and_then(|c| serde_json::from_str(c.get()).ok());
    let resp_body = content.as_ref().and_then(response_body).map(|b| b.text).unwrap_or_default();
    decoders::bosh::har_sid_rid(Some(&req_body), content.as_ref().map(|_| resp_body.as_str()))
}

// ---------------------------------------------------------------------------------------------
// Decoded records

fn s_of(v: Option<&Value>) -> &str {
    v.and_then(Value::as_str).unwrap_or("")
}

fn headers_obj(v: Option<&Value>) -> Map<String, Value> {
    let mut m = Map::new();
    for h in v.and_then(Value::as_array).into_iter().flatten() {
        let name = s_of(h.get("name"));
        let value = s_of(h.get("value"));
        if name.is_empty() {
            continue;
        }
        match m.get_mut(name) {
            Some(Value::String(prev)) => {
                prev.push('\n');
                prev.push_str(value);
            }
            _ => {
                m.insert(name.to_string(), Value::from(value));
            }
        }
    }
    m
}

/// Pretty form of a body for display (JSON or XML re-indented), and a note if it claims to be
/// JSON/XML but does not parse.
fn pretty_body(text: &str, mime: &str) -> (String, Option<String>) {
    let t = text.trim_start();
    let m = mime.to_ascii_lowercase();
    if contains(&m, "json") || ((t.starts_with('{') || t.starts_with('[')) && !contains(&m, "html")) {
        match serde_json::from_str::<Value>(t) {
            Ok(v) => return (serde_json::to_string_pretty(&v).unwrap_or_else(|_| text.to_string()), None),
            Err(e) if contains(&m, "json") => return (text.to_string(), Some(format!("JSON body not decoded (cut or malformed): {e}"))),
            Err(_) => {}
        }
    }
    if t.starts_with('<') && (contains(&m, "xml") || t.starts_with("<body") || t.starts_with("<?xml")) {
        match decoders::xml::pretty(t) {
            Some(p) => return (p, None),
            None if contains(&m, "xml") => return (text.to_string(), Some("XML body not well-formed".into())),
            None => {}
        }
    }
    (text.to_string(), None)
}

fn entry_record(file_index: u32, idx: usize, e: &Map<String, Value>) -> Record {
    let mut rec = Record::new(file_index, "har");
    let req = e.get("request");
    let resp = e.get("response");
    let method = s_of(req.and_then(|r| r.get("method")));
    let url = s_of(req.and_then(|r| r.get("url")));
    let started = s_of(e.get("startedDateTime"));
    if !started.is_empty() {
        match parse_iso(started) {
            Some(t) => {
                rec.time = Some(t);
                rec.set_time_text(started);
            }
            None => {
                rec.time = Some(LogTime::default());
                rec.set_time_text(started);
                rec.note(format!("startedDateTime {started:?} is not an ISO 8601 time"));
            }
        }
    }
    rec.set("entry", idx);
    rec.set("method", method);
    rec.set("url", url);
    let (host, path) = split_url(url);
    if !host.is_empty() {
        rec.set("host", host);
    }
    rec.set("path", path);
    let status = resp.and_then(|r| r.get("status")).and_then(Value::as_i64).unwrap_or(0);
    rec.set("status", status);
    let status_text = s_of(resp.and_then(|r| r.get("statusText")));
    if !status_text.is_empty() {
        rec.set("statusText", status_text);
    }
    if let Some(v) = req.and_then(|r| r.get("httpVersion")).and_then(Value::as_str) {
        rec.set("httpVersion", v);
    }
    let total = e.get("time").and_then(Value::as_f64);
    if let Some(t) = total {
        rec.set("time", t);
        if t.is_finite() && t >= 0.0 {
            rec.set(DURATION, t.round() as i64);
        }
    }
    if let Some(ms) = rec.time.as_ref().and_then(LogTime::epoch_ms) {
        rec.set("startMs", ms);
    }
    if let Some(kind) = e.get("_initiator").and_then(|i| i.get("type")).and_then(Value::as_str) {
        rec.set("initiator", kind);
    }
    if let Some(t) = e.get("timings") {
        rec.set("timings", t.clone());
    }
    for (k, dst) in [
        ("serverIPAddress", "serverIPAddress"),
        ("connection", "connection"),
        ("pageref", "pageref"),
        ("_resourceType", "resourceType"),
        ("_fromCache", "fromCache"),
    ] {
        if let Some(v) = e.get(k).filter(|v| !v.is_null()) {
            rec.set(dst, v.clone());
        }
    }
    if let Some(err) = resp.and_then(|r| r.get("_error")).and_then(Value::as_str).filter(|s| !s.is_empty()) {
        rec.set("error", err);
    }
    let rh = headers_obj(req.and_then(|r| r.get("headers")));
    let sh = headers_obj(resp.and_then(|r| r.get("headers")));
    // Sensitive headers: kinds and the Basic user, never copied elsewhere.
    let mut header_text = String::new();
    for (k, v) in rh.iter().chain(sh.iter()) {
        if let Some(v) = v.as_str() {
            header_text.push_str(k);
            header_text.push_str(": ");
            header_text.push_str(v);
            header_text.push('\n');
        }
    }
    // Finesse's REST client names each request in a `requestId` header; the `<Update>` that
    // answers it carries the same value.
    if let Some(id) = rh.iter().find(|(k, _)| k.eq_ignore_ascii_case("requestId")).and_then(|(_, v)| v.as_str()).map(str::trim).filter(|v| !v.is_empty()) {
        rec.set("requestId", id);
    }
    if !rh.is_empty() {
        rec.set("requestHeaders", Value::Object(rh));
    }
    if !sh.is_empty() {
        rec.set("responseHeaders", Value::Object(sh));
    }
    decoders::sensitive::annotate(&mut rec, &header_text);
    for c in [req.and_then(|r| r.get("cookies")), resp.and_then(|r| r.get("cookies"))].into_iter().flatten() {
        if c.as_array().map(|a| !a.is_empty()).unwrap_or(false) {
            let mut list: Vec<Value> = match rec.fields().get("sensitive") {
                Some(Value::Array(a)) => a.clone(),
                _ => vec![],
            };
            if !list.iter().any(|v| v.as_str() == Some("cookie")) {
                list.push(Value::from("cookie"));
            }
            rec.set("sensitive", Value::Array(list));
        }
    }
    // Request body.
    let post = req.and_then(|r| r.get("postData"));
    let mut req_body = String::new();
    if let Some(p) = post {
        let mime = s_of(p.get("mimeType"));
        if !mime.is_empty() {
            rec.set("requestMimeType", mime);
        }
        req_body = request_body(p);
        if !req_body.is_empty() {
            let (pretty, note) = pretty_body(&req_body, mime);
            rec.set("requestBody", pretty);
            if let Some(n) = note {
                rec.note(format!("request {n}"));
            }
        }
    }
    if let Some(v) = req.and_then(|r| r.get("bodySize")) {
        rec.set("requestBodySize", v.clone());
    }
    // Response body.
    let content = resp.and_then(|r| r.get("content"));
    let mime = s_of(content.and_then(|c| c.get("mimeType")));
    if !mime.is_empty() {
        rec.set("mimeType", mime);
    }
    if let Some(sz) = content.and_then(|c| c.get("size")) {
        rec.set("contentSize", sz.clone());
    }
    if let Some(v) = resp.and_then(|r| r.get("bodySize")) {
        rec.set("responseBodySize", v.clone());
    }
    if let Some(v) = resp.and_then(|r| r.get("_transferSize")) {
        rec.set("transferSize", v.clone());
    }
    let mut resp_body = String::new();
    if let Some(body) = content.and_then(response_body) {
        if body.base64 {
            rec.set("responseEncoding", "base64");
        }
        if let Some(n) = body.binary {
            rec.set("responseBody", format!("(binary, {n} bytes)"));
        }
        if let Some(e) = body.bad_base64 {
            rec.note(format!("response body: bad base64 ({e}); kept as written"));
        }
        resp_body = body.text;
        if !resp_body.is_empty() {
            let (pretty, note) = pretty_body(&resp_body, mime);
            rec.set("responseBody", pretty);
            if let Some(n) = note {
                rec.note(format!("response {n}"));
            }
        }
    }
    if contains(url, "http-bind") {
        decoders::bosh::har_exchange(&mut rec, Some(&req_body), content.map(|_| resp_body.as_str()));
    }
    label_entry(&mut rec, method, url);
    let mut own = format!("{method} {url} {status}");
    if !status_text.is_empty() {
        own.push(' ');
        own.push_str(status_text);
    }
    if let Some(t) = total {
        own.push_str(&format!(" ({} ms)", t.round() as i64));
    }
    if !req_body.is_empty() {
        own.push_str("\n> ");
        own.push_str(&req_body);
    }
    if !resp_body.is_empty() {
        own.push_str("\n< ");
        own.push_str(&resp_body);
    }
    rec.set_own_text(own);
    rec
}

/// An entry's name (`POST /http-bind/`: the path without its query) and component (the URL's host),
/// the same on the index entry and the decoded record.
fn label_entry(rec: &mut Record, method: &str, url: &str) {
    let (host, path) = split_url(url);
    if !host.is_empty() {
        rec.set_component(host);
    }
    let name = format!("{method} {}", path.split('?').next().unwrap_or(path));
    rec.set_name(name.trim());
}

/// The request body as the HAR writes it: `postData.text`, else the form `params` as `a=1&b=2`.
fn request_body(post: &Value) -> String {
    if let Some(t) = post.get("text").and_then(Value::as_str) {
        return t.to_string();
    }
    match post.get("params").and_then(Value::as_array) {
        Some(params) => params.iter().map(|x| format!("{}={}", s_of(x.get("name")), s_of(x.get("value")))).collect::<Vec<_>>().join("&"),
        None => String::new(),
    }
}

/// A response body as written in `content.text`, decoded when `content.encoding` is base64.
struct ResponseBody {
    /// The body ("" for one that is not UTF-8 text).
    text: String,
    base64: bool,
    /// Size of a base64 body that is not UTF-8 text.
    binary: Option<usize>,
    /// Why a base64 body could not be decoded (it is kept as written).
    bad_base64: Option<String>,
}

/// None when `content.text` is not a string.
fn response_body(content: &Value) -> Option<ResponseBody> {
    let text = content.get("text").and_then(Value::as_str)?;
    let mut body = ResponseBody { text: String::new(), base64: false, binary: None, bad_base64: None };
    if !s_of(content.get("encoding")).eq_ignore_ascii_case("base64") {
        body.text = text.to_string();
        return Some(body);
    }
    body.base64 = true;
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    match base64::engine::general_purpose::STANDARD.decode(cleaned.as_bytes()) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => body.text = s,
            Err(e) => body.binary = Some(e.as_bytes().len()),
        },
        Err(e) => {
            body.bad_base64 = Some(e.to_string());
            body.text = text.to_string();
        }
    }
    Some(body)
}

fn split_url(url: &str) -> (&str, &str) {
    let after = match find_in(url, "://") {
        Some(i) => url.get(i + 3..).unwrap_or(""),
        None => return ("", url),
    };
    match after.find('/') {
        Some(i) => (after.get(..i).unwrap_or(""), after.get(i..).unwrap_or("/")),
        None => (after, "/"),
    }
}

fn frame_record(file_index: u32, entry: usize, idx: usize, url: &str, f: &Value) -> Record {
    let mut rec = Record::new(file_index, "har");
    let dir = s_of(f.get("type"));
    let opcode = f.get("opcode").and_then(Value::as_i64).unwrap_or(-1);
    let data = s_of(f.get("data"));
    rec.set("entry", entry);
    rec.set("frame", idx);
    rec.set("wsDirection", dir);
    rec.set("opcode", opcode);
    rec.set("url", url);
    rec.set("data", data);
    match frame_time(f.get("time").and_then(Value::as_f64)) {
        Ok((t, text)) => {
            if let Some(ms) = t.epoch_ms() {
                rec.set("startMs", ms);
            }
            rec.time = Some(t);
            rec.set_time_text(text);
        }
        Err(n) => rec.note(n),
    }
    label_frame(&mut rec, dir, url);
    rec.set_own_text(format!("WS {dir} {url}: {data}"));
    rec
}

/// A frame's name (`WebSocket send`) and component (its entry's host).
fn label_frame(rec: &mut Record, dir: &str, url: &str) {
    let (host, _) = split_url(url);
    if !host.is_empty() {
        rec.set_component(host);
    }
    rec.set_name(&format!("WebSocket {}", if dir.is_empty() { "frame" } else { dir }));
}

/// A frame's `time` (seconds since 1970, as Chrome writes it) and its text; Err says why there is none.
fn frame_time(secs: Option<f64>) -> Result<(LogTime, String), String> {
    match secs {
        Some(secs) if secs.is_finite() && secs > 0.0 && secs < 1.0e11 => Ok((LogTime::epoch((secs * 1000.0).round() as i64), format!("{secs}"))),
        Some(secs) => Err(format!("WebSocket frame time {secs} is not an epoch time in seconds")),
        None => Err("WebSocket frame has no time".into()),
    }
}

/// Marks gaps and repeats in BOSH `rid`s per `sid`, in time order. The mark and its note stay on
/// the index entry (see the module comment): decoding one entry cannot see the others.
fn rid_gaps(recs: &mut [Record], mut rids: Vec<Rid>) {
    rids.sort_by_key(|r| recs.get(r.at).and_then(|x| x.time.as_ref()).and_then(LogTime::epoch_ms).unwrap_or(i64::MIN));
    let mut last: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for Rid { at, sid, rid } in rids {
        let Some(r) = recs.get_mut(at) else { continue };
        if let Some(&prev) = last.get(&sid) {
            if rid == prev {
                r.fields_mut().insert("ridRepeat", Value::from(true));
                r.note(format!("BOSH rid {rid} resent (same as the previous request of session {sid})"));
            } else if rid != prev.saturating_add(1) {
                let gap = rid.saturating_sub(prev).saturating_sub(1);
                r.fields_mut().insert("ridGap", Value::from(gap));
                r.note(format!("BOSH rid jumps from {prev} to {rid} in session {sid}: {gap} request(s) not in this capture or out of order"));
            }
        }
        last.insert(sid, rid);
    }
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const EXAMPLES: &[Example] = &[
    Example {
        variant: "Chrome HAR 1.2",
        timed: true,
        path: "desktop.har",
        text: "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"WebInspector\",\"version\":\"537.36\"},\"pages\":[],\"entries\":[
{\"startedDateTime\":\"2024-06-11T19:20:31.100Z\",\"time\":41.2,\"request\":{\"method\":\"GET\",\"url\":\"https://finesse-a.example.org:8445/finesse/api/SystemInfo?nocache=1718133631100\",\"httpVersion\":\"HTTP/1.1\",\"headers\":[],\"queryString\":[],\"cookies\":[],\"headersSize\":-1,\"bodySize\":0},\"response\":{\"status\":200,\"statusText\":\"OK\",\"httpVersion\":\"HTTP/1.1\",\"headers\":[],\"cookies\":[],\"content\":{\"size\":0,\"mimeType\":\"application/xml\"},\"redirectURL\":\"\",\"headersSize\":-1,\"bodySize\":0},\"cache\":{},\"timings\":{\"send\":0,\"wait\":40,\"receive\":1.2}}
]}}
",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> LogFile {
        let mut f = LogFile::new("t.har", text.len() as u64);
        f.text = text.to_string();
        f.line_starts = super::super::engine::line_starts(&f.text);
        f
    }

    /// The one-pass reader places every entry where the two-pass one does, whatever the blanks;
    /// what it cannot place (`{}`, an escaped first name) sends the file to the two-pass reader.
    #[test]
    fn one_pass_places_entries_as_two_passes_do() {
        let e = r#"{"startedDateTime":"2026-03-12T10:00:00.000Z","time":5,"request":{"method":"GET","url":"https://h/a"},"response":{"status":200}}"#;
        let spaced = "{ \r\n\t\"startedDateTime\" :\n \"2026-03-12T10:00:00.000Z\" , \"request\" : {\"method\":\"GET\",\"url\":\"https://h/{}\"} ,\n \"x\" : [1, {\"}\": \"{\"}]\n\t}";
        let docs = [
            (format!(r#"{{"log":{{"entries":[{e},{e}]}}}}"#), true),
            (format!("{{\"log\": {{\"entries\": [\n  {spaced} ,\n {e}, 7, \"s\" ]}}}}"), true),
            (format!(r#"{{"log":{{"entries":[{e},{{}}]}}}}"#), false),
            (format!(r#"{{"log":{{"entries":[{{"\u0073tartedDateTime":"2026-03-12T10:00:00.000Z"}},{e}]}}}}"#), false),
        ];
        for (doc, one_pass) in docs {
            let f = file(&doc);
            let inner = unwrap_jsonp(&f.text).unwrap_or_default();
            let parts = read(inner, Member { name: "log", seed: Member { name: "entries", seed: Items(EntrySeed) } })
                .ok()
                .flatten()
                .flatten()
                .flatten()
                .flatten()
                .flatten()
                .unwrap_or_default();
            let two = entries_in_two_passes(&f, inner);
            assert_eq!(parts.len(), two.len(), "{doc}");
            let placed: Vec<Option<(usize, usize)>> = parts.iter().map(|p| p.as_ref().and_then(|p| entry_range(&f.text, p))).collect();
            assert_eq!(placed.iter().zip(&parts).all(|(r, p)| r.is_some() || p.is_none()), one_pass, "{doc}");
            for ((p, r), t) in parts.iter().zip(&placed).zip(&two) {
                assert_eq!(p.is_some(), t.is_some(), "{doc}");
                if let (Some(r), Some(t)) = (r, t) {
                    assert_eq!(Some(*r), t.range, "{doc}");
                    assert!(serde_json::from_str::<Value>(f.text.get(r.0..r.1).unwrap_or("")).is_ok_and(|v| v.is_object()));
                }
            }
            let mut out = Vec::new();
            let problems = parse(&f, 0, &mut out);
            assert!(problems.iter().all(|p| p.code == "har-invalid"), "{doc}");
            assert_eq!(out.len(), two.iter().flatten().count(), "{doc}");
            assert!(out.iter().all(|r| r.text_end() > r.text_start()), "every record placed: {doc}");
        }
    }
}
