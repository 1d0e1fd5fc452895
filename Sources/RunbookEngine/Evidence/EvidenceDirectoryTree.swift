#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Walking and removing a directory tree without ever following a symbolic link.
///
/// Everything is relative to open directory descriptors (`openat`, `fstatat` with
/// `AT_SYMLINK_NOFOLLOW`), so a link planted inside a bundle — or swapped in while rbx looks —
/// cannot send the verifier outside the bundle or make the clean-up delete someone else's files.
/// Names are kept as bytes: a file name need not be valid UTF-8, and two names that Swift's
/// `String` would call equal (`é` precomposed and decomposed) are two different files on disk.
enum EvidenceDirectoryTree {
    /// One entry as found: its path relative to the walk's root, as bytes, and its kind.
    struct Entry {
        var path: [UInt8]
        var name: [UInt8]
        var kind: EvidenceSystemCalls.Kind
        /// The open directory holding the entry, valid only during the visit.
        var parentFD: Int32
    }

    /// Deeper than any bundle rbx writes; bounds descriptors held open and recursion depth.
    static let maximumDepth = 64

    /// Visits every entry below the directory open at `rootFD`, parents before children.
    ///
    /// Directories are visited and then descended into; nothing else is (a symbolic link to a
    /// directory is an entry of kind `.symbolicLink`, not a directory).
    ///
    /// - Parameter displayPath: the root as the user named it, for error messages.
    /// - Throws: ``EvidenceError/Code/io`` when a directory cannot be read,
    ///   ``EvidenceError/Code/tooDeep`` past ``maximumDepth``.
    static func walk(
        rootFD: Int32,
        displayPath: String,
        visit: (Entry) throws(EvidenceError) -> Void
    ) throws(EvidenceError) {
        try walk(fd: rootFD, prefix: [], displayPath: displayPath, depth: 0, visit: visit)
    }

    private static func walk(
        fd: Int32,
        prefix: [UInt8],
        displayPath: String,
        depth: Int,
        visit: (Entry) throws(EvidenceError) -> Void
    ) throws(EvidenceError) {
        let here = display(displayPath, prefix)
        for (name, kind) in try entries(of: fd, displayPath: here) {
            let path = prefix.isEmpty ? name : prefix + [UInt8(ascii: "/")] + name
            try visit(Entry(path: path, name: name, kind: kind, parentFD: fd))
            guard kind == .directory else { continue }
            if depth + 1 >= maximumDepth {
                throw EvidenceError(
                    code: .tooDeep,
                    message: "directories nested more than \(maximumDepth) deep at \"\(display(displayPath, path))\"",
                    path: display(displayPath, path)
                )
            }
            let child = try openChildDirectory(fd, name, displayPath: display(displayPath, path))
            defer { EvidenceSystemCalls.closeQuietly(child) }
            try walk(fd: child, prefix: path, displayPath: displayPath, depth: depth + 1, visit: visit)
        }
    }

    /// Removes `path` and everything below it, best effort: used to clean up a temporary
    /// bundle directory after a failed write, where the original error is what matters.
    static func removeTree(_ path: String) {
        guard let fd = try? EvidenceSystemCalls.openDirectory(path, followLink: false) else { return }
        removeContents(of: fd, depth: 0)
        EvidenceSystemCalls.closeQuietly(fd)
        _ = rmdir(path)
    }

    private static func removeContents(of fd: Int32, depth: Int) {
        guard depth < maximumDepth, let list = try? entries(of: fd, displayPath: "") else { return }
        for (name, kind) in list {
            EvidenceSystemCalls.withCString(name) { cName in
                if kind == .directory {
                    let child = openat(fd, cName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    if child >= 0 {
                        removeContents(of: child, depth: depth + 1)
                        EvidenceSystemCalls.closeQuietly(child)
                    }
                    _ = unlinkat(fd, cName, AT_REMOVEDIR)
                } else {
                    _ = unlinkat(fd, cName, 0)
                }
            }
        }
    }

    /// Opens the subdirectory `name` of `fd`, refusing to follow a link swapped in since the
    /// entry was listed.
    static func openChildDirectory(_ fd: Int32, _ name: [UInt8], displayPath: String) throws(EvidenceError) -> Int32 {
        let (child, code) = EvidenceSystemCalls.withCString(name) { cName in
            EvidenceSystemCalls.retrying { openat(fd, cName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        }
        if child < 0 { throw .system("open directory", path: displayPath, errno: code) }
        return child
    }

    /// Opens the regular file `name` of `fd` for reading, never through a link and without
    /// blocking should a FIFO have been swapped in; the caller checks the kind with `fstat`.
    static func openChildFile(_ fd: Int32, _ name: [UInt8], displayPath: String) throws(EvidenceError) -> Int32 {
        let (child, code) = EvidenceSystemCalls.withCString(name) { cName in
            EvidenceSystemCalls.retrying { openat(fd, cName, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        }
        if child < 0 { throw .system("open", path: displayPath, errno: code) }
        return child
    }

    /// The kind of the file open at `fd`, from `fstat`.
    static func kind(ofOpen fd: Int32, displayPath: String) throws(EvidenceError) -> EvidenceSystemCalls.Kind {
        var status = stat()
        if fstat(fd, &status) != 0 { throw .system("inspect", path: displayPath, errno: errno) }
        return EvidenceSystemCalls.Kind(mode: status.st_mode)
    }

    /// The names in the directory open at `fd` (without `.` and `..`) and their kinds as
    /// `lstat` sees them. Reads a duplicate descriptor, so `fd` stays open and positioned.
    static func entries(
        of fd: Int32, displayPath: String
    ) throws(EvidenceError) -> [(
        [UInt8], EvidenceSystemCalls.Kind
    )] {
        let copy = dup(fd)
        if copy < 0 { throw .system("read directory", path: displayPath, errno: errno) }
        guard let stream = fdopendir(copy) else {
            let code = errno
            EvidenceSystemCalls.closeQuietly(copy)
            throw .system("read directory", path: displayPath, errno: code)
        }
        defer { closedir(stream) }
        // A duplicate shares its file offset with `fd`: start from the top whatever was read before.
        rewinddir(stream)
        var names: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw .system("read directory", path: displayPath, errno: errno) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            names.append(name)
        }
        var result: [([UInt8], EvidenceSystemCalls.Kind)] = []
        result.reserveCapacity(names.count)
        for name in names {
            var status = stat()
            let failed = EvidenceSystemCalls.withCString(name) { cName in
                fstatat(fd, cName, &status, AT_SYMLINK_NOFOLLOW) != 0 ? errno : 0
            }
            if failed == ENOENT { continue }  // removed while we looked: it is simply not there
            if failed != 0 {
                throw .system("inspect", path: display(displayPath, name), errno: failed)
            }
            result.append((name, EvidenceSystemCalls.Kind(mode: status.st_mode)))
        }
        return result
    }

    /// `root/relative` for messages; a name that is not UTF-8 shows with replacement characters.
    static func display(_ root: String, _ relative: [UInt8]) -> String {
        if relative.isEmpty { return root }
        let tail = String(decoding: relative, as: UTF8.self)
        if root.isEmpty { return tail }
        return root.hasSuffix("/") ? root + tail : root + "/" + tail
    }
}
