import ArgumentParser

// argument-parser exits 64 (EX_USAGE) on bad arguments; rbx promises 2 for usage errors,
// like grep, diff and promtool, so scripts can tell "bad invocation" from "check failed".

/// Opens the existential so the `async` `run()` is called, not `ParsableCommand`'s sync one.
func runAsync(_ command: inout some AsyncParsableCommand) async throws {
    try await command.run()
}

do {
    var command = try Rbx.parseAsRoot()
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
