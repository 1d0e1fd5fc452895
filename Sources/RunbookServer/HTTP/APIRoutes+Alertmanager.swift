import Foundation
import Hummingbird
import Logging
import RunbookCore
import RunbookStore

/// The parts of Alertmanager's API v2 that amtool and dashboards read and write besides posting
/// alerts: alert listings and groups, silences, the status.
extension APIRoutes {
    func listAlerts(_ request: Request) async throws -> Response {
        let window = dependencies.catalog.config.defaults.dedupWindow
        let catalog = dependencies.catalog
        return APIResponse.json(
            try await shownAlerts(request).map { record in
                let receiver = AlertGrouping.key(for: record.alert, in: catalog).receiver
                return AlertmanagerJSON.gettableAlert(record, receiver: receiver, dedupWindow: window)
            })
    }

    /// Alertmanager's alert groups (``AlertGrouping``), with its `receiver` filter (a regular
    /// expression the whole receiver name must match).
    func listAlertGroups(_ request: Request) async throws -> Response {
        let window = dependencies.catalog.config.defaults.dedupWindow
        let receiver = try request.uri.queryParameters.get("receiver").map { pattern throws(APIError) in
            do {
                return try LabelMatcher(name: "receiver", op: .matchesRegex, value: pattern)
            } catch {
                throw APIError.badRequest("not a valid regular expression: \(error)", field: "receiver")
            }
        }
        let groups = AlertGrouping.groups(try await shownAlerts(request), in: dependencies.catalog) { $0.alert }
            .filter { receiver?.matches(["receiver": $0.key.receiver]) ?? true }
        return APIResponse.json(
            groups.map { group in
                [
                    "labels": group.key.labels, "receiver": ["name": group.key.receiver],
                    "alerts": group.items.map {
                        AlertmanagerJSON.gettableAlert($0, receiver: group.key.receiver, dedupWindow: window)
                    },
                ] as [String: Any]
            })
    }

    /// The firing alerts a listing shows, by Alertmanager's `active`, `silenced` and `filter`
    /// parameters.
    func shownAlerts(_ request: Request) async throws -> [AlertRecord] {
        let records = try await dependencies.store.alerts(limit: limit(request, default: 1000))
        let active = request.uri.queryParameters.get("active").map { $0 != "false" } ?? true
        let silenced = request.uri.queryParameters.get("silenced").map { $0 != "false" } ?? true
        let filters = try filters(request)
        return records.filter { record in
            // A fire drill is not an alert a dashboard or amtool should show as firing.
            guard record.alert.status == .firing, record.alert.drill == nil,
                filters.allSatisfy({ $0.matches(record.alert.labels) })
            else {
                return false
            }
            return record.silencedBy == nil ? active : silenced
        }
    }

    // MARK: Silences

    func postSilence(_ request: Request) async throws -> Response {
        let body = try await APIResponse.body(of: request, limit: maxBody)
        let now = dependencies.clock.milliseconds
        let posted = try AlertmanagerJSON.postableSilence(body, now: now)
        let previous = posted.id.isEmpty ? nil : try await dependencies.store.silences().first { $0.id == posted.id }
        let change = Silence.change(
            posting: posted, previous: previous, now: now, newID: UUID().uuidString.lowercased())
        var metadata: Logger.Metadata = ["by": .string(posted.createdBy)]
        switch change {
        case .unknown(let id):
            throw APIError.notFound("no silence \(id)")
        case .create(let silence):
            try await dependencies.store.addSilence(silence)
            metadata["silence"] = .string(silence.id)
            dependencies.logger.info("silence added", metadata: metadata)
        case .update(let silence):
            try await dependencies.store.addSilence(silence)
            metadata["silence"] = .string(silence.id)
            dependencies.logger.info("silence updated", metadata: metadata)
        case .replace(let old, let silence):
            // Ended first: for a moment neither may hold, never both with different matchers.
            _ = try await dependencies.store.expireSilence(id: old, now: now)
            try await dependencies.store.addSilence(silence)
            metadata["silence"] = .string(silence.id)
            metadata["replaces"] = .string(old)
            dependencies.logger.info("silence replaced", metadata: metadata)
        }
        return APIResponse.json(["silenceID": change.result?.id ?? ""])
    }

    /// Silences whose matchers include every `filter` given (Alertmanager's rule), active first.
    func listSilences(_ request: Request) async throws -> Response {
        let now = dependencies.clock.milliseconds
        let filters = try filters(request)
        let order: [Silence.State: Int] = [.active: 0, .pending: 1, .expired: 2]
        let silences = try await dependencies.store.silences()
            .filter { silence in
                filters.allSatisfy { filter in
                    silence.matchers.contains { (try? $0.compiled()) == filter }
                }
            }
            .sorted { (order[$0.state(at: now)] ?? 3, $0.startsAt) < (order[$1.state(at: now)] ?? 3, $1.startsAt) }
        return APIResponse.json(silences.map { AlertmanagerJSON.gettableSilence($0, now: now) })
    }

    func filters(_ request: Request) throws(APIError) -> [LabelMatcher] {
        var matchers: [LabelMatcher] = []
        for value in request.uri.queryParameters.getAll("filter") {
            matchers.append(try FilterMatcher.parse(String(value)))
        }
        return matchers
    }

    func silence(_ id: String) async throws -> Response {
        guard let found = try await dependencies.store.silences().first(where: { $0.id == id }) else {
            throw APIError.notFound("no silence \(id)")
        }
        return APIResponse.json(AlertmanagerJSON.gettableSilence(found, now: dependencies.clock.milliseconds))
    }

    func expireSilence(_ id: String) async throws -> Response {
        guard try await dependencies.store.expireSilence(id: id, now: dependencies.clock.milliseconds) else {
            throw APIError.notFound("no active or pending silence \(id)")
        }
        return APIResponse.bytes([], contentType: "application/json")
    }

    /// `amtool` asks for the cluster status before some commands.
    var amStatus: [String: Any] {
        [
            "cluster": ["status": "disabled", "peers": [Any]()],
            "versionInfo": [
                "version": RBXVersion.current, "branch": "", "revision": "", "buildUser": "", "buildDate": "",
                "goVersion": "",
            ],
            "config": ["original": ""], "uptime": RFC3339.format(epochMilliseconds: dependencies.startedAt),
        ]
    }
}
