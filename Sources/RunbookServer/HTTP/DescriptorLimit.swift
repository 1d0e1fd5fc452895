#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The open-file limit: each connection holds a descriptor, and the soft limit (often 1,024)
/// is far below what the hard limit allows, so the server raises it to the hard limit at start
/// as Prometheus's Go runtime does.
enum DescriptorLimit {
    /// Raises the soft limit to the hard limit where allowed; returns the soft limit in force.
    static func raise() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }
}
