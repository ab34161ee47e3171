//! Each corpus folder's "Cross-file flow" (MANIFEST.md) is found end to end through the CLI path:
//! ingest → Session::finish → report::to_json.

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

/// The flow of `kind` whose key contains `key`.
fn flow<'a>(j: &'a Value, kind: &str, key: &str) -> &'a Value {
    j["flows"].as_array().into_iter().flatten().find(|f| f["kind"] == kind && f["key"].as_str().is_some_and(|k| k.contains(key))).unwrap_or_else(|| {
        panic!("no {kind} flow with key {key}; flows: {:?}", j["flows"].as_array().map(|a| a.iter().map(|f| f["key"].clone()).collect::<Vec<_>>()))
    })
}

fn labels(f: &Value) -> Vec<String> {
    f["steps"].as_array().into_iter().flatten().map(|s| s["label"].as_str().unwrap_or("").to_string()).collect()
}

/// Every expected label fragment appears, in this order.
fn assert_in_order(f: &Value, expected: &[&str]) {
    let ls = labels(f);
    let mut at = 0usize;
    for e in expected {
        match ls.iter().skip(at).position(|l| l.contains(e)) {
            Some(p) => at += p + 1,
            None => panic!("step {e:?} missing or out of order after step {at}; labels:\n{}", ls.join("\n")),
        }
    }
}

/// The files the flow's steps come from (report record indices are timeline positions).
fn step_files(j: &Value, f: &Value) -> Vec<String> {
    let recs = j["records"].as_array().cloned().unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    for s in f["steps"].as_array().into_iter().flatten() {
        let i = s["record"].as_u64().unwrap_or(u64::MAX) as usize;
        let file = recs.get(i).and_then(|r| r["file"].as_str()).unwrap_or("").to_string();
        if !out.contains(&file) {
            out.push(file);
        }
    }
    out
}

fn assert_spans(j: &Value, f: &Value, sources: &[&str]) {
    let files = step_files(j, f);
    for s in sources {
        assert!(files.iter().any(|p| p.ends_with(s)), "flow does not include {s}; files: {files:?}");
    }
}

fn assert_participants(f: &Value, names: &[&str]) {
    let ps: Vec<&str> = f["participants"].as_array().into_iter().flatten().filter_map(|p| p.as_str()).collect();
    for n in names {
        assert!(ps.contains(n), "participant {n} missing: {ps:?}");
    }
}

#[test]
fn ece_availability_000() {
    let (s, j) = load("000-ece-availability");
    let f = flow(&j, "ece-chat-availability", "ICM agent 6420");
    assert_in_order(
        f,
        &[
            "agentIsAvailable",
            "MAKE_AGENT_ROUTABLE_IND (InvokeID 80171)",
            "MAKE_AGENT_READY_IND (InvokeID 80172)",
            "ProcessMakeAgentRoutableInd",
            "SendARMMsg MAKE_AGENT_ROUTABLE_IND (InvokeID 80171)",
            "ProcessMakeAgentReadyInd",
            "SendARMMsg MAKE_AGENT_READY_IND (InvokeID 80172)",
            "MakeAgentRoutableInd (InvokeID 80171)",
            "MakeAgentReadyInd (InvokeID 80172)",
            "SetAgentState NOT_READY → NOT_ACTIVE",
            "rttest agent_status /agent 6420",
            "domain ECE_Chat (5000) [na-0:2,RA]",
            "skill group TEST_Chat (6928)",
            "responseType 0",
        ],
    );
    assert_spans(&j, f, &["listener.log", "ctisvr.txt", "opc.txt", "rttest.txt", "entrypoint-initialize-1001.json"]);
    assert_participants(f, &["ECE listener", "CTI server", "Agent PG (OPC)", "Router", "ECE web server"]);
    // The login capture: listener and ctisvr InvokeIDs differ, linked by type + agent + MRD.
    let login = flow(&j, "ece-chat-availability", "ICM agent 5033");
    assert_in_order(
        login,
        &[
            "MEDIA_LOGIN_REQ (InvokeID 133121)",
            "ProcessMediaLoginReq",
            "SendARMMsg MEDIA_LOGIN_REQ (InvokeID 591309094)",
            "MEDIA_LOGIN_RESP Status 0 (InvokeID 591309094)",
            "MEDIA_LOGIN_RESP Status 0 (InvokeID 133121)",
        ],
    );
    let sf = s.flows.iter().find(|f| f.key.contains("6420")).expect("flow in session");
    assert!(
        sf.links.iter().any(|l| l.contains("same InvokeID 80171") && l.contains("listener.log") && l.contains("ctisvr.txt") && l.contains("opc.txt")),
        "{:?}",
        sf.links
    );
    let sl = s.flows.iter().find(|f| f.key.contains("5033")).expect("login flow");
    assert!(sl.links.iter().any(|l| l.contains("InvokeIDs differ")), "{:?}", sl.links);
}

