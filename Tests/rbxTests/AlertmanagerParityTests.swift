import Foundation
import RunbookTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 13, item 7: the same bodies posted to a real Alertmanager (Debian's
/// prometheus-alertmanager, started here on 127.0.0.1) and to `rbx serve` get the same status,
/// and a body with some invalid alerts leaves the same alerts stored in both.
@Suite struct AlertmanagerParityTests {
    static let bodies = [
        #"[{"labels":{"alertname":"Ok"}}]"#,
        #"{"labels":{"alertname":"Bare"}}"#,
        #"[{"labels":{"alertname":"A"},"startsAt":"2026-01-02T00:00:00Z","endsAt":"2026-01-01T00:00:00Z"}]"#,
        #"[{"labels":{"alertname":"A"},"startsAt":"garbage"}]"#,
        #"[{"labels":{"alertname":"A"},"endsAt":"garbage"}]"#,
        #"[{"labels":{"alertname":"A","1bad":"x"}}]"#,
        #"[{"labels":{"alertname":"A","":"x"}}]"#,
        #"[{"labels":{"alertname":"A","ünï":"x"}}]"#,
        #"[{"labels":{"alertname":"A","a.b":"x"}}]"#,
        #"[{"labels":{}}]"#,
        #"[{"labels":{"alertname":""}}]"#,
        #"[{}]"#,
        #"[{"labels":{"alertname":5}}]"#,
        #"[{"labels":{"alertname":"A"},"annotations":{"bad name":"x"}}]"#,
        #"[{"labels":{"alertname":"A"},"generatorURL":"not a url"}]"#,
        #"[{"labels":{"alertname":"Zoned"},"startsAt":"2026-01-02T00:00:00+02:00"}]"#,
        #"[]"#,
        #"null"#,
        #"[{"labels":{"alertname":"Empty","b":""}}]"#,
    ]

    static let mixed =
        #"[{"labels":{"alertname":"Kept"}},"#
        + #"{"labels":{"alertname":"Backwards"},"startsAt":"2026-01-02T00:00:00Z","endsAt":"2026-01-01T00:00:00Z"},"#
        + #"{"labels":{"alertname":"Dashed","x-y":"1"}}]"#

    @Test func rbxAnswersEveryBodyAsAlertmanagerDoes() async throws {
        let alertmanager = try await AlertmanagerProcess.start()
        defer { alertmanager.stop() }
        let directory = try ServeProcess.catalog(runbooks: [:])
        let server = ServeProcess(directory: directory)
        try await server.start()
        for body in Self.bodies {
            let expected = try await Self.post(body, to: alertmanager.url + "/api/v2/alerts", token: nil)
            let got = try await Self.post(body, to: server.url + "/api/v2/alerts", token: ServeProcess.token)
            #expect(got.status == expected.status, "\(body): Alertmanager \(expected), rbx \(got)")
        }
        let expected = try await Self.post(Self.mixed, to: alertmanager.url + "/api/v2/alerts", token: nil)
        let got = try await Self.post(Self.mixed, to: server.url + "/api/v2/alerts", token: ServeProcess.token)
        #expect(expected.status == "400" && got.status == "400")
        #expect(got.body.contains(#""field":"[1].endsAt""#), "\(got.body)")
        #expect(got.body.contains("start time must be before end time"))
        #expect(got.body.contains(#"invalid name \"x-y\""#))
        let amNames = try await Self.names(at: alertmanager.url, token: nil)
        let rbxNames = try await Self.names(at: server.url, token: ServeProcess.token)
        #expect(amNames == rbxNames)
        #expect(amNames.contains("Kept") && !amNames.contains("Backwards") && !amNames.contains("Dashed"))
        // Where rbx is stricter on purpose: a repeated key is refused, not resolved as "last wins".
        let repeated = #"[{"labels":{"alertname":"A","alertname":"B"}}]"#
        let refused = try await Self.post(repeated, to: server.url + "/api/v2/alerts", token: ServeProcess.token)
        #expect(refused.status == "400" && refused.body.contains(#""field":"[0].labels.alertname""#))
        await server.stop()
    }

    struct Answer: CustomStringConvertible {
        var status: String
        var body: String
        var description: String { "\(status) \(body)" }
    }

    static func post(_ body: String, to url: String, token: String?) async throws -> Answer {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-parity-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        var argv = ["curl", "-sS", "-o", file, "-w", "%{http_code}", "-H", "Content-Type: application/json"]
        if let token { argv += ["-H", "Authorization: Bearer \(token)"] }
        let result = try await ServeProcess.tool(argv + ["--data-binary", body, url])
        return Answer(status: result.stdout, body: (try? String(contentsOfFile: file, encoding: .utf8)) ?? "")
    }

    static func names(at url: String, token: String?) async throws -> Set<String> {
        var argv = ["curl", "-sS"]
        if let token { argv += ["-H", "Authorization: Bearer \(token)"] }
        let listed = try await ServeProcess.tool(argv + [url + "/api/v2/alerts"])
        let alerts = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        return Set(alerts.compactMap { ($0["labels"] as? [String: String])?["alertname"] })
    }
}

/// A real Alertmanager on 127.0.0.1, with a catalog-free configuration and no clustering.
final class AlertmanagerProcess {
    let url: String
    private let pid: pid_t
    private let directory: String

    private init(url: String, pid: pid_t, directory: String) {
        self.url = url
        self.pid = pid
        self.directory = directory
    }

    /// The configuration of an Alertmanager that takes alerts and sends them nowhere.
    static let nullConfiguration = "route:\n  receiver: \"null\"\nreceivers:\n  - name: \"null\"\n"

    /// Starts Alertmanager with `configuration` (YAML) and waits until it is ready.
    static func start(configuration: String = nullConfiguration) async throws -> AlertmanagerProcess {
        let binary = ["/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager", "/usr/bin/alertmanager"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let binary else {
            throw ServeProcessError("Alertmanager is not installed (apt: prometheus-alertmanager)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-am-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try configuration.write(
            toFile: directory + "/am.yml", atomically: true, encoding: .utf8)
        let port = try LocalServerProcess.freePort()
        let argv = [
            binary, "--config.file=\(directory)/am.yml", "--storage.path=\(directory)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
        ]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, directory + "/am.log", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let cArgv = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArgv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, binary, &actions, nil, cArgv, environ) == 0 else {
            throw ServeProcessError("could not start \(binary)")
        }
        let process = AlertmanagerProcess(url: "http://127.0.0.1:\(port)", pid: pid, directory: directory)
        let ready = await eventually(timeout: .seconds(20)) {
            (try? await ServeProcess.tool(["curl", "-sf", process.url + "/-/ready"]))?.status == 0
        }
        guard ready else {
            process.stop()
            throw ServeProcessError("Alertmanager did not become ready on port \(port)")
        }
        return process
    }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
