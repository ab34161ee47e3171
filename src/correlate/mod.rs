//! Correlation: IDs linked across sources, flows (named message sequences) and findings.

use serde::Serialize;

/// A flow: an ordered set of steps between participants, keyed by the IDs that link them.
#[derive(Clone, Debug, Serialize)]
pub struct Flow {
    pub kind: String,
    pub key: String,
    pub participants: Vec<String>,
    pub steps: Vec<Step>,
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
}

/// Finds flows and findings in a session's records.
pub fn analyze(_session: &crate::session::Session) -> (Vec<Flow>, Vec<Finding>) {
    (Vec::new(), Vec::new())
}

/// An ad-hoc flow over every record carrying `id` (placeholder until the correlation engine lands).
pub fn adhoc_flow(_session: &crate::session::Session, _id: &str) -> Option<Flow> {
    None
}
