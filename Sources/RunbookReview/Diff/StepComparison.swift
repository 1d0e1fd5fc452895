import RunbookCore
import RunbookYAML

/// Compares two step lists by step id: what was added, removed, reordered, and for each step
/// that stayed, every property that alters what it does. Locations are never compared, so
/// moving, reformatting or re-anchoring YAML changes nothing.
struct StepComparison {
    /// "step", or "playbook restart-container step" for steps reached through a playbook.
    var scope: String

    func compare(base: [Step], head: [Step]) -> [DiffFinding] {
        var findings: [DiffFinding] = []
        let baseIDs = base.map(\.id.value)
        let headIDs = head.map(\.id.value)
        for step in base where !headIDs.contains(step.id.value) {
            findings.append(removed(step))
        }
        for step in head where !baseIDs.contains(step.id.value) {
            findings.append(added(step))
        }
        let kept = baseIDs.filter(headIDs.contains)
        let keptInHead = headIDs.filter(baseIDs.contains)
        if kept != keptInHead, let first = head.first {
            findings.append(
                DiffFinding(
                    .steps, .medium,
                    "steps run in a different order: \(kept.joined(separator: " → ")) is now \(keptInHead.joined(separator: " → "))",
                    base: base.first?.location, head: first.location))
        }
        for old in base {
            guard let new = head.first(where: { $0.id.value == old.id.value }) else { continue }
            findings += changes(from: old, to: new)
        }
        return findings
    }

    private func removed(_ step: Step) -> DiffFinding {
        let name = "\(scope) \(step.id.value)"
        switch step.kind {
        case .approval:
            return DiffFinding(
                .steps, .high, "approval \(name) removed: what followed it no longer waits for a person",
                base: step.location)
        case .remediation:
            return DiffFinding(
                .steps, .medium, "remediation \(name) removed: \(Self.action(step))", base: step.location)
        case .notify:
            return DiffFinding(
                .steps, .medium, "notification \(name) removed: \(Self.action(step))", base: step.location)
        case .stop:
            return DiffFinding(
                .steps, .medium, "stop \(name) removed: the steps after it now run where it stopped them",
                base: step.location)
        case .raise:
            return DiffFinding(
                .steps, .high,
                "raise \(name) removed: \(Self.action(step)) no longer reaches intake, "
                    + "nor the runbook that handles it", base: step.location)
        case .diagnostic, .wait:
            return DiffFinding(.steps, .low, "\(step.kind.rawValue) \(name) removed", base: step.location)
        }
    }

    private func added(_ step: Step) -> DiffFinding {
        let name = "\(scope) \(step.id.value)"
        let guardText = step.when.map { " when \($0.expression)" } ?? ""
        switch step.kind {
        case .remediation:
            return DiffFinding(
                .steps, .high, "new remediation \(name)\(guardText): \(Self.action(step))", head: step.location)
        case .notify:
            return DiffFinding(
                .steps, .medium, "new notification \(name)\(guardText): \(Self.action(step))", head: step.location)
        case .approval:
            return DiffFinding(
                .steps, .low, "new approval \(name)\(guardText): later steps wait for \(Self.action(step))",
                head: step.location)
        case .stop:
            return DiffFinding(
                .steps, .medium, "new stop \(name)\(guardText): the steps after it no longer run then",
                head: step.location)
        case .raise:
            return DiffFinding(
                .steps, .high, "new raise \(name)\(guardText): \(Self.action(step)) goes into intake",
                head: step.location)
        case .diagnostic, .wait:
            return DiffFinding(
                .steps, .low, "new \(step.kind.rawValue) \(name)\(guardText): \(Self.action(step))", head: step.location
            )
        }
    }

