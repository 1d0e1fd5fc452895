/// The fields conditions and `{{…}}` can name under each root.
///
/// One list for lint (which refuses anything else) and for the engine (which resolves these):
/// a field added here is at once valid and available.
public enum ReferenceFields {
    public static let alert: Set<String> = [
        "name", "fingerprint", "source", "severity", "status", "labels", "annotations", "startsAt", "endsAt",
        "generatorURL", "resolved", "firing",
    ]
    public static let step: Set<String> = [
        "ok", "exit_code", "stdout", "stderr", "outputs", "status", "attempts", "skipped", "duration",
        "value", "samples", "result_type",
    ]
    /// The fields only `query:` steps have (``QueryResult``).
    public static let queryStep: Set<String> = ["value", "samples", "result_type"]
    public static let run: Set<String> = [
        "id", "runbook", "started_at", "dry_run", "failed_step", "state", "duration",
    ]
    public static let roots = ["alert", "inputs", "steps", "run", "env", "now"]
}
