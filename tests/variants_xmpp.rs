//! Variants of BOSH and XMPP traces from any source: Prosody (file, console and syslog sinks),
//! ejabberd (lager, OTP logger, console, 2.x reports), node-xmpp-bosh (log4js, with colour codes
//! or HTML-escaped), Strophe.js console captures, raw HTTP wire traces of `POST /http-bind`, and
//! bare stanzas or BOSH bodies saved as files. Lines written by the project. Then: a trace of one
//! server alone makes a notification-session flow keyed by its sid, and the findings about an idle
//! close and an `item-not-found`.
//!
//! Times: an empty `utc` means the line has no zone (Prosody, curl, tcpdump, browser consoles,
//! lager) or no date (consoles): the file's clock decides, which this table does not check.

mod common;

use common::variants::{check_all, timed_share, Expect, Variant};
use serde_json::Value;

const fn e(line: u64, time: &'static str, utc: &'static str, name: &'static str, fields: &'static [(&'static str, &'static str)]) -> Expect {
    Expect { line, time, utc, name, fields }
}

const SID: &str = "4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d";

const PROSODY_FILE: &str = "Mar 03 09:00:01 mod_bosh\tinfo\tNew BOSH session, assigned it sid '4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d'
Mar 03 09:00:01 bosh4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d\tinfo\tAuthenticated as 4107@im.example.net
Mar 03 09:00:02 mod_bosh\tdebug\tHandling new request request0x7f31a0: <body rid='2209141' xmlns='http://jabber.org/protocol/httpbind' sid='4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d'><presence xmlns='jabber:client'/></body>
----------
Mar 03 09:00:02 mod_bosh\tdebug\tBOSH body open (sid: 4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d)
Mar 03 09:00:02 bosh4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d\tdebug\trid: 2209141, sess: 2209140, diff: 1
Mar 03 09:00:02 mod_bosh\tdebug\tSession 4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d has 1 out of 1 requests open
Mar 03 09:00:02 mod_bosh\tdebug\tWe have an open request, so sending on that
Mar 03 09:00:03 mod_bosh\tdebug\tHandling new request request0x7f31b8: <body rid='2209143' xmlns='http://jabber.org/protocol/httpbind' sid='4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d'/>
----------
Mar 03 09:00:03 bosh4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d\tdebug\trid skipped: 2209142, deferring this request
Mar 03 09:00:33 bosh4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d\tdebug\tBOSH session marked as inactive (for 60s)
Mar 03 09:01:34 bosh4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d\tinfo\tDestroying session for 4107@im.example.net/desktop (BOSH client silent for over 60 seconds)
Mar 03 09:01:50 mod_bosh\tinfo\tClient tried to use sid '4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d' which we don't know about
";

