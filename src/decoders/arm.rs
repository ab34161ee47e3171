//! ARM / CTI binary messages printed as signed decimal bytes by the ECE listener
//! (`Sending MEDIA_LOGIN_REQ -> 0 0 0 27 0 0 0 -105 …`). protocols.md A.1–A.6.
//!
//! Fields: `Direction` (Sending|Received), `MessageLength`, `MessageTypeID` (number), `MessageType`
//! (name), `ByteCount`, the fixed fields of known layouts (`InvokeID`, `InvokeIDHex`, `MRDID`,
//! `ICMAgentID`, `AgentMode`, `IsAvailable`, `MaxTaskLimit`, `Status`, `StatusName`, `MaxTasks`,
//! `MakeRoutable`), floating fields by tag name (`AgentInfo`, `ApplicationPathID`, … or `Tag<n>`),
//! `FloatingFieldForm` (`1-byte` | `2-byte`) and `UndecodedHex` for bytes of unknown layout.
//! The record's name becomes the MessageType name decoded from the bytes.

use super::common;
use crate::model::Record;
use regex::Regex;
use std::sync::LazyLock;

/// MessageType number → name (protocols.md A.2; > 215 per the PV24 table).
pub fn message_type_name(n: u32) -> Option<&'static str> {
    Some(match n {
        3 => "OPEN_REQ",
        4 => "OPEN_CONF",
        105 => "AGENT_PRE_CALL_EVENT",
        106 => "AGENT_PRE_CALL_ABORT_EVENT",
        151 => "MEDIA_LOGIN_REQ",
        152 => "MEDIA_LOGIN_RESP",
        153 => "MEDIA_LOGOUT_IND",
        154 => "MAKE_AGENT_ROUTABLE_IND",
        155 => "MAKE_AGENT_NOT_ROUTABLE_REQ",
        156 => "MAKE_AGENT_NOT_ROUTABLE_RESP",
        157 => "MAKE_AGENT_READY_IND",
        158 => "MAKE_AGENT_NOT_READY_REQ",
        159 => "MAKE_AGENT_NOT_READY_RESP",
        160 => "OFFER_TASK_IND",
        161 => "OFFER_APPLICATION_TASK_REQ",
        162 => "OFFER_APPLICATION_TASK_RESP",
        163 => "START_TASK_IND",
        164 => "START_APPLICATION_TASK_REQ",
        165 => "START_APPLICATION_TASK_RESP",
        166 => "PAUSE_TASK_IND",
        167 => "RESUME_TASK_IND",
        168 => "WRAPUP_TASK_IND",
        169 => "END_TASK_IND",
        170 => "AGENT_MADE_NOT_ROUTABLE_EVENT",
        171 => "AGENT_INTERRUPT_ADVISORY_EVENT",
        172 => "AGENT_INTERRUPT_ACCEPTED_IND",
        173 => "AGENT_INTERRUPT_UNACCEPTED_IND",
        174 => "AGENT_INTERRUPT_DONE_ADVISORY_EVENT",
        175 => "AGENT_INTERRUPT_DONE_ACCEPTED_IND",
        176 => "CHANGE_MAX_TASK_LIMIT_REQ",
        177 => "CHANGE_MAX_TASK_LIMIT_RESP",
        178 => "OVERRIDE_LIMIT_REQ",
        179 => "OVERRIDE_LIMIT_RESP",
        180 => "UPDATE_TASK_CONTEXT_IND",
        181 => "BEGIN_AGENT_INIT_IND",
        182 => "AGENT_INIT_REQ",
        183 => "AGENT_INIT_RESP",
        184 => "END_AGENT_INIT_IND",
        185 => "TASK_INIT_IND",
        186 => "AGENT_INIT_READY_EVENT",
        187 => "GET_PRECALL_MESSAGES_REQ",
        188 => "GET_PRECALL_MESSAGES_RESP",
        189 => "AGENT_LEGACY_PRE_CALL_EVENT",
        190 => "FAILURE_RESP",
        191 => "BEGIN_TASK_EVENT",
        192 => "QUEUED_TASK_EVENT",
        193 => "DEQUEUED_TASK_EVENT",
        194 => "OFFER_TASK_EVENT",
        195 => "START_TASK_EVENT",
        196 => "PAUSE_TASK_EVENT",
        197 => "RESUME_TASK_EVENT",
        198 => "WRAPUP_TASK_EVENT",
        199 => "END_TASK_EVENT",
        200 => "TASK_DATA_UPDATE_EVENT",
        201 => "TASK_MONITOR_START_REQ",
        202 => "TASK_MONITOR_START_CONF",
        203 => "TASK_MONITOR_STOP_REQ",
        204 => "TASK_MONITOR_STOP_CONF",
        205 => "CHANGE_TASK_MONITOR_MASK_REQ",
        206 => "CHANGE_TASK_MONITOR_MASK_CONF",
        207 => "MAX_TASK_LIFETIME_EXCEEDED_EVENT",
        208 => "SET_APP_PATH_DATA_IND",
        209 => "TASK_INIT_REQ",
        210 => "TASK_INIT_RESP",
        211 => "ROUTE_REGISTER_EVENT",
        212 => "ROUTE_REGISTER_REPLY_EVENT",
        213 => "ROUTE_REQUEST_EVENT",
        214 => "ROUTE_SELECT",
        215 => "ROUTE_END",
        254 => "CONFIG_MRD_EVENT",
        255 => "GET_AGENT_TASKS_REQ",
        256 => "AGENT_TASKS_RESP",
        257 => "SNAPSHOT_TASK_REQ",
        258 => "SNAPSHOT_TASK_RESP",
        262 => "AGENT_TASKS_EVENT",
        263 => "SNAPSHOT_TASK_EVENT",
        264 => "AGENT_TASKS_REQUEST_EVENT",
        265 => "AGENT_TASKS_END_EVENT",
        266 => "DESKTOP_CONNECTED_IND",
        _ => return None,
    })
}

