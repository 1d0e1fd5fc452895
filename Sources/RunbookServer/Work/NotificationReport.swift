import Logging
import RunbookEngine
import RunbookLifecycle

/// Makes every notification a run sent visible: counted by notifier and outcome, and logged
/// with the run, the timer and the notifier, so a page that failed is never only a timeline line.
struct NotificationReport {
    var dependencies: ServerDependencies

    func report(_ notifications: [NotificationRecord], runID: String, timer: String?) {
        for notification in notifications {
            dependencies.metrics.notification(notifier: notification.notifier, delivered: notification.delivered)
            var metadata: Logger.Metadata = [
                "run.id": .string(runID), "notifier": .string(notification.notifier),
                "kind": .string(notification.kind),
                "idempotency_key": .string(notification.idempotencyKey),
                "attempts": .stringConvertible(notification.attempts),
            ]
            if let timer { metadata["timer"] = .string(timer) }
            if notification.delivered {
                dependencies.logger.info("notification delivered", metadata: metadata)
            } else {
                metadata["error"] = .string(notification.error ?? "not sent")
                dependencies.logger.error("notification failed", metadata: metadata)
            }
        }
    }
}
