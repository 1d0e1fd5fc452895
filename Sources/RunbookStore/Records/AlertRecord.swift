public import RunbookCore

/// Where an alert is in its handling: `new → processing → acked | failed`.
///
/// `acked` means rbx took the alert up and its run finished its steps (or the alert needed no
/// run: silenced, no runbook, cooldown, resolved before a worker got to it); `failed` means
/// the run failed and its retries are used up. A failed attempt with retries left goes back
/// to `new` with a `nextAttemptAt`.
public enum AlertState: String, Sendable, Hashable, Codable, CaseIterable {
    case new, processing, acked, failed
}

/// One stored alert: the first occurrence of a fingerprint within the dedup window, with a
/// count of the repeats folded into it.
public struct AlertRecord: Sendable, Equatable {
    public var id: Int64
    public var alert: Alert
    public var state: AlertState
    /// Epoch milliseconds.
    public var receivedAt: Int64
    public var lastSeenAt: Int64
    public var occurrences: Int
    public var silencedBy: String?
    public var attempts: Int
    public var runID: String?
    public var note: String?
    /// The alert's JSON exactly as it was posted (its object in the request body), for the
    /// evidence bundle; nil for alerts stored before rbx kept them.
    public var received: [UInt8]?
    /// The latest hand-off, and how many the alert has made (``AlertHandoff``).
    public var handoff: AlertHandoff?
    public var handoffs = 0

    public init(
        id: Int64, alert: Alert, state: AlertState, receivedAt: Int64, lastSeenAt: Int64, occurrences: Int,
        silencedBy: String? = nil, attempts: Int = 0, runID: String? = nil, note: String? = nil,
        received: [UInt8]? = nil
    ) {
        self.id = id
        self.alert = alert
        self.state = state
        self.receivedAt = receivedAt
        self.lastSeenAt = lastSeenAt
        self.occurrences = occurrences
        self.silencedBy = silencedBy
        self.attempts = attempts
        self.runID = runID
        self.note = note
        self.received = received
    }
}

/// What intake did with one posted alert.
public enum IntakeOutcome: Sendable, Equatable {
    /// A new alert, queued for a worker.
    case queued(alertID: Int64)
    /// The fingerprint is already firing within the dedup window: counted, no new alert.
    case deduplicated(alertID: Int64, occurrences: Int)
    /// Stored and shown, but a silence keeps it from starting a run.
    case silenced(alertID: Int64, silenceID: String)
    /// Stored and shown; no runbook matches it, so there is nothing to run.
    case unrouted(alertID: Int64)
    /// A resolved notification: the alert is marked resolved and these runs are to be resolved.
    case resolved(alertID: Int64?, runs: [RunRow])

    /// The stored alert this outcome is about; nil for a resolution of an alert rbx never had.
    public var alertID: Int64? {
        switch self {
        case .queued(let id), .deduplicated(let id, _), .silenced(let id, _), .unrouted(let id): id
        case .resolved(let id, _): id
        }
    }

    public var kind: String {
        switch self {
        case .queued: "queued"
        case .deduplicated: "deduplicated"
        case .silenced: "silenced"
        case .unrouted: "no_runbook"
        case .resolved: "resolved"
        }
    }
}

/// An alert a worker claimed, with the run an earlier worker left unfinished, if any.
public struct ClaimedAlert: Sendable {
    public var record: AlertRecord
    /// Every write for this alert and its run carries it (see ``Claim``).
    public var claim: Claim
    /// Present when a worker died while this alert's run was executing.
    public var interruptedRun: InterruptedRun?

    public init(record: AlertRecord, claim: Claim, interruptedRun: InterruptedRun? = nil) {
        self.record = record
        self.claim = claim
        self.interruptedRun = interruptedRun
    }
}
