import RunbookCore
import RunbookLifecycle

/// The mutable state of one run, owned by the task that executes it.
///
/// All of a run's waiting happens in ``advance(to:)``, which fires the escalation rungs,
/// status updates and drill events that fall due on the way, in time order. That single place
/// is what lets the same code run in real time and in a drill's virtual time.
final class RunSession<C: Clock<Duration>> where C: Sendable {
    let catalog: Catalog
    let runbook: Runbook
    let options: RunOptions
    let clock: C
    let start: C.Instant
    let runner: any CommandRunner
    let sender: any NotificationSender
    let control: RunControl?
    let secrets: SecretResolver
    /// How hard pages are pressed (rbx.yaml `delivery:`), read once per run.
    let delivery: PageDelivery
    /// The alert as received, for notifications (the expression context hides it in playbooks).
    private(set) var alert: Alert

    var context: RunContext
    var redactor: Redactor
    var timeline: [TimelineEvent] = []
    /// How much of the timeline the observer has been given.
    var flushedEvents = 0
    /// The observer refused a call: the run stops and tells it nothing more.
    var observerRefused = false
    var messages: [RenderedMessage] = []
    var notifications: [NotificationRecord] = []
    var pages: [EscalationPage] = []
    var playbooksUsed: [String: Playbook] = [:]
    var agenda: TimerAgenda
    /// Rungs fired early because the rung before reached nobody; a server moves their timers.
    var rungsBroughtForward: [Int] = []
    var acked = false
    /// Notifications go out as redeliveries (``OutboundMessage/redelivery``).
    var redelivery = false
    var resolved = false
    /// While someone outside the run may answer (a terminal prompt), waits wake this often.
    var wakeEvery: Duration?
    /// Drill events (`--ack-at`, `--resolve-at`) not yet reached.
    var scheduled: [(at: Duration, event: TimelineEvent.Kind)] = []

    init(
        catalog: Catalog, runbook: Runbook, alert: Alert, options: RunOptions, clock: C, runner: any CommandRunner,
        sender: any NotificationSender, control: RunControl?
    ) {
        self.catalog = catalog
        self.runbook = runbook
        self.options = options
        self.clock = clock
        self.start = clock.now
        self.runner = runner
        self.sender = sender
        self.control = control
        self.secrets = SecretResolver(environment: options.environment)
        self.delivery = PageDelivery(
            attempts: catalog.config.delivery.attempts, backoff: catalog.config.delivery.backoff,
            fallback: catalog.config.delivery.fallback?.value)
        self.alert = alert
        let allowed = Set(catalog.config.envAllow)
        let env = options.environment.filter { allowed.contains($0.key) }
        context = RunContext(
            alert: alert,
            run: .init(
                id: options.runID, runbook: runbook.name, startedAt: options.startedAt, dryRun: options.isDryRun),
            env: env)
        redactor = Redactor(patterns: catalog.config.secretPatterns)
        agenda = TimerAgenda(runbook: runbook, owned: options.timers == .inProcess)
        if let drill = options.drill {
            if let at = drill.ackAt { scheduled.append((at, .ack)) }
            if let at = drill.resolveAt { scheduled.append((at, .alert)) }
            scheduled.sort { $0.at < $1.at }
        }
    }

    /// Offset of the clock from the start of the run.
    var now: Duration { start.duration(to: clock.now) }

