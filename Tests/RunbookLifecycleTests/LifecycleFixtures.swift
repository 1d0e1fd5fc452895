import RunbookCore
import RunbookLifecycle
import RunbookYAML
import Synchronization

/// A clock the tests move by hand; nothing in the lifecycle sleeps, so it is only a source of
/// instants.
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol, Sendable {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let current = Mutex(Instant(offset: .zero))
    var now: Instant { current.withLock { $0 } }
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        current.withLock { if $0 < deadline { $0 = deadline } }
    }

    /// The instant `offset` after the clock's zero.
    func at(_ offset: Duration) -> Instant { Instant(offset: offset) }
}

enum LifecycleFixtures {
    static let here = SourceLocation(file: "runbooks/down.yaml", line: 1, column: 1)

    static func located(_ text: String) -> Located<String> { Located(text, at: here) }

    /// Two rungs (primary at 5m, every 10m; secondary at 15m) and all three status messages,
    /// `on_update` every 10 minutes.
    static let runbook = Runbook(
        metadata: Metadata(name: located("down")), file: "runbooks/down.yaml", match: RunbookMatch(location: here),
        steps: [],
        escalation: [
            EscalationRung(
                after: .seconds(300), notify: [located("primary")], repeatEvery: .seconds(600), location: here),
            EscalationRung(after: .seconds(900), notify: [located("secondary")], location: here),
        ],
        status: StatusMessages(
            onStart: StatusMessage(template: located("start"), state: .investigating, location: here),
            onUpdate: StatusMessage(
                template: located("update"), state: .identified, every: .seconds(600), location: here),
            onResolved: StatusMessage(template: located("done"), state: .resolved, location: here)))

    static func lifecycle(
        standing: RunStanding = RunStanding(), fallback: String? = nil, dryRun: Bool = false
    ) -> RunLifecycle<ManualClock> {
        RunLifecycle(
            .init(runID: "r1", runbook: runbook, delivery: PageDelivery(fallback: fallback), dryRun: dryRun),
            start: ManualClock().at(.zero), standing: standing)
    }
}
