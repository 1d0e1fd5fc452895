import Foundation
import PostgresNIO
@testable import RunbookStore

#if canImport(Glibc)
import Glibc
#endif

/// The PostgreSQL server the store tests use: `RBX_TEST_POSTGRES_URL` when set, else one
/// throwaway cluster per test process, started on first use.
///
/// The cluster lives in `TMPDIR/rbx-pg-PID` (derived from the process id, so the exit hook
/// finds it without global state), listens on 127.0.0.1 only at a random port, keeps its
/// socket in that directory and runs with fsync off. At exit the postmaster gets SIGQUIT
/// (immediate shutdown) and the directory is removed; a test process killed with SIGKILL
/// leaves it behind, to be removed by hand or by the next run with the same pid.
/// Each test gets its own database (`t_<uuid>`), so tests run in parallel.
actor PostgresTestCluster {
    static let shared = PostgresTestCluster()

    private var server: Task<PostgresStoreConfiguration, any Error>?

    /// A new empty database; connecting as the server's superuser (or the URL's user).
    /// - Throws: ``ClusterError`` saying to run `scripts/install-deps --test` when PostgreSQL is missing.
    static func freshDatabase() async throws -> PostgresStoreConfiguration {
        var configuration = try await shared.admin()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let logger = Logger(label: "rbx.test.postgres")
        let connection = try await PostgresConnection.connect(configuration: configuration.connectionConfiguration(), id: 1, logger: logger)
        do {
            // An identifier cannot be a bound parameter; the name is ours (hex), not input.
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger).collect()
            try await connection.close()
        } catch {
            try? await connection.close()
            throw ClusterError("cannot create test database \(name) on \(configuration.endpoint): \(PostgresFailure.reason(error))")
        }
        configuration.database = name
        return configuration
    }

    private func admin() async throws -> PostgresStoreConfiguration {
        if let server { return try await server.value }
        let task = Task { try await Self.start() }
        server = task
        return try await task.value
    }

    private static func start() async throws -> PostgresStoreConfiguration {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["RBX_TEST_POSTGRES_URL"], !url.isEmpty {
            return try PostgresStoreConfiguration(url: url, allowsPassword: true).withPassword(from: environment)
        }
        guard let bin = binaries() else {
            throw ClusterError(
                "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin: "
                    + "run scripts/install-deps --test (or set RBX_TEST_POSTGRES_URL to a server where the tests may create databases)")
        }
        let directory = clusterDirectory()
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if geteuid() == 0 {
            // initdb refuses to run as root: the cluster belongs to the postgres user.
            try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: directory)
        }
        let data = directory + "/data"
        try await run(
            [bin + "/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            log: directory + "/initdb.log")
        atexit { PostgresTestCluster.stopAtExit() }
        for _ in 0..<5 {
            let port = Int.random(in: 20_000..<60_000)
            let options =
                "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                + "-c full_page_writes=off -c max_connections=300"
            do {
                try await run(
                    [bin + "/pg_ctl", "-D", data, "-o", options, "-l", directory + "/server.log", "-w", "-t", "60", "start"],
                    log: directory + "/pg_ctl.log")
                return PostgresStoreConfiguration(
                    host: "127.0.0.1", port: port, username: "postgres", database: "postgres", sslMode: .disable, poolSize: 4)
            } catch {
                continue  // most likely the port was taken; try another
            }
        }
        let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
        throw ClusterError("the test PostgreSQL server in \(directory) did not start:\n\(log.suffix(2_000))")
    }

    /// Where this process's cluster lives; a function of the pid so the exit hook needs no state.
    static func clusterDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rbx-pg-\(getpid())").path
    }

    /// Stops the postmaster (SIGQUIT: immediate shutdown) and removes the cluster directory.
    static func stopAtExit() {
        let directory = clusterDirectory()
        if let text = try? String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8),
            let line = text.split(separator: "\n").first, let pid = pid_t(line.trimmingCharacters(in: .whitespaces))
        {
            kill(pid, SIGQUIT)
            for _ in 0..<100 where kill(pid, 0) == 0 { usleep(20_000) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The directory holding initdb and pg_ctl: PATH first, then Debian's versioned directories.
    private static func binaries() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        var candidates = path.split(separator: ":").map(String.init)
        let debian = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? []
        candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "\(debian)/\($0)/bin" }
        return candidates.first { directory in
            ["initdb", "pg_ctl"].allSatisfy { FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") }
        }
    }

    /// Runs a PostgreSQL program (as the postgres user when we are root), output to `log`.
    ///
    /// Spawned and reaped by hand: Foundation's `Process` notices the end of a child through a
    /// socket the child inherits, and the postmaster `pg_ctl` leaves behind keeps it open, so
    /// its termination handler never ran.
    private static func run(_ arguments: [String], log: String) async throws {
        let command = geteuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments : arguments
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    continuation.resume(returning: try spawnAndWait(command, log: log))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
        guard status == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw ClusterError("\(arguments.joined(separator: " ")) exited with \(status):\n\(text.suffix(2_000))")
        }
    }

    /// Blocks until the program exits; returns its exit status.
    private static func spawnAndWait(_ command: [String], log: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw ClusterError("cannot start \(command[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Glibc exposes only as macros.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

struct ClusterError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
