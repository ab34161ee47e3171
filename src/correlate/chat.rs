//! `uccx-chat`: a UCCX Facebook Messenger chat through the SocialMiner chat gateway. Anchored on the
//! gateway session ID (the Facebook PSID, reused by successive chats of the same user, so a new
//! "Creating new session" starts a new flow); the SocialContactID joins CCP (runtime, ccpapi) and
//! UCCX (MADM, MIVR); the CCP request records join by time and host.

use super::flows::{values_of, Builder, Ctx, StepSpec};
use super::ids::{field, IdKind};
use super::participants::*;
use super::{Flow, Flows};
use crate::formats::engine::has as contains;
use crate::kinds::Lane;

pub fn flows(ctx: &Ctx) -> Flows {
    let requests = super::task::ccp_requests(ctx);
    let mut out = Vec::new();
    for (session, recs) in values_of(ctx, IdKind::ChatSession) {
        let mut order: Vec<usize> = recs.iter().map(|&r| r as usize).collect();
        order.sort_by_key(|&i| (ctx.pos(i), i));
        // Split at each "Creating new session".
        let mut instances: Vec<Vec<usize>> = Vec::new();
        for i in order {
            let starts = ctx.rec(i).and_then(|r| r.name()) == Some("Creating new session");
            if starts || instances.is_empty() {
                instances.push(Vec::new());
            }
            if let Some(last) = instances.last_mut() {
                last.push(i);
            }
        }
        let n = instances.len();
        for (k, inst) in instances.into_iter().enumerate() {
            let key = if n > 1 { format!("chat session {session} #{}", k + 1) } else { format!("chat session {session}") };
            if let Some(f) = chat_flow(ctx, session, &inst, &requests, key) {
                out.push(f);
            }
        }
    }
    out
}

fn chat_flow(ctx: &Ctx, session: &str, recs: &[usize], requests: &[(i64, usize)], key: String) -> Option<Box<Flow>> {
    let mut b = Builder::new(ctx);
    for &r in recs {
        b.add(r);
    }
    if recs.len() >= 2 {
        b.links.push(format!("same chat session {session} in {} ({} records)", recs.first().map(|&r| ctx.file_name(r)).unwrap_or_default(), recs.len()));
    }
    let mut scs: Vec<String> = Vec::new();
    for &r in recs {
        for (k, v) in ctx.each_id(r) {
            if k == IdKind::SocialContact && !scs.iter().any(|s| *s == v) {
                scs.push(v.into_owned());
            }
        }
    }
    let (lo, hi) = b.span();
    let (w0, w1) = if lo <= hi { (lo - super::task::TASK_SLACK_MS, hi + super::task::TASK_SLACK_MS) } else { (i64::MIN, i64::MAX) };
    for sc in &scs {
        b.add_id_within(&(IdKind::SocialContact, sc.clone()), w0, w1, |_| true);
        add_ccp_requests_for(&mut b, ctx, requests, sc);
    }
    let all_timed = b.recs.iter().all(|&i| ctx.time(i).is_some());
    let key = match scs.first() {
        Some(sc) => format!("{key}, SocialContact {sc}"),
        None => key,
    };
    b.finish("uccx-chat", key, |ctx, i| {
        classify(ctx, i).map(|mut s| {
            if all_timed {
                s.stage = 0;
            }
            s
        })
    })
}

fn add_ccp_requests_for(b: &mut Builder, ctx: &Ctx, requests: &[(i64, usize)], sc: &str) {
    super::task::add_ccp_requests(b, ctx, requests, sc);
}

fn bracket(text: &str, after: &str) -> Option<String> {
    let p = text.find(after)? + after.len();
    let rest = text.get(p..)?;
    let end = rest.find(']')?;
    rest.get(..end).map(|s| s.to_string())
}

