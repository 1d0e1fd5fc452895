import Foundation
public import RunbookCore
import RunbookYAML

/// The results of `rbx test`: each test, the problems loading them, and coverage.
public struct RunbookTestReport: Sendable {
    public var results: [RunbookTestResult] = []
    public var coverage: [RunbookCoverage]
    /// Problems in the test files themselves (unknown keys, unreadable alerts).
    public var loadProblems: [Diagnostic] = []

    public init(coverage: [RunbookCoverage]) { self.coverage = coverage }

    public var failedCount: Int { results.count { !$0.passed } }
    public var passed: Bool { failedCount == 0 && loadProblems.errorCount == 0 }

    public struct Totals: Sendable, Equatable {
        public var steps: Int, stepsRun: Int, branches: Int, branchesCovered: Int, rungs: Int, rungsFired: Int
    }

    public var totals: Totals {
        Totals(
            steps: coverage.reduce(0) { $0 + $1.steps.count }, stepsRun: coverage.reduce(0) { $0 + $1.stepsRun.count },
            branches: coverage.reduce(0) { $0 + $1.branchCount },
            branchesCovered: coverage.reduce(0) { $0 + $1.branchesCovered },
            rungs: coverage.reduce(0) { $0 + $1.rungs.count },
            rungsFired: coverage.reduce(0) { $0 + $1.rungsFired.count })
    }

    /// Only what failed: load problems and failed tests with their failures (`--quiet`);
    /// nothing when everything passed.
    public func failuresText() -> String {
        var lines: [String] = loadProblems.sortedByLocation().map {
            "\($0.location): \($0.severity.rawValue): \($0.message) [\($0.code)]"
        }
        for result in results where !result.passed {
            lines.append("\(result.file): FAIL \(result.name.value)")
            for failure in result.failures { lines.append("  \(failure.location): error: \(failure.message)") }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// For people: each file's tests, failures as `path:line:column: error: …`, coverage.
    public func text(verbose: Bool = false) -> String {
        var lines: [String] = loadProblems.sortedByLocation().map {
            "\($0.location): \($0.severity.rawValue): \($0.message) [\($0.code)]"
        }
        var currentFile: String?
        for result in results {
            if result.file != currentFile {
                currentFile = result.file
                lines.append("\(result.file):")
            }
            lines.append("  \(result.passed ? "ok  " : "FAIL") \(result.name.value)")
            for failure in result.failures {
                lines.append("    \(failure.location): error: \(failure.message)")
            }
        }
        lines.append("")
        lines.append("coverage (what no test exercised):")
        for entry in coverage where verbose || !entry.gaps.isEmpty {
            let figures =
                "steps \(entry.stepsRun.count)/\(entry.steps.count), branches \(entry.branchesCovered)/\(entry.branchCount), escalation \(entry.rungsFired.count)/\(entry.rungs.count)"
            lines.append("  \(entry.runbook) (\(entry.file)): \(figures)\(entry.tests == 0 ? ", no tests" : "")")
            for gap in entry.gaps { lines.append("    not exercised: \(gap)") }
        }
        if !coverage.isEmpty, coverage.allSatisfy({ $0.gaps.isEmpty }) {
            lines.append("  every step, branch and escalation rung of every runbook is exercised")
        }
        let totals = self.totals
        lines.append("")
        lines.append(
            "\(results.count) tests, \(results.count - failedCount) passed, \(failedCount) failed"
                + (loadProblems.errorCount > 0
                    ? ", \(loadProblems.errorCount) errors in the catalog or test files" : "")
                + "; coverage: steps \(Self.percent(totals.stepsRun, totals.steps)), branches \(Self.percent(totals.branchesCovered, totals.branches)), escalation rungs \(Self.percent(totals.rungsFired, totals.rungs))"
        )
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() -> String {
        let object: [String: Any] = [
            "passed": passed,
            "problems": loadProblems.sortedByLocation().map(DiagnosticRenderer.jsonObject),
            "tests": results.map { result in
                [
                    "file": result.file, "name": result.name.value, "line": result.name.location.line,
                    "passed": result.passed,
                    "failures": result.failures.map(DiagnosticRenderer.jsonObject),
                ] as [String: Any]
            },
            "coverage": coverage.map { entry in
                [
                    "runbook": entry.runbook, "file": entry.file, "tests": entry.tests,
                    "steps": [
                        "total": entry.steps.count, "covered": entry.stepsRun.count,
                        "missing": entry.steps.filter { !entry.stepsRun.contains($0) },
                    ],
                    "branches": ["total": entry.branchCount, "covered": entry.branchesCovered],
                    "escalation": ["total": entry.rungs.count, "covered": entry.rungsFired.count],
                ] as [String: Any]
            },
        ]
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return "{}\n" }
        return (String(data: data, encoding: .utf8) ?? "{}") + "\n"
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "n/a" : "\(part * 100 / whole)% (\(part)/\(whole))"
    }
}
