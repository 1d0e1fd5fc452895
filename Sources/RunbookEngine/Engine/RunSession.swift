import RunbookCore
import RunbookLifecycle

/// The mutable state of one run, owned by the task that executes it.
///
/// All of a run's waiting happens in ``advance(to:)``, which fires the escalation rungs,
/// status updates and drill events that fall due on the way, in time order. That single place
/// is what lets the same code run in real time and in a drill's virtual time. What a timer, an
/// acknowledgement or a resolution does is decided by the run's ``RunLifecycle`` and carried out
/// by its ``RunMessenger``; the session only feeds them events.
final class RunSession<C: Clock<Duration>> where C: Sendable, C.Instant: Sendable {
    let catalog: Catalog
    let runbook: Runbook
    let options: RunOptions
    let clock: C
    let start: C.Instant
    /// The drill's `started_at` in seconds since the epoch, read once; `nil` outside drills.
    let drillStart: Double?
    let runner: any CommandRunner
    let sender: any NotificationSender
    let prometheus: any PrometheusClient
    let control: RunControl?
    let secrets: SecretResolver
    /// Renders, sends and keeps the run's timeline, messages and notifications.
    let messenger: RunMessenger
    var lifecycle: RunLifecycle<C>

    /// How much of the timeline the observer has been given.
    var flushedEvents = 0
    /// The observer refused a call: the run stops and tells it nothing more.
    var observerRefused = false
    var playbooksUsed: [String: Playbook] = [:]
    var agenda: TimerAgenda
    /// While someone outside the run may answer (a terminal prompt), waits wake this often.
    var wakeEvery: Duration?
    /// Set by a `stop` step: why the run ends without being resolved.
    var stopReason: String?
    /// The runbook a `stop` step hands the alert to (`handoff:`).
    var handoff: String?
    /// What `raise:` steps sent into intake, or would have.
    var raised: [RaisedAlert] = []
    /// Where budgeted steps ask for a use (``askBudget(_:step:)``).
    let budgetLedger: any BudgetLedger
    /// Set when a budget was exhausted: the note; `on_budget_exhausted` then runs.
    var budgetExhausted: String?
    /// The answers the ledger gave, by step id (`_runbook`: the runbook's own budget).
    var budgetAnswers: [String: Bool] = [:]
    /// Drill events (`--ack-at`, `--resolve-at`) not yet reached.
    var scheduled: [(at: Duration, event: TimelineEvent.Kind)] = []

    init(
        catalog: Catalog, runbook: Runbook, alert: Alert, options: RunOptions, clock: C, runner: any CommandRunner,
        sender: any NotificationSender, prometheus: any PrometheusClient, control: RunControl?
    ) {
        self.catalog = catalog
        self.runbook = runbook
        self.options = options
        self.clock = clock
        self.start = clock.now
        drillStart = options.drill == nil ? nil : RFC3339.secondsSinceEpoch(options.startedAt)
        self.runner = runner
        self.sender = sender
        self.prometheus = prometheus
        self.control = control
        self.secrets = SecretResolver(environment: options.environment)
        budgetLedger = Self.ledger(for: options, drillStart: drillStart)
        messenger = RunMessenger(
            catalog: catalog, runbook: runbook, alert: alert,
            run: .init(
                id: options.runID, runbook: runbook.name, startedAt: options.startedAt, dryRun: options.isDryRun),
            environment: options.environment, sender: sender,
            pause: { [clock] pause in try await clock.sleep(for: pause, tolerance: nil) })
        lifecycle = RunLifecycle(
            .init(
                runID: options.runID, runbook: runbook, delivery: messenger.delivery, dryRun: options.isDryRun,
                scheduled: alert.tick != nil),
            start: start)
        agenda = TimerAgenda(owned: options.timers == .inProcess)
        if let drill = options.drill {
            if let at = drill.ackAt { scheduled.append((at, .ack)) }
            if let at = drill.resolveAt { scheduled.append((at, .alert)) }
            scheduled.sort { $0.at < $1.at }
        }
    }

    /// Offset of the clock from the start of the run.
    var now: Duration { start.duration(to: clock.now) }

