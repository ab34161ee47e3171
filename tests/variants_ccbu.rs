//! Variants of the Cisco CCBU grammar (Finesse webservices 9.x–12.6, Finesse on UCCX, CCP /
//! SocialMiner, CUIC), of the Finesse desktop client log and of the Tomcat access logs in front of
//! them. Every line here was written by the project after the grammar the products write (see the
//! `//!` blocks of `src/formats/finesse.rs`, `ccp.rs`, `cuic.rs`, `tomcat.rs`).
//!
//! An empty `utc` means the line has no date or no zone (a time of day, or a stamp without a
//! zone): its UTC depends on the file's clock, which is not what these lines test.

mod common;

use common::variants::{check_all, timed_share, Expect, Variant};

const fn e(line: u64, time: &'static str, utc: &'static str, name: &'static str, fields: &'static [(&'static str, &'static str)]) -> Expect {
    Expect { line, time, utc, name, fields }
}

// --- Finesse webservices (CCBU) ------------------------------------------------------------------

const WS_BARE: Variant = Variant {
    family: "finesse-webservices",
    variant: "9.x bare %CCBU lines (no sequence, host or time)",
    path: "Desktop-webservices.log",
    text: "%CCBU_http-8443-3-6-REQUEST_START: %[method_name=GET][parameter_name={ nocache=[1700000000123], }][resource_name=/User/3105][usr=3105]: Request start\n\
           %CCBU_Smack Listener Processor (1)-6-PRESENCE_NOTIFICATION_RECIEVED: %[FROM JID=3105@fin-a.example.org/desktop][PRESENCE_TYPE=unavailable]: Finesse received a presence notification\n\
           %CCBU_http-8443-3-6-REQUEST_END: %[elapsed_time=12]: Request complete\n",
    format: "finesse-webservices",
    expect: &[
        e(1, "", "", "REQUEST_START", &[("method", "GET"), ("resource", "/User/3105"), ("usr", "3105"), ("nocache", "1700000000123")]),
        e(2, "", "", "PRESENCE_NOTIFICATION_RECIEVED", &[("presenceType", "unavailable"), ("from", "3105@fin-a.example.org/desktop")]),
        e(3, "", "", "REQUEST_END", &[("elapsed_time", "12")]),
    ],
};

const WS_NUMBERED: Variant = Variant {
    family: "finesse-webservices",
    variant: "10.x/11.x numbered: host, host with a doubled colon, empty host",
    path: "Desktop-webservices.2022-10-04T10-00-00.000.log",
    text: "0000002201: 172.16.4.20: Oct 04 2022 10:00:12.441 +0200: %CCBU_http-nio-8082-exec-4-6-API_REQUEST: %[REQUEST_URL=User/3105][agent_id=3105][request_identifier=5d2c8e10-1a2b-4c3d-9e8f-a0b1c2d3e4f5][request_method=user.PUT][request_parameters= state:NOT_READY]: Request from client to webservice api\n\
           0000002202: 172.16.4.20:: Oct 04 2022 10:00:12.445 +0200: %CCBU_CoreImpl-worker3-6-PRESENCE DRIVEN LOGOUT: %[agent_id=3105]: Performing CTI Logout on basis of the agents unavailable presence\n\
           0000002203:: Oct 04 2022 10:00:13.002 +0200: %CCBU_CTIMessageEventExecutor-0-6-DECODED_MESSAGE_FROM_CTI_SERVER: %[cti_message=CTIAgentStateEvent [skillGroupState=1 (LOGOUT), agentState=1 (LOGOUT), eventReasonCode=255, agentID=3105, MRDId=1]CTIMessageBean [invokeID=null, msgID=30, msgName=AgentStateEvent, deploymentType=CCE]][cti_response_time=1]: Decoded Message to Finesse from backend cti server\n\
           0000002204: fin-b.example.org: Oct 04 2022 10:00:13.010 +0200: %CCBU_pool-5-thread-4-6-MESSAGE_TO_CTI_SERVER: %[cti_message=Invoke id :41 , agentstate : 1, workmode : 0, reason code: 255, agentid: 3105][cti_message_name=SetAgentStateReq]: Message going to the backend cti server\n\
           0000002205: fd00:10::20: Oct 04 2022 10:00:14.000 +0200: %CCBU_pool-8-thread-1-6-AGENT_PRESENCE_MONITOR: %[message_string=Adding agent 3105 into the expiry hash.]:\n",
    format: "finesse-webservices",
    expect: &[
        e(
            1,
            "Oct 04 2022 10:00:12.441 +0200",
            "2022-10-04T08:00:12.441Z",
            "API_REQUEST",
            &[("seq", "0000002201"), ("host", "172.16.4.20"), ("agent_id", "3105"), ("requestId", "5d2c8e10-1a2b-4c3d-9e8f-a0b1c2d3e4f5")],
        ),
        e(2, "Oct 04 2022 10:00:12.445 +0200", "2022-10-04T08:00:12.445Z", "PRESENCE DRIVEN LOGOUT", &[("host", "172.16.4.20"), ("agent_id", "3105")]),
        e(
            3,
            "Oct 04 2022 10:00:13.002 +0200",
            "2022-10-04T08:00:13.002Z",
            "DECODED_MESSAGE_FROM_CTI_SERVER",
            &[("seq", "0000002203"), ("agentState", "1"), ("agentStateName", "LOGOUT"), ("agentID", "3105")],
        ),
        e(4, "Oct 04 2022 10:00:13.010 +0200", "2022-10-04T08:00:13.010Z", "MESSAGE_TO_CTI_SERVER", &[("host", "fin-b.example.org"), ("cti_message_name", "SetAgentStateReq"), ("InvokeID", "41")]),
        e(5, "Oct 04 2022 10:00:14.000 +0200", "2022-10-04T08:00:14.000Z", "AGENT_PRESENCE_MONITOR", &[("host", "fd00:10::20")]),
    ],
};

