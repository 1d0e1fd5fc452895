import Foundation
import RunbookCore
import RunbookYAML
import Testing

@testable import RunbookReview

/// Budgets in `rbx diff` (a loosened or removed budget is high risk) and `rbx docs`.
@Suite struct BudgetReviewTests {
    private static let here = SourceLocation(file: "runbooks/x.yaml", line: 1, column: 1)

    private static func budget(_ max: Int, _ per: Int, key: String? = nil) -> Budget {
        let text = key.map {
            InterpolatedText(
                text: $0, interpolation: try! Interpolation.parse($0),
                source: ScalarSource(location: here, style: .plain))
        }
        return Budget(max: max, per: .seconds(per), key: text, location: here)
    }

    static let cases: [(String, Budget?, Budget?, [String])] = [
        ("unchanged", budget(3, 3600), budget(3, 3600), []),
        ("added", nil, budget(3, 3600), ["low: step restart has a budget now: 3 per 1h"]),
        (
            "removed", budget(3, 3600), nil,
            ["high: step restart has no budget any more (before: 3 per 1h): it may run without limit"]
        ),
        (
            "more uses", budget(3, 3600), budget(5, 3600),
            ["high: step restart budget loosened: 5 per 1h (before: 3 per 1h)"]
        ),
        (
            "a shorter window", budget(3, 3600), budget(3, 600),
            ["high: step restart budget loosened: 3 per 10m (before: 3 per 1h)"]
        ),
        (
            "fewer uses", budget(3, 3600), budget(2, 3600),
            ["low: step restart budget tightened: 2 per 1h (before: 3 per 1h)"]
        ),
        (
            "a new key", budget(3, 3600), budget(3, 3600, key: "{{alert.labels.service}}"),
            ["medium: step restart budget is counted by {{alert.labels.service}} (before: nothing)"]
        ),
    ]

    @Test(arguments: cases)
    func diffRisk(_ what: String, old: Budget?, new: Budget?, expected: [String]) {
        let found = BudgetComparison(name: "step restart").findings(from: old, to: new).map {
            "\($0.risk): \($0.message)"
        }
        #expect(found == expected, "\(what)")
    }

    @Test func docsShowABudgetAndOnBudgetExhausted() async throws {
        let files = try await DocsTestSupport.render(DocsTestSupport.exampleCatalog)
        let memory = try #require(files["high-memory.md"])
        #expect(
            memory.contains(
                "**budget** at most 2 runs of this step per 6h for each `{{alert.labels.service}}`, counted across runs;"
            ), "\(memory)")
        #expect(memory.contains("## On budget exhausted"))
        #expect(memory.contains("`leak_report`"))
        let worker = try #require(files["worker-offline.md"])
        #expect(worker.contains("**budget** at most 3 runs of this step per 1h"))
    }
}
