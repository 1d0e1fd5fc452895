public import RunbookCore

/// Everything a run did, for the evidence bundle, the timeline and the exit code.
public struct RunRecord: Sendable {
    public enum Outcome: String, Sendable, Codable {
        /// `resolved_when` held, or the alert resolved.
        case resolved
        /// Every step succeeded but nothing resolved the run before it ended.
        case succeeded
        /// A step failed and stopped the run.
        case failed
        /// A person acknowledged the run; escalation stopped.
        case acked
        /// A dry run: nothing was executed.
        case rendered
        /// A `stop` step ended the steps: nothing (more) to do, the incident not resolved.
        case stopped
        /// A schedule's run ended its steps without a failure: there was no incident to keep open.
        case completed
    }

    public var id: String
    public var runbook: Runbook
    public var alert: Alert
    public var mode: String
    public var startedAt: String
    public var outcome: Outcome
    public var steps: [StepResult]
    public var timeline: [TimelineEvent]
    public var messages: [RenderedMessage]
    public var notifications: [NotificationRecord]
    /// Every escalation rung that fired, whether or not a notifier took it: what `rbx test`
    /// and `rbx diff` compare, independent of which notifiers a catalog configures.
    public var pages: [EscalationPage]
    /// Playbooks the run called, for the evidence.
    public var playbooks: [Playbook]
    public var duration: Duration
    /// Who or what resolved the run while it ran, if anything did.
    public var resolution: RunResolution?
    /// Why a `stop` step ended the run.
    public var stopReason: String?
    /// The runbook a `stop` step handed the alert to; whoever runs runs starts it next
    /// (``RunHandoff``).
    public var handoff: String?
    /// Why a budget (the runbook's or a step's) refused this run: a person decides what comes
    /// next, so a server does not retry the run.
    public var budgetExhausted: String?
    /// Each budget this run asked, by step id (`_runbook` for the runbook's own): granted or not.
    /// For coverage: `rbx test` counts both answers of every budget as branches.
    public var budgetAnswers: [String: Bool] = [:]
    /// The alerts its `raise:` steps sent into intake, or would have.
    public var raised: [RaisedAlert] = []

    public init(
        id: String, runbook: Runbook, alert: Alert, mode: String, startedAt: String, outcome: Outcome,
        steps: [StepResult], timeline: [TimelineEvent], messages: [RenderedMessage],
        notifications: [NotificationRecord], pages: [EscalationPage], playbooks: [Playbook], duration: Duration
    ) {
        self.id = id
        self.runbook = runbook
        self.alert = alert
        self.mode = mode
        self.startedAt = startedAt
        self.outcome = outcome
        self.steps = steps
        self.timeline = timeline
        self.messages = messages
        self.notifications = notifications
        self.pages = pages
        self.playbooks = playbooks
        self.duration = duration
    }

    /// `items` by time, those at the same time in the order they were recorded: how a run's
    /// timeline, pages and messages read, whoever recorded them (its steps, a timer, the API).
    @inlinable
    public static func inTimeOrder<T>(_ items: [T], at time: (T) -> Duration) -> [T] {
        items.enumerated().sorted { (time($0.element), $0.offset) < (time($1.element), $1.offset) }.map(\.element)
    }

    /// True when the run did what its runbook meant it to.
    public var succeeded: Bool {
        outcome == .resolved || outcome == .succeeded || outcome == .rendered || outcome == .acked
            || outcome == .stopped
    }
}

/// One firing of an escalation rung.
public struct EscalationPage: Sendable, Equatable, Codable {
    public var at: Duration
    /// Index into the runbook's `escalation` list.
    public var rung: Int
    /// 0 for the first page, then 1, 2, … for `repeat` reminders.
    public var repetition: Int
    public var notify: [String]

    public init(at: Duration, rung: Int, repetition: Int, notify: [String]) {
        self.at = at
        self.rung = rung
        self.repetition = repetition
        self.notify = notify
    }
}

/// A status-page or escalation message as rendered.
public struct RenderedMessage: Sendable, Equatable, Codable {
    public enum Trigger: String, Sendable, Codable {
        case onStart = "on_start"
        case onUpdate = "on_update"
        case onResolved = "on_resolved"
        case escalation, notify
    }

    public var at: Duration
    public var trigger: Trigger
    public var template: String?
    public var state: String?
    public var body: String

    public init(at: Duration, trigger: Trigger, template: String?, state: String?, body: String) {
        self.at = at
        self.trigger = trigger
        self.template = template
        self.state = state
        self.body = body
    }
}

/// One notification: sent (live) or recorded (dry run, drill).
public struct NotificationRecord: Sendable, Equatable, Codable {
    public var at: Duration
    public var notifier: String
    public var kind: String
    public var body: String
    /// Stable across retries and takeovers: `run/rung/repetition` or `run/step`.
    public var idempotencyKey: String
    public var delivered: Bool
    public var error: String?
    /// Deliveries tried (``RunbookLifecycle/PageDelivery``); 1 when the first took.
    public var attempts = 1

    public init(
        at: Duration, notifier: String, kind: String, body: String, idempotencyKey: String, delivered: Bool,
        error: String?, attempts: Int = 1
    ) {
        self.at = at
        self.notifier = notifier
        self.kind = kind
        self.body = body
        self.idempotencyKey = idempotencyKey
        self.delivered = delivered
        self.error = error
        self.attempts = attempts
    }
}
