import Logging
import RunbookCore
import RunbookLifecycle
import RunbookStore

/// Turns a posted body into stored alerts: decode (400 naming the field), group-commit to the
/// store (503 when it cannot), then wake workers and resolve runs the alerts resolved.
struct AlertIntake {
    var dependencies: ServerDependencies
    let batcher: IntakeBatcher

    init(dependencies: ServerDependencies) {
        self.dependencies = dependencies
        batcher = IntakeBatcher(
            store: dependencies.store, clock: dependencies.clock,
            dedupWindow: dependencies.catalog.config.defaults.dedupWindow)
    }

    /// - Returns: what became of each alert taken, and the alerts refused one by one (the
    ///   caller answers 400 for those, as Alertmanager does, after the others are stored).
    func receive(
        _ body: [UInt8], form: AlertDecoder.Form
    ) async throws(APIError) -> (taken: [(Alert, IntakeOutcome)], refused: [AlertDecodingError]) {
        let batch: AlertDecoder.Batch
        do {
            batch = try AlertDecoder.decodeAsReceived(
                body, form: form, config: dependencies.catalog.config, receivedAt: dependencies.clock.milliseconds)
        } catch {
            throw APIError.alerts(error)
        }
        dependencies.metrics.alertsRefused(batch.refused.count)
        return (try await take(batch.accepted), batch.refused)
    }

    /// Stores decoded alerts (group commit: dedup, silences, routing), wakes the workers for
    /// those queued and resolves the runs of those resolved. Fire drills come in here too.
    func take(
        _ decoded: [(alert: Alert, received: ArraySlice<UInt8>)]
    ) async throws(APIError) -> [(Alert, IntakeOutcome)] {
        let alerts = decoded.map(\.alert)
        let outcomes: [IntakeOutcome]
        do {
            let catalog = dependencies.catalog
            outcomes = try await batcher.submit(
                alerts,
                routes: alerts.map { alert in
                    let runbook = RunbookMatcher.selectedRunbook(for: alert, in: catalog)
                    return AlertRoute(hasRunbook: runbook != nil, dedupWindow: runbook?.dedupWindow)
                },
                received: decoded.map(\.received))
        } catch {
            dependencies.logger.error("intake could not store alerts", metadata: ["error": .string("\(error)")])
            throw APIError.unavailable("the store could not take the alerts now; retry (the server log says why)")
        }
        var queued = 0
        var resolvedRuns: [RunRow] = []
        for (alert, outcome) in zip(alerts, outcomes) {
            dependencies.metrics.alertReceived(outcome, source: alert.source, severity: alert.severity)
            log(alert, outcome)
            switch outcome {
            case .queued: queued += 1
            case .resolved(_, let runs): resolvedRuns += runs
            case .deduplicated, .silenced, .unrouted: break
            }
        }
        if queued > 0 { await dependencies.signal.signal(queued) }
        if !resolvedRuns.isEmpty {
            await RunActions(dependencies: dependencies).announceResolution(of: resolvedRuns, by: .alert)
        }
        return Array(zip(alerts, outcomes))
    }

    /// One line per alert received: at `info` when it starts or ends something (queued for a
    /// run, resolved), at `debug` when it changes nothing (a repeat of a firing alert, which
    /// Prometheus re-sends every evaluation; a silenced one; one no runbook matches). Those are
    /// counted in the metrics; a line each cost a third of intake under a flood of them
    /// (bench/intake.sh, issue 12's closing note).
    private func log(_ alert: Alert, _ outcome: IntakeOutcome) {
        let level: Logger.Level =
            switch outcome {
            case .queued, .resolved: .info
            case .deduplicated, .silenced, .unrouted: .debug
            }
        guard dependencies.logger.logLevel <= level else { return }
        var metadata: Logger.Metadata = [
            "alert.name": .string(alert.name), "alert.fingerprint": .string(alert.fingerprint),
            "alert.status": .string(alert.status.rawValue), "disposition": .string(outcome.kind),
        ]
        if let id = outcome.alertID { metadata["alert.id"] = .stringConvertible(id) }
        if case .resolved(_, let runs) = outcome, !runs.isEmpty {
            metadata["runs"] = .stringConvertible(runs.map(\.id))
        }
        dependencies.logger.log(level: level, "alert received", metadata: metadata)
    }
}
