import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The console over real HTTP: sign-in with named tokens into a session cookie, CSRF on every
/// form, actions recorded under the person's name, untrusted alert data shown as text.
@Suite struct ConsoleTests {
    static let gatedRunbook = """
        apiVersion: rbx/v1
        kind: Runbook
        metadata:
          name: purge
        match:
          labels:
            alertname: DiskFull
        steps:
          - id: look
            kind: diagnostic
            run: ["/bin/echo", "disk at 93% on {{alert.labels.instance}}"]
          - id: gate
            kind: approval
            message: "Purge old files on {{alert.labels.instance}}?"
            approvers: [lead]
            timeout: 5m
          - id: purge
            kind: remediation
            run: ["/usr/bin/touch", "DIR/purged"]
            timeout: 5s
        escalation:
          - after: 1h
            notify: [pager]

        """

    @Test func signingInNeedsANamedTokenAndSetsAStrictSessionCookie() async throws {
        let server = try await TestServer(runbooks: [:], config: TestServer.namedTokensConfig)
        try await server.withClient { client in
            let browser = ConsoleClient(client)
            let away = try await browser.get("/console/runs")
            #expect(away.status == .seeOther)
            #expect(away.headers[.location] == "/console/login?next=%2Fconsole%2Fruns")

            let shared = try await browser.signIn(TestServer.token)
            #expect(shared.status == .unauthorized)
            #expect(shared.text.contains("names no person"))
            #expect(try await browser.signIn("not-a-token").status == .unauthorized)

            // A sign-in posted without the form's nonce cookie (from another site) is refused.
            let forged = ConsoleClient(client)
            let refused = try await forged.post(
                "/console/login", ["csrf": "guess", "token": TestServer.namedTokens["ana"]!, "next": "/console/runs"])
            #expect(refused.status == .forbidden)

            let signedIn = try await browser.signIn(TestServer.namedTokens["ana"]!, next: "https://evil.example/")
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/console/runs", "next never leaves the console")
            let session = try #require(browser.lastSetCookies.first { $0.hasPrefix("rbx_session=") })
            #expect(session.contains("HttpOnly"))
            #expect(session.contains("SameSite=Strict"))
            #expect(session.contains("Path=/console"))
            #expect(session.contains("Expires="))
            #expect(!session.contains("Secure"), "plain http without server.external_url https")
            #expect(try await browser.get("/console").headers[.location] == "/console/runs")
            let runs = try await browser.get("/console/runs")
            #expect(runs.status == .ok)
            #expect(runs.text.contains("ana"))
            #expect(runs.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)

            let page = try await browser.get("/console/runs")
            let out = try await browser.post("/console/logout", ["csrf": try ConsoleClient.csrf(in: page.text)])
            #expect(out.headers[.location] == "/console/login")
            #expect(try await browser.get("/console/runs").status == .seeOther)
        }
    }

    /// Behind a TLS proxy (`server.external_url` is https) the session cookie is Secure.
    @Test func anHTTPSExternalURLMakesTheSessionCookieSecure() async throws {
        let server = try await TestServer(
            runbooks: [:], config: TestServer.namedTokensConfig + "server:\n  external_url: https://rbx.example.com/\n")
        try await server.withClient { client in
            let browser = ConsoleClient(client)
            try await browser.signIn(TestServer.namedTokens["ana"]!)
            let session = try #require(browser.lastSetCookies.first { $0.hasPrefix("rbx_session=") })
            #expect(session.contains("Secure"))
        }
    }