const WS_DEBUG: Variant = Variant {
    family: "finesse-webservices",
    variant: "stamp without sequence; thread before the severity; {Thrd=} params body; mnemonic with spaces",
    path: "Desktop-webservices.2022-10-05T08-00-00.000.log",
    text: "Oct 05 2022 08:00:00.010 -0700: %CCBU_pool-21-thread-1-6-QUEUE_STATISTICS_REQUEST: %[count=40]: Starting new round of querying active queue statistics\n\
           Oct 05 2022 08:00:00.031 -0700: %CCBU_pool-19-thread-4-7-CTIWriter.getQueryQueueStatisticsReq():  {Thrd=pool-19-thread-4} params : invokeId=5120, queueId=4410\n\
           Oct 05 2022 08:00:02.900 -0700: %CCBU_pool-21-thread-1-3-QUEUE STATISTICS POLLING ERROR: %[ERROR_DESCRIPTION= pool saturated][error_message=discarding]: Error during queue statistics polling\n",
    format: "finesse-webservices",
    expect: &[
        e(1, "Oct 05 2022 08:00:00.010 -0700", "2022-10-05T15:00:00.010Z", "QUEUE_STATISTICS_REQUEST", &[("count", "40")]),
        e(
            2,
            "Oct 05 2022 08:00:00.031 -0700",
            "2022-10-05T15:00:00.031Z",
            "CTIWriter.getQueryQueueStatisticsReq()",
            &[("Thrd", "pool-19-thread-4"), ("invokeId", "5120"), ("InvokeID", "5120"), ("queueId", "4410")],
        ),
        e(3, "Oct 05 2022 08:00:02.900 -0700", "2022-10-05T15:00:02.900Z", "QUEUE STATISTICS POLLING ERROR", &[("ERROR_DESCRIPTION", "pool saturated")]),
    ],
};

const WS_UCCX: Variant = Variant {
    family: "finesse-webservices",
    variant: "Finesse on UCCX: empty host, stamps without milliseconds, zone or year",
    path: "Desktop-webservices.2023-01-09T11-00-00.000.log",
    text: "0000000410:: Jan 09 2023 11:00:04: %CCBU_Smack Listener Processor (2)-6-PRESENCE_NOTIFICATION_RECIEVED: %[FROM JID=agent7@uccx-a.example.org/desktop][PRESENCE_TYPE=available]: Finesse received a presence notification\n\
           0000000411: uccx-a: Jan 09 11:00:05.120 -0500: %CCBU_http-nio-8082-exec-3-6-API_REQUEST: %[REQUEST_URL=User/agent7][agent_id=agent7][request_identifier=6f0a2b1c-0d1e-4f20-8a3b-4c5d6e7f8091][request_method=user.PUT][request_parameters= state:READY]: Request from client to webservice api\n\
           0000000412: uccx-a: %CCBU_http-nio-8082-exec-3-6-REQUEST_END: %[elapsed_time=7]: Request complete\n",
    format: "finesse-webservices",
    expect: &[
        e(1, "Jan 09 2023 11:00:04", "", "PRESENCE_NOTIFICATION_RECIEVED", &[("seq", "0000000410"), ("presenceType", "available")]),
        e(2, "Jan 09 11:00:05.120 -0500", "", "API_REQUEST", &[("host", "uccx-a"), ("requestId", "6f0a2b1c-0d1e-4f20-8a3b-4c5d6e7f8091"), ("agent_id", "agent7")]),
        e(3, "", "", "REQUEST_END", &[("seq", "0000000412"), ("host", "uccx-a"), ("elapsed_time", "7")]),
    ],
};

const WS_GREP_N: Variant = Variant {
    family: "finesse-webservices",
    variant: "grep -n output: the line number swallowed the sequence (`: <stamp>: %CCBU…`)",
    path: "grep.txt",
    text: "2201:: Oct 04 2022 10:00:12.441 +0200: %CCBU_pool-3-thread-7-6-PRESENCE_NOTIFICATION_RECIEVED: %[FROM JID=3105@fin-a.example.org/desktop][PRESENCE_TYPE=unavailable]: Finesse received a presence notification\n\
           2260:: Oct 04 2022 10:01:12.447 +0200: %CCBU_CoreImpl-worker3-6-PRESENCE DRIVEN LOGOUT: %[agent_id=3105]: Performing CTI Logout\n",
    format: "finesse-webservices",
    expect: &[
        e(1, "Oct 04 2022 10:00:12.441 +0200", "2022-10-04T08:00:12.441Z", "PRESENCE_NOTIFICATION_RECIEVED", &[("presenceType", "unavailable")]),
        e(2, "Oct 04 2022 10:01:12.447 +0200", "2022-10-04T08:01:12.447Z", "PRESENCE DRIVEN LOGOUT", &[("agent_id", "3105")]),
    ],
};

