import Foundation
import Logging
import RunbookCore
import RunbookEngine
import RunbookStore

/// Takes one claimed alert through matching, the store's run admission (cooldown, concurrency
/// key) and the engine, and records how it ended.
struct RunProcessor {
    var dependencies: ServerDependencies

    private var store: any StateStore { dependencies.store }
    private var catalog: Catalog { dependencies.catalog }

    func process(_ claimed: ClaimedAlert) async throws {
        let record = claimed.record
        if let interrupted = claimed.interruptedRun {
            dependencies.metrics.claimExpired(kind: "alert")
            guard let runbook = catalog.runbook(named: interrupted.run.runbook) else {
                try await store.finishRun(id: interrupted.run.id, state: .failed, outcome: .failed, evidence: nil, now: dependencies.clock.now())
                try await finishAlert(record, .failed, note: "runbook \(interrupted.run.runbook) is no longer in the catalog; the interrupted run cannot resume")
                return
            }
            if interrupted.run.resolvedAt != nil {
                // Resolved while nobody ran it: there is nothing left to do but record the end.
                try await store.finishRun(id: interrupted.run.id, state: .resolved, outcome: .resolved, evidence: nil, now: dependencies.clock.now())
                try await finishAlert(record, .acked, note: "run \(interrupted.run.id) was resolved while interrupted")
                return
            }
            dependencies.logger.warning(
                "resuming a run whose worker stopped", metadata: ["run": .string(interrupted.run.id), "runbook": .string(runbook.name)])
            try await execute(runbook, run: interrupted.run, record: record, resume: interrupted.resumption)
            return
        }
        guard let runbook = RunbookMatcher.selectedRunbook(for: record.alert, in: catalog) else {
            dependencies.metrics.alertSkipped(reason: "no_runbook")
            try await finishAlert(record, .acked, note: "no runbook matches this alert")
            return
        }
        let runID = UUID().uuidString.lowercased()
        let start = RunStart(
            id: runID, alertID: record.id, runbook: runbook.name, fingerprint: record.alert.fingerprint,
            concurrencyKey: concurrencyKey(runbook, alert: record.alert, runID: runID),
            cooldown: runbook.cooldown ?? catalog.config.defaults.cooldown, timers: RunTimer.initialSchedule(for: runbook))
        switch try await store.startRun(start, now: dependencies.clock.now()) {
        case .coolingDown(let previous):
            dependencies.metrics.alertSkipped(reason: "cooldown")
            try await finishAlert(record, .acked, note: "cooldown: \(runbook.name) already ran for this fingerprint (run \(previous))")
        case .busy(let key, let holder):
            // Not an attempt: the alert waits its turn behind the run holding the key.
            try await store.finishAlert(
                id: record.id, state: .new, retryAt: dependencies.clock.now() + 500,
                note: "waiting: run \(holder) holds concurrency key \"\(key)\"", now: dependencies.clock.now())
        case .started(let run):
            await dependencies.timerSignal.signal()
            try await execute(runbook, run: run, record: record, resume: nil)
        }
    }

