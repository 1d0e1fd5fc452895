import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookStore

/// The status message a run's incident shows now: `on_resolved` once it is resolved,
/// `on_update` once its first update was due, else `on_start`, rendered by the run's own
/// messenger. `/status`, its feeds and the console's run page all show this one.
struct IncidentMessage {
    var dependencies: ServerDependencies

    func current(for run: RunRow, alert: Alert) -> (state: String, body: String)? {
        let trigger: RenderedMessage.Trigger =
            run.resolvedAt != nil ? .onResolved : isDueForUpdate(run, alert: alert) ? .onUpdate : .onStart
        let messenger = StoredRun(run, alert: alert, steps: [], dependencies: dependencies)?.messenger
        return messenger?.currentStatus(trigger) ?? messenger?.currentStatus(.onStart)
    }

    private func isDueForUpdate(_ run: RunRow, alert: Alert) -> Bool {
        guard let every = dependencies.catalog.runbook(named: run.runbook, for: alert)?.status.onUpdate?.every else {
            return false
        }
        return run.startedAt + every.totalMilliseconds <= dependencies.clock.milliseconds
    }
}
