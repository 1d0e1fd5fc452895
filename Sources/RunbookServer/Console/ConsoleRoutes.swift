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
        for action in ["ack", "resolve", "approve", "deny"] {
            signedIn.post("runs/{id}/\(action)") { request, context in
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

    // MARK: Signing in

    private func signInPage(next: String?, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let nonce = ConsoleSession.randomToken()
        var response = WebResponse.page(
            pages.render(
                "login",
                [
                    "title": "Sign in", "csrf": nonce, "next": Self.localPath(next) ?? "/console/runs",
                    "error": error ?? "",
                ]),
            status: status)
        response.setCookie(
            Cookie(
                name: Self.signInCookie, value: nonce, maxAge: 1800, path: "/console/login", secure: secureCookies,
                httpOnly: true, sameSite: .strict))
        return response
    }

    private func signIn(_ request: Request, _ context: RBXRequestContext) async throws -> Response {
        let fields = try await ConsoleForm.decode(request)
        guard let nonce = request.cookies[Self.signInCookie]?.value, let posted = fields["csrf"],
            ConsoleSession.equalInConstantTime(String(nonce), posted)
        else {
            return signInPage(
                next: fields["next"], error: "The sign-in form expired or came from elsewhere; sign in again.",
                status: .forbidden)
        }
        let token = fields.text("token").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let identity = tokens.identify(token) else {
            dependencies.logger.notice("console sign-in refused: unknown token")
            return signInPage(next: fields["next"], error: "That token is not one rbx knows.", status: .unauthorized)
        }
        guard identity != APITokens.sharedIdentity else {
            return signInPage(
                next: fields["next"],
                error: "The shared token names no person; sign in with your own token (auth.tokens in rbx.yaml).",
                status: .unauthorized)
        }
        context.sessions.createSession(ConsoleSession(name: identity.name, tokenDigest: APITokens.hexDigest(of: token)))
        dependencies.logger.info("console sign-in", metadata: ["by": .string(identity.name)])
        var response = WebResponse.redirect(to: Self.localPath(fields["next"]) ?? "/console/runs")
        response.setCookie(
            Cookie(name: Self.signInCookie, value: "", maxAge: 0, path: "/console/login", secure: secureCookies))
        return response
    }

    /// `next` when it is a console path on this server, never another site.
    static func localPath(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/console/"), !next.hasPrefix("//"), !next.contains("\\"),
            next.utf8.count <= 2000, !next.contains(where: { $0.isNewline })
        else { return nil }
        return next
    }

    // MARK: Actions

    private func act(_ action: String, _ request: Request, _ context: RBXRequestContext) async throws -> Response {
        let fields = try await ConsoleForm.read(request, context: context)
        let runID = context.parameters.get("id") ?? ""
        guard let identity = context.identity else { throw ConsoleError.forbidden("sign in first") }
        let note = fields["note"].flatMap { $0.isEmpty ? nil : String($0.prefix(1000)) }
        let actions = RunActions(dependencies: dependencies)
        do {
            switch action {
            case "ack": _ = try await actions.acknowledge(runID: runID, by: identity, note: note)
            case "resolve": _ = try await actions.resolve(runID: runID, by: identity, note: note)
            default:
                try await actions.decide(
                    runID: runID, step: fields.text("step"), verdict: action == "approve" ? .approve : .deny,
                    by: identity)
            }
        } catch let failure as RunActions.Failure {
            switch failure {
            case .noSuchRun: throw ConsoleError.notFound("there is no run \(runID)")
            case .refused(let rejection):
                throw ConsoleError(
                    status: HTTPResponse.Status(code: rejection.code.httpStatus), heading: "Refused",
                    message: rejection.message)
            case .unanswered:
                throw ConsoleError(
                    status: .serviceUnavailable, heading: "No answer",
                    message: "the replica executing this run did not answer in time; look at the run's timeline "
                        + "before trying again")
            }
        }
        log("run action", context, ["run.id": .string(runID), "action": .string(action), "via": "console"])
        return WebResponse.redirect(to: "/console/runs/\(runID)?notice=\(action)")
    }

    private func catalogPage(_ path: String, _ context: RBXRequestContext) async throws -> Response {
        guard
            let values = try await CatalogPages.values(path: path, pages: catalogPages, dependencies: dependencies)
        else { throw ConsoleError.notFound("the catalog has no page \(path)") }
        return render("catalog", values, context)
    }

    /// The run's evidence bundle as a zip, after checking it against the digest its record kept.
    private func evidence(runID: String) async throws -> Response {
        guard let run = try await dependencies.store.run(id: runID)?.run else {
            throw ConsoleError.notFound("there is no run \(runID)")
        }
        guard let path = run.evidence else { throw ConsoleError.notFound("run \(runID) has no evidence bundle") }
        let archive = try EvidenceDownload.archive(path: path, manifestDigest: run.evidenceDigest)
        var response = Response(
            status: .ok,
            headers: [
                .contentType: "application/zip",
                .contentDisposition:
                    "attachment; filename=\"\(archive.name.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }).zip\"",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: archive.data)))
        WebResponse.secure(&response.headers)
        response.headers[.cacheControl] = "no-store"
        if let digest = run.evidenceDigest { response.headers[HTTPField.Name("X-RBX-Manifest-SHA256")!] = digest }
        return response
    }

    /// The Rehearse button: a fire drill of the runbook's sample alert through this server.
    private func rehearse(_ request: Request, _ context: RBXRequestContext) async throws -> Response {
        let fields = try await ConsoleForm.read(request, context: context)
        guard let identity = context.identity else { throw ConsoleError.forbidden("sign in first") }
        let name = context.parameters.get("name") ?? ""
        let drill = try DrillRequest.rehearsal(
            of: name, speed: Int(fields.text("speed")) ?? 60, by: identity, catalog: dependencies.catalog,
            now: dependencies.clock.milliseconds)
        let outcome = try await intake.take([(drill.alert, drill.received[...])]).first?.1
        log(
            "fire drill requested", context,
            ["runbook": .string(name), "disposition": .string(outcome?.kind ?? "none")])
        let notice = outcome.map { if case .queued = $0 { "drill" } else { "drill-held" } } ?? "drill-held"
        return WebResponse.redirect(to: "/console/runs?runbook=\(name)&notice=\(notice)")
    }

    private func createSilence(_ request: Request, _ context: RBXRequestContext) async throws -> Response {
        let fields = try await ConsoleForm.read(request, context: context)
        guard let identity = context.identity else { throw ConsoleError.forbidden("sign in first") }
        do {
            let silence = try SilencesPage.silence(
                matchers: fields.text("matchers"), duration: fields.text("duration"), comment: fields.text("comment"),
                by: identity.name, now: dependencies.clock.milliseconds)
            try await dependencies.store.addSilence(silence)
            log("silence added", context, ["silence": .string(silence.id)])
            return WebResponse.redirect(to: "/console/silences")
        } catch let refused as SilenceFormError {
            var values = try await SilencesPage(dependencies: dependencies).values()
            values["flash"] = ["kind": "error", "text": refused.message]
            values["form"] = [
                "matchers": fields.text("matchers"), "duration": fields.text("duration"),
                "comment": fields.text("comment"),
            ]
            return render("silences", values, context, status: .badRequest)
        }
    }

    // MARK: Pages

    private func render(
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
    private func page(_ context: RBXRequestContext, _ body: () async throws -> Response) async -> Response {
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

    private func log(_ message: Logger.Message, _ context: RBXRequestContext, _ metadata: Logger.Metadata) {
        var all = metadata
        all["by"] = .string(context.identity?.name ?? "?")
        dependencies.logger.info(message, metadata: all)
    }
}

/// Lets a request through when its session names a person whose token rbx still accepts;
/// otherwise a page asks them to sign in (a form post is refused: its data would be lost).
struct ConsoleAuthMiddleware: RouterMiddleware {
    typealias Context = RBXRequestContext
    let tokens: APITokens

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let session = context.sessions.session, let identity = tokens.identify(hexDigest: session.tokenDigest),
            identity.name == session.name
        {
            var context = context
            context.identity = identity
            return try await next(request, context)
        }
        if context.sessions.session != nil { context.sessions.clearSession() }
        guard request.method == .get else {
            return WebResponse.page(
                "<!doctype html><title>Sign in</title><p>Your session ended; <a href=\"/console/login\">sign in</a>.",
                status: .forbidden)
        }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let next = request.uri.description.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return WebResponse.redirect(to: "/console/login?next=\(next)")
    }
}
