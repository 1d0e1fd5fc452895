import Foundation
import RunbookCore
import RunbookLifecycle
import RunbookStore

/// `GET /console/runs`: open incidents first, then every run newest first, filtered by state,
/// runbook, severity and a label matcher, 50 to a page.
struct RunsPage {
    static let pageSize = 50

    /// The query string, read; `problem` says what in it could not be used.
    struct Filters {
        var state = ""
        var runbook = ""
        var severity = ""
        var label = ""
        var matcher: LabelMatcher?
        var after: RunCursor?
        var problem: String?

        init(_ parameters: [String: String]) {
            state = parameters["state"] ?? ""
            runbook = parameters["runbook"] ?? ""
            severity = parameters["severity"] ?? ""
            label = String((parameters["label"] ?? "").prefix(500))
            after = parameters["after"].flatMap { RunCursor($0) }
            if !label.trimmingCharacters(in: .whitespaces).isEmpty {
                do { matcher = try FilterMatcher.parse(label) } catch { problem = error.message }
            }
            if !state.isEmpty, state != "unresolved", RunState(rawValue: state) == nil {
                problem = "unknown state \"\(state)\""
                state = ""
            }
        }

        var isDefault: Bool { state.isEmpty && runbook.isEmpty && severity.isEmpty && matcher == nil && after == nil }

        func query(limit: Int) -> RunQuery {
            var query = RunQuery(after: after, limit: limit)
            if state == "unresolved" {
                query = .currentIncidents(limit: limit, drills: nil)
                query.after = after
            } else if let known = RunState(rawValue: state) {
                query.states = [known]
            }
            query.runbook = runbook.isEmpty ? nil : runbook
            query.severity = severity.isEmpty ? nil : severity
            return query
        }

        /// This page's filters with `after`, as a query string.
        func link(after cursor: RunCursor) -> String {
            let pairs =
                [("state", state), ("runbook", runbook), ("severity", severity), ("label", label)]
                .filter { !$0.1.isEmpty } + [("after", cursor.description)]
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return "/console/runs?"
                + pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
                .joined(separator: "&")
        }
    }

    var dependencies: ServerDependencies

    func values(_ filters: Filters) async throws -> [String: Any] {
        let now = dependencies.clock.milliseconds
        let catalog = dependencies.catalog
        var values: [String: Any] = [
            "title": "Runs", "label": filters.label,
            "states": [("", "any"), ("unresolved", "not resolved")].map { option($0.0, $0.1, filters.state) }
                + RunState.allCases.map { option($0.rawValue, $0.rawValue, filters.state) },
            "runbooks": catalog.runbooks.map(\.name).sorted().map { option($0, $0, filters.runbook) },
            "severities": catalog.config.severity.levels.map { option($0, $0, filters.severity) },
        ]
        if let problem = filters.problem { values["flash"] = ["kind": "error", "text": problem] }
        if filters.after == nil && filters.state.isEmpty {
            var open = Filters([:])
            open.state = "unresolved"
            open.runbook = filters.runbook
            open.severity = filters.severity
            open.matcher = filters.matcher
            let (rows, _) = try await page(open, limit: 200)
            values["open"] = [
                "count": "\(rows.count)",
                "rows": rows.map { RunRowView(listing: $0, catalog: catalog, now: now).values },
                "empty": "Nothing is open.",
            ]
        }
        let (rows, more) = try await page(filters, limit: Self.pageSize)
        values["history"] = [
            "heading": filters.isDefault ? "All runs" : "Runs matching the filters",
            "rows": rows.map { RunRowView(listing: $0, catalog: catalog, now: now).values },
            "empty": filters.after == nil ? "No runs match." : "No older runs.",
        ]
        if more, let last = rows.last { values["older"] = filters.link(after: RunCursor(last.run)) }
        return values
    }

    /// Up to `limit` runs the filters select, and whether there are more. A label matcher is
    /// applied here (labels are stored as JSON), reading at most 20 batches of 200 runs.
    private func page(_ filters: Filters, limit: Int) async throws -> ([RunListing], Bool) {
        guard let matcher = filters.matcher else {
            let listings = try await dependencies.store.runListings(filters.query(limit: limit + 1))
            return (Array(listings.prefix(limit)), listings.count > limit)
        }
        var found: [RunListing] = []
        var query = filters.query(limit: 200)
        for _ in 0..<20 {
            let batch = try await dependencies.store.runListings(query)
            for listing in batch where matcher.matches(listing.alert?.alert.labels ?? [:]) {
                if found.count == limit { return (found, true) }
                found.append(listing)
            }
            guard batch.count == query.limit, let last = batch.last else { return (found, false) }
            query.after = RunCursor(last.run)
        }
        return (found, true)
    }

    private func option(_ value: String, _ label: String, _ selected: String) -> [String: Any] {
        ["value": value, "label": label, "selected": value == selected]
    }
}
