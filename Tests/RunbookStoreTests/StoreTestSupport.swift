import Foundation
import RunbookCore
import RunbookEngine
@testable import RunbookStore

/// A fresh SQLite store in its own temporary directory.
func makeStore() throws -> (SQLiteStateStore, String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = directory + "/state.sqlite"
    return (try SQLiteStateStore(path: path), path)
}

func alert(_ name: String, labels: [String: String] = [:], status: Alert.Status = .firing) -> Alert {
    var all = labels
    all["alertname"] = name
    return Alert(
        fingerprint: AlertFingerprint.of(all), name: name, source: "test", severity: "P2", rawSeverity: "P2", status: status, labels: all)
}

func runStart(
    _ id: String, alertID: Int64, runbook: String = "rb", fingerprint: String = "f", key: String? = nil, cooldown: Duration = .zero,
    timers: [RunTimer.Scheduled] = []
) -> RunStart {
    RunStart(id: id, alertID: alertID, runbook: runbook, fingerprint: fingerprint, concurrencyKey: key, cooldown: cooldown, timers: timers)
}

extension IntakeOutcome {
    var alertID: Int64? {
        switch self {
        case .queued(let id), .deduplicated(let id, _), .silenced(let id, _), .unrouted(let id): id
        case .resolved(let id, _): id
        }
    }
}

let minute = Duration.seconds(60)
