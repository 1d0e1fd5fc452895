public import RunbookCore
import RunbookLifecycle

/// The values a Mustache template renders over: `alert`, `run`, `runbook`, `steps`.
///
/// Plain dictionaries and arrays, because that is what swift-mustache walks with dotted names
/// (`{{alert.labels.instance}}`) and sections (`{{#steps.verify.ok}}`).
public enum MessageContext {
    /// - Parameter text: the template to render, when known: `steps` and the lists
    ///   (`label_list`, `annotation_list`, `step_list`) are built only when it names them, since a
    ///   drill renders a message at every rung and status update, and building every step's
    ///   values each time was most of a drill's time (templates cannot include other templates).
    public static func make(
        runbook: Runbook, context: RunContext, redactor: Redactor, for text: String? = nil
    ) -> [String: any Sendable] {
        let needs = { (name: String) in text.map { $0.contains(name) } ?? true }
        var result: [String: any Sendable] = [
            "runbook": [
                "name": runbook.name, "title": runbook.metadata.displayTitle, "owner": runbook.metadata.owner ?? "",
                "summary": runbook.metadata.summary ?? "",
            ] as [String: any Sendable],
            "run": [
                "id": context.run.id, "runbook": context.run.runbook, "started_at": context.run.startedAt,
                "dry_run": context.run.dryRun, "state": context.state ?? "running",
                "duration": (context.elapsed ?? .zero).runbookDescription,
                "duration_seconds": Double((context.elapsed ?? .zero).totalMilliseconds) / 1000,
                "failed_step": context.failedStep ?? "",
            ] as [String: any Sendable],
        ]
        if let alert = context.alert {
            var object: [String: any Sendable] = [
                "name": alert.name, "fingerprint": alert.fingerprint, "source": alert.source,
                "status": alert.status.rawValue,
                "labels": alert.labels, "annotations": alert.annotations, "resolved": alert.status == .resolved,
                "firing": alert.status == .firing,
            ]
            // Sections iterate lists, not dictionaries: `{{#alert.label_list}}{{name}}={{value}}{{/…}}`.
            if needs("label_list") { object["label_list"] = Self.pairs(alert.labels) }
            if needs("annotation_list") { object["annotation_list"] = Self.pairs(alert.annotations) }
            if let severity = alert.severity { object["severity"] = severity }
            if let startsAt = alert.startsAt { object["startsAt"] = startsAt }
            if let url = alert.generatorURL { object["generatorURL"] = url }
            result["alert"] = object
        }
        // A template without `steps` (most pages) skips them: each one's output is redacted anew.
        guard needs("steps") || needs("step_list") else { return result }
        var steps: [String: any Sendable] = [:]
        for (id, step) in context.steps {
            var object: [String: any Sendable] = [
                "ok": step.ok, "status": step.status.rawValue, "stdout": redactor.redact(step.stdout),
                "stderr": redactor.redact(step.stderr), "outputs": step.outputs.mapValues(\.templateValue),
                "attempts": step.attempts,
                "skipped": step.status == .skipped,
            ]
            if let exitCode = step.exitCode { object["exit_code"] = Int(exitCode) }
            // A query step's result: `{{steps.lag.value}}`, `{{#steps.up.samples}}{{labels.instance}}{{/…}}`.
            if let query = step.query {
                for field in ReferenceFields.queryStep.sorted() {
                    if let value = query.field(field), value != .null { object[field] = value.templateValue }
                }
            }
            steps[id] = object
        }
        result["steps"] = steps
        guard needs("step_list") else { return result }
        // In the order they are written (which is the order they ran), whatever the clock said.
        // Sorted as (position, start, id) keys, not as the results themselves, which are large.
        let position = Dictionary(runbook.allSteps.enumerated().map { ($1.id.value, $0) }) { first, _ in first }
        let order = context.steps.map { id, step in (position[id] ?? Int.max, step.startedAt, id) }.sorted { $0 < $1 }
        result["step_list"] = order.compactMap { context.steps[$0.2] }.map { step in
            [
                "id": step.id, "kind": step.kind.rawValue, "status": step.status.rawValue, "ok": step.ok,
                "duration": step.duration.runbookDescription, "note": redactor.redact(step.note ?? ""),
            ] as [String: any Sendable]
        }
        return result
    }

    /// `[{name, value}]` sorted by name.
    private static func pairs(_ values: [String: String]) -> [[String: String]] {
        values.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }
    }
}

extension ExpressionValue {
    /// The value as swift-mustache walks it: text for scalars (as `{{ }}` renders them), arrays
    /// for lists (so `{{#steps.ps.outputs.pids}}…{{/…}}` iterates), dictionaries for objects.
    public var templateValue: any Sendable {
        switch self {
        case .null, .bool, .number, .string: text
        case .list(let items): items.map(\.templateValue)
        case .object(let members): members.mapValues(\.templateValue)
        }
    }
}
