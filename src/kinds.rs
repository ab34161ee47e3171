//! The vocabulary a log format declares about itself and correlation reads: which lifeline its
//! records are drawn on (`Lane`), what part its source plays (`Role`), and which kinds of
//! identifiers its fields carry (`IdKind`, `IdRule`). Correlation asks a record's format for these
//! and never compares format names, so a new family joins flows by declaring them.

/// A participant of a sequence diagram: a lifeline, named as engineers name it on a whiteboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lane {
    /// The agent's Finesse desktop (client log, browser-side JavaScript).
    Desktop,
    /// A browser as a HAR or a debug console saw it.
    Browser,
    /// The Tomcat web container in front of Finesse (access log).
    Tomcat,
    /// Finesse REST web services (Desktop-webservices).
    Webservices,
    /// The XMPP notification server (Openfire on Finesse, or another XMPP/BOSH server).
    Notification,
    /// The ICM CTI server.
    Cti,
    /// The agent PG's OPC process.
    Opc,
    /// The ICM router (and `rttest`, its console).
    Router,
    /// A peripheral interface manager: the media routing PIM, a voice PIM.
    MrPim,
    /// Customer Collaboration Platform / SocialMiner.
    Ccp,
    /// The UCCX chat gateway (Facebook Messenger).
    ChatGateway,
    /// The ECE listener (ARM client).
    EceListener,
    /// The ECE web server (entry points, chat REST).
    EceWeb,
    /// The UCCX engine (MIVR and its facilities).
    UccxEngine,
    /// UCCX administration (MADM).
    UccxAdmin,
    /// Cisco Unified Intelligence Center.
    Cuic,
    /// The customer (Facebook user, web chat visitor).
    Customer,
    /// A log whose source is not known: one lifeline named "Log".
    Log,
    /// Decided per record from its component (`cg1A-ctisvr` → CTI server, `PG1A-opc` → OPC, …):
    /// generic ICM dumplog output holds every process.
    ByComponent,
}

impl Lane {
    /// The lifeline's name on the diagram.
    pub const fn title(self) -> &'static str {
        match self {
            Lane::Desktop => "Finesse desktop",
            Lane::Browser => "Browser",
            Lane::Tomcat => "Tomcat",
            Lane::Webservices => "Finesse webservices",
            Lane::Notification => "Notification service",
            Lane::Cti => "CTI server",
            Lane::Opc => "Agent PG (OPC)",
            Lane::Router => "Router",
            Lane::MrPim => "MR PIM",
            Lane::Ccp => "CCP / SocialMiner",
            Lane::ChatGateway => "Chat gateway",
            Lane::EceListener => "ECE listener",
            Lane::EceWeb => "ECE web server",
            Lane::UccxEngine => "UCCX engine",
            Lane::UccxAdmin => "UCCX admin",
            Lane::Cuic => "CUIC",
            Lane::Customer => "Customer",
            Lane::Log | Lane::ByComponent => "Log",
        }
    }

    /// The lane an ICM process component belongs to (`cg3A-ctisvr`, `PG1A-opc`, `ra-rtr`, `PG2A-pim3`).
    pub fn of_component(component: &str) -> Lane {
        let c = component.to_ascii_lowercase();
        let process = c.rsplit('-').next().unwrap_or(&c);
        if process.contains("ctisvr") || process.starts_with("cti") {
            Lane::Cti
        } else if process.contains("opc") {
            Lane::Opc
        } else if process.contains("rtr") || process.contains("router") {
            Lane::Router
        } else if process.contains("pim") {
            Lane::MrPim
        } else {
            Lane::Log
        }
    }

    /// The usual counterpart of a lane, for steps whose direction a flow does not define.
    pub fn default_peer(self) -> Lane {
        match self {
            Lane::Desktop | Lane::Browser => Lane::Webservices,
            Lane::Tomcat => Lane::Desktop,
            Lane::Webservices => Lane::Cti,
            Lane::Notification => Lane::Desktop,
            Lane::Cti => Lane::Opc,
            Lane::Opc => Lane::Router,
            Lane::Router => Lane::Opc,
            Lane::MrPim => Lane::Router,
            Lane::Ccp => Lane::MrPim,
            Lane::ChatGateway => Lane::Ccp,
            Lane::EceListener => Lane::Cti,
            Lane::EceWeb => Lane::Browser,
            Lane::UccxEngine | Lane::UccxAdmin => Lane::Ccp,
            Lane::Cuic => Lane::Router,
            Lane::Customer => Lane::ChatGateway,
            Lane::Log | Lane::ByComponent => Lane::Log,
        }
    }
}

