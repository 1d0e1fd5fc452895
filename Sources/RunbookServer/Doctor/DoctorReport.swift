import Foundation
public import RunbookCore
public import RunbookYAML

/// What `rbx doctor` found: problems that would surface only when an alert needs the thing,
/// each with the catalog file and line that needs it.
public struct DoctorReport: Sendable {
    public struct Finding: Sendable, Equatable {
        public enum Code: String, Sendable, CaseIterable {
            case programMissing = "program-missing"
            case secretMissing = "secret-missing"
            case notifierUnreachable = "notifier-unreachable"
            case prometheusUnreachable = "prometheus-unreachable"
            case storeUnavailable = "store-unavailable"
        }

        public var code: Code
        public var message: String
        /// Where the catalog needs it; nil for the store named on the command line.
        public var location: SourceLocation?
    }

    public var findings: [Finding] = []
    /// What was checked, for the summary line: `programs`, `secrets`, `notifiers`, …
    public var checked: [String: Int] = [:]
    /// Whether notifiers and Prometheus servers were asked (`--network`).
    public var network = false
    /// The PATH steps get (rbx's, if `env.allow` passes it on), shown once.
    public var searchPath: String?

    public var healthy: Bool { findings.isEmpty }

    /// - Parameter quiet: the findings alone (`--quiet`): nothing when healthy.
    public func text(quiet: Bool = false) -> String {
        var lines = findings.map { finding in
            "\(finding.location.map { "\($0): " } ?? "")error: \(finding.message) [\(finding.code.rawValue)]"
        }
        if quiet { return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n" }
        if findings.contains(where: { $0.code == .programMissing }) {
            lines.append("PATH steps get: \(searchPath ?? "(not set: env.allow does not pass PATH on)")")
        }
        let counts = checked.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append(
            (healthy ? "ok: " : "\(findings.count) problem\(findings.count == 1 ? "" : "s"): ") + "checked " + counts
                + (network ? "" : "; notifiers and Prometheus not contacted (add --network)"))
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() -> String {
        let object: [String: Any] = [
            "healthy": healthy, "network": network, "checked": checked, "path": searchPath ?? NSNull(),
            "findings": findings.map { finding -> [String: Any] in
                var entry: [String: Any] = ["code": finding.code.rawValue, "message": finding.message]
                if let location = finding.location {
                    entry["file"] = location.file
                    entry["line"] = location.line
                    entry["column"] = location.column
                }
                return entry
            },
        ]
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
