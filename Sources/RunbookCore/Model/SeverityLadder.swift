/// The ordered severity levels of a catalog, most severe first, with their aliases.
///
/// Monitoring systems disagree on severity names (`critical`, `sev1`, `P2`, `error`); the
/// ladder maps them all onto one ordered scale so `">= P2"` means the same for every source.
public struct SeverityLadder: Sendable, Hashable {
    /// Level names, most severe first.
    public var levels: [String]
    /// Lowercased alias → level name.
    public var aliases: [String: String]

    public init(levels: [String], aliases: [String: String]) {
        self.levels = levels
        self.aliases = Dictionary(
            aliases.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// `P1 > P2 > P3 > P4` with the common aliases of Prometheus rules, PagerDuty and Opsgenie.
    public static let standard = SeverityLadder(
        levels: ["P1", "P2", "P3", "P4"],
        aliases: [
            "critical": "P1", "sev0": "P1",
            "high": "P2", "error": "P2", "sev1": "P2",
            "warning": "P3", "medium": "P3", "sev2": "P3",
            "low": "P4", "info": "P4", "sev3": "P4",
        ])

    /// The rank of a level or alias (0 = most severe), or nil when the ladder does not know it.
    /// Names and aliases match case-insensitively.
    public func rank(of name: String) -> Int? {
        if let index = levels.firstIndex(of: name) { return index }
        let lowered = name.lowercased()
        if let index = levels.firstIndex(where: { $0.lowercased() == lowered }) { return index }
        if let level = aliases[lowered] { return levels.firstIndex(of: level) }
        return nil
    }

    /// The canonical level name of a level or alias.
    public func level(of name: String) -> String? {
        rank(of: name).map { levels[$0] }
    }

    /// Every name the ladder accepts, for "did you mean" suggestions.
    public var allNames: [String] { levels + aliases.keys.sorted() }
}
