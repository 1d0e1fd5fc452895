public import RunbookYAML

/// What kind of thing a step does; decides which action keys it may have and how risky it is.
public enum StepKind: String, Sendable, Hashable, CaseIterable, Codable {
    case diagnostic, remediation, notify, wait, approval
    /// Ends the run's steps as done without resolving it (`finally` still runs).
    case stop
    /// Sends an alert into rbx's own intake (``AlertRaise``).
    case raise
}

/// One step of a runbook or playbook.
public struct Step: Sendable, Equatable {
    /// The one thing a step does.
    ///
    /// The cases with the largest payloads are indirect (boxed), so that an action, and with it
    /// every step, is the size of the common ones: steps are copied as they are decoded, listed
    /// and linted, and copying a rarely used 130-byte payload was a cost every step paid.
    public enum Action: Sendable, Equatable {
        /// An argv list; each element is rendered alone and never given to a shell.
        case run([InterpolatedText])
        /// An explicit shell script; every interpolated value is shell-quoted when rendered.
        case shell(InterpolatedText)
        /// A playbook call with its inputs.
        case uses(playbook: Located<String>, with: [StepInput])
        indirect case notify(targets: [Located<String>], template: Located<String>?, message: InterpolatedText?)
        case wait(StepDuration)
        indirect case approval(message: InterpolatedText?, approvers: [String])
        /// `stop: "reason"`: nothing (more) to do here; the run ends `stopped`, not resolved.
        /// With `handoff: RUNBOOK`, that runbook then starts for the same alert: this runbook
        /// found the cause is another's (the API is down because the database is).
        indirect case stop(reason: InterpolatedText, handoff: Located<String>?)
        /// `query: PROMQL`: an instant query against a Prometheus of `rbx.yaml`, read-only.
        indirect case query(PrometheusQuery)
        /// `raise:`: an alert into rbx's own intake, handled like any posted alert.
        indirect case raise(AlertRaise)
    }

    public enum ApprovalTimeout: String, Sendable, Hashable, CaseIterable {
        case deny, approve
    }

    public var id: Located<String>
    public var name: String?
    public var description: String?
    public var kind: StepKind
    public var action: Action
    public var location: SourceLocation
    public var env: [StepInput]
    public var when: Condition?
    public var until: Condition?
    public var interval: StepDuration?
    public var timeout: Located<StepDuration>?
    public var retries: Int
    public var backoff: StepDuration?
    public var continueOnError: Bool
    public var safe: Bool
    public var idempotent: Bool
    public var outputs: [StepOutput]
    public var onTimeout: ApprovalTimeout
    /// For approval steps: how many distinct people must approve (`min_approvers`, four eyes).
    public var minApprovers: Int
    /// For `run:` steps: interpolated argv elements may begin with `-` (see ``OptionInjection``).
    public var allowLeadingDash: Bool
    /// For `run:` and `shell:` steps: the directory the command starts in (absolute).
    public var workdir: InterpolatedText? {
        get { boxedWorkdir?.value }
        set { boxedWorkdir = newValue.map(Boxed.init) }
    }
    /// At most so many runs of this step per window, across runs (``Budget``); nil: no limit.
    public var budget: Budget? {
        get { boxedBudget?.value }
        set { boxedBudget = newValue.map(Boxed.init) }
    }
    /// `workdir` and `budget` are stored boxed (``Boxed``): together they were a fifth of every
    /// step's size, which every copy of a step moved, while few steps have either.
    private var boxedWorkdir: Boxed<InterpolatedText>?
    private var boxedBudget: Boxed<Budget>?

    public init(
        id: Located<String>, kind: StepKind, action: Action, location: SourceLocation, name: String? = nil,
        description: String? = nil, env: [StepInput] = [], when: Condition? = nil, until: Condition? = nil,
        interval: StepDuration? = nil, timeout: Located<StepDuration>? = nil, retries: Int = 0,
        backoff: StepDuration? = nil,
        continueOnError: Bool = false, safe: Bool = false, idempotent: Bool? = nil, outputs: [StepOutput] = [],
        onTimeout: ApprovalTimeout = .deny, minApprovers: Int = 1, allowLeadingDash: Bool = false,
        workdir: InterpolatedText? = nil, budget: Budget? = nil
    ) {
        self.id = id
        self.kind = kind
        self.action = action
        self.location = location
        self.name = name
        self.description = description
        self.env = env
        self.when = when
        self.until = until
        self.interval = interval
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.continueOnError = continueOnError
        self.safe = safe
        self.idempotent = idempotent ?? (kind != .remediation)
        self.outputs = outputs
        self.onTimeout = onTimeout
        self.minApprovers = minApprovers
        self.allowLeadingDash = allowLeadingDash
        boxedWorkdir = workdir.map(Boxed.init)
        boxedBudget = budget.map(Boxed.init)
    }

    /// For approval steps: the names or roles that may decide; empty lets any identity decide.
    public var approvers: [String] {
        if case .approval(_, let approvers) = action { return approvers }
        return []
    }

    public var callsPlaybook: Bool {
        if case .uses = action { return true }
        return false
    }

    /// The interpolated `timeout`, `interval`, `backoff` and wait `duration`, for lint's
    /// inputs-only check.
    public var durationTexts: [InterpolatedText] {
        // Lint asks of every step, and most have none: appending to an empty array allocates
        // nothing until there is something to hold.
        var texts: [InterpolatedText] = []
        func add(_ duration: StepDuration?) {
            if case .interpolated(let text)? = duration { texts.append(text) }
        }
        add(timeout?.value)
        add(interval)
        add(backoff)
        if case .wait(let length) = action { add(length) }
        return texts
    }

