import Foundation
import RunbookCore
import RunbookYAML
import Testing

/// Lint findings pinned to exact file:line:column and message, one fixture per class of problem.
struct CatalogLintTests {
    @Test("a YAML tag outside the core schema is a located error, not a silently run command")
    func pythonTagIsRefused() async throws {
        let found = try await TestCatalog.diagnostics(runbooks: ["python-tag.yaml"])
        #expect(
            found.contains {
                $0.hasPrefix(
                    "runbooks/python-tag.yaml:11:10: error: tag !!python/object/apply:os.system is not supported")
                    && $0.hasSuffix("[unsupported-tag]")
            }, "\(found)")
    }

    @Test("a valid runbook has no findings")
    func valid() async throws {
        #expect(try await TestCatalog.diagnostics(runbooks: ["valid.yaml"]) == [])
    }

    @Test("unknown playbooks, templates, notifiers, steps, outputs and fields; ladder order")
    func unknownReferences() async throws {
        let file = "runbooks/unknown-references.yaml"
        #expect(
            try await TestCatalog.diagnostics(runbooks: ["unknown-references.yaml"]) == [
                "\(file):10:20: error: alert has no field \"lables\"; did you mean \"labels\"? [unknown-reference]",
                "\(file):10:42: error: step \"later\" runs later; a step can only use the results of steps before it [unknown-reference]",
                "\(file):13:11: error: unknown step \"chek\"; did you mean \"check\"? [unknown-reference]",
                "\(file):13:29: error: step \"check\" declares no output \"size\"; declare it under outputs: [unknown-reference]",
                "\(file):14:11: error: unknown playbook \"restart-servic\"; did you mean \"restart-service\"? [unknown-playbook]",
                "\(file):18:14: error: unknown notifier \"on-call\"; did you mean \"oncall\"? [unknown-notifier]",
                "\(file):19:15: error: unknown template \"intial\"; expected templates/intial.mustache; did you mean \"initial\"? [unknown-template]",
                "\(file):23:5: error: escalation rung after 5m comes after a rung at 15m; order the ladder by time [escalation-order]",
            ])
    }

    @Test("schema and type errors: names, severities, regexes, durations, unknown keys, duplicates, booleans")
    func schemaErrors() async throws {
        let file = "runbooks/schema-errors.yaml"
        #expect(
            try await TestCatalog.diagnostics(runbooks: ["schema-errors.yaml"]) == [
                "\(file):4:9: error: metadata.name \"Schema_Errors\" is not a valid name; use lowercase letters, digits and hyphens (like disk-space-low) [name]",
                "\(file):6:13: error: severity \"P7\" is not on the ladder (P1, P2, P3, P4); did you mean \"P1\"?; this runbook could never match [never-matches]",
                "\(file):7:24: error: match.labels.alertname: invalid regular expression \"(unclosed\": missing ): (unclosed [regex]",
                "\(file):8:11: error: priority must be an integer, found \"high\" [type]",
                "\(file):9:11: error: cooldown: \"5 minutes\" is not a duration; write it like 30s, 5m, 1h30m or 250ms (units d, h, m, s, ms, largest first) [duration]",
                "\(file):14:5: error: unknown key \"timout\" in step; did you mean \"timeout\"? [unknown-key]",
                "\(file):15:5: error: remediation step \"check\" has no timeout; say how long a change may take before it is killed [remediation-timeout]",
                "\(file):15:9: error: step id \"check\" is already used at line 11 [duplicate-step]",
                "\(file):21:12: warning: step \"risky\" runs a shell script; prefer run: with an argv list (interpolated values are shell-quoted, but the script itself is code) [shell-step]",
                "\(file):22:24: error: continue_on_error must be true or false, found \"yes\" [type]",
            ])
    }

    @Test(
        "playbook calls: missing required input, unknown input, a literal that fails the pattern; expression errors point inside"
    )
    func playbookInputs() async throws {
        let file = "runbooks/playbook-inputs.yaml"
        #expect(
            try await TestCatalog.diagnostics(runbooks: ["playbook-inputs.yaml"]) == [
                "\(file):10:11: error: playbook \"restart-service\" requires input \"unit\"; add it under with: [missing-input]",
                "\(file):16:34: error: playbook \"restart-service\" has no input \"force\" [unknown-input]",
                "\(file):21:19: error: input \"unit\" value \"nginx; rm -rf /\" does not match pattern ^[a-z0-9@._-]+\\.service$ [input-value]",
                "\(file):25:31: error: when: expected an operand after \"and\" [expression]",
            ])
    }

    @Test("documents that are empty, not mappings, of the wrong kind, or can never match")
    func documentShapes() async throws {
        let diagnostics = try await TestCatalog.diagnostics(runbooks: [
            "sequence-root.yaml", "empty.yaml", "wrong-kind.yaml", "never-matches.yaml",
        ])
        #expect(
            diagnostics == [
                "runbooks/empty.yaml:1:1: error: file is empty; expected a mapping with apiVersion and kind [empty-document]",
                "runbooks/never-matches.yaml:6:11: error: match.source is an empty list; this runbook could never match [never-matches]",
                "runbooks/never-matches.yaml:7:13: error: match.severity \"< P4\" selects no level of the ladder; this runbook could never match [never-matches]",
                "runbooks/never-matches.yaml:11:19: warning: sh runs argv[2] as a shell script, and it interpolates a value; anyone who can fire an alert chooses its labels, and a label such as `x; rm -rf ~` or `$(curl …)` would run as a shell script. Instead, pass the value as a positional parameter after the script (sh -c 'df -- \"$1\"' sh \"{{…}}\") or use shell:, which quotes every value [code-evaluation]",
                "runbooks/never-matches.yaml:12:12: warning: step \"look\" polls until a condition without a timeout; it stops after defaults.step_timeout (5m) [until-without-timeout]",
                "runbooks/never-matches.yaml:16:5: error: \"run\" does not apply to a wait step [key-for-kind]",
                "runbooks/never-matches.yaml:20:25: error: environment variable \"SECRET_TOKEN\" is not in env.allow of rbx.yaml (HOME, PATH) [unknown-reference]",
                "runbooks/sequence-root.yaml:1:1: error: expected a mapping with apiVersion and kind, found a list [not-a-mapping]",
                "runbooks/wrong-kind.yaml:1:13: error: apiVersion \"rbx/v2\" is not supported; this rbx reads rbx/v1 [api-version]",
                "runbooks/wrong-kind.yaml:2:7: error: kind \"Playbook\" does not belong in runbooks/, which holds kind Runbook [kind]",
            ])
    }

    @Test("playbook cycles, input defaults, alert inside playbooks, and template problems")
    func playbooksAndTemplates() async throws {
        let directory = TestCatalog.fixtures.appendingPathComponent("catalogs/templates-and-cycles").path
        let catalog = try await CatalogLoader.load(directory: directory)
        let rendered = catalog.diagnostics.sortedByLocation().map {
            "\($0.description.replacingOccurrences(of: directory + "/", with: "")) [\($0.code)]"
        }
        #expect(
            rendered == [
                "playbooks/ping.yaml:3:19: error: playbooks call each other in a cycle: ping -> pong -> ping [playbook-cycle]",
                "playbooks/ping.yaml:5:41: warning: input \"host\" is required and has a default; the default is never used [required-with-default]",
                "playbooks/ping.yaml:6:27: error: default of input \"count\" must be an integer, got \"many\" [input-default]",
                "playbooks/ping.yaml:9:50: error: playbooks cannot see the alert; pass the value in through the caller's with: [unknown-reference]",
                "playbooks/ping.yaml:9:68: error: unknown input \"hots\"; did you mean \"host\"? [unknown-reference]",
                "templates/bad-root.mustache:1:20: error: template tag \"incident.id\" starts from \"incident\"; templates see alert, run, runbook and steps [template-reference]",
                "templates/bad-root.mustache:1:39: error: template tag \"runbok.owner\" starts from \"runbok\"; templates see alert, run, runbook and steps; did you mean \"runbook\"? [template-reference]",
                "templates/sections.mustache:1:100: error: template tag \"nope\" starts from \"nope\"; templates see alert, run, runbook and steps [template-reference]",
                "templates/unclosed.mustache:1:39: error: template \"unclosed\" does not parse: a section is closed with a different name than it was opened with [template-syntax]",
            ])
    }

    @Test("YAML errors surface as lint diagnostics with their location, alongside other files' findings")
    func yamlErrorsInCatalog() async throws {
        let directory = try TestCatalog.make(runbooks: ["valid.yaml"])
        defer { try? FileManager.default.removeItem(at: directory) }
        try "apiVersion: rbx/v1\nkind: Runbook\nkind: Runbook\n".write(
            to: directory.appendingPathComponent("runbooks/dup.yaml"), atomically: true, encoding: .utf8)
        try "apiVersion: rbx/v1\nkind: Config\nseverity:\n  levels: [SEV1, SEV2]\n  aliases: { critical: SEV0 }\n"
            .write(
                to: directory.appendingPathComponent("rbx.yaml"), atomically: true, encoding: .utf8)
        let catalog = try await CatalogLoader.load(directory: directory.path)
        let rendered = catalog.diagnostics.sortedByLocation().map {
            $0.description.replacingOccurrences(of: directory.path + "/", with: "")
        }
        #expect(
            rendered.contains(
                "rbx.yaml:5:24: error: alias \"critical\" points at \"SEV0\", which is not in severity.levels; did you mean \"SEV1\"?"
            ))
        #expect(
            rendered.contains(
                "runbooks/dup.yaml:3:1: error: duplicate key \"kind\" (first defined at line 2, column 1)"))
        // The valid runbook's ">= P2" is now off the ladder: every finding is reported, not just the first.
        #expect(
            rendered.contains {
                $0.hasPrefix("runbooks/valid.yaml:7:13: error: severity \"P2\" is not on the ladder (SEV1, SEV2)")
            })
    }

    @Test("delivery: a fallback that names no notifier, and an attempt budget below one, are located errors")
    func deliverySettings() async throws {
        let directory = try TestCatalog.make(runbooks: ["valid.yaml"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = """
            apiVersion: rbx/v1
            kind: Config
            notifiers:
              oncall: { type: file, path: var/pages.log }
            delivery:
              attempts: 0
              backoff: 2s
              fallback: on-call

            """
        try config.write(to: directory.appendingPathComponent("rbx.yaml"), atomically: true, encoding: .utf8)
        let catalog = try await CatalogLoader.load(directory: directory.path)
        let rendered = catalog.diagnostics.sortedByLocation().map {
            $0.description.replacingOccurrences(of: directory.path + "/", with: "")
        }
        #expect(rendered.contains { $0.hasPrefix("rbx.yaml:6:13: error: delivery.attempts") })
        #expect(rendered.contains("rbx.yaml:8:13: error: unknown notifier \"on-call\"; did you mean \"oncall\"?"))
        #expect(catalog.config.delivery.backoff == .seconds(2))
    }

    @Test("the design document's example catalog lints clean (until: ok, a remediation bounded by its playbook)")
    func designExample() async throws {
        let catalog = try await CatalogLoader.load(
            directory: TestCatalog.fixtures.appendingPathComponent("catalogs/design-example").path)
        #expect(catalog.diagnostics.map(\.description) == [])
        #expect(catalog.runbooks.first?.steps.last?.until?.expression.paths.map(\.components) == [["ok"]])
    }

    @Test("two runbooks or playbooks with one name: the later one in file order is reported, naming the first")
    func duplicateNames() async throws {
        let directory = try TestCatalog.make(runbooks: ["valid.yaml"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let runbook = try String(contentsOf: directory.appendingPathComponent("runbooks/valid.yaml"), encoding: .utf8)
        try runbook.write(
            to: directory.appendingPathComponent("runbooks/valid-copy.yaml"), atomically: true, encoding: .utf8)
        let playbook = try String(
            contentsOf: directory.appendingPathComponent("playbooks/restart-service.yaml"), encoding: .utf8)
        try playbook.write(
            to: directory.appendingPathComponent("playbooks/restart-service-copy.yaml"), atomically: true,
            encoding: .utf8)
        let catalog = try await CatalogLoader.load(directory: directory.path)
        let rendered = catalog.diagnostics.sortedByLocation().map {
            $0.description.replacingOccurrences(of: directory.path + "/", with: "")
        }
        #expect(
            rendered == [
                "playbooks/restart-service.yaml:4:9: error: playbook \"restart-service\" is already defined at playbooks/restart-service-copy.yaml:4:9",
                "runbooks/valid.yaml:4:9: error: runbook \"valid\" is already defined at runbooks/valid-copy.yaml:4:9",
            ])
    }

    @Test("a warning is suppressed only by a comment naming its code")
    func suppression() async throws {
        let directory = try TestCatalog.make(runbooks: [])
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        apiVersion: rbx/v1
        kind: Runbook
        metadata: { name: quiet }
        match: { labels: { alertname: Q } }
        steps:
          - id: a
            kind: diagnostic
            # rbx-lint: ignore=shell-step
            shell: "ps aux | head"
          - id: b
            kind: diagnostic
            shell: "ps aux | tail"  # rbx-lint: ignore=code-evaluation
        """.write(to: directory.appendingPathComponent("runbooks/quiet.yaml"), atomically: true, encoding: .utf8)
        let catalog = try await CatalogLoader.load(directory: directory.path)
        #expect(catalog.diagnostics.map(\.location.line) == [12])
    }
}