/// Name → MessageType number (inverse of `message_type_name` over the known range).
pub fn message_type_number(name: &str) -> Option<u32> {
    (1..=300u32).find(|&n| message_type_name(n) == Some(name))
}

/// Floating-field tag → name (protocols.md A.4; 107 = AgentInfo is derived from the seed).
pub fn tag_name(tag: u16) -> Option<&'static str> {
    Some(match tag {
        1 => "ClientID",
        4 => "AgentExtension",
        5 => "AgentID",
        6 => "AgentInstrument",
        7 => "Text",
        8 => "ANI",
        10 => "DNIS",
        11 => "DialedNumber",
        12 => "CED",
        13 => "CallVariable1",
        14 => "CallVariable2",
        15 => "CallVariable3",
        16 => "CallVariable4",
        17 => "CallVariable5",
        18 => "CallVariable6",
        19 => "CallVariable7",
        20 => "CallVariable8",
        21 => "CallVariable9",
        22 => "CallVariable10",
        25 => "ConnectionDeviceID",
        72 => "RouterCallKeyDay",
        73 => "RouterCallKeyCallID",
        82 => "NamedVariable",
        83 => "NamedArray",
        97 => "ApplicationPathID",
        99 => "ScriptSelector",
        100 => "ApplicationString1",
        101 => "ApplicationString2",
        107 => "AgentInfo",
        110 => "RouterCallKeySequenceNumber",
        216 => "MRDomainID",
        258 => "TaskID",
        259 => "ICMDisposition",
        260 => "ApplicationDisposition",
        266 => "MaxBeyondTaskLimit",
        268 => "TransferInWhileLoggedOut",
        312 => "MediaType",
        313 => "MediaProvider",
        _ => return None,
    })
}

/// Tags whose data is an integer rather than a string.
fn tag_is_int(tag: u16) -> bool {
    matches!(tag, 72 | 73 | 97 | 110 | 216 | 259 | 260 | 266)
}

#[derive(Clone, Copy)]
enum Kind {
    U32,
    I32,
    U16,
    Bool,
}

/// Fixed parts known from the seed's bytes and the ctisvr/OPC prints (protocols.md A.5/A.5b).
fn fixed_layout(msg_type: u32) -> Option<&'static [(&'static str, Kind)]> {
    use Kind::*;
    Some(match msg_type {
        151 => &[("InvokeID", U32), ("MRDID", I32), ("ICMAgentID", I32), ("AgentMode", U16), ("IsAvailable", Bool), ("MaxTaskLimit", U32)],
        152 => &[("InvokeID", U32), ("Status", U32)],
        154 => &[("InvokeID", U32), ("MRDID", I32), ("ICMAgentID", I32), ("MaxTasks", U32)],
        157 => &[("InvokeID", U32), ("MRDID", I32), ("ICMAgentID", I32), ("MakeRoutable", Bool)],
        _ => return None,
    })
}

/// The byte list may be hard-wrapped (a log excerpt pasted into an e-mail): a line end between
/// two numbers continues it.
static DUMP_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(Sending|Received)\s+([A-Za-z_][A-Za-z0-9_]*)\s*->\s*((?:-?\d+[ \t]*(?:\r?\n[ \t]*)?)+)").ok());

