//! Variants of the UCCE/PCCE process logs (issue 12): the CTI server in its `Trace:` and
//! `SESSION n:` forms, OPC, router, PIMs, any other ICM process, `dumplog` output in its standard
//! form (with its date lines, with and without milliseconds) and its Cisco Log form (also as sent
//! to syslog), `procmon`/`opctest`/`rttest` console transcripts. Every line here was written by
//! the project in the grammar the products write (see the `//!` blocks of `src/formats/icm.rs`,
//! `cti.rs`, `icm_console.rs`). ICM's standard form writes local time without a date or zone: those
//! lines are checked as written and their UTC is not asserted (it depends on the file's clock);
//! the date that a `dumplog` date line gives them is checked separately.

mod common;

use common::variants::{check_all, timed_share, Expect, Variant};

const fn e(line: u64, time: &'static str, utc: &'static str, name: &'static str, fields: &'static [(&'static str, &'static str)]) -> Expect {
    Expect { line, time, utc, name, fields }
}

const CTISVR_TRACE: &str = "\
11:02:45:310 cg1A-ctisvr Trace: ProcessMediaLoginReq - sessionID 9
11:02:45:310 cg1A-ctisvr Trace: SendARMMsg -- InvokeID = 800113, MRDID = 5001, ICMAgentID = 7012, AgentMode = 0
IsAvailable = 1, MaxTaskLimit = 3, AgentInfo = 3021, ApplicationPathID = 5002, PeripheralID = 5000, AgentID = 3021
11:02:45:402 cg1A-ctisvr Trace: ProcessARMMediaLoginRespMsg -- InvokeID = 800113, Status = 2, AgentSkillTargetID = 7012
11:02:46:001 cg1A-ctisvr Trace: ProcessMakeAgentReadyInd - sessionID 9
11:02:46:001 cg1A-ctisvr Trace: SendARMMsg: ARM_MAKE_AGENT_READY_IND-- InvokeID = 800114, ClientInvokeID = 800114, MRDID = 5001, ICMAgentID = 7012, MakeRoutable = 1, SessionID = 9
";

