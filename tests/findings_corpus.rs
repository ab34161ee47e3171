//! Findings on the corpus: each names what went wrong, its evidence and what to check next.

use serde_json::Value;
use switchboard::ingest::{ingest_path, Limits, LoadState};
use switchboard::session::Session;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

fn load(folder: &str) -> (Session, Value) {
    let mut s = Session::new();
    let mut st = LoadState::default();
    ingest_path(std::path::Path::new(&format!("{CORPUS}/{folder}")), &Limits::default(), &mut st, &mut s);
    s.finish();
    s.records = s.decoded_records().into();
    let j = switchboard::report::to_json(&s);
    (s, j)
}

fn findings<'a>(s: &'a Session, code: &str) -> Vec<&'a switchboard::correlate::Finding> {
    s.findings.iter().filter(|f| f.code == code).collect()
}

fn evidence_names(s: &Session, f: &switchboard::correlate::Finding) -> Vec<String> {
    f.records.iter().filter_map(|&i| s.records.get(i)).filter_map(|r| r.name().map(str::to_string)).collect()
}

#[test]
fn ece_000_chat_available_and_zone_inferred() {
    let (s, j) = load("000-ece-availability");
    let a = findings(&s, "ece-chat-available");
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, "info");
    assert!(a[0].summary.to_string().contains("responseType 0"));
    let zones = findings(&s, "zone-inferred");
    for file in ["ctisvr.txt", "opc.txt"] {
        let z = zones.iter().find(|f| f.suggestion.as_ref().is_some_and(|g| g.file.ends_with(file))).unwrap_or_else(|| panic!("no zone-inferred for {file}"));
        let g = z.suggestion.as_ref().expect("suggestion");
        assert_eq!(g.utc_offset_min, Some(120), "{file}: {}", z.summary);
        assert_eq!(g.date, Some((2019, 8, 19)));
        assert!(g.skew_ms.abs() < 1000);
        assert!(z.summary.to_string().contains("+0200") && z.summary.to_string().contains("listener.log"), "{}", z.summary);
        assert!(z.records.len() >= 2);
    }
    // Serialized in the CLI report as the report's contract allows (code, severity, summary, records).
    assert!(j["findings"].as_array().is_some_and(|a| a.iter().any(|f| f["code"] == "zone-inferred")));
    // Clocks were not changed.
    assert!(s.files.iter().all(|f| !f.path.ends_with("ctisvr.txt") || f.clock.utc_offset_min.is_none()));
}

#[test]
fn login_001_route_failure_and_client_clock() {
    let (s, _j) = load("001-finesse-login");
    let r = findings(&s, "xmpp-route-failure");
    assert_eq!(r.len(), 1);
    assert!(r[0].summary.to_string().contains("2001@uccefinesse138.vmload.cvp/User"));
    assert!(r[0].summary.to_string().contains("nevertheless received"), "{}", r[0].summary);
    let c = findings(&s, "clock-skew");
    let client = c.iter().find(|f| f.suggestion.as_ref().is_some_and(|g| g.file.ends_with("Finesse_2001.txt"))).expect("client clock skew");
    assert_eq!(client.suggestion.as_ref().map(|g| g.skew_ms), Some(3000));
}

#[test]
fn bosh_002_presence_driven_logout() {
    let (s, _j) = load("002-finesse-bosh");
    let p = findings(&s, "presence-driven-logout");
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].severity, "error");
    assert!(p[0].summary.to_string().contains("1001003") && p[0].summary.to_string().contains("255"));
    assert!(p[0].summary.to_string().contains("network") && p[0].summary.to_string().contains("sleep"), "says what to check next");
    let names = evidence_names(&s, p[0]);
    assert!(names.iter().any(|n| n == "PRESENCE DRIVEN LOGOUT"));
    // Reason 255 evidence on both sides of the CTI exchange.
    let rc: Vec<String> =
        p[0].records.iter().filter_map(|&i| s.records.get(i)).filter_map(|r| r.get_str("reasonCode").or_else(|| r.get_str("eventReasonCode"))).collect();
    assert_eq!(rc.iter().filter(|v| *v == "255").count(), 2, "{rc:?}");
    let idle = findings(&s, "bosh-idle-close");
    assert_eq!(idle.len(), 1);
    assert!(idle[0].summary.to_string().contains("f382a015"));
    let route = findings(&s, "xmpp-route-failure");
    assert!(route.iter().any(|f| f.summary.to_string().contains("store offline") && f.severity == "warning"));
    assert!(findings(&s, "decode-error").iter().any(|f| f.summary.to_string().contains("debug.log")));
}

