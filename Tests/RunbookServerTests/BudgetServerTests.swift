import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookStore
import Testing

@testable import RunbookServer

/// A restart limited to three per service per hour, through `rbx serve`: the store counts the
/// uses across runs, the fourth run hands over to people at once.
@Suite struct BudgetServerTests {
    static let runbook = """
        apiVersion: rbx/v1
        kind: Runbook
        metadata: { name: worker-restart }
        match: { labels: { alertname: WorkerOffline } }
        steps:
          - id: restart
            kind: remediation
            run: ["/bin/sh", "-c", "echo \\"$1\\" >> DIR/restarts.log", "sh", "{{alert.labels.instance}}"]
            timeout: 10s
            budget: { max: 3, per: 1h, key: "{{ alert.labels.service }}" }
        escalation:
          - after: 10m
            notify: [pager]
          - after: 30m
            notify: [pager]

        """

    private func post(_ client: any TestClientProtocol, instance: String) async throws {
        let alert = #"[{"labels":{"alertname":"WorkerOffline","service":"payments","instance":"\#(instance)"}}]"#
        try await client.send(.post, "/api/v2/alerts", json: alert)
    }

    @Test func threeRunsRestartTheFourthDoesNotSaysWhyAndPagesItsFirstRungAtOnce() async throws {
        let clock = ManualServerClock()
        let server = try await TestServer(runbooks: ["worker-restart.yaml": Self.runbook], clock: clock)
        try await server.withClient { client in
            for (index, instance) in ["w-1", "w-2", "w-3"].enumerated() {
                try await post(client, instance: instance)
                #expect(await eventually { server.lines("restarts.log").count == index + 1 })
                #expect(
                    try await eventually { try await server.store.runs(limit: 10, states: [.open]).count == index + 1 })
                clock.advance(by: .seconds(60))
            }
            #expect(server.lines("pages.log").filter { $0.hasPrefix("--- escalation") }.isEmpty)
            try await post(client, instance: "w-4")
            #expect(try await eventually { try await server.store.runs(limit: 10, states: [.failed]).count == 1 })
            #expect(server.lines("restarts.log") == ["w-1", "w-2", "w-3"], "the fourth restart is not run")
            let run = try #require(try await server.store.runs(limit: 1, states: [.failed]).first)
            let detail = try await client.send(.get, "/api/v1/runs/\(run.id)")
            let steps = detail.object["steps"] as? [[String: Any]] ?? []
            #expect(steps.first?["status"] as? String == "failed")
            let note = steps.first?["note"] as? String ?? ""
            #expect(
                note.hasPrefix("budget exhausted: 3 of 3 uses of restart for payments in the last 1h (next frees at ")
                    && note.hasSuffix("); not run"), "\(note)")
            // The first rung (T+10m) is paged now, with the clock where it stands.
            #expect(
                await eventually {
                    server.lines("pages.log").contains { $0.hasPrefix("--- escalation") && $0.contains(run.id) }
                }, "\(server.lines("pages.log"))")
            let timeline = (detail.object["timeline"] as? [[String: Any]] ?? []).compactMap { $0["summary"] as? String }
            #expect(timeline.contains("budget exhausted; rung 1 is paged now"), "\(timeline)")

            let budgets = try await client.send(.get, "/api/v1/budgets")
            #expect(budgets.status == .ok)
            let listed = try JSONDecoder().decode([BudgetBody].self, from: Data(budgets.text.utf8))
            #expect(listed.count == 1)
            #expect(listed.first?.budget == "worker-restart/restart/payments")
            let budget = try #require(listed.first)
            #expect(budget.used == 3 && budget.max == 3 && budget.per == "1h" && budget.exhausted)
            #expect(listed.first?.runs.count == 3)
            let unauthorized = try await client.send(.get, "/api/v1/budgets", token: nil)
            #expect(unauthorized.status == .unauthorized)

            let metrics = try await client.send(.get, "/metrics", token: nil).text
            #expect(metrics.contains(#"rbx_budget_uses_total{runbook="worker-restart",step="restart"} 3"#))
            #expect(metrics.contains(#"rbx_budget_exhausted_total{runbook="worker-restart",step="restart"} 1"#))

            // An hour after the first use, a restart is allowed again.
            clock.advance(by: .seconds(3600))
            try await post(client, instance: "w-5")
            #expect(await eventually { server.lines("restarts.log") == ["w-1", "w-2", "w-3", "w-5"] })
            // The exhausted run is not retried: a person decides.
            #expect(try await server.store.runs(limit: 10, states: nil).count == 5)
        }
    }
}
