public import RunbookCore

/// A maintenance window in Alertmanager's shape: alerts whose labels satisfy every matcher
/// between `startsAt` and `endsAt` are stored and shown but start no run.
public struct Silence: Sendable, Equatable {
    /// One matcher as Alertmanager's API spells it.
    public struct Matcher: Sendable, Hashable, Codable {
        public var name: String
        public var value: String
        public var isRegex: Bool
        public var isEqual: Bool

        public init(name: String, value: String, isRegex: Bool, isEqual: Bool = true) {
            self.name = name
            self.value = value
            self.isRegex = isRegex
            self.isEqual = isEqual
        }

        /// The matcher as rbx evaluates it; the regex is anchored as in Alertmanager.
        public func compiled() throws(RegexSyntaxError) -> LabelMatcher {
            let op: LabelMatcher.Operator =
                switch (isRegex, isEqual) {
                case (false, true): .equal
                case (false, false): .notEqual
                case (true, true): .matchesRegex
                case (true, false): .doesNotMatchRegex
                }
            return try LabelMatcher(name: name, op: op, value: value)
        }
    }

    public enum State: String, Sendable, Codable { case pending, active, expired }

    public var id: String
    public var matchers: [Matcher]
    /// Epoch milliseconds.
    public var startsAt: Int64
    public var endsAt: Int64
    public var createdBy: String
    public var comment: String
    public var updatedAt: Int64

    public init(
        id: String, matchers: [Matcher], startsAt: Int64, endsAt: Int64, createdBy: String, comment: String,
        updatedAt: Int64
    ) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
        self.updatedAt = updatedAt
    }

    public func state(at now: Int64) -> State {
        if endsAt <= now { return .expired }
        return startsAt > now ? .pending : .active
    }

    /// True when the silence is active at `now` and every matcher accepts the labels.
    /// A matcher that does not compile matches nothing (the API refuses such silences).
    public func silences(_ labels: [String: String], at now: Int64) -> Bool {
        guard state(at: now) == .active, !matchers.isEmpty else { return false }
        return matchers.allSatisfy { matcher in
            (try? matcher.compiled())?.matches(labels) ?? false
        }
    }
}
