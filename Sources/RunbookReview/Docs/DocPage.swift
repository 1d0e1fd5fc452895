import RunbookCore
public import RunbookYAML

/// One page of catalog documentation, as structure rather than text.
///
/// `rbx docs` builds every page once as blocks and inlines and then renders them twice, to
/// Markdown and to HTML. Because the structure is ours, the HTML build needs no Markdown
/// parser, and every piece of catalog text stays a `.text` value that each renderer escapes
/// for its own format: a `<script>` in a runbook summary is text in both.
public struct DocPage: Sendable, Equatable {
    /// The page's path without extension, relative to the output root: `instance-down`,
    /// `playbooks/restart-container`, `index`.
    public var path: String
    public var title: String
    /// The catalog file the page describes, for the "generated from" header.
    public var source: String?
    public var blocks: [DocBlock]

    public init(path: String, title: String, source: String? = nil, blocks: [DocBlock]) {
        self.path = path
        self.title = title
        self.source = source
        self.blocks = blocks
    }

    /// How many directories deep the page sits, so renderers can make links relative.
    var depth: Int { path.count { $0 == "/" } }
}

/// A block of a page. Deliberately few kinds: what the pages need, nothing a general
/// Markdown document could hold.
public enum DocBlock: Sendable, Equatable {
    case heading(level: Int, [DocInline], anchor: String? = nil)
    case paragraph([DocInline])
    /// Lines kept as written (hard line breaks): a description's paragraph.
    case lines([[DocInline]])
    case list([[DocInline]])
    case table(header: [String], rows: [[[DocInline]]])
    /// Literal text shown as is: argv, scripts, rendered messages.
    case code(language: String?, text: String)
    /// A status message or page as rendered for the sample alert (Markdown): kept as text in a
    /// code block on Markdown pages, shown rendered (``MarkdownHTML``) on HTML pages.
    case message(String)
    /// A flow diagram: Mermaid source for Markdown pages, and the same flow as SVG for HTML.
    case flow(mermaid: String, svg: String)
    case note([DocInline])
    /// Markdown the catalog's author wrote (a `description:`): kept as Markdown in Markdown
    /// pages, with `<` and `&` escaped so it cannot carry raw HTML into a wiki; rendered in HTML
    /// pages by ``MarkdownHTML``, which shows raw HTML as text.
    case authored(String)
}

/// A run of text inside a block.
public enum DocInline: Sendable, Equatable {
    case text(String)
    case code(String)
    case strong(String)
    case link([DocInline], DocTarget)
    /// A `file:line` citation of the YAML an item comes from.
    case source(SourceLocation)
}

/// Where a link goes: another generated page (the renderer picks `.md` or `.html`), or an
/// outside address (only `http` and `https` are ever linked).
public enum DocTarget: Sendable, Equatable {
    case page(String, anchor: String? = nil)
    case external(String)
}

extension DocBlock {
    /// A runbook's or playbook's flow, drawn both ways from the same arguments.
    static func flow(
        start: String, steps: [Step], resolvedWhen: Condition? = nil, escalation: [EscalationRung] = [],
        defaultInterval: Duration, isPlaybook: Bool = false, isCheck: Bool = false
    ) -> DocBlock {
        .flow(
            mermaid: MermaidFlow.flowchart(
                start: start, steps: steps, resolvedWhen: resolvedWhen, escalation: escalation,
                defaultInterval: defaultInterval, isPlaybook: isPlaybook, isCheck: isCheck),
            svg: FlowSVG.render(
                start: start, steps: steps, resolvedWhen: resolvedWhen, escalation: escalation,
                defaultInterval: defaultInterval, isPlaybook: isPlaybook, isCheck: isCheck))
    }
}

extension [DocInline] {
    /// Plain text with backtick spans as code: the one piece of Markdown authors use in
    /// summaries and descriptions that is worth honouring. Everything else stays text.
    static func prose(_ text: String) -> [DocInline] {
        var result: [DocInline] = []
        var parts = text.split(separator: "`", omittingEmptySubsequences: false).map(String.init)
        // An odd backtick has no partner: keep it as text in the last part.
        if parts.count.isMultiple(of: 2), let last = parts.popLast(), let previous = parts.popLast() {
            parts.append(previous + "`" + last)
        }
        for (index, part) in parts.enumerated() where !part.isEmpty {
            result.append(index.isMultiple(of: 2) ? .text(part) : .code(part))
        }
        return result
    }
}
