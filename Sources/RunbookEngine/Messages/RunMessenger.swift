public import RunbookCore
public import RunbookLifecycle

/// Carries out what a run's lifecycle decides: renders messages, sends pages and status
/// messages (trying failed deliveries again as ``PageDelivery`` says), and keeps what it did for
/// the timeline and the evidence.
///
/// A run's own session uses one for its whole life; a server that fires a stored run's timer,
/// or records its acknowledgement or resolution after its steps ended, builds one for that
/// event. Either way the decision came from the lifecycle and the words and keys come from here,
/// so the two cannot differ.
public final class RunMessenger {
    public let catalog: Catalog
    public let runbook: Runbook
    public let runID: String
    public let sender: any NotificationSender
    public let delivery: PageDelivery
    /// The alert as received, for notifications (the expression context hides it in playbooks).
    public private(set) var alert: Alert
    /// What templates render over; a run's steps add their results as they finish.
    public var context: RunContext
    public var redactor: Redactor
    /// Notifications go out as redeliveries (``OutboundMessage/redelivery``): an earlier attempt
    /// may have sent them already.
    public var redelivery = false

    public private(set) var timeline: [TimelineEvent] = []
    public internal(set) var messages: [RenderedMessage] = []
    public private(set) var notifications: [NotificationRecord] = []
    public private(set) var pages: [EscalationPage] = []

    private let pause: @Sendable (Duration) async throws -> Void

    public init(
        catalog: Catalog, runbook: Runbook, alert: Alert, run: RunContext.RunInfo, environment: [String: String],
        sender: any NotificationSender, pause: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.catalog = catalog
        self.runbook = runbook
        self.runID = run.id
        self.sender = sender
        self.pause = pause
        self.alert = alert
        self.delivery = PageDelivery(
            attempts: catalog.config.delivery.attempts, backoff: catalog.config.delivery.backoff,
            fallback: catalog.config.delivery.fallback?.value)
        let allowed = Set(catalog.config.envAllow)
        context = RunContext(alert: alert, run: run, env: environment.filter { allowed.contains($0.key) })
        redactor = Redactor(patterns: catalog.config.secretPatterns)
    }

    /// Adds a timeline line, secrets redacted and control characters escaped: a line names
    /// alert data, and a label must not start a forged line of its own (``ControlText``).
    public func record(_ kind: TimelineEvent.Kind, _ summary: String, at time: Duration, step: String? = nil) {
        timeline.append(
            TimelineEvent(at: time, kind: kind, summary: ControlText.escape(redactor.redact(summary)), stepID: step))
    }

    public func record(_ event: TimelineEvent) {
        record(event.kind, event.summary, at: event.at, step: event.stepID)
    }

    /// Replaces the timeline (a session that sorts or trims it).
    func replaceTimeline(_ events: [TimelineEvent]) { timeline = events }

    // MARK: Carrying out the lifecycle's actions

    /// Carries out `actions` in order. Timer actions go to `timers`; a page that reached nobody is
    /// reported back to `lifecycle`, whose answer (a fallback, the next rung) is carried out too.
    /// Returns the run's end when the actions finished it.
    @discardableResult
    public func carryOut<C: Clock, Timers: RunTimerKeeper>(
        _ actions: [RunAction], lifecycle: inout RunLifecycle<C>, timers: inout Timers
    ) async -> (state: RunState, outcome: RunRecord.Outcome)? {
        var ending: (state: RunState, outcome: RunRecord.Outcome)?
        var queue = actions[...]
        while let action = queue.popFirst() {
            switch action {
            case .record(let event):
                record(event)
            case .page(let page):
                note(lifecycle.standing, at: page.at)
                if await !self.page(page), sender.sends {
                    queue = lifecycle.pageUndelivered(page, at: page.at)[...] + queue
                }
            case .publish(let publication):
                note(lifecycle.standing, at: publication.at)
                await publish(publication)
            case .schedule(let entry):
                timers.schedule(entry)
            case .cancelTimers(let scope):
                timers.cancel(scope)
            case .bringForward(let rung, let time):
                timers.bringForward(rung: rung, to: time)
            case .markAlertResolved:
                alert.status = .resolved
                if context.alert != nil { context.alert = alert }
            case .finish(let state, let outcome):
                ending = (state, outcome)
            }
        }
        return ending
    }

    /// What `run.state` and `run.duration` say in the message about to be rendered.
    public func note(_ standing: RunStanding, at time: Duration) {
        context.state = standing.resolved ? "resolved" : standing.acknowledged ? "acked" : standing.state.rawValue
        context.elapsed = time
    }

