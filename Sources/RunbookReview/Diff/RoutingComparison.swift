import RunbookCore
import RunbookYAML

/// Finds alerts that run a different runbook after the change, and says so with the alert.
///
/// The alerts are the catalog's examples and test alerts plus probes made up from the
/// matchers of every runbook that changed (``SampleAlerts/probes(for:config:)``), on both
/// sides. Only a changed runbook (or a changed rbx.yaml) can move an alert, so each alert is
/// first checked against the changed runbooks alone; the full routing runs only for alerts
/// one of them matches.
struct RoutingComparison {
    var base: Catalog
    var head: Catalog
    var changedNames: Set<String>
    var configChanged: Bool

    struct Move {
        var before: String?
        var after: String?
        var alerts: [Alert]
    }

    func moves(of alerts: [Alert]) -> [Move] {
        let baseChanged = base.runbooks.filter { changedNames.contains($0.name) }
        let headChanged = head.runbooks.filter { changedNames.contains($0.name) }
        var moves: [String: Move] = [:]
        var order: [String] = []
        for alert in alerts {
            if !configChanged {
                let touches =
                    baseChanged.contains { RunbookMatcher.matches($0, alert: alert, ladder: base.config.severity) }
                    || headChanged.contains { RunbookMatcher.matches($0, alert: alert, ladder: head.config.severity) }
                if !touches { continue }
            }
            let before = RunbookMatcher.selectedRunbook(for: alert, in: base)?.name
            let after = RunbookMatcher.selectedRunbook(for: alert, in: head)?.name
            guard before != after else { continue }
            let key = "\(before ?? "")→\(after ?? "")"
            if moves[key] == nil {
                moves[key] = Move(before: before, after: after, alerts: [])
                order.append(key)
            }
            moves[key]?.alerts.append(alert)
        }
        return order.compactMap { moves[$0] }
    }

    /// One finding per move: "alerts with severity P3, env=staging now run high-cpu; before:
    /// no runbook", with up to three of the alerts.
    func finding(for move: Move) -> DiffFinding {
        let target = move.after.flatMap { head.runbook(named: $0) }
        let acts = target?.steps.contains { $0.kind == .remediation } ?? false
        let risk: DiffRisk = move.after == nil || acts ? .high : .medium
        let now = move.after.map { "now run \($0)" } ?? "now run no runbook"
        let before = move.before.map { "before: \($0)" } ?? "before: no runbook"
        let examples = move.alerts.prefix(3).map {
            "alert \($0.name) [\(SampleAlerts.describe($0, config: head.config))]"
        }
        let count = move.alerts.count
        return DiffFinding(
            .routing, risk,
            "\(count) probe alert\(count == 1 ? "" : "s") \(now); \(before) — e.g. \(SampleAlerts.describe(move.alerts[0], config: head.config))",
            base: move.before.flatMap { base.runbook(named: $0)?.match.location }, head: target?.match.location,
            detail: count > 1 ? Array(examples) + (count > 3 ? ["… and \(count - 3) more"] : []) : [])
    }
}
