import RunbookCore
import RunbookEngine

/// A fire drill's messages (``AlertDrill``): recorded and not sent, except to notifiers marked
/// `drill: deliver`; the status page is never published to. The "[DRILL]" prefix is the
/// messenger's, so recorded and delivered messages carry it alike.
struct DrillNotificationSender: NotificationSender {
    let base: any NotificationSender

    var sends: Bool { false }

    func sends(to notifier: CatalogConfig.Notifier) -> Bool { base.sends && notifier.drill == .deliver }

    func deliver(_ message: OutboundMessage) async -> String? { await base.deliver(message) }
}
