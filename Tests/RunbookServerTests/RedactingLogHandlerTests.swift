import InMemoryLogging
import Logging
import RunbookCore
import RunbookEngine
import Testing

@testable import RunbookServer

@Suite struct RedactingLogHandlerTests {
    @Test func tokensAndPatternsAreTakenOutOfMessagesAndMetadata() {
        let memory = InMemoryLogHandler()
        let secrets = SharedRedactor()
        secrets.update { redactor in
            redactor = Redactor(patterns: ["password=[^ ]+"])
            redactor.add(secret: "tok-123456")
        }
        let logger = Logger(label: "test") { label in
            RedactingLogHandler(label: label, redactor: secrets, inner: memory)
        }
        logger.info(
            "token tok-123456 seen", metadata: ["url": "postgres://x?password=hunter2 end", "list": ["tok-123456"]])
        let entry = memory.entries.first
        #expect(entry?.message.description.contains("tok-123456") == false)
        #expect(entry?.metadata["url"]?.description.contains("hunter2") == false)
        #expect(entry?.metadata["list"]?.description.contains("tok-123456") == false)
        #expect(entry?.message.description.hasPrefix("token ") == true)
    }

    @Test func aLabelCannotForgeALogLine() {
        let memory = InMemoryLogHandler()
        let logger = Logger(label: "test") { label in
            RedactingLogHandler(label: label, redactor: SharedRedactor(), inner: memory)
        }
        let forged = "web-1\n2026-12-06T00:00:00+0000 info rbx.serve: run finished\u{1B}[2K"
        logger.info("alert received", metadata: ["alert.name": .string(forged), "n": .stringConvertible(forged)])
        let entry = memory.entries.first
        #expect(
            entry?.metadata["alert.name"]?.description
                == #"web-1\n2026-12-06T00:00:00+0000 info rbx.serve: run finished\u{1B}[2K"#)
        #expect(entry?.metadata["n"]?.description.contains("\n") == false)
    }
}
