//! Lifelines: which participant of a sequence diagram a record belongs to. Each format declares
//! its lane (`formats::Format::lane`); names are the ones engineers use on a whiteboard.

use crate::kinds::Lane;
use crate::model::Record;

pub const DESKTOP: &str = Lane::Desktop.title();
pub const TOMCAT: &str = Lane::Tomcat.title();
pub const WEBSERVICES: &str = Lane::Webservices.title();
pub const NOTIFICATION: &str = Lane::Notification.title();
pub const CTI: &str = Lane::Cti.title();
pub const OPC: &str = Lane::Opc.title();
pub const ROUTER: &str = Lane::Router.title();
pub const MR_PIM: &str = Lane::MrPim.title();
pub const CCP: &str = Lane::Ccp.title();
pub const CHAT_GATEWAY: &str = Lane::ChatGateway.title();
pub const ECE_LISTENER: &str = Lane::EceListener.title();
pub const ECE_WEB: &str = Lane::EceWeb.title();
pub const FACEBOOK: &str = "Customer (Facebook)";
pub const UCCX_ENGINE: &str = Lane::UccxEngine.title();
pub const UCCX_ADMIN: &str = Lane::UccxAdmin.title();
pub const BROWSER: &str = Lane::Browser.title();
pub const AGENT: &str = "Agent";
pub const TASK_APP: &str = "Task application";

/// The lifeline a record belongs to.
pub fn lifeline(rec: &Record) -> &'static str {
    rec.lane().title()
}

/// The usual counterpart of a record's lifeline, for steps whose direction the flow does not define.
pub fn default_peer(rec: &Record) -> &'static str {
    rec.lane().default_peer().title()
}
