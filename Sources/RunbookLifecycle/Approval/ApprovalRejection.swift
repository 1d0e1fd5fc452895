/// Why an approval or denial was not taken. Each code maps to one HTTP status and one exit
/// code of `rbx approve`, so a script can tell "too early" from "not allowed".
public struct ApprovalRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String { case unknownStep, notWaiting, notAnApprover, alreadyDecided, startedTheRun }
        private let value: Value

        /// The runbook has no approval step of that id (HTTP 404).
        public static let unknownStep = Code(value: .unknownStep)
        /// The run is not waiting for that step's decision now: earlier, later, or another gate (409).
        public static let notWaiting = Code(value: .notWaiting)
        /// The step lists approvers and the caller is none of them (403).
        public static let notAnApprover = Code(value: .notAnApprover)
        /// The same identity already approved this gate; four eyes need another person (403).
        public static let alreadyDecided = Code(value: .alreadyDecided)
        /// Nobody approves a run they started by hand (403).
        public static let startedTheRun = Code(value: .startedTheRun)

        public var description: String { value.rawValue }

        /// The code named by its ``description``, as a store or a log keeps it.
        public init?(_ description: String) {
            guard let value = Value(rawValue: description) else { return nil }
            self.value = value
        }

        private init(value: Value) { self.value = value }

        /// The HTTP status the API answers with.
        public var httpStatus: Int {
            switch value {
            case .unknownStep: 404
            case .notWaiting: 409
            case .notAnApprover, .alreadyDecided, .startedTheRun: 403
            }
        }
    }

    public var code: Code
    /// The step the caller named.
    public var step: String
    /// The step that waits for a decision now, if any: what the caller should have named.
    public var waiting: String?
    public var message: String

    public init(code: Code, step: String, waiting: String?, message: String) {
        self.code = code
        self.step = step
        self.waiting = waiting
        self.message = message
    }

    public var description: String { message }
}
