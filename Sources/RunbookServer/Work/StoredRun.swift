import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookStore

/// A run as the store knows it, brought back for one event (a timer due, an acknowledgement or
/// a resolution after its steps ended, possibly in another process after a restart): its
/// lifecycle rebuilt from the stored state, and a messenger with its alert and step results.
///
/// The lifecycle decides, exactly as it does for the run's own task; this carries out what it
/// says and hands the store what changed.
struct StoredRun {
    let run: RunRow
    var lifecycle: StoredRunLifecycle
    let messenger: RunMessenger
    /// Set for a fire drill's run: its timers run at the drill's speed.
    let drill: AlertDrill?

    init?(_ run: RunRow, alert: Alert, steps: [StepResult], dependencies: ServerDependencies) {
        guard let runbook = dependencies.catalog.runbook(named: run.runbook, for: alert) else { return nil }
        self.run = run
        drill = alert.drill
        messenger = RunMessenger(
            catalog: dependencies.catalog, runbook: runbook, alert: alert,
            run: .init(
                id: run.id, runbook: run.runbook, startedAt: RFC3339.format(epochMilliseconds: run.startedAt),
                dryRun: false),
            environment: dependencies.environment, sender: dependencies.sender(for: alert),
            pause: { [clock = dependencies.clock] pause in try await clock.sleep(for: pause) })
        for step in steps { messenger.context.steps[step.id] = step }
        lifecycle = StoredRunLifecycle(
            .init(runID: run.id, runbook: runbook, delivery: messenger.delivery),
            start: EpochInstant(milliseconds: run.startedAt), standing: run.standing,
            acknowledgement: run.acknowledgement, resolution: run.resolution)
    }

    /// Carries out the lifecycle's answer to an event. Returns what it asked of the run's timers.
    mutating func carryOut(_ actions: [RunAction]) async -> StoredTimerChanges {
        var changes = StoredTimerChanges()
        await messenger.carryOut(actions, lifecycle: &lifecycle, timers: &changes)
        return changes
    }

    /// The pages and messages sent, for the run's evidence.
    var announcement: RunAnnouncement {
        RunAnnouncement(
            notifications: messenger.notifications, messages: messenger.messages, pages: messenger.pages)
    }
}

/// A stored run's lifecycle: its instants are the store's epoch milliseconds, whichever
/// ``ServerClock`` gives them.
typealias StoredRunLifecycle = RunLifecycle<SystemServerClock>

/// What a stored run's lifecycle asked of its timers, for the store. Cancellations are not
/// kept: the store ends the timers in the transaction that records the acknowledgement or
/// resolution, by the same rule (``RunStanding``).
struct StoredTimerChanges: RunTimerKeeper {
    var scheduled: [RunTimer.Scheduled] = []
    var broughtForward: [Int] = []

    mutating func schedule(_ entry: RunTimer.Scheduled) { scheduled.append(entry) }
    mutating func cancel(_ scope: RunStanding.TimerCancellation) {}
    mutating func bringForward(rung: Int, to time: Duration) { broughtForward.append(rung) }
}
