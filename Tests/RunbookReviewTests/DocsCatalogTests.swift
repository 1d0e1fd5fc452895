import Foundation
import RunbookCore
import Testing

@testable import RunbookReview

/// `rbx docs` end to end, over the shipped example catalog and small fixtures.
@Suite struct DocsCatalogTests {
    @Test func everyRunbookOfTheExampleCatalogHasAPageThatTheIndexLinks() async throws {
        let catalog = try await CatalogLoader.load(directory: DocsTestSupport.exampleCatalog)
        #expect(!catalog.hasErrors)
        #expect(catalog.runbooks.count >= 13)
        let out = try DocsTestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try await DocsGeneration.generate(catalog: DocsTestSupport.exampleCatalog, out: out)
        guard case .written(let documentation, _) = result else {
            Issue.record("the example catalog was refused")
            return
        }
        #expect(documentation.runbookCount == catalog.runbooks.count)
        let index = try DocsTestSupport.read(out + "/index.md")
        let htmlIndex = try DocsTestSupport.read(out + "/html/index.html")
        for runbook in catalog.runbooks {
            let page = try DocsTestSupport.read(out + "/\(runbook.name).md")
            #expect(page.contains("# \(runbook.metadata.displayTitle)"))
            #expect(page.contains("`runbooks/\(runbook.name).yaml:"), "cites its YAML catalog-relative")
            #expect(index.contains("](\(runbook.name).md)"), "index.md links \(runbook.name)")
            #expect(htmlIndex.contains("href=\"\(runbook.name).html\""), "index.html links \(runbook.name)")
            #expect(FileManager.default.fileExists(atPath: out + "/html/\(runbook.name).html"))
        }
        for playbook in catalog.playbooks {
            #expect(FileManager.default.fileExists(atPath: out + "/playbooks/\(playbook.name).md"))
            #expect(FileManager.default.fileExists(atPath: out + "/html/playbooks/\(playbook.name).html"))
        }
        #expect(index.contains("### `InstanceDown`"))
        #expect(index.contains("### P1"))
    }

