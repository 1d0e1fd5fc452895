import Logging
import RunbookCore
import RunbookLifecycle
import RunbookReview
import RunbookStore

/// Loads the catalog again, as Prometheus and Alertmanager reload their configuration (SIGHUP,
/// `POST /-/reload`): a catalog with lint errors is refused and the running one keeps serving;
/// a good one replaces it for everything that happens next.
///
/// What changed is logged the way `rbx diff` reports it, one line per change. Runs executing
/// steps keep the runbook they started with; pending escalation timers keep their due times
/// unless the run's ladder changed (``LadderReplan``).
/// Settings the server built something from at start (``RestartOnlySettings``) keep their running
/// values until the next start, with a warning naming them. One reload at a time (an actor): two
/// SIGHUPs in a row load twice, in order.
actor CatalogReloader {
    /// What a reload did, for the log, the API's answer and the tests.
    struct Outcome: Sendable {
        var reloaded: Bool
        /// One line: the lint error that refused it, or `rbx diff`'s summary of what changed.
        var message: String
        /// `rbx diff`'s findings, one line each (`runbook: area (risk): message`).
        var changes: [String]
        /// Restart-only settings the new catalog changes (not applied).
        var needRestart: [String]
        /// How many reloads have succeeded since start.
        var generation: Int
    }

    private let dependencies: ServerDependencies

    init(dependencies: ServerDependencies) {
        self.dependencies = dependencies
    }

    /// Loads the catalog directory again; `trigger` (`SIGHUP`, `api`) goes to the log.
    func reload(trigger: String) async -> Outcome {
        let logger = dependencies.logger
        let running = dependencies.live.version
        var loaded: Catalog
        // Read just before the load: a file written between the two shows as a changed digest
        // at the next reload, never as a stale one.
        let digest = CatalogDigest.of(directory: dependencies.catalogDirectory)
        do {
            loaded = try await CatalogLoader.load(directory: dependencies.catalogDirectory)
        } catch {
            return refuse("\(error)", trigger: trigger, generation: running.generation)
        }
        if let refusal = loaded.lintRefusal {
            return refuse(refusal, trigger: trigger, generation: running.generation)
        }
        let needRestart = RestartOnlySettings.carry(from: running.catalog.config, into: &loaded.config)
        let report = await CatalogDiffer(base: running.catalog, head: loaded).diff(
            baseLabel: "running", headLabel: "reloaded")
        let generation = dependencies.live.replace(with: loaded, digest: digest).generation
        let replanned = await replanLadders(from: running.catalog, to: loaded)
        await ReplicaHeartbeat.beat(dependencies)
        dependencies.metrics.catalogLoaded(
            succeeded: true, reload: true, atMilliseconds: dependencies.clock.milliseconds)
        logger.info(
            "catalog reloaded",
            metadata: [
                "trigger": .string(trigger), "generation": .stringConvertible(generation), "digest": .string(digest),
                "runbooks": .stringConvertible(loaded.runbooks.count), "changes": .string(report.summary),
                "runs_replanned": .stringConvertible(replanned),
            ])
        var changes: [String] = []
        for runbook in report.runbooks {
            for finding in runbook.findings {
                changes.append("\(runbook.name): \(finding.area.rawValue) (\(finding.risk)): \(finding.message)")
                log(finding, runbook: runbook.name, change: runbook.change.rawValue)
            }
            if runbook.findings.isEmpty {
                changes.append("\(runbook.name): \(runbook.change.rawValue)")
                logger.info(
                    "catalog change",
                    metadata: ["runbook": .string(runbook.name), "change": .string(runbook.change.rawValue)])
            }
        }
        for finding in report.catalogFindings {
            changes.append("rbx.yaml: \(finding.area.rawValue) (\(finding.risk)): \(finding.message)")
            log(finding, runbook: nil, change: "modified")
        }
        if !needRestart.isEmpty {
            logger.warning(
                "these settings changed but take effect only at the next start; their running values stay",
                metadata: ["settings": .string(needRestart.joined(separator: ", "))])
        }
        return Outcome(
            reloaded: true, message: report.summary, changes: changes, needRestart: needRestart,
            generation: generation)
    }

    /// Gives every open run whose ladder (as planned for its alert) the reload changed the new
    /// one (``LadderReplan``). Acknowledged runs page nobody and fire drills keep the ladder
    /// they started with. Returns how many runs were replanned. A store error is logged and
    /// leaves those runs on their old times: the catalog is reloaded either way.
    private func replanLadders(from old: Catalog, to new: Catalog) async -> Int {
        let store = dependencies.store
        do {
            let runs = try await store.runs(limit: 10_000, states: [.running, .open]).filter {
                $0.acknowledgement == nil
            }
            guard !runs.isEmpty else { return 0 }
            let alerts = Dictionary(
                try await store.alerts(ids: runs.map(\.alertID)).map { ($0.id, $0.alert) },
                uniquingKeysWith: { a, _ in a })
            let unfired = Dictionary(grouping: try await store.pendingTimers(runIDs: runs.map(\.id)), by: \.runID)
            var replanned = 0
            for run in runs {
                guard let alert = alerts[run.alertID], alert.drill == nil,
                    let before = old.runbook(named: run.runbook, for: alert)?.escalation,
                    let after = new.runbook(named: run.runbook, for: alert)?.escalation,
                    LadderReplan.differ(before, after)
                else { continue }
                let timers = (unfired[run.id] ?? []).compactMap { row -> LadderReplan.StoredRung? in
                    guard case .escalation(let rung, let repetition) = row.timer else { return nil }
                    return .init(
                        id: row.id, rung: rung, repetition: repetition, claimed: row.state == .claimed, dueAt: row.dueAt
                    )
                }
                let changes = LadderReplan.changes(ladder: after, unfired: timers, startedAt: run.startedAt)
                try await store.replanEscalation(
                    runID: run.id, alertID: run.alertID, startedAt: run.startedAt, changes: changes)
                replanned += 1
                dependencies.logger.info(
                    "escalation ladder changed by the reload; the run's pending rungs follow the new one",
                    metadata: [
                        "run.id": .string(run.id), "runbook": .string(run.runbook),
                        "rungs": .stringConvertible(after.count), "changes": .stringConvertible(changes.count),
                    ])
            }
            if replanned > 0 { await dependencies.timerSignal.signal() }
            return replanned
        } catch {
            dependencies.logger.error(
                "could not give open runs the reloaded escalation ladders; they keep their old times",
                metadata: ["error": .string("\(error)")])
            return 0
        }
    }

    private func log(_ finding: DiffFinding, runbook: String?, change: String) {
        var metadata: Logger.Metadata = [
            "area": .string(finding.area.rawValue), "risk": .string(finding.risk.description),
            "change": .string(change), "finding": .string(finding.message),
        ]
        metadata["runbook"] = runbook.map { .string($0) }
        dependencies.logger.info("catalog change", metadata: metadata)
    }

    private func refuse(_ reason: String, trigger: String, generation: Int) -> Outcome {
        dependencies.metrics.catalogLoaded(
            succeeded: false, reload: true, atMilliseconds: dependencies.clock.milliseconds)
        dependencies.logger.error(
            "catalog reload refused; the running catalog keeps serving",
            metadata: ["trigger": .string(trigger), "error": .string(reason)])
        return Outcome(reloaded: false, message: reason, changes: [], needRestart: [], generation: generation)
    }
}