#[test]
fn prosody() {
    check_all(&[
        Variant {
            family: "prosody",
            variant: "file sink, default stamp, tabs, a BOSH session that goes idle",
            path: "prosody.log",
            text: PROSODY_FILE,
            format: "prosody",
            expect: &[
                e(1, "Mar 03 09:00:01", "", "SESSION_CREATED", &[("sid", SID), ("logger", "mod_bosh")]),
                e(2, "Mar 03 09:00:01", "", "AUTHENTICATED", &[("sid", SID), ("jid", "4107@im.example.net")]),
                e(3, "Mar 03 09:00:02", "", "BOSH_REQUEST", &[("sid", SID), ("rid", "2209141"), ("stanza", "presence"), ("payloads", "1")]),
                e(5, "Mar 03 09:00:02", "", "BODY_OPEN", &[("sid", SID)]),
                e(6, "Mar 03 09:00:02", "", "RID_CHECK", &[("sid", SID), ("rid", "2209141"), ("ridDiff", "1")]),
                e(7, "Mar 03 09:00:02", "", "REQUESTS_OPEN", &[("sid", SID), ("requestsOpen", "1")]),
                e(8, "Mar 03 09:00:02", "", "BOSH_RESPONSE", &[]),
                e(11, "Mar 03 09:00:03", "", "RID_SKIPPED", &[("missingRid", "2209142")]),
                e(12, "Mar 03 09:00:33", "", "SESSION_INACTIVE", &[("sid", SID), ("inactivity", "60")]),
                e(13, "Mar 03 09:01:34", "", "CLOSING_IDLE_SESSION", &[("jid", "4107@im.example.net/desktop"), ("inactivityThreshold", "60")]),
                e(14, "Mar 03 09:01:50", "", "UNKNOWN_SID", &[("sid", SID), ("condition", "item-not-found")]),
            ],
        },
        Variant {
            family: "prosody",
            variant: "file sink, custom ISO stamp, blanks after a copy, terminate from the client",
            path: "prosody.log",
            text: "2025-03-03 09:10:00 mod_bosh        debug   Handling new request request0x7f3300: <body rid='55012' xmlns='http://jabber.org/protocol/httpbind' sid='0e1d2c3b-4a59-4687-9a6b-7c8d9e0f1a2b' type='terminate'><presence type='unavailable' xmlns='jabber:client'/></body>
2025-03-03 09:10:00 bosh0e1d2c3b-4a59-4687-9a6b-7c8d9e0f1a2b  info    BOSH client disconnected: session close
2025-03-03 09:10:00 c2s5a6b7c8d        info    Client disconnected: connection closed
",
            format: "prosody",
            expect: &[
                e(1, "2025-03-03 09:10:00", "", "BOSH_TERMINATE", &[("sid", "0e1d2c3b-4a59-4687-9a6b-7c8d9e0f1a2b"), ("bodyType", "terminate"), ("rid", "55012")]),
                e(2, "2025-03-03 09:10:00", "", "SESSION_CLOSED", &[("reason", "session close")]),
                e(3, "2025-03-03 09:10:00", "", "CLIENT_DISCONNECTED", &[("logger", "c2s5a6b7c8d")]),
            ],
        },
        Variant {
            family: "prosody",
            variant: "console sink: no stamp, source padded to 20 columns",
            path: "prosody-stdout.txt",
            text: "mod_bosh            info\tNew BOSH session, assigned it sid '4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d'
mod_bosh            warn\tUnable to associate request with a session (incomplete request?)
",
            format: "prosody",
            expect: &[e(1, "", "", "SESSION_CREATED", &[("sid", SID)]), e(2, "", "", "UNKNOWN_SID", &[("condition", "item-not-found")])],
        },
        Variant {
            family: "prosody",
            variant: "syslog sink (RFC 3164 header, time from it)",
            path: "syslog",
            text: "<30>Mar  3 09:00:01 im1 prosody[2231]: mod_bosh: New BOSH session, assigned it sid '4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d'
<31>Mar  3 09:00:33 im1 prosody[2231]: bosh4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d: BOSH session marked as inactive (for 60s)
<30>Mar  3 09:01:34 im1 prosody[2231]: bosh4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d: Destroying session for 4107@im.example.net/desktop (BOSH client silent for over 60 seconds)
",
            format: "prosody",
            expect: &[
                e(1, "Mar  3 09:00:01", "", "SESSION_CREATED", &[("sid", SID), ("syslog_program", "prosody"), ("syslog_pid", "2231")]),
                e(2, "Mar  3 09:00:33", "", "SESSION_INACTIVE", &[("sid", SID)]),
                e(3, "Mar  3 09:01:34", "", "CLOSING_IDLE_SESSION", &[("sid", SID), ("jid", "4107@im.example.net/desktop")]),
            ],
        },
        Variant {
            family: "prosody",
            variant: "journald-style syslog without a priority, host module source",
            path: "journal.txt",
            text: "Mar 03 09:00:05 im1 prosody[2231]: im.example.net:saslauth: Authenticated as 4107@im.example.net
Mar 03 09:00:05 im1 prosody[2231]: http.server: Firing event: POST im.example.net/http-bind
",
            format: "prosody",
            expect: &[e(1, "Mar 03 09:00:05", "", "AUTHENTICATED", &[("jid", "4107@im.example.net")]), e(2, "Mar 03 09:00:05", "", "HTTP_REQUEST", &[])],
        },
    ]);
}

