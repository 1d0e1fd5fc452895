import Foundation
import RunbookCore
import RunbookEngine
import RunbookStore

/// Runs as the API shows them (`GET /api/v1/runs`, `GET /api/v1/runs/{id}`).
enum RunJSON {
    static func summary(_ run: RunRow) -> [String: Any] {
        var object: [String: Any] = [
            "id": run.id, "alert_id": run.alertID, "runbook": run.runbook, "fingerprint": run.fingerprint,
            "state": run.state.rawValue,
            "attempt": run.attempt, "started_at": RFC3339.format(epochMilliseconds: run.startedAt),
        ]
        if let outcome = run.outcome { object["outcome"] = outcome.rawValue }
        if let key = run.concurrencyKey { object["concurrency_key"] = key }
        if let finished = run.finishedAt { object["finished_at"] = RFC3339.format(epochMilliseconds: finished) }
        if let person = run.ackedBy { object["acked_by"] = person }
        if let resolved = run.resolvedAt { object["resolved_at"] = RFC3339.format(epochMilliseconds: resolved) }
        if let evidence = run.evidence { object["evidence"] = evidence }
        // What `rbx evidence verify DIR --manifest-digest` checks the bundle against.
        if let digest = run.evidenceDigest { object["evidence_manifest_digest"] = digest }
        return object
    }

    static func detail(_ detail: RunDetail, alert: AlertRecord?) -> [String: Any] {
        var object = summary(detail.run)
        if let alert {
            object["alert"] = [
                "name": alert.alert.name, "status": alert.alert.status.rawValue,
                "severity": alert.alert.severity ?? NSNull(),
                "labels": alert.alert.labels, "occurrences": alert.occurrences, "state": alert.state.rawValue,
                "note": alert.note ?? NSNull(),
            ]
        }
        object["steps"] = detail.steps.map { step -> [String: Any] in
            var item: [String: Any] = [
                "id": step.id, "kind": step.kind.rawValue, "status": step.status.rawValue, "attempts": step.attempts,
                "duration_ms": step.duration.totalMilliseconds,
            ]
            if let code = step.exitCode { item["exit_code"] = code }
            if let command = step.command { item["command"] = command }
            if let note = step.note { item["note"] = note }
            return item
        }
        object["timeline"] = detail.timeline.map { event -> [String: Any] in
            var item: [String: Any] = [
                "at": TimelineEvent.stamp(event.at), "kind": event.kind.rawValue, "summary": event.summary,
            ]
            if let step = event.stepID { item["step"] = step }
            return item
        }
        object["timers"] = detail.timers.map { timer -> [String: Any] in
            var item: [String: Any] = [
                "key": timer.key, "kind": timer.timer.isEscalation ? "escalation" : "status_update",
                "state": timer.state.rawValue,
                "due_at": RFC3339.format(epochMilliseconds: timer.dueAt),
            ]
            if let fired = timer.firedAt { item["fired_at"] = RFC3339.format(epochMilliseconds: fired) }
            return item
        }
        return object
    }
}
