/// Writes an alert as the JSON its `Codable` conformance reads back, by hand: intake stores one
/// body per alert, and Foundation's `JSONEncoder` was an eighth of intake's CPU time.
public enum AlertJSONWriter {
    public static func json(_ alert: Alert) -> String {
        var out = "{"
        out.reserveCapacity(256)
        var first = true
        func key(_ name: String) {
            if !first { out += "," }
            first = false
            out += "\""
            out += name
            out += "\":"
        }
        func field(_ name: String, _ value: String?) {
            guard let value else { return }
            key(name)
            JSONString.append(value, to: &out)
        }
        func map(_ name: String, _ values: [String: String]) {
            key(name)
            appendObject(values, to: &out)
        }
        field("fingerprint", alert.fingerprint)
        field("name", alert.name)
        field("source", alert.source)
        field("severity", alert.severity)
        field("rawSeverity", alert.rawSeverity)
        field("status", alert.status.rawValue)
        map("labels", alert.labels)
        map("annotations", alert.annotations)
        field("startsAt", alert.startsAt)
        field("endsAt", alert.endsAt)
        field("generatorURL", alert.generatorURL)
        if let drill = alert.drill {
            key("drill")
            out += "{\"speed\":\(drill.speed),\"runDiagnostics\":\(drill.runDiagnostics),\"requestedBy\":"
            JSONString.append(drill.requestedBy, to: &out)
            out += "}"
        }
        if let tick = alert.tick {
            key("tick")
            out += "{\"at\":\(tick.at),\"runbook\":"
            JSONString.append(tick.runbook, to: &out)
            out += ",\"schedule\":"
            JSONString.append(tick.schedule, to: &out)
            out += "}"
        }
        return out + "}"
    }

    /// A string map as a JSON object, keys sorted so equal maps write equal bytes.
    public static func appendObject(_ values: [String: String], to out: inout String) {
        out += "{"
        var first = true
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            if !first { out += "," }
            first = false
            JSONString.append(name, to: &out)
            out += ":"
            JSONString.append(value, to: &out)
        }
        out += "}"
    }
}
