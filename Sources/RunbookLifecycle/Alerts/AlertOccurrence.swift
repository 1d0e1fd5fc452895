/// Whether a firing notification is one more occurrence of the incident rbx already has for
/// its fingerprint, or a new incident that may start a run.
///
/// Alertmanager re-sends a firing alert every `repeat_interval` (4 h by default), long after
/// any dedup window. A re-send while the first alert is still queued, or while its run is
/// running, open or acknowledged, is the same incident: starting a second run would repeat
/// remediations and pages every 4 hours of an outage. Only after the alert resolves (and the
/// runbook's `cooldown` passes) does the fingerprint start a run again. Both stores call this,
/// so SQLite and PostgreSQL cannot disagree.
public enum AlertOccurrence {
    /// - Parameters:
    ///   - lastSeenAt: when the firing alert of this fingerprint was last received (ms).
    ///   - dedupWindow: `defaults.dedup_window` in milliseconds.
    ///   - inHand: the alert still waits for a worker or is being worked, or it has a run that
    ///     is running, open or acknowledged and not resolved.
    ///     Asked only past the window: a burst of repeats, intake's busiest case, costs no query.
    public static func isRepeat(
        lastSeenAt: Int64, now: Int64, dedupWindow: Int64, inHand: () throws -> Bool
    ) rethrows -> Bool {
        try now - lastSeenAt <= dedupWindow || inHand()
    }

    /// The same rule for a store that asks its database asynchronously.
    public static func isRepeat(
        lastSeenAt: Int64, now: Int64, dedupWindow: Int64, inHand: () async throws -> Bool
    ) async rethrows -> Bool {
        if now - lastSeenAt <= dedupWindow { return true }
        return try await inHand()
    }

    /// The SQL both stores use for `inHand`, over an `alerts` row aliased `a`: one definition of
    /// "in hand", in the one dialect both databases share.
    public static let inHandSQL = """
        (a.state IN ('new', 'processing') OR EXISTS (SELECT 1 FROM runs r WHERE r.alert_id = a.id \
        AND r.resolved_at IS NULL AND r.state IN ('running', 'open', 'acked')))
        """
}
