public import RunbookCore

/// A run's life around its steps, as a value: events in (a timer fell due, a page reached
/// nobody, a person acknowledged or resolved, the alert resolved, the steps ended), actions out
/// (page, publish, schedule or cancel timers, record a timeline line, finish). It does no I/O
/// and reads no clock: time comes in with each event, as an instant of `C`.
///
/// It is the one place that decides what an escalation rung, a status update, an
/// acknowledgement or a resolution does, so a drill in virtual time, `rbx run` and a server
/// run rebuilt from its store after a restart behave alike. The model is swift-nio's and
/// Hummingbird's state machines (`HTTPConnectionStateHandler.StateMachine<C: Clock>`).
public struct RunLifecycle<C: Clock>: Sendable where C.Duration == Duration, C.Instant: Sendable {
    /// What does not change over the run's life. A class, so a lifecycle is cheap to copy: a
    /// drill feeds it dozens of events.
    public final class Configuration: Sendable {
        public let runID: String
        public let runbook: Runbook
        public let delivery: PageDelivery
        /// A dry run says what it would page; nothing is sent.
        public let dryRun: Bool
        /// A schedule's tick (``ScheduleTick``): no incident stays open when its steps end.
        public let scheduled: Bool

        public init(
            runID: String, runbook: Runbook, delivery: PageDelivery = PageDelivery(), dryRun: Bool = false,
            scheduled: Bool = false
        ) {
            self.runID = runID
            self.runbook = runbook
            self.delivery = delivery
            self.dryRun = dryRun
            self.scheduled = scheduled
        }
    }

    public let configuration: Configuration
    /// The run's start: every offset in its record is measured from here.
    public let start: C.Instant
    public private(set) var standing: RunStanding
    public private(set) var acknowledgement: RunAcknowledgement?
    public private(set) var resolution: RunResolution?

    /// A run at its start, or one rebuilt from what a store recorded.
    public init(
        _ configuration: Configuration, start: C.Instant, standing: RunStanding = RunStanding(),
        acknowledgement: RunAcknowledgement? = nil, resolution: RunResolution? = nil
    ) {
        self.configuration = configuration
        self.start = start
        self.standing = standing
        self.acknowledgement = acknowledgement
        self.resolution = resolution
    }

    private var runbook: Runbook { configuration.runbook }
    private var runID: String { configuration.runID }

    public var isResolved: Bool { standing.resolved }
    public var isAcknowledged: Bool { standing.acknowledged }

    /// The offset of `instant` from the run's start.
    public func offset(of instant: C.Instant) -> Duration { start.duration(to: instant) }

    // MARK: Events

    /// The run begins (or resumes after a restart: its `on_start` went out the first time).
    public func begin(resumed: Bool) -> [RunAction] {
        var actions: [RunAction] = []
        if !resumed, runbook.status.onStart != nil {
            actions.append(.publish(StatusPublication(trigger: .onStart, key: "\(runID)/on_start", at: .zero)))
        }
        if !resumed { actions += RunTimer.initialSchedule(for: runbook).map(RunAction.schedule) }
        return actions
    }

    /// A timer the run scheduled fell due (`entry.due`); it is `now`. A rung pages unless the
    /// run was acknowledged or resolved; a status update publishes unless it was resolved.
    /// Each schedules what follows it: a reminder, the next update.
    public func timerDue(_ entry: RunTimer.Scheduled, now: C.Instant) -> [RunAction] {
        var actions: [RunAction] = []
        switch entry.timer {
        case .escalation(let index, let repetition):
            guard !standing.acknowledged, !standing.resolved, runbook.escalation.indices.contains(index) else {
                return []
            }
            let names = runbook.escalation[index].notify.map(\.value)
            let again = repetition > 0 ? " (reminder \(repetition))" : ""
            let verb = configuration.dryRun ? "would page" : "paged"
            actions.append(
                .record(
                    TimelineEvent(
                        at: entry.due, kind: .escalation, summary: "\(verb) \(names.joined(separator: ", "))\(again)")))
            actions.append(
                .page(
                    RunPage(
                        rung: index, repetition: repetition, notify: names, key: entry.timer.key(runID: runID),
                        at: entry.due)))
        case .statusUpdate:
            guard !standing.resolved, runbook.status.onUpdate != nil else { return [] }
            actions.append(
                .publish(StatusPublication(trigger: .onUpdate, key: entry.timer.key(runID: runID), at: entry.due)))
        }
        if let next = entry.timer.next(firedDue: entry.due, now: offset(of: now), in: runbook) {
            actions.append(.schedule(next))
        }
        return actions
    }

