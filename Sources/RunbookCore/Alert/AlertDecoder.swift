import Foundation

/// Reads alerts from the JSON forms rbx accepts and normalises them against a catalog's config.
///
/// Accepted: an Alertmanager API v2 postable alert or a list of them, an Alertmanager webhook
/// payload (version 4), and a plain alert with `source`/`severity`/`status` fields.
public enum AlertDecoder {
    /// - Throws: ``AlertDecodingError`` naming the field that is missing or of the wrong type.
    public static func decode(_ data: [UInt8], config: CatalogConfig) throws(AlertDecodingError) -> [Alert] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(data), options: [.fragmentsAllowed])
        } catch {
            throw AlertDecodingError(field: nil, message: "not valid JSON: \(Self.describe(error))")
        }
        if let list = object as? [Any] {
            return try list.enumerated().map { index, item throws(AlertDecodingError) in
                try alert(item, config: config, path: "[\(index)]")
            }
        }
        guard let dictionary = object as? [String: Any] else {
            throw AlertDecodingError(field: nil, message: "expected a JSON object or a list of alerts")
        }
        if let alerts = dictionary["alerts"] {
            if let version = dictionary["version"] as? String, version != "4" {
                throw AlertDecodingError(field: "version", message: "webhook payload version \"\(version)\" is not supported; rbx reads version 4")
            }
            guard let list = alerts as? [Any] else {
                throw AlertDecodingError(field: "alerts", message: "must be a list of alerts")
            }
            let groupStatus = dictionary["status"] as? String
            return try list.enumerated().map { index, item throws(AlertDecodingError) in
                try alert(item, config: config, path: "alerts[\(index)]", fallbackStatus: groupStatus)
            }
        }
        return [try alert(dictionary, config: config, path: "")]
    }

    private static func alert(_ item: Any, config: CatalogConfig, path: String, fallbackStatus: String? = nil) throws(AlertDecodingError) -> Alert {
        func field(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
        guard let object = item as? [String: Any] else {
            throw AlertDecodingError(field: path.isEmpty ? nil : path, message: "an alert must be a JSON object")
        }
        var labels = try stringMap(object["labels"], field: field("labels"))
        let annotations = try stringMap(object["annotations"], field: field("annotations"))
        let plainName = try string(object["name"], field: field("name"))
        if let plainName, labels["alertname"] == nil { labels["alertname"] = plainName }
        guard let name = labels["alertname"], !name.isEmpty else {
            throw AlertDecodingError(field: field("labels.alertname"), message: "an alert needs a name: the alertname label (or \"name\" in a plain alert)")
        }
        let source = try string(object["source"], field: field("source")) ?? labels[config.sourceLabel] ?? config.defaultSource
        let rawSeverity = try string(object["severity"], field: field("severity")) ?? labels[config.severityLabel]
        let severity = rawSeverity.flatMap { config.severity.level(of: $0) } ?? config.defaultSeverity
        let endsAt = try string(object["endsAt"], field: field("endsAt"))
        let statusText = try string(object["status"], field: field("status")) ?? fallbackStatus
        let status: Alert.Status
        switch statusText {
        case "firing"?: status = .firing
        case "resolved"?: status = .resolved
        case nil: status = isPast(endsAt) ? .resolved : .firing
        case let other?: throw AlertDecodingError(field: field("status"), message: "must be \"firing\" or \"resolved\", found \"\(other)\"")
        }
        return Alert(
            fingerprint: try string(object["fingerprint"], field: field("fingerprint")) ?? AlertFingerprint.of(labels),
            name: name, source: source, severity: severity, rawSeverity: rawSeverity, status: status, labels: labels,
            annotations: annotations, startsAt: try string(object["startsAt"], field: field("startsAt")), endsAt: endsAt,
            generatorURL: try string(object["generatorURL"], field: field("generatorURL")))
    }

    private static func string(_ value: Any?, field: String) throws(AlertDecodingError) -> String? {
        guard let value, !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw AlertDecodingError(field: field, message: "must be a string") }
        return text
    }

    private static func stringMap(_ value: Any?, field: String) throws(AlertDecodingError) -> [String: String] {
        guard let value, !(value is NSNull) else { return [:] }
        guard let object = value as? [String: Any] else { throw AlertDecodingError(field: field, message: "must be an object of strings") }
        var result: [String: String] = [:]
        for (key, item) in object {
            guard let text = item as? String else {
                throw AlertDecodingError(field: "\(field).\(key)", message: "must be a string (label and annotation values are strings)")
            }
            result[key] = text
        }
        return result
    }

    /// Alertmanager marks an alert resolved by an `endsAt` in the past.
    private static func isPast(_ timestamp: String?) -> Bool {
        guard let timestamp, let seconds = RFC3339.secondsSinceEpoch(timestamp) else { return false }
        return seconds < Date().timeIntervalSince1970
    }

    private static func describe(_ error: any Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        return text ?? error.localizedDescription
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
