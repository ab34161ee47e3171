//! Cisco Unified Intelligence Center (`cuic-ccbu`): the CCBU grammar (written down in `finesse.rs`)
//! as CUIC's reporting, security and data-processing logs write it (CUIC 10.x to 12.6). A line is
//! CUIC's when its subfacility names CUIC, whatever its padding:
//!
//! ```text
//! [<seq>:[ <host>]:[:] ][<Mon dd yyyy HH:mm:ss.SSS ±hhmm>: ]%CCBU_<_padding>CUIC[_<SUB>]-<sev>-<MNEMONIC>: <body>
//! ```
//! `<MNEMONIC>` is often a level word (`WARN`, `ERROR`) or an operation (`OPERATION`); the body is
//! `%[k=v]…: text` (values padded with blanks: `[OPERATION_TYPE= UserLoginSuccess ]`) or free text.
//! Other upper-case subfacilities in a file named like a CUIC log (`CUIC.…`, `…/cuic/…`) are CUIC's
//! too.
//!
//! Examples (written by the project):
//! ```text
//! 0000000053: 10.20.30.41: Mar 11 2025 14:02:19.101 +0100: %CCBU___________CUIC-4-WARN: Dashboard Migration : Weburl widget : Dashboard : ops_wall
//! 0000001591: 10.20.30.41: Mar 11 2025 14:05:35.520 +0100: %CCBU__CUIC_SECURITY-7-OPERATION: %[OPERATION_TYPE= UserLoginSuccess ][SESSION_ID= 5E0C… ][USER_ID= CORP\\rep1 ]: User login or logout request to server.
//! ```

use super::engine::{self, kv_eq};
use super::finesse::{ccbu_line, ccbu_share, fill_ccbu, CcbuProduct};
use super::{Example, Format, Lane, Role, Shape};
use crate::model::Record;

pub static CUIC_CCBU: Format = Format {
    name: "cuic-ccbu",
    detect: |s| engine::score(ccbu_share(s, CcbuProduct::Cuic), 10, 80),
    shape: Shape::Lines { starts_record: |l| ccbu_line(l).is_some(), glue: engine::no_glue, parse },
    lane: Lane::Cuic,
    role: Role::Server,
    ids: &[],
    examples: EXAMPLES,
};

fn parse(rec: &mut Record, first: &str, text: &str) {
    let Some(c) = ccbu_line(first) else { return };
    fill_ccbu(rec, &c, text);
    if rec.detail() && !c.rest.starts_with("%[") && !c.rest.starts_with("{Thrd=") {
        kv_eq(rec, c.rest);
    }
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const EXAMPLES: &[Example] = &[
    Example {
        variant: "numbered with host, CUIC reporting and security facilities",
        timed: true,
        path: "CUIC.2025-03-11T14-00-00.000.log",
        text: "0000000053: 10.20.30.41: Mar 11 2025 14:02:19.101 +0100: %CCBU___________CUIC-4-WARN: Dashboard Migration : Weburl widget : Dashboard : ops_wall
0000001591: 10.20.30.41: Mar 11 2025 14:05:35.520 +0100: %CCBU__CUIC_SECURITY-7-OPERATION: %[MESSAGE=Logged-in user instances=4][OPERATION_TYPE= UserLoginSuccess ][SESSION_ID= 5E0C1D2A3B4C5D6E7F8091A2B3C4D5E6 ][USER_ID= CORP\\rep1 ]: User login or logout request to server.
",
    },
    Example {
        variant: "grep output without sequence host (cuic file tail)",
        timed: true,
        path: "tail.txt",
        text: "Mar 11 2025 14:05:35.520 +0100: %CCBU__CUIC_SECURITY-7-OPERATION: %[OPERATION_TYPE=SessionEnd][SESSION_ID=5E0C1D2A3B4C5D6E7F8091A2B3C4D5E6][USER_ID=CORP\\rep1]: User login or logout request to server.
Mar 11 2025 14:05:36.002 +0100: %CCBU___________CUIC-3-ERROR: Report execution failed for report id=7A1B
",
    },
];
