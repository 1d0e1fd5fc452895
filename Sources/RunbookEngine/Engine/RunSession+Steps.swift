import Logging
import RunbookCore
import RunbookLifecycle
import Synchronization

extension RunSession {
    /// Runs steps in order, the runbook's (no prefix) or a called playbook's (`CALLER.`).
    /// Returns false when a step failed and stopped them; `results` gets each step's result.
    /// Only the runbook's own steps end the run on resolution and say in the timeline why they
    /// stopped; a playbook's failure is reported by its calling step.
    ///
    /// With `cleanup` (``executeCleanup``) the steps run whatever happened: a resolution does
    /// not end them, and a failed step does not skip the next one.
    func execute(
        _ steps: [Step], prefix: String = "", cleanup: Bool = false, into results: inout [StepResult]
    ) async -> Bool {
        let isRunbook = prefix.isEmpty
        var allSucceeded = true
        for step in steps {
            // Cancelled (shutdown past its grace): no further step starts; the run resumes later.
            if Task.isCancelled { return false }
            await fireDue()
            if isRunbook && resolved && !cleanup { return true }
            let result: StepResult
            if isRunbook, let resumed = resumedResult(for: step) {
                result = resumed
                if resumed.status == .interrupted, !(await observe({ try await $0.stepFinished(resumed) })) {
                    return false
                }
            } else {
                if isRunbook, !(await observe({ try await $0.stepStarted(step.id.value) })) {
                    record(
                        .run, "stopped before step \(step.id.value): its start could not be recorded",
                        step: step.id.value)
                    return false
                }
                result = await execute(step, prefix: prefix)
                if isRunbook, !(await observe({ try await $0.stepFinished(result) })) {
                    context.steps[step.id.value] = result
                    results.append(result)
                    return false
                }
            }
            context.steps[step.id.value] = result
            results.append(result)
            if isRunbook, !cleanup, let resolvedWhen = runbook.resolvedWhen,
                resolvedWhen.expression.isTrue(in: context)
            {
                await resolve(.condition(resolvedWhen.text))
                return true
            }
            // `stop` ends the steps as done; `finally` still runs.
            if isRunbook && !cleanup && stopReason != nil { return true }
            if !result.ok && result.status != .skipped && isRunbook { logFailure(result) }
            if !result.ok && result.status != .skipped && !step.continueOnError {
                if cleanup {
                    allSucceeded = false
                    continue
                }
                if isRunbook {
                    record(.run, "stopped: step \(step.id.value) \(result.status.rawValue)", step: step.id.value)
                }
                context.failedStep = prefix + step.id.value
                return false
            }
        }
        return allSucceeded
    }

    /// `on_failure` when the steps stopped on a failure, then `finally` whatever happened. Each
    /// list runs to its end; returns false when the steps or one of these failed.
    ///
    /// `onBudgetExhausted` (the runbook's, when a budget was exhausted) runs instead of
    /// `onFailure`, whether or not the exhausted step stopped the steps.
    func executeCleanup(
        onFailure: [Step], finally: [Step], after succeeded: Bool, prefix: String = "",
        onBudgetExhausted: [Step] = [], into results: inout [StepResult]
    ) async -> Bool {
        guard !Task.isCancelled, !observerRefused else { return succeeded }
        var ok = succeeded
        if !onBudgetExhausted.isEmpty {
            record(.run, "running on_budget_exhausted steps")
            ok = await execute(onBudgetExhausted, prefix: prefix, cleanup: true, into: &results) && ok
        } else if !succeeded && !onFailure.isEmpty {
            if prefix.isEmpty { record(.run, "running on_failure steps") }
            ok = await execute(onFailure, prefix: prefix, cleanup: true, into: &results) && ok
        }
        if !finally.isEmpty, !Task.isCancelled, !observerRefused {
            if prefix.isEmpty { record(.run, "running finally steps") }
            ok = await execute(finally, prefix: prefix, cleanup: true, into: &results) && ok
        }
        return ok
    }

    /// A step an interrupted attempt finished is taken as it was; the step it was in the middle
    /// of runs again only when the runbook says it is idempotent.
    private func resumedResult(for step: Step) -> StepResult? {
        guard let resume = options.resume else { return nil }
        let id = step.id.value
        if let finished = resume.finished.first(where: { $0.id == id }) {
            record(.step, "\(id) \(finished.status.rawValue) (finished before the restart; not run again)", step: id)
            return finished
        }
        guard resume.interruptedStep == id else { return nil }
        if step.idempotent {
            record(.step, "\(id) was interrupted by a restart; running it again (idempotent)", step: id)
            return nil
        }
        let note =
            "interrupted by a restart; not run again because the step is not idempotent: a person must check what it did"
        record(.step, "\(id) \(note)", step: id)
        return StepResult(id: id, kind: step.kind, status: .interrupted, origin: .rendered, startedAt: now, note: note)
    }

