internal import RunbookCore
internal import RunbookYAML

/// What each fuzz target does with one input, shared by the libFuzzer binary (`rbx-fuzz`,
/// built by `scripts/fuzz`) and the test that replays the committed corpus and crash inputs,
/// so a crash found by the fuzzer is replayed through exactly the code that found it.
///
/// Each target runs the input through real entry points and, where the project states a
/// property of the result (a printed condition parses back to itself, an error points inside
/// the source), checks it with `precondition`: the fuzzer only finds what crashes.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// YAML → runbook: parse, decode and lint one document as a file under `runbooks/`.
    case yamlCatalog = "yaml-catalog"
    /// The condition language (`when:`, `until:`) and `{{ }}` interpolation.
    case condition
    /// Message templates: parse, lint's tag scans, render.
    case template
    /// Alert bodies in every form an endpoint or file takes.
    case alertJSON = "alert-json"
    /// Markdown as the status page and console render it: only known tags and safe links out.
    case markdown

    /// Runs `bytes` through this target's code; returns normally unless a bug is found.
    public func exercise(_ bytes: [UInt8]) {
        switch self {
        case .yamlCatalog: Self.yamlCatalog(bytes)
        case .condition: Self.condition(String(decoding: bytes, as: UTF8.self))
        case .template: Self.template(String(decoding: bytes, as: UTF8.self))
        case .alertJSON: Self.alertJSON(bytes)
        case .markdown: Self.markdown(String(decoding: bytes, as: UTF8.self))
        }
    }

    private static func yamlCatalog(_ bytes: [UInt8]) {
        let decoded = CatalogLoader.decodeRunbook(bytes, path: "runbooks/fuzz.yaml")
        for diagnostic in decoded.diagnostics {
            precondition(!diagnostic.message.isEmpty, "a diagnostic without a message: \(diagnostic.code)")
            precondition(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "\(diagnostic)")
        }
        // Rendering is what `rbx lint` does next; it reads every field of every diagnostic. Text only: the JSON
        // and SARIF forms go through Foundation's JSONSerialization, which cut the rate to a quarter.
        let summary = LintSummary(catalog: Catalog(root: "."), shown: decoded.diagnostics)
        _ = DiagnosticRenderer.render(decoded.diagnostics, format: .text, summary: summary)
    }

    private static func condition(_ source: String) {
        let length = source.unicodeScalars.count
        do {
            let expression = try ExpressionParser.parse(source)
            for path in expression.paths { precondition((0..<length).contains(path.offset), "path offset") }
            _ = expression.evaluate(in: context)
            _ = expression.isTrue(in: context)
            // Lint and `rbx docs` print conditions; what they print must read back the same.
            let printed = expression.description
            guard let reparsed = try? ExpressionParser.parse(printed) else {
                preconditionFailure("\(source) printed as \(printed), which does not parse")
            }
            precondition(reparsed.withoutOffsets == expression.withoutOffsets, "\(source) printed as \(printed)")
        } catch {
            precondition((0...length).contains(error.offset), "error offset \(error.offset) outside \(length)")
        }
        do {
            let interpolation = try Interpolation.parse(source)
            for path in interpolation.paths { precondition((0..<length).contains(path.offset), "path offset") }
            _ = interpolation.render(in: context)
        } catch {
            precondition((0...length).contains(error.offset), "error offset \(error.offset) outside \(length)")
        }
    }

    private static func template(_ text: String) {
        guard let template = try? MessageTemplate(name: "fuzz", file: "templates/fuzz.mustache", text: text) else {
            return
        }
        _ = template.topLevelTagNames
        _ = template.unescapedAlertTags
        _ = template.render(templateValues)
    }

    private static func alertJSON(_ bytes: [UInt8]) {
        let config = CatalogConfig()
        for form in [AlertDecoder.Form.alertmanager, .webhook, .any] {
            for receivedAt in [Int64(0), nil] {
                guard
                    let batch = try? AlertDecoder.decodeAsReceived(
                        bytes, form: form, config: config, receivedAt: receivedAt)
                else { continue }
                for (alert, received) in batch.accepted {
                    _ = alert.fingerprint
                    precondition(received.count <= bytes.count, "an alert's received JSON is larger than the body")
                }
            }
        }
        if let alerts = try? AlertDecoder.decode(bytes, config: config) {
            for alert in alerts { _ = alert.fingerprint }
        }
    }

    /// Scans by Unicode scalar, as an HTML parser does: a combining mark after `>` belongs to
    /// the text, though in Swift's `Character`s it would join the `>` into one grapheme.
    private static func markdown(_ text: String) {
        let html = MarkdownHTML.render(text)
        var rest = html.unicodeScalars[...]
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { preconditionFailure("unclosed tag in \(html)") }
            let tag = rest[rest.index(after: open)..<close]
            precondition(isAllowedTag(tag), "tag <\(String(tag))> from \(text.debugDescription)")
            rest = rest[rest.index(after: close)...]
        }
    }

    private static let markdownTags: Set<Substring> = [
        "p", "strong", "em", "s", "del", "code", "pre", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "a", "span",
    ]

    /// `name`, `/name`, `name/` or `name attr="value"…` with a known name and only the
    /// attributes rbx's renderer writes; a link's target must pass the same check.
    private static func isAllowedTag(_ tag: Substring.UnicodeScalarView) -> Bool {
        var body = tag.first == "/" ? tag.dropFirst() : tag
        if body.last == "/" { body = body.dropLast() }
        let name = body.prefix { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
        guard markdownTags.contains(Substring(name)) else { return false }
        var attributes = body.dropFirst(name.count)
        while !attributes.isEmpty {
            guard attributes.first == " " else { return false }
            attributes = attributes.dropFirst()
            let key = Substring(attributes.prefix { $0.properties.isAlphabetic })
            guard ["href", "rel", "start", "align"].contains(key) else { return false }
            attributes = attributes.dropFirst(key.unicodeScalars.count)
            guard attributes.starts(with: "=\"".unicodeScalars) else { return false }
            attributes = attributes.dropFirst(2)
            guard let end = attributes.firstIndex(of: "\"") else { return false }
            let value = String(attributes[..<end])
            if key == "href" && !MarkdownHTML.isSafeTarget(value) { return false }
            attributes = attributes[attributes.index(after: end)...]
        }
        return true
    }

    /// What conditions read: an alert's labels, a finished step, a boolean input, a list.
    private static let context = FixedContext(values: [
        ["alert", "labels", "env"]: .string("prod"),
        ["alert", "labels", "instance"]: .string("db-1:9100"),
        ["alert", "severity"]: .string("critical"),
        ["steps", "check", "ok"]: .bool(true),
        ["steps", "check", "exit_code"]: .number(0),
        ["steps", "check", "outputs", "used"]: .string("93\n"),
        ["inputs", "stop_writes"]: .bool(false),
        ["inputs", "hosts"]: .list([.string("a"), .number(2), .null]),
    ])

    /// What templates render over, shaped as the engine's message context is.
    private static let templateValues: [String: any Sendable] = [
        "alert": [
            "name": "DiskSpaceLow", "status": "firing", "firing": true, "resolved": false,
            "labels": ["env": "prod", "instance": "db-1:9100"], "annotations": ["summary": "<b>93%</b> used"],
        ] as [String: any Sendable],
        "run": ["id": "r-1", "runbook": "disk-space-low", "dry_run": false] as [String: any Sendable],
        "runbook": ["name": "disk-space-low", "title": "Disk space low"] as [String: any Sendable],
        "steps": [
            "check": ["ok": true, "stdout": "93\n", "outputs": ["used": "93"], "attempts": 2] as [String: any Sendable]
        ] as [String: any Sendable],
    ]
}

/// A fixed table of values by path; a path not in it is `null`, as a missing label is.
private struct FixedContext: ExpressionContext, Sendable {
    let values: [[String]: ExpressionValue]

    func value(at path: [String]) -> ExpressionValue { values[path] ?? .null }
}
