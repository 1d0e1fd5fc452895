import Foundation
import RunbookCore
import Testing

/// The shipped example catalog: it must load clean, and every sample alert must route to the
/// runbook it was written for.
struct ExampleCatalogTests {
    private func loadExample() async throws -> Catalog {
        try await CatalogLoader.load(directory: TestCatalog.repositoryRoot.path)
    }

    @Test("the example catalog lints clean: no errors, no warnings")
    func lintsClean() async throws {
        let catalog = try await loadExample()
        #expect(catalog.diagnostics.map(\.description) == [])
        #expect(catalog.runbooks.count >= 12)
        #expect(catalog.playbooks.count >= 5)
        #expect(catalog.templates.count >= 3)
    }

    @Test("the example catalog exercises every feature of the format")
    func exercisesTheFormat() async throws {
        let catalog = try await loadExample()
        let steps = catalog.runbooks.flatMap(\.allSteps) + catalog.playbooks.flatMap(\.allSteps)
        #expect(Set(steps.map(\.kind)) == Set(StepKind.allCases))
        #expect(steps.contains { if case .uses = $0.action { true } else { false } })
        // No shell glue: structured outputs do what `sh -c … | head` and regex scraping did.
        #expect(!steps.contains { if case .shell = $0.action { true } else { false } })
        let extractions = steps.flatMap(\.outputs).map(\.extraction)
        #expect(extractions.contains { if case .json = $0 { true } else { false } })
        #expect(extractions.contains { if case .allMatches = $0 { true } else { false } })
        #expect(extractions.contains { $0 == .lines })
        // Control flow where an on-call team would use it: cleanup, a workdir, playbook outputs,
        // durations a caller chooses.
        #expect(catalog.runbooks.contains { !$0.onFailure.isEmpty })
        #expect(catalog.playbooks.contains { !$0.finally.isEmpty && !$0.outputs.isEmpty })
        #expect(steps.contains { $0.workdir != nil })
        #expect(catalog.runbooks.contains { $0.cooldownKey != nil })
        #expect(catalog.runbooks.contains { $0.dedupWindow != nil })
        #expect(steps.contains { if case .interpolated = $0.timeout?.value { true } else { false } })
        #expect(steps.contains { if case .wait(.interpolated) = $0.action { true } else { false } })
        #expect(steps.contains { $0.until != nil && $0.interval != nil })
        #expect(steps.contains { $0.when != nil })
        #expect(steps.contains { $0.retries > 0 && $0.backoff != nil })
        #expect(steps.contains { $0.continueOnError })
        #expect(steps.contains { $0.safe })
        #expect(steps.contains { !$0.outputs.isEmpty })
        #expect(catalog.runbooks.contains { $0.concurrency != nil && $0.cooldown != nil && $0.resolvedWhen != nil })
        #expect(catalog.runbooks.contains { $0.escalation.contains { $0.repeatEvery != nil } })
        #expect(catalog.runbooks.contains { ($0.escalation.last?.after ?? .zero) >= .seconds(4 * 3600) })
        #expect(
            catalog.runbooks.contains {
                $0.status.onStart != nil && $0.status.onUpdate != nil && $0.status.onResolved != nil
            })
        let operators = Set(catalog.runbooks.flatMap { $0.match.labels.map(\.op) })
        #expect(operators == [.equal, .notEqual, .matchesRegex, .doesNotMatchRegex])
        #expect(catalog.runbooks.contains { $0.match.sources.count > 1 || $0.match.sources.contains { !$0.isLiteral } })
        #expect(catalog.playbooks.contains { $0.inputs.contains { $0.pattern != nil && $0.required } })
    }

    @Test("each sample alert matches the runbook it is named after")
    func samplesRoute() async throws {
        let catalog = try await loadExample()
        let directory = TestCatalog.repositoryRoot.appendingPathComponent("examples/alerts")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
            .sorted()
        #expect(files.count >= 13)
        for file in files {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            let alerts = try AlertDecoder.decode([UInt8](data), config: catalog.config)
            let expected = String(file.dropLast(".json".count))
            for alert in alerts {
                let result = RunbookMatcher.match(alert, in: catalog)
                // The fast path intake uses selects the same runbook as the explaining one.
                #expect(RunbookMatcher.selectedRunbook(for: alert, in: catalog)?.name == result.selected?.runbook)
                if expected == "unmatched" {
                    #expect(result.selected == nil, "\(file) should match nothing")
                } else if catalog.runbook(named: expected) != nil {
                    #expect(
                        result.selected?.runbook == expected,
                        "\(file) routed to \(result.selected?.runbook ?? "nothing")")
                } else {
                    #expect(result.selected != nil, "\(file) should match a runbook")
                }
            }
        }
    }
}