    private func logFailure(_ result: StepResult) {
        var metadata: Logger.Metadata = [
            "run.id": .string(options.runID), "runbook": .string(runbook.name), "step.id": .string(result.id),
            "status": .string(result.status.rawValue),
        ]
        if let code = result.exitCode { metadata["exit_code"] = .stringConvertible(code) }
        if let note = result.note { metadata["note"] = .string(redactor.redact(note)) }
        options.logger?.warning("step failed", metadata: metadata)
    }

    /// Hands the observer the timeline so far, then the call. False when the observer refused
    /// (see ``RunObserver``): the run must stop.
    func observe(_ call: (any RunObserver) async throws -> Void) async -> Bool {
        guard let observer = options.observer else { return true }
        if observerRefused { return false }
        do {
            try await flushTimelineOrThrow()
            try await call(observer)
            return true
        } catch {
            observerRefused = true
            return false
        }
    }

    /// Gives the observer what it has not seen of the timeline; a refusal is noted, not thrown.
    func flushTimeline() async {
        do { try await flushTimelineOrThrow() } catch { observerRefused = true }
    }

    private func flushTimelineOrThrow() async throws {
        guard let observer = options.observer, flushedEvents < timeline.count, !observerRefused else { return }
        let events = Array(timeline[flushedEvents...])
        flushedEvents = timeline.count
        try await observer.recorded(events)
    }

    private func execute(_ step: Step, prefix: String) async -> StepResult {
        let id = step.id.value
        let fullID = prefix + id
        let started = now
        if let when = step.when, !when.expression.isTrue(in: context) {
            record(.step, "\(fullID) skipped (when: \(when.text) is false)", step: fullID)
            return StepResult(
                id: id, kind: step.kind, status: .skipped, origin: .rendered, startedAt: started, note: "when is false")
        }
        // Asked once per execution of the step, before its retries: a use is a run of the step.
        if prefix.isEmpty, let budget = step.budget, let note = await askBudget(budget, step: step) {
            return StepResult(
                id: id, kind: step.kind, status: .failed, origin: .rendered, startedAt: started, note: note)
        }
        var result: StepResult
        switch step.action {
        case .run, .shell:
            result = await runCommandStep(step, fullID: fullID)
        case .uses(let playbook, let inputs):
            result = await callPlaybookRetrying(step, playbook: playbook.value, inputs: inputs, fullID: fullID)
        case .notify(let targets, let template, let message):
            let body = render(template: template?.value) ?? message.map { render($0) } ?? ""
            messenger.messages.append(
                RenderedMessage(at: started, trigger: .notify, template: template?.value, state: nil, body: body))
            await notify(
                targets.map(\.value), kind: "notify", body: body, key: "\(options.runID)/\(fullID)", at: started)
            let verb = sender.sends ? "notified" : "would notify"
            record(.step, "\(fullID) \(verb) \(targets.map(\.value).joined(separator: ", "))", step: fullID)
            result = StepResult(
                id: id, kind: step.kind, status: sender.sends ? .ok : .wouldRun, origin: .rendered, startedAt: started,
                attempts: 1)
        case .wait(let setting):
            switch setting.resolve(render) {
            case .success(let length):
                record(.step, "\(fullID) waits \(length.runbookDescription)", step: fullID)
                await advance(to: started + length) { self.resolved }
                result = StepResult(
                    id: id, kind: step.kind, status: .ok, origin: .rendered, startedAt: started, attempts: 1)
            case .failure(let problem):
                result = StepResult(
                    id: id, kind: step.kind, status: .failed, origin: .rendered, startedAt: started,
                    note: redactor.redact("duration: \(problem)"))
                recordFinished(result, fullID: fullID)
            }
        case .approval(let message, _):
            result = await awaitApproval(step, message: message.map { render($0) }, fullID: fullID)
        case .query(let query):
            result = await runQueryStep(step, query: query, fullID: fullID)
        case .raise(let raise):
            result = await runRaiseStep(step, raise: raise, fullID: fullID)
        case .stop(let reason, let target):
            let rendered = redactor.redact(render(reason))
            stopReason = rendered
            record(.run, "\(fullID) stops the run: \(rendered)", step: fullID)
            if let target {
                handoff = target.value
                record(.run, "\(fullID) hands off to runbook \(target.value) for the same alert", step: fullID)
            }
            result = StepResult(
                id: id, kind: step.kind, status: options.isDryRun ? .wouldRun : .ok, origin: .rendered,
                startedAt: started, attempts: 1, note: rendered)
        }
        result.startedAt = started
        result.duration = now - started
        if case .run = step.action { recordFinished(result, fullID: fullID) }
        if case .shell = step.action { recordFinished(result, fullID: fullID) }
        return result
    }

