public import Hummingbird
public import HummingbirdAuth
public import RunbookLifecycle

/// The request context of rbx's router: Hummingbird's core storage plus who is calling, set
/// by ``TokenAuthMiddleware`` from the token presented (the API) or by the console's session,
/// so handlers never take identity from a request body.
public struct RBXRequestContext: RequestContext, SessionRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Nil until a middleware has identified the caller.
    public var identity: Identity?
    /// The console's signed-in session (hummingbird-auth), for `/console` routes.
    public let sessions: SessionContext<ConsoleSession>

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        sessions = .init()
    }
}
