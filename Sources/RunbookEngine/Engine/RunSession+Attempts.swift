import RunbookCore
import RunbookLifecycle

extension RunSession {
    /// How a step that makes attempts (a command, a query) repeats them: with `until`, polling
    /// every `interval` until the condition holds or the step's timeout passes; otherwise
    /// retrying a failed attempt `retries` times after `backoff`. One rule for every such step.
    ///
    /// - Parameters:
    ///   - attempt: makes attempt `number`; `remaining` is the time left before the polling
    ///     deadline (nil without `until`), which the attempt must not outlast.
    ///   - assumedToHold: whether a drill's assumed result ends the polling without evaluating
    ///     `until` (it has nothing to evaluate it against).
    func repeatAttempts(
        _ step: Step, fullID: String, timing: StepTiming, started: Duration,
        assumedToHold: (StepResult) -> Bool,
        attempt: (_ number: Int, _ remaining: Duration?) async -> StepResult
    ) async -> StepResult {
        guard let until = step.until else {
            var number = 0
            while true {
                number += 1
                var result = await attempt(number, nil)
                result.attempts = number
                if result.ok || number > step.retries || Task.isCancelled { return result }
                record(
                    .step,
                    "\(fullID) attempt \(number) \(result.status.rawValue); retrying in "
                        + timing.backoff.runbookDescription, step: fullID)
                await advance(to: now + timing.backoff) { self.resolved }
                if resolved { return result }
            }
        }
        let deadline = started + timing.timeout
        let interval = timing.interval
        var number = 0
        while true {
            number += 1
            var result = await attempt(number, max(.milliseconds(1), deadline - now))
            result.attempts = number
            if result.origin == .assumed && result.status == .ok && assumedToHold(result) {
                result.note = "until assumed to hold"
                return result
            }
            var probe = context
            probe.steps[step.id.value] = result
            probe.currentStep = step.id.value
            if Self.untilHolds(until, after: result, in: probe) { return result }
            if result.status == .wouldRun {
                result.note = "would poll every \(interval.runbookDescription) until \(until.text)"
                return result
            }
            // A cancelled run (shutdown past its grace) stops polling: its sleeps return at once,
            // and another attempt would hit the target being checked back to back.
            if Task.isCancelled { return result }
            if now + interval >= deadline || resolved {
                // A last attempt that failed says why, beside the condition that did not hold.
                let failure = result.status == .ok ? nil : result.note
                result.status = .timedOut
                result.note = "until (\(until.text)) did not hold within \(timing.timeout.runbookDescription)"
                if let failure { result.note? += "; the last attempt: \(failure)" }
                return result
            }
            if number == 1 {
                record(.step, "\(fullID) polls every \(interval.runbookDescription) until \(until.text)", step: fullID)
            }
            await advance(to: now + interval) { self.resolved }
        }
    }
}
