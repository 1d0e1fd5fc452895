import Foundation
import RunbookEngine
import RunbookTesting
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `rbx serve` as a real process that a test can kill with SIGKILL and start again.
///
/// Spawned with posix_spawn (stdout and stderr to files in the catalog directory) rather than
/// through the command runner, because the runner waits for the child to end.
final class ServeProcess {
    static let token = "serve-test-token-93c1"
    let directory: String
    private(set) var pid: pid_t = 0
    private(set) var port = 0
    private var generation = 0
    /// Starts the names of this process's output files, so replicas can share a catalog directory.
    let outputPrefix: String

    init(directory: String, outputPrefix: String = "") {
        self.directory = directory
        self.outputPrefix = outputPrefix
        Self.users.withLock { $0[directory, default: 0] += 1 }
    }

    /// How many live processes use each catalog directory: the last one to go removes a
    /// directory ``catalog(runbooks:server:config:)`` made (a run of the suite left over a
    /// thousand of them, 32 MB each with evidence, in /tmp).
    private static let users = Mutex<[String: Int]>([:])

    /// Starts the server and waits until it prints its port.
    /// - Parameter launcher: a program that starts rbx with the rest of the argv
    ///   (`["/usr/bin/prlimit", "--nofile=1024:1024", "--"]`).
    func start(
        logLevel: String = "warning", environment extra: [String: String] = [:], launcher: [String] = []
    ) async throws {
        generation += 1
        let output = "\(directory)/\(outputPrefix)serve-\(generation).out"
        let errors = "\(directory)/\(outputPrefix)serve-\(generation).err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var environment = ProcessInfo.processInfo.environment
        environment["RBX_TOKEN"] = Self.token
        environment.merge(extra) { $1 }
        let argv =
            launcher + [
                RbxBinary.path, "serve", "--catalog", directory, "--listen", "127.0.0.1:0", "--log-level", logLevel,
            ]
        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in cArgv { free(pointer) }
            for pointer in cEnv { free(pointer) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, argv[0], &actions, nil, cArgv, cEnv)
        guard status == 0 else { throw ServeProcessError("posix_spawn failed: \(status)") }
        pid = child
        for _ in 0..<400 {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last ?? "") ?? 0
                return
            }
            var exited: Int32 = 0
            if waitpid(pid, &exited, WNOHANG) == pid {
                throw ServeProcessError(
                    "rbx serve exited: \((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw ServeProcessError("rbx serve did not start listening within 10s")
    }

    /// Sends `signal` (SIGSTOP, SIGCONT) and returns at once.
    func send(_ signal: Int32) {
        _ = kill(pid, signal)
    }

    /// SIGKILL: no shutdown code runs, as when a machine dies.
    func kill9() {
        _ = kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        pid = 0
    }

    /// Waits for the process to end on its own (a fault point killed it); its exit status
    /// (128+N for a signal), or nil when it still runs after `timeout`.
    func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                pid = 0
                let signal = status & 0x7F
                return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        return nil
    }