/// Decodes an ARM dump line; does nothing when the text holds none.
pub fn decode(rec: &mut Record, text: &str) {
    let Some(re) = DUMP_RE.as_ref() else { return };
    let Some(c) = re.captures(text) else { return };
    let dir = c.get(1).map(|m| m.as_str()).unwrap_or("");
    let logged = c.get(2).map(|m| m.as_str()).unwrap_or("");
    let digits = c.get(3).map(|m| m.as_str()).unwrap_or("");
    rec.set("Direction", dir);
    let mut bytes: Vec<u8> = Vec::new();
    for (i, tok) in digits.split_whitespace().enumerate() {
        match tok.parse::<i64>() {
            Ok(v) if (-128..=255).contains(&v) => bytes.push((v & 0xFF) as u8),
            _ => {
                rec.note(format!("ARM dump: value {tok:?} at position {i} is not a byte; dump decoded up to it"));
                break;
            }
        }
        if bytes.len() > 16384 {
            rec.note("ARM dump longer than 16384 bytes (CTI maximum is 12500); rest ignored");
            break;
        }
    }
    decode_bytes(rec, &bytes, Some(logged));
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([*s.first()?, *s.get(1)?, *s.get(2)?, *s.get(3)?]))
}

fn be_u16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([*s.first()?, *s.get(1)?]))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(" ")
}

/// Decodes a whole message (header included). `logged` is the name the log line gives it.
pub fn decode_bytes(rec: &mut Record, bytes: &[u8], logged: Option<&str>) {
    rec.set("ByteCount", bytes.len() as u64);
    let (Some(len), Some(ty)) = (be_u32(bytes, 0), be_u32(bytes, 4)) else {
        rec.note(format!("ARM dump truncated: {} bytes, shorter than the 8-byte header", bytes.len()));
        if let Some(l) = logged {
            common::name_if_none(rec, l);
            rec.set("MessageType", l);
        }
        return;
    };
    rec.set("MessageLength", len as u64);
    rec.set("MessageTypeID", ty as u64);
    let name = message_type_name(ty);
    match (name, logged) {
        (Some(n), Some(l)) if n != l => {
            rec.note(format!("ARM dump: MessageType {ty} is {n}, but the log line calls it {l}"));
        }
        (None, Some(l)) => {
            rec.note(format!("ARM dump: MessageType {ty} is not a known ARM/CTI type (the log line calls it {l})"));
        }
        _ => {}
    }
    let shown = name.map(str::to_string).or_else(|| logged.map(str::to_string)).unwrap_or_else(|| format!("MessageType {ty}"));
    rec.set("MessageType", shown.clone());
    rec.set_name(&shown);
    let body_len = bytes.len().saturating_sub(8);
    if len as usize != body_len {
        rec.note(format!(
            "ARM dump: MessageLength {len} but the dump holds {body_len} bytes after the 8-byte header{}",
            if (len as usize) > body_len { " (truncated)" } else { "" }
        ));
    }
    // Decode only what the header says belongs to this message, and only what is there.
    let end = 8 + (len as usize).min(body_len);
    let body = bytes.get(8..end).unwrap_or(&[]);
    let mut at = 0usize;
    match fixed_layout(ty) {
        Some(layout) => {
            for (field, kind) in layout {
                let width = match kind {
                    Kind::U32 | Kind::I32 => 4,
                    Kind::U16 | Kind::Bool => 2,
                };
                let value: Option<i64> = match kind {
                    Kind::U32 => be_u32(body, at).map(i64::from),
                    Kind::I32 => be_u32(body, at).map(|v| i64::from(v as i32)),
                    Kind::U16 | Kind::Bool => be_u16(body, at).map(i64::from),
                };
                let Some(v) = value else {
                    rec.note(format!("ARM dump truncated in the fixed part: {field} missing at body byte {at} of {}", body.len()));
                    return;
                };
                match (*field, kind) {
                    ("InvokeID", _) => common::set_invoke_id(rec, &v.to_string()),
                    ("Status", _) => {
                        rec.set("Status", v);
                        if let Some(s) = common::arm_status_name(v) {
                            rec.set("StatusName", s);
                        }
                    }
                    ("AgentMode", _) => {
                        rec.set("AgentMode", v);
                        rec.set("AgentModeName", if v == 0 { "ROUTABLE" } else { "NOT_ROUTABLE" });
                    }
                    (_, Kind::Bool) => {
                        rec.set(field, v);
                    }
                    _ => rec.set(field, v),
                }
                at += width;
            }
        }
        None => {
            // Unknown fixed layout: every ARM/CTI message here begins with its InvokeID.
            if let Some(v) = be_u32(body, 0) {
                common::set_invoke_id(rec, &v.to_string());
                at = 4;
            }
            if let Some(rest) = body.get(at..) {
                if !rest.is_empty() {
                    rec.set("UndecodedHex", hex(rest));
                    rec.note(format!("ARM dump: fixed layout of {} is not known; decoded InvokeID only", name.unwrap_or("this type")));
                }
            }
            return;
        }
    }
    if let Some(rest) = body.get(at..) {
        if !rest.is_empty() {
            decode_floating(rec, rest);
        }
    }
}

