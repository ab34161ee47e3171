//! `procmon` and `opctest` console transcripts (`icm-console`): what an engineer copies from the PG's
//! command prompt after asking a process for its view of agents, devices or trace settings. One
//! record per command, with the output lines that follow it; trace lines the process echoes while
//! the console is attached are records of their own, with their time. (`rttest` transcripts are the
//! `rttest` family.)
//!
//! ```text
//! transcript := { invocation | command | trace-echo | output }
//! invocation := [drive ":" path ">"] ("procmon" cust node process | "opctest" "/cust" cust "/node" node) [options]
//! command    := ">>>>" [" "] word [args]        -- procmon: a command is a word starting in lower case
//!             | "opctest:" [" "] word [args]
//! output     := any other line, including ">>>>" followed by text that does not start in lower case
//! trace-echo := HH:MM:SS[:mmm] " Trace: " text  -- an ICM line (see `icm.rs`)
//! args       := { "/" option [value] | value }
//! ```
//! Written by the project:
//! ```text
//! C:\icm\acme\PG1A\logfiles>procmon acme pg1a jgw1
//! 09:12:03 Trace: EMT Creating Mutex Global\AcmeLock
//! >>>> jtapiver
//! >>>>Cisco Jtapi version 12.5(1.10000)-1 Release
//! C:\> opctest /cust acme /node pg1a
//! opctest: list_agents /periph 5000
//! ```
//! Sources: the ProcMon TAC note for JGW, PIM and CTI server (invocation, `>>>>` prompt with and
//! without a space, output echoed after the prompt, trace echoes), the procmon and opctest
//! command-line tech notes (usage lines, `opctest:` prompt, `list_agents`/`la`, `status` output).

use super::engine::{self, kv_eq, kv_spaced, put};
use super::icm::{icm_line, read_icm};
use super::{Example, Format, IdRule, Lane, Role, Sample, Shape};
use crate::model::Record;

/// The console a line invokes: `procmon acme pg1a pim1` / `opctest /cust acme /node pg1a` after an
/// optional Windows prompt. Returns (tool, arguments).
fn invocation(l: &str) -> Option<(&'static str, &str)> {
    let t = l.trim_start();
    // After `C:\…>` (a drive prompt), or the bare command.
    let cmd = match engine::find(t, ">") {
        Some(i) if t.get(1..3) == Some(":\\") || t.get(1..2) == Some(":") => t.get(i + 1..)?.trim_start(),
        _ => t,
    };
    let (word, args) = cmd.split_once(' ').unwrap_or((cmd, ""));
    let tool = if word.eq_ignore_ascii_case("procmon") || word.eq_ignore_ascii_case("procmon.exe") {
        "procmon"
    } else if word.eq_ignore_ascii_case("opctest") || word.eq_ignore_ascii_case("opctest.exe") {
        "opctest"
    } else {
        return None;
    };
    Some((tool, args.trim()))
}

/// A command typed at a console prompt: (tool, command line).
fn command(l: &str) -> Option<(&'static str, &str)> {
    if let Some(r) = l.strip_prefix(">>>>") {
        let r = r.trim_start();
        return r.as_bytes().first().is_some_and(|c| c.is_ascii_lowercase()).then_some(("procmon", r));
    }
    if let Some(r) = l.strip_prefix("opctest:") {
        return Some(("opctest", r.trim()));
    }
    None
}

fn starts(l: &str) -> bool {
    command(l).is_some() || invocation(l).is_some() || icm_line(l).is_some()
}

fn detect(s: &Sample) -> u8 {
    if s.lines.iter().take(8).any(|l| invocation(l).is_some()) {
        return 90;
    }
    // Commands typed at a prompt (not any `>>>>`: a deep e-mail quote is no console).
    let prompts = engine::share(&s.lines, |l| command(l).is_some());
    engine::score(prompts, 10, 70)
}

pub static ICM_CONSOLE: Format = Format {
    name: "icm-console",
    detect,
    shape: Shape::Lines { starts_record: starts, glue: engine::no_glue, parse },
    lane: Lane::ByComponent,
    role: Role::Snapshot,
    ids: &[IdRule::AgentAliases],
    examples: EXAMPLES,
};