#[test]
fn ejabberd() {
    check_all(&[
        Variant {
            family: "ejabberd",
            variant: "lager: BOSH request, error reply (Session ID mismatch) and an HTTP-bind timeout",
            path: "ejabberd.log",
            text: r#"2018-10-30 16:12:01.331 [debug] <0.1064.0>@mod_bosh:process:69 Incoming data: <<"<body rid='7712001' sid='aa11bb22cc33dd44ee55ff6600778899aabbccdd' xmlns='http://jabber.org/protocol/httpbind'/>">>
2018-10-30 16:12:01.333 [debug] <0.1064.0>@ejabberd_bosh:bosh_response_with_msg:952 Send error reply:{body,<<"Session ID mismatch">>,[{type,<<"terminate">>},{condition,<<"item-not-found">>}],[],0}
** Receiced body: {body,<<>>,[{sid,<<"aa11bb22cc33dd44ee55ff6600778899aabbccdd">>},{rid,7712001}],[],96}
2014-11-30 11:00:32.285 [info] <0.15527.0>@ejabberd_http_bind:handle_info:519 Session timeout. Closing the HTTP bind session: <<"0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c">>
2018-10-30 16:12:05.001 [info] <0.14491.26>@ejabberd_c2s:process_terminated:271 (http_bind|<0.14497.26>) Closing c2s session for 4107@im.example.net/desktop: Connection failed: connection closed
"#,
            format: "ejabberd",
            expect: &[
                e(1, "2018-10-30 16:12:01.331", "", "BOSH_REQUEST", &[("sid", "aa11bb22cc33dd44ee55ff6600778899aabbccdd"), ("rid", "7712001"), ("module", "mod_bosh"), ("pid", "0.1064.0")]),
                e(2, "2018-10-30 16:12:01.333", "", "BOSH_TERMINATE", &[("condition", "item-not-found"), ("bodyType", "terminate"), ("httpReason", "Session ID mismatch"), ("sid", "aa11bb22cc33dd44ee55ff6600778899aabbccdd")]),
                e(4, "2014-11-30 11:00:32.285", "", "CLOSING_IDLE_SESSION", &[("sid", "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"), ("function", "handle_info")]),
                e(5, "2018-10-30 16:12:05.001", "", "SESSION_CLOSED", &[("jid", "4107@im.example.net/desktop"), ("reason", "Connection failed: connection closed"), ("transport", "http_bind")]),
            ],
        },
        Variant {
            family: "ejabberd",
            variant: "OTP logger (20.x+): microseconds, zone, arity in the location",
            path: "ejabberd.log",
            text: "2024-02-19 16:31:43.178073+03:30 [info] <0.618.0>@ejabberd_listener:accept/7:273 (<0.19201.3>) Accepted connection [::ffff:198.51.100.7]:35020 -> [::ffff:198.51.100.2]:5443
2024-02-19 16:31:43.285503+03:30 [info] <0.19067.3>@ejabberd_c2s:process_auth_result/3:268 (http_bind|<0.19067.3>) Accepted c2s SCRAM-SHA-1 authentication for 4107@im.example.net by mnesia backend from ::ffff:198.51.100.7
2024-02-19 16:31:44.001200+03:30 [notice] <0.19067.3> (http_bind|<0.19067.3>) Send XML on stream = <<\"<iq xmlns='jabber:client' type='result' id='bind_1'/>\">>
",
            format: "ejabberd",
            expect: &[
                e(1, "2024-02-19 16:31:43.178073+03:30", "2024-02-19T13:01:43.178Z", "CONNECTION_ACCEPTED", &[("function", "accept"), ("arity", "7"), ("srcLine", "273")]),
                e(2, "2024-02-19 16:31:43.285503+03:30", "2024-02-19T13:01:43.285Z", "AUTHENTICATED", &[("jid", "4107@im.example.net"), ("transport", "http_bind")]),
                e(3, "2024-02-19 16:31:44.001200+03:30", "2024-02-19T13:01:44.001Z", "XML_SENT", &[("stanza", "iq"), ("stanzaType", "result")]),
            ],
        },
        Variant {
            family: "ejabberd",
            variant: "console / MongooseIM: time of day only",
            path: "mongooseim-console.txt",
            text: "18:44:00.963 [debug] Closing session <<\"b17a3dde45547a75c368a20d60119c8f639a2a3d\">> in 'normal' state. Handlers: [] Pending: []
18:44:01.002 [info]  (tcp|<0.583.0>) Received XML on stream = <<\"<presence type='unavailable'/>\">>
",
            format: "ejabberd",
            expect: &[
                e(1, "18:44:00.963", "", "SESSION_CLOSED", &[("sid", "b17a3dde45547a75c368a20d60119c8f639a2a3d")]),
                e(2, "18:44:01.002", "", "XML_RECEIVED", &[("stanza", "presence"), ("transport", "tcp")]),
            ],
        },
        Variant {
            family: "ejabberd",
            variant: "2.x report layout (both stamp forms)",
            path: "ejabberd.log",
            text: "=INFO REPORT==== 2012-09-06 17:10:00 ===
I(<0.8904.0>:ejabberd_c2s:651) : ({socket_state,tls,{tlssock,#Port<0.17715>,#Port<0.17717>},<0.8903.0>}) Failed authentication for 4107@im.example.net
=ERROR REPORT==== 6-Sep-2012::17:10:05 ===
E(<0.8910.0>:ejabberd_http_bind:519) : Session timeout. Closing the HTTP bind session: <<\"1a2b3c4d5e6f\">>
",
            format: "ejabberd",
            expect: &[
                e(1, "2012-09-06 17:10:00", "", "AUTH_FAILED", &[("jid", "4107@im.example.net"), ("module", "ejabberd_c2s"), ("srcLine", "651")]),
                e(3, "6-Sep-2012::17:10:05", "", "CLOSING_IDLE_SESSION", &[("sid", "1a2b3c4d5e6f")]),
            ],
        },
    ]);
}

const NXB: &str = "[2013-04-11 08:10:44.670] [DEBUG] [http-server.js] - RECD: <body rid=\"903311\" xmlns=\"http://jabber.org/protocol/httpbind\" to=\"im.example.net\" wait=\"60\" hold=\"1\" ver=\"1.6\" xmlns:xmpp=\"urn:xmpp:xbosh\" xmpp:version=\"1.0\"/>
[2013-04-11 08:10:44.690] [DEBUG] [response.js] - 0c9b8a7d-6e5f-4a4b-9c3d-2e1f0a9b8c7d SENT(903311): <body xmlns=\"http://jabber.org/protocol/httpbind\" sid=\"0c9b8a7d-6e5f-4a4b-9c3d-2e1f0a9b8c7d\" wait=\"60\" ver=\"1.6\" inactivity=\"70\" requests=\"2\" hold=\"1\"/>
[2013-04-11 08:12:04.700] [INFO] [session.js] - 0c9b8a7d-6e5f-4a4b-9c3d-2e1f0a9b8c7d terminating Session due to inactivity
[2013-04-11 08:12:10.010] [INFO] [session.js] - 0c9b8a7d-6e5f-4a4b-9c3d-2e1f0a9b8c7d send_terminate_response - ro: true, condition: item-not-found
";

#[test]
fn node_xmpp_bosh() {
    let coloured: String = NXB.lines().map(|l| format!("\u{1b}[36m{}\u{1b}[39m{}\n", &l[..35], &l[35..])).collect();
    let escaped = NXB.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let expect = [
        e(1, "2013-04-11 08:10:44.670", "", "BOSH_REQUEST", &[("rid", "903311"), ("direction", "in"), ("wait", "60")]),
        e(2, "2013-04-11 08:10:44.690", "", "SESSION_CREATED", &[("sid", "0c9b8a7d-6e5f-4a4b-9c3d-2e1f0a9b8c7d"), ("rid", "903311"), ("inactivity", "70")]),
        e(3, "2013-04-11 08:12:04.700", "", "CLOSING_IDLE_SESSION", &[("sid", "0c9b8a7d-6e5f-4a4b-9c3d-2e1f0a9b8c7d")]),
        e(4, "2013-04-11 08:12:10.010", "", "BOSH_TERMINATE", &[("condition", "item-not-found")]),
    ];
    // The copies are built at run time: leak them to fit the table's `&'static str`.
    let coloured: &'static str = Box::leak(coloured.into_boxed_str());
    let escaped: &'static str = Box::leak(escaped.into_boxed_str());
    check_all(&[
        Variant { family: "node-xmpp-bosh", variant: "0.7.x layout as written", path: "bosh.log", text: NXB, format: "node-xmpp-bosh", expect: &expect },
        Variant { family: "node-xmpp-bosh", variant: "console with ANSI colour codes", path: "bosh-console.txt", text: coloured, format: "node-xmpp-bosh", expect: &expect },
        Variant { family: "node-xmpp-bosh", variant: "HTML-escaped copy from a web page", path: "from-issue.txt", text: escaped, format: "node-xmpp-bosh", expect: &expect },
        Variant {
            family: "node-xmpp-bosh",
            variant: "log4js basic layout, ISO stamp with zone, function:line in the category",
            path: "nxb.log",
            text: "[2016-09-20T08:30:11.402+02:00] [INFO] session.js:Session.send_terminate_response:701 - 1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5 send_terminate_response - ro: true, condition: policy-violation
[2016-09-20T08:30:11.500+02:00] [TRACE] xmpp-proxy.js:Object.<anonymous>:79 - 1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5 e0d1c2b3-a4f5-4e6d-8c7b-9a0f1e2d3c4b _on_stanza parsed: <message from=\"2280@im.example.net/desk\" to=\"4107@im.example.net\" type=\"chat\"><body>hi</body></message>
",
            format: "node-xmpp-bosh",
            expect: &[
                e(1, "2016-09-20T08:30:11.402+02:00", "2016-09-20T06:30:11.402Z", "BOSH_TERMINATE", &[("condition", "policy-violation"), ("category", "session.js:Session.send_terminate_response:701")]),
                e(2, "2016-09-20T08:30:11.500+02:00", "2016-09-20T06:30:11.500Z", "XMPP_MESSAGE", &[("stream", "e0d1c2b3-a4f5-4e6d-8c7b-9a0f1e2d3c4b"), ("from", "2280@im.example.net/desk"), ("stanzaType", "chat")]),
            ],
        },
    ]);
}

#[test]
fn strophe_console() {
    check_all(&[
        Variant {
            family: "strophe-console",
            variant: "Chrome copy with timestamps: SENT/RECV around a Finesse notification, Strophe debug",
            path: "desktop-console.log",
            text: "10:02:15.331 finesse.js:1033 SENT: <body rid='1300412' xmlns='http://jabber.org/protocol/httpbind' sid='7e8d9c0b-1a2b-4c3d-8e4f-5a6b7c8d9e0f'/>
10:02:17.902 finesse.js:1029 RECV: <body xmlns='http://jabber.org/protocol/httpbind'><message from='pubsub.fin2.example.com' to='4107@fin2.example.com' id='/finesse/api/User/4107__4107@fin2.example.com__K9p2Q'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='/finesse/api/User/4107'><item id='0f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a4b'><notification xmlns='http://jabber.org/protocol/pubsub'>&lt;Update&gt;&lt;data&gt;&lt;user&gt;&lt;loginId&gt;4107&lt;/loginId&gt;&lt;state&gt;NOT_READY&lt;/state&gt;&lt;reasonCodeId&gt;22&lt;/reasonCodeId&gt;&lt;/user&gt;&lt;/data&gt;&lt;event&gt;PUT&lt;/event&gt;&lt;requestId&gt;c4d5e6f7-0000-4111-8222-933344445555&lt;/requestId&gt;&lt;/Update&gt;</notification></item></items></event></message></body>
10:02:47.950 strophe.min.js:1 [Strophe][DEBUG]: request id 12.1 got 404
10:02:47.951 strophe.min.js:1 [Strophe][ERROR]: request errored, status: 404, number of errors: 1
",
            format: "strophe-console",
            expect: &[
                e(1, "10:02:15.331", "", "BOSH_REQUEST", &[("direction", "sent"), ("rid", "1300412"), ("sid", "7e8d9c0b-1a2b-4c3d-8e4f-5a6b7c8d9e0f"), ("script", "finesse.js:1033")]),
                e(2, "10:02:17.902", "", "BOSH_RESPONSE", &[("direction", "received"), ("node", "/finesse/api/User/4107"), ("event", "PUT"), ("state", "NOT_READY"), ("requestId", "c4d5e6f7-0000-4111-8222-933344445555")]),
                e(3, "10:02:47.950", "", "REQUEST_RESPONSE", &[("stropheRequest", "12.1"), ("status", "404")]),
                e(4, "10:02:47.951", "", "REQUEST_ERROR", &[("status", "404")]),
            ],
        },
        Variant {
            family: "strophe-console",
            variant: "Firefox copy: no timestamps, script after, pretty-printed body, WebSocket close",
            path: "console-firefox.txt",
            text: "RECV: <body xmlns='http://jabber.org/protocol/httpbind' sid='7e8d9c0b-1a2b-4c3d-8e4f-5a6b7c8d9e0f' type='terminate' condition='remote-connection-failed'>
  <presence type='unavailable' xmlns='jabber:client'/>
</body> strophe.js:2210:11
SEND: <close xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\"/> strophe.js:2190:11
",
            format: "strophe-console",
            expect: &[
                e(1, "", "", "BOSH_TERMINATE", &[("condition", "remote-connection-failed"), ("bodyType", "terminate"), ("payloads", "1")]),
                e(4, "", "", "XMPP_CLOSE", &[("framing", "close"), ("direction", "sent")]),
            ],
        },
        Variant {
            family: "strophe-console",
            variant: "JSXC arrows",
            path: "jsxc.txt",
            text: "jsxc.js:1280 > <body rid=\"41001\" xmlns=\"http://jabber.org/protocol/httpbind\" sid=\"abcdef0123\"><iq type=\"get\" id=\"ping1\" xmlns=\"jabber:client\"/></body>
jsxc.js:1277 < <body xmlns=\"http://jabber.org/protocol/httpbind\"/>
",
            format: "strophe-console",
            expect: &[e(1, "", "", "BOSH_REQUEST", &[("rid", "41001"), ("stanza", "iq")]), e(2, "", "", "BOSH_RESPONSE", &[("emptyBody", "true")])],
        },
    ]);
}

#[test]
fn http_bind_wire() {
    check_all(&[
        Variant {
            family: "http-bind-wire",
            variant: "curl -v (no times): request, 404 response",
            path: "curl.txt",
            text: "*   Trying 203.0.113.20:7443...
* Connected to fin2.example.com (203.0.113.20) port 7443 (#0)
> POST /http-bind/ HTTP/1.1
> Host: fin2.example.com:7443
> Content-Type: text/xml; charset=utf-8
>
< HTTP/1.1 404 Not Found
< Content-Length: 0
<
* Connection #0 to host fin2.example.com left intact
",
            format: "http-bind-wire",
            expect: &[
                e(2, "", "", "CURL_INFO", &[]),
                e(3, "", "", "BOSH_REQUEST", &[("method", "POST"), ("url", "/http-bind/"), ("host", "fin2.example.com:7443")]),
                e(7, "", "", "HTTP_RESPONSE", &[("status", "404"), ("reason", "Not Found")]),
            ],
        },
        Variant {
            family: "http-bind-wire",
            variant: "Wireshark 'Follow HTTP stream' text: times from the Date header",
            path: "stream.txt",
            text: "POST /http-bind/ HTTP/1.1
Host: im.example.net:5280
Content-Type: text/xml; charset=utf-8

<body rid='6600123' xmlns='http://jabber.org/protocol/httpbind' to='im.example.net' wait='60' hold='1' ver='1.6'/>
HTTP/1.1 200 OK
Date: Mon, 03 Mar 2025 09:00:01 GMT
Content-Type: text/xml; charset=utf-8

<body xmlns='http://jabber.org/protocol/httpbind' sid='4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d' wait='60' inactivity='60' polling='5' requests='2' hold='1'/>
",
            format: "http-bind-wire",
            expect: &[
                e(1, "", "", "BOSH_REQUEST", &[("rid", "6600123"), ("wait", "60"), ("url", "/http-bind/")]),
                e(6, "Mon, 03 Mar 2025 09:00:01 GMT", "2025-03-03T09:00:01.000Z", "SESSION_CREATED", &[("sid", SID), ("inactivity", "60"), ("status", "200")]),
            ],
        },
        Variant {
            family: "http-bind-wire",
            variant: "tcpdump -A: time of day, a response packet",
            path: "tcpdump.txt",
            text: "09:00:02.118273 IP 198.51.100.2.5280 > 198.51.100.7.35020: Flags [P.], seq 1:260, ack 402, win 509, length 259: HTTP: HTTP/1.1 200 OK
E..7..@.@.....d...d.......P.HTTP/1.1 200 OK
Content-Type: text/xml; charset=utf-8

<body xmlns='http://jabber.org/protocol/httpbind'><message from='4107@im.example.net/desktop' to='2280@im.example.net' type='chat'><body>ok</body></message></body>
09:00:02.118301 IP 198.51.100.7.35020 > 198.51.100.2.5280: Flags [.], ack 260, win 501, length 0
",
            format: "http-bind-wire",
            expect: &[
                e(1, "09:00:02.118273", "", "BOSH_RESPONSE", &[("status", "200"), ("stanza", "message"), ("src", "198.51.100.2.5280"), ("tcpLength", "259")]),
                e(6, "09:00:02.118301", "", "TCP_PACKET", &[("tcpLength", "0")]),
            ],
        },
    ]);
}

#[test]
fn saved_stanzas() {
    check_all(&[
        Variant {
            family: "xmpp-xml",
            variant: "a Finesse Dialog notification on one line, with the declaration",
            path: "dialog-update.xml",
            text: "<?xml version=\"1.0\" encoding=\"UTF-8\"?><message from=\"pubsub.fin2.example.com\" to=\"4107@fin2.example.com\" id=\"/finesse/api/User/4107/Dialogs__4107@fin2.example.com__b7Yu1\"><event xmlns=\"http://jabber.org/protocol/pubsub#event\"><items node=\"/finesse/api/User/4107/Dialogs\"><item id=\"9a8b7c6d-0000-4000-8000-0000000000aa\"><notification xmlns=\"http://jabber.org/protocol/pubsub\"><Update><data><dialog><id>16777301</id><mediaType>Voice</mediaType><state>ACTIVE</state><fromAddress>5551234</fromAddress><toAddress>4107</toAddress></dialog></data><event>POST</event><requestId></requestId><source>/finesse/api/Dialog/16777301</source></Update></notification></item></items></event></message>
",
            format: "xmpp-xml",
            expect: &[e(1, "", "", "XMPP_MESSAGE", &[("node", "/finesse/api/User/4107/Dialogs"), ("event", "POST"), ("dataType", "Dialog"), ("dialogId", "16777301"), ("state", "ACTIVE"), ("to", "4107@fin2.example.com")])],
        },
        Variant {
            family: "xmpp-xml",
            variant: "a bare Update and a presence, pretty-printed",
            path: "payloads.xml",
            text: "<Update>
  <data><user><loginId>4107</loginId><state>READY</state></user></data>
  <event>PUT</event>
  <requestId>0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9</requestId>
</Update>
<presence from=\"4107@fin2.example.com/desktop\" type=\"unavailable\">
  <delay xmlns=\"urn:xmpp:delay\" stamp=\"2025-03-03T09:05:00.250Z\"/>
</presence>
",
            format: "xmpp-xml",
            expect: &[
                e(1, "", "", "FINESSE_UPDATE", &[("requestId", "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9"), ("state", "READY"), ("event", "PUT")]),
                e(6, "2025-03-03T09:05:00.250Z", "2025-03-03T09:05:00.250Z", "XMPP_PRESENCE", &[("stanzaType", "unavailable"), ("from", "4107@fin2.example.com/desktop")]),
            ],
        },
        Variant {
            family: "xmpp-xml",
            variant: "a saved BOSH response holding two messages (one record for the body)",
            path: "response.xml",
            text: "<body xmlns='http://jabber.org/protocol/httpbind' sid='4d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d'>
  <message to='4107@im.example.net' type='chat'><body>one</body></message>
  <message to='4107@im.example.net' type='chat'><body>two</body></message>
</body>
",
            format: "xmpp-xml",
            expect: &[e(1, "", "", "BOSH_RESPONSE", &[("sid", SID), ("payloads", "2"), ("stanza", "message")])],
        },
    ]);
}

/// Every timed variant file is ≥ 99 % timed.
#[test]
fn timed_variants() {
    for (path, text) in [
        ("prosody.log", PROSODY_FILE),
        ("bosh.log", NXB),
        (
            "ejabberd.log",
            "2024-02-19 16:31:43.178073+03:30 [info] <0.618.0>@ejabberd_listener:accept/7:273 (<0.19201.3>) Accepted connection [::ffff:198.51.100.7]:35020 -> [::ffff:198.51.100.2]:5443\n\
             2018-10-30 16:12:01.333 [debug] <0.1064.0>@ejabberd_bosh:bosh_response_with_msg:952 Send error reply:{body,<<\"Session ID mismatch\">>,[{type,<<\"terminate\">>}],[],0}\n** Receiced body: {body,<<>>,[],[],96}\n",
        ),
        ("console.log", "10:02:15.331 finesse.js:1033 SENT: <body rid='1300412' xmlns='http://jabber.org/protocol/httpbind' sid='x1'/>\n10:02:16.001 finesse.js:1029 RECV: <body xmlns='http://jabber.org/protocol/httpbind'/>\n"),
        ("tcpdump.txt", "09:00:02.118273 IP 198.51.100.2.5280 > 198.51.100.7.35020: Flags [P.], length 52: HTTP: HTTP/1.1 200 OK\nE..7..@.@.HTTP/1.1 200 OK\n\n<body xmlns='http://jabber.org/protocol/httpbind'/>\n"),
    ] {
        let share = timed_share(path, text);
        assert!(share >= 0.99, "{path}: {share} of lines timed");
    }
    for f in switchboard::formats::registry() {
        if !matches!(f.name, "prosody" | "ejabberd" | "node-xmpp-bosh" | "strophe-console" | "http-bind-wire" | "xmpp-xml") {
            continue;
        }
        for ex in f.examples.iter().filter(|x| x.timed) {
            let share = timed_share(ex.path, ex.text);
            assert!(share >= 0.99, "{} / {}: {share} of lines timed", f.name, ex.variant);
        }
    }
}

fn flow_with<'a>(j: &'a Value, sid: &str) -> &'a Value {
    j["flows"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["kind"] == "notification-session" && f["key"].as_str().is_some_and(|k| k.contains(sid))))
        .unwrap_or(&Value::Null)
}

fn labels(f: &Value) -> Vec<String> {
    f["steps"].as_array().map(|s| s.iter().filter_map(|x| x["label"].as_str().map(str::to_string)).collect()).unwrap_or_default()
}

fn finding<'a>(j: &'a Value, code: &str) -> Vec<&'a Value> {
    j["findings"].as_array().map(|a| a.iter().filter(|f| f["code"] == code).collect()).unwrap_or_default()
}

