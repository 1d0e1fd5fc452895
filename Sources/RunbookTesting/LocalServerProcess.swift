public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What every server a test starts on 127.0.0.1 (PostgreSQL, Prometheus, Alertmanager) needs:
/// a free port, and a `posix_spawn` with its output in a log file. Spawned and reaped by hand:
/// Foundation's `Process` does not mix with swift-subprocess in one test process.
public enum LocalServerProcess {
    /// A port the kernel just handed out and released, for a server that takes its port as a flag.
    public static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw PostgresTestClusterError("cannot open a socket") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(socket, address, length) == 0 && getsockname(socket, address, &length) == 0
            }
        }
        guard bound else { throw PostgresTestClusterError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts `command` (an absolute path first) with stdin from /dev/null and stdout and stderr
    /// into `log`; `environment` nil keeps this process's.
    public static func spawn(_ command: [String], log: String, environment: [String: String]? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp ?? [] { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned =
            envp.map { posix_spawn(&pid, command[0], &actions, nil, argv, $0) }
            ?? posix_spawn(&pid, command[0], &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw PostgresTestClusterError("cannot start \(command[0]): \(String(cString: strerror(spawned)))")
        }
        return pid
    }
}
