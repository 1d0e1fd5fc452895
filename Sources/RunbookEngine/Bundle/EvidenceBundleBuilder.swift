import Foundation
import RunbookCore
public import RunbookLifecycle

/// Turns a ``RunRecord`` into the files of an evidence bundle (written by ``EvidenceWriter``).
///
/// ```
/// run.json  timeline.md  alert.json  runbook.yaml  playbooks/NAME.yaml
/// steps/01-containers.json|.stdout|.stderr  messages/00-on_start-incident-initial.md
/// notifications/00-secondary-oncall.json  MANIFEST.sha256
/// ```
public struct EvidenceBundleBuilder: Sendable {
    /// The alert exactly as received.
    public var alertJSON: [UInt8]
    /// The catalog commit the runbook came from, when the catalog is a git repository.
    public var gitCommit: String?

    public init(alertJSON: [UInt8], gitCommit: String?) {
        self.alertJSON = alertJSON
        self.gitCommit = gitCommit
    }

    /// The bundle's directory name: start time, runbook and the start of the run id.
    public static func name(for record: RunRecord) -> String {
        let stamp =
            record.startedAt.replacingOccurrences(of: ":", with: "-").split(separator: ".").first.map(String.init)
            ?? record.startedAt
        return "\(stamp)_\(record.runbook.name)_\(record.id.prefix(8))"
    }

    public func files(for record: RunRecord) -> [EvidenceFile] {
        var files: [EvidenceFile] = []
        func add(_ path: String, _ text: String) { files.append(EvidenceFile(path: path, contents: Array(text.utf8))) }

        var stepDocuments: [RunDocument.StepDocument] = []
        for (index, step) in record.steps.enumerated() {
            stepDocuments.append(stepFiles(step, prefix: "steps/" + Self.number(index + 1) + "-", into: &files))
        }
        var messageDocuments: [RunDocument.MessageDocument] = []
        for (index, message) in record.messages.enumerated() {
            let path =
                "messages/\(Self.number(index))-\(message.trigger.rawValue)\(message.template.map { "-" + $0 } ?? "").md"
            add(path, message.body.hasSuffix("\n") ? message.body : message.body + "\n")
            messageDocuments.append(
                .init(
                    atMs: message.at.totalMilliseconds, trigger: message.trigger.rawValue, template: message.template,
                    state: message.state, file: path))
        }
        var notificationDocuments: [RunDocument.NotificationDocument] = []
        for (index, notification) in record.notifications.enumerated() {
            let path = "notifications/\(Self.number(index))-\(notification.notifier).json"
            let object: [String: Any] = [
                "at_ms": notification.at.totalMilliseconds, "notifier": notification.notifier,
                "kind": notification.kind,
                "idempotency_key": notification.idempotencyKey, "delivered": notification.delivered,
                "body": notification.body, "error": notification.error ?? NSNull(),
            ]
            files.append(EvidenceFile(path: path, contents: Self.json(object)))
            notificationDocuments.append(
                .init(
                    atMs: notification.at.totalMilliseconds, notifier: notification.notifier, kind: notification.kind,
                    idempotencyKey: notification.idempotencyKey, delivered: notification.delivered,
                    error: notification.error, file: path))
        }
        files.append(EvidenceFile(path: "alert.json", contents: alertJSON))
        if let bytes = FileManager.default.contents(atPath: record.runbook.file) {
            files.append(EvidenceFile(path: "runbook.yaml", contents: [UInt8](bytes)))
        }
        for playbook in record.playbooks {
            if let bytes = FileManager.default.contents(atPath: playbook.file) {
                files.append(EvidenceFile(path: "playbooks/\(playbook.name).yaml", contents: [UInt8](bytes)))
            }
        }
        add("timeline.md", Self.timelineMarkdown(record, commit: gitCommit))
        let alert = record.alert
        var alertSummary = [
            "name": alert.name, "fingerprint": alert.fingerprint, "source": alert.source,
            "status": alert.status.rawValue,
        ]
        if let severity = alert.severity { alertSummary["severity"] = severity }
        let document = RunDocument(
            id: record.id, runbook: record.runbook.name, runbookFile: record.runbook.file,
            playbooks: record.playbooks.map(\.name), gitCommit: gitCommit, mode: record.mode,
            startedAt: record.startedAt,
            durationMs: record.duration.totalMilliseconds, outcome: record.outcome.rawValue, alert: alertSummary,
            labels: alert.labels, annotations: alert.annotations, steps: stepDocuments,
            timeline: record.timeline.map {
                .init(atMs: $0.at.totalMilliseconds, kind: $0.kind.rawValue, summary: $0.summary, step: $0.stepID)
            },
            messages: messageDocuments, notifications: notificationDocuments)
        files.append(EvidenceFile(path: "run.json", contents: document.encoded()))
        return files
    }

    private func stepFiles(
        _ step: StepResult, prefix: String, into files: inout [EvidenceFile]
    ) -> RunDocument.StepDocument {
        let base = prefix + step.id
        var written = [base + ".json"]
        if !step.stdout.isEmpty {
            files.append(EvidenceFile(path: base + ".stdout", contents: Array(step.stdout.utf8)))
            written.append(base + ".stdout")
        }
        if !step.stderr.isEmpty {
            files.append(EvidenceFile(path: base + ".stderr", contents: Array(step.stderr.utf8)))
            written.append(base + ".stderr")
        }
        let children = step.children.enumerated().map { index, child in
            stepFiles(child, prefix: base + "." + Self.number(index + 1) + "-", into: &files)
        }
        let document = RunDocument.StepDocument(
            id: step.id, kind: step.kind.rawValue, status: step.status.rawValue, origin: step.origin.rawValue,
            exitCode: step.exitCode, signal: step.signal, attempts: step.attempts,
            startedAtMs: step.startedAt.totalMilliseconds,
            durationMs: step.duration.totalMilliseconds, command: step.command, outputs: step.outputs,
            stdoutTruncated: step.stdoutTruncated, stderrTruncated: step.stderrTruncated, note: step.note,
            files: written,
            children: children)
        files.append(EvidenceFile(path: base + ".json", contents: RunDocument.encode(document)))
        return document
    }

    /// The human-readable story: one line per event, with (virtual) times.
    public static func timelineMarkdown(_ record: RunRecord, commit: String?) -> String {
        var text = "# \(record.runbook.metadata.displayTitle) — \(record.mode) run \(record.id)\n\n"
        text += "- runbook: `\(record.runbook.name)` (\(record.runbook.file)\(commit.map { " @ \($0)" } ?? ""))\n"
        // The alert's name and severity are the sender's: escaped, and in code spans and a fence
        // longer than any backtick run they hold, so they cannot start lines or close the block.
        let severity = ControlText.escape(record.alert.severity ?? "none")
        text += "- alert: \(MarkdownText.codeSpan(ControlText.escape(record.alert.name))) "
        text += "[\(record.alert.fingerprint)], severity \(MarkdownText.codeSpan(severity))\n"
        let lines = record.timeline.map(\.line).joined(separator: "\n")
        let fence = MarkdownText.fence(for: lines)
        text += "- started: \(record.startedAt)\n- outcome: **\(record.outcome.rawValue)**\n\n\(fence)\n"
        return text + lines + "\n\(fence)\n"
    }

    private static func number(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func json(_ object: [String: Any]) -> [UInt8] {
        let data =
            (try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return [UInt8](data) + [UInt8(ascii: "\n")]
    }
}
