import Foundation
public import RunbookCore

/// Everything a run needs before it starts: the catalog, the runbook, the alert as received.
///
/// Shared by `rbx run` and `rbx drill` so both load and choose the same way.
public struct RunPreparation: Sendable {
    public var catalog: Catalog
    public var runbook: Runbook
    public var alert: Alert
    /// The alert file's bytes, kept verbatim for the evidence bundle.
    public var alertJSON: [UInt8]
    /// Why the alert would not have matched this runbook, when it would not (drills may
    /// rehearse a runbook with any alert, but should say so).
    public var mismatch: [String]

    /// - Parameters:
    ///   - runbookName: the runbook to run; nil picks the one the alert matches.
    ///   - alertBytes: an alert file in any accepted form; the first alert in it is used. Nil
    ///     runs a scheduled runbook or check for its tick at or before `tickAt`, as the server does.
    ///   - tickAt: the instant (epoch milliseconds) whose tick runs when there is no alert.
    /// - Throws: ``RunPreparationError`` naming what is missing or invalid.
    public static func prepare(
        catalogDirectory: String, runbookName: String?, alertBytes: [UInt8]?, tickAt: Int64 = 0
    ) async throws(RunPreparationError) -> RunPreparation {
        let catalog: Catalog
        do {
            catalog = try await CatalogLoader.load(directory: catalogDirectory)
        } catch {
            throw RunPreparationError(message: error.description)
        }
        if let refusal = catalog.lintRefusal { throw RunPreparationError(message: refusal) }
        guard let alertBytes else {
            return try tick(of: runbookName, in: catalog, at: tickAt)
        }
        if let runbookName, catalog.runbook(named: runbookName)?.isCheck == true {
            throw RunPreparationError(
                message: "\(runbookName) is a check: it runs on its schedule, without an alert; leave out --alert")
        }
        let alerts: [Alert]
        do {
            alerts = try AlertDecoder.decode(alertBytes, config: catalog.config)
        } catch {
            throw RunPreparationError(message: "invalid alert: \(error)")
        }
        guard let alert = alerts.first else { throw RunPreparationError(message: "the alert file holds no alert") }
        let match = RunbookMatcher.match(alert, in: catalog)
        let runbook: Runbook
        if let runbookName {
            guard let named = catalog.runbook(named: runbookName) else {
                let hint = Suggestion.didYouMean(runbookName, in: catalog.runbooks.map(\.name))
                throw RunPreparationError(message: "no runbook named \"\(runbookName)\"\(hint)")
            }
            runbook = named
        } else {
            guard let selected = match.selected, let chosen = catalog.runbook(named: selected.runbook) else {
                throw RunPreparationError(
                    message: "no runbook matches alert \(alert.name); name one explicitly or see rbx match --explain")
            }
            runbook = chosen
        }
        let evaluation = RunbookMatcher.evaluate(runbook, alert: alert, ladder: catalog.config.severity)
        return RunPreparation(
            catalog: catalog, runbook: runbook, alert: alert, alertJSON: alertBytes,
            mismatch: evaluation.failures.map(\.detail))
    }
}

extension RunPreparation {
    /// The run of a schedule's tick: the alert the server would queue for it.
    static func tick(
        of runbookName: String?, in catalog: Catalog, at instant: Int64
    ) throws(RunPreparationError) -> RunPreparation {
        guard let runbookName else {
            throw RunPreparationError(message: "name the runbook or check to run, or give an alert with --alert")
        }
        guard let runbook = catalog.runbook(named: runbookName) else {
            let hint = Suggestion.didYouMean(runbookName, in: catalog.runbooks.map(\.name))
            throw RunPreparationError(message: "no runbook named \"\(runbookName)\"\(hint)")
        }
        let alert: Alert
        do throws(TickLookupError) {
            alert = try runbook.tick(atOrBefore: instant).alert
        } catch {
            switch error {
            case .noSchedule:
                throw RunPreparationError(
                    message: "\(runbookName) has no schedule: give the alert it answers with --alert FILE")
            case .noTickBefore(let schedule):
                throw RunPreparationError(
                    message: "schedule \"\(schedule)\" of \(runbookName) names no time before then")
            }
        }
        return RunPreparation(
            catalog: catalog, runbook: runbook, alert: alert, alertJSON: Array(AlertJSONWriter.json(alert).utf8),
            mismatch: [])
    }
}

public struct RunPreparationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
