#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns `argv[0]` into the absolute path of the file to execute.
///
/// rbx resolves names itself instead of handing swift-subprocess an `Executable.name(_:)`,
/// because swift-subprocess falls back to rbx's *own* `PATH` when the child's environment has
/// none. The contract here is that the child's environment is complete and allow-listed, so a
/// name is looked up in `environment["PATH"]` only; without a `PATH` a bare name is not found.
///
/// - A name containing `/` is a path: absolute as is, relative against the working directory
///   (as `execve` would see it after the child's `chdir`), or rbx's current directory.
/// - A bare name is searched in the absolute entries of `PATH`, in order. Empty and relative
///   entries are skipped, so `PATH=.:/usr/bin` can never run a file planted in the working
///   directory.
enum ProgramLocator {
    /// Returns the absolute path of the program `argv[0]` names.
    ///
    /// - Throws: ``CommandRunnerError`` `.programNotFound` when nothing matches,
    ///   `.permissionDenied` when a path names a file that is not executable.
    static func resolve(
        _ program: String,
        environment: [String: String],
        workingDirectory: String?
    ) throws(CommandRunnerError) -> String {
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : join(baseDirectory(workingDirectory), program)
            try checkExecutable(path, program: program)
            return path
        }
        guard let searchPath = environment["PATH"] else {
            throw CommandRunnerError(
                code: .programNotFound, program: program,
                message: "not found: PATH is not set in the command's environment")
        }
        let directories = searchPath.split(separator: ":", omittingEmptySubsequences: true)
            .map(String.init)
            .filter { $0.hasPrefix("/") }
        for directory in directories {
            let candidate = join(directory, program)
            if isExecutableFile(candidate) {
                return candidate
            }
        }
        throw CommandRunnerError(
            code: .programNotFound, program: program, message: "not found in PATH (\(searchPath))")
    }

    /// Whether `path` is a regular file this process may execute (a directory is "executable"
    /// for `access`, so `stat` must confirm it is a file).
    static func isExecutableFile(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        return (status.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }

    private static func checkExecutable(_ path: String, program: String) throws(CommandRunnerError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            throw CommandRunnerError(
                code: .programNotFound, program: program,
                message: "\(path): \(SystemError.text(code))", errno: code)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw CommandRunnerError(
                code: .permissionDenied, program: program, message: "\(path) is not a regular file")
        }
        guard access(path, X_OK) == 0 else {
            let code = errno
            throw CommandRunnerError(
                code: .permissionDenied, program: program,
                message: "\(path) is not executable: \(SystemError.text(code))", errno: code)
        }
    }

    private static func baseDirectory(_ workingDirectory: String?) -> String {
        if let workingDirectory, workingDirectory.hasPrefix("/") {
            return workingDirectory
        }
        let current = SystemError.currentDirectory() ?? "/"
        guard let workingDirectory else { return current }
        return join(current, workingDirectory)
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
