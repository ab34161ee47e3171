//! The demo bundle: every file is recognised as the format it imitates, every record parses (the
//! only decoder notes are the deliberate ones), the ARM dumps decode back to the values the
//! generator encoded, the zip loads through ingest with every member, and no value of the shared
//! corpus leaks into it.

use std::collections::BTreeMap;
use switchboard::demo::{self, arm};
use switchboard::ingest::{block_on, ingest, Limits, LoadState, NoPause};
use switchboard::model::{FileStatus, LogFile, Record};
use switchboard::session::Session;

const EXPECTED: &[(&str, &str)] = &[
    ("01-signin/Desktop-webservices.2026-03-12T09-02-00.000.log", "finesse-webservices"),
    ("01-signin/agent-desktop-3107.har", "har"),
    ("01-signin/clientlogs/Finesse_3107.txt", "finesse-clientlog"),
    ("01-signin/ctisvr.txt", "ctisvr"),
    ("01-signin/localhost_access_log.2026-03-12.txt", "tomcat-access"),
    ("01-signin/openfire/debug.log", "openfire-debug"),
    ("02-bosh-drop/Desktop-webservices.2026-03-12T10-12-00.000.log", "finesse-webservices"),
    ("02-bosh-drop/agent-desktop-3107.har", "har"),
    ("02-bosh-drop/ctisvr.txt", "ctisvr"),
    ("02-bosh-drop/openfire/debug.log", "openfire-debug"),
    ("02-bosh-drop/openfire/info.log", "openfire-info"),
    ("03-task-routing/Desktop-webservices.2026-03-12T10-58-00.000.log", "finesse-webservices-v12"),
    ("03-task-routing/ccpapi.log", "ccp-ccbu"),
    ("03-task-routing/ctisvr.txt", "ctisvr"),
    ("03-task-routing/pim1.txt", "mr-pim"),
    ("03-task-routing/rtr.txt", "icm-router"),
    ("03-task-routing/runtime.log", "ccp-ccbu"),
    ("04-chat-refused/Desktop-webservices.2026-03-12T11-20-00.000.log", "finesse-webservices-v12"),
    ("04-chat-refused/ctisvr.txt", "ctisvr"),
    ("04-chat-refused/customer-chat.har", "har"),
    ("04-chat-refused/entrypoint-initialize-1001.json", "ece-entrypoint-json"),
    ("04-chat-refused/listener.log", "ece-listener"),
    ("04-chat-refused/rttest.txt", "rttest"),
];

fn session_from_zip() -> Session {
    let zip = demo::bundle_zip();
    let size = zip.len() as u64;
    let mut s = Session::new();
    let mut st = LoadState::default();
    let _ = block_on(ingest(demo::DEMO_NAME, std::io::Cursor::new(zip), size, &Limits::default(), &mut st, &mut s, &mut NoPause));
    s.finish();
    s.records = s.decoded_records().into();
    s
}

fn member(path: &str) -> String {
    path.split_once("!/").map(|(_, m)| m.to_string()).unwrap_or_else(|| path.to_string())
}

#[test]
fn every_file_has_its_intended_format() {
    let s = session_from_zip();
    let got: BTreeMap<String, String> = s.files.iter().map(|f| (member(&f.path), f.format.clone())).collect();
    let want: BTreeMap<String, String> = EXPECTED.iter().map(|(p, f)| (p.to_string(), f.to_string())).collect();
    assert_eq!(got, want);
    assert_eq!(demo::bundle().len(), EXPECTED.len());
    for f in &s.files {
        assert_eq!(f.status, FileStatus::Loaded, "{}", f.path);
        assert!(f.problems.is_empty(), "{}: {:?}", f.path, f.problems);
    }
}

#[test]
fn records_parse_and_only_deliberate_notes() {
    let s = session_from_zip();
    assert!(s.records.len() >= 400, "only {} records", s.records.len());
    let counts = s.record_counts();
    for (f, n) in s.files.iter().zip(&counts) {
        assert!(*n > 0, "{} has no records", f.path);
    }
    let mut deliberate = 0;
    for r in &s.records {
        if r.notes().is_empty() {
            continue;
        }
        // The ECE listener's MAKE_AGENT_NOT_READY_REQ/RESP dumps: their fixed layout is not public,
        // so the decoder reads the InvokeID only and says so.
        let name = r.name().unwrap_or_default();
        assert!(name.starts_with("MAKE_AGENT_NOT_READY_RE"), "unexpected notes on {name}: {:?}", r.notes());
        assert!(r.notes().iter().all(|n| n.contains("fixed layout")), "{:?}", r.notes());
        deliberate += 1;
    }
    assert_eq!(deliberate, 2);
    // Every timed record lands on the timeline in UTC (rttest and the saved JSON have no time).
    for r in &s.records {
        let file = &s.files[r.file as usize];
        if file.format == "rttest" || file.format == "ece-entrypoint-json" {
            continue;
        }
        assert!(r.utc_ms().is_some(), "{}:{} has no UTC time", file.path, r.line);
    }
}

