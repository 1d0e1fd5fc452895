import Foundation
import Testing

/// The built binary, as scripts and CI see it: exact output and exit codes.
struct CLIBinaryTests {
    @Test("lint exits 1 and prints file:line:column with a suggestion for a broken catalog")
    func lintBrokenCatalog() async throws {
        let result = try await RbxBinary.run(["lint", "--catalog", RbxBinary.fixture("broken")])
        #expect(result.status == 1)
        let file = RbxBinary.fixture("broken") + "/runbooks/broken.yaml"
        #expect(
            result.stdout == """
                \(file):8:5: error: remediation step "fix" has no timeout; say how long a change may take before it is killed [remediation-timeout]
                \(file):11:5: error: unknown key "retires" in step; did you mean "retries"? [unknown-key]
                2 errors, 0 warnings in 1 runbook, 0 playbooks, 0 templates

                """)
    }

    @Test("lint of the shipped example catalog is clean")
    func lintExampleCatalog() async throws {
        let result = try await RbxBinary.run(["lint"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.hasPrefix("ok: "))
    }

    @Test(
        "usage errors exit 2",
        arguments: [
            ["lint", "--bogus"], ["lint", "--format", "xml"], ["match"], ["lint", "no/such/path"],
            ["lint", "--catalog", "/no/such/dir"],
        ])
    func usageErrors(_ arguments: [String]) async throws {
        let result = try await RbxBinary.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test("lint --format github prints workflow annotations")
    func githubFormat() async throws {
        let result = try await RbxBinary.run(["lint", "--catalog", RbxBinary.fixture("broken"), "--format", "github"])
        #expect(result.status == 1)
        #expect(
            result.stdout.contains(
                "::error file=\(RbxBinary.fixture("broken"))/runbooks/broken.yaml,line=11,col=5,title=rbx lint (unknown-key)::unknown key \"retires\" in step; did you mean \"retries\"?"
            ))
    }

    @Test("lint --format json is machine-readable")
    func jsonFormat() async throws {
        let result = try await RbxBinary.run(["lint", "--catalog", RbxBinary.fixture("broken"), "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let diagnostics = try #require(object?["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 2)
        #expect(diagnostics.first?["code"] as? String == "remediation-timeout")
        #expect(diagnostics.first?["step"] as? String == "fix")
        #expect(diagnostics.first?["line"] as? Int == 8)
    }

    @Test("lint --format sarif is SARIF 2.1.0 with one result per finding")
    func sarifFormat() async throws {
        let result = try await RbxBinary.run(["lint", "--catalog", RbxBinary.fixture("broken"), "--format", "sarif"])
        #expect(result.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["version"] as? String == "2.1.0")
        let runs = try #require(object?["runs"] as? [[String: Any]])
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        #expect(results.map { $0["ruleId"] as? String } == ["remediation-timeout", "unknown-key"])
        let location = (results.last?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        #expect((location?["region"] as? [String: Any])?["startLine"] as? Int == 11)
    }

    @Test("match names the winning runbook; an unmatched alert exits 1")
    func match() async throws {
        let matched = try await RbxBinary.run(["match", "--alert", "examples/alerts/instance-down.json"])
        #expect(matched.status == 0, "\(matched.stderr)")
        #expect(matched.stdout.contains("=> runbook instance-down "))
        let unmatched = try await RbxBinary.run(["match", "--alert", "examples/alerts/unmatched.json"])
        #expect(unmatched.status == 1)
        #expect(unmatched.stdout.contains("=> no runbook matches"))
    }

    @Test("match reads stdin and reports invalid alerts with the field, exit 2")
    func matchStdin() async throws {
        let ok = try await RbxBinary.run(
            ["match", "--alert", "-"],
            stdin:
                #"{"labels":{"alertname":"InstanceDown","severity":"critical","env":"prod","instance":"web-1:9100","job":"node"}}"#
        )
        #expect(ok.stdout.contains("alert InstanceDown"))
        let bad = try await RbxBinary.run(["match", "--alert", "-"], stdin: #"{"labels":{"alertname":5}}"#)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("labels.alertname: must be a string"))
    }

    @Test("schema prints JSON that names every kind")
    func schema() async throws {
        let result = try await RbxBinary.run(["schema"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let definitions = try #require(object?["definitions"] as? [String: Any])
        #expect(Set(["runbook", "playbook", "config", "step"]).isSubset(of: Set(definitions.keys)))
    }

    @Test("the committed schema file is what rbx schema prints")
    func committedSchema() async throws {
        let committed = try String(
            contentsOf: RbxBinary.repositoryRoot.appendingPathComponent("schema/rbx.schema.json"), encoding: .utf8)
        let result = try await RbxBinary.run(["schema"])
        #expect(committed == result.stdout, "run: rbx schema > schema/rbx.schema.json")
    }
}
