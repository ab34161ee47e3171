//! Correlation: IDs linked across sources, flows (named message sequences) and findings.
//!
//! The pipeline, one concern per file:
//! - [`ids`]: reads every record's identifiers once (InvokeID in decimal or hex, task key in all
//!   its written forms plus the router's day+callid prefix, SocialContactID also written as CED /
//!   ApplicationString2 / scId, BOSH sid, JID and agent IDs, Finesse requestId and nocache,
//!   chat-gateway session ID, Dialog IDs) and builds one `HashMap` from normalised ID → records,
//!   plus the agent aliases the logs themselves teach (peripheral agent ID ↔ ICM agent ID).
//! - [`participants`]: which lifeline a record belongs to ("CTI server", "Finesse webservices", …).
//! - [`flows`]: the shared flow builder (link reasons, ordering) and `adhoc_flow`.
//! - one file per flow kind. `Flow::kind` values are stable strings:
//!   - `agent-sign-in` ([`sign_in`]): desktop load → SystemInfo → BOSH up → GET User → PUT LOGIN →
//!     SetAgentStateReq → AGENT_EVENT / AGENT_STATE_EVENT → AgentStateEvent → XMPP publish →
//!     Notification service routing → the desktop receives the Update with the same requestId.
//!   - `notification-session` ([`bosh`]): a BOSH session's life (polls, "last active" growing, idle
//!     close, presence unavailable, PRESENCE DRIVEN LOGOUT, SetAgentStateReq LOGOUT 255,
//!     AgentStateEvent LOGOUT 255, update stored offline).
//!   - `ece-chat-availability` ([`ece`]): MEDIA_LOGIN_REQ/RESP and/or MAKE_AGENT_ROUTABLE/READY_IND
//!     from the ECE listener → CTI server → OPC state change → rttest → entry-point responseType.
//!   - `task-routing` ([`task`]): CCP contact created → NEW_TASK → NEW_CALL → router picks agent →
//!     DeviceTargetPreCall / RESERVED → CONNECT → DO_THIS_WITH_TASK → offer / start / end → handled.
//!   - `uccx-chat` ([`chat`]): chat-gateway session → INFO_WAIT → INFO_CLOSED → SocialContact
//!     → UCCX notified → MIVR queue / reserve → AGENT_WAIT (polls) → TALKING → RATING_WAIT → destroyed.
//!   - `adhoc`: every record linked to one ID value ([`adhoc_flow`]).
//! - [`clock`]: clock skew and zone inference from the same event logged on two sides.
//! - [`findings`]: what went wrong, the evidence and what to check next.
//! - [`summary`]: what a flow came to (start, duration, failures, how it ended), for the page.
//!
//! Step ordering: by the flow kind's logical stage first, then by timeline position (UTC where known,
//! file order otherwise), so files without a zone or with a skewed clock do not scramble a flow.

use serde::Serialize;

pub mod bosh;
pub mod chat;
pub mod clock;
pub mod ece;
pub mod findings;
pub mod flows;
pub mod ids;
pub mod participants;
pub mod sign_in;
pub mod states;
pub mod summary;
pub mod task;

pub use flows::adhoc_flow;

/// A flow: an ordered set of steps between participants, keyed by the IDs that link them.
#[derive(Clone, Debug, Serialize)]
pub struct Flow {
    pub kind: String,
    pub key: String,
    pub participants: Vec<String>,
    pub steps: Vec<Step>,
    /// Why the records were linked ("same InvokeID 80171 in listener.log L6 and ctisvr.txt L6").
    pub links: Vec<String>,
    /// Paths of the files the steps come from, in first-step order.
    pub files: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// Index into `Session::records` (the report renumbers it to timeline order).
    pub record: usize,
    pub from: String,
    pub to: String,
    pub label: String,
}

/// Something that went wrong, with its evidence and what to check next.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub code: String,
    pub severity: String,
    pub summary: String,
    pub records: Vec<usize>,
    /// A clock correction the page can offer to apply (clock-skew / zone-inferred findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<ClockSuggestion>,
}

/// A proposed file clock: never applied automatically.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClockSuggestion {
    /// Index into `Session::files`.
    pub file_index: u32,
    pub file: String,
    /// Proposed zone, in minutes east of UTC (for files that log without a zone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utc_offset_min: Option<i32>,
    /// Proposed correction to add to the file's times, in milliseconds.
    pub skew_ms: i64,
    /// Date learnt from the other side, for files that log time of day only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<(i32, u32, u32)>,
}

impl Finding {
    pub fn new(code: &str, severity: &str, summary: String, records: Vec<usize>) -> Self {
        Finding { code: code.into(), severity: severity.into(), summary, records, suggestion: None }
    }
}

/// Finds flows and findings in a session's records (decoded: see `Session::with_decoded`), and
/// gives back the ID index it built.
pub fn analyze(session: &crate::session::Session) -> (Vec<Flow>, Vec<Finding>, ids::IdIndex) {
    let ctx = flows::Ctx::new(session);
    let mut out: Vec<Flow> = Vec::new();
    out.extend(sign_in::flows(&ctx));
    out.extend(bosh::flows(&ctx));
    out.extend(ece::flows(&ctx));
    out.extend(task::flows(&ctx));
    out.extend(chat::flows(&ctx));
    let mut found = findings::findings(&ctx, &out);
    found.extend(clock::findings(&ctx));
    (out, found, ctx.idx.into_owned())
}
