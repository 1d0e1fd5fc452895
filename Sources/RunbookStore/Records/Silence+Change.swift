/// What posting a silence does, by Alertmanager's rules (`silence.Silences.Set` and
/// `canUpdate` in Alertmanager 0.25), so `amtool silence update` and dashboards that edit
/// silences behave against rbx as against Alertmanager.
///
/// The point of the rules is history: a silence that has ended is a record of a maintenance
/// window and is never rewritten, and an active silence's matchers and start stay what they were
/// while it silenced alerts. A change that would rewrite either ends the old silence (if it has
/// not ended) and makes a new one with a new id.
extension Silence {
    public enum Change: Equatable, Sendable {
        /// A new silence, under a new id.
        case create(Silence)
        /// The silence of the same id, changed in place.
        case update(Silence)
        /// The silence `expiring` ends now; `with` replaces it under a new id.
        case replace(expiring: String, with: Silence)
        /// The post named a silence that does not exist (Alertmanager answers 404).
        case unknown(id: String)

        /// The silence the post leaves in effect, if any.
        public var result: Silence? {
            switch self {
            case .create(let silence), .update(let silence), .replace(_, let silence): silence
            case .unknown: nil
            }
        }
    }

    /// Decides what posting `posted` does. `posted.id` is the id the client sent (empty for a
    /// new silence); `previous` is the stored silence of that id, if there is one; `newID` names
    /// a silence this post creates.
    public static func change(posting posted: Silence, previous: Silence?, now: Int64, newID: String) -> Change {
        var fresh = posted
        fresh.id = newID
        fresh.startsAt = max(posted.startsAt, now)  // a new silence never starts in the past
        fresh.updatedAt = now
        guard !posted.id.isEmpty else { return .create(fresh) }
        guard let previous else { return .unknown(id: posted.id) }
        if previous.canBeUpdated(to: posted, now: now) {
            var updated = posted
            updated.updatedAt = now
            return .update(updated)
        }
        return previous.state(at: now) == .expired ? .create(fresh) : .replace(expiring: previous.id, with: fresh)
    }

    /// Alertmanager's `canUpdate`: the same matchers, and times that do not rewrite the past —
    /// an active silence keeps its start and cannot end before now, a pending one cannot start
    /// before now, an expired one cannot change at all.
    func canBeUpdated(to posted: Silence, now: Int64) -> Bool {
        guard matchers == posted.matchers else { return false }
        switch state(at: now) {
        case .active: return posted.startsAt == startsAt && posted.endsAt >= now
        case .pending: return posted.startsAt >= now
        case .expired: return false
        }
    }
}
