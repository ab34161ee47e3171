//! Findings that the corpus does not exercise, on small synthetic sessions.

use switchboard::model::{LogFile, LogTime, Record};
use switchboard::session::Session;

fn session(records: Vec<Record>) -> Session {
    let mut s = Session::new();
    let mut lf = LogFile::new("synthetic.log", 0);
    lf.format = "text".into();
    s.files.push(lf);
    s.records = records.into();
    s.timeline = (0..s.records.len() as u32).collect();
    let (flows, findings, _) = switchboard::correlate::analyze(&s);
    s.flows = flows;
    s.findings = findings;
    s
}

fn rec(format: &'static str, line: u32, name: &str, fields: serde_json::Value) -> Record {
    let mut r = Record::new(0, format);
    r.line = line;
    r.set_name(name);
    r.time = Some(LogTime::at_utc(1_500_000_000_000 + line as i64 * 1000));
    if let serde_json::Value::Object(m) = fields {
        *r.fields_mut() = m.into();
    }
    r
}

fn codes(s: &Session) -> Vec<&str> {
    s.findings.iter().map(|f| f.code).collect()
}

#[test]
fn rttest_rd_is_domain_unavailable() {
    let s = session(vec![rec("rttest", 1, "domain", serde_json::json!({"domain": "ECE_Chat", "domain_id": "5000", "state": "[na-0:2,RD]"}))]);
    assert!(codes(&s).contains(&"domain-unavailable"));
    assert!(s.findings[0].summary.to_string().contains("CSCvq11852"));
}

#[test]
fn entry_point_response_types() {
    let s = session(vec![
        rec("ece-entrypoint-json", 1, "entrypoint/initialize", serde_json::json!({"entryPointId": "1001", "responseType": 1})),
        rec("ece-entrypoint-json", 2, "entrypoint/initialize", serde_json::json!({"entryPointId": "1002", "responseType": 2})),
    ]);
    let c = codes(&s);
    assert!(c.contains(&"ece-no-agent") && c.contains(&"ece-queue-full"), "{c:?}");
}

#[test]
fn arm_status_and_login_refused() {
    let s = session(vec![
        rec(
            "ece-listener",
            1,
            "MEDIA_LOGIN_RESP",
            serde_json::json!({"MessageType": "MEDIA_LOGIN_RESP", "InvokeID": 5, "Status": 13, "StatusName": "E_ARM_INVALID_APP_PATH"}),
        ),
        rec(
            "ctisvr",
            2,
            "ProcessARMMakeAgentReadyResp",
            serde_json::json!({"MessageType": "MAKE_AGENT_READY_RESP", "InvokeID": 6, "Status": 4, "StatusName": "E_ARM_AGENT_NOT_LOGGED_IN"}),
        ),
    ]);
    let c = codes(&s);
    assert!(c.contains(&"login-refused") && c.contains(&"arm-status-error"), "{c:?}");
    assert!(s.findings.iter().any(|f| f.summary.to_string().contains("E_ARM_INVALID_APP_PATH")));
}

#[test]
fn rid_gap_and_rest_error() {
    let s = session(vec![
        rec("openfire-debug", 1, "HTTP_RECV", serde_json::json!({"sid": "abc", "rid": 100})),
        rec("openfire-debug", 2, "HTTP_RECV", serde_json::json!({"sid": "abc", "rid": 101})),
        rec("openfire-debug", 3, "HTTP_RECV", serde_json::json!({"sid": "abc", "rid": 105})),
        rec("tomcat-access", 4, "PUT", serde_json::json!({"method": "PUT", "uri": "/finesse/api/User/2001", "status": "400"})),
    ]);
    let c = codes(&s);
    assert!(c.contains(&"rid-gap") && c.contains(&"rest-error"), "{c:?}");
    assert!(s.findings.iter().any(|f| f.code == "rid-gap" && f.summary.to_string().contains("101 to 105")));
}

#[test]
fn offered_task_without_end_is_not_handled() {
    let s = session(vec![
        rec(
            "finesse-webservices-v12",
            1,
            "MESSAGE_TO_CTI_SERVER",
            serde_json::json!({"cti_message_name": "OfferTaskIndication", "InvokeID": 9, "TaskKey": "1_2_1"}),
        ),
        rec("ctisvr", 2, "OFFER_TASK_IND", serde_json::json!({"MessageType": "OFFER_TASK_IND", "InvokeID": 9, "TaskKey": "1_2_1"})),
    ]);
    assert!(codes(&s).contains(&"task-not-handled"), "{:?}", codes(&s));
}

#[test]
fn empty_and_odd_sessions_do_not_panic() {
    let s = session(vec![]);
    assert!(s.flows.is_empty() && s.findings.is_empty());
    let mut odd = Record::new(7, "ctisvr");
    odd.set_name("SendARMMsg");
    let s = session(vec![odd, rec("ctisvr", 1, "AGENT_EVENT", serde_json::json!({"ID": "", "ICMAgtID": "-1", "TaskKey": "-1_-1_-1"}))]);
    let _ = switchboard::correlate::adhoc_flow(&s, "");
    let _ = switchboard::correlate::adhoc_flow(&s, "0x");
    let _ = s.findings.len();
}
