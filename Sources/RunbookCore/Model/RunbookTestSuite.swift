public import RunbookYAML

/// A file of runbook unit tests (`tests/*.yaml`, `kind: RunbookTest`), in the spirit of
/// `promtool test rules`: alerts, assumed step outcomes and people's actions at virtual times,
/// and what the runbook must do in reply. `rbx test` runs them through the drill engine.
public struct RunbookTestSuite: Sendable {
    public var file: String
    public var name: String?
    public var tests: [RunbookTestCase]

    public init(file: String, name: String? = nil, tests: [RunbookTestCase]) {
        self.file = file
        self.name = name
        self.tests = tests
    }
}

/// One test: one alert followed through one run.
public struct RunbookTestCase: Sendable {
    /// The firing alert that starts the run, and later notifications about the same alert
    /// (a repeat is a duplicate, a resolved one resolves the run at its time).
    public struct TimedAlert: Sendable {
        public var at: Duration
        public var alert: Alert
        public var location: SourceLocation

        public init(at: Duration, alert: Alert, location: SourceLocation) {
            self.at = at
            self.alert = alert
            self.location = location
        }
    }

    public var name: Located<String>
    public var alerts: [TimedAlert]
    /// `check: NAME`: the test runs that scheduled runbook or check for its tick at `started_at`,
    /// without an alert.
    public var check: Located<String>?
    /// Assumed outcomes by step id (`CALLER.STEP` inside a playbook): ok, fail, exit:N, timeout.
    public var assume: [(step: Located<String>, outcome: Located<String>)]
    /// Assumed stdout by step id, for steps whose `outputs:` later steps test.
    public var stdout: [String: String] = [:]
    /// Assumed query results by step id (`{value: 42}` or `{samples: [...]}`), for `query:`
    /// steps, which a test never sends to Prometheus.
    public var queries: [String: QueryResult] = [:]
    /// Assumed durations by step id (`ok:40s`, or `took: 40s`): the virtual time the step takes,
    /// so escalation and status timers fall where they would in a real run of that length.
    public var took: [String: Duration] = [:]
    /// Uses of budgets already in their window when the test starts, by step id (`_runbook`: the
    /// runbook's own budget): `budgets: {restart: 3}` with `max: 3` tests the exhausted path.
    public var budgets: [String: Int] = [:]
    public var ackAt: Duration?
    public var resolveAt: Duration?
    public var horizon: Duration?
    /// When the drill starts (`started_at`), so `now`, `weekday(now)` and `hour(now)` are what the
    /// test says; by default a fixed instant, the same on every machine.
    public var startedAt: String?
    public var expect: RunbookTestExpectations

    public init(
        name: Located<String>, alerts: [TimedAlert], assume: [(step: Located<String>, outcome: Located<String>)] = [],
        ackAt: Duration? = nil, resolveAt: Duration? = nil, horizon: Duration? = nil, expect: RunbookTestExpectations
    ) {
        self.name = name
        self.alerts = alerts
        self.assume = assume
        self.ackAt = ackAt
        self.resolveAt = resolveAt
        self.horizon = horizon
        self.expect = expect
    }
}

/// What a test expects; each expectation keeps its place so a failure points at it.
public struct RunbookTestExpectations: Sendable {
    public struct Escalation: Sendable {
        public var at: Duration
        public var notify: [String]
        public var location: SourceLocation

        public init(at: Duration, notify: [String], location: SourceLocation) {
            self.at = at
            self.notify = notify
            self.location = location
        }
    }

    public struct StatusText: Sendable {
        public var trigger: String?
        public var at: Duration?
        public var contains: String
        public var location: SourceLocation

        public init(trigger: String? = nil, at: Duration? = nil, contains: String, location: SourceLocation) {
            self.trigger = trigger
            self.at = at
            self.contains = contains
            self.location = location
        }
    }

    /// The runbook the alert must route to; `none` expects no runbook.
    public var runbook: Located<String>?
    /// `resolved`, `succeeded`, `failed` or `acked`.
    public var outcome: Located<String>?
    /// The runbook the run hands the alert to (`handoff:`), or `none`.
    public var handoff: Located<String>?
    /// Step id → `ok`, `failed`, `skipped`, `timed_out`, `denied`, or `ran` (anything but skipped).
    public var steps: [(step: Located<String>, status: Located<String>)] = []
    /// Step id → the exact rendered argv.
    public var argv: [(step: Located<String>, argv: [String], location: SourceLocation)] = []
    /// Every escalation page of the run, in order; an empty list expects none.
    public var escalations: [Escalation]?
    public var escalationsLocation: SourceLocation?
    public var status: [StatusText] = []
    /// `raised:` — the alerts the run's `raise:` steps send, in order (nil: not checked).
    public var raised: [Raised]?
    public var raisedLocation: SourceLocation?

    /// One expected raised alert: its name, and optionally its status, labels (a subset) and
    /// the runbook intake routes it to (`none` for none).
    public struct Raised: Sendable {
        public var alertname: String
        public var status: String?
        public var labels: [String: String]
        public var runbook: String?
        public var location: SourceLocation

        public init(
            alertname: String, status: String?, labels: [String: String], runbook: String?, location: SourceLocation
        ) {
            self.alertname = alertname
            self.status = status
            self.labels = labels
            self.runbook = runbook
            self.location = location
        }
    }

    public init() {}
}
