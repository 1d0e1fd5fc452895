/// The keys each mapping of the rbx/v1 format allows.
///
/// The decoders and the JSON Schema (``CatalogSchema``) read these same lists, so the
/// schema editors use can never accept a key that `rbx lint` refuses, or the other way round.
public enum FormatKeys {
    /// Keys in the order the format documents them, with constant-time membership: every
    /// mapping entry of every file is checked against one of these.
    public struct KeySet: Sendable, Sequence, ExpressibleByArrayLiteral {
        public let ordered: [String]
        private let members: Set<String>

        public init(_ keys: [String]) {
            ordered = keys
            members = Set(keys)
        }

        public init(arrayLiteral keys: String...) { self.init(keys) }

        public func contains(_ key: String) -> Bool { members.contains(key) }
        public func makeIterator() -> IndexingIterator<[String]> { ordered.makeIterator() }

        public static func + (lhs: KeySet, rhs: [String]) -> KeySet { KeySet(lhs.ordered + rhs) }
    }

    public static let document: KeySet = ["apiVersion", "kind"]
    public static let metadata: KeySet = ["name", "title", "owner", "summary", "description", "links", "tags"]
    public static let runbook: KeySet =
        document + [
            "metadata", "match", "priority", "concurrency", "cooldown", "cooldown_key", "dedup_window", "steps",
            "on_failure", "on_budget_exhausted", "finally",
            "resolved_when", "escalation", "status", "budget", "schedule",
        ]
    /// `kind: Check`: a runbook that only its schedule starts, so no match, ladder or status.
    public static let check: KeySet =
        document + [
            "metadata", "schedule", "concurrency", "steps", "on_failure", "on_budget_exhausted", "finally", "budget",
        ]
    public static let raise: KeySet = ["alertname", "severity", "labels", "annotations", "expires", "resolve"]
    public static let match: KeySet = ["source", "severity", "labels"]
    public static let step: KeySet = [
        "id", "name", "description", "kind", "run", "shell", "uses", "with", "env", "when", "timeout", "retries",
        "backoff", "until", "interval", "continue_on_error", "safe", "idempotent", "outputs", "notify", "template",
        "message", "duration", "approvers", "on_timeout", "min_approvers", "allow_leading_dash", "workdir", "stop",
        "handoff",
        "query", "prometheus", "budget", "raise",
    ]
    public static let budget: KeySet = ["max", "per", "key"]
    public static let output: KeySet = ["regex", "all", "lines", "json", "from"]
    public static let escalationRung: KeySet = ["after", "notify", "repeat", "template", "when", "fallback"]
    public static let escalationChoice: KeySet = ["policy"]
    public static let configEscalation: KeySet = ["policies", "default", "by_severity"]
    public static let escalationPolicy: KeySet = ["rungs", "status"]
    public static let status: KeySet = ["on_start", "on_update", "on_resolved"]
    public static let statusMessage: KeySet = ["template", "state", "every", "notify"]
    public static let playbook: KeySet =
        document + ["metadata", "inputs", "steps", "on_failure", "finally", "outputs"]
    public static let playbookInput: KeySet = [
        "type", "required", "default", "pattern", "allow_leading_dash", "description",
    ]
    public static let config: KeySet =
        document + [
            "severity", "source", "defaults", "notifiers", "escalation", "delivery", "status_page", "store", "auth",
            "server", "env",
            "secrets",
            "evidence", "sample_alerts", "prometheus",
        ]
    public static let configSeverity: KeySet = ["levels", "aliases", "label", "default"]
    public static let configSource: KeySet = ["label", "default"]
    public static let configDefaults: KeySet = [
        "dedup_window", "cooldown", "step_timeout", "interval", "backoff", "output_limit",
    ]
    public static let notifier: KeySet = ["type", "url", "headers", "timeout", "run", "path", "drill"]
    public static let prometheusServer: KeySet = ["url", "token", "timeout"]
    public static let statusPage: KeySet = ["type", "path", "url"]
    public static let delivery: KeySet = ["attempts", "backoff", "fallback"]
    public static let auth: KeySet = ["token", "token_file", "tokens"]
    public static let namedToken: KeySet = ["name", "token", "as"]
    public static let server: KeySet = [
        "listen", "max_body", "workers", "retry_limit", "retry_delay", "claim_lock", "shutdown_grace", "label_names",
        "max_connections", "header_timeout", "body_timeout", "idle_timeout", "external_url", "session_lifetime",
    ]
    public static let env: KeySet = ["allow"]
    public static let secrets: KeySet = ["patterns"]
    public static let evidence: KeySet = ["dir", "signing_key"]
    public static let testSuite: KeySet = document + ["metadata", "tests"]
    public static let testCase: KeySet = [
        "name", "alert", "alerts", "check", "assume", "ack_at", "resolve_at", "for", "started_at", "budgets", "expect",
    ]
    public static let timedAlert: KeySet = ["at", "alert"]
    public static let testAssumption: KeySet = ["outcome", "stdout", "took", "value", "samples"]
    public static let testSample: KeySet = ["labels", "value"]
    public static let testExpect: KeySet = [
        "runbook", "outcome", "handoff", "steps", "argv", "escalations", "status", "raised",
    ]
    public static let testRaised: KeySet = ["alertname", "status", "labels", "runbook"]
    public static let testEscalation: KeySet = ["at", "notify"]
    public static let testStatus: KeySet = ["trigger", "at", "contains"]

    /// Every key that is an action of some kind (or belongs only to one kind).
    public static let kindSpecificKeys: [String] = [
        "run", "shell", "uses", "with", "notify", "template", "message", "duration", "approvers", "on_timeout",
        "min_approvers", "workdir", "stop", "handoff", "query", "prometheus", "raise",
    ]
}
