import Foundation
import Synchronization

/// Progress of long work on standard error, only when it is a terminal (a pipe or a CI log gets
/// nothing): one line rewritten in place (`rendering runbook pages 120/2000`), at most ten times
/// a second, cleared when the work ends so the command's own output starts on a clean line.
final class TerminalProgress: Sendable {
    private let label: String
    private let enabled: Bool
    private let lastDrawn = Mutex<ContinuousClock.Instant?>(nil)

    init(_ label: String, enabled: Bool = isatty(2) == 1) {
        self.label = label
        self.enabled = enabled
    }

    /// `done` of `total` are finished.
    func update(_ done: Int, _ total: Int) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let draw = lastDrawn.withLock { last -> Bool in
            guard done == total || last.map({ now - $0 >= .milliseconds(100) }) ?? true else { return false }
            last = now
            return true
        }
        if draw { FileHandle.standardError.write(Data("\r\(label) \(done)/\(total)\u{1B}[K".utf8)) }
    }

    /// Clears the progress line.
    func finish() {
        guard enabled, lastDrawn.withLock({ $0 != nil }) else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// Several pieces of work counted as one (`rbx diff` loads both catalogs at once): each part
/// reports its own `(done, total)`, the progress line shows the sums.
final class ProgressTally: Sendable {
    private let parts: Mutex<[Int: (done: Int, total: Int)]>
    private let progress: TerminalProgress

    init(_ progress: TerminalProgress) {
        self.progress = progress
        parts = Mutex([:])
    }

    /// The reporter for part `index`.
    func part(_ index: Int) -> @Sendable (_ done: Int, _ total: Int) -> Void {
        { [self] done, total in
            let (sumDone, sumTotal) = parts.withLock { parts -> (Int, Int) in
                parts[index] = (done, total)
                return parts.values.reduce((0, 0)) { ($0.0 + $1.done, $0.1 + $1.total) }
            }
            progress.update(sumDone, sumTotal)
        }
    }
}
