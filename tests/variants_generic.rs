//! Variants of what wraps log lines (grep, syslog, e-mail quotes, colour codes, HTML escaping) and
//! of files no family claims (the generic layer). Lines written by the project.

mod common;

use common::variants::{check_all, timed_share, Expect, Variant};

const fn e(line: u64, time: &'static str, utc: &'static str, name: &'static str, fields: &'static [(&'static str, &'static str)]) -> Expect {
    Expect { line, time, utc, name, fields }
}

#[test]
fn wrapped_lines() {
    check_all(&[
        Variant {
            family: "wrapper",
            variant: "grep -H over an OPC log",
            path: "grep-out.txt",
            text: "logs/PG1A/opc.txt:11:02:45:311 PG1A-opc Trace: MakeAgentRoutableInd - InvokeID = 4411, MRDID = 5001, ICMAgentID = 7012, MaxTasks = 3\n\
                   logs/PG1A/opc.txt:11:02:45:312 PG1A-opc Trace: SetAgentState: ASTID=7012 Periph#=5000 MRDomainID=5001 OldState=AS_NOT_READY NewState=AS_NOT_ACTIVE\n",
            format: "opc",
            expect: &[
                e(1, "11:02:45:311", "", "MakeAgentRoutableInd", &[("grep_path", "logs/PG1A/opc.txt"), ("InvokeID", "4411")]),
                e(2, "11:02:45:312", "", "SetAgentState", &[("NewState", "NOT_ACTIVE")]),
            ],
        },
        Variant {
            family: "wrapper",
            variant: "grep -Hn over a 10.x webservices log",
            path: "hits.txt",
            text: "Desktop-webservices.2022-10-04T10-00-00.000.log:2201:0000002201: 172.16.4.20: Oct 04 2022 10:00:12.441 +0200: %CCBU_pool-3-thread-7-6-PRESENCE_NOTIFICATION_RECIEVED: %[FROM JID=3105@fin.example.org/desktop][PRESENCE_TYPE=unavailable]: Received presence notification\n\
                   Desktop-webservices.2022-10-04T10-00-00.000.log:2202:0000002202: 172.16.4.20: Oct 04 2022 10:00:12.445 +0200: %CCBU_CoreImpl-worker3-6-PRESENCE DRIVEN LOGOUT: %[agent_id=3105]: Presence driven logout\n",
            format: "finesse-webservices",
            expect: &[
                e(1, "Oct 04 2022 10:00:12.441 +0200", "2022-10-04T08:00:12.441Z", "PRESENCE_NOTIFICATION_RECIEVED", &[("grep_line", "2201"), ("PRESENCE_TYPE", "unavailable")]),
                e(2, "Oct 04 2022 10:00:12.445 +0200", "2022-10-04T08:00:12.445Z", "PRESENCE DRIVEN LOGOUT", &[("agent_id", "3105")]),
            ],
        },
        Variant {
            family: "wrapper",
            variant: "editor search results over Openfire 3.x info.log",
            path: "search.txt",
            text: "Line 5120: 2016.11.02 08:15:10 Closing idle session (id=a81f22c0): 3105@fin.example.org/desktop after being inactive for more than threshold value of 60\n\
                   Line 5121: 2016.11.02 08:15:10 A session is being closed for 3105@fin.example.org/desktop\n",
            format: "openfire-info",
            expect: &[e(1, "2016.11.02 08:15:10", "", "CLOSING_IDLE_SESSION", &[("grep_line", "5120")]), e(2, "2016.11.02 08:15:10", "", "SESSION_CLOSED", &[])],
        },
        Variant {
            family: "wrapper",
            variant: "quoted in an e-mail, ctisvr",
            path: "mail.txt",
            text: "> 11:02:45:612 cg1A-ctisvr Trace: AGENT_EVENT: ID=3021 Periph=5000 ICMAgentID=7012 AgentState=NOT_ACTIVE\n\
                   > 11:02:46:001 cg1A-ctisvr Trace: ProcessMakeAgentReadyInd - sessionID 9\n",
            format: "ctisvr",
            expect: &[e(1, "11:02:45:612", "", "AGENT_EVENT", &[("AgentState", "NOT_ACTIVE")]), e(2, "11:02:46:001", "", "ProcessMakeAgentReadyInd", &[])],
        },
        Variant {
            family: "wrapper",
            variant: "indented paste of a chat-gateway log",
            path: "ticket.txt",
            text: "    2024-05-02 09:41:10.115 - info: Creating new session. [Type=FACEBOOK_MESSENGER], [ID=5550001112223334] ...\n\
                   \x20   2024-05-02 09:41:20.360 - debug: setSessionState: Setting state of session [ID=5550001112223334] to INFO_WAIT ...\n",
            format: "chat-gateway",
            expect: &[e(2, "2024-05-02 09:41:20.360", "", "setSessionState", &[("state", "INFO_WAIT")])],
        },
        Variant {
            family: "wrapper",
            variant: "HTML-escaped copy of a 12.x webservices line",
            path: "from-wiki.txt",
            text: "220411: [INFO]: [call-id [162811_40012001_1]] [agent-id [2280]]: [Jun 11 2024 15:20:31.902 -0400]: [EVENT_POOL-1-worker-4]: [c.c.c.f.c.XMPPPublishUtils]: [XMPP_PUBLISH_ASYNCHRONOUS] Publishing &lt;Update&gt;&lt;event&gt;PUT&lt;/event&gt;&lt;requestId&gt;9f1c2d3e-0000-4000-8000-00000000a1b2&lt;/requestId&gt;&lt;/Update&gt;\n\
                   220412: [DEBUG]: [call-id []] [agent-id []]: [Jun 11 2024 15:20:31.950 -0400]: [http-nio-8082-exec-5]: [c.c.c.f.r.RequestLogger]: [REQUEST_START] GET /finesse/api/User/2280 &amp;nbsp;\n",
            format: "finesse-webservices-v12",
            expect: &[e(1, "Jun 11 2024 15:20:31.902 -0400", "2024-06-11T19:20:31.902Z", "XMPP_PUBLISH_ASYNCHRONOUS", &[("agent_id", "2280")])],
        },
        Variant {
            family: "wrapper",
            variant: "ANSI colours around a chat-gateway line",
            path: "console.txt",
            text: "\u{1b}[32m2024-05-02 09:41:10.115 - info\u{1b}[39m: Creating new session. [Type=FACEBOOK_MESSENGER], [ID=5550001112223334] ...\n\
                   \u{1b}[36m2024-05-02 09:41:20.360 - debug\u{1b}[39m: setSessionState: Setting state of session [ID=5550001112223334] to TALKING ...\n",
            format: "chat-gateway",
            expect: &[e(2, "2024-05-02 09:41:20.360", "", "setSessionState", &[("state", "TALKING")])],
        },
    ]);
}

