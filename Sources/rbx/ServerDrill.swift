import Foundation
import RunbookCore
import RunbookServer

/// `rbx drill --server URL RUNBOOK --alert FILE`: a fire drill through a running `rbx serve`
/// (`POST /api/v1/drills`), then, unless told not to wait, the run it started followed until
/// its steps end, printed as `rbx runs show` would.
struct ServerDrill {
    var client: ServerClient
    var runbook: String
    var alertPath: String
    var speed: Int
    var runDiagnostics: Bool
    var wait: Duration?

    func execute() async -> CommandOutcome {
        let bytes: Data
        do {
            bytes =
                alertPath == "-"
                ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: alertPath))
        } catch {
            return CommandFailure(message: "cannot read \(alertPath): \(error.localizedDescription)", exitCode: 2)
                .outcome
        }
        guard let alert = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any] else {
            return CommandFailure(message: "\(alertPath): expected one alert as a JSON object", exitCode: 2).outcome
        }
        let request: [String: Any] = [
            "runbook": runbook, "alert": alert, "speed": speed, "run_diagnostics": runDiagnostics,
        ]
        let body = try? JSONSerialization.data(withJSONObject: request)
        let posted: ServerClient.Reply
        switch await client.send("POST", "/api/v1/drills", json: body) {
        case .failure(let failure): return failure.outcome
        case .success(let reply): posted = reply
        }
        let answer = (try? JSONSerialization.jsonObject(with: posted.data)) as? [String: Any] ?? [:]
        let outcome = answer["outcome"] as? String ?? "?"
        var out = "drill of \(runbook) at \(speed)× speed: alert \(answer["alert_id"] ?? "-") \(outcome)"
        if let silence = answer["silenced_by"] as? String { out += " (silence \(silence))" }
        out += "\n"
        guard outcome == "queued", let wait, let alertID = answer["alert_id"] as? Int else {
            if outcome != "queued" {
                out += "no run starts, as for a real alert in the same situation\n"
            }
            return CommandOutcome(stdout: out, exitCode: 0)
        }
        let deadline = ContinuousClock.now + wait
        var runID: String?
        var detail: RunDetailBody?
        while ContinuousClock.now < deadline {
            if runID == nil, case .success(let reply) = await client.send("GET", "/api/v1/runs?limit=500"),
                let runs = reply.decoded([RunBody].self)
            {
                runID = runs.first { $0.alertID == Int64(alertID) }?.id
            }
            if let runID, case .success(let reply) = await client.send("GET", "/api/v1/runs/\(runID)"),
                let body = reply.decoded(RunDetailBody.self), body.run.state != "running"
            {
                detail = body
                break
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        guard let detail else {
            out +=
                "the run \(runID ?? "(not started yet)") was still running after \(wait.runbookDescription); "
                + "follow it with rbx runs show or in the console\n"
            return CommandOutcome(stdout: out, exitCode: 1)
        }
        out += "run \(detail.run.id): \(detail.run.state)\n"
        for event in detail.timeline { out += "  \(event.at)  \(event.summary)\n" }
        if let evidence = detail.run.evidence {
            out += "evidence: \(evidence) (manifest \(detail.run.evidenceManifestDigest ?? "-"))\n"
        }
        return CommandOutcome(stdout: out, exitCode: detail.run.state == "failed" ? 1 : 0)
    }
}
