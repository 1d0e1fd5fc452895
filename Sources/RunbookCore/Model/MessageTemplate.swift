internal import Mustache
public import RunbookYAML

/// A status-page or communication message: `templates/<name>.mustache`.
///
/// Named `MessageTemplate` because "template" already means too much in Swift code.
public struct MessageTemplate: Sendable {
    public var name: String
    public var file: String
    public var text: String
    let compiled: MustacheTemplate

    /// Parses the template.
    ///
    /// - Throws: a ``Diagnostic`` at the line and column swift-mustache reports.
    public init(name: String, file: String, text: String) throws(Diagnostic) {
        do {
            compiled = try MustacheTemplate(string: Self.plainText + text)
        } catch let error as MustacheTemplate.ParserError {
            let line = error.context.lineNumber
            let column = error.context.columnNumber - (line == 1 ? Self.plainText.count : 0)
            throw Diagnostic.error(
                "template-syntax", "template \"\(name)\" does not parse: \(Self.describe(error.error))",
                at: SourceLocation(file: file, line: line, column: max(1, column)))
        } catch {
            throw Diagnostic.error(
                "template-syntax", "template \"\(name)\" does not parse: \(error)",
                at: SourceLocation(file: file, line: 1, column: 1))
        }
        self.name = name
        self.file = file
        self.text = text
    }

    /// Messages are plain text or Markdown, not HTML: values are inserted as they are. The
    /// config tag renders as nothing and shares line 1, so line numbers stay the author's.
    private static let plainText = "{{% CONTENT_TYPE: TEXT}}"

    /// The names a template may start its tags from.
    public static let roots: Set<String> = ["alert", "run", "runbook", "steps", "step_list"]

    /// Renders the template over a context of plain values (dictionaries, arrays, strings).
    public func render(_ context: [String: any Sendable]) -> String {
        compiled.render(context)
    }

    /// Names of the top-level tags (`{{alert.labels.x}}`, `{{#steps.verify.ok}}`) with their
    /// positions, for lint.
    ///
    /// swift-mustache keeps its tokens private, so this is a light scan of the text. Tags
    /// inside a section are skipped: they resolve against the section's value first
    /// (`{{#alert.labels}}{{instance}}{{/alert.labels}}`). Comments, partials and closing
    /// tags reference nothing new.
    public var topLevelTagNames: [(name: String, position: SourcePosition)] {
        scannedTags().filter(\.topLevel).map { (Self.transformed($0.name).name, $0.position) }
    }

    /// The transforms swift-mustache applies as `{{name(value)}}` (its `Transform.swift`).
    public static let transforms: Set<String> = [
        "empty", "capitalized", "lowercased", "uppercased", "reversed", "first", "last", "count", "sorted",
        "enumerated", "equalzero", "plusone", "minusone", "even", "odd",
    ]

    /// A tag's value path and the transforms around it: `uppercased(sorted(alert.labels))` is
    /// `alert.labels` under `[uppercased, sorted]`. A name that is not a transform stays part of
    /// the path, so lint reports it as an unknown reference.
    public static func transformed(_ tag: String) -> (name: String, transforms: [String]) {
        var name = Substring(tag)
        var applied: [String] = []
        while name.hasSuffix(")"), let open = name.firstIndex(of: "("),
            transforms.contains(String(name[..<open]))
        {
            applied.append(String(name[..<open]))
            name = name[name.index(after: open)..<name.index(before: name.endIndex)]
        }
        return (String(name), applied)
    }

    /// Tags that output a value without HTML escaping (`{{{x}}}`, `{{& x}}`) and read alert
    /// data, which is the sender's to choose: where a message is shown as HTML (a status page,
    /// a chat tool) such a tag writes markup for them.
    public var unescapedAlertTags: [(name: String, position: SourcePosition)] {
        scannedTags().map { (Self.transformed($0.name).name, $0.position, $0.unescaped) }
            .filter { $0.2 && ($0.0 == "alert" || $0.0.hasPrefix("alert.")) }
            .map { ($0.0, $0.1) }
    }

    private func scannedTags() -> [(name: String, position: SourcePosition, topLevel: Bool, unescaped: Bool)] {
        var result: [(String, SourcePosition, Bool, Bool)] = []
        let scalars = Array(text.unicodeScalars)
        var line = 1
        var column = 1
        var index = 0
        var depth = 0
        while index < scalars.count {
            if scalars[index] == "{", index + 1 < scalars.count, scalars[index + 1] == "{" {
                let position = SourcePosition(line: line, column: column)
                var cursor = index + 2
                while cursor < scalars.count, scalars[cursor] == "{" { cursor += 1 }
                let triple = cursor > index + 2
                let sigil = cursor < scalars.count ? scalars[cursor] : " "
                if "#^&/!>=<$".unicodeScalars.contains(sigil) { cursor += 1 }
                var name = ""
                while cursor < scalars.count, scalars[cursor] != "}" {
                    name.unicodeScalars.append(scalars[cursor])
                    cursor += 1
                }
                let trimmed = name.trimmingSpaces
                let referencesData = !"!>/=<$".unicodeScalars.contains(sigil) && !trimmed.isEmpty && trimmed != "."
                if referencesData { result.append((trimmed, position, depth == 0, triple || sigil == "&")) }
                if sigil == "#" || sigil == "^" { depth += 1 }
                if sigil == "/" { depth = max(0, depth - 1) }
            }
            if scalars[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        return result
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "a section is closed with a different name than it was opened with"
        case .unfinishedName: return "a tag is not closed with }}"
        case .expectedSectionEnd: return "a section is opened but never closed"
        case .invalidSetDelimiter: return "the set-delimiter tag is malformed"
        default: return "\(error)"
        }
    }
}
