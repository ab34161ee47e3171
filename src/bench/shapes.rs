//! Bundle shapes the project's own incident generator does not make, so the benchmark measures
//! what real captures look like to the analysis:
//! - `hot`: few big files in which a handful of IDs recur — one agent's incident (sign-in, BOSH
//!   drop, task, chat) repeated with shifted times until the files reach the size, as on a busy
//!   server where one agent logs thousands of state changes a day;
//! - `many`: 100 000 distinct agents, BOSH sessions, requests and tasks, a few lines each;
//! - `day`: day-long notification sessions — agents whose BOSH session is polled every 30 s for
//!   24 h, with the Finesse side (state changes, presence) around it;
//! - `small`: many small files — `many`'s logs rolled every 16 KiB, as a server set to small
//!   rotated files or an `activelog` download of a busy week leaves them (thousands of files,
//!   each file's clock and format learnt anew).
//!
//! Every line is written by the project in the products' grammars (see `crate::demo`).

use crate::demo::{write_incident, Files, Incident, DEMO_DATE};

/// The shapes `generate_shape` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The project's generator: many agents' incidents, spread over days (`super::generate`).
    Incidents,
    Hot,
    Many,
    Day,
    Small,
}

impl Shape {
    pub fn parse(s: &str) -> Option<Shape> {
        Some(match s {
            "incidents" => Shape::Incidents,
            "hot" => Shape::Hot,
            "many" => Shape::Many,
            "day" => Shape::Day,
            "small" => Shape::Small,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Shape::Incidents => "incidents",
            Shape::Hot => "hot",
            Shape::Many => "many",
            Shape::Day => "day",
            Shape::Small => "small",
        }
    }
}

/// Minutes between two repeats of the `hot` incident: one agent busy around the clock.
const HOT_SPACING_MS: i64 = 90_000;

/// One agent's incident repeated every 90 s with the same IDs (agent, requestIds, InvokeIDs,
/// BOSH sid, task key, SocialContactID) until about `size` bytes: a bigger bundle covers more
/// days at the same density. One folder per day, as servers roll their logs.
pub fn hot_files(size: u64) -> Vec<(String, String)> {
    let one: u64 = {
        let mut f = Files::default();
        write_incident(&Incident::new(0, DEMO_DATE, 0), "", &mut f);
        f.finish().iter().map(|(_, t)| t.len() as u64).sum::<u64>().max(1)
    };
    let reps = size.div_ceil(one).max(1) as i64;
    let day0 = crate::time::days_from_civil(DEMO_DATE.0, DEMO_DATE.1, DEMO_DATE.2);
    let per_day = 86_400_000 / HOT_SPACING_MS;
    let mut out = Vec::new();
    let mut k = 0i64;
    while k < reps {
        let day = k / per_day;
        let date = crate::time::civil_from_days(day0 + day);
        let mut files = Files::default();
        let root = format!("hot/day-{:04}-{:02}-{:02}/", date.0, date.1, date.2);
        // The incident's own times start at 09:00; shifts run from 00:00 to the end of the day.
        let first = day * per_day;
        while k < reps && k / per_day == day {
            write_incident(&Incident::new(0, date, (k - first) * HOT_SPACING_MS - crate::demo::at(9, 0, 0, 0)), &root, &mut files);
            k += 1;
        }
        out.extend(files.finish());
    }
    out
}

use crate::demo::{at, Day, FIN_A, FIN_A_IP, PERIPH, SEQ10, SEQ6, SITE_OFFSET_MIN, TASK_MRD};

/// Bytes one agent of `many` takes (about; used to size the bundle).
const MANY_PER_AGENT: u64 = 4_100;

/// 100 000 agents (or as many as fit in `size`), each signing in once (REST PUT with its own
/// requestId, CTI agent state, XMPP update), with its own BOSH session and its own routed task.
pub fn many_files(size: u64) -> Vec<(String, String)> {
    let agents = (size / MANY_PER_AGENT).max(1);
    let d = Day { date: DEMO_DATE, offset_min: SITE_OFFSET_MIN };
    let mut f = Files::default();
    let root = "many/";
    let ws = format!("{root}Desktop-webservices.{:04}-{:02}-{:02}T06-00-00.000.log", d.date.0, d.date.1, d.date.2);
    let v12 = format!("{root}tasks/Desktop-webservices.{:04}-{:02}-{:02}T06-00-00.000.log", d.date.0, d.date.1, d.date.2);
    let cti = format!("{root}ctisvr.txt");
    let of = format!("{root}openfire/debug.log");
    let client = format!("{root}clientlogs/Finesse_agents.txt");
    let rtr = format!("{root}rtr.txt");
    f.seq_base(&ws, 1, 0);
    f.seq_base(&v12, 0, 1);
    let mut rng = crate::demo::Rng::new(0x4D41_4E59);
    for k in 0..agents {
        let a = 100_000 + k;
        let st = 500_000 + k;
        let x = 200_000 + k;
        // Agents sign in over 16 hours, about 0.6 s apart.
        let t = at(6, 0, 0, 0) + (k as i64 * 57_600_000 / agents as i64);
        let req = rng.guid();
        let sid = rng.hex(8);
        let inv = 10_000 + k;
        let wsl = |f: &mut Files, t: i64, thread: &str, mn: &str, rest: String| {
            f.line(&ws, t, format!("{SEQ10}: {FIN_A_IP}: {}: %CCBU_{thread}-6-{mn}: {rest}", d.ccbu(t)));
        };
        f.line(&client, t, format!("{}: Container : [ClientServices] User: requestId='{req}', Making REST request: method=PUT, url='/finesse/api/User/{a}', data='<User><state>LOGIN</state><extension>{x}</extension></User>'", d.client(t)));
        wsl(&mut f, t + 12, "http-bio-8082-exec-5", "API_REQUEST", format!("%[REQUEST_URL=User/{a}][agent_id={a}][request_identifer={req}][request_method=user.PUT][request_parameters= extension:{x} state:LOGIN]: Request from client to webservice api"));
        wsl(&mut f, t + 20, "pool-5-thread-4", "MESSAGE_TO_CTI_SERVER", format!("%[cti_message=Invoke id :{inv} , agentstate : 0, workmode : 0, reason code: -1, forceflag :1, agentcapacity: 0, agentext: {x}, agentid: {a}][cti_message_name=SetAgentStateReq]: Message going to the backend cti server"));
        f.line(
            &cti,
            t + 22,
            format!("{} cg1A-ctisvr Trace: AGENT_EVENT: ID={a} Periph={PERIPH} Ext={x} St=NOT_READY MRDID=1 NumTasks=0 ICMAgtID={st} STID={st}", d.icm(t + 22)),
        );
        wsl(&mut f, t + 30, "CTIMessageEventExecutor-0", "DECODED_MESSAGE_FROM_CTI_SERVER", format!("%[cti_message=CTIAgentStateEvent [agentState=2 (NOT_READY), eventReasonCode=0, agentID={a}, agentExtension={x}, MRDId=1]][cti_message_name=CTIAgentStateEvent]: Message received from the backend cti server"));
        wsl(&mut f, t + 34, "pool-5-thread-5", "XMPP_PUBLISH_ASYNCHRONOUS", format!("%[NodeId=/finesse/api/User/{a}][Payload=<Update><data><user><loginId>{a}</loginId><state>NOT_READY</state></user></data><event>PUT</event><requestId>{req}</requestId><source>/finesse/api/User/{a}</source></Update>]: Publishing XMPP message asynchronously"));
        f.line(
            &of,
            t + 5,
            format!(
                "{} HTTPBindLog: HTTP RECV({sid}): <body rid=\"{}\" sid=\"{sid}\" xmlns=\"http://jabber.org/protocol/httpbind\"/>",
                d.openfire(t + 5),
                1_000_000 + k
            ),
        );
        f.line(&of, t + 40, format!("{} HTTPBindLog: HTTP SENT({sid}): <body xmlns=\"http://jabber.org/protocol/httpbind\"><message to=\"{a}@{FIN_A}/desktop\"><event xmlns=\"http://jabber.org/protocol/pubsub#event\"><items node=\"/finesse/api/User/{a}\"/></event></message></body>", d.openfire(t + 40)));
        f.line(&client, t + 60, format!("{}: Container : [ClientServices] MasterPublisher._eventHandler() - Received event on node '/finesse/api/User/{a}': <Update><event>PUT</event><requestId>{req}</requestId></Update>", d.client(t + 60)));
        // Its task: routed by the router, offered and started through Finesse.
        let day_key = crate::time::days_from_civil(d.date.0, d.date.1, d.date.2) - crate::time::days_from_civil(1601, 1, 1);
        let call_id = 50_000_000 + k;
        let task = format!("{day_key}_{call_id}_1");
        let tt = t + 30_000;
        f.line(
            &rtr,
            tt,
            format!("{} rb-rtr Trace: (7 x 0 : 0 0) NewCall: CID=({day_key},{call_id}), DN=HarborCardTask, MRDID={TASK_MRD}, CallAtVRU=1", d.icm(tt)),
        );
        f.line(
            &rtr,
            tt,
            format!(
                "{} rb-rtr Trace: (7 x 0 : 0 0) DeviceTargetPreCall_V14: CID=({day_key},{call_id}), PerID={PERIPH}, AGSTID={st}, InvokeID={}",
                d.icm(tt),
                900_000 + k
            ),
        );
        for (i, (ind, fin)) in [("OfferTaskIndication", "OfferTaskEvent"), ("StartTaskIndication", "StartTaskEvent")].into_iter().enumerate() {
            let ti = tt + 2_000 + i as i64 * 20_000;
            f.line(&v12, ti, format!("{SEQ6}: [INFO]: [call-id [{task}]] [agent-id [{a}]]: [{}]: [COMMAND_POOL-1-worker-4]: [c.c.c.f.a.a.c.CCECTIWriter]: [MESSAGE_TO_CTI_SERVER] Message going to the backend cti server cti_message_name: {ind}, Invoke id :{}, mrdId: {TASK_MRD}, icmAgentId : {st}, taskId : {task}", d.ccbu(ti), 2 * inv + i as u64));
            f.line(&v12, ti + 8, format!("{SEQ6}: [INFO]: [call-id [{task}]] [agent-id [{a}]]: [{}]: [EVENT_POOL-1-worker-2]: [c.c.c.f.a.a.m.RunnableHandler]: [MESSAGE_FROM_CTI_SERVER] Message coming to Finesse from backend cti server Name of the CTI Message: {fin}, Entire cti message payload: CTI{fin} [ mrdId={TASK_MRD}, icmAgentID={st}, agentID={a}, taskID={task}]", d.ccbu(ti + 8)));
        }
    }
    f.finish()
}

/// Size at which `small` rolls a file over.
const SMALL_FILE_BYTES: usize = 16 * 1024;

/// `many`'s logs rolled over every `SMALL_FILE_BYTES` (at a line end) into numbered files in the
/// same folder (`ctisvr.0001.txt`, …), so the bundle holds thousands of small files.
pub fn small_files(size: u64) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, text) in many_files(size) {
        let (stem, ext) = match path.rfind('.').filter(|&i| i > path.rfind('/').map_or(0, |s| s + 1)) {
            Some(i) => (path.get(..i).unwrap_or(&path), path.get(i..).unwrap_or("")),
            None => (path.as_str(), ""),
        };
        let mut rest = text.as_str();
        let mut n = 0;
        while !rest.is_empty() {
            // Cut after the first line end at or past the roll-over size.
            let from = SMALL_FILE_BYTES.min(rest.len() - 1);
            let end = memchr::memchr(b'\n', rest.as_bytes().get(from..).unwrap_or(&[])).map_or(rest.len(), |c| from + c + 1);
            let Some((part, tail)) = rest.split_at_checked(end) else { break };
            n += 1;
            out.push((format!("{stem}.{n:04}{ext}"), part.to_string()));
            rest = tail;
        }
    }
    out
}

