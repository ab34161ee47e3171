//! Variants of the UCCX engine (`uccx-mivr`, `uccx-madm`), Openfire (`openfire-*`) and ECE
//! (`ece-listener`, `ece-process`) grammars: lines the project wrote following how each release
//! writes them, with what an engineer must get out of each line. UTC is asserted where the line
//! carries a date and a zone; UCCX lines without a year and Openfire lines (local time, no zone)
//! get their date or zone from neighbouring files, so for them only the time as written is checked
//! (and that UTC stays unknown when nothing else tells it).

mod common;

use common::variants::{check_all, timed_share, Expect, Variant};

const fn e(line: u64, time: &'static str, utc: &'static str, name: &'static str, fields: &'static [(&'static str, &'static str)]) -> Expect {
    Expect { line, time, utc, name, fields }
}

const UCCX: &[Variant] = &[
    Variant {
        family: "uccx-mivr",
        variant: "8.x-11.5: no thread bracket, no space after the colon, SS_TEL call IDs",
        path: "MIVR01.log",
        text: "7104: Jun 03 09:15:02.114 CEST %MIVR-SS_TEL-7-UNK:CallID:41 MediaId:61802/1 Task:52000000311 Digit received: 4\n\
               7105: Jun 03 09:15:02.120 CEST %MIVR-ENG-7-UNK:Execute step of Task 52000000311 : Select Resource (--Triggering Contact-- from CSQ)\n\
               7106: Jun 03 09:15:02.121 CEST %MIVR-SS_RM-7-UNK:RIMgrAddressCallObserver: CallCtlConnEstablishedEv received for call:2000451 [61803/1], address 6120\n\
               7107: Jun 03 09:15:02.125 CEST %MIVR-SS_TEL-7-UNK:CallID:41 MediaId:61802/1 Task:52000000311, transfer(4410, 12000, ACKNOWLEDGED)\n\
               7108: Jun 03 09:15:02.130 CEST %MIVR-STEP_MEDIA_CONTROL-7-UNK:Task:52000000311 GetDigitStringStep (ParseInputStep): Normal Keys collected: 4\n\
               7109: Jun 03 09:15:02.131 CEST %MIVR-SS_CM-7-UNK:Making Monitoring flag=true  old flag value =false\n\
               7110: Jun 03 09:15:02.140 CEST %MIVR-SS_RM-7-UNK: ClearConnectionReqMsgHandler: runHandler connectedAgents.size: 1\n\
               7111: Jun 03 09:15:02.141 CEST %MIVR-SS_TEL-7-UNK:CallID:42 MediaId:61803/1 Task: associated with Task ID: 52000000312\n",
        format: "uccx-mivr",
        expect: &[
            e(1, "Jun 03 09:15:02.114 CEST", "", "Digit received", &[("seq", "7104"), ("facility", "MIVR"), ("callId", "41"), ("mediaId", "61802/1"), ("taskId", "52000000311")]),
            e(2, "Jun 03 09:15:02.120 CEST", "", "Execute step of Task", &[("taskId", "52000000311"), ("step", "Select Resource (--Triggering Contact-- from CSQ)")]),
            e(3, "Jun 03 09:15:02.121 CEST", "", "RIMgrAddressCallObserver", &[("class", "RIMgrAddressCallObserver"), ("subfacility", "SS_RM")]),
            e(4, "Jun 03 09:15:02.125 CEST", "", "transfer", &[("callId", "41"), ("taskId", "52000000311")]),
            e(5, "Jun 03 09:15:02.130 CEST", "", "GetDigitStringStep", &[("taskId", "52000000311")]),
            e(6, "Jun 03 09:15:02.131 CEST", "", "Making Monitoring", &[("flag", "true")]),
            e(7, "Jun 03 09:15:02.140 CEST", "", "ClearConnectionReqMsgHandler", &[("class", "ClearConnectionReqMsgHandler")]),
            e(8, "Jun 03 09:15:02.141 CEST", "", "associated with Task ID", &[("callId", "42"), ("taskId", "52000000312")]),
        ],
    },
    Variant {
        family: "uccx-mivr",
        variant: "a JTAPI call contact (contact, task, application, numbers)",
        path: "MIVR02.log",
        text: "9120: Jun 03 09:14:58.002 CEST %MIVR-SS_TEL-7-UNK:Call.received() JTAPICallContact[id=41,type=Cisco JTAPI Call,implId=61802/1,active=true,state=CALL_RECEIVED,inbound=true,app=App[name=SalesQueue,type=Cisco Script Application,id=3,enabled=true],task=52000000311,session=Session[id=0a1-0x51f2c,parent=null,state=SESSION_IN_USE],seqNum=0,cn=6100,dn=6100,cgn=5550142,ani=null,route=RP[num=6100],port=TP[type=Cisco CTI Port,id=2,implId=6104,state=IN_USE]]\n\
               9121: Jun 03 09:14:58.010 CEST %MIVR-SS_TEL-7-UNK: Call.transferred(4410) - transferring JTAPICallContact[id=41,implId=61802/1,state=CALL_CONNECTED,task=52000000311]\n",
        format: "uccx-mivr",
        expect: &[
            e(
                1,
                "Jun 03 09:14:58.002 CEST",
                "",
                "Call.received",
                &[
                    ("contactType", "JTAPICallContact"),
                    ("contactId", "41"),
                    ("contactImplId", "61802/1"),
                    ("contactState", "CALL_RECEIVED"),
                    ("application", "SalesQueue"),
                    ("taskId", "52000000311"),
                    ("calledNumber", "6100"),
                    ("callingNumber", "5550142"),
                    ("trigger", "6100"),
                    ("sessionId", "0a1-0x51f2c"),
                ],
            ),
            e(2, "Jun 03 09:14:58.010 CEST", "", "Call.transferred", &[("contactState", "CALL_CONNECTED"), ("taskId", "52000000311")]),
        ],
    },
    Variant {
        family: "uccx-mivr",
        variant: "alarm mnemonics with parameters, severities 1-4, the zone touching the percent sign",
        path: "MIVR03.log",
        text: "88: Mar 02 07:41:12.003 PST%MIVR-SS_TEL-3-UNABLE_REGISTER_CTIPORT:Unable to register CTI Port: CTI Port=6104,Exception=com.example.InvalidArgument: address 6104, line 2 unknown\n\
               89: Mar 02 07:41:12.005 PST%MIVR-SS_TEL-7-EXCEPTION:com.example.InvalidArgument: address 6104 unknown\n\
               90: Mar 02 07:41:13.200 PST%MIVR-SS_TEL-1-ModuleRunTimeFailure:Real-time failure in JTAPI subsystem: Module=JTAPI Subsystem,Failure Cause=7,Failure Module=JTAPI_SS,Exception=null\n\
               91: Mar 02 07:41:14.000 PST %MIVR-LIB_MEDIA-7-RTP_PROPERTIES_REASSIGNED:RTP Properties Reassigned: Method Name=setTxDestination(),HOST NAME=192.0.2.40,PORT NUMBER=24580,PACKET SIZE=20\n",
        format: "uccx-mivr",
        expect: &[
            e(1, "Mar 02 07:41:12.003 PST", "", "UNABLE_REGISTER_CTIPORT", &[("description", "Unable to register CTI Port"), ("CTI Port", "6104"), ("Exception", "com.example.InvalidArgument: address 6104, line 2 unknown")]),
            e(2, "Mar 02 07:41:12.005 PST", "", "EXCEPTION", &[("seq", "89")]),
            e(3, "Mar 02 07:41:13.200 PST", "", "ModuleRunTimeFailure", &[("Module", "JTAPI Subsystem"), ("Failure Cause", "7"), ("Failure Module", "JTAPI_SS"), ("Exception", "null")]),
            e(4, "Mar 02 07:41:14.000 PST", "", "RTP_PROPERTIES_REASSIGNED", &[("HOST NAME", "192.0.2.40"), ("PORT NUMBER", "24580"), ("Method Name", "setTxDestination()")]),
        ],
    },
    Variant {
        family: "uccx-mivr",
        variant: "an alarm hard-wrapped in a document, then its exception",
        path: "MIVR-excerpt.txt",
        text: "101: Mar 24 11:37:42.153 PST%MIVR-SS_TEL-4-ModuleRunTimeFailure:Real-time\n\
               failure in JTAPI subsystem: Module=JTAPI Subsystem,\n\
               Failure Cause=7,Failure Module=JTAPI_PROVIDER_INIT,\n\
               Exception=com.example.PlatformException:\n\
               Unable to create provider -- Operation timed out\n\
               102: Mar 24 11:37:42.168 PST%MIVR-SS_TEL-7-EXCEPTION:\n\
               com.example.PlatformException:\n\
               Unable to create provider -- Operation timed out\n",
        format: "uccx-mivr",
        expect: &[
            e(
                1,
                "Mar 24 11:37:42.153 PST",
                "",
                "ModuleRunTimeFailure",
                &[
                    ("description", "Real-time failure in JTAPI subsystem"),
                    ("Module", "JTAPI Subsystem"),
                    ("Failure Cause", "7"),
                    ("Failure Module", "JTAPI_PROVIDER_INIT"),
                    ("Exception", "com.example.PlatformException: Unable to create provider -- Operation timed out"),
                ],
            ),
            e(6, "Mar 24 11:37:42.168 PST", "", "EXCEPTION", &[("seq", "102")]),
        ],
    },
    Variant {
        family: "uccx-mivr",
        variant: "11.6-12.5: thread bracket and logger class, chat contact",
        path: "MIVR04.log",
        text: "20011: Oct 09 10:12:40.551 EDT %MIVR-SS_CHAT-7-UNK:[chatEventConsumer-2] ChatSubsystemLogger: Received Event [ContactEvent [operation=ADD, contactXML=ContactXML [author=Pat Doe, id=AB12CD34EF56AB78CD90EF12AB34CD56, status=unread]]]\n\
               20012: Oct 09 10:12:40.560 EDT %MIVR-SS_CHAT-7-UNK:[ChatContactEvent--AB12CD34EF56AB78CD90EF12AB34CD56 1696860760551] ChatSubsystemLogger: addContact()--Queue for tag is 2\n\
               20013: Oct 09 10:12:40.571 EDT %MIVR-SS_ROUTEANDQUEUE-7-UNK:[ChatContactEvent--AB12CD34EF56AB78CD90EF12AB34CD56 1696860760551] RouteAndQueueSubsystemLogger: Selected agent [ jdoe01 ] for handling the contact. Reserving agent.\n\
               20014: Oct 09 10:12:41.002 EDT %MIVR-SS_RM-7-UNK:[RmCm Event Handler] ResourceManager: Resource jdoe01 state changed from READY to RESERVED\n",
        format: "uccx-mivr",
        expect: &[
            e(1, "Oct 09 10:12:40.551 EDT", "", "ChatSubsystemLogger", &[("thread", "chatEventConsumer-2"), ("class", "ChatSubsystemLogger"), ("operation", "ADD"), ("SocialContactID", "AB12CD34EF56AB78CD90EF12AB34CD56")]),
            e(2, "Oct 09 10:12:40.560 EDT", "", "ChatSubsystemLogger", &[("thread", "ChatContactEvent--AB12CD34EF56AB78CD90EF12AB34CD56 1696860760551"), ("queueId", "2")]),
            e(3, "Oct 09 10:12:40.571 EDT", "", "RouteAndQueueSubsystemLogger", &[("agentId", "jdoe01")]),
            e(4, "Oct 09 10:12:41.002 EDT", "", "ResourceManager", &[("oldState", "READY"), ("newState", "RESERVED"), ("thread", "RmCm Event Handler")]),
        ],
    },
    Variant {
        family: "uccx-mivr",
        variant: "other facilities (MCVD), with the year and a numeric zone, no sequence number",
        path: "MCVD01.log",
        text: "Feb 11 2021 14:02:09.877 +0100 %MCVD-CLUSTER_MGR-3-UNK:[Thread-19] ClusterManager: peer node 2 unreachable\n\
               Feb 11 2021 14:02:10.002 +0100 %MCVD-CLUSTER_MGR-6-UNK:[Thread-19] ClusterManager: peer node 2 back IN_SERVICE\n",
        format: "uccx-mivr",
        expect: &[
            e(1, "Feb 11 2021 14:02:09.877 +0100", "2021-02-11T13:02:09.877Z", "ClusterManager", &[("facility", "MCVD"), ("subfacility", "CLUSTER_MGR"), ("thread", "Thread-19")]),
            e(2, "Feb 11 2021 14:02:10.002 +0100", "2021-02-11T13:02:10.002Z", "ClusterManager", &[]),
        ],
    },
    Variant {
        family: "uccx-mivr",
        variant: "the year with a zone name, no milliseconds",
        path: "MIVR05.log",
        text: "512: Nov 30 2020 23:59:58 EST %MIVR-ENG-7-UNK:Execute step of Task 61000000044 : Terminate (--Triggering Contact--)\n\
               513: Dec 01 2020 00:00:01 EST %MIVR-SS_TEL-7-UNK:CallID:77 MediaId:9001/1 Task:61000000044 Got CallObservationEndedEv\n",
        format: "uccx-mivr",
        expect: &[
            e(1, "Nov 30 2020 23:59:58 EST", "2020-12-01T04:59:58.000Z", "Execute step of Task", &[("step", "Terminate (--Triggering Contact--)")]),
            e(2, "Dec 01 2020 00:00:01 EST", "2020-12-01T05:00:01.000Z", "Got CallObservationEndedEv", &[("callId", "77"), ("mediaId", "9001/1")]),
        ],
    },
    Variant {
        family: "uccx-mivr",
        variant: "no zone, no sequence number",
        path: "MIVR06.log",
        text: "Apr 08 10:14:27.842 %MIVR-SS_TEL-7-UNK:CallID:12 MediaId:29125/1 Task:34000000019 makeCall(6104,3999,10000)\n\
               Apr 08 10:14:27.900 %MIVR-SS_TEL-7-UNK:CallID:12 MediaId:29125/1 Task:34000000019 makeCall is SUCCESSFUL, Conns length =2\n",
        format: "uccx-mivr",
        expect: &[e(1, "Apr 08 10:14:27.842", "", "makeCall", &[("callId", "12")]), e(2, "Apr 08 10:14:27.900", "", "makeCall is SUCCESSFUL", &[("taskId", "34000000019")])],
    },
    Variant {
        family: "uccx-mivr",
        variant: "Cisco VVB engine: CALLID bracket",
        path: "MIVR07.log",
        text: "5012: Nov 14 16:20:01.330 AEDT %MIVR-JASMIN-7-UNK:[CALLID=0A1B2C3D00010000000000AA11223344-170000000000001] NEW_CALL, GUCID=0A1B2C3D00010000000000AA11223344; URI=sip:7001@vvb.example.org\n\
               5013: Nov 14 16:20:01.390 AEDT %MIVR-SS_VB-7-UNK:[CALLID=0A1B2C3D00010000000000AA11223344-170000000000001] Fetching bootstrap document\n\
               5014: Nov 14 16:20:01.402 AEDT %MIVR-JASMIN-7-UNK:[CALLID=0A1B2C3D00010000000000AA11223344-170000000000001] SIP-leg7-7001*, State=ALERTED: Sending 200 OK response.\n",
        format: "uccx-mivr",
        expect: &[
            e(1, "Nov 14 16:20:01.330 AEDT", "", "NEW_CALL", &[("CALLID", "0A1B2C3D00010000000000AA11223344-170000000000001"), ("GUCID", "0A1B2C3D00010000000000AA11223344")]),
            e(2, "Nov 14 16:20:01.390 AEDT", "", "Fetching bootstrap document", &[("subfacility", "SS_VB")]),
            e(3, "Nov 14 16:20:01.402 AEDT", "", "Sending", &[("State", "ALERTED")]),
        ],
    },
    Variant {
        family: "uccx-mivr",
        variant: "JTAPI client lines: provider and thread",
        path: "CiscoJtapi01.log",
        text: "3301: Jan 05 08:00:01.100 CST %JTAPI-PROTOCOL-7-UNK:(P1-198.51.100.7) [ProviderRetryThread] sending: com.cisco.cti.protocol.ProviderOpenRequest {\n\
               provider = 198.51.100.7\n\
               }\n\
               3302: Jan 05 08:00:01.180 CST %JTAPI-JTAPIIMPL-7-UNK:(P1-198.51.100.7) [ProviderRetryThread] Provider OUT_OF_SERVICE to IN_SERVICE\n",
        format: "uccx-mivr",
        expect: &[
            e(1, "Jan 05 08:00:01.100 CST", "", "sending", &[("provider", "P1-198.51.100.7"), ("thread", "ProviderRetryThread"), ("facility", "JTAPI")]),
            e(4, "Jan 05 08:00:01.180 CST", "", "Provider OUT_OF_SERVICE to IN_SERVICE", &[("facility", "JTAPI"), ("subfacility", "JTAPIIMPL")]),
        ],
    },
    Variant {
        family: "uccx-madm",
        variant: "MADM with a thread bracket and a contact XML body",
        path: "MADM01.log",
        text: "8973: Oct 09 10:12:40.384 EDT %MADM-UCCX_WEBSERVICES-7-UNK:[http-bio-443-exec-22] ServiceLogger: New incoming contact : <?xml version=\"1.0\"?>\n\
               <contactXML>\n\
               \x20   <id>AB12CD34EF56AB78CD90EF12AB34CD56</id>\n\
               \x20   <status>unread</status>\n\
               </contactXML>\n\
               8974: Oct 09 10:12:40.390 EDT %MADM-UCCX_WEBSERVICES-7-UNK:[http-bio-443-exec-22] ServiceLogger: Notify for new contact\n",
        format: "uccx-madm",
        expect: &[
            e(1, "Oct 09 10:12:40.384 EDT", "", "ServiceLogger", &[("SocialContactID", "AB12CD34EF56AB78CD90EF12AB34CD56"), ("status", "unread"), ("thread", "http-bio-443-exec-22")]),
            e(6, "Oct 09 10:12:40.390 EDT", "", "ServiceLogger", &[("seq", "8974")]),
        ],
    },
    Variant {
        family: "uccx-madm",
        variant: "10.x without a bracket, with the year; an alarm",
        path: "MADM02.log",
        text: "310: Jan 19 2016 16:02:45.710 CST %MADM-ADM_CFG-7-UNK:AppAdminUtil: Entering - getCsqName(3)\n\
               311: Jan 19 2016 16:02:45.733 CST %MADM-DB_MGR-3-DB_CONN_ERROR:Database connection error: Reason=timeout,Datasource=db_cra\n",
        format: "uccx-madm",
        expect: &[
            e(1, "Jan 19 2016 16:02:45.710 CST", "2016-01-19T22:02:45.710Z", "AppAdminUtil", &[("class", "AppAdminUtil"), ("facility", "MADM")]),
            e(2, "Jan 19 2016 16:02:45.733 CST", "2016-01-19T22:02:45.733Z", "DB_CONN_ERROR", &[("Reason", "timeout"), ("Datasource", "db_cra")]),
        ],
    },
];

