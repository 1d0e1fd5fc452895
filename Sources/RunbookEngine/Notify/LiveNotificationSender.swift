import Foundation
public import RunbookCore

/// Sends messages for real: appends to a file, pipes to a command, or POSTs JSON to a webhook.
///
/// Webhooks go through ``OutboundHTTP`` (async-http-client), the one HTTP client rbx has.
/// Secrets in URLs and headers are resolved here and never recorded.
public struct LiveNotificationSender: NotificationSender {
    let runner: any CommandRunner
    let secrets: SecretResolver
    let environment: [String: String]
    let http: OutboundHTTP

    public init(
        runner: any CommandRunner, secrets: SecretResolver, environment: [String: String],
        http: OutboundHTTP = .shared
    ) {
        self.runner = runner
        self.secrets = secrets
        self.environment = environment
        self.http = http
    }

    public var sends: Bool { true }

    public func deliver(_ message: OutboundMessage) async -> String? {
        let notifier = message.notifier
        switch notifier.kind {
        case .file:
            return appendToFile(message)
        case .command:
            return await runCommand(message)
        case .webhook:
            return await post(message)
        }
    }

    /// The file sink keeps one Markdown page per runbook and alert (`RUNBOOK-RUN.md`), rewritten
    /// with the latest state and message, which a status page or a person can read.
    public func publishStatus(
        _ page: CatalogConfig.StatusPage, runID: String, runbook: String, state: String, body: String
    ) async -> String? {
        guard page.kind == .file, let directory = page.path else { return nil }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // Markdown renders HTML: the body carries alert data, so `<script>` stays text.
            let text = "# \(runbook): \(state)\n\n\(HTMLText.escape(body))\n"
            try text.write(toFile: directory + "/\(runbook)-\(runID).md", atomically: true, encoding: .utf8)
            return nil
        } catch {
            return "cannot write the status page in \(directory): \(error)"
        }
    }

    private func appendToFile(_ message: OutboundMessage) -> String? {
        guard let path = message.notifier.path else { return "notifier has no path" }
        let header = "--- \(message.kind) \(message.idempotencyKey)\n"
        let line = header + "\(message.body)\n"
        if message.redelivery, Self.tail(of: path, contains: header) { return nil }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        guard let handle = Self.openForAppending(path) else {
            return "cannot open \(path) for appending"
        }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data(line.utf8))
            return nil
        } catch {
            return "cannot append to \(path): \(error)"
        }
    }

    /// Whether the last MiB of the file holds `text`: a redelivery comes right after a restart,
    /// so the first attempt, if it happened, is near the end.
    private static func tail(of path: String, contains text: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return false }
        let window: UInt64 = 1 << 20
        try? handle.seek(toOffset: size > window ? size - window : 0)
        guard let data = try? handle.readToEnd() else { return false }
        return data.range(of: Data(text.utf8)) != nil
    }

    /// Opens (creating if need be) with O_APPEND: each write lands at the end of the file even
    /// when several processes append at once (replicas of `rbx serve` sharing a file notifier);
    /// seeking to the end and then writing let one process overwrite another's page.
    private static func openForAppending(_ path: String) -> FileHandle? {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    private func runCommand(_ message: OutboundMessage) async -> String? {
        let invocation = CommandInvocation(
            argv: message.notifier.argv,
            environment: environment.merging([
                "RBX_RUN_ID": message.runID, "RBX_RUNBOOK": message.runbook, "RBX_KIND": message.kind,
                "RBX_IDEMPOTENCY_KEY": message.idempotencyKey, "RBX_REDELIVERY": message.redelivery ? "1" : "0",
            ]) { _, new in new },
            standardInput: Array(message.body.utf8), timeout: message.notifier.timeout, killGrace: .seconds(2),
            outputLimit: 64 * 1024)
        do {
            let result = try await runner.run(invocation)
            return result.succeeded
                ? nil : "notifier command \(message.notifier.argv.first ?? "") failed (\(result.termination))"
        } catch {
            return "\(error)"
        }
    }

    private func post(_ message: OutboundMessage) async -> String? {
        var redactor = Redactor()
        guard let urlText = message.notifier.url,
            let resolved = try? secrets.resolve(urlText, redactor: &redactor),
            URL(string: resolved)?.host != nil
        else { return "webhook URL is missing, invalid, or names a secret that is not set" }
        var headers = [("Content-Type", "application/json"), ("Idempotency-Key", message.idempotencyKey)]
        for (name, value) in message.notifier.headers {
            guard let resolvedValue = try? secrets.resolve(value, redactor: &redactor) else {
                return "header \(name) names a secret that is not set"
            }
            headers.append((name, resolvedValue))
        }
        let request = OutboundRequest(
            method: "POST", url: resolved, headers: headers, body: Array(WebhookPayload.json(message)),
            timeout: message.notifier.timeout, sizeLimit: 64 * 1024, cutsOversizedBody: true)
        do {
            let response = try await http.send(request)
            guard (200..<300).contains(response.status) else {
                let redirect = response.location.map { " (a redirect to \($0); rbx follows none: write that URL)" }
                return redactor.redact("webhook answered \(response.status)" + (redirect ?? ""))
            }
            return nil
        } catch {
            return redactor.redact("webhook failed: \(error.detail)")
        }
    }
}

/// The JSON a webhook notifier receives.
enum WebhookPayload {
    static func json(_ message: OutboundMessage) -> Data {
        let object: [String: Any] = [
            "version": "rbx/v1", "kind": message.kind, "run": message.runID, "runbook": message.runbook,
            "idempotency_key": message.idempotencyKey, "message": message.body,
            "alert": [
                "name": message.alert.name, "fingerprint": message.alert.fingerprint,
                "status": message.alert.status.rawValue,
                "severity": message.alert.severity ?? "", "labels": message.alert.labels,
            ] as [String: Any],
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }
}
