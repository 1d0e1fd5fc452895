import Foundation

/// Decides how an imported command becomes a step: an argv (`run:`) when the line is a plain
/// command, a `shell:` step for a person to review otherwise, and whether it changes the world
/// badly enough to wait for an approval.
///
/// A plain command is words and quoted strings only. Pipes, redirects, `&&`/`;`, `$VAR`,
/// `$(…)`, backticks, globs, `~`, brace expansion, `VAR=value` prefixes and shell built-ins
/// (`cd`, `export`) need a shell: rbx runs argv without one, so turning such a line into argv
/// would change what it does.
///
/// ```swift
/// CommandClassifier.classify("systemctl status nginx").form   // .argv(["systemctl", "status", "nginx"])
/// CommandClassifier.classify("ps aux | grep nginx").form      // .shell(reasons: ["a pipe"])
/// CommandClassifier.classify("sudo systemctl restart nginx").destructive  // "restart"
/// ```
public enum CommandClassifier {
    public enum Form: Sendable, Equatable {
        case argv([String])
        /// Why the command needs a shell, in words for the report (`a pipe`, `variable $HOST`).
        case shell(reasons: [String])
    }

    public struct Classification: Sendable, Equatable {
        public var form: Form
        /// The word that makes the command destructive (`rm`, `restart`, `--replicas=0`), or nil.
        public var destructive: String?
        /// Shell variables the command reads (`HOST` for `$HOST`): rbx does not set them.
        public var variables: [String]
    }

    public static func classify(_ command: String) -> Classification {
        let scan = ShellWordScanner.scan(command)
        var reasons = scan.reasons
        if command.contains("\n") && reasons.isEmpty { reasons.append("several lines") }
        if let first = scan.words.first {
            if shellBuiltins.contains(first) { reasons.append("the shell built-in \(first)") }
            if let equals = first.firstIndex(of: "="), !first.hasPrefix("-"), equals != first.startIndex {
                reasons.append("a variable assignment")
            }
        }
        if scan.words.isEmpty && reasons.isEmpty { reasons.append("no command") }
        let form: Form = reasons.isEmpty ? .argv(scan.words) : .shell(reasons: unique(reasons))
        // Variables the command sets itself (a loop's variable, an assignment) are no question.
        let read = unique(scan.variables).filter { name in
            !command.contains("for \(name) ") && !command.contains("\(name)=") && !command.contains("read \(name)")
        }
        return Classification(form: form, destructive: destructiveWord(command), variables: read)
    }

    static let shellBuiltins: Set<String> = [
        "cd", "export", "source", ".", "alias", "set", "unset", "ulimit", "exit", "eval", "exec", "read", "trap",
        "pushd", "popd", "umask", "wait", "declare", "local",
    ]

    /// Words that make a command destructive (matched case-insensitively on the command words
    /// of every pipeline segment and on SQL/Redis keywords anywhere in the line).
    static let destructiveWords: Set<String> = [
        "rm", "rmdir", "shred", "unlink", "restart", "kill", "pkill", "killall", "reboot", "shutdown", "halt",
        "poweroff", "delete", "drop", "flush", "flushall", "flushdb", "truncate", "terminate", "destroy", "purge",
        "wipe", "mkfs", "dd", "drain", "stop", "evict", "failover", "uninstall", "del", "prune",
    ]

    /// Keywords destructive wherever they stand (inside `psql -c "…"`, `redis-cli FLUSHALL`).
    static let destructiveKeywords: Set<String> = ["DELETE", "DROP", "TRUNCATE", "FLUSHALL", "FLUSHDB"]

    /// SQL functions that end sessions or lose work, in any case.
    static let destructiveFunctions: Set<String> = [
        "pg_terminate_backend", "pg_cancel_backend", "pg_drop_replication_slot",
    ]

    static func destructiveWord(_ command: String) -> String? {
        for token in command.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }) {
            if destructiveKeywords.contains(String(token)) { return String(token) }
            if destructiveFunctions.contains(token.lowercased()) { return String(token) }
        }
        let compact = command.replacingOccurrences(of: " ", with: "")
        if command.contains("scale"), compact.contains("--replicas=0") && !compact.contains("--replicas=0.") {
            if let after = compact.range(of: "--replicas=0")?.upperBound,
                after == compact.endIndex || !compact[after].isNumber
            {
                return "--replicas=0"
            }
        }
        for segment in segments(command) {
            var words = segment.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
            while let first = words.first,
                ["sudo", "xargs", "nohup", "time", "env", "-r"].contains(first)
                    || first.contains("=") || (first.hasPrefix("-") && words.count > 1)
            {
                words.removeFirst()
            }
            let commandWords = words.filter { !$0.hasPrefix("-") }.prefix(3)
            for word in commandWords {
                for part in word.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                    if destructiveWords.contains(String(part)) { return String(part) }
                }
            }
        }
        return nil
    }

    /// The pipeline and list segments of a command line (split at `|`, `;`, `&`, newlines and
    /// `$(`), each of which starts a command of its own.
    private static func segments(_ command: String) -> [Substring] {
        command.split(whereSeparator: { "|;&\n(`".contains($0) })
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}
