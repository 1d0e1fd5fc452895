import Foundation
import RunbookCore
import RunbookYAML
import Testing

@testable import RunbookReview

/// `rbx import`: Markdown runbooks (fixtures in Fixtures/import) into skeletons that lint clean.
struct ImportTests {
    static let servers = ReviewFixtures.path("import/servers.md")
    static let databases = ReviewFixtures.path("import/databases.md")

    static func plan(
        _ paths: [String] = [servers, databases], config: CatalogConfig? = nil
    ) throws -> MarkdownImport.Plan {
        let documents = try paths.map { try MarkdownRunbookDocument.read(path: $0) }
        return MarkdownImport.plan(documents, config: config)
    }

    static func file(_ plan: MarkdownImport.Plan, _ path: String) throws -> String {
        try #require(plan.files.first { $0.path == path }?.contents, "no \(path) in \(plan.files.map(\.path))")
    }

    @Test(
        "every alert section becomes a runbook named after its alert; a section without one is named from its heading")
    func sectionsFound() throws {
        let report = try Self.plan().report
        #expect(
            report.runbooks.map(\.name) == [
                "instance-down", "high-cpu", "disk-full-on-log-volume", "postgres-replication-lag", "redis-memory-high",
            ])
        #expect(report.runbooks.map(\.severity) == ["P1", "P3", "P3", "P1", "P2"])
        #expect(report.runbooks.map(\.source).first == Self.servers + ":5")
        let disk = try #require(report.runbooks.first { $0.name == "disk-full-on-log-volume" })
        #expect(disk.alert == "DiskFullOnLogVolume")
        #expect(disk.review.contains { $0.kind == .guessedAlert })
        #expect(disk.review.contains { $0.kind == .guessedSeverity && $0.message == "severity \"SEV-2\" taken as P3" })
    }

    @Test(
        "plain commands become argv; pipes, variables, substitutions and globs become shell steps",
        arguments: [
            ("systemctl status nginx", ["systemctl", "status", "nginx"], nil),
            (
                "journalctl -u nginx --since \"10 min ago\"", ["journalctl", "-u", "nginx", "--since", "10 min ago"],
                nil
            ),
            ("psql -c 'SELECT 1' # trailing comment", ["psql", "-c", "SELECT 1"], nil),
            ("ping -c 3 $HOST", nil, "variable $HOST"),
            ("ps aux | grep nginx", nil, "a pipe"),
            ("kill -HUP $(pgrep gunicorn)", nil, "command substitution"),
            ("rm -rf /var/log/old/*.gz", nil, "a glob (*)"),
            ("make && make install", nil, "&&"),
            ("echo hi > /tmp/x", nil, "a redirect"),
            ("FOO=1 run-it", nil, "a variable assignment"),
            ("cd /srv", nil, "the shell built-in cd"),
        ] as [(String, [String]?, String?)])
    func classification(command: String, argv: [String]?, reason: String?) {
        let form = CommandClassifier.classify(command).form
        if let argv {
            #expect(form == .argv(argv))
        } else if case .shell(let reasons) = form {
            #expect(reasons.contains(reason!), "\(reasons)")
        } else {
            Issue.record("\(command) should need a shell, got \(form)")
        }
    }

    @Test(
        "destructive commands are recognised by their command words and SQL keywords",
        arguments: [
            ("sudo systemctl restart nginx", "restart"), ("rm -rf /tmp/x", "rm"),
            ("kubectl delete pod web-1", "delete"), ("ps aux | xargs kill", "kill"),
            ("psql -c \"DROP TABLE x\"", "DROP"), ("redis-cli FLUSHALL", "FLUSHALL"),
            ("kubectl scale deploy/web --replicas=0", "--replicas=0"), ("sudo reboot", "reboot"),
            ("truncate -s 0 /var/log/big.log", "truncate"),
            ("systemctl status nginx", nil), ("kubectl scale deploy/web --replicas=3", nil),
            ("df -h /var/log", nil),
        ] as [(String, String?)])
    func destructive(command: String, word: String?) {
        #expect(CommandClassifier.classify(command).destructive == word)
    }

    @Test("escalation sentences become rungs; the others are reported unparsed")
    func escalationSentences() {
        let result = EscalationSentenceParser.parse([
            .init(
                text: "If not recovered in 5 min → Page secondary. After 15 minutes, page the engineering manager.",
                line: 3),
            .init(text: "Page the DBA on-call after 10 min; after 1 hour page incident commander.", line: 4),
            .init(text: "Call the vendor if the data center is on fire.", line: 5),
        ])
        #expect(result.rungs.map(\.after) == [300, 900, 600, 3600])
        #expect(
            result.rungs.map(\.target) == ["secondary", "engineering manager", "dba on-call", "incident commander"])
        #expect(result.unparsed == [.init(line: 5, sentence: "Call the vendor if the data center is on fire")])
    }

    @Test("a destructive command is a remediation with a timeout behind an approval step")
    func destructiveSteps() throws {
        let yaml = try Self.file(Self.plan([Self.servers]), "runbooks/instance-down.yaml")
        #expect(
            yaml.contains(
                """
                  # from servers.md:22 (destructive: restart)
                  - id: approve_systemctl_restart_nginx
                    name: "Approve: sudo systemctl restart nginx"
                    kind: approval
                    message: "Run `sudo systemctl restart nginx` (servers.md:22)?"
                    timeout: 15m
                    on_timeout: deny
                  # from servers.md:22
                  - id: systemctl_restart_nginx
                    name: "sudo systemctl restart nginx"
                    kind: remediation
                    run: [sudo, systemctl, restart, nginx]
                    timeout: 5m  # a guess: how long may it take?
                """), "\(yaml)")
        #expect(yaml.contains("    shell: \"ping -c 3 $HOST\""))
        #expect(yaml.contains("    name: \"Does the host answer at all?\""))
    }

    @Test("the escalation ladder pages the declared notifiers at the times the sentences give")
    func ladder() throws {
        var config = CatalogConfig()
        config.notifiers = ["secondary-oncall", "engineering-manager", "team-lead", "dba-oncall"].map {
            CatalogConfig.Notifier(
                name: Located($0, at: SourceLocation(file: "rbx.yaml", line: 1, column: 1)), kind: .file,
                path: "var/\($0).log")
        }
        let plan = try Self.plan(config: config)
        let yaml = try Self.file(plan, "runbooks/instance-down.yaml")
        #expect(yaml.contains("  - after: 5m\n    notify: [secondary-oncall]\n"))
        #expect(yaml.contains("  - after: 15m\n    notify: [engineering-manager]\n"))
        let postgres = try Self.file(plan, "runbooks/postgres-replication-lag.yaml")
        #expect(postgres.contains("  - after: 10m\n    notify: [dba-oncall]\n"))
        #expect(postgres.contains("  # - after: 1h\n  #   notify: [incident-commander]\n"))
        let review = plan.report.runbooks.flatMap(\.review)
        #expect(review.contains { $0.kind == .unknownNotifier && $0.message.contains("incident commander") })
        #expect(
            review.contains {
                $0.kind == .guessedNotifier && $0.message == "\"secondary\" taken as notifier secondary-oncall"
            })
        #expect(!plan.files.contains { $0.path == "rbx.yaml" })
    }

    @Test("the communication template is written under templates/ with its placeholders mapped and reported")
    func template() throws {
        let plan = try Self.plan([Self.servers])
        let template = try Self.file(plan, "templates/instance-down-status.mustache")
        #expect(
            template
                == "We are investigating {{alert.labels.service}} being down since {{alert.startsAt}}. "
                + "Next update in [ETA].\n")
        let review = try #require(plan.report.runbooks.first).review.filter { $0.kind == .placeholder }
        #expect(review.map(\.message).contains("[ETA] is left as text for a person to fill in"))
        #expect(
            review.map(\.message).contains("{{service}} became {{alert.labels.service}}; check the alert carries it"))
    }

    @Test("the written catalog loads and lints with zero errors through the real loader")
    func lintsClean() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-import-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let report = try await MarkdownImport.run(files: [Self.servers, Self.databases], outputDirectory: directory)
        #expect(report.files.contains("rbx.yaml"))
        #expect(FileManager.default.fileExists(atPath: directory + "/templates/instance-down-status.mustache"))
        let catalog = try await CatalogLoader.load(directory: directory)
        let errors = catalog.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))")
        #expect(catalog.lintRefusal == nil)
        #expect(catalog.runbooks.count == 5)
        let instanceDown = try #require(catalog.runbooks.first { $0.metadata.name.value == "instance-down" })
        #expect(instanceDown.escalation.count == 2)
        #expect(catalog.diagnostics.contains { $0.code == "shell-step" })
    }

    @Test("the report lists shell steps, approvals, unparsed sentences and skipped blocks per runbook")
    func reportContents() throws {
        let report = try Self.plan().report
        let text = report.text()
        #expect(text.contains("\(Self.servers):5: instance-down (InstanceDown, P1) -> runbooks/instance-down.yaml"))
        #expect(
            text.contains(
                "review: \(Self.servers):26: unparsed-escalation: not understood as \"after N minutes, page X\": "
                    + "\"Call the vendor if the data center is on fire\""))
        let redis = try #require(report.runbooks.first { $0.name == "redis-memory-high" })
        #expect(redis.review.map(\.kind).contains(.skippedBlock))
        #expect(redis.approvals == 1)
        let cpu = try #require(report.runbooks.first { $0.name == "high-cpu" })
        #expect((cpu.steps, cpu.argvSteps, cpu.shellSteps, cpu.approvals) == (7, 3, 2, 2))
        let json = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
        #expect((json?["runbooks"] as? [Any])?.count == 5)
    }

    @Test("existing files are not overwritten without force; nothing is written then")
    func refusesOverwrite() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-import-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/runbooks", withIntermediateDirectories: true)
        try "keep".write(toFile: directory + "/runbooks/high-cpu.yaml", atomically: true, encoding: .utf8)
        await #expect(throws: ImportError.self) {
            try await MarkdownImport.run(files: [Self.servers], outputDirectory: directory)
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/runbooks/instance-down.yaml"))
        _ = try await MarkdownImport.run(files: [Self.servers], outputDirectory: directory, force: true)
        #expect(try String(contentsOfFile: directory + "/runbooks/high-cpu.yaml", encoding: .utf8) != "keep")
    }

    @Test("input that is too large or not UTF-8 is refused with its position")
    func badInput() throws {
        #expect(throws: ImportError.self) {
            try MarkdownRunbookDocument.read(path: "/no/such/file.md")
        }
        let error = #expect(throws: ImportError.self) {
            try MarkdownRunbookDocument.decode(Array("# T\nok\nab\u{FF}".utf8) + [0xFF], file: "x.md")
        }
        #expect(error?.description == "x.md:3:4: error: invalid UTF-8; save the file as UTF-8")
        let big = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-import-big-\(UUID()).md").path
        defer { try? FileManager.default.removeItem(atPath: big) }
        try Data(repeating: 0x61, count: MarkdownRunbookDocument.maximumBytes + 1).write(to: URL(fileURLWithPath: big))
        let tooLarge = #expect(throws: ImportError.self) { try MarkdownRunbookDocument.read(path: big) }
        #expect(tooLarge?.code == .tooLarge)
    }

    @Test("arbitrary text never crashes the importer")
    func neverCrashes() {
        let inputs = [
            "", "```", "## x\n**Alert:**\n```bash\n", "# a\n## b\n### c\n```console\n$\n$ \\\n", "{{{{}}}}",
            "## T\nAlert: X\nEscalation: after 999999999999 minutes page\n", "## T\nAlert: X\n```\nfor x in y; do\n",
            "## T\n**Alert:** A\nCommunication template:\n```\n{{#x}} {{ }} {{a.b}} {{\n```\n",
        ]
        for input in inputs {
            let plan = MarkdownImport.plan([MarkdownRunbookDocument(file: "f.md", text: input)], config: nil)
            #expect(plan.files.count >= 0)
        }
    }
}
