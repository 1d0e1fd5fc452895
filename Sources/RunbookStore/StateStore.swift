public import RunbookCore
public import RunbookLifecycle

/// Durable state of `rbx serve`: alerts, runs, step results, pending timers, silences.
///
/// Every operation is one atomic statement or transaction, so that two workers, or two
/// replicas on one database, can never both claim an alert, both start a run for one
/// concurrency key, or both fire one timer. Times are epoch milliseconds passed in by the
/// caller (the server's injected clock), never read inside the store.
public protocol StateStore: Sendable {
    /// Records posted alerts in one transaction: new alerts are queued, repeats of a firing
    /// fingerprint within `dedupWindow` of its last occurrence are counted, silenced ones are
    /// stored but not queued, resolved ones mark their alert and open runs resolved.
    /// `routes[i]` says whether a runbook matches `alerts[i]` (a new alert none matches is
    /// stored as handled at once, so no worker has to claim it to find that out) and that
    /// runbook's own dedup window, if it sets one.
    /// When this returns, the alerts are committed.
    /// `received[i]`, when given, is `alerts[i]`'s JSON as posted, kept for its evidence.
    func ingest(
        _ alerts: [Alert], routes: [AlertRoute], received: [ArraySlice<UInt8>?], now: Int64, dedupWindow: Duration
    ) async throws -> [IntakeOutcome]

    /// Resolves firing alerts whose `endsAt` passed with no newer notification (``AlertExpiry``),
    /// each at its `endsAt`, with their runs, as a resolved notification would. Returns what a
    /// resolved notification returns, for the caller to announce.
    func expireAlerts(now: Int64, limit: Int) async throws -> [IntakeOutcome]

    /// Takes the oldest alert that is due: `new` and past its `nextAttemptAt`, or `processing`
    /// under a claim whose lock expired (its worker died; the run it left is returned to resume).
    /// Every claim gets a new fencing token (see ``Claim``).
    func claimAlert(worker: String, now: Int64, lockFor: Duration) async throws -> ClaimedAlert?

    /// Extends the locks of claims a worker holds. Returns the claims another worker took over
    /// meanwhile: their holder must stop.
    func renewClaims(_ claims: [Claim], now: Int64, lockFor: Duration) async throws -> [Claim]

    /// True when one process owns the store alone (SQLite): claims held by any other worker id
    /// at start-up are from a dead process and can be released at once.
    var isExclusive: Bool { get }

    /// Gives up claims a dead process held; only for a store one process owns alone.
    func releaseClaims(exceptWorker worker: String) async throws -> Int

    /// Starts a run unless the runbook is cooling down for this fingerprint or another run
    /// holds the concurrency key. The run's timers are written in the same transaction.
    /// - Throws: ``ClaimLost`` when `claim` is no longer held.
    func startRun(_ start: RunStart, claim: Claim, now: Int64) async throws -> RunStartOutcome

    /// Ends a claimed alert's handling when it has no run to finish (no runbook, cooldown, a
    /// concurrency key held by another run).
    /// - Throws: ``ClaimLost`` when `claim` is no longer held.
    func settleAlert(_ claim: Claim, _ settlement: AlertSettlement, now: Int64) async throws

    /// - Throws: ``ClaimLost`` when `claim` is no longer held; the step must not start.
    func stepStarted(runID: String, stepID: String, claim: Claim, now: Int64) async throws
    /// - Throws: ``ClaimLost`` when `claim` is no longer held.
    func stepFinished(runID: String, result: StepResult, claim: Claim, now: Int64) async throws
    /// Records the approval step the run waits on now (nil: none), for any replica to show.
    /// - Throws: ``ClaimLost`` when `claim` is no longer held.
    func approvalWaiting(runID: String, step: String?, claim: Claim) async throws
    /// Appends to a run's timeline: for the worker executing the run under `claim`, or for
    /// anyone else (an API call, a timer) with `claim` nil.
    func appendTimeline(runID: String, events: [TimelineEvent], claim: Claim?) async throws

