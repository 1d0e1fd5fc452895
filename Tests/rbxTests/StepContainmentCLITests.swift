import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 13, item 5, through the `rbx` binary, which adopts the orphans of its steps: a step's
/// escaped processes end with the step, and after `kill -9` the restarted server kills what the
/// interrupted step left running before it decides what to do with the step.
@Suite struct StepContainmentCLITests {
    static let escapingStep = """
          - id: daemonize
            kind: diagnostic
            timeout: 10s
            run:
              - /bin/sh
              - -c
              - |
                setsid sh -c 'echo $$ > "$0"; exec sleep 300' "$1" </dev/null >/dev/null 2>&1 &
                (setsid sleep 301 </dev/null >/dev/null 2>&1 & echo $! > "$2") &
                while [ ! -s "$1" ] || [ ! -s "$2" ]; do sleep 0.01; done
              - sh
              - DIR/first.pid
              - DIR/second.pid
        """

    @Test func rbxRunLeavesNoProcessOfAStepBehind() async throws {
        let directory = try ServeProcess.catalog(runbooks: [
            "escape.yaml": ServeProcess.runbook("escape", alertname: "Escape", steps: Self.escapingStep)
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let alert = "\(directory)/alert.json"
        try #"{"labels":{"alertname":"Escape"}}"#.write(toFile: alert, atomically: true, encoding: .utf8)
        let result = try await RbxBinary.run([
            "run", "escape", "--alert", alert, "--catalog", directory, "--no-evidence",
        ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        for name in ["first", "second"] {
            let pid = try Self.pid(in: "\(directory)/\(name).pid")
            #expect(await Self.ends(pid), "\(name) (pid \(pid)) outlived its step")
        }
    }

    @Test func aRestartedServerKillsWhatTheInterruptedStepLeftRunning() async throws {
        let runbook = ServeProcess.runbook(
            "hang", alertname: "Hang",
            steps: """
                  - id: hang
                    kind: remediation
                    timeout: 60s
                    run:
                      - /bin/sh
                      - -c
                      - |
                        echo $$ > DIR/step.pid
                        (setsid sleep 301 </dev/null >/dev/null 2>&1 & echo $! > DIR/escaped.pid) &
                        while [ ! -s DIR/escaped.pid ]; do sleep 0.01; done
                        echo begin >> DIR/steps.log
                        sleep 120
                """)
        let directory = try ServeProcess.catalog(runbooks: ["hang.yaml": runbook])
        let server = ServeProcess(directory: directory)
        try await server.start(logLevel: "info")
        _ = try await server.post("/api/v2/alerts", json: #"[{"labels":{"alertname":"Hang"}}]"#)
        #expect(await eventually { server.lines("steps.log") == ["begin"] })
        server.kill9()
        let step = try Self.pid(in: "\(directory)/step.pid")
        let escaped = try Self.pid(in: "\(directory)/escaped.pid")
        #expect(Self.alive(step) && Self.alive(escaped), "kill -9 of rbx leaves the step's processes running")
        try await server.start(logLevel: "info")
        #expect(await Self.ends(step, within: .seconds(20)), "the interrupted step's process still runs")
        #expect(await Self.ends(escaped, within: .seconds(20)), "its escaped process still runs")
        #expect(await eventually { server.log(2).contains("killed the processes an interrupted run left running") })
        // The step's shell, its `sleep` (if it had started) and the escaped process.
        let killed = server.log(2).firstMatch(of: /processes=(\d+)/).flatMap { Int($0.1) }
        #expect((killed ?? 0) >= 2, "\(server.log(2))")
        // The remediation is not idempotent: cut off, it is marked interrupted, never run twice.
        #expect(
            await eventually {
                let listed = try? await RbxBinary.runWithToken([
                    "runs", "--server", server.url, "--state", "failed", "--json",
                ])
                return listed?.stdout.contains("\"failed\"") ?? false
            })
        #expect(server.lines("steps.log") == ["begin"])
        await server.stop()
    }

    static func pid(in file: String) throws -> pid_t {
        let text = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return try #require(pid_t(text))
    }

    static func alive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }

    static func ends(_ pid: pid_t, within limit: Duration = .seconds(2)) async -> Bool {
        await eventually(timeout: limit) { !alive(pid) }
    }
}
