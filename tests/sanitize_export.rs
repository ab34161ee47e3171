//! Sanitizing that keeps correlation: no secret survives the export of a HAR holding Basic
//! credentials, cookies and SASL exchanges (PLAIN and SCRAM) in WebSocket frames and a BOSH body;
//! with personal masking on, names, e-mail addresses, phone numbers, IP addresses, host names and
//! chat text are replaced by the same token in every file; and the corpus and the demo still form
//! the same flows, findings and state timelines when their sanitized files are analysed again.
mod common;

use serde_json::Value;
use switchboard::export::{export_zip, Options};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sanitize");
const KEY: &str = "000102030405060708090a0b0c0d0e0f";

/// The password of agent 3107 and every form it takes in `desktop-credentials.har`.
const SECRETS: &[&str] = &[
    "Tr0ub4dor&3-staple",                                   // the password itself
    "MzEwNzpUcjB1YjRkb3ImMy1zdGFwbGU=",                     // Basic 3107:password
    "ADMxMDcAVHIwdWI0ZG9yJjMtc3RhcGxl",                     // SASL PLAIN \0 3107 \0 password
    "6F1C2B9A0D3E4F5A6B7C8D9E0F1A2B3C",                     // JSESSIONID (cookie, Set-Cookie, WebSocket upgrade)
    "QmFzZTY0U2Vzc2lvbkJsb2I",                              // another cookie
    "Yz1iaXdzLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdMM3JmY05I", // SCRAM client-final (its proof allows offline guessing)
    "dj1ybUY5cHFWOFM3c3VBb1pXamE0ZEpSa0ZzS1E9",             // SCRAM server-final
];

/// Personal values in the two files (the HAR and a webservices log sharing them).
const PERSONAL: &[&str] = &[
    "Grace",
    "Hopper",
    "ada.lovelace",
    "customers.example.com",
    "harborbank",
    "fin1a",
    "10.20.30.40",
    "10.20.44.101",
    "4155550123",
    "555-0123",
    "charged twice",
];

fn options(personal: bool) -> Options {
    Options { personal, patterns: Vec::new(), key: switchboard::sanitize::key_from_hex(KEY).expect("key") }
}

fn member<'a>(files: &'a [(String, String)], suffix: &str) -> &'a str {
    files.iter().find(|(n, _)| n.ends_with(suffix)).map(|(_, t)| t.as_str()).unwrap_or_else(|| panic!("no member ending {suffix}"))
}

#[test]
fn no_secret_survives_credentials_cookies_and_sasl_in_websocket_frames() {
    let s = common::load_paths(&[DATA]);
    assert!(s.files.iter().any(|f| f.format == "har"), "the HAR is read as a HAR");
    for personal in [false, true] {
        let export = export_zip(&s, &options(personal)).expect("export");
        let files = common::unzip(&export.bytes);
        let all: String = files.iter().map(|(n, t)| format!("{n}\n{t}\n")).collect();
        for secret in SECRETS {
            assert!(!all.contains(secret), "{secret} survived (personal: {personal})");
        }
        // The HAR is still a HAR with every entry and frame; only the values changed.
        let har: Value = serde_json::from_str(member(&files, ".har")).expect("the sanitized HAR is JSON");
        let entries = har["log"]["entries"].as_array().expect("entries");
        assert_eq!(entries.len(), 3);
        let frames = entries[2]["_webSocketMessages"].as_array().expect("frames");
        assert_eq!(frames.len(), 8);
        assert_eq!(frames[2]["data"], "<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\" mechanism=\"PLAIN\">[MASKED:sasl][user=3107]</auth>");
        assert!(entries[1]["request"]["postData"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("mechanism='PLAIN'>[MASKED:sasl][user=3107]</auth>") && t.contains("sid='376ca3e4'")));
        assert_eq!(entries[0]["request"]["cookies"][0]["value"], "[MASKED:cookie]");
        let auth = entries[0]["request"]["headers"].as_array().and_then(|h| h.iter().find(|x| x["name"] == "authorization")).map(|x| x["value"].clone());
        assert_eq!(auth, Some(Value::from("Basic [MASKED:authorization-basic][user=3107]")), "the scheme and the user stay");
        // The preview names every class with its count, and never shows a secret.
        let p = &export.preview;
        for kind in ["authorization-basic", "cookie", "sasl"] {
            assert!(p.classes.iter().any(|c| c.kind == kind && c.count > 0 && c.group == "secret"), "{kind} in the preview: {p:?}");
        }
        let sasl = p.classes.iter().find(|c| c.kind == "sasl").map_or(0, |c| c.count);
        assert_eq!(sasl, 4, "PLAIN in the BOSH body and in a frame, SCRAM response and success, and nothing else");
        let shown = serde_json::to_string(p).expect("preview JSON") + member(&files, "SANITIZED.txt");
        for secret in SECRETS {
            assert!(!shown.contains(secret), "{secret} in the preview");
        }
        // The BOSH sid stays (correlation reads it) and so does the flow it makes.
        assert!(all.contains("376ca3e4"));
    }
}

