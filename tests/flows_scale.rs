//! A synthetic session of 100k records: correlation completes (no O(n²) over records) and does not
//! panic on pathological sharing (one agent on every record, one InvokeID on many records).

use switchboard::model::{LogFile, LogTime, Record};
use switchboard::session::Session;
mod common;

fn rec(file: u32, format: &'static str, line: u32, utc: i64, name: &str, fields: &[(&str, serde_json::Value)]) -> Record {
    let mut r = Record::new(file, format);
    r.line = line;
    r.line_end = line;
    r.time = Some(LogTime::at_utc(utc));
    r.set_name(name);
    for (k, v) in fields {
        r.fields_mut().insert(k, v.clone());
    }
    r
}

#[test]
fn hundred_thousand_records_complete() {
    let mut s = Session::new();
    for (p, f) in [("ctisvr.txt", "ctisvr"), ("Desktop-webservices.log", "finesse-webservices-v12"), ("debug.log", "openfire-debug")] {
        let mut lf = LogFile::new(p, 0);
        lf.format = f.into();
        s.files.push(lf);
    }
    let t0 = 1_706_622_949_000i64;
    let mut line = [0u32; 3];
    for n in 0..20_000i64 {
        let task = format!("154526_{}_1", 30_000_000 + n);
        let t = t0 + n * 50;
        let inv = 10_000 + n;
        let mut push = |file: u32, fmt: &'static str, name: &str, fields: Vec<(&str, serde_json::Value)>| {
            line[file as usize] += 1;
            let r = rec(file, fmt, line[file as usize], t, name, &fields);
            s.records.push(r);
        };
        push(
            1,
            "finesse-webservices-v12",
            "MESSAGE_TO_CTI_SERVER",
            vec![("cti_message_name", "OfferTaskIndication".into()), ("InvokeID", inv.into()), ("TaskKey", task.clone().into()), ("ICMAgentID", 5172.into())],
        );
        push(
            0,
            "ctisvr",
            "OFFER_TASK_IND",
            vec![("MessageType", "OFFER_TASK_IND".into()), ("InvokeID", inv.into()), ("TaskKey", task.clone().into()), ("ICMAgentID", 5172.into())],
        );
        push(0, "ctisvr", "AGENT_EVENT", vec![("ID", "1080".into()), ("ICMAgtID", "5172".into()), ("St", "RESERVED".into())]);
        // Every fifth poll shares one InvokeID (pathological sharing).
        push(
            2,
            "openfire-debug",
            "SESSION_LAST_ACTIVE",
            vec![("sid", format!("s{}", n % 100).into()), ("lastActiveMs", (n % 60_000).into()), ("jid", "1080@host/desktop".into())],
        );
        push(
            1,
            "finesse-webservices-v12",
            "MESSAGE_FROM_CTI_SERVER",
            vec![
                ("cti_message_name", "OfferTaskEvent".into()),
                ("InvokeID", if n % 5 == 0 { 7.into() } else { (inv + 1_000_000).into() }),
                ("TaskKey", task.into()),
                ("agent_id", "1080".into()),
            ],
        );
    }
    assert_eq!(s.records.len(), 100_000);
    s.timeline = (0..s.records.len() as u32).collect();
    let (flows, findings, ids) = switchboard::correlate::analyze(&s);
    s.ids = ids;
    assert!(flows.iter().filter(|f| f.kind == "task-routing").count() >= 19_000);
    assert!(flows.iter().all(|f| f.steps.len() <= switchboard::correlate::flows::MAX_FLOW_RECORDS));
    // The skew between the two files is found (same InvokeID and message, same time → none reported).
    assert!(findings.iter().all(|f| f.code != "zone-inferred"));
    let adhoc = switchboard::correlate::adhoc_flow(&s, "1080").expect("agent flow");
    assert!(adhoc.steps.len() <= switchboard::correlate::flows::MAX_FLOW_RECORDS);
}

/// The `hot` bench shape repeats the corpus sign-in every 90 s with the same agent and requestId:
/// each login is its own flow, holding that login's records only (not its neighbours').
#[test]
fn a_sign_in_repeated_all_day_is_one_flow_per_login() {
    let files = switchboard::bench::shapes::hot_files(3 << 20);
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let j = switchboard::report::to_json(&common::session_of(&refs));
    let flows = j["flows"].as_array().expect("flows");
    let sign_ins: Vec<&serde_json::Value> = flows.iter().filter(|f| f["kind"] == "agent-sign-in").collect();
    assert!(sign_ins.len() >= 10, "{} sign-ins", sign_ins.len());
    let count = |f: &serde_json::Value, what: &str| {
        f["steps"]
            .as_array()
            .map_or(0, |s| s.iter().filter(|s| s["label"].as_str().is_some_and(|l| l.contains(what))).map(|s| s["count"].as_u64().unwrap_or(1)).sum::<u64>())
    };
    for f in &sign_ins {
        assert_eq!(count(f, "Performing login"), 1, "{}", f["key"]);
        assert_eq!(count(f, "Successfully logged in"), 1, "{}", f["key"]);
    }
}
