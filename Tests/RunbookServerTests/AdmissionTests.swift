import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RunbookLifecycle
import RunbookStore
import Testing

@testable import RunbookServer

/// Which alerts become runs, and when: retries, concurrency keys, cooldown.
@Suite struct AdmissionTests {
    @Test func aFailedRunIsRetriedAfterTheDelayUpToTheLimit() async throws {
        let failing = """
            apiVersion: rbx/v1
            kind: Runbook
            metadata:
              name: flaky
            match:
              labels:
                alertname: Flaky
            steps:
              - id: check
                kind: diagnostic
                run: ["/bin/sh", "-c", "echo try >> DIR/steps.log; exit 3"]

            """
        let server = try await TestServer(
            runbooks: ["flaky.yaml": failing], config: "server:\n  retry_limit: 1\n  retry_delay: 1s\n")
        try await server.withClient { client in
            try await client.send(.post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Flaky"}}]"#)
            #expect(await eventually { (try? await server.store.alerts(limit: 1).first?.state) == .failed })
            #expect(server.lines("steps.log") == ["try", "try"])
            let runs = try await server.store.runs(limit: 10, states: nil)
            #expect(runs.map(\.attempt).sorted() == [1, 2])
            #expect(runs.allSatisfy { $0.state == .failed })
        }
    }

    @Test func runsSharingAConcurrencyKeyRunOneAtATime() async throws {
        let serial = """
            apiVersion: rbx/v1
            kind: Runbook
            metadata:
              name: serial
            match:
              labels:
                alertname: Serial
            concurrency: "{{alert.labels.host}}"
            steps:
              - id: work
                kind: diagnostic
                run: ["/bin/sh", "-c", "echo start-$1 >> DIR/steps.log; sleep 0.5; echo end-$1 >> DIR/steps.log", "sh", "{{alert.labels.n}}"]

            """
        let server = try await TestServer(runbooks: ["serial.yaml": serial], workers: 3)
        try await server.withClient { client in
            let alerts = (1...3).map { #"{"labels":{"alertname":"Serial","host":"h1","n":"\#($0)"}}"# }.joined(
                separator: ",")
            try await client.send(.post, "/api/v2/alerts", json: "[\(alerts)]")
            // A generous limit (it only turns a hang into a failure): each run waits for the key,
            // and the loaded full suite on 2 cores has taken longer than 10 s for the three.
            #expect(await eventually(timeout: .seconds(60)) { server.lines("steps.log").count == 6 })
            // Every start is followed by its own end before the next start.
            let lines = server.lines("steps.log")
            try #require(lines.count == 6, "\(lines)")
            for index in stride(from: 0, to: lines.count, by: 2) {
                #expect(lines[index].replacingOccurrences(of: "start", with: "end") == lines[index + 1])
            }
        }
    }

    @Test func theCooldownKeepsARepeatFromStartingASecondRun() async throws {
        let runbook = escalatingRunbook(rungs: []).replacingOccurrences(of: "steps:\n", with: "cooldown: 10m\nsteps:\n")
        let server = try await TestServer(runbooks: ["down.yaml": runbook], config: "defaults:\n  dedup_window: 0s\n")
        try await server.withClient { client in
            try await client.send(.post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"c1"}}]"#)
            #expect(await eventually { server.lines("steps.log").count == 1 })
            try await Task.sleep(for: .milliseconds(20))
            // Past the dedup window but with its run open: an occurrence of that run, not a new alert.
            let repeated = try await client.send(
                .post, "/api/v1/alerts", json: #"{"name":"Down","labels":{"instance":"c1"}}"#)
            #expect((repeated.object["alerts"] as? [[String: Any]])?.first?["outcome"] as? String == "deduplicated")
            // Resolved, then firing again within the cooldown: a new alert that starts no run.
            let resolved = #"[{"labels":{"alertname":"Down","instance":"c1"},"endsAt":"2020-01-01T00:00:00Z"}]"#
            try await client.send(.post, "/api/v2/alerts", json: resolved)
            try await client.send(.post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"c1"}}]"#)
            #expect(
                await eventually {
                    (try? await server.store.alerts(limit: 2).first?.note?.hasPrefix("cooldown")) ?? false
                })
            #expect(server.lines("steps.log").count == 1)
            #expect(try await server.store.alerts(limit: 5).count == 2)
        }
    }
}
