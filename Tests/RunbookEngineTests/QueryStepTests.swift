import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookTesting
import Testing

/// `query:` steps against a real Prometheus (Debian's package), started per test on 127.0.0.1.
@Suite(
    "Query steps: a real Prometheus", .serialized,
    .enabled(if: PrometheusTestServer.isInstalled, Comment(rawValue: PrometheusTestServer.missing)))
struct QueryStepTests {
    /// The query fixture catalog, its rbx.yaml pointing at `url`.
    static func catalog(url: String) async throws -> (Catalog, URL) {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/query-catalog")
        let directory = try EngineFixture.temporaryDirectory()
        try FileManager.default.removeItem(at: directory)
        try FileManager.default.copyItem(at: fixture, to: directory)
        let template = try String(contentsOf: directory.appendingPathComponent("rbx.yaml.in"), encoding: .utf8)
        try template.replacingOccurrences(of: "@URL@", with: url)
            .write(to: directory.appendingPathComponent("rbx.yaml"), atomically: true, encoding: .utf8)
        let catalog = try await CatalogLoader.load(directory: directory.path)
        let errors = catalog.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { throw FixtureError(message: errors.map(\.description).joined(separator: "\n")) }
        return (catalog, directory)
    }

    private func request(_ url: String, _ query: String, limit: Int = 1 << 20) -> PrometheusRequest {
        PrometheusRequest(baseURL: url, query: query, timeout: .seconds(5), sizeLimit: limit)
    }

    @Test("the client gets vectors, scalars, labels and NaN from Prometheus, and its errors")
    func client() async throws {
        let prometheus = try await PrometheusTestServer.start()
        defer { prometheus.stop() }
        let client = HTTPPrometheusClient()
        let vector = try await client.instantQuery(request(prometheus.url, "vector(42)"))
        #expect(vector.resultType == "vector" && vector.value == 42 && vector.samples.count == 1)
        let scalar = try await client.instantQuery(request(prometheus.url, "scalar(vector(3))"))
        #expect(scalar.resultType == "scalar" && scalar.value == 3 && scalar.samples.isEmpty)
        let labelled = try await client.instantQuery(
            request(prometheus.url, #"label_replace(vector(7), "instance", "db-1", "", "")"#))
        #expect(labelled.samples == [.init(labels: ["instance": "db-1"], value: 7)])
        let nan = try await client.instantQuery(request(prometheus.url, "vector(0) / 0"))
        #expect(nan.samples.count == 1 && nan.value == nil)
        await #expect(throws: PrometheusQueryError.self) {
            try await client.instantQuery(request(prometheus.url, "sum("))
        }
        do {
            _ = try await client.instantQuery(request(prometheus.url, "sum("))
        } catch {
            #expect(error.code == .prometheus)
            #expect(
                error.message
                    == #"Prometheus refused the query (HTTP 400, bad_data): invalid parameter "query": 1:5: parse error: unclosed left parenthesis"#
            )
        }
        do {
            _ = try await client.instantQuery(request(prometheus.url, "vector(1)", limit: 16))
            Issue.record("an answer over the limit was accepted")
        } catch {
            #expect(error.code == .tooLarge)
        }
    }

    @Test("a live run asks Prometheus: typed results reach when and {{ }}, and until polls until it holds")
    func liveRun() async throws {
        let prometheus = try await PrometheusTestServer.start()
        defer { prometheus.stop() }
        let (catalog, directory) = try await Self.catalog(url: prometheus.url)
        defer { try? FileManager.default.removeItem(at: directory) }
        let runbook = try #require(catalog.runbook(named: "replication-lag"))
        var options = EngineFixture.options(.live, environment: ["PROM_TOKEN": "s3cr3t-token"])
        // A start ahead of now, so `until` cannot already hold at the first attempt even when a
        // loaded machine starts the run's steps late (3 s ahead was not enough in the full suite).
        options.startedAt = ISO8601DateFormatter().string(from: Date().addingTimeInterval(12))
        let engine = RunEngine(
            catalog: catalog, clock: ContinuousClock(), runner: ProcessCommandRunner(),
            sender: RecordingNotificationSender())
        let record = await engine.run(
            runbook, alert: EngineFixture.alert("ReplicationLag", labels: ["instance": "db-1"]), options: options)
        let steps = Dictionary(uniqueKeysWithValues: record.steps.map { ($0.id, $0) })
        #expect(steps["lag"]?.query?.samples == [.init(labels: ["instance": "db-1"], value: 42)])
        #expect(steps["lag"]?.query?.query == #"label_replace(vector(42), "instance", "db-1", "", "")"#)
        #expect(steps["lag"]?.query?.server == "main")
        #expect(steps["total"]?.query?.resultType == "scalar")
        #expect(steps["report"]?.stdout == "lag on db-1 is 42\n")
        let settled = try #require(steps["settled"])
        #expect(settled.status == .ok)
        #expect(settled.attempts >= 2, "until held at once: \(settled)")
        #expect(record.outcome == .resolved)
        let lines = record.timeline.map(\.summary)
        #expect(lines.contains(#"lag queries main: label_replace(vector(42), "instance", "db-1", "", "")"#))
        #expect(lines.contains("lag ok: 1 samples") == false)
        #expect(lines.contains("lag ok: value 42"))
        #expect(lines.contains("settled polls every 1s until value >= time(run.started_at) + 2"))
        #expect(!lines.joined().contains("s3cr3t-token"))
    }

