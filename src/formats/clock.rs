//! Clock inference for logs that write time without a date or a zone: from the file name
//! (`localhost_access_log.2013-04-23.txt`), dumplog date headers, epoch values logged next to wall
//! times in the same file (`nocache=…`, `time=…`), the file's own zoned lines, and neighbouring files
//! of the same capture (same folder, then its parent). When nothing fits, the zone stays unknown.

use super::engine::stamp_mdy;
use crate::model::{LogFile, Records};
use crate::time;
use std::collections::BTreeMap;

/// Epoch-millisecond fields that stand for the moment the line was written.
const EPOCH_KEYS: &[&str] = &["nocache", "time"];

#[derive(Default, Clone)]
struct Evidence {
    needs_date: bool,
    needs_zone: bool,
    /// Mode of offsets written on the file's own records.
    own_offset: Option<i32>,
    /// Distinct dates written on the file's own records.
    dates: Vec<(i32, u32, u32)>,
    epoch: Option<(i32, (i32, u32, u32), &'static str)>,
    /// Records decoded so far looking for an epoch value (bounded: see `MAX_EPOCH_TRIES`).
    epoch_tries: u32,
    /// Zone-less records whose text was searched for an epoch key (bounded: `MAX_EPOCH_SCANS`).
    epoch_scans: u32,
}

/// Records of one file decoded in search of an epoch value before giving up: the evidence, when a
/// file has it, is on its first lines; a file without it must not be decoded whole at load.
const MAX_EPOCH_TRIES: u32 = 64;

/// Zone-less records of one file whose text is searched for an epoch key: the search costs a scan
/// of each record, and a file that names no epoch key in its first thousands of records has none
/// worth waiting for.
const MAX_EPOCH_SCANS: u32 = 4096;

fn dir_of(path: &str) -> &str {
    match path.rfind(['/', '\\']) {
        Some(i) => path.get(..i).unwrap_or(""),
        None => "",
    }
}

fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// `…2013-04-23…` in a file name.
fn date_in_name(path: &str) -> Option<(i32, u32, u32)> {
    let b = base_name(path);
    for (i, _) in b.char_indices() {
        if let Some(((y, m, d), _)) = b.get(i..).and_then(time::parse_ymd) {
            if b.get(i + 4..i + 5) == Some("-") && (1990..=2100).contains(&y) {
                return Some((y, m, d));
            }
        }
    }
    None
}

fn mode(v: &[i32]) -> Option<i32> {
    let mut m: BTreeMap<i32, usize> = BTreeMap::new();
    for &x in v {
        *m.entry(x).or_default() += 1;
    }
    m.into_iter().max_by_key(|&(_, n)| n).map(|(x, _)| x)
}

/// Infers the clocks of `files[first..]` (the files of the load being finished), from their own
/// records and from neighbouring files *of the same load*: files placed by an earlier load keep
/// their clocks and are not taken as neighbours, so merging a second bundle never changes what the
/// first placed, and an earlier bundle's files never lend a later one their zone or date.
pub fn infer(files: &mut [LogFile], records: &mut Records, first: usize) {
    let n = files.len();
    let earlier = |f: u32| (f as usize) < first;
    // Dumplog date headers: the date applies to the records that follow in the same file.
    let mut header: Vec<Option<(i32, u32, u32)>> = vec![None; n];
    // Labels compared as labels: reading a record's name as text takes the label table's lock.
    let date_header = crate::model::Sym::new("DATE_HEADER");
    for r in records.iter_mut() {
        let f = r.file as usize;
        if earlier(r.file) {
            continue;
        }
        if r.name.is_some() && r.name == date_header {
            // Index entries keep no fields: the header is decoded here (one record per header).
            let date = files.get(f).map(|file| super::decode_record(file, r)).and_then(|d| d.get_str("date"));
            if let Some(d) = date.and_then(|d| time::parse_ymd(&d).map(|x| x.0)) {
                if let Some(h) = header.get_mut(f) {
                    *h = Some(d);
                }
            }
            continue;
        }
        if let (Some(t), Some(Some(d))) = (r.time.as_mut(), header.get(f)) {
            if t.date().is_none() {
                t.set_date(Some(*d));
            }
        }
    }

    let mut ev: Vec<Evidence> = vec![Evidence::default(); n];
    let mut offsets: Vec<Vec<i32>> = vec![Vec::new(); n];
    for r in records.iter() {
        if earlier(r.file) {
            continue;
        }
        let Some(e) = ev.get_mut(r.file as usize) else { continue };
        let Some(t) = &r.time else { continue };
        if t.ms_of_day().is_none() || t.epoch_ms().is_some() {
            continue;
        }
        if let Some(d) = t.date() {
            if !e.dates.contains(&d) {
                e.dates.push(d);
            }
        } else {
            e.needs_date = true;
        }
        match t.offset_min() {
            Some(o) => {
                if let Some(v) = offsets.get_mut(r.file as usize) {
                    v.push(o);
                }
            }
            None => {
                e.needs_zone = true;
                let file = files.get(r.file as usize);
                let text = file.map(|f| r.text(&f.text)).unwrap_or("");
                // Decoded only when the raw text names an epoch key (index entries keep no fields).
                static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
                    std::sync::LazyLock::new(|| EPOCH_KEYS.iter().map(|k| memchr::memmem::Finder::new(k.as_bytes())).collect());
                let searching = e.epoch.is_none() && e.epoch_tries < MAX_EPOCH_TRIES && e.epoch_scans < MAX_EPOCH_SCANS;
                e.epoch_scans += u32::from(searching);
                if searching && FINDERS.iter().any(|f| f.find(text.as_bytes()).is_some()) {
                    e.epoch_tries += 1;
                    let Some(d) = file.map(|f| super::decode_record(f, r)) else { continue };
                    for &k in EPOCH_KEYS {
                        let Some(v) = d.get_str(k) else { continue };
                        let Ok(ms) = v.trim().parse::<i64>() else { continue };
                        if !(1_000_000_000_000..10_000_000_000_000).contains(&ms) {
                            continue;
                        }
                        if let Some(off) = t.ms_of_day().and_then(|m| time::offset_from_epoch(m, ms)) {
                            let day = (ms + off as i64 * 60_000).div_euclid(crate::time::DAY_MS);
                            e.epoch = Some((off, time::civil_from_days(day), k));
                            break;
                        }
                    }
                }
            }
        }
    }
    for (e, o) in ev.iter_mut().zip(offsets.iter()) {
        e.own_offset = mode(o);
    }

    // The file's own evidence.
    for (i, f) in files.iter_mut().enumerate().skip(first) {
        let Some(e) = ev.get(i) else { continue };
        let mut src: Vec<String> = Vec::new();
        if e.needs_date && f.clock.date.is_none() {
            if let Some(d) = date_in_name(&f.path) {
                f.clock.date = Some(d);
                src.push("date from file name".into());
            } else if let Some((_, d, k)) = e.epoch {
                f.clock.date = Some(d);
                src.push(format!("date inferred from {k} epoch"));
            }
        }
        if e.needs_zone && f.clock.utc_offset_min.is_none() {
            if let Some((o, _, k)) = e.epoch {
                f.clock.utc_offset_min = Some(o);
                src.push(format!("zone inferred from {k} epoch"));
            } else if let Some(o) = e.own_offset {
                f.clock.utc_offset_min = Some(o);
                src.push("zone from other lines of this file".into());
            }
        }
        if !src.is_empty() && f.clock.source.is_empty() {
            f.clock.source = src.join(", ");
        }
    }

    // Neighbouring files of the same capture: same folder first, then the parent folder.
    // A zone of +0000 is not taken as evidence: servers that log in GMT say nothing about the site.
    // Everything is aggregated per folder once, so a load of 100 000 files stays linear.
    let dirs: Vec<String> = files.iter().map(|f| dir_of(&f.path).to_string()).collect();
    let zone_of: Vec<Option<i32>> = files.iter().enumerate().map(|(i, f)| ev.get(i).and_then(|e| e.own_offset).or(f.clock.utc_offset_min)).collect();
    #[derive(Default)]
    struct Folder {
        files: Vec<usize>,
        zones: Vec<i32>,
        dates: Vec<(i32, u32, u32)>,
    }
    let mut folders: std::collections::HashMap<&str, Folder> = std::collections::HashMap::new();
    for (j, d) in dirs.iter().enumerate().skip(first) {
        let f = folders.entry(d.as_str()).or_default();
        f.files.push(j);
        // Files no family claims (notes, manifests, generic text) teach nothing about the capture's clock.
        let known = files.get(j).and_then(|x| super::by_name(&x.format)).is_some_and(|x| x.role != super::Role::Unknown);
        if !known {
            continue;
        }
        if let Some(z) = zone_of.get(j).copied().flatten().filter(|&z| z != 0) {
            f.zones.push(z);
        }
        for d in ev.get(j).map(|e| e.dates.as_slice()).unwrap_or(&[]) {
            if !f.dates.contains(d) {
                f.dates.push(*d);
            }
        }
    }
    for i in first..n {
        let Some(e) = ev.get(i) else { continue };
        let need_zone = e.needs_zone && files.get(i).is_some_and(|f| f.clock.utc_offset_min.is_none());
        let need_date = e.needs_date && files.get(i).is_some_and(|f| f.clock.date.is_none());
        if !need_zone && !need_date {
            continue;
        }
        let here = dirs.get(i).cloned().unwrap_or_default();
        let parent = dir_of(&here).to_string();
        for scope in [here.as_str(), parent.as_str()] {
            let Some(folder) = folders.get(scope) else { continue };
            // The file itself contributes nothing it lacks (it needs a zone or a date).
            if folder.files.iter().all(|&j| j == i) {
                continue;
            }
            let Some(f) = files.get_mut(i) else { break };
            let mut src = Vec::new();
            if need_zone && f.clock.utc_offset_min.is_none() {
                if let Some(z) = mode(&folder.zones) {
                    f.clock.utc_offset_min = Some(z);
                    src.push(format!("zone {} from neighbouring files", time::offset_text(z)));
                }
            }
            if need_date && f.clock.date.is_none() && folder.dates.len() == 1 {
                f.clock.date = folder.dates.first().copied();
                src.push("date from neighbouring files".into());
            }
            if !src.is_empty() {
                let s = src.join(", ");
                f.clock.source = if f.clock.source.is_empty() { s } else { format!("{}, {s}", f.clock.source) };
            }
            if (f.clock.utc_offset_min.is_some() || !need_zone) && (f.clock.date.is_some() || !need_date) {
                break;
            }
        }
    }

    // Year-less records (`Aug 27 12:21:23.943 EDT`): the year from the file clock or the capture
    // (this folder, its parent and its sub-folders).
    let mut years_by_dir: std::collections::HashMap<&str, Vec<i32>> = std::collections::HashMap::new();
    let mut children: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
    for (d, folder) in &folders {
        let ys = years_by_dir.entry(d).or_default();
        for x in &folder.dates {
            if !ys.contains(&x.0) {
                ys.push(x.0);
            }
        }
        children.entry(dir_of(d)).or_default().push(d);
    }
    let mut year_of: Vec<Option<i32>> = vec![None; n];
    for i in first..n {
        let own = files.get(i).and_then(|f| f.clock.date).map(|d| d.0);
        if own.is_some() {
            if let Some(y) = year_of.get_mut(i) {
                *y = own;
            }
            continue;
        }
        let here = dirs.get(i).map(String::as_str).unwrap_or("");
        let parent = dir_of(here);
        let mut years: Vec<i32> = Vec::new();
        let mut scopes: Vec<&str> = vec![here];
        if parent != here {
            scopes.push(parent);
        }
        scopes.extend(children.get(here).into_iter().flatten().copied().filter(|c| *c != here));
        for sc in scopes {
            for y in years_by_dir.get(sc).into_iter().flatten() {
                if !years.contains(y) {
                    years.push(*y);
                }
            }
        }
        if let Some(y) = year_of.get_mut(i) {
            *y = if years.len() == 1 { years.first().copied() } else { None };
        }
    }
    for r in records.iter_mut() {
        if earlier(r.file) {
            continue;
        }
        // Only a record with a time of day and no date is read again (nearly all have a date).
        if r.time.as_ref().is_none_or(|t| t.date().is_some() || t.ms_of_day().is_none()) {
            continue;
        }
        let Some(f) = files.get(r.file as usize) else { continue };
        let written = r.time_text(&f.text);
        let Some((m, d, _)) = time::parse_mon_day(written) else { continue };
        if stamp_mdy(written).is_none() {
            continue;
        }
        let Some(t) = r.time.as_mut() else { continue };
        if let Some(Some(y)) = year_of.get(r.file as usize) {
            if time::valid_date(*y, m, d) {
                t.set_date(Some((*y, m, d)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(date_in_name("a/localhost_access_log.2013-04-23.txt"), Some((2013, 4, 23)));
        assert_eq!(date_in_name("x/Desktop-webservices.2017-06-17T00-16-00.000.log"), Some((2017, 6, 17)));
        assert_eq!(date_in_name("x/ctisvr.txt"), None);
        assert_eq!(dir_of("a/b/c.txt"), "a/b");
    }
}
