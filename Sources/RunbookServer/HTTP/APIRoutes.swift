import Foundation
import Hummingbird
import Logging
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookStore

/// The HTTP surface of `rbx serve`. Everything under `/api` needs the bearer token; health,
/// metrics and the status page do not.
struct APIRoutes {
    var dependencies: ServerDependencies
    var intake: AlertIntake
    var tokens: APITokens
    var maxBody: Int
    var pages = WebPages()
    /// Console sessions (hummingbird-auth); the server runs the driver as a service.
    var sessions: any PersistDriver
    var reloader: CatalogReloader

    func router() -> Router<RBXRequestContext> {
        let router = Router(context: RBXRequestContext.self)
        router.get("/healthz") { _, _ in APIResponse.json(["status": "ok"]) }
        router.get("/readyz") { _, _ in await ready() }
        router.get("/metrics") { _, _ in
            APIResponse.bytes(
                dependencies.metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/status") { _, _ in await guarded { try await statusPage() } }
        router.get("/status/feed.atom") { _, _ in
            await guarded {
                let feed = try await StatusPageRenderer(dependencies: dependencies, pages: pages).atom()
                return WebResponse.page(feed, contentType: "application/atom+xml; charset=utf-8")
            }
        }
        router.get("/status/feed.json") { _, _ in
            await guarded {
                let feed = try await StatusPageRenderer(dependencies: dependencies, pages: pages).jsonFeed()
                return WebResponse.page(
                    String(decoding: JSONBody.encode(feed), as: UTF8.self), contentType: "application/feed+json")
            }
        }
        router.get(.init(WebAssets.stylesheetPath)) { _, _ in
            WebResponse.asset(WebAssets.stylesheet, contentType: "text/css; charset=utf-8")
        }
        router.get(.init(WebAssets.scriptPath)) { _, _ in
            WebResponse.asset(WebAssets.script, contentType: "text/javascript; charset=utf-8")
        }
        ConsoleRoutes(
            dependencies: dependencies, tokens: tokens, pages: pages, sessions: sessions,
            secureCookies: dependencies.catalog.config.server.externalURL?.lowercased().hasPrefix("https://") ?? false,
            sessionLifetime: dependencies.catalog.config.server.sessionLifetime,
            catalogPages: CatalogPages(catalog: dependencies.live), intake: intake
        ).register(on: router)
        // Prometheus's and Alertmanager's reload endpoint, with rbx's token.
        router.group("-").add(middleware: TokenAuthMiddleware(tokens: tokens)).post("reload") { _, context in
            await reload(by: context.identity ?? APITokens.sharedIdentity)
        }
        let api = router.group("api").add(middleware: TokenAuthMiddleware(tokens: tokens))
        api.post("v2/alerts") { request, _ in
            await guarded { try await postAlerts(request, form: .alertmanager, reply: .empty) }
        }
        api.post("v1/alerts") { request, _ in
            await guarded { try await postAlerts(request, form: .any, reply: .summary) }
        }
        api.post("v1/webhook/alertmanager") { request, _ in
            await guarded { try await postAlerts(request, form: .webhook, reply: .summary) }
        }
        api.get("v2/alerts") { request, _ in await guarded { try await listAlerts(request) } }
        api.get("v2/alerts/groups") { request, _ in await guarded { try await listAlertGroups(request) } }
        api.post("v1/drills") { request, context in
            await guarded { try await postDrill(request, identity: context.identity ?? APITokens.sharedIdentity) }
        }
        api.get("v2/status") { _, _ in APIResponse.json(amStatus) }
        api.post("v2/silences") { request, _ in await guarded { try await postSilence(request) } }
        api.get("v2/silences") { request, _ in await guarded { try await listSilences(request) } }
        api.get("v2/silence/{id}") { _, context in
            await guarded { try await silence(context.parameters.get("id") ?? "") }
        }
        api.delete("v2/silence/{id}") { _, context in
            await guarded { try await expireSilence(context.parameters.get("id") ?? "") }
        }
        api.get("v1/runs") { request, _ in await guarded { try await listRuns(request) } }
        api.get("v1/budgets") { _, _ in await guarded { try await listBudgets() } }
        api.get("v1/replicas") { _, _ in await guarded { try await listReplicas() } }
        api.get("v1/runs/{id}") { _, context in
            await guarded { try await runDetail(context.parameters.get("id") ?? "") }
        }
        for action in RunActions.PersonAction.allCases {
            api.post("v1/runs/{id}/\(action.rawValue)") { request, context in
                await guarded {
                    try await act(
                        action, runID: context.parameters.get("id") ?? "", request: request,
                        identity: context.identity ?? APITokens.sharedIdentity)
                }
            }
        }
        return router
    }

    /// Maps thrown errors to responses: ``APIError`` as itself, anything else (the store) as 503.
    /// A store error's text (hosts, SQL states, file paths) goes to the log, never to a client.
    private func guarded(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as APIError {
            return APIResponse.error(error)
        } catch {
            dependencies.logger.error("request failed", metadata: ["error": .string("\(error)")])
            return APIResponse.error(
                .unavailable("rbx could not complete the request now; retry (the server log says why)"))
        }
    }

    /// Ready means alerts posted now would be stored: the store takes a write and answers a read.
    private func ready() async -> Response {
        do {
            try await dependencies.store.checkWritable(now: dependencies.clock.milliseconds)
        } catch {
            dependencies.logger.error(
                "readiness check: the store cannot write", metadata: ["error": .string("\(error)")])
            return APIResponse.error(.unavailable("the store cannot write now (the server log says why)"))
        }
        do {
            let depth = try await dependencies.store.queueDepth()
            return APIResponse.json(["status": "ready", "queue_depth": depth])
        } catch {
            dependencies.logger.error(
                "readiness check: the store does not answer", metadata: ["error": .string("\(error)")])
            return APIResponse.error(.unavailable("the store does not answer (the server log says why)"))
        }
    }

    // MARK: Alerts

    private enum Reply { case empty, summary }

    private func postAlerts(_ request: Request, form: AlertDecoder.Form, reply: Reply) async throws -> Response {
        let body = try await APIResponse.body(of: request, limit: maxBody)
        let (received, refused) = try await intake.receive(body, form: form)
        if !refused.isEmpty { throw APIError.refused(refused, taken: received.count) }
        if reply == .empty { return APIResponse.bytes([], contentType: "application/json") }
        let results: [[String: Any]] = received.map { alert, outcome in
            var item: [String: Any] = ["fingerprint": alert.fingerprint, "name": alert.name, "outcome": outcome.kind]
            switch outcome {
            case .queued(let id), .unrouted(let id): item["alert_id"] = id
            case .deduplicated(let id, let occurrences):
                item["alert_id"] = id
                item["occurrences"] = occurrences
            case .silenced(let id, let silence):
                item["alert_id"] = id
                item["silenced_by"] = silence
            case .resolved(let id, let runs):
                item["alert_id"] = id.map { $0 as Any } ?? NSNull()
                item["resolved_runs"] = runs.map(\.id)
            }
            return item
        }
        return APIResponse.json(["accepted": received.count, "alerts": results])
    }

    /// A fire drill through this server (``DrillRequest``); answers what intake did with it.
    private func postDrill(_ request: Request, identity: Identity) async throws -> Response {
        let body = try await APIResponse.body(of: request, limit: maxBody)
        let drill = try DrillRequest.read(
            body, by: identity, catalog: dependencies.catalog, now: dependencies.clock.milliseconds)
        let taken = try await intake.take([(drill.alert, drill.received[...])])
        let outcome = taken.first?.1
        dependencies.logger.info(
            "fire drill requested",
            metadata: [
                "runbook": .string(drill.runbook), "by": .string(identity.name),
                "alert.fingerprint": .string(drill.alert.fingerprint), "disposition": .string(outcome?.kind ?? "none"),
            ])
        var reply: [String: Any] = [
            "runbook": drill.runbook, "fingerprint": drill.alert.fingerprint, "outcome": outcome?.kind ?? "none",
            "speed": drill.alert.drill?.speed ?? 1,
        ]
        if let id = outcome?.alertID { reply["alert_id"] = id }
        if case .silenced(_, let silence)? = outcome { reply["silenced_by"] = silence }
        return APIResponse.json(reply)
    }

    // MARK: Runs

    private func listRuns(_ request: Request) async throws -> Response {
        var states: Set<RunState>?
        if let text = request.uri.queryParameters.get("state") {
            var parsed = Set<RunState>()
            for name in text.split(separator: ",") {
                guard let state = RunState(rawValue: String(name)) else {
                    throw APIError.badRequest(
                        "unknown state \"\(name)\"; one of \(RunState.allCases.map(\.rawValue).joined(separator: ", "))",
                        field: "state")
                }
                parsed.insert(state)
            }
            states = parsed
        }
        let runs = try await dependencies.store.runs(limit: limit(request, default: 100), states: states)
        return APIResponse.encoded(runs.map { RunBody($0) })
    }

    /// Budgets with uses in their window now: what a person checks before asking why a
    /// remediation did not run.
    private func listBudgets() async throws -> Response {
        let now = dependencies.clock.milliseconds
        let uses = try await dependencies.store.budgetUses(since: now - Budget.longestWindow.totalMilliseconds)
        return APIResponse.encoded(BudgetBody.listing(uses, catalog: dependencies.catalog, now: now))
    }

    private func runDetail(_ id: String) async throws -> Response {
        guard let detail = try await dependencies.store.run(id: id) else { throw APIError.notFound("no run \(id)") }
        let alert = try await dependencies.store.alert(id: detail.run.alertID)
        return APIResponse.encoded(RunDetailBody(detail, alert: alert, waitingFor: await waitingStep(for: detail.run)))
    }

    /// Ack, resolve, approve, deny: the actor is the token's identity, never a name in the body.
    private func act(
        _ action: RunActions.PersonAction, runID: String, request: Request, identity: Identity
    ) async throws -> Response {
        let bytes = try await APIResponse.body(of: request, limit: maxBody)
        let body: RunActionBody
        do {
            body = bytes.isEmpty ? RunActionBody() : try JSONDecoder().decode(RunActionBody.self, from: Data(bytes))
        } catch {
            throw APIError.badRequest(
                "expected {\"note\": \"…\", \"step\": \"…\"} with string values", field: Self.field(of: error))
        }
        if let claimed = body.by, !claimed.isEmpty, claimed != identity.name {
            throw APIError.badRequest(
                "\"by\" is taken from your token, which names \(identity.name); remove it (or use the token of \(claimed))",
                field: "by")
        }
        if action == .approve || action == .deny, (body.step ?? "").isEmpty {
            throw APIError.badRequest("name the approval step: {\"step\": \"STEP_ID\"}", field: "step")
        }
        do {
            try await RunActions(dependencies: dependencies).perform(
                action, runID: runID, step: body.step ?? "", note: body.note, by: identity)
        } catch let failure as RunActions.Failure {
            switch failure {
            case .noSuchRun: throw APIError.notFound("no run \(runID)")
            case .refused(let rejection):
                throw APIError(status: rejection.code.httpStatus, message: rejection.message, field: "step")
            case .unanswered(let taken):
                let wait = RunActions.relayWait.runbookDescription
                throw APIError(
                    status: 503,
                    message: taken
                        ? "the replica executing run \(runID) took the decision but did not answer within \(wait); "
                            + "see the run's timeline before deciding again"
                        : "the replica executing run \(runID) did not answer within \(wait) (paused or stopping?); "
                            + "the decision was not applied: try again")
            }
        }
        dependencies.logger.info(
            "run action",
            metadata: ["run.id": .string(runID), "action": .string(action.rawValue), "by": .string(identity.name)])
        guard let detail = try await dependencies.store.run(id: runID) else {
            throw APIError.notFound("no run \(runID)")
        }
        return APIResponse.encoded(RunBody(detail.run, waitingFor: await waitingStep(for: detail.run)))
    }

    /// The JSON field a decoding error is about, for the 400's `field`.
    private static func field(of error: any Error) -> String? {
        let path: [any CodingKey]
        switch error as? DecodingError {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        default: return nil
        }
        return path.isEmpty ? nil : path.map(\.stringValue).joined(separator: ".")
    }

    /// The approval step a run waits on: its live control's when it executes here, else what
    /// the replica executing it recorded.
    private func waitingStep(for run: RunRow) async -> String? {
        if let control = await dependencies.registry.control(for: run.id) { return await control.waitingStep }
        return run.state == .running ? run.waitingFor : nil
    }

    // MARK: Reload

    /// The processes serving from this store in the last 10 minutes, each with the digest of the
    /// catalog it serves; `mixed` when the live ones serve different catalogs.
    private func listReplicas() async throws -> Response {
        let now = dependencies.clock.milliseconds
        let replicas = try await dependencies.store.replicas(seenSince: now - 600_000)
        let staleBefore = now - ReplicaHeartbeat.staleAfter.totalMilliseconds
        let live = replicas.filter { $0.seenAt >= staleBefore }
        return APIResponse.json([
            "mixed": Set(live.map(\.catalogDigest)).count > 1,
            "replicas": replicas.map { replica -> [String: Any] in
                [
                    "worker": replica.worker, "catalog_digest": replica.catalogDigest,
                    "generation": replica.generation,
                    "started_at": RFC3339.format(epochMilliseconds: replica.startedAt),
                    "seen_at": RFC3339.format(epochMilliseconds: replica.seenAt),
                    "stale": replica.seenAt < staleBefore, "this": replica.worker == dependencies.workerID,
                ]
            },
        ])
    }

    /// 200 with what changed, or 422 with the reason the running catalog stays.
    private func reload(by identity: Identity) async -> Response {
        let outcome = await reloader.reload(trigger: "api (\(identity.name))")
        guard outcome.reloaded else { return APIResponse.error(APIError(status: 422, message: outcome.message)) }
        return APIResponse.json([
            "status": "reloaded", "generation": outcome.generation, "summary": outcome.message,
            "changes": outcome.changes, "restart_needed": outcome.needRestart,
        ])
    }

    // MARK: Status page

    private func statusPage() async throws -> Response {
        WebResponse.page(try await StatusPageRenderer(dependencies: dependencies, pages: pages).page())
    }

    func limit(_ request: Request, default value: Int) -> Int {
        request.uri.queryParameters.get("limit").flatMap(Int.init).map { min(max($0, 1), 10_000) } ?? value
    }
}
