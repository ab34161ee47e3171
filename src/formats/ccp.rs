//! CCP / SocialMiner (`ccp-ccbu`): the Cisco CCBU grammar (written down in `finesse.rs`) with
//! upper-case subfacilities padded with underscores, as the runtime, ccpapi, ccppublicapps,
//! eventing and notification logs write it from SocialMiner 10.x to CCP 12.6:
//!
//! ```text
//! [<seq>:[ <host>]:[:] ][<Mon dd yyyy HH:mm:ss.SSS ±hhmm>: ]%CCBU_<_padding><FACILITY>-<sev>-<MNEMONIC>: <body>
//! ```
//! The body is `%[k=v]…: text` or free text with `Key:value`, `key=value` and `;status= value`
//! pairs (`… with RequestId:Qm8TxA`, `… scId=0B1C… ;status= unread`). Lines whose subfacility names
//! CUIC belong to `cuic-ccbu`; a file named like a Finesse log belongs to `finesse-webservices`.
//!
//! Examples (written by the project):
//! ```text
//! 0000004410: 10.20.30.40: Mar 11 2025 14:02:17.508 -0400: %CCBU__________FEEDS-6-CREATE_SOCIAL_CONTACT: Got Request to Create Social Contact with RequestId:Qm8TxA
//! 0000000912:: Mar 11 2025 14:02:18.002 -0400: %CCBU___________CCPAPI-6-REST_API_INFO: Updating contact 0B1C2D3E4F5061728394A5B6C7D8E9F0 status= queued
//! ```

use super::engine::{self, kv_colon, kv_eq, put};
use super::finesse::{ccbu_line, ccbu_share, fill_ccbu, CcbuProduct};
use super::{Example, Format, IdKind, IdRule, Lane, Role, Shape};
use crate::model::Record;

pub static CCP_CCBU: Format = Format {
    name: "ccp-ccbu",
    detect: |s| engine::score(ccbu_share(s, CcbuProduct::Ccp), 10, 80),
    shape: Shape::Lines { starts_record: |l| ccbu_line(l).is_some(), glue: engine::no_glue, parse },
    lane: Lane::Ccp,
    role: Role::Server,
    ids: &[IdRule::Field("RequestId", IdKind::CcpRequest), IdRule::Field("requestId", IdKind::CcpRequest), IdRule::Hex32InText(IdKind::SocialContact)],
    examples: CCP_EXAMPLES,
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

/// Lines written by the project in this family's grammar (see `formats::Example`).
const CCP_EXAMPLES: &[Example] = &[
    Example {
        variant: "numbered with host (runtime.log)",
        timed: true,
        path: "runtime.log",
        text: "0000004410: 10.20.30.40: Mar 11 2025 14:02:17.508 -0400: %CCBU__________FEEDS-6-CREATE_SOCIAL_CONTACT: Got Request to Create Social Contact with RequestId:Qm8TxA
0000004413: 10.20.30.40: Mar 11 2025 14:02:17.532 -0400: %CCBU__________FEEDS-6-SOCIAL_CONTACT_CREATED: %[SOCIAL_CONTACT_ID=0B1C2D3E4F5061728394A5B6C7D8E9F0]: A new social contact was created
0000004414: 10.20.30.40: Mar 11 2025 14:02:17.534 -0400: %CCBU__________FEEDS-6-SOCIAL_CONTACT_PROCESSOR: SocialContactProcessor processSocialContact Exit with requestId:Qm8TxA
",
    },
    Example {
        variant: "numbered without host (ccpapi.log)",
        timed: true,
        path: "ccpapi.log",
        text: "0000000912:: Mar 11 2025 14:02:18.002 -0400: %CCBU___________CCPAPI-6-REST_API_INFO: Updating contact 0B1C2D3E4F5061728394A5B6C7D8E9F0 status= queued
0000000913:: Mar 11 2025 14:02:18.090 -0400: %CCBU___________CCPAPI-6-REST_API_INFO: Updating contact 0B1C2D3E4F5061728394A5B6C7D8E9F0 status= reserved
",
    },
];
