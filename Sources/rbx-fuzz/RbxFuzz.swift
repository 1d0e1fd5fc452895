import Foundation
import RunbookFuzzing

/// The fuzz binary (issue 13): one executable for every ``FuzzTarget``, chosen with
/// `--target=NAME` (libFuzzer ignores flags that start with `--`, and passes argv on to the
/// processes it forks), so the package gains one executable rather than four.
///
/// `scripts/fuzz` builds it with `-DRBX_FUZZ -sanitize=fuzzer,address`: then `main` hands
/// the process to libFuzzer. SwiftPM links an executable's `main` to this module's entry
/// point, so libFuzzer's own `main` is never the one that runs, and `LLVMFuzzerRunDriver`
/// is how to start it from ours. An ordinary `swift build` (no libFuzzer to link) makes a
/// replayer instead, for a debugger or a quick check: `rbx-fuzz TARGET FILE_OR_DIR...`.
@main
enum RbxFuzz {
    static func main() {
        #if RBX_FUZZ
            guard selectedTarget != nil else { usage() }
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(runLibFuzzer(&argc, &argv, fuzzOne))
        #else
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
                usage()
            }
            var count = 0
            for path in arguments.dropFirst() {
                for file in files(at: path) {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        FileHandle.standardError.write(Data("rbx-fuzz: cannot read \(file)\n".utf8))
                        exit(1)
                    }
                    target.exercise([UInt8](data))
                    count += 1
                }
            }
            print("rbx-fuzz: \(target.rawValue): \(count) inputs ran without a crash")
        #endif
    }

    static func usage() -> Never {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
        #if RBX_FUZZ
            let line = "usage: rbx-fuzz --target=\(names) [libFuzzer flags] [CORPUS_DIR...]"
        #else
            let line = "usage: rbx-fuzz \(names) FILE_OR_DIR..."
        #endif
        FileHandle.standardError.write(Data((line + "\n").utf8))
        exit(2)
    }

    /// A file, or every file directly in a directory, in name order.
    static func files(at path: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [path] }
        return names.filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
    }
}

#if RBX_FUZZ
    /// The target named by `--target=NAME`; a global because libFuzzer's callback is a C
    /// function pointer and can capture nothing.
    let selectedTarget: FuzzTarget? = CommandLine.arguments.lazy.compactMap { argument in
        argument.hasPrefix("--target=") ? FuzzTarget(rawValue: String(argument.dropFirst("--target=".count))) : nil
    }.first

    let fuzzOne: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
        selectedTarget?.exercise(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }

    /// libFuzzer's entry for a program that has its own `main` (compiler-rt's FuzzerInterface.h).
    @_extern(c, "LLVMFuzzerRunDriver")
    func runLibFuzzer(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt
#endif
