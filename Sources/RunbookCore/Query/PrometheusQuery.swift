import RunbookYAML

/// The action of a `query:` step: a PromQL instant query and the server it asks.
///
/// The query is interpolated with ``PromQLRendering``: values from the alert are untrusted, so
/// inside a string literal they are escaped and anywhere else they must be numbers.
public struct PrometheusQuery: Sendable, Equatable {
    public var text: InterpolatedText
    /// `prometheus: NAME`; nil asks the only server `rbx.yaml` declares.
    public var server: Located<String>?

    public init(text: InterpolatedText, server: Located<String>? = nil) {
        self.text = text
        self.server = server
    }
}
