#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An advisory lock (`flock`) held for the life of the store, so two `rbx serve` processes
/// never share one SQLite file: each would release the other's claims at start-up.
/// The kernel drops the lock when the process dies, `kill -9` included.
final class ExclusiveFileLock: Sendable {
    private let descriptor: Int32

    init(path: String) throws(StoreError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError("\(path): cannot open the lock file (errno \(errno))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw StoreError(
                "\(path): another rbx serve is using this store; stop it first or give this one its own store")
        }
        descriptor = fd
    }

    deinit { close(descriptor) }
}
