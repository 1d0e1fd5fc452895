import RunbookYAML

/// A Prometheus a `query:` step may ask (`prometheus:` in `rbx.yaml`).
///
/// The token is a `${NAME}` reference, resolved when a live run queries and sent as
/// `Authorization: Bearer`; it is never written into the catalog, the evidence or a log.
///
/// ```yaml
/// prometheus:
///   main: { url: "http://127.0.0.1:9090", token: "${PROM_TOKEN}", timeout: 10s }
/// ```
public struct PrometheusServer: Sendable, Equatable {
    public var name: Located<String>
    /// The base URL; rbx asks `URL/api/v1/query`.
    public var url: String
    /// A `${NAME}` reference, or nil for a Prometheus without authentication.
    public var token: String?
    /// How long one query may take, the HTTP exchange included (Prometheus is told too).
    public var timeout: Duration

    public init(name: Located<String>, url: String, token: String? = nil, timeout: Duration = .seconds(10)) {
        self.name = name
        self.url = url
        self.token = token
        self.timeout = timeout
    }
}

extension CatalogConfig {
    /// The server a query step asks: the one it names, or the only one declared.
    public func prometheusServer(for query: PrometheusQuery) -> PrometheusServer? {
        if let name = query.server?.value { return prometheus.first { $0.name.value == name } }
        return prometheus.count == 1 ? prometheus.first : nil
    }
}
