//! HAR 1.1/1.2 files (Chrome, Edge, Firefox, Fiddler; JSONP-wrapped `.harp` too): one record per
//! entry, one per WebSocket frame.

use super::{Format, Sample, Shape};

pub static HAR: Format = Format { name: "har", detect, shape: Shape::Document { parse: |_, _, _| {} } };

fn detect(_s: &Sample) -> u8 {
    0
}
