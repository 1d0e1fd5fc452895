import Foundation

extension RunbookSkeletonBuilder {
    /// One step per command; a destructive command gets an approval step right before it.
    func steps(_ commands: [MarkdownCommand], into skeleton: inout RunbookSkeleton, review: inout [ImportReviewItem]) {
        var ids: Set<String> = []
        func unique(_ base: String) -> String {
            var id = base
            var number = 2
            while ids.contains(id) {
                id = "\(base)_\(number)"
                number += 1
            }
            ids.insert(id)
            return id
        }
        let file = skeleton.file
        let source = (file as NSString).lastPathComponent
        for command in commands {
            let classification = CommandClassifier.classify(command.text)
            let id = unique(Self.stepID(for: command.text))
            let shown = Self.oneLine(command.text, limit: 80)
            let name = command.comment.map { Self.oneLine($0, limit: 100) } ?? shown
            let action: RunbookSkeleton.Action
            var note: String?
            switch classification.form {
            case .argv(let argv):
                action = .run(argv)
            case .shell(let reasons):
                action = .shell(command.text)
                note = "needs a shell: " + reasons.joined(separator: ", ")
                review.append(
                    ImportReviewItem(
                        .shellStep, file: file, line: command.line,
                        "step \(id) runs `\(shown)` in a shell (\(reasons.joined(separator: ", "))); "
                            + "rewrite it as run: [...] if it can be"))
            }
            if !classification.variables.isEmpty {
                let names = classification.variables.map { "$" + $0 }.joined(separator: ", ")
                review.append(
                    ImportReviewItem(
                        .variables, file: file, line: command.line,
                        "step \(id) reads \(names), which rbx does not set; use {{alert.labels.…}} or env:"))
            }
            if let word = classification.destructive {
                let approvalID = unique("approve_" + id)
                skeleton.steps.append(
                    .init(
                        id: approvalID, name: "Approve: " + shown, kind: .approval,
                        action: .approval(message: "Run `\(shown)` (\(source):\(command.line))?"), line: command.line,
                        note: "destructive: \(word)"))
                review.append(
                    ImportReviewItem(
                        .approval, file: file, line: command.line,
                        "step \(id) is destructive (\(word)): it waits for approval \(approvalID); "
                            + "add a when: so it runs only when the diagnostics say so"))
            }
            let kind: RunbookSkeleton.StepKind =
                classification.destructive != nil || command.purpose == .fix ? .remediation : .diagnostic
            skeleton.steps.append(.init(id: id, name: name, kind: kind, action: action, line: command.line, note: note))
        }
    }

    /// A step id from the command's first words: `systemctl status nginx` → `systemctl_status_nginx`.
    static func stepID(for command: String) -> String {
        var words = command.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        while let first = words.first, first == "sudo" || first.contains("=") { words.removeFirst() }
        let parts = words.filter { !$0.hasPrefix("-") }.prefix(3).map { word in
            String(word.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        }
        var id = parts.joined(separator: "_")
        while id.contains("__") { id = id.replacingOccurrences(of: "__", with: "_") }
        id = String(id.trimmingCharacters(in: CharacterSet(charactersIn: "_")).prefix(40))
        while id.hasSuffix("_") { id.removeLast() }
        if id.isEmpty { return "step" }
        if !(id.first!.isLetter) { id = "step_" + id }
        return id
    }

    static func oneLine(_ text: String, limit: Int) -> String {
        var joined = ""
        for line in text.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let open = ["do", "then", "else", "{"].contains { joined.hasSuffix(" " + $0) || joined == $0 }
            joined += joined.isEmpty ? line : (open ? " " : "; ") + line
        }
        return joined.count > limit ? String(joined.prefix(limit - 1)) + "…" : joined
    }
}
