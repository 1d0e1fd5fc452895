/// Something that runs a ``CommandInvocation`` to completion.
///
/// The engine depends on this protocol, not on ``ProcessCommandRunner``, so drills can answer
/// from `--assume` and tests can script outcomes, while real runs spawn processes.
///
/// Implementations must keep the contract of ``CommandResult``: a command that ran and failed
/// (non-zero exit, signal, timeout) is a *result*; only a command that could not be started, or
/// whose supervision broke down, throws.
public protocol CommandRunner: Sendable {
    /// Runs the invocation and waits for the child to end.
    ///
    /// - Throws: ``CommandRunnerError`` when the program could not be started (not found, not
    ///   executable, bad working directory, invalid argv or environment), when its I/O could not
    ///   be supervised, or when the calling task was cancelled before the child ended.
    func run(_ invocation: CommandInvocation) async throws(CommandRunnerError) -> CommandResult
}
