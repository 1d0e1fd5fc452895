import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import RunbookCore
import RunbookLifecycle
import RunbookStore

/// What a signed-in person does: run actions, silences, a fire drill, the evidence download.
extension ConsoleRoutes {
    // MARK: Actions

    func act(
        _ action: RunActions.PersonAction, _ request: Request, _ context: RBXRequestContext
    ) async throws -> Response {
        let fields = try await ConsoleForm.read(request, context: context)
        let runID = context.parameters.get("id") ?? ""
        guard let identity = context.identity else { throw ConsoleError.forbidden("sign in first") }
        do {
            try await RunActions(dependencies: dependencies).perform(
                action, runID: runID, step: fields.text("step"), note: fields["note"], by: identity)
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
        log("run action", context, ["run.id": .string(runID), "action": .string(action.rawValue), "via": "console"])
        return WebResponse.redirect(to: "/console/runs/\(runID)?notice=\(action.rawValue)")
    }

    func catalogPage(_ path: String, _ context: RBXRequestContext) async throws -> Response {
        guard
            let values = try await CatalogPages.values(path: path, pages: catalogPages, dependencies: dependencies)
        else { throw ConsoleError.notFound("the catalog has no page \(path)") }
        return render("catalog", values, context)
    }

    /// The run's evidence bundle as a zip, after checking it against the digest its record kept.
    func evidence(runID: String) async throws -> Response {
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
    func rehearse(_ request: Request, _ context: RBXRequestContext) async throws -> Response {
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

    func createSilence(_ request: Request, _ context: RBXRequestContext) async throws -> Response {
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
}
