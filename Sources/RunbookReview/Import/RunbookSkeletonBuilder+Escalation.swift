import Foundation

extension RunbookSkeletonBuilder {
    /// The ladder from the escalation prose: rungs sorted by time, rungs at the same time merged;
    /// returns the placeholder notifiers to declare.
    func escalation(
        of section: MarkdownSection, into skeleton: inout RunbookSkeleton, review: inout [ImportReviewItem]
    ) -> [String] {
        let file = section.file
        let parsed = EscalationSentenceParser.parse(section.escalation)
        for unparsed in parsed.unparsed {
            review.append(
                ImportReviewItem(
                    .unparsedEscalation, file: file, line: unparsed.line,
                    "not understood as \"after N minutes, page X\": \"\(unparsed.sentence)\""))
        }
        if section.escalation.isEmpty {
            review.append(
                ImportReviewItem(
                    .noEscalation, file: file, line: section.line,
                    "no escalation in the Markdown; the catalog's default policy applies (if any)"))
        }
        var newNotifiers: [String] = []
        var rungs: [RunbookSkeleton.Rung] = []
        for rung in parsed.rungs.sorted(by: { $0.after < $1.after }) {
            var notifier: String
            var disabled = false
            switch notifiers.resolve(rung.target) {
            case .exact(let name):
                notifier = name
            case .guessed(let name):
                notifier = name
                review.append(
                    ImportReviewItem(
                        .guessedNotifier, file: file, line: rung.line, "\"\(rung.target)\" taken as notifier \(name)"))
            case .unknown(let slug):
                notifier = slug.isEmpty ? "oncall" : slug
                if declaresNotifiers {
                    if !newNotifiers.contains(notifier) { newNotifiers.append(notifier) }
                    review.append(
                        ImportReviewItem(
                            .placeholderNotifier, file: file, line: rung.line,
                            "\"\(rung.target)\" is declared in rbx.yaml as placeholder notifier \(notifier) "
                                + "(a file); point it at the real pager"))
                } else {
                    disabled = true
                    review.append(
                        ImportReviewItem(
                            .unknownNotifier, file: file, line: rung.line,
                            "rbx.yaml has no notifier for \"\(rung.target)\" (\(notifier)); the rung is commented "
                                + "out until one is declared"))
                }
            }
            if let last = rungs.last, last.after == rung.after, last.disabled == disabled {
                if !last.notify.contains(notifier) { rungs[rungs.count - 1].notify.append(notifier) }
                continue
            }
            rungs.append(
                .init(
                    after: rung.after, notify: [notifier], line: rung.line, sentence: rung.sentence, disabled: disabled)
            )
        }
        skeleton.rungs = rungs
        return newNotifiers
    }
}
