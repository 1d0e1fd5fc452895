import Synchronization

/// How many connections the server holds, and which one gives way when it is full.
///
/// Unauthenticated clients can open connections and never finish a request (slowloris): 1,100
/// half-open connections under a 1,024-descriptor limit once stopped intake and `/healthz`.
/// Every connection therefore has a deadline (``ConnectionLimits``), and once the server holds
/// `max - reserve` connections a new one makes the oldest connection that is *waiting* (for its
/// first request head, or idle between requests) close, so a health check or an alert always
/// gets in while the slow ones are let go. A connection in the middle of a request is never
/// closed to make room; when `max` connections are all busy, a new one is refused.
final class ConnectionBudget: Sendable {
    let limits: ConnectionLimits

    private struct Entry {
        var waitingSince: ContinuousClock.Instant?
        var close: @Sendable () -> Void
    }

    private struct State {
        var next = 0
        var entries: [Int: Entry] = [:]
    }

    private let state = Mutex(State())

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    /// The outcome of a new connection.
    enum Admission: Equatable {
        case admitted(id: Int)
        case refused
    }

    /// Registers a new connection (waiting for its first request); closes the oldest waiting
    /// connection when the soft limit is reached.
    func admit(now: ContinuousClock.Instant, close: @escaping @Sendable () -> Void) -> Admission {
        let (admission, evicted) = state.withLock { state -> (Admission, (@Sendable () -> Void)?) in
            var evicted: (@Sendable () -> Void)?
            if state.entries.count >= limits.maxConnections - limits.reserve {
                let oldest = state.entries.compactMap { id, entry in entry.waitingSince.map { (id, $0) } }
                    .min { $0.1 < $1.1 }
                if let (id, _) = oldest {
                    evicted = state.entries.removeValue(forKey: id)?.close
                } else if state.entries.count >= limits.maxConnections {
                    return (.refused, nil)
                }
            }
            state.next += 1
            state.entries[state.next] = Entry(waitingSince: now, close: close)
            return (.admitted(id: state.next), evicted)
        }
        evicted?()
        return admission
    }

    /// The connection started a request (`waiting: false`) or finished one (`waiting: true`).
    func update(_ id: Int, waiting: Bool, now: ContinuousClock.Instant) {
        state.withLock { state in
            state.entries[id]?.waitingSince = waiting ? now : nil
        }
    }

    func remove(_ id: Int) {
        _ = state.withLock { state in state.entries.removeValue(forKey: id) }
    }

    var count: Int { state.withLock { $0.entries.count } }
}

/// The limits on connections (`server.max_connections`, `header_timeout`, `body_timeout`,
/// `idle_timeout` in rbx.yaml).
struct ConnectionLimits: Sendable, Equatable {
    var maxConnections: Int
    /// Connections admitted beyond `maxConnections - reserve` only when none is waiting.
    var reserve: Int
    /// From connecting to a complete request head.
    var headerTimeout: Duration
    /// From the request head to the end of its body.
    var bodyTimeout: Duration
    /// From the end of a response to the next request head (keep-alive).
    var idleTimeout: Duration

    /// The limits for a process that may hold `descriptors` open files: the configured maximum,
    /// kept 128 under the descriptor limit (the store, logs, step pipes need some).
    static func forDescriptors(
        _ descriptors: Int, configured: Int?, timeouts settings: (Duration, Duration, Duration)
    )
        -> ConnectionLimits
    {
        let ceiling = max(descriptors - 128, 16)
        let maximum = min(configured ?? 4096, ceiling)
        return ConnectionLimits(
            maxConnections: maximum, reserve: max(maximum / 16, 4), headerTimeout: settings.0,
            bodyTimeout: settings.1, idleTimeout: settings.2)
    }
}