    var alert: Alert { messenger.alert }
    /// `now` for conditions: in a drill, the drill's start plus its virtual time, so
    /// `hour(now)` in `rbx test` is the same on every machine; otherwise the wall clock.
    var virtualNow: Double? {
        drillStart.map { $0 + Double(now.totalMilliseconds) / 1000 }
    }

    // Yielded in place, so a step's result or a secret is added without copying the rest.
    var context: RunContext {
        get {
            messenger.note(lifecycle.standing, at: now)
            var context = messenger.context
            context.now = virtualNow
            return context
        }
        _modify {
            messenger.context.now = virtualNow
            messenger.note(lifecycle.standing, at: now)
            yield &messenger.context
        }
    }
    var redactor: Redactor {
        get { messenger.redactor }
        _modify { yield &messenger.redactor }
    }
    var timeline: [TimelineEvent] { messenger.timeline }
    var acked: Bool { lifecycle.isAcknowledged }
    var resolved: Bool { lifecycle.isResolved }

    func record(_ kind: TimelineEvent.Kind, _ summary: String, at time: Duration? = nil, step: String? = nil) {
        messenger.record(kind, summary, at: time ?? now, step: step)
    }

    // MARK: Time

    /// Waits until `deadline` (an offset from the start), firing everything due on the way.
    /// Returns early, at the moment it happens, when `interrupt` becomes true.
    func advance(to deadline: Duration, interrupt: () async -> Bool = { false }) async {
        while true {
            await fireDue()
            if await interrupt() { return }
            let current = now
            if current >= deadline { return }
            var target = deadline
            if let due = agenda.nextDue, due < target { target = due }
            if let event = scheduled.first?.at, event < target { target = event }
            // A live run looks at its controls at least once a second.
            if control != nil, target - current > .seconds(1) { target = current + .seconds(1) }
            if let wakeEvery, target - current > wakeEvery { target = current + wakeEvery }
            do {
                try await clock.sleep(until: start.advanced(by: max(target, current)), tolerance: nil)
            } catch {
                return
            }
        }
    }

    /// Fires timers and drill events that are due now, each stamped with its own due time.
    func fireDue() async {
        while true {
            let current = now
            let nextTimer = agenda.nextDue.flatMap { $0 <= current ? $0 : nil }
            let nextEvent = scheduled.first.flatMap { $0.at <= current ? $0.at : nil }
            if let event = nextEvent, nextTimer.map({ event <= $0 }) ?? true {
                let (at, kind) = scheduled.removeFirst()
                if kind == .ack {
                    await apply(lifecycle.acknowledge(RunAcknowledgement(by: "drill"), atOffset: at))
                } else {
                    await apply(lifecycle.resolve(.alert, atOffset: at))
                }
                continue
            }
            guard let entry = agenda.popDue(atOrBefore: current) else { break }
            await apply(lifecycle.timerDue(entry, now: clock.now))
        }
        if let control, !resolved {
            if let resolution = await control.resolved { await resolve(resolution) }
            if !acked, !resolved, let ack = await control.acknowledged {
                await apply(lifecycle.acknowledge(ack, at: clock.now))
            }
        }
    }

    func resolve(_ resolution: RunResolution) async {
        await apply(lifecycle.resolve(resolution, at: clock.now))
    }

    /// Carries out what the lifecycle decided. Returns the run's end when the actions finish it.
    @discardableResult
    func apply(_ actions: [RunAction]) async -> (state: RunState, outcome: RunRecord.Outcome)? {
        guard !actions.isEmpty else { return nil }
        // In place: nothing else touches the run's lifecycle or agenda while its actions run.
        return await messenger.carryOut(actions, lifecycle: &lifecycle, timers: &agenda)
    }

    func render(template name: String?) -> String? {
        messenger.note(lifecycle.standing, at: now)
        return messenger.render(template: name)
    }

    @discardableResult
    func notify(_ names: [String], kind: String, body: String, key: String, at time: Duration) async -> Bool {
        await messenger.notify(names, kind: kind, body: body, key: key, at: time)
    }
}
