import Foundation

/// Reads alerts from the JSON forms rbx accepts and normalises them against a catalog's config.
///
/// Accepted: an Alertmanager API v2 postable alert or a list of them, an Alertmanager webhook
/// payload (version 4), and a plain alert with `source`/`severity`/`status` fields.
public enum AlertDecoder {
    /// - Throws: ``AlertDecodingError`` naming the field that is missing or of the wrong type.
    public static func decode(_ data: [UInt8], config: CatalogConfig) throws(AlertDecodingError) -> [Alert] {
        // swift-foundation's JSONDecoder into plain structs: several times faster than
        // JSONSerialization and casts, which dominated intake's CPU time.
        let isList = data.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } == UInt8(ascii: "[")
        do {
            if isList {
                let list = try JSONDecoder().decode([WireAlert].self, from: Data(data))
                return try list.enumerated().map { index, item throws(AlertDecodingError) in
                    try alert(item, config: config, path: "[\(index)]")
                }
            }
            let object = try JSONDecoder().decode(WireAlert.self, from: Data(data))
            if let alerts = object.alerts {
                if let version = object.version, version != "4" {
                    throw AlertDecodingError(field: "version", message: "webhook payload version \"\(version)\" is not supported; rbx reads version 4")
                }
                return try alerts.enumerated().map { index, item throws(AlertDecodingError) in
                    try alert(item, config: config, path: "alerts[\(index)]", fallbackStatus: object.status)
                }
            }
            return [try alert(object, config: config, path: "")]
        } catch let error as AlertDecodingError {
            throw error
        } catch let error as DecodingError {
            throw describe(error)
        } catch {
            throw AlertDecodingError(field: nil, message: "not valid JSON: \(error)")
        }
    }

    /// Every field any accepted form has; the forms differ only in which are set.
    private struct WireAlert: Decodable {
        var labels: [String: String]?
        var annotations: [String: String]?
        var name: String?
        var source: String?
        var severity: String?
        var status: String?
        var fingerprint: String?
        var startsAt: String?
        var endsAt: String?
        var generatorURL: String?
        /// A webhook payload's alerts, and its version.
        var alerts: [WireAlert]?
        var version: String?
    }

    private static func alert(_ item: WireAlert, config: CatalogConfig, path: String, fallbackStatus: String? = nil) throws(AlertDecodingError) -> Alert {
        func field(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
        var labels = item.labels ?? [:]
        if let plainName = item.name, labels["alertname"] == nil { labels["alertname"] = plainName }
        guard let name = labels["alertname"], !name.isEmpty else {
            throw AlertDecodingError(field: field("labels.alertname"), message: "an alert needs a name: the alertname label (or \"name\" in a plain alert)")
        }
        let source = item.source ?? labels[config.sourceLabel] ?? config.defaultSource
        let rawSeverity = item.severity ?? labels[config.severityLabel]
        let severity = rawSeverity.flatMap { config.severity.level(of: $0) } ?? config.defaultSeverity
        let status: Alert.Status
        switch item.status ?? fallbackStatus {
        case "firing"?: status = .firing
        case "resolved"?: status = .resolved
        case nil: status = isPast(item.endsAt) ? .resolved : .firing
        case let other?: throw AlertDecodingError(field: field("status"), message: "must be \"firing\" or \"resolved\", found \"\(other)\"")
        }
        return Alert(
            fingerprint: item.fingerprint ?? AlertFingerprint.of(labels), name: name, source: source, severity: severity,
            rawSeverity: rawSeverity, status: status, labels: labels, annotations: item.annotations ?? [:], startsAt: item.startsAt,
            endsAt: item.endsAt, generatorURL: item.generatorURL)
    }

    /// Alertmanager marks an alert resolved by an `endsAt` in the past.
    private static func isPast(_ timestamp: String?) -> Bool {
        guard let timestamp, let seconds = RFC3339.secondsSinceEpoch(timestamp) else { return false }
        return seconds < Date().timeIntervalSince1970
    }

    /// A decoding error as the JSON path of the field and what it should have been.
    private static func describe(_ error: DecodingError) -> AlertDecodingError {
        func path(_ keys: [any CodingKey]) -> String? {
            var text = ""
            for key in keys {
                if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return text.isEmpty ? nil : text
        }
        switch error {
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            let last = context.codingPath.last?.stringValue
            let parent = context.codingPath.dropLast().last?.stringValue
            if field == nil { return AlertDecodingError(field: nil, message: "expected a JSON object or a list of alerts") }
            if type is String.Type, parent == "labels" || parent == "annotations" {
                return AlertDecodingError(field: field, message: "must be a string (label and annotation values are strings)")
            }
            if last == "labels" || last == "annotations" {
                return AlertDecodingError(field: field, message: "must be an object of strings")
            }
            if last == "alerts" { return AlertDecodingError(field: field, message: "must be a list of alerts") }
            if context.codingPath.last?.intValue != nil { return AlertDecodingError(field: field, message: "an alert must be a JSON object") }
            return AlertDecodingError(field: field, message: "must be a string")
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { "\($0)" } ?? context.debugDescription
            return AlertDecodingError(field: path(context.codingPath), message: "not valid JSON: \(underlying)")
        case .keyNotFound(let key, let context):
            return AlertDecodingError(field: path(context.codingPath + [key]), message: "is required")
        @unknown default:
            return AlertDecodingError(field: nil, message: "not valid JSON: \(error)")
        }
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
