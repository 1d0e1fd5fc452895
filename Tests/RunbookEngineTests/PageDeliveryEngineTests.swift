import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

/// A rung whose notifier keeps failing, in a run on a virtual clock with real notifiers (a
/// command that exits 1, a file): tried `delivery.attempts` times with a doubling pause, then
/// the next rung is paged at once, or the fallback notifier when rbx.yaml names one.
@Suite struct PageDeliveryEngineTests {
    private func catalog(fallback: String?) async throws -> (Catalog, String) {
        let directory = try EngineFixture.temporaryDirectory().path
        try FileManager.default.createDirectory(atPath: directory + "/runbooks", withIntermediateDirectories: true)
        let config = """
            apiVersion: rbx/v1
            kind: Config
            notifiers:
              broken: { type: command, run: [/bin/false] }
              log: { type: file, path: \(directory)/pages.log }
            delivery:
              attempts: 3
              backoff: 1m
            \(fallback.map { "  fallback: \($0)" } ?? "")

            """
        let runbook = """
            apiVersion: rbx/v1
            kind: Runbook
            metadata: { name: down }
            match: { labels: { alertname: Down } }
            steps:
              - id: hold
                kind: wait
                duration: 3h
            escalation:
              - after: 10m
                notify: [broken]
              - after: 2h
                notify: [log]

            """
        try config.write(toFile: directory + "/rbx.yaml", atomically: true, encoding: .utf8)
        try runbook.write(toFile: directory + "/runbooks/down.yaml", atomically: true, encoding: .utf8)
        let catalog = try await CatalogLoader.load(directory: directory)
        #expect(catalog.diagnostics.filter { $0.severity == .error }.isEmpty, "\(catalog.diagnostics)")
        return (catalog, directory)
    }

    private func run(_ catalog: Catalog) async throws -> RunRecord {
        let runbook = try #require(catalog.runbook(named: "down"))
        let sender = LiveNotificationSender(
            runner: ProcessCommandRunner(), secrets: SecretResolver(environment: [:]), environment: [:])
        let engine = RunEngine(catalog: catalog, clock: VirtualClock(), runner: ProcessCommandRunner(), sender: sender)
        return await engine.run(runbook, alert: EngineFixture.alert("Down"), options: EngineFixture.options(.live))
    }

    @Test func aRungThatReachedNobodyIsRetriedThenTheNextRungIsPagedAtOnce() async throws {
        let (catalog, directory) = try await catalog(fallback: nil)
        let record = try await run(catalog)
        let broken = try #require(record.notifications.first { $0.notifier == "broken" })
        #expect(broken.attempts == 3)
        #expect(!broken.delivered)
        let summaries = record.timeline.map(\.summary)
        #expect(
            summaries.contains {
                $0.hasPrefix("broken: delivery failed (attempt 1 of 3)") && $0.hasSuffix("trying again in 1m")
            })
        #expect(
            summaries.contains {
                $0.hasPrefix("broken: delivery failed (attempt 2 of 3)") && $0.hasSuffix("trying again in 2m")
            })
        #expect(summaries.contains("rung 1 reached nobody; rung 2 is paged now"))
        // Rung 2 went out right after the retries (10m + 1m + 2m), not at 2h.
        let second = try #require(record.pages.first { $0.rung == 1 })
        #expect(second.at < .seconds(3600))
        let pages = try String(contentsOfFile: directory + "/pages.log", encoding: .utf8)
        #expect(pages.components(separatedBy: "--- escalation").count - 1 == 1)
    }

    @Test func aFallbackNotifierIsPagedBeforeTheNextRung() async throws {
        let (catalog, directory) = try await catalog(fallback: "log")
        let record = try await run(catalog)
        #expect(record.timeline.map(\.summary).contains("rung 1 reached nobody; paging the fallback log"))
        let fallback = try #require(record.notifications.first { $0.notifier == "log" })
        #expect(fallback.idempotencyKey == "\(record.id)/rung-1/0/fallback/log")
        // The ladder keeps its time: rung 2 fires at 2h.
        #expect(record.pages.first { $0.rung == 1 }?.at == .seconds(7200))
        let pages = try String(contentsOfFile: directory + "/pages.log", encoding: .utf8)
        #expect(pages.components(separatedBy: "--- escalation").count - 1 == 2)
    }
}
