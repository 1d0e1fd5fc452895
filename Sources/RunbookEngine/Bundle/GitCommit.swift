/// The commit a catalog directory is at, for the evidence bundle ("which runbook ran").
public enum GitCommit {
    /// `git rev-parse HEAD` in the directory, with `-dirty` appended when the work tree has
    /// changes; nil when it is not a git repository or git is not installed.
    public static func of(directory: String, runner: any CommandRunner, environment: [String: String]) async -> String?
    {
        func git(_ arguments: [String]) async -> CommandResult? {
            let invocation = CommandInvocation(
                argv: ["git", "-C", directory] + arguments,
                environment: environment.filter { ["PATH", "HOME"].contains($0.key) },
                timeout: .seconds(10), killGrace: .seconds(1), outputLimit: 64 * 1024)
            return try? await runner.run(invocation)
        }
        guard let head = await git(["rev-parse", "HEAD"]), head.succeeded else { return nil }
        let commit = String(decoding: head.stdout, as: UTF8.self).filter { !$0.isWhitespace }
        guard !commit.isEmpty else { return nil }
        if let status = await git(["status", "--porcelain", "--", "."]), status.succeeded, !status.stdout.isEmpty {
            return commit + "-dirty"
        }
        return commit
    }
}
