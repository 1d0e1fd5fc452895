import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

@Suite("Budgets: a budgeted step runs while its budget lasts, then hands over to people")
struct BudgetTests {
    private let payments = EngineFixture.alert("Budgeted", labels: ["service": "payments"])
    /// Run ids are unique to this test: step containment tells processes apart by run and step
    /// id, and other tests running at the same time use `run-1` too.
    private let suffix = UUID().uuidString

    /// Runs `runbook` live for `alert` with `ledger`, on a virtual clock, as run `id`.
    private func live(
        _ runbook: String, alert: Alert, ledger: any BudgetLedger, id: String
    ) async throws -> RunRecord {
        let catalog = try await EngineFixture.catalog()
        let written = try #require(catalog.runbook(named: runbook))
        var options = EngineFixture.options(.live)
        options.runID = "\(id)-\(suffix)"
        options.budgets = ledger
        let engine = RunEngine(
            catalog: catalog, clock: VirtualClock(), runner: ProcessCommandRunner(),
            sender: RecordingNotificationSender())
        return await engine.run(written, alert: alert, options: options)
    }

    @Test("three runs for one service restart it; the fourth does not, says why, and pages the first rung at once")
    func exhaustedAcrossRuns() async throws {
        let ledger = InMemoryBudgetLedger(now: { 1_765_100_000_000 })
        for index in 1...3 {
            let record = try await live("budgeted", alert: payments, ledger: ledger, id: "run-\(index)")
            #expect(record.steps.map(\.id) == ["check", "restart", "verify", "tidy"], "\(record.stepReport)")
            #expect(record.steps.first { $0.id == "restart" }?.status == .ok)
            #expect(
                record.timeline.contains {
                    $0.summary == "restart budget: use \(index) of 3 for payments in the last 1h"
                })
            #expect(record.pages.isEmpty)
        }
        let fourth = try await live("budgeted", alert: payments, ledger: ledger, id: "run-4")
        let restart = try #require(fourth.steps.first { $0.id == "restart" })
        #expect(restart.status == .failed)
        #expect(restart.attempts == 0, "a step its budget refused is not attempted, let alone retried")
        #expect(
            restart.note
                == "budget exhausted: 3 of 3 uses of restart for payments in the last 1h (next frees at 2025-12-07T10:33:20.000Z); not run"
        )
        #expect(fourth.steps.map(\.id) == ["check", "restart", "tidy"], "the steps stop; finally still runs")
        #expect(fourth.outcome == .failed)
        #expect(fourth.timeline.contains { $0.summary == "budget exhausted; rung 1 is paged now" })
        #expect(fourth.pages.map(\.rung) == [0])
        #expect(fourth.pages.first.map { $0.at < .seconds(1) } == true, "paged at once, not after 5m")
        // Another service has a budget of its own.
        let billing = EngineFixture.alert("Budgeted", labels: ["service": "billing"])
        let other = try await live("budgeted", alert: billing, ledger: ledger, id: "run-5")
        #expect(other.steps.first { $0.id == "restart" }?.status == .ok)
    }

    @Test("a run resumed after a restart keeps the use it had for a step and takes no second one")
    func resumedRunAsksOnce() async throws {
        let ledger = InMemoryBudgetLedger(now: { 0 })
        let request = BudgetRequest(
            budget: "budgeted/restart/payments", runbook: "budgeted", step: "restart", key: "payments", max: 1,
            per: .seconds(3600), runID: "run-1")
        #expect(try await ledger.use(request).granted)
        #expect(try await ledger.use(request) == BudgetDecision(.granted(used: 1), alreadyGranted: true))
        var other = request
        other.runID = "run-2"
        #expect(try await ledger.use(other).granted == false)
    }

    @Test("a drill assumes the uses its test names and counts nothing anywhere else")
    func drillAssumesUses() async throws {
        var drill = DrillOptions()
        drill.assumedBudgets = ["restart": 3]
        let exhausted = try await EngineFixture.run("budgeted", alert: payments, mode: .drill(drill))
        #expect(exhausted.steps.first { $0.id == "restart" }?.note?.hasPrefix("budget exhausted: 3 of 3") == true)
        #expect(exhausted.pages.map(\.rung) == [0, 1])
        #expect(exhausted.pages.first?.at == .zero, "the first rung is brought forward to the exhaustion")
        drill.assumedBudgets = ["restart": 2]
        let left = try await EngineFixture.run("budgeted", alert: payments, mode: .drill(drill))
        #expect(left.steps.first { $0.id == "restart" }?.status == .ok)
        #expect(left.pages.first?.at == .seconds(300))
    }

    @Test("a dry run asks no budget and counts nothing")
    func dryRun() async throws {
        let record = try await EngineFixture.run("budgeted", alert: payments, mode: .dryRun)
        #expect(record.steps.first { $0.id == "restart" }?.status == .wouldRun)
        #expect(
            record.timeline.contains {
                $0.summary
                    == "restart would use a budget of 3 per 1h by {{ alert.labels.service }}; a dry run counts nothing"
            })
    }

    @Test("an exhausted runbook budget runs no step: on_budget_exhausted runs instead of on_failure, and no rung moves")
    func runbookBudgetHandled() async throws {
        let ledger = InMemoryBudgetLedger(now: { 0 })
        let alert = EngineFixture.alert("BudgetHandled", labels: ["service": "payments"])
        let first = try await live("budget-handled", alert: alert, ledger: ledger, id: "run-1")
        #expect(first.steps.map(\.id) == ["restart"], "\(first.stepReport)")
        #expect(first.outcome == .succeeded)
        let second = try await live("budget-handled", alert: alert, ledger: ledger, id: "run-2")
        #expect(second.steps.map(\.id) == ["hand_over"])
        #expect(second.outcome == .failed)
        #expect(
            second.timeline.contains {
                $0.summary
                    == "stopped before any step: budget exhausted: 1 of 1 runs of budget-handled for payments in the last 10m (next frees at 1970-01-01T00:10:00.000Z); not run"
            })
        #expect(second.timeline.contains { $0.summary == "running on_budget_exhausted steps" })
        #expect(second.pages.isEmpty, "on_budget_exhausted is the handling; the ladder keeps its times")
        #expect(second.notifications.map(\.notifier) == ["team-lead"])
    }
}
