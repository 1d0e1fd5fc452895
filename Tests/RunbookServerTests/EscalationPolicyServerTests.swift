import Foundation
import HTTPTypes
import HummingbirdTesting
import RunbookCore
import RunbookLifecycle
import RunbookStore
import Testing

@testable import RunbookServer

/// Escalation policies through the server: the ladder a run follows is decided from its alert
/// when the run starts, stored as its timers, and found again when each timer fires.
@Suite struct EscalationPolicyServerTests {
    static let config = """
        escalation:
          policies:
            standard:
              rungs:
                - after: 1m
                  notify: ["team-{{ alert.labels.team }}"]
                  fallback: [pager]
                - after: 2m
                  notify: [pager]
                  when: alert.severity == "P1"
          default: standard

        """
    static let notifiers = """
          team-db:
            type: file
            path: DIR/team-db.log
        """

    private func escalations(_ server: TestServer, _ file: String) -> [String] {
        server.lines(file).filter { $0.hasPrefix("--- escalation") }
    }

    @Test func theCatalogDefaultPolicyPagesTheLabelledTeamOrItsFallbackAndKeepsP1RungsForP1() async throws {
        let clock = ManualServerClock()
        let server = try await TestServer(
            runbooks: ["down.yaml": escalatingRunbook(rungs: [])], config: Self.config, notifiers: Self.notifiers,
            clock: clock)
        try await server.withClient { client in
            let alerts = """
                [{"labels":{"alertname":"Down","instance":"web-1","team":"db","severity":"warning"}},
                 {"labels":{"alertname":"Down","instance":"web-2","team":"db\\"; rm -rf /","severity":"critical"}}]
                """
            let posted = try await client.send(.post, "/api/v2/alerts", json: alerts)
            #expect(posted.status == .ok)
            #expect(try await eventually { try await server.store.runs(limit: 5, states: [.open]).count == 2 })
            let runs = try await server.store.runs(limit: 5, states: nil)
            clock.advance(by: .seconds(60))
            // web-1's team label names a declared notifier; web-2's names nothing declared.
            #expect(await eventually { escalations(server, "team-db.log").count == 1 })
            #expect(await eventually { escalations(server, "pages.log").count == 1 })
            clock.advance(by: .seconds(60))
            // Only the P1 alert has the second rung.
            #expect(await eventually { escalations(server, "pages.log").count == 2 })
            #expect(escalations(server, "pages.log").allSatisfy { $0.contains("/pager") })
            #expect(escalations(server, "team-db.log").count == 1)
            var rungKeys: [String] = []
            for run in runs {
                let detail = try #require(try await server.store.run(id: run.id))
                rungKeys += detail.timers.map(\.key).filter { $0.contains("/rung-") }
                    .map { $0.replacingOccurrences(of: run.id, with: "RUN") }
            }
            #expect(rungKeys.sorted() == ["RUN/rung-1/0", "RUN/rung-1/0", "RUN/rung-2/0"])
        }
    }
}
