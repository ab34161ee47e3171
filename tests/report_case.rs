//! The case report: one self-contained HTML file (no external reference of any kind, flows as
//! inline SVG, a print stylesheet) and its Markdown twin, with the inputs, the findings grouped by
//! code with the catalogue's words, the flows, the state timelines and the bookmarks with their
//! notes; sanitized, it holds no secret and no personal value the export would mask.
mod common;

use switchboard::annotations::{Annotations, Bookmark, FilterSet, FlowRef};
use switchboard::report::case::{build, FlowChoice, Options};

const SANITIZE_DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sanitize");

/// Every place an HTML file could load something from: `src`, `href`, `url(`, `@import`, and the
/// elements that fetch. Only anchors inside the file (`#…`) and `data:` are allowed.
fn external_references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    for needle in ["src=", "href=", "url(", "srcset=", "action=", "xlink:href="] {
        for (at, _) in lower.match_indices(needle) {
            let rest = html.get(at + needle.len()..).unwrap_or("").trim_start_matches(['"', '\'', ' ']);
            if !(rest.starts_with('#') || rest.starts_with("data:")) {
                out.push(html.get(at..(at + 80).min(html.len())).unwrap_or("").to_string());
            }
        }
    }
    for needle in ["http://", "https://", "//cdn", "@import", "<script", "<link", "<img", "<iframe", "<object", "<embed", "<audio", "<video", "<base"] {
        if let Some(at) = lower.find(needle) {
            out.push(html.get(at.saturating_sub(40)..(at + 40).min(html.len())).unwrap_or("").to_string());
        }
    }
    out
}

fn demo_session() -> switchboard::session::Session {
    let mut s = switchboard::session::Session::new();
    for (name, text) in switchboard::demo::bundle() {
        s.add_file(common::text_file(&name, &text));
    }
    s.finish();
    s
}

#[test]
fn the_report_is_self_contained_with_inline_svg_flows() {
    let s = demo_session();
    let info = s.files.iter().position(|f| f.path.ends_with("02-bosh-drop/openfire/info.log")).expect("info.log");
    let flow = s.flows.iter().find(|f| f.kind == "notification-session").expect("a notification session");
    let step_record = flow.steps.first().map(|st| st.record()).expect("a step");
    let step_rec = s.records.get(step_record).expect("the step record");
    let notes = Annotations {
        title: "Agent 3107 logged out".into(),
        summary: "The desktop stopped polling.".into(),
        bookmarks: vec![
            Bookmark { file: s.files[info].path.clone(), line: 1, flow: None, note: "the idle close".into() },
            Bookmark {
                file: s.files[step_rec.file as usize].path.clone(),
                line: step_rec.line,
                flow: Some(FlowRef { kind: flow.kind.to_string(), key: flow.key.to_string() }),
                note: "first poll of the session".into(),
            },
        ],
        filters: vec![FilterSet { name: "agent 3107".into(), filter: serde_json::json!({"id": "3107", "hide_severities": ["DEBUG"]}) }],
    };
    let r = build(&s, &notes, &Options { generated: "2026-03-12 15:00 UTC".into(), ..Default::default() });
    let html = &r.html;
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert_eq!(external_references(html), Vec::<String>::new(), "no external reference");
    assert!(html.contains("Content-Security-Policy") && html.contains("default-src 'none'"));
    assert!(html.contains("@media print"), "a print stylesheet");
    // Every flow drawn inline, plus the state timelines.
    assert_eq!(html.matches("<div class=\"flow\"").count(), s.flows.len());
    assert!(html.matches("<svg ").count() > s.flows.len(), "the flows and at least one state drawing");
    assert!(!html.contains("xmlns=\"http"), "inline SVG needs no namespace (and so names no URL)");
    // Inputs with sizes, formats, coverage and clocks.
    for f in &s.files {
        assert!(html.contains(&f.format), "{}", f.format);
    }
    assert!(html.contains("lines 100 %") && html.contains("UTC-04:00"), "coverage and clocks");
    // Findings grouped by code, with the catalogue's title, meaning and next step, evidence and flow link.
    for f in &s.findings {
        let e = switchboard::correlate::catalogue::entry(f.code).expect("catalogued");
        assert!(html.contains(&format!("id=\"finding-{}\"", f.code)));
        assert!(html.contains(&svg_text(e.next)), "{}", f.code);
    }
    assert_eq!(html.matches("id=\"finding-").count(), s.findings.iter().map(|f| &f.code).collect::<std::collections::BTreeSet<_>>().len());
    assert!(html.contains("presence-driven-logout") && html.contains("02-bosh-drop/openfire/info.log:1"), "evidence as file:line");
    let logout = s.findings.iter().find(|f| f.code == "presence-driven-logout").expect("logout finding");
    if let Some(fi) = logout.flow {
        assert!(html.contains(&format!("href=\"#flow-{fi}\"")), "the finding links its flow");
    }
    // Bookmarks with their notes, on the timeline line and on the flow step.
    assert!(html.contains("the idle close") && html.contains("first poll of the session"));
    assert!(html.contains("⚑"), "the step bookmark is flagged in the diagram");
    assert!(html.contains("agent 3107") && html.contains("hide severities DEBUG"), "named filters");
    assert!(html.contains("Agent 3107 logged out") && html.contains("The desktop stopped polling."));

    // The Markdown twin says the same.
    let md = &r.markdown;
    assert!(md.starts_with("# Agent 3107 logged out\n"));
    for section in ["## Summary", "## Findings", "## Bookmarks and notes", "## Flows", "## State timelines", "## Inputs", "## Filters"] {
        assert!(md.contains(section), "{section}");
    }
    assert_eq!(md.matches("```mermaid").count(), s.flows.len());
    assert!(md.contains("the idle close") && md.contains("`presence-driven-logout`"));
    // URLs quoted from the logs stay inside code (which Markdown never turns into links).
    assert!(!prose(md).contains("://"), "no autolinked URL outside code");
}

