import RunbookCore
import RunbookYAML
import Testing

@testable import RunbookReview

/// The escaping rules of the two renderers and of Mermaid labels, pinned case by case.
@Suite struct DocsRenderingTests {
    @Test(arguments: [
        ("plain text", "plain text"),
        ("<script>", "\\<script\\>"),
        ("a|b", "a\\|b"),
        ("node_exporter", "node_exporter"),
        ("_emphasis_", "\\_emphasis\\_"),
        ("[x](javascript:y)", "\\[x\\](javascript:y)"),
        ("&amp; *bold*", "\\&amp; \\*bold\\*"),
    ])
    func markdownEscapesSyntax(input: String, expected: String) {
        #expect(MarkdownRenderer.escape(input) == expected)
    }

    @Test func markdownProtectsLineStartsAndCodeSpans() {
        #expect(MarkdownRenderer.protectLineStart("1. first") == "1\\. first")
        #expect(MarkdownRenderer.protectLineStart("- item") == "\\- item")
        #expect(MarkdownText.codeSpan("a `b` c") == "``a `b` c``")
        #expect(MarkdownText.codeSpan("x|y", inTable: true) == "`x\\|y`")
    }

    @Test func htmlEscapesTheFiveCharacters() {
        #expect(HTMLText.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }

    @Test func mermaidLabelsCannotEndTheirQuotes() {
        #expect(MermaidFlow.label("a == \"b\" <c> #d") == "a == #quot;b#quot; #lt;c#gt; #35;d")
        #expect(MermaidFlow.label("one\ntwo") == "one two")
        #expect(MermaidFlow.label(String(repeating: "x", count: 100), limit: 10) == "xxxxxxxxx…")
    }

    @Test func onlyWebLinksAreLinked() {
        let page = DocPage(
            path: "playbooks/p", title: "t",
            blocks: [
                .paragraph([.link([.text("a")], .external("javascript:alert(1)")), .link([.text("b")], .page("index"))])
            ])
        #expect(MarkdownRenderer().render(page).contains("a[b](../index.md)"))
        #expect(HTMLRenderer().render(page).contains("<p>a<a href=\"../index.html\">b</a></p>"))
    }

    @Test func sourceCitationsBecomeLinksWithASourceURL() {
        let page = DocPage(
            path: "r", title: "t",
            blocks: [.paragraph([.source(SourceLocation(file: "runbooks/r.yaml", line: 7, column: 3))])])
        let markdown = MarkdownRenderer(sourceURL: "https://github.com/acme/rb/blob/main/").render(page)
        #expect(markdown.contains("[`runbooks/r.yaml:7`](https://github.com/acme/rb/blob/main/runbooks/r.yaml#L7)"))
        #expect(MarkdownRenderer().render(page).contains("`runbooks/r.yaml:7`\n"))
    }

    @Test func catalogRelativePaths() {
        #expect(DocSources(root: ".").path("runbooks/a.yaml") == "runbooks/a.yaml")
        #expect(DocSources(root: "/srv/rb").path("/srv/rb/runbooks/a.yaml") == "runbooks/a.yaml")
        #expect(DocSources(root: "/srv/rb/").path("/srv/rb/runbooks/a.yaml") == "runbooks/a.yaml")
    }

    @Test func authoredDescriptionsAreMarkdownThatCarriesNoHTML() {
        let page = DocPage(
            path: "r", title: "r", blocks: [.authored("- **steal** high\n<script>x()</script> & more\n\nsecond")])
        let markdown = MarkdownRenderer().render(page)
        #expect(markdown.contains("- **steal** high\n&lt;script>x()&lt;/script> &amp; more\n\nsecond\n"))
        let html = HTMLRenderer().render(page)
        #expect(
            html.contains(
                "<ul><li><strong>steal</strong> high &lt;script&gt;x()&lt;/script&gt; &amp; more</li></ul><p>second</p>"
            ),
            "Markdown rendered, raw HTML shown as text")
    }
}
