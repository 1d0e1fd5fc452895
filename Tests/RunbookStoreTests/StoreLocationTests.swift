import Foundation
import Testing

@testable import RunbookStore

@Suite struct StoreLocationTests {
    @Test(arguments: [
        (
            "postgres://rbx@db.internal:6543/state?sslmode=require",
            "postgres://rbx@db.internal:6543/state?sslmode=require"
        ),
        ("postgresql://rbx@db", "postgres://rbx@db:5432/rbx?sslmode=prefer"),
        (
            "postgres://rbx@10.0.0.5/rbx?sslmode=disable&pool_size=3",
            "postgres://rbx@10.0.0.5:5432/rbx?sslmode=disable&pool_size=3"
        ),
    ])
    func postgresURLsAreRead(text: String, expected: String) throws {
        #expect(try StoreLocation(text, relativeTo: "/catalog").description == expected)
    }

    @Test(arguments: [
        (
            "postgres://rbx:hunter2@db/rbx",
            "store \"postgres://rbx:%3Csecret%3E@db/rbx\": a database password does not belong in rbx.yaml or on the command line; "
                + "set RBX_DATABASE_PASSWORD, or RBX_DATABASE_PASSWORD_FILE to a file holding it (or PGPASSWORD)"
        ),
        (
            "postgres://rbx@db/rbx?sslmode=verify-full",
            "store \"postgres://rbx@db/rbx?sslmode=verify-full\": sslmode=verify-full: expected disable, prefer or require"
        ),
        ("postgres://db/rbx", "store \"postgres://db/rbx\": no user; write postgres://USER@HOST:PORT/DATABASE"),
        (
            "mysql://rbx@db/rbx",
            "store \"mysql://rbx@db/rbx\": expected sqlite:PATH or postgres://USER@HOST:PORT/DATABASE"
        ),
    ])
    func badStoresAreRefusedWithoutEchoingThePassword(text: String, message: String) {
        let error = #expect(throws: StoreError.self) { try StoreLocation(text, relativeTo: "/catalog") }
        #expect(error?.message == message)
    }

    @Test func theEnvironmentURLOverridesRbxYamlAndMayCarryThePassword() throws {
        let environment = ["RBX_DATABASE_URL": "postgres://rbx:s3cret@db/rbx"]
        let location = try StoreLocation.resolve(
            override: nil, configured: "sqlite:var/rbx.sqlite", relativeTo: "/c", environment: environment)
        guard case .postgres(let configuration) = location else {
            Issue.record("expected postgres, got \(location)")
            return
        }
        #expect(configuration.password == "s3cret")
        #expect(!location.description.contains("s3cret"))
        let flag = try StoreLocation.resolve(
            override: "sqlite:x.sqlite", configured: "sqlite:y", relativeTo: "/c", environment: environment)
        #expect(flag == .sqlite(path: "/c/x.sqlite"))
    }

    @Test func thePasswordComesFromTheEnvironmentOrItsFile() throws {
        let base = try PostgresStoreConfiguration(url: "postgres://rbx@db/rbx")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-pw-\(UUID().uuidString)").path
        try "from-file\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(
            try base.withPassword(from: ["RBX_DATABASE_PASSWORD": "direct", "PGPASSWORD": "pg"]).password == "direct")
        #expect(
            try base.withPassword(from: ["RBX_DATABASE_PASSWORD_FILE": file, "PGPASSWORD": "pg"]).password
                == "from-file")
        #expect(try base.withPassword(from: ["PGPASSWORD": "pg"]).password == "pg")
        #expect(try base.withPassword(from: [:]).password == nil)
        #expect(throws: StoreError.self) {
            try base.withPassword(from: ["RBX_DATABASE_PASSWORD_FILE": "/nonexistent/pw"])
        }
    }

    @Test func aPasswordWrittenAsASecretReferenceIsReadFromTheEnvironment() throws {
        let configured = try PostgresStoreConfiguration(url: "postgres://rbx:${PG_RBX}@db/rbx")
        #expect(configured.password == nil && configured.passwordVariable == "PG_RBX")
        #expect(
            try configured.withPassword(from: ["PG_RBX": "s3cret", "RBX_DATABASE_PASSWORD": "other"]).password
                == "s3cret")
        #expect(throws: StoreError.self) { try configured.withPassword(from: [:]) }
        #expect(!"\(configured)".contains("PG_RBX") || !"\(configured)".contains("s3cret"))
    }
}
