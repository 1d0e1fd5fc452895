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
