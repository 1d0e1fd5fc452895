import Foundation
import RunbookCore
import Testing

@Suite("Lint: query steps and prometheus servers")
struct QueryStepLintTests {
    @Test("servers are named and reached by a URL with a token reference; query results are typed for conditions")
    func queryCatalog() async throws {
        let directory = TestCatalog.fixtures.appendingPathComponent("catalogs/query-steps").path
        let catalog = try await CatalogLoader.load(directory: directory)
        let found = catalog.diagnostics.sortedByLocation().map {
            "\($0.description.replacingOccurrences(of: directory + "/", with: "")) [\($0.code)]"
        }
        #expect(
            found == [
                "rbx.yaml:5:19: error: prometheus \"replica\" url: ftp://replica:9090 is not an http:// or https:// URL [prometheus-url]",
                "rbx.yaml:5:48: error: prometheus \"replica\" token must be a reference like \"${PROM_TOKEN}\" (the token, or PROM_TOKEN_FILE naming its file, comes from the environment), not the token itself [secret-in-yaml]",
                "runbooks/lag.yaml:12:17: error: unknown Prometheus \"mian\"; did you mean \"main\"? [unknown-prometheus]",
                "runbooks/lag.yaml:16:12: error: query step \"ambiguous\" must say which Prometheus it asks: prometheus: one of main, replica [unknown-prometheus]",
                "runbooks/lag.yaml:17:5: error: remediation step \"fix\" needs one of run, shell or uses [step-action]",
                "runbooks/lag.yaml:19:5: error: \"query\" does not apply to a remediation step; a query is read-only: write kind: diagnostic [key-for-kind]",
                "runbooks/lag.yaml:27:11: error: \">\" compares numbers or text; steps.lag.samples is a list of objects [type]",
                "runbooks/lag.yaml:28:21: error: \"*\" needs numbers; steps.lag.samples[0].labels is an object [type]",
                "runbooks/lag.yaml:28:79: error: steps.lag.samples[0] has no field \"lables\"; did you mean \"labels\"? [type]",
                "runbooks/lag.yaml:31:11: error: steps.check.value is the result of a query: step; step \"check\" is not one [unknown-reference]",
            ], "\(found.joined(separator: "\n"))")
        let main = try #require(catalog.config.prometheus.first)
        #expect(main.name.value == "main")
        #expect(main.token == "${PROM_TOKEN}")
        #expect(main.timeout == .seconds(10))
        let step = try #require(catalog.runbook(named: "lag")?.steps.first)
        guard case .query(let query) = step.action else {
            Issue.record("lag is not a query step: \(step.action)")
            return
        }
        #expect(query.server?.value == "main")
        #expect(query.text.text == "pg_replication_lag{instance=\"{{ alert.labels.instance }}\"}")
    }

    @Test("a query step needs a declared server; prometheus: belongs to query steps; an empty query is refused")
    func noServer() async throws {
        let file = "runbooks/query-no-server.yaml"
        let found = try await TestCatalog.diagnostics(runbooks: ["query-no-server.yaml"])
        #expect(
            found == [
                "\(file):8:12: error: query step \"lag\" has no Prometheus to ask; declare one under prometheus: in rbx.yaml (prometheus: {main: {url: \"http://127.0.0.1:9090\"}}) [unknown-prometheus]",
                "\(file):11:12: error: query is empty; write a PromQL expression [empty-query]",
                "\(file):14:5: error: prometheus names the server of a query: step; it needs query [key-for-kind]",
            ], "\(found.joined(separator: "\n"))")
    }
}
