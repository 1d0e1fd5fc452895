import Mustache

/// The pages' Mustache templates, compiled once at start. `{{x}}` escapes (HTML's five
/// characters), so alert data is text wherever it goes; `{{{x}}}` is used only for HTML rbx
/// made safe itself (``MarkdownHTML``, the flow SVG).
struct WebPages: Sendable {
    let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        for (name, text) in Self.templates.merging(ConsoleTemplates.all, uniquingKeysWith: { first, _ in first }) {
            // The templates are constants in this file; a parse error is a bug caught by every test.
            do { try library.register(text, named: name) } catch { preconditionFailure("template \(name): \(error)") }
        }
        self.library = library
    }

    func render(_ name: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: name) ?? ""
    }

    static let templates: [String: String] = [
        "time": #"<time datetime="{{iso}}" title="{{utc}}">{{utc}}</time>"#,
        "layout": """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" href="data:,">{{$headExtra}}{{/headExtra}}<title>{{title}} · rbx</title>
        <link rel="stylesheet" href="\(WebAssets.stylesheetPath)"><script src="\(WebAssets.scriptPath)" defer></script>
        </head><body>
        {{$header}}{{/header}}
        <main>{{$content}}{{/content}}</main>
        </body></html>

        """,
        "status": """
        {{<layout}}
        {{$headExtra}}<meta http-equiv="refresh" content="30">
        <link rel="alternate" type="application/atom+xml" title="Status" href="/status/feed.atom">
        <link rel="alternate" type="application/feed+json" title="Status" href="/status/feed.json">
        {{/headExtra}}
        {{$content}}
        <h1>Status</h1>
        {{^current}}<p class="ok">All systems operational: no open incidents.</p>{{/current}}
        {{#hasCurrent}}<h2>Current incidents ({{currentCount}})</h2>{{/hasCurrent}}
        {{#current}}{{>incident}}{{/current}}
        {{#hasResolved}}<h2>Resolved in the last 24 hours</h2>{{/hasResolved}}
        {{#resolved}}{{>incident}}{{/resolved}}
        <p class="meta">Updated {{#updated}}{{>time}}{{/updated}} by rbx ·
        <a href="/status/feed.atom">Atom feed</a> · <a href="/status/feed.json">JSON feed</a></p>
        {{/content}}
        {{/layout}}
        """,
        "incident": """
        <section class="{{css}}"><h3>{{title}}</h3>
        <p class="meta">{{state}} · {{alert}} · severity {{severity}} · since {{#since}}{{>time}}{{/since}}\
        {{#resolvedAt}} · resolved {{>time}}{{/resolvedAt}}</p>
        {{#body}}<div class="body">{{{body}}}</div>{{/body}}
        </section>
        """,
        "atom": """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
        <title>Status</title><id>{{feedID}}</id><updated>{{updated}}</updated>
        <link rel="self" href="{{selfURL}}"/><link rel="alternate" href="{{pageURL}}"/><generator>rbx</generator>
        {{#entries}}<entry><id>{{id}}</id><title>{{title}}</title><updated>{{updated}}</updated>
        <published>{{published}}</published><author><name>rbx</name></author><link rel="alternate" href="{{pageURL}}"/>
        <content type="html">{{body}}</content></entry>
        {{/entries}}</feed>

        """,
    ]
}
