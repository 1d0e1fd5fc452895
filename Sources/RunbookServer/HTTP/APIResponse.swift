import Foundation
import Hummingbird
import NIOCore

/// Building responses.
enum APIResponse {
    static func json(_ value: Any, status: Int = 200) -> Response {
        bytes(JSONBody.encode(value), status: status, contentType: "application/json")
    }

    static func error(_ error: APIError) -> Response { encoded(error.body, status: error.statusCode) }

    /// A typed body (``RunBody``, ``ErrorBody``, …): the CLI decodes the same types.
    static func encoded(_ value: some Encodable, status: Int = 200) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return bytes([UInt8](data) + [0x0A], status: status, contentType: "application/json")
    }

    static func bytes(_ bytes: [UInt8], status: Int = 200, contentType: String) -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Reads a body up to `limit` bytes; more is a 413 before the rest is read.
    static func body(of request: Request, limit: Int) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError(
                status: 413,
                message: "request body of \(length) bytes is over the limit of \(limit) bytes (server.max_body)")
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError(status: 413, message: "request body is over the limit of \(limit) bytes (server.max_body)")
        }
    }
}
