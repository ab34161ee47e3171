//! Findings read from server logs (`correlate::findings_server`): for each code, lines that
//! trigger it and a near miss that must not. Lines are written here in each product's grammar
//! (as the decoders' own tests and the demo write them), through the CLI's JSON document.

mod common;

use serde_json::Value;

fn findings(files: &[(&str, &str)]) -> Vec<Value> {
    common::json_of(files)["findings"].as_array().cloned().unwrap_or_default()
}

fn with<'a>(f: &'a [Value], code: &str) -> Vec<&'a Value> {
    f.iter().filter(|x| x["code"] == code).collect()
}

fn summary(f: &Value) -> &str {
    f["summary"].as_str().unwrap_or("")
}

const CLIENT_PUT: &str = "09:02:11.353: Container : [ClientServices] User: requestId='0c4f7a51-2d7e-4a43-9f0e-5d1f3c2b9a10', Making REST request: method=PUT, url='/finesse/api/User/3107', data='<User><state>LOGIN</state><extension>4107</extension></User>'\n";

#[test]
fn sign_in_refused_over_rest() {
    let bad = format!(
        "{CLIENT_PUT}09:02:11.388: Container : [ClientServices] User: requestId='0c4f7a51-2d7e-4a43-9f0e-5d1f3c2b9a10', Returned with status=400, content='<ApiErrors><ApiError><ErrorType>Invalid Input</ErrorType><ErrorMessage>Invalid extension</ErrorMessage><ErrorData>extension</ErrorData></ApiError></ApiErrors>'\n"
    );
    let f = findings(&[("clientlogs/Finesse_3107.txt", &bad)]);
    let s = with(&f, "sign-in-failed");
    assert_eq!(s.len(), 1, "{f:#?}");
    assert_eq!(s[0]["severity"], "error");
    assert!(summary(s[0]).contains("HTTP 400") && summary(s[0]).contains("Invalid extension"), "{}", summary(s[0]));
    assert!(s[0]["records"].as_array().is_some_and(|r| r.len() >= 2), "the PUT and its answer");
    assert!(s[0]["flow"].is_number(), "links the sign-in flow");

    let good =
        format!("{CLIENT_PUT}09:02:11.388: Container : [ClientServices] User: requestId='0c4f7a51-2d7e-4a43-9f0e-5d1f3c2b9a10', Returned with status=202\n");
    // A desktop resource that failed to load during the sign-in is not the sign-in failing.
    let access = "10.20.44.101 - - [30/Jan/2024:09:02:10 -0500] \"GET /desktop/theme/finesse/images/favicon.ico HTTP/1.1\" 404 0 1\n\
                  10.20.44.101 - 3107 [30/Jan/2024:09:02:11 -0500] \"PUT /finesse/api/User/3107 HTTP/1.1\" 202 - 11\n";
    let f = findings(&[("clientlogs/Finesse_3107.txt", &good), ("localhost_access_log.2024-01-30.txt", access)]);
    assert!(with(&f, "sign-in-failed").is_empty(), "{f:#?}");
}

