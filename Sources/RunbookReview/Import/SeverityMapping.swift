import Foundation
public import RunbookCore

/// Maps a Markdown runbook's `Severity:` text to a level of the catalog's ladder.
///
/// A level or alias of the ladder (`P1`, `critical`, `warning`) is taken as written. Common
/// spellings the ladder does not know (`P0`, `SEV-1`, `Sev 2`, `major`, `urgent`) are mapped by
/// rank and marked guessed, for the report: `SEV1` means "most severe" in some companies and
/// "second" in others.
public struct SeverityMapping: Sendable, Equatable {
    public var level: String
    public var guessed: Bool

    public static func map(_ text: String, ladder: SeverityLadder) -> SeverityMapping? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "/" || $0 == "(" || $0 == ")" })
        guard let firstWord = words.first.map(String.init) else { return nil }
        for word in [firstWord, text.trimmingCharacters(in: .whitespaces)] {
            if let level = ladder.level(of: word) { return SeverityMapping(level: level, guessed: false) }
        }
        let lowered = text.lowercased().filter { $0.isLetter || $0.isNumber }
        guard !ladder.levels.isEmpty else { return nil }
        if let level = ladder.level(of: lowered) { return SeverityMapping(level: level, guessed: true) }
        var rank: Int?
        if let digit = lowered.first(where: \.isNumber)?.wholeNumberValue,
            lowered.hasPrefix("p") || lowered.hasPrefix("sev") || lowered.hasPrefix("severity")
                || lowered.hasPrefix("priority")
        {
            rank = max(0, digit - 1)
        } else if let word = wordRanks.first(where: { lowered.hasPrefix($0.key) }) {
            rank = word.value
        }
        guard let rank else { return nil }
        return SeverityMapping(level: ladder.levels[min(rank, ladder.levels.count - 1)], guessed: true)
    }

    static let wordRanks: [String: Int] = [
        "urgent": 0, "blocker": 0, "emergency": 0, "page": 0, "major": 1, "important": 1, "moderate": 2,
        "minor": 2, "normal": 2, "trivial": 3, "informational": 3,
    ]
}
