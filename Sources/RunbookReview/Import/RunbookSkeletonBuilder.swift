import Foundation
public import RunbookCore

/// Turns one ``MarkdownSection`` into a ``RunbookSkeleton``: the alert and severity to match,
/// one step per command (argv or shell, destructive ones behind an approval), the escalation
/// ladder and the status template, noting everything it had to guess.
public struct RunbookSkeletonBuilder: Sendable {
    public var ladder: SeverityLadder
    public var notifiers: NotifierResolver
    /// True when the importer writes a new `rbx.yaml`: unknown paging targets are then declared
    /// there as placeholder notifiers; false keeps an existing `rbx.yaml` and comments the rung out.
    public var declaresNotifiers: Bool

    public init(ladder: SeverityLadder, notifiers: NotifierResolver, declaresNotifiers: Bool) {
        self.ladder = ladder
        self.notifiers = notifiers
        self.declaresNotifiers = declaresNotifiers
    }

    /// The skeleton, and the placeholder notifiers it needs (when ``declaresNotifiers``); nil
    /// when the section has neither an alert name nor a command (an introduction, a glossary).
    public func build(_ section: MarkdownSection) -> (skeleton: RunbookSkeleton, newNotifiers: [String])? {
        let commands = section.commandBlocks.flatMap { CodeBlockCommands.commands(in: $0.block, purpose: $0.purpose) }
        guard section.alertName != nil || !commands.isEmpty else { return nil }
        let file = section.file
        var alertName = section.alertName.map { $0.text.split(separator: " ").first.map(String.init) ?? $0.text }
        var review: [ImportReviewItem] = []
        if alertName == nil || alertName!.isEmpty {
            alertName = section.title.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
                .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            review.append(
                ImportReviewItem(
                    .guessedAlert, file: file, line: section.line,
                    "no Alert: field; matching alertname \(alertName!) (made from the heading): check the rule's name"))
        }
        let alert = alertName!
        let name =
            NotifierResolver.slug(camelCase: alert).isEmpty ? "imported" : NotifierResolver.slug(camelCase: alert)
        var skeleton = RunbookSkeleton(
            file: file, line: section.line, name: name, title: section.title, alertName: alert,
            alertLine: section.alertName?.line ?? section.line)
        skeleton.owner = section.field("owner", "team").map { NotifierResolver.slug($0.text) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        skeleton.summary = section.field("summary", "impact")?.text
        skeleton.description = section.prose.map(\.text)
        severity(of: section, into: &skeleton, review: &review)
        steps(commands, into: &skeleton, review: &review)
        if commands.isEmpty {
            review.append(
                ImportReviewItem(.noSteps, file: file, line: section.line, "no commands; added a placeholder"))
            skeleton.steps.append(
                .init(
                    id: "todo", name: "Nothing to run was found in the Markdown", kind: .diagnostic,
                    action: .run(["true"]), line: section.line, note: nil))
        }
        for block in section.otherBlocks {
            review.append(
                ImportReviewItem(
                    .skippedBlock, file: file, line: block.line,
                    "a \(block.language.isEmpty ? "plain" : block.language) block was not imported; "
                        + "write it as a step if it is run"))
        }
        for block in section.commandBlocks where !block.block.closed {
            review.append(
                ImportReviewItem(.unclosedFence, file: file, line: block.block.line, "code block never closed"))
        }
        let newNotifiers = escalation(of: section, into: &skeleton, review: &review)
        if let block = section.template {
            let converted = TemplateConverter.convert(block)
            skeleton.template = converted.text
            skeleton.templateLine = block.line
            for placeholder in converted.placeholders {
                let message =
                    placeholder.replacement.map {
                        "\(placeholder.written) became \($0); check the alert carries it"
                    } ?? "\(placeholder.written) is left as text for a person to fill in"
                review.append(ImportReviewItem(.placeholder, file: file, line: placeholder.line, message))
            }
        }
        skeleton.review = review.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map(\.element)
        return (skeleton, newNotifiers)
    }

    private func severity(
        of section: MarkdownSection, into skeleton: inout RunbookSkeleton, review: inout [ImportReviewItem]
    ) {
        guard let field = section.field("severity", "priority", "sev") else {
            review.append(
                ImportReviewItem(
                    .noSeverity, file: section.file, line: section.line,
                    "no Severity: field; the runbook matches the alert at every severity"))
            return
        }
        skeleton.severityLine = field.line
        guard let mapping = SeverityMapping.map(field.text, ladder: ladder) else {
            review.append(
                ImportReviewItem(
                    .noSeverity, file: section.file, line: field.line,
                    "severity \"\(field.text)\" is no level of the ladder (\(ladder.levels.joined(separator: ", "))); "
                        + "the runbook matches every severity"))
            return
        }
        skeleton.severity = mapping
        if mapping.guessed {
            review.append(
                ImportReviewItem(
                    .guessedSeverity, file: section.file, line: field.line,
                    "severity \"\(field.text)\" taken as \(mapping.level)"))
        }
    }
}