    private func recordFinished(_ result: StepResult, fullID: String) {
        var summary = "\(fullID) \(result.status.rawValue)"
        if let code = result.exitCode, result.status != .ok { summary += " (exit \(code))" }
        if result.attempts > 1 { summary += " after \(result.attempts) attempts" }
        if result.origin == .assumed { summary += " [assumed]" }
        if let note = result.note, result.status != .ok { summary += ": \(note)" }
        record(.step, summary, step: fullID)
    }

    /// Renders an interpolated text against the current context (values inserted once).
    func render(_ text: InterpolatedText) -> String {
        text.interpolation.render(in: context)
    }

    private func awaitApproval(_ step: Step, message: String?, fullID: String) async -> StepResult {
        let id = step.id.value
        let started = now
        let timeout: Duration
        do {
            timeout = try StepTiming.resolve(step.timeout?.value, default: .seconds(3600), render)
        } catch {
            let note = redactor.redact("timeout: \(error)")
            record(.approval, "\(fullID) failed: \(note)", step: fullID)
            return StepResult(
                id: id, kind: step.kind, status: .failed, origin: .rendered, startedAt: started, note: note)
        }
        record(.approval, "\(fullID) waits for approval" + (message.map { ": \($0)" } ?? ""), step: fullID)
        if !options.isDryRun, options.drill == nil {
            options.logger?.info(
                "approval requested",
                metadata: [
                    "run.id": .string(options.runID), "runbook": .string(runbook.name), "step.id": .string(fullID),
                    "approvers": .stringConvertible(step.approvers),
                ])
        }
        func result(_ status: StepResult.Status, _ note: String) -> StepResult {
            record(.approval, "\(fullID) \(note)", step: fullID)
            return StepResult(
                id: id, kind: step.kind, status: status, origin: .rendered, startedAt: started, attempts: 1, note: note)
        }
        if options.isDryRun { return result(.wouldRun, "would wait for approval") }
        if let drill = options.drill {
            switch drill.assumptions[fullID] ?? .ok {
            case .ok: return result(.ok, "approved [assumed]")
            case .fail, .exit: return result(.denied, "denied [assumed]")
            case .timeout:
                await advance(to: started + timeout) { self.resolved }
                return timedOutApproval(step, result: result)
            }
        }
        var gate = ApprovalGate(
            step: fullID, approvers: step.approvers, minApprovers: step.minApprovers, startedBy: options.startedBy)
        let outcome: ApprovalGate.Outcome?
        if let control {
            await control.open(gate)
            _ = await observe { try await $0.approvalWaiting(fullID) }
            var seen: ApprovalGate.Outcome?
            await advance(to: started + timeout) {
                seen = await control.outcome(of: fullID)
                return (seen?.isFinal ?? false) || self.resolved || Task.isCancelled || self.observerRefused
            }
            await control.close(fullID)
            _ = await observe { try await $0.approvalWaiting(nil) }
            outcome = seen
        } else if let prompter = options.prompter {
            let request = ApprovalRequest(
                runID: options.runID, runbook: runbook.name, step: fullID, message: message, approvers: step.approvers,
                minApprovers: step.minApprovers, timeout: timeout,
                findings: context.steps.values.sorted { $0.startedAt < $1.startedAt })
            let answer = AnswerBox()
            let asking = Task { answer.set(await prompter.decide(request)) }
            wakeEvery = .milliseconds(100)
            await advance(to: started + timeout) { answer.value != nil || self.resolved || Task.isCancelled }
            wakeEvery = nil
            asking.cancel()
            switch answer.value {
            case .unavailable(let reason)?:
                return result(.failed, reason)
            case .verdict(let verdict, let identity)?:
                switch gate.decide(verdict, step: fullID, by: identity) {
                case .success(let decided): outcome = decided
                case .failure(let rejection): return result(.failed, rejection.message)
                }
            case nil:
                outcome = nil
            }
        } else {
            return result(
                .failed,
                "needs a person's decision and nobody can be asked here: run rbx run on a terminal, or pass --approve \(fullID) or --deny \(fullID)"
            )
        }
        switch outcome {
        case .approved(let people)?: return result(.ok, "approved by \(people.joined(separator: " and "))")
        case .denied(let person)?: return result(.denied, "denied by \(person)")
        case .pending(let approvedBy, let needed)? where !approvedBy.isEmpty && now < started + timeout:
            return result(
                .failed,
                "approved by \(approvedBy.joined(separator: ", ")) but \(needed) more approver(s) needed; stopped before a decision"
            )
        case .pending?, nil:
            // on_timeout applies only when the timeout really elapsed, never to a run stopped or
            // resolved while it waited.
            if resolved { return result(.failed, "the run was resolved while the step waited; not decided") }
            if now < started + timeout {
                return result(.failed, "stopped before a decision (shutdown); asks again when the run resumes")
            }
            return timedOutApproval(step, result: result)
        }
    }

