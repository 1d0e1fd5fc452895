public import RunbookYAML

/// Option injection: a value chosen by an alert sender that lands where a program reads its
/// options. `run: [ssh, -o, BatchMode=yes, "{{alert.labels.instance}}", uptime]` with
/// `instance=-oProxyCommand=…` makes ssh run a local command, though no shell is involved.
///
/// The rule, in one place for playbook inputs and argv: a value that begins with `-` is refused
/// where it could be read as an option, unless the author said otherwise. For an argv element
/// that means: the element's first character comes from interpolated data (nothing the author
/// wrote comes before it), it is not argv[0], no literal `--` comes before it, the step does not
/// set `allow_leading_dash: true`, and the value is not a playbook input (those are checked by
/// their own `type`, `pattern` and `allow_leading_dash` when the playbook is called).
public enum OptionInjection {
    /// Whether a value, standing alone where a program parses options, could be taken as one.
    public static func couldBeOption(_ value: String) -> Bool {
        value.utf8.first == UInt8(ascii: "-")
    }

    /// The indices of the argv elements the rule guards, decided from the catalog alone.
    public static func guardedElements(of argv: [InterpolatedText]) -> [Int] {
        var guarded: [Int] = []
        for (index, element) in argv.enumerated().dropFirst() {
            if element.interpolation.isLiteral && element.text == "--" { break }
            guard case .expression(let expression)? = element.interpolation.segments.first else { continue }
            if case .path(let path) = expression, path.components.first == "inputs" { continue }
            guarded.append(index)
        }
        return guarded
    }

    /// The first guarded element whose rendered value could be read as an option.
    ///
    /// - Parameters:
    ///   - argv: the step's argv as written.
    ///   - rendered: the same elements after interpolation.
    /// - Returns: nil when the argv may run.
    public static func violation(
        argv: [InterpolatedText], rendered: [String], stepID: String
    ) -> OptionInjectionError? {
        for index in guardedElements(of: argv) where index < rendered.count && couldBeOption(rendered[index]) {
            return OptionInjectionError(
                location: argv[index].location, stepID: stepID, index: index, written: argv[index].text,
                value: rendered[index])
        }
        return nil
    }
}

/// An argv element refused by ``OptionInjection``: where it is written, what it became, and how
/// the author can allow it on purpose.
public struct OptionInjectionError: Error, Sendable, Equatable, CustomStringConvertible {
    public static let code = "argv-option"
    public var location: SourceLocation
    public var stepID: String
    public var index: Int
    /// The element as written in the catalog (`{{alert.labels.instance}}`).
    public var written: String
    /// The rendered value; untrusted, so shown escaped and shortened.
    public var value: String

    public var description: String {
        var shown = ControlText.escape(value)
        if shown.count > 80 { shown = String(shown.prefix(80)) + "…" }
        return "\(location): \(Self.code): step \"\(stepID)\" argv[\(index)] \(written) became \"\(shown)\", which "
            + "the program could read as an option (option injection from alert data); refused before running "
            + "anything. Put \"--\" before it if the program accepts one, pass it through a playbook input "
            + "with a pattern, or set allow_leading_dash: true on the step if options are intended"
    }
}