    /// Records the end of a run's steps (`open` while the incident goes on, or final) and
    /// settles its alert, in one transaction: a crash leaves either both or neither, so a
    /// finished run is never started again.
    /// Returns the run as recorded: `resolved` when a resolution arrived while its steps were
    /// ending, which the caller then announces.
    /// - Throws: ``ClaimLost`` when `claim` is no longer held; nothing is written.
    @discardableResult
    func finishRun(
        id: String, outcome: RunRecord.Outcome, resolution: RunResolution?, evidence: StoredEvidence?,
        settling settlement: AlertSettlement, claim: Claim, now: Int64
    ) async throws -> RunRow?

    /// Keeps what a timer firing or a resolution sent for a run (``RunAnnouncement``).
    func recordAnnouncement(runID: String, _ announcement: RunAnnouncement) async throws

    /// Claims timers that are due (or whose claim expired), oldest first.
    func claimDueTimers(worker: String, now: Int64, lockFor: Duration, limit: Int) async throws -> [TimerRow]
    /// Marks a claimed timer fired and schedules its follow-up, in one transaction.
    /// Returns false when the timer was cancelled (ack, resolve) or taken over meanwhile.
    func timerFired(id: Int64, worker: String, next: RunTimer.Scheduled?, now: Int64) async throws -> Bool
    /// Makes a pending timer of a run due at `dueAt` when it is due later: the next rung paged
    /// at once because the rung before reached nobody. Returns whether a timer moved.
    func bringForward(_ timer: RunTimer, ofRun runID: String, to dueAt: Int64) async throws -> Bool
    /// The earliest due time of a pending timer.
    func nextTimerDue() async throws -> Int64?
    /// Gives a run's escalation timers a reloaded ladder (``LadderReplan``), in one transaction.
    /// Only pending timers move or are cancelled: one being fired, or fired, stays as it is.
    func replanEscalation(
        runID: String, alertID: Int64, startedAt: Int64, changes: [LadderReplan.Change])
        async throws

    /// Stops a run's escalation. Returns the run, or nil when there is none with that id.
    func acknowledge(runID: String, by acknowledgement: RunAcknowledgement, now: Int64) async throws -> RunRow?
    /// Resolves a run and cancels all its timers. Returns the run as it was before (so the
    /// caller knows whether it was already resolved), or nil when there is none with that id.
    func resolve(runID: String, by resolution: RunResolution, now: Int64) async throws -> RunRow?
    /// The runs among `ids` that someone acknowledged or resolved, for a replica that tells its
    /// live runs what another replica recorded.
    func acknowledgedOrResolved(runIDs ids: [String]) async throws -> [RunRow]

    /// Sends a decision on an approval step to the replica executing the run (``RelayedDecision``);
    /// returns its id. Answered and withdrawn decisions older than an hour are dropped.
    func relayDecision(
        runID: String, step: String, verdict: ApprovalGate.Verdict, by identity: Identity, now: Int64
    ) async throws -> Int64
    /// Takes the pending decisions for runs this replica executes, each exactly once.
    func takeDecisions(runIDs: [String]) async throws -> [RelayedDecision]
    /// Records the answer to a decision this replica took.
    func answerDecision(id: Int64, _ answer: DecisionAnswer) async throws
    /// The answer to a relayed decision, once given.
    func decisionAnswer(id: Int64) async throws -> DecisionAnswer?
    /// Withdraws a decision nobody took yet. Returns false when a replica took it meanwhile
    /// (its answer follows).
    func withdrawDecision(id: Int64) async throws -> Bool

    /// Takes one use of a budget at `now`, or refuses it when the window is full
    /// (``BudgetWindow``), in one transaction that serializes every use of that budget, so
    /// replicas asking at once grant exactly `max`. Asking again for the same run and step returns
    /// the earlier grant. Uses older than ``RunbookCore/Budget/longestWindow`` are dropped.
    /// - Throws: ``ClaimLost`` when `claim` is no longer held: a worker that lost its run spends
    ///   no budget.
    func useBudget(_ request: BudgetRequest, claim: Claim?, now: Int64) async throws -> BudgetDecision
    /// Every use since `since` (epoch milliseconds), oldest first, for the budgets listing.
    func budgetUses(since: Int64) async throws -> [BudgetUse]

