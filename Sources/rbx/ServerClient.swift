import ArgumentParser
import Foundation
import RunbookEngine
import RunbookServer

/// The options every command that talks to `rbx serve` takes.
struct ServerOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The rbx serve to talk to (default: $RBX_SERVER or http://127.0.0.1:9095).", valueName: "URL"))
    var server: String?

    @Option(
        help: ArgumentHelp(
            "Read the API token from this file (default: $RBX_TOKEN, then $RBX_TOKEN_FILE).", valueName: "PATH"))
    var tokenFile: String?

    var client: ServerClient { ServerClient(options: self, environment: ProcessInfo.processInfo.environment) }
}

/// The CLI's side of the rbx API, over the same HTTP client as the engine (``OutboundHTTP``).
struct ServerClient {
    var baseURL: String
    var token: String?

    init(options: ServerOptions, environment: [String: String]) {
        var base = options.server ?? environment["RBX_SERVER"] ?? "http://127.0.0.1:9095"
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base
        if let path = options.tokenFile ?? (environment["RBX_TOKEN"] == nil ? environment["RBX_TOKEN_FILE"] : nil) {
            token = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(
                in: .whitespacesAndNewlines)
        } else {
            token = environment["RBX_TOKEN"]
        }
    }

    struct Reply {
        var status: Int
        var data: Data
        var errorMessage: String? { (try? JSONDecoder().decode(ErrorBody.self, from: data))?.error }

        /// The body as the API's type for it (``RunBody``, …); nil when it is not one.
        func decoded<Body: Decodable>(_ type: Body.Type) -> Body? { try? JSONDecoder().decode(type, from: data) }
    }

    /// Sends one request; a transport failure becomes an outcome with exit code 1.
    func send(
        _ method: String, _ path: String, body: (some Encodable)? = RunActionBody?.none
    ) async -> Result<
        Reply, CommandFailure
    > {
        await send(method, path, json: body.flatMap { try? JSONEncoder().encode($0) })
    }

    /// Sends one request with a JSON body already encoded.
    func send(_ method: String, _ path: String, json body: Data?) async -> Result<Reply, CommandFailure> {
        guard let token, !token.isEmpty else {
            return .failure(
                CommandFailure(message: "no API token: set RBX_TOKEN or pass --token-file", exitCode: RbxExit.usage))
        }
        guard URL(string: baseURL + path)?.host != nil else {
            return .failure(CommandFailure(message: "--server \(baseURL): not a URL", exitCode: RbxExit.usage))
        }
        var headers = [("Authorization", "Bearer \(token)")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let request = OutboundRequest(
            method: method, url: baseURL + path, headers: headers, body: body.map(Array.init),
            timeout: .seconds(30), sizeLimit: Self.replyLimit)
        do {
            let response = try await OutboundHTTP.shared.send(request)
            let status = response.status
            let reply = Reply(status: status, data: Data(response.body))
            if status == 401 {
                return .failure(CommandFailure(message: "the server refused the token (401)", exitCode: RbxExit.usage))
            }
            if status >= 400 {
                return .failure(
                    CommandFailure(
                        message: "\(reply.errorMessage ?? "HTTP \(status)") (HTTP \(status))", exitCode: RbxExit.failed)
                )
            }
            return .success(reply)
        } catch {
            return .failure(
                CommandFailure(message: "cannot reach \(baseURL): \(error.detail)", exitCode: RbxExit.failed))
        }
    }

    /// The largest reply the CLI reads: an evidence bundle or a long run listing fits well within.
    static let replyLimit = 256 << 20
}

struct CommandFailure: Error {
    var message: String
    var exitCode: Int32

    var outcome: CommandOutcome { CommandOutcome(stderr: "rbx: \(message)\n", exitCode: exitCode) }
}