/// A Prosody trace alone: one notification-session flow keyed by its sid, with the session's
/// life in order, and the idle close and the late `item-not-found` as findings.
#[test]
fn prosody_trace_makes_a_notification_session() {
    let j = common::json_of(&[("prosody.log", PROSODY_FILE)]);
    let f = flow_with(&j, SID);
    assert!(!f.is_null(), "no notification-session flow for {SID}: {}", j["flows"]);
    assert!(f["key"].as_str().is_some_and(|k| k.contains("4107@im.example.net")), "{}", f["key"]);
    let l = labels(f);
    let at = |needle: &str| l.iter().position(|x| x.contains(needle)).unwrap_or_else(|| panic!("no step '{needle}' in {l:?}"));
    assert!(at("created") < at("BOSH request rid 2209141"), "{l:?}");
    assert!(at("BOSH request rid 2209141") < at("session inactive"), "{l:?}");
    assert!(at("rid 2209142 missing") < at("closing idle session"), "{l:?}");
    assert!(at("closing idle session") < at("item-not-found"), "{l:?}");
    assert!(f["participants"].as_array().is_some_and(|p| p.iter().any(|x| x == "Notification service")));
    let idle = finding(&j, "bosh-idle-close");
    assert_eq!(idle.len(), 1, "{}", j["findings"]);
    let s = idle[0]["summary"].as_str().unwrap_or("");
    assert!(s.contains(SID) && s.contains("60 s") && s.contains("no request held since prosody.log L12"), "{s}");
    let gone = finding(&j, "bosh-terminated");
    assert_eq!(gone.len(), 1, "{}", j["findings"]);
    let s = gone[0]["summary"].as_str().unwrap_or("");
    assert!(s.contains("item-not-found") && s.contains("already been closed (prosody.log L13)"), "{s}");
    let gaps = finding(&j, "rid-gap");
    assert!(gaps.iter().any(|g| g["summary"].as_str().is_some_and(|s| s.contains("2209141 to 2209143"))), "{}", j["findings"]);
}

