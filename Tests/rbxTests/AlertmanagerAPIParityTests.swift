import Foundation
import RunbookCore
import RunbookTesting
import Testing

/// Issue 16, item 4: what dashboards and amtool read besides alerts — alert groups, the status,
/// and how a silence is updated — answered by `rbx serve` as by a real Alertmanager 0.25
/// (Debian's prometheus-alertmanager on 127.0.0.1) given the same requests. Alertmanager is
/// configured with the routes rbx's catalog amounts to: one route per runbook, grouped by the
/// labels the runbook matches on.
@Suite struct AlertmanagerAPIParityTests {
    static let runbooks = [
        "disk.yaml": """
        apiVersion: rbx/v1
        kind: Runbook
        metadata:
          name: disk
        match:
          labels:
            alertname: DiskFull
            env: "=~prod|staging"
        steps:
          - id: look
            kind: diagnostic
            run: ["/bin/true"]

        """,
        "down.yaml": """
        apiVersion: rbx/v1
        kind: Runbook
        metadata:
          name: down
        match:
          labels:
            alertname: InstanceDown
        steps:
          - id: look
            kind: diagnostic
            run: ["/bin/true"]

        """,
    ]

    static let alertmanagerConfiguration = """
        route:
          receiver: rbx
          routes:
            - receiver: disk
              matchers: ['alertname="DiskFull"', 'env=~"prod|staging"']
              group_by: [alertname, env]
            - receiver: down
              matchers: ['alertname="InstanceDown"']
              group_by: [alertname]
        receivers: [{name: rbx}, {name: disk}, {name: down}]

        """

    static let alerts = """
        [{"labels":{"alertname":"DiskFull","env":"prod","instance":"db-2","job":"node"}},
         {"labels":{"alertname":"DiskFull","env":"prod","instance":"db-1","job":"node"}},
         {"labels":{"alertname":"DiskFull","env":"staging","instance":"st-1"}},
         {"labels":{"alertname":"DiskFull","env":"dev","instance":"dev-1"}},
         {"labels":{"alertname":"InstanceDown","instance":"web-2","job":"api"}},
         {"labels":{"alertname":"InstanceDown","instance":"web-1","job":"web"}},
         {"labels":{"alertname":"InstanceDown","instance":"web-3"}},
         {"labels":{"alertname":"Unrouted","team":"core"}}]
        """

    /// A group reduced to what both servers must agree on: its labels, receiver, and its
    /// alerts' labels in order.
    struct Group: Equatable, CustomStringConvertible {
        var labels: [String: String]
        var receiver: String
        var alerts: [[String: String]]
        var description: String { "\(receiver) \(labels.sorted { $0.key < $1.key }) \(alerts)" }
    }

