import Foundation

/// Reads alerts from the JSON forms rbx accepts and normalises them against a catalog's config.
///
/// Accepted: an Alertmanager API v2 postable alert or a list of them, an Alertmanager webhook
/// payload (version 4), and a plain alert with `source`/`severity`/`status` fields.
public enum AlertDecoder {
    /// - Throws: ``AlertDecodingError`` naming the field that is missing or of the wrong type.
    /// - Parameter receivedAt: when the alert arrived (epoch milliseconds): an alert without a
    ///   `startsAt` (amtool, a plain API call) started then, as in Alertmanager, and an `endsAt`
    ///   before it resolves the alert. Nil (rehearsals, which must render the same every time)
    ///   leaves a missing `startsAt` missing and compares `endsAt` with the current time.
    public static func decode(
        _ data: [UInt8], config: CatalogConfig, receivedAt: Int64? = nil
    ) throws(AlertDecodingError) -> [Alert] {
        let document: JSONValue
        do {
            document = try JSONValue.parse(data)
        } catch {
            throw AlertDecodingError(field: nil, message: "not valid JSON: \(error)")
        }
        return try decode(document, config: config, receivedAt: receivedAt)
    }

    /// Decodes as ``decode(_:config:receivedAt:)`` and returns each alert with its JSON object
    /// exactly as it stands in `data` (the whole body for a single plain alert).
    public static func decodeAsReceived(
        _ data: [UInt8], config: CatalogConfig, receivedAt: Int64?
    ) throws(AlertDecodingError) -> [(alert: Alert, received: ArraySlice<UInt8>)] {
        let parsed: (value: JSONValue, alerts: [Range<Int>])
        do {
            parsed = try JSONValue.parseLocatingAlerts(data)
        } catch {
            throw AlertDecodingError(field: nil, message: "not valid JSON: \(error)")
        }
        let alerts = try decode(parsed.value, config: config, receivedAt: receivedAt)
        // Slices share the body's storage: no copy per alert until a new one is stored.
        guard parsed.alerts.count == alerts.count else { return alerts.map { ($0, data[...]) } }
        return zip(alerts, parsed.alerts).map { ($0, data[$1]) }
    }

    private static func decode(
        _ document: JSONValue, config: CatalogConfig, receivedAt: Int64?
    ) throws(AlertDecodingError) -> [Alert] {
        switch document {
        case .array(let list):
            return try list.enumerated().map { index, item throws(AlertDecodingError) in
                try alert(item, config: config, path: "[\(index)]", receivedAt: receivedAt)
            }
        case .object:
            if let alerts = document["alerts"] {
                if case .string(let version)? = document["version"], version != "4" {
                    throw AlertDecodingError(
                        field: "version",
                        message: "webhook payload version \"\(version)\" is not supported; rbx reads version 4")
                }
                guard case .array(let list) = alerts else {
                    throw AlertDecodingError(field: "alerts", message: "must be a list of alerts")
                }
                let groupStatus = try string(document["status"], field: "status")
                return try list.enumerated().map { index, item throws(AlertDecodingError) in
                    try alert(
                        item, config: config, path: "alerts[\(index)]", fallbackStatus: groupStatus,
                        receivedAt: receivedAt)
                }
            }
            return [try alert(document, config: config, path: "", receivedAt: receivedAt)]
        default:
            throw AlertDecodingError(field: nil, message: "expected a JSON object or a list of alerts")
        }
    }

    private static func alert(
        _ item: JSONValue, config: CatalogConfig, path: String, fallbackStatus: String? = nil, receivedAt: Int64?
    ) throws(AlertDecodingError) -> Alert {
        func field(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
        guard case .object = item else {
            throw AlertDecodingError(field: path.isEmpty ? nil : path, message: "an alert must be a JSON object")
        }
        var labels = try stringMap(item["labels"], field: field("labels"))
        let annotations = try stringMap(item["annotations"], field: field("annotations"))
        if let plainName = try string(item["name"], field: field("name")), labels["alertname"] == nil {
            labels["alertname"] = plainName
        }
        guard let name = labels["alertname"], !name.isEmpty else {
            throw AlertDecodingError(
                field: field("labels.alertname"),
                message: "an alert needs a name: the alertname label (or \"name\" in a plain alert)")
        }
        let source =
            try string(item["source"], field: field("source")) ?? labels[config.sourceLabel] ?? config.defaultSource
        let rawSeverity = try string(item["severity"], field: field("severity")) ?? labels[config.severityLabel]
        let severity = rawSeverity.flatMap { config.severity.level(of: $0) } ?? config.defaultSeverity
        let endsAt = meaningful(try string(item["endsAt"], field: field("endsAt")))
        let status: Alert.Status
        switch try string(item["status"], field: field("status")) ?? fallbackStatus {
        case "firing"?: status = .firing
        case "resolved"?: status = .resolved
        case nil:
            status = isPast(endsAt, now: receivedAt ?? Int64(Date().timeIntervalSince1970 * 1000)) ? .resolved : .firing
        case let other?:
            throw AlertDecodingError(
                field: field("status"), message: "must be \"firing\" or \"resolved\", found \"\(other)\"")
        }
        return Alert(
            fingerprint: try string(item["fingerprint"], field: field("fingerprint")) ?? AlertFingerprint.of(labels),
            name: name, source: source, severity: severity, rawSeverity: rawSeverity, status: status, labels: labels,
            annotations: annotations,
            startsAt: meaningful(try string(item["startsAt"], field: field("startsAt")))
                ?? receivedAt.map { RFC3339.format(epochMilliseconds: $0) },
            endsAt: endsAt,
            generatorURL: try string(item["generatorURL"], field: field("generatorURL")))
    }

    private static func string(_ value: JSONValue?, field: String) throws(AlertDecodingError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw AlertDecodingError(field: field, message: "must be a string")
        }
    }

    private static func stringMap(_ value: JSONValue?, field: String) throws(AlertDecodingError) -> [String: String] {
        switch value {
        case nil, .null?: return [:]
        case .object(let members)?:
            var result: [String: String] = [:]
            result.reserveCapacity(members.count)
            for (key, item) in members {
                guard case .string(let text) = item else {
                    throw AlertDecodingError(
                        field: "\(field).\(key)", message: "must be a string (label and annotation values are strings)")
                }
                result[key] = text
            }
            return result
        default: throw AlertDecodingError(field: field, message: "must be an object of strings")
        }
    }

    /// Alertmanager marks an alert resolved by an `endsAt` in the past.
    private static func isPast(_ timestamp: String?, now: Int64) -> Bool {
        guard let timestamp, let seconds = RFC3339.secondsSinceEpoch(timestamp) else { return false }
        return seconds * 1000 < Double(now)
    }

    /// A time that says something: empty and Go's zero time (`0001-01-01T00:00:00Z`, which amtool
    /// and Go clients send for "not set") are no time at all.
    private static func meaningful(_ timestamp: String?) -> String? {
        guard let timestamp, !timestamp.isEmpty, !timestamp.hasPrefix("0001-") else { return nil }
        if let seconds = RFC3339.secondsSinceEpoch(timestamp), seconds < 86_400 { return nil }
        return timestamp
    }
}

/// An alert that could not be read; `field` names the JSON path of the problem.
public struct AlertDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String?
    public var message: String

    public init(field: String?, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String {
        field.map { "\($0): \(message)" } ?? message
    }
}