#[test]
fn cti_login_refused_and_failures_named_with_their_request() {
    let login = "09:02:11:379 cg1A-ctisvr Session 5: MsgType:SET_AGENT_STATE_REQ (InvokeID:0x76 AgentState:LOGIN AgentWorkMode:0 AgentInstrument:\"4107\" AgentID:\"3107\" PeripheralID:5100 )\n\
                 09:02:11:382 cg1A-ctisvr Session 5: MsgType:FAILURE_CONF (InvokeID:0x76 Status:8 )\n";
    let f = findings(&[("ctisvr.txt", login)]);
    let s = with(&f, "sign-in-failed");
    assert_eq!(s.len(), 1, "{f:#?}");
    assert!(summary(s[0]).contains("E_CTI_INVALID_AGENT_DATA") && summary(s[0]).contains("SET_AGENT_STATE_REQ"), "{}", summary(s[0]));
    assert!(summary(s[0]).contains("extension"), "names the usual cause: {}", summary(s[0]));
    assert!(with(&f, "arm-status-error").is_empty(), "one finding per failure: {f:#?}");

    let not_ready =
        "09:05:00:100 cg1A-ctisvr Session 5: MsgType:SET_AGENT_STATE_REQ (InvokeID:0x90 AgentState:NOT_READY AgentID:\"3107\" PeripheralID:5100 )\n\
                     09:05:00:102 cg1A-ctisvr Session 5: MsgType:FAILURE_CONF (InvokeID:0x90 Status:9 )\n";
    let f = findings(&[("ctisvr.txt", not_ready)]);
    assert!(with(&f, "sign-in-failed").is_empty(), "{f:#?}");
    let a = with(&f, "arm-status-error");
    assert_eq!(a.len(), 1, "{f:#?}");
    assert!(summary(a[0]).contains("E_CTI_AGENT_NOT_LOGGED_ON") && summary(a[0]).contains("not logged in"), "{}", summary(a[0]));
    assert!(summary(a[0]).contains("SET_AGENT_STATE_REQ"), "names the request: {}", summary(a[0]));

    // Near miss: the login confirmed.
    let ok = "09:02:11:379 cg1A-ctisvr Session 5: MsgType:SET_AGENT_STATE_REQ (InvokeID:0x76 AgentState:LOGIN AgentID:\"3107\" PeripheralID:5100 )\n\
              09:02:11:382 cg1A-ctisvr Session 5: MsgType:SET_AGENT_STATE_CONF (InvokeID:0x76 )\n";
    let f = findings(&[("ctisvr.txt", ok)]);
    assert!(with(&f, "sign-in-failed").is_empty() && with(&f, "arm-status-error").is_empty() && with(&f, "invoke-pair").is_empty(), "{f:#?}");
}

#[test]
fn arm_status_names_its_cause() {
    let f = findings(&[(
        "ctisvr.txt",
        "11:00:00:000 cg1A-ctisvr Trace: ProcessARMMediaLoginRespMsg -- InvokeID = 700, MRDID = 5002, ICMAgentID = 7342, Status = 27\n",
    )]);
    let l = with(&f, "login-refused");
    assert_eq!(l.len(), 1, "{f:#?}");
    assert!(summary(l[0]).contains("E_ARM_STAT_LOGIN_NOT_ALLOWED_FOR_APP_PATH") && summary(l[0]).contains("application path"), "{}", summary(l[0]));
}

#[test]
fn request_without_answer() {
    let lost = "10:00:00:000 cg1A-ctisvr Session 5: MsgType:SET_AGENT_STATE_REQ (InvokeID:0x80 AgentState:READY AgentID:\"3107\" PeripheralID:5100 )\n\
                10:00:01:000 cg1A-ctisvr Session 5: MsgType:SET_AGENT_STATE_REQ (InvokeID:0x81 AgentState:NOT_READY AgentID:\"3107\" PeripheralID:5100 )\n\
                10:00:01:004 cg1A-ctisvr Session 5: MsgType:SET_AGENT_STATE_CONF (InvokeID:0x81 )\n\
                10:00:30:000 cg1A-ctisvr Session 5: MsgType:QUERY_AGENT_STATE_REQ (InvokeID:0x82 AgentID:\"3107\" PeripheralID:5100 )\n\
                10:00:30:002 cg1A-ctisvr Session 5: MsgType:QUERY_AGENT_STATE_CONF (InvokeID:0x82 )\n";
    let f = findings(&[("ctisvr.txt", lost)]);
    let p: Vec<&Value> = with(&f, "invoke-pair").into_iter().filter(|x| x["severity"] == "warning").collect();
    assert_eq!(p.len(), 1, "{f:#?}");
    assert!(summary(p[0]).contains("SET_AGENT_STATE_REQ") && summary(p[0]).contains("128"), "{}", summary(p[0]));
    assert_eq!(p[0]["count"], 1);

    // Near miss: the last request of a log that stops right after it.
    let cut = "10:00:01:000 cg1A-ctisvr Session 5: MsgType:SET_AGENT_STATE_REQ (InvokeID:0x81 AgentState:NOT_READY AgentID:\"3107\" PeripheralID:5100 )\n\
               10:00:01:004 cg1A-ctisvr Session 5: MsgType:SET_AGENT_STATE_CONF (InvokeID:0x81 )\n\
               10:00:02:000 cg1A-ctisvr Session 5: MsgType:SET_AGENT_STATE_REQ (InvokeID:0x80 AgentState:READY AgentID:\"3107\" PeripheralID:5100 )\n";
    let f = findings(&[("ctisvr.txt", cut)]);
    assert!(with(&f, "invoke-pair").is_empty(), "{f:#?}");
}

