import Foundation
public import Logging
public import RunbookCore
import RunbookEngine
import RunbookStore
import RunbookYAML

/// `rbx doctor`: checks the machine that will run a catalog for what would otherwise be found
/// only when a step or a page fails at 3 a.m.: a program a step runs that is not installed, a
/// `${SECRET}` that is not set, a notifier or Prometheus that cannot be reached (`network`), a
/// store that does not open. Each problem names the catalog file and line that needs it.
///
/// Programs are looked up as the runner looks them up, in the environment steps get (rbx's
/// environment filtered by `env.allow`, plus a step's own `env: PATH`). An argv[0] made from
/// the alert (`{{ … }}`) cannot be known before the alert and is not checked.
public enum Doctor {
    public static func check(
        catalog: Catalog, directory: String, environment: [String: String], network: Bool, logger: Logger
    ) async -> DoctorReport {
        var report = DoctorReport()
        report.network = network
        checkPrograms(catalog, environment: environment, into: &report)
        checkSecrets(catalog, environment: environment, into: &report)
        if network { await checkReachability(catalog, environment: environment, into: &report) }
        await checkStore(catalog, directory: directory, environment: environment, logger: logger, into: &report)
        return report
    }

    /// Every step of every runbook and playbook, with the file it is written in.
    static func steps(of catalog: Catalog) -> [Step] {
        catalog.runbooks.flatMap(\.allSteps) + catalog.playbooks.flatMap(\.allSteps)
    }

    static func checkPrograms(_ catalog: Catalog, environment: [String: String], into report: inout DoctorReport) {
        let allowed = environment.filter { catalog.config.envAllow.contains($0.key) }
        report.searchPath = allowed["PATH"]
        var checked = Set<String>()
        var missing = Occurrences()
        for step in steps(of: catalog) {
            let program: (name: String, location: SourceLocation)
            switch step.action {
            case .run(let argv):
                guard let first = argv.first, first.interpolation.expressions.isEmpty else { continue }
                program = (first.text, first.location)
            case .shell(let script):
                program = ("/bin/sh", script.location)
            default:
                continue
            }
            var stepEnvironment = allowed
            if let path = step.env.first(where: { $0.name.value == "PATH" }),
                path.value.interpolation.expressions.isEmpty
            {
                stepEnvironment["PATH"] = path.value.text
            }
            checked.insert(program.name)
            if case .failure(let error) = ProgramSearch.locate(program.name, environment: stepEnvironment) {
                let reason =
                    error.code == .programNotFound && !program.name.contains("/")
                    ? "is not installed (not in PATH)" : error.message
                missing.add(
                    step: "step \"\(step.id.value)\"", at: program.location, subject: program.name,
                    "runs \(program.name), which \(reason)")
            }
        }
        report.findings += missing.findings(.programMissing)
        report.checked["programs"] = checked.count
    }

    /// `${NAME}` references rbx resolves: steps' `env:`, notifiers' URLs and headers,
    /// Prometheus tokens, the evidence signing key.
    static func checkSecrets(_ catalog: Catalog, environment: [String: String], into report: inout DoctorReport) {
        var references: [(text: String, what: String, location: SourceLocation)] = []
        for step in steps(of: catalog) {
            for variable in step.env {
                references.append(
                    (
                        variable.value.text, "step \"\(step.id.value)\" env \(variable.name.value)",
                        variable.value.location
                    ))
            }
        }
        for notifier in catalog.config.notifiers {
            let what = "notifier \(notifier.name.value)"
            if let url = notifier.url { references.append((url, what + " url", notifier.name.location)) }
            for (name, value) in notifier.headers.sorted(by: { $0.key < $1.key }) {
                references.append((value, what + " header \(name)", notifier.name.location))
            }
        }
        for server in catalog.config.prometheus {
            if let token = server.token {
                references.append((token, "prometheus \(server.name.value) token", server.name.location))
            }
        }
        if let key = catalog.config.evidenceSigningKey {
            references.append(
                (
                    key, "evidence.signing_key",
                    SourceLocation(file: catalog.config.file ?? "rbx.yaml", line: 1, column: 1)
                ))
        }
        let resolver = SecretResolver(environment: environment)
        var names = Set<String>()
        var missing = Occurrences()
        for reference in references where reference.text.contains("${") {
            for name in secretNames(in: reference.text) {
                names.insert(name)
                var redactor = Redactor()
                do {
                    _ = try resolver.resolve("${\(name)}", redactor: &redactor)
                } catch {
                    missing.add(
                        step: reference.what, at: reference.location, subject: name, "needs \(error.description)")
                }
            }
        }
        report.findings += missing.findings(.secretMissing)
        report.checked["secrets"] = names.count
    }

