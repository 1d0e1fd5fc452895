import ServiceLifecycle
import Synchronization

/// Set once when graceful shutdown begins; loops check it before taking new work.
final class ShutdownFlag: Sendable {
    private let raised = Mutex(false)

    func raise() { raised.withLock { $0 = true } }
    var isRaised: Bool { raised.withLock { $0 } }
}

/// Raises the server's shutdown flag the moment graceful shutdown begins. A ServiceGroup shuts
/// its services down one after the other, last first; listed last, this one is told at once.
struct ShutdownSentinel: Service, CustomStringConvertible {
    var flag: ShutdownFlag

    func run() async throws {
        try? await gracefulShutdown()
        flag.raise()
    }

    var description: String { "ShutdownSentinel" }
}
