import ArgumentParser
import Foundation

// argument-parser exits 64 (EX_USAGE) on bad arguments; rbx promises 2 for usage errors,
// like grep, diff and promtool, so scripts can tell "bad invocation" from "check failed".

/// Opens the existential so the `async` `run()` is called, not `ParsableCommand`'s sync one.
func runAsync(_ command: inout some AsyncParsableCommand) async throws {
    try await command.run()
}

/// The arguments rbx was started with. Swift finds them through `environ`, which a preloaded
/// library that edits the environment at load (libfaketime, some tracers) moves: then
/// `CommandLine.arguments` is empty and every invocation would print the top-level help.
/// The kernel's copy in /proc/self/cmdline is the fallback.
func startArguments() -> [String] {
    if !CommandLine.arguments.isEmpty { return Array(CommandLine.arguments.dropFirst()) }
    guard let data = FileManager.default.contents(atPath: "/proc/self/cmdline") else { return [] }
    return data.split(separator: 0, omittingEmptySubsequences: false).dropFirst().dropLast(data.last == 0 ? 1 : 0)
        .map { String(decoding: $0, as: UTF8.self) }
}

do {
    var command = try Rbx.parseAsRoot(startArguments())
    if var asyncCommand = command as? any AsyncParsableCommand {
        try await runAsync(&asyncCommand)
    } else {
        try command.run()
    }
} catch {
    if Rbx.exitCode(for: error) == .validationFailure {
        Output.write(Rbx.fullMessage(for: error) + "\n", to: .standardError)
        Output.exit(RbxExit.usage)
    }
    Rbx.exit(withError: error)
}