/// Bytes one day-long session takes (about).
const DAY_PER_AGENT: u64 = 900_000;

/// Agents whose desktop keeps one BOSH session for 24 hours, polled every 30 s (the server logs
/// each poll and its "last active" check), with the Finesse side: a state change every 15 minutes
/// (REST PUT, CTI, XMPP update) and presence at the start.
pub fn day_files(size: u64) -> Vec<(String, String)> {
    let agents = (size / DAY_PER_AGENT).max(1);
    let d = Day { date: DEMO_DATE, offset_min: SITE_OFFSET_MIN };
    let mut f = Files::default();
    let root = "day/";
    let ws = format!("{root}Desktop-webservices.{:04}-{:02}-{:02}T00-00-00.000.log", d.date.0, d.date.1, d.date.2);
    let of = format!("{root}openfire/debug.log");
    let cti = format!("{root}ctisvr.txt");
    f.seq_base(&ws, 1, 0);
    let mut rng = crate::demo::Rng::new(0x44_4159);
    for k in 0..agents {
        let a = 3_000 + k;
        let x = 4_000 + k;
        let st = 7_000 + k;
        let sid = rng.hex(8);
        let jid = format!("{a}@{FIN_A}/desktop");
        let mut rid = 1_500_000_000 + k * 10_000_000;
        let start = (k as i64 * 997) % 60_000;
        let wsl = |f: &mut Files, t: i64, thread: &str, mn: &str, rest: String| {
            f.line(&ws, t, format!("{SEQ10}: {FIN_A_IP}: {}: %CCBU_{thread}-6-{mn}: {rest}", d.ccbu(t)));
        };
        wsl(
            &mut f,
            start + 9,
            "Smack Listener Processor (1)",
            "PRESENCE_NOTIFICATION_RECIEVED",
            format!("%[FROM JID={jid}][PRESENCE_TYPE=available]: Finesse received a presence notification"),
        );
        // 24 h of polls, 30 s apart (the day ends a poll short of midnight).
        let mut t = start;
        while t < 86_399_000 - 30_000 {
            f.line(
                &of,
                t,
                format!("{} HTTPBindLog: HTTP RECV({sid}): <body rid=\"{rid}\" sid=\"{sid}\" xmlns=\"http://jabber.org/protocol/httpbind\"/>", d.openfire(t)),
            );
            f.line(&of, t + 1, format!("{} HttpSession: Session {sid} was last active {} ms ago: {jid}", d.openfire(t + 1), 29_000 + rng.below(1_500)));
            rid += 1;
            t += 30_000;
        }
        // A state change every 15 minutes.
        let mut ts = start + 600_000;
        let mut n = 0u64;
        while ts < 86_000_000 {
            let (state, code) = if n.is_multiple_of(2) { ("READY", 3) } else { ("NOT_READY", 2) };
            let req = rng.guid();
            let inv = 100 + n + k * 1000;
            wsl(&mut f, ts, "http-bio-8082-exec-5", "API_REQUEST", format!("%[REQUEST_URL=User/{a}][agent_id={a}][request_identifer={req}][request_method=user.PUT][request_parameters= state:{state}]: Request from client to webservice api"));
            wsl(&mut f, ts + 8, "pool-5-thread-4", "MESSAGE_TO_CTI_SERVER", format!("%[cti_message=Invoke id :{inv} , agentstate : {code}, agentext: {x}, agentid: {a}][cti_message_name=SetAgentStateReq]: Message going to the backend cti server"));
            f.line(
                &cti,
                ts + 10,
                format!(
                    "{} cg1A-ctisvr Trace: AGENT_EVENT: ID={a} Periph={PERIPH} Ext={x} St={state} MRDID=1 NumTasks=0 ICMAgtID={st} STID={st}",
                    d.icm(ts + 10)
                ),
            );
            wsl(&mut f, ts + 14, "pool-5-thread-5", "XMPP_PUBLISH_ASYNCHRONOUS", format!("%[NodeId=/finesse/api/User/{a}][Payload=<Update><data><user><loginId>{a}</loginId><state>{state}</state></user></data><event>PUT</event><requestId>{req}</requestId><source>/finesse/api/User/{a}</source></Update>]: Publishing XMPP message asynchronously"));
            ts += 900_000;
            n += 1;
        }
    }
    f.finish()
}
