//! A HAR alone tells the client-side story (issue 16): flows and findings from browser captures,
//! checked through the CLI's JSON; and the same captures joining the server logs of the demo.
mod common;

use common::har::{dialog_data, document, entry, update_message, user_data, Entry, T0};
use serde_json::Value;

const FIN: &str = "https://fin.example.test:8445";
const JID: &str = "1001@fin.example.test/desktop";

fn analyze(name: &str, files: &[(&str, String)]) -> Value {
    let dir = common::temp_dir(name);
    let mut paths = Vec::new();
    for (f, text) in files {
        let p = dir.join(f);
        std::fs::write(&p, text).expect("write the capture");
        paths.push(p.to_string_lossy().into_owned());
    }
    let mut args = vec!["analyze", "--json"];
    args.extend(paths.iter().map(String::as_str));
    let (code, out, err) = common::cli(&args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("CLI JSON")
}

fn flows<'a>(j: &'a Value, kind: &str) -> Vec<&'a Value> {
    j["flows"].as_array().into_iter().flatten().filter(|f| f["kind"] == kind).collect()
}

fn labels(f: &Value) -> Vec<String> {
    f["steps"].as_array().into_iter().flatten().map(|s| s["label"].as_str().unwrap_or("").to_string()).collect()
}

fn finding<'a>(j: &'a Value, code: &str) -> Vec<&'a Value> {
    j["findings"].as_array().into_iter().flatten().filter(|f| f["code"] == code).collect()
}