const WS_CTI_BODIES: Variant = Variant {
    family: "finesse-webservices",
    variant: "11.x CTI bodies: `(NAME)` after numbers, null values, empty and nested lists, a Conf with invokeID",
    path: "Desktop-webservices.2019-03-18T09-00-00.000.log",
    text: "0000118804: 10.20.30.41: Mar 18 2019 09:14:02.517 -0500: %CCBU_CTIMessageEventExecutor-0-6-DECODED_MESSAGE_FROM_CTI_SERVER: %[cti_message=CTIAgentStateEvent [skillGroupState=7 (BUSY_OTHER), stateDuration=0, skillGroupNumber=61020, agentState=8 (RESERVED), eventReasonCode=0, numFltSkillGroups=0, agentID=4417, agentExtension=74417, agentID_Long=null, fltSkillGroupNumberList=[], fltSkillGroupIDList=[], ICMAgentID=5309, MRDId=1]CTIMessageBean [invokeID=null, msgID=30, msgName=AgentStateEvent]][cti_response_time=0]: Decoded Message to Finesse from backend cti server\n\
           0000118805: 10.20.30.41: Mar 18 2019 09:14:02.530 -0500: %CCBU_CTIMessageEventExecutor-0-6-DECODED_MESSAGE_FROM_CTI_SERVER: %[cti_message=CTIQueryAgentStateConf [invokeID=9120, agentState=3 (READY) , numSkillGroups=2, skillGroupIDs=[5001, 5002], agentID=4417, icmAgentID=5309]CTIMessageBean [msgID=37]][cti_response_time=2]: Decoded Message to Finesse from backend cti server\n",
    format: "finesse-webservices",
    expect: &[
        e(
            1,
            "Mar 18 2019 09:14:02.517 -0500",
            "2019-03-18T14:14:02.517Z",
            "DECODED_MESSAGE_FROM_CTI_SERVER",
            &[
                ("skillGroupState", "7"),
                ("skillGroupStateName", "BUSY_OTHER"),
                ("agentState", "8"),
                ("agentStateName", "RESERVED"),
                ("agentID", "4417"),
                ("agentExtension", "74417"),
                ("ICMAgentID", "5309"),
                ("MRDID", "1"),
            ],
        ),
        e(
            2,
            "Mar 18 2019 09:14:02.530 -0500",
            "2019-03-18T14:14:02.530Z",
            "DECODED_MESSAGE_FROM_CTI_SERVER",
            &[("InvokeID", "9120"), ("agentState", "3"), ("agentStateName", "READY"), ("numSkillGroups", "2"), ("ICMAgentID", "5309")],
        ),
    ],
};

// --- Finesse webservices 12.x bracketed form ---------------------------------------------------------

const V12_IDS: Variant = Variant {
    family: "finesse-webservices-v12",
    variant: "12.x with bracketed call-id/agent-id values",
    path: "Desktop-webservices.2024-06-11T15-20-00.000.log",
    text: "220411: [INFO]: [call-id [162811_40012001_1]] [agent-id [2280]]: [Jun 11 2024 15:20:31.902 -0400]: [EVENT_POOL-1-worker-4]: [c.c.c.f.c.XMPPPublishUtils]: [XMPP_PUBLISH_ASYNCHRONOUS] Publishing XMPP Message Asynchronously. node_id: /finesse/api/User/2280/Dialogs/Media, payload: <x/>\n\
           220412: [DEBUG]: [call-id []] [agent-id []]: [Jun 11 2024 15:20:31.950 -0400]: [http-nio-8082-exec-5]: [c.c.c.f.r.RequestLogger]: [REQUEST_START] GET /finesse/api/User/2280\n",
    format: "finesse-webservices-v12",
    expect: &[
        e(
            1,
            "Jun 11 2024 15:20:31.902 -0400",
            "2024-06-11T19:20:31.902Z",
            "XMPP_PUBLISH_ASYNCHRONOUS",
            &[("seq", "220411"), ("call_id", "162811_40012001_1"), ("agent_id", "2280"), ("class", "c.c.c.f.c.XMPPPublishUtils"), ("node_id", "/finesse/api/User/2280/Dialogs/Media")],
        ),
        e(2, "Jun 11 2024 15:20:31.950 -0400", "2024-06-11T19:20:31.950Z", "REQUEST_START", &[("call_id", ""), ("agent_id", "")]),
    ],
};

const V12_BARE: Variant = Variant {
    family: "finesse-webservices-v12",
    variant: "12.x with empty and bare ids, doubled name group, host column",
    path: "Desktop-webservices.2024-06-11T15-30-00.000.log",
    text: "220501: [INFO]: [call-id ] [agent-id ]: [Jun 11 2024 15:30:02.114 -0400]: [COMMAND_POOL-1-worker-2]: [c.c.c.f.a.a.c.CCECTIWriter]: [MESSAGE_TO_CTI_SERVER] Message going to the backend cti server cti_message_name: StartTaskIndication, invokeId=7301, mrdId=5011, icmAgentId=5172, taskId=162811_40012001_1\n\
           220502: [INFO]: [call-id 162811_40012001_1] [agent-id 2280]: [Jun 11 2024 15:30:02.120 -0400]: [EVENT_POOL-1-worker-9]: [c.c.c.f.c.c.d.CommandDispatcher]: [[COMMAND_DISPATCHER]] DnE-CHECKPOINT-5 - SEQS: [162811_40012001_1]\n\
           220503: fin-a: [INFO]: [call-id ] [agent-id ]: [Jun 11 2024 15:30:02.300 -0400]: [SM-TASK-NOTIFIER-POOL-1]: [c.c.c.f.c.u.s.EndTaskSmRestJob]: [SM_REST_OPERATION_MSG] agent_id: 2280, task_id: 162811_40012001_1, sm_contact_id: 0B1C2D3E4F5061728394A5B6C7D8E9F0. EndTaskSmRestJob : About to make a REST call\n",
    format: "finesse-webservices-v12",
    expect: &[
        e(
            1,
            "Jun 11 2024 15:30:02.114 -0400",
            "2024-06-11T19:30:02.114Z",
            "MESSAGE_TO_CTI_SERVER",
            &[("cti_message_name", "StartTaskIndication"), ("InvokeID", "7301"), ("TaskID", "162811_40012001_1"), ("call_id", "")],
        ),
        e(2, "Jun 11 2024 15:30:02.120 -0400", "2024-06-11T19:30:02.120Z", "COMMAND_DISPATCHER", &[("call_id", "162811_40012001_1"), ("agent_id", "2280")]),
        e(
            3,
            "Jun 11 2024 15:30:02.300 -0400",
            "2024-06-11T19:30:02.300Z",
            "SM_REST_OPERATION_MSG",
            &[("host", "fin-a"), ("agent_id", "2280"), ("SocialContactID", "0B1C2D3E4F5061728394A5B6C7D8E9F0")],
        ),
    ],
};

