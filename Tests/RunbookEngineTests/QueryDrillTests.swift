import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

/// Drills and `rbx test` never ask Prometheus: a query step takes an assumed result.
@Suite("Query steps: drills")
struct QueryDrillTests {
    /// A client that fails the test if the engine asks it.
    struct Unreachable: PrometheusClient {
        func instantQuery(_ request: PrometheusRequest) async throws(PrometheusQueryError) -> QueryResult {
            Issue.record("a drill asked Prometheus: \(request.query)")
            throw PrometheusQueryError(code: .unreachable, message: "not in a drill")
        }
    }

    private func drill(_ options: DrillOptions) async throws -> RunRecord {
        let (catalog, directory) = try await QueryStepTests.catalog(url: "http://127.0.0.1:1")
        defer { try? FileManager.default.removeItem(at: directory) }
        let runbook = try #require(catalog.runbook(named: "replication-lag"))
        let engine = RunEngine(
            catalog: catalog, clock: VirtualClock(), runner: ProcessCommandRunner(),
            sender: RecordingNotificationSender(), prometheus: Unreachable())
        return await engine.run(
            runbook, alert: EngineFixture.alert("ReplicationLag", labels: ["instance": "db-1"]),
            options: EngineFixture.options(.drill(options)))
    }

    @Test("assumed values reach conditions and until; a value that never satisfies until times out")
    func assumedValues() async throws {
        var options = DrillOptions(horizon: .seconds(60))
        options.assumedQueries = [
            "lag": .vector([.init(labels: ["instance": "db-1"], value: 31)]),
            "total": QueryResult(resultType: "scalar", value: 3),
            "settled": QueryResult(resultType: "scalar", value: 1),
        ]
        let record = try await drill(options)
        let steps = Dictionary(uniqueKeysWithValues: record.steps.map { ($0.id, $0) })
        #expect(steps["lag"]?.origin == .assumed)
        #expect(steps["lag"]?.query?.query == #"label_replace(vector(42), "instance", "db-1", "", "")"#)
        #expect(steps["report"]?.status == .ok)
        #expect(steps["settled"]?.status == .timedOut)
        #expect(
            steps["settled"]?.note == "until (value >= time(run.started_at) + 2) did not hold within 20s")
        #expect(steps["settled"]?.query?.value == 1)
        let lines = record.timeline.map(\.summary)
        #expect(lines.contains("lag ok [assumed]: value 31"))
    }

    @Test(
        "without an assumed value a query gives null and its until is assumed to hold; fail and timeout as for any step"
    )
    func noValue() async throws {
        let record = try await drill(DrillOptions(assumptions: ["total": .fail], horizon: .seconds(60)))
        let steps = Dictionary(uniqueKeysWithValues: record.steps.map { ($0.id, $0) })
        #expect(steps["lag"]?.status == .ok && steps["lag"]?.query == nil)
        #expect(steps["total"]?.status == .failed)
        #expect(record.timeline.map(\.summary).contains("lag ok [assumed]"))
        let timedOut = try await drill(DrillOptions(assumptions: ["lag": .timeout], horizon: .seconds(60)))
        #expect(timedOut.steps.first?.status == .timedOut)
        #expect(timedOut.steps.count == 1)
    }
}
