/// A worker's hold on an alert it claimed, and on the run it executes for it.
///
/// `token` is a fencing token: it grows with every claim of the alert. A worker that paused
/// past its lease (a stopped process, a long GC-like stall, a suspended VM) may wake up while
/// another worker has taken the alert over; its token is then older than the alert's, and the
/// store refuses its writes with ``ClaimLost``, so it stops instead of running the next step
/// of a run somebody else now owns.
public struct Claim: Sendable, Hashable, CustomStringConvertible {
    public var alertID: Int64
    public var worker: String
    public var token: Int64

    public init(alertID: Int64, worker: String, token: Int64) {
        self.alertID = alertID
        self.worker = worker
        self.token = token
    }

    public var description: String { "claim \(token) on alert \(alertID) by \(worker)" }
}

/// A write on behalf of a claim that is no longer held: another worker took the alert over.
/// The holder must stop at once; the new holder resumes the run from what the store recorded.
public struct ClaimLost: Error, Sendable, CustomStringConvertible {
    public var claim: Claim
    /// What the refused write was for, e.g. "record the start of step restart".
    public var action: String

    public init(_ claim: Claim, action: String) {
        self.claim = claim
        self.action = action
    }

    public var description: String {
        "cannot \(action): \(claim) was taken over by another worker (its lease expired); this worker stops"
    }
}

/// How a claimed alert's handling ends: `acked`, `failed`, or back to `new` for another attempt
/// at `retryAt`.
public struct AlertSettlement: Sendable, Equatable {
    public var state: AlertState
    public var retryAt: Int64?
    public var note: String
    /// Set when a run's `stop` step handed the alert to another runbook: the alert goes back to
    /// the queue for it, with its attempts counted afresh for that runbook.
    public var handoff: AlertHandoff?
    /// Set for a schedule's tick: its alert stood for the tick alone and ends with its run, so
    /// it is marked resolved rather than left firing.
    public var closesAlert = false

    public init(_ state: AlertState, retryAt: Int64? = nil, note: String, handoff: AlertHandoff? = nil) {
        self.state = state
        self.retryAt = retryAt
        self.note = note
        self.handoff = handoff
    }
}

/// Where an alert was handed off to, and by which run: the next worker starts `runbook` for it
/// instead of the one routing picks, and the new run records where it came from.
public struct AlertHandoff: Sendable, Equatable, Codable {
    public var runbook: String
    public var fromRun: String
    public var fromRunbook: String

    public init(runbook: String, fromRun: String, fromRunbook: String) {
        self.runbook = runbook
        self.fromRun = fromRun
        self.fromRunbook = fromRunbook
    }
}
