public import Logging
public import RunbookCore
import Synchronization

/// The redactor logs use, shared so it can learn the catalog's patterns and the API token
/// after logging has started (the catalog is loaded by then-running code).
public final class SharedRedactor: Sendable {
    private let current: Mutex<Redactor>

    public init(_ redactor: Redactor = Redactor()) { current = Mutex(redactor) }

    public func update(_ change: (inout Redactor) -> Void) { current.withLock { change(&$0) } }

    public func redact(_ text: String) -> String { current.withLock { $0.redact(text) } }
}

/// Structured logs (`key=value` metadata) to stderr with secrets taken out: the API token,
/// `${NAME}` values and every `secrets.patterns` match, in messages and metadata alike.
public struct RedactingLogHandler: LogHandler {
    private var inner: any LogHandler
    private let redactor: SharedRedactor

    /// Wraps `inner` (by default key=value lines on stderr).
    public init(label: String, redactor: SharedRedactor, inner: (any LogHandler)? = nil) {
        self.inner = inner ?? StreamLogHandler.standardError(label: label)
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
        event.message = "\(ControlText.escape(redactor.redact(event.message.description)))"
        event.metadata = event.metadata.map { $0.mapValues(redact) }
        inner.log(event: event)
    }

    private func redact(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(ControlText.escape(redactor.redact(text)))
        case .stringConvertible(let item): .string(ControlText.escape(redactor.redact(item.description)))
        case .array(let items): .array(items.map(redact))
        case .dictionary(let items): .dictionary(items.mapValues(redact))
        }
    }
}