fn classify(ctx: &Ctx, i: usize) -> Option<StepSpec> {
    let r = ctx.rec(i)?;
    let t = ctx.text(i);
    let first = t.lines().next().unwrap_or("");
    Some(match r.lane() {
        Lane::ChatGateway => {
            if r.name() == Some("Creating new session") {
                StepSpec::new(10, FACEBOOK, CHAT_GATEWAY, format!("session created ({})", field(r, "channelType").unwrap_or_default()))
            } else if contains(first, "state. Ignoring") {
                StepSpec::new(11, FACEBOOK, CHAT_GATEWAY, "message ignored in CREATED state")
            } else if let Some(st) = field(r, "sessionState") {
                let stage = match st {
                    "INFO_WAIT" => 13,
                    "INFO_CLOSED" => 20,
                    "AGENT_WAIT" => 32,
                    _ => 70,
                };
                StepSpec::new(stage, CHAT_GATEWAY, CHAT_GATEWAY, format!("state {st}"))
            } else if contains(first, "Posting a chat request") {
                let feed = field(r, "FEEDID").unwrap_or_default();
                let q = field(r, "QUEUEID").unwrap_or_default();
                StepSpec::new(21, CHAT_GATEWAY, CCP, format!("post chat request (FEEDID {feed}, QUEUEID {q})"))
            } else if contains(first, "Chat created successfully") {
                StepSpec::new(31, CCP, CHAT_GATEWAY, format!("chat created (SocialContact {})", field(r, "SocialContactID").unwrap_or_default()))
            } else if contains(first, "Received chat events") || contains(first, "No events from SocialMiner") {
                if r.get("noEvents") == Some("true") || contains(first, "No events") {
                    StepSpec::new(70, CCP, CHAT_GATEWAY, "poll SocialMiner: no events")
                } else {
                    let mut ev: Vec<String> = Vec::new();
                    for (kind, what) in
                        [("PresenceEvent", "status: '"), ("MessageEvent", "body: '"), ("StatusEvent", "status: '"), ("TypingEvent", "status: '")]
                    {
                        if let Some(p) = t.find(kind) {
                            let rest = t.get(p..).unwrap_or("");
                            let val = rest.find(what).and_then(|q| rest.get(q + what.len()..)).and_then(|s| s.split('\'').next()).unwrap_or("");
                            let val = if kind == "MessageEvent" { crate::decoders::common::url_decode(&val.replace('+', " ")) } else { val.to_string() };
                            ev.push(format!("{kind} {val}").trim().to_string());
                        }
                    }
                    StepSpec::new(70, CCP, CHAT_GATEWAY, format!("chat events: {}", ev.join(", ")))
                }
            } else if contains(first, "Successfully sent text message") {
                let m = bracket(first, "[Message=").unwrap_or_default();
                StepSpec::new(70, CHAT_GATEWAY, FACEBOOK, format!("message to customer: {m}"))
            } else if contains(first, "typing action") {
                StepSpec::new(70, CHAT_GATEWAY, FACEBOOK, format!("typing {}", field(r, "typingStatus").unwrap_or_default()))
            } else if contains(first, "rating choices") {
                StepSpec::new(70, CHAT_GATEWAY, FACEBOOK, "rating choices")
            } else if contains(first, "Sent message [") {
                StepSpec::new(70, CHAT_GATEWAY, CCP, format!("customer message: {}", bracket(first, "Sent message [").unwrap_or_default()))
            } else if contains(first, "Received feedback rating") {
                StepSpec::new(70, FACEBOOK, CHAT_GATEWAY, format!("rating {} received", field(r, "rating").unwrap_or_default()))
            } else if contains(first, "submitted feedback rating") {
                StepSpec::new(70, CHAT_GATEWAY, CCP, "rating submitted")
            } else if contains(first, "Destroying session") {
                StepSpec::new(90, CHAT_GATEWAY, CHAT_GATEWAY, "destroying session")
            } else if contains(first, "Destroyed session") {
                StepSpec::new(90, CHAT_GATEWAY, CHAT_GATEWAY, "session destroyed")
            } else if r.name() == Some("setEventPoller") {
                StepSpec::new(33, CHAT_GATEWAY, CHAT_GATEWAY, "start event poller")
            } else if r.name() == Some("setUserName") {
                StepSpec::new(12, CHAT_GATEWAY, CHAT_GATEWAY, "set user name")
            } else {
                return None;
            }
        }
        Lane::Ccp => {
            let name = r.name().map(str::to_string).unwrap_or_default();
            let label = if let Some(s) = field(r, "socialContactStatus").or_else(|| field(r, "status")) {
                format!("{name} status {s}")
            } else if let Some(n) = field(r, "Node") {
                format!("{name} {n}")
            } else if name == "NOTIFICATION_SUCCEEDED" {
                "notification to uccx-webservices/contact succeeded".to_string()
            } else if name == "MSG_INCOMING_FROM_BUS" {
                format!("{name} {}", field(r, "msg_type").unwrap_or_default())
            } else {
                super::flows::default_label(ctx, i)
            };
            let (from, to, stage) = match name.as_str() {
                "NOTIFICATION_SUCCEEDED" => (CCP, UCCX_ENGINE, 50),
                "MSG_INCOMING_FROM_BUS" | "CREATE_SOCIAL_CONTACT" | "SOCIAL_CONTACT_PROCESSOR" | "CONFIG_OBJECT_STORED_IN_CACHE" | "SOCIAL_CONTACT_CREATED" => {
                    (CCP, CCP, 30)
                }
                _ => (CCP, CCP, 40),
            };
            StepSpec::new(stage, from, to, label)
        }
        Lane::UccxAdmin => {
            if contains(t, "New incoming contact") {
                StepSpec::new(50, CCP, UCCX_ADMIN, "New incoming contact (uccx-webservices)")
            } else {
                StepSpec::new(50, UCCX_ADMIN, UCCX_ENGINE, first.rsplit(": ").next().unwrap_or("").chars().take(60).collect::<String>())
            }
        }
        Lane::UccxEngine => {
            let msg = first.rsplit(": ").next().unwrap_or("");
            let label = if let Some(op) = field(r, "operation") {
                format!("ContactEvent {op}")
            } else if let Some(q) = field(r, "queueId") {
                format!("queue for tag is {q}")
            } else if contains(t, "Offer Contact") {
                "offer contact to queue".to_string()
            } else if let Some(a) = field(r, "agentId") {
                if contains(t, "Reserving") {
                    format!("reserve agent {a}")
                } else {
                    format!("agent {a} available")
                }
            } else {
                msg.chars().take(60).collect()
            };
            let from = if field(r, "operation").is_some() { CCP } else { UCCX_ENGINE };
            StepSpec::new(60, from, UCCX_ENGINE, label)
        }
        _ => return None,
    })
}