const OPENFIRE: &[Variant] = &[
    Variant {
        family: "openfire",
        variant: "Finesse 3.x debug.log (message only, or Component: message)",
        path: "openfire/debug.log",
        text: "2017.06.17 00:14:34 Session (id=f382a015) was last active 13230 ms ago: 1001003@fin-a.example.com/desktop\n\
               2017.06.17 00:14:35 HTTPBindLog: HTTP RECVC(f382a015): <body sid=\"f382a015\" rid=\"164853270\"/>\n\
               2017.06.17 00:17:04 Unable to route packet. No session is available so store offline. <message from=\"pubsub.fin-a.example.com\" to=\"1001003@fin-a.example.com\"/>\n\
               2017.06.17 00:17:05 Launching thread for /127.0.0.1:44678\n",
        format: "openfire-debug",
        expect: &[
            e(1, "2017.06.17 00:14:34", "", "SESSION_LAST_ACTIVE", &[("session_id", "f382a015"), ("last_active_ms", "13230"), ("lastActiveMs", "13230"), ("jid", "1001003@fin-a.example.com/desktop")]),
            e(2, "2017.06.17 00:14:35", "", "HTTP_RECV", &[("sid", "f382a015"), ("rid", "164853270")]),
            e(3, "2017.06.17 00:17:04", "", "UNABLE_TO_ROUTE", &[("routeFailure", "No session is available so store offline.")]),
            e(4, "2017.06.17 00:17:05", "", "Launching thread for", &[]),
        ],
    },
    Variant {
        family: "openfire",
        variant: "Finesse 3.x info.log",
        path: "openfire/info.log",
        text: "2017.06.17 00:16:04 Closing idle session (id=f382a015): 1001003@fin-a.example.com/desktop after being inactive for more than threshold value of 60\n\
               2017.06.17 00:16:04 A session is being closed for 1001003@fin-a.example.com/desktop\n",
        format: "openfire-info",
        expect: &[
            e(1, "2017.06.17 00:16:04", "", "CLOSING_IDLE_SESSION", &[("session_id", "f382a015"), ("threshold_s", "60"), ("inactivityThreshold", "60"), ("jid", "1001003@fin-a.example.com/desktop")]),
            e(2, "2017.06.17 00:16:04", "", "SESSION_CLOSED", &[("jid", "1001003@fin-a.example.com/desktop")]),
        ],
    },
    Variant {
        family: "openfire",
        variant: "3.7-4.x info.log: logger - message; 4.x session messages (ISO durations)",
        path: "logs/info.log",
        text: "2019.05.14 09:12:00 org.jivesoftware.openfire.http.HttpSessionManager - Session 7c2e91aa was last active PT31.004S ago: 4410@fin-b.example.net/desktop from IP 10.1.2.3  currently on rid 40212\n\
               2019.05.14 09:12:00 org.jivesoftware.openfire.http.HttpSessionManager - Closing idle session 7c2e91aa: 4410@fin-b.example.net/desktop from IP 10.1.2.3\n\
               2019.05.14 09:12:01 org.jivesoftware.openfire.http.HttpBindServlet - HTTP SENT(7c2e91aa): <body xmlns='http://jabber.org/protocol/httpbind' type='terminate' condition='item-not-found'/>\n",
        format: "openfire-info",
        expect: &[
            e(
                1,
                "2019.05.14 09:12:00",
                "",
                "SESSION_LAST_ACTIVE",
                &[("sid", "7c2e91aa"), ("lastActiveMs", "31004"), ("jid", "4410@fin-b.example.net/desktop"), ("ip", "10.1.2.3"), ("rid", "40212"), ("logger", "org.jivesoftware.openfire.http.HttpSessionManager")],
            ),
            e(2, "2019.05.14 09:12:00", "", "CLOSING_IDLE_SESSION", &[("sid", "7c2e91aa"), ("jid", "4410@fin-b.example.net/desktop"), ("ip", "10.1.2.3")]),
            e(3, "2019.05.14 09:12:01", "", "HTTP_SENT", &[("sid", "7c2e91aa"), ("bodyType", "terminate"), ("condition", "item-not-found")]),
        ],
    },
    Variant {
        family: "openfire",
        variant: "3.7-4.x debug.log: invalid session, retransmission",
        path: "logs/debug.log",
        text: "2019.05.14 09:11:31 org.jivesoftware.openfire.http.HttpBindServlet - Client provided invalid session: 5d0e7f11. [10.1.2.3]\n\
               2019.05.14 09:11:32 org.jivesoftware.openfire.http.HttpSession - Session 7c2e91aa requesting a retransmission for rid 40211\n",
        format: "openfire-debug",
        expect: &[
            e(1, "2019.05.14 09:11:31", "", "INVALID_SESSION", &[("sid", "5d0e7f11"), ("ip", "10.1.2.3")]),
            e(2, "2019.05.14 09:11:32", "", "Session", &[("logger", "org.jivesoftware.openfire.http.HttpSession")]),
        ],
    },
    Variant {
        family: "openfire",
        variant: "3.7-4.x warn.log",
        path: "logs/warn.log",
        text: "2019.05.14 09:13:44 org.jivesoftware.openfire.http.HttpSession - Deliverable unavailable for 40230 in session 7c2e91aa\n\
               2019.05.14 09:13:50 org.jivesoftware.openfire.spi.RoutingTableImpl - Failed to route packet to JID: 4410@fin-b.example.net/desktop packet: <message id='x1'/>\n",
        format: "openfire-warn",
        expect: &[
            e(1, "2019.05.14 09:13:44", "", "RID_NOT_AVAILABLE", &[]),
            e(2, "2019.05.14 09:13:50", "", "FAILED_TO_ROUTE", &[("routeFailure", "Failed to route packet to JID 4410@fin-b.example.net/desktop")]),
        ],
    },
    Variant {
        family: "openfire",
        variant: "3.7-4.x error.log with a stack trace",
        path: "logs/error.log",
        text: "2019.05.14 09:14:02 org.jivesoftware.openfire.http.HttpBindServlet - Error sending packet to client.\n\
               org.jivesoftware.openfire.http.HttpConnectionClosedException: The http connection is no longer available\n\
               \tat org.jivesoftware.openfire.http.HttpConnection.deliverBody(HttpConnection.java:120)\n\
               2019.05.14 09:14:09 org.jivesoftware.openfire.nio.ConnectionHandler - Closing connection due to exception in session: 10.1.2.9\n",
        format: "openfire-error",
        expect: &[e(1, "2019.05.14 09:14:02", "", "Error sending packet to client", &[("logger", "org.jivesoftware.openfire.http.HttpBindServlet")]), e(4, "2019.05.14 09:14:09", "", "CONNECTION_CLOSED", &[])],
    },
    Variant {
        family: "openfire",
        variant: "3.0-3.6 error.log: the caller in brackets",
        path: "error.log",
        text: "2009.03.11 10:39:13 [org.jivesoftware.openfire.net.SocketReadingMode.negotiateTLS(SocketReadingMode.java:169)] Error while negotiating TLS\n\
               2009.03.11 10:39:20 [org.jivesoftware.openfire.spi.RoutingTableImpl.routePacket(RoutingTableImpl.java:240)] Failed to route packet to JID: 4410@im.example.net/spark\n",
        format: "openfire-error",
        expect: &[
            e(1, "2009.03.11 10:39:13", "", "Error while negotiating TLS", &[("caller", "org.jivesoftware.openfire.net.SocketReadingMode.negotiateTLS(SocketReadingMode.java:169)")]),
            e(2, "2009.03.11 10:39:20", "", "FAILED_TO_ROUTE", &[]),
        ],
    },
    Variant {
        family: "openfire",
        variant: "4.x all.log: level and thread columns",
        path: "logs/all.log",
        text: "2019.05.14 09:11:30 INFO  [qtp1394336709-51]: org.jivesoftware.openfire.http.HttpBindServlet - HTTP RECV(7c2e91aa): <body rid='40211' sid='7c2e91aa' xmlns='http://jabber.org/protocol/httpbind'/>\n\
               2019.05.14 09:11:59 DEBUG [TaskEngine-pool-3]: org.jivesoftware.openfire.http.HttpBindServlet - HTTP ERR(7c2e91aa): terminate, item-not-found.\n\
               2019.05.14 09:12:00 ERROR [httpbind-worker-2]: org.jivesoftware.openfire.http.HttpBindServlet - Error sending packet to client.\n\
               java.io.IOException: Broken pipe\n\
               2019.05.14 09:12:01 WARN  [socket_c2s-thread-3]: org.jivesoftware.openfire.pubsub.PubSubEngine - Node not found: /finesse/api/User/4410\n",
        format: "openfire-all",
        expect: &[
            e(1, "2019.05.14 09:11:30", "", "HTTP_RECV", &[("thread", "qtp1394336709-51"), ("sid", "7c2e91aa"), ("rid", "40211"), ("area", "bosh")]),
            e(2, "2019.05.14 09:11:59", "", "HTTP_ERR", &[("sid", "7c2e91aa"), ("errorType", "terminate"), ("condition", "item-not-found")]),
            e(3, "2019.05.14 09:12:00", "", "Error sending packet to client", &[("thread", "httpbind-worker-2")]),
            e(5, "2019.05.14 09:12:01", "", "Node not found", &[("logger", "org.jivesoftware.openfire.pubsub.PubSubEngine"), ("area", "pubsub")]),
        ],
    },
    Variant {
        family: "openfire",
        variant: "4.6+ openfire.log: milliseconds, ANSI-highlighted level",
        path: "logs/openfire.log",
        text: "2022.01.20 16:40:03.128 \u{1b}[33mWARN \u{1b}[m [TaskEngine-pool-2]: org.jivesoftware.openfire.http.HttpSession - Overactivity detected, too many simultaneous requests.\n\
               2022.01.20 16:40:05.001 \u{1b}[32mINFO \u{1b}[m [TaskEngine-pool-2]: org.jivesoftware.openfire.http.HttpSessionManager - Session 91aa0c2e was last active PT1M2.5S ago: 5120@fin-c.example.com/desktop from IP 192.0.2.10  currently on rid 700123\n",
        format: "openfire-all",
        expect: &[
            e(1, "2022.01.20 16:40:03.128", "", "OVERACTIVITY", &[("thread", "TaskEngine-pool-2")]),
            e(2, "2022.01.20 16:40:05.001", "", "SESSION_LAST_ACTIVE", &[("lastActiveMs", "62500"), ("sid", "91aa0c2e"), ("rid", "700123")]),
        ],
    },
];

