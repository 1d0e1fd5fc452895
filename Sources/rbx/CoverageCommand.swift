import ArgumentParser
import Foundation
import RunbookCore
import RunbookReview

struct CoverageCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Check Prometheus alerting rules against the catalog: what fires with no runbook.",
        discussion: """
            Reads Prometheus rule files (the files Prometheus' rule_files: names) and puts each
            alerting rule's alerts through rbx's own intake and matcher, with the labels the rule
            fixes: alertname, its labels:, and what its expression keeps (the by (...) labels of
            an aggregation, a selector's label="value" matchers). It reports:

              - rules no runbook handles (error);
              - runbooks written for a rule's alert that need a label the rule never sets
                (error), e.g. a runbook matching env when the rule's sum by (service) drops env;
              - runbooks no rule in the files can start (warning: other sources may send them);
              - rules handled only if a label the series carry has the right value.

            Check the files with promtool check rules first: rbx reads their YAML and enough
            PromQL to know the labels, not whether the PromQL is valid.

            Exit codes: 0 nothing in --fail-on found, 1 found, 2 usage errors, unreadable rule
            files or a catalog with lint errors.

            Examples:
              rbx coverage --rules /etc/prometheus/rules/*.yml
              rbx coverage --rules rules/ --format markdown > coverage.md
              rbx coverage --rules rules/ --fail-on uncovered,gaps,untriggered
            """)

    @Option(
        name: .customLong("rules"), parsing: .upToNextOption,
        help: ArgumentHelp("Prometheus rule files, or directories of *.yml/*.yaml files.", valueName: "FILE"),
        completion: .file(extensions: ["yml", "yaml"]))
    var ruleFiles: [String]

    @Option(help: "The catalog root (default: the current directory).", completion: .directory)
    var catalog: String = "."

    @Option(help: "Output format: text, json or markdown.")
    var format: CoverageFormat = .text

    @Option(
        help: ArgumentHelp(
            "Findings that make the exit code 1: uncovered, gaps, untriggered (comma-separated).",
            valueName: "LIST"))
    var failOn: String = "uncovered,gaps"

    @Flag(name: .shortAndLong, help: "Print nothing; the exit code says whether --fail-on found anything.")
    var quiet = false

    @Option(help: "Colour the text format: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    enum CoverageFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    func execute() async -> CommandOutcome {
        var failing: Set<CoverageReport.Finding> = []
        for name in failOn.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let finding = CoverageReport.Finding(rawValue: name) else {
                return usage("--fail-on \(name): not one of uncovered, gaps, untriggered")
            }
            failing.insert(finding)
        }
        let files: [String]
        switch Self.expand(ruleFiles) {
        case .success(let found): files = found
        case .failure(let problem): return usage(problem.message)
        }
        var rules: [AlertingRule] = []
        for file in files {
            do {
                rules += try RuleFileReader.read(file)
            } catch {
                return usage("\(error)")
            }
        }
        let loaded: Catalog
        do {
            loaded = try await CatalogLoader.load(directory: catalog)
        } catch {
            return usage("\(error)")
        }
        if let refusal = loaded.lintRefusal { return usage("\(refusal)") }
        let report = RuleCoverage.analyze(rules: rules, ruleFiles: files, catalog: loaded)
        let found = failing.contains { report.count($0) > 0 }
        var stdout: String
        switch format {
        case .text: stdout = color.enabled ? ReportHighlight.apply(report.text()) : report.text()
        case .markdown: stdout = report.markdown()
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            stdout = ((try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
        }
        if quiet { stdout = "" }
        return CommandOutcome(stdout: stdout, stderr: "", exitCode: found ? RbxExit.failed : RbxExit.ok)
    }

    private func usage(_ message: String) -> CommandOutcome {
        CommandOutcome(stdout: "", stderr: "rbx coverage: \(message)\n", exitCode: RbxExit.usage)
    }

    struct Problem: Error {
        var message: String
    }

    /// Files as given; a directory stands for its *.yml and *.yaml files (not recursive, sorted).
    static func expand(_ paths: [String]) -> Result<[String], Problem> {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                return .failure(Problem(message: "\(path): no such file or directory"))
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let found = names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
            if found.isEmpty { return .failure(Problem(message: "\(path): no *.yml or *.yaml rule files in it")) }
            files += found.map { (path as NSString).appendingPathComponent($0) }
        }
        return .success(files)
    }
}
