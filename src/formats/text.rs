//! The plain-text fallback: every line is a record; a timestamp is found where one can be.

use super::engine::{self, find_stamp};
use super::{Format, Shape};
use crate::model::Record;

pub static TEXT: Format = Format {
    name: "text",
    detect: |_| 1,
    shape: Shape::Lines { starts_record: |_| true, glue: engine::no_glue, parse },
};

fn parse(rec: &mut Record, first: &str, _text: &str) {
    if let Some((_, st)) = find_stamp(first) {
        rec.time = Some(st.time);
    }
}
