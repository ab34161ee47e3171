//! UCCX engine logs (`MADM*.log` → `uccx-madm`, `MIVR*.log` and other facilities → `uccx-mivr`):
//! `<seq>: Mon DD HH:MM:SS.mmm TZ %MADM-<SUBFAC>-<sev>-<MNEMONIC>:[<thread>] <Class>: message`.
//! The year is not written; `infer_clocks` takes it from neighbouring files.

use super::engine::{self, kv_eq, put, share, stamp_mdy, Stamp};
use super::{Example, Format, IdKind, IdRule, Lane, Role, Shape};
use crate::model::{Record, Sym};

pub struct Uccx<'a> {
    seq: &'a str,
    stamp: Stamp,
    facility: &'a str,
    sub: &'a str,
    sev: &'a str,
    mnemonic: &'a str,
    thread: &'a str,
    class: &'a str,
    msg: &'a str,
}

fn uccx_line(l: &str) -> Option<Uccx<'_>> {
    let (seq, rest) = l.split_once(": ")?;
    if seq.is_empty() || seq.len() > 12 || !seq.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let st = stamp_mdy(rest)?;
    let rest = rest.get(st.len..)?.strip_prefix(" %")?;
    let (header, rest) = rest.split_once(":[")?;
    let (facility, h) = header.split_once('-')?;
    let mut parts = h.rsplitn(3, '-');
    let mnemonic = parts.next()?;
    let sev = parts.next()?;
    let sub = parts.next()?;
    let (thread, rest) = rest.split_once("] ")?;
    let (class, msg) = match rest.split_once(": ") {
        Some((c, m)) if !c.contains(' ') => (c, m),
        _ => ("", rest),
    };
    Some(Uccx { seq, stamp: st, facility, sub, sev, mnemonic, thread, class, msg })
}

pub static UCCX_MADM: Format = Format {
    name: "uccx-madm",
    detect: |s| engine::score(share(&s.lines, |l| uccx_line(l).is_some_and(|u| u.facility == "MADM")), 10, 80),
    shape: Shape::Lines { starts_record: |l| uccx_line(l).is_some(), glue: engine::no_glue, parse },
    lane: Lane::UccxAdmin,
    role: Role::Server,
    ids: &[IdRule::Hex32InText(IdKind::SocialContact)],
    examples: MADM_EXAMPLES,
};

pub static UCCX_MIVR: Format = Format {
    name: "uccx-mivr",
    detect: |s| engine::score(share(&s.lines, |l| uccx_line(l).is_some_and(|u| u.facility != "MADM")), 10, 80),
    shape: Shape::Lines { starts_record: |l| uccx_line(l).is_some(), glue: engine::no_glue, parse },
    lane: Lane::UccxEngine,
    role: Role::Server,
    ids: &[IdRule::Hex32InText(IdKind::SocialContact)],
    examples: MIVR_EXAMPLES,
};

fn parse(rec: &mut Record, first: &str, _text: &str) {
    let Some(u) = uccx_line(first) else { return };
    rec.time = Some(u.stamp.time);
    put(rec, "seq", u.seq);
    put(rec, "facility", u.facility);
    rec.set_component(u.sub);
    rec.set_severity(u.sev);
    put(rec, "thread", u.thread);
    if !u.class.is_empty() {
        put(rec, "class", u.class);
    }
    rec.name = if u.mnemonic != "UNK" {
        Sym::new(u.mnemonic)
    } else if !u.class.is_empty() {
        Sym::new(u.class)
    } else {
        None
    };
    kv_eq(rec, u.msg);
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const MADM_EXAMPLES: &[Example] = &[Example {
    variant: "MADM with a thread bracket",
    timed: true,
    path: "MADM01.log",
    text: "1201: Oct 09 10:11:12.013 EDT %MADM-ADM_CFG-7-UNK:[http-bio-443-exec-4] AppAdminUtil: Getting gateway config
1202: Oct 09 10:11:12.020 EDT %MADM-CFG_MGR-7-UNK:[http-bio-443-exec-4] ConfigManagerImpl: getAccessor(ConfigQuery)
",
}];

/// Lines written by the project in this family's grammar (see `formats::Example`).
const MIVR_EXAMPLES: &[Example] = &[
    Example {
        variant: "MIVR with a thread bracket",
        timed: true,
        path: "MIVR01.log",
        text: "88120: Oct 09 10:12:40.551 EDT %MIVR-SS_CHAT-7-UNK:[chatEventConsumer-2] ChatSubsystemLogger: Received Event [ContactEvent [operation=ADD, id=AB12CD34EF56AB78CD90EF12AB34CD56]]
88121: Oct 09 10:12:40.560 EDT %MIVR-SS_CHAT-7-UNK:[chatEventConsumer-2] ChatSubsystemLogger: addContact()--Queue for tag is 2
",
    },
];
