/// Why an evidence bundle could not be written or checked at all.
///
/// A bundle that was read but does not match its manifest is *not* an error: that is a
/// finding, reported in ``EvidenceReport``. This error means rbx could not act — an input it
/// refuses (a path with `..`, a bundle name that already exists) or the operating system
/// saying no (disk full, permission denied). The message names the path involved and, when
/// there is one, the OS error, so an operator can act on it without a debugger:
///
/// ```
/// cannot create "evidence/.tmp-x-1f2e/steps/a": No space left on device (errno 28)
/// ```
///
/// `Code` is a struct over a private enum so new kinds of failure can be added without
/// breaking callers that compare against the known ones.
public struct EvidenceError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case invalidPath, invalidName, duplicatePath, pathCollision, alreadyExists
            case notFound, notADirectory, tooDeep, invalidDigest, invalidKey, io
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A file path inside a bundle that rbx refuses: absolute, `..`, empty component,
        /// backslash, control character, or the reserved `MANIFEST.sha256`.
        public static let invalidPath = Code(.invalidPath)
        /// A bundle name that is not one plain, visible directory name.
        public static let invalidName = Code(.invalidName)
        /// Two files with the same path in one write.
        public static let duplicatePath = Code(.duplicatePath)
        /// One file's path is a directory of another's (`steps` and `steps/01.json`).
        public static let pathCollision = Code(.pathCollision)
        /// The final bundle directory exists: bundles are never merged or overwritten.
        public static let alreadyExists = Code(.alreadyExists)
        /// The directory to verify does not exist.
        public static let notFound = Code(.notFound)
        /// The path to verify exists but is not a directory.
        public static let notADirectory = Code(.notADirectory)
        /// Directories nested deeper than rbx walks; no bundle rbx writes comes close.
        public static let tooDeep = Code(.tooDeep)
        /// A signing or verifying key that is not an Ed25519 key rbx can read.
        public static let invalidKey = Code(.invalidKey)
        /// An expected manifest digest that is not 64 hexadecimal digits.
        public static let invalidDigest = Code(.invalidDigest)
        /// The operating system refused an operation; ``EvidenceError/systemError`` says why.
        public static let io = Code(.io)

        /// A stable kebab-case identifier for JSON output and documentation.
        public var description: String {
            switch value {
            case .invalidPath: "invalid-path"
            case .invalidName: "invalid-bundle-name"
            case .duplicatePath: "duplicate-path"
            case .pathCollision: "path-collision"
            case .alreadyExists: "bundle-exists"
            case .notFound: "not-found"
            case .notADirectory: "not-a-directory"
            case .tooDeep: "nesting-too-deep"
            case .invalidDigest: "invalid-digest"
            case .invalidKey: "invalid-key"
            case .io: "io-error"
            }
        }
    }

    /// What kind of failure, for callers that branch on it (exit code 1 vs 2, 4xx vs 5xx).
    public var code: Code
    /// One sentence for a person, naming the path and, for ``Code/io``, the OS error text.
    public var message: String
    /// The path the failure is about, as rbx saw it (relative to the working directory or
    /// to the bundle, as the message says).
    public var path: String
    /// The `errno` value when the operating system refused, so callers can tell a full disk
    /// (`ENOSPC`) from a permission problem without parsing the message.
    public var systemError: Int32?

    public init(code: Code, message: String, path: String, systemError: Int32? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.systemError = systemError
    }

    /// The message alone: it already names what it is about, and a CLI prefixes its own name.
    public var description: String { message }
}

extension EvidenceError {
    /// An ``Code/io`` error for a failed system call: `cannot <action> "<path>": <strerror> (errno N)`.
    static func system(_ action: String, path: String, errno code: Int32) -> EvidenceError {
        EvidenceError(
            code: .io,
            message: "cannot \(action) \"\(path)\": \(EvidenceSystemCalls.errorText(code)) (errno \(code))",
            path: path,
            systemError: code
        )
    }
}