fn named<'a>(s: &'a Session, suffix: &str, name: &str) -> Vec<&'a Record> {
    s.records.iter().filter(|r| s.files[r.file as usize].path.ends_with(suffix) && r.name() == Some(name)).collect()
}

fn num(r: &Record, k: &str) -> Option<i64> {
    r.get_str(k).and_then(|v| v.parse().ok())
}

#[test]
fn the_incident_reads_back() {
    let s = session_from_zip();
    // 1. Sign-in: the PUT's requestId reaches ctisvr's partner log lines and the client's Update.
    let ws = "01-signin/Desktop-webservices.2026-03-12T09-02-00.000.log";
    let put = s.records.iter().find(|r| s.files[r.file as usize].path.ends_with(ws) && s.record_text(r).contains("user.PUT"));
    let put = put.map(|r| s.record_text(r).to_string()).unwrap_or_default();
    let rid_start = put.find("request_identifer=").map(|i| i + 18).unwrap_or(0);
    let request_id: String = put.get(rid_start..).unwrap_or("").chars().take(36).collect();
    assert_eq!(request_id.len(), 36);
    let client_has = s.records.iter().filter(|r| s.files[r.file as usize].path.ends_with("Finesse_3107.txt") && s.record_text(r).contains(&request_id)).count();
    assert!(client_has >= 3, "requestId in {client_has} client records");
    let of_has = s.records.iter().any(|r| s.files[r.file as usize].path.ends_with("01-signin/openfire/debug.log") && s.record_text(r).contains(&request_id));
    assert!(of_has);
    // 2. The BOSH session ages 0 → 30 s → 60 s, then the logout with reason code 255.
    let ages: Vec<i64> = named(&s, "02-bosh-drop/openfire/debug.log", "SESSION_LAST_ACTIVE").iter().filter_map(|r| num(r, "last_active_ms")).collect();
    assert!(ages.ends_with(&[0, 30012, 60013]), "{ages:?}");
    let closing = named(&s, "openfire/info.log", "CLOSING_IDLE_SESSION");
    let unavailable = named(&s, "02-bosh-drop/Desktop-webservices.2026-03-12T10-12-00.000.log", "PRESENCE_NOTIFICATION_RECIEVED");
    let (Some(c), Some(u)) = (closing.first().and_then(|r| r.utc_ms()), unavailable.first().and_then(|r| r.utc_ms())) else { panic!("no close/presence") };
    assert!((0..1000).contains(&(u - c)), "presence {u} vs close {c}");
    let logout = named(&s, "02-bosh-drop/Desktop-webservices.2026-03-12T10-12-00.000.log", "PRESENCE DRIVEN LOGOUT");
    let l = logout.first().and_then(|r| r.utc_ms()).unwrap_or(0);
    assert!((59_000..61_000).contains(&(l - u)));
    let cti_logout = s
        .records
        .iter()
        .find(|r| s.files[r.file as usize].path.ends_with("02-bosh-drop/ctisvr.txt") && s.record_text(r).contains("AgentState:LOGOUT EventReasonCode:255"));
    let cl = cti_logout.and_then(|r| r.utc_ms()).unwrap_or(0);
    assert!((0..100).contains(&(cl - l)), "ctisvr logout {cl} vs Finesse {l}");
    // 3. Task routing: the task ID in its forms, and the InvokeIDs in hex (ctisvr) and decimal (Finesse).
    let all: String = demo::bundle().into_iter().filter(|(p, _)| p.starts_with("03-")).map(|(_, t)| t).collect();
    // The call key day names the incident's day (2026-03-12: day 155298 counted from 1601-01-01).
    for form in ["155298_40218877_1", "155298:40218877:1", "155298/40218877/1", "155298:40218877: 1", "CID=(155298,40218877)"] {
        assert!(all.contains(form), "{form}");
    }
    assert!(all.contains("invokeId=40210") && all.contains(&format!("InvokeID:0x{:x}", 40210)));
    // 4. The chat entry point says no agent (responseType 1) and rttest shows the MRD not ready.
    let ep: Vec<&Record> =
        s.records.iter().filter(|r| s.files[r.file as usize].format == "har" && s.record_text(r).contains("entrypoint/initialize/1001")).collect();
    assert_eq!(ep.len(), 1);
    let text = s.record_text(ep[0]);
    assert!(text.contains("\"responseType\": 1"), "{text}");
    let rt = demo::bundle().into_iter().find(|(p, _)| p.ends_with("rttest.txt")).map(|(_, t)| t).unwrap_or_default();
    assert!(rt.contains("domain: ECE_Chat (5002), state = [nr-0:2,R]"));
    let har_bosh = s
        .records
        .iter()
        .filter(|r| s.files[r.file as usize].path.ends_with("agent-desktop-3107.har") && r.get_str("url").is_some_and(|u| u.contains("/http-bind")))
        .count();
    assert!(har_bosh >= 3);
}