fn codes(j: &Value) -> Vec<String> {
    j["findings"].as_array().into_iter().flatten().map(|f| f["code"].as_str().unwrap_or("").to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// ECE chat

fn ece_har() -> String {
    let host = "https://chat.example.test";
    let init =
        |rt: u8| format!("{{\"checkEligibility\":{{\"responseType\":{rt}}},\"maskingPatterns\":{{\"maskingPattern\":[]}},\"isAttachmentEnabled\":true}}");
    let entries = vec![
        entry(T0, "GET", &format!("{host}/system/templates/chat/tpl/index.html?entryPointId=1001&languageCode=en"), 200, "<html></html>", 120.0),
        entry(T0 + 500, "GET", &format!("{host}/system/egain/chat/entrypoint/initialize/1001"), 200, &init(1), 80.0),
        entry(T0 + 60_000, "GET", &format!("{host}/system/egain/chat/entrypoint/agentAvailability/1001"), 200, "{\"available\":false}", 40.0),
        entry(T0 + 61_000, "GET", &format!("{host}/system/egain/chat/entrypoint/initialize/1001"), 200, &init(2), 75.0),
        // Firefox writes the zone offset of the PC.
        entry(T0 + 120_000, "GET", &format!("{host}/system/egain/chat/entrypoint/checkEligibility/1001"), 200, "{\"responseType\":2}", 70.0).zone(60),
        entry(T0 + 300_000, "GET", &format!("{host}/system/egain/chat/entrypoint/initialize/1002"), 200, &init(0), 90.0).zone(60),
        entry(T0 + 301_000, "POST", &format!("{host}/system/egain/chat/session/start"), 200, "{\"sessionId\":\"s1\"}", 300.0).post("{\"entryPointId\":1002}"),
        entry(T0 + 305_000, "GET", &format!("{host}/system/egain/chat/session/messages"), 200, "{\"messages\":[]}", 20_000.0),
        entry(T0 + 330_000, "POST", &format!("{host}/system/egain/chat/session/end"), 200, "{}", 50.0),
    ];
    document("Firefox", &entries)
}

#[test]
fn ece_chat_har_alone_gives_availability_flows_and_findings() {
    let j = analyze("ece-alone", &[("customer-chat.har", ece_har())]);
    let fl = flows(&j, "ece-chat-availability");
    assert_eq!(fl.len(), 2, "one flow per entry point: {:?}", j["flows"]);
    let ep1 = fl.iter().find(|f| f["key"].as_str().unwrap_or("").contains("1001")).expect("entry point 1001");
    let l1 = labels(ep1);
    let rts: Vec<&String> = l1.iter().filter(|l| l.contains("responseType")).collect();
    assert_eq!(rts.len(), 3, "{l1:?}");
    assert!(rts[0].contains("responseType 1 (no agent available)"), "{l1:?}");
    assert!(rts[1].contains("responseType 2 (queue full)"), "{l1:?}");
    assert!(rts[2].contains("checkEligibility 1001 → responseType 2"), "{l1:?}");
    assert!(l1.iter().any(|l| l.contains("agentAvailability")), "{l1:?}");
    let ep2 = fl.iter().find(|f| f["key"].as_str().unwrap_or("").contains("1002")).expect("entry point 1002");
    let l2 = labels(ep2);
    assert!(l2.first().is_some_and(|l| l.contains("responseType 0 (chat offered)")), "{l2:?}");
    for what in ["start chat", "chat messages", "end chat"] {
        assert!(l2.iter().any(|l| l.starts_with(what)), "{what} in {l2:?}");
    }
    // Findings: no agent once, queue full twice with its time span, chat offered on 1002.
    let na = finding(&j, "ece-no-agent");
    assert_eq!(na.len(), 1);
    let qf = finding(&j, "ece-queue-full");
    assert_eq!(qf.len(), 1);
    assert_eq!(qf[0]["count"], 2);
    assert_eq!(qf[0]["span"]["from"], "2026-03-12T10:01:01.000Z");
    assert_eq!(qf[0]["span"]["to"], "2026-03-12T10:02:00.000Z");
    assert!(qf[0]["flow"].is_number(), "linked to its flow");
    assert_eq!(finding(&j, "ece-chat-available").len(), 1);
    // The messages long poll (20 s) is alone of its kind: slow.
    assert_eq!(finding(&j, "http-slow").len(), 1, "{:?}", codes(&j));
    // Waterfall fields on the entries.
    let rec =
        j["records"].as_array().and_then(|r| r.iter().find(|r| r["fields"]["url"].as_str().is_some_and(|u| u.ends_with("/session/messages")))).expect("entry");
    assert_eq!(rec["fields"]["durationMs"], 20_000);
    assert_eq!(rec["fields"]["startMs"], T0 + 305_000);
}

// ---------------------------------------------------------------------------------------------
// Finesse desktop over WebSocket

fn ws_har() -> String {
    let at = |s: i64| T0 + s * 1000;
    let mut ws = entry(at(1), "GET", "wss://fin.example.test:8445/ws/", 101, "", 400_000.0)
        .frame("send", at(1), "<open xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\" to=\"fin.example.test\" version=\"1.0\"/>")
        .frame("receive", at(1) + 20, "<open xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\" from=\"fin.example.test\" id=\"s1\" version=\"1.0\"/>")
        .frame("receive", at(1) + 25, "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>")
        .frame("send", at(1) + 40, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>ADEwMDEAc2VjcmV0MTIz</auth>")
        .frame("receive", at(1) + 90, "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")
        .frame("send", at(1) + 100, "<iq type='set' id='bind_1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>desktop</resource></bind></iq>")
        .frame("receive", at(1) + 120, &format!("<iq type='result' id='bind_1' to='{JID}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>{JID}</jid></bind></iq>"))
        .frame("send", at(1) + 130, "<iq type='set' id='sess_1'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>")
        .frame("receive", at(1) + 140, &format!("<iq type='result' id='sess_1' to='{JID}'/>"))
        .frame("send", at(1) + 150, "<presence xmlns='jabber:client'/>")
        .frame("send", at(1) + 160, "<iq type='set' id='sub_1' to='pubsub.fin.example.test'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='/finesse/api/User/1001' jid='1001@fin.example.test'/></pubsub></iq>")
        .frame("receive", at(1) + 170, &format!("<iq type='result' id='sub_1' to='{JID}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscription node='/finesse/api/User/1001' subscription='subscribed'/></pubsub></iq>"));
    // The LOGIN's Update, 350 ms after the PUT (at 5 s).
    ws = ws.frame("receive", at(5) + 350, &update_message(JID, "/finesse/api/User/1001", &user_data("NOT_READY"), "PUT", "req-login-1"));
    // Pings every 20 s, answered; one gap of 80 s; the last one unanswered.
    let mut pings = vec![20, 40, 60, 80, 160, 180];
    for (k, s) in pings.drain(..).enumerate() {
        let id = format!("ping_{k}");
        ws = ws.frame("send", at(s), &format!("<iq type='get' id='{id}' to='fin.example.test'><ping xmlns='urn:xmpp:ping'/></iq>"));
        if s != 180 {
            ws = ws.frame("receive", at(s) + 30, &format!("<iq type='result' id='{id}' from='fin.example.test' to='{JID}'/>"));
        }
    }
    // A call: ALERTING → ACTIVE → DROPPED.
    let node = "/finesse/api/User/1001/Dialogs";
    ws = ws
        .frame("receive", at(100), &update_message(JID, node, &dialog_data("16804377", "ALERTING", "ALERTING", &["ANSWER"]), "POST", ""))
        .frame("receive", at(103), &update_message(JID, node, &dialog_data("16804377", "ACTIVE", "ACTIVE", &["HOLD", "DROP"]), "PUT", "req-answer-1"))
        .frame("receive", at(140), &update_message(JID, node, &dialog_data("16804377", "DROPPED", "DROPPED", &[]), "PUT", ""));
    // A later state change, answered 400 ms after its PUT.
    ws = ws.frame("receive", at(200) + 400, &update_message(JID, "/finesse/api/User/1001", &user_data("NOT_READY"), "PUT", "req-nr-1"));
    // The socket ends without <close/> (the last ping at 180 s, no <close/> at the end).
    ws = ws.frame("receive", at(240), "<presence from='fin.example.test' type='unavailable'/>");
    let entries: Vec<Entry> = vec![
        entry(at(0), "GET", &format!("{FIN}/finesse/api/SystemInfo?nocache={}", at(0)), 200, "<SystemInfo><status>IN_SERVICE</status></SystemInfo>", 35.0),
        ws,
        entry(at(3), "GET", &format!("{FIN}/finesse/api/User/1001?nocache={}", at(3)), 200, &user_data("LOGOUT"), 42.0)
            .header("Authorization", "Basic MTAwMTpzZWNyZXQxMjM="),
        entry(at(5), "PUT", &format!("{FIN}/finesse/api/User/1001"), 202, "", 60.0)
            .header("requestId", "req-login-1")
            .post("<User><state>LOGIN</state><extension>1001</extension></User>"),
        entry(at(102), "PUT", &format!("{FIN}/finesse/api/Dialog/16804377"), 202, "", 55.0)
            .header("requestId", "req-answer-1")
            .post("<Dialog><targetMediaAddress>1001</targetMediaAddress><requestedAction>ANSWER</requestedAction></Dialog>"),
        // A state change whose Update never comes.
        entry(at(150), "PUT", &format!("{FIN}/finesse/api/User/1001"), 202, "", 58.0)
            .header("requestId", "req-ready-1")
            .post("<User><state>READY</state></User>"),
        entry(at(200), "PUT", &format!("{FIN}/finesse/api/User/1001"), 202, "", 61.0)
            .header("requestId", "req-nr-1")
            .post("<User><state>NOT_READY</state><reasonCodeId>12</reasonCodeId></User>"),
        // Blocked by the browser.
        entry(at(170), "GET", &format!("{FIN}/finesse/api/User/1001/ReasonCodes?category=NOT_READY&nocache={}", at(170)), 0, "", 0.0)
            .failed("net::ERR_CONNECTION_RESET"),
    ];
    document("WebInspector", &entries)
}

#[test]
fn finesse_websocket_har_alone_gives_sign_in_session_and_dialog_flows_with_findings() {
    let j = analyze("ws-alone", &[("desktop-ws.har", ws_har())]);
    // Sign-in: SystemInfo → channel up → GET User → PUT LOGIN → the Update, with its delay.
    let si = flows(&j, "agent-sign-in");
    assert_eq!(si.len(), 1, "{:?}", j["flows"]);
    let l = labels(si[0]);
    let pos = |needle: &str| l.iter().position(|x| x.contains(needle)).unwrap_or_else(|| panic!("{needle} in {l:?}"));
    assert!(pos("GET SystemInfo") < pos("notification channel up"), "{l:?}");
    assert!(pos("notification channel up") < pos("GET User/1001"), "{l:?}");
    assert!(pos("GET User/1001") < pos("PUT User/1001 state LOGIN"), "{l:?}");
    assert!(pos("PUT User/1001 state LOGIN") < pos("Update User NOT_READY (requestId req-login-1), 350 ms after the PUT"), "{l:?}");
    // The WebSocket's notification session, in words.
    let ns = flows(&j, "notification-session");
    assert_eq!(ns.len(), 1);
    assert!(ns[0]["key"].as_str().unwrap_or("").contains(JID), "{}", ns[0]["key"]);
    let l = labels(ns[0]).join("\n");
    for want in [
        "WebSocket upgrade",
        "<open/> to fin.example.test",
        "SASL auth PLAIN",
        "SASL success",
        "bound 1001@",
        "session",
        "presence available",
        "subscribe /finesse/api/User/1001",
        "ping (id ping_0)",
        "Update Dialog 16804377 ALERTING",
        "socket ends without <close/>",
    ] {
        assert!(l.contains(want), "{want} in\n{l}");
    }
    assert!(!l.contains("ADEwMDEAc2VjcmV0MTIz"), "never the SASL payload");
    // The dialog.
    let dl = flows(&j, "dialog");
    assert_eq!(dl.len(), 1, "{:?}", j["flows"]);
    let l = labels(dl[0]);
    let states: Vec<&String> = l.iter().filter(|x| x.starts_with("Dialog 16804377")).collect();
    assert_eq!(states.len(), 3, "{l:?}");
    assert!(states[0].contains("ALERTING: 1001 ALERTING [ANSWER]"), "{l:?}");
    assert!(states[1].contains("ACTIVE: 1001 ACTIVE [HOLD, DROP]"), "{l:?}");
    assert!(states[2].contains("DROPPED"), "{l:?}");
    assert!(l.iter().any(|x| x.contains("PUT Dialog ANSWER 202")), "{l:?}");
    // The READY state change is a flow of its own.
    // The later state change: its PUT and Update (the READY PUT has no Update, so no flow).
    let sc = flows(&j, "agent-state-change");
    assert_eq!(sc.len(), 1, "{:?}", j["flows"]);
    assert_eq!(sc[0]["key"], "agent 1001 → NOT_READY, requestId req-nr-1");
    assert_eq!(
        labels(sc[0]),
        ["PUT User/1001 state NOT_READY 202 (61 ms) (requestId req-nr-1)", "Update User NOT_READY (requestId req-nr-1), 400 ms after the PUT"]
    );
    // Findings.
    let c = codes(&j);
    for code in ["notification-missing", "no-clean-close", "ping-gap", "http-blocked", "credentials-present"] {
        assert!(c.iter().any(|x| x == code), "{code} in {c:?}");
    }
    let nm = &finding(&j, "notification-missing")[0];
    assert_eq!(nm["count"], 1);
    assert!(nm["summary"].as_str().unwrap_or("").contains("req-ready-1"), "{nm}");
    let nc = &finding(&j, "no-clean-close")[0];
    assert_eq!(nc["count"], 1);
    assert!(nc["summary"].as_str().unwrap_or("").starts_with("1 WebSocket(s) in desktop-ws.har"), "{nc}");
    let pg = &finding(&j, "ping-gap")[0];
    assert!(pg["summary"].as_str().unwrap_or("").contains("80.0 s"), "{pg}");
    assert!(pg["summary"].as_str().unwrap_or("").contains("1 ping(s) without a result"), "{pg}");
    assert!(pg["flow"].is_number());
    let hb = &finding(&j, "http-blocked")[0];
    assert!(hb["summary"].as_str().unwrap_or("").contains("net::ERR_CONNECTION_RESET"), "{hb}");
    let cp = &finding(&j, "credentials-present")[0];
    let s = cp["summary"].as_str().unwrap_or("");
    assert!(s.contains("authorization-basic") && s.contains("sasl"), "{s}");
    assert!(!s.contains("MTAwMTpzZWNyZXQxMjM") && !s.contains("secret123"), "never the secret: {s}");
    assert!(!c.iter().any(|x| x == "notification-late"), "{c:?}");
}

// ---------------------------------------------------------------------------------------------
// Finesse desktop over BOSH (Fiddler / mitmproxy exports: zone offsets, base64 bodies)

fn bosh_har() -> String {
    let at = |s: i64| T0 + s * 1000;
    let bind = format!("{FIN}/http-bind/");
    let body = |attrs: &str, inner: &str| format!("<body {attrs} xmlns='http://jabber.org/protocol/httpbind'>{inner}</body>");
    let entries: Vec<Entry> = vec![
        entry(at(0), "GET", &format!("{FIN}/finesse/api/SystemInfo?nocache={}", at(0)), 200, "<SystemInfo><status>IN_SERVICE</status></SystemInfo>", 30.0)
            .zone(-240),
        // Session creation.
        entry(at(1), "POST", &bind, 200, &body("sid='a1b2c3' wait='30' inactivity='60' requests='2' hold='1'", ""), 45.0)
            .post(&body("rid='5000' to='fin.example.test' wait='30' hold='1' ver='1.6'", "")),
        entry(at(2), "POST", &bind, 200, &body("", "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"), 20.0)
            .post(&body("rid='5001' sid='a1b2c3'", "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>ADEwMDEAc2VjcmV0MTIz</auth>")),
        entry(at(3), "GET", &format!("{FIN}/finesse/api/User/1001?nocache={}", at(3)), 200, &user_data("LOGOUT"), 40.0)
            .header("Cookie", "JSESSIONID=0123456789ABCDEF"),
        entry(at(4), "PUT", &format!("{FIN}/finesse/api/User/1001"), 202, "", 50.0)
            .header("requestId", "req-login-b")
            .post("<User><state>LOGIN</state><extension>1001</extension></User>"),
        // The long poll that brings the LOGIN's Update (base64 body, as mitmproxy may write it).
        entry(
            at(3) + 500,
            "POST",
            &bind,
            200,
            &body("", &update_message(JID, "/finesse/api/User/1001", &user_data("NOT_READY"), "PUT", "req-login-b")),
            1_000.0,
        )
        .post(&body("rid='5002' sid='a1b2c3'", ""))
        .base64(),
        entry(at(4) + 500, "POST", &bind, 200, &body("", ""), 30_000.0).post(&body("rid='5003' sid='a1b2c3'", "")),
        // A state change answered 5 s late.
        entry(at(20), "PUT", &format!("{FIN}/finesse/api/User/1001"), 202, "", 50.0).header("requestId", "req-nr-b").post("<User><state>READY</state></User>"),
        entry(at(34) + 500, "POST", &bind, 200, &body("", &update_message(JID, "/finesse/api/User/1001", &user_data("READY"), "PUT", "req-nr-b")), 10_500.0)
            .post(&body("rid='5004' sid='a1b2c3'", "")),
        // rid 5005 and 5006 never seen; 40 s without a request held.
        entry(at(85), "POST", &bind, 200, &body("type='terminate' condition='item-not-found'", ""), 12.0).post(&body("rid='5007' sid='a1b2c3'", "")),
    ];
    document("Fiddler", &entries)
}

/// A capture of two desktops (a proxy's, say): agent 2002's BOSH session comes up between agent
/// 1001's and 1001's sign-in PUT. The sign-in takes its own agent's channel, told by the SASL user,
/// not the nearest one.
#[test]
fn sign_in_takes_its_own_agents_channel_in_a_capture_of_two_desktops() {
    let at = |s: i64| T0 + s * 1000;
    let bind = format!("{FIN}/http-bind/");
    let body = |attrs: &str, inner: &str| format!("<body {attrs} xmlns='http://jabber.org/protocol/httpbind'>{inner}</body>");
    let auth = |user_pw: &str| format!("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{user_pw}</auth>");
    let success = body("", "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
    let entries: Vec<Entry> = vec![
        entry(at(0), "GET", &format!("{FIN}/finesse/api/SystemInfo?nocache={}", at(0)), 200, "<SystemInfo><status>IN_SERVICE</status></SystemInfo>", 30.0),
        entry(at(1), "POST", &bind, 200, &body("sid='aaa111' wait='30' inactivity='60'", ""), 45.0)
            .post(&body("rid='100' to='fin.example.test' wait='30' hold='1' ver='1.6'", "")),
        entry(at(1) + 500, "POST", &bind, 200, &success, 20.0).post(&body("rid='101' sid='aaa111'", &auth("ADEwMDEAc2VjcmV0MTIz"))),
        entry(at(2), "POST", &bind, 200, &body("sid='bbb222' wait='30' inactivity='60'", ""), 45.0)
            .post(&body("rid='900' to='fin.example.test' wait='30' hold='1' ver='1.6'", "")),
        entry(at(2) + 500, "POST", &bind, 200, &success, 20.0).post(&body("rid='901' sid='bbb222'", &auth("ADIwMDIAcHcyMDAy"))),
        entry(at(3), "GET", &format!("{FIN}/finesse/api/User/1001?nocache={}", at(3)), 200, &user_data("LOGOUT"), 40.0),
        entry(at(4), "PUT", &format!("{FIN}/finesse/api/User/1001"), 202, "", 50.0)
            .header("requestId", "req-login-two")
            .post("<User><state>LOGIN</state><extension>1001</extension></User>"),
    ];
    let j = analyze("two-desktops", &[("proxy.har", document("Fiddler", &entries))]);
    let si = flows(&j, "agent-sign-in");
    assert_eq!(si.len(), 1, "{:?}", j["flows"]);
    let l = labels(si[0]).join("\n");
    assert!(l.contains("BOSH session aaa111 created"), "agent 1001's own channel:\n{l}");
    assert!(!l.contains("bbb222"), "not agent 2002's, although nearer the PUT:\n{l}");
}

#[test]
fn finesse_bosh_har_alone_gives_sign_in_and_session_flows_with_findings() {
    let j = analyze("bosh-alone", &[("desktop-bosh.har", bosh_har())]);
    let si = flows(&j, "agent-sign-in");
    assert_eq!(si.len(), 1, "{:?}", j["flows"]);
    let l = labels(si[0]);
    let pos = |needle: &str| l.iter().position(|x| x.contains(needle)).unwrap_or_else(|| panic!("{needle} in {l:?}"));
    assert!(pos("GET SystemInfo") < pos("BOSH session a1b2c3 created"), "{l:?}");
    assert!(pos("BOSH session a1b2c3 created") < pos("PUT User/1001 state LOGIN"), "{l:?}");
    assert!(pos("PUT User/1001 state LOGIN") < pos("(requestId req-login-b), "), "{l:?}");
    let ns = flows(&j, "notification-session");
    assert_eq!(ns.len(), 1, "{:?}", j["flows"]);
    let l = labels(ns[0]).join("\n");
    for want in [
        "BOSH session a1b2c3 created (wait 30 s, inactivity 60 s)",
        "long poll rid 5003 (30.0 s) → empty keep-alive",
        "Update User NOT_READY (requestId req-login-b)",
        "terminate: item-not-found",
    ] {
        assert!(l.contains(want), "{want} in\n{l}");
    }
    let c = codes(&j);
    for code in ["rid-gap", "bosh-terminated", "poll-gap", "notification-late", "credentials-present"] {
        assert!(c.iter().any(|x| x == code), "{code} in {c:?}");
    }
    let late = &finding(&j, "notification-late")[0];
    assert!(late["summary"].as_str().unwrap_or("").contains("req-nr-b: 25000 ms"), "{late}");
    assert!(!c.iter().any(|x| x == "notification-missing"), "{c:?}");
    let cp = &finding(&j, "credentials-present")[0];
    assert!(cp["summary"].as_str().unwrap_or("").contains("cookie"), "{cp}");
    assert!(!cp["summary"].as_str().unwrap_or("").contains("0123456789ABCDEF"));
}

// ---------------------------------------------------------------------------------------------
// With the demo's server logs

#[test]
fn demo_hars_join_the_server_side_flows() {
    let dir = common::temp_dir("har-demo");
    let (code, _, err) = common::cli(&["demo", "--out", &dir.to_string_lossy()]);
    assert_eq!(code, 0, "{err}");
    // The BOSH drop: the desktop's HAR alone, then with Openfire, webservices and CTI server logs.
    let bosh = dir.join("02-bosh-drop");
    let har =
        std::fs::read_dir(&bosh).expect("demo").filter_map(Result::ok).map(|e| e.path()).find(|p| p.extension().is_some_and(|x| x == "har")).expect("a HAR");
    let run = |paths: &[&std::path::Path]| -> Value {
        let mut args = vec!["analyze".to_string(), "--json".to_string()];
        args.extend(paths.iter().map(|p| p.to_string_lossy().into_owned()));
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = common::cli(&a);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).expect("JSON")
    };
    let alone = run(&[&har]);
    let ns = flows(&alone, "notification-session");
    assert_eq!(ns.len(), 1, "{:?}", alone["flows"]);
    assert!(codes(&alone).iter().any(|c| c == "http-blocked"));
    let sid = ns[0]["key"].as_str().unwrap_or("").to_string();
    let all = run(&[&bosh]);
    let joined: Vec<&Value> = flows(&all, "notification-session").into_iter().filter(|f| f["key"].as_str().unwrap_or("").starts_with(&sid)).collect();
    assert_eq!(joined.len(), 1, "one session, server and browser steps together: {:?}", all["flows"]);
    let files: Vec<&str> = joined[0]["files"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    assert!(files.iter().any(|f| f.ends_with(".har")) && files.iter().any(|f| f.ends_with("debug.log")), "{files:?}");
    let l = labels(joined[0]).join("\n");
    assert!(l.contains("failed: status 0") && l.contains("closing idle session") && l.contains("PRESENCE DRIVEN LOGOUT"), "{l}");
    // The sign-in: the browser's HAR alone, then with the client log, webservices, CTI server and
    // Openfire logs: one agent-sign-in flow holding both sides (by requestId and nocache).
    let signin = dir.join("01-signin");
    let har =
        std::fs::read_dir(&signin).expect("demo").filter_map(Result::ok).map(|e| e.path()).find(|p| p.extension().is_some_and(|x| x == "har")).expect("a HAR");
    let alone = run(&[&har]);
    let si = flows(&alone, "agent-sign-in");
    assert_eq!(si.len(), 1, "{:?}", alone["flows"]);
    let l = labels(si[0]);
    for want in ["GET SystemInfo 200", "notification channel up: BOSH session", "GET User/3107 200", "PUT User/3107 state LOGIN 202", "after the PUT"] {
        assert!(l.iter().any(|x| x.contains(want)), "{want} in {l:?}");
    }
    assert!(!codes(&alone).iter().any(|c| c == "notification-missing" || c == "notification-late"), "{:?}", codes(&alone));
    let all = run(&[&signin]);
    let si = flows(&all, "agent-sign-in");
    assert_eq!(si.len(), 1, "{:?}", all["flows"]);
    let files: Vec<&str> = si[0]["files"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    for f in [".har", "ctisvr.txt", "debug.log", ".log"] {
        assert!(files.iter().any(|x| x.ends_with(f)), "{f} in {files:?}");
    }
    let l = labels(si[0]);
    let pos = |needle: &str| l.iter().position(|x| x.contains(needle)).unwrap_or_else(|| panic!("{needle} in {l:?}"));
    assert!(pos("PUT User/3107 state LOGIN 202") < pos("SetAgentStateReq"), "{l:?}");
    assert!(pos("SetAgentStateReq") < pos("after the PUT"), "{l:?}");
    // The chat refused: the customer's HAR alone gives the entry point's flow and ece-no-agent.
    let chat = dir.join("04-chat-refused").join("customer-chat.har");
    let alone = run(&[&chat]);
    assert_eq!(flows(&alone, "ece-chat-availability").len(), 1, "{:?}", alone["flows"]);
    assert_eq!(finding(&alone, "ece-no-agent").len(), 1);
}

// ---------------------------------------------------------------------------------------------
// HARs as tools write them

#[test]
fn browser_variants_read_alike() {
    // The same exchange written by Chrome (UTC), Firefox (+01:00) and Fiddler (-04:00, 7 digits of
    // fraction): the same instant, the same fields.
    let at = T0 + 1_234;
    let base = || entry(at, "GET", &format!("{FIN}/finesse/api/SystemInfo?nocache={at}"), 200, "<SystemInfo/>", 12.5);
    let chrome = document("WebInspector", &[base()]);
    let firefox = document("Firefox", &[base().zone(60)]);
    let fiddler = document("Fiddler", &[base().zone(-240)]).replace(".234-04:00", ".2340000-04:00");
    let mitm = document("mitmproxy har_dump", &[base().base64()]);
    let j = analyze("variants", &[("chrome.har", chrome), ("firefox.har", firefox), ("fiddler.har", fiddler), ("mitm.har", mitm)]);
    let recs = j["records"].as_array().expect("records");
    assert_eq!(recs.len(), 4);
    for r in recs {
        assert_eq!(r["fields"]["startMs"], at, "{r}");
        assert_eq!(r["fields"]["durationMs"], 13, "{r}");
        assert_eq!(r["fields"]["initiator"], "script");
    }
    assert!(recs.iter().any(|r| r["fields"]["responseEncoding"] == "base64" && r["fields"]["responseBody"].as_str().is_some_and(|b| b.contains("SystemInfo"))));
}

/// A HAR saved on one line (minified, as some tools write it), longer than the line cap of line
/// logs: read whole, every entry kept.
#[test]
fn minified_har_longer_than_the_line_cap_loads() {
    let body = "y".repeat(6_000);
    let entries: Vec<Entry> =
        (0..300).map(|k| entry(T0 + k * 1000, "GET", &format!("{FIN}/finesse/api/User/1001?nocache={}", T0 + k * 1000), 200, &body, 20.0)).collect();
    let doc = serde_json::json!({"log": {"version": "1.2", "creator": {"name": "har-export", "version": "1"}, "entries": entries.iter().map(Entry::to_json).collect::<Vec<_>>()}});
    let text = serde_json::to_string(&doc).unwrap_or_default();
    assert!(text.len() > 1 << 20 && !text.contains('\n'));
    let j = analyze("minified", &[("one-line.har", text)]);
    assert_eq!(j["records"].as_array().map(Vec::len), Some(300), "{}", j["files"]);
    assert!(j["files"][0]["problems"].as_array().is_none_or(|p| p.is_empty()), "{}", j["files"][0]);
}

/// The waterfall the page draws: every entry (start, duration) and frame (time) from the index
/// entries, without decoding.
#[test]
fn waterfall_from_the_index_entries() {
    let dir = common::temp_dir("waterfall");
    let p = dir.join("desktop-ws.har");
    std::fs::write(&p, ws_har()).expect("write");
    let s = common::load_paths(&[&p.to_string_lossy()]);
    let bars = s.waterfall(None, None);
    let entries: Vec<&switchboard::waterfall::Bar> = bars.iter().filter(|b| b.frame.is_none()).collect();
    assert_eq!(entries.len(), 8);
    assert_eq!((entries[0].start_ms, entries[0].duration_ms), (T0, Some(35)));
    let ws = entries.iter().find(|b| b.entry == 1).expect("the WebSocket entry");
    assert_eq!((ws.start_ms, ws.duration_ms), (T0 + 1000, Some(400_000)));
    let frames: Vec<&switchboard::waterfall::Bar> = bars.iter().filter(|b| b.frame.is_some()).collect();
    assert!(frames.len() == 29 && frames.iter().all(|b| b.entry == 1), "{}", frames.len());
    assert!(bars.windows(2).all(|w| w[0].start_ms <= w[1].start_ms));
    // A window: what overlaps 10:02:30–10:02:45 (the socket, still open, and the frames then).
    let some = s.waterfall(Some(T0 + 150_000), Some(T0 + 165_000));
    assert!(some.iter().any(|b| b.entry == 1 && b.frame.is_none()));
    assert!(some.iter().all(|b| b.start_ms <= T0 + 165_000));
    assert!(some.len() < bars.len());
}

/// notification-missing works from server logs too (no HAR): the webservices PUT with its
/// requestId and the Notification service's Updates. The demo's sign-in, with the Update that
/// answers the LOGIN published and sent for another requestId: the LOGIN's is missing.
#[test]
fn notification_missing_from_server_logs() {
    let dir = common::temp_dir("nm-server");
    let (code, _, err) = common::cli(&["demo", "--out", &dir.to_string_lossy()]);
    assert_eq!(code, 0, "{err}");
    let signin = dir.join("01-signin");
    let ws = std::fs::read_dir(&signin)
        .expect("demo")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("webservices"))
        .expect("webservices log");
    let ws_text = std::fs::read_to_string(&ws).expect("read");
    let of_text = std::fs::read_to_string(signin.join("openfire").join("debug.log")).expect("read");
    let req =
        ws_text.split("request_identifer=").skip(1).filter_map(|r| r.split(']').next()).find(|r| r.len() == 36).expect("the LOGIN's requestId").to_string();
    assert_eq!(req.len(), 36);
    let both = |ws: &str, of: &str| -> Value {
        analyze("nm-server-run", &[("Desktop-webservices.2026-03-12T09-02-00.000.log", ws.to_string()), ("debug.log", of.to_string())])
    };
    // As logged: the Update with the same requestId is there, nothing missing.
    let j = both(&ws_text, &of_text);
    assert!(!codes(&j).iter().any(|c| c == "notification-missing"), "{:?}", codes(&j));
    // Without the publish, and the Openfire Update sent for another request.
    let ws_cut: String = ws_text.lines().filter(|l| !l.contains("XMPP_PUBLISH_ASYNCHRONOUS")).map(|l| format!("{l}\n")).collect();
    let of_other = of_text.replace(&req, "0ther-request-0000-0000-000000000000");
    let j = both(&ws_cut, &of_other);
    let nm = finding(&j, "notification-missing");
    assert_eq!(nm.len(), 1, "{:?}", codes(&j));
    assert!(nm[0]["summary"].as_str().unwrap_or("").contains(&req), "{}", nm[0]);
    assert!(nm[0]["evidence"][0].as_str().unwrap_or("").contains("webservices"), "{}", nm[0]);
}
