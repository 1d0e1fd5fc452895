public import RunbookCore

/// Fires a run's timers and status messages from outside the run's own task: a server that
/// keeps timers in its store calls this when one falls due, long after the steps ended, or in
/// another process after a restart.
///
/// It renders and sends exactly as the run would have (same templates, redaction, notifiers
/// and idempotency keys), because it goes through the same session code.
public struct RunAnnouncer: Sendable {
    public var catalog: Catalog
    public var runbook: Runbook
    public var alert: Alert
    public var runID: String
    public var startedAt: String
    public var environment: [String: String]
    public var sender: any NotificationSender
    /// Results of the run's steps, so templates can mention them.
    public var steps: [StepResult]

    public init(
        catalog: Catalog, runbook: Runbook, alert: Alert, runID: String, startedAt: String,
        environment: [String: String],
        sender: any NotificationSender, steps: [StepResult] = []
    ) {
        self.catalog = catalog
        self.runbook = runbook
        self.alert = alert
        self.runID = runID
        self.startedAt = startedAt
        self.environment = environment
        self.sender = sender
        self.steps = steps
    }

    /// What one firing did, for the run's timeline and the metrics.
    public struct Announcement: Sendable {
        public var timeline: [TimelineEvent]
        public var notifications: [NotificationRecord]
        public var messages: [RenderedMessage]
        public var pages: [EscalationPage] = []
        /// Rungs (0-based) to fire now: the rung fired reached nobody (``PageDelivery``).
        public var rungsBroughtForward: [Int] = []
    }

    /// Fires a timer that fell due `due` after the run started. `redelivery` says an earlier
    /// attempt may have sent it already (its process died before recording the firing).
    public func fire(_ timer: RunTimer, due: Duration, redelivery: Bool = false) async -> Announcement {
        let session = makeSession()
        session.redelivery = redelivery
        await session.fire(RunTimer.Scheduled(due: due, timer: timer))
        return announcement(of: session)
    }

    /// Resolves the run: the `on_resolved` status message, stamped `at` after the start.
    public func resolve(reason: String, at time: Duration) async -> Announcement {
        let session = makeSession()
        await session.resolve(reason: reason, at: time)
        return announcement(of: session)
    }

    /// Records an acknowledgement in the words the run itself would use.
    public func acknowledge(by person: String, at time: Duration) -> Announcement {
        let session = makeSession()
        session.acknowledge(by: person, at: time)
        return announcement(of: session)
    }

    /// The status message the run shows for `trigger`, rendered now: for a status page that
    /// lists current incidents. Nil when the runbook has no such message.
    public func statusMessage(_ trigger: RenderedMessage.Trigger) -> (state: String, body: String)? {
        let message: StatusMessage? =
            switch trigger {
            case .onStart: runbook.status.onStart
            case .onUpdate: runbook.status.onUpdate
            case .onResolved: runbook.status.onResolved
            case .escalation, .notify: nil
            }
        guard let message else { return nil }
        return (message.state.rawValue, makeSession().render(template: message.template.value) ?? "")
    }

    private func makeSession() -> RunSession<ContinuousClock> {
        var options = RunOptions(mode: .live, runID: runID, startedAt: startedAt, environment: environment)
        options.timers = .external
        let session = RunSession(
            catalog: catalog, runbook: runbook, alert: alert, options: options, clock: ContinuousClock(),
            runner: ProcessCommandRunner(), sender: sender, control: nil)
        for step in steps { session.context.steps[step.id] = step }
        return session
    }

    private func announcement(of session: RunSession<ContinuousClock>) -> Announcement {
        Announcement(
            timeline: session.timeline, notifications: session.notifications, messages: session.messages,
            pages: session.pages, rungsBroughtForward: session.rungsBroughtForward)
    }
}
