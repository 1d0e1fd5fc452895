import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An HTTP/1.1 server on 127.0.0.1 that answers each request as the test scripts it, keeps
/// connections alive, and counts the connections it accepted (to see reuse).
///
/// POSIX sockets on its own threads, as ``OneShotHTTPServer``: the point is to be the far end
/// that async-http-client really talks to, including ends no real server would choose (a body
/// that trickles in, an answer far larger than asked for).
final class ScriptedHTTPServer: @unchecked Sendable {
    // @unchecked: `connections` and `requests` are written by server threads under `lock`.
    struct Answer: Sendable {
        var status = 200
        var headers: [String: String] = [:]
        var body: [UInt8] = []
        /// The body is sent in this many pieces with `pause` between them.
        var pieces = 1
        var pause: Duration = .zero
    }

    let port: Int
    private let listener: Int32
    private let script: @Sendable (Int) -> Answer
    private let lock = NSLock()
    private var connectionCount = 0
    private var requestCount = 0

    init(_ script: @escaping @Sendable (_ requestIndex: Int) -> Answer) throws {
        self.script = script
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 16) == 0
                    && getsockname(listener, $0, &length) == 0
            }
        }
        guard listening else {
            close(listener)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit { close(listener) }

    var connections: Int { lock.withLock { connectionCount } }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            lock.withLock { connectionCount += 1 }
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var buffered: [UInt8] = []
        while let head = readHead(connection, &buffered) {
            let length = Self.contentLength(head)
            while buffered.count < length {
                guard let more = readSome(connection) else { return }
                buffered += more
            }
            buffered.removeFirst(min(length, buffered.count))
            let index = lock.withLock {
                defer { requestCount += 1 }
                return requestCount
            }
            guard answer(script(index), on: connection) else { return }
        }
    }

    private func answer(_ answer: Answer, on connection: Int32) -> Bool {
        var head = "HTTP/1.1 \(answer.status) Scripted\r\nContent-Length: \(answer.body.count)\r\n"
        for (name, value) in answer.headers { head += "\(name): \(value)\r\n" }
        guard write(Array((head + "\r\n").utf8), to: connection) else { return false }
        let size = max(1, (answer.body.count + answer.pieces - 1) / max(1, answer.pieces))
        var offset = 0
        while offset < answer.body.count {
            if offset > 0, answer.pause > .zero { Thread.sleep(forTimeInterval: Self.seconds(answer.pause)) }
            let end = min(answer.body.count, offset + size)
            guard write(Array(answer.body[offset..<end]), to: connection) else { return false }
            offset = end
        }
        return true
    }

    private func readHead(_ connection: Int32, _ buffered: inout [UInt8]) -> String? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if let range = buffered.firstRange(of: separator) {
                let head = String(decoding: buffered[..<range.lowerBound], as: UTF8.self)
                buffered.removeFirst(range.upperBound)
                return head
            }
            guard let more = readSome(connection) else { return nil }
            buffered += more
        }
    }

    private func readSome(_ connection: Int32) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let count = chunk.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
        return count > 0 ? Array(chunk[..<count]) : nil
    }

    private func write(_ bytes: [UInt8], to connection: Int32) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes {
                send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }

    private static func contentLength(_ head: String) -> Int {
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            return Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
