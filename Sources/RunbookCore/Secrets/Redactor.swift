/// Removes secrets from text before anything is stored, printed or written.
///
/// Secrets are known by value (every `${NAME}` rbx resolved) and by pattern (`secrets.patterns`
/// in `rbx.yaml`). Redaction is by value everywhere, so a token that a command echoes back,
/// or that lands in an error message, is caught as well as the one rbx passed in.
public struct Redactor: Sendable {
    public static let mask = "<secret>"
    private var values: [String] = []
    private var patterns: [LinearRegex] = []

    public init(patterns: [String] = []) {
        for pattern in patterns {
            if let regex = try? LinearRegex(pattern) { self.patterns.append(regex) }
        }
    }

    /// Registers a secret value. Values shorter than 4 characters are not registered: masking
    /// every "a" or "10" in every output would destroy the evidence without protecting much.
    public mutating func add(secret value: String) {
        guard value.count >= 4, !values.contains(value) else { return }
        values.append(value)
        values.sort { $0.count > $1.count }  // longest first, so a secret containing another is masked whole
    }

    public var isEmpty: Bool { values.isEmpty && patterns.isEmpty }

    public func redact(_ text: String) -> String {
        guard !isEmpty, !text.isEmpty else { return text }
        var result = text
        for value in values where result.contains(value) {
            result = result.replacing(value, with: Self.mask)
        }
        for pattern in patterns {
            result = pattern.replacingMatches(in: result, with: Self.mask)
        }
        return result
    }

    public func redact(_ argv: [String]) -> [String] { argv.map(redact) }
}
