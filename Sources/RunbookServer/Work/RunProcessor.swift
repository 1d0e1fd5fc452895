import Foundation
import Logging
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookStore

/// Takes one claimed alert through matching, the store's run admission (cooldown, concurrency
/// key) and the engine, and records how it ended.
///
/// Every write carries the alert's ``Claim``; when another worker takes the alert over (this
/// one paused past its lease), the store refuses them and the run stops here at once.
struct RunProcessor {
    var dependencies: ServerDependencies
    /// Where `raise:` steps send their alerts: this server's intake.
    var raiser: any AlertRaiser

    private var store: any StateStore { dependencies.store }
    private var catalog: Catalog { dependencies.catalog }
    private var now: Int64 { dependencies.clock.milliseconds }

    func process(_ claimed: ClaimedAlert) async throws {
        dependencies.faults.reach(.afterClaim)
        let record = claimed.record
        let claim = claimed.claim
        // One catalog for the whole decision and run: a reload meanwhile applies to the next.
        let catalog = self.catalog
        if let interrupted = claimed.interruptedRun {
            try await resume(interrupted, claimed: claimed, catalog: catalog)
            return
        }
        // A tick runs its own runbook and a handed-off alert the one it was handed to, not the
        // one routing picks.
        let chosen: Runbook?
        if let tick = record.alert.tick {
            chosen = catalog.runbook(named: tick.runbook)
            guard chosen?.schedule != nil else {
                let note = "\(tick.runbook) is no longer a scheduled runbook of the catalog; its tick does not run"
                try await store.settleAlert(claim, closing(AlertSettlement(.acked, note: note), record), now: now)
                return
            }
        } else if let handoff = record.handoff {
            chosen = catalog.runbook(named: handoff.runbook)
            guard chosen != nil else {
                let note =
                    "runbook \(handoff.runbook), which run \(handoff.fromRun) handed this alert to, is no longer in the "
                    + "catalog"
                try await store.settleAlert(claim, AlertSettlement(.failed, note: note), now: now)
                return
            }
        } else {
            chosen = RunbookMatcher.selectedRunbook(for: record.alert, in: catalog)
        }
        guard let runbook = chosen?.planned(for: record.alert, config: catalog.config) else {
            dependencies.metrics.alertSkipped(reason: "no_runbook")
            try await store.settleAlert(claim, AlertSettlement(.acked, note: "no runbook matches this alert"), now: now)
            return
        }
        let runID = UUID().uuidString.lowercased()
        let start = RunStart(
            id: runID, alertID: record.id, runbook: runbook.name, fingerprint: record.alert.fingerprint,
            concurrencyKey: concurrencyKey(runbook, alert: record.alert, runID: runID),
            // A tick is not a repeat of an alert: its schedule is its rate, not the catalog's cooldown.
            cooldown: record.alert.tick == nil ? runbook.cooldown ?? catalog.config.defaults.cooldown : .zero,
            cooldownKey: cooldownKey(runbook, alert: record.alert, runID: runID),
            timers: RunTimer.initialSchedule(for: runbook).map { entry in
                // A drill's ladder runs at its speed: the store keeps real due times.
                record.alert.drill.map { RunTimer.Scheduled(due: $0.real(entry.due), timer: entry.timer) } ?? entry
            })
        switch try await store.startRun(start, claim: claim, now: now) {
        case .coolingDown(let previous):
            dependencies.metrics.alertSkipped(reason: "cooldown")
            let note = "cooldown: \(runbook.name) already ran for this fingerprint (run \(previous))"
            try await store.settleAlert(claim, closing(AlertSettlement(.acked, note: note), record), now: now)
        case .alertResolved:
            dependencies.metrics.alertSkipped(reason: "resolved")
            try await store.settleAlert(
                claim, AlertSettlement(.acked, note: "resolved before a run started"), now: now)
        case .busy(let key, let holder):
            // Not an attempt: the alert waits its turn behind the run holding the key.
            let note = "waiting: run \(holder) holds concurrency key \"\(key)\""
            try await store.settleAlert(claim, AlertSettlement(.new, retryAt: now + 500, note: note), now: now)
        case .started(let run):
            await dependencies.timerSignal.signal()
            dependencies.logger.info("run started", metadata: metadata(run, alert: record))
            try await execute(runbook, catalog: catalog, run: run, claimed: claimed, resume: nil)
        }
    }

