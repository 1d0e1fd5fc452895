import RunbookCore
public import RunbookYAML

/// How much a change alters what happens when an alert fires, for a reviewer's attention.
public enum DiffRisk: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// Wording, diagnostics, earlier pages: worth a glance.
    case low
    /// Different conditions, order, timing or messages: read it.
    case medium
    /// New or changed remediation, a removed approval, later or fewer pages: think it through.
    case high

    public static func < (lhs: DiffRisk, rhs: DiffRisk) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { ["low", "medium", "high"][rawValue] }
}

/// One behaviour change, with where it is on each side.
public struct DiffFinding: Sendable {
    public enum Area: String, Sendable, CaseIterable {
        case routing, match, steps, playbook, escalation, status, config
    }

    public var area: Area
    public var risk: DiffRisk
    public var message: String
    public var base: SourceLocation?
    public var head: SourceLocation?
    /// Further lines: argv before and after, a message's changed lines.
    public var detail: [String]

    public init(
        _ area: Area, _ risk: DiffRisk, _ message: String, base: SourceLocation? = nil, head: SourceLocation? = nil,
        detail: [String] = []
    ) {
        self.area = area
        self.risk = risk
        self.message = message
        self.base = base
        self.head = head
        self.detail = detail
    }
}

/// What changed for one runbook.
public struct RunbookDiff: Sendable {
    public enum Change: String, Sendable { case added, removed, modified }

    public var name: String
    public var change: Change
    public var base: SourceLocation?
    public var head: SourceLocation?
    public var findings: [DiffFinding]

    public var risk: DiffRisk { findings.map(\.risk).max() ?? .low }
}

/// Everything `rbx diff` found between two catalogs.
public struct CatalogDiffReport: Sendable {
    public var baseLabel: String
    public var headLabel: String
    /// Roots the two catalogs were loaded from, so locations print relative to them.
    public var baseRoot: String
    public var headRoot: String
    public var runbooks: [RunbookDiff]
    /// Changes to rbx.yaml that are not one runbook's: severity ladder, notifiers, defaults.
    public var catalogFindings: [DiffFinding]
    /// How many alerts were routed through both catalogs to find routing changes.
    public var probedAlerts: Int

    public var changed: Bool { !runbooks.isEmpty || !catalogFindings.isEmpty }
    public var risk: DiffRisk { (runbooks.map(\.risk) + catalogFindings.map(\.risk)).max() ?? .low }

    /// `3 runbooks change behaviour (1 high risk): 1 added, 2 modified; 4 probe alerts route differently`.
    public var summary: String {
        guard changed else { return "no behaviour change" }
        var parts: [String] = []
        let counts = [RunbookDiff.Change.added, .removed, .modified].compactMap { change -> String? in
            let count = runbooks.count { $0.change == change }
            return count > 0 ? "\(count) \(change.rawValue)" : nil
        }
        if !runbooks.isEmpty {
            let high = runbooks.count { $0.risk == .high }
            parts.append(
                "\(runbooks.count) runbook\(runbooks.count == 1 ? "" : "s") change\(runbooks.count == 1 ? "s" : "") behaviour"
                    + (high > 0 ? " (\(high) high risk)" : "") + ": " + counts.joined(separator: ", "))
        }
        if !catalogFindings.isEmpty {
            parts.append(
                "\(catalogFindings.count) catalog-wide change\(catalogFindings.count == 1 ? "" : "s") in rbx.yaml")
        }
        let rerouted = runbooks.flatMap(\.findings).filter { $0.area == .routing }.count
        if rerouted > 0 {
            parts.append("\(rerouted) routing change\(rerouted == 1 ? "" : "s") over \(probedAlerts) probe alerts")
        }
        return parts.joined(separator: "; ") + "; overall risk \(risk)"
    }
}
