/// Why a runbook has no tick to run at an instant.
public enum TickLookupError: Error, Sendable, Equatable {
    /// The runbook has no `schedule:`: it runs for alerts only.
    case noSchedule
    /// The schedule names no instant at or before the one asked, within the search horizon.
    case noTickBefore(schedule: String)
}

extension Runbook {
    /// The tick at or before `instant` (epoch milliseconds): the one the server's ticker claims
    /// at that instant, and so the one `rbx run`, `rbx drill` and `rbx test` run for a check.
    public func tick(atOrBefore instant: Int64) throws(TickLookupError) -> ScheduleTick {
        guard let schedule = schedule?.value else { throw .noSchedule }
        guard let at = schedule.latestTick(atOrBefore: instant) else {
            throw .noTickBefore(schedule: schedule.text)
        }
        return ScheduleTick(runbook: name, at: at, schedule: schedule.text)
    }
}