fn decode_floating(rec: &mut Record, rest: &[u8]) {
    // Try the 1-byte tag/length form (PV < 20, what ECE uses), then the 2-byte form (PV ≥ 20).
    for (form, width) in [("1-byte", 1usize), ("2-byte", 2usize)] {
        if let Some(fields) = parse_floating(rest, width) {
            rec.set("FloatingFieldForm", form);
            for (tag, data) in fields {
                let key = tag_name(tag).map(str::to_string).unwrap_or_else(|| format!("Tag{tag}"));
                let value: serde_json::Value = if tag_is_int(tag) && data.len() == 4 {
                    be_u32(data, 0).map(|v| serde_json::Value::from(v as i32)).unwrap_or_default()
                } else if let Some(s) = as_c_string(data) {
                    serde_json::Value::from(s)
                } else {
                    serde_json::Value::from(hex(data))
                };
                rec.set(&key, value);
            }
            return;
        }
    }
    rec.set("UndecodedHex", hex(rest));
    rec.note(format!("ARM dump: {} trailing bytes are not valid floating fields (truncated or unknown layout)", rest.len()));
}

fn parse_floating(mut b: &[u8], width: usize) -> Option<Vec<(u16, &[u8])>> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let (tag, len) = if width == 1 { (u16::from(*b.first()?), usize::from(*b.get(1)?)) } else { (be_u16(b, 0)?, usize::from(be_u16(b, 2)?)) };
        let start = 2 * width;
        let data = b.get(start..start.checked_add(len)?)?;
        if tag == 0 {
            return None;
        }
        out.push((tag, data));
        b = b.get(start + len..)?;
    }
    Some(out)
}

fn as_c_string(data: &[u8]) -> Option<String> {
    let s = data.strip_suffix(&[0]).unwrap_or(data);
    if s.iter().all(|&c| (0x20..0x7f).contains(&c)) {
        Some(String::from_utf8_lossy(s).into_owned())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Record {
        let mut r = Record::new(0, "text");
        decode(&mut r, text);
        r
    }

    #[test]
    fn login_req() {
        let r = run("Sending MEDIA_LOGIN_REQ -> 0 0 0 27 0 0 0 -105 0 2 8 1 0 0 19 -120 0 0 19 -87 0 0 0 0 0 0 0 1 107 5 49 48 48 53 0 <@>");
        assert_eq!(r.get_str("MessageTypeID").as_deref(), Some("151"));
        assert_eq!(r.get_str("InvokeID").as_deref(), Some("133121"));
        assert_eq!(r.get_str("AgentInfo").as_deref(), Some("1005"));
        assert!(r.notes().is_empty(), "{:?}", r.notes());
    }

    #[test]
    fn malformed() {
        let r = run("Sending MEDIA_LOGIN_REQ -> 0 0 0");
        assert!(!r.notes().is_empty());
        let r = run("Sending MEDIA_LOGIN_REQ -> 0 0 0 27 0 0 0 -105 0 2 8");
        assert!(r.notes().iter().any(|n| n.contains("truncated")));
        let r = run("Sending MEDIA_LOGIN_RESP -> 0 0 0 8 0 0 0 -105 0 2 8 1 0 0 0 0");
        assert!(r.notes().iter().any(|n| n.contains("MEDIA_LOGIN_REQ")));
        let r = run("Received X -> 255 255 255 255 255 255 255 255 1 2 3 999999");
        assert!(!r.notes().is_empty());
        let r = run("Sending MEDIA_LOGIN_REQ -> 0 0 0 27 0 0 0 -105 0 2 8 1 0 0 19 -120 0 0 19 -87 0 0 0 0 0 0 0 1 107 9 49 48");
        assert!(!r.notes().is_empty());
        let big = format!("Sending MEDIA_LOGIN_REQ -> {}", "-1 ".repeat(100_000));
        let r = run(&big);
        assert!(!r.notes().is_empty());
    }
}
