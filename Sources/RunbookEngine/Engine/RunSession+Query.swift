import RunbookCore
import RunbookLifecycle

extension RunSession {
    /// A `query:` step: the PromQL rendered (alert values escaped, see ``PromQLRendering``),
    /// then asked (live runs, and drills with `--run-diagnostics` for a safe step), only shown
    /// (dry runs) or assumed (drills, `rbx test`), with retries, backoff and `until` polling
    /// on the run's clock, as a command step.
    func runQueryStep(_ step: Step, query: PrometheusQuery, fullID: String) async -> StepResult {
        let started = now
        func refused(_ note: String) -> StepResult {
            let result = StepResult(
                id: step.id.value, kind: step.kind, status: .failed, origin: .rendered, startedAt: started,
                note: redactor.redact(note))
            record(.step, "\(fullID) failed: \(result.note ?? "")", step: fullID)
            return result
        }
        let timing: StepTiming
        do {
            timing = try StepTiming(step, defaults: catalog.config.defaults, render: render)
        } catch {
            return refused("\(error)")
        }
        guard let server = catalog.config.prometheusServer(for: query) else {
            return refused("no Prometheus \(query.server?.value ?? "") in rbx.yaml to ask")
        }
        let context = self.context
        let rendered: String
        switch PromQLRendering.render(query.text.interpolation, { $0.evaluate(in: context) }) {
        case .success(let text): rendered = text
        case .failure(let refusal): return refused("query refused before asking: \(refusal)")
        }
        var token: String?
        if let reference = server.token, executes(step, fullID: fullID) {
            do {
                token = try secrets.resolve(reference, redactor: &redactor)
            } catch {
                return refused("prometheus \(server.name.value) token: \(error)")
            }
        }
        let asking = QueryAttempt(
            step: step, fullID: fullID, server: server, query: redactor.redact(rendered), rendered: rendered,
            token: token)
        let result = await repeatAttempts(
            step, fullID: fullID, timing: timing, started: started,
            // An assumed query without an assumed value has nothing for `until` to read.
            assumedToHold: { $0.query == nil },
            attempt: { number, remaining in
                let bound = remaining.map { min(server.timeout, $0) } ?? min(server.timeout, timing.timeout)
                return await ask(asking, timeout: bound, quiet: number > 1)
            })
        return finished(result, fullID: fullID)
    }

    /// One query of a step, ready to send (the token resolved only when it is sent).
    private struct QueryAttempt {
        var step: Step
        var fullID: String
        var server: PrometheusServer
        /// Redacted, for the timeline and the evidence.
        var query: String
        var rendered: String
        var token: String?
    }

    /// One attempt: asked, assumed or only shown, depending on the mode.
    private func ask(_ attempt: QueryAttempt, timeout: Duration, quiet: Bool) async -> StepResult {
        let started = now
        let step = attempt.step
        let server = attempt.server.name.value
        var result = StepResult(
            id: step.id.value, kind: step.kind, status: .ok, origin: .executed, startedAt: started,
            command: ["query", server, attempt.query])
        if options.isDryRun {
            record(.step, "\(attempt.fullID) would query \(server): \(attempt.query)", step: attempt.fullID)
            result.status = .wouldRun
            result.origin = .rendered
            return result
        }
        if !quiet { record(.step, "\(attempt.fullID) queries \(server): \(attempt.query)", step: attempt.fullID) }
        if let drill = options.drill, !executes(step, fullID: attempt.fullID) {
            result = assumed(
                drill.assumptions[attempt.fullID] ?? .ok, step: step, command: result.command, started: started)
            result.exitCode = nil
            if result.status == .timedOut { await advance(to: started + timeout) { self.resolved } }
            if result.status == .ok, var value = drill.assumedQueries[attempt.fullID] {
                value.query = attempt.query
                value.server = server
                result.query = value
            }
            return result
        }
        let request = PrometheusRequest(
            baseURL: attempt.server.url, query: attempt.rendered, token: attempt.token, timeout: timeout,
            sizeLimit: catalog.config.defaults.outputLimit.bytes)
        let begun = ContinuousClock.now
        do {
            var answer = try await prometheus.instantQuery(request)
            answer.query = attempt.query
            answer.server = server
            result.query = answer
        } catch {
            result.status = error.code == .timeout ? .timedOut : .failed
            result.note = redactor.redact(
                error.code == .timeout
                    ? "\(server) did not answer within \(timeout.runbookDescription)" : error.message)
        }
        if let virtual = clock as? VirtualClock { virtual.advance(by: ContinuousClock.now - begun) }
        return result
    }

    private func finished(_ result: StepResult, fullID: String) -> StepResult {
        var line = "\(fullID) \(result.status.rawValue)"
        if result.attempts > 1 { line += " after \(result.attempts) attempts" }
        if result.origin == .assumed { line += " [assumed]" }
        var details: [String] = []
        if let value = result.query { details.append(value.summary) }
        if let note = result.note, result.status != .ok || result.query == nil { details.append(note) }
        if !details.isEmpty { line += ": " + details.joined(separator: "; ") }
        record(.step, line, step: fullID)
        return result
    }
}