    func record(_ kind: TimelineEvent.Kind, _ summary: String, at time: Duration? = nil, step: String? = nil) {
        timeline.append(TimelineEvent(at: time ?? now, kind: kind, summary: redactor.redact(summary), stepID: step))
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
                    acknowledge(by: "drill", at: at)
                } else {
                    await resolve(reason: "alert resolved", at: at)
                }
                continue
            }
            guard let entry = agenda.popDue(atOrBefore: current) else { break }
            await fire(entry)
        }
        if let control, !resolved {
            if let resolution = await control.resolved { await resolve(reason: resolution.reason, at: now) }
            if !acked, !resolved, let ack = await control.acknowledged { acknowledge(by: ack.who, at: now) }
        }
    }

    func fire(_ entry: RunTimer.Scheduled) async {
        switch entry.timer {
        case .escalation(let index, let repetition):
            guard runbook.escalation.indices.contains(index) else { return }
            let rung = runbook.escalation[index]
            let names = rung.notify.map(\.value)
            let again = repetition > 0 ? " (reminder \(repetition))" : ""
            record(
                .escalation, "\(options.isDryRun ? "would page" : "paged") \(names.joined(separator: ", "))\(again)",
                at: entry.due)
            let body = render(template: rung.template?.value) ?? defaultEscalationText(rung: rung)
            messages.append(
                RenderedMessage(
                    at: entry.due, trigger: .escalation, template: rung.template?.value, state: nil, body: body))
            pages.append(EscalationPage(at: entry.due, rung: index, repetition: repetition, notify: names))
            let key = entry.timer.key(runID: options.runID)
            if await !notify(names, kind: "escalation", body: body, key: key, at: entry.due), sender.sends {
                await handOver(undeliveredRung: index, body: body, key: key, at: entry.due)
            }
        case .statusUpdate:
            guard let update = runbook.status.onUpdate else { return }
            await publish(update, trigger: .onUpdate, at: entry.due, key: entry.timer.key(runID: options.runID))
        }
        if options.timers == .inProcess, let next = entry.timer.next(firedDue: entry.due, now: now, in: runbook) {
            agenda.schedule(next)
        }
    }

    func acknowledge(by person: String, at time: Duration) {
        guard !acked, !resolved else { return }
        acked = true
        agenda.cancelEscalations()
        record(.ack, "acknowledged by \(person); escalation stopped", at: time)
    }

    func resolve(reason: String, at time: Duration) async {
        guard !resolved else { return }
        if reason == "alert resolved" {
            alert.status = .resolved
            if context.alert != nil { context.alert = alert }
        }
        resolved = true
        agenda.cancelAll()
        record(.resolve, reason, at: time)
        if let onResolved = runbook.status.onResolved {
            await publish(onResolved, trigger: .onResolved, at: time)
        }
    }

    // MARK: Messages

    func publish(
        _ message: StatusMessage, trigger: RenderedMessage.Trigger, at time: Duration, key: String? = nil
    ) async {
        let body = render(template: message.template.value) ?? ""
        messages.append(
            RenderedMessage(
                at: time, trigger: trigger, template: message.template.value, state: message.state.rawValue, body: body)
        )
        record(.status, "\(message.state.rawValue): \(message.template.value)", at: time)
        if sender.sends,
            let error = await sender.publishStatus(
                catalog.config.statusPage, runID: options.runID, runbook: runbook.name, state: message.state.rawValue,
                body: body)
        {
            record(.status, "status page: \(error)", at: time)
        }
        if !message.notify.isEmpty {
            await notify(
                message.notify.map(\.value), kind: "status", body: body,
                key: key ?? "\(options.runID)/\(trigger.rawValue)", at: time)
        }
    }

    func render(template name: String?) -> String? {
        guard let name, let template = catalog.template(named: name) else { return nil }
        let values = MessageContext.make(runbook: runbook, context: context, redactor: redactor)
        return redactor.redact(template.render(values))
    }

    private func defaultEscalationText(rung: EscalationRung) -> String {
        return
            "[\(alert.severity ?? "?")] \(runbook.metadata.displayTitle): \(alert.name) is not resolved after \(rung.after.runbookDescription) (run \(options.runID))"
    }

    /// Sends to each notifier, trying a failed delivery again as ``PageDelivery`` says (same
    /// idempotency key, so a receiver that got an attempt whose answer was lost drops the
    /// next). Returns whether any notifier took it.
    @discardableResult
    func notify(_ names: [String], kind: String, body: String, key: String, at time: Duration) async -> Bool {
        var anyDelivered = false
        for name in names {
            guard let notifier = catalog.config.notifier(named: name) else { continue }
            var message = OutboundMessage(
                notifier: notifier, kind: kind, body: body, idempotencyKey: "\(key)/\(name)", runID: options.runID,
                runbook: runbook.name, alert: alert)
            message.redelivery = redelivery
            var attempt = 1
            var error = sender.sends ? await sender.deliver(message) : nil
            while let failure = error, let pause = delivery.delay(afterFailedAttempt: attempt) {
                record(
                    .notification,
                    "\(name): delivery failed (attempt \(attempt) of \(delivery.attempts)): \(failure); "
                        + "trying again in \(pause.runbookDescription)", at: time)
                do { try await clock.sleep(for: pause, tolerance: nil) } catch { break }
                attempt += 1
                // An earlier attempt may have reached the receiver with its answer lost.
                message.redelivery = true
                error = await sender.deliver(message)
            }
            var entry = NotificationRecord(
                at: time, notifier: name, kind: kind, body: body, idempotencyKey: message.idempotencyKey,
                delivered: sender.sends && error == nil, error: error.map(redactor.redact))
            entry.attempts = attempt
            notifications.append(entry)
            if let error {
                let tries = attempt > 1 ? " after \(attempt) attempts" : ""
                record(.notification, "\(name): delivery failed\(tries): \(error)", at: time)
            }
            anyDelivered = anyDelivered || entry.delivered
        }
        return anyDelivered
    }

    /// A rung that reached nobody: the fallback notifier is paged at once, and if that fails
    /// too (or there is none) the next rung fires now instead of at its time.
    func handOver(undeliveredRung index: Int, body: String, key: String, at time: Duration) async {
        var fallbackFailed = false
        while true {
            switch delivery.handover(
                afterUndeliveredRung: index, of: runbook.escalation.count, fallbackFailed: fallbackFailed)
            {
            case .fallback(let notifier):
                record(.escalation, "rung \(index + 1) reached nobody; paging the fallback \(notifier)", at: time)
                if await notify([notifier], kind: "escalation", body: body, key: key + "/fallback", at: time) { return }
                fallbackFailed = true
            case .nextRung(let next):
                record(.escalation, "rung \(index + 1) reached nobody; rung \(next + 1) is paged now", at: time)
                rungsBroughtForward.append(next)
                if options.timers == .inProcess { agenda.bringForward(rung: next, to: time) }
                return
            case .none:
                record(.escalation, "rung \(index + 1) reached nobody, and no later rung or fallback is left", at: time)
                return
            }
        }
    }
}
