//! The corpus contract for formats: every file is recognised with its MANIFEST format name, no line
//! is lost, and MANIFEST facts (names, components, severities, times, fields) read back through the
//! CLI's JSON report.

use serde_json::Value;
use std::sync::OnceLock;
use switchboard::ingest::{ingest_path, Limits, LoadState};
use switchboard::session::Session;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

fn report() -> &'static Value {
    static R: OnceLock<Value> = OnceLock::new();
    R.get_or_init(|| {
        let mut s = Session::new();
        let mut st = LoadState::default();
        ingest_path(std::path::Path::new(CORPUS), &Limits::default(), &mut st, &mut s);
        s.finish();
        s.records = s.decoded_records().into();
        switchboard::report::to_json(&s)
    })
}

fn file<'a>(suffix: &str) -> &'a Value {
    report()["files"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
        .unwrap_or_else(|| panic!("no file {suffix}"))
}

fn records(suffix: &str) -> Vec<&'static Value> {
    let mut v: Vec<&Value> = report()["records"].as_array().into_iter().flatten().filter(|r| r["file"].as_str().is_some_and(|p| p.ends_with(suffix))).collect();
    v.sort_by_key(|r| r["line"].as_u64());
    v
}

fn rec(suffix: &str, line: u64) -> &'static Value {
    records(suffix).into_iter().find(|r| r["line"].as_u64() == Some(line)).unwrap_or_else(|| panic!("no record at {suffix}:{line}"))
}

const FORMATS: &[(&str, &str)] = &[
    ("000-ece-availability/listener.log", "ece-listener"),
    ("000-ece-availability/ctisvr.txt", "ctisvr"),
    ("000-ece-availability/opc.txt", "opc"),
    ("000-ece-availability/rttest.txt", "rttest"),
    ("000-ece-availability/entrypoint-initialize-1001.json", "ece-entrypoint-json"),
    ("001-finesse-login/localhost_access_log.2013-04-23.txt", "tomcat-access"),
    ("001-finesse-login/clientlogs/Finesse_2001.txt", "finesse-clientlog"),
    ("001-finesse-login/Desktop-webservices.2013-04-23T18-40-00.000.log", "finesse-webservices"),
    ("001-finesse-login/ctisvr.txt", "ctisvr"),
    ("001-finesse-login/openfire/debug.log", "finesse-notification"),
    ("002-finesse-bosh/openfire/debug.log", "openfire-debug"),
    ("002-finesse-bosh/openfire/info.log", "openfire-info"),
    ("002-finesse-bosh/Desktop-webservices.2017-06-17T00-16-00.000.log", "finesse-webservices"),
    ("003-cce-task-routing/ctisvr.txt", "ctisvr"),
    ("003-cce-task-routing/pim3.txt", "mr-pim"),
    ("003-cce-task-routing/rtr.txt", "icm-router"),
    ("003-cce-task-routing/ccppublicapps.log", "ccp-ccbu"),
    ("003-cce-task-routing/runtime.log", "ccp-ccbu"),
    ("003-cce-task-routing/ccpapi.log", "ccp-ccbu"),
    ("003-cce-task-routing/Desktop-webservices.2024-01-30T08-55-00.000.log", "finesse-webservices-v12"),
    ("004-uccx-facebook-chat/MADM.log", "uccx-madm"),
    ("004-uccx-facebook-chat/MIVR.log", "uccx-mivr"),
    ("004-uccx-facebook-chat/ccpapi.log", "ccp-ccbu"),
    ("004-uccx-facebook-chat/runtime.log", "ccp-ccbu"),
    ("004-uccx-facebook-chat/ccp-chat-gateway/log.log", "chat-gateway"),
    ("004-uccx-facebook-chat/ccp-chat-gateway/startup.log", "chat-gateway-startup"),
];

#[test]
fn every_corpus_file_has_its_manifest_format() {
    for (path, fmt) in FORMATS {
        assert_eq!(file(path)["format"].as_str(), Some(*fmt), "{path}");
    }
    // Every file in the corpus is in the table (MANIFEST.md aside).
    let n = report()["files"].as_array().map(|a| a.iter().filter(|f| !f["path"].as_str().unwrap_or("").ends_with(".md")).count());
    assert_eq!(n, Some(FORMATS.len()));
}

#[test]
fn no_line_is_lost() {
    for f in report()["files"].as_array().into_iter().flatten() {
        let path = f["path"].as_str().unwrap_or("");
        let lines = f["lines"].as_u64().unwrap_or(0);
        let mut next = 1;
        for r in records(path) {
            assert_eq!(r["line"].as_u64(), Some(next), "{path}: gap or overlap before line {next}");
            let end = r["line_end"].as_u64().unwrap_or(0);
            assert!(end >= next, "{path}:{next}");
            next = end + 1;
        }
        assert_eq!(next, lines + 1, "{path}: lines after the last record");
    }
}

