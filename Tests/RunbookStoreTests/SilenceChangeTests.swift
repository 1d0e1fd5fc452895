import RunbookCore
import RunbookStore
import Testing

/// Alertmanager's rules for posting a silence that names an existing one (`Silences.Set`,
/// `canUpdate`): what may change in place, and when the old one ends and a new id is issued.
struct SilenceChangeTests {
    static let now: Int64 = 1_000_000
    static let minute: Int64 = 60_000
    static let matchers = [Silence.Matcher(name: "alertname", value: "Maint", isRegex: false)]

    static func silence(
        _ id: String, starts: Int64, ends: Int64, matchers: [Silence.Matcher] = matchers
    ) -> Silence {
        Silence(
            id: id, matchers: matchers, startsAt: now + starts * minute, endsAt: now + ends * minute, createdBy: "a",
            comment: "c", updatedAt: 0)
    }

    enum Expected: Equatable {
        case create, update, replace, unknown
    }

    /// (stored, posted, what happens): times in minutes from now.
    static let cases: [(String, Silence?, Silence, Expected)] = [
        ("new", nil, silence("", starts: 0, ends: 60), .create),
        ("unknown id", nil, silence("s1", starts: 0, ends: 60), .unknown),
        ("active, end moved", silence("s1", starts: -10, ends: 60), silence("s1", starts: -10, ends: 120), .update),
        ("active, ended now", silence("s1", starts: -10, ends: 60), silence("s1", starts: -10, ends: 0), .update),
        (
            "active, end in the past", silence("s1", starts: -10, ends: 60), silence("s1", starts: -10, ends: -1),
            .replace
        ),
        ("active, start moved", silence("s1", starts: -10, ends: 60), silence("s1", starts: 10, ends: 60), .replace),
        (
            "active, other matchers", silence("s1", starts: -10, ends: 60),
            silence("s1", starts: -10, ends: 60, matchers: [.init(name: "a", value: "b", isRegex: false)]), .replace
        ),
        ("pending, start later", silence("s1", starts: 10, ends: 60), silence("s1", starts: 20, ends: 90), .update),
        (
            "pending, start in the past", silence("s1", starts: 10, ends: 60), silence("s1", starts: -5, ends: 60),
            .replace
        ),
        ("expired, anything", silence("s1", starts: -60, ends: -10), silence("s1", starts: -60, ends: 60), .create),
    ]

    @Test("what a post does to the silence it names", arguments: cases.indices)
    func change(index: Int) {
        let (name, stored, posted, expected) = Self.cases[index]
        let change = Silence.change(posting: posted, previous: stored, now: Self.now, newID: "new-id")
        switch (change, expected) {
        case (.create(let silence), .create):
            #expect(silence.id == "new-id", "\(name)")
            #expect(silence.startsAt >= Self.now, "\(name): a new silence never starts in the past")
            #expect(silence.endsAt == posted.endsAt)
        case (.update(let silence), .update):
            #expect(silence.id == "s1", "\(name)")
            #expect(silence.startsAt == posted.startsAt && silence.endsAt == posted.endsAt)
            #expect(silence.updatedAt == Self.now)
        case (.replace(let old, let silence), .replace):
            #expect(old == "s1" && silence.id == "new-id", "\(name)")
        case (.unknown(let id), .unknown):
            #expect(id == "s1", "\(name)")
        default:
            Issue.record("\(name): expected \(expected), got \(change)")
        }
    }
}
