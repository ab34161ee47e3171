//! CCP / SocialMiner (`ccp-ccbu`): the Cisco CCBU grammar with padded upper-case facilities
//! (`%CCBU__________FEEDS-6-SOCIAL_CONTACT_CREATED`); runtime, ccpapi and ccppublicapps logs.

use super::engine::{self, kv_colon, kv_eq, put, share};
use super::finesse::{ccbu_line, fill_ccbu, is_ccp_thread};
use super::{Format, Shape};
use crate::model::Record;

pub static CCP_CCBU: Format = Format {
    name: "ccp-ccbu",
    detect: |s| engine::score(share(&s.lines, |l| ccbu_line(l).is_some_and(|c| is_ccp_thread(c.thread))), 10, 80),
    shape: Shape::Lines { starts_record: |l| ccbu_line(l).is_some(), glue: engine::no_glue, parse },
};

fn parse(rec: &mut Record, first: &str, text: &str) {
    let Some(c) = ccbu_line(first) else { return };
    fill_ccbu(rec, &c, text);
    if !c.rest.starts_with("%[") {
        // `… with requestId:OTPW4p`, `… scId=5AA… ;status= unread`
        if let Some(i) = c.rest.find("status= ") {
            if let Some(v) = c.rest.get(i + 8..).and_then(|v| v.split_whitespace().next()) {
                put(rec, "status", v);
            }
        }
        kv_colon(rec, c.rest);
        kv_eq(rec, c.rest);
    }
}
