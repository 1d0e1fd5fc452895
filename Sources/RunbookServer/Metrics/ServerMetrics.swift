import Prometheus
import RunbookStore
import Synchronization

/// The server's Prometheus metrics (`GET /metrics`), one registry per server so tests that
/// start several servers in one process never share counts.
public struct ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let queueDepthGauge: Gauge
    private let activeRunsGauge: Gauge
    private let wallClockDriftGauge: Gauge
    private let reloadSucceededGauge: Gauge
    private let reloadTimeGauge: Gauge
    /// Counters already made, by name and label values: intake counts every alert, and making
    /// a counter (name, labels, registry lock) costs more than incrementing one.
    private let counters = CounterCache()

    public init() {
        queueDepthGauge = registry.makeGauge(
            descriptor: Self.name("queue", "depth", "Alerts waiting for a worker or being processed"))
        activeRunsGauge = registry.makeGauge(
            descriptor: Self.name("runs", "active", "Runs executing steps in this process"))
        wallClockDriftGauge = registry.makeGauge(
            descriptor: Self.name(
                "wall_clock_drift", "seconds", "How far the wall clock was set away from rbx's monotonic time"))
        // Prometheus's and Alertmanager's names, so the same alert rule watches all three.
        reloadSucceededGauge = registry.makeGauge(
            descriptor: Self.name("config_last_reload_successful", "", "Whether the last catalog reload succeeded"))
        reloadTimeGauge = registry.makeGauge(
            descriptor: Self.name(
                "config_last_reload_success_timestamp", "seconds", "When the catalog was last loaded successfully"))
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "rbx", metricName: metric, unitName: unit, helpText: help)
    }

    private func count(_ metric: String, _ help: String, _ labels: [(String, String)]) {
        let key = labels.reduce(metric) { $0 + "\u{0}" + $1.1 }
        counters.counter(key) { registry.makeCounter(descriptor: Self.name(metric, "total", help), labels: labels) }
            .increment()
    }

    func alertReceived(_ outcome: IntakeOutcome, source: String, severity: String?) {
        let labels = [("source", source), ("severity", severity ?? "none")]
        count("alerts_received", "Alerts posted to rbx", labels)
        switch outcome {
        case .deduplicated: count("alerts_deduplicated", "Repeats folded into a firing alert", labels)
        case .silenced: count("alerts_silenced", "Alerts a silence kept from starting a run", labels)
        case .resolved: count("alerts_resolved", "Resolved notifications received", labels)
        case .unrouted: alertSkipped(reason: "no_runbook")
        case .queued: break
        }
    }

    func runFinished(runbook: String, outcome: String) {
        count("runs", "Runs by runbook and outcome", [("runbook", runbook), ("outcome", outcome)])
    }

    /// Alerts refused one by one as invalid (Alertmanager's `alertmanager_alerts_invalid_total`).
    func alertsRefused(_ count: Int) {
        guard count > 0 else { return }
        counters.counter("alerts_invalid") {
            registry.makeCounter(descriptor: Self.name("alerts_invalid", "total", "Posted alerts refused as invalid"))
        }.increment(by: Int64(count))
    }

    /// A budgeted step (or run, `step` empty) took a use of its budget, or found it exhausted.
    func budgetAsked(runbook: String, step: String, granted: Bool) {
        let labels = [("runbook", runbook), ("step", step)]
        if granted {
            count("budget_uses", "Uses of remediation budgets granted", labels)
        } else {
            count("budget_exhausted", "Budgeted steps or runs not run because their budget was exhausted", labels)
        }
    }

    func alertSkipped(reason: String) {
        count("alerts_without_run", "Claimed alerts that started no run, by reason", [("reason", reason)])
    }

    func stepFinished(runbook: String, status: String, duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: Self.name("step_duration", "seconds", "Runbook step durations"),
            labels: [("runbook", runbook), ("status", status)],
            buckets: [
                .milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(60), .seconds(300),
                .seconds(1800),
            ]
        ).record(duration)
    }

    /// A rung counts as fired only when every notifier took its page; otherwise it failed.
    func escalationFired(runbook: String, delivered: Bool) {
        if delivered {
            count("escalations_fired", "Escalation rungs and reminders delivered", [("runbook", runbook)])
        } else {
            count(
                "escalations_failed", "Escalation rungs and reminders a notifier did not take", [("runbook", runbook)])
        }
    }

    func notification(notifier: String, delivered: Bool) {
        count(
            "notifications", "Notifications sent, by notifier and outcome",
            [("notifier", notifier), ("outcome", delivered ? "delivered" : "failed")])
        if !delivered {
            count("notifications_failed", "Notifications a notifier did not take", [("notifier", notifier)])
        }
    }

    func statusUpdatePublished(runbook: String) {
        count("status_updates", "Status updates published by timers", [("runbook", runbook)])
    }

    func claimExpired(kind: String) {
        count("claim_lock_expiries", "Work taken over after its claim expired", [("kind", kind)])
    }

    /// A tick this replica claimed: `queued` (a run), or `skipped` (the previous tick's run was
    /// still going). Ticks another replica claimed are counted there.
    func scheduleTick(runbook: String, outcome: String) {
        count(
            "schedule_ticks", "Schedule ticks this replica reached, by what became of them",
            [("runbook", runbook), ("outcome", outcome)])
    }

    func alertExpired() {
        count("alerts_expired", "Firing alerts resolved because their endsAt passed with no newer notification", [])
    }

    func claimLost() {
        count("claims_lost", "Runs this process stopped because another worker took their claim over", [])
    }

    /// The catalog was loaded at start (`reload` false), reloaded, or a reload was refused.
    func catalogLoaded(succeeded: Bool, reload: Bool, atMilliseconds time: Int64) {
        reloadSucceededGauge.set(Double(succeeded ? 1 : 0))
        if succeeded { reloadTimeGauge.set(Double(time) / 1000) }
        if reload {
            count("config_reloads", "Catalog reloads, by outcome", [("outcome", succeeded ? "success" : "failure")])
        }
    }

    func setQueueDepth(_ depth: Int) { queueDepthGauge.set(Double(depth)) }
    func setWallClockDrift(milliseconds: Int64) { wallClockDriftGauge.set(Double(milliseconds) / 1000) }
    func setActiveRuns(_ count: Int) { activeRunsGauge.set(Double(count)) }

    func exposition() -> [UInt8] { registry.emitToBuffer() }
}

final class CounterCache: Sendable {
    private let counters = Mutex<[String: Counter]>([:])

    func counter(_ key: String, make: () -> Counter) -> Counter {
        counters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = make()
            cache[key] = counter
            return counter
        }
    }
}
