/// `rbx.yaml`: the ladder, defaults, notifiers and the places rbx keeps state.
///
/// Keys used only by later parts of rbx (store, server, auth) are read and checked now, so a
/// typo there is caught by `rbx lint` long before a server starts.
public struct CatalogConfig: Sendable, Equatable {
    public var file: String?
    public var severity: SeverityLadder
    public var severityLabel: String
    public var defaultSeverity: String?
    public var sourceLabel: String
    public var defaultSource: String
    public var defaults: Defaults
    public var notifiers: [Notifier]
    /// Named escalation policies and the default one per severity (`escalation:`).
    public var escalation = EscalationSettings()
    /// Named Prometheus servers that `query:` steps ask (`prometheus:`).
    public var prometheus: [PrometheusServer] = []
    public var statusPage: StatusPage
    public var store: String
    public var authToken: String?
    public var authTokenFile: String?
    /// Named API tokens (`auth.tokens`): each identifies a person or service, so approvals and
    /// acknowledgements are recorded under a name nobody can type in for someone else.
    public var authTokens: [NamedToken] = []
    public var listen: String
    public var maxBody: ByteSize
    public var server = ServerSettings()
    public var delivery = Delivery()
    public var envAllow: [String]
    public var secretPatterns: [String]
    public var evidenceDirectory: String
    /// `sample_alerts`: the directory of example alerts `rbx docs` renders messages for and
    /// `rbx diff` routes, relative to the catalog root.
    public var sampleAlertsDirectory = "examples/alerts"
    /// `evidence.signing_key`: a `${NAME}` reference to an Ed25519 private key that signs bundles.
    public var evidenceSigningKey: String?

    /// One entry of `auth.tokens`: `{name: alice, token: "${RBX_TOKEN_ALICE}", as: [team-lead]}`.
    public struct NamedToken: Sendable, Equatable {
        public var name: String
        /// A `${NAME}` reference (or `NAME_FILE`), never the token itself.
        public var token: String
        /// Roles this identity may act as: names an approval step's `approvers:` can list.
        public var roles: [String]

        public init(name: String, token: String, roles: [String] = []) {
            self.name = name
            self.token = token
            self.roles = roles
        }
    }

    public struct Defaults: Sendable, Equatable {
        public var dedupWindow: Duration = .seconds(300)
        public var cooldown: Duration = .zero
        public var stepTimeout: Duration = .seconds(300)
        public var interval: Duration = .seconds(15)
        public var backoff: Duration = .seconds(10)
        public var outputLimit = ByteSize(bytes: 1 << 20)
        public init() {}
    }

    /// How `rbx serve` works its queue (`server:` in rbx.yaml).
    public struct ServerSettings: Sendable, Equatable {
        /// Runs executed at once.
        public var workers = 4
        /// Extra attempts for an alert whose run failed.
        public var retryLimit = 2
        public var retryDelay: Duration = .seconds(60)
        /// How long a claim on an alert or timer holds without renewal: a dead process's work
        /// is taken over this long after it stopped renewing.
        public var claimLock: Duration = .seconds(30)
        /// How long running steps may go on after SIGTERM before they are cut off.
        public var shutdownGrace: Duration = .seconds(10)
        /// How alert label and annotation names are checked (`server.label_names`).
        public var labelNames: LabelNameRule = .classic
        /// Connections held at once; nil: 4,096, or fewer when the descriptor limit is lower.
        public var maxConnections: Int?
        /// From connecting to a complete request head.
        public var headerTimeout: Duration = .seconds(10)
        /// From a request head to the end of its body.
        public var bodyTimeout: Duration = .seconds(60)
        /// From the end of a response to the next request on a kept-alive connection.
        public var idleTimeout: Duration = .seconds(60)
        /// The address people reach rbx at (`server.external_url`), behind a proxy that may
        /// terminate TLS: links in messages, and https makes the console's cookies Secure.
        public var externalURL: String?
        /// How long a console sign-in lasts.
        public var sessionLifetime: Duration = .seconds(12 * 3600)
        public init() {}
    }

    /// How hard rbx tries to deliver a page (`delivery:` in rbx.yaml); the rule itself is
    /// `RunbookLifecycle.PageDelivery`.
    public struct Delivery: Sendable, Equatable {
        /// Deliveries tried per notifier, the first included.
        public var attempts = 3
        /// The pause after the first failure, doubled after each further one.
        public var backoff: Duration = .seconds(1)
        /// The notifier paged when every notifier of a rung failed.
        public var fallback: Located<String>?
        public init() {}
    }

    public struct Notifier: Sendable, Equatable {
        public enum Kind: String, Sendable, Hashable, CaseIterable { case webhook, command, file }
        public var name: Located<String>
        public var kind: Kind
        public var url: String?
        public var headers: [String: String]
        public var timeout: Duration
        public var argv: [String]
        public var path: String?
        /// What a fire drill through a live server does with this notifier's messages.
        public var drill: DrillDelivery = .record

        /// `record` (the default): a drill records what it would send; `deliver`: a drill sends
        /// it, prefixed "[DRILL]" (a test channel, the drill's own pager schedule).
        public enum DrillDelivery: String, Sendable, Hashable, CaseIterable { case record, deliver }

        public init(
            name: Located<String>, kind: Kind, url: String? = nil, headers: [String: String] = [:],
            timeout: Duration = .seconds(10), argv: [String] = [], path: String? = nil
        ) {
            self.name = name
            self.kind = kind
            self.url = url
            self.headers = headers
            self.timeout = timeout
            self.argv = argv
            self.path = path
        }
    }

    public struct StatusPage: Sendable, Equatable {
        public enum Kind: String, Sendable, Hashable, CaseIterable { case file, webhook }
        public var kind: Kind = .file
        public var path: String? = "var/status"
        public var url: String?
        public init() {}
    }

    public init() {
        file = nil
        severity = .standard
        severityLabel = "severity"
        defaultSeverity = nil
        sourceLabel = "source"
        defaultSource = "alertmanager"
        defaults = Defaults()
        notifiers = []
        statusPage = StatusPage()
        store = "sqlite:var/rbx.sqlite"
        authToken = nil
        authTokenFile = nil
        listen = "127.0.0.1:9095"
        maxBody = ByteSize(bytes: 1 << 20)
        envAllow = ["PATH", "HOME", "LANG", "TZ"]
        secretPatterns = []
        evidenceDirectory = "evidence"
    }

    public func notifier(named name: String) -> Notifier? {
        notifiers.first { $0.name.value == name }
    }
}
