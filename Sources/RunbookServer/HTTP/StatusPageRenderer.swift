import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookStore

/// `GET /status` and its feeds: the current incidents and those resolved lately, each with the
/// message its runbook's status templates give for where it stands, Markdown as HTML. Public
/// and read-only; the page works without its script and refreshes itself every 30 seconds.
struct StatusPageRenderer {
    var dependencies: ServerDependencies
    var pages: WebPages

    /// One incident on the page or in a feed.
    struct Incident {
        var run: RunRow
        var alert: Alert
        var title: String
        var state: String
        /// The status message as Markdown.
        var body: String
    }

    /// Current incidents (``RunQuery/currentIncidents(limit:)``) and those resolved in the last day.
    func incidents() async throws -> (current: [Incident], resolved: [Incident]) {
        let now = dependencies.clock.milliseconds
        let current = try await dependencies.store.runListings(.currentIncidents(limit: 200))
        let resolved = try await dependencies.store.runListings(
            .resolvedIncidents(since: now - 86_400_000, limit: 50))
        return (current.compactMap(incident), resolved.compactMap(incident))
    }

    func page() async throws -> String {
        let (current, resolved) = try await incidents()
        return pages.render(
            "status",
            [
                "title": "Status", "current": current.map(values), "resolved": resolved.map(values),
                "hasCurrent": !current.isEmpty, "currentCount": "\(current.count)", "hasResolved": !resolved.isEmpty,
                "updated": HTMLTime(epochMilliseconds: dependencies.clock.milliseconds).values,
            ])
    }

    /// Atom (RFC 4287): one entry per incident, updated when it was resolved. Links are relative
    /// to the feed's own address: a `Host` header is the client's to choose, so it is not echoed.
    func atom() async throws -> String {
        let (current, resolved) = try await incidents()
        let all = current + resolved
        let entries: [[String: Any]] = all.map { incident in
            [
                "id": "urn:rbx:run:\(incident.run.id)", "title": "\(incident.state): \(incident.title)",
                "updated": RFC3339.format(epochMilliseconds: updated(incident)),
                "published": RFC3339.format(epochMilliseconds: incident.run.startedAt),
                "pageURL": "/status", "body": MarkdownHTML.render(incident.body),
            ]
        }
        let newest = all.map(updated).max() ?? dependencies.clock.milliseconds
        return pages.render(
            "atom",
            [
                "feedID": "urn:rbx:status", "updated": RFC3339.format(epochMilliseconds: newest),
                "selfURL": "/status/feed.atom", "pageURL": "/status", "entries": entries,
            ])
    }

    /// JSON Feed 1.1 (jsonfeed.org): the same entries as the Atom feed.
    func jsonFeed() async throws -> [String: Any] {
        let (current, resolved) = try await incidents()
        return [
            "version": "https://jsonfeed.org/version/1.1", "title": "Status",
            "home_page_url": "/status", "feed_url": "/status/feed.json",
            "items": (current + resolved).map { incident -> [String: Any] in
                [
                    "id": "urn:rbx:run:\(incident.run.id)", "title": "\(incident.state): \(incident.title)",
                    "content_html": MarkdownHTML.render(incident.body), "content_text": incident.body,
                    "url": "/status",
                    "date_published": RFC3339.format(epochMilliseconds: incident.run.startedAt),
                    "date_modified": RFC3339.format(epochMilliseconds: updated(incident)),
                    "tags": [incident.state, incident.alert.severity ?? "none"],
                ]
            },
        ]
    }

    private func updated(_ incident: Incident) -> Int64 { incident.run.resolvedAt ?? incident.run.startedAt }

    private func incident(_ listing: RunListing) -> Incident? {
        guard let alert = listing.alert?.alert else { return nil }
        let run = listing.run
        let message = IncidentMessage(dependencies: dependencies).current(for: run, alert: alert)
        let title = dependencies.catalog.runbook(named: run.runbook)?.metadata.displayTitle ?? run.runbook
        return Incident(
            run: run, alert: alert, title: title, state: message?.state ?? run.state.rawValue, body: message?.body ?? ""
        )
    }

    private func values(_ incident: Incident) -> [String: Any] {
        let run = incident.run
        let css = run.resolvedAt != nil ? "incident resolved" : run.ackedBy != nil ? "incident acked" : "incident"
        var values: [String: Any] = [
            "css": css, "title": incident.title, "state": incident.state, "alert": incident.alert.name,
            "severity": incident.alert.severity ?? "none", "since": HTMLTime(epochMilliseconds: run.startedAt).values,
        ]
        if let resolvedAt = run.resolvedAt { values["resolvedAt"] = HTMLTime(epochMilliseconds: resolvedAt).values }
        if !incident.body.isEmpty { values["body"] = MarkdownHTML.render(incident.body) }
        return values
    }
}
