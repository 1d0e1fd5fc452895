import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookStore

/// `GET /console/runs/{id}`: the alert, the live timeline, the steps with their output, pages
/// with their delivery, and at a waiting gate the prompt and what the steps before it found,
/// so an approval means the person saw the evidence.
struct RunPage {
    /// Output shown per stream; the evidence bundle keeps all of it.
    static let outputCap = 16 * 1024

    var dependencies: ServerDependencies

    /// The page's values, or nil when there is no such run.
    func values(runID: String) async throws -> [String: Any]? {
        guard let detail = try await dependencies.store.run(id: runID) else { return nil }
        let run = detail.run
        let record = try await dependencies.store.alert(id: run.alertID)
        let runbook = dependencies.catalog.runbook(named: run.runbook)
        let waiting = await waitingStep(for: run)
        let current = try await dependencies.store.currentSteps(runIDs: [run.id])[run.id]
        var listing = RunListing(
            run: run, alert: record, currentStep: current, pendingTimers: detail.timers.filter { $0.state == .pending })
        listing.run.waitingFor = waiting
        let row = RunRowView(listing: listing, catalog: dependencies.catalog, now: dependencies.clock.milliseconds)
        var values: [String: Any] = [
            "title": runbook?.metadata.displayTitle ?? run.runbook, "id": run.id, "runID": run.id,
            "state": run.state.rawValue, "attempt": "\(run.attempt)", "runbook": run.runbook,
            "started": HTMLTime(epochMilliseconds: run.startedAt).values,
            "steps": detail.steps.map(stepValues),
            "timeline": detail.timeline.map { ["at": TimelineEvent.stamp($0.at), "summary": $0.summary] },
        ]
        values["drill"] = record?.alert.drill.map { "fire drill by \($0.requestedBy) at \($0.speed)× speed" }
        values["now"] = run.state == .running ? RunRowView.standing(listing) : nil
        values["next"] = row.values["next"]
        values["finished"] = run.finishedAt.map { HTMLTime(epochMilliseconds: $0).values }
        values["ackedBy"] = run.acknowledgement?.who
        values["resolvedBy"] = run.resolution?.reason
        values["resolvedAt"] = run.resolvedAt.map { HTMLTime(epochMilliseconds: $0).values }
        values["actions"] = run.resolvedAt == nil
        if let record { values["alert"] = alertValues(record) }
        if let path = run.evidence { values["evidence"] = ["path": path, "digest": run.evidenceDigest ?? "—"] }
        if let waiting, let runbook { values["gate"] = gate(waiting, runbook: runbook, detail: detail) }
        let notifications = detail.announcements.flatMap(\.notifications)
        values["hasNotifications"] = !notifications.isEmpty
        values["notifications"] = notifications.map { note -> [String: Any] in
            [
                "at": TimelineEvent.stamp(note.at), "notifier": note.notifier, "kind": note.kind,
                "delivered": note.delivered ? "yes" : "no", "error": note.error ?? "",
            ]
        }
        if let alert = record?.alert,
            let status = IncidentMessage(dependencies: dependencies).current(for: run, alert: alert),
            !status.body.isEmpty
        {
            values["status"] = ["state": status.state, "html": MarkdownHTML.render(status.body)]
        }
        let messages = detail.announcements.flatMap(\.messages)
        values["hasMessages"] = !messages.isEmpty
        values["statusMessages"] = messages.map { message -> [String: Any] in
            [
                "at": TimelineEvent.stamp(message.at), "state": message.state ?? message.trigger.rawValue,
                "html": MarkdownHTML.render(message.body),
            ]
        }
        return values
    }

    /// The approval step a run waits on: its live control's when it executes here, else what
    /// the replica executing it recorded.
    private func waitingStep(for run: RunRow) async -> String? {
        if let control = await dependencies.registry.control(for: run.id) { return await control.waitingStep }
        return run.state == .running ? run.waitingFor : nil
    }

    private func gate(_ step: String, runbook: Runbook, detail: RunDetail) -> [String: Any] {
        let asked = detail.timeline.last { $0.kind == .approval && $0.stepID == step }?.summary
        let prefix = "\(step) waits for approval: "
        let prompt = asked.map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }
        let approvers = dependencies.catalog.approvalSteps(of: runbook).first { $0.id == step }?.step.approvers ?? []
        return [
            "step": step, "prompt": prompt ?? "", "approvers": approvers.joined(separator: ", "),
            "found": detail.steps.map(stepValues),
        ]
    }

    private func stepValues(_ step: StepResult) -> [String: Any] {
        var values: [String: Any] = [
            "id": step.id, "kind": step.kind.rawValue, "status": step.status.rawValue,
            "css": step.ok ? "resolved" : step.status == .skipped ? "acked" : "failed",
            "failed": !step.ok && step.status != .skipped, "duration": step.duration.runbookDescription,
        ]
        // Mustache shows a section for an empty string: an empty stream is left out.
        values["stdout"] = step.stdout.isEmpty ? nil : Self.capped(step.stdout, truncated: step.stdoutTruncated)
        values["stderr"] = step.stderr.isEmpty ? nil : Self.capped(step.stderr, truncated: step.stderrTruncated)
        values["exit"] = step.exitCode.map { "\($0)" }
        values["attempts"] = step.attempts > 1 ? "\(step.attempts)" : nil
        values["command"] = step.command.map { ShellQuoting.display($0) }
        values["note"] = step.note
        if !step.outputs.isEmpty {
            values["outputs"] = [
                "pairs": step.outputs.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value.text] }
            ]
        }
        return values
    }

    private func alertValues(_ record: AlertRecord) -> [String: Any] {
        let alert = record.alert
        var values: [String: Any] = [
            "name": alert.name, "status": alert.status.rawValue, "severity": alert.severity ?? "none",
            "occurrences": "\(record.occurrences)",
            "labels": alert.labels.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] },
            "annotations": alert.annotations.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] },
            "hasAnnotations": !alert.annotations.isEmpty,
        ]
        values["startsAt"] = alert.startsAt
        if let url = alert.generatorURL, MarkdownHTML.isSafeTarget(url), url.hasPrefix("http") {
            values["generator"] = url
        }
        return values
    }

    private static func capped(_ text: String, truncated: Bool) -> String {
        guard text.utf8.count > outputCap else { return truncated ? text + "\n[output cut by rbx]" : text }
        return String(decoding: text.utf8.prefix(outputCap), as: UTF8.self) + "\n[… shown up to 16 KiB here]"
    }
}
