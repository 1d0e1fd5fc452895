import Foundation

/// Cuts a ``MarkdownRunbookDocument`` into one ``MarkdownSection`` per alert.
///
/// The section level is the level of the heading above the first `Alert:` field (else the
/// shallowest level used more than once, else the shallowest level): every heading at that
/// level starts a section, shallower ones (a file title) end it, deeper ones are subsections
/// whose names say what their commands are for (`### Diagnose`, `### Fix`, `### Escalation`).
public enum MarkdownSectionSplitter {
    public static func sections(of document: MarkdownRunbookDocument) -> [MarkdownSection] {
        let level = sectionLevel(document.elements)
        var sections: [MarkdownSection] = []
        var current: MarkdownSection?
        var context = Context.none
        var subheadingPurpose = MarkdownSection.Purpose.diagnose
        func finish() {
            if let section = current { sections.append(section) }
            current = nil
        }
        for element in document.elements {
            switch element.kind {
            case .heading(let headingLevel, let text):
                if level == nil || headingLevel <= level! {
                    finish()
                    if level == nil || headingLevel == level! {
                        current = MarkdownSection(file: document.file, title: text, line: element.line)
                    }
                    subheadingPurpose = .diagnose
                    context = .none
                } else {
                    context = Context(heading: text)
                    if case .purpose(let purpose) = context { subheadingPurpose = purpose }
                }
            case .field(let name, let value, let raw):
                if current == nil, level == nil {
                    current = MarkdownSection(file: document.file, title: document.file, line: element.line)
                }
                guard current != nil else { continue }
                let line = MarkdownSection.Line(text: value, line: element.line)
                if name.contains("escalat") {
                    context = value.isEmpty ? .escalation : .escalationLine
                    if !value.isEmpty { current!.escalation.append(line) }
                } else if Context.isTemplateLeadIn(name) {
                    context = .template
                    if !value.isEmpty { current!.prose.append(MarkdownSection.Line(text: raw, line: element.line)) }
                } else if Self.knownFields.contains(name) {
                    if current!.fields[name] == nil { current!.fields[name] = line }
                } else {
                    let lead = Context(heading: name)
                    if value.isEmpty, lead != .none {
                        context = lead
                        if case .purpose(let purpose) = lead { subheadingPurpose = purpose }
                        continue
                    }
                    add(text: raw, line: element.line, to: &current!, context: context)
                }
            case .code(let block):
                if current == nil, level == nil {
                    current = MarkdownSection(file: document.file, title: document.file, line: element.line)
                }
                guard current != nil else { continue }
                if context == .template, current!.template == nil {
                    current!.template = block
                    context = .none
                } else if block.isShell {
                    current!.commandBlocks.append(.init(block: block, purpose: subheadingPurpose))
                } else {
                    current!.otherBlocks.append(block)
                }
            case .text(let text):
                if current == nil, level == nil {
                    current = MarkdownSection(file: document.file, title: document.file, line: element.line)
                }
                guard current != nil else { continue }
                if let lead = Context.leadIn(text) {
                    context = lead
                    if case .purpose(let purpose) = lead { subheadingPurpose = purpose }
                    continue
                }
                add(text: text, line: element.line, to: &current!, context: context)
            case .blank:
                if context == .escalationLine { context = .none }
            }
        }
        finish()
        return sections
    }

    /// Fields kept as metadata; others are prose.
    static let knownFields: Set<String> = [
        "alert", "alertname", "alert name", "alert rule", "prometheus alert", "severity", "priority", "sev",
        "owner", "team", "service", "summary", "impact",
    ]

    private static func add(text: String, line: Int, to section: inout MarkdownSection, context: Context) {
        let item = MarkdownSection.Line(text: text, line: line)
        if context == .escalation || context == .escalationLine {
            section.escalation.append(item)
        } else {
            section.prose.append(item)
        }
    }

    private static func sectionLevel(_ elements: [MarkdownElement]) -> Int? {
        var headingLevel: Int?
        var counts: [Int: Int] = [:]
        var alertLevel: Int?
        for element in elements {
            switch element.kind {
            case .heading(let level, _):
                headingLevel = level
                counts[level, default: 0] += 1
            case .field(let name, _, _) where ["alert", "alertname", "alert name", "alert rule"].contains(name):
                if alertLevel == nil { alertLevel = headingLevel }
            default: break
            }
        }
        if let alertLevel { return alertLevel }
        if let repeated = counts.filter({ $0.value > 1 }).keys.min() { return repeated }
        return counts.keys.min()
    }

    /// What the lines under a subheading or lead-in are.
    enum Context: Equatable {
        case none
        case purpose(MarkdownSection.Purpose)
        case escalation
        /// After an `Escalation:` line in prose: the following lines of its paragraph.
        case escalationLine
        case template

        init(heading: String) {
            let lowered = heading.lowercased()
            if lowered.contains("escalat") {
                self = .escalation
            } else if Self.isTemplateLeadIn(lowered) {
                self = .template
            } else if Self.fixWords.contains(where: { lowered.contains($0) }) {
                self = .purpose(.fix)
            } else if Self.diagnoseWords.contains(where: { lowered.contains($0) }) {
                self = .purpose(.diagnose)
            } else {
                self = .none
            }
        }

        /// A short line ending in a colon (`Fix:`, `Communication Template:`) that introduces
        /// what follows.
        static func leadIn(_ text: String) -> Context? {
            guard text.hasSuffix(":"), text.split(separator: " ").count <= 4 else { return nil }
            let context = Context(heading: MarkdownField.plain(String(text.dropLast())))
            return context == .none ? nil : context
        }

        static func isTemplateLeadIn(_ name: String) -> Bool {
            ["template", "communication", "comms", "status update", "status page", "customer message"].contains {
                name.contains($0)
            }
        }

        static let fixWords = [
            "fix", "mitigat", "remediat", "resol", "recover", "repair", "rollback", "roll back", "restor",
            "workaround", "action",
        ]
        static let diagnoseWords = ["diagnos", "investigat", "check", "triage", "verif", "identify", "debug"]
    }
}