    private func execute(_ runbook: Runbook, run: RunRow, record: AlertRecord, resume: RunResumption?) async throws {
        let control = RunControl()
        await dependencies.registry.add(run.id, control: control)
        dependencies.metrics.setActiveRuns(await dependencies.registry.count)
        var options = RunOptions(
            mode: .live, runID: run.id, startedAt: RFC3339.format(epochMilliseconds: run.startedAt), environment: dependencies.environment)
        options.timers = .external
        options.observer = StoreRunObserver(runID: run.id, runbook: runbook.name, dependencies: dependencies)
        options.resume = resume
        let engine = RunEngine(catalog: catalog, clock: ContinuousClock(), runner: dependencies.runner, sender: dependencies.sender)
        let runOptions = options
        let result = await withTaskGroup(of: RunRecord?.self) { group in
            group.addTask { await engine.run(runbook, alert: record.alert, options: runOptions, control: control) }
            group.addTask { await renewClaim(on: record.id); return nil }
            var finished: RunRecord?
            for await value in group where value != nil {
                finished = value
                group.cancelAll()
            }
            return finished
        }
        await dependencies.registry.remove(run.id)
        dependencies.metrics.setActiveRuns(await dependencies.registry.count)
        guard let result, !Task.isCancelled else {
            dependencies.logger.notice("shutdown cut run \(run.id) short; it stays claimed and resumes at the next start")
            return
        }
        let evidence = writeEvidence(result, alert: record.alert)
        let state: RunState =
            switch result.outcome {
            case .resolved: .resolved
            case .failed: .failed
            case .acked: .acked
            case .succeeded, .rendered: .open
            }
        try await store.finishRun(id: run.id, state: state, outcome: result.outcome, evidence: evidence, now: dependencies.clock.now())
        dependencies.metrics.runFinished(runbook: runbook.name, outcome: result.outcome.rawValue)
        NotificationReport(dependencies: dependencies).report(result.notifications, runID: run.id, timer: nil)
        // A step cut off mid-way that may not be repeated needs a person, not a retry.
        let interrupted = result.steps.contains { $0.status == .interrupted }
        if result.outcome == .failed, !interrupted, run.attempt <= dependencies.settings.retryLimit {
            let delay = dependencies.settings.retryDelay
            try await store.finishAlert(
                id: record.id, state: .new, retryAt: dependencies.clock.now() + delay.totalMilliseconds,
                note: "run \(run.id) failed (attempt \(run.attempt) of \(dependencies.settings.retryLimit + 1)); retrying in \(delay.runbookDescription)",
                now: dependencies.clock.now())
        } else {
            let note = interrupted ? "run \(run.id) was interrupted in a step that is not idempotent; check it by hand" : "run \(run.id): \(result.outcome.rawValue)"
            try await finishAlert(record, result.outcome == .failed ? .failed : .acked, note: note)
        }
    }

    /// Keeps the claim alive while the run goes on; ends when cancelled.
    private func renewClaim(on alertID: Int64) async {
        let lock = dependencies.settings.claimLock
        while !Task.isCancelled {
            do {
                try await dependencies.clock.sleep(for: lock / 3)
                try await store.renewClaims(worker: dependencies.workerID, alertIDs: [alertID], now: dependencies.clock.now(), lockFor: lock)
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                dependencies.logger.error("could not renew a claim", metadata: ["alert": .stringConvertible(alertID), "error": .string("\(error)")])
            }
        }
    }

    private func finishAlert(_ record: AlertRecord, _ state: AlertState, note: String) async throws {
        try await store.finishAlert(id: record.id, state: state, retryAt: nil, note: note, now: dependencies.clock.now())
    }

    /// The runbook's `concurrency` rendered for this alert; nil when the runbook has none.
    private func concurrencyKey(_ runbook: Runbook, alert: Alert, runID: String) -> String? {
        guard let text = runbook.concurrency else { return nil }
        let context = RunContext(
            alert: alert, run: .init(id: runID, runbook: runbook.name, startedAt: "", dryRun: false), env: [:])
        return runbook.name + "/" + text.interpolation.render { context.text(at: $0.components) }
    }

    private func writeEvidence(_ record: RunRecord, alert: Alert) -> String? {
        guard let directory = dependencies.evidenceDirectory else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let alertJSON = (try? encoder.encode(alert)).map { [UInt8]($0) } ?? []
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let builder = EvidenceBundleBuilder(alertJSON: alertJSON, gitCommit: nil)
            return try EvidenceWriter(directory: directory).write(name: EvidenceBundleBuilder.name(for: record), files: builder.files(for: record)).path
        } catch {
            dependencies.logger.error("could not write the evidence bundle", metadata: ["run": .string(record.id), "error": .string("\(error)")])
            return nil
        }
    }
}
