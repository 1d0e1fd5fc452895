import Foundation
import RunbookCore
import RunbookStore

/// `GET /console/silences` and the form that creates one: the same records as
/// `/api/v2/silences`, so amtool and the console show the same silences.
struct SilencesPage {
    var dependencies: ServerDependencies

    func values() async throws -> [String: Any] {
        let now = dependencies.clock.milliseconds
        let order: [Silence.State: Int] = [.active: 0, .pending: 1, .expired: 2]
        let all = try await dependencies.store.silences()
            .sorted { (order[$0.state(at: now)] ?? 3, -$0.startsAt) < (order[$1.state(at: now)] ?? 3, -$1.startsAt) }
        let shown =
            all.filter { $0.state(at: now) != .expired } + all.filter { $0.state(at: now) == .expired }.prefix(20)
        return [
            "title": "Silences",
            "silences": shown.map { silence -> [String: Any] in
                let state = silence.state(at: now)
                return [
                    "id": silence.id, "state": state.rawValue, "css": state == .expired ? "resolved" : "acked",
                    "matchers": silence.matchers.map(Self.text).joined(separator: ", "),
                    "starts": HTMLTime(epochMilliseconds: silence.startsAt).values,
                    "ends": HTMLTime(epochMilliseconds: silence.endsAt).values,
                    "createdBy": silence.createdBy, "comment": silence.comment, "expirable": state != .expired,
                ]
            },
        ]
    }

    /// A silence from the form: matchers as amtool writes them (`alertname="Down", instance=~"web.*"`,
    /// commas or new lines between), a duration (`2h`), a comment. Throws a message for the form.
    static func silence(
        matchers text: String, duration: String, comment: String, by person: String, now: Int64
    ) throws(SilenceFormError) -> Silence {
        var matchers: [Silence.Matcher] = []
        for part in text.split(whereSeparator: { $0 == "\n" || $0 == "," }) {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let matcher: LabelMatcher
            do { matcher = try FilterMatcher.parse(trimmed) } catch { throw SilenceFormError(error.message) }
            matchers.append(
                Silence.Matcher(
                    name: matcher.name, value: matcher.value,
                    isRegex: matcher.op == .matchesRegex || matcher.op == .doesNotMatchRegex,
                    isEqual: matcher.op == .equal || matcher.op == .matchesRegex))
        }
        guard !matchers.isEmpty else { throw SilenceFormError("a silence needs at least one matcher") }
        guard let length = Duration(runbook: duration.trimmingCharacters(in: .whitespaces)), length > .zero else {
            throw SilenceFormError("duration \"\(duration)\": write it as 30m, 2h or 1d")
        }
        let trimmedComment = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmedComment.isEmpty else { throw SilenceFormError("say why in the comment") }
        return Silence(
            id: UUID().uuidString.lowercased(), matchers: matchers, startsAt: now,
            endsAt: now + length.totalMilliseconds, createdBy: person, comment: String(trimmedComment.prefix(1000)),
            updatedAt: now)
    }

    static func text(_ matcher: Silence.Matcher) -> String {
        let op = matcher.isRegex ? (matcher.isEqual ? "=~" : "!~") : (matcher.isEqual ? "=" : "!=")
        let escaped = matcher.value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
            of: "\"", with: "\\\"")
        return "\(matcher.name)\(op)\"\(escaped)\""
    }
}

/// Why the silence form was refused, for the page.
struct SilenceFormError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
