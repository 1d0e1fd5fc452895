import Foundation
import RunbookCore
import RunbookYAML
import Testing

@testable import RunbookReview

/// `rbx diff` on real git repositories: the fixture catalog committed, then changed and
/// committed again, compared by revision exactly as the CLI does.
@Suite struct CatalogDiffTests {
    @Test func behaviourChangesAreFoundWithBothLocations() async throws {
        let repository = try GitRepository(fixture: "diff-base")
        try repository.edit("runbooks/high-cpu.yaml", "  severity: \">= P2\"", "  severity: \">= P3\"")
        try repository.edit("runbooks/high-cpu.yaml", "    run: [top, -b, -n, \"1\"]", "    run: [top, -b, -n, \"2\"]")
        try repository.edit("runbooks/high-cpu.yaml", "  - after: 30m\n", "  - after: 45m\n")
        try repository.edit("runbooks/high-cpu.yaml", "    when: steps.top.ok\n", "")
        try repository.edit(
            "runbooks/disk-full.yaml", "steps:\n",
            "steps:\n  - id: clean\n    kind: remediation\n    run: [journalctl, --vacuum-size=500M]\n    timeout: 1m\n"
        )
        try repository.commit("tune high-cpu, clean journals")
        let report = try await repository.diff("HEAD~1", "HEAD")

        #expect(report.runbooks.map(\.name) == ["disk-full", "high-cpu"])
        let cpu = try #require(report.runbooks.first { $0.name == "high-cpu" })
        #expect(cpu.risk == .high)
        let messages = cpu.findings.map(\.message)
        #expect(messages.contains("lead is now paged after 45m instead of 30m"))
        #expect(messages.contains("match.severity is >= P3 (before: >= P2)"))
        #expect(messages.contains("step restart now always runs (before: only when steps.top.ok)"))
        let argv = try #require(cpu.findings.first { $0.message == "step top command changed" })
        #expect(argv.detail == [#"before: ["top", "-b", "-n", "1"]"#, #"after:  ["top", "-b", "-n", "2"]"#])
        #expect(argv.base?.line == 12 && argv.head?.line == 12)
        let routing = try #require(cpu.findings.first { $0.area == .routing })
        #expect(routing.message.contains("now run high-cpu; before: no runbook"))
        #expect(routing.message.contains("severity P3"))
        let ladder = try #require(cpu.findings.first { $0.area == .escalation })
        #expect(ladder.risk == .high && ladder.base?.line == 24 && ladder.head?.line == 23)

        let disk = try #require(report.runbooks.first { $0.name == "disk-full" })
        let added = try #require(disk.findings.first)
        #expect(added.message == #"new remediation step clean: ["journalctl", "--vacuum-size=500M"]"#)
        #expect(added.risk == .high && added.base == nil && added.head?.line == 9)
        #expect(disk.findings.contains { $0.message.hasPrefix("steps run in a different order") } == false)

        let text = DiffRenderer.render(report, format: .text)
        #expect(text.contains("runbooks/high-cpu.yaml:24 → runbooks/high-cpu.yaml:23"))
        #expect(!text.contains(repository.directory))
        let markdown = DiffRenderer.render(report, format: .markdown)
        #expect(markdown.contains("| `high-cpu` | modified | 🔴 high |"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(DiffRenderer.render(report, format: .json).utf8))
                as? [String: Any])
        #expect(json["changed"] as? Bool == true && json["risk"] as? String == "high")
    }

    @Test func aPolicyChangeInRbxYamlIsReportedInEveryRunbookThatFollowsIt() async throws {
        let repository = try GitRepository(fixture: "diff-base")
        let policy = """
            escalation:
              policies:
                paging:
                  rungs:
                    - {after: 15m, notify: [secondary]}
                    - {after: 30m, notify: [lead], repeat: 1h}

            """
        try repository.write(
            "rbx.yaml", try String(contentsOfFile: repository.directory + "/rbx.yaml", encoding: .utf8) + policy)
        for file in ["runbooks/high-cpu.yaml", "runbooks/disk-full.yaml"] {
            let text = try String(contentsOfFile: repository.directory + "/" + file, encoding: .utf8)
            let start = try #require(text.range(of: "escalation:\n"))
            let end = text.range(of: "status:", range: start.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
            try repository.write(
                file, text.replacingCharacters(in: start.lowerBound..<end, with: "escalation: {policy: paging}\n"))
        }
        try repository.commit("share one ladder")
        try repository.edit(
            "rbx.yaml", "{after: 30m, notify: [lead], repeat: 1h}", "{after: 20m, notify: [lead], repeat: 1h}")
        try repository.edit(
            "rbx.yaml", "repeat: 1h}\n",
            "repeat: 1h}\n        - {after: 1h, notify: [chat], when: 'alert.severity == \"P1\"'}\n")
        try repository.commit("page the lead sooner, and the channel for P1")
        let report = try await repository.diff("HEAD~1", "HEAD")

        #expect(report.runbooks.map(\.name) == ["disk-full", "high-cpu"])
        for runbook in report.runbooks {
            let messages = runbook.findings.filter { $0.area == .escalation }.map(\.message)
            #expect(
                messages.sorted() == [
                    "chat is now paged after 1h when alert.severity == \"P1\" (before: never)",
                    "lead is now paged after 20m instead of 30m",
                ], "\(runbook.name): \(messages)")
            let lead = try #require(runbook.findings.first { $0.message.hasPrefix("lead") })
            #expect(lead.head?.file.hasSuffix("rbx.yaml") == true)
        }
    }

    @Test func structuredOutputsAndExpressionsAreComparedByMeaning() async throws {
        let repository = try GitRepository(fixture: "diff-base")
        try repository.edit(
            "runbooks/high-cpu.yaml", "    run: [top, -b, -n, \"1\"]\n",
            "    run: [top, -b, -n, \"1\"]\n    outputs:\n      load: '(\\d+)'\n")
        try repository.edit(
            "runbooks/high-cpu.yaml", "    when: steps.top.ok\n", "    when: steps.top.outputs.load>(2*3)\n")
        try repository.commit("extract the load")
        try repository.edit(
            "runbooks/high-cpu.yaml", "      load: '(\\d+)'\n", "      load: {json: .load, from: stderr}\n")
        try repository.edit(
            "runbooks/high-cpu.yaml", "    when: steps.top.outputs.load>(2*3)\n",
            "    when: steps.top.outputs.load > 2 * 3  # same meaning, other spelling\n")
        try repository.commit("read the load as JSON")
        let report = try await repository.diff("HEAD~1", "HEAD")
        let cpu = try #require(report.runbooks.first { $0.name == "high-cpu" })
        let outputs = try #require(cpu.findings.first { $0.message == "step top extracts different outputs" })
        #expect(outputs.detail == [#"before: load=(\d+)"#, "after:  load={json: .load, from: stderr}"])
        #expect(!cpu.findings.contains { $0.message.contains("step restart now runs") })
    }

    @Test func cleanupStepsAndWorkdirAreReviewedLikeSteps() async throws {
        let repository = try GitRepository(fixture: "diff-base")
        try repository.edit(
            "runbooks/high-cpu.yaml", "escalation:\n",
            "finally:\n  - id: undrain\n    kind: remediation\n    run: [drain, --undo]\n    timeout: 1m\nescalation:\n"
        )
        try repository.edit(
            "runbooks/high-cpu.yaml", "    run: [top, -b, -n, \"1\"]\n",
            "    run: [top, -b, -n, \"1\"]\n    workdir: /srv\n")
        try repository.commit("undrain at the end")
        let report = try await repository.diff("HEAD~1", "HEAD")
        let cpu = try #require(report.runbooks.first { $0.name == "high-cpu" })
        let messages = cpu.findings.map(\.message)
        #expect(messages.contains(#"new remediation finally step undrain: ["drain", "--undo"]"#), "\(messages)")
        #expect(messages.contains("step top runs in /srv (before: rbx's directory)"), "\(messages)")
    }

    @Test func optingAStepIntoLeadingDashValuesIsAHighRiskChange() async throws {
        let repository = try GitRepository(fixture: "diff-base")
        try repository.edit(
            "runbooks/high-cpu.yaml", "    run: [top, -b, -n, \"1\"]\n",
            "    run: [top, -b, -n, \"1\"]\n    allow_leading_dash: true\n")
        try repository.commit("let top take options from labels")
        let report = try await repository.diff("HEAD~1", "HEAD")
        let finding = try #require(report.runbooks.first?.findings.first)
        #expect(finding.message == "step top now passes interpolated values that begin with - (allow_leading_dash)")
        #expect(finding.risk == .high)
    }

    @Test func reformattedYAMLIsNoBehaviourChange() async throws {
        let repository = try GitRepository(fixture: "diff-base")
        try repository.write(
            "runbooks/high-cpu.yaml",
            """
            # the same runbook: keys reordered, flow style, comments, an anchor, other quoting
            kind: Runbook
            apiVersion: 'rbx/v1'
            metadata: {title: High CPU, name: high-cpu}
            status:
              on_start: {notify: [chat], state: investigating, template: incident}
            escalation:
              - {notify: [secondary], after: 15m}
              - {repeat: 1h, notify: [lead], after: 30m}
            steps:
              - {id: top, run: [top, '-b', '-n', '1'], kind: diagnostic}
              - id: restart
                with: {service: '{{alert.labels.service}}'}
                uses: restart-service
                when: "steps.top.ok"   # unchanged guard
                kind: remediation
            match:
              labels: {env: "=~prod|staging", alertname: &name HighCPU}
              severity: '>= P2'

            """)
        try repository.commit("reformat")
        let report = try await repository.diff("HEAD~1", "HEAD")
        #expect(!report.changed, "\(report.runbooks.flatMap(\.findings).map(\.message))")
        #expect(report.summary.hasPrefix("no behaviour change"))
    }

    @Test func aPlaybookOrTemplateChangeIsShownInEveryRunbookUsingIt() async throws {
        let repository = try GitRepository(fixture: "diff-base")
        try repository.edit("playbooks/restart-service.yaml", "[systemctl, restart,", "[systemctl, try-restart,")
        try repository.edit("templates/incident.mustache", "every 15 minutes", "every 30 minutes")
        try repository.commit("gentler restarts")
        let report = try await repository.diff("HEAD~1", "HEAD")
        for name in ["disk-full", "high-cpu"] {
            let runbook = try #require(report.runbooks.first { $0.name == name })
            #expect(
                runbook.findings.contains {
                    $0.message == "via step restart: playbook restart-service step restart command changed"
                        && $0.area == .playbook
                })
        }
        let cpu = try #require(report.runbooks.first { $0.name == "high-cpu" })
        let text = try #require(
            cpu.findings.first { $0.message.hasPrefix("on_start (template incident) text changed") })
        #expect(
            text.detail == [
                "- We will update this page every 15 minutes.", "+ We will update this page every 30 minutes.",
            ])
        #expect(report.runbooks.first { $0.name == "disk-full" }?.findings.contains { $0.area == .status } == false)
    }

    @Test func aChangedQueryAndAChangedPrometheusAreShown() async throws {
        let repository = try GitRepository(fixture: "diff-base")
        try repository.edit(
            "rbx.yaml", "notifiers:\n", "prometheus:\n  main: {url: \"http://prom:9090\"}\nnotifiers:\n")
        try repository.edit(
            "runbooks/high-cpu.yaml", "steps:\n",
            "steps:\n  - id: load\n    kind: diagnostic\n    query: 'node_load1{instance=\"{{alert.labels.instance}}\"}'\n"
        )
        try repository.commit("ask Prometheus for the load")
        try repository.edit("rbx.yaml", "http://prom:9090\"", "http://prom-2:9090\", token: \"${PROM_TOKEN}\"")
        try repository.edit("runbooks/high-cpu.yaml", "'node_load1{", "'node_load5{")
        try repository.commit("another Prometheus, another query")
        let report = try await repository.diff("HEAD~1", "HEAD")
        let cpu = try #require(report.runbooks.first { $0.name == "high-cpu" })
        let query = try #require(cpu.findings.first { $0.message == "step load query changed" })
        #expect(
            query.detail == [
                #"before: query (the only prometheus): node_load1{instance="{{alert.labels.instance}}"}"#,
                #"after:  query (the only prometheus): node_load5{instance="{{alert.labels.instance}}"}"#,
            ])
        #expect(
            report.catalogFindings.map(\.message).contains(
                "prometheus main is http://prom-2:9090 with token ${PROM_TOKEN}, timeout 10s (before: http://prom:9090, "
                    + "timeout 10s): query steps that ask it may see other values"), "\(report.catalogFindings)")
    }

    @Test func removedRunbooksAndNotifiersAreHighRisk() async throws {
        let repository = try GitRepository(fixture: "diff-base")
        try FileManager.default.removeItem(atPath: repository.directory + "/runbooks/disk-full.yaml")
        try repository.commit("drop disk-full")
        let report = try await repository.diff("HEAD~1", "HEAD")
        let removed = try #require(report.runbooks.first)
        #expect(removed.change == .removed && removed.risk == .high)
        #expect(
            removed.findings.contains {
                $0.area == .routing && $0.message.contains("now run no runbook; before: disk-full")
            })
    }

    @Test func theWorkTreeIsTheDefaultHeadAndBadRevisionsAreUsageErrors() async throws {
        let repository = try GitRepository(fixture: "diff-base")
        try repository.edit("runbooks/disk-full.yaml", "after: 20m", "after: 10m")
        let report = try await repository.diff("HEAD", nil)
        #expect(report.headLabel == "work tree")
        #expect(report.runbooks.first?.findings.first?.message == "secondary is now paged after 10m instead of 20m")
        #expect(report.runbooks.first?.risk == .low)
        #expect(throws: DiffError.self) { try CatalogSnapshot.make("no-such-branch", catalog: repository.directory) }
    }
}

