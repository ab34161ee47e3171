//! HAR files through the whole session: the harviewer test suite and synthetic Finesse/ECE captures.

mod common;

use std::path::{Path, PathBuf};
use switchboard::ingest::{ingest_path, Limits, LoadState};
use switchboard::report;
use switchboard::session::Session;

fn peer() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/peer/harviewer-tests"))
}

fn load(paths: &[&Path]) -> serde_json::Value {
    let mut s = Session::new();
    let mut st = LoadState::default();
    for p in paths {
        ingest_path(p, &Limits::default(), &mut st, &mut s);
    }
    s.finish();
    s.records = s.decoded_records().into();
    report::to_json(&s)
}

fn har_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            har_files(&p, out);
        } else if p.extension().map(|x| x == "har" || x == "harp").unwrap_or(false) {
            out.push(p);
        }
    }
}

/// Entry count as an independent JSON reader sees it (None when the file is not a readable HAR).
fn entry_count(p: &Path) -> Option<usize> {
    let t = std::fs::read_to_string(p).ok()?;
    let t = t.trim_start_matches('\u{feff}').trim();
    let inner = if t.starts_with('{') { t } else { t.get(t.find('(')? + 1..)?.trim_end().trim_end_matches(';').trim_end().strip_suffix(')')? };
    let v: serde_json::Value = serde_json::from_str(inner).ok()?;
    Some(v.get("log")?.get("entries")?.as_array()?.len())
}

#[test]
fn every_harviewer_file_loads() {
    let mut files = Vec::new();
    har_files(&peer(), &mut files);
    files.sort();
    assert!(files.len() >= 50, "found {} HAR files", files.len());
    for f in &files {
        let j = load(&[f.as_path()]);
        let file = &j["files"][0];
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let records = file["records"].as_u64().unwrap_or(0) as usize;
        let problems: Vec<String> =
            file["problems"].as_array().map(|a| a.iter().map(|p| p["message"].as_str().unwrap_or("").to_string()).collect()).unwrap_or_default();
        assert_eq!(file["format"], "har", "{name}");
        match name {
            "not-json.har" | "not-valid.har" => {
                assert_eq!(records, 0, "{name}");
                assert_eq!(problems.len(), 1, "{name}: {problems:?}");
                assert!(problems[0].contains(name), "problem names the file: {problems:?}");
                let reason = if name == "not-json.har" { "not valid JSON" } else { "no \"entries\"" };
                assert!(problems[0].contains(reason), "{name}: {problems:?}");
            }
            "invalid.harp" => {
                assert_eq!(Some(records), entry_count(f), "{name}: entries still load");
                assert!(problems.iter().any(|p| p.contains(name) && p.contains("timings")), "{problems:?}");
            }
            _ => {
                let n = entry_count(f).unwrap_or_else(|| panic!("{name}: test reader failed"));
                assert!(n >= 1 && n <= records, "{name}: {n} entries, {records} records");
                assert!(problems.is_empty(), "{name}: {problems:?}");
            }
        }
        for r in j["records"].as_array().into_iter().flatten() {
            assert!(r["fields"]["method"].is_string(), "{name}: entry record without method");
            assert!(r["time"]["utc"].is_string(), "{name}: entry without UTC time: {}", r["time"]);
        }
    }
}

#[test]
fn base64_body_and_jsonp() {
    let j = load(&[&peer().join("issue-62/svg.base64.har")]);
    let body = j["records"][0]["fields"]["responseBody"].as_str().unwrap_or("");
    assert!(body.contains("<svg"), "decoded base64 body: {body:.80}");
    let j = load(&[&peer().join("jsonp.har")]);
    assert_eq!(j["records"].as_array().map(|a| a.len()), Some(1));
    let j = load(&[&peer().join("issue-78/json.har")]);
    let body = j["records"][0]["fields"]["responseBody"].as_str().unwrap_or("");
    assert!(body.contains("\n  "), "JSON pretty-printed");
}

/// Writes `text` as `name` in the test's own temp folder (removed when `dir` is dropped).
fn write_tmp(dir: &common::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    p
}

fn entry(time: &str, method: &str, url: &str, req: &str, status: u16, resp: &str, extra: &str) -> String {
    serde_json::json!({
        "startedDateTime": time, "time": 12.5,
        "request": {"method": method, "url": url, "httpVersion": "HTTP/1.1", "cookies": [], "headers": [{"name": "Authorization", "value": "Basic MjAwMToyMDAx"}], "queryString": [], "headersSize": -1, "bodySize": req.len(), "postData": {"mimeType": "text/xml", "text": req}},
        "response": {"status": status, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [], "content": {"size": resp.len(), "mimeType": "text/xml", "text": resp}, "redirectURL": "", "headersSize": -1, "bodySize": -1},
        "cache": {}, "timings": {"send": 1, "wait": 10, "receive": 1.5}
    }).to_string().replacen('{', &format!("{{{extra}"), 1)
}

