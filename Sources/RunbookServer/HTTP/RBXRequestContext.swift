public import Hummingbird
public import RunbookLifecycle

/// The request context of rbx's router: Hummingbird's core storage plus who is calling, set
/// by ``TokenAuthMiddleware`` from the token presented, so handlers never take identity from a
/// request body.
public struct RBXRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Nil until the token middleware has identified the caller (routes outside `/api`).
    public var identity: Identity?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
    }
}
