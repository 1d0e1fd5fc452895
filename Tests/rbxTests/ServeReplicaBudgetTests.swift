import Foundation
import RunbookTesting
import Testing

/// A remediation budget shared by two `rbx serve` processes on one PostgreSQL database: twenty
/// alerts of one service, posted to both at once, restart it exactly `max` times; every other
/// run is refused with its note and pages its first rung at once.
@Suite(.serialized) struct ServeReplicaBudgetTests {
    @Test func twoReplicasSpendABudgetOfThreeExactlyThreeTimes() async throws {
        let database = try await PostgresTestCluster.freshDatabase()
        let runbook = ServeProcess.runbook(
            "restarter", alertname: "WorkerOffline",
            steps: """
                  - id: restart
                    kind: remediation
                    run: ["/bin/sh", "-c", "echo \\"$1\\" >> DIR/restarts.log", "sh", "{{alert.labels.instance}}"]
                    timeout: 10s
                    budget: {max: 3, per: 1h, key: "{{alert.labels.service}}"}
                """,
            tail: """
                escalation:
                  - after: 1h
                    notify: [pager]
                """)
        let directory = try ServeProcess.replicaCatalog(runbooks: ["restarter.yaml": runbook])
        let replicas = try await ServeProcess.startReplicas(2, catalog: directory, database: database)
        defer { for replica in replicas where replica.pid > 0 { replica.kill9() } }

        let total = 20
        try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<total {
                let url = replicas[index % 2].url
                let json = #"[{"labels":{"alertname":"WorkerOffline","service":"payments","instance":"w-\#(index)"}}]"#
                group.addTask {
                    try await ServeProcess.tool([
                        "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                        "-H", "Authorization: Bearer \(ServeProcess.token)", "-H", "Content-Type: application/json",
                        "--data-binary", json, url + "/api/v2/alerts",
                    ]).stdout
                }
            }
            for try await status in group { #expect(status == "200") }
        }
        let refused = total - 3
        #expect(
            await eventually(timeout: .seconds(60)) {
                replicas[0].lines("pages.log").filter { $0.hasPrefix("--- escalation") }.count >= refused
            }, "pages: \(replicas[0].lines("pages.log").filter { $0.hasPrefix("--- escalation") }.count)")
        // Past a claim lock and a poll: a fourth restart or a second page would show by now.
        try await Task.sleep(for: .seconds(3))
        #expect(replicas[0].lines("restarts.log").count == 3, "\(replicas[0].lines("restarts.log"))")
        #expect(replicas[0].lines("pages.log").filter { $0.hasPrefix("--- escalation") }.count == refused)

        let listed = try await ServeProcess.tool([
            "curl", "-sS", "-H", "Authorization: Bearer \(ServeProcess.token)", replicas[1].url + "/api/v1/budgets",
        ]).stdout
        let budgets = try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]] ?? []
        #expect(budgets.count == 1, "\(listed)")
        #expect(budgets.first?["budget"] as? String == "restarter/restart/payments")
        #expect(budgets.first?["used"] as? Int == 3)
        #expect(budgets.first?["exhausted"] as? Bool == true)
        for replica in replicas { #expect(await replica.stop() == 0) }
    }
}
