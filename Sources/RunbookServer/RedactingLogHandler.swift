public import Logging
public import RunbookEngine

/// Structured logs (`key=value` metadata) to stderr with secrets taken out: the API token,
/// `${NAME}` values and every `secrets.patterns` match, in messages and metadata alike.
public struct RedactingLogHandler: LogHandler {
    private var inner: StreamLogHandler
    private let redactor: Redactor

    public init(label: String, redactor: Redactor) {
        inner = StreamLogHandler.standardError(label: label)
        self.redactor = redactor
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = "\(redactor.redact(event.message.description))"
        event.metadata = event.metadata.map { $0.mapValues(redact) }
        inner.log(event: event)
    }

    private func redact(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(redactor.redact(text))
        case .stringConvertible(let item): .string(redactor.redact(item.description))
        case .array(let items): .array(items.map(redact))
        case .dictionary(let items): .dictionary(items.mapValues(redact))
        }
    }
}
