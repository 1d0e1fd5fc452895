import ArgumentParser
import Foundation

/// `--color auto|always|never`, one rule for every command that reports: colour on a terminal,
/// never when `NO_COLOR` is set (https://no-color.org) unless asked for with `always`.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    /// Whether to colour what goes to standard output.
    var enabled: Bool {
        switch self {
        case .always: true
        case .never: false
        case .auto: isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) != false
        }
    }
}

/// Colours the words people scan a report for: `error:` red, `warning:` yellow, a failed test's
/// `FAIL` red and a passed one's `ok` green, at the start of a finding, never inside a message.
enum ReportHighlight {
    static let red = "\u{1B}[31m", yellow = "\u{1B}[33m", green = "\u{1B}[32m", reset = "\u{1B}[0m"

    static func apply(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var line = String(line)
            for (word, color) in [(": error: ", red), (": warning: ", yellow)] {
                if let range = line.range(of: word) {
                    let label = word.dropFirst(2).dropLast(2)
                    line.replaceSubrange(range, with: ": \(color)\(label)\(reset): ")
                    return line
                }
            }
            if line.hasPrefix("error: ") { return red + "error" + reset + line.dropFirst("error".count) }
            for (word, color) in [("  FAIL ", red), ("  ok   ", green)] where line.hasPrefix(word) {
                return "  " + color + word.trimmingCharacters(in: .whitespaces) + reset
                    + String(repeating: " ", count: word.count - 2 - word.trimmingCharacters(in: .whitespaces).count)
                    + line.dropFirst(word.count)
            }
            return line
        }.joined(separator: "\n")
    }
}

/// Colours a run's timeline (`rbx run`, `rbx drill`): a step's verdict and the run's outcome,
/// the words a person scans a timeline for; nothing else in a line changes.
enum TimelineHighlight {
    static let failing: Set<Substring> = ["failed", "timed_out", "denied", "interrupted"]

    static func apply(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if let match = line.firstMatch(of: /^(\S+\s+step\s+\S+ )(\w+)(.*)$/) {
                let verdict = match.output.2
                let color =
                    verdict == "ok" ? ReportHighlight.green : failing.contains(verdict) ? ReportHighlight.red : nil
                guard let color else { return String(line) }
                return "\(match.output.1)\(color)\(verdict)\(ReportHighlight.reset)\(match.output.3)"
            }
            if let match = line.firstMatch(of: /^(\S+\s+run\s+finished: )(\w+)(.*)$/) {
                let outcome = match.output.2
                let color =
                    ["resolved", "succeeded"].contains(outcome)
                    ? ReportHighlight.green : outcome == "failed" ? ReportHighlight.red : ReportHighlight.yellow
                return "\(match.output.1)\(color)\(outcome)\(ReportHighlight.reset)\(match.output.3)"
            }
            return String(line)
        }.joined(separator: "\n")
    }
}

/// Colours `rbx match`: the chosen runbook green, no runbook red, and with `--explain` each
/// matcher's `+` green and `-` red.
enum MatchHighlight {
    static func apply(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let g = ReportHighlight.green
            let r = ReportHighlight.red
            let reset = ReportHighlight.reset
            if line.hasPrefix("=> no runbook") { return "\(r)\(line)\(reset)" }
            if line.hasPrefix("=> runbook ") { return "=> \(g)runbook\(reset)\(line.dropFirst(10))" }
            if let match = line.firstMatch(of: /^(\s+)([+-]) (.*)$/) {
                let color = match.output.2 == "+" ? g : r
                return "\(match.output.1)\(color)\(match.output.2)\(reset) \(match.output.3)"
            }
            return String(line)
        }.joined(separator: "\n")
    }
}
