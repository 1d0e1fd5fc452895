import Subprocess

/// One output stream, read to the end but kept only up to a limit.
///
/// swift-subprocess's collecting outputs (`.bytes(limit:)`, `.string(limit:)`) *throw*
/// `outputLimitExceeded` and stop reading once the limit is passed, which would lose the
/// whole result and can leave the child blocked on a full pipe. rbx wants the opposite: keep the
/// first `limit` bytes, keep draining (and discarding) the rest so the child never blocks, and
/// record that truncation happened. So the runner asks for `.sequence` output and counts here.
struct CappedOutput: Sendable, Hashable {
    /// The first `limit` bytes of the stream.
    var kept: [UInt8] = []
    /// Every byte read, kept or discarded.
    var total: Int = 0

    /// Whether bytes were discarded.
    var truncated: Bool { total > kept.count }

    /// Appends a chunk, keeping at most `limit` bytes in total.
    mutating func append(_ chunk: UnsafeRawBufferPointer, limit: Int) {
        total += chunk.count
        let room = limit - kept.count
        if room > 0 {
            kept.append(contentsOf: chunk.prefix(room))
        }
    }

    /// Reads `stream` until it ends, keeping the first `limit` bytes.
    ///
    /// The stream ends at end-of-file, or when swift-subprocess stops waiting because the child
    /// exited while a grandchild still holds the pipe open; bytes already in the pipe are
    /// drained first in both cases.
    ///
    /// - Throws: `SubprocessError` when reading the pipe fails.
    static func read(
        _ stream: SubprocessOutputSequence, limit: Int
    ) async throws -> CappedOutput {
        var output = CappedOutput()
        // Reserve for the common small output, not the limit: most steps print little.
        output.kept.reserveCapacity(min(limit, 64 * 1024))
        for try await buffer in stream {
            buffer.withUnsafeBytes { output.append($0, limit: limit) }
        }
        return output
    }
}
