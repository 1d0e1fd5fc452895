#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small wrappers over libc calls whose results end up in error messages.
enum SystemError {
    /// The `strerror` text for an `errno` value, e.g. `No such file or directory (errno 2)`.
    static func text(_ code: Int32) -> String {
        let description = strerror(code).map { String(cString: $0) } ?? "unknown error"
        return "\(description) (errno \(code))"
    }

    /// rbx's current directory, or `nil` when it cannot be determined (e.g. it was removed).
    static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let found = buffer.withUnsafeMutableBufferPointer { pointer -> Bool in
            guard let base = pointer.baseAddress else { return false }
            return getcwd(base, pointer.count) != nil
        }
        guard found else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
