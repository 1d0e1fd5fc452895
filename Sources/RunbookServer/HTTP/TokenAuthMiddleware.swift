import Hummingbird

/// Bearer-token auth for `/api/…`: the token names the caller (``APITokens``), and the
/// identity goes into the request context for the handlers.
struct TokenAuthMiddleware: RouterMiddleware {
    typealias Context = RBXRequestContext
    let tokens: APITokens

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            let identity = tokens.identify(String(header.dropFirst("Bearer ".count)))
        else {
            var response = APIResponse.error(
                APIError(status: 401, message: "missing or wrong bearer token (Authorization: Bearer …)"))
            response.headers[.wwwAuthenticate] = "Bearer realm=\"rbx\""
            return response
        }
        var context = context
        context.identity = identity
        return try await next(request, context)
    }
}
