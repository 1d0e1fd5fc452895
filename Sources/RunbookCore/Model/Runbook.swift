public import RunbookYAML

/// The response to one kind of alert: what it matches, the steps, escalation and status.
public struct Runbook: Sendable, Equatable {
    public var metadata: Metadata
    public var file: String
    public var match: RunbookMatch
    public var priority: Int
    public var concurrency: InterpolatedText?
    public var cooldown: Duration?
    /// What the cooldown counts runs by (`cooldown_key`), instead of the alert's fingerprint:
    /// `{{alert.labels.service}}` cools down a service whichever instance fired.
    public var cooldownKey: InterpolatedText?
    /// Repeats of a firing alert within this time are occurrences of it (`dedup_window`),
    /// instead of `defaults.dedup_window`.
    public var dedupWindow: Duration?
    public var steps: [Step]
    /// Runs when a step failed and stopped the steps: cleanup, evidence, a page (``Runbook/finally`` follows).
    public var onFailure: [Step] = []
    /// Runs after the steps whatever happened (success, failure, resolution, `stop`): leave
    /// maintenance mode, restart what was stopped.
    public var finally: [Step] = []
    /// At most so many runs of this runbook per window, asked once when a run starts (``Budget``).
    public var budget: Budget?
    /// Runs instead of `on_failure` when a budget (the runbook's or a step's) is exhausted: the
    /// handling the author chose over paging the next rung at once.
    public var onBudgetExhausted: [Step] = []
    public var resolvedWhen: Condition?
    /// The runbook's own ladder (`escalation:` as a list); see ``escalationChoice`` for the
    /// policy forms. ``Catalog/runbook(named:for:)`` replaces it with the ladder a run follows.
    public var escalation: [EscalationRung]
    /// Where the ladder comes from: the list above, a named policy, or the catalog's default.
    public var escalationChoice: EscalationChoice = .own
    public var status: StatusMessages
    /// `schedule:` — runs under `rbx serve` at every tick, without an alert (``Schedule``).
    public var schedule: Located<Schedule>?
    /// A `kind: Check` document: a scheduled runbook that no alert selects, with no escalation
    /// ladder; it acts through its steps and the alerts it raises.
    public var isCheck = false

    public init(
        metadata: Metadata, file: String, match: RunbookMatch, priority: Int = 0,
        concurrency: InterpolatedText? = nil, cooldown: Duration? = nil, steps: [Step],
        resolvedWhen: Condition? = nil, escalation: [EscalationRung] = [], status: StatusMessages = StatusMessages(),
        escalationChoice: EscalationChoice = .own, cooldownKey: InterpolatedText? = nil, dedupWindow: Duration? = nil,
        onFailure: [Step] = [], finally: [Step] = [], onBudgetExhausted: [Step] = [], budget: Budget? = nil,
        schedule: Located<Schedule>? = nil, isCheck: Bool = false
    ) {
        self.metadata = metadata
        self.file = file
        self.match = match
        self.priority = priority
        self.concurrency = concurrency
        self.cooldown = cooldown
        self.steps = steps
        self.resolvedWhen = resolvedWhen
        self.escalation = escalation
        self.status = status
        self.escalationChoice = escalationChoice
        self.cooldownKey = cooldownKey
        self.dedupWindow = dedupWindow
        self.onFailure = onFailure
        self.finally = finally
        self.onBudgetExhausted = onBudgetExhausted
        self.schedule = schedule
        self.isCheck = isCheck
        self.budget = budget
    }

    public var name: String { metadata.name.value }

    /// The steps, then `on_failure`, `on_budget_exhausted` and `finally`: every step of the
    /// runbook, for checks that look at each (lint, docs, coverage).
    public var allSteps: [Step] { steps + onFailure + onBudgetExhausted + finally }

    /// Whether the runbook or any of its steps has a budget.
    public var hasBudget: Bool { budget != nil || allSteps.contains { $0.budget != nil } }

    /// The runbooks its `stop` steps hand the alert to (`handoff:`).
    public var handoffTargets: [Located<String>] {
        steps.compactMap { step in
            if case .stop(_, let handoff?) = step.action { return handoff }
            return nil
        }
    }
}

/// `match:` — which alerts a runbook answers.
public struct RunbookMatch: Sendable, Equatable {
    public var sources: [SourceGlob]
    public var severity: SeverityMatcher?
    public var labels: [LabelMatcher]
    public var location: SourceLocation
    /// False for a check: it runs on its schedule and matches no alert.
    public var acceptsAlerts = true

    public init(
        sources: [SourceGlob] = [], severity: SeverityMatcher? = nil, labels: [LabelMatcher] = [],
        location: SourceLocation
    ) {
        self.sources = sources
        self.severity = severity
        self.labels = labels
        self.location = location
    }

    /// The match of a check: none.
    public static func none(at location: SourceLocation) -> RunbookMatch {
        var match = RunbookMatch(location: location)
        match.acceptsAlerts = false
        return match
    }
}

/// `status:` — status-page messages at the start, periodically, and at resolution.
public struct StatusMessages: Sendable, Equatable {
    public var onStart: StatusMessage?
    public var onUpdate: StatusMessage?
    public var onResolved: StatusMessage?

    public init(onStart: StatusMessage? = nil, onUpdate: StatusMessage? = nil, onResolved: StatusMessage? = nil) {
        self.onStart = onStart
        self.onUpdate = onUpdate
        self.onResolved = onResolved
    }

    public var all: [StatusMessage] { [onStart, onUpdate, onResolved].compactMap { $0 } }
}

public struct StatusMessage: Sendable, Equatable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        case investigating, identified, monitoring, resolved
    }

    public var template: Located<String>
    public var state: State
    public var every: Duration?
    public var notify: [Located<String>]
    public var location: SourceLocation

    public init(
        template: Located<String>, state: State, every: Duration? = nil, notify: [Located<String>] = [],
        location: SourceLocation
    ) {
        self.template = template
        self.state = state
        self.every = every
        self.notify = notify
        self.location = location
    }
}
