import RunbookCore
import RunbookLifecycle
import RunbookStore

/// One run as a row of the console's runs tables: what an engineer scans at 3 a.m. (severity,
/// alert, where it stands, how old, who is paged next).
struct RunRowView {
    var listing: RunListing
    var catalog: Catalog
    var now: Int64

    var values: [String: Any] {
        let run = listing.run
        let alert = listing.alert?.alert
        let runbook =
            alert.flatMap { catalog.runbook(named: run.runbook, for: $0) } ?? catalog.runbook(named: run.runbook)
        var values: [String: Any] = [
            "id": run.id, "state": run.state.rawValue, "severity": alert?.severity ?? "none",
            "alert": alert?.name ?? "alert \(run.alertID)", "labels": Self.labelSummary(alert?.labels ?? [:]),
            "runbook": runbook?.metadata.displayTitle ?? run.runbook, "now": Self.standing(listing),
            "started": HTMLTime(epochMilliseconds: run.startedAt).values,
            "age": Self.age(milliseconds: now - run.startedAt), "drill": alert?.drill != nil,
        ]
        if let timer = listing.nextEscalation, case .escalation(let rung, _) = timer.timer,
            run.resolvedAt == nil, run.ackedBy == nil
        {
            let targets = runbook.flatMap { $0.escalation.indices.contains(rung) ? $0.escalation[rung] : nil }?
                .notify.map(\.value).joined(separator: ", ")
            values["next"] = [
                "due": HTMLTime(epochMilliseconds: timer.dueAt).values, "targets": targets ?? "rung \(rung + 1)",
            ]
        }
        return values
    }

    /// Where the run is now, in words: waiting on a person, in a step, or how it ended.
    static func standing(_ listing: RunListing) -> String {
        let run = listing.run
        if run.state == .running {
            if let waiting = run.waitingFor { return "waiting for approval: \(waiting)" }
            if let step = listing.currentStep { return "running \(step)" }
            return "starting"
        }
        if let resolution = run.resolution { return resolution.reason }
        if let acked = run.acknowledgement { return "acknowledged by \(acked.who)" }
        switch run.state {
        case .open: return "steps done; escalating until acknowledged or resolved"
        case .failed: return "failed; not resolved"
        case .stopped: return "stopped: nothing more to do until the alert resolves"
        case .completed: return "completed: a scheduled run; nothing stays open"
        default: return run.outcome?.rawValue ?? run.state.rawValue
        }
    }

    /// The labels that tell alerts of one name apart, `name=value`, at most four.
    static func labelSummary(_ labels: [String: String]) -> String {
        let preferred = ["instance", "host", "service", "job", "namespace", "pod", "env", "team"]
        let skipped: Set<String> = ["alertname", "severity"]
        let ordered =
            preferred.filter { labels[$0] != nil }
            + labels.keys.sorted().filter { !preferred.contains($0) && !skipped.contains($0) }
        return ordered.prefix(4).map { "\($0)=\(labels[$0] ?? "")" }.joined(separator: " ")
    }

    /// `45s`, `12m`, `3h 5m`, `2d 4h` ago.
    static func age(milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds / 1000)
        switch seconds {
        case ..<60: return "\(seconds)s ago"
        case ..<3600: return "\(seconds / 60)m ago"
        case ..<86_400: return "\(seconds / 3600)h \(seconds % 3600 / 60)m ago"
        default: return "\(seconds / 86_400)d \(seconds % 86_400 / 3600)h ago"
        }
    }
}
