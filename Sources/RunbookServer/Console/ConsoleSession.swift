import Crypto
import Foundation

/// What a console session keeps (hummingbird-auth stores it under a random id the cookie
/// carries): who signed in, by the digest of their token, so that removing the token from
/// rbx.yaml ends the session at its next request; and the session's CSRF token, which every
/// form posts back.
public struct ConsoleSession: Codable, Sendable, Equatable {
    public var name: String
    /// Hex SHA-256 of the token the person signed in with.
    public var tokenDigest: String
    public var csrf: String

    public init(name: String, tokenDigest: String, csrf: String = ConsoleSession.randomToken()) {
        self.name = name
        self.tokenDigest = tokenDigest
        self.csrf = csrf
    }

    /// 32 random bytes as URL-safe Base64: a CSRF token or a sign-in form's nonce.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Compares a posted CSRF token with this session's in constant time.
    public func accepts(csrf presented: String?) -> Bool {
        guard let presented else { return false }
        return Self.equalInConstantTime(presented, csrf)
    }

    static func equalInConstantTime(_ a: String, _ b: String) -> Bool {
        APITokens.equalInConstantTime(Array(SHA256.hash(data: Array(a.utf8))), Array(SHA256.hash(data: Array(b.utf8))))
    }
}
