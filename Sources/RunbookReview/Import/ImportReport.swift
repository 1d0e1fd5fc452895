import Foundation

/// What `rbx import` made and what a person has to review, per runbook, as text or JSON.
public struct ImportReport: Sendable, Codable {
    public struct Runbook: Sendable, Codable {
        public var name: String
        public var title: String
        /// `servers.md:12`, the section's heading.
        public var source: String
        public var alert: String
        public var severity: String?
        public var file: String
        public var template: String?
        public var steps: Int
        public var argvSteps: Int
        public var shellSteps: Int
        public var approvals: Int
        public var rungs: Int
        public var review: [ImportReviewItem]
    }

    public var runbooks: [Runbook] = []
    /// Sections without an alert and without commands (an introduction, a glossary).
    public var skipped: [ImportReviewItem] = []
    /// Files written (or, with a dry run, that would be), relative to the output directory.
    public var files: [String] = []
    public var dryRun = false

    public var reviewCount: Int { runbooks.reduce(0) { $0 + $1.review.count } }

    public init() {}

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }

    /// One block per runbook, its review items indented; `quiet` prints only the review items.
    public func text(quiet: Bool = false) -> String {
        var out = ""
        for runbook in runbooks {
            if !quiet {
                let template = runbook.template.map { ", " + $0 } ?? ""
                out +=
                    "\(runbook.source): \(runbook.name) (\(runbook.alert)"
                    + "\(runbook.severity.map { ", " + $0 } ?? "")) -> \(runbook.file)\(template)\n"
                out +=
                    "  \(count(runbook.steps, "step")) (\(runbook.argvSteps) run, \(runbook.shellSteps) shell, "
                    + "\(count(runbook.approvals, "approval"))), \(count(runbook.rungs, "escalation rung"))\n"
            }
            for item in runbook.review { out += (quiet ? "" : "  ") + "review: \(item)\n" }
        }
        for item in skipped where !quiet { out += "skipped: \(item)\n" }
        if !quiet {
            let verb = dryRun ? "would write" : "wrote"
            out +=
                "\(runbooks.count) runbook\(runbooks.count == 1 ? "" : "s") imported, \(verb) \(files.count) "
                + "file\(files.count == 1 ? "" : "s"); \(reviewCount) item\(reviewCount == 1 ? "" : "s") to review"
                + (reviewCount > 0 ? " (listed above and in each file's header)" : "") + "\n"
        }
        return out
    }
}
