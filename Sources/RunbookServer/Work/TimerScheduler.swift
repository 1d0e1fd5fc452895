import Logging
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookStore
import ServiceLifecycle

/// Fires escalation rungs and status updates from the store when they fall due.
///
/// A timer is claimed (with a lock that expires), fired, and marked fired together with its
/// follow-up in one transaction. After a crash, a claimed-but-unmarked timer is fired again
/// when its claim expires, with the same idempotency key: a page may repeat, but none is lost.
struct TimerScheduler: Service {
    var dependencies: ServerDependencies
    private var wake: WorkSignal { dependencies.timerSignal }

    func run() async throws {
        let flag = ShutdownFlag()
        await withGracefulShutdownHandler {
            var drift = ClockDriftReport()
            while !flag.isRaised && !Task.isCancelled {
                drift.check(dependencies)
                // When to look again: in a second at the latest, at the next timer's due time, or
                // at once after firing. A deadline on the clock, so time that passes while the
                // store answers is not waited again.
                var wakeAt = dependencies.clock.milliseconds + 1_000
                do {
                    try await expireAlerts()
                    let fired = try await tick()
                    if fired == 0, let next = try await dependencies.store.nextTimerDue() {
                        wakeAt = min(wakeAt, next)
                    } else if fired > 0 {
                        wakeAt = 0
                    }
                    dependencies.metrics.setQueueDepth(try await dependencies.store.queueDepth())
                } catch {
                    dependencies.logger.error(
                        "the timer scheduler could not fire or expire; it tries again",
                        metadata: ["error": .string("\(error)")])
                }
                if wakeAt > dependencies.clock.milliseconds {
                    await wake.wait(until: EpochInstant(milliseconds: wakeAt), clock: dependencies.clock)
                }
            }
        } onGracefulShutdown: {
            flag.raise()
            Task { await wake.close() }
        }
    }

    /// Resolves alerts whose `endsAt` passed without a newer notification (``AlertExpiry``), as
    /// Alertmanager does, and tells their runs: escalation stops and `on_resolved` goes out.
    func expireAlerts() async throws {
        let outcomes = try await dependencies.store.expireAlerts(now: dependencies.clock.milliseconds, limit: 100)
        var runs: [RunRow] = []
        for case .resolved(let alertID?, let resolved) in outcomes {
            dependencies.metrics.alertExpired()
            dependencies.logger.info(
                "alert reached its endsAt; resolved",
                metadata: ["alert.id": .stringConvertible(alertID), "runs": .stringConvertible(resolved.map(\.id))])
            runs += resolved
        }
        if !runs.isEmpty { await RunActions(dependencies: dependencies).announceResolution(of: runs, by: .alert) }
    }

    /// Timers claimed at once: few, so a batch is fired well within its claim lock.
    static let batchSize = 10

    /// Fires what is due now (a batch at a time); returns how many timers were claimed.
    ///
    /// A timer is fired only while its claim surely holds: once half the lock has passed, an
    /// expired claim could be taken over by another replica, which would fire it as well (two
    /// pages for one rung). The rest of the batch is left claimed; whoever claims it after the
    /// lock expires fires it then, as a possible redelivery.
    func tick() async throws -> Int {
        let store = dependencies.store
        let lock = dependencies.settings.claimLock
        let claimedAt = dependencies.clock.milliseconds
        let due = try await store.claimDueTimers(
            worker: dependencies.workerID, now: claimedAt, lockFor: lock, limit: Self.batchSize)
        let deadline = claimedAt + (lock / 2).totalMilliseconds
        for timer in due {
            guard dependencies.clock.milliseconds < deadline else {
                dependencies.logger.warning(
                    "timer claims ran short; the rest of the batch fires after the claim expires",
                    metadata: ["timer": .string(timer.key)])
                break
            }
            await fire(timer)
        }
        return due.count
    }

    private func fire(_ timer: TimerRow) async {
        let store = dependencies.store
        do {
            guard var stored = try await dependencies.storedRun(id: timer.runID) else {
                _ = try await store.timerFired(
                    id: timer.id, worker: dependencies.workerID, next: nil, now: dependencies.clock.milliseconds)
                return
            }
            // Offsets are from the run's start, as the run sees them (a retry's run started later
            // than the timer's base); the store keeps the follow-up on the timer's own base.
            stored.messenger.redelivery = timer.attempts > 1
            // A drill's lifecycle reads its own, faster time (``AlertDrill``); the store keeps real times.
            let drill = stored.drill
            let elapsed = Duration.milliseconds(timer.dueAt - stored.run.startedAt)
            let entry = RunTimer.Scheduled(due: drill?.virtual(elapsed) ?? elapsed, timer: timer.timer)
            let real = dependencies.clock.milliseconds
            let now =
                drill.map {
                    EpochInstant(
                        milliseconds: stored.run.startedAt
                            + $0.virtual(.milliseconds(real - stored.run.startedAt)).totalMilliseconds)
                } ?? dependencies.clock.now
            let changes = await stored.carryOut(stored.lifecycle.timerDue(entry, now: now))
            dependencies.faults.reach(.afterPage)
            let rebase = Duration.milliseconds(stored.run.startedAt - timer.baseAt)
            let next = changes.scheduled.first.map {
                RunTimer.Scheduled(due: (drill?.real($0.due) ?? $0.due) + rebase, timer: $0.timer)
            }
            guard
                try await store.timerFired(
                    id: timer.id, worker: dependencies.workerID, next: next, now: dependencies.clock.milliseconds)
            else {
                return
            }
            try await store.appendTimeline(runID: timer.runID, events: stored.messenger.timeline, claim: nil)
            try await store.recordAnnouncement(runID: timer.runID, stored.announcement)
            NotificationReport(dependencies: dependencies).report(
                stored.messenger.notifications, runID: timer.runID, timer: timer.key)
            for rung in changes.broughtForward {
                let moved = try await store.bringForward(
                    .escalation(rung: rung, repetition: 0), ofRun: timer.runID, to: dependencies.clock.milliseconds)
                guard moved else { continue }
                dependencies.logger.warning(
                    "a rung reached nobody; the next rung is paged now",
                    metadata: [
                        "run.id": .string(timer.runID), "timer": .string(timer.key),
                        "rung": .stringConvertible(rung + 1),
                    ])
                await wake.signal()
            }
            if timer.timer.isEscalation, !stored.messenger.pages.isEmpty {
                dependencies.metrics.escalationFired(
                    runbook: stored.run.runbook, delivered: stored.messenger.notifications.allSatisfy(\.delivered))
            } else if !timer.timer.isEscalation, !stored.messenger.messages.isEmpty {
                dependencies.metrics.statusUpdatePublished(runbook: stored.run.runbook)
            }
        } catch {
            dependencies.logger.error(
                "could not fire a timer",
                metadata: ["timer": .string(timer.key), "run.id": .string(timer.runID), "error": .string("\(error)")])
        }
    }
}

/// Notices when the wall clock is set (a jump of a second or more against rbx's monotonic
/// time) and says so once per jump: logged at warning and exported as a gauge.
struct ClockDriftReport {
    private var reported: Int64 = 0

    mutating func check(_ dependencies: ServerDependencies) {
        let drift = dependencies.clock.wallClockDrift()
        guard abs(drift - reported) >= 1000 else { return }
        reported = drift
        dependencies.metrics.setWallClockDrift(milliseconds: drift)
        dependencies.logger.warning(
            "the wall clock was set; leases and due times keep rbx's monotonic time until the next start",
            metadata: ["drift_ms": .stringConvertible(drift)])
    }
}
