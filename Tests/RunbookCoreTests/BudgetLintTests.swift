import Foundation
import RunbookCore
import Testing

@Suite("Lint: remediation budgets")
struct BudgetLintTests {
    @Test("budgets are refused where they count nothing, out of range, keyed per run, or in on_budget_exhausted")
    func budgetErrors() async throws {
        let file = "runbooks/budget-errors.yaml"
        let found = try await TestCatalog.diagnostics(runbooks: ["budget-errors.yaml"])
        #expect(
            found == [
                "\(file):5:37: error: step \"probe\" runs later; a step can only use the results of steps before it [unknown-reference]",
                "\(file):10:20: error: step \"probe\" budget.max must be at least 1, found 0 [range]",
                "\(file):15:28: error: step \"restart\" budget.per must be longer than 0s and at most 30d (uses are kept 30 days), found 31d [range]",
                "\(file):19:5: error: budget limits steps that act (a remediation, a diagnostic, a uses: call); a wait step has nothing to count [key-for-kind]",
                "\(file):24:28: error: step \"again\" budget.per must be longer than 0s and at most 30d (uses are kept 30 days), found 0s [range]",
                "\(file):24:32: error: unknown key \"kye\" in step \"again\" budget; did you mean \"key\"? [unknown-key]",
                "\(file):29:68: error: budget key reads run.id, which differs in every run, so no two runs would share a count; count by what the runs have in common (\"{{alert.labels.service}}\") [budget-key]",
                "\(file):35:5: error: stop ends a run's steps; in on_budget_exhausted they have already ended (the budget stopped them) [stop-placement]",
                "\(file):41:13: error: on_budget_exhausted is what runs once a budget is spent; a budget here would leave nothing to run when it is spent too [budget-placement]",
            ], "\(found.joined(separator: "\n"))")
    }

    @Test("a playbook's step carries no budget: the step that calls the playbook does")
    func playbookStep() async throws {
        let directory = TestCatalog.fixtures.appendingPathComponent("catalogs/budget-playbook").path
        let catalog = try await CatalogLoader.load(directory: directory)
        let found = catalog.diagnostics.sortedByLocation().map {
            "\($0.description.replacingOccurrences(of: directory + "/", with: "")) [\($0.code)]"
        }
        #expect(
            found == [
                "playbooks/restart.yaml:9:13: error: a playbook's steps are counted by the step that calls it: put the budget on the uses: step [budget-placement]"
            ], "\(found.joined(separator: "\n"))")
        #expect(catalog.runbook(named: "worker")?.steps.first?.budget?.max == 3)
    }

    @Test("on_budget_exhausted without any budget never runs")
    func unused() async throws {
        let found = try await TestCatalog.diagnostics(runbooks: ["budget-unused.yaml"])
        #expect(
            found == [
                "runbooks/budget-unused.yaml:11:5: warning: on_budget_exhausted never runs: neither the runbook nor any of its steps has a budget [exhausted-without-budget]"
            ], "\(found.joined(separator: "\n"))")
    }

    @Test("a budget decodes its count, window and key; the runbook's own and on_budget_exhausted too")
    func decoded() async throws {
        let directory = try TestCatalog.make(runbooks: ["budget-errors.yaml"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try await CatalogLoader.load(directory: directory.path)
        let runbook = try #require(catalog.runbook(named: "budget-errors"))
        #expect(runbook.budget?.max == 2)
        #expect(runbook.budget?.per == .seconds(86_400))
        #expect(runbook.budget?.key?.text == "{{ steps.probe.ok }}")
        #expect(runbook.onBudgetExhausted.map(\.id.value) == ["page", "halt", "inner"])
        let restart = try #require(runbook.steps.first { $0.id.value == "per-run" }?.budget)
        #expect(restart.summary == "1 per 1h by {{ alert.labels.service }}-{{ run.id }}")
        #expect(Budget.identity(runbook: "high-cpu", step: "restart", key: "payments") == "high-cpu/restart/payments")
        #expect(Budget.identity(runbook: "high-cpu", step: nil, key: "") == "high-cpu//")
    }
}