const OFFER_DUMP: &str = "10:00:05:100 cg1A-ctisvr Session 3: MsgType:OFFER_TASK_IND (InvokeID:0x100 MRDID:5011 ICMAgentID:5172\n10:00:05:100 cg1A-ctisvr Session 3: TaskID:154526/1234/1 )\n";

#[test]
fn same_message_twice_and_hex_decimal_pairs() {
    let twice = format!(
        "{OFFER_DUMP}10:00:05:100 cg1A-ctisvr Trace: SendARMMsg: ARM_OFFER_TASK_IND-- InvokeID = 256, ClientInvokeID = 256, MRDID = 5011, ICMAgentID = 5172, TaskID = 154526/1234/1\n"
    );
    let f = findings(&[("ctisvr.txt", &twice)]);
    let d = with(&f, "duplicate-event");
    assert_eq!(d.len(), 1, "{f:#?}");
    assert!(summary(d[0]).contains("OFFER_TASK_IND") && summary(d[0]).contains("ctisvr.txt L1"), "{}", summary(d[0]));
    let p = with(&f, "invoke-pair");
    assert_eq!(p.len(), 1, "{f:#?}");
    assert_eq!(p[0]["severity"], "info");
    assert!(summary(p[0]).contains("0x100") && summary(p[0]).contains("256"), "{}", summary(p[0]));

    // Near miss: another InvokeID is another message.
    let other = format!(
        "{OFFER_DUMP}10:00:05:100 cg1A-ctisvr Trace: SendARMMsg: ARM_OFFER_TASK_IND-- InvokeID = 257, ClientInvokeID = 257, MRDID = 5011, ICMAgentID = 5172, TaskID = 154526/1234/1\n"
    );
    let f = findings(&[("ctisvr.txt", &other)]);
    assert!(with(&f, "duplicate-event").is_empty() && with(&f, "invoke-pair").is_empty(), "{f:#?}");
}

fn update(time: &str) -> String {
    format!(
        "{time}: Container : [ClientServices] MasterPublisher._eventHandler() - Received event on node '/finesse/api/User/3107': <Update><data><user><loginId>3107</loginId><state>NOT_READY</state><uri>/finesse/api/User/3107</uri></user></data><event>PUT</event><requestId>5d0a2c11-8e44-4b0e-a1c3-77f2e9d4b812</requestId><source>/finesse/api/User/3107</source></Update>\n"
    )
}

#[test]
fn update_received_twice() {
    let twice = [update("09:10:00.100"), update("09:10:00.350")].concat();
    let f = findings(&[("clientlogs/Finesse_3107.txt", &twice)]);
    let d = with(&f, "duplicate-event");
    assert_eq!(d.len(), 1, "{f:#?}");
    assert!(summary(d[0]).contains("Update") && summary(d[0]).contains("NOT_READY"), "{}", summary(d[0]));
    // Near miss: the same state a minute later is another event.
    let later = [update("09:10:00.100"), update("09:11:00.100")].concat();
    assert!(with(&findings(&[("clientlogs/Finesse_3107.txt", &later)]), "duplicate-event").is_empty());
}

