import RunbookCore
import RunbookLifecycle

extension RunSession {
    /// A `run:` or `shell:` step: rendered, then run (live), rendered only (dry run) or assumed
    /// (drill), with retries, backoff and `until` polling on the run's clock.
    func runCommandStep(_ step: Step, fullID: String) async -> StepResult {
        let started = now
        let timing: StepTiming
        let invocation: CommandInvocation
        do {
            timing = try StepTiming(step, defaults: catalog.config.defaults, render: render)
            invocation = try makeInvocation(
                step, fullID: fullID, timeout: timing.timeout, executes: executes(step, fullID: fullID))
        } catch {
            return StepResult(
                id: step.id.value, kind: step.kind, status: .failed, origin: .rendered, startedAt: started,
                note: redactor.redact("\(error)"))
        }
        let shown = redactor.redact(invocation.argv)
        return await repeatAttempts(
            step, fullID: fullID, timing: timing, started: started, assumedToHold: { _ in true },
            attempt: { number, remaining in
                var bounded = invocation
                if let remaining { bounded.timeout = remaining }
                return await perform(
                    step, invocation: bounded, shown: shown, fullID: fullID, quiet: remaining != nil && number > 1)
            })
    }

    /// Whether `until` ends the polling after this attempt. A timed-out attempt never does; a
    /// failed one only when the condition itself speaks of failure (``Condition/considersFailure``):
    /// `until: not outputs.busy` must not end the polling because a failed attempt had no output.
    static func untilHolds(_ until: Condition, after result: StepResult, in context: RunContext) -> Bool {
        guard result.status != .timedOut else { return false }
        if result.status == .failed && !until.considersFailure { return false }
        return until.expression.isTrue(in: context)
    }

    /// Builds the child's argv and environment. Values are rendered once; for `shell:` every
    /// interpolated value is shell-quoted; the environment is the allow-list plus the step's
    /// own `env:` (where `${SECRET}` references are resolved and registered for redaction).
    /// A drill step that is only assumed needs no secrets: an unavailable `${NAME}` stays as
    /// written instead of failing the step, so rehearsals and `rbx test` run without them.
    /// An argv element that alert data could turn into an option is refused here, before anything
    /// runs, in every mode (see ``OptionInjection``).
    func makeInvocation(_ step: Step, fullID: String, timeout: Duration, executes: Bool) throws -> CommandInvocation {
        var environment = options.environment.filter { catalog.config.envAllow.contains($0.key) }
        for variable in step.env {
            let text = render(variable.value)
            environment[variable.name.value] =
                executes
                ? try secrets.resolve(text, redactor: &redactor) : secrets.resolveAvailable(text, redactor: &redactor)
        }
        let argv: [String]
        switch step.action {
        case .run(let elements):
            argv = elements.map(render)
            if !step.allowLeadingDash,
                let refused = OptionInjection.violation(argv: elements, rendered: argv, stepID: fullID)
            {
                throw refused
            }
        case .shell(let script):
            let context = self.context
            let text = script.interpolation.render { ShellQuoting.quote($0.evaluate(in: context).text) }
            argv = ["/bin/sh", "-c", text]
        default:
            argv = []
        }
        var directory: String?
        if let workdir = step.workdir {
            let rendered = render(workdir)
            guard rendered.hasPrefix("/") else { throw WorkdirError(written: workdir.text, rendered: rendered) }
            directory = rendered
        }
        return CommandInvocation(
            argv: argv, environment: environment, workingDirectory: directory, timeout: timeout,
            killGrace: options.killGrace, outputLimit: catalog.config.defaults.outputLimit.bytes,
            mark: "\(options.runID)/\(fullID)")
    }

    /// Whether the step's command really runs: live and dry runs (which check everything a live
    /// run needs), and in drills only safe diagnostics with --run-diagnostics and no assumption.
    func executes(_ step: Step, fullID: String) -> Bool {
        guard let drill = options.drill else { return true }
        return drill.runDiagnostics && step.kind == .diagnostic && step.safe && drill.assumptions[fullID] == nil
    }

