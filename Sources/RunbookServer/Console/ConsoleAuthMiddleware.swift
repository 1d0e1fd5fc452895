import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import RunbookCore
import RunbookLifecycle
import RunbookStore

/// Lets a request through when its session names a person whose token rbx still accepts;
/// otherwise a page asks them to sign in (a form post is refused: its data would be lost).
struct ConsoleAuthMiddleware: RouterMiddleware {
    typealias Context = RBXRequestContext
    let tokens: APITokens

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let session = context.sessions.session, let identity = tokens.identify(hexDigest: session.tokenDigest),
            identity.name == session.name
        {
            var context = context
            context.identity = identity
            return try await next(request, context)
        }
        if context.sessions.session != nil { context.sessions.clearSession() }
        guard request.method == .get else {
            return WebResponse.page(
                "<!doctype html><title>Sign in</title><p>Your session ended; <a href=\"/console/login\">sign in</a>.",
                status: .forbidden)
        }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let next = request.uri.description.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return WebResponse.redirect(to: "/console/login?next=\(next)")
    }
}
