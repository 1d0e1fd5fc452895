import Foundation
public import RunbookCore
import RunbookEngine
public import RunbookLifecycle
public import RunbookYAML

/// The alert a runbook's page is illustrated with, and the messages drills render for it.
///
/// A real example from `examples/alerts/` reads better than a made-up one, so an example that
/// routes to the runbook wins; otherwise ``SampleAlerts/typical(for:config:)`` makes one up.
/// Messages come from ``Rehearsal`` (the drill engine), not from a second reading of the
/// templates: what the page shows is what a drill sends.
public struct SampleRun: Sendable {
    public var alert: Alert
    /// The example file the alert came from, catalog-relative; nil when it was made up.
    public var example: String?
    public var onStart: RenderedMessage?
    public var onUpdate: RenderedMessage?
    public var onResolved: RenderedMessage?
    /// The first page of each rung, by rung index.
    public var escalations: [SourceLocation: RenderedMessage]

    /// Firing alerts from `sample_alerts` (`examples/alerts/*.json`) under the catalog root,
    /// sorted by file. Files that do not decode are skipped: lint does not check them and docs
    /// should not fail for them.
    public static func examples(in catalog: Catalog) -> [(file: String, alert: Alert)] {
        let relative = catalog.config.sampleAlertsDirectory
        let directory = CatalogLoader.resolve(relative, in: catalog.root)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var result: [(String, Alert)] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name),
                let alerts = try? AlertDecoder.decode(Array(data), config: catalog.config)
            else { continue }
            for alert in alerts where alert.status == .firing { result.append((relative + "/" + name, alert)) }
        }
        return result
    }

    /// Picks the alert and runs two drills: one where every step succeeds (its `on_start` and
    /// `on_resolved`), one where the run stays open (its `on_update` and escalation pages).
    ///
    /// - Returns: nil when no example routes to the runbook and no alert can be made up.
    public static func make(
        for runbook: Runbook, in catalog: Catalog, examples: [(file: String, alert: Alert)]
    ) async -> SampleRun? {
        var chosen: (String?, Alert)?
        if let example = examples.first(where: {
            RunbookMatcher.selectedRunbook(for: $0.alert, in: catalog)?.name == runbook.name
        }) {
            chosen = (example.file, example.alert)
        } else if let typical = SampleAlerts.typical(for: runbook, config: catalog.config) {
            chosen = (nil, typical)
        }
        guard let (example, alert) = chosen else { return nil }

        // Long enough for the last rung and the first status update to fire before the alert
        // resolves in the drill that keeps the run open.
        let planned = runbook.planned(for: alert, config: catalog.config)
        let lastRung = planned.escalation.map(\.after).max() ?? .zero
        let resolveAt = max(lastRung, planned.status.onUpdate?.every ?? .zero) + .seconds(60)
        let happy = await Rehearsal.run(runbook, alert: alert, in: catalog, options: DrillOptions(resolveAt: resolveAt))
        let failing = Dictionary(
            runbook.allSteps.map { ($0.id.value, DrillOptions.Assumption.fail) },
            uniquingKeysWith: { first, _ in first })
        let open = await Rehearsal.run(
            runbook, alert: alert, in: catalog, options: DrillOptions(assumptions: failing, resolveAt: resolveAt))

        func first(_ trigger: RenderedMessage.Trigger, _ records: RunRecord...) -> RenderedMessage? {
            records.lazy.compactMap { $0.messages.first { $0.trigger == trigger } }.first
        }
        var escalations: [SourceLocation: RenderedMessage] = [:]
        let pages = open.messages.filter { $0.trigger == .escalation }
        for rung in planned.escalation {
            escalations[rung.location] = pages.first { $0.at == rung.after && $0.template == rung.template?.value }
        }
        return SampleRun(
            alert: alert, example: example, onStart: first(.onStart, happy, open),
            onUpdate: first(.onUpdate, happy, open),
            onResolved: first(.onResolved, happy, open), escalations: escalations)
    }
}
