//! HAR documents written by the tests (the project's own captures, never copied ones): entries
//! as Chrome, Firefox, Fiddler and mitmproxy write them, WebSocket frames as Chrome records them.
#![allow(dead_code)]

use serde_json::{json, Value};

/// Epoch ms of 2026-03-12T10:00:00Z, the day the test captures are "taken".
pub const T0: i64 = 1_773_309_600_000;

/// `ms` as a UTC ISO time (`…Z`, Chrome) or with a zone offset in minutes (Firefox, Fiddler).
pub fn iso(ms: i64, offset_min: i32) -> String {
    let local = ms + offset_min as i64 * 60_000;
    let days = local.div_euclid(86_400_000);
    let in_day = local.rem_euclid(86_400_000);
    // Civil date from days since 1970 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (h, mi, s, milli) = (in_day / 3_600_000, in_day / 60_000 % 60, in_day / 1000 % 60, in_day % 1000);
    let zone = if offset_min == 0 {
        "Z".to_string()
    } else {
        format!("{}{:02}:{:02}", if offset_min < 0 { '-' } else { '+' }, offset_min.abs() / 60, offset_min.abs() % 60)
    };
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}{zone}")
}

/// One HAR entry. `offset_min` writes `startedDateTime` with that zone (0: `Z`).
pub struct Entry {
    pub at: i64,
    pub offset_min: i32,
    pub method: String,
    pub url: String,
    pub req_headers: Vec<(String, String)>,
    pub req_body: Option<String>,
    pub status: i64,
    pub mime: String,
    pub body: String,
    pub base64: bool,
    pub ms: f64,
    pub error: Option<String>,
    pub frames: Vec<Value>,
}

pub fn entry(at: i64, method: &str, url: &str, status: i64, body: &str, ms: f64) -> Entry {
    Entry {
        at,
        offset_min: 0,
        method: method.into(),
        url: url.into(),
        req_headers: Vec::new(),
        req_body: None,
        status,
        mime: if body.trim_start().starts_with('{') { "application/json".into() } else { "text/xml".into() },
        body: body.into(),
        base64: false,
        ms,
        error: None,
        frames: Vec::new(),
    }
}

impl Entry {
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.req_headers.push((name.into(), value.into()));
        self
    }
    pub fn post(mut self, body: &str) -> Self {
        self.req_body = Some(body.into());
        self
    }
    pub fn zone(mut self, offset_min: i32) -> Self {
        self.offset_min = offset_min;
        self
    }
    pub fn base64(mut self) -> Self {
        self.base64 = true;
        self
    }
    pub fn failed(mut self, error: &str) -> Self {
        self.status = 0;
        self.error = Some(error.into());
        self
    }
    /// A WebSocket frame (`send`/`receive`) at epoch ms `at`, written in float seconds as Chrome does.
    pub fn frame(mut self, dir: &str, at: i64, data: &str) -> Self {
        self.frames.push(json!({"type": dir, "time": at as f64 / 1000.0, "opcode": 1, "data": data}));
        self
    }

    pub fn to_json(&self) -> Value {
        use base64::Engine;
        let query: Vec<Value> = self
            .url
            .split_once('?')
            .map(|(_, q)| q.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| json!({"name": k, "value": v})).collect())
            .unwrap_or_default();
        let headers: Vec<Value> = self.req_headers.iter().map(|(k, v)| json!({"name": k, "value": v})).collect();
        let mut request = json!({"method": self.method, "url": self.url, "httpVersion": "HTTP/1.1", "headers": headers, "queryString": query,
            "cookies": [], "headersSize": -1, "bodySize": self.req_body.as_ref().map_or(0, String::len)});
        if let Some(b) = &self.req_body {
            request["postData"] = json!({"mimeType": "text/xml", "text": b});
        }
        let mut content = json!({"size": self.body.len(), "mimeType": self.mime});
        if !self.body.is_empty() {
            if self.base64 {
                content["text"] = json!(base64::engine::general_purpose::STANDARD.encode(self.body.as_bytes()));
                content["encoding"] = json!("base64");
            } else {
                content["text"] = json!(self.body);
            }
        }
        let mut e = json!({
            "startedDateTime": iso(self.at, self.offset_min),
            "time": self.ms,
            "request": request,
            "response": {"status": self.status, "statusText": if self.status == 0 { "" } else { "OK" }, "httpVersion": "HTTP/1.1", "headers": [],
                "cookies": [], "content": content, "redirectURL": "", "headersSize": -1, "bodySize": -1, "_error": self.error},
            "cache": {},
            "timings": {"blocked": -1, "dns": -1, "connect": -1, "send": 0, "wait": self.ms, "receive": 0},
            "_initiator": {"type": "script"},
            "_resourceType": if self.url.starts_with("ws") { "websocket" } else { "xhr" },
        });
        if !self.frames.is_empty() {
            e["_webSocketMessages"] = Value::Array(self.frames.clone());
        }
        e
    }
}

/// A HAR document; `creator` names the tool (Chrome's "WebInspector", "Firefox", "Fiddler", "mitmproxy").
pub fn document(creator: &str, entries: &[Entry]) -> String {
    let v = json!({"log": {"version": "1.2", "creator": {"name": creator, "version": "1"}, "pages": [],
        "entries": entries.iter().map(Entry::to_json).collect::<Vec<_>>()}});
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// A Finesse `<Update>` as the Notification service publishes it (escaped inside `<notification>`),
/// in an XMPP `<message>` to `jid`.
pub fn update_message(jid: &str, node: &str, data: &str, event: &str, request_id: &str) -> String {
    let update = format!("<Update><data>{data}</data><event>{event}</event><requestId>{request_id}</requestId><source>{node}</source></Update>");
    let escaped = update.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!(
        "<message from='pubsub.fin.example.test' to='{jid}' id='{node}__{jid}__x'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='{node}'><item id='i1'>\
         <notification xmlns='http://jabber.org/protocol/pubsub'>{escaped}</notification></item></items></event></message>"
    )
}

pub fn user_data(state: &str) -> String {
    format!("<user><loginId>1001</loginId><state>{state}</state><extension>1001</extension></user>")
}

pub fn dialog_data(id: &str, state: &str, me: &str, actions: &[&str]) -> String {
    let acts: String = actions.iter().map(|a| format!("<action>{a}</action>")).collect();
    format!(
        "<dialogs><Dialog><id>{id}</id><mediaType>Voice</mediaType><state>{state}</state><participants><Participant><mediaAddress>1001</mediaAddress>\
         <state>{me}</state><actions>{acts}</actions></Participant></participants></Dialog></dialogs>"
    )
}
