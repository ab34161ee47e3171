//! The demo bundle: a realistic incident written by the project's own generator, in the real log
//! formats, with its own values (not copied from any article).
//!
//! The incident happens on one day at a site in US Eastern time (EDT, −04:00): agent 3107 Grace
//! Hopper signs in on Finesse (`01-signin/`), loses her BOSH connection and is logged out by
//! presence with reason code 255 (`02-bosh-drop/`), signs back in and is routed a CCP task through
//! CCE task routing (`03-task-routing/`), and at 11:40 a customer's chat is refused because the one
//! chat agent went not ready in the chat MRD (`04-chat-refused/`). The ICM, Finesse client and
//! Openfire logs write local time without a zone (the CTI logs without a date either); the ECE
//! listener writes GMT; the HAR files UTC.
//!
//! The same line writers make the benchmark data (`crate::bench`): `write_incident` is called for
//! many agents with shifted IDs and times, and `Files::finish` orders each file by time.

use crate::time;
use std::collections::BTreeMap;

/// Name of the demo archive as it appears in the file list.
pub const DEMO_NAME: &str = "switchboard-demo.zip";

/// The demo's day and UTC offset of the site.
pub const DEMO_DATE: (i32, u32, u32) = (2026, 3, 12);
pub const SITE_OFFSET_MIN: i32 = -240;

/// (path, text) of every file in the demo bundle.
pub fn bundle() -> Vec<(String, String)> {
    let mut files = Files::default();
    write_incident(&Incident::new(0, DEMO_DATE, 0), "", &mut files);
    files.finish()
}

/// The demo bundle as a zip, as an engineer would receive it.
pub fn bundle_zip() -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in bundle() {
        if w.start_file(name, opts).is_err() || w.write_all(text.as_bytes()).is_err() {
            break;
        }
    }
    match w.finish() {
        Ok(c) => c.into_inner(),
        Err(_) => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/// xorshift64: a fixed-seed generator for IDs that must look random but never change.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        let s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5DEE_CE66_D1CE_4E5B;
        Rng(if s == 0 { 0x2545_F491_4F6C_DD1D } else { s })
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A value in 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// `len` lower-case hex digits.
    pub fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        while s.len() < len {
            let v = self.next_u64();
            for i in 0..16 {
                if s.len() == len {
                    break;
                }
                let d = ((v >> (i * 4)) & 0xF) as u32;
                s.push(char::from_digit(d, 16).unwrap_or('0'));
            }
        }
        s
    }

    /// A version-4 style GUID.
    pub fn guid(&mut self) -> String {
        let h = self.hex(32);
        let g = |a: usize, b: usize| h.get(a..b).unwrap_or("0");
        format!("{}-{}-4{}-a{}-{}", g(0, 8), g(8, 12), g(13, 16), g(17, 20), g(20, 32))
    }

    /// Letters and digits, as session IDs and request IDs are written.
    pub fn alnum(&mut self, len: usize) -> String {
        const A: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        (0..len).map(|_| A.get(self.below(A.len() as u64) as usize).map(|&c| c as char).unwrap_or('x')).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Time text

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn mon(m: u32) -> &'static str {
    MONTHS.get((m as usize).saturating_sub(1)).copied().unwrap_or("Jan")
}

