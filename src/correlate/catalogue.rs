//! The findings catalogue: every finding code registered once, with its severity, a title, what it
//! means and what to check next (as Wireshark registers its expert infos). Findings name their
//! code; the page's help, the report and `docs/findings.md` read this table.

use serde::Serialize;

/// One registered finding.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Entry {
    pub code: &'static str,
    /// `error`, `warning` or `info` (a finding may be milder than its code's default when the
    /// evidence says so).
    pub severity: &'static str,
    /// What area it is about: `notification`, `sign-in`, `cti`, `ece`, `task`, `chat`, `rest`,
    /// `clock`, `input`, `privacy`.
    pub area: &'static str,
    pub title: &'static str,
    /// What it means, for an engineer who has not seen it before.
    pub meaning: &'static str,
    /// What to check next.
    pub next: &'static str,
}

const fn e(code: &'static str, severity: &'static str, area: &'static str, title: &'static str, meaning: &'static str, next: &'static str) -> Entry {
    Entry { code, severity, area, title, meaning, next }
}

/// Every finding code, grouped by area.
pub const CATALOGUE: &[Entry] = &[
    // Notification sessions (BOSH / WebSocket / XMPP)
    e(
        "presence-driven-logout",
        "error",
        "notification",
        "Agent logged out because the desktop's notification session ended",
        "Finesse logged the agent out (PRESENCE DRIVEN LOGOUT, reason code 255) after the desktop's XMPP presence went unavailable: the notification session (BOSH or WebSocket) was closed because the desktop stopped talking to the Notification service.",
        "Check the agent PC's network path to Finesse port 7443, browser hangs (other tabs, unsupported browser), PC sleep, proxies that cut long polls, and server load at that time.",
    ),
    e(
        "bosh-idle-close",
        "warning",
        "notification",
        "Notification session closed as idle",
        "The XMPP server closed a BOSH session because no request arrived within its inactivity limit: the client stopped polling http-bind.",
        "Check the client's network path to the http-bind port (7443 on Finesse), browser hangs or PC sleep, and whether a presence-driven logout followed.",
    ),
    e(
        "bosh-terminated",
        "warning",
        "notification",
        "BOSH session terminated with an error condition",
        "A BOSH response carried type='terminate' with a condition (item-not-found, policy-violation, remote-connection-failed…): the server ended the session, or the client used a session that was already gone.",
        "Read the condition: item-not-found means the sid was unknown (expired or another node); check load balancers/proxies and whether the desktop reconnected.",
    ),
    e(
        "rid-gap",
        "warning",
        "notification",
        "BOSH request ids skipped",
        "Request ids of one BOSH session grow by one per request; a jump means requests the server never logged (lost on the way, or answered elsewhere).",
        "Check proxies/load balancers between the desktop and the http-bind port and the client log for failed http-bind calls.",
    ),
    e(
        "poll-gap",
        "warning",
        "notification",
        "Long pause between notification polls",
        "A BOSH session normally has a request waiting at the server at all times; a gap longer than the wait time means the client stopped polling for that long.",
        "Check the client side at that time (network, browser, PC sleep) and whether the session survived the gap.",
    ),
    e(
        "ping-gap",
        "warning",
        "notification",
        "XMPP keep-alive pings stopped or went unanswered",
        "A WebSocket (or BOSH) XMPP session sends pings to stay alive; pings missing for longer than their interval, or pings without a result, mean the connection was dead before anyone noticed.",
        "Check the network path for idle-connection timeouts (firewalls, proxies) and the desktop's reconnect behaviour.",
    ),
    e(
        "no-clean-close",
        "info",
        "notification",
        "Notification session ended without a clean close",
        "The XMPP stream ended without <close/> or a BOSH terminate from the client: the socket dropped or the page went away.",
        "Check whether the agent closed the browser, the network dropped, or the server restarted at that time.",
    ),
    e(
        "xmpp-route-failure",
        "warning",
        "notification",
        "XMPP update could not be routed to the desktop",
        "The Notification service could not route an update (pubsub event) to the agent's resource: the desktop had no session at that moment, or the JID resource did not match.",
        "Check whether the desktop still received the event (client log MasterPublisher with the same requestId); if not, check its notification connection.",
    ),
    e(
        "notification-late",
        "warning",
        "rest",
        "REST request answered late over XMPP",
        "A state change request (PUT with a requestId) was accepted, but the XMPP <Update> carrying the same requestId reached the desktop late: the agent saw the change seconds after asking for it.",
        "Compare the CTI server's response time and the Notification service's load at that time; check the desktop's notification connection.",
    ),
    e(
        "notification-missing",
        "warning",
        "rest",
        "REST request never answered over XMPP",
        "A state change request (PUT with a requestId) was accepted, but no XMPP <Update> with the same requestId was seen: the desktop never learnt the result.",
        "Check the CTI server for the request's response, the Notification service for routing failures, and the desktop's notification connection.",
    ),
    // Sign-in and REST
    e(
        "sign-in-failed",
        "error",
        "sign-in",
        "Agent sign-in failed",
        "The desktop's sign-in did not complete: the LOGIN request was refused (HTTP error or ApiErrors), or the CTI server answered the login (SET_AGENT_STATE_REQ LOGIN) with a failure status.",
        "Read the error's reason (invalid extension, agent already logged in, CTI server down…) and the CTI server log for the agent at that time.",
    ),
    e(
        "rest-error",
        "warning",
        "rest",
        "REST request failed",
        "A Finesse (or other) REST call returned an HTTP error or an ApiErrors document.",
        "Check the request's parameters and the agent's state for that call, and the webservices log around that time for the reason.",
    ),
    e(
        "http-blocked",
        "warning",
        "rest",
        "Browser request blocked or failed",
        "The browser recorded the request with status 0: it never got an answer (blocked by the browser, CORS, a proxy, a certificate error, or the connection dropped).",
        "Check the browser console for the reason, certificates, proxies and the server's availability at that time.",
    ),
    e(
        "http-slow",
        "info",
        "rest",
        "Slow request",
        "A request took far longer than the others of its kind (a long poll excepted).",
        "Check the server's load and the network at that time.",
    ),
    // CTI / ARM
    e(
        "arm-status-error",
        "error",
        "cti",
        "CTI/ARM request refused",
        "An ARM (Agent Reporting and Management) or CTI request came back with a non-zero status or a FAILURE_CONF: the CTI server or the peripheral refused it. The finding names the status, its usual cause and the request it answers (paired by InvokeID).",
        "Read the status name; check the request's agent, MRD and task IDs against the CTI server log for the same InvokeID.",
    ),
    e(
        "login-refused",
        "error",
        "cti",
        "Media login refused",
        "An ARM MEDIA_LOGIN request came back with a failure status: the agent could not log in to the media routing domain.",
        "Check that the client's OPEN_REQ names an application path for this MRD/peripheral and that the agent is in a skill group of the MRD.",
    ),
    e(
        "invoke-pair",
        "warning",
        "cti",
        "CTI/ARM request without an answer, or InvokeIDs written in hex and decimal",
        "Requests and their answers are paired by InvokeID. A request (…_REQ) that got no confirmation, failure or response while the log goes on was lost or never answered by the CTI server or the peripheral. As information: one side writes InvokeIDs in hex and the other in decimal; the pairs shown are the same messages.",
        "For an unanswered request, check the CTI server and PG logs for the same InvokeID and whether the client's session closed; for hex/decimal pairs nothing is to fix: search for either form to follow a request across logs.",
    ),
    // ECE
    e(
        "ece-chat-available",
        "info",
        "ece",
        "Chat entry point offers chat",
        "The entry point answered responseType 0: an agent is available or the queue depth is not reached, so chat is offered.",
        "If chats still do not reach agents, check the agent's MRD state in rttest (look for [..,RD]: CSCvq11852).",
    ),
    e(
        "ece-no-agent",
        "warning",
        "ece",
        "Chat entry point: no agent available",
        "The entry point answered responseType 1: no agent is available, so chat is not offered to the customer.",
        "Check that an agent is logged in to the chat MRD and ready (OPC AS_NOT_ACTIVE, rttest [na-…,RA]), and that the agent is in a skill group of the MRD (ECE 11.6 checks per MRD, 12.0 per skill group).",
    ),
    e(
        "ece-queue-full",
        "warning",
        "ece",
        "Chat entry point: queue full",
        "The entry point answered responseType 2: the maximum queue depth is reached, so chat is not offered.",
        "Check the queue's maximum depth and how many chats are waiting.",
    ),
    e(
        "domain-unavailable",
        "error",
        "ece",
        "Media routing domain unavailable for the agent",
        "rttest shows the agent's domain with the D flag ([na-0:2,RD]): the domain is unavailable for the agent's application path, so tasks are not assigned (defect CSCvq11852 on ICM 11.5/11.6/12.0).",
        "Check the fix for your version and the application path's connection (CTI server / ECE listener).",
    ),
    // Tasks and chats
    e(
        "task-not-handled",
        "warning",
        "task",
        "Task offered but never ended",
        "A task was offered to an agent, but the logs show no end of it (no END_TASK, no CCP 'handled').",
        "Either the logs stop early or the task is stuck: check the agent's desktop (Dialog state), the CTI server for END_TASK_IND with the task ID, and the CCP contact's status.",
    ),
    e(
        "task-stuck-reserved",
        "warning",
        "task",
        "Agent stuck in RESERVED",
        "The agent stayed RESERVED for more than a minute with no task offered or started to it in that time: the agent stays unavailable to other tasks.",
        "Check the desktop for the offer (Dialog ALERTING), the CTI server for OFFER_TASK_IND, and timeouts on the task.",
    ),
    e(
        "task-timing",
        "info",
        "task",
        "Task timing",
        "How long the task (or chat) waited in queue, took to be offered, to be started after the offer and to be handled; an offer-to-start beyond the 30 s default task start timeout, or a time far above the other tasks' median, is flagged as an outlier.",
        "Compare with the service level; long offer-to-start times point at the agent or the desktop.",
    ),
    e(
        "chat-stale-session",
        "warning",
        "chat",
        "Chat gateway destroyed stale sessions",
        "The chat gateway's hourly check found sessions that outlived their chat and destroyed them: it missed the end of the chat.",
        "Check the gateway's SocialMiner polling and the agent's leave/close in that chat.",
    ),
    e(
        "chat-no-rating",
        "info",
        "chat",
        "Chat ended without asking for a rating",
        "The agent left and the session was destroyed without RATING_WAIT: no rating was asked.",
        "If ratings are enabled (ratingEnabled), check whether this was a different chat reusing the same Facebook session ID, or a chat that ended abnormally.",
    ),
    // Clocks
    e(
        "clock-skew",
        "warning",
        "clock",
        "Clocks of two sources disagree",
        "The same message is logged on two sides at times that differ consistently: one server's (or the PC's) clock is off, so sorting by raw time can invert request/response pairs.",
        "Check NTP on both sides (utils ntp status); apply the suggested correction to line the logs up.",
    ),
    e(
        "zone-inferred",
        "info",
        "clock",
        "Time zone inferred for a log without one",
        "The log writes local time without a zone; the same message logged by a zoned source tells the offset.",
        "Apply the suggested zone if it matches the server's configuration.",
    ),
    e(
        "date-mismatch",
        "warning",
        "clock",
        "A date in an ID does not match the log's date",
        "An ID that carries a date (the router call key day) names a different day than the log line: the logs come from different days than they seem, or a clock is wrong.",
        "Check which day the capture covers and the server clocks.",
    ),
    e(
        "duplicate-event",
        "info",
        "clock",
        "Same event quoted in two log forms",
        "One event appears twice in the same log: a CTI message with the same InvokeID and type (as received in a session dump and as forwarded to the PG, or a decoded line and a raw dump), or a notification Update with the same requestId and state received twice by a desktop. Counted once in flows.",
        "Nothing to fix; the pair helps to line up the two logs.",
    ),
    // Inputs
    e(
        "decode-error",
        "info",
        "input",
        "Records only partly decoded",
        "Some payloads could not be fully decoded (cut, wrapped or malformed); the records are kept with what could be read.",
        "Check whether the log was cut or wrapped when it was collected.",
    ),
    // Privacy
    e(
        "credentials-present",
        "error",
        "privacy",
        "Credentials in the inputs",
        "The inputs hold passwords or tokens that grant access (Authorization headers, SASL PLAIN payloads, session cookies).",
        "Share only the sanitized export or the sanitized report; rotate the credentials if the capture left your hands.",
    ),
    e(
        "personal-data-present",
        "info",
        "privacy",
        "Personal data in the inputs",
        "The inputs hold person names, e-mail addresses, phone numbers or chat text (counted by class with the sanitizer's finders; the values are never shown).",
        "Use the sanitized export with personal-data masking before sharing outside your organisation.",
    ),
];

