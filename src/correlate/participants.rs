//! Lifelines: which participant of a sequence diagram a record belongs to, from its format and
//! component. Names are the ones engineers use on a whiteboard.

use crate::model::Record;

pub const DESKTOP: &str = "Finesse desktop";
pub const TOMCAT: &str = "Tomcat";
pub const WEBSERVICES: &str = "Finesse webservices";
pub const NOTIFICATION: &str = "Notification service";
pub const CTI: &str = "CTI server";
pub const OPC: &str = "Agent PG (OPC)";
pub const ROUTER: &str = "Router";
pub const MR_PIM: &str = "MR PIM";
pub const CCP: &str = "CCP / SocialMiner";
pub const CHAT_GATEWAY: &str = "Chat gateway";
pub const ECE_LISTENER: &str = "ECE listener";
pub const ECE_WEB: &str = "ECE web server";
pub const FACEBOOK: &str = "Customer (Facebook)";
pub const UCCX_ENGINE: &str = "UCCX engine";
pub const UCCX_ADMIN: &str = "UCCX admin";
pub const BROWSER: &str = "Browser";
pub const AGENT: &str = "Agent";
pub const TASK_APP: &str = "Task application";

/// The lifeline a record belongs to.
pub fn lifeline(rec: &Record) -> &'static str {
    match rec.format() {
        "finesse-clientlog" => DESKTOP,
        "har" => BROWSER,
        "tomcat-access" => TOMCAT,
        "finesse-webservices" | "finesse-webservices-v12" => WEBSERVICES,
        "finesse-notification" | "openfire-debug" | "openfire-info" => NOTIFICATION,
        "ctisvr" => CTI,
        "opc" => OPC,
        "icm-router" | "rttest" => ROUTER,
        "mr-pim" => MR_PIM,
        "ccp-ccbu" => CCP,
        "chat-gateway" | "chat-gateway-startup" => CHAT_GATEWAY,
        "ece-listener" => ECE_LISTENER,
        "ece-entrypoint-json" => ECE_WEB,
        "uccx-mivr" => UCCX_ENGINE,
        "uccx-madm" => UCCX_ADMIN,
        _ => component_lifeline(rec),
    }
}

/// For generic dumplog/text records: guess from the component (`cg3A-ctisvr`, `PG1A-opc`, …).
fn component_lifeline(rec: &Record) -> &'static str {
    let c = rec.component().unwrap_or("").to_ascii_lowercase();
    if c.contains("ctisvr") {
        CTI
    } else if c.contains("opc") {
        OPC
    } else if c.contains("rtr") || c.contains("router") {
        ROUTER
    } else if c.contains("pim") {
        MR_PIM
    } else {
        "Log"
    }
}

/// The usual counterpart of a lifeline, for steps whose direction the flow does not define.
pub fn default_peer(rec: &Record) -> &'static str {
    match lifeline(rec) {
        DESKTOP | BROWSER => WEBSERVICES,
        TOMCAT => DESKTOP,
        WEBSERVICES => CTI,
        NOTIFICATION => DESKTOP,
        CTI => OPC,
        OPC => ROUTER,
        ROUTER => OPC,
        MR_PIM => ROUTER,
        CCP => MR_PIM,
        CHAT_GATEWAY => CCP,
        ECE_LISTENER => CTI,
        ECE_WEB => BROWSER,
        UCCX_ENGINE => CCP,
        UCCX_ADMIN => CCP,
        _ => "Log",
    }
}
