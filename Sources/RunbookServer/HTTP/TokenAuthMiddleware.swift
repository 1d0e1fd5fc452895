import Crypto
import Hummingbird

/// Bearer-token auth for `/api/…`. Tokens are compared as SHA-256 digests in constant time,
/// so neither the content nor the length of the expected token leaks through timing.
struct TokenAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    private let expected: [UInt8]

    init(token: String) { expected = Array(SHA256.hash(data: Array(token.utf8))) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            matches(String(header.dropFirst("Bearer ".count)))
        else {
            var response = APIResponse.error(APIError(status: 401, message: "missing or wrong bearer token (Authorization: Bearer …)"))
            response.headers[.wwwAuthenticate] = "Bearer realm=\"rbx\""
            return response
        }
        return try await next(request, context)
    }

    private func matches(_ presented: String) -> Bool {
        let digest = Array(SHA256.hash(data: Array(presented.utf8)))
        var difference: UInt8 = 0
        for (a, b) in zip(digest, expected) { difference |= a ^ b }
        return difference == 0
    }
}
