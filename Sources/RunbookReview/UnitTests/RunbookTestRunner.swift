public import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookYAML

/// Runs runbook unit tests through the drill engine and checks what each run did.
///
/// A test routes its alert exactly as `rbx serve` would (``RunbookMatcher``), then drills the
/// selected runbook in virtual time with the test's assumptions, acks and resolves. Failures
/// are diagnostics at the expectation that failed, so an editor or CI annotation points at the
/// line of the test, and the message names the runbook line that produced the other value.
public struct RunbookTestRunner: Sendable {
    public let catalog: Catalog

    public init(catalog: Catalog) { self.catalog = catalog }

    /// Loads the catalog and the tests (the catalog's `tests/` when `paths` is empty) and runs
    /// them. A catalog with lint errors runs no tests: its errors are the report's problems.
    ///
    /// - Throws: ``CatalogLoadError`` when the catalog directory cannot be read.
    ///
    /// - Parameter progress: told `(done, total)` after each test, for a progress line.
    public static func run(
        catalogDirectory: String, paths: [String], progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async throws(CatalogLoadError) -> RunbookTestReport {
        let catalog = try await CatalogLoader.load(directory: catalogDirectory)
        guard !catalog.hasErrors else {
            var report = RunbookTestReport(coverage: [])
            report.loadProblems = catalog.diagnostics.filter { $0.severity == .error }
            return report
        }
        let (suites, problems) = RunbookTestLoader.load(
            paths: paths.isEmpty ? [RunbookTestLoader.defaultDirectory(of: catalog)] : paths, catalog: catalog)
        var report = await RunbookTestRunner(catalog: catalog).run(suites, progress: progress)
        report.loadProblems = problems
        return report
    }

    public func run(
        _ suites: [RunbookTestSuite], progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async -> RunbookTestReport {
        var report = RunbookTestReport(coverage: RunbookCoverage.empty(for: catalog))
        let total = suites.reduce(0) { $0 + $1.tests.count }
        for suite in suites {
            for test in suite.tests {
                defer { progress?(report.results.count, total) }
                let clock = ContinuousClock()
                let started = clock.now
                var (result, records) = await run(test, file: suite.file)
                result.duration = started.duration(to: clock.now)
                report.results.append(result)
                for record in records { report.coverage.record(record) }
            }
        }
        return report
    }

    /// The test's result and its runs: the routed runbook's, then any it handed the alert to.
    func run(_ test: RunbookTestCase, file: String) async -> (RunbookTestResult, [RunRecord]) {
        var result = RunbookTestResult(file: file, name: test.name)
        var alerts = test.alerts
        if let check = test.check {
            switch tick(of: check, startedAt: test.startedAt ?? Rehearsal.startedAt) {
            case .success(let alert): alerts = [.init(at: .zero, alert: alert, location: check.location)]
            case .failure(let problem):
                result.fail(problem.message, at: check.location)
                return (result, [])
            }
        }
        guard let first = alerts.first else { return (result, []) }
        let routed =
            test.check.flatMap { catalog.runbook(named: $0.value) }
            ?? RunbookMatcher.selectedRunbook(for: first.alert, in: catalog)
        if let expected = test.expect.runbook, expected.value != (routed?.name ?? "none") {
            result.fail(
                "runbook: expected \(expected.value), got \(routed.map { "\($0.name) (\($0.file))" } ?? "none (no runbook matches \(first.alert.name))")",
                at: expected.location)
        }
        guard let runbook = routed else {
            if test.expect.runbook?.value != "none" {
                result.fail(
                    "no runbook matches the alert \(first.alert.name) [\(SampleAlerts.describe(first.alert, config: catalog.config))]",
                    at: first.location)
            }
            return (result, [])
        }
        for name in test.budgets.keys.sorted() where !Self.hasBudget(runbook, named: name) {
            result.fail(
                "budgets.\(name): \(name == InMemoryBudgetLedger.runbookKey ? "runbook \(runbook.name)" : "step \(name)") "
                    + "has no budget; name a budgeted step of \(runbook.name), or _runbook for its own budget",
                at: test.name.location)
        }
        // A query step prints nothing: an assumed stdout would be ignored, and the test pass by accident.
        for name in test.stdout.keys.sorted() where isQueryStep(named: name, in: runbook) {
            result.fail(
                "assume.\(name): \(name) is a query step, which prints nothing; assume its result instead, "
                    + "as {value: N} or {samples: [{labels: {…}, value: N}]}",
                at: test.name.location)
        }
        var records = [
            await Rehearsal.run(
                runbook, alert: first.alert, in: catalog, options: options(for: test, runbook: runbook),
                startedAt: test.startedAt ?? Rehearsal.startedAt)
        ]
        RunbookTestChecks(test: test, record: records[0], runbook: runbook).check(into: &result)
        // The hand-offs run as a server would run them, with the same assumptions; their steps
        // count toward their own runbooks' coverage.
        while let last = records.last,
            case .success(let next)? = RunHandoff.next(
                after: last, made: records.count - 1, in: catalog)
        {
            records.append(
                await Rehearsal.run(
                    next, alert: first.alert, in: catalog, options: options(for: test, runbook: next),
                    startedAt: test.startedAt ?? Rehearsal.startedAt,
                    handedOffFrom: RunHandoff.Origin(runID: last.id, runbook: last.runbook.name)))
        }
        return (result, records)
    }

    struct TickProblem: Error {
        var message: String
    }

    /// The alert of `check`'s tick at or before `startedAt`, as the server would queue it.
    private func tick(of check: Located<String>, startedAt: String) -> Result<Alert, TickProblem> {
        guard let runbook = catalog.runbook(named: check.value) else {
            let hint = Suggestion.didYouMean(check.value, in: catalog.runbooks.map(\.name))
            return .failure(TickProblem(message: "check: no runbook or check named \"\(check.value)\"\(hint)"))
        }
        let instant = Int64((RFC3339.secondsSinceEpoch(startedAt) ?? 0) * 1000)
        do throws(TickLookupError) {
            return .success(try runbook.tick(atOrBefore: instant).alert)
        } catch {
            switch error {
            case .noSchedule:
                return .failure(TickProblem(message: "check: \(check.value) has no schedule; test it with an alert"))
            case .noTickBefore(let schedule):
                return .failure(
                    TickProblem(message: "check: schedule \"\(schedule)\" names no time before \(startedAt)"))
            }
        }
    }

    /// Whether `name` (a step id, or `call.step` inside a called playbook) is a `query:` step.
    private func isQueryStep(named name: String, in runbook: Runbook) -> Bool {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard let step = runbook.allSteps.first(where: { $0.id.value == parts[0] }) else { return false }
        if parts.count == 1 {
            if case .query = step.action { return true }
            return false
        }
        guard case .uses(let playbook, _) = step.action, let called = catalog.playbook(named: playbook.value) else {
            return false
        }
        return called.allSteps.contains { inner in
            if inner.id.value == parts[1], case .query = inner.action { return true }
            return false
        }
    }

    private static func hasBudget(_ runbook: Runbook, named name: String) -> Bool {
        name == InMemoryBudgetLedger.runbookKey
            ? runbook.budget != nil : runbook.allSteps.contains { $0.id.value == name && $0.budget != nil }
    }

    /// The drill that reproduces the test: later notifications about the alert become the
    /// resolve time (a resolved one) or nothing (a repeat is deduplicated by intake).
    private func options(for test: RunbookTestCase, runbook: Runbook) -> DrillOptions {
        var assumptions: [String: DrillOptions.Assumption] = [:]
        for (step, outcome) in test.assume { assumptions[step.value] = DrillOptions.Assumption(outcome.value) }
        var resolveAt = test.resolveAt
        if let first = test.alerts.first {
            for later in test.alerts.dropFirst()
            where later.alert.fingerprint == first.alert.fingerprint && later.alert.status == .resolved {
                resolveAt = min(resolveAt ?? later.at, later.at)
            }
        }
        var options = DrillOptions(
            assumptions: assumptions, ackAt: test.ackAt, resolveAt: resolveAt, horizon: test.horizon,
            assumedStdout: test.stdout)
        options.assumedDurations = test.took
        options.assumedQueries = test.queries
        options.assumedBudgets = test.budgets
        return options
    }
}

/// The outcome of one test.
public struct RunbookTestResult: Sendable {
    public var file: String
    public var name: Located<String>
    public var failures: [Diagnostic] = []
    /// How long the test took to run (virtual time passes in no time), for JUnit reports.
    public var duration: Duration = .zero

    public var passed: Bool { failures.isEmpty }

    mutating func fail(_ message: String, at location: SourceLocation) {
        failures.append(.error("test-failed", "test \"\(name.value)\": \(message)", at: location))
    }
}
