import Foundation
import RunbookCore
import RunbookLifecycle

extension RunSession {
    /// A `raise:` step: the alert rendered, read back through the same decoder intake uses (so a
    /// label intake would refuse fails the step here), routed in this catalog, then sent to the
    /// run's ``AlertRaiser``; a dry run or a drill only says what it would send.
    func runRaiseStep(_ step: Step, raise: AlertRaise, fullID: String) async -> StepResult {
        let started = now
        let id = step.id.value
        let instant = Int64(((virtualNow ?? Date().timeIntervalSince1970) * 1000).rounded())
        // Raised again at the next tick while the problem lasts: it outlives a few ticks.
        let expiry = raise.expiry(schedule: alert.tick == nil ? nil : runbook.schedule?.value, at: instant)
        let startsAt = RFC3339.format(epochMilliseconds: instant)
        let endsAt = raise.resolve ? startsAt : RFC3339.format(epochMilliseconds: instant + expiry.totalMilliseconds)
        let raisedBody = RaisedAlertBody(
            raise, severityLabel: catalog.config.severityLabel, startsAt: startsAt, endsAt: endsAt
        ) { redactor.redact(render($0)) }
        let (name, labels, annotations, body) =
            (raisedBody.name, raisedBody.labels, raisedBody.annotations, raisedBody.bytes)
        func failed(_ note: String) -> StepResult {
            let result = StepResult(
                id: id, kind: step.kind, status: .failed, origin: .rendered, startedAt: started, note: note)
            record(.step, "\(fullID) failed: \(note)", step: fullID)
            return result
        }
        let alert: Alert
        do {
            guard let decoded = try AlertDecoder.decode(body, config: catalog.config, receivedAt: instant).first else {
                return failed("the raised alert \(name) was empty")
            }
            alert = decoded
        } catch {
            return failed("intake would refuse the raised alert \(name): \(error)")
        }
        let route = RunbookMatcher.selectedRunbook(for: alert, in: catalog)?.name
        let verb = raise.resolve ? "resolve" : "raise"
        let outcome: String
        var status = StepResult.Status.ok
        if options.isDryRun || options.drill != nil {
            // A drill records the alert as it records a page: the step did its part.
            outcome = "would \(verb) it"
            status = options.isDryRun ? .wouldRun : .ok
        } else if let raiser = options.raiser {
            do {
                outcome = try await raiser.raise(body)
            } catch {
                return failed("intake did not take the raised alert \(name): \(error)")
            }
        } else {
            outcome = "recorded, not sent: this run has no intake (rbx serve queues raised alerts)"
        }
        raised.append(
            RaisedAlert(
                step: fullID, name: name, status: alert.status, labels: labels, annotations: annotations,
                startsAt: startsAt, endsAt: endsAt, runbook: route, outcome: outcome))
        let routed = route.map { "runbook \($0) takes it" } ?? "no runbook matches it"
        let summary = "\(fullID) \(raise.resolve ? "resolves" : "raises") alert \(name) (\(routed)): \(outcome)"
        record(.step, summary, step: fullID)
        return StepResult(
            id: id, kind: step.kind, status: status, origin: .rendered, startedAt: started, attempts: 1,
            note: "\(raise.resolve ? "resolved" : "raised") \(name): \(outcome)")
    }
}