const ECE: &[Variant] = &[
    Variant {
        family: "ece-listener",
        variant: "11.x-12.x: ARM traffic with byte dumps, empty method field",
        path: "listener.log",
        text: "2023-02-14 09:15:42.118 GMT+0000 <@> INFO <@> [221:Thread-14] <@> ProcessId:3120 <@> PID:1 <@> UID:12 <@> HttpSessionId: <@> com.ipcc.listener.AgentAvailabilityStatusHandler <@> <@> AgentAvailabilityStatusHandler:agentIsAvailable() MAKE_AGENT_ROUTABLE_IND to ARM <@>\n\
               2023-02-14 09:15:42.120 GMT+0000 <@> INFO <@> [221:Thread-14] <@> ProcessId:3120 <@> PID:1 <@> UID:12 <@> HttpSessionId: <@> com.ipcc.listener.arm.ARMLogger <@> <@> Sending MAKE_AGENT_READY_IND -> 0 0 0 14 0 0 0 -99 0 0 17 92 0 0 19 -120 0 0 27 102 0 1 <@>\n",
        format: "ece-listener",
        expect: &[
            e(1, "2023-02-14 09:15:42.118 GMT+0000", "2023-02-14T09:15:42.118Z", "MAKE_AGENT_ROUTABLE_IND", &[("thread", "221:Thread-14"), ("ProcessId", "3120"), ("UID", "12"), ("HttpSessionId", "")]),
            e(2, "2023-02-14 09:15:42.120 GMT+0000", "2023-02-14T09:15:42.120Z", "MAKE_AGENT_READY_IND", &[("direction", "Sending"), ("MessageType", "MAKE_AGENT_READY_IND"), ("InvokeID", "4444"), ("MRDID", "5000"), ("ICMAgentID", "7014")]),
        ],
    },
    Variant {
        family: "ece-listener",
        variant: "hard-wrapped in an e-mail (fields and the byte dump cut), an object dump",
        path: "listener-excerpt.txt",
        text: "2021-09-30 17:02:11.840 GMT-0400 <@> INFO <@> [88:listener-event-pool-priority-arm-request-executor::-3] <@> ProcessId:7716\n\
               <@> PID:1 <@> UID:1042 <@> HttpSessionId:Qm9ndXNTZXNzaW9uMDAx <@>\n\
               com.ipcc.listener.arm.ARMLogger <@>\n\
               <@> Sending MEDIA_LOGIN_REQ -> 0 0 0 27 0 0 0 -105 0 0 48 57 0 0 19 -120 0 0 19 -87 0 0 0 0 0 0 0\n\
               1 107 5 49 48 52 50 0 <@>\n\
               2021-09-30 17:02:11.990 GMT-0400 <@> INFO <@> [71:Thread-9] <@> ProcessId:7716 <@> PID:1 <@>\n\
               UID:12 <@> HttpSessionId:\n\
               <@> com.ipcc.listener.arm.ARMLogger <@> <@> Received MEDIA_LOGIN_RESP -> 0 0 0 8 0 0 0 -104 0\n\
               0 48 57 0 0 0 0 <@>\n\
               2021-09-30 17:02:12.003 GMT-0400 <@> WARN <@> [90:Thread-11] <@> ProcessId:7716 <@> PID:1 <@> UID:12 <@> HttpSessionId: <@> com.ipcc.listener.AgentStateManager <@> printState() <@> agent 5120 state dump follows\n\
               loginState= LOGGED_IN\n\
               =====\n",
        format: "ece-listener",
        expect: &[
            e(
                1,
                "2021-09-30 17:02:11.840 GMT-0400",
                "2021-09-30T21:02:11.840Z",
                "MEDIA_LOGIN_REQ",
                &[("UID", "1042"), ("HttpSessionId", "Qm9ndXNTZXNzaW9uMDAx"), ("InvokeID", "12345"), ("ICMAgentID", "5033"), ("MRDID", "5000"), ("AgentInfo", "1042")],
            ),
            e(6, "2021-09-30 17:02:11.990 GMT-0400", "2021-09-30T21:02:11.990Z", "MEDIA_LOGIN_RESP", &[("UID", "12"), ("InvokeID", "12345"), ("Status", "0")]),
            e(10, "2021-09-30 17:02:12.003 GMT-0400", "2021-09-30T21:02:12.003Z", "printState", &[("method", "printState()"), ("ProcessId", "7716")]),
        ],
    },
    Variant {
        family: "ece-listener",
        variant: "fewer fields (no PID/UID/HttpSessionId), a half-hour zone, levels PERF and DBQUERY",
        path: "listener.log",
        text: "2024-07-01 11:30:00.004 GMT+05:30 <@> PERF <@> [12:ArmHeartbeat] <@> ProcessId:902 <@> com.ipcc.listener.arm.ArmConnection <@> sendHeartbeat() <@> heartbeat sent in 3 ms <@>\n\
               2024-07-01 11:30:00.010 GMT+05:30 <@> DBQUERY <@> [12:ArmHeartbeat] <@> ProcessId:902 <@> com.ipcc.listener.dataaccess.AgentDAO <@> <@> SELECT user_state FROM egpl_user <@>\n",
        format: "ece-listener",
        expect: &[
            e(1, "2024-07-01 11:30:00.004 GMT+05:30", "2024-07-01T06:00:00.004Z", "sendHeartbeat", &[("ProcessId", "902"), ("method", "sendHeartbeat()"), ("message", "heartbeat sent in 3 ms")]),
            e(2, "2024-07-01 11:30:00.010 GMT+05:30", "2024-07-01T06:00:00.010Z", "SELECT user_state FROM egpl_user", &[("message", "SELECT user_state FROM egpl_user")]),
        ],
    },
    Variant {
        family: "ece-process",
        variant: "EIM/WIM 4.x-ECE 12.x process log: method field, stack trace",
        path: "eg_log_ECEAPP1_ApplicationServer.log",
        text: "2012-06-01 08:02:11.410 GMT-0400 <@> ERROR <@> [57:Thread-9] <@> ProcessId:2212 <@> PID:1 <@> UID:12 <@> HttpSessionId:  <@> com.egain.platform.framework.dataaccess.DataAccess <@> runQuery() <@> Query failed : agent::get_state <@>\n\
               java.sql.SQLException: timeout\n\
               \tat com.egain.platform.framework.dataaccess.DataAccess.runQuery(DataAccess.java:88)\n\
               2012-06-01 08:02:12.002 GMT-0400 <@> INFO <@> [61:http-nio-9001-exec-4] <@> ProcessId:2212 <@> PID:1 <@> UID:1001 <@> HttpSessionId:AbCdEf0123 <@> com.egain.platform.module.chat.EntryPointController <@> initialize() <@> chat entry point 1001 initialized <@>\n",
        format: "ece-process",
        expect: &[
            e(1, "2012-06-01 08:02:11.410 GMT-0400", "2012-06-01T12:02:11.410Z", "runQuery", &[("method", "runQuery()"), ("message", "Query failed : agent::get_state"), ("thread", "57:Thread-9")]),
            e(4, "2012-06-01 08:02:12.002 GMT-0400", "2012-06-01T12:02:12.002Z", "initialize", &[("HttpSessionId", "AbCdEf0123"), ("UID", "1001")]),
        ],
    },
];

