/// A step's `timeout`, `interval`, `backoff` or wait `duration`: written as a duration, or,
/// in a playbook, taken from an input (`timeout: "{{ inputs.grace }}"`) so each caller can say
/// how long its service needs.
public enum StepDuration: Sendable, Equatable, CustomStringConvertible {
    case fixed(Duration)
    /// Rendered when the step starts and read as a duration then; lint allows only `inputs.*`.
    /// Indirect: the text is rare and four times the size of a duration, and a step holds four
    /// of these, which every copy of a step (decoding, linting) would otherwise move.
    indirect case interpolated(InterpolatedText)

    /// Equal by meaning: the same duration, or the same text to render (where it is written
    /// does not matter, so `rbx diff` sees no change in a file that only moved).
    public static func == (lhs: StepDuration, rhs: StepDuration) -> Bool {
        switch (lhs, rhs) {
        case (.fixed(let a), .fixed(let b)): a == b
        case (.interpolated(let a), .interpolated(let b)): a.text == b.text
        default: false
        }
    }

    /// The duration when it is written as one.
    public var fixed: Duration? {
        if case .fixed(let duration) = self { return duration }
        return nil
    }

    /// `5m`, or the text as written (`{{ inputs.grace }}`), for docs, diffs and messages.
    public var runbookDescription: String { description }

    public var description: String {
        switch self {
        case .fixed(let duration): duration.runbookDescription
        case .interpolated(let text): text.text
        }
    }

    /// The longest a rendered duration may be: what a hostile or mistyped input could otherwise
    /// hold a run for (`10000d`).
    public static let maximum = Duration.seconds(7 * 86_400)

    /// The duration, rendering an interpolated one with `render`; a message when the rendered
    /// text is not a duration or is longer than ``maximum``.
    public func resolve(_ render: (InterpolatedText) -> String) -> Result<Duration, StepDurationError> {
        switch self {
        case .fixed(let duration):
            return .success(duration)
        case .interpolated(let text):
            let rendered = render(text)
            guard let duration = Duration(runbook: rendered) else {
                return .failure(StepDurationError(written: text.text, rendered: rendered, tooLong: false))
            }
            guard duration <= Self.maximum else {
                return .failure(StepDurationError(written: text.text, rendered: rendered, tooLong: true))
            }
            return .success(duration)
        }
    }
}

/// An interpolated duration whose value could not be used.
public struct StepDurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var written: String
    public var rendered: String
    public var tooLong: Bool

    public var description: String {
        tooLong
            ? "\(written) is \(rendered), longer than \(StepDuration.maximum.runbookDescription)"
            : "\(written) rendered \"\(rendered.prefix(40))\", which is not a duration (like 30s, 5m, 1h30m)"
    }
}
