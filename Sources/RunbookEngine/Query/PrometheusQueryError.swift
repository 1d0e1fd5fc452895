/// Why a query got no result, in words a person on call can act on.
public struct PrometheusQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure: a struct over a private enum, so new cases break no caller.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String { case unreachable, http, timeout, tooLarge, malformed, prometheus }
        private let kind: Kind

        /// The server could not be reached (refused, DNS, TLS).
        public static let unreachable = Code(kind: .unreachable)
        /// An HTTP status other than 2xx with no Prometheus error body.
        public static let http = Code(kind: .http)
        public static let timeout = Code(kind: .timeout)
        /// The answer was larger than the size bound.
        public static let tooLarge = Code(kind: .tooLarge)
        /// Not the JSON of the Prometheus HTTP API.
        public static let malformed = Code(kind: .malformed)
        /// Prometheus answered `status: error` (a bad query, a timeout on its side).
        public static let prometheus = Code(kind: .prometheus)

        public var description: String { kind.rawValue }
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
