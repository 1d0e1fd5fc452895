import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import RunbookCore
import RunbookLifecycle
import RunbookStore

/// Signing in with a named token and the form's nonce; `next` never leaves the console.
extension ConsoleRoutes {
    // MARK: Signing in

    func signInPage(next: String?, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let nonce = ConsoleSession.randomToken()
        var response = WebResponse.page(
            pages.render(
                "login",
                [
                    "title": "Sign in", "csrf": nonce, "next": Self.localPath(next) ?? "/console/runs",
                    "error": error ?? "",
                ]),
            status: status)
        response.setCookie(
            Cookie(
                name: Self.signInCookie, value: nonce, maxAge: 1800, path: "/console/login", secure: secureCookies,
                httpOnly: true, sameSite: .strict))
        return response
    }

    func signIn(_ request: Request, _ context: RBXRequestContext) async throws -> Response {
        let fields = try await ConsoleForm.decode(request)
        guard let nonce = request.cookies[Self.signInCookie]?.value, let posted = fields["csrf"],
            ConsoleSession.equalInConstantTime(String(nonce), posted)
        else {
            return signInPage(
                next: fields["next"], error: "The sign-in form expired or came from elsewhere; sign in again.",
                status: .forbidden)
        }
        let token = fields.text("token").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let identity = tokens.identify(token) else {
            dependencies.logger.notice("console sign-in refused: unknown token")
            return signInPage(next: fields["next"], error: "That token is not one rbx knows.", status: .unauthorized)
        }
        guard identity != APITokens.sharedIdentity else {
            return signInPage(
                next: fields["next"],
                error: "The shared token names no person; sign in with your own token (auth.tokens in rbx.yaml).",
                status: .unauthorized)
        }
        context.sessions.createSession(ConsoleSession(name: identity.name, tokenDigest: APITokens.hexDigest(of: token)))
        dependencies.logger.info("console sign-in", metadata: ["by": .string(identity.name)])
        var response = WebResponse.redirect(to: Self.localPath(fields["next"]) ?? "/console/runs")
        response.setCookie(
            Cookie(name: Self.signInCookie, value: "", maxAge: 0, path: "/console/login", secure: secureCookies))
        return response
    }

    /// `next` when it is a console path on this server, never another site.
    static func localPath(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/console/"), !next.hasPrefix("//"), !next.contains("\\"),
            next.utf8.count <= 2000, !next.contains(where: { $0.isNewline })
        else { return nil }
        return next
    }
}