    @Test func alertGroupsAreAlertmanagersForTheSameRoutes() async throws {
        let alertmanager = try await AlertmanagerProcess.start(configuration: Self.alertmanagerConfiguration)
        defer { alertmanager.stop() }
        let server = ServeProcess(directory: try ServeProcess.catalog(runbooks: Self.runbooks))
        try await server.start()
        let posted = [
            try await AlertmanagerParityTests.post(Self.alerts, to: alertmanager.url + "/api/v2/alerts", token: nil),
            try await AlertmanagerParityTests.post(
                Self.alerts, to: server.url + "/api/v2/alerts", token: ServeProcess.token),
        ]
        #expect(posted.map(\.status) == ["200", "200"], "\(posted)")
        for query in ["", "?receiver=disk", "?receiver=d.*", "?filter=job%3D%22node%22"] {
            var expected: [Group] = []
            // Alertmanager's dispatcher groups an alert shortly after it arrives.
            #expect(
                await eventually {
                    expected = (try? await Self.groups(at: alertmanager.url, query: query, token: nil)) ?? []
                    return expected.reduce(0) { $0 + $1.alerts.count } >= (query.isEmpty ? 8 : 2)
                })
            let got = try await Self.groups(at: server.url, query: query, token: ServeProcess.token)
            #expect(got == expected, "\(query)\nAlertmanager: \(expected)\nrbx:          \(got)")
        }
        let bad = try await ServeProcess.tool(
            [
                "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                "Authorization: Bearer \(ServeProcess.token)",
                server.url + "/api/v2/alerts/groups?receiver=%28",
            ])
        #expect(bad.stdout == "400")
        await server.stop()
    }

    @Test func theStatusHasAlertmanagersShapeWithRbxsVersionAndStart() async throws {
        let before = Date().timeIntervalSince1970
        let alertmanager = try await AlertmanagerProcess.start()
        defer { alertmanager.stop() }
        let server = ServeProcess(directory: try ServeProcess.catalog(runbooks: [:]))
        try await server.start()
        let expected = try await Self.json(at: alertmanager.url + "/api/v2/status", token: nil)
        let got = try await Self.json(at: server.url + "/api/v2/status", token: ServeProcess.token)
        #expect(Set(got.keys) == Set(expected.keys))
        let version = got["versionInfo"] as? [String: Any] ?? [:]
        #expect(Set(version.keys) == Set((expected["versionInfo"] as? [String: Any] ?? [:]).keys))
        #expect(version["version"] as? String == RBXVersion.current)
        // uptime is when the server started, not the time of the request.
        let started = try #require((got["uptime"] as? String).flatMap(RFC3339.secondsSinceEpoch))
        #expect(started >= before - 1 && started <= Date().timeIntervalSince1970)
        try await Task.sleep(for: .milliseconds(1_100))
        let again = try await Self.json(at: server.url + "/api/v2/status", token: ServeProcess.token)
        #expect((again["uptime"] as? String).flatMap(RFC3339.secondsSinceEpoch) == started)
        let amtool = try await ServeProcess.tool(Self.amtool(server) + ["cluster", "show"])
        #expect(amtool.status == 0, "\(amtool.stderr)")
        await server.stop()
    }

    /// amtool's `silence update` against both: an active silence's end moves in place; a new
    /// start on an active silence, or any change to an expired one, makes a new silence and the
    /// old one stays as it was (ended); an unknown id is 404.
    @Test func silencesAreUpdatedTheAlertmanagerWay() async throws {
        let alertmanager = try await AlertmanagerProcess.start()
        defer { alertmanager.stop() }
        let server = ServeProcess(directory: try ServeProcess.catalog(runbooks: [:]))
        try await server.start()
        let amtools = [Self.amtoolFor(alertmanager), Self.amtool(server)]
        var stories: [[String]] = []
        for amtool in amtools {
            var story: [String] = []
            func run(_ arguments: [String]) async throws -> String {
                let result = try await ServeProcess.tool(amtool + arguments)
                story.append("exit \(result.status)")
                return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            /// Every silence: id → state, start, end. (`silence update -q` prints no id in amtool
            /// 0.25, so what an update did is read from the listing.)
            func silences() async throws -> [String: [String]] {
                var all: [String: [String]] = [:]
                for flags in [[], ["--expired"]] {
                    let text = try await run(["silence", "query", "-o", "json"] + flags)
                    for silence in try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] ?? [] {
                        all[silence["id"] as? String ?? ""] = [
                            (silence["status"] as? [String: Any])?["state"] as? String ?? "",
                            silence["startsAt"] as? String ?? "", silence["endsAt"] as? String ?? "",
                        ]
                    }
                }
                return all
            }
            let first = try await run([
                "silence", "add", "alertname=Maint", "--duration=1h", "--comment=c", "--author=a",
            ])
            let added = try await silences()
            _ = try await run(["silence", "update", first, "--duration=2h"])
            let extended = try await silences()
            story.append(
                extended.count == 1 && extended[first]?[0] == "active" && extended[first]?[2] != added[first]?[2]
                    ? "end moved in place" : "end moved: \(extended)")
            let later = RFC3339.format(epochMilliseconds: Int64((Date().timeIntervalSince1970 + 600) * 1000))
            _ = try await run(["silence", "update", first, "--start=\(later)"])
            let moved = try await silences()
            let replacement = moved.filter { $0.key != first }
            story.append(
                moved[first]?[0] == "expired" && replacement.count == 1 && replacement.first?.value[0] == "pending"
                    ? "start moved: old ended, new pending" : "start moved: \(moved)")
            _ = try await run(["silence", "update", first, "--duration=3h"])
            let revived = try await silences()
            story.append(
                revived.count == 3 && revived[first] == moved[first]
                    ? "expired kept, new silence" : "expired updated: \(revived)")
            stories.append(story)
        }
        #expect(stories[1] == stories[0], "Alertmanager: \(stories[0])\nrbx:          \(stories[1])")
        #expect(
            stories[0].filter { !$0.hasPrefix("exit") } == [
                "end moved in place", "start moved: old ended, new pending", "expired kept, new silence",
            ], "\(stories[0])")
        let unknown =
            #"{"id":"no-such-silence","matchers":[{"name":"a","value":"b","isRegex":false}],"#
            + #""startsAt":"2026-01-01T00:00:00Z","endsAt":"2099-01-01T00:00:00Z","createdBy":"a","comment":"c"}"#
        let statuses = [
            try await AlertmanagerParityTests.post(unknown, to: alertmanager.url + "/api/v2/silences", token: nil),
            try await AlertmanagerParityTests.post(
                unknown, to: server.url + "/api/v2/silences", token: ServeProcess.token),
        ].map(\.status)
        #expect(statuses == ["404", "404"])
        await server.stop()
    }

    static func groups(at url: String, query: String, token: String?) async throws -> [Group] {
        var argv = ["curl", "-sS"]
        if let token { argv += ["-H", "Authorization: Bearer \(token)"] }
        let listed = try await ServeProcess.tool(argv + [url + "/api/v2/alerts/groups" + query])
        let groups = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        return groups.map { group in
            Group(
                labels: group["labels"] as? [String: String] ?? [:],
                receiver: (group["receiver"] as? [String: Any])?["name"] as? String ?? "",
                alerts: (group["alerts"] as? [[String: Any]] ?? []).map { $0["labels"] as? [String: String] ?? [:] })
        }
    }

    static func json(at url: String, token: String?) async throws -> [String: Any] {
        var argv = ["curl", "-sS"]
        if let token { argv += ["-H", "Authorization: Bearer \(token)"] }
        let answer = try await ServeProcess.tool(argv + [url])
        return try JSONSerialization.jsonObject(with: Data(answer.stdout.utf8)) as? [String: Any] ?? [:]
    }

    static func amtoolFor(_ alertmanager: AlertmanagerProcess) -> [String] {
        ["amtool", "--alertmanager.url=\(alertmanager.url)"]
    }

    static func amtool(_ server: ServeProcess) -> [String] {
        let httpConfig = server.directory + "/amtool-http.yml"
        try? "authorization:\n  type: Bearer\n  credentials: \(ServeProcess.token)\n".write(
            toFile: httpConfig, atomically: true, encoding: .utf8)
        return ["amtool", "--alertmanager.url=\(server.url)", "--http.config.file=\(httpConfig)"]
    }
}