/// Finesse webservices (12.x form) lines for a task's CTI messages.
fn ws(n: u32, time: &str, name: &str, invoke: u32, task: &str) -> String {
    format!(
        "{n}: [INFO]: [call-id ] [agent-id ]: [Jan 30 2024 {time} -0500]: [COMMAND_POOL-1-worker-3]: [c.c.c.f.a.a.c.CCECTIWriter]: [MESSAGE_TO_CTI_SERVER] Message going to the backend cti server cti_message_name: {name}, invokeId :{invoke} , mrdId: 5011, icmAgentId : 5172, taskId: {task}, skillGropupId : 5199, armServiceId : -1\n"
    )
}

#[test]
fn task_timing_and_its_outliers() {
    let task = "154526_40001_1";
    let slow = [
        ws(1, "09:00:00.000", "OfferTaskIndication", 501, task),
        ws(2, "09:00:45.000", "StartTaskIndication", 502, task),
        ws(3, "09:03:45.000", "EndTaskIndication", 503, task),
    ]
    .concat();
    let f = findings(&[("Desktop-webservices.2024-01-30T09-00-00.000.log", &slow)]);
    let t = with(&f, "task-timing");
    assert_eq!(t.len(), 1, "{f:#?}");
    assert_eq!(t[0]["severity"], "warning");
    let s = summary(t[0]);
    assert!(s.contains("offer to start 45.0 s") && s.contains("handle 180.0 s") && s.contains("Outlier"), "{s}");
    assert!(t[0]["flow"].is_number());
    assert!(with(&f, "date-mismatch").is_empty(), "day 154526 is 2024-01-30: {f:#?}");

    let quick = [
        ws(1, "09:00:00.000", "OfferTaskIndication", 501, task),
        ws(2, "09:00:04.000", "StartTaskIndication", 502, task),
        ws(3, "09:03:45.000", "EndTaskIndication", 503, task),
    ]
    .concat();
    let f = findings(&[("Desktop-webservices.2024-01-30T09-00-00.000.log", &quick)]);
    let t = with(&f, "task-timing");
    assert_eq!(t.len(), 1, "{f:#?}");
    assert_eq!(t[0]["severity"], "info");
    assert!(!summary(t[0]).contains("Outlier"), "{}", summary(t[0]));

    // Near miss: an offer alone has no timing.
    let f = findings(&[("Desktop-webservices.2024-01-30T09-00-00.000.log", &ws(1, "09:00:00.000", "OfferTaskIndication", 501, task))]);
    assert!(with(&f, "task-timing").is_empty(), "{f:#?}");
}

fn agent_event(time: &str, state: &str) -> String {
    format!(
        "{time} cg1A-ctisvr Trace: AGENT_EVENT: ID=3107 Periph=5100 Ext=4107 Inst=4107 Sig=Finesse UniqueInstID= SGSt={state} SGDur=0 St={state} Dur=0 Reason=0 MRDID=5011 NumTasks=1 MaxTaskLimit=3 MaxBeyondTaskLimit=0 AgtMode=1 AGTAvailStatus=1 ICMAgtID=7342 STID=7342\n"
    )
}

#[test]
fn agent_stuck_in_reserved() {
    let stuck = [agent_event("10:00:00:000", "NOT_ACTIVE"), agent_event("10:00:10:000", "RESERVED"), agent_event("10:01:40:000", "NOT_ACTIVE")].concat();
    let f = findings(&[("ctisvr.txt", &stuck)]);
    let s = with(&f, "task-stuck-reserved");
    assert_eq!(s.len(), 1, "{f:#?}");
    assert!(summary(s[0]).contains("90.0 s") && summary(s[0]).contains("7342"), "{}", summary(s[0]));

    // Near miss: the task was offered while the agent was reserved (a slow start is task-timing's).
    let offered = [
        agent_event("10:00:00:000", "NOT_ACTIVE"),
        agent_event("10:00:10:000", "RESERVED"),
        "10:00:12:000 cg1A-ctisvr Session 3: MsgType:OFFER_TASK_IND (InvokeID:0x300 MRDID:5011 ICMAgentID:7342\n10:00:12:000 cg1A-ctisvr Session 3: TaskID:154526/4242/1 )\n".to_string(),
        agent_event("10:01:40:000", "ACTIVE"),
    ]
    .concat();
    let f = findings(&[("ctisvr.txt", &offered)]);
    assert!(with(&f, "task-stuck-reserved").is_empty(), "{f:#?}");
    // Near miss: reserved briefly.
    let brief = [agent_event("10:00:10:000", "RESERVED"), agent_event("10:00:20:000", "ACTIVE")].concat();
    assert!(with(&findings(&[("ctisvr.txt", &brief)]), "task-stuck-reserved").is_empty());
}