#[test]
fn record_counts_follow_multi_line_records() {
    for (path, n) in [
        ("000-ece-availability/listener.log", 6), // L3-5 one record
        ("000-ece-availability/ctisvr.txt", 7),   // L2-3 one record
        ("000-ece-availability/opc.txt", 3),
        ("000-ece-availability/rttest.txt", 8),
        ("000-ece-availability/entrypoint-initialize-1001.json", 1),
        ("001-finesse-login/localhost_access_log.2013-04-23.txt", 14),
        ("001-finesse-login/clientlogs/Finesse_2001.txt", 17), // L13-28, L30-36, L37-60
        ("001-finesse-login/Desktop-webservices.2013-04-23T18-40-00.000.log", 13),
        ("001-finesse-login/openfire/debug.log", 11), // L11-34 one record
        ("002-finesse-bosh/openfire/debug.log", 26),  // L11-14 one record
        ("002-finesse-bosh/Desktop-webservices.2017-06-17T00-16-00.000.log", 7),
        ("003-cce-task-routing/pim3.txt", 4), // L1-13, 14-15, 16-17, 18-30
        ("003-cce-task-routing/rtr.txt", 6),  // L3-9 one DeviceTargetPreCall trace
        ("003-cce-task-routing/ccpapi.log", 16),
        ("003-cce-task-routing/Desktop-webservices.2024-01-30T08-55-00.000.log", 16),
        ("004-uccx-facebook-chat/MADM.log", 114), // L113-148 one record
        ("004-uccx-facebook-chat/MIVR.log", 12),
        ("004-uccx-facebook-chat/runtime.log", 8), // L8-49 one record
        ("004-uccx-facebook-chat/ccpapi.log", 9),
        ("004-uccx-facebook-chat/ccp-chat-gateway/log.log", 94), // 28 dump lines
        ("004-uccx-facebook-chat/ccp-chat-gateway/startup.log", 17),
    ] {
        assert_eq!(records(path).len(), n, "{path}");
    }
    // Specific multi-line groupings.
    for (path, line, end) in [
        ("000-ece-availability/listener.log", 3, 5),
        ("000-ece-availability/ctisvr.txt", 2, 3),
        ("001-finesse-login/clientlogs/Finesse_2001.txt", 13, 28),
        ("001-finesse-login/clientlogs/Finesse_2001.txt", 30, 36),
        ("001-finesse-login/clientlogs/Finesse_2001.txt", 37, 60),
        ("001-finesse-login/openfire/debug.log", 11, 34),
        ("002-finesse-bosh/openfire/debug.log", 11, 14),
        ("003-cce-task-routing/pim3.txt", 1, 13),
        ("003-cce-task-routing/pim3.txt", 18, 30),
        ("003-cce-task-routing/ctisvr.txt", 5, 6),
        ("003-cce-task-routing/ctisvr.txt", 8, 9),
        ("003-cce-task-routing/ctisvr.txt", 26, 27),
        ("004-uccx-facebook-chat/MADM.log", 113, 148),
        ("004-uccx-facebook-chat/runtime.log", 8, 49),
        ("004-uccx-facebook-chat/ccp-chat-gateway/startup.log", 13, 20),
    ] {
        assert_eq!(rec(path, line)["line_end"].as_u64(), Some(end), "{path}:{line}");
    }
}

/// (file, line, name, component, severity, time text, utc, fields)
type Fact = (
    &'static str,
    u64,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    &'static [(&'static str, &'static str)],
);

