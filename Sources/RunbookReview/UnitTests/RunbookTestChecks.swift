import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookYAML

/// Compares one drill's record with one test's expectations.
struct RunbookTestChecks {
    var test: RunbookTestCase
    var record: RunRecord
    var runbook: Runbook

    /// `expect.raised`: the run's raised alerts, in order, each matching its entry.
    private func checkRaised(_ expected: [RunbookTestExpectations.Raised], into result: inout RunbookTestResult) {
        let actual = record.raised
        let shown = actual.map { "\($0.name) (\($0.status.rawValue))" }.joined(separator: ", ")
        if expected.count != actual.count {
            result.fail(
                "raised: expected \(expected.count) alert\(expected.count == 1 ? "" : "s"), got \(actual.count)"
                    + (actual.isEmpty ? "" : ": \(shown)"),
                at: test.expect.raisedLocation ?? test.name.location)
            return
        }
        for (want, got) in zip(expected, actual) {
            var problems: [String] = []
            if want.alertname != got.name { problems.append("alertname \(got.name)") }
            if let status = want.status, status != got.status.rawValue {
                problems.append("status \(got.status.rawValue)")
            }
            for (label, value) in want.labels.sorted(by: { $0.key < $1.key }) where got.labels[label] != value {
                problems.append("label \(label)=\(got.labels[label].map { "\"\($0)\"" } ?? "missing")")
            }
            if let runbook = want.runbook, runbook != (got.runbook ?? "none") {
                problems.append("routed to \(got.runbook ?? "none")")
            }
            if !problems.isEmpty {
                result.fail(
                    "raised \(want.alertname) (step \(got.step)): got \(problems.joined(separator: ", "))",
                    at: want.location)
            }
        }
    }

    func check(into result: inout RunbookTestResult) {
        let expect = test.expect
        if let outcome = expect.outcome, outcome.value != record.outcome.rawValue {
            result.fail(
                "outcome: expected \(outcome.value), got \(record.outcome.rawValue)\(stopReason.map { " (\($0))" } ?? "")",
                at: outcome.location)
        }
        if let handoff = expect.handoff, handoff.value != (record.handoff ?? "none") {
            result.fail(
                "handoff: expected \(handoff.value), got \(record.handoff ?? "none")"
                    + (stopReason.map { " (\($0))" } ?? ""), at: handoff.location)
        }
        if let raised = expect.raised { checkRaised(raised, into: &result) }
        let steps = Self.flatten(record.steps)
        for (step, status) in expect.steps {
            let defined = definition(of: step.value).map { " (\($0))" } ?? ""
            guard let actual = steps[step.value] else {
                result.fail(
                    "step \(step.value)\(defined): expected \(status.value), got not reached\(stopReason.map { ": \($0)" } ?? "")",
                    at: status.location)
                continue
            }
            let matches = status.value == "ran" ? actual.status != .skipped : actual.status.rawValue == status.value
            if !matches {
                result.fail(
                    "step \(step.value)\(defined): expected \(status.value), got \(actual.status.rawValue)\(actual.note.map { " (\($0))" } ?? "")",
                    at: status.location)
            }
        }
        for (step, argv, location) in expect.argv {
            let defined = definition(of: step.value).map { " (\($0))" } ?? ""
            guard let actual = steps[step.value] else {
                result.fail("argv of \(step.value)\(defined): the step was not reached", at: location)
                continue
            }
            guard let command = actual.command else {
                result.fail(
                    "argv of \(step.value)\(defined): the step ran no command (\(actual.status.rawValue))", at: location
                )
                continue
            }
            if command != argv {
                result.fail(
                    "argv of \(step.value)\(defined): expected \(Self.show(argv)), got \(Self.show(command))",
                    at: location)
            }
        }
        if let expected = expect.escalations, let location = expect.escalationsLocation {
            let actual = record.pages.map { "\($0.at.runbookDescription) \($0.notify.joined(separator: ","))" }
            let wanted = expected.map { "\($0.at.runbookDescription) \($0.notify.joined(separator: ","))" }
            if actual != wanted {
                result.fail(
                    "escalations: expected [\(wanted.joined(separator: "; "))], got [\(actual.joined(separator: "; "))] (escalation at \(ladderPlace))",
                    at: location)
            }
        }
        for status in expect.status {
            let candidates = record.messages.filter { message in
                (status.trigger == nil || message.trigger.rawValue == status.trigger)
                    && (status.at == nil || message.at == status.at)
            }
            if !candidates.contains(where: { $0.body.contains(status.contains) }) {
                let scope = [status.trigger, status.at.map { "at \($0.runbookDescription)" }].compactMap { $0 }.joined(
                    separator: " ")
                let seen =
                    candidates.isEmpty
                    ? "no \(scope.isEmpty ? "" : scope + " ")message was published"
                    : "got " + candidates.map { "\"\(Self.excerpt($0.body))\"" }.joined(separator: ", ")
                result.fail(
                    "status\(scope.isEmpty ? "" : " " + scope): expected a message containing \"\(status.contains)\", \(seen)",
                    at: status.location)
            }
        }
    }

    /// Step results by id, playbook steps as `CALLER.STEP`.
    static func flatten(_ results: [StepResult], prefix: String = "") -> [String: StepResult] {
        var byID: [String: StepResult] = [:]
        for result in results {
            byID[prefix + result.id] = result
            byID.merge(
                flatten(result.children, prefix: prefix + result.id + "."), uniquingKeysWith: { first, _ in first })
        }
        return byID
    }

    /// Why the run stopped early, from its timeline, for "not reached" messages.
    private var stopReason: String? {
        record.timeline.last { $0.kind == .run && $0.summary.hasPrefix("stopped:") }?.summary
    }

    private func definition(of stepID: String) -> String? {
        let top = stepID.split(separator: ".").first.map(String.init) ?? stepID
        guard let step = runbook.allSteps.first(where: { $0.id.value == top }) else { return nil }
        return "\(step.location.file):\(step.location.line)"
    }

    /// Where the ladder the run followed is written: the runbook, or its policy in rbx.yaml.
    private var ladderPlace: String {
        let first = record.runbook.escalation.first?.location
        return first.map { "\($0.file):\($0.line)" } ?? runbook.file
    }

    static func show(_ argv: [String]) -> String {
        "[" + argv.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }

    static func excerpt(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.count > 80 ? String(line.prefix(77)) + "..." : line
    }
}
