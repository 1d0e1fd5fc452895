public import RunbookCore

/// One instant query, ready to send: the server's address, the rendered PromQL, the resolved
/// token (never recorded) and the bounds on time and size.
public struct PrometheusRequest: Sendable {
    public var baseURL: String
    public var query: String
    /// The bearer token, resolved from its `${NAME}` reference; nil sends none.
    public var token: String?
    public var timeout: Duration
    /// A response body larger than this fails the query (`defaults.output_limit`).
    public var sizeLimit: Int

    public init(baseURL: String, query: String, token: String? = nil, timeout: Duration, sizeLimit: Int) {
        self.baseURL = baseURL
        self.query = query
        self.token = token
        self.timeout = timeout
        self.sizeLimit = sizeLimit
    }

    /// `BASE/api/v1/query`, without a doubled slash.
    public var endpoint: String {
        (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL) + "/api/v1/query"
    }
}

/// Asks Prometheus. The engine takes one, so tests can answer for Prometheus and the HTTP
/// client can change without touching the run.
///
/// A failed query is an error the run turns into a failed step (see ``PrometheusQueryError``),
/// never a crash or a guessed value.
public protocol PrometheusClient: Sendable {
    /// - Throws: ``PrometheusQueryError`` for an unreachable server, an HTTP error, a timeout,
    ///   an oversized or malformed answer, or Prometheus' own `status: error`.
    func instantQuery(_ request: PrometheusRequest) async throws(PrometheusQueryError) -> QueryResult
}
