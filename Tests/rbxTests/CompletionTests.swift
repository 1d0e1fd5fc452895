import Foundation
import Testing

/// Issue 16, item 3: shell completion completes runbook names and step ids from the catalog.
/// Bash runs the script `rbx --generate-completion-script bash` prints, as it would on a
/// terminal, against the real binary.
@Suite struct CompletionTests {
    /// What bash offers for `line` (the cursor at its end), in the repository's example catalog.
    static func complete(_ line: String) async throws -> [String] {
        let binary = RbxBinary.path
        let script = """
            source <("\(binary)" --generate-completion-script bash)
            PATH="$(dirname "\(binary)"):$PATH"
            COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}
            read -ra COMP_WORDS <<< "$COMP_LINE"
            if [[ "$COMP_LINE" == *" " ]]; then COMP_WORDS+=(""); fi
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            COMPREPLY=()
            _rbx rbx "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try await ServeProcess.tool([
            "/bin/bash", "-c", "cd '\(RbxBinary.repositoryRoot.path)' && " + script,
        ])
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test func runbookNamesAndStepIdsComeFromTheCatalog() async throws {
        let runbooks = try await Self.complete("rbx drill ")
        #expect(runbooks.contains("instance-down") && runbooks.contains("disk-space-low"), "\(runbooks)")
        #expect(try await Self.complete("rbx run inst") == ["instance-down"])
        #expect(try await Self.complete("rbx drill instance-down --assume ver") == ["verify="])
        let other = try await Self.complete("rbx drill --catalog /nonexistent ")
        #expect(other.isEmpty, "an unreadable catalog completes nothing: \(other)")
    }
}