/// A throwaway git repository holding a copy of a fixture catalog as its first commit.
struct GitRepository {
    let directory: String

    init(fixture: String) throws {
        directory = try ReviewFixtures.copy(fixture)
        try git("init", "-q")
        try commit("catalog")
    }

    func edit(_ file: String, _ old: String, _ new: String) throws {
        try ReviewFixtures.edit(directory + "/" + file, replacing: old, with: new)
    }

    func write(_ file: String, _ text: String) throws {
        try text.write(toFile: directory + "/" + file, atomically: true, encoding: .utf8)
    }

    func commit(_ message: String) throws {
        try git("add", "-A")
        try git("-c", "user.name=rbx tests", "-c", "user.email=tests@rbx.invalid", "commit", "-q", "-m", message)
    }

    func diff(_ base: String, _ head: String?) async throws -> CatalogDiffReport {
        let old = try CatalogSnapshot.make(base, catalog: directory)
        let new = try CatalogSnapshot.make(head, catalog: directory)
        defer {
            old.remove()
            new.remove()
        }
        let baseCatalog = try await CatalogLoader.load(directory: old.root)
        let headCatalog = try await CatalogLoader.load(directory: new.root)
        #expect(
            !baseCatalog.hasErrors && !headCatalog.hasErrors, "\(baseCatalog.diagnostics + headCatalog.diagnostics)")
        return await CatalogDiffer(base: baseCatalog, head: headCatalog).diff(
            baseLabel: old.label, headLabel: new.label)
    }

    private func git(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ReviewFixtures.EditError(file: directory, text: "git \(arguments.joined(separator: " ")) failed")
        }
    }
}
