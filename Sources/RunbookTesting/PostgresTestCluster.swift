import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A database the tests may use: its URL in the form rbx accepts (`store:`, `RBX_DATABASE_URL`).
public struct PostgresTestDatabase: Sendable, CustomStringConvertible {
    /// `postgres://USER@HOST:PORT/DATABASE?sslmode=disable…`; the password (if any) stays where
    /// it came from: `RBX_TEST_POSTGRES_URL` or the environment.
    public var url: String
    public var name: String
    public var description: String { url }
}

/// The PostgreSQL server the tests use: `RBX_TEST_POSTGRES_URL` when set, else one throwaway
/// cluster per test process, started on first use. Shared by the store tests and the process
/// tests of `rbx serve`; needs only Foundation and the PostgreSQL binaries (`initdb`, `pg_ctl`,
/// `psql`), not a client library.
///
/// The cluster lives in `TMPDIR/rbx-pg-PID` (derived from the process id, so the exit hook
/// finds it without global state), listens on 127.0.0.1 only at a random port, keeps its
/// socket in that directory and runs with fsync off. At exit the postmaster gets SIGQUIT
/// (immediate shutdown) and the directory is removed; a test process killed with SIGKILL
/// leaves it behind, to be removed by hand or by the next run with the same pid.
/// Each test gets its own database (`t_<uuid>`), so tests run in parallel.
public actor PostgresTestCluster {
    public static let shared = PostgresTestCluster()

    /// Where the server is and how to reach it as its superuser.
    struct Server: Sendable {
        /// The admin URL (database `postgres`, or the one `RBX_TEST_POSTGRES_URL` names).
        var url: URLComponents
        /// Where psql is.
        var bin: String
    }

    private var server: Task<Server, any Error>?

    /// A new empty database, reached as the server's superuser (or the URL's user).
    /// - Throws: ``PostgresTestClusterError`` saying to run `scripts/install-deps --test` when
    ///   PostgreSQL is missing: a test needing it then fails, it is not skipped.
    public static func freshDatabase() async throws -> PostgresTestDatabase {
        let server = try await shared.admin()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        var admin = server.url
        // psql does not know rbx's own parameters.
        admin.queryItems = admin.queryItems?.filter { $0.name != "pool_size" }
        if admin.queryItems?.isEmpty == true { admin.queryItems = nil }
        guard let adminURL = admin.string else {
            throw PostgresTestClusterError("cannot form the admin URL of the test server")
        }
        var environment = ProcessInfo.processInfo.environment
        if environment["PGPASSWORD"] == nil, let password = environment["RBX_DATABASE_PASSWORD"] {
            environment["PGPASSWORD"] = password
        }
        let psqlEnvironment = environment
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-psql-\(name).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        // An identifier cannot be a bound parameter; the name is ours (hex), not input.
        let status = try await Self.background {
            try spawnAndWait(
                [
                    server.bin + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", adminURL, "-c",
                    "CREATE DATABASE \(name)",
                ], log: log,
                environment: psqlEnvironment)
        }
        guard status == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw PostgresTestClusterError(
                "cannot create test database \(name) (psql exited with \(status)):\n\(text.suffix(2_000))")
        }
        var fresh = server.url
        fresh.path = "/" + name
        guard let url = fresh.string else {
            throw PostgresTestClusterError("cannot form the URL of test database \(name)")
        }
        return PostgresTestDatabase(url: url, name: name)
    }

    private func admin() async throws -> Server {
        if let server { return try await server.value }
        let task = Task { try await Self.start() }
        server = task
        return try await task.value
    }

    private static func start() async throws -> Server {
        let environment = ProcessInfo.processInfo.environment
        if let text = environment["RBX_TEST_POSTGRES_URL"], !text.isEmpty {
            guard let url = URLComponents(string: text), url.host != nil else {
                throw PostgresTestClusterError("RBX_TEST_POSTGRES_URL: expected postgres://USER@HOST:PORT/DATABASE")
            }
            guard let bin = binaries(["psql"]) else {
                throw PostgresTestClusterError(
                    "psql was not found on PATH or in /usr/lib/postgresql/*/bin: run scripts/install-deps --test")
            }
            return Server(url: url, bin: bin)
        }
        guard let bin = binaries(["initdb", "pg_ctl", "psql"]) else {
            throw PostgresTestClusterError(
                "PostgreSQL server binaries (initdb, pg_ctl, psql) were not found on PATH or in /usr/lib/postgresql/*/bin: "
                    + "run scripts/install-deps --test (or set RBX_TEST_POSTGRES_URL to a server where the tests may create databases)"
            )
        }
        let directory = clusterDirectory()
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if geteuid() == 0 {
            // initdb refuses to run as root: the cluster belongs to the postgres user.
            try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: directory)
        }
        let data = directory + "/data"
        try await run(
            [
                bin + "/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync",
                "--no-instructions",
            ],
            log: directory + "/initdb.log")
        atexit { PostgresTestCluster.stopAtExit() }
        for _ in 0..<5 {
            let port = Int.random(in: 20_000..<60_000)
            let options =
                "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                + "-c full_page_writes=off -c max_connections=300"
            do {
                try await run(
                    [
                        bin + "/pg_ctl", "-D", data, "-o", options, "-l", directory + "/server.log", "-w", "-t", "60",
                        "start",
                    ],
                    log: directory + "/pg_ctl.log")
                var url = URLComponents()
                url.scheme = "postgres"
                url.user = "postgres"
                url.host = "127.0.0.1"
                url.port = port
                url.path = "/postgres"
                url.queryItems = [URLQueryItem(name: "sslmode", value: "disable")]
                return Server(url: url, bin: bin)
            } catch {
                continue  // most likely the port was taken; try another
            }
        }
        let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
        throw PostgresTestClusterError(
            "the test PostgreSQL server in \(directory) did not start:\n\(log.suffix(2_000))")
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

    /// The directory holding all of `programs`: PATH first, then Debian's versioned directories.
    private static func binaries(_ programs: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        var candidates = path.split(separator: ":").map(String.init)
        let debian = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? []
        candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "\(debian)/\($0)/bin" }
        return candidates.first { directory in
            programs.allSatisfy { FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") }
        }
    }

    /// Runs a PostgreSQL server program (as the postgres user when we are root), output to `log`.
    ///
    /// Spawned and reaped by hand: Foundation's `Process` notices the end of a child through a
    /// socket the child inherits, and the postmaster `pg_ctl` leaves behind keeps it open, so
    /// its termination handler never ran.
    private static func run(_ arguments: [String], log: String) async throws {
        let command = geteuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments : arguments
        let status = try await background {
            try spawnAndWait(command, log: log, environment: ProcessInfo.processInfo.environment)
        }
        guard status == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw PostgresTestClusterError(
                "\(arguments.joined(separator: " ")) exited with \(status):\n\(text.suffix(2_000))")
        }
    }

    /// Runs a blocking call on a dispatch thread, not on the test's executor.
    private static func background(_ body: @escaping @Sendable () throws -> Int32) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    continuation.resume(returning: try body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Blocks until the program exits; returns its exit status.
    private static func spawnAndWait(_ command: [String], log: String, environment: [String: String]) throws -> Int32 {
        let pid = try LocalServerProcess.spawn(command, log: log, environment: environment)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Glibc exposes only as macros.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

public struct PostgresTestClusterError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
