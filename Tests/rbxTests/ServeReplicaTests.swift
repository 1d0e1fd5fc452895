import Foundation
import RunbookTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Several `rbx serve` processes on one PostgreSQL database (a throwaway cluster from
/// ``PostgresTestCluster``): each alert is handled once, each escalation rung fires once, and
/// a replica killed with SIGKILL has its runs finished by the others once its claims expire.
///
/// Without PostgreSQL these tests fail (``PostgresTestCluster`` says what to install); they
/// are not skipped.
@Suite(.serialized) struct ServeReplicaTests {
    /// The idempotency keys of the escalation pages in pages.log (`RUN/rung-N/REPETITION/NOTIFIER`).
    private static func pageKeys(_ server: ServeProcess) -> [String] {
        server.lines("pages.log").filter { $0.hasPrefix("--- escalation ") }.map {
            String($0.dropFirst("--- escalation ".count))
        }
    }

    /// The runs as `GET /api/v1/runs` lists them.
    private static func runs(_ server: ServeProcess) async throws -> [[String: Any]] {
        let result = try await ServeProcess.tool(
            [
                "curl", "-sS", "-H", "Authorization: Bearer \(ServeProcess.token)",
                server.url + "/api/v1/runs?limit=10000",
            ])
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return parsed as? [[String: Any]] ?? []
    }

    private static func alertsJSON(_ instances: some Sequence<String>, alertname: String) -> String {
        "[" + instances.map { #"{"labels":{"alertname":"\#(alertname)","instance":"\#($0)"}}"# }.joined(separator: ",")
            + "]"
    }

    /// POST /api/v2/alerts to the server at `url`; returns the HTTP status.
    private static func postAlerts(_ json: String, to url: String) async throws -> String {
        try await ServeProcess.tool([
            "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
            "-H", "Authorization: Bearer \(ServeProcess.token)", "-H", "Content-Type: application/json",
            "--data-binary", json,
            url + "/api/v2/alerts",
        ]).stdout
    }

    private static func duplicates<T: Hashable>(_ values: [T]) -> [T: Int] {
        Dictionary(values.map { ($0, 1) }, uniquingKeysWith: +).filter { $0.value > 1 }
    }

    @Test func threeReplicasOnOneDatabaseHandleEachAlertOnceAndPageEachRungOnce() async throws {
        let started = ContinuousClock.now
        let database = try await PostgresTestCluster.freshDatabase()
        let runbook = ServeProcess.runbook(
            "replicated", alertname: "Replicated",
            steps: """
                  - id: record
                    kind: diagnostic
                    run: ["/bin/sh", "-c", "echo \\"$1 $2\\" >> DIR/steps.log", "sh", "{{alert.labels.instance}}", "{{run.id}}"]
                """,
            tail: """
                escalation:
                  - after: 3s
                    notify: [pager]
                """)
        let catalog = try ServeProcess.replicaCatalog(runbooks: ["replica.yaml": runbook], claimLock: "3s", workers: 4)
        let replicas = try await ServeProcess.startReplicas(3, catalog: catalog, database: database)
        defer { for replica in replicas where replica.pid > 0 { replica.kill9() } }
        // Each process names itself differently in claims.
        let workers = replicas.map { $0.output().firstMatch(of: #/worker (\S+)\)/#).map { String($0.1) } ?? "" }
        #expect(Set(workers).count == 3, "worker ids: \(workers)")
        for (replica, worker) in zip(replicas, workers) { #expect(worker.contains("/\(replica.pid)/")) }

        let total = 1_000
        let batch = 50
        let instances = (0..<total).map { String(format: "i%04d", $0) }
        let batches = stride(from: 0, to: total, by: batch).map { Array(instances[$0..<min($0 + batch, total)]) }
        // The originals round-robin over the replicas; then every label set again, each batch to
        // another replica than its first copy, the two rounds overlapping.
        try await withThrowingTaskGroup(of: String.self) { group in
            for (index, chunk) in batches.enumerated() {
                let original = replicas[index % 3].url
                let duplicate = replicas[(index + 1) % 3].url
                let json = Self.alertsJSON(chunk, alertname: "Replicated")
                group.addTask {
                    let first = try await Self.postAlerts(json, to: original)
                    let second = try await Self.postAlerts(json, to: duplicate)
                    return first + "/" + second
                }
            }
            for try await statuses in group { #expect(statuses == "200/200") }
        }
        let posted = ContinuousClock.now

        // Each line is "INSTANCE RUN-ID"; the step is a diagnostic, idempotent by default.
        let instancesStepped = { Set(replicas[0].lines("steps.log").compactMap { $0.split(separator: " ").first }) }
        #expect(
            await eventually(timeout: .seconds(120)) { instancesStepped().count >= total },
            "steps: \(instancesStepped().count) of \(total)")
        let stepsDone = ContinuousClock.now
        #expect(
            await eventually(timeout: .seconds(120)) { Self.pageKeys(replicas[0]).count >= total },
            "pages: \(Self.pageKeys(replicas[0]).count) of \(total)")
        // Past a claim lock (3 s) and a poll: a page fired twice would show by now.
        try await Task.sleep(for: .seconds(5))

        let lines = replicas[0].lines("steps.log")
        let steps = lines.compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(
            Set(instances).subtracting(steps).isEmpty,
            "missing steps: \(Set(instances).subtracting(steps).sorted().prefix(10))")
        // An idempotent step runs again only when its run was taken over: a worker whose lease ran
        // out under load (this test loads 2 cores with 3 replicas and PostgreSQL) and whose writes
        // were then refused says so in its log.
        let takenOver = Set(
            replicas.flatMap { $0.log().split(separator: "\n") }.filter { $0.contains("took this run over") }
                .compactMap { $0.firstMatch(of: #/run\.id=(\S+)/#).map { String($0.1) } })
        let unexplained = Self.duplicates(steps).keys.filter { instance in
            !lines.contains {
                $0.hasPrefix(instance + " ") && takenOver.contains(String($0.dropFirst(instance.count + 1)))
            }
        }
        #expect(
            unexplained.isEmpty,
            "steps run more than once without a takeover: \(unexplained.count), e.g. \(unexplained.prefix(5))")

        let runs = try await Self.runs(replicas[1])
        #expect(runs.count == total)
        #expect(Set(runs.compactMap { $0["id"] as? String }).count == total)
        #expect(Set(runs.compactMap { $0["alert_id"] as? Int }).count == total)
        #expect(runs.allSatisfy { $0["state"] as? String == "open" })

        let pages = Self.pageKeys(replicas[0])
        #expect(pages.count == total)
        #expect(
            Self.duplicates(pages).isEmpty,
            "pages sent more than once: \(Self.duplicates(pages).count), e.g. \(Array(Self.duplicates(pages).keys.prefix(5)))"
        )
        let runIDs = Set(runs.compactMap { $0["id"] as? String })
        let expectedPages = Set(runIDs.map { "\($0)/rung-1/0/pager" })
        #expect(
            Set(pages).symmetricDifference(expectedPages).isEmpty,
            "missing: \(expectedPages.subtracting(pages).prefix(5)), unexpected: \(Set(pages).subtracting(expectedPages).prefix(5))"
        )

        for replica in replicas { #expect(await replica.stop() == 0) }
        for (index, replica) in replicas.enumerated() {
            // Errors by level: a worker whose lease ran out under load logs a warning (with its
            // cause in `error=`) when another takes its run over, which is the design at work.
            let errors = replica.log().split(separator: "\n").filter { $0.contains(" error rbx.") }
            #expect(errors.isEmpty, "replica \(index) logged errors:\n\(errors.prefix(5).joined(separator: "\n"))")
        }
        print(
            "ServeReplicaTests: 3 replicas, \(total) alerts + \(total) duplicates: posted in \(posted - started), "
                + "steps done after \(stepsDone - started), total \(ContinuousClock.now - started)")
    }

    @Test func runsOfAKilledReplicaAreFinishedByTheOthersAndEachRungFiresOnce() async throws {
        let database = try await PostgresTestCluster.freshDatabase()
        // $PPID is the rbx serve that runs the step: the lines say which replica ran what.
        let runbook = ServeProcess.runbook(
            "takeover", alertname: "Takeover",
            steps: """
                  - id: look
                    kind: diagnostic
                    timeout: 60s
                    run: ["/bin/sh", "-c", "echo \\"start $1 $PPID\\" >> DIR/steps.log; sleep 5; echo \\"end $1 $PPID\\" >> DIR/steps.log", "sh", "{{alert.labels.instance}}"]
                """,
            tail: """
                escalation:
                  - after: 4s
                    notify: [pager]
                  - after: 8s
                    notify: [pager]
                """)
        let catalog = try ServeProcess.replicaCatalog(runbooks: ["replica.yaml": runbook], claimLock: "3s", workers: 3)
        let replicas = try await ServeProcess.startReplicas(3, catalog: catalog, database: database)
        defer { for replica in replicas where replica.pid > 0 { replica.kill9() } }
        let victim = replicas[0]
        let victimPID = "\(victim.pid)"
        let instances = (0..<12).map { String(format: "t%02d", $0) }
        #expect(
            try await victim.post("/api/v2/alerts", json: Self.alertsJSON(instances, alertname: "Takeover")).stdout
                == "200")

        func started(by pid: String? = nil) -> Set<String> {
            Set(
                victim.lines("steps.log").compactMap { line in
                    let fields = line.split(separator: " ").map(String.init)
                    guard fields.count == 3, fields[0] == "start", pid == nil || fields[2] == pid else { return nil }
                    return fields[1]
                })
        }
        #expect(
            await eventually(timeout: .seconds(30)) { !started(by: victimPID).isEmpty },
            "the replica to kill never started a step")
        victim.kill9()
        let orphaned = started(by: victimPID)
        #expect(!orphaned.isEmpty)

        // Every alert's step ends on a surviving replica: A's runs after its claims expired (3 s).
        let survivors = Set(replicas.dropFirst().map { "\($0.pid)" })
        func finished() -> Set<String> {
            Set(
                victim.lines("steps.log").compactMap { line in
                    let fields = line.split(separator: " ").map(String.init)
                    guard fields.count == 3, fields[0] == "end", survivors.contains(fields[2]) else { return nil }
                    return fields[1]
                })
        }
        #expect(
            await eventually(timeout: .seconds(90)) { finished() == Set(instances) },
            "unfinished: \(Set(instances).subtracting(finished()).sorted()); killed replica had \(orphaned.sorted())")

        // Every run completes (none lost, none left running) and each rung pages once.
        var runs: [[String: Any]] = []
        #expect(
            await eventually(timeout: .seconds(60)) {
                runs = (try? await Self.runs(replicas[1])) ?? []
                return runs.count == instances.count && runs.allSatisfy { $0["state"] as? String == "open" }
                    && Self.pageKeys(victim).count >= 2 * instances.count
            }, "runs: \(runs.map { $0["state"] as? String ?? "?" }); pages: \(Self.pageKeys(victim).count)")
        // Past another claim lock: a rung fired twice would show by now.
        try await Task.sleep(for: .seconds(5))
        runs = try await Self.runs(replicas[2])
        #expect(runs.count == instances.count)
        #expect(runs.allSatisfy { $0["outcome"] as? String == "succeeded" })
        let pages = Self.pageKeys(victim)
        #expect(Self.duplicates(pages).isEmpty, "pages sent more than once: \(Self.duplicates(pages))")
        let expected = Set(
            runs.compactMap { $0["id"] as? String }.flatMap { ["\($0)/rung-1/0/pager", "\($0)/rung-2/0/pager"] })
        #expect(
            Set(pages).symmetricDifference(expected).isEmpty,
            "missing: \(expected.subtracting(pages)), unexpected: \(Set(pages).subtracting(expected))")
        #expect(pages.count == 2 * instances.count)
        // The survivors said they resumed the killed replica's runs.
        let resumed = replicas.dropFirst().map {
            $0.log().components(separatedBy: "resuming a run whose worker stopped").count - 1
        }
        #expect(resumed.reduce(0, +) >= orphaned.count, "resumed: \(resumed), orphaned: \(orphaned.count)")
        for replica in replicas.dropFirst() { #expect(await replica.stop() == 0) }
    }

    /// A replica stopped (SIGSTOP) in the middle of a step, past its lease: the other replica
    /// takes the run over and finishes it. When the stopped one resumes, the store refuses its
    /// writes (its claim's fencing token is old), so it stops instead of running the next step:
    /// the remediation happens once.
    @Test func aReplicaPausedPastItsLeaseStopsWhenItResumes() async throws {
        let database = try await PostgresTestCluster.freshDatabase()
        let runbook = ServeProcess.runbook(
            "paused", alertname: "Paused",
            steps: """
                  - id: look
                    kind: diagnostic
                    idempotent: true
                    timeout: 30s
                    run: ["/bin/sh", "-c", "echo look >> DIR/steps.log; sleep 3"]
                  - id: fix
                    kind: remediation
                    timeout: 30s
                    run: ["/bin/sh", "-c", "echo fix >> DIR/effects.log"]
                """)
        let catalog = try ServeProcess.replicaCatalog(runbooks: ["replica.yaml": runbook], claimLock: "2s", workers: 1)
        let paused = try await ServeProcess.startReplicas(1, catalog: catalog, database: database)[0]
        #expect(try await Self.postAlerts(Self.alertsJSON(["p1"], alertname: "Paused"), to: paused.url) == "200")
        #expect(await eventually { paused.lines("steps.log") == ["look"] })
        paused.send(SIGSTOP)
        let other = ServeProcess(directory: catalog, outputPrefix: "replica1-")
        try await other.start(environment: ["RBX_DATABASE_URL": database.url])
        // The other replica takes over once the lease expires, runs `look` again (idempotent) and `fix`.
        #expect(await eventually(timeout: .seconds(30)) { other.lines("effects.log") == ["fix"] })
        paused.send(SIGCONT)
        #expect(await eventually { paused.log().contains("another worker took this run over; this worker stopped it") })
        try await Task.sleep(for: .seconds(2))
        #expect(other.lines("effects.log") == ["fix"])
        #expect(other.lines("steps.log") == ["look", "look"])
        let listed = try await Self.runs(other)
        #expect(listed.count == 1)
        #expect(listed.first?["state"] as? String == "open")
        await paused.stop()
        await other.stop()
    }

    /// Chaos with replicas (issue 13): alerts stream into two replicas while one of them is
    /// SIGSTOPped past its lease at random moments and resumed. The non-idempotent remediation
    /// appends to a shared file: each alert's appears at most once, and each rung of each run is
    /// paged exactly once. `RBX_CHAOS_ROUNDS`, `RBX_CHAOS_SEED` as in ``ServeChaosTests``.
    @Test func replicasPausedAtRandomMomentsNeverRemediateTwiceNorPageTwice() async throws {
        let (rounds, seed, generator) = ServeChaosTests.settings(name: "ServeReplicaTests chaos", rounds: 3)
        var random = generator
        let database = try await PostgresTestCluster.freshDatabase()
        let runbook = ServeChaosTests.runbook(lookFor: "0.5", lastRung: "3s")
        let catalog = try ServeProcess.replicaCatalog(runbooks: ["replica.yaml": runbook], claimLock: "2s", workers: 2)
        let replicas = try await ServeProcess.startReplicas(2, catalog: catalog, database: database)
        var posted: [String] = []
        for round in 0..<rounds {
            for index in 0..<4 {
                let instance = "r\(round)-\(index)"
                let target = replicas[Int.random(in: 0...1, using: &random)]
                if try await Self.postAlerts(Self.alertsJSON([instance], alertname: "Chaos"), to: target.url) == "200" {
                    posted.append(instance)
                }
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...800, using: &random)))
            let paused = replicas[Int.random(in: 0...1, using: &random)]
            paused.send(SIGSTOP)
            // Past the 2 s lease, so the other replica takes the paused one's runs over.
            try await Task.sleep(for: .milliseconds(Int.random(in: 2_500...3_500, using: &random)))
            paused.send(SIGCONT)
        }
        #expect(posted.count == rounds * 4)
        let settled = await eventually(timeout: .seconds(60)) {
            Set(Self.pageKeys(replicas[0]).map { $0.split(separator: "/").prefix(2).joined(separator: "/") }).count
                >= 2 * posted.count
        }
        try await Task.sleep(for: .seconds(1))
        let rungs = Self.pageKeys(replicas[0]).map { $0.split(separator: "/").prefix(2).joined(separator: "/") }
        #expect(settled, "rungs paged: \(Set(rungs).count) of \(2 * posted.count) (seed \(seed))")
        #expect(Self.duplicates(rungs).isEmpty, "paged twice: \(Self.duplicates(rungs)) (seed \(seed))")
        let remediations = replicas[0].lines("remediations.log")
        #expect(Self.duplicates(remediations).isEmpty, "remediated twice (seed \(seed))")
        for replica in replicas { await replica.stop() }
    }

    /// `POST /api/v1/runs/RUN/ACTION` with `{"step": STEP}` to the server at `url`: status and body.
    private static func decide(
        _ action: String, run: String, step: String, at url: String
    ) async throws -> (status: String, body: String) {
        let result = try await ServeProcess.tool([
            "curl", "-sS", "-w", "\n%{http_code}", "-X", "POST",
            "-H", "Authorization: Bearer \(ServeProcess.token)", "-H", "Content-Type: application/json",
            "--data-binary", #"{"step":"\#(step)"}"#, url + "/api/v1/runs/\(run)/\(action)",
        ]).stdout
        let lines = result.split(separator: "\n", omittingEmptySubsequences: false)
        return (String(lines.last ?? ""), lines.dropLast().joined(separator: "\n"))
    }

    @Test func anApprovalSentToAnotherReplicaReachesTheRunWhereItExecutes() async throws {
        let database = try await PostgresTestCluster.freshDatabase()
        let runbook = ServeProcess.runbook(
            "gated", alertname: "Gated",
            steps: """
                  - id: look
                    kind: diagnostic
                    timeout: 60s
                    run: ["/bin/sh", "-c", "echo look >> DIR/steps.log; until [ -f DIR/go ]; do sleep 0.1; done"]
                  - id: confirm
                    kind: approval
                    message: fix it?
                    timeout: 2m
                  - id: fix
                    kind: remediation
                    timeout: 30s
                    run: ["/bin/sh", "-c", "echo fix >> DIR/effects.log"]
                """)
        // A lease long enough that the executing replica keeps its run through a pause.
        let catalog = try ServeProcess.replicaCatalog(runbooks: ["replica.yaml": runbook], claimLock: "60s", workers: 1)
        let executing = ServeProcess(directory: catalog, outputPrefix: "replica0-")
        try await executing.start(logLevel: "info", environment: ["RBX_DATABASE_URL": database.url])
        #expect(try await Self.postAlerts(Self.alertsJSON(["g1"], alertname: "Gated"), to: executing.url) == "200")
        #expect(await eventually { executing.lines("steps.log") == ["look"] })
        let other = ServeProcess(directory: catalog, outputPrefix: "replica1-")
        try await other.start(environment: ["RBX_DATABASE_URL": database.url])
        let run = try #require(try await Self.runs(other).first?["id"] as? String)

        // Too early, through the other replica: the executing one's gate refuses it.
        let early = try await Self.decide("approve", run: run, step: "confirm", at: other.url)
        #expect(early.status == "409", "\(early.body)")
        FileManager.default.createFile(atPath: catalog + "/go", contents: Data())
        #expect(await eventually { executing.log().contains("approval requested") })
        // Any replica shows what the run waits for.
        #expect(
            await eventually {
                let body =
                    (try? await ServeProcess.tool([
                        "curl", "-sS", "-H", "Authorization: Bearer \(ServeProcess.token)",
                        other.url + "/api/v1/runs/\(run)",
                    ]))?.stdout ?? ""
                return body.contains(#""waiting_for":"confirm""#)
            })

        // The executing replica paused: nobody answers, the decision is withdrawn, not applied.
        executing.send(SIGSTOP)
        let unanswered = try await Self.decide("approve", run: run, step: "confirm", at: other.url)
        #expect(unanswered.status == "503", "\(unanswered.body)")
        #expect(unanswered.body.contains("not applied"))
        executing.send(SIGCONT)
        try await Task.sleep(for: .seconds(1))
        #expect(executing.lines("effects.log").isEmpty, "a withdrawn decision is never applied")

        let approved = try await Self.decide("approve", run: run, step: "confirm", at: other.url)
        #expect(approved.status == "200", "\(approved.body)")
        #expect(await eventually { executing.lines("effects.log") == ["fix"] })
        #expect(executing.log().contains("relayed=true"))
        await executing.stop()
        await other.stop()
    }

    @Test func anAcknowledgementAndAResolutionThroughAnotherReplicaReachTheRunningSteps() async throws {
        let database = try await PostgresTestCluster.freshDatabase()
        let runbook = ServeProcess.runbook(
            "polling", alertname: "Polling",
            steps: """
                  - id: wait
                    kind: diagnostic
                    timeout: 60s
                    interval: 200ms
                    until: steps.wait.ok
                    run: ["/bin/sh", "-c", "echo poll >> DIR/steps.log; test -f DIR/never"]
                """)
        let catalog = try ServeProcess.replicaCatalog(runbooks: ["replica.yaml": runbook], claimLock: "60s", workers: 1)
        let executing = ServeProcess(directory: catalog, outputPrefix: "replica0-")
        try await executing.start(environment: ["RBX_DATABASE_URL": database.url])
        #expect(try await Self.postAlerts(Self.alertsJSON(["p1"], alertname: "Polling"), to: executing.url) == "200")
        #expect(await eventually { !executing.lines("steps.log").isEmpty })
        let other = ServeProcess(directory: catalog, outputPrefix: "replica1-")
        try await other.start(environment: ["RBX_DATABASE_URL": database.url])
        let run = try #require(try await Self.runs(other).first?["id"] as? String)
        let ack = try await ServeProcess.tool([
            "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
            "-H", "Authorization: Bearer \(ServeProcess.token)", "-H", "Content-Type: application/json",
            "--data-binary", #"{"note":"on it"}"#, other.url + "/api/v1/runs/\(run)/ack",
        ]).stdout
        #expect(ack == "200")
        let resolve = try await ServeProcess.tool([
            "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
            "-H", "Authorization: Bearer \(ServeProcess.token)", "-H", "Content-Type: application/json",
            "--data-binary", #"{"note":"fixed by hand"}"#, other.url + "/api/v1/runs/\(run)/resolve",
        ]).stdout
        #expect(resolve == "200")
        // The executing replica hears both from the store: its poll stops well before its timeout.
        #expect(
            await eventually(timeout: .seconds(10)) {
                (try? await Self.runs(other))?.first?["finished_at"] as? String != nil
            })
        let polls = executing.lines("steps.log").count
        try await Task.sleep(for: .seconds(1))
        #expect(executing.lines("steps.log").count == polls, "the poll stopped")
        let detail = try await ServeProcess.tool([
            "curl", "-sS", "-H", "Authorization: Bearer \(ServeProcess.token)", other.url + "/api/v1/runs/\(run)",
        ]).stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: Any])
        #expect(object["state"] as? String == "resolved")
        #expect(object["resolved_by"] as? String == "resolved by shared-token: fixed by hand")
        #expect(object["ack_note"] as? String == "on it")
        let timeline = (object["timeline"] as? [[String: Any]] ?? []).compactMap { $0["summary"] as? String }
        #expect(timeline.filter { $0.hasPrefix("acknowledged by shared-token (on it)") }.count == 1, "\(timeline)")
        #expect(timeline.filter { $0 == "resolved by shared-token: fixed by hand" }.count == 1, "\(timeline)")
        await executing.stop()
        await other.stop()
    }
}
