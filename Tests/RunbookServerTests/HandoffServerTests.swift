import Foundation
import HTTPTypes
import HummingbirdTesting
import RunbookCore
import RunbookLifecycle
import RunbookStore
import Testing

@testable import RunbookServer

/// `handoff:` through the server: the first run ends stopped, the alert goes back to the queue
/// for the named runbook, whose run starts with its own steps and ladder and says where it came
/// from; both stores keep the hand-off with the alert.
@Suite struct HandoffServerTests {
    static let apiDown = """
        apiVersion: rbx/v1
        kind: Runbook
        metadata:
          name: api-down
        match:
          labels:
            alertname: ApiDown
        steps:
          - id: check_db
            kind: diagnostic
            run: ["/bin/sh", "-c", "echo api-down >> DIR/steps.log; exit 3"]
            continue_on_error: true
          - id: database
            kind: stop
            when: not steps.check_db.ok
            stop: "the database behind {{alert.labels.service}} is down"
            handoff: database-down
          - id: restart_api
            kind: remediation
            run: ["/bin/sh", "-c", "echo restart-api >> DIR/steps.log"]
            timeout: 10s
        escalation:
          - after: 1m
            notify: [pager]

        """
    static let databaseDown = """
        apiVersion: rbx/v1
        kind: Runbook
        metadata:
          name: database-down
        match:
          labels:
            alertname: DatabaseDown
        steps:
          - id: look
            kind: diagnostic
            run: ["/bin/sh", "-c", "echo database-down >> DIR/steps.log"]
        escalation:
          - after: 2m
            notify: [pager]

        """

    @Test func aStopStepHandsTheAlertToTheNamedRunbookWhichRunsWithItsOwnLadder() async throws {
        let clock = ManualServerClock()
        let server = try await TestServer(
            runbooks: ["api-down.yaml": Self.apiDown, "database-down.yaml": Self.databaseDown], clock: clock)
        try await server.withClient { client in
            let posted = try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"ApiDown","service":"checkout"}}]"#)
            #expect(posted.status == .ok)
            #expect(try await eventually { try await server.store.runs(limit: 5, states: nil).count == 2 })
            #expect(await eventually { server.lines("steps.log") == ["api-down", "database-down"] })
            let runs = try await server.store.runs(limit: 5, states: nil)
            let first = try #require(runs.first { $0.runbook == "api-down" })
            let second = try #require(runs.first { $0.runbook == "database-down" })
            #expect(try await eventually { try await server.store.run(id: first.id)?.run.state == .stopped })
            #expect(try await eventually { try await server.store.run(id: second.id)?.run.state == .open })
            #expect(second.alertID == first.alertID, "one alert, two runs")

            let alert = try #require(try await server.store.alert(id: first.alertID))
            #expect(alert.handoff == AlertHandoff(runbook: "database-down", fromRun: first.id, fromRunbook: "api-down"))
            #expect(alert.handoffs == 1)

            func timeline(_ run: RunRow) async throws -> [String] {
                let detail = try await client.send(.get, "/api/v1/runs/\(run.id)")
                return (detail.object["timeline"] as? [[String: Any]] ?? []).compactMap { $0["summary"] as? String }
            }
            #expect(
                try await timeline(first).contains("database hands off to runbook database-down for the same alert"))
            #expect(
                try await timeline(second).contains(
                    "took over the alert from run \(first.id) of api-down, which handed it off"))

            // The ladder is the new runbook's: its 2m rung is pending, the first run's 1m rung ended.
            let pending = try #require(try await server.store.run(id: second.id)).timers.filter { $0.state == .pending }
            #expect(pending.map { $0.key.replacingOccurrences(of: second.id, with: "RUN") } == ["RUN/rung-1/0"])
            clock.advance(by: .seconds(120))
            #expect(await eventually { server.lines("pages.log").contains { $0.hasPrefix("--- escalation") } })
            let pages = server.lines("pages.log").filter { $0.hasPrefix("--- escalation") }
            #expect(pages.count == 1 && pages[0].contains(second.id), "\(pages)")
        }
    }
}