#[test]
fn finesse_login_001() {
    let (s, j) = load("001-finesse-login");
    let f = flow(&j, "agent-sign-in", "6e210ca9-5786-43bc-babf-64a397a6057f");
    assert!(f["key"].as_str().unwrap_or("").contains("agent 2001"));
    assert_in_order(
        f,
        &[
            "GET /desktop/container/",
            "GET SystemInfo (nocache 1366756802163)",
            "REQUEST_START GET /SystemInfo (nocache 1366756802163)",
            "REQUEST_END 98 ms",
            "SystemInfo returned 200",
            "BOSH connecting",
            "BOSH established",
            "presence available",
            "GET User/2001 (nocache 1366756805180)",
            "REQUEST_START GET /User/2001",
            "HTTP GET /finesse/api/User/2001",
            "User returned 200 state LOGOUT",
            "Performing login extn=2003",
            "PUT User/2001",
            "returned 202",
            "SetAgentStateReq LOGIN (InvokeID 20)",
            "AGENT_EVENT NOT_READY",
            "AGENT_STATE_EVENT NOT_READY",
            "AgentStateEvent NOT_READY",
            "XMPP publish Update to /finesse/api/User/2001 (requestId 6e210ca9",
            "route Update (requestId 6e210ca9",
            "Update NOT_READY received (requestId 6e210ca9",
            "Successfully logged in",
        ],
    );
    assert_spans(
        &j,
        f,
        &["localhost_access_log.2013-04-23.txt", "Finesse_2001.txt", "Desktop-webservices.2013-04-23T18-40-00.000.log", "ctisvr.txt", "openfire/debug.log"],
    );
    assert_participants(f, &["Finesse desktop", "Tomcat", "Finesse webservices", "Notification service", "CTI server"]);
    let sf = s.flows.iter().find(|f| f.kind == "agent-sign-in").expect("flow");
    assert!(sf.links.iter().any(|l| l.contains("same requestId 6e210ca9")), "{:?}", sf.links);
    assert!(sf.links.iter().any(|l| l.contains("same nocache 1366756802163")), "{:?}", sf.links);
}

#[test]
fn finesse_bosh_002() {
    let (_s, j) = load("002-finesse-bosh");
    let f = flow(&j, "notification-session", "f382a015");
    assert_in_order(
        f,
        &[
            "last active 0 ms",
            "last active 13230 ms",
            "last active 43230 ms",
            "last active 63231 ms",
            "closing idle session f382a015",
            "session closed",
            "presence unavailable (1001003)",
            "unsubscribe /finesse/api/User/1001003/ClientLog",
            "expiry hash",
            "Removed agent from cache",
            "PRESENCE DRIVEN LOGOUT",
            "SetAgentStateReq LOGOUT reason 255",
            "AgentStateEvent LOGOUT reason 255",
            "store offline",
        ],
    );
    assert_spans(&j, f, &["openfire/debug.log", "openfire/info.log", "Desktop-webservices.2017-06-17T00-16-00.000.log"]);
    // The healthy April capture is its own short session.
    let healthy = flow(&j, "notification-session", "3445afbe");
    assert_in_order(healthy, &["BOSH poll (sid 3445afbe)", "last active 0 ms"]);
    assert!(!labels(healthy).iter().any(|l| l.contains("LOGOUT")));
}