    /// Claims a schedule's tick once across replicas and restarts, by ``TickDecision``: a
    /// claimed tick's alert (``ScheduleTick/alert``) is queued in the same transaction, so a
    /// crash leaves both or neither.
    func claimTick(_ tick: ScheduleTick, now: Int64) async throws -> TickClaim

    /// Records that a serving process is alive and which catalog it serves (an upsert by worker).
    func recordReplica(_ replica: ReplicaRecord) async throws
    /// Every process that recorded itself since `since` (epoch milliseconds), by worker.
    func replicas(seenSince since: Int64) async throws -> [ReplicaRecord]

    func addSilence(_ silence: Silence) async throws
    func silences() async throws -> [Silence]
    /// Ends a silence now. Returns false when there is no such silence or it already ended.
    func expireSilence(id: String, now: Int64) async throws -> Bool

    func alerts(limit: Int) async throws -> [AlertRecord]
    func alert(id: Int64) async throws -> AlertRecord?
    /// Runs as `query` selects them, newest first (``RunQuery``).
    func runs(_ query: RunQuery) async throws -> [RunRow]
    /// The alerts among `ids`, for a listing that shows each run's alert.
    func alerts(ids: [Int64]) async throws -> [AlertRecord]
    /// For each of `runIDs` in a step now, that step: started and not finished.
    func currentSteps(runIDs: [String]) async throws -> [String: String]
    /// The pending timers of `runIDs`, soonest first.
    func pendingTimers(runIDs: [String]) async throws -> [TimerRow]
    func run(id: String) async throws -> RunDetail?
    /// Alerts waiting for a worker.
    func queueDepth() async throws -> Int
    /// Writes one row, so readiness says whether alerts can be stored now, not only read: a
    /// file system remounted read-only or a database in read-only mode still answers reads.
    func checkWritable(now: Int64) async throws
    /// Releases connections (a PostgreSQL pool) when the server stops; SQLite needs nothing.
    func close() async
}

extension StateStore {
    public func close() async {}

    public func runs(limit: Int, states: Set<RunState>?) async throws -> [RunRow] {
        try await runs(RunQuery(states: states, limit: limit))
    }

    /// Runs as `query` selects them, each with its alert, current step and pending timers.
    public func runListings(_ query: RunQuery) async throws -> [RunListing] {
        let runs = try await runs(query)
        guard !runs.isEmpty else { return [] }
        let ids = runs.map(\.id)
        let alerts = Dictionary(
            try await alerts(ids: Array(Set(runs.map(\.alertID)))).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let steps = try await currentSteps(runIDs: ids)
        let timers = Dictionary(grouping: try await pendingTimers(runIDs: ids), by: \.runID)
        return runs.map {
            RunListing(
                run: $0, alert: alerts[$0.alertID], currentStep: steps[$0.id], pendingTimers: timers[$0.id] ?? [])
        }
    }

    /// Records the end of a run that nothing resolved while it ran.
    public func finishRun(
        id: String, outcome: RunRecord.Outcome, evidence: StoredEvidence?, settling settlement: AlertSettlement,
        claim: Claim, now: Int64
    ) async throws -> RunRow? {
        try await finishRun(
            id: id, outcome: outcome, resolution: nil, evidence: evidence, settling: settlement, claim: claim, now: now)
    }

    /// Ingests alerts that all have a runbook.
    public func ingest(_ alerts: [Alert], now: Int64, dedupWindow: Duration) async throws -> [IntakeOutcome] {
        try await ingest(
            alerts, routes: Array(repeating: .runbook, count: alerts.count), now: now, dedupWindow: dedupWindow)
    }

    /// Ingests alerts without their posted bytes.
    public func ingest(
        _ alerts: [Alert], routes: [AlertRoute], now: Int64, dedupWindow: Duration
    ) async throws -> [IntakeOutcome] {
        try await ingest(alerts, routes: routes, received: [], now: now, dedupWindow: dedupWindow)
    }
}
