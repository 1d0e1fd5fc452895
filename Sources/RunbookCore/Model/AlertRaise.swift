public import RunbookYAML

/// `raise:` — an alert a step sends into rbx's own intake, as Prometheus would send it: a
/// scheduled check that finds a problem raises the alert a runbook then handles (the detector
/// loop), deduplicated, silenced and routed like any alert posted to the API.
public struct AlertRaise: Sendable, Equatable {
    /// The `alertname` label.
    public var name: InterpolatedText
    /// Becomes the severity label the catalog reads (`severity.label` of rbx.yaml).
    public var severity: InterpolatedText?
    public var labels: [StepInput]
    public var annotations: [StepInput]
    /// How long the alert stays firing unless raised again (its `endsAt`); nil: three times the
    /// schedule's interval for a scheduled run (at least ``defaultExpiry``), else ``defaultExpiry``.
    public var expires: Duration?
    /// Sends the alert resolved: the check found the problem gone.
    public var resolve: Bool
    public var location: SourceLocation

    /// The endsAt of a raised alert no schedule says more about, as Alertmanager's `resolve_timeout`
    /// is for alerts that carry none.
    public static let defaultExpiry = Duration.seconds(300)

    public init(
        name: InterpolatedText, severity: InterpolatedText? = nil, labels: [StepInput] = [],
        annotations: [StepInput] = [], expires: Duration? = nil, resolve: Bool = false, location: SourceLocation
    ) {
        self.name = name
        self.severity = severity
        self.labels = labels
        self.annotations = annotations
        self.expires = expires
        self.resolve = resolve
        self.location = location
    }

    /// Every interpolated text, for reference checks.
    public var texts: [InterpolatedText] {
        [name] + (severity.map { [$0] } ?? []) + labels.map(\.value) + annotations.map(\.value)
    }

    /// `raise CheckoutErrors severity=P2 service=checkout`, for docs and diffs.
    public var summary: String {
        var parts = [(resolve ? "resolve " : "raise ") + name.text]
        if let severity { parts.append("severity=\(severity.text)") }
        parts += labels.map { "\($0.name.value)=\($0.value.text)" }.sorted()
        if let expires { parts.append("expires \(expires.runbookDescription)") }
        return parts.joined(separator: " ")
    }

    /// How long the alert stays firing after this raise.
    public func expiry(schedule: Schedule?, at instant: Int64) -> Duration {
        if let expires { return expires }
        guard let gap = schedule?.gap(after: instant) else { return Self.defaultExpiry }
        return max(gap * 3, Self.defaultExpiry)
    }
}