    /// The same problem written once and met by several steps (a YAML anchor, a shared `env:`)
    /// is one finding naming them all.
    struct Occurrences {
        private var order: [String] = []
        private var entries: [String: (location: SourceLocation, who: [String], problem: String)] = [:]

        mutating func add(step who: String, at location: SourceLocation, subject: String, _ problem: String) {
            let key = "\(location)|\(subject)"
            if entries[key] == nil {
                order.append(key)
                entries[key] = (location, [], problem)
            }
            if entries[key]?.who.contains(who) == false { entries[key]?.who.append(who) }
        }

        func findings(_ code: DoctorReport.Finding.Code) -> [DoctorReport.Finding] {
            order.compactMap { key in
                guard let entry = entries[key] else { return nil }
                let who =
                    entry.who.count > 3
                    ? entry.who.prefix(3).joined(separator: ", ") + " and \(entry.who.count - 3) more"
                    : entry.who.joined(separator: ", ")
                return .init(code: code, message: "\(who) \(entry.problem)", location: entry.location)
            }
        }
    }

    static func secretNames(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            names.append(String(rest[open.upperBound..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Webhook notifiers answer at all (any HTTP status: the path may want a POST); each
    /// Prometheus answers `/-/ready` with 200. Secrets in URLs are resolved, never printed.
    static func checkReachability(
        _ catalog: Catalog, environment: [String: String], into report: inout DoctorReport
    ) async {
        let resolver = SecretResolver(environment: environment)
        var contacted = 0
        for notifier in catalog.config.notifiers where notifier.kind == .webhook {
            guard let text = notifier.url else { continue }
            var redactor = Redactor()
            guard let resolved = try? resolver.resolve(text, redactor: &redactor), let url = URL(string: resolved)
            else {
                continue  // a missing secret is reported above
            }
            contacted += 1
            if let problem = await ask(url, timeout: min(notifier.timeout, .seconds(5)), expect: nil) {
                report.findings.append(
                    .init(
                        code: .notifierUnreachable,
                        message:
                            "notifier \(notifier.name.value) at \(redactor.redact(resolved)): "
                            + redactor.redact(problem),
                        location: notifier.name.location))
            }
        }
        for server in catalog.config.prometheus {
            guard let url = URL(string: server.url.hasSuffix("/") ? server.url + "-/ready" : server.url + "/-/ready")
            else {
                continue
            }
            contacted += 1
            if let problem = await ask(url, timeout: min(server.timeout, .seconds(5)), expect: 200) {
                report.findings.append(
                    .init(
                        code: .prometheusUnreachable,
                        message: "prometheus \(server.name.value) at \(server.url): \(problem)",
                        location: server.name.location))
            }
        }
        report.checked["endpoints"] = contacted
    }

    /// nil when `url` answered (with `expect`, if given); else why not.
    static func ask(_ url: URL, timeout: Duration, expect: Int?) async -> String? {
        do {
            let response = try await OutboundHTTP.shared.send(
                OutboundRequest(url: url.absoluteString, timeout: timeout, sizeLimit: 4096, cutsOversizedBody: true))
            if let expect, response.status != expect { return "answered \(response.status), not \(expect)" }
            return nil
        } catch {
            return "not reachable (\(error.detail))"
        }
    }

    /// Opens the store as `rbx serve` would (a SQLite store is created and migrated if new).
    /// One that a running `rbx serve` holds is fine: that server opened it.
    static func checkStore(
        _ catalog: Catalog, directory: String, environment: [String: String], logger: Logger,
        into report: inout DoctorReport
    ) async {
        report.checked["store"] = 1
        do {
            let location = try StoreLocation.resolve(
                override: nil, configured: catalog.config.store, relativeTo: directory, environment: environment)
            let store = try await location.open(environment: environment, logger: logger)
            await store.close()
        } catch {
            let text = "\(error)"
            if text.contains("is used by") || text.contains("locked") { return }
            report.findings.append(
                .init(
                    code: .storeUnavailable, message: "the store does not open: \(text)",
                    location: SourceLocation(file: catalog.config.file ?? "rbx.yaml", line: 1, column: 1)))
        }
    }
}
