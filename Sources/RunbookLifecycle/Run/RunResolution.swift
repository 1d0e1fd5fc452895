/// Who or what resolved a run.
public enum RunResolution: Sendable, Hashable, Codable {
    case person(String, note: String?)
    /// The alert's resolved notification, or its `endsAt` passing.
    case alert
    /// The runbook's `resolved_when` held after a step.
    case condition(String)

    /// The timeline's words.
    public var reason: String {
        switch self {
        case .alert: "alert resolved"
        case .person(let name, let note): "resolved by \(name)" + (note.map { ": \($0)" } ?? "")
        case .condition(let text): "resolved_when holds (\(text))"
        }
    }
}

/// Who acknowledged a run, with their note.
public struct RunAcknowledgement: Sendable, Hashable, Codable {
    public var by: String
    public var note: String?

    public init(by: String, note: String? = nil) {
        self.by = by
        self.note = note
    }

    /// Who acknowledged, as the timeline says it: `ana (looking at it)`.
    public var who: String { by + (note.map { " (\($0))" } ?? "") }
}