/// Markdown without its fenced blocks and code spans.
fn prose(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<String> = None;
    for line in md.lines() {
        let ticks: String = line.trim_start().chars().take_while(|c| *c == '`').collect();
        match &fence {
            Some(f) if ticks.len() >= f.len() && line.trim() == ticks => fence = None,
            Some(_) => {}
            None if ticks.len() >= 3 => fence = Some(ticks),
            None => {
                // Code spans: a run of backticks up to the same run.
                let mut rest = line;
                while let Some(p) = rest.find('`') {
                    out.push_str(&rest[..p]);
                    let run: String = rest[p..].chars().take_while(|c| *c == '`').collect();
                    let after = &rest[p + run.len()..];
                    match after.find(&run) {
                        Some(q) => rest = &after[q + run.len()..],
                        None => {
                            rest = after;
                        }
                    }
                }
                out.push_str(rest);
                out.push('\n');
            }
        }
    }
    out
}

/// Catalogue text as the HTML writes it.
fn svg_text(s: &str) -> String {
    switchboard::report::svg::esc(s)
}

#[test]
fn flows_can_be_chosen() {
    let s = demo_session();
    let kind = s.flows.first().map(|f| f.kind).expect("a flow");
    let want = s.flows.iter().filter(|f| f.kind == kind).count();
    let r = build(&s, &Annotations::default(), &Options { flows: FlowChoice::Pick(vec![kind.to_string()]), ..Default::default() });
    assert_eq!(r.html.matches("<div class=\"flow\"").count(), want);
    // Past the cap, the flows findings point at are drawn first, and every flow is in the index.
    let capped = build(&s, &Annotations::default(), &Options { max_flows: 1, ..Default::default() });
    assert_eq!(capped.html.matches("<div class=\"flow\"").count(), 1);
    let drawn = s.flows.iter().enumerate().position(|(i, _)| capped.html.contains(&format!("<div class=\"flow\" id=\"flow-{i}\""))).expect("one drawn");
    assert!(s.findings.iter().any(|f| f.flow == Some(drawn)), "the drawn flow is one a finding points at");
    assert!(capped.html.contains("listed below but not drawn"));
    assert_eq!(capped.markdown.matches(" (not drawn) |").count(), s.flows.len() - 1);
    let none = build(&s, &Annotations::default(), &Options { flows: FlowChoice::None, ..Default::default() });
    assert_eq!(none.html.matches("<div class=\"flow\"").count(), 0);
    assert!(none.html.contains("other flows were left out"));
}

