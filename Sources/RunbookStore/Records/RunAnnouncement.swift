public import RunbookLifecycle

/// What a timer firing or a resolution sent for a run outside the run's own task (the
/// scheduler, the API), kept so the run's evidence bundle holds every page and message, not
/// only those its steps sent.
public struct RunAnnouncement: Sendable, Equatable, Codable {
    public var notifications: [NotificationRecord]
    public var messages: [RenderedMessage]
    public var pages: [EscalationPage]

    public init(notifications: [NotificationRecord], messages: [RenderedMessage], pages: [EscalationPage]) {
        self.notifications = notifications
        self.messages = messages
        self.pages = pages
    }

    public var isEmpty: Bool { notifications.isEmpty && messages.isEmpty && pages.isEmpty }
}

/// Where a run's evidence bundle was written, and the SHA-256 of its manifest: what
/// `rbx evidence verify DIR --manifest-digest` checks the bundle against.
public struct StoredEvidence: Sendable, Equatable {
    public var path: String
    public var manifestDigest: String

    public init(path: String, manifestDigest: String) {
        self.path = path
        self.manifestDigest = manifestDigest
    }
}