#[test]
fn files_no_family_claims() {
    check_all(&[
        Variant {
            family: "generic",
            variant: "log4j with comma milliseconds and a stack trace",
            path: "catalina-app.log",
            text: "2024-06-11 15:20:31,902 INFO  [main] com.example.Boot - started in 2 s\n\
                   2024-06-11 15:20:32,011 ERROR [pool-1] com.example.Sync - sync failed code=503 target=cuic01\n\
                   java.io.IOException: refused\n\
                   \tat com.example.Sync.run(Sync.java:42)\n\
                   2024-06-11 15:20:33,500 WARN  [pool-1] com.example.Sync - retrying in=5s\n",
            format: "text",
            expect: &[
                e(1, "2024-06-11 15:20:31,902", "", "", &[]),
                e(2, "2024-06-11 15:20:32,011", "", "", &[("code", "503"), ("target", "cuic01")]),
                e(5, "2024-06-11 15:20:33,500", "", "", &[]),
            ],
        },
        Variant {
            family: "generic",
            variant: "Tomcat 8.5+ catalina.out",
            path: "catalina.out",
            text: "11-Jun-2024 15:20:31.902 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [10233] milliseconds\n\
                   11-Jun-2024 15:20:35.117 SEVERE [http-nio-8082-exec-2] org.apache.catalina.core.StandardWrapperValve.invoke Servlet.service() threw exception\n",
            format: "text",
            expect: &[e(1, "11-Jun-2024 15:20:31.902", "", "", &[]), e(2, "11-Jun-2024 15:20:35.117", "", "", &[])],
        },
        Variant {
            family: "generic",
            variant: "JSON lines with ISO times and a zone",
            path: "events.jsonl",
            text: "{\"ts\":\"2024-06-11T15:20:31.902-04:00\",\"level\":\"info\",\"agent\":\"2280\",\"event\":\"login\"}\n\
                   {\"ts\":\"2024-06-11T15:20:33.000-04:00\",\"level\":\"warn\",\"agent\":\"2280\",\"event\":\"not_ready\"}\n",
            format: "text",
            expect: &[
                e(1, "2024-06-11T15:20:31.902-04:00", "2024-06-11T19:20:31.902Z", "", &[("agent", "2280"), ("event", "login")]),
                e(2, "2024-06-11T15:20:33.000-04:00", "2024-06-11T19:20:33.000Z", "", &[("event", "not_ready")]),
            ],
        },
        Variant {
            family: "generic",
            variant: "syslog of an unknown program",
            path: "messages",
            text: "<134>Jun 11 15:20:31 vos-pub1 ntpd[812]: synchronized to 10.0.0.5, stratum 2\n\
                   <131>Jun 11 15:20:40 vos-pub1 kernel: eth0: link down\n",
            format: "text",
            expect: &[e(1, "Jun 11 15:20:31", "", "", &[]), e(2, "Jun 11 15:20:40", "", "", &[])],
        },
    ]);
}

/// The generic layer times ≥ 99 % of the lines of files no family claims when they carry any
/// catalogued timestamp.
#[test]
fn generic_files_are_timed() {
    let layouts = [
        "2024-06-11T15:20:{s:02}.{ms:03}Z worker-{n} processed job={n}",
        "2024.06.11 15:20:{s:02} INFO  [pool-{n}]: org.example.Job - done {n}",
        "Jun 11 2024 15:20:{s:02}.{ms:03} -0400: job {n} done",
        "11/Jun/2024:15:20:{s:02} -0400 GET /job/{n} 200",
        "11-Jun-2024 15:20:{s:02}.{ms:03} INFO [main] job {n}",
        "06/11/2024 3:20:{s:02} PM job {n}",
        "Tue Jun 11 15:20:{s:02} EDT 2024 job {n}",
        "15:20:{s:02}.{ms:03} job {n} done",
        "17181336{s:02}.{ms:03} job {n} done",
        "[2024-06-11 15:20:{s:02}.{ms:03}] [INFO] job {n}",
    ];
    for layout in layouts {
        let text: String = (0..200)
            .map(|n| {
                layout.replace("{s:02}", &format!("{:02}", n % 60)).replace("{ms:03}", &format!("{:03}", n * 7 % 1000)).replace("{n}", &n.to_string()) + "\n"
            })
            .collect();
        let share = timed_share("generic.log", &text);
        assert!(share >= 0.99, "{layout}: {share} of lines timed");
    }
}
