import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RunbookStore
import Testing

@testable import RunbookServer

@Suite struct IntakeAPITests {
    /// Issue 13: four alerts with a 41-character label against `=~"(a+)+$"` hung all of
    /// rbx serve (intake, /healthz, SIGTERM) on a backtracking engine. RE2 matches at once.
    @Test(.timeLimit(.minutes(1))) func aCatastrophicMatcherCannotStallIntake() async throws {
        let runbook = escalatingRunbook(rungs: []).replacingOccurrences(
            of: "    alertname: Down\n", with: "    alertname: Down\n    instance: \"=~(a+)+$\"\n")
        let server = try await TestServer(runbooks: ["down.yaml": runbook])
        try await server.withClient { client in
            let hostile = String(repeating: "a", count: 41) + "!"
            let alerts = (0..<4).map { #"{"labels":{"alertname":"Down","instance":"\#(hostile)\#($0)"}}"# }
            let posted = try await client.send(.post, "/api/v2/alerts", json: "[" + alerts.joined(separator: ",") + "]")
            #expect(posted.status == .ok)
            #expect(try await client.send(.get, "/healthz", token: nil).status == .ok)
            // A label the pattern does match still starts the run.
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"aaaa"}}]"#)
            #expect(await eventually { server.lines("steps.log") == ["aaaa"] })
        }
    }

    @Test func alertmanagerV2AlertsAreStoredAndRunTheirRunbook() async throws {
        let server = try await TestServer(runbooks: ["down.yaml": escalatingRunbook(rungs: [])])
        try await server.withClient { client in
            let response = try await client.send(
                .post, "/api/v2/alerts",
                json: #"[{"labels":{"alertname":"Down","instance":"web-1","severity":"critical"}}]"#)
            #expect(response.status == .ok)
            #expect(await eventually { server.lines("steps.log") == ["web-1"] })
            let runs = try await client.send(.get, "/api/v1/runs")
            #expect(runs.list.first?["runbook"] as? String == "down")
            let alerts = try await client.send(.get, "/api/v2/alerts")
            #expect((alerts.list.first?["labels"] as? [String: String])?["instance"] == "web-1")
            #expect((alerts.list.first?["status"] as? [String: Any])?["state"] as? String == "active")
        }
    }

    @Test func webhookPayloadsAndPlainAlertsAreAccepted() async throws {
        let server = try await TestServer(runbooks: ["down.yaml": escalatingRunbook(rungs: [])])
        try await server.withClient { client in
            let webhook = """
                {"version":"4","status":"firing","receiver":"rbx","groupKey":"{}:{}","alerts":[
                 {"status":"firing","labels":{"alertname":"Down","instance":"db-1"},"annotations":{},"startsAt":"2026-11-24T10:00:00Z",
                  "endsAt":"0001-01-01T00:00:00Z","fingerprint":"abc"}]}
                """
            let hooked = try await client.send(.post, "/api/v1/webhook/alertmanager", json: webhook)
            #expect(hooked.status == .ok)
            #expect((hooked.object["alerts"] as? [[String: Any]])?.first?["outcome"] as? String == "queued")
            let plain = try await client.send(
                .post, "/api/v1/alerts", json: #"{"name":"Down","labels":{"instance":"db-2"}}"#)
            #expect(plain.status == .ok)
            let stray = try await client.send(.post, "/api/v1/alerts", json: #"{"name":"Stray"}"#)
            #expect((stray.object["alerts"] as? [[String: Any]])?.first?["outcome"] as? String == "no_runbook")
            #expect(await eventually { Set(server.lines("steps.log")) == ["db-1", "db-2"] })
        }
    }

    @Test func duplicatesWithinTheWindowStartOneRun() async throws {
        let server = try await TestServer(runbooks: ["down.yaml": escalatingRunbook(rungs: [])])
        try await server.withClient { client in
            let alert = #"[{"labels":{"alertname":"Down","instance":"web-9"}}]"#
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { try await client.send(.post, "/api/v2/alerts", json: alert) } }
                try await group.waitForAll()
            }
            #expect(await eventually { server.lines("steps.log").count == 1 })
            try await Task.sleep(for: .milliseconds(300))
            #expect(server.lines("steps.log") == ["web-9"])
            let stored = try await server.store.alerts(limit: 10)
            #expect(stored.count == 1)
            #expect(stored.first?.occurrences == 20)
            #expect(try await server.store.runs(limit: 10, states: nil).count == 1)
        }
    }

    @Test func badInputGets400NamingTheField413WhenTooLargeAnd401WithoutToken() async throws {
        let server = try await TestServer(
            runbooks: ["down.yaml": escalatingRunbook(rungs: [])], config: "server:\n  max_body: 2KiB\n")
        try await server.withClient { client in
            let unnamed = try await client.send(.post, "/api/v2/alerts", json: #"[{"labels":{"instance":"x"}}]"#)
            #expect(unnamed.status == .badRequest)
            #expect(unnamed.object["field"] as? String == "[0].labels.alertname")
            let typed = try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","n":3}}]"#)
            #expect(typed.object["field"] as? String == "[0].labels.n")
            let malformed = try await client.send(.post, "/api/v1/alerts", json: "{not json")
            #expect(malformed.status == .badRequest)
            let big = "[" + String(repeating: #"{"labels":{"alertname":"Down"}},"#, count: 200) + "{}]"
            let large = try await client.send(.post, "/api/v2/alerts", json: big)
            #expect(large.status == .contentTooLarge)
            #expect((large.object["error"] as? String)?.contains("max_body") == true)
            let anonymous = try await client.send(.post, "/api/v2/alerts", json: "[]", token: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer realm=\"rbx\"")
            #expect(try await client.send(.get, "/api/v1/runs", token: "wrong").status == .unauthorized)
            #expect(try await client.send(.get, "/api/v1/runs/x", token: "test-token-5f2").status == .unauthorized)
            // Open endpoints.
            #expect(try await client.send(.get, "/healthz", token: nil).status == .ok)
            #expect(try await client.send(.get, "/readyz", token: nil).status == .ok)
            #expect(try await client.send(.get, "/metrics", token: nil).text.contains("rbx_runs_active"))
            #expect(try await server.store.alerts(limit: 10).isEmpty)
        }
    }

    @Test func metricsCountAlertsByOutcome() async throws {
        let server = try await TestServer(runbooks: ["down.yaml": escalatingRunbook(rungs: [])])
        try await server.withClient { client in
            let alert = #"[{"labels":{"alertname":"Down","instance":"m1","source":"prom","severity":"P2"}}]"#
            try await client.send(.post, "/api/v2/alerts", json: alert)
            try await client.send(.post, "/api/v2/alerts", json: alert)
            #expect(await eventually { server.lines("steps.log").count == 1 })
            // The steps succeeded but the alert still fires: the run is open, not "succeeded".
            let openRun = "rbx_runs_total{runbook=\"down\",outcome=\"open\"} 1"
            #expect(
                await eventually {
                    (try? await client.send(.get, "/metrics", token: nil).text.contains(openRun)) ?? false
                })
            let metrics = try await client.send(.get, "/metrics", token: nil).text
            #expect(metrics.contains("rbx_alerts_received_total{source=\"prom\",severity=\"P2\"} 2"))
            #expect(metrics.contains("rbx_alerts_deduplicated_total{source=\"prom\",severity=\"P2\"} 1"))
            #expect(metrics.contains("rbx_step_duration_seconds_count{runbook=\"down\",status=\"ok\"} 1"))
        }
    }
}
