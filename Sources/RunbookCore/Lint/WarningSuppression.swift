import Foundation
internal import RunbookYAML

/// `# rbx-lint: ignore=CODE[,CODE]` on a warning's line or the line above silences it.
///
/// Comments are the one place a suppression can live without changing what a runbook does
/// (libyaml drops them, so `rbx diff` ignores them too). Only warnings can be silenced: an
/// error is always a runbook that will not do what it says.
enum WarningSuppression {
    static func apply(to diagnostics: [Diagnostic]) -> [Diagnostic] {
        var linesByFile: [String: [Substring]] = [:]
        return diagnostics.filter { diagnostic in
            guard diagnostic.severity == .warning else { return true }
            let file = diagnostic.location.file
            if linesByFile[file] == nil {
                let text =
                    (FileManager.default.contents(atPath: file)).map { String(decoding: $0, as: UTF8.self) } ?? ""
                linesByFile[file] = text.split(separator: "\n", omittingEmptySubsequences: false)
            }
            let lines = linesByFile[file] ?? []
            let line = diagnostic.location.line
            for candidate in [line, line - 1] where candidate >= 1 && candidate <= lines.count {
                if codes(in: lines[candidate - 1]).contains(diagnostic.code) { return false }
            }
            return true
        }
    }

    static func codes(in line: Substring) -> Set<String> {
        guard let marker = line.firstRange(of: "rbx-lint: ignore=") else { return [] }
        guard line[..<marker.lowerBound].contains("#") else { return [] }
        let list = line[marker.upperBound...].prefix { !$0.isWhitespace }
        return Set(list.split(separator: ",").map(String.init))
    }
}
