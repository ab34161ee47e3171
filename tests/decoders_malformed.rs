//! Malformed payloads: truncated, garbage, huge, hostile. Every decoder keeps the record, adds a
//! note where a payload is broken, and never panics.

use switchboard::decoders;
use switchboard::model::Record;

fn dec(text: &str) -> Record {
    let mut r = Record::new(0, "text");
    decoders::decode(&mut r, text);
    r
}

#[test]
fn truncated_payloads_get_notes() {
    let cases = [
        "Sending MEDIA_LOGIN_REQ -> 0 0 0 27 0 0",
        "Sending MEDIA_LOGIN_REQ -> 0 0 0 27 0 0 0 -105 0 2 8 1 0 0 19",
        "Sending MAKE_AGENT_READY_IND -> 0 0 0 14 0 0 0 -99 0 1 57 44 0 0 19 -120 0 0 25 20 0 1 7 7 7",
        "Received X -> 0 0 0 8 0 0 0 -104 1 2 3 4 5 6 7 8 999",
        "%CCBU_pool-5-thread-5-6-XMPP_PUBLISH_ASYNCHRONOUS: %[NodeId=/finesse/api/User/1][Payload=<Update><data><user><state>READY",
        "Received event on node '/finesse/api/User/1': <Update><data><user></data></Update>",
        "Returned with status=200, content='<User><state>LOGOUT</sta",
        "<ApiErrors><ApiError><ErrorType>x</ErrorType>",
        "HTTP RECVC(abc): <body sid=\"abc\" rid=\"1\"><presence",
        "{ \"checkEligibility\": { \"responseType\": ",
        "DS_NOTIFICATION_EVENT: %[DSNotificationEvent=com.x.NotificationEvent@1[socialContactId=ABC,socialContactStatus=queued",
        "New incoming contact : <contactXML><id>7CC</id>",
        "{ chatEvents: { MessageEvent: { id: '4', body: 'Hi",
    ];
    for c in cases {
        let r = dec(c);
        assert!(!r.notes().is_empty(), "no note for {c:?}: {:?}", r.fields());
    }
}

#[test]
fn garbage_never_panics() {
    let mut seeds: Vec<String> = vec![
        "Sending -> -> -> 1 2 3".into(),
        "Sending A -> 999999999999999999999999".into(),
        "MsgType:(((((InvokeID:0xFFFFFFFFFFFFFFFFFFFF".into(),
        "SendARMMsg -- InvokeID = 0x, Status = 99999999999999999999999".into(),
        "AGENT_EVENT: St=999 ID= =".into(),
        "%CCBU_-6-X: %[[[[[[".into(),
        "%CCBU_a-6-MESSAGE_TO_CTI_SERVER: %[cti_message=:,:,:,::][cti_message_name=]".into(),
        "%CCBU_a-6-DECODED_MESSAGE_FROM_CTI_SERVER: %[cti_message=X [agentState=abc (, ]]".into(),
        "&lt;Update&gt;&lt;&lt;&lt;&amp;&#xFFFFFFFF;&#99999999;&lt;/Update&gt;".into(),
        "<Update><data><dialogs><Dialog><participants><Participant/></participants></Dialog></dialogs></data></Update>".into(),
        "<message <presence <iq <open <close <body".into(),
        "Session (id=) was last active ms ago".into(),
        "Message = NEW_TASK; Length = x\nIcmTaskID = ::\nAgent = (\n".into(),
        "NEW_CALL CRS(RtrDate=,RtrCID=)".into(),
        "NewCall: CID=(,), InvokeID=".into(),
        "Agent 1 from PG domain 2. [ to [".into(),
        "[ID=][Type=][SC RefURL=]".into(),
        "{ chatEvents: }}}}}".into(),
        "%MIVR-X-7-UNK ContactEvent [operation=".into(),
        "Authorization: Basic !!!!".into(),
        "Authorization: Basic ".into(),
        "password=".into(),
        "\u{0}\u{1}\u{fffd}ÿ€ -> Sending é".into(),
    ];
    // Every prefix of a real payload: truncation at any byte (char boundary).
    let real = "2019-08-19 13:34:09.774 <@> Sending MAKE_AGENT_READY_IND -> 0 0 0 14 0 0 0 -99 0 1 57 44 0 0 19 -120 0 0 25 20 0 1 <@> <message from='a'><items node='n'><item id='i'><notification xmlns='http://jabber.org/protocol/pubsub'>&lt;Update&gt;&lt;event&gt;PUT&lt;/event&gt;&lt;/Update&gt;</notification></item></items></message> { chatEvents: { MessageEvent: { body: 'a%2' } } } {\"checkEligibility\":{\"responseType\":0}}";
    for i in 0..=real.len() {
        if let Some(p) = real.get(..i) {
            seeds.push(p.to_string());
        }
    }
    for s in &seeds {
        let _ = dec(s);
        let _ = decoders::sensitive::find_secrets(s);
    }
}

#[test]
fn huge_and_hostile_inputs() {
    // Billion laughs: custom entities are never expanded.
    let lol = format!(
        "<!DOCTYPE u [<!ENTITY a \"{}\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><Update><data><user><state>&c;</state></user></data><event>PUT</event></Update>",
        "x".repeat(100)
    );
    let r = dec(&lol);
    assert_eq!(r.get_str("state").as_deref(), Some("&c;"));
    // Deep nesting is refused with a note.
    let deep = format!("<Update>{}</Update>", "<a>".repeat(5000));
    let r = dec(&deep);
    assert!(!r.notes().is_empty());
    // A huge ARM dump and a huge record.
    let r = dec(&format!("Sending MEDIA_LOGIN_REQ -> {}", "1 ".repeat(50_000)));
    assert!(!r.notes().is_empty());
    let big = "AGENT_EVENT: ID=1 ".repeat(300_000);
    let r = dec(&big);
    assert!(r.notes().iter().any(|n| n.contains("first")), "record over the decode cap is noted");
    // Many Updates in one record are capped.
    let many = "<Update><event>PUT</event></Update>".repeat(1000);
    let r = dec(&many);
    assert!(r.fields().get("Updates").and_then(|u| u.as_array()).map(|a| a.len() <= 200).unwrap_or(false));
    let r = dec(&"{ chatEvents: ".repeat(10_000));
    assert!(!r.notes().is_empty());
}
