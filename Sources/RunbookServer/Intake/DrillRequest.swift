import Foundation
import RunbookCore
import RunbookLifecycle
import RunbookReview
import RunbookStore

/// `POST /api/v1/drills`: a fire drill through the running server (``AlertDrill``). The alert is
/// decoded as `/api/v1/alerts` decodes one, must route to the runbook named (a drill proves
/// the live wiring, so an alert that would start another runbook is refused), is marked, and
/// then goes through the same intake as every other alert.
struct DrillRequest {
    static let maxSpeed = 3600

    var runbook: String
    var alert: Alert
    var received: [UInt8]

    /// Reads `{"runbook": "…", "alert": {…}, "speed": 60, "run_diagnostics": false}`.
    static func read(
        _ body: [UInt8], by identity: Identity, catalog: Catalog, now: Int64
    ) throws(APIError) -> DrillRequest {
        guard let object = try JSONBody.object(body) as? [String: Any] else {
            throw APIError.badRequest("a drill is a JSON object: {\"runbook\": …, \"alert\": {…}}", field: nil)
        }
        guard let name = object["runbook"] as? String, !name.isEmpty else {
            throw APIError.badRequest("name the runbook to rehearse", field: "runbook")
        }
        guard catalog.runbook(named: name) != nil else { throw APIError.notFound("no runbook \(name)") }
        var speed = 1
        if let value = object["speed"] {
            guard let number = value as? Int, (1...maxSpeed).contains(number) else {
                throw APIError.badRequest("must be a whole number from 1 to \(maxSpeed)", field: "speed")
            }
            speed = number
        }
        var runDiagnostics = false
        if let value = object["run_diagnostics"] {
            guard let flag = value as? Bool else {
                throw APIError.badRequest("must be true or false", field: "run_diagnostics")
            }
            runDiagnostics = flag
        }
        guard let alertObject = object["alert"] as? [String: Any] else {
            throw APIError.badRequest("the alert to rehearse with, as a JSON object", field: "alert")
        }
        let bytes = JSONBody.encode(alertObject)
        let decoded: Alert
        do {
            let batch = try AlertDecoder.decodeAsReceived(bytes, form: .any, config: catalog.config, receivedAt: now)
            if let refused = batch.refused.first { throw refused }
            guard let first = batch.accepted.first?.alert else {
                throw APIError.badRequest("the alert is empty", field: "alert")
            }
            decoded = first
        } catch let error as APIError {
            throw error
        } catch let error as AlertDecodingError {
            throw APIError(status: 400, message: error.message, field: "alert" + (error.field.map { ".\($0)" } ?? ""))
        } catch {
            throw APIError.badRequest("the alert cannot be read: \(error)", field: "alert")
        }
        let drill = AlertDrill(speed: speed, requestedBy: identity.name, runDiagnostics: runDiagnostics)
        return try DrillRequest(
            runbook: name, alert: decoded, received: bytes, drill: drill, catalog: catalog, now: now)
    }

    /// The console's Rehearse: the runbook's sample alert (an example from `sample_alerts`
    /// that routes to it, or one made up from its matchers, as `rbx docs` shows).
    static func rehearsal(
        of name: String, speed: Int, by identity: Identity, catalog: Catalog, now: Int64
    ) throws(APIError) -> DrillRequest {
        guard let runbook = catalog.runbook(named: name) else { throw APIError.notFound("no runbook \(name)") }
        let example = SampleRun.examples(in: catalog).first {
            RunbookMatcher.selectedRunbook(for: $0.alert, in: catalog)?.name == name
        }
        guard let alert = example?.alert ?? SampleAlerts.typical(for: runbook, config: catalog.config) else {
            throw APIError(
                status: 422,
                message: "no example alert routes to \(name) and none can be made up from its matchers; "
                    + "add one to \(catalog.config.sampleAlertsDirectory) or drill with rbx drill --server")
        }
        let drill = AlertDrill(speed: min(max(speed, 1), maxSpeed), requestedBy: identity.name)
        return try DrillRequest(
            runbook: name, alert: alert, received: Array(AlertJSONWriter.json(alert).utf8), drill: drill,
            catalog: catalog, now: now)
    }

    /// A drill of `alert`, which must route to `runbook`: a drill proves this alert's wiring.
    /// A drill alert without an `endsAt` ends by itself once its whole ladder had its turn
    /// (the last rung plus an hour of the drill's time), as an Alertmanager alert without one
    /// resolves after its timeout: a forgotten drill does not escalate for ever.
    private init(
        runbook name: String, alert: Alert, received: [UInt8], drill: AlertDrill, catalog: Catalog, now: Int64
    ) throws(APIError) {
        let runbook = name
        let routed = RunbookMatcher.selectedRunbook(for: alert, in: catalog)?.name
        guard routed == runbook else {
            throw APIError(
                status: 422,
                message: "this alert would start \(routed.map { "runbook \($0)" } ?? "no runbook"), not \(runbook); "
                    + "a drill rehearses what the same alert would do (rbx match shows the routing)",
                field: "alert")
        }
        var marked = drill.mark(alert)
        if marked.endsAt == nil, marked.status == .firing {
            let ladder = catalog.runbook(named: runbook, for: marked)?.escalation.map(\.after).max() ?? .zero
            marked.endsAt = RFC3339.format(
                epochMilliseconds: now + drill.real(ladder + .seconds(3600)).totalMilliseconds)
        }
        self.runbook = runbook
        self.alert = marked
        self.received = received
    }
}
