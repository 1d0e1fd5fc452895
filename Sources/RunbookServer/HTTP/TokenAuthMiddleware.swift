import Crypto
import Hummingbird
import NIOCore

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

/// Building responses.
enum APIResponse {
    static func json(_ value: Any, status: Int = 200) -> Response {
        bytes(JSONBody.encode(value), status: status, contentType: "application/json")
    }

    static func error(_ error: APIError) -> Response { json(error.json, status: error.status) }

    static func bytes(_ bytes: [UInt8], status: Int = 200, contentType: String) -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Reads a body up to `limit` bytes; more is a 413 before the rest is read.
    static func body(of request: Request, limit: Int) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError(status: 413, message: "request body of \(length) bytes is over the limit of \(limit) bytes (server.max_body)")
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError(status: 413, message: "request body is over the limit of \(limit) bytes (server.max_body)")
        }
    }
}