#[test]
fn arm_dumps_round_trip() {
    use arm::Fixed::{I32, U16, U32};
    let bytes = arm::encode(151, &[U32(201_728), I32(5002), I32(7342), U16(0), U16(0), U32(2)], &[(107, "1042")]);
    let dump = arm::signed_dump(&bytes);
    let mut rec = Record::new(0, "ece-listener");
    switchboard::decoders::decode(&mut rec, &format!("Sending MEDIA_LOGIN_REQ -> {dump} <@>"));
    assert!(rec.notes().is_empty(), "{:?}", rec.notes());
    assert_eq!(rec.name(), Some("MEDIA_LOGIN_REQ"));
    for (k, v) in [
        ("MessageLength", 27),
        ("MessageTypeID", 151),
        ("InvokeID", 201_728),
        ("MRDID", 5002),
        ("ICMAgentID", 7342),
        ("AgentMode", 0),
        ("IsAvailable", 0),
        ("MaxTaskLimit", 2),
    ] {
        assert_eq!(num(&rec, k), Some(v), "{k}");
    }
    assert_eq!(rec.get_str("AgentInfo").as_deref(), Some("1042"));

    // Every dump in the bundle's listener log decodes to the type its line names, with a length that fits.
    let s = session_from_zip();
    let dumps: Vec<&Record> = s.records.iter().filter(|r| s.files[r.file as usize].format == "ece-listener" && r.get_str("ByteCount").is_some()).collect();
    assert_eq!(dumps.len(), 6);
    for r in &dumps {
        let text = s.record_text(r);
        let logged = text.split(" -> ").next().and_then(|h| h.rsplit(' ').next()).unwrap_or("");
        assert_eq!(r.name(), Some(logged));
        assert_eq!(num(r, "MessageLength"), num(r, "ByteCount").map(|n| n - 8));
        assert!(num(r, "InvokeID").is_some());
    }
    let login = dumps.iter().find(|r| r.name() == Some("MEDIA_LOGIN_REQ")).copied();
    let resp = dumps.iter().find(|r| r.name() == Some("MEDIA_LOGIN_RESP")).copied();
    let (Some(login), Some(resp)) = (login, resp) else { panic!("no login dumps") };
    assert_eq!(num(login, "InvokeID"), num(resp, "InvokeID"));
    assert_eq!((num(login, "MRDID"), num(login, "ICMAgentID"), num(login, "MaxTaskLimit")), (Some(5002), Some(7342), Some(2)));
    assert_eq!(num(resp, "Status"), Some(0));
    let routable = dumps.iter().find(|r| r.name() == Some("MAKE_AGENT_ROUTABLE_IND")).copied();
    let ready = dumps.iter().find(|r| r.name() == Some("MAKE_AGENT_READY_IND")).copied();
    let (Some(routable), Some(ready)) = (routable, ready) else { panic!("no availability dumps") };
    assert_eq!(num(routable, "MaxTasks"), Some(2));
    assert_eq!(num(ready, "MakeRoutable"), Some(1));
    assert_eq!(num(ready, "InvokeID"), num(routable, "InvokeID").map(|i| i + 1));
    // The same InvokeIDs appear in ctisvr's trace.
    let cti: String = demo::bundle().into_iter().find(|(p, _)| p == "04-chat-refused/ctisvr.txt").map(|(_, t)| t).unwrap_or_default();
    for r in [routable, ready] {
        assert!(cti.contains(&format!("InvokeID = {}", num(r, "InvokeID").unwrap_or(-1))));
    }
}

#[test]
fn zip_loads_every_member_and_plain_ingest_agrees() {
    let s = session_from_zip();
    assert_eq!(s.files.len(), EXPECTED.len());
    assert!(s.files.iter().all(|f| f.path.starts_with(&format!("{}!/", demo::DEMO_NAME))));
    // Same files loaded one by one (as `switchboard demo --out` writes them) give the same records.
    let mut plain = Session::new();
    for (path, text) in demo::bundle() {
        let mut f = LogFile::new(path, text.len() as u64);
        f.encoding = "utf-8".into();
        f.line_starts = switchboard::formats::engine::line_starts(&text);
        f.text = text;
        plain.add_file(f);
    }
    plain.finish();
    assert_eq!(plain.records.len(), s.records.len());
}

#[test]
fn deterministic_and_own_values_only() {
    assert_eq!(demo::bundle(), demo::bundle());
    assert_eq!(demo::bundle_zip(), demo::bundle_zip());
    let all: String = demo::bundle().into_iter().map(|(p, t)| p + "\n" + &t).collect();
    for banned in [
        "1366756802163",
        "6e210ca9",
        "f382a015",
        "5AA797871000018D",
        "2242240722460512",
        "154526",
        "mmouse",
        "uccefinesse138",
        "Mickey",
        "Minnies_Team",
        "37051928",
        "CumulusTask",
        "1001003",
        "3445afbe",
        "IrltMMd3T0prrkbnAwK8wkL5",
        "UCSFSJEFFERS",
        "dcloud",
        "Scott McTominay",
        "591309094",
        "80171",
        "ae93f5ad",
        "4f62417b",
    ] {
        assert!(!all.contains(banned), "bundle contains corpus value {banned}");
    }
}