const V12_NO_IDS: Variant = Variant {
    family: "finesse-webservices-v12",
    variant: "12.x without call-id/agent-id groups or sequence",
    path: "Desktop-webservices.2024-06-11T15-40-00.000.log",
    text: "[INFO]: [Jun 11 2024 15:40:00.001 -0400]: [SM-TASK-NOTIFIER-POOL-1]: [c.c.c.f.c.s.SMRestClientImpl]: [SOCIALMINER_HTTP_RESPONSE] Received HTTP Response from SOCIAL-MINER. Status: 200\n\
           [WARN]: [Jun 11 2024 15:40:00.310 -0400]: [EVENT_POOL-1-worker-1]: [c.c.c.f.c.XMPPPublishUtils]: [XMPP_PUBLISH_ASYNCHRONOUS] Publishing XMPP Message Asynchronously. node_id: /finesse/api/User/2280/Dialogs\n",
    format: "finesse-webservices-v12",
    expect: &[
        e(1, "Jun 11 2024 15:40:00.001 -0400", "2024-06-11T19:40:00.001Z", "SOCIALMINER_HTTP_RESPONSE", &[("status", "200"), ("class", "c.c.c.f.c.s.SMRestClientImpl")]),
        e(2, "Jun 11 2024 15:40:00.310 -0400", "2024-06-11T19:40:00.310Z", "XMPP_PUBLISH_ASYNCHRONOUS", &[("node", "/finesse/api/User/2280/Dialogs")]),
    ],
};

// --- CCP / SocialMiner -----------------------------------------------------------------------------

const CCP_RUNTIME: Variant = Variant {
    family: "ccp-ccbu",
    variant: "runtime.log numbered with host, padded subfacilities",
    path: "runtime.log",
    text: "0000004410: 10.20.30.40: Mar 11 2025 14:02:17.508 -0400: %CCBU__________FEEDS-6-CREATE_SOCIAL_CONTACT: Got Request to Create Social Contact with RequestId:Qm8TxA\n\
           0000004413: 10.20.30.40: Mar 11 2025 14:02:17.532 -0400: %CCBU__________FEEDS-6-SOCIAL_CONTACT_CREATED: %[SOCIAL_CONTACT_ID=0B1C2D3E4F5061728394A5B6C7D8E9F0][SOCIAL_CONTACT_LINK=http://ccp-a/ccp/socialcontact/0B1C2D3E4F5061728394A5B6C7D8E9F0]: A new social contact was created\n\
           0000000141: 10.20.30.40: Mar 11 2025 14:02:17.560 -0400: %CCBU_____CCP-DS-API-6-CCP_DS_API_MESSAGE: Read from Cassandra before update Solr index returned for scId=0B1C2D3E4F5061728394A5B6C7D8E9F0 ;status= unread\n\
           0000000047: 10.20.30.40: Mar 11 2025 14:02:17.601 -0400: %CCBU___NOTIFICATION-6-NOTIFICATION_REQUEST: %[CampaignID=[100081]][SocialContactID=0B1C2D3E4F5061728394A5B6C7D8E9F0][Tags=[chat_req]]: A Notification Request received\n",
    format: "ccp-ccbu",
    expect: &[
        e(1, "Mar 11 2025 14:02:17.508 -0400", "2025-03-11T18:02:17.508Z", "CREATE_SOCIAL_CONTACT", &[("host", "10.20.30.40"), ("RequestId", "Qm8TxA")]),
        e(2, "Mar 11 2025 14:02:17.532 -0400", "2025-03-11T18:02:17.532Z", "SOCIAL_CONTACT_CREATED", &[("SOCIAL_CONTACT_ID", "0B1C2D3E4F5061728394A5B6C7D8E9F0")]),
        e(3, "Mar 11 2025 14:02:17.560 -0400", "2025-03-11T18:02:17.560Z", "CCP_DS_API_MESSAGE", &[("status", "unread"), ("SocialContactID", "0B1C2D3E4F5061728394A5B6C7D8E9F0")]),
        e(4, "Mar 11 2025 14:02:17.601 -0400", "2025-03-11T18:02:17.601Z", "NOTIFICATION_REQUEST", &[("SocialContactID", "0B1C2D3E4F5061728394A5B6C7D8E9F0")]),
    ],
};