    /// Picks up a run whose worker died (or stopped) in the middle of it.
    private func resume(_ interrupted: InterruptedRun, claimed: ClaimedAlert, catalog: Catalog) async throws {
        dependencies.metrics.claimExpired(kind: "alert")
        let run = interrupted.run
        // kill -9 leaves the step's processes running under init: stop them before deciding
        // whether the step runs again (on this host; another host's are out of reach).
        let leftovers = await StepContainment.process.killLeftovers(ofRun: run.id, within: .seconds(10))
        if leftovers > 0 {
            var details = metadata(run, alert: claimed.record)
            details["processes"] = "\(leftovers)"
            dependencies.logger.warning("killed the processes an interrupted run left running", metadata: details)
        }
        guard let runbook = catalog.runbook(named: run.runbook, for: claimed.record.alert) else {
            let note = "runbook \(run.runbook) is no longer in the catalog; the interrupted run cannot resume"
            try await store.finishRun(
                id: run.id, outcome: .failed, evidence: nil,
                settling: AlertSettlement(.failed, note: note),
                claim: claimed.claim, now: now)
            return
        }
        if run.resolvedAt != nil {
            // Resolved while nobody ran it: there is nothing left to do but record the end.
            try await store.finishRun(
                id: run.id, outcome: .resolved, evidence: nil,
                settling: AlertSettlement(.acked, note: "run \(run.id) was resolved while interrupted"),
                claim: claimed.claim, now: now)
            return
        }
        dependencies.logger.warning(
            "resuming a run whose worker stopped", metadata: metadata(run, alert: claimed.record))
        try await execute(runbook, catalog: catalog, run: run, claimed: claimed, resume: interrupted.resumption)
    }

    /// How the engine's task ended.
    private enum Ending: Sendable {
        case finished(RunRecord)
        case claimLost
    }

    private func execute(
        _ runbook: Runbook, catalog: Catalog, run: RunRow, claimed: ClaimedAlert, resume: RunResumption?
    ) async throws {
        let record = claimed.record
        let control = RunControl()
        // A run resumed after a restart keeps an acknowledgement given while nobody ran it.
        if let acknowledgement = run.acknowledgement {
            await control.acknowledge(by: acknowledgement.by, note: acknowledgement.note)
        }
        let hold = ClaimHold()
        await dependencies.registry.add(run.id, control: control)
        dependencies.metrics.setActiveRuns(await dependencies.registry.count)
        let drill = record.alert.drill
        var options = RunOptions(
            mode: drill.map { .drill(DrillOptions(runDiagnostics: $0.runDiagnostics)) } ?? .live, runID: run.id,
            startedAt: RFC3339.format(epochMilliseconds: run.startedAt), environment: dependencies.environment)
        options.timers = .external
        options.observer = StoreRunObserver(
            runID: run.id, runbook: runbook.name, claim: claimed.claim, hold: hold, dependencies: dependencies)
        options.resume = resume
        if resume == nil, let handoff = record.handoff {
            options.handedOffFrom = RunHandoff.Origin(runID: handoff.fromRun, runbook: handoff.fromRunbook)
        }
        options.logger = dependencies.logger
        options.budgets = StoreBudgetLedger(claim: claimed.claim, dependencies: dependencies)
        options.raiser = raiser
        let runOptions = options
        let sender = dependencies.sender(for: record.alert)
        let runner = dependencies.runner
        let ending = await withTaskGroup(of: Ending?.self) { group -> Ending? in
            group.addTask {
                if let drill {
                    let engine = RunEngine(catalog: catalog, clock: DrillClock(drill), runner: runner, sender: sender)
                    return .finished(
                        await engine.run(runbook, alert: record.alert, options: runOptions, control: control))
                }
                let engine = RunEngine(catalog: catalog, clock: ContinuousClock(), runner: runner, sender: sender)
                return .finished(await engine.run(runbook, alert: record.alert, options: runOptions, control: control))
            }
            group.addTask { await keep(claimed.claim, hold: hold) }
            for await value in group {
                guard let value else { continue }
                group.cancelAll()
                return value
            }
            return nil
        }
        guard case .finished(let result)? = ending, !hold.isLost, !Task.isCancelled else {
            await unregister(run)
            if hold.isLost {
                dependencies.metrics.claimLost()
                dependencies.logger.warning(
                    "another worker took this run over; this worker stopped it", metadata: metadata(run, alert: record))
            } else {
                dependencies.logger.notice(
                    "shutdown cut a run short; it stays claimed and resumes at the next start",
                    metadata: metadata(run, alert: record))
            }
            return
        }
        // The control stays registered until the end is recorded: a resolution that arrives
        // after the engine finished but before the store knows lands on it, and is announced.
        let recorded: RunRow?
        do {
            recorded = try await finish(result, run: run, claimed: claimed)
        } catch {
            await unregister(run)
            throw error
        }
        await unregister(run)
        if let recorded, recorded.state == .resolved, result.outcome != .resolved {
            let resolution = await control.resolved ?? recorded.resolution ?? .alert
            await RunActions(dependencies: dependencies).announceResolution(of: [recorded], by: resolution)
        } else if let recorded, !result.timeline.contains(where: { $0.kind == .ack }),
            let ack = await control.acknowledged ?? recorded.acknowledgement
        {
            await RunActions(dependencies: dependencies).recordAcknowledgement(of: run, ack)
        }
    }

