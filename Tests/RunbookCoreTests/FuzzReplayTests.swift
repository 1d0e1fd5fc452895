import Foundation
import RunbookFuzzing
import Testing

/// Replays the fuzz seed corpus and every crash input `scripts/fuzz` saved (`Tests/Fuzz/corpus/<target>/`,
/// `Tests/Fuzz/crashes/<target>/`) through the code the fuzzer ran (``FuzzTarget/exercise(_:)``), so a
/// crash once found and fixed stays fixed without libFuzzer.
///
/// A crash ends the test process, as it ended the fuzzer: the replay thread is named after the input, and the
/// backtrace names the thread. `swift run rbx-fuzz TARGET FILE` replays one input alone.
@Suite("Fuzz corpus and crash replay")
struct FuzzReplayTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz")

    static func inputs(_ kind: String, of target: FuzzTarget) -> [URL] {
        let directory = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func replay(target: FuzzTarget) async throws {
        let corpus = Self.inputs("corpus", of: target)
        #expect(corpus.count >= 5, "the seed corpus of \(target.rawValue) is missing")
        let inputs = try (corpus + Self.inputs("crashes", of: target)).map {
            ($0.lastPathComponent, try Data(contentsOf: $0))
        }
        let replayed = await Self.onLargeStack(name: "fuzz-replay \(target.rawValue)") { thread in
            for (name, data) in inputs {
                thread.name = "fuzz-replay \(target.rawValue)/\(name)"
                target.exercise([UInt8](data))
            }
            return inputs.count
        }
        #expect(replayed == inputs.count)
    }

    /// Runs `body` on a thread of its own with the 8 MiB stack libFuzzer's main thread has: the parsers recurse
    /// as deep as their nesting limits allow, and a test-pool thread's stack is smaller. It also keeps CPU work
    /// off the pool the other tests share.
    static func onLargeStack<T: Sendable>(name: String, _ body: @escaping @Sendable (Thread) -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: body(Thread.current))
            }
            thread.name = name
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
