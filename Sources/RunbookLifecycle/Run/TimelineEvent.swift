import RunbookCore

/// One line of a run's story, stamped with the (virtual) time since the run started.
public struct TimelineEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case run, step, escalation, status, notification, approval, ack, resolve, alert, note
    }

    public var at: Duration
    public var kind: Kind
    public var summary: String
    public var stepID: String?

    public init(at: Duration, kind: Kind, summary: String, stepID: String? = nil) {
        self.at = at
        self.kind = kind
        self.summary = summary
        self.stepID = stepID
    }

    /// `T+00:05:00  escalation  paged secondary-oncall`
    public var line: String {
        let padded = kind.rawValue + String(repeating: " ", count: max(0, 11 - kind.rawValue.count))
        return "\(Self.stamp(at))  \(padded) \(summary)"
    }

    /// `T+HH:MM:SS`, with `.mmm` when the offset is not whole seconds.
    public static func stamp(_ offset: Duration) -> String {
        let milliseconds = max(0, offset.totalMilliseconds)
        let seconds = milliseconds / 1000
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = "T+\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
        if milliseconds % 1000 != 0 {
            let fraction = String(milliseconds % 1000)
            text += "." + String(repeating: "0", count: 3 - fraction.count) + fraction
        }
        return text
    }
}
