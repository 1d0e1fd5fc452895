import Hummingbird
import HummingbirdAuth
import RunbookLifecycle

/// Reading a posted console form: the only way a console handler gets one, so none can skip
/// the CSRF check. The form's `csrf` must be the session's; the body is bounded.
enum ConsoleForm {
    static let maxBytes = 64 * 1024

    /// What a posted form says, by field.
    struct Fields {
        var values: [String: String]
        subscript(_ name: String) -> String? { values[name] }
        func text(_ name: String) -> String { values[name] ?? "" }
    }

    /// The form of a signed-in person's request, after its CSRF token is checked.
    static func read(_ request: Request, context: RBXRequestContext) async throws -> Fields {
        let fields = try await decode(request)
        guard let session = context.sessions.session, session.accepts(csrf: fields["csrf"]) else {
            throw ConsoleError.forbidden(
                "this form's security token is missing or out of date (the page may be older than your sign-in); "
                    + "reload the page and try again")
        }
        return fields
    }

    /// The fields of a form without a session yet (sign-in checks its own nonce).
    static func decode(_ request: Request) async throws -> Fields {
        let bytes = try await APIResponse.body(of: request, limit: maxBytes)
        let text = String(decoding: bytes, as: UTF8.self)
        let values: [String: String]
        do {
            values = try URLEncodedFormDecoder().decode([String: String].self, from: text)
        } catch {
            throw ConsoleError.badRequest("the form could not be read; reload the page and try again")
        }
        return Fields(values: values)
    }
}

/// A console request refused, shown as a page.
struct ConsoleError: Error {
    var status: HTTPResponse.Status
    var heading: String
    var message: String

    static func forbidden(_ message: String) -> ConsoleError {
        ConsoleError(status: .forbidden, heading: "Refused", message: message)
    }

    static func badRequest(_ message: String) -> ConsoleError {
        ConsoleError(status: .badRequest, heading: "That did not work", message: message)
    }

    static func notFound(_ message: String) -> ConsoleError {
        ConsoleError(status: .notFound, heading: "Not found", message: message)
    }
}
