import HTTPTypes
import Hummingbird
import NIOCore

/// Responses for browsers: every page carries a strict Content-Security-Policy (only rbx's own
/// stylesheet and script, no inline script, no framing) and is not cached; assets are.
enum WebResponse {
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func page(
        _ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/html; charset=utf-8"
    ) -> Response {
        var response = Response(
            status: status, headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        secure(&response.headers)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    static func asset(_ text: String, contentType: String) -> Response {
        var response = Response(
            status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        secure(&response.headers)
        response.headers[.cacheControl] = "public, max-age=300"
        return response
    }

    static func redirect(to location: String) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        secure(&response.headers)
        return response
    }

    static func secure(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
    }
}
