import Foundation
public import RunbookCore

/// Asks Prometheus over HTTP, through the same client as webhooks (``OutboundHTTP``).
///
/// The query is POSTed as a form to `/api/v1/query` (no URL length limit), with Prometheus'
/// own `timeout` parameter set to the step's bound. The whole exchange is bounded in time and
/// in size: a runaway answer fails the query instead of filling memory.
public struct HTTPPrometheusClient: PrometheusClient {
    let http: OutboundHTTP

    public init(http: OutboundHTTP = .shared) {
        self.http = http
    }

    public func instantQuery(_ request: PrometheusRequest) async throws(PrometheusQueryError) -> QueryResult {
        guard let url = URL(string: request.endpoint), url.host != nil else {
            throw PrometheusQueryError(code: .unreachable, message: "\(request.baseURL) is not a URL rbx can ask")
        }
        var headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")]
        if let token = request.token { headers.append(("Authorization", "Bearer \(token)")) }
        let form = "query=\(Self.formEncoded(request.query))&timeout=\(request.timeout.totalMilliseconds)ms"
        let outbound = OutboundRequest(
            method: "POST", url: request.endpoint, headers: headers, body: Array(form.utf8),
            timeout: request.timeout, sizeLimit: request.sizeLimit)
        let response: OutboundResponse
        do {
            response = try await http.send(outbound)
        } catch {
            throw Self.queryError(error, limit: request.sizeLimit)
        }
        return try PrometheusResponse.parse(
            response.body, status: response.status, query: request.query, server: request.baseURL)
    }

    static func queryError(_ error: OutboundHTTPError, limit: Int) -> PrometheusQueryError {
        switch error.code {
        case .timeout:
            PrometheusQueryError(code: .timeout, message: "Prometheus did not answer in time")
        case .tooLarge:
            PrometheusQueryError(
                code: .tooLarge,
                message: "Prometheus' answer is larger than \(limit) bytes (defaults.output_limit); aggregate the "
                    + "query (sum by, topk) so it returns fewer series")
        case .invalidURL, .unreachable:
            PrometheusQueryError(code: .unreachable, message: "cannot reach Prometheus: \(error.detail)")
        }
    }

    /// `application/x-www-form-urlencoded`: everything but unreserved characters escaped.
    static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