/// An ejabberd trace alone: the same, keyed by ejabberd's sid.
#[test]
fn ejabberd_trace_makes_a_notification_session() {
    let text = r#"2018-10-30 16:10:00.100 [debug] <0.1064.0>@mod_bosh:process:69 Incoming data: <<"<body rid='7712000' xmlns='http://jabber.org/protocol/httpbind' to='im.example.net' wait='60' hold='1' xmpp:version='1.0' xmlns:xmpp='urn:xmpp:xbosh'/>">>
2018-10-30 16:10:00.110 [debug] <0.1065.0>@ejabberd_bosh:do_reply:870 send reply:
** RequestID: 7712000
** Reply: {body,<<>>,[{sid,<<"aa11bb22cc33dd44ee55ff6600778899aabbccdd">>},{wait,60},{ver,<<"1.11">>},{polling,2},{inactivity,30},{hold,1},{requests,2}],[],0}
2018-10-30 16:10:01.331 [debug] <0.1064.0>@mod_bosh:process:69 Incoming data: <<"<body rid='7712001' sid='aa11bb22cc33dd44ee55ff6600778899aabbccdd' xmlns='http://jabber.org/protocol/httpbind'/>">>
2018-10-30 16:11:01.400 [info] <0.1065.0>@ejabberd_bosh:handle_info:500 Session timeout. Closing the BOSH session: <<"aa11bb22cc33dd44ee55ff6600778899aabbccdd">>
2018-10-30 16:12:01.331 [debug] <0.1064.0>@mod_bosh:process:69 Incoming data: <<"<body rid='7712002' sid='aa11bb22cc33dd44ee55ff6600778899aabbccdd' xmlns='http://jabber.org/protocol/httpbind'/>">>
2018-10-30 16:12:01.333 [debug] <0.1064.0>@ejabberd_bosh:bosh_response_with_msg:952 Send error reply:{body,<<"Session ID mismatch">>,[{type,<<"terminate">>},{condition,<<"item-not-found">>}],[],0}
** Receiced body: {body,<<>>,[{sid,<<"aa11bb22cc33dd44ee55ff6600778899aabbccdd">>},{rid,7712002}],[],96}
"#;
    let j = common::json_of(&[("ejabberd.log", text)]);
    let sid = "aa11bb22cc33dd44ee55ff6600778899aabbccdd";
    let f = flow_with(&j, sid);
    assert!(!f.is_null(), "no notification-session flow for {sid}: {}", j["flows"]);
    let l = labels(f);
    assert!(l.iter().any(|x| x.contains("BOSH request rid 7712001")), "{l:?}");
    assert!(l.iter().any(|x| x.contains("closing idle session")), "{l:?}");
    assert!(l.last().is_some_and(|x| x.contains("item-not-found")), "{l:?}");
    assert_eq!(finding(&j, "bosh-idle-close").len(), 1, "{}", j["findings"]);
    let gone = finding(&j, "bosh-terminated");
    assert_eq!(gone.len(), 1, "{}", j["findings"]);
    assert!(gone[0]["summary"].as_str().is_some_and(|s| s.contains(sid) && s.contains("already been closed")), "{}", gone[0]["summary"]);
}

