import InMemoryLogging
import Logging
import RunbookCore
import RunbookYAML
import Testing

@testable import RunbookServer

@Suite struct DeliveryWarningTests {
    private func config(attempts: Int, timeout: Duration, claimLock: Duration) -> CatalogConfig {
        var config = CatalogConfig()
        config.delivery.attempts = attempts
        config.server.claimLock = claimLock
        let here = SourceLocation(file: "rbx.yaml", line: 1, column: 1)
        config.notifiers = [
            .init(name: Located("pager", at: here), kind: .webhook, url: "http://127.0.0.1:9/", timeout: timeout),
            .init(name: Located("log", at: here), kind: .file, path: "pages.log"),
        ]
        return config
    }

    private func warnings(_ config: CatalogConfig) -> [InMemoryLogHandler.Entry] {
        let memory = InMemoryLogHandler()
        ServerLauncher.warnAboutDeliveriesOutlastingClaims(config, logger: Logger(label: "test") { _ in memory })
        return memory.entries.filter { $0.level == .warning }
    }

    @Test func aPageWhoseRetriesOutlastHalfTheClaimLockIsWarnedAboutAtStart() {
        // 3 attempts of 10 s and 1 s + 2 s of backoff: 33 s, over half of a 30 s lock.
        let slow = warnings(config(attempts: 3, timeout: .seconds(10), claimLock: .seconds(30)))
        #expect(slow.count == 1)
        #expect(slow.first?.metadata["notifier"]?.description == "pager")
        #expect(slow.first?.metadata["longest"]?.description == "33s")
        #expect(warnings(config(attempts: 3, timeout: .seconds(3), claimLock: .seconds(30))).isEmpty)
        #expect(warnings(config(attempts: 3, timeout: .seconds(10), claimLock: .seconds(120))).isEmpty)
    }
}
