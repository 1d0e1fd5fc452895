import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A browser's part in console tests over real HTTP: keeps the cookies the server sets (as a
/// browser would for this host) and posts forms the way HTML forms do.
final class ConsoleClient: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    /// The raw `Set-Cookie` lines of the last response.
    private(set) var lastSetCookies: [String] = []

    init(_ client: any TestClientProtocol) { self.client = client }

    @discardableResult
    func get(_ path: String) async throws -> TestResponse {
        try await send(.get, path, body: nil)
    }

    @discardableResult
    func post(_ path: String, _ fields: [String: String]) async throws -> TestResponse {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
        return try await send(.post, path, body: body)
    }

    /// Signs in with `token` through the sign-in form; returns the final response.
    @discardableResult
    func signIn(_ token: String, next: String = "/console/runs") async throws -> TestResponse {
        let form = try await get("/console/login")
        return try await post(
            "/console/login", ["csrf": try Self.csrf(in: form.text), "token": token, "next": next])
    }

    /// The CSRF token a page's forms carry.
    static func csrf(in page: String) throws -> String {
        guard let range = page.range(of: #"name="csrf" value=""#),
            let end = page[range.upperBound...].firstIndex(of: "\"")
        else { throw ConsolePageError(page: page) }
        return String(page[range.upperBound..<end])
    }

    private func send(_ method: HTTPRequest.Method, _ path: String, body: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        let cookie = cookies.filter { !$0.value.isEmpty }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        if !cookie.isEmpty { headers[.cookie] = cookie }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.execute(
            uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        lastSetCookies = response.headers[values: .setCookie]
        for line in lastSetCookies {
            let pair = line.split(separator: ";", maxSplits: 1)[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[pair.index(after: equals)...])
            // Path scoping is ignored: every console cookie is sent, which only makes refusals harder.
            cookies[name] = line.contains("Max-Age=0") ? "" : value
        }
        return response
    }
}

struct ConsolePageError: Error, CustomStringConvertible {
    var page: String
    var description: String { "no CSRF token in the page: \(page.prefix(400))" }
}
