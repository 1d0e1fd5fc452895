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
    public func identify(_ presented: String) -> Identity? { identify(digest: Self.digest(presented)) }

    /// The identity of the token whose SHA-256 is `hexDigest` (a console session keeps only that).
    public func identify(hexDigest: String) -> Identity? {
        guard hexDigest.utf8.count == 64 else { return nil }
        var digest: [UInt8] = []
        var index = hexDigest.startIndex
        while index < hexDigest.endIndex {
            let next = hexDigest.index(index, offsetBy: 2)
            guard let byte = UInt8(hexDigest[index..<next], radix: 16) else { return nil }
            digest.append(byte)
            index = next
        }
        return identify(digest: digest)
    }

    /// Hex SHA-256 of a token, as a console session records it.
    public static func hexDigest(of token: String) -> String {
        let hex = Array("0123456789abcdef")
        return String(digest(token).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0x0F)]] })
    }

    private func identify(digest: [UInt8]) -> Identity? {
        var found: Identity?
        for entry in entries {
            if Self.equalInConstantTime(digest, entry.digest) && found == nil { found = entry.identity }
        }
        return found
    }

    /// Whether two digests of one length are equal, reading every byte whatever differs.
    static func equalInConstantTime(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        var difference: UInt8 = left.count == right.count ? 0 : 1
        for (a, b) in zip(left, right) { difference |= a ^ b }
        return difference == 0
    }

    private static func digest(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Array(token.utf8))) }
}
