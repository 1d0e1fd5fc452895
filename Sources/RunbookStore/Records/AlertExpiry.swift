public import RunbookCore

/// When a firing alert ends on its own: at its `endsAt`, as in Alertmanager, unless a newer
/// notification for its fingerprint moves it. Prometheus sends `endsAt` a few evaluation
/// intervals ahead and re-sends while the rule fires, so an alert whose source stopped sending
/// (the rule was deleted, Prometheus died) resolves instead of paging forever.
///
/// An alert without `endsAt` (amtool, a script) does not expire: rbx has no `resolve_timeout`,
/// because for an on-call tool a page that stops by itself is worse than one resolved by hand.
public enum AlertExpiry {
    /// Epoch milliseconds at which a firing `alert` resolves, or nil when it never does.
    public static func endsAt(_ alert: Alert) -> Int64? {
        guard alert.status == .firing, let text = alert.endsAt, let seconds = RFC3339.secondsSinceEpoch(text) else {
            return nil
        }
        return Int64((seconds * 1000).rounded())
    }

    /// The stored body of an alert that expired: the same alert, resolved.
    static func resolvedBody(_ body: String) throws -> String {
        var alert = try StoreCoding.decode(Alert.self, from: body)
        alert.status = .resolved
        return AlertJSONWriter.json(alert)
    }
}