    @Test func anApprovalNeedsTheSessionsCSRFTokenAndIsRecordedUnderThePersonsName() async throws {
        let server = try await TestServer(
            runbooks: ["purge.yaml": Self.gatedRunbook], config: TestServer.namedTokensConfig)
        try await server.withClient { client in
            let label = "<script>alert(1)</script>"
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"DiskFull","instance":"\#(label)"}}]"#)
            let runID = try #require(
                await eventuallyValue {
                    try await client.send(.get, "/api/v1/runs").list.first { $0["waiting_for"] as? String == "gate" }?[
                        "id"] as? String
                })
            let browser = ConsoleClient(client)
            try await browser.signIn(TestServer.namedTokens["ana"]!)
            let list = try await browser.get("/console/runs")
            #expect(list.text.contains("waiting for approval: gate"))
            #expect(list.text.contains("instance=&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!list.text.contains(label), "a label is text, never markup")

            let page = try await browser.get("/console/runs/\(runID)")
            #expect(page.text.contains("Approval needed: gate"))
            #expect(page.text.contains("Purge old files on &lt;script&gt;"), "the gate's prompt")
            #expect(page.text.contains("disk at 93% on &lt;script&gt;"), "what the step before it found")
            #expect(!page.text.contains(label))

            let missing = try await browser.post("/console/runs/\(runID)/approve", ["step": "gate"])
            #expect(missing.status == .forbidden)
            let wrong = try await browser.post("/console/runs/\(runID)/approve", ["step": "gate", "csrf": "x"])
            #expect(wrong.status == .forbidden)
            #expect(!FileManager.default.fileExists(atPath: server.directory + "/purged"))

            let csrf = try ConsoleClient.csrf(in: page.text)
            let approved = try await browser.post("/console/runs/\(runID)/approve", ["step": "gate", "csrf": csrf])
            #expect(approved.status == .seeOther)
            #expect(approved.headers[.location] == "/console/runs/\(runID)?notice=approve")
            #expect(await eventually { FileManager.default.fileExists(atPath: server.directory + "/purged") })
            let detail = try await client.send(.get, "/api/v1/runs/\(runID)")
            let timeline = (detail.object["timeline"] as? [[String: Any]] ?? []).compactMap { $0["summary"] as? String }
            #expect(timeline.contains { $0.contains("gate") && $0.contains("ana") }, "\(timeline)")

            let acked = try await browser.post("/console/runs/\(runID)/ack", ["csrf": csrf, "note": "on it"])
            #expect(acked.status == .seeOther)
            let after = try await client.send(.get, "/api/v1/runs/\(runID)")
            #expect(after.object["acked_by"] as? String == "ana")
            #expect(after.object["ack_note"] as? String == "on it")

            // The evidence bundle downloads as a zip, checked against its recorded digest first.
            let bundle = try #require(
                await eventuallyValue {
                    try await client.send(.get, "/api/v1/runs/\(runID)").object["evidence"] as? String
                })
            let digest =
                try await client.send(.get, "/api/v1/runs/\(runID)").object["evidence_manifest_digest"] as? String
            let zip = try await browser.get("/console/runs/\(runID)/evidence")
            #expect(zip.status == .ok)
            #expect(zip.headers[.contentType] == "application/zip")
            #expect(zip.headers[HTTPField.Name("X-RBX-Manifest-SHA256")!] == digest)
            #expect(Array(zip.body.readableBytesView.prefix(2)) == Array("PK".utf8))
            #expect(zip.text.contains("MANIFEST.sha256"), "the zip lists the manifest")
            let runJSON =
                bundle.hasPrefix("/")
                ? bundle + "/run.json" : FileManager.default.currentDirectoryPath + "/" + bundle + "/run.json"
            let handle = try #require(FileHandle(forWritingAtPath: runJSON))
            handle.seekToEndOfFile()
            handle.write(Data(" ".utf8))
            try handle.close()
            let tampered = try await browser.get("/console/runs/\(runID)/evidence")
            #expect(tampered.status == .conflict, "a bundle changed on disk is not served as the run's")
        }
    }

    @Test func silencesMadeInTheConsoleAreTheAPIsSilences() async throws {
        let server = try await TestServer(runbooks: [:], config: TestServer.namedTokensConfig)
        try await server.withClient { client in
            let browser = ConsoleClient(client)
            try await browser.signIn(TestServer.namedTokens["bob"]!)
            let page = try await browser.get("/console/silences")
            let csrf = try ConsoleClient.csrf(in: page.text)
            let bad = try await browser.post(
                "/console/silences", ["csrf": csrf, "matchers": "instance=~\"(\"", "duration": "2h", "comment": "x"])
            #expect(bad.status == .badRequest)
            let created = try await browser.post(
                "/console/silences",
                [
                    "csrf": csrf, "matchers": "alertname=\"Down\", instance=~\"web-.*\"", "duration": "2h",
                    "comment": "deploy",
                ])
            #expect(created.status == .seeOther)
            let listed = try await client.send(.get, "/api/v2/silences").list
            #expect(listed.count == 1)
            #expect(listed.first?["createdBy"] as? String == "bob")
            #expect((listed.first?["matchers"] as? [[String: Any]])?.count == 2)
            let id = try #require(listed.first?["id"] as? String)
            let shown = try await browser.get("/console/silences")
            #expect(shown.text.contains("alertname=&quot;Down&quot;, instance=~&quot;web-.*&quot;"))
            #expect(try await browser.post("/console/silences/\(id)/expire", [:]).status == .forbidden)
            #expect(try await browser.post("/console/silences/\(id)/expire", ["csrf": csrf]).status == .seeOther)
            let expired = try await client.send(.get, "/api/v2/silence/\(id)")
            #expect((expired.object["status"] as? [String: Any])?["state"] as? String == "expired")
        }
    }
}
