import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookStore
import Testing

@testable import RunbookServer

@Suite struct RunLifecycleTests {
    private func pages(_ server: TestServer) -> [String] {
        server.lines("pages.log").filter { $0.hasPrefix("--- escalation") }
    }

    /// The run's timers as stored, by key.
    private func timers(_ server: TestServer, run: String) async throws -> [String: TimerRow.State] {
        let detail = try #require(try await server.store.run(id: run))
        return Dictionary(uniqueKeysWithValues: detail.timers.map { ($0.key, $0.state) })
    }

    @Test func escalationFiresOnceAtItsTimeAndAResolvedAlertStopsTheRest() async throws {
        let clock = ManualServerClock()
        let server = try await TestServer(
            runbooks: ["down.yaml": escalatingRunbook(rungs: ["1m", "4m"])], clock: clock)
        try await server.withClient { client in
            let firing = #"[{"labels":{"alertname":"Down","instance":"web-1"}}]"#
            try await client.send(.post, "/api/v2/alerts", json: firing)
            #expect(try await eventually { try await server.store.runs(limit: 1, states: [.open]).count == 1 })
            let run = try #require(try await server.store.runs(limit: 1, states: nil).first)
            #expect(pages(server).isEmpty, "nothing is due before T+1m")
            clock.advance(by: .seconds(60))
            #expect(await eventually { pages(server).count == 1 })
            #expect(pages(server).first?.contains("/rung-1/0/pager") == true)
            let past = "2020-01-01T00:00:00Z"
            let resolved = try await client.send(
                .post, "/api/v2/alerts",
                json: #"[{"labels":{"alertname":"Down","instance":"web-1"},"endsAt":"\#(past)"}]"#)
            #expect(resolved.status == .ok)
            #expect(await eventually { server.lines("pages.log").contains("Resolved: Down on web-1") })
            // Past the second rung's time: its timer was ended with the resolution, so there is
            // nothing for the scheduler to fire.
            clock.advance(by: .seconds(240))
            #expect(try await TimerScheduler(dependencies: server.server.dependencies).tick() == 0)
            #expect(try await timers(server, run: run.id)["\(run.id)/rung-2/0"] == .cancelled)
            #expect(pages(server).count == 1)
            #expect(try await server.store.run(id: run.id)?.run.state == .resolved)
            let detail = try await client.send(.get, "/api/v1/runs/\(run.id)")
            let timeline = (detail.object["timeline"] as? [[String: Any]] ?? []).compactMap { $0["summary"] as? String }
            #expect(timeline.contains { $0.hasPrefix("paged pager") })
            #expect(timeline.contains("alert resolved"))
        }
    }

    @Test func acknowledgingThroughTheAPIStopsEscalation() async throws {
        let clock = ManualServerClock()
        let server = try await TestServer(
            runbooks: ["down.yaml": escalatingRunbook(rungs: ["1m", "4m"])], config: TestServer.namedTokensConfig,
            clock: clock)
        try await server.withClient { client in
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"web-2"}}]"#)
            #expect(try await eventually { try await server.store.runs(limit: 1, states: [.open]).count == 1 })
            clock.advance(by: .seconds(60))
            #expect(await eventually { pages(server).count == 1 })
            let run = try #require(try await server.store.runs(limit: 1, states: nil).first)
            // Who acts comes from the token: a body naming someone else is refused.
            let impostor = try await client.send(
                .post, "/api/v1/runs/\(run.id)/ack", json: #"{"by":"bob"}"#, token: TestServer.namedTokens["ana"])
            #expect(impostor.status == .badRequest)
            let ack = try await client.send(
                .post, "/api/v1/runs/\(run.id)/ack", json: #"{"note":"looking at it"}"#,
                token: TestServer.namedTokens["ana"])
            #expect(ack.status == .ok)
            #expect(ack.object["acked_by"] as? String == "ana")
            let detail = try await client.send(.get, "/api/v1/runs/\(run.id)")
            let timeline = (detail.object["timeline"] as? [[String: Any]] ?? []).compactMap { $0["summary"] as? String }
            #expect(timeline.contains { $0.hasPrefix("acknowledged by ana (looking at it)") })
            clock.advance(by: .seconds(240))
            #expect(try await TimerScheduler(dependencies: server.server.dependencies).tick() == 0)
            #expect(try await timers(server, run: run.id)["\(run.id)/rung-2/0"] == .cancelled)
            #expect(pages(server).count == 1)
            #expect(try await client.send(.post, "/api/v1/runs/no-such-run/ack").status == .notFound)
            let listed = try await client.send(.get, "/api/v1/runs?state=acked")
            #expect(listed.list.map { $0["id"] as? String } == [run.id])
            #expect(try await client.send(.get, "/api/v1/runs?state=sleeping").object["field"] as? String == "state")
        }
    }

    @Test func anApprovalStepWaitsForTheAPI() async throws {
        let approval = """
              - id: confirm
                kind: approval
                message: restart?
                timeout: 30s
              - id: after
                kind: remediation
                timeout: 10s
                run: ["/bin/sh", "-c", "echo approved >> DIR/steps.log"]
            """
        let server = try await TestServer(runbooks: ["down.yaml": escalatingRunbook(rungs: [], extraSteps: approval)])
        try await server.withClient { client in
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"db-3"}}]"#)
            #expect(await eventually { server.lines("steps.log") == ["db-3"] })
            let run = try #require(try await server.store.runs(limit: 1, states: nil).first)
            let missing = try await client.send(.post, "/api/v1/runs/\(run.id)/approve", json: "{}")
            #expect(missing.object["field"] as? String == "step")
            // The first step's output is written before its result is recorded: wait for the gate.
            #expect(
                await eventually {
                    (try? await client.send(.get, "/api/v1/runs/\(run.id)"))?.object["waiting_for"] as? String
                        == "confirm"
                })
            #expect(
                try await client.send(.post, "/api/v1/runs/\(run.id)/approve", json: #"{"step":"confirm"}"#).status
                    == .ok)
            #expect(await eventually { server.lines("steps.log") == ["db-3", "approved"] })
            #expect(await eventually { (try? await server.store.run(id: run.id))?.run.state == .open })
            // The run's steps are over: nothing waits for a decision now.
            #expect(
                try await client.send(.post, "/api/v1/runs/\(run.id)/deny", json: #"{"step":"confirm"}"#).status
                    == .conflict)
        }
    }

    @Test func aDecisionCountsOnlyWhileItsGateWaitsAndOnlyFromAListedApprover() async throws {
        let steps = """
              - id: look
                kind: diagnostic
                run: ["/bin/sh", "-c", "while [ ! -f DIR/go ]; do sleep 0.05; done; echo looked >> DIR/steps.log"]
              - id: confirm
                kind: approval
                message: restart {{alert.labels.instance}}?
                approvers: [lead]
                min_approvers: 2
                timeout: 60s
              - id: restart
                kind: remediation
                timeout: 10s
                run: ["/bin/sh", "-c", "echo restarted >> DIR/steps.log"]
            """
        let server = try await TestServer(
            runbooks: ["down.yaml": escalatingRunbook(rungs: [], extraSteps: steps)],
            config: TestServer.namedTokensConfig)
        let ana = TestServer.namedTokens["ana"]
        let bob = TestServer.namedTokens["bob"]
        let eve = TestServer.namedTokens["eve"]
        try await server.withClient { client in
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"db-4"}}]"#)
            #expect(await eventually { server.lines("steps.log") == ["db-4"] })
            let run = try #require(try await server.store.runs(limit: 1, states: nil).first)
            let path = "/api/v1/runs/\(run.id)/approve"
            // Too early: the diagnostics have not run, nobody has seen what they found.
            let early = try await client.send(.post, path, json: #"{"step":"confirm"}"#, token: ana)
            #expect(early.status == .conflict)
            #expect(try await client.send(.post, path, json: #"{"step":"confrim"}"#, token: ana).status == .notFound)
            FileManager.default.createFile(atPath: server.directory + "/go", contents: Data())
            #expect(
                await eventually {
                    (try? await client.send(.get, "/api/v1/runs/\(run.id)"))?.object["waiting_for"] as? String
                        == "confirm"
                })
            #expect(server.lines("steps.log") == ["db-4", "looked"])
            #expect(try await client.send(.post, path, json: #"{"step":"confirm"}"#, token: eve).status == .forbidden)
            #expect(try await client.send(.post, path, json: #"{"step":"confirm"}"#).status == .forbidden)
            #expect(try await client.send(.post, path, json: #"{"step":"confirm"}"#, token: ana).status == .ok)
            // Four eyes: ana's second approval does not count, and the step still waits.
            #expect(try await client.send(.post, path, json: #"{"step":"confirm"}"#, token: ana).status == .forbidden)
            try await Task.sleep(for: .milliseconds(1200))
            #expect(server.lines("steps.log") == ["db-4", "looked"])
            #expect(try await client.send(.post, path, json: #"{"step":"confirm"}"#, token: bob).status == .ok)
            #expect(await eventually { server.lines("steps.log") == ["db-4", "looked", "restarted"] })
            let detail = try await client.send(.get, "/api/v1/runs/\(run.id)")
            let timeline = (detail.object["timeline"] as? [[String: Any]] ?? []).compactMap { $0["summary"] as? String }
            #expect(timeline.contains("confirm approved by ana and bob"))
        }
    }

    /// A webhook rung against a closed port: the failure is counted by notifier, the rung is
    /// not counted as fired, and the run's timeline says why.
    @Test func aPageThatCannotBeDeliveredIsCountedAsFailedNotFired() async throws {
        let hook = "  hook:\n    type: webhook\n    url: http://127.0.0.1:9/page\n    timeout: 2s"
        let runbook = escalatingRunbook(rungs: []) + "escalation:\n  - after: 1s\n    notify: [hook]\n"
        let server = try await TestServer(runbooks: ["down.yaml": runbook], notifiers: hook)
        try await server.withClient { client in
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"web-9"}}]"#)
            #expect(
                await eventually {
                    (try? await client.send(.get, "/metrics", token: nil).text.contains(
                        #"rbx_notifications_failed_total{notifier="hook"} 1"#)) ?? false
                })
            let metrics = try await client.send(.get, "/metrics", token: nil).text
            #expect(metrics.contains(#"rbx_notifications_total{notifier="hook",outcome="failed"} 1"#))
            #expect(metrics.contains(#"rbx_escalations_failed_total{runbook="down"} 1"#))
            #expect(!metrics.contains("rbx_escalations_fired_total{"))
            let run = try #require(try await server.store.runs(limit: 1, states: nil).first)
            let detail = try await client.send(.get, "/api/v1/runs/\(run.id)")
            let timeline = (detail.object["timeline"] as? [[String: Any]] ?? []).compactMap { $0["summary"] as? String }
            #expect(timeline.contains { $0.hasPrefix("hook: delivery failed") })
        }
    }

    /// A webhook against a closed port: tried again with backoff, then the next rung (due an
    /// hour later) is paged at once, and each failed attempt is in the run's timeline.
    @Test func anUndeliverableRungIsRetriedThenTheNextRungIsPagedAtOnce() async throws {
        let hook = "  hook:\n    type: webhook\n    url: http://127.0.0.1:9/page\n    timeout: 2s"
        let runbook =
            escalatingRunbook(rungs: [])
            + "escalation:\n  - after: 1s\n    notify: [hook]\n  - after: 1h\n    notify: [pager]\n"
        let config = "delivery:\n  attempts: 3\n  backoff: 100ms\n"
        let server = try await TestServer(runbooks: ["down.yaml": runbook], config: config, notifiers: hook)
        try await server.withClient { client in
            let posted = ContinuousClock.now
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"web-8"}}]"#)
            #expect(
                await eventually(timeout: .seconds(30)) {
                    server.lines("pages.log").contains { $0.hasPrefix("--- escalation") }
                })
            #expect(ContinuousClock.now - posted < .seconds(60))
            let run = try #require(try await server.store.runs(limit: 1, states: nil).first)
            let detail = try await client.send(.get, "/api/v1/runs/\(run.id)")
            let timeline = (detail.object["timeline"] as? [[String: Any]] ?? []).compactMap { $0["summary"] as? String }
            #expect(timeline.contains { $0.hasPrefix("hook: delivery failed (attempt 1 of 3)") })
            #expect(timeline.contains { $0.hasPrefix("hook: delivery failed (attempt 2 of 3)") })
            #expect(timeline.contains { $0.hasPrefix("hook: delivery failed after 3 attempts") })
            #expect(timeline.contains("rung 1 reached nobody; rung 2 is paged now"))
            // Counted once the firing is recorded, just after the page went out.
            #expect(
                await eventually {
                    let metrics = (try? await client.send(.get, "/metrics", token: nil).text) ?? ""
                    return metrics.contains(#"rbx_notifications_total{notifier="hook",outcome="failed"} 1"#)
                        && metrics.contains(#"rbx_notifications_total{notifier="pager",outcome="delivered"} 1"#)
                })
        }
    }

    /// With `delivery.fallback`, a rung that reached nobody pages the fallback at once, under a
    /// key of its own; the ladder's next rung keeps its time.
    @Test func anUndeliverableRungPagesTheFallbackNotifier() async throws {
        let hook = "  hook:\n    type: webhook\n    url: http://127.0.0.1:9/page\n    timeout: 2s"
        let runbook =
            escalatingRunbook(rungs: [])
            + "escalation:\n  - after: 1s\n    notify: [hook]\n  - after: 1h\n    notify: [hook]\n"
        let config = "delivery:\n  attempts: 1\n  fallback: pager\n"
        let server = try await TestServer(runbooks: ["down.yaml": runbook], config: config, notifiers: hook)
        try await server.withClient { client in
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"web-7"}}]"#)
            #expect(await eventually { server.lines("pages.log").contains { $0.hasPrefix("--- escalation") } })
            let page = try #require(server.lines("pages.log").first { $0.hasPrefix("--- escalation") })
            #expect(page.hasSuffix("/rung-1/0/fallback/pager"))
            let run = try #require(try await server.store.runs(limit: 1, states: nil).first)
            let timers = try #require(try await server.store.run(id: run.id)).timers
            #expect(timers.filter { $0.state == .pending }.map(\.key) == ["\(run.id)/rung-2/0"])
        }
    }

    /// An Alertmanager alert whose endsAt passes with no newer notification resolves, as in
    /// Alertmanager: its run stops escalating and publishes on_resolved with the resolved alert.
    @Test func anAlertWhoseEndsAtPassesResolvesItsRun() async throws {
        let clock = ManualServerClock()
        let server = try await TestServer(runbooks: ["down.yaml": escalatingRunbook(rungs: ["1h"])], clock: clock)
        try await server.withClient { client in
            // As Alertmanager does: the alert fires, its run starts, and a later notification
            // carries the endsAt that then passes. (Posting the endsAt first would race the run's
            // start on a loaded machine: an alert resolved before its run starts starts none.)
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"web-6"}}]"#)
            #expect(await eventually { server.lines("steps.log") == ["web-6"] })
            // The manual clock stands still until the endsAt is on record, so it is in the future
            // when intake takes it, however loaded the machine (else it would be a resolution).
            let endsAt = RFC3339.format(epochMilliseconds: clock.milliseconds + 60_000)
            let posted = #"[{"labels":{"alertname":"Down","instance":"web-6"},"endsAt":"\#(endsAt)"}]"#
            #expect(try await client.send(.post, "/api/v2/alerts", json: posted).status == .ok)
            #expect(try await server.store.runs(limit: 1, states: [.resolved]).isEmpty)
            clock.advance(by: .seconds(61))
            #expect(
                await eventually {
                    (try? await server.store.runs(limit: 1, states: [.resolved]).first) != nil
                })
            let run = try #require(try await server.store.runs(limit: 1, states: nil).first)
            // The store resolves the run first; its timeline lines follow.
            #expect(
                await eventually {
                    let detail = try? await client.send(.get, "/api/v1/runs/\(run.id)")
                    let timeline = (detail?.object["timeline"] as? [[String: Any]] ?? []).compactMap {
                        $0["summary"] as? String
                    }
                    return timeline.contains("alert resolved") && timeline.contains("resolved: resolved")
                })
            // on_resolved saw the resolved alert and went to the pager.
            #expect(await eventually { server.lines("pages.log").contains { $0.hasPrefix("Resolved: Down on web-6") } })
            let metrics = try await client.send(.get, "/metrics", token: nil).text
            #expect(metrics.contains("rbx_alerts_expired_total 1"))
        }
    }

    /// A `stop` step ends the run as done: no rung pages when it falls due and nothing is
    /// published, until the alert's resolution resolves the run and `on_resolved` goes out.
    @Test func aStoppedRunPagesNobodyAndTheAlertResolvesItLater() async throws {
        let stop = """
              - id: blip
                kind: stop
                when: alert.labels.instance == "web-9"
                stop: "{{alert.labels.instance}} answers again"
            """
        let server = try await TestServer(
            runbooks: ["down.yaml": escalatingRunbook(rungs: ["1h"], extraSteps: stop)])
        try await server.withClient { client in
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"web-9"}}]"#)
            #expect(await eventually { (try? await server.store.runs(limit: 1, states: [.stopped]).first) != nil })
            let run = try #require(try await server.store.runs(limit: 1, states: nil).first)
            let detail = try await client.send(.get, "/api/v1/runs/\(run.id)")
            #expect(detail.object["state"] as? String == "stopped")
            let timeline = (detail.object["timeline"] as? [[String: Any]] ?? []).compactMap { $0["summary"] as? String }
            #expect(timeline.contains("blip stops the run: web-9 answers again"), "\(timeline)")
            // The rung was cancelled with the run's end, in the same transaction.
            #expect(try await server.store.pendingTimers(runIDs: [run.id]).isEmpty)
            #expect(server.lines("pages.log").isEmpty, "\(server.lines("pages.log"))")
            try await client.send(
                .post, "/api/v2/alerts",
                json: #"[{"labels":{"alertname":"Down","instance":"web-9"},"endsAt":"2020-01-01T00:00:00Z"}]"#)
            #expect(await eventually { (try? await server.store.runs(limit: 1, states: [.resolved]).first) != nil })
            #expect(await eventually { server.lines("pages.log").contains { $0.hasPrefix("Resolved: Down on web-9") } })
        }
    }

    /// `cooldown_key`: the service's second instance alerting within the cooldown starts no run.
    @Test func aCooldownKeySpansTheInstancesOfAService() async throws {
        let runbook = escalatingRunbook(rungs: []) + "cooldown: 1h\ncooldown_key: \"{{alert.labels.service}}\"\n"
        let server = try await TestServer(runbooks: ["down.yaml": runbook])
        try await server.withClient { client in
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"a-1","service":"api"}}]"#)
            #expect(await eventually { server.lines("steps.log") == ["a-1"] })
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"a-2","service":"api"}}]"#)
            #expect(
                await eventually {
                    let metrics = (try? await client.send(.get, "/metrics", token: nil).text) ?? ""
                    return metrics.contains(#"rbx_alerts_without_run_total{reason="cooldown"} 1"#)
                })
            // Another service's instance is not held back.
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"w-1","service":"web"}}]"#)
            #expect(await eventually { server.lines("steps.log") == ["a-1", "w-1"] })
        }
    }

    @Test func silencesFollowAlertmanagersAPIAndHoldRunsBack() async throws {
        let server = try await TestServer(runbooks: ["down.yaml": escalatingRunbook(rungs: [])])
        try await server.withClient { client in
            let silence = """
                {"matchers":[{"name":"instance","value":"db-.*","isRegex":true,"isEqual":true}],
                 "startsAt":"2020-01-01T00:00:00Z","endsAt":"2099-01-01T00:00:00Z","createdBy":"ops","comment":"upgrade"}
                """
            let created = try await client.send(.post, "/api/v2/silences", json: silence)
            let id = try #require(created.object["silenceID"] as? String)
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"db-7"}}]"#)
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"web-7"}}]"#)
            #expect(await eventually { server.lines("steps.log") == ["web-7"] })
            let alerts = try await client.send(.get, "/api/v2/alerts")
            let silenced = alerts.list.first { ($0["labels"] as? [String: String])?["instance"] == "db-7" }
            #expect((silenced?["status"] as? [String: Any])?["state"] as? String == "suppressed")
            let listed = try await client.send(.get, "/api/v2/silences")
            #expect((listed.list.first?["status"] as? [String: Any])?["state"] as? String == "active")
            #expect(try await client.send(.delete, "/api/v2/silence/\(id)").status == .ok)
            #expect(try await client.send(.delete, "/api/v2/silence/\(id)").status == .notFound)
            let bad = try await client.send(
                .post, "/api/v2/silences",
                json:
                    #"{"matchers":[{"name":"a","value":"(","isRegex":true}],"startsAt":"2020-01-01T00:00:00Z","endsAt":"2099-01-01T00:00:00Z"}"#
            )
            #expect(bad.status == .badRequest)
            #expect(bad.object["field"] as? String == "matchers[0].value")
            try await Task.sleep(for: .milliseconds(200))
            #expect(server.lines("steps.log") == ["web-7"])
        }
    }

    @Test func theStatusPageShowsCurrentIncidentsWithTheirMessage() async throws {
        let server = try await TestServer(runbooks: ["down.yaml": escalatingRunbook(rungs: ["1h"])])
        try await server.withClient { client in
            let empty = try await client.send(.get, "/status", token: nil)
            #expect(empty.text.contains("All systems operational"))
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"<web-4>"}}]"#)
            #expect(await eventually { server.lines("steps.log").count == 1 })
            let page = try await client.send(.get, "/status", token: nil)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("Investigating Down on &lt;web-4&gt;"))
            #expect(!page.text.contains("<web-4>"))
        }
    }
}

