/// Why a command could not be run at all.
///
/// Only failures to *act* are errors (STYLE.md item 7); a command that ran and failed is a
/// ``CommandResult``. The message names the program (`argv[0]`) and the operating-system error,
/// never other arguments or environment values, which may hold secrets (STYLE.md item 8).
///
/// ```swift
/// do {
///     let result = try await runner.run(invocation)
/// } catch where error.code == .programNotFound {
///     print(error)   // cannot run 'kubectl': not found in PATH (/usr/bin:/bin)
/// }
/// ```
public struct CommandRunnerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; a struct over a private enum so new kinds break no caller's `switch`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable, Hashable {
            case invalidInvocation, programNotFound, permissionDenied, workingDirectoryUnavailable
            case spawnFailed, supervisionFailed, cancelled
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The invocation itself is unusable: empty argv, a NUL byte, a malformed environment key.
        public static let invalidInvocation = Code(.invalidInvocation)
        /// `argv[0]` names no executable file (in `PATH`, or at the given path).
        public static let programNotFound = Code(.programNotFound)
        /// The program exists but may not be executed.
        public static let permissionDenied = Code(.permissionDenied)
        /// The working directory does not exist or cannot be entered.
        public static let workingDirectoryUnavailable = Code(.workingDirectoryUnavailable)
        /// The operating system refused to start the process for another reason.
        public static let spawnFailed = Code(.spawnFailed)
        /// The child started, but reading its output or waiting for it failed.
        public static let supervisionFailed = Code(.supervisionFailed)
        /// The calling task was cancelled before the child ended; the child's group was torn down.
        public static let cancelled = Code(.cancelled)

        /// The code's name, e.g. `programNotFound`.
        public var description: String { kind.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// `argv[0]` as written in the invocation.
    public var program: String
    /// A sentence saying what went wrong, without the `cannot run '…':` prefix.
    public var message: String
    /// The `errno` value behind the failure, when there was one.
    public var errno: Int32?

    /// Creates an error; runners and test doubles use this.
    public init(code: Code, program: String, message: String, errno: Int32? = nil) {
        self.code = code
        self.program = program
        self.message = message
        self.errno = errno
    }

    /// `cannot run 'PROGRAM': MESSAGE`.
    public var description: String { "cannot run '\(program)': \(message)" }
}