    /// Every interpolated text of the step, for reference checks. Built by appending into one
    /// array (lint asks of every step); a step with nothing but an argv returns the argv itself.
    public var interpolatedTexts: [InterpolatedText] {
        var texts: [InterpolatedText] = []
        for input in env { texts.append(input.value) }
        if let workdir { texts.append(workdir) }
        if let key = budget?.key { texts.append(key) }
        texts += durationTexts
        switch action {
        case .run(let argv): texts = texts.isEmpty ? argv : texts + argv
        case .shell(let script): texts.append(script)
        case .uses(_, let inputs): for input in inputs { texts.append(input.value) }
        case .notify(_, _, let message): if let message { texts.append(message) }
        case .approval(let message, _): if let message { texts.append(message) }
        case .stop(let reason, _): texts.append(reason)
        case .query(let query): texts.append(query.text)
        case .raise(let raise): texts += raise.texts
        case .wait: break
        }
        return texts
    }
}

/// A named interpolated value: a playbook input in `with:` or a variable in `env:`.
public struct StepInput: Sendable, Equatable {
    public var name: Located<String>
    public var value: InterpolatedText

    public init(name: Located<String>, value: InterpolatedText) {
        self.name = name
        self.value = value
    }
}

/// A value a step extracts from what it printed (`outputs:`).
///
/// `used: "(\\d+)%"` keeps the first regex match as before; the mapping forms give lists and
/// typed values: `{regex: P, all: true}`, `{lines: true}`, `{json: .data.count}`.
public struct StepOutput: Sendable, Hashable {
    public enum Extraction: Sendable, Hashable {
        /// The first capture group (or the whole match) of the first match: a string.
        case firstMatch(AnchoredPattern)
        /// That of every match: a list of strings.
        case allMatches(AnchoredPattern)
        /// Every non-blank line, trailing blanks removed: a list of strings.
        case lines
        /// The value at a path in the output read as JSON: typed as the JSON is.
        case json(JSONPath)
    }

    /// Which stream the value is read from.
    public enum Stream: String, Sendable, Hashable, CaseIterable {
        case stdout, stderr
    }

    public var name: Located<String>
    public var extraction: Extraction
    public var stream: Stream

    public init(name: Located<String>, extraction: Extraction, stream: Stream = .stdout) {
        self.name = name
        self.extraction = extraction
        self.stream = stream
    }

    /// `first match of "(\\d+)%" in stdout`, for docs and diffs.
    public var summary: String {
        let what: String
        switch extraction {
        case .firstMatch(let regex): what = "first match of \"\(regex.pattern)\""
        case .allMatches(let regex): what = "every match of \"\(regex.pattern)\""
        case .lines: what = "the lines"
        case .json(let path): what = "JSON \(path)"
        }
        return what + " in " + stream.rawValue
    }

    /// The output as a catalog writes it: the regex alone for the first-match form, else the
    /// mapping in flow style (`{json: .data.count, from: stderr}`), for diffs and docs.
    public var written: String {
        var parts: [String]
        switch extraction {
        case .firstMatch(let regex):
            if stream == .stdout { return regex.pattern }
            parts = ["regex: " + ExpressionValue.quoted(regex.pattern)]
        case .allMatches(let regex): parts = ["regex: " + ExpressionValue.quoted(regex.pattern), "all: true"]
        case .lines: parts = ["lines: true"]
        case .json(let path): parts = ["json: \(path)"]
        }
        if stream != .stdout { parts.append("from: " + stream.rawValue) }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// What the output holds, for lint's type checks.
    public var valueType: ExpressionType {
        switch extraction {
        case .firstMatch: .string
        case .allMatches, .lines: .list(.string)
        case .json: .unknown
        }
    }
}

extension StepOutput {
    /// What one step attempt printed, with each stream's JSON parsed at most once however many
    /// `json:` outputs read it.
    public struct Printed {
        let stdout: String
        let stderr: String
        private var documents: [Stream: ExpressionValue] = [:]

        public init(stdout: String, stderr: String) {
            self.stdout = stdout
            self.stderr = stderr
        }

        func text(_ stream: Stream) -> String { stream == .stdout ? stdout : stderr }

        /// The stream as JSON; `null` when it is not JSON.
        mutating func document(_ stream: Stream) -> ExpressionValue {
            if let parsed = documents[stream] { return parsed }
            let parsed = (try? JSONValue.parse(Array(text(stream).utf8))).map(ExpressionValue.init(json:)) ?? .null
            documents[stream] = parsed
            return parsed
        }
    }

    /// The value extracted from what the step printed; `null` when nothing matches, the text is
    /// not JSON, or the path is missing, which no comparison holds for.
    public func extract(stdout: String, stderr: String) -> ExpressionValue {
        var printed = Printed(stdout: stdout, stderr: stderr)
        return extract(from: &printed)
    }

    public func extract(from printed: inout Printed) -> ExpressionValue {
        let text = printed.text(stream)
        switch extraction {
        case .firstMatch(let pattern):
            let regex = pattern.regex
            return regex.firstMatch(in: text, group: regex.groupCount > 0 ? 1 : 0).map(ExpressionValue.string) ?? .null
        case .allMatches(let pattern):
            let regex = pattern.regex
            return .list(regex.allMatches(in: text, group: regex.groupCount > 0 ? 1 : 0).map(ExpressionValue.string))
        case .lines:
            return .list(
                text.split(whereSeparator: \.isNewline).compactMap { line in
                    let trimmed = line.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
                    return trimmed.allSatisfy { $0 == " " || $0 == "\t" } ? nil : .string(String(trimmed))
                })
        case .json(let path):
            let document = printed.document(stream)
            return document == .null ? .null : path.select(in: document)
        }
    }
}