/// A CTI server log (dumplog, with its date line) of agents changing state every `step_s` seconds:
/// line `k` is agent `1000 + k % agents`, from 08:00 (under 16 hours). The Finesse log of the same day lends it its zone.
fn busy_day(agents: usize, lines: usize, step_s: usize) -> switchboard::session::Session {
    let states = ["READY", "NOT_READY", "TALKING", "WORK_READY"];
    let mut text = String::from("Events from January 30, 2024\n");
    for k in 0..lines {
        let t = k * step_s;
        text.push_str(&format!(
            "{:02}:{:02}:{:02}:000 cg1A-ctisvr Trace: AGENT_EVENT: ID={} Periph=5000 Ext={} St={} MRDID=5011 NumTasks=0 MaxTaskLimit=3\n",
            8 + t / 3600,
            t / 60 % 60,
            t % 60,
            1000 + k % agents,
            2000 + k % agents,
            states[(k / agents) % states.len()]
        ));
    }
    let finesse = "003-cce-task-routing/Desktop-webservices.2024-01-30T08-55-00.000.log";
    let finesse_text = std::fs::read_to_string(format!("{}/{finesse}", common::CORPUS)).expect("corpus file");
    let mut s = switchboard::session::Session::new();
    // In the Finesse log's folder: a file without a zone borrows its neighbours'.
    s.add_file(common::text_file("003-cce-task-routing/ctisvr.txt", &text));
    s.add_file(common::text_file(finesse, &finesse_text));
    s.finish();
    s
}

#[test]
fn a_day_of_busy_agents_draws_the_busiest_and_says_so() {
    // 60 agents, a change a second among them for 11 hours: 666 changes each.
    let s = busy_day(60, 40_000, 1);
    let agents = s.states.iter(&s.records).filter(|t| t.kind == "agent-mrd").count();
    assert_eq!(agents, 60);
    let r = build(&s, &Annotations::default(), &Options::default());
    assert!(r.html.contains("Drawn: the 40 of 60 entities with the most state changes"), "the drawing says what it leaves out");
    assert!(r.markdown.contains("Drawn: the 40 of 60 entities with the most state changes"));
    let svg = r.html.split("aria-label=\"agent-mrd states").nth(1).and_then(|x| x.split("</svg>").next()).expect("the agent drawing");
    // 40 rows of 666 changes each over 720 px: the short ones share bars, a bar to 2 px at most.
    assert!(svg.matches("<rect").count() < 40 * 370, "{} rectangles", svg.matches("<rect").count());
    assert!(svg.contains(" state changes: "));
    // Under the cap, every entity is drawn and nothing is said.
    let few = build(&busy_day(10, 400, 30), &Annotations::default(), &Options::default());
    assert!(!few.html.contains("Drawn: the"));
}

#[test]
fn a_sanitized_report_holds_no_secret_and_no_personal_value() {
    let s = common::load_paths(&[SANITIZE_DATA]);
    let opts = switchboard::sanitize::Options { personal: true, patterns: Vec::new(), key: [5; 16] };
    let r = build(
        &s,
        &Annotations { summary: "Grace Hopper called from 10.20.44.101".into(), ..Default::default() },
        &Options { sanitize: Some(opts), ..Default::default() },
    );
    for text in [&r.html, &r.markdown] {
        for value in [
            "Tr0ub4dor",
            "ADMxMDcAVHIwdWI0ZG9y",
            "MzEwNzpUcjB1YjRk",
            "6F1C2B9A0D3E4F5A",
            "Grace",
            "Hopper",
            "harborbank",
            "10.20.30.40",
            "10.20.44.101",
            "ada.lovelace",
        ] {
            assert!(!text.contains(value), "{value} in the sanitized report");
        }
    }
    assert!(r.html.contains("Sanitized with the export") && r.html.contains("person-"));
    assert!(r.masked.is_some_and(|m| m.total > 0));
    assert_eq!(external_references(&r.html), Vec::<String>::new());
}

#[test]
fn cli_report_writes_both_files() {
    let dir = common::temp_dir("report-cli");
    let html = dir.join("case.html").display().to_string();
    let md = dir.join("case.md").display().to_string();
    let notes = dir.join("notes.json");
    std::fs::write(&notes, r#"{"title":"Login refused","bookmarks":[],"filters":[]}"#).expect("notes");
    let folder = format!("{}/000-ece-availability", common::CORPUS);
    let (code, out, err) = common::cli(&["report", "--out", &html, "--markdown", &md, "--annotations", &notes.display().to_string(), &folder]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("wrote"), "{out}");
    let h = std::fs::read_to_string(&html).expect("html");
    assert!(h.contains("<title>Login refused</title>") && h.contains("<svg "));
    assert_eq!(external_references(&h), Vec::<String>::new());
    assert!(std::fs::read_to_string(&md).expect("md").starts_with("# Login refused"));
    assert_eq!(common::cli(&["report", "--personal", "--out", &html, &folder]).0, 2, "--personal goes with --sanitize");
    assert_eq!(common::cli(&["report", &folder]).0, 2, "--out is needed");
    let _ = std::fs::remove_dir_all(&dir);
}
