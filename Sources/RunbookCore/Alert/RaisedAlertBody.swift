public import RunbookYAML

/// What a `raise:` step sends: its alert as Alertmanager's postable JSON (a list of one), the
/// form `POST /api/v2/alerts` takes. The engine sends it and `rbx docs` routes it; both read it
/// back through ``AlertDecoder``, so a label intake would refuse is refused in both.
public struct RaisedAlertBody: Sendable {
    public var name: String
    public var labels: [String: String]
    public var annotations: [String: String]
    public var bytes: [UInt8]

    /// - Parameters:
    ///   - render: gives each text of the step its value (the engine renders and redacts; docs
    ///     take literal text as written).
    ///   - severityLabel: the label the catalog reads severity from (`severity.label`).
    ///   - startsAt: RFC 3339.
    ///   - endsAt: RFC 3339; for a resolution, `startsAt`. `status` is said outright as well, so
    ///     the end time (now, for a resolution) need not race the intake's clock.
    public init(
        _ raise: AlertRaise, severityLabel: String, startsAt: String, endsAt: String,
        render: (InterpolatedText) -> String
    ) {
        name = render(raise.name)
        labels = [:]
        for label in raise.labels { labels[label.name.value] = render(label.value) }
        labels["alertname"] = name
        if let severity = raise.severity { labels[severityLabel] = render(severity) }
        annotations = [:]
        for annotation in raise.annotations { annotations[annotation.name.value] = render(annotation.value) }
        var out = "[{\"labels\":"
        AlertJSONWriter.appendObject(labels, to: &out)
        out += ",\"annotations\":"
        AlertJSONWriter.appendObject(annotations, to: &out)
        out += ",\"startsAt\":"
        JSONString.append(startsAt, to: &out)
        out += ",\"endsAt\":"
        JSONString.append(endsAt, to: &out)
        out += ",\"status\":\"\(raise.resolve ? "resolved" : "firing")\"}]"
        bytes = Array(out.utf8)
    }
}
