/// The engine's API for people: approve or deny an approval step, acknowledge or resolve a run.
///
/// Commands are stored until the run looks at them; a live run checks at least once a second
/// while it waits, so a decision takes effect within a second.
public actor RunControl {
    public enum Decision: Sendable, Equatable { case approved(by: String?), denied(by: String?) }

    private var decisions: [String: Decision] = [:]
    private var acknowledged: String??
    private var resolved: String??

    public init() {}

    public func approve(step: String, by person: String? = nil) { decisions[step] = .approved(by: person) }
    public func deny(step: String, by person: String? = nil) { decisions[step] = .denied(by: person) }
    public func acknowledge(by person: String? = nil) { acknowledged = .some(person) }
    public func resolve(by person: String? = nil) { resolved = .some(person) }

    func decision(for step: String) -> Decision? { decisions[step] }
    var isAcknowledged: Bool { acknowledged != nil }
    var isResolved: Bool { resolved != nil }
}
