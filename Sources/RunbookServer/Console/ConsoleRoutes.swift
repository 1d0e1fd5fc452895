import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import RunbookCore
import RunbookLifecycle
import RunbookStore

/// The on-call console under `/console`: sign in with a named token, then runs, a run's page
/// with approve, deny, acknowledge and resolve, and silences. Server-rendered; the session
/// (hummingbird-auth) is a cookie that is HttpOnly, SameSite=Strict, Secure when
/// `server.external_url` is https, and every form posts the session's CSRF token.
struct ConsoleRoutes {
    static let sessionCookie = "rbx_session"
    static let signInCookie = "rbx_signin"

    var dependencies: ServerDependencies
    var tokens: APITokens
    var pages: WebPages
    var sessions: any PersistDriver
    var secureCookies: Bool
    var sessionLifetime: Duration
    var catalogPages: CatalogPages
    var intake: AlertIntake

    func register(on router: Router<RBXRequestContext>) {
        let console = router.group("console").add(
            middleware: SessionMiddleware(
                storage: sessions,
                configuration: .init(
                    sessionCookieParameters: .init(
                        name: Self.sessionCookie, path: "/console", secure: secureCookies, sameSite: .strict),
                    keyPrefix: "rbx.console.", defaultSessionExpiration: sessionLifetime)))
        console.get("login") { request, context in signInPage(next: request.uri.queryParameters.get("next")) }
        console.post("login") { request, context in await page(context) { try await signIn(request, context) } }
        let signedIn = console.group().add(middleware: ConsoleAuthMiddleware(tokens: tokens))
        signedIn.get("") { _, _ in WebResponse.redirect(to: "/console/runs") }
        signedIn.post("logout") { request, context in
            await page(context) {
                _ = try await ConsoleForm.read(request, context: context)
                context.sessions.clearSession()
                return WebResponse.redirect(to: "/console/login")
            }
        }
        signedIn.get("runs") { request, context in
            await page(context) {
                var parameters: [String: String] = [:]
                for (key, value) in request.uri.queryParameters { parameters[String(key)] = String(value) }
                var values = try await RunsPage(dependencies: dependencies).values(RunsPage.Filters(parameters))
                if let notice = Self.notices[parameters["notice"] ?? ""] { values["flash"] = ["text": notice] }
                return render("runs", values, context)
            }
        }
        signedIn.get("runs/{id}") { request, context in
            await page(context) {
                let id = context.parameters.get("id") ?? ""
                guard var values = try await RunPage(dependencies: dependencies).values(runID: id) else {
                    throw ConsoleError.notFound("there is no run \(id)")
                }
                if let notice = Self.notices[request.uri.queryParameters.get("notice") ?? ""] {
                    values["flash"] = ["text": notice]
                }
                return render("run", values, context)
            }
        }
        signedIn.get("runs/{id}/evidence") { _, context in
            await page(context) { try await evidence(runID: context.parameters.get("id") ?? "") }
        }
        for action in RunActions.PersonAction.allCases {
            signedIn.post("runs/{id}/\(action.rawValue)") { request, context in
                await page(context) { try await act(action, request, context) }
            }
        }
        signedIn.get("catalog") { _, context in await page(context) { try await catalogPage("index", context) } }
        signedIn.get("catalog/{name}") { _, context in
            await page(context) { try await catalogPage(context.parameters.get("name") ?? "", context) }
        }
        signedIn.get("catalog/playbooks/{name}") { _, context in
            await page(context) {
                try await catalogPage("playbooks/" + (context.parameters.get("name") ?? ""), context)
            }
        }
        signedIn.post("catalog/{name}/rehearse") { request, context in
            await page(context) { try await rehearse(request, context) }
        }
        signedIn.get("silences") { _, context in
            await page(context) {
                render("silences", try await SilencesPage(dependencies: dependencies).values(), context)
            }
        }
        signedIn.post("silences") { request, context in
            await page(context) { try await createSilence(request, context) }
        }
        signedIn.post("silences/{id}/expire") { request, context in
            await page(context) {
                _ = try await ConsoleForm.read(request, context: context)
                let id = context.parameters.get("id") ?? ""
                guard try await dependencies.store.expireSilence(id: id, now: dependencies.clock.milliseconds) else {
                    throw ConsoleError.notFound("silence \(id) is not active or pending")
                }
                log("silence expired", context, ["silence": .string(id)])
                return WebResponse.redirect(to: "/console/silences")
            }
        }
    }

    /// What a redirect after an action tells the person; a fixed list, so a link cannot make
    /// the page say something else.
    static let notices = [
        "ack": "Acknowledged: escalation stopped.", "resolve": "Resolved.",
        "approve": "Approved: the run goes on.", "deny": "Denied: the step does not run.",
        "drill": "Drill started: steps are assumed and messages recorded, not sent. It appears below in a moment.",
        "drill-held": "The drill alert was taken but starts no run (deduplicated into a running drill, or silenced).",
    ]

    // MARK: Pages

    func render(
        _ template: String, _ values: [String: Any], _ context: RBXRequestContext, status: HTTPResponse.Status = .ok
    ) -> Response {
        var all = values
        all["who"] = context.identity?.name ?? ""
        all["csrf"] = context.sessions.session?.csrf ?? ""
        if all["form"] == nil && template == "silences" { all["form"] = ["duration": "2h"] }
        return WebResponse.page(pages.render(template, all), status: status)
    }

    /// Runs a handler; a ``ConsoleError`` is a page saying what went wrong, anything else (the
    /// store) a 503 page, its detail in the log only.
    func page(_ context: RBXRequestContext, _ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as ConsoleError {
            return render(
                "error",
                ["title": error.heading, "heading": error.heading, "message": error.message, "back": "/console/runs"],
                context, status: error.status)
        } catch let error as APIError {
            return render(
                "error", ["title": "Refused", "heading": "Refused", "message": error.message, "back": "/console/runs"],
                context, status: HTTPResponse.Status(code: error.statusCode))
        } catch {
            dependencies.logger.error("console request failed", metadata: ["error": .string("\(error)")])
            return render(
                "error",
                [
                    "title": "Unavailable", "heading": "Unavailable",
                    "message": "rbx could not complete the request now; retry (the server log says why)",
                    "back": "/console/runs",
                ], context, status: .serviceUnavailable)
        }
    }

    func log(_ message: Logger.Message, _ context: RBXRequestContext, _ metadata: Logger.Metadata) {
        var all = metadata
        all["by"] = .string(context.identity?.name ?? "?")
        dependencies.logger.info(message, metadata: all)
    }
}
