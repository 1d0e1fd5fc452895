#if canImport(System)
    import System
#else
    import SystemPackage
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes of a step's standard input, in an anonymous file the child reads as its fd 0.
///
/// Why not a pipe, as swift-subprocess's `.array(_:)` input uses: writing to a pipe whose
/// reader has gone (a child that exits without reading its input, e.g. `true`) raises `SIGPIPE`
/// in rbx, which kills the whole server unless rbx changes its process-wide signal disposition;
/// swift-subprocess does not handle this (its own tests ignore `SIGPIPE` globally). A pipe also
/// needs a concurrent writer that a child which never reads can block until the timeout.
///
/// A file written *before* the spawn has none of these problems: the child reads at its own
/// pace, stops whenever it likes, and rbx never writes to a pipe. On Linux the file is a
/// `memfd` (memory only, so input that carries a secret never touches a disk); elsewhere it is a
/// temporary file unlinked at once. Either way it is close-on-exec in rbx, so no other child
/// spawned concurrently inherits it; swift-subprocess `dup2`s it onto the child's fd 0.
struct StandardInputFile {
    let descriptor: FileDescriptor

    /// Creates the file, writes `bytes` and rewinds it.
    ///
    /// - Throws: ``CommandRunnerError`` `.spawnFailed` when the file cannot be created or written.
    init(_ bytes: [UInt8], program: String) throws(CommandRunnerError) {
        let raw = Self.createAnonymousFile()
        guard raw >= 0 else {
            let code = errno
            throw CommandRunnerError(
                code: .spawnFailed, program: program,
                message: "cannot create a file for standard input: \(SystemError.text(code))", errno: code)
        }
        let descriptor = FileDescriptor(rawValue: raw)
        do {
            _ = try descriptor.writeAll(bytes)
            _ = try descriptor.seek(offset: 0, from: .start)
        } catch {
            try? descriptor.close()
            throw CommandRunnerError(
                code: .spawnFailed, program: program,
                message: "cannot write standard input: \(error)", errno: (error as? Errno)?.rawValue)
        }
        self.descriptor = descriptor
    }

    /// Closes rbx's copy. Called explicitly (with `defer`) rather than from a `deinit`, because
    /// Swift may end a value's lifetime right after its last use, which here would be *before*
    /// the spawn that hands the descriptor to the child.
    func close() {
        try? descriptor.close()
    }

    private static func createAnonymousFile() -> Int32 {
        #if os(Linux) || os(Android)
            if let memfdCreate = Self.memfdCreate {
                let descriptor = memfdCreate("rbx-stdin", 1)  // MFD_CLOEXEC
                if descriptor >= 0 {
                    return descriptor
                }
            }
        #endif
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((directory + "/rbx-stdin-XXXXXX").utf8CString)
        return template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            let descriptor = mkstemp(base)
            if descriptor >= 0 {
                unlink(base)
                _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            }
            return descriptor
        }
    }

    #if os(Linux) || os(Android)
        private typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32

        /// glibc declares `memfd_create` only under `_GNU_SOURCE`, which the Swift `Glibc` module
        /// does not define, so it is looked up at run time (as swift-subprocess does for
        /// `posix_spawn_file_actions_addclosefrom_np`). `nil` (old libc) falls back to a temp file.
        private static let memfdCreate: MemfdCreate? = {
            guard let symbol = dlsym(nil, "memfd_create") else { return nil }
            return unsafeBitCast(symbol, to: MemfdCreate.self)
        }()
    #endif
}
