//! Decoders on the corpus lines (protocols.md facts, MANIFEST.md values).

use switchboard::decoders;
use switchboard::model::Record;

fn corpus(rel: &str) -> String {
    let p = format!("{}/../shared/corpus/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Lines `from..=to` (1-based) of a corpus file joined with '\n' (one multi-line record).
fn lines(rel: &str, from: usize, to: usize) -> String {
    corpus(rel).lines().skip(from - 1).take(to + 1 - from).collect::<Vec<_>>().join("\n")
}

fn dec(text: &str) -> Record {
    let mut r = Record::new(0, "text");
    decoders::decode(&mut r, text);
    r
}

fn s(r: &Record, k: &str) -> String {
    r.get_str(k).unwrap_or_else(|| panic!("field {k} missing in {:?}", r.fields()))
}

const LISTENER: &str = "000-ece-availability/listener.log";

#[test]
fn arm_seed_dumps_match_ctisvr_and_opc() {
    // MEDIA_LOGIN_REQ
    let req = dec(&lines(LISTENER, 1, 1));
    assert!(req.notes().is_empty(), "{:?}", req.notes());
    assert_eq!(req.name(), Some("MEDIA_LOGIN_REQ"));
    for (k, v) in [
        ("MessageLength", "27"),
        ("MessageTypeID", "151"),
        ("MessageType", "MEDIA_LOGIN_REQ"),
        ("InvokeID", "133121"),
        ("InvokeIDHex", "0x20801"),
        ("MRDID", "5000"),
        ("ICMAgentID", "5033"),
        ("AgentMode", "0"),
        ("IsAvailable", "0"),
        ("MaxTaskLimit", "1"),
        ("AgentInfo", "1005"),
        ("ByteCount", "35"),
    ] {
        assert_eq!(s(&req, k), v, "{k}");
    }
    // The ctisvr print of the same request (two lines: the second one continues the record).
    let cti = dec(&lines("000-ece-availability/ctisvr.txt", 2, 3));
    for k in ["MRDID", "ICMAgentID", "AgentMode", "IsAvailable", "MaxTaskLimit", "AgentInfo"] {
        assert_eq!(s(&req, k), s(&cti, k), "MEDIA_LOGIN_REQ {k}: dump vs ctisvr");
    }
    assert_eq!(s(&cti, "ApplicationPathID"), "5001");
    // The ctisvr InvokeID is the server's own (protocols.md A.5b).
    assert_eq!(s(&cti, "InvokeID"), "591309094");

    // MEDIA_LOGIN_RESP
    let resp = dec(&lines(LISTENER, 2, 2));
    assert!(resp.notes().is_empty(), "{:?}", resp.notes());
    for (k, v) in [("MessageLength", "8"), ("MessageTypeID", "152"), ("InvokeID", "133121"), ("Status", "0")] {
        assert_eq!(s(&resp, k), v, "{k}");
    }
    let cti_resp = dec(&lines("000-ece-availability/ctisvr.txt", 4, 4));
    assert_eq!(s(&cti_resp, "Status"), s(&resp, "Status"));
    assert_eq!(s(&cti_resp, "MessageType"), "MEDIA_LOGIN_RESP");
    assert_eq!(s(&resp, "InvokeID"), s(&req, "InvokeID"), "RESP echoes the REQ InvokeID");

    // MAKE_AGENT_ROUTABLE_IND
    let rout = dec(&lines(LISTENER, 6, 6));
    assert!(rout.notes().is_empty(), "{:?}", rout.notes());
    for (k, v) in [("MessageLength", "16"), ("MessageTypeID", "154"), ("InvokeID", "80171"), ("MRDID", "5000"), ("ICMAgentID", "6420"), ("MaxTasks", "2")] {
        assert_eq!(s(&rout, k), v, "{k}");
    }
    let cti_rout = dec(&lines("000-ece-availability/ctisvr.txt", 6, 6));
    let opc_rout = dec(&lines("000-ece-availability/opc.txt", 1, 1));
    for k in ["InvokeID", "MRDID", "ICMAgentID", "MaxTasks"] {
        assert_eq!(s(&rout, k), s(&cti_rout, k), "ROUTABLE {k}: dump vs ctisvr");
        assert_eq!(s(&rout, k), s(&opc_rout, k), "ROUTABLE {k}: dump vs opc");
    }
    assert_eq!(s(&opc_rout, "MessageType"), "MAKE_AGENT_ROUTABLE_IND");

    // MAKE_AGENT_READY_IND
    let ready = dec(&lines(LISTENER, 7, 7));
    assert!(ready.notes().is_empty(), "{:?}", ready.notes());
    for (k, v) in [("MessageLength", "14"), ("MessageTypeID", "157"), ("InvokeID", "80172"), ("MRDID", "5000"), ("ICMAgentID", "6420"), ("MakeRoutable", "1")] {
        assert_eq!(s(&ready, k), v, "{k}");
    }
    let cti_ready = dec(&lines("000-ece-availability/ctisvr.txt", 8, 8));
    let opc_ready = dec(&lines("000-ece-availability/opc.txt", 2, 2));
    for k in ["InvokeID", "MRDID", "ICMAgentID", "MakeRoutable"] {
        assert_eq!(s(&ready, k), s(&cti_ready, k), "READY {k}: dump vs ctisvr");
        assert_eq!(s(&ready, k), s(&opc_ready, k), "READY {k}: dump vs opc");
    }
}

#[test]
fn arm_mismatch_notes() {
    let t = lines(LISTENER, 2, 2).replace("Received MEDIA_LOGIN_RESP", "Received MEDIA_LOGOUT_IND");
    let r = dec(&t);
    assert!(r.notes().iter().any(|n| n.contains("MEDIA_LOGOUT_IND")), "{:?}", r.notes());
    assert_eq!(r.name(), Some("MEDIA_LOGIN_RESP"));
    let t = lines(LISTENER, 1, 1).replace(" 107 5 49 48 48 53 0 <@>", " 107 5 49 <@>");
    let r = dec(&t);
    assert!(r.notes().iter().any(|n| n.contains("MessageLength 27")), "{:?}", r.notes());
}

#[test]
fn cti_text_forms() {
    let opc = dec(&lines("000-ece-availability/opc.txt", 3, 3));
    assert_eq!(s(&opc, "OldState"), "NOT_READY");
    assert_eq!(s(&opc, "NewState"), "NOT_ACTIVE");
    assert_eq!(s(&opc, "ICMAgentID"), "6420");
    let end = dec(&lines("003-cce-task-routing/ctisvr.txt", 22, 23));
    assert_eq!(end.name(), Some("END_TASK_IND"));
    assert_eq!(s(&end, "InvokeID"), "35884");
    assert_eq!(s(&end, "InvokeIDHex"), "0x8c2c");
    assert_eq!(s(&end, "TaskKey"), "154526_37051928_1");
    assert_eq!(s(&end, "ICMDisposition"), "38");
    let offer = dec(&lines("003-cce-task-routing/ctisvr.txt", 5, 6));
    assert_eq!(s(&offer, "InvokeID"), "35464");
    assert_eq!(s(&offer, "ARMSkillGroupID"), "5199");
    let arm_end = dec(&lines("003-cce-task-routing/ctisvr.txt", 26, 27));
    assert_eq!(s(&arm_end, "MessageType"), "END_TASK_IND");
    assert_eq!(s(&arm_end, "InvokeID"), "35884");
    let states: Vec<String> = [1, 2, 3, 18, 29].iter().map(|&l| s(&dec(&lines("003-cce-task-routing/ctisvr.txt", l, l)), "AgentState")).collect();
    assert_eq!(states, ["NOT_READY", "NOT_ACTIVE", "RESERVED", "ACTIVE", "NOT_ACTIVE"]);
    let pre = dec(&lines("003-cce-task-routing/ctisvr.txt", 4, 4));
    assert_eq!(s(&pre, "TaskKey"), "154526_37051928_1");
    assert_eq!(s(&pre, "PreCallInvokeID"), "635");
    let ev = dec(&lines("001-finesse-login/ctisvr.txt", 5, 5));
    assert_eq!(s(&ev, "AgentState"), "NOT_READY");
    assert_eq!(s(&ev, "ICMAgentID"), "5001");
}

#[test]
fn finesse_webservices() {
    let f = "001-finesse-login/Desktop-webservices.2013-04-23T18-40-00.000.log";
    assert_eq!(s(&dec(&lines(f, 4, 4)), "elapsed_time"), "98");
    assert_eq!(s(&dec(&lines(f, 1, 1)), "nocache"), "1366756802163");
    assert_eq!(s(&dec(&lines(f, 8, 8)), "requestId"), "6e210ca9-5786-43bc-babf-64a397a6057f");
    let to = dec(&lines(f, 11, 11));
    assert_eq!(s(&to, "cti_message_name"), "SetAgentStateReq");
    assert_eq!(s(&to, "InvokeID"), "20");
    assert_eq!(s(&to, "agentState"), "0");
    assert_eq!(s(&to, "agentStateName"), "LOGIN");
    let from = dec(&lines(f, 12, 12));
    assert_eq!(s(&from, "agentState"), "2");
    assert_eq!(s(&from, "agentStateName"), "NOT_READY");
    assert_eq!(s(&from, "CTI_MSG_RECEIVED"), "1366756808374");
    let pubx = dec(&lines(f, 13, 13));
    assert_eq!(s(&pubx, "node"), "/finesse/api/User/2001");
    assert_eq!(s(&pubx, "state"), "NOT_READY");
    assert_eq!(s(&pubx, "event"), "PUT");
    assert_eq!(s(&pubx, "requestId"), "6e210ca9-5786-43bc-babf-64a397a6057f", "trailing space trimmed");
    assert_eq!(s(&pubx, "reasonCodeId"), "-1");
    let pres = dec(&lines(f, 5, 5));
    assert_eq!(s(&pres, "presenceType"), "available");

    let g = "002-finesse-bosh/Desktop-webservices.2017-06-17T00-16-00.000.log";
    let l5 = dec(&lines(g, 5, 5));
    assert_eq!(l5.name(), Some("PRESENCE DRIVEN LOGOUT"));
    assert_eq!(s(&l5, "agent_id"), "1001003");
    assert_eq!(s(&dec(&lines(g, 6, 6)), "reasonCode"), "255");
    let l7 = dec(&lines(g, 7, 7));
    assert_eq!(s(&l7, "eventReasonCode"), "255");
    assert_eq!(s(&l7, "deploymentType"), "CCX");

    let h = "003-cce-task-routing/Desktop-webservices.2024-01-30T08-55-00.000.log";
    let offer = dec(&lines(h, 1, 1));
    assert_eq!(s(&offer, "InvokeID"), "35464");
    assert_eq!(s(&offer, "TaskKey"), "154526_37051928_1");
    let acc = dec(&lines(h, 3, 3));
    assert_eq!(s(&acc, "dataType"), "Dialog");
    assert_eq!(s(&acc, "state"), "ACCEPTED");
    assert_eq!(s(&acc, "mediaType"), "Tasks");
    assert_eq!(acc.fields()["participants"][0]["actions"][2], "START");
    let closed = dec(&lines(h, 12, 12));
    assert_eq!(s(&closed, "event"), "DELETE");
    assert_eq!(s(&closed, "state"), "CLOSED");
    assert_eq!(s(&closed, "dispositionCode"), "CD_NORMAL_END_DIALOG");
    let sm = dec(&lines(h, 14, 14));
    assert_eq!(s(&sm, "SocialContactID"), "5AA797871000018D0000004139ED7AD5");
}

#[test]
fn finesse_client_and_xmpp() {
    let c = "001-finesse-login/clientlogs/Finesse_2001.txt";
    let req = dec(&lines(c, 12, 12));
    assert_eq!(s(&req, "method"), "GET");
    assert_eq!(s(&req, "nocache"), "1366756805180");
    let user = dec(&lines(c, 13, 28));
    assert!(user.notes().is_empty(), "{:?}", user.notes());
    assert_eq!(s(&user, "status"), "200");
    assert_eq!(s(&user, "state"), "LOGOUT");
    assert_eq!(s(&user, "loginId"), "2001");
    let ev = dec(&lines(c, 37, 60));
    assert_eq!(s(&ev, "node"), "/finesse/api/User/2001");
    assert_eq!(s(&ev, "state"), "NOT_READY");
    assert_eq!(s(&ev, "extension"), "2003");
    assert_eq!(s(&ev, "requestId"), "6e210ca9-5786-43bc-babf-64a397a6057f");

    let o = "001-finesse-login/openfire/debug.log";
    let auth = dec(&lines(o, 3, 3));
    assert_eq!(s(&auth, "authUser"), "2001");
    assert_eq!(auth.fields()["sensitive"][0], "authorization-basic");
    let msg = dec(&lines(o, 11, 34));
    assert_eq!(s(&msg, "stanza"), "message");
    assert_eq!(s(&msg, "node"), "/finesse/api/User/2001");
    assert_eq!(s(&msg, "itemId"), "1su0Keff8M2irdS");
    assert_eq!(s(&msg, "pubsubNs"), "http://jabber.org/protocol/pubsub");
    assert_eq!(s(&msg, "state"), "NOT_READY");
    assert!(msg.fields().contains_key("Update"));
}

#[test]
fn bosh_openfire() {
    let d = "002-finesse-bosh/openfire/debug.log";
    let recv = dec(&lines(d, 10, 10));
    assert_eq!(s(&recv, "sid"), "3445afbe");
    assert_eq!(s(&recv, "rid"), "164853266");
    assert_eq!(s(&recv, "emptyBody"), "true");
    let cons = dec(&lines(d, 11, 14));
    assert_eq!(s(&cons, "sid"), "3445afbe");
    assert_eq!(s(&cons, "rid"), "164853266");
    assert_eq!(s(&cons, "stanza"), "presence");
    let gaps: Vec<String> = (25..=28).map(|l| s(&dec(&lines(d, l, l)), "lastActiveMs")).collect();
    assert_eq!(gaps, ["0", "13230", "43230", "63231"]);
    let route = dec(&lines(d, 29, 29));
    assert_eq!(s(&route, "routeFailure"), "No session is available so store offline.");
    assert_eq!(s(&route, "node"), "/finesse/api/User/1001003");
    assert!(route.notes().iter().any(|n| n.contains("truncated")), "escaped Update cut by the article");
    let idle = dec(&lines("002-finesse-bosh/openfire/info.log", 1, 1));
    assert_eq!(s(&idle, "sid"), "f382a015");
    assert_eq!(s(&idle, "inactivityThreshold"), "60");
}

#[test]
fn ece_entrypoint() {
    let r = dec(&corpus("000-ece-availability/entrypoint-initialize-1001.json"));
    assert!(r.notes().is_empty(), "{:?}", r.notes());
    assert_eq!(s(&r, "responseType"), "0");
    assert!(s(&r, "responseTypeMeaning").contains("can take new chats"));
    assert_eq!(r.fields()["flags"]["isDirectAudioChatEnabled"], true);
    assert_eq!(r.fields()["flags"]["isVideoChatEnabled"], false);
    assert_eq!(r.fields()["settings"]["maxChatAttachmentSize"], 3);
    let x = dec("<checkEligibility responseType=\"2\"/>");
    assert!(s(&x, "responseTypeMeaning").contains("maximum queue depth"));
    let cut = dec("{ \"checkEligibility\": { \"responseType\": 1 ");
    assert!(!cut.notes().is_empty());
}

#[test]
fn ccp_and_routing() {
    let a = "003-cce-task-routing/ccpapi.log";
    let q = dec(&lines(a, 1, 1));
    assert_eq!(s(&q, "SocialContactID"), "5AA797871000018D0000004139ED7AD5");
    assert_eq!(s(&q, "status"), "queued");
    assert_eq!(s(&q, "TaskKey"), "154526_37051928_1");
    assert_eq!(s(&q, "MRDID"), "5011");
    assert_eq!(q.fields()["extensionFields"]["cv_1"], "Scott McTominay");
    let statuses: Vec<String> = [3, 6, 16].iter().map(|&l| s(&dec(&lines(a, l, l)), "status")).collect();
    assert_eq!(statuses, ["queued", "reserved", "handled"]);
    let p = "003-cce-task-routing/pim3.txt";
    let nt = dec(&lines(p, 1, 13));
    assert_eq!(nt.name(), Some("NEW_TASK"));
    assert_eq!(s(&nt, "ScriptSelector"), "CumulusTask");
    assert_eq!(s(&nt, "SocialContactID"), "5AA797871000018D0000004139ED7AD5");
    assert_eq!(s(&nt, "DialogueID"), "4");
    let dt = dec(&lines(p, 18, 30));
    assert_eq!(dt.name(), Some("DO_THIS_WITH_TASK"));
    assert_eq!(s(&dt, "TaskKey"), "154526_37051928_1");
    assert_eq!(s(&dt, "ICMAgentID"), "5172");
    assert_eq!(s(&dt, "MRDID"), "5011");
    let con = dec(&lines(p, 16, 17));
    assert_eq!(s(&con, "InvokeID"), "635");
    assert_eq!(s(&con, "RouterCallKeyDay"), "154526");
    let r = "003-cce-task-routing/rtr.txt";
    let nc = dec(&lines(r, 1, 1));
    assert_eq!(s(&nc, "MessageType"), "NewCall");
    assert_eq!(s(&nc, "RouterCallKeyCallID"), "37051928");
    assert_eq!(s(&nc, "MRDID"), "5011");
    let pre = dec(&lines(r, 3, 3));
    assert_eq!(s(&pre, "InvokeID"), "635");
    assert_eq!(s(&pre, "EnabledServiceTypes"), "[1,2]");
    assert_eq!(s(&dec(&lines(r, 10, 10)), "MessageType"), "Connect");
    assert_eq!(s(&dec(&lines(r, 12, 12)), "toState"), "[res-0+1:3[0],R]");
}

#[test]
fn uccx_and_chat_gateway() {
    let m = "004-uccx-facebook-chat/MADM.log";
    let sc = dec(&lines(m, 113, 148));
    assert_eq!(s(&sc, "SocialContactID"), "7CC1846210000165000000000A5640DC");
    assert_eq!(s(&sc, "status"), "unread");
    assert_eq!(sc.fields()["extensionFields"]["ccxqueuetag"], "Chat_Csq4");
    assert!(sc.fields()["sensitive"].as_array().map(|a| a.iter().any(|v| v == "integrationAuthTokenGUID")).unwrap_or(false));
    let tok = lines(m, 26, 26);
    let found = decoders::sensitive::find_secrets(&tok);
    assert!(found.iter().any(|(r, k)| *k == "pageAccessToken" && tok[r.clone()].starts_with("EAAVG0LRBZCxYBAH")));
    let mivr = dec(&lines("004-uccx-facebook-chat/MIVR.log", 1, 1));
    assert_eq!(s(&mivr, "operation"), "ADD");
    assert_eq!(s(&mivr, "SocialContactID"), "7CC1846210000165000000000A5640DC");
    let sel = dec(&lines("004-uccx-facebook-chat/MIVR.log", 11, 11));
    assert_eq!(s(&sel, "agentId"), "agent7901");
    let g = "004-uccx-facebook-chat/ccp-chat-gateway/log.log";
    let ev = dec(&lines(g, 43, 45));
    assert_eq!(ev.fields()["chatEvents"]["MessageEvent"]["body"], "Hi How can I help you?");
    let st = dec(&lines(g, 22, 22));
    assert_eq!(s(&st, "sessionState"), "TALKING");
    assert_eq!(s(&st, "sessionId"), "2242240722460512");
    let post = dec(&lines(g, 8, 8));
    assert_eq!(s(&post, "FEEDID"), "100029");
    let ccp = dec(&lines("004-uccx-facebook-chat/ccpapi.log", 2, 2));
    assert_eq!(s(&ccp, "status"), "unread");
    assert_eq!(ccp.fields()["extensionFields"]["h_chatOrigin"], "FACEBOOK_MESSENGER");
    let rt = dec(&lines("004-uccx-facebook-chat/runtime.log", 8, 49));
    assert_eq!(s(&rt, "SocialContactID"), "7CC1846210000165000000000A5640DC");
    assert_eq!(s(&rt, "status"), "unread");
}

#[test]
fn sensitive_basic_in_url() {
    let r = dec(&lines("001-finesse-login/localhost_access_log.2013-04-23.txt", 14, 14));
    assert_eq!(s(&r, "authUser"), "2001");
}
