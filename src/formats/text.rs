//! The plain-text fallback for files no family claims: the generic layer reads every record
//! (`generic::read`: time from the timestamp catalogue, level, `key=value`/`Key: value`/JSON
//! fields). Records start at timestamped lines when most lines carry a timestamp (the lines
//! between continue them: stack traces, payloads), else at every line that is not indented.

use super::engine;
use super::{Format, Lane, Role, Shape};

pub static TEXT: Format = Format {
    name: "text",
    detect: |_| 1,
    shape: Shape::Lines { starts_record: |_| true, glue: engine::no_glue, parse: super::generic::read },
    lane: Lane::ByComponent,
    role: Role::Unknown,
    ids: &[],
    examples: &[],
};
