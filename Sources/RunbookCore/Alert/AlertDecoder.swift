import Foundation

/// Reads alerts from the JSON forms rbx accepts and normalises them against a catalog's config.
///
/// Accepted: an Alertmanager API v2 postable alert or a list of them, an Alertmanager webhook
/// payload (version 4), and a plain alert with `source`/`severity`/`status` fields.
public enum AlertDecoder {
    /// The body shapes an endpoint takes.
    public enum Form: Sendable {
        /// Alertmanager's `POST /api/v2/alerts`: a list of postable alerts (`null` is none).
        case alertmanager
        /// Alertmanager's webhook payload (version 4).
        case webhook
        /// Anything rbx reads: a list, a webhook payload, or one plain alert (files, `/api/v1/alerts`).
        case any
    }

    /// What a body yields: the alerts to take, each with its JSON object exactly as received,
    /// and the alerts refused one by one (Alertmanager's "best effort": the valid alerts of a
    /// body are taken even when others are invalid).
    public struct Batch: Sendable {
        public var accepted: [(alert: Alert, received: ArraySlice<UInt8>)]
        public var refused: [AlertDecodingError]
    }

    /// Decodes every alert, strictly: the first problem of any kind is thrown.
    ///
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
        let decoded = try decode(document, form: .any, config: config, receivedAt: receivedAt)
        if let first = decoded.refused.first { throw first }
        return decoded.alerts
    }

    /// Decodes as Alertmanager's API does: a body that cannot be read at all (not JSON, the
    /// wrong shape or type, an unreadable time, a missing `labels`, a repeated key) is thrown;
    /// an alert that is readable but invalid (`endsAt` before `startsAt`, a label name the
    /// configured ``LabelNameRule`` refuses, no label left) is refused alone.
    public static func decodeAsReceived(
        _ data: [UInt8], form: Form = .any, config: CatalogConfig, receivedAt: Int64?
    ) throws(AlertDecodingError) -> Batch {
        let parsed: (value: JSONValue, alerts: [Range<Int>])
        do {
            parsed = try JSONValue.parseLocatingAlerts(data)
        } catch {
            throw AlertDecodingError(field: nil, message: "not valid JSON: \(error)")
        }
        let decoded = try decode(parsed.value, form: form, config: config, receivedAt: receivedAt)
        // Slices share the body's storage: no copy per alert until a new one is stored.
        let accepted = decoded.alerts.enumerated().map { position, alert in
            let index = decoded.indices[position]
            return (alert, index < parsed.alerts.count ? data[parsed.alerts[index]] : data[...])
        }
        return Batch(accepted: accepted, refused: decoded.refused)
    }

    private struct Decoded {
        var alerts: [Alert] = []
        /// The position of each alert in the body's list.
        var indices: [Int] = []
        var refused: [AlertDecodingError] = []
    }

    private static func decode(
        _ document: JSONValue, form: Form, config: CatalogConfig, receivedAt: Int64?
    ) throws(AlertDecodingError) -> Decoded {
        let reader = AlertReader(config: config, receivedAt: receivedAt)
        switch (document, form) {
        case (.null, .alertmanager):
            return Decoded()
        case (.array(let list), .alertmanager), (.array(let list), .any):
            return try reader.each(list, path: { "[\($0)]" }, fallbackStatus: nil, form: form)
        case (.object, .webhook):
            return try webhook(document, reader: reader)
        case (.object, .any) where document["alerts"] != nil:
            return try webhook(document, reader: reader)
        case (.object, .any):
            var decoded = Decoded()
            do {
                decoded.alerts = [try reader.alert(document, path: "", form: .any)]
                decoded.indices = [0]
            } catch  where error.kind == .invalid {
                decoded.refused = [error]
            }
            return decoded
        case (_, .alertmanager):
            throw AlertDecodingError(
                field: nil, message: "expected a JSON list of alerts (Alertmanager API v2), found \(document.kindName)")
        case (_, .webhook):
            throw AlertDecodingError(
                field: nil,
                message: "expected an Alertmanager webhook payload (an object with alerts), found "
                    + document.kindName)
        default:
            throw AlertDecodingError(field: nil, message: "expected a JSON object or a list of alerts")
        }
    }

    private static func webhook(_ document: JSONValue, reader: AlertReader) throws(AlertDecodingError) -> Decoded {
        try AlertReader.checkUniqueKeys(document, path: nil)
        if case .string(let version)? = document["version"], version != "4" {
            throw AlertDecodingError(
                field: "version",
                message: "webhook payload version \"\(version)\" is not supported; rbx reads version 4")
        }
        guard case .array(let list)? = document["alerts"] else {
            throw AlertDecodingError(field: "alerts", message: "must be a list of alerts")
        }
        let groupStatus = try AlertReader.string(document["status"], field: "status")
        return try reader.each(list, path: { "alerts[\($0)]" }, fallbackStatus: groupStatus, form: .webhook)
    }

    /// Reads one alert object at a time with the catalog's rules.
    private struct AlertReader {
        var config: CatalogConfig
        var receivedAt: Int64?

        func each(
            _ list: [JSONValue], path: (Int) -> String, fallbackStatus: String?, form: Form
        ) throws(AlertDecodingError) -> Decoded {
            var decoded = Decoded()
            decoded.alerts.reserveCapacity(list.count)
            for (index, item) in list.enumerated() {
                do {
                    decoded.alerts.append(
                        try alert(item, path: path(index), fallbackStatus: fallbackStatus, form: form))
                    decoded.indices.append(index)
                } catch  where error.kind == .invalid {
                    decoded.refused.append(error)
                }
            }
            return decoded
        }

        func alert(
            _ item: JSONValue, path: String, fallbackStatus: String? = nil, form: Form
        ) throws(AlertDecodingError) -> Alert {
            func field(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
            guard case .object = item else {
                throw AlertDecodingError(field: path.isEmpty ? nil : path, message: "an alert must be a JSON object")
            }
            try Self.checkUniqueKeys(item, path: path.isEmpty ? nil : path)
            let plainName = form == .any ? try Self.string(item["name"], field: field("name")) : nil
            if item["labels"] == nil && plainName == nil {
                throw AlertDecodingError(
                    kind: .incomplete, field: field("labels"), message: "labels is required (an object of strings)")
            }
            // As Alertmanager: a label with an empty value is no label (nor part of the fingerprint).
            var labels = try Self.stringMap(item["labels"], field: field("labels")).filter { !$0.value.isEmpty }
            let annotations = try Self.stringMap(item["annotations"], field: field("annotations"))
            let startsAt = try Self.time(item["startsAt"], field: field("startsAt"))
            let endsAt = try Self.time(item["endsAt"], field: field("endsAt"))
            let generatorURL = try Self.string(item["generatorURL"], field: field("generatorURL"))
            if let generatorURL, !generatorURL.isEmpty, !Self.isURI(generatorURL) {
                throw AlertDecodingError(
                    kind: .incomplete, field: field("generatorURL"),
                    message: "must be a URI, found \"\(ControlText.escape(String(generatorURL.prefix(200))))\"")
            }
            let source = try Self.string(item["source"], field: field("source"))
            let rawSeverity = try Self.string(item["severity"], field: field("severity"))
            let statusText = try Self.string(item["status"], field: field("status")) ?? fallbackStatus
            let fingerprint = try Self.string(item["fingerprint"], field: field("fingerprint"))

            // From here on the body is readable; what follows refuses this alert alone.
            // rbx's own alerts (a fire drill's, a schedule tick's) are told apart by their
            // fingerprints: a posted one must not fold into them, nor resolve their runs.
            if let fingerprint,
                fingerprint.hasPrefix(AlertDrill.fingerprintPrefix)
                    || fingerprint.hasPrefix(ScheduleTick.fingerprintPrefix)
            {
                throw AlertDecodingError(
                    kind: .invalid, field: field("fingerprint"),
                    message: "fingerprints starting with \(AlertDrill.fingerprintPrefix) or "
                        + "\(ScheduleTick.fingerprintPrefix) are rbx's own (fire drills, schedule ticks)")
            }
            if let startsAt, let endsAt, endsAt.seconds < startsAt.seconds {
                throw AlertDecodingError(
                    kind: .invalid, field: field("endsAt"),
                    message: "start time must be before end time (startsAt \(startsAt.text), endsAt \(endsAt.text))")
            }
            for (names, what) in [(labels.keys, "labels"), (annotations.keys, "annotations")] {
                if let bad = names.sorted().first(where: { !config.server.labelNames.accepts($0) }) {
                    throw AlertDecodingError(
                        kind: .invalid, field: field(what),
                        message: "invalid name \"\(ControlText.escape(String(bad.prefix(200))))\" "
                            + "(server.label_names: \(config.server.labelNames.rawValue))")
                }
            }
            if let plainName, labels["alertname"] == nil, !plainName.isEmpty { labels["alertname"] = plainName }
            if labels.isEmpty {
                throw AlertDecodingError(
                    kind: .invalid, field: field("labels"), message: "at least one label pair required")
            }
            guard let name = labels["alertname"] else {
                throw AlertDecodingError(
                    kind: .invalid, field: field("labels.alertname"),
                    message: "an alert needs a name: the alertname label (or \"name\" in a plain alert)")
            }
            let status: Alert.Status
            switch statusText {
            case "firing"?: status = .firing
            case "resolved"?: status = .resolved
            case nil:
                let now = receivedAt ?? Int64(Date().timeIntervalSince1970 * 1000)
                status = endsAt.map { $0.seconds * 1000 < Double(now) } == true ? .resolved : .firing
            case let other?:
                throw AlertDecodingError(
                    field: field("status"), message: "must be \"firing\" or \"resolved\", found \"\(other)\"")
            }
            return Alert(
                fingerprint: fingerprint ?? AlertFingerprint.of(labels),
                name: name, source: source ?? labels[config.sourceLabel] ?? config.defaultSource,
                severity: (rawSeverity ?? labels[config.severityLabel]).flatMap { config.severity.level(of: $0) }
                    ?? config.defaultSeverity,
                rawSeverity: rawSeverity ?? labels[config.severityLabel], status: status, labels: labels,
                annotations: annotations,
                // As Alertmanager: without a start, an alert started when it ended, or else when received.
                startsAt: startsAt?.text ?? endsAt?.text ?? receivedAt.map { RFC3339.format(epochMilliseconds: $0) },
                endsAt: endsAt?.text,
                generatorURL: generatorURL)
        }

        static func string(_ value: JSONValue?, field: String) throws(AlertDecodingError) -> String? {
            switch value {
            case nil, .null?: return nil
            case .string(let text)?: return text
            default: throw AlertDecodingError(field: field, message: "must be a string")
            }
        }

        static func stringMap(_ value: JSONValue?, field: String) throws(AlertDecodingError) -> [String: String] {
            switch value {
            case nil, .null?: return [:]
            case .object(let members)?:
                var result: [String: String] = [:]
                result.reserveCapacity(members.count)
                for (key, item) in members {
                    guard case .string(let text) = item else {
                        throw AlertDecodingError(
                            field: "\(field).\(key)",
                            message: "must be a string (label and annotation values are strings)")
                    }
                    // The dictionary sees a repeated key anyway; see ``checkUniqueKeys(_:path:)``.
                    if result.updateValue(text, forKey: key) != nil { throw repeated(key, path: field) }
                }
                return result
            default: throw AlertDecodingError(field: field, message: "must be an object of strings")
            }
        }

        /// A time that says something, parsed: empty and Go's zero time (`0001-01-01T00:00:00Z`,
        /// which amtool and Go clients send for "not set") are no time at all; text that is not
        /// RFC 3339 is refused, as Alertmanager refuses it.
        static func time(
            _ value: JSONValue?, field: String
        ) throws(AlertDecodingError) -> (text: String, seconds: Double)? {
            guard let text = try string(value, field: field), !text.isEmpty, !text.hasPrefix("0001-01-01T00:00:00")
            else { return nil }
            guard let seconds = RFC3339.secondsSinceEpoch(text) else {
                throw AlertDecodingError(
                    field: field,
                    message: "\"\(ControlText.escape(String(text.prefix(100))))\" is not an RFC 3339 time")
            }
            if seconds < 86_400 { return nil }
            return (text, seconds)
        }

        /// A repeated key would mean one thing to one JSON reader and another to the next (Go and
        /// rbx keep the last, others the first); rbx refuses the body instead of guessing. This
        /// checks an object's own keys; `labels` and `annotations` are checked as they are read
        /// (``stringMap(_:field:)``). Alert objects have a handful of keys, so on this path of
        /// every posted alert a pairwise scan replaces building a set.
        static func checkUniqueKeys(_ value: JSONValue, path: String?) throws(AlertDecodingError) {
            guard case .object(let members) = value else { return }
            if members.count <= 16 {
                for index in members.indices.dropFirst()
                where members[..<index].contains(where: { $0.key == members[index].key }) {
                    throw repeated(members[index].key, path: path)
                }
                return
            }
            var seen = Set<String>(minimumCapacity: members.count)
            for member in members where !seen.insert(member.key).inserted { throw repeated(member.key, path: path) }
        }

        private static func repeated(_ key: String, path: String?) -> AlertDecodingError {
            AlertDecodingError(
                field: path.map { "\($0).\(key)" } ?? key,
                message: "the key \"\(ControlText.escape(String(key.prefix(100))))\" appears twice")
        }

        /// As the `uri` format of Alertmanager's API: an absolute URI or an absolute path,
        /// without spaces or control characters.
        static func isURI(_ text: String) -> Bool {
            let bytes = text.utf8
            guard !bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { return false }
            if bytes.first == UInt8(ascii: "/") { return true }
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
            let scheme = bytes[..<colon]
            func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) }
            guard let first = scheme.first, isLetter(first) else { return false }
            return scheme.allSatisfy {
                isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || "+-.".utf8.contains($0)
            }
        }
    }
}

/// An alert that could not be read; `field` names the JSON path of the problem.
public struct AlertDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the problem costs, as Alertmanager's API answers it.
    public enum Kind: Sendable, Hashable {
        /// The body cannot be read (not JSON, a wrong type or shape, a bad time): 400, none taken.
        case malformed
        /// A required field is missing or not of its format: 422, none taken.
        case incomplete
        /// This alert is invalid: it alone is refused (400 after the others are taken).
        case invalid
    }

    public var kind: Kind
    public var field: String?
    public var message: String

    public init(kind: Kind = .malformed, field: String?, message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    public var description: String {
        field.map { "\($0): \(message)" } ?? message
    }
}