    /// Every notifier of `page` failed, after their retries (``PageDelivery``). The fallback
    /// notifier is paged at once; if that fails too (`fallbackFailed`) or there is none, the
    /// next rung is brought forward to now.
    public func pageUndelivered(_ page: RunPage, at time: Duration, fallbackFailed: Bool = false) -> [RunAction] {
        let rung = page.rung
        let handover = configuration.delivery.handover(
            afterUndeliveredRung: rung, of: runbook.escalation.count, fallbackFailed: fallbackFailed || page.isFallback)
        switch handover {
        case .fallback(let notifier):
            return [
                .record(
                    TimelineEvent(
                        at: time, kind: .escalation,
                        summary: "rung \(rung + 1) reached nobody; paging the fallback \(notifier)")),
                .page(
                    RunPage(
                        rung: rung, repetition: page.repetition, notify: [notifier], key: page.key + "/fallback",
                        at: time, isFallback: true)),
            ]
        case .nextRung(let next):
            return [
                .record(
                    TimelineEvent(
                        at: time, kind: .escalation,
                        summary: "rung \(rung + 1) reached nobody; rung \(next + 1) is paged now"
                    )),
                .bringForward(rung: next, to: time),
            ]
        case .none:
            return [
                .record(
                    TimelineEvent(
                        at: time, kind: .escalation,
                        summary: "rung \(rung + 1) reached nobody, and no later rung or fallback is left"))
            ]
        }
    }

    /// A budget was exhausted and the runbook has no `on_budget_exhausted`: the remediation
    /// it allows is spent, so a person is needed now. The first rung not yet due (`after` later
    /// than `time`) is brought forward to `time`; an acknowledged or resolved run pages nobody.
    public func budgetExhausted(at time: Duration) -> [RunAction] {
        guard !standing.acknowledged, !standing.resolved else { return [] }
        guard let next = runbook.escalation.firstIndex(where: { $0.after > time }) else {
            let summary =
                runbook.escalation.isEmpty
                ? "budget exhausted; the runbook has no escalation to bring forward"
                : "budget exhausted; every rung is already due"
            return [.record(TimelineEvent(at: time, kind: .escalation, summary: summary))]
        }
        let verb = configuration.dryRun ? "would be paged" : "is paged"
        return [
            .record(
                TimelineEvent(
                    at: time, kind: .escalation, summary: "budget exhausted; rung \(next + 1) \(verb) now")),
            .bringForward(rung: next, to: time),
        ]
    }

    /// A person acknowledged: escalation stops (status updates go on until the alert
    /// resolves). A second acknowledgement, or one after the resolution, changes nothing.
    public mutating func acknowledge(_ acknowledgement: RunAcknowledgement, at instant: C.Instant) -> [RunAction] {
        acknowledge(acknowledgement, atOffset: offset(of: instant))
    }

    /// ``acknowledge(_:at:)`` stamped at an offset: a drill's `--ack-at`, or an acknowledgement
    /// the store recorded earlier.
    public mutating func acknowledge(_ acknowledgement: RunAcknowledgement, atOffset time: Duration) -> [RunAction] {
        guard let change = standing.acknowledge() else { return [] }
        self.acknowledgement = acknowledgement
        return [
            .cancelTimers(change.cancels),
            .record(
                TimelineEvent(
                    at: time, kind: .ack, summary: "acknowledged by \(acknowledgement.who); escalation stopped")),
        ]
    }

    /// A person, the alert or `resolved_when` resolved the run: every timer stops and
    /// `on_resolved` goes out (rendered with the alert resolved when the alert resolved it).
    public mutating func resolve(_ resolution: RunResolution, at instant: C.Instant) -> [RunAction] {
        resolve(resolution, atOffset: offset(of: instant))
    }

    public mutating func resolve(_ resolution: RunResolution, atOffset time: Duration) -> [RunAction] {
        guard let change = standing.resolve() else { return [] }
        self.resolution = resolution
        var actions: [RunAction] = []
        if resolution == .alert { actions.append(.markAlertResolved) }
        actions.append(.cancelTimers(change.cancels))
        actions.append(.record(TimelineEvent(at: time, kind: .resolve, summary: resolution.reason)))
        if runbook.status.onResolved != nil {
            actions.append(.publish(StatusPublication(trigger: .onResolved, key: "\(runID)/on_resolved", at: time)))
        }
        return actions
    }

    /// The run's steps are over (`succeeded`: none failed and stopped them; `stopped`: a `stop`
    /// step ended them, with its reason). The outcome is what the run is now: resolved, failed,
    /// stopped, acknowledged, or succeeded with the incident still open.
    public mutating func stepsEnded(succeeded: Bool, stopped: String? = nil) -> [RunAction] {
        let outcome: RunRecord.Outcome =
            if configuration.dryRun {
                // A dry run that could not render a step (a missing secret, a refused value)
                // failed: the live run would stop at the same place.
                succeeded ? .rendered : .failed
            } else if standing.resolved {
                .resolved
            } else if !succeeded {
                .failed
            } else if configuration.scheduled {
                .completed
            } else if stopped != nil {
                .stopped
            } else if standing.acknowledged {
                .acked
            } else {
                .succeeded
            }
        let change = standing.finish(outcome)
        var actions: [RunAction] = []
        if change.cancels != .none { actions.append(.cancelTimers(change.cancels)) }
        actions.append(.finish(state: change.state, outcome: outcome))
        return actions
    }
}
