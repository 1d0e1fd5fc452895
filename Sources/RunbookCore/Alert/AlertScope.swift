/// What a condition sees of an alert alone, outside any run: escalation rungs' `when` and
/// label-named notify targets. `alert.*` reads exactly as it does in a run.
public struct AlertScope: ExpressionContext, Sendable {
    public var alert: Alert

    public init(alert: Alert) {
        self.alert = alert
    }

    public func value(at path: [String]) -> ExpressionValue {
        guard path.first == "alert" else { return .null }
        return alert.expressionValue(at: path.dropFirst())
    }
}

extension Alert {
    /// The value at a path below `alert` (`["labels", "team"]`); `null` where there is none.
    public func expressionValue(at path: ArraySlice<String>) -> ExpressionValue {
        guard let field = path.first else { return .null }
        let name = path.dropFirst().first
        switch field {
        case "name": return .string(self.name)
        case "fingerprint": return .string(fingerprint)
        case "source": return .string(source)
        case "severity": return severity.map(ExpressionValue.string) ?? .null
        case "status": return .string(status.rawValue)
        case "resolved": return .bool(status == .resolved)
        case "firing": return .bool(status == .firing)
        case "labels", "annotations":
            let values = field == "labels" ? labels : annotations
            guard let name else { return .object(values.mapValues(ExpressionValue.string)) }
            return path.count == 2 ? values[name].map(ExpressionValue.string) ?? .null : .null
        case "startsAt": return startsAt.map(ExpressionValue.string) ?? .null
        case "endsAt": return endsAt.map(ExpressionValue.string) ?? .null
        case "generatorURL": return generatorURL.map(ExpressionValue.string) ?? .null
        default: return .null
        }
    }

    /// The alert fields a rung's `when` or a label-named target may read: those that stay the
    /// same for every update of one alert (its labels are its identity).
    public static let stableFields: Set<String> = ["name", "source", "severity", "labels"]
}
