//! A synthetic session of 100k records: correlation completes (no O(n²) over records) and does not
//! panic on pathological sharing (one agent on every record, one InvokeID on many records).

use switchboard::model::{LogFile, LogTime, Record};
use switchboard::session::Session;

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
