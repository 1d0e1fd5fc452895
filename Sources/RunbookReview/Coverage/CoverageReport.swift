/// What `rbx coverage` found; ``RuleCoverage`` builds it, the renderers print it.
public struct CoverageReport: Sendable, Codable, Equatable {
    public struct Rule: Sendable, Codable, Equatable {
        public var alert: String
        public var group: String
        public var location: String
        /// Runbooks every alert of the rule matches, the one that runs first (priority, then name).
        public var handledBy: [String] = []
        /// Runbooks whose matchers depend on label values the rule leaves to its series.
        public var mayBeHandledBy: [Candidate] = []
        /// Why intake would refuse the rule's alerts (an invalid label name), if it would.
        public var refusedByIntake: String?

        init(_ rule: AlertingRule) {
            alert = rule.name
            group = rule.group
            location = "\(rule.location)"
        }

        public var covered: Bool { !handledBy.isEmpty || !mayBeHandledBy.isEmpty }

        enum CodingKeys: String, CodingKey {
            case alert, group, location, covered
            case handledBy = "handled_by"
            case mayBeHandledBy = "may_be_handled_by"
            case refusedByIntake = "refused_by_intake"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            alert = try container.decode(String.self, forKey: .alert)
            group = try container.decode(String.self, forKey: .group)
            location = try container.decode(String.self, forKey: .location)
            handledBy = try container.decode([String].self, forKey: .handledBy)
            mayBeHandledBy = try container.decode([Candidate].self, forKey: .mayBeHandledBy)
            refusedByIntake = try container.decodeIfPresent(String.self, forKey: .refusedByIntake)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(alert, forKey: .alert)
            try container.encode(group, forKey: .group)
            try container.encode(location, forKey: .location)
            try container.encode(covered, forKey: .covered)
            try container.encode(handledBy, forKey: .handledBy)
            try container.encode(mayBeHandledBy, forKey: .mayBeHandledBy)
            try container.encodeIfPresent(refusedByIntake, forKey: .refusedByIntake)
        }
    }

    public struct Candidate: Sendable, Codable, Equatable {
        public var runbook: String
        /// The runbook's matchers the alert must satisfy, as written (`env=~"prod|staging"`).
        public var conditions: [String]

        public init(runbook: String, conditions: [String]) {
            self.runbook = runbook
            self.conditions = conditions
        }
    }

    /// A runbook written for a rule's alert that cannot take it: the rule never sets `labels`.
    public struct Gap: Sendable, Codable, Equatable {
        public var rule: String
        public var ruleLocation: String
        public var runbook: String
        public var matchLocation: String
        public var labels: [String]

        enum CodingKeys: String, CodingKey {
            case rule, runbook, labels
            case ruleLocation = "rule_location"
            case matchLocation = "match_location"
        }
    }

    public struct Runbook: Sendable, Codable, Equatable {
        public var runbook: String
        public var matchLocation: String

        enum CodingKeys: String, CodingKey {
            case runbook
            case matchLocation = "match_location"
        }
    }

    public var ruleFiles: [String]
    public var runbookCount: Int
    public var rules: [Rule] = []
    public var gaps: [Gap] = []
    /// Runbooks that take alerts, yet no rule in the files can fire one they match.
    public var untriggered: [Runbook] = []

    init(ruleFiles: [String], runbookCount: Int) {
        self.ruleFiles = ruleFiles
        self.runbookCount = runbookCount
    }

    public var uncovered: [Rule] { rules.filter { !$0.covered } }

    enum CodingKeys: String, CodingKey {
        case rules, gaps, untriggered
        case ruleFiles = "rule_files"
        case runbookCount = "runbooks"
    }
}
