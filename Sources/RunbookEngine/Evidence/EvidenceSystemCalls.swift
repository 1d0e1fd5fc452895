#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few POSIX calls evidence bundles need, with `EINTR` retried and failures turned into
/// ``EvidenceError`` values that name the path.
///
/// Evidence is written and checked with plain system calls rather than Foundation because the
/// guarantees live exactly there: `O_EXCL` and `O_NOFOLLOW` on open, `fsync` on files *and*
/// directories, `rename(2)` that refuses to replace, `fstatat` that never follows a link.
enum EvidenceSystemCalls {
    /// The C library's text for an `errno` value ("No space left on device").
    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// Calls `body` with a NUL-terminated copy of `bytes`, for names read from directories that
    /// need not be valid UTF-8.
    static func withCString<R, E: Error>(
        _ bytes: [UInt8], _ body: (UnsafePointer<CChar>) throws(E) -> R
    ) throws(E) -> R {
        var terminated = bytes
        terminated.append(0)
        let result: Result<R, E> = terminated.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else { preconditionFailure("non-empty buffer") }
                do throws(E) { return .success(try body(base)) } catch { return .failure(error) }
            }
        }
        return try result.get()
    }

    /// Retries `call` while it fails with `EINTR`; returns its result and the `errno` of the
    /// final failure (0 on success).
    static func retrying<T: BinaryInteger>(_ call: () -> T) -> (result: T, error: Int32) {
        while true {
            let result = call()
            if result >= 0 { return (result, 0) }
            let code = errno
            if code != EINTR { return (result, code) }
        }
    }

    // MARK: Files

    /// Creates a new file that must not exist yet (`O_EXCL`), never through a symbolic link.
    static func createFile(_ path: String, mode: mode_t = 0o644) throws(EvidenceError) -> Int32 {
        let (fd, code) = retrying {
            open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        }
        if fd < 0 { throw .system("create", path: path, errno: code) }
        return fd
    }

    /// Writes every byte, continuing after short writes.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(EvidenceError) {
        var offset = 0
        while offset < bytes.count {
            let (written, code) = bytes.withUnsafeBytes { raw in
                retrying { write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset) }
            }
            if written < 0 { throw .system("write", path: path, errno: code) }
            if written == 0 { throw .system("write", path: path, errno: EIO) }
            offset += written
        }
    }

    /// Reads up to `buffer.count` bytes; 0 means end of file.
    static func read(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String
    )
        throws(EvidenceError) -> Int
    {
        let (count, code) = retrying { posixRead(fd, buffer.baseAddress, buffer.count) }
        if count < 0 { throw .system("read", path: path, errno: code) }
        return count
    }

    /// Flushes a file's or a directory's data and metadata to stable storage.
    static func sync(_ fd: Int32, path: String) throws(EvidenceError) {
        let (result, code) = retrying { fsync(fd) }
        if result < 0 { throw .system("sync", path: path, errno: code) }
    }

    /// Closes a descriptor, reporting the error (a deferred write error on some file systems).
    ///
    /// `EINTR` is not retried: on Linux the descriptor is already released by then.
    static func close(_ fd: Int32, path: String) throws(EvidenceError) {
        if posixClose(fd) < 0 {
            let code = errno
            if code != EINTR { throw .system("close", path: path, errno: code) }
        }
    }

    /// Closes a descriptor on a path where an error has already been thrown or does not matter.
    static func closeQuietly(_ fd: Int32) {
        _ = posixClose(fd)
    }

    // MARK: Directories

    /// Opens a directory to sync or walk it; follows a symbolic link only if `followLink`.
    static func openDirectory(_ path: String, followLink: Bool = true) throws(EvidenceError) -> Int32 {
        let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followLink ? 0 : O_NOFOLLOW)
        let (fd, code) = retrying { open(path, flags) }
        if fd < 0 { throw .system("open directory", path: path, errno: code) }
        return fd
    }

    /// Flushes a directory's entries, so a file created or renamed in it survives a crash.
    static func syncDirectory(_ path: String) throws(EvidenceError) {
        let fd = try openDirectory(path)
        do {
            try sync(fd, path: path)
        } catch {
            closeQuietly(fd)
            throw error
        }
        try close(fd, path: path)
    }

    /// `mkdir(2)`; returns `false` instead of throwing when the name already exists.
    static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(EvidenceError) -> Bool {
        if mkdir(path, mode) == 0 { return true }
        let code = errno
        if code == EEXIST { return false }
        throw .system("create directory", path: path, errno: code)
    }

    /// `mkdir -p`: creates `path` and any missing ancestors, syncing the directory that holds
    /// each new one so the chain survives a crash. An existing ancestor may be a symbolic link
    /// (an evidence directory on another disk).
    static func makeDirectories(_ path: String) throws(EvidenceError) {
        let absolute = path.hasPrefix("/")
        var prefix = absolute ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            let parent = prefix.isEmpty ? "." : prefix
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            if try makeDirectory(prefix) {
                try syncDirectory(parent)
            } else if try kind(of: prefix, followLink: true) != .directory {
                throw EvidenceError(
                    code: .notADirectory,
                    message: "cannot use \"\(prefix)\" as an evidence directory: it is not a directory",
                    path: prefix
                )
            }
        }
    }

    /// Renames `source` to `target` only if `target` does not exist, atomically where the
    /// kernel can (`renameat2(RENAME_NOREPLACE)` on Linux, `renamex_np(RENAME_EXCL)` on Darwin).
    ///
    /// Plain `rename(2)` would silently replace an existing *empty* directory; the exclusive
    /// form turns that into `EEXIST`. Where it is unavailable, a check immediately before the
    /// rename narrows the window, and `rename(2)` itself still refuses a non-empty target
    /// (`ENOTEMPTY`), so a finished bundle is never replaced or merged into.
    ///
    /// - Returns: 0 on success, else the `errno` of the failure.
    static func renameExclusive(_ source: String, to target: String) -> Int32 {
        #if canImport(Darwin)
            if renamex_np(source, target, UInt32(RENAME_EXCL)) == 0 { return 0 }
            let code = errno
            if code != ENOTSUP && code != EINVAL { return code }
        #elseif os(Linux)
            if let renameat2 = linuxRenameat2() {
                let renameNoReplace: UInt32 = 1  // RENAME_NOREPLACE in <linux/fs.h>
                if renameat2(AT_FDCWD, source, AT_FDCWD, target, renameNoReplace) == 0 { return 0 }
                let code = errno
                // EINVAL: this file system does not support the flag; ENOSYS: an old kernel.
                if code != EINVAL && code != ENOSYS { return code }
            }
        #endif
        var status = stat()
        if lstat(target, &status) == 0 { return EEXIST }
        return rename(source, target) == 0 ? 0 : errno
    }

    #if os(Linux)
        private typealias Renameat2 =
            @convention(c) (
                Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32
            ) -> Int32

        /// `renameat2` looked up at run time: glibc has exported it since 2.28, but the Swift
        /// module for glibc does not declare it (it sits behind `_GNU_SOURCE`).
        private static func linuxRenameat2() -> Renameat2? {
            guard let handle = dlopen(nil, RTLD_NOW) else { return nil }
            defer { dlclose(handle) }
            guard let symbol = dlsym(handle, "renameat2") else { return nil }
            return unsafeBitCast(symbol, to: Renameat2.self)
        }
    #endif

    // MARK: Inspecting

    /// What a directory entry is, as `lstat` sees it.
    enum Kind: Equatable {
        case regular, directory, symbolicLink, other

        init(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFREG: self = .regular
            case S_IFDIR: self = .directory
            case S_IFLNK: self = .symbolicLink
            default: self = .other
            }
        }

        /// For messages: "a symbolic link", "a FIFO or device".
        var phrase: String {
            switch self {
            case .regular: "a regular file"
            case .directory: "a directory"
            case .symbolicLink: "a symbolic link"
            case .other: "a FIFO, socket or device"
            }
        }
    }

    /// The kind of `path`, or `nil` when nothing is there.
    static func kind(of path: String, followLink: Bool) throws(EvidenceError) -> Kind? {
        var status = stat()
        let result = followLink ? stat(path, &status) : lstat(path, &status)
        if result == 0 { return Kind(mode: status.st_mode) }
        let code = errno
        if code == ENOENT { return nil }
        throw .system("inspect", path: path, errno: code)
    }
}

// Unqualified `read`/`close` inside the enum would resolve to its own methods.
@inline(__always)
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

@inline(__always)
private func posixClose(_ fd: Int32) -> Int32 {
    close(fd)
}
