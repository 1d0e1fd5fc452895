import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// How `rbx run` gets approval decisions: `--approve STEP` / `--deny STEP` given in advance,
/// else a question on the controlling terminal (`/dev/tty`, so `--alert -` can still read the
/// alert from stdin), else none: the step fails and says how to decide it.
struct ApprovalAnswers: ApprovalPrompter {
    var approve: Set<String>
    var deny: Set<String>
    /// Who runs rbx run: the identity the decisions are recorded under.
    var person: Identity

    func decide(_ request: ApprovalRequest) async -> ApprovalAnswer {
        if approve.contains(request.step) { return .verdict(.approve, by: person) }
        if deny.contains(request.step) { return .verdict(.deny, by: person) }
        guard let terminal = FileHandle(forUpdatingAtPath: "/dev/tty"), isatty(terminal.fileDescriptor) == 1 else {
            return .unavailable(
                "needs a decision and there is no terminal to ask on: pass --approve \(request.step) or --deny \(request.step)"
            )
        }
        terminal.write(Data(Self.question(request).utf8))
        let line = await Self.readLine(from: terminal)
        switch line?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "y"?, "yes"?: return .verdict(.approve, by: person)
        case nil: return .unavailable("the terminal closed before an answer; pass --approve or --deny \(request.step)")
        default: return .verdict(.deny, by: person)
        }
    }

    /// The step's prompt and what the steps before it found: the approver decides on evidence.
    static func question(_ request: ApprovalRequest) -> String {
        var text = "\n── approval needed: step \(request.step) of \(request.runbook) (run \(request.runID))\n"
        if let message = request.message { text += TerminalText.escape(message) + "\n" }
        if !request.findings.isEmpty { text += "what the earlier steps found:\n" }
        for step in request.findings {
            var line = "  \(step.id): \(step.status.rawValue)"
            if let code = step.exitCode { line += " (exit \(code))" }
            for (name, value) in step.outputs.sorted(by: { $0.key < $1.key }) { line += " \(name)=\(value.text)" }
            text += TerminalText.escape(line) + "\n"
            let output = step.stdout.split(separator: "\n").suffix(5)
            for outputLine in output { text += "      " + TerminalText.escape(String(outputLine.prefix(200))) + "\n" }
        }
        if !request.approvers.isEmpty { text += "approvers: \(request.approvers.joined(separator: ", "))\n" }
        text += "approve? (times out after \(request.timeout.runbookDescription)) [y/N] "
        return text
    }

    /// One line from the terminal, read on its own thread so the run's clock keeps going.
    private static func readLine(from terminal: FileHandle) async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var bytes: [UInt8] = []
                var byte: UInt8 = 0
                while read(terminal.fileDescriptor, &byte, 1) == 1 {
                    if byte == UInt8(ascii: "\n") {
                        continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
                        return
                    }
                    if bytes.count < 256 { bytes.append(byte) }
                }
                continuation.resume(returning: nil)
            }
        }
    }
}