/// The window exactly-once cannot close by itself: a page delivered by a process that died
/// before recording it. The next claimant redelivers under the same key, and the file notifier
/// sees the first delivery and skips it.
@Suite struct RedeliveryTests {
    @Test func aPageDeliveredByADeadProcessIsNotSentAgain() async throws {
        let server = try await TestServer(runbooks: ["down.yaml": escalatingRunbook(rungs: ["1s"])])
        let store = server.store
        let dependencies = server.server.dependencies
        let now = dependencies.clock.milliseconds
        let firing = try #require(
            try await store.ingest(
                [
                    Alert(
                        fingerprint: "f1", name: "Down", source: "t", severity: nil, rawSeverity: nil, status: .firing,
                        labels: ["alertname": "Down", "instance": "w"])
                ],
                now: now - 5_000, dedupWindow: .seconds(60)
            ).first)
        guard case .queued(let alertID) = firing else {
            Issue.record("unexpected \(firing)")
            return
        }
        let runbook = try #require(dependencies.catalog.runbook(named: "down"))
        let starter = try #require(
            try await store.claimAlert(worker: "starter", now: now - 5_000, lockFor: .seconds(60))
        ).claim
        _ = try await store.startRun(
            RunStart(
                id: "r1", alertID: alertID, runbook: "down", fingerprint: "f1", concurrencyKey: nil, cooldown: .zero,
                timers: RunTimer.initialSchedule(for: runbook)), claim: starter, now: now - 5_000)
        // The dead process: claims the rung, pages, dies before recording the firing. Its claim
        // is short, so it has expired by the time the next process looks, on either store (a
        // shared PostgreSQL store never releases another worker's claims before they expire).
        let claimed = try await store.claimDueTimers(worker: "dead", now: now, lockFor: .milliseconds(1), limit: 10)
        let timer = try #require(claimed.first)
        var stored = try #require(try await dependencies.storedRun(id: "r1"))
        _ = await stored.carryOut(
            stored.lifecycle.timerDue(.init(due: timer.offset, timer: timer.timer), now: dependencies.clock.now))
        #expect(server.lines("pages.log").filter { $0.hasPrefix("--- escalation") }.count == 1)
        // The next process releases the dead one's claims (SQLite) or finds them expired, and fires what is due.
        _ = try await store.releaseClaims(exceptWorker: dependencies.workerID)
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await TimerScheduler(dependencies: dependencies).tick() == 1)
        #expect(server.lines("pages.log").filter { $0.hasPrefix("--- escalation") }.count == 1)
        #expect(try await store.run(id: "r1")?.timers.map(\.state) == [.fired])
    }
}