/// The catalogue entry of a code.
pub fn entry(code: &str) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|e| e.code == code)
}

/// The catalogue as Markdown (for `docs/findings.md` and the page's help).
pub fn markdown() -> String {
    let mut out = String::from("# Findings\n\nEvery finding Switchboard reports, by area: what it means and what to check next.\n");
    let mut area = "";
    for e in CATALOGUE {
        if e.area != area {
            area = e.area;
            out.push_str(&format!("\n## {}\n", area_title(area)));
        }
        out.push_str(&format!("\n### `{}` — {} ({})\n\n{}\n\n**Check next:** {}\n", e.code, e.title, e.severity, e.meaning, e.next));
    }
    out
}

fn area_title(area: &str) -> &'static str {
    match area {
        "notification" => "Notification sessions (BOSH, WebSocket, XMPP)",
        "sign-in" => "Sign-in",
        "rest" => "REST requests and their notifications",
        "cti" => "CTI and ARM",
        "ece" => "ECE chat availability",
        "task" => "Tasks",
        "chat" => "Chats",
        "clock" => "Clocks",
        "input" => "Inputs",
        "privacy" => "Secrets and personal data",
        _ => "Other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_complete() {
        let mut codes: Vec<&str> = CATALOGUE.iter().map(|e| e.code).collect();
        let n = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), n, "a code is registered twice");
        for e in CATALOGUE {
            assert!(matches!(e.severity, "error" | "warning" | "info"), "{}", e.code);
            assert!(!e.title.is_empty() && !e.meaning.is_empty() && !e.next.is_empty(), "{}", e.code);
        }
    }

    /// `docs/findings.md` is the catalogue as written by `markdown()`.
    #[test]
    fn docs_match_the_catalogue() {
        let doc = include_str!("../../docs/findings.md");
        assert_eq!(doc, markdown(), "regenerate docs/findings.md: cargo run -- findings-doc > docs/findings.md");
    }
}