#[test]
fn finesse_bosh_websocket_and_ece_capture() {
    let upd = "<body xmlns='http://jabber.org/protocol/httpbind'><message from='pubsub.f' to='1001@f' id='/finesse/api/User/1001__1001@f__AbCdE'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='/finesse/api/User/1001'><item id='x1'><notification xmlns='http://jabber.org/protocol/pubsub'>&lt;Update&gt;&lt;data&gt;&lt;user&gt;&lt;state&gt;READY&lt;/state&gt;&lt;reasonCodeId&gt;-1&lt;/reasonCodeId&gt;&lt;/user&gt;&lt;/data&gt;&lt;event&gt;put&lt;/event&gt;&lt;requestId&gt;r-1&lt;/requestId&gt;&lt;source&gt;/finesse/api/User/1001&lt;/source&gt;&lt;/Update&gt;</notification></item></items></event></message></body>";
    let entries = [
        entry("2024-01-30T13:55:00.000Z", "POST", "https://f:7443/http-bind/", "<body rid='100' sid='s1' xmlns='http://jabber.org/protocol/httpbind'/>", 200, "<body xmlns='http://jabber.org/protocol/httpbind'/>", ""),
        entry("2024-01-30T13:55:30.000Z", "POST", "https://f:7443/http-bind/", "<body rid='101' sid='s1' xmlns='http://jabber.org/protocol/httpbind'/>", 200, upd, ""),
        entry("2024-01-30T13:56:00.000Z", "POST", "https://f:7443/http-bind/", "<body rid='104' sid='s1' xmlns='http://jabber.org/protocol/httpbind'/>", 404, "<body type='terminate' condition='item-not-found' xmlns='http://jabber.org/protocol/httpbind'/>", ""),
        entry("2024-01-30T13:56:01.000Z", "GET", "https://ece/system/egain/chat/entrypoint/checkEligibility/1001", "", 200, "<checkEligibility responseType=\"1\"/>", ""),
        entry("2024-01-30T13:56:02.000Z", "GET", "https://f/finesse/api/User/1001", "", 400, "<ApiErrors><ApiError><ErrorType>Invalid State</ErrorType><ErrorMessage>bad</ErrorMessage><ErrorData>1</ErrorData><ErrorMedia>5001</ErrorMedia></ApiError></ApiErrors>", ""),
        entry("2024-01-30T13:56:03.000Z", "GET", "wss://f/ws", "", 101, "",
            r#""_webSocketMessages":[{"type":"send","time":1706622963.5,"opcode":1,"data":"<open xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\" to=\"f\" version=\"1.0\"/>"},{"type":"receive","time":1706622964.25,"opcode":1,"data":"<message from='pubsub.f'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='/finesse/api/User/1001/Dialogs'><item id='i'><notification xmlns='http://jabber.org/protocol/pubsub'><Update><data><dialogs><Dialog><id>16804377</id><mediaType>Voice</mediaType><state>ALERTING</state><participants><Participant><mediaAddress>1001</mediaAddress><state>ALERTING</state><actions><action>ANSWER</action></actions></Participant></participants></Dialog></dialogs></data><event>POST</event><requestId></requestId><source>/finesse/api/User/1001/Dialogs</source></Update></notification></item></items></event></message>"}],"#),
        entry("2024-01-30T13:56:04.000Z", "GET", "https://x/bad", "", 200, "", "").replace("\"text\":\"\"", "\"text\":\"%%%notbase64\",\"encoding\":\"base64\""),
    ];
    let har = format!("{{\"log\":{{\"version\":\"1.2\",\"creator\":{{\"name\":\"test\",\"version\":\"1\"}},\"entries\":[{}]}}}}", entries.join(","));
    let dir = common::temp_dir("decoders-capture");
    let p = write_tmp(&dir, "capture.har", &har);
    let j = load(&[&p]);
    assert_eq!(j["files"][0]["format"], "har");
    let recs = j["records"].as_array().cloned().unwrap_or_default();
    assert_eq!(recs.len(), 9, "7 entries + 2 frames");
    let f = |i: usize| recs[i]["fields"].clone();
    assert_eq!(f(0)["sid"], "s1");
    assert_eq!(f(0)["rid"], 100);
    assert_eq!(f(0)["emptyResponse"], true);
    assert_eq!(f(0)["authUser"], "2001");
    assert_eq!(recs[0]["time"]["utc"], "2024-01-30T13:55:00.000Z");
    assert!(recs[0]["text"].as_str().unwrap_or("").starts_with("POST https://f:7443/http-bind/ 200"));
    assert_eq!(f(1)["state"], "READY");
    assert_eq!(f(1)["event"], "PUT");
    assert_eq!(f(1)["requestId"], "r-1");
    assert_eq!(f(1)["node"], "/finesse/api/User/1001");
    assert_eq!(f(2)["ridGap"], 2);
    assert_eq!(f(2)["responseType"], "terminate");
    assert_eq!(f(2)["condition"], "item-not-found");
    assert_eq!(f(3)["responseType"], 1);
    assert_eq!(f(3)["entryPointId"], 1001);
    assert_eq!(f(4)["apiErrors"][0]["statusName"], "E_ARM_STAT_AGENT_ALREADY_LOGGED_IN");
    let open = recs.iter().find(|r| r["fields"]["framing"] == "open").expect("open frame");
    assert_eq!(open["time"]["utc"], "2024-01-30T13:56:03.500Z");
    let dlg = recs.iter().find(|r| r["fields"]["wsDirection"] == "receive").expect("receive frame");
    assert_eq!(dlg["fields"]["state"], "ALERTING");
    assert_eq!(dlg["fields"]["event"], "POST");
    assert_eq!(dlg["fields"]["participants"][0]["actions"][0], "ANSWER");
    let bad = recs.iter().find(|r| r["fields"]["url"] == "https://x/bad").expect("bad base64 entry");
    assert!(bad["notes"].as_array().map(|n| n.iter().any(|x| x.as_str().unwrap_or("").contains("base64"))).unwrap_or(false));
}

#[test]
fn cut_har_gives_a_problem() {
    let dir = common::temp_dir("decoders-cut");
    let p = write_tmp(&dir, "cut.har", "{\"log\":{\"version\":\"1.2\",\"entries\":[{\"startedDateTime\":\"2024-01-30T13");
    let j = load(&[&p]);
    let msg = j["files"][0]["problems"][0]["message"].as_str().unwrap_or("").to_string();
    assert!(msg.contains("cut.har") && msg.contains("cut short"), "{msg}");
    let p = write_tmp(&dir, "wrapped.harp", "cb({\"log\":{\"entries\":[]}}");
    let j = load(&[&p]);
    let msg = j["files"][0]["problems"][0]["message"].as_str().unwrap_or("").to_string();
    assert!(msg.contains("JSONP"), "{msg}");
}

fn session(p: &Path) -> Session {
    let mut s = Session::new();
    ingest_path(p, &Limits::default(), &mut LoadState::default(), &mut s);
    s.finish();
    s
}

/// Loaded HAR records are index entries: time, name, host, the lines and bytes of their JSON, and
/// no fields but what decoding one entry alone cannot find again (a frame's number and URL, BOSH
/// rid marks made across entries). Decoded, they are what loading gave before records were lazy:
/// `tests/data/har/*.decoded.json` were written by that code (`switchboard analyze --json`,
/// records without file and line numbers, which HAR records did not have then).
#[test]
fn index_entries_decode_as_before() {
    let data = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/har"));
    // odd.har: escaped strings and keys, repeated keys, entries that are not objects, odd frame
    // times, base64 and form bodies, BOSH rid gaps and repeats; testLoad2.harp: JSONP.
    for (har, expected) in [(data.join("odd.har"), data.join("odd.decoded.json")), (peer().join("testLoad2.harp"), data.join("testLoad2.decoded.json"))] {
        let s = session(&har);
        let file = &s.files[0];
        assert_eq!(file.format, "har");
        let mut marks = 0;
        for r in &s.records {
            assert!(!r.detail() && r.own_text().is_none(), "{r:?}");
            assert!(r.line >= 1 && r.line_end >= r.line, "{r:?}");
            let json: serde_json::Value = serde_json::from_str(s.record_text(r)).expect("an index entry's text is its JSON");
            let first_line = file.text.lines().nth(r.line as usize - 1).unwrap_or("");
            assert!(first_line.contains(s.record_text(r).lines().next().unwrap_or("-")), "line {} is where the JSON starts", r.line);
            let keys: Vec<&str> = r.fields().keys().collect();
            if r.name().is_some_and(|n| n.starts_with("WebSocket")) {
                assert_eq!(keys, ["frame", "url"]);
            } else {
                let keys: Vec<&str> = keys.into_iter().filter(|k| *k != "durationMs").collect();
                assert!(json.is_object() && keys.iter().all(|k| *k == "ridGap" || *k == "ridRepeat"), "{keys:?}");
                assert_eq!(keys.len(), r.notes().len());
                marks += keys.len();
            }
        }
        assert_eq!(marks, if har.ends_with("odd.har") { 4 } else { 0 });
        let report = report::to_json(&s);
        let decoded: Vec<serde_json::Value> = report["records"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|mut r| {
                if let Some(o) = r.as_object_mut() {
                    for k in ["file", "line", "line_end"] {
                        o.remove(k);
                    }
                    // Fields added since (issue 16: the waterfall's start and duration, the
                    // initiator, a Dialog's participants in one line): the rest is unchanged.
                    if let Some(f) = o.get_mut("fields").and_then(|f| f.as_object_mut()) {
                        for k in ["startMs", "durationMs", "initiator", "participantStates"] {
                            f.remove(k);
                        }
                    }
                }
                r
            })
            .collect();
        let expected: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(&expected).unwrap_or_default()).expect("expected records");
        assert_eq!(decoded.len(), expected.len());
        for (d, e) in decoded.iter().zip(&expected) {
            assert_eq!(d, e);
        }
    }
}