/// `/agent 5000 /periph 5000` and positional words → fields (`agent`, `periph`, `arg1`…).
fn args_fields(rec: &mut Record, args: &str) {
    let mut it = args.split_whitespace().peekable();
    let mut pos = 0;
    while let Some(w) = it.next() {
        if let Some(opt) = w.strip_prefix('/') {
            let v = match it.peek() {
                Some(v) if !v.starts_with('/') => it.next().unwrap_or(""),
                _ => "",
            };
            put(rec, opt, v);
        } else {
            pos += 1;
            put(rec, &format!("arg{pos}"), w);
        }
    }
}

fn parse(rec: &mut Record, first: &str, text: &str) {
    if let Some(p) = icm_line(first) {
        read_icm(rec, &p, text);
        return;
    }
    if let Some((tool, args)) = invocation(first) {
        rec.set_name(tool);
        rec.set_component(tool);
        // `procmon <customer> <node> <process>`: the process the console is attached to.
        let words: Vec<&str> = args.split_whitespace().filter(|w| !w.starts_with('/')).collect();
        if tool == "procmon" {
            if let (Some(node), Some(proc_)) = (words.get(1), words.get(2)) {
                rec.set_component(&format!("{node}-{proc_}"));
            }
        }
        if !rec.detail() {
            return;
        }
        put(rec, "command", first.trim());
        if tool == "procmon" {
            for (k, v) in ["customer", "node", "process"].iter().zip(words.iter()) {
                put(rec, k, v);
            }
        }
        args_fields(rec, args);
        return;
    }
    let Some((tool, line)) = command(first) else { return };
    let (word, args) = line.split_once(' ').unwrap_or((line, ""));
    rec.set_name(word);
    rec.set_component(tool);
    if !rec.detail() {
        return;
    }
    put(rec, "command", line);
    args_fields(rec, args);
    // The output: `Key = value`, `Key: value`, `key=value` lines.
    let out = text.split_once('\n').map(|x| x.1).unwrap_or("");
    let out: String = out.lines().map(|l| l.strip_prefix(">>>>").unwrap_or(l)).collect::<Vec<_>>().join("\n");
    kv_spaced(rec, &out);
    kv_eq(rec, &out);
    for l in out.lines() {
        if let Some((k, v)) = l.trim().split_once(": ") {
            if !k.is_empty() && k.len() < 40 && k.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b' ') && !engine::has(v, ": ") {
                put(rec, k.trim(), v);
            }
        }
    }
    if !out.trim().is_empty() {
        put(rec, "output", out.trim());
    }
}

/// Lines written by the project in this family's grammar (see `formats::Example`).
const EXAMPLES: &[Example] = &[
    Example {
        variant: "procmon attached to a JTAPI gateway",
        timed: false,
        path: "procmon-jgw.txt",
        text: "C:\\icm\\acme\\PG1A\\logfiles>procmon acme pg1a jgw1
09:12:03 Trace: EMT Creating Mutex Global\\AcmeLock
>>>> jtapiver
>>>>Cisco Jtapi version 12.5(1.10000)-1 Release
>>>>jrever
>>>>Java Runtime Environment Version = <1.8.0_301>
",
    },
    Example {
        variant: "opctest session",
        timed: false,
        path: "opctest.txt",
        text: "C:\\> opctest /cust acme /node pg1a
opctest: list_agents /periph 5000
Agent 3021 SkillTargetID=7012 State=AVAILABLE
opctest: status
PeripheralID = 5000, State = ACTIVE
",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        assert_eq!(invocation("C:\\icm\\acme\\PG1A\\logfiles>procmon acme pg1a pim1"), Some(("procmon", "acme pg1a pim1")));
        assert_eq!(invocation("c:\\> opctest /cust acme /node pg1a"), Some(("opctest", "/cust acme /node pg1a")));
        assert_eq!(invocation("rttest /cust acme"), None);
        assert_eq!(command(">>>> dagent 3021"), Some(("procmon", "dagent 3021")));
        assert_eq!(command(">>>>jrever"), Some(("procmon", "jrever")));
        assert_eq!(command(">>>>Cisco Jtapi version"), None);
        assert_eq!(command("opctest: la /periph 5000"), Some(("opctest", "la /periph 5000")));
    }
}
