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

/// A lifeline's name in two bytes: a step names two lifelines, and a day of logs holds hundreds of
/// thousands of steps (a `&'static str` costs sixteen bytes). Names are registered the first time
/// they are used and never removed, so an index names one text for good; reading one takes no lock.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lifeline(u16);

/// Room for every lifeline name the flow builders use (twenty or so), with plenty to spare.
const MAX_LIFELINES: usize = 256;

static NAMES: [std::sync::OnceLock<&'static str>; MAX_LIFELINES] = [const { std::sync::OnceLock::new() }; MAX_LIFELINES];
/// Held only while a new name is registered.
static REGISTER: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Lifeline {
    /// The lifeline of this name, registering the name the first time it is seen.
    pub fn of(name: &'static str) -> Self {
        if let Some(i) = Self::find(name) {
            return Lifeline(i);
        }
        let _held = REGISTER.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Another thread may have registered it meanwhile.
        if let Some(i) = Self::find(name) {
            return Lifeline(i);
        }
        for (i, slot) in NAMES.iter().enumerate() {
            if slot.get().is_none() && slot.set(name).is_ok() {
                return Lifeline(i as u16);
            }
        }
        // A table full of names means a builder writes lifelines from data: one shared name then.
        Lifeline(u16::MAX)
    }

    fn find(name: &str) -> Option<u16> {
        NAMES.iter().map_while(|slot| slot.get()).position(|n| *n == name).map(|i| i as u16)
    }

    pub fn name(self) -> &'static str {
        NAMES.get(self.0 as usize).and_then(|slot| slot.get().copied()).unwrap_or("Other")
    }
}

impl std::fmt::Display for Lifeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::fmt::Debug for Lifeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.name())
    }
}

impl PartialEq<&str> for Lifeline {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl serde::Serialize for Lifeline {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lifeline_names_its_text_wherever_it_was_written() {
        let a = Lifeline::of(DESKTOP);
        // The same words from another literal (another address) are the same lifeline.
        let owned: &'static str = Box::leak(DESKTOP.to_string().into_boxed_str());
        assert_eq!(Lifeline::of(owned), a);
        assert_eq!(a.name(), DESKTOP);
        assert_ne!(Lifeline::of(CTI), a);
        assert_eq!(Lifeline::of(CTI).to_string(), CTI);
        assert_eq!(serde_json::to_string(&Lifeline::of(TASK_APP)).ok().as_deref(), Some("\"Task application\""));
    }

    #[test]
    fn lifelines_registered_on_several_threads_stay_distinct() {
        let names: Vec<&'static str> = (0..40).map(|i| &*Box::leak(format!("lifeline test {i}").into_boxed_str())).collect();
        let got: Vec<Vec<Lifeline>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4).map(|_| s.spawn(|| names.iter().map(|n| Lifeline::of(n)).collect::<Vec<_>>())).collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        assert_eq!(got.len(), 4);
        for g in &got {
            assert_eq!(g, &got[0]);
            for (l, n) in g.iter().zip(&names) {
                assert_eq!(l.name(), *n);
            }
        }
    }
}