#[test]
fn uccx_variants() {
    check_all(UCCX);
}

#[test]
fn openfire_variants() {
    check_all(OPENFIRE);
}

#[test]
fn ece_variants() {
    check_all(ECE);
}

/// Every variant file of these families writes a time on each record: ≥ 99 % of its lines are
/// inside timed records.
#[test]
fn variant_files_are_timed() {
    let mut low = Vec::new();
    for v in UCCX.iter().chain(OPENFIRE).chain(ECE) {
        let share = timed_share(v.path, v.text);
        if share < 0.99 {
            low.push(format!("{} / {}: {share}", v.family, v.variant));
        }
    }
    assert!(low.is_empty(), "{}", low.join("\n"));
}

/// Local times without a zone stay without UTC when nothing else tells the zone, and UCCX lines
/// without a year stay without a date: the clock inference, not the grammar, places them.
#[test]
fn local_times_wait_for_the_clock() {
    let j = common::json_of(&[("debug.log", "2019.05.14 09:11:31 org.example.Foo - hello\n")]);
    assert!(j["records"][0]["time"]["utc"].is_null(), "{}", j["records"][0]["time"]);
    let j = common::json_of(&[("MIVR01.log", "1: Jun 03 09:15:02.114 CEST %MIVR-ENG-7-UNK:Execute step of Task 1 : Start\n")]);
    assert!(j["records"][0]["time"]["utc"].is_null(), "{}", j["records"][0]["time"]);
}