const CCP_API: Variant = Variant {
    family: "ccp-ccbu",
    variant: "ccpapi.log and ccppublicapps.log without host (`seq::`)",
    path: "ccpapi.log",
    text: "0000000912:: Mar 11 2025 14:02:18.002 -0400: %CCBU___________CCPAPI-6-REST_API_INFO: Updating contact 0B1C2D3E4F5061728394A5B6C7D8E9F0 status= queued\n\
           0000000078:: Mar 11 2025 14:02:18.010 -0400: %CCBU__CCPPUBLICAPPS-6-REQUEST_INITIATED: %[Description=Card lost][FeedId=100080][HttpMethod=GET][Title=Card lost]: Request initiated\n\
           0000000011:: Mar 11 2025 14:02:18.015 -0400: %CCBU_________CCPAPI-6-CREATE_SOCIAL_CONTACT: Submitting SocialContact Create Request with requestId:Zr41Pq\n\
           0000000120:: Mar 11 2025 14:02:18.090 -0400: %CCBU_______EVENTING-6-SOCIAL_CONTACT_PUBLISH_START: %[Contact=0B1C2D3E4F5061728394A5B6C7D8E9F0][Node=ccp.contacts.chat]: Publishing contact\n",
    format: "ccp-ccbu",
    expect: &[
        e(1, "Mar 11 2025 14:02:18.002 -0400", "2025-03-11T18:02:18.002Z", "REST_API_INFO", &[("seq", "0000000912")]),
        e(2, "Mar 11 2025 14:02:18.010 -0400", "2025-03-11T18:02:18.010Z", "REQUEST_INITIATED", &[("FeedId", "100080"), ("HttpMethod", "GET")]),
        e(3, "Mar 11 2025 14:02:18.015 -0400", "2025-03-11T18:02:18.015Z", "CREATE_SOCIAL_CONTACT", &[("requestId", "Zr41Pq")]),
        e(4, "Mar 11 2025 14:02:18.090 -0400", "2025-03-11T18:02:18.090Z", "SOCIAL_CONTACT_PUBLISH_START", &[("Node", "ccp.contacts.chat"), ("SocialContactID", "0B1C2D3E4F5061728394A5B6C7D8E9F0")]),
    ],
};

const CCP_GREP: Variant = Variant {
    family: "ccp-ccbu",
    variant: "grep -H over a SocialMiner runtime log (empty host, exception continuation)",
    path: "ticket-notes.txt",
    text: "runtime/CCBU-runtime.2025-03-11T10-00-00.001.log:0000501220:: Mar 11 2025 14:10:00.552 +0000: %CCBU__________FEEDS-3-SECURE_IMAP_CLIENT_CONNECTION_EXCEPTION: %[FEED_ID=100021][FEED_NAME=Support Mail Feed][exception= javax.mail.MessagingException: handshake failed]: Exception in feed\n\
           runtime/CCBU-runtime.2025-03-11T10-00-00.001.log: Caused by: javax.net.ssl.SSLHandshakeException: protocol version not enabled\n\
           runtime/CCBU-runtime.2025-03-11T10-00-00.001.log:0000501221:: Mar 11 2025 14:10:30.553 +0000: %CCBU__________FEEDS-6-FEED_STATUS: %[FEED_ID=100021][STATUS=DOWN]: Feed status changed\n",
    format: "ccp-ccbu",
    expect: &[
        e(
            1,
            "Mar 11 2025 14:10:00.552 +0000",
            "2025-03-11T14:10:00.552Z",
            "SECURE_IMAP_CLIENT_CONNECTION_EXCEPTION",
            &[("grep_path", "runtime/CCBU-runtime.2025-03-11T10-00-00.001.log"), ("seq", "0000501220"), ("FEED_ID", "100021")],
        ),
        e(3, "Mar 11 2025 14:10:30.553 +0000", "2025-03-11T14:10:30.553Z", "FEED_STATUS", &[("STATUS", "DOWN")]),
    ],
};

// --- CUIC -------------------------------------------------------------------------------------------

const CUIC_NUMBERED: Variant = Variant {
    family: "cuic-ccbu",
    variant: "CUIC reporting and security logs, numbered with host",
    path: "CUIC.2025-03-11T14-00-00.000.log",
    text: "0000000053: 10.20.30.41: Mar 11 2025 14:02:19.101 +0100: %CCBU___________CUIC-4-WARN: Dashboard Migration : Weburl widget : Dashboard : ops_wall\n\
           0000001591: 10.20.30.41: Mar 11 2025 14:05:35.520 +0100: %CCBU__CUIC_SECURITY-7-OPERATION: %[MESSAGE=Logged-in user instances=4][OPERATION_TYPE= UserLoginSuccess ][SESSION_ID= 5E0C1D2A3B4C5D6E7F8091A2B3C4D5E6 ][USER_ID= CORP\\rep1 ]: User login or logout request to server.\n",
    format: "cuic-ccbu",
    expect: &[
        e(1, "Mar 11 2025 14:02:19.101 +0100", "2025-03-11T13:02:19.101Z", "WARN", &[("host", "10.20.30.41"), ("seq", "0000000053")]),
        e(
            2,
            "Mar 11 2025 14:05:35.520 +0100",
            "2025-03-11T13:05:35.520Z",
            "OPERATION",
            &[("OPERATION_TYPE", "UserLoginSuccess"), ("SESSION_ID", "5E0C1D2A3B4C5D6E7F8091A2B3C4D5E6"), ("USER_ID", "CORP\\rep1")],
        ),
    ],
};