    private func changes(from old: Step, to new: Step) -> [DiffFinding] {
        let name = "\(scope) \(new.id.value)"
        let acting = new.kind == .remediation || old.kind == .remediation
        var findings: [DiffFinding] = []
        func add(_ risk: DiffRisk, _ message: String, detail: [String] = []) {
            findings.append(DiffFinding(.steps, risk, message, base: old.location, head: new.location, detail: detail))
        }
        if old.kind != new.kind {
            add(
                new.kind == .remediation ? .high : .medium,
                "\(name) is now a \(new.kind.rawValue) step (was \(old.kind.rawValue))")
        }
        let oldAction = Self.action(old)
        let newAction = Self.action(new)
        if oldAction != newAction {
            add(
                acting ? .high : .medium, "\(name) \(Self.actionNoun(new)) changed",
                detail: ["before: \(oldAction)", "after:  \(newAction)"])
        }
        switch (old.when.map { "\($0.expression)" }, new.when.map { "\($0.expression)" }) {
        case (nil, let condition?): add(acting ? .high : .medium, "\(name) now runs only when \(condition)")
        case (let condition?, nil):
            add(acting ? .high : .medium, "\(name) now always runs (before: only when \(condition))")
        case (let before?, let after?) where before != after:
            add(acting ? .high : .medium, "\(name) runs when \(after) (before: when \(before))")
        default: break
        }
        for (risk, message) in BudgetComparison(name: name).findings(from: old.budget, to: new.budget) {
            add(risk, message)
        }
        switch (old.until.map { "\($0.expression)" }, new.until.map { "\($0.expression)" }) {
        case (nil, let condition?): add(.medium, "\(name) is now polled until \(condition)")
        case (let condition?, nil): add(.medium, "\(name) is no longer polled (before: until \(condition))")
        case (let before?, let after?) where before != after:
            add(.medium, "\(name) is polled until \(after) (before: until \(before))")
        default: break
        }
        compare(old.interval, new.interval, "\(name) polls every", .low, into: add)
        compare(old.timeout?.value, new.timeout?.value, "\(name) timeout", acting ? .medium : .low, into: add)
        if old.retries != new.retries {
            add(
                acting && new.retries > old.retries ? .medium : .low,
                "\(name) is tried \(new.retries + 1) times (before: \(old.retries + 1))")
        }
        compare(old.backoff, new.backoff, "\(name) backoff", .low, into: add)
        if old.continueOnError != new.continueOnError {
            add(
                .medium,
                new.continueOnError
                    ? "a failure of \(name) no longer stops the run" : "a failure of \(name) now stops the run")
        }
        if old.idempotent != new.idempotent {
            add(
                .medium,
                new.idempotent
                    ? "\(name) is now rerun after a crash (idempotent)"
                    : "\(name) is no longer rerun after a crash (not idempotent)")
        }
        if old.allowLeadingDash != new.allowLeadingDash {
            add(
                new.allowLeadingDash ? .high : .low,
                new.allowLeadingDash
                    ? "\(name) now passes interpolated values that begin with - (allow_leading_dash)"
                    : "\(name) now refuses interpolated values that begin with - (no allow_leading_dash)")
        }
        if old.safe != new.safe {
            add(
                .low,
                new.safe
                    ? "\(name) may now run in drills with --run-diagnostics (safe)"
                    : "\(name) no longer runs in drills (not safe)")
        }
        let oldEnv = old.env.map { "\($0.name.value)=\($0.value.text)" }.sorted()
        let newEnv = new.env.map { "\($0.name.value)=\($0.value.text)" }.sorted()
        if oldEnv != newEnv {
            add(
                acting ? .high : .medium, "\(name) environment changed",
                detail: ["before: \(oldEnv.joined(separator: " "))", "after:  \(newEnv.joined(separator: " "))"])
        }
        if old.workdir?.text != new.workdir?.text {
            add(
                acting ? .high : .medium,
                "\(name) runs in \(new.workdir?.text ?? "rbx's directory") (before: \(old.workdir?.text ?? "rbx's directory"))",
                detail: [])
        }
        let oldOutputs = old.outputs.map { "\($0.name.value)=\($0.written)" }.sorted()
        let newOutputs = new.outputs.map { "\($0.name.value)=\($0.written)" }.sorted()
        if oldOutputs != newOutputs {
            add(
                .medium, "\(name) extracts different outputs",
                detail: [
                    "before: \(oldOutputs.joined(separator: " "))", "after:  \(newOutputs.joined(separator: " "))",
                ])
        }
        if old.kind == .approval, new.kind == .approval, old.onTimeout != new.onTimeout {
            add(
                new.onTimeout == .approve ? .high : .low,
                "\(name) now \(new.onTimeout == .approve ? "approves" : "denies") when nobody answers in time")
        }
        return findings
    }

    private func compare(
        _ old: StepDuration?, _ new: StepDuration?, _ what: String, _ risk: DiffRisk,
        into add: (DiffRisk, String, [String]) -> Void
    ) {
        guard old != new else { return }
        add(
            risk, "\(what) \(new?.runbookDescription ?? "default") (before: \(old?.runbookDescription ?? "default"))",
            [])
    }

    /// What a step does, as a reviewer reads it: argv as a list, never re-quoted.
    static func action(_ step: Step) -> String {
        switch step.action {
        case .run(let argv): return "[" + argv.map { "\"\($0.text)\"" }.joined(separator: ", ") + "]"
        case .shell(let script): return "shell: \(script.text)"
        case .uses(let playbook, let inputs):
            let with = inputs.map { "\($0.name.value)=\($0.value.text)" }.sorted().joined(separator: ", ")
            return "playbook \(playbook.value)" + (with.isEmpty ? "" : " with \(with)")
        case .notify(let targets, let template, let message):
            return "notify \(targets.map(\.value).joined(separator: ", "))"
                + (template.map { " template \($0.value)" } ?? "") + (message.map { ": \($0.text)" } ?? "")
        case .wait(let duration): return "wait \(duration.runbookDescription)"
        case .approval(let message, let approvers):
            return "approval by \(approvers.isEmpty ? "anyone" : approvers.joined(separator: ", "))"
                + (message.map { ": \($0.text)" } ?? "")
        case .stop(let reason, let handoff):
            return "stop: \(reason.text)" + (handoff.map { "; hands off to \($0.value)" } ?? "")
        case .query(let query): return "query \(query.server?.value ?? "(the only prometheus)"): \(query.text.text)"
        case .raise(let raise): return raise.summary
        }
    }

    private static func actionNoun(_ step: Step) -> String {
        switch step.action {
        case .run: "command"
        case .shell: "shell script"
        case .uses: "playbook call"
        case .notify: "notification"
        case .wait: "wait"
        case .approval: "approval"
        case .stop: "stop"
        case .query: "query"
        case .raise: "raised alert"
        }
    }
}
