import Crypto
public import RunbookLifecycle

/// The tokens the API accepts and whom each identifies: the shared token (`auth.token`,
/// `RBX_TOKEN`) for Alertmanager, Prometheus and scripts, and named tokens (`auth.tokens`) for
/// people. Only digests are kept, compared in constant time against every entry, so neither a
/// token's content, its length nor which entry matched leaks through timing.
public struct APITokens: Sendable {
    /// The identity of the shared token: it names no person, so an approval step with
    /// `approvers:` refuses it.
    public static let sharedIdentity = Identity(name: "shared-token")

    private var entries: [(digest: [UInt8], identity: Identity)] = []

    public init(shared: String?, named: [(token: String, identity: Identity)] = []) {
        if let shared, !shared.isEmpty { entries.append((Self.digest(shared), Self.sharedIdentity)) }
        for entry in named where !entry.token.isEmpty { entries.append((Self.digest(entry.token), entry.identity)) }
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The identity `presented` belongs to, or nil.
    public func identify(_ presented: String) -> Identity? {
        let digest = Self.digest(presented)
        var found: Identity?
        for entry in entries {
            var difference: UInt8 = 0
            for (a, b) in zip(digest, entry.digest) { difference |= a ^ b }
            if difference == 0 && found == nil { found = entry.identity }
        }
        return found
    }

    private static func digest(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Array(token.utf8))) }
}
