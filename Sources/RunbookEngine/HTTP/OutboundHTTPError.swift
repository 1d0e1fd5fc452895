import AsyncHTTPClient
import NIOCore

/// Why a request got no usable answer, sorted into what a caller words differently: a URL
/// that is not one, a server that did not answer in time, an answer too large, or no server.
public struct OutboundHTTPError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidURL = "invalid-url"
        case timeout
        case tooLarge = "too-large"
        case unreachable
    }

    public var code: Code
    /// What went wrong, for a person; holds no header value, so no secret.
    public var detail: String

    public init(code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    init(classifying error: any Error, limit: Int, timeout: Duration) {
        switch error {
        case is NIOTooManyBytesError:
            self.init(code: .tooLarge, detail: "the answer is larger than \(limit) bytes")
        case is CancellationError:
            self.init(code: .timeout, detail: "no answer in \(timeout)")
        case let error as HTTPClientError:
            let timeouts: [HTTPClientError] = [
                .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
            ]
            if timeouts.contains(error) {
                self.init(code: .timeout, detail: "no answer in \(timeout)")
            } else if [.invalidURL, .emptyHost, .emptyScheme].contains(error) {
                self.init(code: .invalidURL, detail: "not a URL rbx can send to (\(error))")
            } else {
                self.init(code: .unreachable, detail: "\(error)")
            }
        default:
            self.init(code: .unreachable, detail: "\(error)")
        }
    }

    public var description: String { detail }
}