    /// The run no longer executes here: decisions and resolutions stop going to its control.
    private func unregister(_ run: RunRow) async {
        await dependencies.registry.remove(run.id)
        dependencies.metrics.setActiveRuns(await dependencies.registry.count)
    }

    /// Records the end of the run and settles its alert, in one transaction. Returns the run as
    /// recorded.
    private func finish(_ result: RunRecord, run: RunRow, claimed: ClaimedAlert) async throws -> RunRow? {
        let evidence = await writeEvidence(result, run: run, alert: claimed.record)
        // A step cut off mid-way that may not be repeated needs a person, not a retry.
        let interrupted = result.steps.contains { $0.status == .interrupted }
        var settlement: AlertSettlement
        if claimed.record.alert.tick != nil {
            // The next tick is the retry: a check that failed now runs again on its schedule.
            settlement = closing(
                AlertSettlement(
                    result.outcome == .failed ? .failed : .acked, note: "run \(run.id): \(result.outcome.rawValue)"),
                claimed.record)
        } else if result.outcome == .failed, let exhausted = result.budgetExhausted {
            // Another attempt would find the budget spent, or spend what was kept for later.
            settlement = AlertSettlement(.failed, note: "run \(run.id): \(exhausted); a person decides what comes next")
        } else if result.outcome == .failed, !interrupted, run.attempt <= dependencies.settings.retryLimit {
            let delay = dependencies.settings.retryDelay
            let limit = dependencies.settings.retryLimit + 1
            settlement = AlertSettlement(
                .new, retryAt: now + delay.totalMilliseconds,
                note:
                    "run \(run.id) failed (attempt \(run.attempt) of \(limit)); retrying in \(delay.runbookDescription)"
            )
        } else if let handoff = handoffSettlement(result, run: run, alert: claimed.record) {
            settlement = handoff
        } else if interrupted {
            settlement = AlertSettlement(
                .failed, note: "run \(run.id) was interrupted in a step that is not idempotent; check it by hand")
        } else {
            settlement = AlertSettlement(
                result.outcome == .failed ? .failed : .acked, note: "run \(run.id): \(result.outcome.rawValue)")
        }
        // The store settles the run's state from the outcome and what it recorded meanwhile
        // (an acknowledgement, a resolution), by the lifecycle's rule (``RunStanding``).
        let recorded = try await store.finishRun(
            id: run.id, outcome: result.outcome, resolution: result.resolution, evidence: evidence,
            settling: settlement,
            claim: claimed.claim, now: now)
        dependencies.faults.reach(.afterRunFinished)
        let state = recorded?.state ?? .failed
        dependencies.metrics.runFinished(runbook: run.runbook, outcome: state.rawValue)
        var finished = metadata(run, alert: claimed.record)
        finished["state"] = .string(state.rawValue)
        finished["outcome"] = .string(result.outcome.rawValue)
        dependencies.logger.info("run finished its steps", metadata: finished)
        NotificationReport(dependencies: dependencies).report(result.notifications, runID: run.id, timer: nil)
        return recorded
    }

    /// A tick's alert stood for the tick alone: it ends with its handling (``AlertSettlement/closesAlert``).
    private func closing(_ settlement: AlertSettlement, _ record: AlertRecord) -> AlertSettlement {
        var settlement = settlement
        settlement.closesAlert = record.alert.tick != nil
        return settlement
    }

    /// The settlement of a run whose `stop` step handed the alert off (``RunHandoff``): back to
    /// the queue for the next runbook, or, when the hand-off is refused, done with the reason.
    private func handoffSettlement(_ result: RunRecord, run: RunRow, alert: AlertRecord) -> AlertSettlement? {
        guard result.outcome == .stopped, let next = RunHandoff.next(after: result, made: alert.handoffs, in: catalog)
        else { return nil }
        switch next {
        case .success(let runbook):
            return AlertSettlement(
                .new, retryAt: now, note: "run \(run.id) handed the alert off to \(runbook.name)",
                handoff: AlertHandoff(runbook: runbook.name, fromRun: run.id, fromRunbook: run.runbook))
        case .failure(let refusal):
            var details = metadata(run, alert: alert)
            details["reason"] = .string(refusal.description)
            dependencies.logger.warning(
                "a hand-off was refused; the alert stays with the run that asked", metadata: details)
            return AlertSettlement(.acked, note: "run \(run.id): \(refusal)")
        }
    }

