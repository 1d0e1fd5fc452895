internal import RunbookYAML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finding and reading catalog files with plain POSIX calls.
///
/// For 20,000 runbooks, Foundation's directory enumerator and `Data` reads were 5 % of
/// `rbx lint`'s CPU time (a `stat` per entry, a copy per file); `readdir` with `d_type` and
/// one `read` into the array the parser uses avoid both.
extension CatalogLoader {
    static func readFile(_ path: String) -> (bytes: [UInt8], problem: Diagnostic?) {
        let unreadable = { (reason: String) in
            (
                [UInt8](),
                Diagnostic.error(
                    "unreadable-file", "cannot read file: \(reason)", at: SourceLocation(file: path, line: 1, column: 1)
                )
            )
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return unreadable(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return unreadable(String(cString: strerror(errno))) }
        // Read straight into the array the parser will use; one spare byte lets a file that
        // grew since fstat be noticed and read on.
        var size = max(0, Int(info.st_size))
        var bytes = [UInt8]()
        while true {
            var failure: Int32 = 0
            let chunk = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
                count = 0
                guard let base = buffer.baseAddress else { return }
                while count < buffer.count {
                    let result = read(descriptor, base + count, buffer.count - count)
                    if result < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    if result == 0 { return }
                    count += result
                }
            }
            if failure != 0 { return unreadable(String(cString: strerror(failure))) }
            bytes += chunk
            if chunk.count <= size { break }
            size = max(size, 64 * 1024)
        }
        return (bytes, nil)
    }

    static func yamlFiles(under directory: String) -> [String] {
        files(under: directory, extensions: ["yaml", "yml"])
    }

    /// Files with the given extensions under a directory, recursively, skipping hidden ones,
    /// sorted so that diagnostics and duplicate detection are deterministic.
    static func files(under directory: String, extensions: Set<String>) -> [String] {
        var result: [String] = []
        var pending = [directory]
        while let current = pending.popLast() {
            guard let handle = opendir(current) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.hasPrefix(".") { continue }
                let path = join(current, name)
                var type = entry.pointee.d_type
                if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
                    var info = stat()
                    guard stat(path, &info) == 0 else { continue }
                    type = (info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG)
                }
                if type == UInt8(DT_DIR) {
                    pending.append(path)
                } else if let dot = name.lastIndex(of: "."),
                    extensions.contains(String(name[name.index(after: dot)...]))
                {
                    result.append(path)
                }
            }
        }
        return result.sorted()
    }

    /// A path from rbx.yaml or the command line: absolute as it is, relative from the catalog.
    public static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : join(directory, path)
    }

    static func join(_ directory: String, _ name: String) -> String {
        if directory == "." || directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
