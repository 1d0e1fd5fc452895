public import RunbookCore
public import RunbookEngine
public import RunbookLifecycle

/// A drill run for reviewers' tools: virtual time, nothing executed, notifications recorded.
///
/// `rbx test`, `rbx diff` and `rbx docs` all ask "what would this runbook do for this alert";
/// they ask the drill engine, so what they report is what a drill (and, step outcomes aside,
/// a live run) does, not a second interpretation of the YAML.
public enum Rehearsal {
    /// Fixed identity and start time, so rendered messages and documentation are reproducible.
    public static let runID = "rehearsal"
    public static let startedAt = "2026-01-01T00:00:00Z"

    public static func run(
        _ runbook: Runbook, alert: Alert, in catalog: Catalog, options: DrillOptions = DrillOptions(),
        startedAt: String = Rehearsal.startedAt, handedOffFrom: RunHandoff.Origin? = nil
    ) async -> RunRecord {
        let engine = RunEngine(
            catalog: catalog, clock: VirtualClock(), runner: ProcessCommandRunner(),
            sender: RecordingNotificationSender())
        var runOptions = RunOptions(mode: .drill(options), runID: runID, startedAt: startedAt, environment: [:])
        runOptions.handedOffFrom = handedOffFrom
        return await engine.run(runbook, alert: alert, options: runOptions)
    }
}
