/// Writes a ``RunbookSkeleton`` as a runbook YAML file, with comments pointing at the Markdown
/// line each part came from (`# from servers.md:14`) and at what needs review.
///
/// The output is meant to pass `rbx lint` without errors as written: commands are kept
/// literal (``YAMLText/literal(_:)``), remediations have a timeout, rungs whose notifier is
/// unknown are comments. Warnings remain on purpose (`shell-step`): they are review items.
public enum RunbookSkeletonWriter {
    /// How long an imported remediation may take before it is killed: a guess to review.
    public static let remediationTimeout = "5m"
    public static let approvalTimeout = "15m"

    public static func yaml(_ skeleton: RunbookSkeleton, source: String) -> String {
        var out: [String] = []
        out.append("# yaml-language-server: $schema=../schema/rbx.schema.json")
        out.append(
            "# Imported by `rbx import` from \(YAMLText.comment(source)):\(skeleton.line) "
                + "(\"\(YAMLText.comment(skeleton.title, limit: 60))\").")
        if skeleton.review.isEmpty {
            out.append("# Nothing was guessed; still read every step before the first real alert.")
        } else {
            out.append("# Review before use (\(skeleton.review.count) item\(skeleton.review.count == 1 ? "" : "s")):")
            for item in skeleton.review.prefix(40) {
                out.append("#   line \(item.line): \(YAMLText.comment(item.message, limit: 110))")
            }
            if skeleton.review.count > 40 {
                out.append("#   … and \(skeleton.review.count - 40) more (rbx import prints all)")
            }
        }
        out += ["apiVersion: rbx/v1", "kind: Runbook", "metadata:", "  name: \(skeleton.name)"]
        out.append("  title: \(YAMLText.scalar(skeleton.title))")
        if let owner = skeleton.owner { out.append("  owner: \(YAMLText.scalar(owner))") }
        if let summary = skeleton.summary { out.append("  summary: \(YAMLText.scalar(summary))") }
        let description = descriptionText(skeleton.description, source: "\(source):\(skeleton.line)")
        out.append("  description: \(YAMLText.scalar(description))")
        out.append("  tags: [imported]")
        out.append("match:")
        if let severity = skeleton.severity, let line = skeleton.severityLine {
            out.append("  severity: \(YAMLText.scalar(severity.level))  # from \(source):\(line)")
        }
        out.append("  labels:")
        out.append("    alertname: \(YAMLText.scalar(skeleton.alertName))  # from \(source):\(skeleton.alertLine)")
        out.append("steps:")
        for step in skeleton.steps { out += stepLines(step, source: source) }
        out += escalationLines(skeleton.rungs, source: source)
        if let template = skeleton.templateName, let line = skeleton.templateLine {
            out.append("status:")
            out.append("  on_start: {template: \(template)}  # from \(source):\(line)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func descriptionText(_ prose: [String], source: String) -> String {
        var text = prose.prefix(60).joined(separator: "\n")
        if text.count > 4000 { text = String(text.prefix(4000)) + "…" }
        let origin = "Imported from \(source)."
        return text.isEmpty ? origin : text + "\n\n" + origin
    }

    private static func stepLines(_ step: RunbookSkeleton.Step, source: String) -> [String] {
        var out = [
            "  # from \(source):\(step.line)\(step.note.map { " (" + YAMLText.comment($0, limit: 80) + ")" } ?? "")"
        ]
        out.append("  - id: \(step.id)")
        out.append("    name: \(YAMLText.scalar(step.name))")
        out.append("    kind: \(step.kind.rawValue)")
        switch step.action {
        case .run(let argv):
            out.append("    run: [" + argv.map(YAMLText.literal).joined(separator: ", ") + "]")
        case .shell(let script):
            out.append("    shell: \(YAMLText.literal(script))")
        case .approval(let message):
            out.append("    message: \(YAMLText.literal(message))")
            out.append("    timeout: \(approvalTimeout)")
            out.append("    on_timeout: deny")
        }
        switch step.kind {
        case .remediation: out.append("    timeout: \(remediationTimeout)  # a guess: how long may it take?")
        case .diagnostic: out.append("    continue_on_error: true  # gather every finding, as a person would")
        case .approval: break
        }
        return out
    }

    private static func escalationLines(_ rungs: [RunbookSkeleton.Rung], source: String) -> [String] {
        guard !rungs.isEmpty else { return [] }
        var out: [String] = []
        let enabled = rungs.contains { !$0.disabled }
        out.append(
            enabled ? "escalation:" : "# escalation:  (no notifier of rbx.yaml matched; declare them, then uncomment)")
        for rung in rungs {
            let prefix = rung.disabled ? "  # " : "  "
            out.append("  # from \(source):\(rung.line): \(YAMLText.comment(rung.sentence, limit: 90))")
            out.append(prefix + "- after: \(YAMLText.duration(rung.after))")
            out.append(prefix + "  notify: [" + rung.notify.map(YAMLText.scalar).joined(separator: ", ") + "]")
        }
        return out
    }
}