    /// SIGTERM and wait: the graceful path. Returns the exit status (128+N for a signal).
    /// Polls instead of blocking in waitpid: a blocked thread is one of the few the test
    /// runner's tasks share, and other tests' waits would stall behind it.
    @discardableResult
    func stop() async -> Int32 {
        _ = kill(pid, SIGTERM)
        while true {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || reaped < 0 {
                pid = 0
                let signal = status & 0x7F
                return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// What the server wrote to stderr in its `generation`-th life (1 = the first start).
    func log(_ generation: Int = 1) -> String {
        (try? String(contentsOfFile: "\(directory)/\(outputPrefix)serve-\(generation).err", encoding: .utf8)) ?? ""
    }

    /// What the server wrote to stdout in its `generation`-th life (the listening line).
    func output(_ generation: Int = 1) -> String {
        (try? String(contentsOfFile: "\(directory)/\(outputPrefix)serve-\(generation).out", encoding: .utf8)) ?? ""
    }

    /// POSTs JSON with curl (a real HTTP client, outside the test process).
    func post(_ path: String, json: String) async throws -> RbxBinary.Result {
        try await Self.tool([
            "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
            "-H", "Authorization: Bearer \(Self.token)", "-H", "Content-Type: application/json", "--data-binary", json,
            url + path,
        ])
    }

    /// Runs another program (curl, amtool) to completion.
    static func tool(_ argv: [String], timeout: Duration = .seconds(60)) async throws -> RbxBinary.Result {
        let invocation = CommandInvocation(
            argv: argv, environment: ProcessInfo.processInfo.environment, workingDirectory: "/", timeout: timeout,
            killGrace: .seconds(2), outputLimit: 4 << 20)
        let result = try await ProcessCommandRunner().run(invocation)
        let status: Int32 =
            switch result.termination {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
        return RbxBinary.Result(
            stdout: String(decoding: result.stdout, as: UTF8.self),
            stderr: String(decoding: result.stderr, as: UTF8.self), status: status)
    }

    func lines(_ file: String) -> [String] {
        ((try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)) ?? "").split(separator: "\n").map(
            String.init)
    }

    /// A runbook for alerts named `alertname`; `steps` and `tail` are YAML at the indentation
    /// of `steps:` items and of top-level keys. `DIR` in them becomes the catalog directory.
    static func runbook(
        _ name: String, alertname: String, steps: String, tail: String = "", match: String = ""
    ) -> String {
        """
        apiVersion: rbx/v1
        kind: Runbook
        metadata:
          name: \(name)
        match:
        \(match)  labels:
            alertname: \(alertname)
        steps:
        \(steps)
        \(tail)

        """
    }

    /// A catalog in a fresh temporary directory: rbx.yaml with a file pager and the runbooks given.
    /// `server` adds lines under `server:` (indented by two spaces); `config` adds top-level keys.
    static func catalog(runbooks: [String: String], server: String = "", config extra: String = "") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-serve-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory + "/runbooks", withIntermediateDirectories: true)
        let config = """
            apiVersion: rbx/v1
            kind: Config
            notifiers:
              pager:
                type: file
                path: \(directory)/pages.log
            store: sqlite:\(directory)/state.sqlite
            server:
              claim_lock: 5s
            \(server)
            evidence:
              dir: \(directory)/evidence
            \(extra)

            """
        try config.write(toFile: directory + "/rbx.yaml", atomically: true, encoding: .utf8)
        for (name, text) in runbooks {
            try text.replacingOccurrences(of: "DIR", with: directory)
                .write(toFile: "\(directory)/runbooks/\(name)", atomically: true, encoding: .utf8)
        }
        return directory
    }

    /// A catalog for replicas on PostgreSQL: no `store:` line (the replicas get
    /// `RBX_DATABASE_URL`), optionally a shorter claim lock (a dead replica's claims expire
    /// sooner) and `workers` per replica.
    static func replicaCatalog(
        runbooks: [String: String], claimLock: String? = nil, workers: Int? = nil
    ) throws -> String {
        let directory = try catalog(runbooks: runbooks)
        var server = "  claim_lock: \(claimLock ?? "5s")\n"
        if let workers { server += "  workers: \(workers)\n" }
        let config = try String(contentsOfFile: directory + "/rbx.yaml", encoding: .utf8)
        try config.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("store:") }
            .joined(separator: "\n")
            .replacingOccurrences(of: "  claim_lock: 5s\n", with: server)
            .write(toFile: directory + "/rbx.yaml", atomically: true, encoding: .utf8)
        return directory
    }

    /// `count` replicas of one catalog, each a process of its own, all on `database`, each with
    /// output files of its own (the catalog's files, such as steps.log and pages.log, are shared).
    static func startReplicas(
        _ count: Int, catalog: String, database: PostgresTestDatabase
    ) async throws -> [ServeProcess] {
        var replicas: [ServeProcess] = []
        for index in 0..<count {
            let replica = ServeProcess(directory: catalog, outputPrefix: "replica\(index)-")
            try await replica.start(environment: ["RBX_DATABASE_URL": database.url])
            replicas.append(replica)
        }
        return replicas
    }

    deinit {
        if pid > 0 {
            _ = kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        let last = Self.users.withLock { users -> Bool in
            users[directory, default: 1] -= 1
            guard users[directory] == 0 else { return false }
            users[directory] = nil
            return true
        }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-serve-").path
        if last, directory.hasPrefix(temporary) { try? FileManager.default.removeItem(atPath: directory) }
    }
}

struct ServeProcessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls until `condition` holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
