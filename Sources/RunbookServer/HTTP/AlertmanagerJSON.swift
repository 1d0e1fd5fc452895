import Foundation
import RunbookCore
import RunbookStore

/// Alertmanager API v2 shapes: gettable alerts and silences out, postable silences in, so
/// `amtool` and Alertmanager's own UI conventions work against rbx.
enum AlertmanagerJSON {
    /// An alert as Alertmanager lists it; `receiver` is the runbook that handles it
    /// (``AlertGrouping``).
    static func gettableAlert(_ record: AlertRecord, receiver: String, dedupWindow: Duration) -> [String: Any] {
        let alert = record.alert
        // Go's zero time ("0001-01-01T00:00:00Z") means "not set", as Alertmanager reads it.
        func given(_ time: String?) -> String? { time.flatMap { RFC3339.secondsSinceEpoch($0) == nil ? nil : $0 } }
        let endsAt =
            given(alert.endsAt) ?? RFC3339.format(epochMilliseconds: record.lastSeenAt + dedupWindow.totalMilliseconds)
        return [
            "labels": alert.labels, "annotations": alert.annotations, "fingerprint": alert.fingerprint,
            "startsAt": given(alert.startsAt) ?? RFC3339.format(epochMilliseconds: record.receivedAt), "endsAt": endsAt,
            "updatedAt": RFC3339.format(epochMilliseconds: record.lastSeenAt), "generatorURL": alert.generatorURL ?? "",
            "receivers": [["name": receiver]],
            "status": [
                "state": record.silencedBy == nil ? "active" : "suppressed",
                "silencedBy": record.silencedBy.map { [$0] } ?? [],
                "inhibitedBy": [String](),
            ],
        ]
    }

    static func gettableSilence(_ silence: Silence, now: Int64) -> [String: Any] {
        [
            "id": silence.id, "status": ["state": silence.state(at: now).rawValue],
            "matchers": silence.matchers.map {
                ["name": $0.name, "value": $0.value, "isRegex": $0.isRegex, "isEqual": $0.isEqual]
            },
            "startsAt": RFC3339.format(epochMilliseconds: silence.startsAt),
            "endsAt": RFC3339.format(epochMilliseconds: silence.endsAt),
            "updatedAt": RFC3339.format(epochMilliseconds: silence.updatedAt), "createdBy": silence.createdBy,
            "comment": silence.comment,
        ]
    }

    /// Reads a postable silence. Its `id` is the one the client sent, empty for a new silence:
    /// what the post does with it is ``Silence/change(posting:previous:now:newID:)``'s decision.
    static func postableSilence(_ bytes: [UInt8], now: Int64) throws(APIError) -> Silence {
        guard let object = try JSONBody.object(bytes) as? [String: Any] else {
            throw APIError.badRequest("a silence must be a JSON object", field: nil)
        }
        guard let list = object["matchers"] as? [Any], !list.isEmpty else {
            throw APIError.badRequest("a silence needs at least one matcher", field: "matchers")
        }
        var matchers: [Silence.Matcher] = []
        for (index, item) in list.enumerated() {
            let field = "matchers[\(index)]"
            guard let matcher = item as? [String: Any], let name = matcher["name"] as? String, !name.isEmpty else {
                throw APIError.badRequest("a matcher needs a non-empty \"name\"", field: "\(field).name")
            }
            guard let value = matcher["value"] as? String else {
                throw APIError.badRequest("must be a string", field: "\(field).value")
            }
            guard let isRegex = matcher["isRegex"] as? Bool else {
                throw APIError.badRequest("must be true or false", field: "\(field).isRegex")
            }
            let candidate = Silence.Matcher(
                name: name, value: value, isRegex: isRegex, isEqual: matcher["isEqual"] as? Bool ?? true)
            do {
                _ = try candidate.compiled()
            } catch {
                throw APIError.badRequest("not a valid regular expression: \(error)", field: "\(field).value")
            }
            matchers.append(candidate)
        }
        func time(_ key: String) throws(APIError) -> Int64 {
            guard let text = object[key] as? String, let seconds = RFC3339.secondsSinceEpoch(text) else {
                throw APIError.badRequest("must be an RFC 3339 time", field: key)
            }
            return Int64((seconds * 1000).rounded())
        }
        let startsAt = try time("startsAt")
        let endsAt = try time("endsAt")
        guard endsAt > startsAt else { throw APIError.badRequest("must be after startsAt", field: "endsAt") }
        guard endsAt > now else {
            throw APIError.badRequest("is in the past; the silence would never be active", field: "endsAt")
        }
        return Silence(
            id: object["id"] as? String ?? "", matchers: matchers, startsAt: startsAt, endsAt: endsAt,
            createdBy: object["createdBy"] as? String ?? "",
            comment: object["comment"] as? String ?? "", updatedAt: now)
    }
}