const CUIC_TAIL: Variant = Variant {
    family: "cuic-ccbu",
    variant: "`file tail activelog cuic/…` output: stamps without sequence, file named by the user",
    path: "tail.txt",
    text: "Mar 11 2025 14:05:35.520 +0100: %CCBU__CUIC_SECURITY-7-OPERATION: %[OPERATION_TYPE=SessionEnd][SESSION_ID=5E0C1D2A3B4C5D6E7F8091A2B3C4D5E6][USER_ID=CORP\\rep1]: User login or logout request to server.\n\
           Mar 11 2025 14:05:36.002 +0100: %CCBU___________CUIC-3-ERROR: Report execution failed for report id=7A1B\n",
    format: "cuic-ccbu",
    expect: &[
        e(1, "Mar 11 2025 14:05:35.520 +0100", "2025-03-11T13:05:35.520Z", "OPERATION", &[("OPERATION_TYPE", "SessionEnd")]),
        e(2, "Mar 11 2025 14:05:36.002 +0100", "2025-03-11T13:05:36.002Z", "ERROR", &[("id", "7A1B")]),
    ],
};

// --- Finesse desktop client log ---------------------------------------------------------------------

const CLIENT_9X: Variant = Variant {
    family: "finesse-clientlog",
    variant: "9.x/10.x browser time of day, Container lines, a line without a time, a multi-line response",
    path: "Finesse_3105.txt",
    text:
        "Container : [ClientServices] SystemInfo: requestId='undefined', Making REST request: method=GET, url='/finesse/api/SystemInfo?nocache=1700000000100'\n\
           09:12:44.260: Container : [ClientServices] SystemInfo: requestId='undefined', Returned with status=200\n\
           09:12:45: Container : PageServices.init(): Establishing BOSH connection...\n\
           09:12:46.002: Container : [ClientServices] User: requestId='undefined', Returned with status=200, content='<User>\n\
           <loginId>3105</loginId>\n\
           <state>LOGOUT</state>\n\
           </User>'\n\
           Container : SignIn.handleUserLoad(): Performing login: extn=4105\n",
    format: "finesse-clientlog",
    expect: &[
        e(1, "", "", "SystemInfo", &[("module", "ClientServices"), ("method", "GET"), ("nocache", "1700000000100")]),
        e(2, "09:12:44.260", "", "SystemInfo", &[("status", "200")]),
        e(3, "09:12:45", "", "PageServices.init()", &[]),
        e(4, "09:12:46.002", "", "User", &[("status", "200"), ("loginId", "3105"), ("state", "LOGOUT")]),
        e(8, "", "", "SignIn.handleUserLoad()", &[("extn", "4105")]),
    ],
};

const CLIENT_COLUMNS: Variant = Variant {
    family: "finesse-clientlog",
    variant: "11.x/12.x columns: browser time, session ID, host, server time (or dashes); Header and gadgets",
    path: "Finesse_agent2280_2024-06-11T15-20-30.txt",
    text: "2024-06-11T15:20:30.120-04:00: 8F21AC: fin-a.example.org: --- -- ---- --:--:--.--- -----: Header : [ClientServices] ConnectionInfo: connecting\n\
           2024-06-11T15:20:31.902-04:00: 8F21AC: fin-a.example.org: Jun 11 2024 15:20:31.899 -0400: Header : [ClientServices] User: requestId='undefined', Returned with status=200\n\
           2024-06-11T15:20:32.015-04:00: 8F21AC: fin-a.example.org: Jun 11 2024 15:20:32.011 -0400: TeamPerformance : TeamPerformance.init(): gadget loading for team 5000\n\
           2024-06-11T15:20:33.440-04:00: 8F21AC: fin-a.example.org: Jun 11 2024 15:20:33.437 -0400: Call Control : [ClientServices] Dialog: requestId='4b1a2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', Making REST request: method=PUT, url='/finesse/api/Dialog/16803421'\n\
           2024-06-11T15:20:34.001-04:00: 8F21AC: fin-a.example.org: Jun 11 2024 15:20:33.998 -0400: finesse.gadget.QueueStats: QueueStats.render(): 3 queues\n",
    format: "finesse-clientlog",
    expect: &[
        e(
            1,
            "2024-06-11T15:20:30.120-04:00",
            "2024-06-11T19:20:30.120Z",
            "ConnectionInfo",
            &[("server_time", "--- -- ---- --:--:--.--- -----"), ("client_id", "8F21AC"), ("host", "fin-a.example.org")],
        ),
        e(
            2,
            "Jun 11 2024 15:20:31.899 -0400",
            "2024-06-11T19:20:31.899Z",
            "User",
            &[("client_time", "2024-06-11T15:20:31.902-04:00"), ("server_time", "Jun 11 2024 15:20:31.899 -0400"), ("status", "200")],
        ),
        e(3, "Jun 11 2024 15:20:32.011 -0400", "2024-06-11T19:20:32.011Z", "TeamPerformance.init()", &[]),
        e(4, "Jun 11 2024 15:20:33.437 -0400", "2024-06-11T19:20:33.437Z", "Dialog", &[("requestId", "4b1a2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"), ("method", "PUT"), ("dialogId", "16803421")]),
        e(5, "Jun 11 2024 15:20:33.998 -0400", "2024-06-11T19:20:33.998Z", "QueueStats.render()", &[]),
    ],
};

