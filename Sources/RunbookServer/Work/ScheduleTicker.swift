import Logging
import RunbookCore
import RunbookLifecycle
import RunbookStore
import ServiceLifecycle

/// Starts scheduled runbooks and checks at their ticks, without an alert.
///
/// Every replica wakes at each tick and asks the store to claim it (``StateStore/claimTick(_:now:)``):
/// one claim wins, and its alert joins the queue the workers take alerts from, so a tick's run
/// is admitted, claimed, fenced, resumed after a crash and listed exactly like an alert's. A
/// replica that was down asks for the latest tick only: missed ticks coalesce into one run.
struct ScheduleTicker: Service {
    var dependencies: ServerDependencies

    /// How long a tick is waited for at most before looking again: a clock that jumps forward
    /// (an NTP step, a resumed VM) is noticed within this.
    static let longestSleep = Duration.seconds(30)

    func run() async throws {
        // Shutdown cancels the wait for the next tick; a claim in flight is one transaction.
        try? await cancelWhenGracefulShutdown {
            // The latest tick this replica asked about per runbook: a wake for one schedule's
            // tick asks the store about that one, not about every schedule again.
            var asked: [String: Int64] = [:]
            while !Task.isCancelled {
                // Read at every wake: a reload may add, change or remove schedules (a new one
                // is seen within `longestSleep`).
                let scheduled = dependencies.catalog.runbooks.filter { $0.schedule != nil }
                let now = dependencies.clock.milliseconds
                var nextWake = now + Self.longestSleep.totalMilliseconds
                for runbook in scheduled {
                    if let tick = try? runbook.tick(atOrBefore: now), tick.at != asked[runbook.name],
                        await claim(tick, now: now)
                    {
                        asked[runbook.name] = tick.at
                    }
                    if let next = runbook.schedule?.value.nextTick(after: now) { nextWake = min(nextWake, next) }
                }
                try await dependencies.clock.sleep(
                    for: .milliseconds(max(10, nextWake - dependencies.clock.milliseconds)))
            }
        }
    }

    /// Asks the store to claim `tick`. Returns false when the store could not answer (asked
    /// again at the next wake).
    private func claim(_ tick: ScheduleTick, now: Int64) async -> Bool {
        var details: Logger.Metadata = [
            "runbook": .string(tick.runbook), "tick": .string(RFC3339.format(epochMilliseconds: tick.at)),
        ]
        do {
            switch try await dependencies.store.claimTick(tick, now: now) {
            case .baseline:
                dependencies.logger.info(
                    "schedule seen for the first time; it runs from its next tick", metadata: details)
            case .claimedAlready:
                break
            case .skipped(let previous):
                dependencies.metrics.scheduleTick(runbook: tick.runbook, outcome: "skipped")
                details["previous.alert.id"] = .stringConvertible(previous)
                dependencies.logger.warning(
                    "tick skipped: the previous tick's run is still going", metadata: details)
            case .queued(let alertID):
                dependencies.metrics.scheduleTick(runbook: tick.runbook, outcome: "queued")
                details["alert.id"] = .stringConvertible(alertID)
                dependencies.logger.info("tick queued", metadata: details)
                await dependencies.signal.signal()
            }
        } catch {
            details["error"] = .string("\(error)")
            dependencies.logger.error("could not claim a schedule tick; the next wake tries again", metadata: details)
            return false
        }
        return true
    }
}