/// A browser console capture alone: the client's side of the same kind of session.
#[test]
fn strophe_capture_makes_a_notification_session() {
    let text = "10:02:15.331 finesse.js:1033 SENT: <body rid='1300412' xmlns='http://jabber.org/protocol/httpbind' sid='7e8d9c0b-1a2b-4c3d-8e4f-5a6b7c8d9e0f'/>
10:02:45.400 finesse.js:1029 RECV: <body xmlns='http://jabber.org/protocol/httpbind' sid='7e8d9c0b-1a2b-4c3d-8e4f-5a6b7c8d9e0f'/>
10:04:10.010 finesse.js:1033 SENT: <body rid='1300413' xmlns='http://jabber.org/protocol/httpbind' sid='7e8d9c0b-1a2b-4c3d-8e4f-5a6b7c8d9e0f'/>
10:04:10.120 finesse.js:1029 RECV: <body xmlns='http://jabber.org/protocol/httpbind' sid='7e8d9c0b-1a2b-4c3d-8e4f-5a6b7c8d9e0f' type='terminate' condition='item-not-found'/>
";
    let j = common::json_of(&[("console.log", text)]);
    let f = flow_with(&j, "7e8d9c0b-1a2b-4c3d-8e4f-5a6b7c8d9e0f");
    assert!(!f.is_null(), "{}", j["flows"]);
    let steps = f["steps"].as_array().cloned().unwrap_or_default();
    assert_eq!(steps.len(), 4, "{steps:?}");
    assert_eq!(steps[0]["from"], "Browser");
    assert_eq!(steps[3]["to"], "Browser");
    assert!(steps[3]["label"].as_str().is_some_and(|l| l.contains("item-not-found")));
    assert_eq!(finding(&j, "bosh-terminated").len(), 1, "{}", j["findings"]);
}