fn parts(ms: i64) -> (i64, i64, i64, i64) {
    let ms = ms.rem_euclid(crate::time::DAY_MS);
    (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

fn offset_hhmm(off: i32) -> String {
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.unsigned_abs();
    format!("{sign}{:02}{:02}", a / 60, a % 60)
}

/// One site day: local wall times (ms since local midnight) turned into every stamp the logs use.
#[derive(Clone, Copy)]
pub struct Day {
    pub date: (i32, u32, u32),
    pub offset_min: i32,
}

impl Day {
    /// ICM dumplog: `09:02:14:247`.
    pub(crate) fn icm(&self, t: i64) -> String {
        let (h, m, s, ms) = parts(t);
        format!("{h:02}:{m:02}:{s:02}:{ms:03}")
    }
    /// Finesse client log: `09:02:14.247`.
    pub(crate) fn client(&self, t: i64) -> String {
        let (h, m, s, ms) = parts(t);
        format!("{h:02}:{m:02}:{s:02}.{ms:03}")
    }
    /// CCBU: `Mar 12 2026 09:02:14.247 -0400`.
    pub(crate) fn ccbu(&self, t: i64) -> String {
        let (h, m, s, ms) = parts(t);
        let (y, mo, d) = self.date;
        format!("{} {d:02} {y} {h:02}:{m:02}:{s:02}.{ms:03} {}", mon(mo), offset_hhmm(self.offset_min))
    }
    /// CCBU without the zone (the dispatch stats): `Mar 12 2026 09:02:14.247`.
    pub(crate) fn ccbu_plain(&self, t: i64) -> String {
        let (h, m, s, ms) = parts(t);
        let (y, mo, d) = self.date;
        format!("{} {d:02} {y} {h:02}:{m:02}:{s:02}.{ms:03}", mon(mo))
    }
    /// Openfire: `2026.03.12 10:15:04`.
    pub(crate) fn openfire(&self, t: i64) -> String {
        let (h, m, s, _) = parts(t);
        let (y, mo, d) = self.date;
        format!("{y:04}.{mo:02}.{d:02} {h:02}:{m:02}:{s:02}")
    }
    /// Tomcat access log: `12/Mar/2026:09:02:14 -0400`.
    pub(crate) fn clf(&self, t: i64) -> String {
        let (h, m, s, _) = parts(t);
        let (y, mo, d) = self.date;
        format!("{d:02}/{}/{y}:{h:02}:{m:02}:{s:02} {}", mon(mo), offset_hhmm(self.offset_min))
    }
    /// Epoch ms of a local time.
    pub fn epoch(&self, t: i64) -> i64 {
        time::to_epoch_ms(self.date, 0, self.offset_min) + t
    }
    /// ECE listener (GMT): `2026-03-12 15:20:02.114 GMT+0000`.
    pub(crate) fn gmt(&self, t: i64) -> String {
        let e = self.epoch(t);
        let (y, mo, d) = time::civil_from_days(e.div_euclid(time::DAY_MS));
        let (h, m, s, ms) = parts(e);
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{m:02}:{s:02}.{ms:03} GMT+0000")
    }
    /// HAR: `2026-03-12T15:40:02.311Z`.
    pub(crate) fn iso(&self, t: i64) -> String {
        time::iso_utc(self.epoch(t))
    }
    /// `2026-03-12T13:02:14Z` as Finesse writes stateChangeTime.
    pub(crate) fn iso_s(&self, t: i64) -> String {
        let s = time::iso_utc(self.epoch(t));
        match s.find('.') {
            Some(i) => format!("{}Z", s.get(..i).unwrap_or("")),
            None => s,
        }
    }
}

/// `h:m:s.ms` of the day as milliseconds.
pub const fn at(h: i64, m: i64, s: i64, ms: i64) -> i64 {
    ((h * 60 + m) * 60 + s) * 1000 + ms
}

// ---------------------------------------------------------------------------------------------
// Files being written

/// Placeholder for a CCBU sequence number (10 digits), replaced in file order by `finish`.
pub(crate) const SEQ10: char = '\u{1}';
/// Placeholder for a Finesse 12.x sequence number (6 digits).
pub(crate) const SEQ6: char = '\u{2}';

#[derive(Default)]
struct FileBuf {
    /// (local time, insertion order, text)
    lines: Vec<(i64, u64, String)>,
    /// HAR entries (JSON), ordered by time.
    har: Vec<(i64, u64, serde_json::Value)>,
    /// A whole document written once (JSON body); later writes are ignored.
    doc: Option<String>,
    seq10: u64,
    seq6: u64,
}

/// The files of a bundle while they are written: lines keyed by time, ordered on `finish`.
#[derive(Default)]
pub struct Files {
    files: BTreeMap<String, FileBuf>,
    order: u64,
}

impl Files {
    pub(crate) fn line(&mut self, path: &str, t: i64, text: String) {
        self.order += 1;
        let o = self.order;
        self.files.entry(path.to_string()).or_default().lines.push((t, o, text));
    }
    pub(crate) fn seq_base(&mut self, path: &str, seq10: u64, seq6: u64) {
        let f = self.files.entry(path.to_string()).or_default();
        if f.seq10 == 0 {
            f.seq10 = seq10;
        }
        if f.seq6 == 0 {
            f.seq6 = seq6;
        }
    }
    fn har(&mut self, path: &str, t: i64, entry: serde_json::Value) {
        self.order += 1;
        let o = self.order;
        self.files.entry(path.to_string()).or_default().har.push((t, o, entry));
    }
    fn doc(&mut self, path: &str, text: String) {
        let f = self.files.entry(path.to_string()).or_default();
        if f.doc.is_none() {
            f.doc = Some(text);
        }
    }

    /// Total bytes of text written so far (an estimate for HAR files until they are rendered).
    pub fn approx_bytes(&self) -> usize {
        self.files.values().map(|f| f.lines.iter().map(|l| l.2.len() + 1).sum::<usize>() + f.har.len() * 1500 + f.doc.as_ref().map_or(0, String::len)).sum()
    }

    /// Orders every file by time, numbers the sequence placeholders and renders HAR documents.
    pub fn finish(self) -> Vec<(String, String)> {
        let mut out = Vec::with_capacity(self.files.len());
        for (path, mut f) in self.files {
            if let Some(d) = f.doc.take() {
                out.push((path, d));
                continue;
            }
            if !f.har.is_empty() {
                f.har.sort_by_key(|e| (e.0, e.1));
                let entries: Vec<serde_json::Value> = f.har.into_iter().map(|e| e.2).collect();
                out.push((path, render_har(entries)));
                continue;
            }
            f.lines.sort_by_key(|l| (l.0, l.1));
            let mut text = String::with_capacity(f.lines.iter().map(|l| l.2.len() + 12).sum());
            let (mut s10, mut s6) = (f.seq10.max(1), f.seq6.max(1));
            for (_, _, l) in &f.lines {
                if l.contains(SEQ10) || l.contains(SEQ6) {
                    for c in l.chars() {
                        match c {
                            SEQ10 => {
                                text.push_str(&format!("{s10:010}"));
                                s10 += 1 + (s10 % 3 == 0) as u64;
                            }
                            SEQ6 => {
                                text.push_str(&s6.to_string());
                                s6 += 1 + s6 % 4;
                            }
                            c => text.push(c),
                        }
                    }
                } else {
                    text.push_str(l);
                }
                text.push('\n');
            }
            out.push((path, text));
        }
        out
    }
}

fn render_har(entries: Vec<serde_json::Value>) -> String {
    use serde_json::json;
    let first = entries.first().and_then(|e| e.get("startedDateTime")).cloned().unwrap_or_default();
    let doc = json!({
        "log": {
            "version": "1.2",
            "creator": { "name": "WebInspector", "version": "537.36" },
            "pages": [ { "startedDateTime": first, "id": "page_1", "title": "", "pageTimings": { "onContentLoad": -1, "onLoad": -1 } } ],
            "entries": entries,
        }
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The incident

const PEOPLE: &[(&str, &str)] = &[
    ("Grace", "Hopper"),
    ("Ada", "Lovelace"),
    ("Alan", "Turing"),
    ("Katherine", "Johnson"),
    ("Edsger", "Dijkstra"),
    ("Barbara", "Liskov"),
    ("Margaret", "Hamilton"),
    ("John", "Backus"),
    ("Frances", "Allen"),
    ("Dennis", "Ritchie"),
    ("Radia", "Perlman"),
    ("Niklaus", "Wirth"),
    ("Hedy", "Lamarr"),
    ("Claude", "Shannon"),
    ("Sophie", "Wilson"),
    ("Ken", "Thompson"),
];

/// Everything that varies between repetitions of the incident (the demo is repetition 0).
#[derive(Clone)]
pub struct Incident {
    pub n: u32,
    pub day: Day,
    /// Added to every time of the incident (ms).
    pub shift: i64,
    pub agent: u32,
    pub ext: u32,
    pub first: &'static str,
    pub last: &'static str,
    pub login_name: String,
    /// ICM agent skill target ID.
    pub skill_target: u32,
    pub team: u32,
    pub rng: Rng,
    /// Benchmark mode: agents of one day share the client-log and desktop-HAR files instead of
    /// having one each (keeps the file count of a 1 GiB bundle in the thousands).
    pub shared_files: bool,
}

impl Incident {
    pub fn new(n: u32, date: (i32, u32, u32), shift: i64) -> Self {
        let (first, last) = PEOPLE.get(n as usize % PEOPLE.len()).copied().unwrap_or(("Grace", "Hopper"));
        let lower_first = first.chars().next().map(|c| c.to_ascii_lowercase()).unwrap_or('a');
        let login_name = format!(
            "{lower_first}{}{}",
            last.to_ascii_lowercase(),
            if n >= PEOPLE.len() as u32 { (n / PEOPLE.len() as u32).to_string() } else { String::new() }
        );
        Incident {
            n,
            day: Day { date, offset_min: SITE_OFFSET_MIN },
            shift,
            agent: 3107 + n,
            ext: 4107 + n,
            first,
            last,
            login_name,
            skill_target: 7342 + n,
            team: 6100 + n % 7,
            rng: Rng::new(0x5157_C4B0 + n as u64),
            shared_files: false,
        }
    }
}

pub(crate) const FIN_A: &str = "fin1a.harborbank.test";
pub(crate) const FIN_A_IP: &str = "10.20.30.40";
pub(crate) const CCP_IP: &str = "10.20.31.15";
const CCP_HOST: &str = "ccp1.harborbank.test";
const ECE_HOST: &str = "chat.harborbank.test";
pub(crate) const PERIPH: u32 = 5100;
pub(crate) const TASK_MRD: u32 = 5021;
const CHAT_MRD: u32 = 5002;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Writes one incident into `files`, under the folder prefix `root` (empty or ending with `/`).
pub fn write_incident(p: &Incident, root: &str, files: &mut Files) {
    let mut p = p.clone();
    signin(&mut p, root, files);
    bosh_drop(&mut p, root, files);
    task_routing(&mut p, root, files);
    chat_refused(&mut p, root, files);
}

/// The Finesse `<User>` document.
fn user_xml(p: &Incident, state: &str, ext: &str, change: &str, reason: Option<i32>) -> String {
    let a = p.agent;
    let mut s = format!("<User>\n<dialogs>/finesse/api/User/{a}/Dialogs</dialogs>\n<extension>{ext}</extension>\n<firstName>{}</firstName>\n<lastName>{}</lastName>\n<loginId>{a}</loginId>\n<loginName>{}</loginName>\n", p.first, p.last, p.login_name);
    if let Some(r) = reason {
        s.push_str(&format!("<reasonCodeId>{r}</reasonCodeId>\n"));
    }
    s.push_str(&format!("<roles>\n<role>Agent</role>\n</roles>\n<state>{state}</state>\n<stateChangeTime>{change}</stateChangeTime>\n<teamId>{}</teamId>\n<teamName>Harbor_Team_{}</teamName>\n<uri>/finesse/api/User/{a}</uri>\n</User>", p.team, p.team));
    s
}

/// The `<Update>` Finesse publishes for a user change, on several lines.
fn update_xml(p: &Incident, state: &str, ext: &str, change: &str, request_id: &str) -> String {
    let user = user_xml(p, state, ext, change, Some(-1)).replacen("<User>", "<user>", 1).replace("</User>", "</user>");
    format!(
        "<Update>\n<data>\n{user}\n</data>\n<event>PUT</event>\n<requestId>{request_id}</requestId>\n<source>/finesse/api/User/{}</source>\n</Update>",
        p.agent
    )
}

fn one_line(xml: &str) -> String {
    xml.replace('\n', "")
}

// --- 1. sign-in -------------------------------------------------------------------------------

fn signin(p: &mut Incident, root: &str, f: &mut Files) {
    let d = p.day;
    let s = p.shift;
    let a = p.agent;
    let x = p.ext;
    let dir = format!("{root}01-signin/");
    let client = if p.shared_files { format!("{dir}clientlogs/Finesse_agents.txt") } else { format!("{dir}clientlogs/Finesse_{a}.txt") };
    let access = format!("{dir}localhost_access_log.{:04}-{:02}-{:02}.txt", d.date.0, d.date.1, d.date.2);
    let ws = format!("{dir}Desktop-webservices.{:04}-{:02}-{:02}T09-02-00.000.log", d.date.0, d.date.1, d.date.2);
    let cti = format!("{dir}ctisvr.txt");
    let of = format!("{dir}openfire/debug.log");
    f.seq_base(&ws, 1010, 0);
    let n = p.n;
    let pc = format!("10.20.44.{}", 101 + n % 120);
    let t0 = at(9, 2, 8, 0) + s;
    let request_id = p.rng.guid();
    let sid = p.rng.hex(8);
    let mut rid: u64 = 1_402_000_000 + p.rng.below(500_000_000);
    let jid = format!("{a}@{FIN_A}/desktop");

    // The desktop page and its assets.
    let assets: &[(&str, u32, i64)] = &[
        ("/desktop/container/?locale=en_US", 5120, 188),
        ("/desktop/theme/finesse/css/base.css", 3311, 6),
        ("/desktop/theme/finesse/css/login.css", 2204, 2),
        ("/desktop/js/Logon.js", 1893, 1),
        ("/desktop/js/utilities/Cookies.js", 2467, 1),
        ("/desktop/thirdparty/jquery/js/jquery-3.5.1.min.js", 89476, 9),
        ("/desktop/theme/finesse/images/sprite_buttons.png", 3410, 1),
        ("/desktop/theme/finesse/images/harbor_logo.png", 912, 0),
    ];
    for (i, (uri, bytes, ms)) in assets.iter().enumerate() {
        let t = t0 + i as i64 * 37;
        f.line(&access, t, format!("{pc} - - [{}] \"GET {uri} HTTP/1.1\" 200 {bytes} {ms}", d.clf(t)));
    }

    // SystemInfo, then BOSH, then GET User, then PUT LOGIN.
    let mut t = t0 + 2412;
    let ws_line = |f: &mut Files, t: i64, thread: &str, mnemonic: &str, rest: &str| {
        f.line(&ws, t, format!("{SEQ10}: {FIN_A_IP}: {}: %CCBU_{thread}-6-{mnemonic}: {rest}", d.ccbu(t)));
    };
    let sysinfo = |f: &mut Files, t: i64, exec: u32, first: bool| {
        let nocache = d.epoch(t);
        let c = client.clone();
        f.line(&c, t, format!("{}: Container : [ClientServices] SystemInfo: requestId='undefined', Making REST request: method=GET, url='/finesse/api/SystemInfo?nocache={nocache}'", d.client(t)));
        let thread = format!("http-bio-8082-exec-{exec}");
        ws_line(
            f,
            t + 19,
            &thread,
            "REQUEST_START",
            &format!("%[method_name=GET][parameter_name={{ nocache=[{nocache}], }}][resource_name=/SystemInfo][usr=]: Request start"),
        );
        ws_line(f, t + 20, &thread, "API_REQUEST", "%[REQUEST_URL=SystemInfo][agent_id=][request_identifier=][request_method=systemInfo.GET][request_parameters=]: Request from client to webservice api");
        if first {
            ws_line(
                f,
                t + 21,
                &thread,
                "REGISTER_API_STATS_OBJECT",
                "%[resource_name=com.cisco.ccbu:category=WebAppStats,component0=SystemInfo-GET]: Registered new api stats object for new request type.",
            );
        }
        let el = 14 + (nocache % 23);
        ws_line(f, t + 20 + el, &thread, "REQUEST_END", &format!("%[elapsed_time={el}]: Request complete"));
        let acc = format!("{dir}localhost_access_log.{:04}-{:02}-{:02}.txt", d.date.0, d.date.1, d.date.2);
        f.line(
            &acc,
            t + 21 + el,
            format!("{pc} - {a} [{}] \"GET /finesse/api/SystemInfo?nocache={nocache} HTTP/1.1\" 200 {} {}", d.clf(t + 21 + el), 402 + (n % 9), el + 3),
        );
        f.line(&c, t + 30 + el, format!("{}: Container : [ClientServices] SystemInfo: requestId='undefined', Returned with status=200", d.client(t + 30 + el)));
        t + 30 + el
    };
    // The same sign-in as the agent's browser recorded it (a HAR saved from the developer tools).
    let har = if p.shared_files { format!("{dir}agent-desktops.har") } else { format!("{dir}agent-desktop-{a}.har") };
    let rest = format!("https://{FIN_A}:8445/finesse/api");
    let bind = format!("https://{FIN_A}:7443/http-bind/");
    let xml = "application/xml";
    let t_sys = t;
    t = sysinfo(f, t, 7, true);
    f.har(
        &har,
        t_sys,
        har_entry(
            &d,
            t_sys,
            "GET",
            &format!("{rest}/SystemInfo?nocache={}", d.epoch(t_sys)),
            FIN_A_IP,
            None,
            200,
            xml,
            "<SystemInfo><status>IN_SERVICE</status></SystemInfo>",
            t - t_sys - 2,
            None,
            None,
        ),
    );
    let c = |f: &mut Files, t: i64, msg: &str| f.line(&client, t, format!("{}: Container : {msg}", d.client(t)));
    c(f, t + 2, "PageServices.init().onLoad: System info status: IN_SERVICE");
    c(f, t + 3, "PageServices.init(): Establishing BOSH connection...");
    c(f, t + 4, "PageServices.init(): Starting timeout and poller...");
    t += 180;
    c(f, t, "[ClientServices] MasterPublisher._connInfoHandler() - Connection status: connecting");
    // Openfire: the BOSH session is created and the client's presence arrives.
    f.line(
        &of,
        t + 31,
        format!(
            "{} REQUEST /http-bind/ on org.eclipse.jetty.server.HttpConnection@{}@{FIN_A_IP}:7443<->{pc}:{}",
            d.openfire(t + 31),
            p.rng.hex(6),
            50_112 + p.n % 9000
        ),
    );
    f.line(&of, t + 32, format!("{} HTTPBindLog: HTTP RECV(null): <body content=\"text/xml; charset=utf-8\" hold=\"1\" rid=\"{rid}\" to=\"{FIN_A}\" ver=\"1.6\" wait=\"30\" xml:lang=\"en\" xmlns=\"http://jabber.org/protocol/httpbind\" xmlns:xmpp=\"urn:xmpp:xbosh\" xmpp:version=\"1.0\"/>", d.openfire(t + 32)));
    f.line(&of, t + 40, format!("{} HTTPBindLog: HTTP SENT({sid}): <body xmlns=\"http://jabber.org/protocol/httpbind\" xmlns:stream=\"http://etherx.jabber.org/streams\" authid=\"{sid}\" sid=\"{sid}\" secure=\"true\" requests=\"2\" inactivity=\"30\" polling=\"5\" wait=\"30\" hold=\"1\" ack=\"{rid}\" maxpause=\"300\" ver=\"1.6\"/>", d.openfire(t + 40)));
    f.har(
        &har,
        t + 30,
        har_entry(
            &d,
            t + 30,
            "POST",
            &bind,
            FIN_A_IP,
            Some(("text/xml; charset=UTF-8", &format!("<body content='text/xml; charset=utf-8' hold='1' rid='{rid}' to='{FIN_A}' ver='1.6' wait='30' xml:lang='en' xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh' xmpp:version='1.0'/>"))),
            200,
            "text/xml; charset=utf-8",
            &format!("<body xmlns='http://jabber.org/protocol/httpbind' authid='{sid}' sid='{sid}' requests='2' inactivity='30' polling='5' wait='30' hold='1' ack='{rid}' maxpause='300' ver='1.6'/>"),
            11,
            None,
            None,
        ),
    );
    rid += 1;
    t += 611;
    c(f, t, "[ClientServices] MasterPublisher._connInfoHandler() - Connection status: connected");
    f.line(&of, t + 3, format!("{} HTTPBindLog: HTTP RECV({sid}): <body rid=\"{rid}\" sid=\"{sid}\" xmlns=\"http://jabber.org/protocol/httpbind\"><presence xmlns=\"jabber:client\"><priority>1</priority></presence></body>", d.openfire(t + 3)));
    f.har(
        &har,
        t,
        har_entry(
            &d,
            t,
            "POST",
            &bind,
            FIN_A_IP,
            Some(("text/xml; charset=UTF-8", &format!("<body rid='{rid}' sid='{sid}' xmlns='http://jabber.org/protocol/httpbind'><presence xmlns='jabber:client'><priority>1</priority></presence></body>"))),
            200,
            "text/xml; charset=utf-8",
            "<body xmlns='http://jabber.org/protocol/httpbind'/>",
            9,
            None,
            None,
        ),
    );
    rid += 1;
    ws_line(
        f,
        t + 9,
        "Smack Listener Processor (1)",
        "PRESENCE_NOTIFICATION_RECIEVED",
        &format!("%[FROM JID={jid}][PRESENCE_TYPE=available]: Finesse received a presence notification"),
    );
    c(f, t + 12, "PageServices.onLoad(): BOSH established! Commencing sign-in process");
    // The long poll the desktop keeps at the server from here on (it brings the LOGIN's Update).
    let (poll_at, poll_rid) = (t + 14, rid);

    // GET User.
    t += 30;
    let nocache = d.epoch(t);
    c(f, t, &format!("[ClientServices] User: requestId='undefined', Making REST request: method=GET, url='/finesse/api/User/{a}?nocache={nocache}'"));
    ws_line(
        f,
        t + 14,
        "http-bio-8082-exec-3",
        "REQUEST_START",
        &format!("%[method_name=GET][parameter_name={{ nocache=[{nocache}], }}][resource_name=/User/{a}][usr={a}]: Request start"),
    );
    ws_line(f, t + 15, "http-bio-8082-exec-3", "API_REQUEST", &format!("%[REQUEST_URL=User/{a}][agent_id={a}][request_identifer=null][request_method=user.GET][request_parameters={a}]: Request from client to webservice api"));
    ws_line(f, t + 27, "http-bio-8082-exec-3", "REQUEST_END", "%[elapsed_time=12]: Request complete");
    f.line(&access, t + 28, format!("{pc} - {a} [{}] \"GET /finesse/api/User/{a}?nocache={nocache} HTTP/1.1\" 200 611 16", d.clf(t + 28)));
    c(f, t + 41, &format!("[ClientServices] User: requestId='undefined', Returned with status=200, content='{}'", user_xml(p, "LOGOUT", "", "", None)));
    f.har(
        &har,
        t,
        har_entry(&d, t, "GET", &format!("{rest}/User/{a}?nocache={nocache}"), FIN_A_IP, None, 200, xml, &user_xml(p, "LOGOUT", "", "", None), 38, None, None),
    );
    c(f, t + 44, &format!("SignIn.handleUserLoad(): Performing login: extn={x}"));

    // PUT LOGIN.
    t += 62;
    c(f, t, &format!("[ClientServices] User: requestId='{request_id}', Making REST request: method=PUT, url='/finesse/api/User/{a}', data='<User><state>LOGIN</state><extension>{x}</extension></User>'"));
    ws_line(
        f,
        t + 13,
        "http-bio-8082-exec-5",
        "REQUEST_START",
        &format!("%[method_name=PUT][parameter_name={{ }}][resource_name=/User/{a}][usr={a}]: Request start"),
    );
    ws_line(f, t + 14, "http-bio-8082-exec-5", "API_REQUEST", &format!("%[REQUEST_URL=User/{a}][agent_id={a}][request_identifer={request_id}][request_method=user.PUT][request_parameters= extension:{x} state:LOGIN]: Request from client to webservice api"));
    ws_line(
        f,
        t + 15,
        "http-bio-8082-exec-5",
        "REGISTER_API_STATS_OBJECT",
        "%[resource_name=com.cisco.ccbu:category=WebAppStats,component0=User-[id]-PUT]: Registered new api stats object for new request type.",
    );
    ws_line(f, t + 22, "http-bio-8082-exec-5", "REQUEST_END", "%[elapsed_time=9]: Request complete");
    f.line(&access, t + 23, format!("{pc} - {a} [{}] \"PUT /finesse/api/User/{a} HTTP/1.1\" 202 - 11", d.clf(t + 23)));
    c(f, t + 35, &format!("[ClientServices] User: requestId='{request_id}', Returned with status=202"));
    let mut put = har_entry(
        &d,
        t,
        "PUT",
        &format!("{rest}/User/{a}"),
        FIN_A_IP,
        Some((xml, &format!("<User><state>LOGIN</state><extension>{x}</extension></User>"))),
        202,
        xml,
        "",
        33,
        None,
        None,
    );
    if let Some(h) = put.pointer_mut("/request/headers").and_then(serde_json::Value::as_array_mut) {
        h.push(serde_json::json!({"name": "requestid", "value": request_id}));
    }
    f.har(&har, t, put);
    let invoke = 118 + p.n * 3;
    ws_line(f, t + 24, "pool-5-thread-4", "MESSAGE_TO_CTI_SERVER", &format!("%[cti_message=Invoke id :{invoke} , agentstate : 0, workmode : 0, reason code: -1, forceflag :1, agentcapacity: 0, agentext: {x}, agentid: {a}][cti_message_name=SetAgentStateReq]: Message going to the backend cti server"));
    let ct = t + 26;
    let ctl = |f: &mut Files, t: i64, msg: String| f.line(&cti, t, format!("{} cg1A-ctisvr {msg}", d.icm(t)));
    ctl(f, ct, format!("Session 5: MsgType:SET_AGENT_STATE_REQ (InvokeID:0x{invoke:x} AgentState:LOGIN AgentWorkMode:0 NumSkillGroups:0 EventReasonCode:65535 ForcedFlag:1 AgentServiceReq:0 AgentInstrument:\"{x}\" AgentID:\"{a}\" PeripheralID:{PERIPH} )"));
    ctl(f, ct + 2, format!("Trace: AGENT_EVENT: ID={a} Periph={PERIPH} Ext={x} Inst={x} Sig=Finesse UniqueInstID= SGSt=LOGIN SGDur=0 St=NOT_READY Dur=0 Reason=0 MRDID=1 NumTasks=0 MaxTaskLimit=1 MaxBeyondTaskLimit=0 AgtMode=1 AGTAvailStatus=0 ICMAgtID={st} STID={st} SGID=0x{sg:x} SGSTID=5230 NumLines=0 CurLine=0 ClientStatus=0x1 Dir=0 TerminalName=HRB-WS-{pcn:03}", st = p.skill_target, sg = 0x00c4_1a20 + p.n, pcn = 101 + p.n % 120));
    ctl(f, ct + 3, format!("Session 5: MsgType:SET_AGENT_STATE_CONF (InvokeID:0x{invoke:x} )"));
    ctl(f, ct + 3, format!("Session 5: MsgType:AGENT_STATE_EVENT (MonitorID:0 PeripheralID:{PERIPH} SessionID:0x0 PeripheralType:EnterpriseAgent SkillGroupState:LOGIN StateDuration:0 SkillGroupNumber:61107 SkillGroupID:5230 SkillGroupPriority:0 AgentState:NOT_READY EventReasonCode:0 MRDID:1 NumTasks:0 AgentMode:1 MaxTaskLimit:1 ICMAgentID:{} AgentAvailabilityStatus:0 NumFltSkillGroups:0 Direction:0 ClientSignature:\"Finesse\" AgentID:\"{a}\" AgentExtension:\"{x}\" AgentInstrument:\"{x}\" )", p.skill_target));
    let change = d.iso_s(ct + 3);
    ws_line(f, ct + 9, "CTIMessageEventExecutor-0", "DECODED_MESSAGE_FROM_CTI_SERVER", &format!("%[cti_message=CTIAgentStateEvent [skillGroupState=0 (LOGIN), stateDuration=0, skillGroupNumber=61107, skillGroupPriority=0, agentState=2 (NOT_READY), eventReasonCode=0, numFltSkillGroups=0,CTIClientSignature=Finesse, agentID={a}, agentExtension={x}, agentInstrument={x}, agentID_Long=null, duration=null, nextAgentState=null, fltSkillGroupNumberList=[], fltSkillGroupIDList=[], fltSkillGroupPriorityList=[], fltSkillGroupStateList=[], MRDId=1, agentMode=1]][cti_message_name=CTIAgentStateEvent]: Message received from the backend cti server"));
    let update = update_xml(p, "NOT_READY", &x.to_string(), &change, &request_id);
    ws_line(
        f,
        ct + 14,
        "pool-5-thread-5",
        "XMPP_PUBLISH_ASYNCHRONOUS",
        &format!("%[NodeId=/finesse/api/User/{a}][Payload={}]: Publishing XMPP message asynchronously", one_line(&update)),
    );
    let item = p.rng.alnum(15);
    f.line(&of, ct + 17, format!("{} HTTPBindLog: HTTP SENT({sid}): <body xmlns=\"http://jabber.org/protocol/httpbind\"><message from=\"pubsub.{FIN_A}\" to=\"{jid}\" id=\"/finesse/api/User/{a}__{a}@{FIN_A}__{}\"><event xmlns=\"http://jabber.org/protocol/pubsub#event\"><items node=\"/finesse/api/User/{a}\"><item id=\"{item}\"><notification xmlns=\"http://jabber.org/protocol/pubsub\">{}</notification></item></items></event></message></body>", d.openfire(ct + 17), p.rng.alnum(5), xml_escape(&one_line(&update))));
    c(f, ct + 58, &format!("[ClientServices] MasterPublisher._eventHandler() - Received event on node '/finesse/api/User/{a}': {update}"));
    f.har(
        &har,
        poll_at,
        har_entry(
            &d,
            poll_at,
            "POST",
            &bind,
            FIN_A_IP,
            Some(("text/xml; charset=UTF-8", &format!("<body rid='{poll_rid}' sid='{sid}' xmlns='http://jabber.org/protocol/httpbind'/>"))),
            200,
            "text/xml; charset=utf-8",
            &format!("<body xmlns='http://jabber.org/protocol/httpbind'><message from='pubsub.{FIN_A}' to='{jid}'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='/finesse/api/User/{a}'><item><notification xmlns='http://jabber.org/protocol/pubsub'>{}</notification></item></items></event></message></body>", xml_escape(&one_line(&update))),
            ct + 20 - poll_at,
            None,
            None,
        ),
    );
    c(f, ct + 61, "SignIn._triggerLoggedIn(): Successfully logged in!");
    f.line(
        &client,
        ct + 70,
        format!("{}: Container : [ClientServices] ClientLogger: Desktop build 12.6.1.10000-7 on {FIN_A}, browser Chrome 122.0.6261.112", d.client(ct + 70)),
    );

    // The rest of the morning: a SystemInfo poll every minute until the network goes.
    let mut tp = t0 + 62_000;
    let mut exec = 1;
    while tp < at(10, 13, 30, 0) + s {
        sysinfo(f, tp, exec, false);
        exec = exec % 40 + 1;
        tp += 60_000 + (p.rng.below(40) as i64);
    }
    let _ = rid;
}

// --- 2. BOSH drop and presence-driven logout --------------------------------------------------

fn bosh_drop(p: &mut Incident, root: &str, f: &mut Files) {
    let d = p.day;
    let s = p.shift;
    let a = p.agent;
    let x = p.ext;
    let dir = format!("{root}02-bosh-drop/");
    let dbg = format!("{dir}openfire/debug.log");
    let info = format!("{dir}openfire/info.log");
    let ws = format!("{dir}Desktop-webservices.{:04}-{:02}-{:02}T10-12-00.000.log", d.date.0, d.date.1, d.date.2);
    let cti = format!("{dir}ctisvr.txt");
    let har = if p.shared_files { format!("{dir}agent-desktops.har") } else { format!("{dir}agent-desktop-{a}.har") };
    f.seq_base(&ws, 3381, 0);
    let sid = p.rng.hex(8);
    let jid = format!("{a}@{FIN_A}/desktop");
    let pc = format!("10.20.44.{}", 101 + p.n % 120);
    let mut rid: u64 = 2_718_000_000 + p.rng.below(400_000_000);
    let ws_line = |f: &mut Files, t: i64, thread: &str, mnemonic: &str, rest: &str, dbl: bool| {
        let sep = if dbl { "::" } else { ":" };
        f.line(&ws, t, format!("{SEQ10}: {FIN_A_IP}{sep} {}: %CCBU_{thread}-6-{mnemonic}: {rest}", d.ccbu(t)));
    };

    // Healthy long polls until 10:14:04, each answered empty after 30 s (the keep-alive).
    let last_ok = at(10, 14, 4, 0) + s;
    let mut t = at(10, 12, 4, 0) + s;
    let mut k = 0;
    while t <= last_ok {
        f.line(
            &dbg,
            t,
            format!("{} REQUEST /http-bind/ on org.eclipse.jetty.server.HttpConnection@{}@{FIN_A_IP}:7443<->{pc}:{}", d.openfire(t), p.rng.hex(6), 51_200 + k),
        );
        f.line(
            &dbg,
            t + 1,
            format!("{} HTTPBindLog: HTTP RECV({sid}): <body rid=\"{rid}\" sid=\"{sid}\" xmlns=\"http://jabber.org/protocol/httpbind\"/>", d.openfire(t + 1)),
        );
        f.line(&dbg, t + 2, format!("{} Session (id={sid}) was last active 0 ms ago: {jid}", d.openfire(t + 2)));
        if t + 30_000 <= last_ok {
            f.line(
                &dbg,
                t + 30_001,
                format!("{} HTTPBindLog: HTTP SENT({sid}): <body xmlns=\"http://jabber.org/protocol/httpbind\"/>", d.openfire(t + 30_001)),
            );
        }
        // The same exchange seen from the agent's browser.
        if t + 60_000 > last_ok {
            let answered = t + 30_000 <= last_ok;
            let body_req = format!("<body rid='{rid}' sid='{sid}' xmlns='http://jabber.org/protocol/httpbind'/>");
            f.har(
                &har,
                t,
                har_entry(
                    &d,
                    t - 4,
                    "POST",
                    &format!("https://{FIN_A}:7443/http-bind/"),
                    FIN_A_IP,
                    Some(("text/xml; charset=UTF-8", &body_req)),
                    if answered { 200 } else { 0 },
                    if answered { "text/xml; charset=utf-8" } else { "x-unknown" },
                    if answered { "<body xmlns='http://jabber.org/protocol/httpbind'/>" } else { "" },
                    if answered { 30_003 } else { 41_877 },
                    if answered { None } else { Some("net::ERR_NETWORK_CHANGED") },
                    None,
                ),
            );
        }
        rid += 1;
        k += 1;
        t += 30_000;
    }
    // One update delivered in the last healthy minute (a SystemInfo refresh by the gadget).
    let tu = at(10, 13, 21, 337) + s;
    let item = p.rng.guid();
    let body = format!("<body xmlns='http://jabber.org/protocol/httpbind'><message from='pubsub.{FIN_A}' to='{jid}' id='/finesse/api/SystemInfo__{a}@{FIN_A}__{}'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='/finesse/api/SystemInfo'><item id='{item}'><notification xmlns='http://jabber.org/protocol/pubsub'>&lt;Update&gt;&lt;data&gt;&lt;SystemInfo&gt;&lt;status&gt;IN_SERVICE&lt;/status&gt;&lt;/SystemInfo&gt;&lt;/data&gt;&lt;event&gt;PUT&lt;/event&gt;&lt;requestId&gt;&lt;/requestId&gt;&lt;source&gt;/finesse/api/SystemInfo&lt;/source&gt;&lt;/Update&gt;</notification></item></items></event></message></body>", p.rng.alnum(5));
    let req = format!("<body rid='{}' sid='{sid}' xmlns='http://jabber.org/protocol/httpbind'/>", rid.saturating_sub(3));
    f.har(
        &har,
        tu - 17_000,
        har_entry(
            &d,
            tu - 17_000,
            "POST",
            &format!("https://{FIN_A}:7443/http-bind/"),
            FIN_A_IP,
            Some(("text/xml; charset=UTF-8", &req)),
            200,
            "text/xml; charset=utf-8",
            &body,
            17_004,
            None,
            None,
        ),
    );

    // The browser is gone: the 30-second checks see the session age.
    let mut age = 30_012;
    let mut tc = last_ok + 30_000;
    while tc <= last_ok + 60_000 {
        f.line(&dbg, tc, format!("{} Session (id={sid}) was last active {age} ms ago: {jid}", d.openfire(tc)));
        age += 30_001;
        tc += 30_000;
    }
    let close = last_ok + 60_000;
    f.line(&info, close, format!("{} Closing idle session (id={sid}): {jid} after being inactive for more than threshold value of 60", d.openfire(close)));
    f.line(&info, close + 1, format!("{} A session is being closed for {jid}", d.openfire(close + 1)));

    // Finesse: presence unavailable, expiry hash, and the logout a minute later.
    let tp = close + 612;
    ws_line(
        f,
        tp,
        "Smack Listener Processor (1)",
        "PRESENCE_NOTIFICATION_RECIEVED",
        &format!("%[FROM JID={jid}][PRESENCE_TYPE=unavailable]:Finesse received a presence notification"),
        false,
    );
    ws_line(
        f,
        tp + 1,
        "Smack Listener Processor (1)",
        "UNSUBSCRIBE_REQUEST_SUCCESS",
        &format!("%[NodeId=/finesse/api/User/{a}/ClientLog][user_id={a}@{FIN_A}]: Successfully unsubscribed from a node on the XMPP server"),
        false,
    );
    ws_line(f, tp + 1, "Smack Listener Processor (1)", "AGENT_PRESENCE_MONITOR", &format!("%[message_string=Adding agent {a} into the expiry hash.]:"), false);
    ws_line(f, tp + 30_744, "pool-8-thread-1", "AGENT_PRESENCE_MONITOR", &format!("%[message_string=[Expired] Removed agent from cache {a}]:"), false);
    let tl = tp + 60_002;
    let invoke = 247 + p.n * 5;
    ws_line(
        f,
        tl,
        "CoreImpl-worker12",
        "PRESENCE DRIVEN LOGOUT",
        &format!("%[agent_id={a}]: Performing CTI Logout on basis of the agents unavailable presence"),
        true,
    );
    ws_line(f, tl + 1, "CoreImpl-worker12", "MESSAGE_TO_CTI_SERVER", &format!("%[cti_message=Invoke id :{invoke} , agentstate : 1, workmode : 0, reason code: 255, forceflag :1, agentcapacity: 1, agenttext: {x}, agentid: {a}, supervisorid: null, ssoFlag=false][cti_message_name=SetAgentStateReq]: Message going to the backend cti server"), true);
    let ct = tl + 4;
    let ctl = |f: &mut Files, t: i64, msg: String| f.line(&cti, t, format!("{} cg1A-ctisvr {msg}", d.icm(t)));
    ctl(f, ct, format!("Session 5: MsgType:SET_AGENT_STATE_REQ (InvokeID:0x{invoke:x} AgentState:LOGOUT AgentWorkMode:0 NumSkillGroups:0 EventReasonCode:255 ForcedFlag:1 AgentServiceReq:0 AgentInstrument:\"{x}\" AgentID:\"{a}\" PeripheralID:{PERIPH} )"));
    ctl(f, ct + 3, format!("Trace: AGENT_EVENT: ID={a} Periph={PERIPH} Ext={x} Inst={x} Sig=Finesse UniqueInstID= SGSt=LOGOUT SGDur=0 St=LOGOUT Dur=4431 Reason=255 MRDID=1 NumTasks=0 MaxTaskLimit=1 MaxBeyondTaskLimit=0 AgtMode=1 AGTAvailStatus=0 ICMAgtID={st} STID={st} SGID=0x0 SGSTID=-1 NumLines=0 CurLine=0 ClientStatus=0x1 Dir=0 TerminalName=HRB-WS-{pcn:03}", st = p.skill_target, pcn = 101 + p.n % 120));
    ctl(f, ct + 4, format!("Session 5: MsgType:SET_AGENT_STATE_CONF (InvokeID:0x{invoke:x} )"));
    ctl(f, ct + 5, format!("Session 5: MsgType:AGENT_STATE_EVENT (MonitorID:0 PeripheralID:{PERIPH} SessionID:0x0 PeripheralType:EnterpriseAgent SkillGroupState:LOGOUT StateDuration:0 SkillGroupNumber:-1 SkillGroupID:-1 SkillGroupPriority:0 AgentState:LOGOUT EventReasonCode:255 MRDID:1 NumTasks:0 AgentMode:0 MaxTaskLimit:1 ICMAgentID:{} AgentAvailabilityStatus:0 NumFltSkillGroups:0 Direction:0 ClientSignature:\"Finesse\" AgentID:\"{a}\" AgentExtension:\"{x}\" )", p.skill_target));
    ws_line(f, ct + 11, "CTI_MESSAGE_EVENT_EXECUTOR-0", "DECODED_MESSAGE_FROM_CTI_SERVER", &format!("%[cti_message=CTI AgentStateEvent [skillGroupState=1 (LOGOUT), stateDuration=0, skillGroupNumber=-1, skillGroupPriority=0, agentState=1 (LOGOUT), eventReasonCode=255, numFltSkillGroups=0, CTIClientSignature=null, agentID={a}, agentExtension={x}, agentInstrument=null, agentID_Long={a}, duration=null, nextAgentState=null, fltSkillGroupNumberList=[], fltSkillGroupIDList=[], fltSkillGroupPriorityList=[], fltSkillGroupStateList=[], MRDId=1, agentMode=0]CTI Message][cti_message_name=AgentStateEvent]: Message received from the backend cti server"), true);
    let mut upd = update_xml(p, "LOGOUT", &x.to_string(), &d.iso_s(ct + 5), "");
    upd = upd.replace(
        "<reasonCodeId>-1</reasonCodeId>",
        "<reasonCode><category>LOGOUT</category><code>255</code><label>Presence logout</label><id>255</id></reasonCode><reasonCodeId>255</reasonCodeId>",
    );
    ws_line(
        f,
        ct + 15,
        "pool-5-thread-2",
        "XMPP_PUBLISH_ASYNCHRONOUS",
        &format!("%[NodeId=/finesse/api/User/{a}][Payload={}]: Publishing XMPP message asynchronously", one_line(&upd)),
        true,
    );
    let item = p.rng.guid();
    f.line(&dbg, ct + 19, format!("{} Unable to route packet. No session is available so store offline. <message from=\"pubsub.{FIN_A}\" to=\"{a}@{FIN_A}\" id=\"/finesse/api/User/{a}__{a}@{FIN_A}__{}\"><event xmlns=\"http://jabber.org/protocol/pubsub#event\"><items node=\"/finesse/api/User/{a}\"><item id=\"{item}\"><notification xmlns=\"http://jabber.org/protocol/pubsub\">{}</notification></item></items></event></message>", d.openfire(ct + 19), p.rng.alnum(5), xml_escape(&one_line(&upd))));
}

#[allow(clippy::too_many_arguments)]
fn har_entry(
    d: &Day,
    t: i64,
    method: &str,
    url: &str,
    ip: &str,
    post: Option<(&str, &str)>,
    status: i64,
    mime: &str,
    body: &str,
    total_ms: i64,
    error: Option<&str>,
    ws: Option<serde_json::Value>,
) -> serde_json::Value {
    use serde_json::json;
    let host = url.split("//").nth(1).and_then(|r| r.split('/').next()).unwrap_or("");
    let path = url.split("//").nth(1).and_then(|r| r.find('/').and_then(|i| r.get(i..))).unwrap_or("/");
    let mut req_headers = vec![
        json!({"name": ":authority", "value": host}),
        json!({"name": ":method", "value": method}),
        json!({"name": ":path", "value": path}),
        json!({"name": ":scheme", "value": "https"}),
        json!({"name": "accept", "value": "*/*"}),
        json!({"name": "accept-language", "value": "en-US,en;q=0.9"}),
        json!({"name": "user-agent", "value": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"}),
    ];
    let query: Vec<serde_json::Value> = url
        .split_once('?')
        .map(|(_, q)| q.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| json!({"name": k, "value": v})).collect())
        .unwrap_or_default();
    let mut request = json!({
        "method": method, "url": url, "httpVersion": "http/2.0", "headers": [], "queryString": query, "cookies": [],
        "headersSize": -1, "bodySize": post.map_or(0, |p| p.1.len()),
    });
    if let Some((pm, text)) = post {
        req_headers.push(json!({"name": "content-type", "value": pm}));
        request["postData"] = json!({"mimeType": pm, "text": text});
    }
    request["headers"] = serde_json::Value::Array(req_headers);
    let wait = (total_ms - 3).max(0);
    let resp_headers = if status == 0 {
        json!([])
    } else {
        json!([
            {"name": "cache-control", "value": "no-cache, no-store"},
            {"name": "content-type", "value": mime},
            {"name": "date", "value": ""},
            {"name": "server", "value": ""},
        ])
    };
    let mut e = json!({
        "_initiator": {"type": "script"},
        "_priority": "High",
        "_resourceType": if url.contains("/http-bind") || url.contains("/api/") || url.contains("/egain/") { "xhr" } else { "document" },
        "cache": {},
        "connection": "443",
        "pageref": "page_1",
        "request": request,
        "response": {
            "status": status, "statusText": if status == 200 { "OK" } else { "" }, "httpVersion": if status == 0 { "" } else { "http/2.0" },
            "headers": resp_headers, "cookies": [],
            "content": {"size": body.len(), "mimeType": mime, "text": body},
            "redirectURL": "", "headersSize": -1, "bodySize": if status == 0 { -1 } else { body.len() as i64 },
            "_transferSize": if status == 0 { 0 } else { body.len() as i64 + 180 }, "_error": error,
        },
        "serverIPAddress": ip,
        "startedDateTime": d.iso(t),
        "time": total_ms as f64 + 0.417,
        "timings": {"blocked": 1.104, "dns": -1, "ssl": -1, "connect": -1, "send": 0.211, "wait": wait as f64 + 0.682, "receive": 1.42, "_blocked_queueing": 0.77},
    });
    if let Some(w) = ws {
        e["_webSocketMessages"] = w;
    }
    e
}

// --- 3. CCE task routing of a CCP task --------------------------------------------------------

fn task_routing(p: &mut Incident, root: &str, f: &mut Files) {
    let d = p.day;
    let s = p.shift;
    let a = p.agent;
    let st = p.skill_target;
    let dir = format!("{root}03-task-routing/");
    let runtime = format!("{dir}runtime.log");
    let ccpapi = format!("{dir}ccpapi.log");
    let pim = format!("{dir}pim1.txt");
    let rtr = format!("{dir}rtr.txt");
    let cti = format!("{dir}ctisvr.txt");
    let ws = format!("{dir}Desktop-webservices.{:04}-{:02}-{:02}T10-58-00.000.log", d.date.0, d.date.1, d.date.2);
    f.seq_base(&runtime, 212, 0);
    f.seq_base(&ccpapi, 1730, 0);
    f.seq_base(&ws, 0, 118_402);
    let sc = p.rng.hex(32).to_ascii_uppercase();
    let ani = p.rng.guid();
    let ccai = p.rng.guid();
    let req_pub = p.rng.alnum(6);
    let req_rt = p.rng.alnum(6);
    // The router's call key day counts days from 1601-01-01, so it names the incident's own day.
    let day_key = time::days_from_civil(d.date.0, d.date.1, d.date.2) - time::days_from_civil(1601, 1, 1);
    let call_id = 40_218_877 + p.n * 3;
    let task_u = format!("{day_key}_{call_id}_1");
    let task_c = format!("{day_key}:{call_id}:1");
    let task_s = format!("{day_key}/{call_id}/1");
    let (sg, pq, dlg, pre) = (5244u32, 5061u32, 7 + p.n % 90, 911 + p.n);
    let (inv_offer, inv_start, inv_end) = (40_210 + p.n * 7, 40_417 + p.n * 7, 40_655 + p.n * 7);
    let pcn = 101 + p.n % 120;
    let ccp = |f: &mut Files, path: &str, t: i64, fac: &str, mn: &str, rest: &str| {
        f.line(path, t, format!("{SEQ10}: {CCP_IP}: {}: %CCBU_{fac}-6-{mn}: {rest}", d.ccbu(t)));
    };
    let v12 = |f: &mut Files, t: i64, call: &str, agent: &str, thread: &str, class: &str, name: &str, msg: &str| {
        f.line(&ws, t, format!("{SEQ6}: [INFO]: [call-id {call}] [agent-id {agent}]: [{}]: [{thread}]: [{class}]: [{name}] {msg}", d.ccbu(t)));
    };
    let ctl = |f: &mut Files, t: i64, msg: String| f.line(&cti, t, format!("{} cg1A-ctisvr {msg}", d.icm(t)));
    let agent_event = |state: &str, tasks: u32, avail: u32, dir_: u32| {
        format!("Trace: AGENT_EVENT: ID={a} Periph={PERIPH} Ext={a} Inst={a} Sig=Finesse UniqueInstID= SGSt={state} SGDur=0 St={state} Dur=0 Reason=0 MRDID={TASK_MRD} NumTasks={tasks} MaxTaskLimit=3 MaxBeyondTaskLimit=0 AgtMode=1 AGTAvailStatus={avail} ICMAgtID={st} STID={st} SGID=0x{:x} SGSTID={sg} NumLines=0 CurLine=0 ClientStatus=0x1 Dir={dir_} TerminalName=HRB-WS-{pcn:03}", 0x00c5_0e10 + p.n)
    };

    // The agent signs back in (side B) and is made ready for tasks.
    let tin = at(10, 58, 41, 208) + s;
    ctl(f, tin, agent_event("LOGIN", 0, 0, 0).replace("SGSt=LOGIN SGDur=0 St=LOGIN", "SGSt=LOGIN SGDur=0 St=NOT_READY"));
    let tready = at(11, 1, 3, 517) + s;
    v12(f, tready - 21, "", "", "COMMAND_POOL-1-worker-4", "c.c.c.f.a.a.c.CCECTIWriter", "MESSAGE_TO_CTI_SERVER", &format!("Message going to the backend cti server cti_message_name: SetAgentStateRequest, invokeId={}, mrdId={TASK_MRD}, agentState=3 (AVAILABLE), agentId={a}", inv_offer - 3));
    ctl(f, tready, agent_event("NOT_ACTIVE", 0, 1, 0));
    v12(f, tready + 6, "", &format!("[{a}]"), "EVENT_POOL-1-worker-2", "c.c.c.f.a.a.m.RunnableHandler", "MESSAGE_FROM_CTI_SERVER", &format!("Message coming to Finesse from backend cti server Name of the CTI Message: AgentStateEvent, Entire cti message payload: CTIAgentStateEvent [ invokeID=null, msgID=30, msgName=AgentStateEvent, peripheralId={PERIPH}, mrdId={TASK_MRD}, agentState=14 (NOT_ACTIVE), eventReasonCode=0, icmAgentID={st}, agentID={a}, numTasks=0, maxTaskLimit=3]"));

    // CCP receives the task.
    let t0 = at(11, 5, 21, 180) + s;
    ccp(f, &ccpapi, t0, "__CCPPUBLICAPPS", "REQUEST_INITIATED", "%[Description=Card replacement request][FeedId=100342][HttpMethod=POST][Name=r.alvarez@example.net][Title=Card replacement request]: Request initiated");
    ccp(f, &ccpapi, t0 + 2, "_________CCPAPI", "CREATE_SOCIAL_CONTACT", &format!("Submitting SocialContact Create Request with requestId:{req_pub}"));
    ccp(f, &runtime, t0 + 9, "__________FEEDS", "MSG_INCOMING_FROM_BUS", &format!("%[correlation_id={}][mid=ID:{CCP_HOST}-41822-{}-4:2:2:1:{}][msg_kind=ActiveMQMapMessage][msg_type=PUSH.PushSocialContactRequest]: A message has been received by the message bus", 3 + p.n, d.epoch(at(6, 11, 2, 904)), 9 + p.n));
    ccp(f, &runtime, t0 + 12, "__________FEEDS", "CREATE_SOCIAL_CONTACT", &format!("Got Request to Create Social Contact with RequestId:{req_rt}"));
    ccp(
        f,
        &runtime,
        t0 + 38,
        "__________FEEDS",
        "SOCIAL_CONTACT_CREATED",
        &format!("%[SOCIAL_CONTACT_ID={sc}][SOCIAL_CONTACT_LINK=https://{CCP_HOST}/ccp/socialcontact/{sc}]: A new social contact was created"),
    );
    ccp(
        f,
        &runtime,
        t0 + 39,
        "__________FEEDS",
        "SOCIAL_CONTACT_PROCESSOR",
        &format!("SocialContactProcessor processSocialContact Exit with requestId:{req_rt}"),
    );
    ccp(
        f,
        &runtime,
        t0 + 95,
        "_____CCP-DS-API",
        "CCP_DS_API_MESSAGE",
        &format!("Read from Cassandra before update Solr index returned for scId={sc} ;status= unread"),
    );
    ccp(
        f,
        &runtime,
        t0 + 109,
        "_______CAMPAIGN",
        "RECEIVED_FILTER_SOCIAL_CONTACT_RESPONSE",
        &format!("%[FILTER_ID=90117][FILTER_RESPONSE=100][SOCIAL_CONTACT_ID={sc}]: A social contact filter response was received."),
    );
    ccp(
        f,
        &runtime,
        t0 + 110,
        "_______CAMPAIGN",
        "SC_FILTER_CACHE_UPDATE",
        &format!("%[CAMPAIGN_ID=100343][FILTER_ID=90117][SOCIAL_CONTACT_ID={sc}]: Updated task with the particular filter result in cache"),
    );
    ccp(f, &runtime, t0 + 115, "_______CAMPAIGN", "UPDATING_SOCIAL_CONTACT_CAMPAIGN_STATUS", &format!("%[CAMPAIGN_ID=100343][CAMPAIGN_NAME=Harbor Card Tasks][CAMPAIGN_STATUS=IN][SOCIAL_CONTACT_ID={sc}][SOCIAL_CONTACT_LINK=https://{CCP_HOST}/ccp/socialcontact/{sc}]: Updating the social contact's status in the campaign"));
    let tn = t0 + 214;
    ccp(
        f,
        &runtime,
        tn,
        "___NOTIFICATION",
        "NOTIFICATION_REQUEST",
        &format!("%[CampaignID=[100343]][SocialContactID={sc}][Tags=[harbor_card, mr_task]]: A Notification Request received"),
    );

    // MR PIM: NEW_TASK → router → CONNECT → DO_THIS_WITH_TASK.
    let tp = tn + 4;
    let pl = |f: &mut Files, t: i64, head: &str, body: String| f.line(&pim, t, format!("{} PG3A-pim1 Trace: {head}\n{body}", d.icm(t)));
    pl(f, tp, "Application->PG:", format!("Message = NEW_TASK; Length = 207 bytes\nDialogueID = ({dlg}) Hex {dlg:08x}\nSendSeqNo = (1) Hex 00000001\nMRDomainID = Undefined\nPreviousTask = -1:-1:-1\nPreferredAgent = Undefined\nService = (0) Hex 00000000\nCiscoReserved = (0) Hex 00000000\nScriptSelector: HarborCardTask\nApplicationString1: {ani}\nApplicationString2: {sc}\nServiceRequested = (0) Hex 00000000"));
    pl(f, tp, "Send INRCMSGNewCall to Router : :", format!("NEW_CALL RCID=5104 PID=5101 DID={dlg} DIDRelSeq#=1 GrpDelKey=5104 CRS(RtrDate=-1,RtrCID=-1) RCKSeq#=-1 NICCallID={{N/A}} PGCallID={{N/A}} OperationCode=CLASSIC OperationFlags=COOP_NONE CalledParty#=HarborCardTask CallingParty#={ani} CED={sc} MsgOrigin=1 RouteDevType=6 Originator=ccp1 NICCalledParty#= NetDelay=0 Priority=0 OrigType=0 atVRU=T CLIDRestrict=F PrefAGSTID=-1 MRDomainID=-1 LegacyPreCallMsgEnabled=F CID=0, ServiceReq=0 QueueType=-1 QueueID=0"));
    let tr = tp + 9;
    let rl = |f: &mut Files, t: i64, msg: String| f.line(&rtr, t, format!("{} rb-rtr Trace: {msg}", d.icm(t)));
    let ctx = format!("({dlg} x 0 : 0 0)");
    rl(f, tr, format!("{ctx} NewCall: CID=({day_key},{call_id}), DN=HarborCardTask, ANI={ani}, CED={sc}, RCID=5104, MRDID={TASK_MRD}, CallAtVRU=1, OpCode=0, CallGUID=, CCAIConfigParam=, OpType=0"));
    rl(f, tr, format!("{ctx} CID=({day_key},{call_id}):HarborCardTask:Step 1 sending call to Agent {st}"));
    rl(f, tr, format!("{ctx} DeviceTargetPreCall_V14: CID=({day_key},{call_id}), PerID={PERIPH}, PQID={pq}, StepOrder=1, AGSTID={st} NetworkCallFlags=0, InvokeID={pre}, GREET=, NumEnabledServices=2, EnabledServiceTypes=[ 1 2 ], CCAIConfigParam={ccai}"));
    rl(f, tr, format!("DN=HarborCardTask, ANI={ani}, CED={sc}, CustDBProvidedDigits=, RouteID=0, NetworkTargetID=0"));
    rl(f, tr, "RCKSeqNum=0, DelayQTime=0, DelayRouterTime=0, SGDelayQTime=0".into());
    rl(f, tr, "CallGUID=, CustomrID=1 ServiceRequested=0".into());
    rl(f, tr, format!("{ctx} Connect: CID=({day_key},{call_id}), EventSelect=0x0, ServiceType=0, RCID=5104, ECCPayloadID=1 Label(s)= InvokeID={pre}"));
    rl(f, tr, format!("{ctx} Deleting Dialog."));
    rl(f, tr + 1_041, format!("Agent {st} from PG domain {TASK_MRD}. [na-0:3[0],RA*] to [res-0+1:3[0],R]"));
    // ctisvr: the agent is reserved by the pre-call.
    let tc = tp + 2;
    ctl(f, tc, agent_event("RESERVED", 1, 1, 0));
    ctl(f, tc, format!("Trace: DEVICE_TARGET_PRE_CALL_IND - Instrument={a} RouterCallKey={day_key} {call_id} 1 NetworkTargetID=0 SvSkTargID=-1(-1) SkGroupSkTarID={sg}(12417730) AgSkTargID={st} ANI={ani} CED={sc} CallTypeID=5088 PreCallInvokeID={pre} ProtocolReferenceGUID= NumEnabledServices=2 EnabledServiceTypes=[ 1 2 ] CCAIConfigParam={ccai}"));
    pl(f, tr + 1, "MR_Peripheral::On_Router_Connect:", format!("CONNECT RCID=5104 PID=5101 DID={dlg} DIDRelSeq#=0 CRS(RtrDate={day_key},RtrCID={call_id}) RCKSeq#=0 ErrorCode=0 TRTargetID=-1 CorrID= EventSel=0 SvcType=0 NICCallID={{N/A}} PGCallID={{N/A}} OperationCode=CLASSIC OperationFlags=COOP_NONE NetworkTransferEnabled=F ECCPayloadID=1 InvokeID={pre} NICCalledParty#=HarborCardTask SGSTID={sg} PQID={pq} SvcSTID=-1 AGSTID={st} AGInfo={st}, MRDID={TASK_MRD} Interruptible=1"));
    pl(f, tr + 1, "PG->Application:", format!("Message = DO_THIS_WITH_TASK; Length = 139 bytes\nDialogueID = ({dlg}) Hex {dlg:08x}\nSendSeqNo = (1) Hex 00000001\nIcmTaskID = {day_key}:{call_id}: 1\nSkillGroup = ({sg}) Hex {sg:08x}\nService = Undefined\nAgent = ({st}) Hex {st:08x}\nAgentInfo: {st}\nLabel:\nApplicationString2:\nMRDID = ({TASK_MRD}) Hex {TASK_MRD:08x}\nInterruptible = (1) Hex 00000001"));
    ccp(f, &runtime, tr + 12, "_____CCP-DS-API", "CCP_DS_API_MESSAGE", &format!("Write to Cassandra for scId={sc} ;status= queued"));
    ccp(f, &runtime, tr + 57, "_____CCP-DS-API", "CCP_DS_API_MESSAGE", &format!("Write to Cassandra for scId={sc} ;status= reserved"));

    // Offer, start and end as seen by Finesse (12.x log) and ctisvr.
    let phases: [(&str, &str, &str, u32, i64, &str); 3] = [
        ("OFFER_TASK_IND", "OfferTaskIndication", "OfferTaskEvent", inv_offer, at(11, 5, 30, 96) + s, "OFFERED"),
        ("START_TASK_IND", "StartTaskIndication", "StartTaskEvent", inv_start, at(11, 6, 12, 733) + s, "ACTIVE"),
        ("END_TASK_IND", "EndTaskIndication", "EndTaskEvent", inv_end, at(11, 9, 47, 418) + s, "CLOSED"),
    ];
    for (ind, fin_ind, fin_ev, inv, t, dstate) in phases {
        let word = ind.trim_end_matches("_IND");
        let ind_msg = if ind == "END_TASK_IND" {
            format!("Message going to the backend cti server cti_message_name: {fin_ind}, Invoke id :{inv} , mrdId: {TASK_MRD}, icmAgentId : {st}, taskId : {task_u}, icmDispositionCode: 27, appDispositionCode : 27")
        } else {
            format!("Message going to the backend cti server cti_message_name: {fin_ind}, invokeId={inv}, mrdId={TASK_MRD}, icmAgentId={st}, taskId={task_u}, armSkillGroupId={sg}, armServiceId=-1")
        };
        v12(f, t, "", "", "COMMAND_POOL-1-worker-9", "c.c.c.f.a.a.c.CCECTIWriter", "MESSAGE_TO_CTI_SERVER", &ind_msg);
        let tc = t + 27;
        if ind == "END_TASK_IND" {
            ctl(f, tc, format!("Session 3: MsgType:{ind} (InvokeID:0x{inv:x} MRDID:{TASK_MRD} ICMAgentID:{st}\n{} cg1A-ctisvr Session 3: TaskID:{task_s}ICMDisposition:27 ApplicationDisposition:27 WrapupData:\"\" )", d.icm(tc)));
        } else {
            ctl(f, tc, format!("Session 3: MsgType:{ind} (InvokeID:0x{inv:x} MRDID:{TASK_MRD} ICMAgentID:{st}\n{} cg1A-ctisvr Session 3: TaskID:{task_s}ARMSkillGroupID:{sg} ARMServiceID:N/A )", d.icm(tc)));
        }
        let proc_name: String = word
            .split('_')
            .map(|w| {
                let mut c = w.chars();
                c.next().map(|h| h.to_string() + &c.as_str().to_ascii_lowercase()).unwrap_or_default()
            })
            .collect();
        ctl(f, tc, format!("Trace: Process{proc_name}Ind - sessionID 3"));
        if ind == "END_TASK_IND" {
            ctl(f, tc, format!("Trace: SendARMMsg: ARM_{ind}-- InvokeID = {inv}, ClientInvokeID = {inv}, TaskID = {task_s}, ICMDisposition = 27, ApplicationDisposition = 27, SessionID = 3\nWrapupData = , ApplicationData ="));
        } else {
            ctl(f, tc, format!("Trace: SendARMMsg: ARM_{ind}-- InvokeID = {inv}, ClientInvokeID = {inv}, MRDID = {TASK_MRD}, ICMAgentID = {st}, TaskID = {task_s}\nSkillGroupID = {sg}, ServiceID = -1, SessionID = 3"));
        }
        match ind {
            "START_TASK_IND" => ctl(f, tc, agent_event("ACTIVE", 1, 1, 1)),
            "END_TASK_IND" => ctl(f, tc, agent_event("NOT_ACTIVE", 0, 1, 0)),
            _ => {}
        }
        let ev = format!("{word}_EVENT");
        ctl(f, tc, format!("Trace: {ev}: PeripherlID={PERIPH} PeripherlType=4 MRDomainID={TASK_MRD}"));
        if ind == "END_TASK_IND" {
            ctl(f, tc, format!("Trace: TaskID={task_c} PreviousTaskID=-1:-1:-1"));
            ctl(f, tc, format!("Trace: ICMAgentID={st}"));
        } else {
            ctl(f, tc, format!("Trace: TaskID={task_c} ICMAgentID={st} SkillGroupID={sg}"));
            ctl(f, tc, "Trace: ServiceID=2718411 ApplicationRouted".into());
        }
        let msg_id = match ind {
            "OFFER_TASK_IND" => 194,
            "START_TASK_IND" => 195,
            _ => 199,
        };
        let payload = if ind == "END_TASK_IND" {
            format!("CTI{fin_ev} [ invokeID=null, cti_sequence_id={}, msgID={msg_id}, msgName={fin_ev}, deploymentType=CCE, monitorId=0, peripheralId={PERIPH}, mrdId={TASK_MRD}, agentSkillTargetID={st}, previousICMTaskId=-1_-1_-1, taskId={task_u}, icmDispositionCode=27, applicationDispositionCode=27, wrapUpData=null, applicationData=null]", 51_200 + inv)
        } else {
            format!("CTI{fin_ev} [ invokeID=null, cti_sequence_id={}, msgID={msg_id}, msgName={fin_ev}, deploymentType=CCE, monitorId=0, peripheralId={PERIPH}, peripheralType=4, mrdId={TASK_MRD}, icmAgentID={st}, taskId={task_u}, skillGroupID={sg}, serviceID=-1, applicationRouted=true]", 51_200 + inv)
        };
        let te = tc + 3;
        v12(
            f,
            te,
            "",
            "",
            "EVENT_POOL-1-worker-17",
            "c.c.c.f.a.a.m.RunnableHandler",
            "MESSAGE_FROM_CTI_SERVER",
            &format!("Message coming to Finesse from backend cti server Name of the CTI Message: {fin_ev}, Entire cti message payload: {payload}"),
        );
        let dialog = format!("<notification xmlns='http://jabber/protocol/pubsub'><Update><data><dialog><taskId><routerCallKeyDay>{day_key}</routerCallKeyDay><routerCallKeyCallID>{call_id}</routerCallKeyCallID><routerCallKeySequenceNum>1</routerCallKeySequenceNum></taskId><id>{task_u}</id><mediaProperties><mediaId>{TASK_MRD}</mediaId><dialedNumber>HarborCardTask</dialedNumber><callvariables><callvariable><name>callVariable1</name><value>Card replacement request</value></callvariable></callvariables></mediaProperties><state>{dstate}</state><uri>/finesse/api/Media/{TASK_MRD}/Dialog/{task_u}</uri></dialog></data><event>PUT</event><requestId></requestId><source>/finesse/api/Media/{TASK_MRD}/Dialog/{task_u}</source></Update></notification>");
        v12(
            f,
            te + 1,
            &format!("[{task_u}]"),
            &format!("[{a}]"),
            "EVENT_POOL-1-worker-17",
            "c.c.c.f.c.XMPPPublishUtils",
            "XMPP_PUBLISH_ASYNCHRONOUS",
            &format!("Publishing XMPP Message Asynchronously. node_id: /finesse/api/User/{a}/Dialogs/Media, payload: {dialog}"),
        );
        v12(f, te + 1, &format!("[{task_u}]"), &format!("[{a}]"), "EVENT_POOL-1-worker-17", "c.c.c.f.c.c.d.CommandDispatcher", "[COMMAND_DISPATCHER]", &format!("DnE-CHECKPOINT-5 - SEQS: [{task_u}], dispatch_stats: CTI_CMD_QUEUE_TIME: 0, CTI_CMD_DISPATCH_TIME: 0, CTI_CMD_EXECUTION_TIME: 1, CTI_CMD_TOTAL_EXECUTION_TIME: 1, message_overall_stats: CTI_MSG_RCV_TIME:{},CTI_MSG_TOTAL_PROCESSING_TIME:1,CTI_MSG_DECODE_TIME:0,CTI_MSG_DISPATCH_TIME:0", d.ccbu_plain(te)));
        if ind == "END_TASK_IND" {
            v12(
                f,
                te + 1,
                "",
                "",
                "SM-TASK-NOTIFIER-POOL-1",
                "c.c.c.f.c.u.s.EndTaskSmRestJob",
                "SM_REST_OPERATION_MSG",
                &format!("agent_id: {a}, task_id: {task_u}, sm_contact_id: {sc}. EndTaskSmRestJob : About to make a REST call to SM for EndTask."),
            );
            ccp(f, &ccpapi, te + 70, "_________CCPAPI", "REST_API_INFO", &format!("CONTACT_CLOSE: Received Close Request for SocialContact with ID: {sc}"));
            ccp(f, &ccpapi, te + 79, "_________CCPAPI", "REST_API_INFO", &format!("CONTACT_CLOSE: SocialContact ID: {sc} is valid for Close Operation"));
            ccp(f, &runtime, te + 84, "_____CCP-DS-API", "CCP_DS_API_MESSAGE", &format!("Write to Cassandra for scId={sc} ;status= handled"));
            ccp(f, &ccpapi, te + 103, "_________CCPAPI", "REST_API_INFO", &format!("CONTACT_CLOSE: Status for SocialContact: {sc} is updated to HANDLED"));
            v12(
                f,
                te + 109,
                "",
                "",
                "SM-TASK-NOTIFIER-POOL-1",
                "c.c.c.f.c.s.SMRestClientImpl",
                "SOCIALMINER_HTTP_RESPONSE",
                "Received HTTP Response from SOCIAL-MINER. Status: 200",
            );
            v12(
                f,
                te + 110,
                "",
                "",
                "SM-TASK-NOTIFIER-POOL-1",
                "c.c.c.f.c.u.s.EndTaskSmRestJob",
                "SM_REST_OPERATION_MSG",
                &format!(
                    "agent_id: {a}, task_id: {task_u}, sm_contact_id: {sc}. EndTaskSmRestJob : Done making call to SM for EndTask with Response Status- 200."
                ),
            );
        }
    }
    rl(f, at(11, 6, 12, 771) + s, format!("Agent {st} from PG domain {TASK_MRD}. [res-0+1:3[0],R] to [act-1:3[0],R]"));
    rl(f, at(11, 9, 47, 452) + s, format!("Agent {st} from PG domain {TASK_MRD}. [act-1:3[0],R] to [na-0:3[0],RA*]"));
}

// --- 4. ECE chat refused -----------------------------------------------------------------------

/// Big-endian ARM message encoder (protocols.md A.1/A.2/A.5): header, fixed part, 1-byte-form
/// floating fields. What the ECE listener prints as signed decimal bytes.
pub mod arm {
    /// A fixed-part value.
    pub enum Fixed {
        U32(u32),
        I32(i32),
        U16(u16),
    }

    /// Encodes a whole message: MessageLength (body bytes), MessageType, the fixed part, then each
    /// floating field as tag (1 byte), length (1 byte), data; strings carry their NUL.
    pub fn encode(msg_type: u32, fixed: &[Fixed], floating: &[(u8, &str)]) -> Vec<u8> {
        let mut body = Vec::new();
        for f in fixed {
            match f {
                Fixed::U32(v) => body.extend_from_slice(&v.to_be_bytes()),
                Fixed::I32(v) => body.extend_from_slice(&v.to_be_bytes()),
                Fixed::U16(v) => body.extend_from_slice(&v.to_be_bytes()),
            }
        }
        for (tag, s) in floating {
            let data = s.as_bytes();
            let len = (data.len() + 1).min(255);
            body.push(*tag);
            body.push(len as u8);
            body.extend_from_slice(data.get(..len - 1).unwrap_or(data));
            body.push(0);
        }
        let mut out = Vec::with_capacity(body.len() + 8);
        out.extend_from_slice(&(body.len() as u32).to_be_bytes());
        out.extend_from_slice(&msg_type.to_be_bytes());
        out.extend_from_slice(&body);
        out
    }

    /// The listener's dump: each byte as a signed decimal (Java `byte`), separated by spaces.
    pub fn signed_dump(bytes: &[u8]) -> String {
        bytes.iter().map(|&b| (b as i8).to_string()).collect::<Vec<_>>().join(" ")
    }
}

fn chat_refused(p: &mut Incident, root: &str, f: &mut Files) {
    use arm::Fixed::{I32, U16, U32};
    let d = p.day;
    let s = p.shift;
    let a = p.agent;
    let st = p.skill_target;
    let dir = format!("{root}04-chat-refused/");
    let lis = format!("{dir}listener.log");
    let cti = format!("{dir}ctisvr.txt");
    let rtt = format!("{dir}rttest.txt");
    let ws = format!("{dir}Desktop-webservices.{:04}-{:02}-{:02}T11-20-00.000.log", d.date.0, d.date.1, d.date.2);
    let har = format!("{dir}customer-chat.har");
    let json_path = format!("{dir}entrypoint-initialize-1001.json");
    f.seq_base(&ws, 0, 131_877);
    let ece_user = 1042 + p.n;
    let http_session = p.rng.alnum(24);
    let pid = 6112;
    let ll = |f: &mut Files, t: i64, thread: &str, uid: u32, sess: &str, class: &str, msg: &str| {
        f.line(
            &lis,
            t,
            format!("{} <@> INFO <@> [{thread}] <@> ProcessId:{pid} <@> PID:1 <@> UID:{uid} <@> HttpSessionId:{sess} <@> {class} <@> <@> {msg} <@>", d.gmt(t)),
        );
    };
    let exec = |n: u32| format!("{}:listener-event-pool-priority-arm-request-executor::-{n}", 9_311 + n);
    let ctl = |f: &mut Files, t: i64, msg: String| f.line(&cti, t, format!("{} cg1A-ctisvr Trace: {msg}", d.icm(t)));
    let dump = |b: &[u8]| arm::signed_dump(b);

    // Media login to the chat MRD.
    let inv_login: u32 = 0x0003_1400 + p.n * 16;
    let t = at(11, 20, 2, 114) + s;
    let b = arm::encode(151, &[U32(inv_login), I32(CHAT_MRD as i32), I32(st as i32), U16(0), U16(0), U32(2)], &[(107, &ece_user.to_string())]);
    ll(f, t, &exec(12), ece_user, &http_session, "com.ipcc.listener.arm.ARMLogger", &format!("Sending MEDIA_LOGIN_REQ -> {}", dump(&b)));
    let srv_inv = 700_000_000 + p.n * 1_013 + 4_211;
    ctl(f, t + 61, "ProcessMediaLoginReq - sessionID 7".into());
    ctl(f, t + 61, format!("SendARMMsg -- InvokeID = {srv_inv}, MRDID = {CHAT_MRD}, ICMAgentID = {st}, AgentMode = 0\nIsAvailable = 0, MaxTaskLimit = 2, AgentInfo = {ece_user}, ApplicationPathID = 5104, PeripheralID = 0, AgentID ="));
    ctl(f, t + 172, format!("ProcessARMMediaLoginRespMsg -- InvokeID = {srv_inv}, Status = 0, AgentSkillTargetID = {st}"));
    let b = arm::encode(152, &[U32(inv_login), U32(0)], &[]);
    ll(f, t + 187, "88:Thread-11", 12, "", "com.ipcc.listener.arm.ARMLogger", &format!("Received MEDIA_LOGIN_RESP -> {}", dump(&b)));
    ctl(f, t + 173, format!("AGENT_EVENT: ID={a} Periph={PERIPH} Ext={a} Inst={a} Sig=ECE UniqueInstID= SGSt=NOT_READY SGDur=0 St=NOT_READY Dur=0 Reason=0 MRDID={CHAT_MRD} NumTasks=0 MaxTaskLimit=2 MaxBeyondTaskLimit=0 AgtMode=0 AGTAvailStatus=0 ICMAgtID={st} STID={st} SGID=0x{:x} SGSTID=6311 NumLines=0 CurLine=0 ClientStatus=0x1 Dir=0 TerminalName=", 0x00c6_3301 + p.n));

    // Available: routable + ready.
    let t = at(11, 21, 10, 402) + s;
    let inv_r = 91_300 + p.n * 4;
    ll(
        f,
        t,
        &exec(203),
        12,
        "",
        "com.ipcc.listener.AgentAvailabilityStatusHandler",
        "AgentAvailabilityStatusHandler:agentIsAvailable() MAKE_AGENT_ROUTABLE_IND to ARM",
    );
    let b = arm::encode(154, &[U32(inv_r), I32(CHAT_MRD as i32), I32(st as i32), U32(2)], &[]);
    ll(f, t, &exec(203), 12, "", "com.ipcc.listener.arm.ARMLogger", &format!("Sending MAKE_AGENT_ROUTABLE_IND -> {}", dump(&b)));
    let b = arm::encode(157, &[U32(inv_r + 1), I32(CHAT_MRD as i32), I32(st as i32), U16(1)], &[]);
    ll(f, t + 1, &exec(203), 12, "", "com.ipcc.listener.arm.ARMLogger", &format!("Sending MAKE_AGENT_READY_IND -> {}", dump(&b)));
    ctl(f, t + 66, "ProcessMakeAgentRoutableInd - sessionID 7".into());
    ctl(f, t + 66, format!("SendARMMsg -- InvokeID = {inv_r}, MRDID = {CHAT_MRD}, ICMAgentID = {st}, MaxTasks = 2, SessionID = 7"));
    ctl(f, t + 67, "ProcessMakeAgentReadyInd - sessionID 7".into());
    ctl(f, t + 67, format!("SendARMMsg -- InvokeID = {}, MRDID = {CHAT_MRD}, ICMAgentID = {st}, MakeRoutable = 1, SessionID = 7", inv_r + 1));
    ctl(f, t + 69, format!("AGENT_EVENT: ID={a} Periph={PERIPH} Ext={a} Inst={a} Sig=ECE UniqueInstID= SGSt=NOT_ACTIVE SGDur=0 St=NOT_ACTIVE Dur=0 Reason=0 MRDID={CHAT_MRD} NumTasks=0 MaxTaskLimit=2 MaxBeyondTaskLimit=0 AgtMode=0 AGTAvailStatus=1 ICMAgtID={st} STID={st} SGID=0x{:x} SGSTID=6311 NumLines=0 CurLine=0 ClientStatus=0x1 Dir=0 TerminalName=", 0x00c6_3301 + p.n));
    let v12 = |f: &mut Files, t: i64, thread: &str, class: &str, name: &str, msg: &str| {
        f.line(&ws, t, format!("{SEQ6}: [INFO]: [call-id ] [agent-id [{a}]]: [{}]: [{thread}]: [{class}]: [{name}] {msg}", d.ccbu(t)));
    };
    let media_update = |state: &str| {
        format!("<notification xmlns='http://jabber/protocol/pubsub'><Update><data><media><mediaId>{CHAT_MRD}</mediaId><name>ECE_Chat</name><state>{state}</state><maxDialogLimit>2</maxDialogLimit><interruptAction>ACCEPT</interruptAction><dialogLogoutAction>CLOSE</dialogLogoutAction><uri>/finesse/api/User/{a}/Media/{CHAT_MRD}</uri></media></data><event>PUT</event><requestId></requestId><source>/finesse/api/User/{a}/Media/{CHAT_MRD}</source></Update></notification>")
    };
    v12(f, t + 74, "EVENT_POOL-1-worker-6", "c.c.c.f.a.a.m.RunnableHandler", "MESSAGE_FROM_CTI_SERVER", &format!("Message coming to Finesse from backend cti server Name of the CTI Message: AgentStateEvent, Entire cti message payload: CTIAgentStateEvent [ invokeID=null, msgID=30, msgName=AgentStateEvent, peripheralId={PERIPH}, mrdId={CHAT_MRD}, agentState=14 (NOT_ACTIVE), eventReasonCode=0, icmAgentID={st}, agentID={a}, numTasks=0, maxTaskLimit=2]"));
    v12(
        f,
        t + 75,
        "EVENT_POOL-1-worker-6",
        "c.c.c.f.c.XMPPPublishUtils",
        "XMPP_PUBLISH_ASYNCHRONOUS",
        &format!("Publishing XMPP Message Asynchronously. node_id: /finesse/api/User/{a}/Media, payload: {}", media_update("READY")),
    );

    // Not ready: the agent steps away in ECE.
    let t = at(11, 36, 44, 77) + s;
    let inv_nr = inv_r + 2;
    ll(
        f,
        t,
        &exec(388),
        ece_user,
        &http_session,
        "com.ipcc.listener.AgentAvailabilityStatusHandler",
        &format!("AgentAvailabilityStatusHandler:agentIsNotAvailable() MAKE_AGENT_NOT_READY_REQ to ARM for user {ece_user} reason code 0"),
    );
    let b = arm::encode(158, &[U32(inv_nr), I32(CHAT_MRD as i32), I32(st as i32), U32(0)], &[]);
    ll(f, t + 1, &exec(388), ece_user, &http_session, "com.ipcc.listener.arm.ARMLogger", &format!("Sending MAKE_AGENT_NOT_READY_REQ -> {}", dump(&b)));
    ctl(f, t + 58, "ProcessMakeAgentNotReadyReq - sessionID 7".into());
    ctl(f, t + 58, format!("SendARMMsg -- InvokeID = {inv_nr}, MRDID = {CHAT_MRD}, ICMAgentID = {st}, ReasonCode = 0, SessionID = 7"));
    ctl(f, t + 63, format!("AGENT_EVENT: ID={a} Periph={PERIPH} Ext={a} Inst={a} Sig=ECE UniqueInstID= SGSt=NOT_READY SGDur=0 St=NOT_READY Dur=0 Reason=0 MRDID={CHAT_MRD} NumTasks=0 MaxTaskLimit=2 MaxBeyondTaskLimit=0 AgtMode=0 AGTAvailStatus=0 ICMAgtID={st} STID={st} SGID=0x{:x} SGSTID=6311 NumLines=0 CurLine=0 ClientStatus=0x1 Dir=0 TerminalName=", 0x00c6_3301 + p.n));
    ctl(f, t + 64, format!("ProcessARMMakeAgentNotReadyRespMsg -- InvokeID = {inv_nr}, Status = 0"));
    let b = arm::encode(159, &[U32(inv_nr), U32(0)], &[]);
    ll(f, t + 76, "88:Thread-11", 12, "", "com.ipcc.listener.arm.ARMLogger", &format!("Received MAKE_AGENT_NOT_READY_RESP -> {}", dump(&b)));
    v12(f, t + 70, "EVENT_POOL-1-worker-3", "c.c.c.f.a.a.m.RunnableHandler", "MESSAGE_FROM_CTI_SERVER", &format!("Message coming to Finesse from backend cti server Name of the CTI Message: AgentStateEvent, Entire cti message payload: CTIAgentStateEvent [ invokeID=null, msgID=30, msgName=AgentStateEvent, peripheralId={PERIPH}, mrdId={CHAT_MRD}, agentState=2 (NOT_READY), eventReasonCode=0, icmAgentID={st}, agentID={a}, numTasks=0, maxTaskLimit=2]"));
    v12(
        f,
        t + 71,
        "EVENT_POOL-1-worker-3",
        "c.c.c.f.c.XMPPPublishUtils",
        "XMPP_PUBLISH_ASYNCHRONOUS",
        &format!("Publishing XMPP Message Asynchronously. node_id: /finesse/api/User/{a}/Media, payload: {}", media_update("NOT_READY")),
    );

    // 11:40: the customer opens the chat; no agent in the MRD is available.
    let tc = at(11, 40, 2, 311) + s;
    let base = format!("https://{ECE_HOST}/system");
    let page = format!("{base}/templates/chat/harbor/index.html?subActivity=Chat&entryPointId=1001&templateName=harbor&languageCode=en&countryCode=US&ver=v11");
    let html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Chat with Harbor Bank</title></head><body><div id=\"chat-root\"></div><script src=\"js/harbor-chat.js\"></script></body></html>";
    f.har(&har, tc, har_entry(&d, tc, "GET", &page, "198.51.100.23", None, 200, "text/html", html, 142, None, None));
    let tj = tc + 611;
    f.har(
        &har,
        tj,
        har_entry(
            &d,
            tj,
            "GET",
            &format!("{base}/templates/chat/harbor/js/harbor-chat.js"),
            "198.51.100.23",
            None,
            200,
            "application/javascript",
            "window.harborChat={entryPoint:1001,version:'11.6.2'};",
            33,
            None,
            None,
        ),
    );
    let ti = tc + 1_288;
    let body = eligibility_json(1);
    f.har(
        &har,
        ti,
        har_entry(
            &d,
            ti,
            "GET",
            &format!("{base}/egain/chat/entrypoint/initialize/1001"),
            "198.51.100.23",
            None,
            200,
            "application/json",
            &body,
            87,
            None,
            None,
        ),
    );
    f.doc(&json_path, body);
    let lt = ti + 40;
    ll(
        f,
        lt,
        &format!("{}:http-nio-9001-exec-4", 411 + p.n % 50),
        0,
        &p.rng.alnum(24),
        "com.egain.chat.entrypoint.EntryPointService",
        &format!("checkEligibility entryPoint=1001 mrd={CHAT_MRD} agentsReadyInMRD=0 queueDepth=0; chat not offered"),
    );
    let off = "<div class=\"offline\">All of our agents are busy. Please leave a message or try again later.</div>";
    f.har(
        &har,
        ti + 130,
        har_entry(
            &d,
            ti + 130,
            "GET",
            &format!("{base}/templates/chat/harbor/offline.html?entryPointId=1001"),
            "198.51.100.23",
            None,
            200,
            "text/html",
            off,
            29,
            None,
            None,
        ),
    );

    // The engineer's rttest afterwards.
    let tr = at(11, 40, 16, 0) + s;
    let secs = (tr - t) / 1000;
    let nm = format!("HRB.{}{}", p.first, p.last);
    for line in [
        format!("rttest: agent_status /agent {st}"),
        format!("Agent {nm} ({st}, periph# {})", 26_107 + p.n),
        "domain: Cisco_Voice (1), state = [lo-0:1,R], 1452 secs".to_string(),
        "L lo CUCM_PIM1.Cisco_Voice.default.61107 (5230, periph# 61107)".to_string(),
        format!("domain: Harbor_Task ({TASK_MRD}), state = [na-0:3,RA], 1753 secs"),
        "CL na HRB_Card_Tasks (5244, periph# 70211)".to_string(),
        format!("domain: ECE_Chat ({CHAT_MRD}), state = [nr-0:2,R], {secs} secs"),
        "CL nr HRB_Chat (6311, periph# 70304)".to_string(),
        "L nr CUCM.ECE_Chat.default.11204 (6302, periph# 54913)".to_string(),
    ] {
        f.line(&rtt, tr, line);
    }
}

/// The ECE entry-point response (`responseType` 0 available, 1 no agent, 2 queue full).
fn eligibility_json(response_type: u8) -> String {
    let v = serde_json::json!({
        "checkEligibility": { "responseType": response_type },
        "maskingPatterns": { "maskingPattern": [] },
        "isVideoChatLicensed": false,
        "isVideoChatEnabled": false,
        "videoChatMaxEscalation": 3,
        "isDirectAudioChatEnabled": false,
        "isChatAttachmentEnabled": true,
        "maxChatAttachmentSize": 5,
        "isBlackListType": false,
        "isOffRecordEnabled": false,
        "htmlTagMatcherIncr": 1,
        "isOneTagOff": true,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}
