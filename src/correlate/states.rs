//! State timelines: how an agent, a Finesse user, a dialog, a contact, a chat session or a BOSH
//! session changed state over time, read from the decoded fields of every source.
//!
//! Each rule says which records carry a state for which entity; consecutive repeats of the same
//! state are folded, so a timeline lists changes only.

use super::facts::Rec;
use super::flows::Ctx;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

#[derive(Clone, Debug, Serialize)]
pub struct StateTimeline {
    /// `agent-mrd`, `finesse-user`, `dialog`, `contact`, `chat-session`, `bosh-session`.
    pub kind: &'static str,
    /// The entity, as engineers name it ("agent 5172 · MRD 5011", "chat session 2242…").
    pub key: String,
    pub changes: Vec<StateChange>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StateChange {
    /// Index into `Session::records`.
    pub record: usize,
    pub utc_ms: Option<i64>,
    /// Shared by every change to the same state (a day holds tens of thousands of changes
    /// among a few states).
    pub state: Arc<str>,
}

fn f(r: &Rec, k: &'static str) -> Option<String> {
    r.get(k).map(str::to_string).filter(|v| !v.is_empty() && v != "-1")
}

/// The (kind, key, state) a record contributes, if any.
fn state_of(r: &Rec) -> Option<(&'static str, String, String)> {
    // CTI agent state per media routing domain: ctisvr AGENT_EVENT, OPC SetAgentState, Finesse's
    // decoded CTIAgentStateEvent.
    if let Some(st) = f(r, "AgentState").or_else(|| f(r, "NewState")).or_else(|| f(r, "agentStateName")) {
        let agent = f(r, "ICMAgentID").or_else(|| f(r, "AgentID")).or_else(|| f(r, "agentID")).or_else(|| f(r, "ID"))?;
        let mrd = f(r, "MRDID").map(|m| format!(" · MRD {m}")).unwrap_or_default();
        return Some(("agent-mrd", format!("agent {agent}{mrd}"), st.trim_start_matches("AS_").to_string()));
    }
    let data_type = f(r, "dataType").map(|d| d.to_ascii_lowercase());
    if let (Some("user"), Some(st)) = (data_type.as_deref(), f(r, "state")) {
        let login =
            f(r, "loginId").or_else(|| f(r, "id").and_then(|id| id.split("/User/").nth(1).map(|s| s.split(['_', '/']).next().unwrap_or(s).to_string())))?;
        return Some(("finesse-user", format!("Finesse user {login}"), st));
    }
    if let (Some("dialog"), Some(st)) = (data_type.as_deref(), f(r, "state")) {
        let id = f(r, "dialogId")?;
        return Some(("dialog", format!("dialog {id}"), st));
    }
    if let Some(st) = f(r, "sessionState") {
        let id = f(r, "sessionId")?;
        return Some(("chat-session", format!("chat session {id}"), st));
    }
    if let Some(st) = f(r, "status") {
        let lower = st.to_ascii_lowercase();
        if matches!(lower.as_str(), "unread" | "queued" | "reserved" | "handled" | "discarded" | "closed" | "engaged") {
            let id = f(r, "SocialContactID").or_else(|| f(r, "id").filter(|i| i.len() == 32))?;
            return Some(("contact", format!("contact {id}"), lower));
        }
    }
    if let Some(ms) = r.get("lastActiveMs").and_then(|v| v.parse::<i64>().ok()) {
        let sid = f(r, "sid").or_else(|| f(r, "id"))?;
        let st = if ms < 1000 { "ACTIVE".to_string() } else { format!("IDLE {} s", ms / 1000) };
        return Some(("bosh-session", format!("BOSH session {sid}"), st));
    }
    if r.name().is_some_and(|n| n.contains("CLOSING_IDLE_SESSION") || n.contains("IdleSession")) {
        let sid = f(r, "sid").or_else(|| f(r, "id"))?;
        return Some(("bosh-session", format!("BOSH session {sid}"), "CLOSED (idle)".into()));
    }
    None
}

/// Every state timeline in the session, in kind then entity order.
pub fn timelines(ctx: &Ctx) -> Vec<StateTimeline> {
    let mut by_key: HashMap<(&'static str, String), Vec<StateChange>> = HashMap::new();
    let mut names: HashSet<Arc<str>> = HashSet::new();
    let mut shared = |state: &str| -> Arc<str> {
        if let Some(s) = names.get(state) {
            return s.clone();
        }
        let s: Arc<str> = Arc::from(state);
        names.insert(s.clone());
        s
    };
    for &ri in &ctx.s.timeline {
        let Some(r) = ctx.rec(ri as usize) else { continue };
        if ctx.facts.of(ri as usize).is_empty() {
            continue;
        }
        if let Some((kind, key, state)) = state_of(&r) {
            let list = by_key.entry((kind, key)).or_default();
            // A transition record (OPC `OldState → NewState`) also says where the agent came from.
            if list.is_empty() {
                if let Some(old) = f(&r, "OldState") {
                    list.push(StateChange { record: ri as usize, utc_ms: r.utc_ms(), state: shared(old.trim_start_matches("AS_")) });
                }
            }
            if list.last().is_some_and(|c| *c.state == *state) {
                continue;
            }
            list.push(StateChange { record: ri as usize, utc_ms: r.utc_ms(), state: shared(&state) });
        }
    }
    let mut out: Vec<StateTimeline> = by_key
        .into_iter()
        .map(|((kind, mut key), mut changes)| {
            // Most entities of a busy day change state a few times: no spare room kept.
            changes.shrink_to_fit();
            key.shrink_to_fit();
            StateTimeline { kind, key, changes }
        })
        .collect();
    out.sort_by(|a, b| (kind_rank(a.kind), &a.key).cmp(&(kind_rank(b.kind), &b.key)));
    out
}

fn kind_rank(k: &str) -> u8 {
    match k {
        "agent-mrd" => 0,
        "finesse-user" => 1,
        "dialog" => 2,
        "contact" => 3,
        "chat-session" => 4,
        _ => 5,
    }
}

#[cfg(test)]
mod tests {
    use crate::ingest::{ingest_path, Limits, LoadState};
    use crate::session::Session;

    fn load(p: &str) -> Session {
        let mut s = Session::new();
        ingest_path(std::path::Path::new(p), &Limits::default(), &mut LoadState::default(), &mut s);
        s.finish();
        s
    }

    #[test]
    fn corpus_state_timelines() {
        let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
        let t = load(&format!("{base}/003-cce-task-routing")).states;
        let agent = t.iter().find(|t| t.kind == "agent-mrd" && t.key.contains("MRD 5011")).expect("agent timeline");
        let states: Vec<&str> = agent.changes.iter().map(|c| &*c.state).collect();
        for want in ["NOT_READY", "NOT_ACTIVE", "RESERVED", "ACTIVE"] {
            assert!(states.contains(&want), "{want} in {states:?}");
        }
        let chat = load(&format!("{base}/004-uccx-facebook-chat/ccp-chat-gateway")).states;
        let session = chat.iter().find(|t| t.kind == "chat-session").expect("chat session");
        let states: Vec<&str> = session.changes.iter().map(|c| &*c.state).collect();
        let order = ["INFO_WAIT", "INFO_CLOSED", "AGENT_WAIT", "TALKING", "RATING_WAIT"];
        let pos: Vec<usize> = order.iter().filter_map(|w| states.iter().position(|s| s == w)).collect();
        assert_eq!(pos.len(), order.len(), "{states:?}");
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "{states:?}");
        let bosh = load(&format!("{base}/002-finesse-bosh")).states;
        let b = bosh.iter().find(|t| t.kind == "bosh-session" && t.key.contains("f382a015")).expect("bosh");
        assert!(b.changes.iter().any(|c| c.state.starts_with("IDLE")), "{:?}", b.changes);
    }
}