    @Test func exampleAlertIsUsedAndItsLabelsAppearInTheStatusMessages() async throws {
        let files = try await DocsTestSupport.render(DocsTestSupport.exampleCatalog)
        let page = try #require(files["instance-down.md"])
        #expect(page.contains("the example alert `examples/alerts/instance-down.json`"))
        let status = try #require(page.components(separatedBy: "## Status messages").last)
        #expect(status.contains("Affected: web-3.example.com · Severity: P1 · Reference: rehearsal"))
        #expect(
            page.contains("[`restart-container`](playbooks/restart-container.md)"),
            "a playbook call links the playbook's page")
    }

    @Test func escalationLadderIsATableOfAfterNotifyRepeat() async throws {
        let files = try await DocsTestSupport.render(ReviewFixtures.path("docs-basic"))
        let page = try #require(files["web-down.md"])
        #expect(page.contains("| after | notify | repeat | template | source |"))
        #expect(page.contains("| 5m | secondary-oncall | — | `page` | `runbooks/web-down.yaml:41` |"))
        #expect(page.contains("| 15m | team-lead | 30m | `page` | `runbooks/web-down.yaml:44` |"))
        #expect(
            page.contains("PAGE web-down: WebDown on web-42 is still open."),
            "the escalation page is rendered once for both rungs")
        #expect(page.contains("### Page at T+5m (secondary-oncall), T+15m (team-lead)"))
    }

    @Test func whenGuardIsADecisionDiamondWithTrueAndFalseEdges() async throws {
        let files = try await DocsTestSupport.render(ReviewFixtures.path("docs-basic"))
        let markdown = try #require(files["web-down.md"])
        let flow = try #require(DocsTestSupport.mermaid(in: markdown))
        #expect(flow.hasPrefix("flowchart TD\n"))
        #expect(flow.contains("  g1{\"when not steps.check.ok\"}\n  g1 -->|true| s1\n"))
        #expect(flow.contains("  g1 -->|false| s2\n"), "false skips to the next step")
        #expect(flow.contains("  s0 -->|ok or failed| g1\n"), "continue_on_error has no failure edge")
        #expect(flow.contains("  s1 -.->|\"fails\"| fail\n"))
        #expect(flow.contains("  s2 -->|\"every 10s until steps.verify.ok\"| s2\n"))
        #expect(flow.contains("e1[/\"T+15m: page team-lead, again every 30m\"/]"))
        let html = try #require(files["html/web-down.html"])
        #expect(html.contains("<pre class=\"mermaid\">flowchart TD\n"))
        #expect(html.contains("g1{&quot;when not steps.check.ok&quot;}"))
        // The same flow drawn as SVG, which the page's CSP lets render without a script.
        let svg = try #require(html.range(of: "<svg class=\"flow\"").map { String(html[$0.lowerBound...]) })
        #expect(svg.contains(">when not steps.check.ok</text>"), "the guard is a decision")
        #expect(svg.contains(">false</text>"), "with a false edge around its step")
        #expect(svg.contains("fails → run fails"), "a step that can stop the run says so")
        #expect(svg.contains("↻ every 10s until steps.verify.ok"))
        #expect(svg.contains(">T+15m: page team-lead, again every 30m</text>"))
        #expect(!svg.contains("style="), "colours are attributes, which a strict CSP allows")
    }

    @Test func statusMessageIsRenderedForTheFixtureExampleAlert() async throws {
        let files = try await DocsTestSupport.render(ReviewFixtures.path("docs-basic"))
        let page = try #require(files["web-down.md"])
        #expect(page.contains("```text\nInvestigating nginx.service on web-42 (P1).\n```"))
        #expect(page.contains("host=\"web-42\""))
        let html = try #require(files["html/web-down.html"])
        #expect(
            html.contains("<div class=\"message\"><p>Investigating nginx.service on web-42 (P1).</p></div>"),
            "HTML pages show status messages as rendered Markdown")
    }

    @Test func catalogTextIsEscapedInHTMLAndMarkdown() async throws {
        let files = try await DocsTestSupport.render(ReviewFixtures.path("docs-basic"))
        let html = try #require(files["html/web-down.html"])
        #expect(!html.contains("<script"), "no script element, from the catalog or from rbx")
        #expect(
            html.contains(
                "The web tier stopped answering &lt;script&gt;alert(1)&lt;/script&gt; | pipes [and](javascript:x)"))
        #expect(!html.contains("href=\"javascript:"))
        #expect(html.contains("<a href=\"https://wiki.example.com/web-down\">"))
        let markdown = try #require(files["web-down.md"])
        #expect(markdown.contains("\\<script\\>alert(1)\\</script\\> \\| pipes \\[and\\](javascript:x)"))
        #expect(!markdown.contains("and](javascript:"), "the bracket stays escaped, so no link")
    }

    @Test func twoRendersAreByteIdentical() async throws {
        let first = try await DocsTestSupport.render(DocsTestSupport.exampleCatalog)
        let second = try await DocsTestSupport.render(DocsTestSupport.exampleCatalog)
        #expect(first.keys.sorted() == second.keys.sorted())
        for (path, text) in first {
            #expect(second[path] == text, "\(path) differs between renders")
        }
    }

    @Test func catalogWithLintErrorsIsRefusedAndNothingIsWritten() async throws {
        let scratch = try DocsTestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let out = scratch + "/docs"
        let result = try await DocsGeneration.generate(catalog: ReviewFixtures.path("docs-lint-error"), out: out)
        guard case .lintErrors(let catalog) = result else {
            Issue.record("a catalog with lint errors was documented")
            return
        }
        let errors = catalog.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code) == ["unknown-key"])
        #expect(errors.first?.message == "unknown key \"timeot\" in step; did you mean \"timeout\"?")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func rewritingRemovesStalePagesButKeepsOtherFiles() async throws {
        let out = try DocsTestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try await DocsGeneration.generate(catalog: ReviewFixtures.path("docs-basic"), out: out)
        try "<!-- generated by rbx docs from runbooks/gone.yaml; edit the YAML, not this file -->\n".write(
            toFile: out + "/gone.md", atomically: true, encoding: .utf8)
        try "# Our on-call wiki\n".write(toFile: out + "/README.md", atomically: true, encoding: .utf8)
        let result = try await DocsGeneration.generate(catalog: ReviewFixtures.path("docs-basic"), out: out)
        guard case .written(_, let report) = result else {
            Issue.record("the fixture catalog was refused")
            return
        }
        #expect(report.removed == ["gone.md"])
        #expect(report.files.contains("html/playbooks/restart.html"))
        #expect(!FileManager.default.fileExists(atPath: out + "/gone.md"))
        #expect(FileManager.default.fileExists(atPath: out + "/README.md"))
    }

    @Test func missingCatalogDirectoryIsAFailureNotALintResult() async throws {
        await #expect(throws: DocsFailure.self) {
            _ = try await DocsGeneration.generate(catalog: "/nonexistent/rbx-catalog", out: "/tmp/unused")
        }
    }
}

/// What the docs say a `raise:` step's alert meets: decoded as intake decodes it, then routed.
struct DocsRaisedAlertTests {
    /// The example catalog with its detector's stale-backup alert written out in full (as it
    /// ships, one label comes from a query sample, and docs cannot know where that alert goes).
    private func render(severity: String) async throws -> String {
        let directory = try DocsTestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for item in ["rbx.yaml", "runbooks", "playbooks", "templates"] {
            try FileManager.default.copyItem(
                atPath: DocsTestSupport.exampleCatalog + "/" + item, toPath: directory + "/" + item)
        }
        let check = directory + "/runbooks/backup-freshness.yaml"
        try ReviewFixtures.edit(
            check, replacing: #"host: "{{ steps.age.samples[0].labels.host }}""#, with: "host: db-1")
        try ReviewFixtures.edit(
            check, replacing: #"summary: "No good backup of stanza main for {{ steps.age.value }} hours""#,
            with: "summary: No good backup of stanza main")
        try ReviewFixtures.edit(check, replacing: "severity: P2", with: "severity: \(severity)")
        let files = try await DocsTestSupport.render(directory)
        return try #require(files["backup-freshness.md"])
    }

    @Test func aRaisedAlertWrittenOutInFullNamesTheRunbookThatTakesIt() async throws {
        let page = try await render(severity: "P2")
        #expect(
            page.contains("routed like any posted alert; runbook `backup-failed` takes it"), "\(page.prefix(3_000))")
    }

    @Test func aSeverityTheRunbookDoesNotMatchRoutesItNowhere() async throws {
        // backup-failed matches P2 and P3 only: at P1 no runbook of the catalog takes BackupFailed.
        let page = try await render(severity: "P1")
        #expect(page.contains("routed like any posted alert"))
        #expect(!page.contains("posted alert; runbook"), "\(page.prefix(3_000))")
    }
}
