import Foundation
public import RunbookCore
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Asks Prometheus over HTTP with Foundation's URLSession, as the webhook notifier does (one
/// HTTP client in the engine; a later change moves both to async-http-client at once).
///
/// The query is POSTed as a form to `/api/v1/query` (no URL length limit), with Prometheus'
/// own `timeout` parameter set to the step's bound. The whole exchange is bounded in time
/// (the session's resource timeout) and in size: the body is read as it arrives and the
/// transfer cancelled once it passes the limit, so a runaway answer never fills memory.
public struct URLSessionPrometheusClient: PrometheusClient {
    public init() {}

    public func instantQuery(_ request: PrometheusRequest) async throws(PrometheusQueryError) -> QueryResult {
        guard let url = URL(string: request.endpoint), url.host != nil else {
            throw PrometheusQueryError(code: .unreachable, message: "\(request.baseURL) is not a URL rbx can ask")
        }
        // FoundationNetworking counts its timeouts in whole seconds (below one it gives up at
        // once), so they are a backstop rounded up; the exact bound is the timer below.
        let seconds = max(1, (Double(request.timeout.totalMilliseconds) / 1000).rounded(.up)) + 1
        var http = URLRequest(url: url, timeoutInterval: seconds)
        http.httpMethod = "POST"
        http.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        http.setValue("application/json", forHTTPHeaderField: "Accept")
        if let token = request.token { http.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let form = "query=\(Self.formEncoded(request.query))&timeout=\(request.timeout.totalMilliseconds)ms"
        http.httpBody = Data(form.utf8)

        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        let collector = BoundedBody(limit: request.sizeLimit)
        let session = URLSession(configuration: configuration, delegate: collector, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: http)
        let timer = Task {
            try await Task.sleep(for: request.timeout)
            collector.timeOut(task)
        }
        defer { timer.cancel() }
        let outcome = await withCheckedContinuation { continuation in
            collector.start(task, then: continuation)
        }
        switch outcome {
        case .failure(let error): throw error
        case .success(let (status, body)):
            return try PrometheusResponse.parse(body, status: status, query: request.query, server: request.baseURL)
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

/// Collects one response body up to a limit and hands over the outcome once.
///
/// `@unchecked Sendable`: URLSession calls the delegate on its own queue; every mutable field
/// sits in the `Mutex`.
private final class BoundedBody: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    typealias Outcome = Result<(Int, [UInt8]), PrometheusQueryError>

    private struct State {
        var body: [UInt8] = []
        var status = 0
        var failure: PrometheusQueryError?
        var continuation: CheckedContinuation<Outcome, Never>?
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) { self.limit = limit }

    func start(_ task: URLSessionDataTask, then continuation: CheckedContinuation<Outcome, Never>) {
        state.withLock { $0.continuation = continuation }
        task.resume()
    }

    /// The query's time is up: the transfer is cancelled and the outcome is a timeout.
    func timeOut(_ task: URLSessionDataTask) {
        let first = state.withLock { state -> Bool in
            guard state.failure == nil, state.continuation != nil else { return false }
            state.failure = PrometheusQueryError(code: .timeout, message: "Prometheus did not answer in time")
            return true
        }
        if first { task.cancel() }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let tooLarge = response.expectedContentLength > Int64(limit)
        state.withLock {
            $0.status = status
            if tooLarge { $0.failure = self.tooLarge() }
        }
        completionHandler(tooLarge ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let over = state.withLock { state -> Bool in
            guard state.failure == nil else { return true }
            if state.body.count + data.count > limit {
                state.failure = tooLarge()
                return true
            }
            state.body.append(contentsOf: data)
            return false
        }
        if over { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, outcome) = state.withLock { state -> (CheckedContinuation<Outcome, Never>?, Outcome) in
            let continuation = state.continuation
            state.continuation = nil
            if let failure = state.failure { return (continuation, .failure(failure)) }
            if let error {
                let nsError = error as NSError
                let timedOut = nsError.domain == NSURLErrorDomain && nsError.code == NSURLErrorTimedOut
                return (
                    continuation,
                    .failure(
                        PrometheusQueryError(
                            code: timedOut ? .timeout : .unreachable,
                            message: timedOut
                                ? "Prometheus did not answer in time"
                                : "cannot reach Prometheus: \(nsError.localizedDescription)"))
                )
            }
            return (continuation, .success((state.status, state.body)))
        }
        continuation?.resume(returning: outcome)
    }

    private func tooLarge() -> PrometheusQueryError {
        PrometheusQueryError(
            code: .tooLarge,
            message: "Prometheus' answer is larger than \(limit) bytes (defaults.output_limit); aggregate the query "
                + "(sum by, topk) so it returns fewer series")
    }
}
