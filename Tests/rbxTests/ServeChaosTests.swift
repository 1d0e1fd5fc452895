import Foundation
import RunbookTesting
import Testing

/// Issue 13: a real `rbx serve` under a stream of alerts, killed with SIGKILL at random moments
/// and started again. Its remediation is not idempotent (it appends to a file): whatever the
/// moment of the kill, each remediation ran at most once and each escalation rung of each run
/// paged exactly once. Short in CI; `RBX_CHAOS_ROUNDS=50` runs longer, `RBX_CHAOS_SEED=N`
/// replays the printed seed.
@Suite(.serialized) struct ServeChaosTests {
    /// A diagnostic, then a remediation that appends the alert's instance to remediations.log
    /// (not idempotent), and two rungs.
    static func runbook(lookFor look: String, lastRung: String) -> String {
        ServeProcess.runbook(
            "chaos", alertname: "Chaos",
            steps: """
                  - id: look
                    kind: diagnostic
                    run: ["/bin/sh", "-c", "sleep \(look)"]
                  - id: fix
                    kind: remediation
                    timeout: 10s
                    run: ["/bin/sh", "-c", "echo \\"$1\\" >> DIR/remediations.log; sleep 0.3", "sh", "{{alert.labels.instance}}"]
                """,
            tail: "escalation:\n  - after: 1s\n    notify: [pager]\n  - after: \(lastRung)\n    notify: [pager]")
    }

    /// Rounds and seed from `RBX_CHAOS_ROUNDS` and `RBX_CHAOS_SEED`, printed so a failure can be replayed.
    static func settings(name: String, rounds defaultRounds: Int) -> (rounds: Int, seed: UInt64, random: SplitMix64) {
        let environment = ProcessInfo.processInfo.environment
        let rounds = environment["RBX_CHAOS_ROUNDS"].flatMap(Int.init) ?? defaultRounds
        let seed = environment["RBX_CHAOS_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        print("\(name): seed \(seed), \(rounds) rounds (RBX_CHAOS_SEED=\(seed) replays it)")
        return (rounds, seed, SplitMix64(seed: seed))
    }

    /// Pages as (run id, rung): the file notifier writes `--- escalation RUN/rung-N/…` per page.
    static func pages(_ server: ServeProcess) -> [String] {
        server.lines("pages.log").filter { $0.hasPrefix("--- escalation ") }.map { line in
            let key = line.dropFirst("--- escalation ".count).split(separator: "/")
            return key.prefix(2).joined(separator: "/")
        }
    }

    @Test func killedAtRandomMomentsNothingRunsTwiceAndEveryRungPagesOnce() async throws {
        let (rounds, seed, generator) = Self.settings(name: "ServeChaosTests", rounds: 4)
        var random = generator
        let directory = try ServeProcess.catalog(runbooks: [
            "chaos.yaml": Self.runbook(lookFor: "0.2", lastRung: "2500ms")
        ])
        let server = ServeProcess(directory: directory)
        try await server.start()
        var posted: [String] = []
        for round in 0..<rounds {
            for index in 0..<3 {
                let instance = "c\(round)-\(index)"
                let answer = try await server.post(
                    "/api/v2/alerts", json: #"[{"labels":{"alertname":"Chaos","instance":"\#(instance)"}}]"#)
                if answer.stdout == "200" { posted.append(instance) }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...300, using: &random)))
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...1500, using: &random)))
            server.kill9()
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...1000, using: &random)))
            try await server.start()
        }
        #expect(posted.count == rounds * 3, "every post was answered 200 before the kill that followed it")
        // Every run pages both rungs; the last alerts need about 2.5 s after their run starts.
        let settled = await eventually(timeout: .seconds(60)) {
            Set(Self.pages(server)).count >= 2 * posted.count
        }
        try await Task.sleep(for: .seconds(1))
        let pages = Self.pages(server)
        let runs = Set(pages.map { String($0.split(separator: "/")[0]) })
        #expect(settled, "rungs paged: \(Set(pages).count) of \(2 * posted.count) (seed \(seed))")
        #expect(runs.count == posted.count, "one run per alert (seed \(seed))")
        let repeated = Dictionary(grouping: pages, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(repeated.isEmpty, "paged twice: \(repeated) (seed \(seed))")
        let remediations = server.lines("remediations.log")
        let twice = Dictionary(grouping: remediations, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(twice.isEmpty, "remediated twice: \(twice) (seed \(seed))")
        #expect(Set(remediations).isSubset(of: Set(posted)))
        await server.stop()
    }
}