/// A UCCX line without a year takes it from the files around it (here the MADM log of the same
/// capture) and then has a UTC time from its own zone.
#[test]
fn uccx_year_from_the_capture() {
    let j = common::json_of(&[
        ("case/MIVR01.log", "7104: Jun 03 09:15:02.114 EDT %MIVR-SS_TEL-7-UNK:CallID:41 MediaId:61802/1 Task:52000000311 Digit received: 4\n"),
        ("case/MADM01.log", "310: Jun 03 2021 09:14:45.710 EDT %MADM-ADM_CFG-7-UNK:AppAdminUtil: Entering - getCsqName(3)\n"),
    ]);
    let r = j["records"].as_array().into_iter().flatten().find(|r| r["file"] == "case/MIVR01.log").cloned().unwrap_or_default();
    assert_eq!(r["time"]["utc"], "2021-06-03T13:15:02.114Z", "{r}");
}

/// A bare alarm (the `%MIVR-…` part quoted without its header) is read, untimed.
#[test]
fn bare_alarm_is_read() {
    let j =
        common::json_of(&[("alarm.txt", "%MIVR-SS_TEL-4-ModuleRunTimeFailure:Real-time failure in JTAPI subsystem: Module=JTAPI Subsystem,Failure Cause=7\n")]);
    assert_eq!(j["files"][0]["format"], "uccx-mivr");
    assert_eq!(j["records"][0]["name"], "ModuleRunTimeFailure");
    assert_eq!(j["records"][0]["severity"], "4");
    assert_eq!(j["records"][0]["fields"]["Failure Cause"], "7");
}

/// Lines of other products that look alike are not UCCX: CCBU (`%CCBU_…`), Cisco IOS syslog
/// (`%FAC-SEV-MNEMONIC`, no sub-facility).
#[test]
fn look_alikes_are_not_uccx() {
    let j = common::json_of(&[(
        "x.log",
        "0000001: 10.0.0.1: Apr 14 2017 14:01:17.196 -0700: %CCBU_CTIMessageEventExecutor-0-6-DECODED_MESSAGE_FROM_CTI_SERVER: %[a=b]: x\n\
         Apr 14 14:01:17.196: %LINEPROTO-5-UPDOWN: Line protocol on Interface Gi0/1, changed state to up\n",
    )]);
    assert_ne!(j["files"][0]["format"], "uccx-mivr");
}
