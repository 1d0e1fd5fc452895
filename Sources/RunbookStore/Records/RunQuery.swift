public import RunbookLifecycle

/// Which runs a listing asks for: the console's runs page, `/status`, `GET /api/v1/runs`.
/// Newest first, by start time then id, so a page ends at a ``RunCursor`` the next page starts
/// after.
public struct RunQuery: Sendable, Hashable {
    public var states: Set<RunState>?
    /// nil: either; false: runs nobody resolved; true: resolved runs.
    public var resolved: Bool?
    /// Resolved at or after this instant (epoch ms).
    public var resolvedSince: Int64?
    /// Only each alert's newest run: a failed attempt retried as a new run is listed once.
    public var newestPerAlert: Bool
    public var runbook: String?
    /// nil: drills and real runs; false: no fire drills; true: only drills (their fingerprints
    /// start with `drill:`, ``AlertDrill``).
    public var drills: Bool?
    /// The alert's severity, as stored.
    public var severity: String?
    public var after: RunCursor?
    public var limit: Int

    public init(
        states: Set<RunState>? = nil, resolved: Bool? = nil, resolvedSince: Int64? = nil,
        newestPerAlert: Bool = false, runbook: String? = nil, drills: Bool? = nil, severity: String? = nil,
        after: RunCursor? = nil, limit: Int = 100
    ) {
        self.states = states
        self.resolved = resolved
        self.resolvedSince = resolvedSince
        self.newestPerAlert = newestPerAlert
        self.runbook = runbook
        self.drills = drills
        self.severity = severity
        self.after = after
        self.limit = limit
    }

    /// The incidents people are told about as current (`/status`, the console's open runs):
    /// one per alert, shown by its newest run, until that run is resolved. A failed run stays
    /// listed: its alert still fires and nobody has resolved it. The status page leaves fire
    /// drills out (`drills: false`); the console shows them, marked.
    public static func currentIncidents(limit: Int, drills: Bool? = false) -> RunQuery {
        RunQuery(resolved: false, newestPerAlert: true, drills: drills, limit: limit)
    }

    /// Incidents resolved since `instant`, newest run per alert, drills left out.
    public static func resolvedIncidents(since instant: Int64, limit: Int) -> RunQuery {
        RunQuery(resolved: true, resolvedSince: instant, newestPerAlert: true, drills: false, limit: limit)
    }
}

/// Where a page of runs ended: the next page lists runs after this one in listing order.
public struct RunCursor: Sendable, Hashable, CustomStringConvertible {
    public var startedAt: Int64
    public var runID: String

    public init(startedAt: Int64, runID: String) {
        self.startedAt = startedAt
        self.runID = runID
    }

    public init(_ run: RunRow) { self.init(startedAt: run.startedAt, runID: run.id) }

    /// `STARTED_AT.RUN_ID`, as a page link carries it.
    public init?(_ text: some StringProtocol) {
        guard let dot = text.firstIndex(of: "."), let instant = Int64(text[..<dot]) else { return nil }
        let id = String(text[text.index(after: dot)...])
        guard !id.isEmpty, id.utf8.count <= 200 else { return nil }
        self.init(startedAt: instant, runID: id)
    }

    public var description: String { "\(startedAt).\(runID)" }
}

/// A run with what a listing shows beside it: its alert, the step it is in, its pending timers.
public struct RunListing: Sendable {
    public var run: RunRow
    public var alert: AlertRecord?
    /// The step started and not finished, if any.
    public var currentStep: String?
    /// Pending escalation rungs and status updates, soonest first.
    public var pendingTimers: [TimerRow]

    public init(run: RunRow, alert: AlertRecord?, currentStep: String?, pendingTimers: [TimerRow]) {
        self.run = run
        self.alert = alert
        self.currentStep = currentStep
        self.pendingTimers = pendingTimers
    }

    /// The next escalation rung due, if one is pending.
    public var nextEscalation: TimerRow? { pendingTimers.first { $0.timer.isEscalation } }
}