#[test]
fn router_call_key_day_against_the_log_date() {
    // Day 154000 is 2022-08-22; the log is dated 2024-01-30.
    let f = findings(&[("Desktop-webservices.2024-01-30T09-00-00.000.log", &ws(1, "09:00:00.000", "OfferTaskIndication", 501, "154000_40001_1"))]);
    let d = with(&f, "date-mismatch");
    assert_eq!(d.len(), 1, "{f:#?}");
    assert!(summary(d[0]).contains("2022-08-22") && summary(d[0]).contains("2024-01-30"), "{}", summary(d[0]));
    // Near miss: a key from the day before (a call that crossed midnight).
    let f = findings(&[("Desktop-webservices.2024-01-30T09-00-00.000.log", &ws(1, "00:00:10.000", "OfferTaskIndication", 501, "154525_40001_1"))]);
    assert!(with(&f, "date-mismatch").is_empty(), "{f:#?}");
}

#[test]
fn personal_data_counted_never_shown() {
    let chat =
        "2024-02-01 10:00:00,100 INFO [pool-3-thread-1] ChatSession - customerName=Wilhelmina Quast email=w.quast@mailbox.example.org ANI=+14155550123\n\
                2024-02-01 10:00:05,200 INFO [pool-3-thread-1] ChatSession - Received message [my card was charged twice]\n";
    let f = findings(&[("chat/app.log", chat)]);
    let p = with(&f, "personal-data-present");
    assert_eq!(p.len(), 1, "{f:#?}");
    let s = summary(p[0]);
    for class in ["person name", "e-mail", "phone", "chat message"] {
        assert!(s.contains(class), "{class}: {s}");
    }
    for value in ["Wilhelmina", "Quast", "w.quast", "4155550123", "charged twice"] {
        assert!(!s.contains(value), "the value {value} is printed: {s}");
    }
    assert!(p[0]["records"].as_array().is_some_and(|r| !r.is_empty()));

    // Near miss: the same log sanitized with personal-data masking holds pseudonyms only.
    let mut san = switchboard::sanitize::Sanitizer::new(switchboard::sanitize::Options { personal: true, patterns: Vec::new(), key: [7; 16] });
    san.learn_text(chat);
    san.finish_learning();
    let masked = san.clean(chat);
    assert!(!masked.contains("Quast"), "{masked}");
    assert!(with(&findings(&[("chat/app.log", &masked)]), "personal-data-present").is_empty(), "{masked}");

    // Near miss: agent IDs, XMPP addresses and extensions are not personal data.
    let ids = "2024-02-01 10:00:00,100 INFO [pool-3-thread-1] Presence - from=3107@fin1a.harborbank.test/desktop extension=4107 agentId=3107\n";
    assert!(with(&findings(&[("chat/app.log", ids)]), "personal-data-present").is_empty());
}