    /// One attempt: executed, assumed or only rendered, depending on the mode.
    /// - Parameter quiet: true for the second and later polls, which the timeline does not list
    ///   one by one (the step's final line gives the count).
    private func perform(
        _ step: Step, invocation: CommandInvocation, shown: [String], fullID: String, quiet: Bool = false
    ) async -> StepResult {
        let started = now
        let place = invocation.workingDirectory.map { " (in \($0))" } ?? ""
        let runs = {
            if !quiet { self.record(.step, "\(fullID) runs: \(ShellQuoting.display(shown))\(place)", step: fullID) }
        }
        if options.isDryRun {
            record(.step, "\(fullID) would run: \(ShellQuoting.display(shown))\(place)", step: fullID)
            return StepResult(
                id: step.id.value, kind: step.kind, status: .wouldRun, origin: .rendered, startedAt: started,
                command: shown)
        }
        if let drill = options.drill {
            if !executes(step, fullID: fullID) {
                var assumption = drill.assumptions[fullID] ?? .ok
                runs()
                if let took = drill.assumedDurations[fullID], assumption != .timeout {
                    // A step that takes longer than its timeout is killed at the timeout, as live.
                    if took >= invocation.timeout {
                        assumption = .timeout
                    } else {
                        await advance(to: started + took) { self.resolved }
                    }
                }
                if assumption == .timeout { await advance(to: started + invocation.timeout) { self.resolved } }
                var result = assumed(assumption, step: step, command: shown, started: started)
                if let stdout = drill.assumedStdout[fullID] {
                    result.stdout = stdout
                    result.outputs = Self.outputs(of: step, stdout: stdout, stderr: "")
                }
                return result
            }
        }
        runs()
        let begun = ContinuousClock.now
        do {
            let outcome: CommandResult
            if let virtual = clock as? VirtualClock {
                outcome = try await runner.run(invocation)
                virtual.advance(by: ContinuousClock.now - begun)
            } else {
                outcome = try await runFiringTimers(invocation)
            }
            return executed(outcome, step: step, command: shown, started: started, timeout: invocation.timeout)
        } catch {
            return StepResult(
                id: step.id.value, kind: step.kind, status: .failed, origin: .executed, startedAt: started,
                command: shown,
                note: redactor.redact("\(error)"))
        }
    }

    /// Runs a command in real time while escalation rungs and status updates keep firing: the
    /// command runs in a child task, and the run wakes at each due time to fire what is due.
    /// (On a virtual clock a sleep returns at once, so there the command is simply awaited and
    /// time advanced by its real duration.)
    private func runFiringTimers(_ invocation: CommandInvocation) async throws(CommandRunnerError) -> CommandResult {
        let runner = self.runner
        let clock = self.clock
        let result: Result<CommandResult, CommandRunnerError>? = await withTaskGroup(
            of: Result<CommandResult, CommandRunnerError>?.self
        ) { group in
            group.addTask {
                do throws(CommandRunnerError) { return .success(try await runner.run(invocation)) } catch {
                    return .failure(error)
                }
            }
            while true {
                if let due = agenda.nextDue {
                    let wake = start.advanced(by: due)
                    group.addTask {
                        try? await clock.sleep(until: wake, tolerance: nil)
                        return nil
                    }
                }
                guard let finished = await group.next() else { return nil }
                if let finished {
                    group.cancelAll()
                    return finished
                }
                await fireDue()
            }
        }
        guard let result else {
            throw CommandRunnerError(code: .cancelled, program: invocation.program, message: "the run was cancelled")
        }
        return try result.get()
    }

    private func executed(
        _ outcome: CommandResult, step: Step, command: [String], started: Duration, timeout: Duration
    ) -> StepResult {
        let stdout = redactor.redact(String(decoding: outcome.stdout, as: UTF8.self))
        let stderr = redactor.redact(String(decoding: outcome.stderr, as: UTF8.self))
        var result = StepResult(
            id: step.id.value, kind: step.kind,
            status: outcome.succeeded ? .ok : (outcome.timedOut ? .timedOut : .failed),
            origin: .executed, startedAt: started, stdout: stdout, stderr: stderr,
            stdoutTruncated: outcome.stdoutTruncated,
            stderrTruncated: outcome.stderrTruncated, outputs: Self.outputs(of: step, stdout: stdout, stderr: stderr),
            command: command)
        switch outcome.termination {
        case .exited(let code): result.exitCode = code
        case .signaled(let signal): result.signal = signal
        }
        if outcome.timedOut {
            result.note = "killed after \(timeout.runbookDescription) (process group)"
        }
        return result
    }

    func assumed(_ assumption: DrillOptions.Assumption, step: Step, command: [String]?, started: Duration) -> StepResult
    {
        var result = StepResult(
            id: step.id.value, kind: step.kind, status: .ok, origin: .assumed, startedAt: started, exitCode: 0,
            command: command)
        switch assumption {
        case .ok: break
        case .fail:
            result.status = .failed
            result.exitCode = 1
        case .exit(let code):
            result.status = code == 0 ? .ok : .failed
            result.exitCode = code
        case .timeout:
            result.status = .timedOut
            result.exitCode = nil
            result.note = "assumed to time out"
        }
        return result
    }

    /// `outputs:` values, each as its ``StepOutput`` says; a value that is not there is left out.
    static func outputs(of step: Step, stdout: String, stderr: String) -> [String: ExpressionValue] {
        var printed = StepOutput.Printed(stdout: stdout, stderr: stderr)
        var values: [String: ExpressionValue] = [:]
        for output in step.outputs {
            let value = output.extract(from: &printed)
            if value != .null { values[output.name.value] = value }
        }
        return values
    }
}

/// A `workdir:` that did not render to an absolute path; the step fails before anything starts.
struct WorkdirError: Error, CustomStringConvertible {
    var written: String
    var rendered: String
    var description: String { "workdir \(written) rendered \"\(rendered.prefix(80))\", which is not an absolute path" }
}
