public import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Every HTTP request rbx makes (webhooks, Prometheus queries, `rbx doctor`, the CLI's calls to
/// `rbx serve`) goes through here, so each is bounded the same way: one deadline for the whole
/// exchange, body included, and a size limit on the answer.
///
/// async-http-client keeps connections alive between requests (a ladder paging the same webhook
/// reuses one) and verifies TLS against the system's trust store. Redirects are not followed: a
/// webhook's secret header must not travel to a host the catalog did not name, so a 3xx is an
/// answer the caller reports, with its `Location`.
public struct OutboundHTTP: Sendable {
    let client: HTTPClient

    /// The process's client; created on first use and never shut down, like `HTTPClient.shared`
    /// (whose configuration follows redirects, which rbx does not want).
    ///
    /// A connection that fails is not retried here (async-http-client would retry until its
    /// connect timeout): rbx's delivery policy retries a page with backoff, records each attempt
    /// in the run's timeline and pages the fallback, and it must hear of a refused connection
    /// at once to do that.
    public static let shared: OutboundHTTP = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(60)),
            decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        return OutboundHTTP(
            client: HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration))
    }()

    public init(client: HTTPClient) {
        self.client = client
    }

    /// Sends `request` and collects the answer; never longer than `request.timeout`.
    public func send(_ request: OutboundRequest) async throws(OutboundHTTPError) -> OutboundResponse {
        // Refused here, before the client: its error for another scheme carries the scheme as
        // text, which only string matching could tell apart.
        let scheme = request.url.prefix { $0 != ":" }.lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw OutboundHTTPError(code: .invalidURL, detail: "not a URL rbx can send to (http or https)")
        }
        var http = HTTPClientRequest(url: request.url)
        http.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        if let body = request.body { http.body = .bytes(ByteBuffer(bytes: body)) }
        let timeout = request.timeout
        let limit = request.sizeLimit
        let cuts = request.cutsOversizedBody
        let client = client
        let prepared = http
        do {
            return try await withThrowingTaskGroup(of: OutboundResponse?.self) { group in
                group.addTask {
                    let response = try await client.execute(prepared, timeout: TimeAmount(timeout))
                    let location = response.headers.first(name: "location")
                    var body: [UInt8] = []
                    for try await chunk in response.body {
                        guard body.count + chunk.readableBytes <= limit else {
                            if cuts { break }
                            throw NIOTooManyBytesError(maxBytes: limit)
                        }
                        body.append(contentsOf: chunk.readableBytesView)
                    }
                    return OutboundResponse(status: Int(response.status.code), body: body, location: location)
                }
                // The deadline async-http-client takes ends when the head arrives; this one
                // also covers a body that trickles in.
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let response = first else {
                    throw OutboundHTTPError(code: .timeout, detail: "no answer in \(timeout)")
                }
                return response
            }
        } catch let error as OutboundHTTPError {
            throw error
        } catch {
            throw OutboundHTTPError(classifying: error, limit: limit, timeout: timeout)
        }
    }
}

/// One request: what to send and how long and how much to wait for.
public struct OutboundRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?
    public var timeout: Duration
    /// An answer larger than this fails the request (``OutboundHTTPError/Code/tooLarge``)...
    public var sizeLimit: Int
    /// ... unless the caller needs only the status (a webhook was delivered whatever it says
    /// back): then the body is cut at the limit and the rest never read.
    public var cutsOversizedBody: Bool

    public init(
        method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: Duration, sizeLimit: Int = 1 << 20, cutsOversizedBody: Bool = false
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.sizeLimit = sizeLimit
        self.cutsOversizedBody = cutsOversizedBody
    }
}

/// The answer, whatever its status: the caller decides what a status means.
public struct OutboundResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    /// Where a 3xx points, for the message that tells a person to fix the URL.
    public var location: String?
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