/// ECE entry point answers as the entry-point decoder gives them (`responseType`, `entryPointId`).
fn entry_point_session(answers: &[(i64, u8)]) -> switchboard::session::Session {
    use switchboard::model::{LogFile, LogTime, Record};
    let mut s = switchboard::session::Session::new();
    let mut lf = LogFile::new("entrypoint.json", 0);
    lf.format = "ece-entrypoint-json".into();
    s.files.push(lf);
    let recs: Vec<Record> = answers
        .iter()
        .enumerate()
        .map(|(n, &(t, rt))| {
            let mut r = Record::new(0, "ece-entrypoint-json");
            r.line = n as u32 + 1;
            r.set_name("entrypoint/initialize");
            r.time = Some(LogTime::at_utc(1_773_320_000_000 + t * 1000));
            r.set("entryPointId", "1001");
            r.set("responseType", rt as i64);
            r
        })
        .collect();
    s.records = recs.into();
    s.timeline = (0..s.records.len() as u32).collect();
    let (flows, findings, _) = switchboard::correlate::analyze(&s);
    s.flows = flows;
    s.findings = findings;
    s
}

#[test]
fn ece_availability_over_time() {
    // No agent for two answers, then chat offered for three: one finding per run, with counts.
    let s = entry_point_session(&[(0, 1), (30, 1), (60, 0), (90, 0), (120, 0)]);
    let no: Vec<_> = s.findings.iter().filter(|f| f.code == "ece-no-agent").collect();
    let yes: Vec<_> = s.findings.iter().filter(|f| f.code == "ece-chat-available").collect();
    assert_eq!((no.len(), yes.len()), (1, 1), "{:#?}", s.findings);
    assert_eq!((no[0].count, yes[0].count), (2, 3));
    assert!(no[0].summary.to_string().contains("responseType 1 ×2") && no[0].summary.to_string().contains("→ responseType 0 ×3"), "{}", no[0].summary);
    assert_eq!(no[0].records.len(), 2);
    assert!(no[0].first_utc < yes[0].first_utc);
    // Near miss: one answer is one finding without a history.
    let s = entry_point_session(&[(0, 0)]);
    assert_eq!(s.findings.iter().filter(|f| f.code.starts_with("ece-")).count(), 1);
    assert!(!s.findings[0].summary.to_string().contains("Over the capture"));
}

/// A browser's HAR of an ECE chat page: the entry point's answers over time.
fn chat_har(answers: &[(&str, i64)]) -> String {
    let entries: Vec<Value> = answers
        .iter()
        .map(|(t, rt)| {
            serde_json::json!({
                "startedDateTime": t, "time": 40.5,
                "request": {"method": "GET", "url": "https://chat.example-bank.test/system/egain/chat/entrypoint/initialize/1001", "httpVersion": "http/1.1",
                            "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
                "response": {"status": 200, "statusText": "OK", "httpVersion": "http/1.1", "headers": [{"name": "content-type", "value": "application/json"}],
                             "cookies": [], "content": {"size": 60, "mimeType": "application/json",
                             "text": serde_json::json!({"checkEligibility": {"responseType": rt}, "isVideoChatEnabled": false}).to_string()},
                             "redirectURL": "", "headersSize": -1, "bodySize": 60},
                "cache": {}, "timings": {"send": 0, "wait": 40, "receive": 0.5}
            })
        })
        .collect();
    serde_json::to_string_pretty(
        &serde_json::json!({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"}, "pages": [], "entries": entries}}),
    )
    .unwrap_or_default()
}

#[test]
fn ece_availability_from_a_har() {
    let har = chat_har(&[("2026-03-12T15:40:03.000Z", 1), ("2026-03-12T15:41:03.000Z", 1), ("2026-03-12T15:42:03.000Z", 0)]);
    let f = findings(&[("chat.har", &har)]);
    let no = with(&f, "ece-no-agent");
    assert_eq!(no.len(), 1, "{f:#?}");
    assert_eq!(no[0]["count"], 2);
    assert!(summary(no[0]).contains("15:40:03") && summary(no[0]).contains("→ responseType 0 ×1"), "{}", summary(no[0]));
    assert_eq!(with(&f, "ece-chat-available").len(), 1);
    // Near miss: chat offered from the start.
    let har = chat_har(&[("2026-03-12T15:40:03.000Z", 0)]);
    let f = findings(&[("chat.har", &har)]);
    assert!(with(&f, "ece-no-agent").is_empty() && with(&f, "ece-chat-available").len() == 1, "{f:#?}");
}
