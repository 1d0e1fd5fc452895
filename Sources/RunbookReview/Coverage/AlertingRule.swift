public import RunbookYAML

/// One Prometheus alerting rule (`alert:` in a rule file's `groups[].rules[]`), with what its
/// alerts' labels can be.
public struct AlertingRule: Sendable {
    /// A label value in the rule's `labels:`: literal, or a template whose value the alert decides.
    public enum LabelValue: Sendable, Equatable {
        case fixed(String)
        case templated(String)
    }

    public var name: String
    public var group: String
    public var expression: String
    public var labels: [String: LabelValue]
    /// Where `alert:` is written.
    public var location: SourceLocation

    public init(
        name: String, group: String, expression: String, labels: [String: LabelValue], location: SourceLocation
    ) {
        self.name = name
        self.group = group
        self.expression = expression
        self.labels = labels
        self.location = location
    }

    /// What the rule's alerts carry, label by label: `alertname`, then the rule's `labels:`
    /// (which override the series' own, as in Prometheus), then what the expression keeps.
    public var alertLabels: AlertLabels {
        AlertLabels(alertname: name, ruleLabels: labels, series: PromQLLabels.of(expression))
    }
}

/// The labels an alerting rule's alerts can carry, as three answers per label name.
public struct AlertLabels: Sendable {
    public enum Knowledge: Sendable, Equatable {
        /// Every alert of the rule has this value.
        case fixed(String)
        /// The label may be present; its value comes from the series or a template.
        case unknown
        /// No alert of the rule has the label.
        case absent
    }

    var fixed: [String: String]
    var unknown: Set<String>
    var closed: Bool

    init(alertname: String, ruleLabels: [String: AlertingRule.LabelValue], series: SeriesLabels) {
        fixed = series.fixed
        unknown = series.possible
        closed = series.closed
        for (name, value) in ruleLabels {
            switch value {
            case .fixed(let text) where text.isEmpty:
                // An empty label is no label (Prometheus and Alertmanager drop it).
                fixed[name] = nil
                unknown.remove(name)
            case .fixed(let text):
                fixed[name] = text
                unknown.remove(name)
            case .templated:
                fixed[name] = nil
                unknown.insert(name)
            }
        }
        fixed["alertname"] = alertname
        unknown.remove("alertname")
    }

    /// - Parameter namedOnly: count a label as possibly present only when the rule or its
    ///   expression names it. For `source` and `severity`, which rules set and scrape targets
    ///   practically never carry: otherwise every `up == 0` rule would "depend on" them.
    public func knowledge(of name: String, namedOnly: Bool = false) -> Knowledge {
        if let value = fixed[name] { return .fixed(value) }
        if unknown.contains(name) || (!closed && !namedOnly) { return .unknown }
        return .absent
    }

    /// The labels every alert of the rule has, with their values.
    public var fixedLabels: [String: String] { fixed }
}
