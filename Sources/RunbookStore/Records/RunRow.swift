import RunbookCore
public import RunbookLifecycle

/// One run as stored.
public struct RunRow: Sendable, Equatable {
    public var id: String
    public var alertID: Int64
    public var runbook: String
    public var fingerprint: String
    public var concurrencyKey: String?
    public var state: RunState
    public var outcome: RunRecord.Outcome?
    public var attempt: Int
    /// Epoch milliseconds.
    public var startedAt: Int64
    public var finishedAt: Int64?
    public var ackedBy: String?
    /// The acknowledger's note, if they gave one.
    public var ackNote: String?
    public var resolvedAt: Int64?
    /// Who or what resolved the run.
    public var resolution: RunResolution?
    public var evidence: String?
    /// SHA-256 of the evidence bundle's manifest (``StoredEvidence``).
    public var evidenceDigest: String?
    /// The approval step the run waits on now, wherever it executes.
    public var waitingFor: String?

    public init(
        id: String, alertID: Int64, runbook: String, fingerprint: String, concurrencyKey: String?, state: RunState,
        outcome: RunRecord.Outcome? = nil, attempt: Int = 1, startedAt: Int64, finishedAt: Int64? = nil,
        ackedBy: String? = nil, ackNote: String? = nil,
        resolvedAt: Int64? = nil, resolution: RunResolution? = nil, evidence: String? = nil,
        evidenceDigest: String? = nil, waitingFor: String? = nil
    ) {
        self.id = id
        self.alertID = alertID
        self.runbook = runbook
        self.fingerprint = fingerprint
        self.concurrencyKey = concurrencyKey
        self.state = state
        self.outcome = outcome
        self.attempt = attempt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.ackedBy = ackedBy
        self.ackNote = ackNote
        self.resolvedAt = resolvedAt
        self.resolution = resolution
        self.evidence = evidence
        self.evidenceDigest = evidenceDigest
        self.waitingFor = waitingFor
    }
}

extension RunRow {
    /// Where the run stands, for the lifecycle's rules (``RunStanding``).
    public var standing: RunStanding {
        RunStanding(state: state, acknowledged: ackedBy != nil, resolved: resolvedAt != nil)
    }

    /// Who acknowledged the run, with their note.
    public var acknowledgement: RunAcknowledgement? { ackedBy.map { RunAcknowledgement(by: $0, note: ackNote) } }
}

/// A run with everything it recorded, for `GET /api/v1/runs/{id}`.
public struct RunDetail: Sendable {
    public var run: RunRow
    public var steps: [StepResult]
    public var timeline: [TimelineEvent]
    public var timers: [TimerRow]
    /// Pages and messages sent for the run from outside its steps, in order.
    public var announcements: [RunAnnouncement] = []

    public init(
        run: RunRow, steps: [StepResult], timeline: [TimelineEvent], timers: [TimerRow],
        announcements: [RunAnnouncement] = []
    ) {
        self.run = run
        self.steps = steps
        self.timeline = timeline
        self.timers = timers
        self.announcements = announcements
    }
}

/// What an interrupted run already did, as the store knows it.
public struct InterruptedRun: Sendable {
    public var run: RunRow
    public var resumption: RunResumption
}

/// A run to start for a claimed alert. The store decides, atomically, whether it may.
public struct RunStart: Sendable {
    public var id: String
    public var alertID: Int64
    public var runbook: String
    public var fingerprint: String
    public var concurrencyKey: String?
    public var cooldown: Duration
    /// What the cooldown counts runs by: the runbook's rendered `cooldown_key`, or the
    /// fingerprint (one alert) when it has none.
    public var cooldownKey: String
    /// The runbook's timers, as offsets from the start.
    public var timers: [RunTimer.Scheduled]

    public init(
        id: String, alertID: Int64, runbook: String, fingerprint: String, concurrencyKey: String?, cooldown: Duration,
        cooldownKey: String? = nil, timers: [RunTimer.Scheduled]
    ) {
        self.cooldownKey = cooldownKey ?? fingerprint
        self.id = id
        self.alertID = alertID
        self.runbook = runbook
        self.fingerprint = fingerprint
        self.concurrencyKey = concurrencyKey
        self.cooldown = cooldown
        self.timers = timers
    }
}

public enum RunStartOutcome: Sendable, Equatable {
    case started(RunRow)
    /// The same runbook ran for the same cooldown key (by default the fingerprint) within its cooldown.
    case coolingDown(previousRun: String)
    /// Another run holds the concurrency key; the alert waits for it.
    case busy(key: String, heldBy: String)
    /// The alert resolved (a resolved notification, or its `endsAt` passed) after a worker
    /// claimed it and before its run could start: no run starts for a resolved alert.
    case alertResolved
}
