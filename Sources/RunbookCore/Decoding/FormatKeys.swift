/// The keys each mapping of the rbx/v1 format allows.
///
/// The decoders and the JSON Schema (``CatalogSchema``) read these same lists, so the
/// schema editors use can never accept a key that `rbx lint` refuses, or the other way round.
public enum FormatKeys {
    public static let document = ["apiVersion", "kind"]
    public static let metadata = ["name", "title", "owner", "summary", "description", "links", "tags"]
    public static let runbook = document + [
        "metadata", "match", "priority", "concurrency", "cooldown", "steps", "resolved_when", "escalation", "status",
    ]
    public static let match = ["source", "severity", "labels"]
    public static let step = [
        "id", "name", "description", "kind", "run", "shell", "uses", "with", "env", "when", "timeout", "retries",
        "backoff", "until", "interval", "continue_on_error", "safe", "idempotent", "outputs", "notify", "template",
        "message", "duration", "approvers", "on_timeout",
    ]
    public static let escalationRung = ["after", "notify", "repeat", "template"]
    public static let status = ["on_start", "on_update", "on_resolved"]
    public static let statusMessage = ["template", "state", "every", "notify"]
    public static let playbook = document + ["metadata", "inputs", "steps"]
    public static let playbookInput = ["type", "required", "default", "pattern", "allow_leading_dash", "description"]
    public static let config = document + [
        "severity", "source", "defaults", "notifiers", "status_page", "store", "auth", "server", "env", "secrets", "evidence",
    ]
    public static let configSeverity = ["levels", "aliases", "label", "default"]
    public static let configSource = ["label", "default"]
    public static let configDefaults = ["dedup_window", "cooldown", "step_timeout", "interval", "backoff", "output_limit"]
    public static let notifier = ["type", "url", "headers", "timeout", "run", "path"]
    public static let statusPage = ["type", "path", "url"]
    public static let auth = ["token", "token_file"]
    public static let server = ["listen", "max_body"]
    public static let env = ["allow"]
    public static let secrets = ["patterns"]
    public static let evidence = ["dir"]

    /// Which action keys each step kind takes.
    public static let actionKeys: [StepKind: [String]] = [
        .diagnostic: ["run", "shell", "uses"],
        .remediation: ["run", "shell", "uses"],
        .notify: ["notify"],
        .wait: ["duration"],
        .approval: [],
    ]
    /// Every key that is an action of some kind (or belongs only to one kind).
    public static let kindSpecificKeys = [
        "run", "shell", "uses", "with", "notify", "template", "message", "duration", "approvers", "on_timeout",
    ]
}