const CLIENT_OTHER_CLOCKS: Variant = Variant {
    family: "finesse-clientlog",
    variant: "browser time with a zone and no date, ISO with a blank before the zone, only a server time",
    path: "Finesse_2280.txt",
    text: "15:20:30.120 -0400: --- -- ---- --:--:--.--- -----: Header : [ClientServices] MasterPublisher._connInfoHandler() - Connection status: connecting\n\
           2024-06-11 15:20:31.500 -0400: Container : PageServices.onLoad(): BOSH established\n\
           15:20:32.700 -0400: fin-b.example.org: Jun 11 2024 15:20:32.690 -0400: CallControl : makeCall(): dialing 4105\n",
    format: "finesse-clientlog",
    expect: &[
        e(1, "15:20:30.120 -0400", "", "MasterPublisher._connInfoHandler()", &[("module", "ClientServices")]),
        e(2, "2024-06-11 15:20:31.500 -0400", "2024-06-11T19:20:31.500Z", "PageServices.onLoad()", &[]),
        e(
            3,
            "Jun 11 2024 15:20:32.690 -0400",
            "2024-06-11T19:20:32.690Z",
            "makeCall()",
            &[("host", "fin-b.example.org"), ("client_time", "15:20:32.700 -0400")],
        ),
    ],
};

// --- Tomcat access logs -----------------------------------------------------------------------------

const ACCESS_FINESSE: Variant = Variant {
    family: "tomcat-access",
    variant: "Finesse layout without a time (`%h %A %u %l %p %m %U%q %H %s %b %D`), stray blanks",
    path: "localhost_access_log.2022-10-04.txt",
    text: "172.16.4.88 172.16.4.88 - - 8082 GET /desktop/container/ HTTP/1.1 200 4410 97\n\
           172.16.4.88 172.16.4.88 3105 - 8082 GET /finesse/api/User/3105?nocache=1664870400100 HTTP/1.1 200 1880 31\n\
           127.0.0.1 127.0.0.1 - - 8082 GET /finesse/api/SystemInfo ?nocache=1664870400200 HTTP/ 1.1 200 336 12\n",
    format: "tomcat-access",
    expect: &[
        e(
            1,
            "",
            "",
            "GET",
            &[
                ("client_ip", "172.16.4.88"),
                ("local_ip", "172.16.4.88"),
                ("port", "8082"),
                ("uri", "/desktop/container/"),
                ("status", "200"),
                ("bytes", "4410"),
                ("time_ms", "97"),
            ],
        ),
        e(2, "", "", "GET", &[("user", "3105"), ("authUser", "3105"), ("nocache", "1664870400100"), ("protocol", "HTTP/1.1")]),
        e(3, "", "", "GET", &[("uri", "/finesse/api/SystemInfo?nocache=1664870400200"), ("protocol", "HTTP/1.1"), ("time_ms", "12")]),
    ],
};

const ACCESS_FINESSE_TIMED: Variant = Variant {
    family: "tomcat-access",
    variant: "Finesse layout with a time",
    path: "localhost_access_log.2022-10-04.txt",
    text: "172.16.4.88 172.16.4.20 3105 - 8445 [04/Oct/2022:10:00:01 +0200] GET /finesse/api/User/3105?nocache=1664870401002 HTTP/1.1 200 1880 31\n\
           172.16.4.88 172.16.4.20 3105 - 8445 [04/Oct/2022:10:00:02 +0200] PUT /finesse/api/User/3105 HTTP/1.1 202 - 12\n",
    format: "tomcat-access",
    expect: &[
        e(
            1,
            "04/Oct/2022:10:00:01 +0200",
            "2022-10-04T08:00:01.000Z",
            "GET",
            &[("local_ip", "172.16.4.20"), ("port", "8445"), ("user", "3105"), ("nocache", "1664870401002")],
        ),
        e(2, "04/Oct/2022:10:00:02 +0200", "2022-10-04T08:00:02.000Z", "PUT", &[("status", "202"), ("bytes", "-"), ("time_taken", "12")]),
    ],
};

const ACCESS_CLF: Variant = Variant {
    family: "tomcat-access",
    variant: "common and combined log formats, with %D",
    path: "localhost_access_log.2024-06-11.txt",
    text: "10.30.1.15 - - [11/Jun/2024:15:20:31 -0400] \"GET /desktop/container/ HTTP/1.1\" 200 4410\n\
           10.30.1.15 - 2280 [11/Jun/2024:15:20:32 -0400] \"PUT /finesse/api/User/2280 HTTP/1.1\" 202 - 14\n\
           10.30.1.15 - 2280 [11/Jun/2024:15:20:32 -0400] \"PUT /finesse/api/Dialog/16803421 HTTP/1.1\" 202 - 9\n\
           10.30.1.15 - 2280 [11/Jun/2024:15:20:33 -0400] \"GET /finesse/api/User/2280/Dialogs?nocache=1718133633001 HTTP/1.1\" 200 611 \"https://fin-a.example.org/desktop/container/\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\"\n",
    format: "tomcat-access",
    expect: &[
        e(1, "11/Jun/2024:15:20:31 -0400", "2024-06-11T19:20:31.000Z", "GET", &[("client_ip", "10.30.1.15"), ("uri", "/desktop/container/"), ("status", "200"), ("bytes", "4410")]),
        e(2, "11/Jun/2024:15:20:32 -0400", "2024-06-11T19:20:32.000Z", "PUT", &[("user", "2280"), ("uri", "/finesse/api/User/2280"), ("time_taken", "14")]),
        e(3, "11/Jun/2024:15:20:32 -0400", "2024-06-11T19:20:32.000Z", "PUT", &[("dialogId", "16803421"), ("authUser", "2280")]),
        e(
            4,
            "11/Jun/2024:15:20:33 -0400",
            "2024-06-11T19:20:33.000Z",
            "GET",
            &[("nocache", "1718133633001"), ("referer", "https://fin-a.example.org/desktop/container/"), ("user_agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)")],
        ),
    ],
};