/// Truncated, multibyte and absurd lines in each family's shape: decoded in detail (the CLI's
/// JSON), none panics.
#[test]
fn hostile_lines_never_panic() {
    let lines = [
        "Jun 11 15:20:31 mod_bosh\tdebug\tHandling new request é: <body rid='",
        "Jun 11 15:20:31 boshé\tinfo\tDestroying session for ",
        "mod_bosh: Client tried to use sid 'é",
        "Jun 11 15:20:31 mod_bosh\tinfo\tSession é has",
        "2019-03-14 09:41:10.215 [debug] <0.912.0>@ Incoming data: <<\"<body rid=\\\"é",
        "2019-03-14 09:41:10.215 [info] <0.9.0>@m:f/:",
        "=INFO REPORT==== 99-Xyz-2012::99:99:99 ===",
        "=INFO REPORT==== 2012-04-17 08:07:30 ===\nI(<0.é",
        "18:44:00.963 [debug] Send error reply:{body,<<\"é",
        "{body,<<\"x\">>,[{condition,<<\"",
        "[2013-05-02 10:15:01.007] [DEBUG] [é] - 0c9b8a7d-6e5f-4a4b-9c3d-2e1f0a9b8c7é SENT(",
        "[2013-05-02 10:15:01.007] [INFO] [x] - send_terminate_response - condition: ",
        "10:02:15.331 é.js:1 SENT: <body",
        "RECV: <body type='terminate' condition='é",
        "[Strophe][DEBUG]: request id é got ",
        "> POST é HTTP/1.1",
        "< HTTP/1.1 2é0",
        "HTTP/1.1 200 OK\nDate: Tue, 99 Foo 2024 99:99:99 GMT",
        "09:00:02.118273 IP é > : length ",
        "<?xml é?>",
        "<message><delay stamp='",
        "<body rid='1'><message><body>x</body>",
        "<Update><data><dialog><id>",
    ];
    for (i, l) in lines.iter().enumerate() {
        for path in ["prosody.log", "ejabberd.log", "bosh.log", "console.log", "capture.txt", "x.xml"] {
            let text = format!("{l}\n{l}\n{}\n", l.repeat(3));
            let j = common::json_of(&[(path, &text)]);
            assert!(j["records"].as_array().is_some_and(|r| !r.is_empty()), "line {i} in {path}");
        }
    }
}
