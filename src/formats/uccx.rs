//! UCCX engine logs (`MADM*.log` → `uccx-madm`, `MIVR*.log` and other facilities → `uccx-mivr`):
//! `<seq>: Mon DD HH:MM:SS.mmm TZ %MADM-<SUBFAC>-<sev>-<MNEMONIC>:[<thread>] <Class>: message`.
//! The year is not written; `infer_clocks` takes it from neighbouring files.

use super::engine::{self, kv_eq, put, share, stamp_mdy, Stamp};
use super::{Format, Shape};
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
};

pub static UCCX_MIVR: Format = Format {
    name: "uccx-mivr",
    detect: |s| engine::score(share(&s.lines, |l| uccx_line(l).is_some_and(|u| u.facility != "MADM")), 10, 80),
    shape: Shape::Lines { starts_record: |l| uccx_line(l).is_some(), glue: engine::no_glue, parse },
};

fn parse(rec: &mut Record, first: &str, _text: &str) {
    let Some(u) = uccx_line(first) else { return };
    rec.time = Some(u.stamp.time);
    put(rec, "seq", u.seq);
    put(rec, "facility", u.facility);
    rec.set_component(&u.sub);
    rec.set_severity(&u.sev);
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
