import Foundation
import Hummingbird
import RunbookCore

/// An API failure with the status it maps to and, for bad input, the JSON field at fault.
/// Transient store trouble is 503, never 4xx: Alertmanager and Prometheus drop an alert for
/// good on 4xx and retry on 5xx. A handler may throw it straight to Hummingbird
/// (`HTTPResponseError`), which answers with the same ``ErrorBody``.
struct APIError: Error, HTTPResponseError {
    var statusCode: Int
    var message: String
    var field: String?
    var refused: [ErrorBody.Refusal]?

    init(status: Int, message: String, field: String? = nil, refused: [ErrorBody.Refusal]? = nil) {
        statusCode = status
        self.message = message
        self.field = field
        self.refused = refused
    }

    var status: HTTPResponse.Status { HTTPResponse.Status(code: statusCode) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        APIResponse.error(self)
    }

    static func badRequest(_ message: String, field: String?) -> APIError {
        APIError(status: 400, message: message, field: field)
    }
    /// A body Alertmanager's API would refuse, with the status it gives.
    static func alerts(_ error: AlertDecodingError) -> APIError {
        APIError(status: error.kind == .incomplete ? 422 : 400, message: error.message, field: error.field)
    }

    /// Some alerts of a post were refused; the others were taken.
    static func refused(_ refusals: [AlertDecodingError], taken: Int) -> APIError {
        let listed = refusals.prefix(10).map(\.description).joined(separator: "; ")
        let more = refusals.count > 10 ? "; and \(refusals.count - 10) more" : ""
        return APIError(
            status: 400,
            message: "\(refusals.count) alert(s) refused, \(taken) taken: \(listed)\(more)",
            field: refusals.first?.field,
            refused: refusals.map { ErrorBody.Refusal(field: $0.field, error: $0.message) })
    }

    static func notFound(_ message: String) -> APIError { APIError(status: 404, message: message) }
    static func unavailable(_ message: String) -> APIError { APIError(status: 503, message: message) }

    var body: ErrorBody { ErrorBody(error: message, field: field, status: statusCode, refused: refused) }
}

/// JSON in and out, with JSONSerialization (no schema types for free-form label maps).
enum JSONBody {
    static func object(_ bytes: [UInt8]) throws(APIError) -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw APIError.badRequest("not valid JSON", field: nil)
        }
    }

    static func encode(_ value: Any) -> [UInt8] {
        guard JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return Array("{}".utf8) }
        return [UInt8](data) + [0x0A]
    }
}
