public import RunbookCore
public import RunbookLifecycle

/// Runs a runbook for an alert: steps in order, escalation and status timers on the injected
/// clock, everything recorded for the evidence bundle.
///
/// The engine is a library: the CLI (`rbx run`, `rbx drill`) and the server call it the same
/// way. Real runs use a real clock and ``ProcessCommandRunner``; drills pass a
/// ``VirtualClock``, so a ladder that spans hours is rehearsed in milliseconds.
///
/// ```swift
/// let engine = RunEngine(catalog: catalog, clock: VirtualClock(), runner: ProcessCommandRunner(),
///                        sender: RecordingNotificationSender())
/// let record = await engine.run(runbook, alert: alert, options: options)
/// ```
public struct RunEngine<C: Clock<Duration>>: Sendable where C: Sendable {
    public let catalog: Catalog
    public let clock: C
    public let runner: any CommandRunner
    public let sender: any NotificationSender
    /// Asks Prometheus for `query:` steps in live runs; drills and `rbx test` never call it.
    public let prometheus: any PrometheusClient

    public init(
        catalog: Catalog, clock: C, runner: any CommandRunner, sender: any NotificationSender,
        prometheus: any PrometheusClient = HTTPPrometheusClient()
    ) {
        self.catalog = catalog
        self.clock = clock
        self.runner = runner
        self.sender = sender
        self.prometheus = prometheus
    }

    /// Runs to the end: steps done and, for drills, until the run is resolved, acknowledged
    /// with nothing left to fire, or the horizon is reached.
    public func run(
        _ written: Runbook, alert: Alert, options: RunOptions, control: RunControl? = nil
    ) async -> RunRecord {
        let runbook = written.planned(for: alert, config: catalog.config)
        let session = RunSession(
            catalog: catalog, runbook: runbook, alert: alert, options: options, clock: clock, runner: runner,
            sender: sender, prometheus: prometheus,
            control: control)
        if options.resume != nil {
            session.record(
                .run, "resumed \(options.mode.name) run \(options.runID) of \(runbook.name) after a restart", at: .zero)
        } else if let tick = alert.tick {
            session.record(
                .run,
                "started \(options.mode.name) run \(options.runID) of \(runbook.name) for its tick at "
                    + "\(RFC3339.format(epochMilliseconds: tick.at)) (\(tick.schedule))", at: .zero)
        } else {
            session.record(
                .run,
                "started \(options.mode.name) run \(options.runID) of \(runbook.name) for \(alert.name) [\(alert.fingerprint)]",
                at: .zero)
        }
        if let origin = options.handedOffFrom {
            session.record(
                .run, "took over the alert from run \(origin.runID) of \(origin.runbook), which handed it off",
                at: .zero)
        }
        await session.apply(session.lifecycle.begin(resumed: options.resume != nil))
        if alert.status == .resolved { await session.apply(session.lifecycle.resolve(.alert, atOffset: .zero)) }
        var results: [StepResult] = []
        // A runbook's own budget is asked once, when the run starts; a resumed run had its use.
        var refused = false
        if let budget = runbook.budget, options.resume == nil, !session.resolved,
            let note = await session.askBudget(budget, step: nil)
        {
            session.record(.run, "stopped before any step: \(note)")
            refused = true
        }
        let mainSucceeded = refused ? false : await session.execute(runbook.steps, into: &results)
        if !session.resolved, let condition = runbook.resolvedWhen, condition.expression.isTrue(in: session.context) {
            await session.resolve(.condition(condition.text))
        }
        let stepsSucceeded = await session.executeCleanup(
            onFailure: runbook.onFailure, finally: runbook.finally, after: mainSucceeded,
            onBudgetExhausted: session.budgetExhausted == nil ? [] : runbook.onBudgetExhausted, into: &results)
        if session.stopReason != nil && !session.resolved {
            // A stopped run is done: its end (below) cancels the ladder and the status updates,
            // so a drill has nothing left to wait for and a dry run nothing more to list.
            session.record(.run, "stopped: escalation and status updates end; the alert resolves the run")
        } else if session.alert.tick != nil {
            // A schedule's tick opens no incident: there is no ladder to wait out.
        } else if let drill = options.drill {
            // An acknowledgement stops escalation but not status updates: the server keeps
            // publishing on_update until the alert resolves, and so does the drill, to its horizon.
            await session.advance(to: horizon(for: runbook, drill: drill, after: session.now)) { session.resolved }
            if session.acked && !session.resolved {
                session.record(
                    .run,
                    "drill ends at its horizon: acknowledged, escalation stopped; the run stays open until the alert resolves"
                )
            } else if !session.resolved {
                session.record(.run, "drill ends at its horizon; the run is still open")
            }
        } else if options.isDryRun {
            // Rungs still ahead; one already paged (an `after: 0s`) is listed again only if it repeats.
            for rung in runbook.escalation {
                let targets = rung.notify.map(\.value).joined(separator: ", ")
                if rung.after > session.now {
                    session.record(
                        .escalation,
                        "would page \(targets) if still open"
                            + (rung.repeatEvery.map { ", then every \($0.runbookDescription)" } ?? ""), at: rung.after)
                } else if let every = rung.repeatEvery {
                    session.record(
                        .escalation, "would page \(targets) again if still open, every \(every.runbookDescription)",
                        at: rung.after + every)
                }
            }
        } else if !session.resolved, let next = session.agenda.nextDue {
            session.record(
                .note,
                "steps finished with the run still open; the next escalation (T+\(next.runbookDescription)) is left to rbx serve"
            )
        } else if !session.resolved, options.timers == .external, !runbook.escalation.isEmpty, !session.acked {
            session.record(
                .note, "steps finished with the run still open; escalation goes on until it is acknowledged or resolved"
            )
        }
        let outcome =
            await session.apply(
                session.lifecycle.stepsEnded(succeeded: stepsSucceeded, stopped: session.stopReason))?.outcome
            ?? .failed
        session.record(.run, "finished: \(outcome.rawValue)")
        await session.flushTimeline()
        var record = RunRecord(
            id: options.runID, runbook: runbook, alert: session.alert, mode: options.mode.name,
            startedAt: options.startedAt,
            outcome: outcome, steps: results,
            timeline: RunRecord.inTimeOrder(session.timeline, at: \.at),
            messages: session.messenger.messages, notifications: session.messenger.notifications,
            pages: session.messenger.pages,
            playbooks: session.playbooksUsed.values.sorted { $0.name < $1.name }, duration: session.now)
        record.resolution = session.lifecycle.resolution
        record.stopReason = session.stopReason
        record.handoff = session.handoff
        record.budgetExhausted = session.budgetExhausted
        record.budgetAnswers = session.budgetAnswers
        record.raised = session.raised
        return record
    }

    /// When a drill stops if nothing resolves it: the ladder's last rung plus two reminder
    /// cycles (or 30 minutes), at least one hour, unless the drill names its own horizon.
    private func horizon(for runbook: Runbook, drill: DrillOptions, after stepsEnd: Duration) -> Duration {
        if let horizon = drill.horizon { return horizon }
        let lastRung = runbook.escalation.map(\.after).max() ?? .zero
        let reminder = runbook.escalation.compactMap(\.repeatEvery).max().map { $0 * 2 } ?? .seconds(1800)
        var end = max(lastRung + reminder, .seconds(3600), stepsEnd)
        for event in [drill.ackAt, drill.resolveAt].compactMap({ $0 }) { end = max(end, event) }
        return end
    }
}
