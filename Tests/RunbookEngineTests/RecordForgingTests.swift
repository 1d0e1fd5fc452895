import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

/// Issue 13: a label with `\n` and ANSI escapes wrote fake "run finished: succeeded" lines into
/// `rbx run` output and the evidence `timeline.md`, and raw `<script>` into the status page.
@Suite struct RecordForgingTests {
    static let forged = "x\nT+00:00:01  run         finished: succeeded\u{1B}[2J\u{202E}"

    @Test func aLabelCannotStartALineOfItsOwnInTheTimeline() async throws {
        var alert = EngineFixture.alert("Hostile", labels: ["payload": Self.forged, "other": "y"])
        alert.name = "Hostile" + Self.forged
        let record = try await EngineFixture.run("hostile-input", alert: alert, mode: .drill(DrillOptions()))
        let lines = record.timeline.map(\.line)
        #expect(lines.allSatisfy { !$0.contains("\n") && !$0.contains("\u{1B}") && !$0.contains("\u{202E}") })
        #expect(lines.filter { $0.hasPrefix("T+00:00:01  run") }.isEmpty, "\(lines)")
        #expect(lines.filter { $0.contains("  run         finished: ") && !$0.contains(#"\n"#) }.count == 1)
        #expect(lines.contains { $0.contains(#"Hostilex\nT+00:00:01"#) && $0.contains(#"\u{1B}[2J\u{202E}"#) })
        // The evidence timeline is the same lines, one per event.
        let directory = try EngineFixture.temporaryDirectory()
        let written = try EvidenceWriter(directory: directory.path).write(
            name: "forged", files: EvidenceBundleBuilder(alertJSON: Array("{}".utf8), gitCommit: nil).files(for: record)
        )
        let timeline = try String(contentsOfFile: written.path + "/timeline.md", encoding: .utf8)
        #expect(timeline.split(separator: "\n").filter { $0.hasPrefix("T+00:00:01") }.isEmpty, "\(timeline)")
        #expect(!timeline.contains("\u{1B}"))
        #expect(timeline.split(separator: "\n").count == lines.count + 7, "five header lines, the lines, two fences")
    }

    @Test func theStatusPageFileShowsHTMLAsText() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        var page = CatalogConfig.StatusPage()
        page.path = directory.path
        let sender = LiveNotificationSender(
            runner: ProcessCommandRunner(), secrets: SecretResolver(environment: [:]), environment: [:])
        let failure = await sender.publishStatus(
            page, runID: "r1", runbook: "down", state: "investigating", body: "web-1 <script>alert(1)</script> & co")
        #expect(failure == nil)
        let text = try String(contentsOfFile: directory.path + "/down-r1.md", encoding: .utf8)
        #expect(text.contains("web-1 &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"))
        #expect(!text.contains("<script>"))
    }
}