    @Test("Prometheus errors, an until that never holds and a refused alert value fail the step with the reason")
    func failures() async throws {
        let prometheus = try await PrometheusTestServer.start()
        defer { prometheus.stop() }
        let (catalog, directory) = try await Self.catalog(url: prometheus.url)
        defer { try? FileManager.default.removeItem(at: directory) }
        let runbook = try #require(catalog.runbook(named: "broken-query"))
        let engine = RunEngine(
            catalog: catalog, clock: ContinuousClock(), runner: ProcessCommandRunner(),
            sender: RecordingNotificationSender())
        let record = await engine.run(
            runbook, alert: EngineFixture.alert("BrokenQuery", labels: ["threshold": "0 or vector(99)"]),
            options: EngineFixture.options(.live, environment: ["PROM_TOKEN": "t"]))
        let steps = Dictionary(uniqueKeysWithValues: record.steps.map { ($0.id, $0) })
        #expect(steps["syntax"]?.status == .failed)
        #expect(
            steps["syntax"]?.note
                == #"Prometheus refused the query (HTTP 400, bad_data): invalid parameter "query": 1:5: parse error: unclosed left parenthesis"#
        )
        #expect(steps["never"]?.status == .timedOut)
        #expect(steps["never"]?.note?.hasPrefix("until (value > 5) did not hold within 2s") == true)
        #expect(steps["never"]?.query?.value == 1, "\(steps["never"]?.note ?? "")")
        #expect(steps["injected"]?.status == .failed)
        #expect(
            steps["injected"]?.note
                == #"query refused before asking: {{ alert.labels.threshold }} is "0 or vector(99)", which is not a number; outside a quoted string a query takes only numbers from {{ }}"#
        )
        #expect(record.outcome == .failed)
    }

    @Test("a server that accepts the connection but never answers is a timeout at the bound")
    func silentServer() async throws {
        let silent = try LoopbackSocket.bind(listening: true)
        defer { close(silent.descriptor) }
        let url = "http://127.0.0.1:\(silent.port)"
        let started = ContinuousClock.now
        do {
            _ = try await HTTPPrometheusClient().instantQuery(
                PrometheusRequest(baseURL: url, query: "vector(1)", timeout: .milliseconds(300), sizeLimit: 1024))
            Issue.record("a silent server answered")
        } catch {
            #expect(error.code == .timeout)
        }
        // The step's 300 ms bound ended it, not the HTTP client's 60 s read timeout; the margin
        // is for a loaded suite, where the timer's task can wait seconds for a thread (seen: 2 s).
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test("the token is sent as a bearer token, never recorded")
    func bearerToken() async throws {
        let server = try OneShotHTTPServer(status: 200)
        let (catalog, directory) = try await Self.catalog(url: "http://127.0.0.1:\(server.port)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let runbook = try #require(catalog.runbook(named: "replication-lag"))
        let engine = RunEngine(
            catalog: catalog, clock: VirtualClock(), runner: ProcessCommandRunner(),
            sender: RecordingNotificationSender())
        let record = await engine.run(
            runbook, alert: EngineFixture.alert("ReplicationLag", labels: ["instance": "db-1"]),
            options: EngineFixture.options(.live, environment: ["PROM_TOKEN": "tok-123456"]))
        let request = try #require(server.received())
        #expect(request.head.hasPrefix("POST /api/v1/query HTTP/1.1\r\n"))
        #expect(request.head.lowercased().contains("authorization: bearer tok-123456\r\n"))
        #expect(request.body.hasPrefix("query=label_replace%28vector%2842%29%2C%20%22instance%22%2C%20%22db-1%22"))
        #expect(request.body.hasSuffix("&timeout=5000ms"))
        // The one-shot server answers 200 with no body: not Prometheus' JSON.
        #expect(record.steps.first?.status == .failed)
        #expect(record.steps.first?.note?.hasPrefix("Prometheus' answer is malformed") == true)
        #expect(!record.timeline.map(\.summary).joined().contains("tok-123456"))
    }
}
