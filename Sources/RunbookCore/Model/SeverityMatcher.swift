/// A runbook's `match.severity`: a threshold (`">= P2"`), one level, or a list of levels.
public struct SeverityMatcher: Sendable, Hashable, CustomStringConvertible {
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case atLeast = ">="
        case moreThan = ">"
        case atMost = "<="
        case lessThan = "<"
        case exactly = "=="
    }

    public enum Form: Sendable, Hashable {
        case threshold(Comparison, String)
        case levels([String])
    }

    public var form: Form
    /// The ranks (0 = most severe) this matcher accepts on the catalog's ladder.
    public var ranks: Set<Int>

    public init(form: Form, ranks: Set<Int>) {
        self.form = form
        self.ranks = ranks
    }

    /// Reads a threshold such as `">= P2"` against a ladder.
    ///
    /// - Returns: the matcher, or a message naming the unknown level (with a suggestion) or
    ///   the malformed comparison.
    public static func parseThreshold(
        _ text: String, ladder: SeverityLadder
    ) -> Result<SeverityMatcher, SeverityMatcherError> {
        let trimmed = text.trimmingSpaces
        var comparison = Comparison.exactly
        var levelText = Substring(trimmed)
        for candidate in [Comparison.atLeast, .atMost, .exactly, .moreThan, .lessThan]
        where trimmed.hasPrefix(candidate.rawValue) {
            comparison = candidate
            levelText = trimmed.dropFirst(candidate.rawValue.count)
            break
        }
        let level = levelText.trimmingSpaces
        guard !level.isEmpty else {
            return .failure(
                SeverityMatcherError(message: "severity threshold \"\(text)\" names no level; write it like \">= P2\""))
        }
        guard let rank = ladder.rank(of: level) else {
            return .failure(unknownLevel(level, ladder: ladder))
        }
        let all = 0..<ladder.levels.count
        let ranks: Set<Int> =
            switch comparison {
            case .atLeast: Set(all.filter { $0 <= rank })
            case .moreThan: Set(all.filter { $0 < rank })
            case .atMost: Set(all.filter { $0 >= rank })
            case .lessThan: Set(all.filter { $0 > rank })
            case .exactly: [rank]
            }
        let form: Form = trimmed == level ? .levels([ladder.levels[rank]]) : .threshold(comparison, ladder.levels[rank])
        return .success(SeverityMatcher(form: form, ranks: ranks))
    }

    /// Reads a list of levels or aliases.
    public static func parseLevels(
        _ names: [String], ladder: SeverityLadder
    ) -> Result<SeverityMatcher, SeverityMatcherError> {
        var ranks = Set<Int>()
        for name in names {
            guard let rank = ladder.rank(of: name) else { return .failure(unknownLevel(name, ladder: ladder)) }
            ranks.insert(rank)
        }
        return .success(SeverityMatcher(form: .levels(names.compactMap { ladder.level(of: $0) }), ranks: ranks))
    }

    private static func unknownLevel(_ level: String, ladder: SeverityLadder) -> SeverityMatcherError {
        SeverityMatcherError(
            message: "severity \"\(level)\" is not on the ladder (\(ladder.levels.joined(separator: ", ")))"
                + Suggestion.didYouMean(level, in: ladder.allNames) + "; this runbook could never match")
    }

    /// Whether the matcher was written as a list of several levels.
    public var isList: Bool {
        if case .levels(let levels) = form { return levels.count > 1 }
        return false
    }

    public func matches(rank: Int?) -> Bool {
        guard let rank else { return false }
        return ranks.contains(rank)
    }

    public var description: String {
        switch form {
        case .threshold(let comparison, let level): "\(comparison.rawValue) \(level)"
        case .levels(let levels): levels.count == 1 ? levels[0] : "[" + levels.joined(separator: ", ") + "]"
        }
    }
}

public struct SeverityMatcherError: Error, Sendable, Hashable {
    public var message: String

    public init(message: String) {
        self.message = message
    }
}
