import Foundation
import RunbookCore
import Testing

@testable import RunbookReview

@Suite struct SampleAlertsTests {
    @Test func regexGuessesAreCheckedAgainstTheRegex() throws {
        let matcher = try LabelMatcher(name: "env", op: .matchesRegex, value: "prod|staging-(eu|us)|dev.*")
        #expect(SampleAlerts.values(satisfying: matcher) == ["prod", "staging-eu", "devx"])
        let digits = try LabelMatcher(name: "code", op: .matchesRegex, value: "5\\d\\d")
        #expect(SampleAlerts.values(satisfying: digits) == ["500"])
        let negative = try LabelMatcher(name: "env", op: .notEqual, value: "other")
        #expect(SampleAlerts.values(satisfying: negative) == ["sample", ""])
    }

    @Test func typicalAlertMatchesItsRunbookAndProbesCrossItsEdges() async throws {
        let catalog = try await ReviewFixtures.catalog("routing-base")
        let runbook = try #require(catalog.runbook(named: "high-cpu"))
        let typical = try #require(SampleAlerts.typical(for: runbook, config: catalog.config))
        #expect(RunbookMatcher.selectedRunbook(for: typical, in: catalog)?.name == "high-cpu")
        #expect(typical.severity == "P1")
        let probes = SampleAlerts.probes(for: runbook, config: catalog.config)
        #expect(Set(probes.compactMap(\.severity)) == ["P1", "P2", "P3", "P4"])
        #expect(probes.contains { $0.labels["env"] == "staging" })
        #expect(probes.contains { $0.labels["env"] == nil })
    }

    /// Issue 13, item 10: docs and diff read example alerts from `sample_alerts`, not only from
    /// `examples/alerts/`.
    @Test func exampleAlertsComeFromTheConfiguredDirectory() async throws {
        let directory = try ReviewFixtures.copy("routing-base")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/samples", withIntermediateDirectories: true)
        try #"{"labels":{"alertname":"HighCPU","env":"prod","severity":"critical"}}"#.write(
            toFile: directory + "/samples/cpu.json", atomically: true, encoding: .utf8)
        let config = directory + "/rbx.yaml"
        try (String(contentsOfFile: config, encoding: .utf8) + "\nsample_alerts: samples\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let catalog = try await CatalogLoader.load(directory: directory)
        #expect(catalog.diagnostics.filter { $0.severity == .error }.isEmpty, "\(catalog.diagnostics)")
        #expect(SampleRun.examples(in: catalog).map(\.file) == ["samples/cpu.json"])
    }
}