#[test]
fn cce_task_routing_003() {
    let (s, j) = load("003-cce-task-routing");
    let f = flow(&j, "task-routing", "154526_37051928_1");
    assert!(f["key"].as_str().unwrap_or("").contains("5AA797871000018D0000004139ED7AD5"));
    assert_in_order(
        f,
        &[
            "REQUEST_INITIATED",
            "SOCIAL_CONTACT_CREATED",
            "status unread",
            "NEW_TASK ScriptSelector CumulusTask",
            "NEW_CALL",
            "NewCall CID=(154526,37051928)",
            "router picks agent 5172",
            "DeviceTargetPreCall (InvokeID 635)",
            "AGENT_EVENT RESERVED",
            "DEVICE_TARGET_PRE_CALL_IND (InvokeID 635)",
            "Connect (InvokeID 635)",
            "CONNECT (InvokeID 635)",
            "DO_THIS_WITH_TASK (task 154526_37051928_1)",
            "status queued",
            "status reserved",
            "[na-0:3[0],RA*] → [res-0+1:3[0],R]",
            "OfferTaskIndication (InvokeID 35464)",
            "OFFER_TASK_IND (InvokeID 35464)",
            "OFFER_TASK_EVENT",
            "OfferTaskEvent",
            "XMPP Dialog ACCEPTED",
            "StartTaskIndication (InvokeID 35655)",
            "START_TASK_IND (InvokeID 35655)",
            "AGENT_EVENT ACTIVE",
            "START_TASK_EVENT",
            "StartTaskEvent",
            "XMPP Dialog ACTIVE",
            "EndTaskIndication (InvokeID 35884)",
            "END_TASK_IND (InvokeID 35884)",
            "AGENT_EVENT NOT_ACTIVE",
            "END_TASK_EVENT",
            "EndTaskEvent",
            "XMPP Dialog CLOSED (DELETE)",
            "EndTask REST call to SocialMiner",
            "CONTACT_CLOSE request",
            "status HANDLED",
            "SocialMiner HTTP 200",
            "status handled",
        ],
    );
    assert_spans(
        &j,
        f,
        &["ccppublicapps.log", "runtime.log", "pim3.txt", "rtr.txt", "ctisvr.txt", "ccpapi.log", "Desktop-webservices.2024-01-30T08-55-00.000.log"],
    );
    assert_participants(f, &["CCP / SocialMiner", "MR PIM", "Router", "CTI server", "Finesse webservices"]);
    let sf = s.flows.iter().find(|f| f.kind == "task-routing").expect("flow");
    assert!(sf.links.iter().any(|l| l.contains("day+callid prefix")), "{:?}", sf.links);
    assert!(sf.links.iter().any(|l| l.contains("same InvokeID 35464")), "{:?}", sf.links);
    assert!(sf.links.iter().any(|l| l.contains("ICM agent 5172") && l.contains("agent 1080")), "{:?}", sf.links);
}

#[test]
fn uccx_chat_004() {
    let (_s, j) = load("004-uccx-facebook-chat");
    let f = flow(&j, "uccx-chat", "2242240722460512");
    assert!(f["key"].as_str().unwrap_or("").contains("7CC1846210000165000000000A5640DC"));
    assert_in_order(
        f,
        &[
            "session created (FACEBOOK_MESSENGER)",
            "message ignored in CREATED state",
            "state INFO_WAIT",
            "state INFO_CLOSED",
            "post chat request (FEEDID 100029, QUEUEID 4)",
            "PushSocialContactRequest",
            "SOCIAL_CONTACT_CREATED",
            "chat created (SocialContact 7CC1846210000165000000000A5640DC)",
            "state AGENT_WAIT",
            "status unread",
            "New incoming contact",
            "ContactEvent ADD",
            "queue for tag is 4",
            "reserve agent agent7901",
            "PresenceEvent joined",
            "state TALKING",
            "message to customer: Hi How can I help you?",
            "customer message: Sure",
            "PresenceEvent left",
            "state RATING_WAIT",
            "rating 5 received",
            "rating submitted",
            "session destroyed",
        ],
    );
    assert_spans(&j, f, &["ccp-chat-gateway/log.log", "runtime.log", "ccpapi.log", "MADM.log", "MIVR.log"]);
    assert_participants(f, &["Customer (Facebook)", "Chat gateway", "CCP / SocialMiner", "UCCX engine"]);
    // Keep-alive polls are consecutive identical labels the page can collapse.
    let ls = labels(f);
    let runs = ls.windows(2).filter(|w| w[0] == w[1] && w[0] == "poll SocialMiner: no events").count();
    assert!(runs >= 5, "expected runs of identical poll labels: {ls:?}");
}

#[test]
fn adhoc_flows_accept_every_written_form() {
    let (s, _j) = load("003-cce-task-routing");
    let by_hex = switchboard::correlate::adhoc_flow(&s, "0x8a88").expect("hex InvokeID");
    assert_eq!(by_hex.kind, "adhoc");
    let files: Vec<&str> = by_hex.files.iter().map(|p| p.rsplit('/').next().unwrap_or("")).collect();
    assert!(files.contains(&"ctisvr.txt") && files.iter().any(|f| f.starts_with("Desktop-webservices")), "{files:?}");
    let by_cid = switchboard::correlate::adhoc_flow(&s, "CID=(154526,37051928)").expect("router call key");
    assert!(by_cid.files.iter().any(|p| p.ends_with("rtr.txt")) && by_cid.files.iter().any(|p| p.ends_with("pim3.txt")));
    let by_task = switchboard::correlate::adhoc_flow(&s, "154526:37051928: 1").expect("task key");
    assert!(by_task.steps.len() >= 10);
    assert!(by_task.links.iter().any(|l| l.contains("same task ID 154526_37051928_1")));
    let by_sc = switchboard::correlate::adhoc_flow(&s, "5aa797871000018d0000004139ed7ad5").expect("lower-case SocialContactID");
    assert!(by_sc.files.iter().any(|p| p.ends_with("pim3.txt")));
    assert!(switchboard::correlate::adhoc_flow(&s, "no-such-id").is_none());
}
