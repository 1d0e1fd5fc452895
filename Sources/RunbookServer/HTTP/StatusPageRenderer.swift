import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookStore

/// `GET /status`: the current incidents and those resolved lately, each with the message its
/// runbook's status templates give for where it stands. Plain HTML, no scripts, refreshes
/// itself every 30 seconds.
struct StatusPageRenderer {
    var dependencies: ServerDependencies

    func render() async throws -> String {
        let store = dependencies.store
        let current = try await store.runs(limit: 200, states: [.running, .open, .acked])
        let now = dependencies.clock.milliseconds
        let resolved = try await store.runs(limit: 50, states: [.resolved]).filter {
            ($0.resolvedAt ?? 0) > now - 86_400_000
        }
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="30">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>Status</title>
            <style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
            .incident{border-left:.4rem solid #c62828;padding:.5rem 1rem;margin:1rem 0;background:#fafafa}
            .resolved{border-color:#2e7d32}.acked{border-color:#ef6c00}h1{font-size:1.6rem}.meta{color:#666;font-size:.85rem}
            pre{white-space:pre-wrap;font-family:inherit;margin:.5rem 0}</style></head><body>
            <h1>Status</h1>

            """
        html +=
            current.isEmpty
            ? "<p class=\"ok\">All systems operational: no open incidents.</p>\n"
            : "<h2>Current incidents (\(current.count))</h2>\n"
        for run in current {
            html += try await section(run, trigger: run.startedAt + updateEvery(run) <= now ? .onUpdate : .onStart)
        }
        if !resolved.isEmpty {
            html += "<h2>Resolved in the last 24 hours</h2>\n"
            for run in resolved { html += try await section(run, trigger: .onResolved) }
        }
        html += "<p class=\"meta\">Updated \(RFC3339.format(epochMilliseconds: now)) by rbx.</p>\n</body></html>\n"
        return html
    }

    private func updateEvery(_ run: RunRow) -> Int64 {
        guard let every = dependencies.catalog.runbook(named: run.runbook)?.status.onUpdate?.every else {
            return .max / 2
        }
        return every.totalMilliseconds
    }

    private func section(_ run: RunRow, trigger: RenderedMessage.Trigger) async throws -> String {
        guard let alert = try await dependencies.store.alert(id: run.alertID) else { return "" }
        let runbook = dependencies.catalog.runbook(named: run.runbook)
        let messenger = StoredRun(run, alert: alert.alert, steps: [], dependencies: dependencies)?.messenger
        let message = messenger?.currentStatus(trigger) ?? messenger?.currentStatus(.onStart)
        let title = runbook?.metadata.displayTitle ?? run.runbook
        let css = run.state == .resolved ? "incident resolved" : run.state == .acked ? "incident acked" : "incident"
        var text = "<section class=\"\(css)\"><h3>\(HTMLText.escape(title))</h3>\n"
        text +=
            "<p class=\"meta\">\(HTMLText.escape(message?.state ?? run.state.rawValue)) · \(HTMLText.escape(alert.alert.name))"
        text +=
            " · severity \(HTMLText.escape(alert.alert.severity ?? "none")) · since \(RFC3339.format(epochMilliseconds: run.startedAt))</p>\n"
        if let body = message?.body, !body.isEmpty { text += "<pre>\(HTMLText.escape(body))</pre>\n" }
        return text + "</section>\n"
    }

}