/// What part a log's source plays, for rules that do not care which product wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Where the user is: a desktop's own log, a browser capture. An event seen here was delivered.
    Client,
    /// A server process writing as it works (time-ordered lines).
    Server,
    /// A console command's output or a saved document: a snapshot, usually without times.
    Snapshot,
    /// Not known (plain text).
    Unknown,
}

/// The kinds of identifiers that link records across sources.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdKind {
    /// CTI / ARM InvokeID (decimal; hex forms are normalised).
    Invoke,
    /// Task ID, canonical `day_callid_seq`.
    Task,
    /// Router call key `day_callid` (the prefix of a task key: router `CID=(day,callid)`).
    CallKey,
    /// CCP / SocialMiner SocialContactID (CED, ApplicationString2, sm_contact_id, scId…).
    SocialContact,
    /// BOSH session ID.
    BoshSid,
    /// Finesse / peripheral agent ID (loginId, JID local part, agent_id).
    Agent,
    /// ICM agent skill target ID.
    IcmAgent,
    /// Finesse REST requestId (PUT/POST).
    RequestId,
    /// Finesse REST nocache (GET; client epoch ms).
    Nocache,
    /// Chat-gateway session ID (Facebook PSID).
    ChatSession,
    /// Finesse Dialog ID that is not a task key.
    Dialog,
    /// CCP internal request ID (RequestId in runtime / ccppublicapps).
    CcpRequest,
}

impl IdKind {
    /// How the ID is named in link reasons.
    pub fn label(self) -> &'static str {
        match self {
            IdKind::Invoke => "InvokeID",
            IdKind::Task => "task ID",
            IdKind::CallKey => "router call key",
            IdKind::SocialContact => "SocialContactID",
            IdKind::BoshSid => "BOSH sid",
            IdKind::Agent => "agent",
            IdKind::IcmAgent => "ICM agent",
            IdKind::RequestId => "requestId",
            IdKind::Nocache => "nocache",
            IdKind::ChatSession => "chat session",
            IdKind::Dialog => "Dialog",
            IdKind::CcpRequest => "CCP RequestId",
        }
    }

    pub const ALL: [IdKind; 12] = [
        IdKind::Invoke,
        IdKind::Task,
        IdKind::CallKey,
        IdKind::SocialContact,
        IdKind::BoshSid,
        IdKind::Agent,
        IdKind::IcmAgent,
        IdKind::RequestId,
        IdKind::Nocache,
        IdKind::ChatSession,
        IdKind::Dialog,
        IdKind::CcpRequest,
    ];
}

/// Where a format's records carry an identifier, beyond the protocol fields every decoder fills
/// (InvokeID, sid, requestId, …: read for every record by `correlate::ids`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdRule {
    /// This field holds an ID of this kind. A field the format names here is read only by its
    /// rule (a CCP `requestId` is a CCP request, not a Finesse one).
    Field(&'static str, IdKind),
    /// A 32-hex-digit token anywhere in the record's text is an ID of this kind (SocialContactIDs
    /// in free-text CCP and UCCX messages).
    Hex32InText(IdKind),
    /// The record states an agent's peripheral ID and ICM ID together (CTI agent events), which
    /// teaches the alias between the two.
    AgentAliases,
}