    /// Keeps the claim alive while the run goes on. Returns `.claimLost` when another worker
    /// took it over (the run must stop), nil when cancelled.
    private func keep(_ claim: Claim, hold: ClaimHold) async -> Ending? {
        let lock = dependencies.settings.claimLock
        while !Task.isCancelled {
            do {
                try await dependencies.clock.sleep(for: lock / 3)
                if try await !store.renewClaims([claim], now: now, lockFor: lock).isEmpty {
                    hold.markLost()
                    return .claimLost
                }
            } catch is CancellationError {
                return nil
            } catch {
                if Task.isCancelled { return nil }
                dependencies.logger.error(
                    "could not renew a claim",
                    metadata: ["alert.id": .stringConvertible(claim.alertID), "error": .string("\(error)")])
            }
        }
        return nil
    }

    private func metadata(_ run: RunRow, alert: AlertRecord) -> Logger.Metadata {
        [
            "run.id": .string(run.id), "runbook": .string(run.runbook),
            "alert.fingerprint": .string(alert.alert.fingerprint),
            "alert.id": .stringConvertible(alert.id), "attempt": .stringConvertible(run.attempt),
        ]
    }

    /// The runbook's `cooldown_key` rendered for this alert, nil for the fingerprint. A drill's
    /// key is its own, so a rehearsal never cools down a real incident's runbook.
    private func cooldownKey(_ runbook: Runbook, alert: Alert, runID: String) -> String? {
        guard let text = runbook.cooldownKey else { return nil }
        let context = RunContext(
            alert: alert, run: .init(id: runID, runbook: runbook.name, startedAt: "", dryRun: false), env: [:])
        return (alert.drill == nil ? "" : AlertDrill.fingerprintPrefix) + "key:"
            + text.interpolation.render(in: context)
    }

    /// The runbook's `concurrency` rendered for this alert; nil when the runbook has none.
    private func concurrencyKey(_ runbook: Runbook, alert: Alert, runID: String) -> String? {
        guard let text = runbook.concurrency else { return nil }
        let context = RunContext(
            alert: alert, run: .init(id: runID, runbook: runbook.name, startedAt: "", dryRun: false), env: [:])
        // Drills contend with drills only: a rehearsal never holds back a real incident's run.
        return (alert.drill == nil ? "" : AlertDrill.fingerprintPrefix) + runbook.name + "/"
            + text.interpolation.render(in: context)
    }

    /// The run's evidence bundle, the one a drill writes: the alert's JSON as it was posted,
    /// the catalog's commit, and every page, message and timeline line of the run so far, the
    /// scheduler's included.
    private func writeEvidence(_ result: RunRecord, run: RunRow, alert: AlertRecord) async -> StoredEvidence? {
        guard let directory = dependencies.evidenceDirectory else { return nil }
        var record = result
        do {
            if let detail = try await store.run(id: run.id) {
                record.timeline = RunRecord.inTimeOrder(detail.timeline, at: \.at)
                record.notifications = RunRecord.inTimeOrder(
                    record.notifications + detail.announcements.flatMap(\.notifications), at: \.at)
                record.messages = RunRecord.inTimeOrder(
                    record.messages + detail.announcements.flatMap(\.messages), at: \.at)
                record.pages = RunRecord.inTimeOrder(record.pages + detail.announcements.flatMap(\.pages), at: \.at)
            }
            let alertJSON = alert.received ?? Array(AlertJSONWriter.json(alert.alert).utf8)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let builder = EvidenceBundleBuilder(alertJSON: alertJSON, gitCommit: dependencies.catalogCommit)
            // A worker whose claim expired may have written this run's bundle before it learnt
            // that this one took the run over: this bundle, the one the run record names, goes
            // beside it.
            let written = try EvidenceWriter(directory: directory, signingKey: dependencies.evidenceSigningKey)
                .writeBeside(name: EvidenceBundleBuilder.name(for: record), files: builder.files(for: record))
            return StoredEvidence(path: written.path, manifestDigest: written.manifestDigest)
        } catch {
            dependencies.logger.error(
                "could not write the evidence bundle",
                metadata: ["run.id": .string(record.id), "error": .string("\(error)")])
            return nil
        }
    }
}
