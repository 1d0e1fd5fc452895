import Foundation
import RunbookCore
import RunbookEngine
import RunbookYAML
import Testing

/// The file notifier: appends each message under a header with its idempotency key, and
/// skips a redelivery whose first attempt already reached the file.
struct FileNotifierTests {
    private func message(path: String, key: String, redelivery: Bool) -> OutboundMessage {
        let notifier = CatalogConfig.Notifier(
            name: Located("log", at: SourceLocationStub.location), kind: .file, path: path)
        var message = OutboundMessage(
            notifier: notifier, kind: "escalation", body: "web-1 is down", idempotencyKey: key, runID: "run-1",
            runbook: "host-down",
            alert: EngineFixture.alert("HostDown", labels: ["instance": "web-1"]))
        message.redelivery = redelivery
        return message
    }

    @Test func aRedeliveryOfAMessageAlreadyInTheFileIsSkipped() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-notify-\(UUID().uuidString).log")
            .path
        let sender = LiveNotificationSender(
            runner: ProcessCommandRunner(), secrets: SecretResolver(environment: [:]), environment: [:])
        #expect(await sender.deliver(message(path: path, key: "run-1/rung-1/0/log", redelivery: false)) == nil)
        #expect(await sender.deliver(message(path: path, key: "run-1/rung-1/0/log", redelivery: true)) == nil)
        // A redelivery that never reached the file goes out; a plain repeat is not second-guessed.
        #expect(await sender.deliver(message(path: path, key: "run-1/rung-2/0/log", redelivery: true)) == nil)
        #expect(await sender.deliver(message(path: path, key: "run-1/rung-2/0/log", redelivery: false)) == nil)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter {
            $0.hasPrefix("---")
        }
        #expect(
            lines == [
                "--- escalation run-1/rung-1/0/log", "--- escalation run-1/rung-2/0/log",
                "--- escalation run-1/rung-2/0/log",
            ])
    }
}
