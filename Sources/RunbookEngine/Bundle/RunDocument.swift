import Foundation
import RunbookCore

/// `run.json`: the complete, versioned record of a run.
///
/// `schema` names the format (`rbx.run/v1`); fields are only ever added within a version, so
/// an auditor's tooling written against v1 keeps working.
struct RunDocument: Encodable {
    struct StepDocument: Encodable {
        var id: String
        var kind: String
        var status: String
        var origin: String
        var exitCode: Int32?
        var signal: Int32?
        var attempts: Int
        var startedAtMs: Int64
        var durationMs: Int64
        var command: [String]?
        var outputs: [String: ExpressionValue]
        var stdoutTruncated: Bool
        var stderrTruncated: Bool
        var note: String?
        var files: [String]
        var children: [StepDocument]
    }

    struct EventDocument: Encodable {
        var atMs: Int64
        var kind: String
        var summary: String
        var step: String?
    }

    struct MessageDocument: Encodable {
        var atMs: Int64
        var trigger: String
        var template: String?
        var state: String?
        var file: String
    }

    struct NotificationDocument: Encodable {
        var atMs: Int64
        var notifier: String
        var kind: String
        var idempotencyKey: String
        var delivered: Bool
        var error: String?
        var file: String
    }

    var schema = "rbx.run/v1"
    var id: String
    var runbook: String
    var runbookFile: String
    var playbooks: [String]
    var gitCommit: String?
    var mode: String
    var startedAt: String
    var durationMs: Int64
    var outcome: String
    var alert: [String: String]
    var labels: [String: String]
    var annotations: [String: String]
    var steps: [StepDocument]
    var timeline: [EventDocument]
    var messages: [MessageDocument]
    var notifications: [NotificationDocument]

    func encoded() -> [UInt8] { Self.encode(self) }

    /// Pretty, sorted, snake_case JSON with a final newline: stable bytes for the manifest.
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? Array(encoder.encode(value))).map { $0 + [UInt8(ascii: "\n")] } ?? []
    }
}
