public import RunbookCore

/// A message on its way to a notifier.
public struct OutboundMessage: Sendable {
    public var notifier: CatalogConfig.Notifier
    public var kind: String
    public var body: String
    public var idempotencyKey: String
    public var runID: String
    public var runbook: String
    public var alert: Alert
    /// A second attempt of a delivery that may already have happened (rbx died between sending
    /// and recording it). Sinks that can tell skip it; the others get the same idempotency key.
    public var redelivery = false

    public init(
        notifier: CatalogConfig.Notifier, kind: String, body: String, idempotencyKey: String, runID: String,
        runbook: String, alert: Alert
    ) {
        self.notifier = notifier
        self.kind = kind
        self.body = body
        self.idempotencyKey = idempotencyKey
        self.runID = runID
        self.runbook = runbook
        self.alert = alert
    }
}

/// Delivers messages to the notifiers of `rbx.yaml`, or only records them.
public protocol NotificationSender: Sendable {
    /// - Returns: an error text when delivery failed (the run records it and goes on), else nil.
    func deliver(_ message: OutboundMessage) async -> String?
    /// Whether messages really leave rbx (false for dry runs and drills).
    var sends: Bool { get }
    /// Whether messages to `notifier` really leave rbx: a drill through a live server sends to
    /// notifiers marked `drill: deliver` only.
    func sends(to notifier: CatalogConfig.Notifier) -> Bool
    /// Publishes a status message to the status-page sink of `rbx.yaml`.
    /// - Returns: an error text when publishing failed, else nil.
    func publishStatus(
        _ page: CatalogConfig.StatusPage, runID: String, runbook: String, state: String, body: String
    ) async -> String?
}

extension NotificationSender {
    public func sends(to notifier: CatalogConfig.Notifier) -> Bool { sends }

    public func publishStatus(
        _ page: CatalogConfig.StatusPage, runID: String, runbook: String, state: String, body: String
    ) async -> String? {
        nil
    }
}

/// For dry runs and drills: nothing leaves rbx; the run records what would have been sent.
public struct RecordingNotificationSender: NotificationSender {
    public init() {}
    public var sends: Bool { false }
    public func deliver(_ message: OutboundMessage) async -> String? { nil }
}