const FACTS: &[Fact] = &[
    (
        "000-ece-availability/listener.log",
        1,
        Some("MEDIA_LOGIN_REQ"),
        Some("com.ipcc.listener.arm.ARMLogger"),
        Some("INFO"),
        Some("2019-07-20 18:27:31.749 GMT+0000"),
        Some("2019-07-20T18:27:31.749Z"),
        &[("UID", "1005"), ("HttpSessionId", "IrltMMd3T0prrkbnAwK8wkL5"), ("ProcessId", "4584")],
    ),
    ("000-ece-availability/listener.log", 2, Some("MEDIA_LOGIN_RESP"), None, None, None, Some("2019-07-20T18:27:32.037Z"), &[]),
    ("000-ece-availability/listener.log", 6, Some("MAKE_AGENT_ROUTABLE_IND"), None, None, None, Some("2019-08-19T13:34:09.773Z"), &[("ProcessId", "5436")]),
    ("000-ece-availability/listener.log", 7, Some("MAKE_AGENT_READY_IND"), None, None, None, Some("2019-08-19T13:34:09.774Z"), &[]),
    ("000-ece-availability/listener.log", 8, Some("PRINT_STATE"), None, None, None, None, &[]),
    ("000-ece-availability/ctisvr.txt", 1, Some("ProcessMediaLoginReq"), Some("cglA-ctisvr"), Some("Trace"), Some("20:27:32:466"), None, &[("sessionID", "4")]),
    (
        "000-ece-availability/ctisvr.txt",
        2,
        Some("SendARMMsg"),
        None,
        None,
        None,
        None,
        &[
            ("InvokeID", "591309094"),
            ("MRDID", "5000"),
            ("ICMAgentID", "5033"),
            ("AgentMode", "0"),
            ("IsAvailable", "0"),
            ("MaxTaskLimit", "1"),
            ("AgentInfo", "1005"),
            ("ApplicationPathID", "5001"),
            ("AgentID", ""),
        ],
    ),
    (
        "000-ece-availability/ctisvr.txt",
        4,
        Some("ProcessARMMediaLoginRespMsg"),
        None,
        None,
        Some("20:27:32:607"),
        None,
        &[("Status", "0"), ("AgentSkillTargetID", "5033")],
    ),
    (
        "000-ece-availability/ctisvr.txt",
        6,
        Some("SendARMMsg"),
        None,
        None,
        Some("15:34:09:841"),
        None,
        &[("InvokeID", "80171"), ("MaxTasks", "2"), ("SessionID", "6")],
    ),
    ("000-ece-availability/ctisvr.txt", 8, Some("SendARMMsg"), None, None, None, None, &[("InvokeID", "80172"), ("MakeRoutable", "1")]),
    (
        "000-ece-availability/opc.txt",
        1,
        Some("MakeAgentRoutableInd"),
        Some("PG1A-opc"),
        Some("Trace"),
        Some("15:34:09:841"),
        None,
        &[("InvokeID", "80171"), ("ICMAgentID", "6420")],
    ),
    ("000-ece-availability/opc.txt", 2, Some("MakeAgentReadyInd"), None, None, None, None, &[("InvokeID", "80172"), ("MakeRoutable", "1")]),
    (
        "000-ece-availability/opc.txt",
        3,
        Some("SetAgentState"),
        None,
        None,
        None,
        None,
        &[
            ("ASTID", "6420"),
            ("Periph#", "15003"),
            ("MRDomainID", "5000"),
            ("SGSTID", "6928"),
            ("SG#", "70518(0x11376)"),
            ("OldState", "NOT_READY"),
            ("NewState", "NOT_ACTIVE"),
            ("ReasonCode", "0"),
            ("AgentObj", "0x44535b8"),
        ],
    ),
    ("000-ece-availability/rttest.txt", 1, Some("agent_status"), None, None, None, None, &[("agent", "6420")]),
    (
        "000-ece-availability/rttest.txt",
        2,
        Some("Agent"),
        None,
        None,
        None,
        None,
        &[("agent", "CUCM.Agent_test"), ("skill_target_id", "6420"), ("periph", "15003")],
    ),
    (
        "000-ece-availability/rttest.txt",
        3,
        Some("domain"),
        None,
        None,
        None,
        None,
        &[("domain", "Cisco_Voice"), ("domain_id", "1"), ("state", "[nr-0:1,R]"), ("secs", "411")],
    ),
    (
        "000-ece-availability/rttest.txt",
        6,
        Some("domain"),
        None,
        None,
        None,
        None,
        &[("domain", "ECE_Chat"), ("domain_id", "5000"), ("state", "[na-0:2,RA]"), ("secs", "383")],
    ),
    (
        "000-ece-availability/rttest.txt",
        7,
        Some("skill_group"),
        None,
        None,
        None,
        None,
        &[("skill_group", "TEST_Chat"), ("skill_group_id", "6928"), ("periph", "70518"), ("state", "na")],
    ),
    (
        "000-ece-availability/entrypoint-initialize-1001.json",
        1,
        Some("entrypoint/initialize"),
        None,
        None,
        None,
        None,
        &[("entryPointId", "1001"), ("videoChatMaxEscalation", "5"), ("isVideoChatLicensed", "false")],
    ),
    ("001-finesse-login/localhost_access_log.2013-04-23.txt", 1, Some("GET"), None, None, None, None, &[("uri", "/"), ("status", "302")]),
    (
        "001-finesse-login/localhost_access_log.2013-04-23.txt",
        12,
        None,
        None,
        None,
        None,
        None,
        &[("protocol", "HTTP/1.1"), ("status", "200"), ("bytes", "32222")],
    ),
    (
        "001-finesse-login/localhost_access_log.2013-04-23.txt",
        13,
        None,
        None,
        None,
        None,
        None,
        &[
            ("client_ip", "127.0.0.1"),
            ("uri", "/finesse/api/SystemInfo?nocache=1366756802163"),
            ("nocache", "1366756802163"),
            ("status", "200"),
            ("bytes", "336"),
            ("time_ms", "120"),
        ],
    ),
    (
        "001-finesse-login/localhost_access_log.2013-04-23.txt",
        14,
        None,
        None,
        None,
        None,
        None,
        &[("user", "2001"), ("status", "200"), ("bytes", "659"), ("time_ms", "596")],
    ),
    (
        "001-finesse-login/clientlogs/Finesse_2001.txt",
        1,
        Some("SystemInfo"),
        Some("Container"),
        None,
        None,
        None,
        &[("nocache", "1366756802163"), ("method", "GET")],
    ),
    ("001-finesse-login/clientlogs/Finesse_2001.txt", 2, None, None, None, Some("18:40:03"), Some("2013-04-23T22:40:03.000Z"), &[("status", "200")]),
    (
        "001-finesse-login/clientlogs/Finesse_2001.txt",
        12,
        Some("User"),
        None,
        None,
        Some("18:40:05"),
        Some("2013-04-23T22:40:05.000Z"),
        &[("nocache", "1366756805180")],
    ),
    ("001-finesse-login/clientlogs/Finesse_2001.txt", 29, Some("SignIn.handleUserLoad()"), None, None, None, None, &[("extn", "2003")]),
    ("001-finesse-login/clientlogs/Finesse_2001.txt", 30, None, None, None, None, None, &[("requestId", "6e210ca9-5786-43bc-babf-64a397a6057f")]),
    (
        "001-finesse-login/clientlogs/Finesse_2001.txt",
        37,
        Some("MasterPublisher._eventHandler()"),
        None,
        None,
        None,
        None,
        &[("node", "/finesse/api/User/2001")],
    ),
    ("001-finesse-login/clientlogs/Finesse_2001.txt", 61, Some("SignIn._triggerLoggedIn()"), None, None, None, None, &[]),
    (
        "001-finesse-login/Desktop-webservices.2013-04-23T18-40-00.000.log",
        1,
        Some("REQUEST_START"),
        Some("http-8080-7"),
        Some("6"),
        None,
        None,
        &[("method_name", "GET"), ("resource_name", "/SystemInfo")],
    ),
    (
        "001-finesse-login/Desktop-webservices.2013-04-23T18-40-00.000.log",
        2,
        Some("API_REQUEST"),
        None,
        None,
        None,
        None,
        &[("request_method", "systemInfo.GET")],
    ),
    ("001-finesse-login/Desktop-webservices.2013-04-23T18-40-00.000.log", 4, Some("REQUEST_END"), None, None, None, None, &[("elapsed_time", "98")]),
    (
        "001-finesse-login/Desktop-webservices.2013-04-23T18-40-00.000.log",
        5,
        Some("PRESENCE_NOTIFICATION_RECIEVED"),
        Some("Smack Listener Processor (1)"),
        None,
        None,
        None,
        &[("PRESENCE_TYPE", "available"), ("FROM JID", "2001@uccefinesse138.vmload.cvp/desktop")],
    ),
    (
        "001-finesse-login/Desktop-webservices.2013-04-23T18-40-00.000.log",
        8,
        Some("API_REQUEST"),
        None,
        None,
        None,
        None,
        &[("request_identifer", "6e210ca9-5786-43bc-babf-64a397a6057f"), ("request_method", "user.PUT")],
    ),
    ("001-finesse-login/Desktop-webservices.2013-04-23T18-40-00.000.log", 11, Some("MESSAGE_TO_CTI_SERVER"), None, None, None, None, &[]),
    ("001-finesse-login/Desktop-webservices.2013-04-23T18-40-00.000.log", 12, Some("DECODED_MESSAGE_FROM_CTI_SERVER"), None, None, None, None, &[]),
    ("001-finesse-login/Desktop-webservices.2013-04-23T18-40-00.000.log", 13, Some("XMPP_PUBLISH_ASYNCHRONOUS"), None, None, None, None, &[]),
    (
        "001-finesse-login/ctisvr.txt",
        1,
        Some("AGENT_EVENT"),
        None,
        Some("Trace"),
        None,
        None,
        &[
            ("ID", "2001"),
            ("Periph", "5001"),
            ("Ext", "2003"),
            ("SkgState", "LOGIN"),
            ("OverallState", "NOT_READY"),
            ("MRDID", "1"),
            ("ICMAgtID", "5001"),
            ("SkTgtID", "5001"),
            ("SkGrpID", "5006"),
        ],
    ),
    (
        "001-finesse-login/ctisvr.txt",
        5,
        Some("AGENT_STATE_EVENT"),
        None,
        None,
        None,
        None,
        &[
            ("PeripheralID", "5001"),
            ("PeripheralType", "EnterpriseAgent"),
            ("SkillGroupNumber", "85881"),
            ("SkillGroupID", "5000"),
            ("AgentState", "NOT_READY"),
            ("ICMAgentID", "5001"),
            ("AgentID", "2001"),
        ],
    ),
    ("001-finesse-login/openfire/debug.log", 1, None, None, None, None, None, &[("direction", "out"), ("wire", "GET /finesse/api/User/2001 HTTP/1.1")]),
    ("001-finesse-login/openfire/debug.log", 11, None, Some("RoutingTableImpl"), None, None, None, &[("JID", "2001@uccefinesse138.vmload.cvp/User")]),
    (
        "002-finesse-bosh/openfire/debug.log",
        10,
        Some("HTTP_RECV"),
        Some("HTTPBindLog"),
        None,
        Some("2017.04.14 21:34:21"),
        Some("2017-04-14T16:04:21.000Z"),
        &[("sid", "3445afbe"), ("rid", "164853266")],
    ),
    (
        "002-finesse-bosh/openfire/debug.log",
        21,
        None,
        None,
        None,
        None,
        Some("2017-04-14T16:04:26.000Z"),
        &[("time", "1492185866851"), ("msgs_sent", "4"), ("bytes_sent", "3748")],
    ),
    (
        "002-finesse-bosh/openfire/debug.log",
        25,
        Some("SESSION_LAST_ACTIVE"),
        None,
        None,
        Some("2017.06.17 00:14:34"),
        Some("2017-06-16T18:44:34.000Z"),
        &[("session_id", "f382a015"), ("last_active_ms", "0")],
    ),
    ("002-finesse-bosh/openfire/debug.log", 28, Some("SESSION_LAST_ACTIVE"), None, None, None, None, &[("last_active_ms", "63231")]),
    ("002-finesse-bosh/openfire/debug.log", 29, Some("UNABLE_TO_ROUTE"), None, None, Some("2017.06.17 00:17:04"), None, &[]),
    (
        "002-finesse-bosh/openfire/info.log",
        1,
        Some("CLOSING_IDLE_SESSION"),
        None,
        None,
        Some("2017.06.17 00:16:04"),
        Some("2017-06-16T18:46:04.000Z"),
        &[("session_id", "f382a015"), ("threshold_s", "60")],
    ),
    (
        "002-finesse-bosh/Desktop-webservices.2017-06-17T00-16-00.000.log",
        1,
        Some("PRESENCE_NOTIFICATION_RECIEVED"),
        None,
        Some("6"),
        Some("Jun 17 2017 00:16:04.630 +0530"),
        Some("2017-06-16T18:46:04.630Z"),
        &[("seq", "0000001043"), ("host", "XX.XX.XX.XXX"), ("PRESENCE_TYPE", "unavailable")],
    ),
    (
        "002-finesse-bosh/Desktop-webservices.2017-06-17T00-16-00.000.log",
        2,
        Some("UNSUBSCRIBE_REQUEST_SUCCESS"),
        None,
        None,
        None,
        None,
        &[("seq", "0000000417"), ("NodeId", "/finesse/api/User/1001003/ClientLog")],
    ),
    (
        "002-finesse-bosh/Desktop-webservices.2017-06-17T00-16-00.000.log",
        4,
        Some("AGENT_PRESENCE_MONITOR"),
        Some("pool-8-thread-1"),
        None,
        None,
        Some("2017-06-16T18:46:35.384Z"),
        &[],
    ),
    (
        "002-finesse-bosh/Desktop-webservices.2017-06-17T00-16-00.000.log",
        5,
        Some("PRESENCE DRIVEN LOGOUT"),
        Some("CoreImpl-worker12"),
        None,
        None,
        Some("2017-06-16T18:47:04.632Z"),
        &[("agent_id", "1001003"), ("host", "XX.XX.XX.XXX")],
    ),
    ("002-finesse-bosh/Desktop-webservices.2017-06-17T00-16-00.000.log", 6, Some("MESSAGE_TO_CTI_SERVER"), None, None, None, None, &[]),
    (
        "002-finesse-bosh/Desktop-webservices.2017-06-17T00-16-00.000.log",
        7,
        Some("DECODED_MESSAGE_FROM_CTI_SERVER"),
        None,
        None,
        None,
        Some("2017-06-16T18:47:04.643Z"),
        &[],
    ),
    (
        "003-cce-task-routing/ctisvr.txt",
        1,
        Some("AGENT_EVENT"),
        Some("cg3A-ctisvr"),
        None,
        Some("08:54:27:874"),
        Some("2024-01-30T13:54:27.874Z"),
        &[
            ("ID", "1080"),
            ("St", "NOT_READY"),
            ("MRDID", "5011"),
            ("ICMAgtID", "5172"),
            ("SGID", "0xbb6bd5"),
            ("SGSTID", "5199"),
            ("TerminalName", "UCSFSJEFFERS"),
        ],
    ),
    (
        "003-cce-task-routing/ctisvr.txt",
        2,
        Some("AGENT_EVENT"),
        None,
        None,
        None,
        Some("2024-01-30T13:54:34.531Z"),
        &[("St", "NOT_ACTIVE"), ("AGTAvailStatus", "1")],
    ),
    ("003-cce-task-routing/ctisvr.txt", 3, Some("AGENT_EVENT"), None, None, None, None, &[("St", "RESERVED"), ("NumTasks", "1")]),
    (
        "003-cce-task-routing/ctisvr.txt",
        4,
        Some("DEVICE_TARGET_PRE_CALL_IND"),
        None,
        None,
        None,
        None,
        &[("Instrument", "1080"), ("RouterCallKey", "154526 37051928 1"), ("PreCallInvokeID", "635"), ("AgSkTargID", "5172")],
    ),
    (
        "003-cce-task-routing/ctisvr.txt",
        5,
        Some("OFFER_TASK_IND"),
        None,
        None,
        Some("08:55:58:923"),
        None,
        &[("InvokeID", "35464"), ("InvokeIDHex", "0x8a88"), ("MRDID", "5011"), ("ICMAgentID", "5172"), ("session", "3")],
    ),
    (
        "003-cce-task-routing/ctisvr.txt",
        8,
        Some("SendARMMsg"),
        None,
        None,
        None,
        None,
        &[("arm_message", "ARM_OFFER_TASK_IND"), ("InvokeID", "35464"), ("SkillGroupID", "5199"), ("ServiceID", "-1"), ("SessionID", "3")],
    ),
    (
        "003-cce-task-routing/ctisvr.txt",
        10,
        Some("OFFER_TASK_EVENT"),
        None,
        None,
        None,
        None,
        &[("MRDomainID", "5011"), ("TaskID", "154526:37051928:1"), ("ServiceID", "2671908")],
    ),
    ("003-cce-task-routing/ctisvr.txt", 13, Some("START_TASK_IND"), None, None, None, None, &[("InvokeID", "35655"), ("InvokeIDHex", "0x8b47")]),
    ("003-cce-task-routing/ctisvr.txt", 18, Some("AGENT_EVENT"), None, None, None, Some("2024-01-30T13:56:53.745Z"), &[("St", "ACTIVE")]),
    (
        "003-cce-task-routing/ctisvr.txt",
        22,
        Some("END_TASK_IND"),
        None,
        None,
        None,
        None,
        &[("InvokeID", "35884"), ("InvokeIDHex", "0x8c2c"), ("MRDID", "5011")],
    ),
    (
        "003-cce-task-routing/ctisvr.txt",
        26,
        Some("SendARMMsg"),
        None,
        None,
        None,
        None,
        &[("arm_message", "ARM_END_TASK_IND"), ("InvokeID", "35884"), ("WrapupData", "")],
    ),
    ("003-cce-task-routing/ctisvr.txt", 29, Some("AGENT_EVENT"), None, None, None, Some("2024-01-30T13:58:10.536Z"), &[("St", "NOT_ACTIVE")]),
    (
        "003-cce-task-routing/ctisvr.txt",
        30,
        Some("END_TASK_EVENT"),
        None,
        None,
        None,
        None,
        &[("TaskID", "154526:37051928:1"), ("PreviousTaskID", "-1:-1:-1"), ("ICMAgentID", "5172")],
    ),
    (
        "003-cce-task-routing/pim3.txt",
        1,
        Some("NEW_TASK"),
        Some("PG2A-pim3"),
        None,
        Some("08:55:49:391"),
        Some("2024-01-30T13:55:49.391Z"),
        &[
            ("ScriptSelector", "CumulusTask"),
            ("ApplicationString2", "5AA797871000018D0000004139ED7AD5"),
            ("PreviousTask", "-1:-1:-1"),
            ("MRDomainID", "Undefined"),
        ],
    ),
    (
        "003-cce-task-routing/pim3.txt",
        14,
        Some("NEW_CALL"),
        None,
        None,
        None,
        None,
        &[("RCID", "5004"), ("PID", "5001"), ("CED", "5AA797871000018D0000004139ED7AD5"), ("Originator", "sm1")],
    ),
    (
        "003-cce-task-routing/pim3.txt",
        16,
        Some("CONNECT"),
        None,
        None,
        None,
        None,
        &[("InvokeID", "635"), ("SGSTID", "5199"), ("PQID", "5034"), ("AGSTID", "5172"), ("MRDID", "5011")],
    ),
    (
        "003-cce-task-routing/pim3.txt",
        18,
        Some("DO_THIS_WITH_TASK"),
        None,
        None,
        None,
        None,
        &[("IcmTaskID", "154526:37051928: 1"), ("AgentInfo", "5172"), ("Label", "")],
    ),
    (
        "003-cce-task-routing/rtr.txt",
        1,
        Some("NewCall"),
        Some("ra-rtr"),
        None,
        None,
        None,
        &[("CID", "(154526,37051928)"), ("DN", "CumulusTask"), ("MRDID", "5011"), ("RCID", "5004")],
    ),
    (
        "003-cce-task-routing/rtr.txt",
        3,
        Some("DeviceTargetPreCall_V14"),
        None,
        None,
        None,
        None,
        &[("InvokeID", "635"), ("PQID", "5034"), ("AGSTID", "5172"), ("NIC_CalledPartyNumber", "CumulusTask"), ("ECCPayloadID", "1")],
    ),
    ("003-cce-task-routing/rtr.txt", 10, Some("Connect"), None, None, None, None, &[("InvokeID", "635"), ("RCID", "5004")]),
    (
        "003-cce-task-routing/rtr.txt",
        12,
        None,
        None,
        None,
        Some("08:55:50:448"),
        Some("2024-01-30T13:55:50.448Z"),
        &[("from_state", "[na-0:3[0],RA*]"), ("to_state", "[res-0+1:3[0],R]")],
    ),
    (
        "003-cce-task-routing/ccppublicapps.log",
        1,
        Some("REQUEST_INITIATED"),
        Some("CCPPUBLICAPPS"),
        Some("6"),
        Some("Jan 30 2024 08:55:49.233 -0500"),
        Some("2024-01-30T13:55:49.233Z"),
        &[("FeedId", "100080"), ("HttpMethod", "GET")],
    ),
    ("003-cce-task-routing/ccppublicapps.log", 2, Some("CREATE_SOCIAL_CONTACT"), Some("CCPAPI"), None, None, None, &[("requestId", "OTPW4p")]),
    (
        "003-cce-task-routing/runtime.log",
        1,
        Some("MSG_INCOMING_FROM_BUS"),
        Some("FEEDS"),
        None,
        None,
        Some("2024-01-30T13:55:49.243Z"),
        &[("msg_type", "PUSH.PushSocialContactRequest"), ("correlation_id", "2")],
    ),
    ("003-cce-task-routing/runtime.log", 2, Some("CREATE_SOCIAL_CONTACT"), None, None, None, None, &[("RequestId", "ZgjHyn")]),
    (
        "003-cce-task-routing/runtime.log",
        3,
        Some("SOCIAL_CONTACT_CREATED"),
        None,
        None,
        None,
        Some("2024-01-30T13:55:49.272Z"),
        &[("SOCIAL_CONTACT_ID", "5AA797871000018D0000004139ED7AD5")],
    ),
    (
        "003-cce-task-routing/runtime.log",
        6,
        Some("CCP_DS_API_MESSAGE"),
        Some("CCP-DS-API"),
        None,
        None,
        None,
        &[("scId", "5AA797871000018D0000004139ED7AD5"), ("status", "unread")],
    ),
    ("003-cce-task-routing/ccpapi.log", 1, Some("DS_NOTIFICATION_EVENT"), Some("EVENTING"), None, None, Some("2024-01-30T13:55:49.508Z"), &[]),
    ("003-cce-task-routing/ccpapi.log", 7, None, None, None, Some("Jan 30 2024 08:58:10.641 -0500"), Some("2024-01-30T13:58:10.641Z"), &[]),
    (
        "003-cce-task-routing/Desktop-webservices.2024-01-30T08-55-00.000.log",
        1,
        Some("MESSAGE_TO_CTI_SERVER"),
        Some("COMMAND_POOL-1-worker-9"),
        Some("INFO"),
        Some("Jan 30 2024 08:55:58.952 -0500"),
        Some("2024-01-30T13:55:58.952Z"),
        &[("seq", "103624"), ("call_id", ""), ("cti_message_name", "OfferTaskIndication")],
    ),
    (
        "003-cce-task-routing/Desktop-webservices.2024-01-30T08-55-00.000.log",
        3,
        Some("XMPP_PUBLISH_ASYNCHRONOUS"),
        None,
        None,
        None,
        Some("2024-01-30T13:55:58.954Z"),
        &[("call_id", "154526_37051928_1"), ("agent_id", "1080"), ("node_id", "/finesse/api/User/1080/Dialogs/Media")],
    ),
    (
        "004-uccx-facebook-chat/MADM.log",
        1,
        None,
        Some("ADM_CFG"),
        Some("7"),
        Some("Aug 27 12:21:23.943 EDT"),
        Some("2018-08-27T16:21:23.943Z"),
        &[("seq", "6551"), ("thread", "http-bio-443-exec-20"), ("class", "AppAdminUtil")],
    ),
    (
        "004-uccx-facebook-chat/MADM.log",
        113,
        None,
        Some("UCCX_WEBSERVICES"),
        None,
        None,
        Some("2018-08-27T18:59:42.384Z"),
        &[("seq", "8973"), ("thread", "http-bio-443-exec-22")],
    ),
    (
        "004-uccx-facebook-chat/MIVR.log",
        1,
        None,
        Some("SS_CHAT"),
        None,
        None,
        Some("2018-08-27T18:59:42.439Z"),
        &[("seq", "399906"), ("operation", "ADD"), ("id", "7CC1846210000165000000000A5640DC")],
    ),
    ("004-uccx-facebook-chat/MIVR.log", 2, None, None, None, None, None, &[("thread", "ChatContactEvent--7CC1846210000165000000000A5640DC 1535396382446")]),
    ("004-uccx-facebook-chat/ccpapi.log", 2, Some("DS_NOTIFICATION_EVENT"), None, None, None, Some("2018-08-27T18:59:41.979Z"), &[]),
    (
        "004-uccx-facebook-chat/runtime.log",
        1,
        Some("MSG_INCOMING_FROM_BUS"),
        Some("FEEDS"),
        None,
        None,
        Some("2018-08-27T18:59:41.779Z"),
        &[("msg_type", "PUSH.PushSocialContactRequest"), ("correlation_id", "0")],
    ),
    ("004-uccx-facebook-chat/runtime.log", 2, Some("CREATE_SOCIAL_CONTACT"), None, None, None, None, &[("RequestId", "jW2gF8")]),
    ("004-uccx-facebook-chat/runtime.log", 3, Some("CONFIG_OBJECT_STORED_IN_CACHE"), None, None, None, None, &[("id", "100029"), ("type.id", "FeedReader")]),
    (
        "004-uccx-facebook-chat/runtime.log",
        7,
        Some("SOCIAL_CONTACT_CREATED"),
        None,
        None,
        None,
        Some("2018-08-27T18:59:41.937Z"),
        &[("SOCIAL_CONTACT_ID", "7CC1846210000165000000000A5640DC")],
    ),
    ("004-uccx-facebook-chat/runtime.log", 8, Some("NOTIFICATION_SUCCEEDED"), Some("NOTIFICATION"), None, None, Some("2018-08-27T18:59:42.440Z"), &[]),
    (
        "004-uccx-facebook-chat/ccp-chat-gateway/log.log",
        1,
        None,
        None,
        Some("info"),
        Some("2018-08-27 14:59:01.781"),
        Some("2018-08-27T18:59:01.781Z"),
        &[("ID", "2242240722460512"), ("Type", "FACEBOOK_MESSENGER")],
    ),
    ("004-uccx-facebook-chat/ccp-chat-gateway/log.log", 4, None, None, Some("warn"), None, None, &[]),
    (
        "004-uccx-facebook-chat/ccp-chat-gateway/log.log",
        6,
        Some("setSessionState"),
        None,
        Some("debug"),
        None,
        Some("2018-08-27T18:59:21.501Z"),
        &[("state", "INFO_WAIT")],
    ),
    ("004-uccx-facebook-chat/ccp-chat-gateway/log.log", 8, None, None, None, None, None, &[("HOST", "localhost"), ("FEEDID", "100029"), ("QUEUEID", "4")]),
    (
        "004-uccx-facebook-chat/ccp-chat-gateway/startup.log",
        1,
        None,
        Some("chat_gateway_launcher.sh"),
        None,
        Some("Tue Aug 28 10:21:19 EDT 2018"),
        Some("2018-08-28T14:21:19.000Z"),
        &[],
    ),
    (
        "004-uccx-facebook-chat/ccp-chat-gateway/startup.log",
        10,
        None,
        None,
        Some("info"),
        Some("2018-08-28 10:21:20.100"),
        Some("2018-08-28T14:21:20.100Z"),
        &[],
    ),
];