const ACCESS_PROXIES: Variant = Variant {
    family: "tomcat-access",
    variant: "X-Forwarded-For list first, IPv6 clients, milliseconds in %t, %T seconds, ISO %t, quoted X-Forwarded-For last",
    path: "localhost_access_log.2024-06-11.txt",
    text:
        "203.0.113.9, 10.1.1.5 - - [11/Jun/2024:15:20:34.118 -0400] \"GET /cuic/Main.htmx HTTP/1.1\" 200 5120 0.012\n\
           2001:db8:40::1c - rep1 [11/Jun/2024:15:20:35 -0400] \"POST /cuic/rest/report HTTP/1.1\" 201 88 1840 \"-\" \"Mozilla/5.0\" \"198.51.100.7\"\n\
           0:0:0:0:0:0:0:1 - - [2024-06-11T15:20:36.250-0400] \"GET /uccx/isDBMaster HTTP/1.1\" 200 4 3\n\
           10.30.1.16 - - [11/Jun/2024:15:20:37 -0400] \"GET /cuic/permalink/PermalinkViewer.htmx?viewId=5E0C1D2A HTTP/1.1\" 200 812 \"-\" \"Mozilla/5.0\" 27\n",
    format: "tomcat-access",
    expect: &[
        e(
            1,
            "11/Jun/2024:15:20:34.118 -0400",
            "2024-06-11T19:20:34.118Z",
            "GET",
            &[("client_ip", "203.0.113.9"), ("x_forwarded_for", "203.0.113.9, 10.1.1.5"), ("time_taken", "0.012")],
        ),
        e(
            2,
            "11/Jun/2024:15:20:35 -0400",
            "2024-06-11T19:20:35.000Z",
            "POST",
            &[("client_ip", "2001:db8:40::1c"), ("user", "rep1"), ("status", "201"), ("x_forwarded_for", "198.51.100.7"), ("user_agent", "Mozilla/5.0")],
        ),
        e(3, "2024-06-11T15:20:36.250-0400", "2024-06-11T19:20:36.250Z", "GET", &[("client_ip", "0:0:0:0:0:0:0:1"), ("uri", "/uccx/isDBMaster")]),
        e(4, "11/Jun/2024:15:20:37 -0400", "2024-06-11T19:20:37.000Z", "GET", &[("viewId", "5E0C1D2A"), ("user_agent", "Mozilla/5.0"), ("time_taken", "27")]),
    ],
};

/// Every variant, with whether its file writes a time on each record.
const ALL: &[(&Variant, bool)] = &[
    (&WS_BARE, false),
    (&WS_NUMBERED, true),
    (&WS_DEBUG, true),
    (&WS_UCCX, false),
    (&WS_GREP_N, true),
    (&WS_CTI_BODIES, true),
    (&V12_IDS, true),
    (&V12_BARE, true),
    (&V12_NO_IDS, true),
    (&CCP_RUNTIME, true),
    (&CCP_API, true),
    (&CCP_GREP, true),
    (&CUIC_NUMBERED, true),
    (&CUIC_TAIL, true),
    (&CLIENT_9X, false),
    (&CLIENT_COLUMNS, true),
    (&CLIENT_OTHER_CLOCKS, true),
    (&ACCESS_FINESSE, false),
    (&ACCESS_FINESSE_TIMED, true),
    (&ACCESS_CLF, true),
    (&ACCESS_PROXIES, true),
];

#[test]
fn ccbu_webservices() {
    check_all(&[WS_BARE, WS_NUMBERED, WS_DEBUG, WS_UCCX, WS_GREP_N, WS_CTI_BODIES]);
}

#[test]
fn ccbu_webservices_v12() {
    check_all(&[V12_IDS, V12_BARE, V12_NO_IDS]);
}

#[test]
fn ccbu_ccp() {
    check_all(&[CCP_RUNTIME, CCP_API, CCP_GREP]);
}

#[test]
fn ccbu_cuic() {
    check_all(&[CUIC_NUMBERED, CUIC_TAIL]);
}

#[test]
fn finesse_client_log() {
    check_all(&[CLIENT_9X, CLIENT_COLUMNS, CLIENT_OTHER_CLOCKS]);
}

#[test]
fn tomcat_access() {
    check_all(&[ACCESS_FINESSE, ACCESS_FINESSE_TIMED, ACCESS_CLF, ACCESS_PROXIES]);
}

/// Every variant that writes a time is ≥ 99 % timed.
#[test]
fn timed_variants_are_timed() {
    let mut low = Vec::new();
    for (v, timed) in ALL {
        if *timed {
            let share = timed_share(v.path, v.text);
            if share < 0.99 {
                low.push(format!("{} / {}: {share}", v.family, v.variant));
            }
        }
    }
    assert!(low.is_empty(), "variants below 99 % timed:\n{}", low.join("\n"));
}

/// The whole CCBU family in one file: a Finesse, a CCP and a CUIC line are each read by the grammar
/// (no record is left to the generic layer).
#[test]
fn ccbu_lines_are_read_by_the_grammar() {
    let mut unread = Vec::new();
    for (v, _) in ALL {
        let s = common::session_of(&[(v.path, v.text)]);
        for r in s.records.iter() {
            if r.unread() {
                unread.push(format!("{} / {} line {}", v.family, v.variant, r.line));
            }
        }
    }
    assert!(unread.is_empty(), "records the grammar did not read:\n{}", unread.join("\n"));
}
