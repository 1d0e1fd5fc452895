import Foundation
import Ink

/// Markdown (status templates, runbook descriptions) as HTML that is safe to put in a page:
/// the text comes from templates *and* alert labels, which are untrusted.
///
/// Ink passes raw HTML through and copies link targets into attributes unescaped, so rbx escapes
/// before Ink sees the text: `&`, `<`, `"` and `'` become entities, which Ink keeps as they are
/// in prose (they display as the characters) and escapes once more in code (undone below). No
/// tag can then appear and no attribute can be closed early. Links keep only http, https,
/// mailto and same-site targets; images become links, so a status page never loads a picture
/// from elsewhere. Input beyond ``maxBytes`` is cut, which bounds Ink's time.
public enum MarkdownHTML {
    public static let maxBytes = 64 * 1024

    public static func render(_ markdown: String) -> String {
        var text = markdown
        if text.utf8.count > maxBytes {
            text = String(decoding: text.utf8.prefix(maxBytes), as: UTF8.self) + " …"
        }
        let parser = MarkdownParser(modifiers: [
            Modifier(target: .inlineCode) { html, _ in unescapeOnce(html) },
            Modifier(target: .codeBlocks) { html, _ in unescapeOnce(withoutLanguage(html)) },
            Modifier(target: .links) { html, _ in safeLink(html) },
            Modifier(target: .images) { html, _ in imageAsLink(html) },
        ])
        // Ink reads a document that opens with `---` as metadata and drops it; a zero-width space
        // before it keeps the text.
        // Ink reads past the end of a list whose last line is blank spaces ("- \n " crashes it):
        // trailing spaces go, and the text ends with a newline.
        let trimmed = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed() }
        let escaped = preEscape(trimmed.map { String($0) }.joined(separator: "\n") + "\n")
        let opensWithRule = escaped.drop(while: { $0.isWhitespace }).hasPrefix("---")
        return parser.html(from: opensWithRule ? "\u{200B}" + escaped : escaped)
    }

    /// By Unicode scalar, not `Character`: `<` or `"` followed by a combining mark is one
    /// Swift `Character` that equals neither, yet a browser reads the `<` or `"` alone (found by
    /// the `markdown` fuzz target: `"<\u{0483}"` came through unescaped).
    private static func preEscape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "[":
                if let end = simpleLinkEnd(scalars, from: index) {
                    for inner in scalars[index..<end] { out.append(contentsOf: escaped(inner).unicodeScalars) }
                    index = end
                    continue
                }
                out.append(contentsOf: "&#91;".unicodeScalars)
            case "]": out.append(contentsOf: "&#93;".unicodeScalars)
            default: out.append(contentsOf: escaped(scalar).unicodeScalars)
            }
            index += 1
        }
        return String(out)
    }

    /// Ink's link parsing backtracks over brackets: time doubles with each unmatched `[` (22 take
    /// seconds, measured). Only `[text](target)` with no bracket in the text and no bracket,
    /// parenthesis or space in the target reaches Ink as a link; every other bracket is an
    /// entity, shown as itself. Returns the index after the link's `)`, scanning each scalar
    /// once: a scan stops at the first one that cannot belong to the link.
    private static func simpleLinkEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        while index < scalars.count, !"[]\n".unicodeScalars.contains(scalars[index]) { index += 1 }
        guard index + 1 < scalars.count, scalars[index] == "]", scalars[index + 1] == "(" else { return nil }
        index += 2
        while index < scalars.count, !"[]() \t\n".unicodeScalars.contains(scalars[index]) { index += 1 }
        guard index < scalars.count, scalars[index] == ")" else { return nil }
        return index + 1
    }

    /// The characters that could open a tag or close an attribute, as entities.
    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "&": "&amp;"
        case "<": "&lt;"
        case "\"": "&quot;"
        case "'": "&#39;"
        default: String(scalar)
        }
    }

    /// Code escapes the entities the pre-escape made (`&amp;lt;`); one level is removed, so the
    /// reader sees `<` and `&` as written.
    private static func unescapeOnce(_ html: String) -> String {
        html.replacingOccurrences(of: "&amp;", with: "&")
    }

    /// ```` ```LANG ```` gives `<pre><code class="language-LANG">`; rbx highlights nothing, and the
    /// class would be text from the template in an attribute.
    private static func withoutLanguage(_ html: String) -> String {
        let open = "<pre><code class=\""
        guard html.hasPrefix(open), let end = html.range(of: "\">") else { return html }
        return "<pre><code>" + html[end.upperBound...]
    }

    /// Ink's `<a href="TARGET">TEXT</a>`, kept when TARGET is safe, else TEXT alone.
    private static func safeLink(_ html: String) -> String {
        guard let (target, inner) = split(html, open: "<a href=\"", close: "\">", end: "</a>") else {
            return HTMLText.escape(html)
        }
        guard isSafeTarget(target) else { return "<span>\(inner)</span>" }
        return "<a href=\"\(attribute(target))\" rel=\"noopener noreferrer\">\(inner)</a>"
    }

    /// Ink's `<img src="SRC" alt="ALT"/>` as a link to the picture.
    private static func imageAsLink(_ html: String) -> String {
        guard let (source, rest) = split(html, open: "<img src=\"", close: "\"", end: "/>") else {
            return HTMLText.escape(html)
        }
        var alt = "image"
        if rest.hasPrefix(" alt=\""), rest.hasSuffix("\"") {
            alt = String(rest.dropFirst(" alt=\"".count).dropLast())
        }
        guard isSafeTarget(source) else { return "<span>\(alt)</span>" }
        return "<a href=\"\(attribute(source))\" rel=\"noopener noreferrer\">\(alt.isEmpty ? "image" : alt)</a>"
    }

    /// The pre-escape left `>` as it was; in an attribute it is harmless but unusual, so it is
    /// written as the entity (checkers and readers then never see a `>` inside a tag).
    private static func attribute(_ value: String) -> String {
        value.replacingOccurrences(of: ">", with: "&gt;")
    }

    private static func split(_ html: String, open: String, close: String, end: String) -> (String, String)? {
        guard html.hasPrefix(open), html.hasSuffix(end) else { return nil }
        let body = html.dropFirst(open.count).dropLast(end.count)
        guard let closing = body.range(of: close) else { return nil }
        return (String(body[..<closing.lowerBound]), String(body[closing.upperBound...]))
    }

    /// http(s), mailto, or a target without a scheme (a path, a fragment). The pre-escape turned
    /// every `&` into `&amp;`, so an entity cannot spell a colon the check does not see.
    public static func isSafeTarget(_ target: String) -> Bool {
        let cleaned = target.filter { !$0.isWhitespace && !($0.asciiValue.map { $0 < 0x20 } ?? false) }.lowercased()
        if cleaned.hasPrefix("http://") || cleaned.hasPrefix("https://") || cleaned.hasPrefix("mailto:") {
            return true
        }
        guard let colon = cleaned.firstIndex(of: ":") else { return true }
        let beforeColon = cleaned[..<colon]
        return beforeColon.contains("/") || beforeColon.contains("?") || beforeColon.contains("#")
    }
}
