import Foundation

/// Reads escalation prose into rungs: "If not recovered in 5 min → Page secondary." and "After
/// 15 minutes, page the engineering manager." become `after: 5m → secondary` and
/// `after: 15m → engineering manager`.
///
/// A clause is understood when it holds one duration (`5 min`, `15 minutes`, `1h`, `2 hours`)
/// and one paging verb (`page`, `escalate to`, `notify`, `call`, `contact`, `→`) followed by
/// who; anything else is returned unparsed, for the report, rather than guessed at.
public enum EscalationSentenceParser {
    public struct Rung: Sendable, Equatable, Codable {
        /// Seconds from the start of the run.
        public var after: Int
        /// Who to page, as written (`secondary`, `the engineering manager` without `the`).
        public var target: String
        public var line: Int
        public var sentence: String
    }

    public struct Unparsed: Sendable, Equatable, Codable {
        public var line: Int
        public var sentence: String
    }

    public struct Result: Sendable, Equatable {
        public var rungs: [Rung] = []
        public var unparsed: [Unparsed] = []
    }

    public static func parse(_ lines: [MarkdownSection.Line]) -> Result {
        var result = Result()
        for line in lines {
            for clause in clauses(line.text) {
                let duration = Self.duration(in: clause)
                let target = Self.target(in: clause)
                if let duration, let target {
                    result.rungs.append(Rung(after: duration, target: target, line: line.line, sentence: clause))
                } else if clause.split(separator: " ").count >= 2 {
                    result.unparsed.append(Unparsed(line: line.line, sentence: clause))
                }
            }
        }
        return result
    }

    /// Sentences and `then`-joined clauses of a line.
    static func clauses(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            if ".;!".contains(character), next == " " || index + 1 == characters.count {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        return pieces.flatMap { $0.components(separatedBy: ", then ") }.flatMap { $0.components(separatedBy: " then ") }
            .map { clause in
                var text = clause.trimmingCharacters(in: .whitespaces)
                for marker in ["- ", "* ", "+ "] where text.hasPrefix(marker) { text = String(text.dropFirst(2)) }
                return MarkdownField.plain(text)
            }
            .filter { !$0.isEmpty }
    }

    static let units: [(words: [String], seconds: Int)] = [
        (["s", "sec", "secs", "second", "seconds"], 1),
        (["m", "min", "mins", "minute", "minutes"], 60),
        (["h", "hr", "hrs", "hour", "hours"], 3600),
        (["d", "day", "days"], 86400),
    ]

    /// The first `<number> <unit>` of the clause in seconds (`5 min`, `15m`, `1 hour`).
    static func duration(in clause: String) -> Int? {
        let words = tokens(clause)
        for (index, word) in words.enumerated() {
            let digits = word.prefix { $0.isNumber }
            guard !digits.isEmpty, digits.count <= 6, let number = Int(digits) else { continue }
            var unit = String(word.dropFirst(digits.count))
            if unit.isEmpty, index + 1 < words.count { unit = words[index + 1] }
            if let match = units.first(where: { $0.words.contains(unit) }) { return number * match.seconds }
        }
        return nil
    }

    static let verbs = [
        "escalate to", "escalate", "page", "notify", "call", "contact", "alert", "wake up", "loop in", "→", "->",
    ]
    static let stopWords: Set<String> = [
        "if", "when", "after", "in", "within", "and", "or", "via", "on", "by", "for", "at", "unless", "with",
        "immediately", "now", "again",
    ]

    /// Who the clause pages: the words after the last paging verb, up to a stop word.
    static func target(in clause: String) -> String? {
        let lowered = clause.lowercased()
        var best: Range<String.Index>?
        for verb in verbs {
            guard let range = lowered.range(of: verb, options: .backwards) else { continue }
            if verb.first!.isLetter {
                let before =
                    range.lowerBound == lowered.startIndex ? " " : lowered[lowered.index(before: range.lowerBound)]
                let after = range.upperBound == lowered.endIndex ? " " : lowered[range.upperBound]
                if before.isLetter || before == "-" || after.isLetter || after == "-" { continue }
            }
            if best == nil || range.lowerBound > best!.lowerBound { best = range }
        }
        guard let best else { return nil }
        var words: [String] = []
        for word in tokens(String(lowered[best.upperBound...])) {
            if stopWords.contains(word) || word.first?.isNumber == true { break }
            if words.isEmpty, ["the", "to", "a", "an", "our", "page", "notify", "call"].contains(word) { continue }
            words.append(word)
            if words.count == 4 { break }
        }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    private static func tokens(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" && $0 != "→" })
            .map(String.init).filter { $0 != "-" }
    }
}
