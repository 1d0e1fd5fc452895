#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What Linux's `/proc` says about processes: who is whose child, which step a process belongs
/// to (``StepContainment/variable`` in its environment), whether it has exited.
///
/// Reads are bounded and never throw: a process can vanish between two reads, and a file that
/// cannot be read is the same answer as a process that is gone.
enum ProcessTable {
    /// Every process id listed in `/proc`.
    static func allProcesses() -> [pid_t] {
        directoryEntries("/proc").compactMap { pid_t($0) }.filter { $0 > 0 }
    }

    /// The children of `pid`; with `leaderOnly`, only those of its main thread, which is where
    /// Linux reparents the orphans a child subreaper adopts.
    static func children(of pid: pid_t, leaderOnly: Bool = false) -> [pid_t] {
        let threads: [String]
        if leaderOnly {
            threads = ["\(pid)"]
        } else {
            threads = directoryEntries("/proc/\(pid)/task")
        }
        var children: [pid_t] = []
        for thread in threads {
            guard let bytes = contents(of: "/proc/\(pid)/task/\(thread)/children", limit: 1 << 20) else { continue }
            children += bytes.split(separator: UInt8(ascii: " ")).compactMap {
                pid_t(String(decoding: $0, as: UTF8.self))
            }
        }
        return children
    }

    /// Every descendant of `pid` that can be reached through the children lists, parents first.
    static func descendants(of pid: pid_t) -> [pid_t] {
        var found: [pid_t] = []
        var queue = children(of: pid)
        var seen = Set<pid_t>()
        while let next = queue.first {
            queue.removeFirst()
            guard seen.insert(next).inserted else { continue }
            found.append(next)
            queue += children(of: next)
        }
        return found
    }

    /// The value of `name` in the process's environment (as it was at its last `exec`).
    static func environmentValue(of pid: pid_t, named name: String) -> String? {
        guard let bytes = contents(of: "/proc/\(pid)/environ", limit: 1 << 21) else { return nil }
        let prefix = Array((name + "=").utf8)
        for entry in bytes.split(separator: 0, omittingEmptySubsequences: true)
        where entry.starts(with: prefix) {
            return String(decoding: entry.dropFirst(prefix.count), as: UTF8.self)
        }
        return nil
    }

    /// Whether the process has exited and waits to be reaped (state `Z`), or is gone (`nil`).
    static func isZombie(_ pid: pid_t) -> Bool? {
        guard let stat = contents(of: "/proc/\(pid)/stat", limit: 4096),
            let close = stat.lastIndex(of: UInt8(ascii: ")")), close + 2 < stat.count
        else { return nil }
        return stat[close + 2] == UInt8(ascii: "Z")
    }

    private static func directoryEntries(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func contents(of path: String, limit: Int) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return bytes
    }
}
