internal import RunbookYAML

extension DocumentDecoder {
    /// Decodes a `kind: RunbookTest` file; alerts are normalised with the catalog's config,
    /// exactly as intake would.
    mutating func testSuite(_ root: YAMLNode, config: CatalogConfig) -> RunbookTestSuite? {
        guard let fields = fields(root, allowed: FormatKeys.testSuite, in: "test file"),
            checkHeader(fields, kind: "RunbookTest")
        else {
            return nil
        }
        var name: String?
        if let metadataNode = fields["metadata"] { name = metadata(metadataNode, in: "test file")?.name.value }
        let cases = (list(required(fields, "tests"), "tests") ?? []).compactMap { testCase($0, config: config) }
        return RunbookTestSuite(file: file, name: name, tests: cases)
    }

    private mutating func testCase(_ node: YAMLNode, config: CatalogConfig) -> RunbookTestCase? {
        guard let fields = fields(node, allowed: FormatKeys.testCase, in: "test"),
            let name = string(required(fields, "name"), "test name")
        else {
            return nil
        }
        let what = "test \"\(name.value)\""
        var alerts: [RunbookTestCase.TimedAlert] = []
        let check = string(fields["check"], "\(what) check")
        let given = ["alert", "alerts", "check"].filter { fields.has($0) }
        if given.count != 1 {
            error(
                "test-alert",
                "\(what) needs exactly one of \"alert\" (one alert), \"alerts\" (a list with times) or \"check\" "
                    + "(a scheduled runbook or check, run for its tick at started_at)",
                at: node.location)
        } else if check != nil {
            // The tick's alert comes from the runbook's schedule, which the runner has.
        } else if let alertNode = fields["alert"] {
            if let alert = testAlert(alertNode, config: config, in: what) {
                alerts = [.init(at: .zero, alert: alert, location: alertNode.location)]
            }
        } else {
            for item in list(fields["alerts"], "\(what) alerts") ?? [] {
                guard let itemFields = self.fields(item, allowed: FormatKeys.timedAlert, in: "\(what) alerts entry"),
                    let alertNode = required(itemFields, "alert"),
                    let alert = testAlert(alertNode, config: config, in: what)
                else { continue }
                alerts.append(
                    .init(
                        at: duration(itemFields["at"], "alerts entry at")?.value ?? .zero, alert: alert,
                        location: item.location))
            }
        }
        var assume: [(step: Located<String>, outcome: Located<String>)] = []
        var stdout: [String: String] = [:]
        var took: [String: Duration] = [:]
        var queries: [String: QueryResult] = [:]
        for (step, entryNode) in stringMap(fields["assume"], "\(what) assume") ?? [] {
            var valueNode: YAMLNode? = entryNode
            if entryNode.mapping != nil,
                let entry = self.fields(entryNode, allowed: FormatKeys.testAssumption, in: "assume.\(step.value)")
            {
                valueNode = entry["outcome"]
                stdout[step.value] = string(entry["stdout"], "assume.\(step.value).stdout")?.value
                took[step.value] = duration(entry["took"], "assume.\(step.value).took")?.value
                queries[step.value] = assumedQuery(entry, in: "assume.\(step.value)")
                if valueNode == nil { continue }
            }
            guard var outcome = string(valueNode, "assume.\(step.value)") else { continue }
            if !Self.isAssumption(outcome.value), let (plain, length) = Self.timedAssumption(outcome.value) {
                outcome = Located(plain, at: outcome.location)
                took[step.value] = length
            }
            if !Self.isAssumption(outcome.value) {
                error(
                    "assume",
                    "assume.\(step.value): write ok, fail, exit:N or timeout, optionally with how long the step "
                        + "took (ok:40s), found \"\(outcome.value)\"",
                    at: outcome.location)
                continue
            }
            assume.append((step, outcome))
        }
        var testCase = RunbookTestCase(
            name: name, alerts: alerts, assume: assume, ackAt: duration(fields["ack_at"], "ack_at")?.value,
            resolveAt: duration(fields["resolve_at"], "resolve_at")?.value,
            horizon: duration(fields["for"], "for")?.value,
            expect: expectations(required(fields, "expect"), in: what))
        testCase.check = check
        testCase.stdout = stdout
        testCase.took = took
        testCase.queries = queries
        for (step, node) in stringMap(fields["budgets"], "budgets") ?? [] {
            if let used = integer(node, "budgets.\(step.value)", minimum: 0) { testCase.budgets[step.value] = used }
        }
        if let started = string(fields["started_at"], "started_at") {
            if RFC3339.secondsSinceEpoch(started.value) == nil {
                error(
                    "expect", "started_at: \"\(started.value)\" is not an RFC 3339 time, like 2026-12-05T23:30:00Z",
                    at: started.location)
            } else {
                testCase.startedAt = started.value
            }
        }
        return testCase
    }

    static func isAssumption(_ text: String) -> Bool {
        ["ok", "fail", "timeout"].contains(text) || (text.hasPrefix("exit:") && Int32(text.dropFirst(5)) != nil)
    }

    /// `OUTCOME:DURATION` (`ok:40s`, `exit:2:3s`), as `rbx drill --assume` takes it.
    static func timedAssumption(_ text: String) -> (outcome: String, took: Duration)? {
        guard let colon = text.lastIndex(of: ":"), isAssumption(String(text[..<colon])),
            let took = Duration(runbook: String(text[text.index(after: colon)...]))
        else { return nil }
        return (String(text[..<colon]), took)
    }