    /// Pages a rung (or the fallback for it). Returns whether any notifier took it.
    func page(_ page: RunPage) async -> Bool {
        guard runbook.escalation.indices.contains(page.rung) else { return false }
        let rung = runbook.escalation[page.rung]
        let body = render(template: rung.template?.value) ?? defaultEscalationText(rung: rung)
        if !page.isFallback {
            messages.append(
                RenderedMessage(
                    at: page.at, trigger: .escalation, template: rung.template?.value, state: nil, body: body))
            pages.append(EscalationPage(at: page.at, rung: page.rung, repetition: page.repetition, notify: page.notify))
        }
        return await notify(page.notify, kind: "escalation", body: body, key: page.key, at: page.at)
    }

    /// Publishes a status message to the status page and its notifiers.
    func publish(_ publication: StatusPublication) async {
        guard let message = statusMessage(for: publication.trigger) else { return }
        let time = publication.at
        let body = render(template: message.template.value) ?? ""
        messages.append(
            RenderedMessage(
                at: time, trigger: publication.trigger, template: message.template.value,
                state: message.state.rawValue, body: body))
        record(.status, "\(message.state.rawValue): \(message.template.value)", at: time)
        if sender.sends,
            let error = await sender.publishStatus(
                catalog.config.statusPage, runID: runID, runbook: runbook.name, state: message.state.rawValue,
                body: body)
        {
            record(.status, "status page: \(error)", at: time)
        }
        if !message.notify.isEmpty {
            await notify(message.notify.map(\.value), kind: "status", body: body, key: publication.key, at: time)
        }
    }

    private func statusMessage(for trigger: RenderedMessage.Trigger) -> StatusMessage? {
        switch trigger {
        case .onStart: runbook.status.onStart
        case .onUpdate: runbook.status.onUpdate
        case .onResolved: runbook.status.onResolved
        case .escalation, .notify: nil
        }
    }

    /// The status message the run shows for `trigger`, rendered now: for a status page that
    /// lists current incidents. Nil when the runbook has no such message.
    public func currentStatus(_ trigger: RenderedMessage.Trigger) -> (state: String, body: String)? {
        guard let message = statusMessage(for: trigger) else { return nil }
        return (message.state.rawValue, render(template: message.template.value) ?? "")
    }

    public func render(template name: String?) -> String? {
        guard let name, let template = catalog.template(named: name) else { return nil }
        let values = MessageContext.make(runbook: runbook, context: context, redactor: redactor, for: template.text)
        return redactor.redact(template.render(values))
    }

    private func defaultEscalationText(rung: EscalationRung) -> String {
        "[\(alert.severity ?? "?")] \(runbook.metadata.displayTitle): \(alert.name) "
            + (rung.after == .zero ? "is firing" : "is not resolved after \(rung.after.runbookDescription)")
            + " (run \(runID))"
    }

    /// Sends to each notifier, trying a failed delivery again as ``PageDelivery`` says (same
    /// idempotency key, so a receiver that got an attempt whose answer was lost drops the
    /// next). Returns whether any notifier took it.
    @discardableResult
    func notify(_ names: [String], kind: String, body: String, key: String, at time: Duration) async -> Bool {
        var anyDelivered = false
        // A drill's messages say so, wherever they go.
        let body = alert.drill == nil ? body : AlertDrill.messagePrefix + body
        for name in names {
            guard let notifier = catalog.config.notifier(named: name) else { continue }
            var message = OutboundMessage(
                notifier: notifier, kind: kind, body: body, idempotencyKey: "\(key)/\(name)", runID: runID,
                runbook: runbook.name, alert: alert)
            message.redelivery = redelivery
            var attempt = 1
            let sends = sender.sends(to: notifier)
            var error = sends ? await sender.deliver(message) : nil
            while let failure = error, let wait = delivery.delay(afterFailedAttempt: attempt) {
                record(
                    .notification,
                    "\(name): delivery failed (attempt \(attempt) of \(delivery.attempts)): \(failure); "
                        + "trying again in \(wait.runbookDescription)", at: time)
                do { try await pause(wait) } catch { break }
                attempt += 1
                // An earlier attempt may have reached the receiver with its answer lost.
                message.redelivery = true
                error = await sender.deliver(message)
            }
            let entry = NotificationRecord(
                at: time, notifier: name, kind: kind, body: body, idempotencyKey: message.idempotencyKey,
                delivered: sends && error == nil, error: error.map(redactor.redact), attempts: attempt)
            notifications.append(entry)
            if let error {
                let tries = attempt > 1 ? " after \(attempt) attempts" : ""
                record(.notification, "\(name): delivery failed\(tries): \(error)", at: time)
            }
            anyDelivered = anyDelivered || entry.delivered
        }
        return anyDelivered
    }
}

/// Where a run's timers are kept: in memory for a run that owns them (drills, `rbx run`), in the
/// store for a server run.
public protocol RunTimerKeeper {
    mutating func schedule(_ entry: RunTimer.Scheduled)
    mutating func cancel(_ scope: RunStanding.TimerCancellation)
    mutating func bringForward(rung: Int, to time: Duration)
}