#[test]
fn personal_data_is_replaced_consistently_across_files() {
    let s = common::load_paths(&[DATA]);
    let export = export_zip(&s, &options(true)).expect("export");
    let files = common::unzip(&export.bytes);
    let har = member(&files, ".har");
    let log = member(&files, ".log");
    for value in PERSONAL {
        assert!(!har.contains(value) && !log.contains(value), "{value} survived");
    }
    // The same value has the same token in both files.
    let token = |text: &str, re: &str| -> String {
        regex::Regex::new(re).expect("re").captures(text).and_then(|c| c.get(1)).map(|m| m.as_str().to_string()).unwrap_or_else(|| panic!("{re} not in {text}"))
    };
    let first_name = token(har, r"<firstName>(person-[0-9a-f]+)</firstName>");
    assert_eq!(token(log, r"<firstName>(person-[0-9a-f]+)</firstName>"), first_name);
    let host = token(har, r"3107@(h[0-9a-f]+\.h[0-9a-f]+\.test)/desktop");
    assert_eq!(token(log, r"3107@(h[0-9a-f]+\.h[0-9a-f]+\.test)/desktop"), host);
    assert!(har.contains(&format!("https://{host}:8445/finesse/api/User/3107")), "URLs keep their shape");
    let ip = token(har, r#""serverIPAddress": "(198\.1[89]\.\d+\.\d+)""#);
    assert!(log.starts_with(&format!("0000001010: {ip}: Mar 12 2026")), "the log's host column has the same token");
    let mail = token(har, r"from='(user-[0-9a-f]+@example\.invalid)'");
    assert!(log.contains(&mail), "the e-mail address in free text has the same token");
    assert!(log.contains(&format!("{first_name} ")), "a name learnt from a field is replaced in free text too");
    assert!(regex::Regex::new(r"<body>chat-[0-9a-f]+</body>").expect("re").is_match(har), "chat text");
    // What correlation reads stays: agent ID, extension, BOSH sid, requestIds, XMPP resource.
    for kept in ["3107", "4107", "376ca3e4", "/desktop", "1773320530412"] {
        assert!(har.contains(kept) || log.contains(kept), "{kept} kept");
    }
    for class in ["name", "email", "phone", "ip", "host", "chat-text"] {
        assert!(export.preview.classes.iter().any(|c| c.kind == class && c.group == "personal" && c.distinct > 0), "{class} in the preview");
    }
    assert!(export.mapping.lines().any(|l| l == format!("name,Grace,{first_name}")), "the owner's mapping: {}", export.mapping);
    assert!(!files.iter().any(|(_, t)| t.contains("Grace,")), "the mapping never goes into the export");
}

/// `analyze --json` on the inputs and on their sanitized export (unzipped) find the same flows,
/// findings and state timelines.
fn assert_same_analysis(name: &str, inputs: &str) {
    let dir = common::temp_dir(&format!("flows-{name}"));
    let zip = dir.join("sanitized.zip");
    let (code, out, err) = common::cli(&["sanitize", "--personal", "--key", KEY, "--out", &zip.display().to_string(), inputs]);
    assert_eq!(code, 0, "{out}{err}");
    let unpacked = dir.join("files");
    for (n, text) in common::unzip(&std::fs::read(&zip).expect("zip")) {
        if n == "SANITIZED.txt" {
            continue;
        }
        let p = unpacked.join(&n);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("dir");
        std::fs::write(&p, text).expect("write");
    }
    let analyse = |path: &str| -> Value {
        let (code, out, err) = common::cli(&["analyze", "--json", path]);
        assert!(code == 0 || code == 1, "{err}");
        serde_json::from_str(&out).expect("JSON")
    };
    let before = analyse(inputs);
    let after = analyse(&unpacked.display().to_string());
    let (mut b, mut a) = (common::analysis_shape(&before), common::analysis_shape(&after));
    // What sanitizing removes on purpose: the privacy findings (credentials in the inputs).
    let privacy = |code: &str| switchboard::correlate::catalogue::entry(code).is_some_and(|e| e.area == "privacy");
    b.findings.retain(|(c, _)| !privacy(c));
    a.findings.retain(|(c, _)| !privacy(c));
    assert!(!b.flows.is_empty() || !b.states.is_empty(), "{name}: something to compare");
    assert_eq!(a.flows, b.flows, "{name}: flows");
    assert_eq!(a.findings, b.findings, "{name}: findings");
    assert_eq!(a.states, b.states, "{name}: state timelines");
    assert_eq!(after["records"].as_array().map(Vec::len), before["records"].as_array().map(Vec::len), "{name}: records");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn flows_still_form_on_the_sanitized_corpus_and_demo() {
    for folder in ["000-ece-availability", "001-finesse-login", "002-finesse-bosh", "003-cce-task-routing", "004-uccx-facebook-chat"] {
        assert_same_analysis(folder, &format!("{}/{folder}", common::CORPUS));
    }
    let demo = common::temp_dir("demo-src");
    assert_eq!(common::cli(&["demo", "--out", &demo.display().to_string()]).0, 0);
    assert_same_analysis("demo", &demo.display().to_string());
    assert_same_analysis("credentials", DATA);
    let _ = std::fs::remove_dir_all(&demo);
}

#[test]
fn cli_sanitize_options() {
    let dir = common::temp_dir("sanitize-cli");
    let zip = dir.join("x.zip").display().to_string();
    let map = dir.join("map.csv").display().to_string();
    assert_eq!(common::cli(&["sanitize", "--out", &zip, "--mapping", &map, DATA]).0, 2, "--mapping needs --personal");
    assert_eq!(common::cli(&["sanitize", "--out", &zip, "--personal", "--key", "nothex", DATA]).0, 2);
    let (code, out, err) = common::cli(&["sanitize", "--out", &zip, "--personal", "--mapping", &map, DATA]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("sasl") && out.contains("values masked"), "{out}");
    for secret in SECRETS {
        assert!(!out.contains(secret));
    }
    let mapping = std::fs::read_to_string(&map).expect("mapping written");
    assert!(mapping.starts_with("class,value,token\n") && mapping.contains("name,Grace,person-"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Random mixtures of the values the finders look for, with line breaks, odd characters and cut
/// pieces: sanitizing never panics and never moves a line.
#[test]
fn masking_never_moves_a_line_or_panics() {
    let pieces = [
        "Authorization: Basic MzEwNzpUcjB1YjRkb3ImMy1zdGFwbGU=",
        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>ADMxMDcAVHIwdWI0ZG9yJjMtc3RhcGxl</auth>",
        "&lt;auth mechanism=&apos;PLAIN&apos;&gt;AGFnZW50MQBzM2NyZXQtUHc=&lt;/auth&gt;",
        "Cookie: JSESSIONID=6F1C2B9A0D3E4F5A; sso=QmFzZTY0U2Vzc2lvbkJsb2I",
        "<password>pw\nspanning</password>",
        "<message type='chat'><body>line one\nline two\n\nline four</body></message>",
        "<firstName>Grace</firstName> Grace Hopper",
        "author=Amar Kumar,title=x",
        "from 10.20.30.40 and fe80::1ff:fe23:4567:890a to fin1a.harborbank.test",
        "3107@fin1a.harborbank.test/desktop ada@example.com ada%40mail.example.org",
        "ANI=+1 (415) 555-0123 tel:+442071838750",
        "https://user:pa55word@host.example.com/x",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
        "Received message [Hi\nthere] in session",
        "\r\n",
        "\n",
        "é漢字🙂",
        "<",
        "&lt;",
        "=",
        ":",
        "@",
        "[MASKED:cookie]",
        "person-1a2b",
        " ",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..400 {
        let mut text = String::new();
        for _ in 0..(next() % 12) {
            let p = pieces[(next() % pieces.len() as u64) as usize];
            // Sometimes only part of a piece (cut on a character boundary).
            let cut =
                if next() % 4 == 0 { p.char_indices().nth((next() % (p.chars().count() as u64 + 1)) as usize).map_or(p.len(), |(i, _)| i) } else { p.len() };
            text.push_str(&p[..cut]);
        }
        let personal = round % 2 == 0;
        let mut s = switchboard::sanitize::Sanitizer::new(Options { personal, patterns: Vec::new(), key: [round as u8; 16] });
        s.learn_text(&text);
        s.finish_learning();
        let (out, _) = s.clean_text("f", &text);
        assert_eq!(out.matches('\n').count(), text.matches('\n').count(), "lines moved in {text:?} → {out:?}");
        let _ = s.clean(&out);
    }
}