@Suite struct ResumeTests {
    @Test func aRunResolvedWhileItsWorkerWasDeadIsNotResumed() async throws {
        let server = try await TestServer(runbooks: ["down.yaml": escalatingRunbook(rungs: ["1h"])])
        let store = server.store
        let dependencies = server.server.dependencies
        let now = dependencies.clock.milliseconds
        let outcome = try #require(
            try await store.ingest(
                [
                    Alert(
                        fingerprint: "f2", name: "Down", source: "t", severity: nil, rawSeverity: nil, status: .firing,
                        labels: ["alertname": "Down", "instance": "z"])
                ],
                now: now, dedupWindow: .seconds(60)
            ).first)
        guard case .queued(let alertID) = outcome else {
            Issue.record("unexpected \(outcome)")
            return
        }
        let dead = try #require(try await store.claimAlert(worker: "dead", now: now, lockFor: .milliseconds(1))).claim
        _ = try await store.startRun(
            RunStart(
                id: "r2", alertID: alertID, runbook: "down", fingerprint: "f2", concurrencyKey: nil, cooldown: .zero,
                timers: []),
            claim: dead, now: now)
        try await store.stepStarted(runID: "r2", stepID: "record", claim: dead, now: now)
        _ = try await store.resolve(runID: "r2", by: .person("ana", note: nil), now: now + 10)
        _ = try await store.releaseClaims(exceptWorker: dependencies.workerID)
        let claimed = try #require(
            try await store.claimAlert(worker: dependencies.workerID, now: now + 20, lockFor: .seconds(30)))
        #expect(claimed.interruptedRun?.run.id == "r2")
        try await RunProcessor(dependencies: dependencies, raiser: IntakeAlertRaiser(dependencies: dependencies))
            .process(claimed)
        #expect(try await store.run(id: "r2")?.run.state == .resolved)
        #expect(server.lines("steps.log").isEmpty)
        #expect(try await store.alert(id: alertID)?.state == .acked)
    }
}
