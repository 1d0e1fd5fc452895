import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `/status` and its feeds as a reader sees them: Markdown as HTML, alert data as text, an
/// incident listed until its run is resolved (a failed run too), public and read-only.
@Suite struct StatusPageTests {
    static let failingRunbook = escalatingRunbook(
        extraSteps: """
              - id: restart
                kind: remediation
                run: ["/bin/false"]
                timeout: 5s
            """)

    @Test func aFailedRunStaysListedUntilResolvedAndMarkdownIsRendered() async throws {
        let server = try await TestServer(
            runbooks: ["down.yaml": Self.failingRunbook],
            templates: [
                "investigating":
                    "**Investigating:** {{alert.name}} on {{alert.labels.instance}}\n\n> see [graph](javascript:alert)\n"
            ])
        try await server.withClient { client in
            let label = #"<img src=x onerror=alert(1)>"#
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"\#(label)"}}]"#)
            let run = try #require(
                await eventuallyValue {
                    try await client.send(.get, "/api/v1/runs").list.first { $0["state"] as? String == "failed" }
                })
            let page = try await client.send(.get, "/status", token: nil)
            #expect(page.status == .ok)
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(page.text.contains("<h2>Current incidents (1)</h2>"), "a failed run is still an incident")
            #expect(page.text.contains("<strong>Investigating:</strong> Down on &lt;img src=x onerror=alert(1)&gt;"))
            #expect(!page.text.contains("<img"), "the label is text, not an element")
            #expect(!page.text.contains("javascript:"), "an unsafe link keeps its text only")
            #expect(page.text.contains("<blockquote>"))

            let id = try #require(run["id"] as? String)
            #expect(try await client.send(.post, "/api/v1/runs/\(id)/resolve", json: #"{"note":"done"}"#).status == .ok)
            let after = try await client.send(.get, "/status", token: nil)
            #expect(after.text.contains("All systems operational"))
            #expect(after.text.contains("Resolved in the last 24 hours"))
        }
    }

    @Test func theFeedsListIncidentsAsAtomAndJSONFeed() async throws {
        let server = try await TestServer(runbooks: ["down.yaml": escalatingRunbook(rungs: ["1h"])])
        try await server.withClient { client in
            try await client.send(.post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"w&1"}}]"#)
            #expect(await eventually { server.lines("steps.log").count == 1 })
            let atom = try await client.send(.get, "/status/feed.atom", token: nil)
            #expect(atom.headers[.contentType] == "application/atom+xml; charset=utf-8")
            let titles = try AtomTitles.parse(Data(atom.text.utf8))
            #expect(titles == ["Status", "investigating: down"])
            let json = try await client.send(.get, "/status/feed.json", token: nil)
            #expect(json.object["version"] as? String == "https://jsonfeed.org/version/1.1")
            let items = try #require(json.object["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect((items.first?["content_text"] as? String)?.contains("Investigating Down on w&1") == true)
            #expect((items.first?["content_html"] as? String)?.contains("w&amp;1") == true)
        }
    }
}

/// The `<title>`s of an Atom document, read by Foundation's XML parser: it refuses what is not
/// well-formed, which is what a feed reader does.
final class AtomTitles: NSObject, XMLParserDelegate {
    private var titles: [String] = []
    private var text: String?

    static func parse(_ data: Data) throws -> [String] {
        let reader = AtomTitles()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.coderReadCorrupt) }
        return reader.titles
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if name == "title" { text = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text? += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "title", let text { titles.append(text) }
        text = nil
    }
}

/// Polls until `value` gives something or `timeout` passes.
func eventuallyValue<T>(timeout: Duration = .seconds(10), _ value: () async throws -> T?) async rethrows -> T? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let found = try await value() { return found }
        try? await Task.sleep(for: .milliseconds(25))
    }
    return try await value()
}