#[test]
fn task_003_handled_and_ctisvr_skew() {
    let (s, _j) = load("003-cce-task-routing");
    assert!(findings(&s, "task-not-handled").is_empty(), "the task ended and was handled");
    let c = findings(&s, "clock-skew");
    let cti = c.iter().find(|f| f.suggestion.as_ref().is_some_and(|g| g.file.ends_with("ctisvr.txt"))).expect("ctisvr skew");
    let g = cti.suggestion.as_ref().expect("suggestion");
    assert!((27..=30).contains(&g.skew_ms), "{}", cti.summary);
}

#[test]
fn chat_004_stale_session_and_no_rating() {
    let (s, _j) = load("004-uccx-facebook-chat");
    let st = findings(&s, "chat-stale-session");
    assert_eq!(st.len(), 1);
    assert!(st[0].summary.to_string().contains("2242240722460512"));
    let nr = findings(&s, "chat-no-rating");
    assert_eq!(nr.len(), 1, "only the second chat (step 9) ended without a rating");
}

#[test]
fn every_summary_is_plain_and_has_evidence() {
    for folder in ["000-ece-availability", "001-finesse-login", "002-finesse-bosh", "003-cce-task-routing", "004-uccx-facebook-chat"] {
        let (s, _) = load(folder);
        for f in &s.findings {
            assert!(!f.records.is_empty(), "{folder} {}: no evidence", f.code);
            assert!(f.records.iter().all(|&i| i < s.records.len()));
            assert!(["error", "warning", "info"].contains(&f.severity));
            assert!(f.summary.to_string().len() > 60, "{folder} {}: {}", f.code, f.summary);
        }
    }
}

/// Findings read from the server logs (`findings_server`) that an engineer writes down on the corpus.
#[test]
fn task_003_timing_invoke_ids_and_duplicates() {
    let (s, _j) = load("003-cce-task-routing");
    let t = findings(&s, "task-timing");
    assert_eq!(t.len(), 1, "one task");
    assert!(t[0].summary.to_string().contains("154526_37051928_1"), "{}", t[0].summary);
    for m in ["to offer 9.5 s", "offer to start 54.8 s", "handle 76.8 s"] {
        assert!(t[0].summary.to_string().contains(m), "{m}: {}", t[0].summary);
    }
    assert!(t[0].flow.is_some());
    // ctisvr writes the InvokeIDs in hex (session dump), Finesse and SendARMMsg in decimal.
    let p = findings(&s, "invoke-pair");
    assert_eq!(p.len(), 1, "{:?}", p.iter().map(|f| &f.summary).collect::<Vec<_>>());
    assert_eq!(p[0].severity, "info");
    assert!(p[0].summary.to_string().contains("0x8a88") && p[0].summary.to_string().contains("35464"), "{}", p[0].summary);
    // The same OFFER/START/END_TASK_IND as received and as forwarded to the PG.
    let d = findings(&s, "duplicate-event");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].count, 3);
    // Day 154526 is the logs' own day (2024-01-30); the agent was reserved for a task that came.
    assert!(findings(&s, "date-mismatch").is_empty());
    assert!(findings(&s, "task-stuck-reserved").is_empty());
}

#[test]
fn server_findings_without_false_positives() {
    for folder in ["000-ece-availability", "001-finesse-login", "002-finesse-bosh", "003-cce-task-routing", "004-uccx-facebook-chat"] {
        let (s, _) = load(folder);
        for code in ["sign-in-failed", "arm-status-error", "login-refused", "date-mismatch", "task-stuck-reserved"] {
            assert!(findings(&s, code).is_empty(), "{folder}: {code}: {:?}", findings(&s, code).iter().map(|f| &f.summary).collect::<Vec<_>>());
        }
        // No request is left unanswered in the corpus.
        assert!(findings(&s, "invoke-pair").iter().all(|f| f.severity == "info"), "{folder}");
    }
}

#[test]
fn chat_004_personal_data_counted() {
    let (s, _j) = load("004-uccx-facebook-chat");
    let p = findings(&s, "personal-data-present");
    assert_eq!(p.len(), 1);
    assert!(p[0].summary.to_string().contains("chat message(s)") && p[0].summary.to_string().contains("person name(s)"), "{}", p[0].summary);
    assert!(!p[0].records.is_empty() && p[0].count >= 10);
    // The chat's timing: queued (AGENT_WAIT), agent reserved, TALKING, agent left.
    let t = findings(&s, "task-timing");
    assert_eq!(t.len(), 1);
    assert!(t[0].summary.to_string().contains("to offer 0.5 s") && t[0].summary.to_string().contains("offer to start 9.5 s"), "{}", t[0].summary);
    // No e-mail address or phone number in this capture.
    assert!(!p[0].summary.to_string().contains("e-mail") && !p[0].summary.to_string().contains("phone"), "{}", p[0].summary);
}