const CTISVR_SESSION: &str = "\
11:02:45:300 cg1A-ctisvr SESSION 6: MsgType:SET_AGENT_STATE_REQ (InvokeID:0x1f4 PeripheralID:5000
11:02:45:300 cg1A-ctisvr SESSION 6:         AgentState:AVAILABLE AgentWorkMode:0 EventReasonCode:0 AgentID:\"3021\" )
11:02:45:302 cg1A-ctisvr SESSION 6: MsgType:SET_AGENT_STATE_CONF (InvokeID:0x1f4 )
11:02:45:305 cg1A-ctisvr SESSION 6: MsgType:AGENT_STATE_EVENT (MonitorID:0 PeripheralID:5000 SessionID:0x0
11:02:45:305 cg1A-ctisvr SESSION 6:         PeripheralType:EnterpriseAgent SkillGroupState:AVAILABLE StateDuration:0
11:02:45:305 cg1A-ctisvr SESSION 6:         SkillGroupNumber:88100 SkillGroupID:7100 AgentState:AVAILABLE EventReasonCode:0
11:02:45:305 cg1A-ctisvr SESSION 6:         MRDID:1 ICMAgentID:7012 AgentID:\"3021\" AgentExtension:\"3021\" )
11:02:50:117 cg1A-ctisvr SESSION 6: MsgType:QUERY_SKILL_GROUP_STATISTICS_REQ (InvokeID:0x1f5 PeripheralID:5000
11:02:50:117 cg1A-ctisvr SESSION 6:         SkillGroupNumber:88100 SkillGroupID:N/A )
11:02:50:160 cg1A-ctisvr SESSION 6: MsgType:QUERY_SKILL_GROUP_STATISTICS_CONF (InvokeID:0x1f5 PeripheralID:5000
11:02:50:160 cg1A-ctisvr SESSION 6:         SkillGroupNumber:88100 SkillGroupID:7100 AgentsLoggedOn:4 AgentsAvail:1
11:02:50:160 cg1A-ctisvr SESSION 6:         AgentsNotReady:2 AgentsReady:1 RouterCallsQNow:0 )
11:03:01:009 cg1A-ctisvr SESSION 7: MsgType:FAILURE_CONF (InvokeID:0x2 Status:9 )
11:03:02:441 cg1A-ctisvr SESSION 6: MsgType:CONTROL_FAILURE_CONF (InvokeID:0x1f6 FailureCode:12 PeripheralErrorCode:0 )
11:03:03:000 cg1A-ctisvr SESSION 6: MsgType:CLIENT_EVENT_REPORT_REQ (InvokeID:0x1f7 State:0 Text:\"desktop reconnected\" )
";

const CTISVR_SESSION_CUT: &str = "\
11:04:10:536 cg1A-ctisvr Session 3: MsgType:OFFER_TASK_IND (InvokeID:0x9c41 MRDID:5002 ICMAgentID:7012
11:04:10:536 cg1A-ctisvr Session 3: TaskID:155021/40077120/1ARMSkillGroupID:7100 ARMServiceID:N/A )
11:04:10:536 cg1A-ctisvr Trace: ProcessOfferTaskInd - sessionID 3
11:04:10:537 cg1A-ctisvr Trace: OFFER_TASK_EVENT: PeripherlID=5000 PeripherlType=4 MRDomainID=5002
11:04:10:537 cg1A-ctisvr Trace: TaskID=155021:40077120:1 ICMAgentID=7012 SkillGroupID=7100
11:04:10:537 cg1A-ctisvr Trace: ServiceID=2700100 ApplicationRouted
";

const CTISVR_AGENT_EVENT: &str = "\
11:05:00:001 cg1A-ctisvr Trace: AGENT_EVENT: ID=3021 Periph=5000 Ext=3021 Inst=3021 Sig=Finesse SGSt=NOT_READY St=NOT_READY Reason=32760 MRDID=1 ICMAgtID=7012 STID=7012 SGSTID=7100
11:05:09:200 cg1A-ctisvr Trace: AGENT_EVENT: ID=3021 Periph=5000 Ext=3021 Inst=3021 Sig=
11:05:09:200 cg1A-ctisvr Trace: SkgState=LOGIN SkgDuration=0 OverallState=TALKING OverallDuration=0 Reason=0
11:05:09:200 cg1A-ctisvr Trace: MRDID=1 NumTasks=1 MaxTaskLimit=1 ICMAgtID=7012 SkTgtID=7012
11:05:09:251 cg1A-ctisvr Trace: DEVICE_TARGET_PRE_CALL_IND - Instrument=3021 RouterCallKey=155021 40077188 1 AgSkTargID=7012 PreCallInvokeID=911
";

const CTISVR_NO_MS: &str = "\
11:06:00 cg1B-ctisvr Trace: ProcessMakeAgentNotReadyReq - sessionID 12
11:06:01 cg1B-ctisvr SESSION 12: MsgType:AGENT_STATE_EVENT (PeripheralID:5000 AgentState:NOT_READY EventReasonCode:3
11:06:01 cg1B-ctisvr SESSION 12:         ICMAgentID:7012 AgentID:\"3021\" )
";

const CTISVR_EXCERPT: &str = "\
Trace: AGENT_EVENT: ID=3021 Periph=5000 Ext=3021 Inst=3021 Sig=
Trace: SkgState=LOGIN OverallState=NOT_READY Reason=0 ICMAgtID=7012
MsgType:AGENT_STATE_EVENT (MonitorID:0 PeripheralID:5000 AgentState:NOT_READY ICMAgentID:7012 AgentID:\"3021\" )
";

#[test]
fn ctisvr() {
    check_all(&[
        Variant {
            family: "ctisvr",
            variant: "Trace lines: ARM requests, a wrapped SendARMMsg, a response with a status",
            path: "cg1A_ctisvr.txt",
            text: CTISVR_TRACE,
            format: "ctisvr",
            expect: &[
                e(1, "11:02:45:310", "", "ProcessMediaLoginReq", &[("SessionID", "9"), ("MessageType", "MEDIA_LOGIN_REQ")]),
                e(
                    2,
                    "11:02:45:310",
                    "",
                    "SendARMMsg",
                    &[
                        ("InvokeID", "800113"),
                        ("InvokeIDHex", "0xc3571"),
                        ("ICMAgentID", "7012"),
                        ("MRDID", "5001"),
                        ("PeripheralID", "5000"),
                        ("AgentID", "3021"),
                    ],
                ),
                e(
                    4,
                    "11:02:45:402",
                    "",
                    "ProcessARMMediaLoginRespMsg",
                    &[("Status", "2"), ("StatusName", "E_ARM_STAT_AGENT_NOT_FOUND"), ("SkillTargetID", "7012"), ("MessageType", "MEDIA_LOGIN_RESP")],
                ),
                e(
                    6,
                    "11:02:46:001",
                    "",
                    "SendARMMsg",
                    &[("arm_message", "ARM_MAKE_AGENT_READY_IND"), ("MessageType", "MAKE_AGENT_READY_IND"), ("MessageTypeID", "157"), ("InvokeID", "800114")],
                ),
            ],
        },
        Variant {
            family: "ctisvr",
            variant: "SESSION n: client message dumps with indented continuation lines",
            path: "cg1A_ctisvr_session.txt",
            text: CTISVR_SESSION,
            format: "ctisvr",
            expect: &[
                e(
                    1,
                    "11:02:45:300",
                    "",
                    "SET_AGENT_STATE_REQ",
                    &[
                        ("InvokeID", "500"),
                        ("InvokeIDHex", "0x1f4"),
                        ("PeripheralID", "5000"),
                        ("RequestedAgentState", "AVAILABLE"),
                        ("AgentID", "3021"),
                        ("MessageTypeID", "38"),
                        ("session", "6"),
                    ],
                ),
                e(3, "11:02:45:302", "", "SET_AGENT_STATE_CONF", &[("InvokeID", "500"), ("MessageTypeID", "39")]),
                e(
                    4,
                    "11:02:45:305",
                    "",
                    "AGENT_STATE_EVENT",
                    &[
                        ("AgentState", "AVAILABLE"),
                        ("AgentStateID", "3"),
                        ("SkillGroupState", "AVAILABLE"),
                        ("ICMAgentID", "7012"),
                        ("AgentID", "3021"),
                        ("SkillGroupNumber", "88100"),
                        ("EventReasonCode", "0"),
                        ("MRDID", "1"),
                    ],
                ),
                e(8, "11:02:50:117", "", "QUERY_SKILL_GROUP_STATISTICS_REQ", &[("InvokeID", "501"), ("SkillGroupNumber", "88100"), ("SkillGroupID", "N/A")]),
                e(
                    10,
                    "11:02:50:160",
                    "",
                    "QUERY_SKILL_GROUP_STATISTICS_CONF",
                    &[("AgentsLoggedOn", "4"), ("AgentsReady", "1"), ("RouterCallsQNow", "0"), ("MessageTypeID", "115")],
                ),
                e(13, "11:03:01:009", "", "FAILURE_CONF", &[("Status", "9"), ("StatusName", "E_CTI_AGENT_NOT_LOGGED_ON"), ("session", "7")]),
                e(14, "11:03:02:441", "", "CONTROL_FAILURE_CONF", &[("FailureCode", "12"), ("PeripheralErrorCode", "0"), ("InvokeID", "502")]),
                e(15, "11:03:03:000", "", "CLIENT_EVENT_REPORT_REQ", &[("Text", "desktop reconnected"), ("MessageTypeID", "32")]),
            ],
        },
        Variant {
            family: "ctisvr",
            variant: "Session n: dumps cut inside a value, task events over Trace lines",
            path: "ctisvr.txt",
            text: CTISVR_SESSION_CUT,
            format: "ctisvr",
            expect: &[
                e(
                    1,
                    "11:04:10:536",
                    "",
                    "OFFER_TASK_IND",
                    &[("InvokeID", "40001"), ("TaskKey", "155021_40077120_1"), ("ARMSkillGroupID", "7100"), ("ICMAgentID", "7012"), ("MRDID", "5002")],
                ),
                e(3, "11:04:10:536", "", "ProcessOfferTaskInd", &[("SessionID", "3")]),
                e(
                    4,
                    "11:04:10:537",
                    "",
                    "OFFER_TASK_EVENT",
                    &[("TaskKey", "155021_40077120_1"), ("ICMAgentID", "7012"), ("PeripheralID", "5000"), ("ServiceID", "2700100")],
                ),
            ],
        },
        Variant {
            family: "ctisvr",
            variant: "AGENT_EVENT on one line and over several Trace lines, a pre-call",
            path: "ctisvr_agent.txt",
            text: CTISVR_AGENT_EVENT,
            format: "ctisvr",
            expect: &[
                e(
                    1,
                    "11:05:00:001",
                    "",
                    "AGENT_EVENT",
                    &[
                        ("AgentID", "3021"),
                        ("ICMAgentID", "7012"),
                        ("SkillTargetID", "7012"),
                        ("PeripheralID", "5000"),
                        ("AgentState", "NOT_READY"),
                        ("AgentStateID", "2"),
                        ("ReasonCode", "32760"),
                        ("MRDID", "1"),
                    ],
                ),
                e(
                    2,
                    "11:05:09:200",
                    "",
                    "AGENT_EVENT",
                    &[("AgentState", "TALKING"), ("SkillGroupState", "LOGIN"), ("ICMAgentID", "7012"), ("SkillTargetID", "7012"), ("NumTasks", "1")],
                ),
                e(
                    5,
                    "11:05:09:251",
                    "",
                    "DEVICE_TARGET_PRE_CALL_IND",
                    &[("TaskKey", "155021_40077188_1"), ("RouterCallKeyDay", "155021"), ("RouterCallKeyCallID", "40077188"), ("PreCallInvokeID", "911")],
                ),
            ],
        },
        Variant {
            family: "ctisvr",
            variant: "without milliseconds (dumplog without /ms)",
            path: "cg1B_ctisvr.txt",
            text: CTISVR_NO_MS,
            format: "ctisvr",
            expect: &[
                e(1, "11:06:00", "", "ProcessMakeAgentNotReadyReq", &[("SessionID", "12")]),
                e(
                    2,
                    "11:06:01",
                    "",
                    "AGENT_STATE_EVENT",
                    &[("AgentState", "NOT_READY"), ("EventReasonCode", "3"), ("ICMAgentID", "7012"), ("AgentID", "3021")],
                ),
            ],
        },
        Variant {
            family: "ctisvr",
            variant: "excerpt quoted without time and component (no time: none checked)",
            path: "ctisvr-excerpt.txt",
            text: CTISVR_EXCERPT,
            format: "ctisvr",
            expect: &[
                e(1, "", "", "AGENT_EVENT", &[("AgentID", "3021"), ("AgentState", "NOT_READY"), ("ICMAgentID", "7012")]),
                e(3, "", "", "AGENT_STATE_EVENT", &[("AgentState", "NOT_READY"), ("PeripheralID", "5000"), ("AgentID", "3021")]),
            ],
        },
        Variant {
            family: "ctisvr",
            variant: "grep -H over a SESSION dump (the prefix on every line)",
            path: "grep.txt",
            text: "logs/cg1A/ctisvr.txt:11:02:45:305 cg1A-ctisvr SESSION 6: MsgType:AGENT_STATE_EVENT (MonitorID:0 PeripheralID:5000\n\
                   logs/cg1A/ctisvr.txt:11:02:45:305 cg1A-ctisvr SESSION 6:         AgentState:RESERVED ICMAgentID:7012 AgentID:\"3021\" )\n\
                   logs/cg1A/ctisvr.txt:11:02:46:000 cg1A-ctisvr Trace: ProcessStartTaskInd - sessionID 6\n",
            format: "ctisvr",
            expect: &[
                e(1, "11:02:45:305", "", "AGENT_STATE_EVENT", &[("grep_path", "logs/cg1A/ctisvr.txt"), ("AgentState", "RESERVED"), ("ICMAgentID", "7012")]),
                e(3, "11:02:46:000", "", "ProcessStartTaskInd", &[("SessionID", "6")]),
            ],
        },
    ]);
}

#[test]
fn opc_router_pims() {
    check_all(&[
        Variant {
            family: "opc",
            variant: "ARM indications and SetAgentState",
            path: "opc.txt",
            text: "11:02:45:311 PG1A-opc Trace: MakeAgentRoutableInd - InvokeID = 4411, MRDID = 5001, ICMAgentID = 7012, MaxTasks = 3, SessionID = 9\n\
                   11:02:45:312 PG1A-opc Trace: SetAgentState: ASTID=7012 Periph#=3021 MRDomainID=5001 SGSTID=7100 SG#=88100(0x15824) OldState=AS_NOT_READY NewState=AS_NOT_ACTIVE ReasonCode=0\n",
            format: "opc",
            expect: &[
                e(1, "11:02:45:311", "", "MakeAgentRoutableInd", &[("InvokeID", "4411"), ("MessageType", "MAKE_AGENT_ROUTABLE_IND"), ("MaxTasks", "3")]),
                e(2, "11:02:45:312", "", "SetAgentState", &[("OldState", "NOT_READY"), ("NewState", "NOT_ACTIVE"), ("ICMAgentID", "7012"), ("ASTID", "7012"), ("SkillTargetID", "7012"), ("AgentID", "3021"), ("MRDID", "5001"), ("SkillGroupNumber", "88100")]),
            ],
        },
        Variant {
            family: "opc",
            variant: "without milliseconds",
            path: "PG1A_opc.txt",
            text: "11:07:01 PG1A-opc Trace: SetAgentState: ASTID=7012 Periph#=3021 MRDomainID=1 OldState=AS_AVAILABLE NewState=AS_TALKING ReasonCode=0\n\
                   11:07:02 PG1A-opc Trace: MakeAgentNotReadyReq - InvokeID = 4420, MRDID = 5001, ICMAgentID = 7012\n",
            format: "opc",
            expect: &[
                e(1, "11:07:01", "", "SetAgentState", &[("NewState", "TALKING"), ("OldState", "AVAILABLE"), ("MRDID", "1")]),
                e(2, "11:07:02", "", "MakeAgentNotReadyReq", &[("InvokeID", "4420"), ("MessageType", "MAKE_AGENT_NOT_READY_REQ")]),
            ],
        },
        Variant {
            family: "icm-router",
            variant: "calls with a dialog context, continuation lines, agent state changes",
            path: "rtr.txt",
            text: "14:30:02:125 rb-rtr Trace: (7 x 0 : 0 0) NewCall: CID=(155021,40077120), DN=ChatTask, MRDID=5002, CallAtVRU=1\n\
                   14:30:02:126 rb-rtr Trace: (7 x 0 : 0 0) DeviceTargetPreCall_V14: CID=(155021,40077120), PerID=5000, PQID=5100, AGSTID=7012 NetworkCallFlags=0, InvokeID=902\n\
                   14:30:02:126 rb-rtr Trace: DN=ChatTask, ANI=guest, CED=0123456789ABCDEF0123456789ABCDEF\n\
                   14:30:03:002 rb-rtr Trace: Agent 7012 from PG domain 5002. [na-0:2[0],RA] to [res-0+1:2[0],R]\n\
                   14:31:09:377 rb-rtr Trace: (65536 x 0 : 0 0) TranRouteToVRU: Label=4100, CorID=3, VRUID=5001\n",
            format: "icm-router",
            expect: &[
                e(1, "14:30:02:125", "", "NewCall", &[("dialog", "7 x 0 : 0 0"), ("RouterCallKeyDay", "155021"), ("RouterCallKeyCallID", "40077120"), ("MRDID", "5002")]),
                e(2, "14:30:02:126", "", "DeviceTargetPreCall_V14", &[("InvokeID", "902"), ("ICMAgentID", "7012"), ("PerID", "5000"), ("ANI", "guest")]),
                e(4, "14:30:03:002", "", "AgentStateChange", &[("ICMAgentID", "7012"), ("MRDID", "5002"), ("OldState", "NOT_ACTIVE"), ("NewState", "RESERVED"), ("from_state", "[na-0:2[0],RA]")]),
                e(5, "14:31:09:377", "", "TranRouteToVRU", &[("Label", "4100"), ("VRUID", "5001")]),
            ],
        },
        Variant {
            family: "mr-pim",
            variant: "media routing PIM message blocks",
            path: "pim2.txt",
            text: "14:30:02:118 PG3A-pim2 Trace: Application->PG:\n\
                   Message = NEW_TASK; Length = 188 bytes\n\
                   DialogueID = (7) Hex 00000007\n\
                   MRDomainID = (5002) Hex 0000138a\n\
                   14:30:02:140 PG3A-pim2 Trace: PG->Application:\n\
                   Message = DO_THIS_WITH_TASK; Length = 96 bytes\n\
                   IcmTaskID = 155021:40077120: 1\n\
                   Agent = (7012) Hex 00001b64\n\
                   14:30:02:141 PG3A-pim2 Trace: MR_Peripheral::On_Router_Connect:\n\
                   CONNECT RCID=5004 PID=5000 DID=7 CRS(RtrDate=155021,RtrCID=40077120) InvokeID=902 AGSTID=7012 MRDID=5002\n",
            format: "mr-pim",
            expect: &[
                e(1, "14:30:02:118", "", "NEW_TASK", &[("header", "Application->PG"), ("DialogueID", "7"), ("MRDomainID", "5002")]),
                e(5, "14:30:02:140", "", "DO_THIS_WITH_TASK", &[("TaskKey", "155021_40077120_1"), ("ICMAgentID", "7012")]),
                e(9, "14:30:02:141", "", "CONNECT", &[("RouterCallKeyDay", "155021"), ("RouterCallKeyCallID", "40077120"), ("InvokeID", "902"), ("ICMAgentID", "7012")]),
            ],
        },
        Variant {
            family: "mr-pim",
            variant: "voice PIM trace lines without milliseconds",
            path: "pim1.txt",
            text: "14:30:02 PG1A-pim1 Trace: AgentStateChange: PeriphID=5000 Agent=3021 SkillTargetID=7012 State=AVAILABLE\n\
                   14:30:05 PG1A-pim1 Trace: CSTA_DELIVERED: CallID=16777301 Device=3021\n",
            format: "mr-pim",
            expect: &[
                e(1, "14:30:02", "", "AgentStateChange", &[("SkillTargetID", "7012"), ("State", "AVAILABLE")]),
                e(2, "14:30:05", "", "CSTA_DELIVERED", &[("CallID", "16777301")]),
            ],
        },
    ]);
}

#[test]
fn other_processes() {
    check_all(&[
        Variant {
            family: "icm-process",
            variant: "JTAPI gateway",
            path: "jgw1.txt",
            text: "14:30:02:118 PG1A-jgw1 Trace: CallCtlConnOfferedEv: Call=16777301 Address=3021 Terminal=SEP00AA11BB22CC\n\
                   14:30:02:131 PG1A-jgw1 Trace: ProcessAgentStateChange: AgentID=3021 State=TALKING\n",
            format: "icm-process",
            expect: &[
                e(1, "14:30:02:118", "", "CallCtlConnOfferedEv", &[("Call", "16777301"), ("Terminal", "SEP00AA11BB22CC")]),
                e(2, "14:30:02:131", "", "ProcessAgentStateChange", &[("AgentID", "3021")]),
            ],
        },
        Variant {
            family: "icm-process",
            variant: "several PG processes in one paste, without milliseconds",
            path: "pg2a.txt",
            text: "14:30:02 PG2A-pgag Trace: MDSMessage: SendingToCentralController Side=A\n\
                   14:30:02 PG2A-opc Trace: SetAgentState: ASTID=7012 Periph#=3021 MRDomainID=1 OldState=AS_NOT_READY NewState=AS_AVAILABLE\n\
                   14:30:03 PG2A-pim1 Trace: AgentStateChange: Agent=3021 State=AVAILABLE\n\
                   14:30:04 cg2A-ctisvr Trace: AGENT_EVENT: ID=3021 Periph=5000 St=AVAILABLE MRDID=1 ICMAgtID=7012\n",
            format: "icm-process",
            expect: &[
                e(1, "14:30:02", "", "MDSMessage", &[("Side", "A")]),
                e(2, "14:30:02", "", "SetAgentState", &[("NewState", "AVAILABLE"), ("ICMAgentID", "7012")]),
                e(4, "14:30:04", "", "AGENT_EVENT", &[("AgentState", "AVAILABLE"), ("AgentID", "3021"), ("ICMAgentID", "7012")]),
            ],
        },
        Variant {
            family: "icm-process",
            variant: "router-side processes (NM, MDS, logger, real-time server): events in prose and traces",
            path: "central.txt",
            text: "09:00:01:100 ra-nm Node Manager started. Last shutdown was for reboot after a failure.\n\
                   09:00:03:250 ra-mds Trace: MDSState: Side=A State=Enabled Peer=Connected\n\
                   09:00:04:002 la-lgr Trace: RecoveryKey=4155001 Table=Agent_Event_Detail\n\
                   09:00:05:719 dis-rtsvr Trace: RTClientConnect: Client=aw1 Port=40036\n",
            format: "icm-process",
            expect: &[
                e(1, "09:00:01:100", "", "", &[]),
                e(2, "09:00:03:250", "", "MDSState", &[("Side", "A"), ("State", "Enabled")]),
                e(3, "09:00:04:002", "", "", &[("RecoveryKey", "4155001")]),
                e(4, "09:00:05:719", "", "RTClientConnect", &[("Client", "aw1")]),
            ],
        },
    ]);
}

const DUMPLOG_MS: &str = "\
Events from March 11, 2025
14:30:02:118 PG3A-opc Trace: SetAgentState: ASTID=7012 Periph#=3021 MRDomainID=5002 OldState=AS_NOT_ACTIVE NewState=AS_RESERVED
14:30:02:140 cg3A-ctisvr SESSION 4: MsgType:AGENT_STATE_EVENT (MonitorID:0 PeripheralID:5000
14:30:02:140 cg3A-ctisvr SESSION 4:         AgentState:RESERVED ICMAgentID:7012 AgentID:\"3021\" MRDID:5002 )
14:30:03:002 rb-rtr Trace: Agent 7012 from PG domain 5002. [na-0:2[0],RA] to [res-0+1:2[0],R]
";

const DUMPLOG_DAYS: &str = "\
Events from Tuesday, March 11, 2025
23:59:58 rb-rtr MDS is in service.
Events from Wednesday, March 12, 2025
00:00:01 rb-rtr Trace: NewCall: CID=(155022,40077121), DN=ChatTask, MRDID=5002
";

const DUMPLOG_NUMERIC: &str = "\
Events from 03/11/2025
14:30:02:118 PG3A-pim3 Trace: PG->Application:
Message = DO_THIS_WITH_TASK; Length = 96 bytes
IcmTaskID = 155021:40077120: 1
14:30:02:140 cg3A-ctisvr Trace: ProcessOfferTaskInd - sessionID 3
";

#[test]
fn dumplog_standard_form() {
    check_all(&[
        Variant {
            family: "icm-dumplog",
            variant: "with /ms, processes of several nodes",
            path: "dumplog.txt",
            text: DUMPLOG_MS,
            format: "icm-dumplog",
            expect: &[
                e(1, "March 11, 2025", "", "DATE_HEADER", &[("date", "2025-03-11")]),
                e(2, "14:30:02:118", "", "SetAgentState", &[("NewState", "RESERVED"), ("AgentID", "3021")]),
                e(3, "14:30:02:140", "", "AGENT_STATE_EVENT", &[("AgentState", "RESERVED"), ("ICMAgentID", "7012"), ("session", "4")]),
                e(5, "14:30:03:002", "", "AgentStateChange", &[("NewState", "RESERVED")]),
            ],
        },
        Variant {
            family: "icm-dumplog",
            variant: "without /ms, weekday in the date line, a new day",
            path: "rtr_dump.txt",
            text: DUMPLOG_DAYS,
            format: "icm-dumplog",
            expect: &[
                e(1, "Tuesday, March 11, 2025", "", "DATE_HEADER", &[("date", "2025-03-11")]),
                e(2, "23:59:58", "", "", &[]),
                e(3, "Wednesday, March 12, 2025", "", "DATE_HEADER", &[("date", "2025-03-12")]),
                e(4, "00:00:01", "", "NewCall", &[("RouterCallKeyDay", "155022")]),
            ],
        },
        Variant {
            family: "icm-dumplog",
            variant: "numeric date line, a PIM block",
            path: "pg3a_dump.txt",
            text: DUMPLOG_NUMERIC,
            format: "icm-dumplog",
            expect: &[
                e(1, "03/11/2025", "", "DATE_HEADER", &[("date", "2025-03-11")]),
                e(2, "14:30:02:118", "", "DO_THIS_WITH_TASK", &[("TaskKey", "155021_40077120_1")]),
                e(5, "14:30:02:140", "", "ProcessOfferTaskInd", &[("SessionID", "3")]),
            ],
        },
    ]);
}

/// The date a dumplog date line gives the lines under it (their UTC depends on the clock).
#[test]
fn dumplog_date_lines_date_the_lines_below() {
    for (text, line, date) in
        [(DUMPLOG_MS, 2u32, (2025, 3, 11)), (DUMPLOG_DAYS, 2, (2025, 3, 11)), (DUMPLOG_DAYS, 4, (2025, 3, 12)), (DUMPLOG_NUMERIC, 5, (2025, 3, 11))]
    {
        let s = common::session_of(&[("dumplog.txt", text)]);
        let r = s.records.iter().find(|r| r.line == line).expect("record");
        assert_eq!(r.time.as_ref().and_then(|t| t.date()), Some(date), "line {line} of {text:?}");
    }
}

#[test]
fn dumplog_cisco_form() {
    check_all(&[
        Variant {
            family: "icm-dumplog-cisco",
            variant: "dumplog /ciscoLog",
            path: "rtr_cisco.txt",
            text: "21: CICMRGRB: Mar 11 2025 14:30:02.125 -0400: %ICM_Router_ProcessSynchronization: [comp=Router-B][pname=rtr][iid=acme][sev=info]: Router is synchronized.\n\
                   22: CICMRGRB: Mar 11 2025 14:30:05.900 -0400: %ICM_Router_MDSState: [comp=Router-B][pname=rtr][iid=acme][sev=info]: MDS is in service.\n",
            format: "icm-dumplog-cisco",
            expect: &[
                e(1, "Mar 11 2025 14:30:02.125 -0400", "2025-03-11T18:30:02.125Z", "ICM_Router_ProcessSynchronization", &[("comp", "Router-B"), ("pname", "rtr"), ("seq", "21"), ("host", "CICMRGRB"), ("message", "Router is synchronized.")]),
                e(2, "Mar 11 2025 14:30:05.900 -0400", "2025-03-11T18:30:05.900Z", "ICM_Router_MDSState", &[("sev", "info")]),
            ],
        },
        Variant {
            family: "icm-dumplog-cisco",
            variant: "Cisco Log sent to syslog: <PRI>, -sev-msgid, [mid=]",
            path: "icm-syslog.txt",
            text: "<134>31: cce-pg2a: Mar 11 2025 14:30:02.125 -0400: %ICM_PG_OPC-6-10A0001: [comp=PG2-A][pname=opc][iid=acme][mid=10A0001][sev=info]: Peripheral 5002 is online.\n\
                   <131>32: cce-pg2a: Mar 11 2025 14:30:09.004 -0400: %ICM_PG_PIM-3-10B0003: [comp=PG2-A][pname=pim1][iid=acme][mid=10B0003][sev=error]: Peripheral 5002 went offline.\n",
            format: "icm-dumplog-cisco",
            expect: &[
                e(1, "Mar 11 2025 14:30:02.125 -0400", "2025-03-11T18:30:02.125Z", "ICM_PG_OPC", &[("syslog_priority", "134"), ("mid", "10A0001"), ("pname", "opc")]),
                e(2, "Mar 11 2025 14:30:09.004 -0400", "2025-03-11T18:30:09.004Z", "ICM_PG_PIM", &[("sev", "error"), ("message", "Peripheral 5002 went offline.")]),
            ],
        },
        Variant {
            family: "icm-dumplog-cisco",
            variant: "trace messages of the CTI server, without milliseconds",
            path: "ctisvr_cisco.txt",
            text: "7: CG1A: Mar 11 2025 14:30:02 -0400: %ICM_CG_CTIServer: [comp=CG1-A][pname=ctisvr][iid=acme][sev=info]: Trace: AGENT_EVENT: ID=3021 Periph=5000 St=NOT_READY MRDID=1 ICMAgtID=7012\n\
                   8: CG1A: Mar 11 2025 14:30:03 -0400: %ICM_CG_CTIServer: [comp=CG1-A][pname=ctisvr][iid=acme][sev=info]: SESSION 4: MsgType:FAILURE_CONF (InvokeID:0x3 Status:7 )\n",
            format: "icm-dumplog-cisco",
            expect: &[
                e(1, "Mar 11 2025 14:30:02 -0400", "2025-03-11T18:30:02.000Z", "AGENT_EVENT", &[("AgentID", "3021"), ("AgentState", "NOT_READY"), ("ICMAgentID", "7012")]),
                e(2, "Mar 11 2025 14:30:03 -0400", "2025-03-11T18:30:03.000Z", "FAILURE_CONF", &[("StatusName", "E_CTI_INVALID_PERIPHERAL_ID"), ("session", "4")]),
            ],
        },
        Variant {
            family: "icm-dumplog-cisco",
            variant: "hard-wrapped inside the tags by an e-mail client",
            path: "mail-cisco.txt",
            text: "31: CCE-RGR-A: Mar 11 2025 14:30:02.125 -0400: %ICM_Router_CallRouter-6-10500FF: [comp=Router-\n\
                   A][pname=rtr][iid=acme][mid=10500FF][sev=info]: Side A rtr process is OK.\n\
                   32: CCE-RGR-A: Mar 11 2025 14:30:04.000 -0400: %ICM_Router_CallRouter-6-10500FF: [comp=Router-A][pname=rtr][iid=acme][mid=10500FF][sev=info]: Side A rtr process is OK.\n",
            format: "icm-dumplog-cisco",
            expect: &[
                e(1, "Mar 11 2025 14:30:02.125 -0400", "2025-03-11T18:30:02.125Z", "ICM_Router_CallRouter", &[("comp", "Router-A"), ("pname", "rtr"), ("message", "Side A rtr process is OK.")]),
                e(3, "Mar 11 2025 14:30:04.000 -0400", "2025-03-11T18:30:04.000Z", "ICM_Router_CallRouter", &[("sev", "info")]),
            ],
        },
    ]);
}

#[test]
fn consoles() {
    check_all(&[
        Variant {
            family: "icm-console",
            variant: "procmon attached to a JTAPI gateway (trace echo timed, commands not)",
            path: "procmon-jgw.txt",
            text: "C:\\icm\\acme\\PG1A\\logfiles>procmon acme pg1a jgw1\n\
                   09:12:03 Trace: EMT Creating Mutex Global\\AcmeLock\n\
                   >>>> jtapiver\n\
                   >>>>Cisco Jtapi version 12.5(1.10000)-1 Release\n\
                   >>>>jrever\n\
                   >>>>Java Runtime Environment Version = <1.8.0_301>\n",
            format: "icm-console",
            expect: &[
                e(1, "", "", "procmon", &[("customer", "acme"), ("node", "pg1a"), ("process", "jgw1")]),
                e(2, "09:12:03", "", "", &[]),
                e(3, "", "", "jtapiver", &[("output", "Cisco Jtapi version 12.5(1.10000)-1 Release")]),
                e(5, "", "", "jrever", &[("Version", "<1.8.0_301>")]),
            ],
        },
        Variant {
            family: "icm-console",
            variant: "opctest session",
            path: "opctest.txt",
            text: "C:\\> opctest /cust acme /node pg1a\n\
                   opctest: list_agents /periph 5000\n\
                   Agent 3021 SkillTargetID=7012 State=AVAILABLE\n\
                   opctest: status\n\
                   PeripheralID = 5000, State = ACTIVE\n",
            format: "icm-console",
            expect: &[
                e(1, "", "", "opctest", &[("cust", "acme"), ("node", "pg1a")]),
                e(2, "", "", "list_agents", &[("periph", "5000"), ("SkillTargetID", "7012")]),
                e(4, "", "", "status", &[("PeripheralID", "5000"), ("State", "ACTIVE")]),
            ],
        },
        Variant {
            family: "rttest",
            variant: "rttest session with its invocation",
            path: "router-console.txt",
            text: "c:\\icm\\acme\\ra\\logfiles>rttest /cust acme /node routera\n\
                   rttest: agent_status /agent 7012\n\
                   Agent ACME.Voice_Agent (7012, periph# 3021)\n\
                   domain: Cisco_Voice (1), state = [nr-0:1,R], 12 secs\n",
            format: "rttest",
            expect: &[
                e(1, "", "", "rttest", &[("cust", "acme"), ("node", "routera")]),
                e(2, "", "", "agent_status", &[("agent", "7012")]),
                e(3, "", "", "Agent", &[("SkillTargetID", "7012"), ("AgentID", "3021"), ("ICMAgentID", "7012")]),
            ],
        },
    ]);
}

/// Every variant that writes a time is ≥ 99 % timed.
#[test]
fn timed_variants_are_timed() {
    let files = [
        ("cg1A_ctisvr.txt", CTISVR_TRACE),
        ("cg1A_ctisvr_session.txt", CTISVR_SESSION),
        ("ctisvr.txt", CTISVR_SESSION_CUT),
        ("ctisvr_agent.txt", CTISVR_AGENT_EVENT),
        ("cg1B_ctisvr.txt", CTISVR_NO_MS),
        ("dumplog.txt", DUMPLOG_MS),
        ("rtr_dump.txt", DUMPLOG_DAYS),
        ("pg3a_dump.txt", DUMPLOG_NUMERIC),
    ];
    for (path, text) in files {
        let share = timed_share(path, text);
        println!("{path}: {share}");
        assert!(share >= 0.99, "{path}: {share} of lines timed");
    }
    // Every family's own examples that write a time, too.
    for f in switchboard::formats::registry() {
        if !matches!(f.name, "ctisvr" | "opc" | "mr-pim" | "icm-router" | "icm-process" | "icm-dumplog" | "icm-dumplog-cisco") {
            continue;
        }
        for ex in f.examples.iter().filter(|x| x.timed) {
            let share = timed_share(ex.path, ex.text);
            println!("{} / {}: {share}", f.name, ex.variant);
            assert!(share >= 0.99, "{} / {}: {share} of lines timed", f.name, ex.variant);
        }
    }
}
