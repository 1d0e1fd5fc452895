// Engine benchmarks (issue 4): drill wall time in process, and real-run overhead per step
// against bare posix_spawn + wait of /bin/true, measured in the same run. Prints its figures;
// bench/engine.sh builds it in release and adds whole-process times and peak RSS.
import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle

#if canImport(Glibc)
    import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(
        Data("usage: rbx-bench CATALOG (drill RUNBOOK ALERT.json RUNS | spawn RUNBOOK RUNS)\n".utf8))
    exit(2)
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
}

let catalog = try await CatalogLoader.load(directory: arguments[1])
let environment = ["PATH": "/usr/bin:/bin"]

switch arguments[2] {
case "drill":
    guard let runbook = catalog.runbook(named: arguments[3]),
        let data = FileManager.default.contents(atPath: arguments[4]),
        let alert = try AlertDecoder.decode([UInt8](data), config: catalog.config).first, let runs = Int(arguments[5])
    else { exit(2) }
    var best = Duration.seconds(3600)
    var escalations = 0
    for _ in 0..<runs {
        let engine = RunEngine(
            catalog: catalog, clock: VirtualClock(), runner: ProcessCommandRunner(),
            sender: RecordingNotificationSender())
        let options = RunOptions(
            mode: .drill(DrillOptions()), runID: "bench", startedAt: "2026-01-01T00:00:00Z", environment: environment)
        let start = ContinuousClock.now
        let record = await engine.run(runbook, alert: alert, options: options)
        best = min(best, ContinuousClock.now - start)
        escalations = record.timeline.filter { $0.kind == .escalation }.count
    }
    print(
        "drill_in_process runbook=\(runbook.name) steps=\(runbook.steps.count) escalations=\(escalations) best_ms=\(String(format: "%.3f", milliseconds(best)))"
    )
case "spawn":
    guard let runbook = catalog.runbook(named: arguments[3]), let runs = Int(arguments[4]) else { exit(2) }
    let alert = Alert(
        fingerprint: "0", name: "Bench", source: "bench", severity: nil, rawSeverity: nil, status: .firing,
        labels: ["alertname": "Bench"])
    var bestEngine = Duration.seconds(3600)
    var bestBare = Duration.seconds(3600)
    for _ in 0..<runs {
        let engine = RunEngine(
            catalog: catalog, clock: ContinuousClock(), runner: ProcessCommandRunner(),
            sender: RecordingNotificationSender())
        let options = RunOptions(
            mode: .live, runID: "bench", startedAt: "2026-01-01T00:00:00Z", environment: environment)
        var start = ContinuousClock.now
        let record = await engine.run(runbook, alert: alert, options: options)
        bestEngine = min(bestEngine, ContinuousClock.now - start)
        guard record.steps.allSatisfy({ $0.status == .ok }) else {
            print("engine run failed")
            exit(1)
        }
        start = ContinuousClock.now
        for _ in 0..<runbook.steps.count {
            var pid: pid_t = 0
            let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
            defer { free(argv[0]) }
            guard posix_spawn(&pid, "/bin/true", nil, nil, argv, nil) == 0 else { exit(1) }
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        bestBare = min(bestBare, ContinuousClock.now - start)
    }
    let steps = Double(runbook.steps.count)
    let engineMs = milliseconds(bestEngine) / steps
    let bareMs = milliseconds(bestBare) / steps
    print(
        "spawn steps=\(runbook.steps.count) rbx_ms_per_step=\(String(format: "%.3f", engineMs)) bare_ms_per_spawn=\(String(format: "%.3f", bareMs)) ratio=\(String(format: "%.2f", engineMs / bareMs))"
    )
default:
    exit(2)
}
