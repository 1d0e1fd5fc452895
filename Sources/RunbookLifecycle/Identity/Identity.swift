/// Who acts on a run: a person (or service) named by the API token they presented, with the
/// roles they may act as. An approval step's `approvers:` lists names or roles.
///
/// Identities come from configuration (named tokens in rbx.yaml), never from a request body:
/// a free-text "by" would let anyone holding a token approve as anybody.
public struct Identity: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String
    public var roles: [String]

    public init(name: String, roles: [String] = []) {
        self.name = name
        self.roles = roles
    }

    /// Whether this identity is one of `allowed` (by name or by a role). An empty list allows
    /// everyone: the step did not restrict who approves.
    public func isAny(of allowed: [String]) -> Bool {
        allowed.isEmpty || allowed.contains(name) || roles.contains(where: allowed.contains)
    }

    public var description: String { name }
}