#[test]
fn manifest_facts() {
    let mut failures = Vec::new();
    for (path, line, name, comp, sev, text, utc, fields) in FACTS {
        let r = rec(path, *line);
        let mut check = |what: &str, got: Option<&str>, want: &str| {
            if got != Some(want) {
                failures.push(format!("{path}:{line} {what}: got {got:?}, want {want:?}"));
            }
        };
        if let Some(n) = name {
            check("name", r["name"].as_str(), n);
        }
        if let Some(c) = comp {
            check("component", r["component"].as_str(), c);
        }
        if let Some(s) = sev {
            check("severity", r["severity"].as_str(), s);
        }
        if let Some(t) = text {
            check("time.text", r["time"]["text"].as_str(), t);
        }
        if let Some(u) = utc {
            check("time.utc", r["time"]["utc"].as_str(), u);
        }
        for (k, v) in fields.iter() {
            let got = match &r["fields"][*k] {
                Value::String(s) => Some(s.clone()),
                Value::Null => None,
                other => Some(other.to_string()),
            };
            check(&format!("fields.{k}"), got.as_deref(), v);
        }
    }
    assert!(failures.is_empty(), "{} MANIFEST facts failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn clocks() {
    // Local logs without a zone or date stay unresolved rather than guessed (000: GMT+2 vs GMT listener).
    let r = rec("000-ece-availability/ctisvr.txt", 1);
    assert!(r["time"]["utc"].is_null());
    assert_eq!(r["time"]["zone"].as_str(), Some("local (zone unknown)"));
    let c = &file("001-finesse-login/clientlogs/Finesse_2001.txt")["clock"];
    assert_eq!(c["utc_offset_min"].as_i64(), Some(-240));
    assert!(c["source"].as_str().is_some_and(|s| s.contains("nocache")));
    let c = &file("002-finesse-bosh/openfire/debug.log")["clock"];
    assert_eq!(c["utc_offset_min"].as_i64(), Some(330));
    let c = &file("003-cce-task-routing/pim3.txt")["clock"];
    assert_eq!(c["utc_offset_min"].as_i64(), Some(-300));
    assert_eq!(c["date"], serde_json::json!([2024, 1, 30]));
    let c = &file("004-uccx-facebook-chat/ccp-chat-gateway/log.log")["clock"];
    assert_eq!(c["utc_offset_min"].as_i64(), Some(-240));
    // The entry-point JSON keeps its structure.
    assert_eq!(rec("000-ece-availability/entrypoint-initialize-1001.json", 1)["fields"]["checkEligibility"]["responseType"].as_i64(), Some(0));
}
