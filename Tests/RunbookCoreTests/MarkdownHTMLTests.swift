import RunbookCore
import Testing

/// Status templates render alert labels, which are untrusted: Markdown becomes HTML, anything
/// that would be markup or script stays text.
@Suite struct MarkdownHTMLTests {
    @Test(arguments: [
        ("**Investigating** db", "<p><strong>Investigating</strong> db</p>"),
        ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
        ("<script>alert(1)</script>\n\nnext", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>next</p>"),
        ("`<b>a&b</b>`", "<p><code>&lt;b&gt;a&amp;b&lt;/b&gt;</code></p>"),
        ("```\n<i> & \"q\"\n```", "<pre><code>&lt;i&gt; &amp; &quot;q&quot;\n</code></pre>"),
        ("[x](javascript:alert`1`)", "<p><span>x</span></p>"),
        ("[x](JaVa\u{0}ScRiPt:alert)", "<p><span>x</span></p>"),
        // A target with parentheses or spaces is not a link: the text stays as written.
        ("[x](javascript:alert(1))", "<p>&#91;x&#93;(javascript:alert(1))</p>"),
        ("[x](data:text/html,hi)", "<p><span>x</span></p>"),
        (
            "[ok](https://example.com/a?b=1&c=2)",
            "<p><a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"noopener noreferrer\">ok</a></p>"
        ),
        ("[run](/console/runs/r1)", "<p><a href=\"/console/runs/r1\" rel=\"noopener noreferrer\">run</a></p>"),
        (
            "[z](\"onmouseover=\"alert`1`)",
            "<p><a href=\"&quot;onmouseover=&quot;alert`1`\" rel=\"noopener noreferrer\">z</a></p>"
        ),
        ("![pic](http://elsewhere/x.png)", "<a href=\"http://elsewhere/x.png\" rel=\"noopener noreferrer\">pic</a>"),
        ("> 1 < 2 & 3", "<blockquote><p>1 &lt; 2 &amp; 3</p></blockquote>"),
        ("quotes \" and '", "<p>quotes &quot; and &#39;</p>"),
        ("[[x]] [a [b](c)", "<p>&#91;&#91;x&#93;&#93; &#91;a <a href=\"c\" rel=\"noopener noreferrer\">b</a></p>"),
        ("`[x](y)`", "<p><code>[x](y)</code></p>"),
        // A combining mark after `<` or `"` makes one Swift Character of the two; a browser still
        // reads the `<` or `"` alone, so it is escaped all the same (found by the fuzz target).
        // Ink then fails to see `&lt;` + mark as an entity and escapes it again: shown as text.
        ("<\u{0483}", "<p>&amp;lt;\u{0483}</p>"),
        (
            "[z](\"\u{0301}onmouseover=\"\u{0301}alert`1`)",
            "<p><a href=\"&quot;\u{0301}onmouseover=&quot;\u{0301}alert`1`\" rel=\"noopener noreferrer\">z</a></p>"
        ),
    ])
    func rendersMarkdownAndKeepsMarkupAsText(_ markdown: String, _ html: String) {
        #expect(MarkdownHTML.render(markdown) == html)
    }

    /// Ink reads a leading `---` block as metadata and drops it; rbx keeps the text.
    @Test func aLeadingRuleIsNotDropped() {
        let html = MarkdownHTML.render("---\ntitle: x\n---\nbody")
        #expect(html.contains("title: x"))
        #expect(html.contains("body"))
    }

    @Test func longInputIsCut() {
        let html = MarkdownHTML.render(String(repeating: "a", count: MarkdownHTML.maxBytes + 10))
        #expect(html.hasSuffix(" …</p>"))
        #expect(html.utf8.count < MarkdownHTML.maxBytes + 20)
    }
}