    /// An alert written inline (the plain or Alertmanager JSON shape, as YAML) or the path of
    /// a JSON file relative to the catalog root.
    private mutating func testAlert(_ node: YAMLNode, config: CatalogConfig, in what: String) -> Alert? {
        let bytes: [UInt8]
        if let path = node.scalar?.value {
            let file = CatalogLoader.readFile(CatalogLoader.resolve(path, in: catalogRoot ?? "."))
            if file.problem != nil {
                error(
                    "test-alert",
                    "\(what): cannot read alert file \"\(path)\" (paths are relative to the catalog root)",
                    at: node.location)
                return nil
            }
            bytes = file.bytes
        } else {
            bytes = Array(YAMLJSON.text(node).utf8)
        }
        do {
            let alerts = try AlertDecoder.decode(bytes, config: config)
            guard alerts.count == 1, let alert = alerts.first else {
                error("test-alert", "\(what): the alert must be one alert, found \(alerts.count)", at: node.location)
                return nil
            }
            return alert
        } catch {
            self.error(
                "test-alert", "\(what): alert\(error.field.map { " field \($0)" } ?? ""): \(error.message)",
                at: node.location)
            return nil
        }
    }

    private mutating func expectations(_ node: YAMLNode?, in what: String) -> RunbookTestExpectations {
        var expect = RunbookTestExpectations()
        guard let node, let fields = fields(node, allowed: FormatKeys.testExpect, in: "\(what) expect") else {
            return expect
        }
        expect.runbook = string(fields["runbook"], "expect.runbook")
        if let outcome = string(fields["outcome"], "expect.outcome") {
            if Self.testOutcomes.contains(outcome.value) {
                expect.outcome = outcome
            } else {
                error(
                    "expect",
                    "expect.outcome: one of \(Self.testOutcomes.joined(separator: ", ")); found \"\(outcome.value)\"",
                    at: outcome.location)
            }
        }
        expect.handoff = string(fields["handoff"], "expect.handoff")
        for (step, valueNode) in stringMap(fields["steps"], "expect.steps") ?? [] {
            guard let status = string(valueNode, "expect.steps.\(step.value)") else { continue }
            if Self.stepStatuses.contains(status.value) {
                expect.steps.append((step, status))
            } else {
                error(
                    "expect",
                    "expect.steps.\(step.value): one of \(Self.stepStatuses.joined(separator: ", ")); found \"\(status.value)\"",
                    at: status.location)
            }
        }
        for (step, valueNode) in stringMap(fields["argv"], "expect.argv") ?? [] {
            if let argv = stringList(valueNode, "expect.argv.\(step.value)") {
                expect.argv.append((step, argv.map(\.value), valueNode.location))
            }
        }
        if let escalationNode = fields["escalations"] {
            expect.escalationsLocation = escalationNode.location
            expect.escalations = (list(escalationNode, "expect.escalations") ?? []).compactMap { item in
                guard
                    let itemFields = self.fields(
                        item, allowed: FormatKeys.testEscalation, in: "expect.escalations entry"),
                    let at = duration(required(itemFields, "at"), "escalation at")
                else { return nil }
                let notify = stringList(itemFields["notify"], "escalation notify")?.map(\.value) ?? []
                return .init(at: at.value, notify: notify, location: item.location)
            }
        }
        for item in list(fields["status"], "expect.status") ?? [] {
            guard let itemFields = self.fields(item, allowed: FormatKeys.testStatus, in: "expect.status entry"),
                let contains = string(required(itemFields, "contains"), "status contains")
            else { continue }
            let trigger = string(itemFields["trigger"], "status trigger")
            if let trigger, !Self.statusTriggers.contains(trigger.value) {
                error(
                    "expect",
                    "status trigger: one of \(Self.statusTriggers.joined(separator: ", ")); found \"\(trigger.value)\"",
                    at: trigger.location)
            }
            expect.status.append(
                .init(
                    trigger: trigger?.value, at: duration(itemFields["at"], "status at")?.value,
                    contains: contains.value, location: item.location))
        }
        if let raisedNode = fields["raised"] {
            expect.raisedLocation = raisedNode.location
            expect.raised = (list(raisedNode, "expect.raised") ?? []).compactMap { item in
                guard let itemFields = self.fields(item, allowed: FormatKeys.testRaised, in: "expect.raised entry"),
                    let name = string(required(itemFields, "alertname"), "raised alertname")
                else { return nil }
                let status = string(itemFields["status"], "raised status")
                if let status, status.value != "firing" && status.value != "resolved" {
                    error("expect", "raised status: firing or resolved; found \"\(status.value)\"", at: status.location)
                }
                var labels: [String: String] = [:]
                for (label, valueNode) in stringMap(itemFields["labels"], "raised labels") ?? [] {
                    labels[label.value] = string(valueNode, "raised labels.\(label.value)")?.value
                }
                return .init(
                    alertname: name.value, status: status?.value, labels: labels,
                    runbook: string(itemFields["runbook"], "raised runbook")?.value, location: item.location)
            }
        }
        return expect
    }

    static let stepStatuses = ["ok", "failed", "skipped", "timed_out", "denied", "ran"]
    /// A test's `expect.outcome`: what a run can end as (a dry run's `rendered` is not tested).
    static let testOutcomes = ["resolved", "succeeded", "failed", "acked", "stopped", "completed"]
    static let statusTriggers = ["on_start", "on_update", "on_resolved", "escalation", "notify"]
}