    private func timedOutApproval(_ step: Step, result: (StepResult.Status, String) -> StepResult) -> StepResult {
        step.onTimeout == .approve
            ? result(.ok, "no decision before the timeout; approved (on_timeout: approve)")
            : result(.denied, "no decision before the timeout; denied (on_timeout: deny)")
    }

    /// A playbook call honours the calling step's `retries` and `backoff` like a command does:
    /// the whole call runs again after a failure of one of its steps. Refused inputs and an
    /// assumed outcome are not retried: another attempt would give the same answer.
    private func callPlaybookRetrying(
        _ step: Step, playbook name: String, inputs: [StepInput], fullID: String
    ) async -> StepResult {
        var attempt = 0
        while true {
            attempt += 1
            var result = await callPlaybook(step, playbook: name, inputs: inputs, fullID: fullID)
            result.attempts = attempt
            if result.ok || result.status == .wouldRun || result.children.isEmpty || attempt > step.retries
                || Task.isCancelled
            {
                return result
            }
            // A backoff that does not render falls back to the default rather than ending the retries.
            let backoff =
                (try? StepTiming.resolve(step.backoff, default: catalog.config.defaults.backoff, render))
                ?? catalog.config.defaults.backoff
            record(
                .step,
                "\(fullID) attempt \(attempt) \(result.status.rawValue); calling \(name) again in \(backoff.runbookDescription)",
                step: fullID)
            await advance(to: now + backoff) { self.resolved }
            if resolved { return result }
        }
    }

    /// Calls a playbook: inputs are rendered in the caller's context, then checked against the
    /// playbook's declarations, so a value that fails a pattern never reaches a command.
    private func callPlaybook(
        _ step: Step, playbook name: String, inputs: [StepInput], fullID: String
    ) async -> StepResult {
        let id = step.id.value
        let started = now
        guard let playbook = catalog.playbook(named: name) else {
            return StepResult(
                id: id, kind: step.kind, status: .failed, origin: .rendered, startedAt: started,
                note: "unknown playbook \(name)")
        }
        playbooksUsed[name] = playbook
        var values: [String: String] = [:]
        for input in inputs { values[input.name.value] = render(input.value) }
        for declared in playbook.inputs where values[declared.name.value] == nil {
            if let value = declared.defaultValue { values[declared.name.value] = value }
        }
        var problems: [String] = []
        for declared in playbook.inputs {
            guard let value = values[declared.name.value] else {
                if declared.required { problems.append("input \"\(declared.name.value)\" is required") }
                continue
            }
            if let problem = declared.violation(for: value) { problems.append(problem) }
        }
        if !problems.isEmpty {
            let note = redactor.redact(problems.joined(separator: "; "))
            record(.step, "\(fullID) refused: \(note)", step: fullID)
            return StepResult(
                id: id, kind: step.kind, status: .failed, origin: .rendered, startedAt: started, note: note)
        }
        if let assumption = options.drill?.assumptions[fullID] {
            record(.step, "\(fullID) calls \(name) [assumed \(assumption)]", step: fullID)
            if let took = options.drill?.assumedDurations[fullID] {
                await advance(to: started + took) { self.resolved }
            }
            return assumed(assumption, step: step, command: nil, started: started)
        }
        record(.step, "\(fullID) calls playbook \(name)", step: fullID)
        let saved = context
        context.alert = nil
        context.steps = [:]
        context.inputs = Dictionary(
            uniqueKeysWithValues: values.map { name, text in
                (name, playbook.input(named: name)?.expressionValue(for: text) ?? .string(text))
            })
        var children: [StepResult] = []
        let stepsSucceeded = await execute(playbook.steps, prefix: fullID + ".", into: &children)
        let succeeded = await executeCleanup(
            onFailure: playbook.onFailure, finally: playbook.finally, after: stepsSucceeded, prefix: fullID + ".",
            into: &children)
        // What the call returns, computed in the playbook's scope before the caller's comes back.
        var outputs: [String: ExpressionValue] = [:]
        for output in playbook.outputs {
            let value = output.value.expression.evaluate(in: context)
            if value != .null { outputs[output.name.value] = value }
        }
        context = saved
        let status: StepResult.Status = succeeded ? (options.isDryRun ? .wouldRun : .ok) : .failed
        return StepResult(
            id: id, kind: step.kind, status: status, origin: .rendered, startedAt: started, outputs: outputs,
            attempts: 1, children: children)
    }
}

/// The prompter's answer, handed from its task to the waiting run.
private final class AnswerBox: Sendable {
    private let answer = Mutex<ApprovalAnswer?>(nil)

    func set(_ value: ApprovalAnswer) { answer.withLock { $0 = value } }
    var value: ApprovalAnswer? { answer.withLock { $0 } }
}
