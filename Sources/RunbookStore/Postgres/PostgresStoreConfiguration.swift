import Foundation
import PostgresNIO
import RunbookCore

/// Where a PostgreSQL store lives: `postgres://USER@HOST:PORT/DATABASE?sslmode=MODE&pool_size=N`.
///
/// The password is kept apart from the URL: rbx.yaml is committed and `--store` shows in `ps`,
/// so a password there is refused; it comes from `RBX_DATABASE_PASSWORD`, the file named by
/// `RBX_DATABASE_PASSWORD_FILE`, or `PGPASSWORD` (see ``withPassword(from:)``). Only
/// `RBX_DATABASE_URL`, itself read from the environment, may carry one.
///
/// ```swift
/// let configuration = try PostgresStoreConfiguration(url: "postgres://rbx@db:5432/rbx?sslmode=require")
/// ```
public struct PostgresStoreConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// libpq's `sslmode` values rbx accepts. `prefer` (libpq's default) encrypts when the server
    /// offers TLS but, like libpq, verifies no certificate; `require` verifies the certificate
    /// and host name against the system's trust roots.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var database: String
    public var sslMode: SSLMode
    /// Most connections one process opens; replicas each open their own pool.
    public var poolSize: Int
    /// Never printed: ``description`` leaves it out.
    public var password: String?
    /// `NAME` when the URL names its password as `${NAME}` (rbx.yaml's secret syntax): read
    /// from the environment, or the file `NAME_FILE` names, when the store opens.
    public var passwordVariable: String?

    public init(
        host: String, port: Int = 5432, username: String, database: String, sslMode: SSLMode = .prefer,
        poolSize: Int = 10,
        password: String? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.database = database
        self.sslMode = sslMode
        self.poolSize = poolSize
        self.password = password
    }

    /// Parses a `postgres://` or `postgresql://` URL.
    /// - Parameter allowsPassword: false for URLs from rbx.yaml or the command line.
    /// - Throws: ``StoreError`` naming the part to fix; the password, if any, is never echoed.
    public init(url text: String, allowsPassword: Bool = false) throws(StoreError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme.lowercased())
        else {
            throw StoreError(
                "store \"\(Self.redacted(text))\": expected postgres://USER@HOST:PORT/DATABASE?sslmode=disable|prefer|require"
            )
        }
        let shown = Self.redacted(text)
        let reference = components.password?.removingPercentEncoding.flatMap(Self.secretReference)
        if components.password != nil && reference == nil && !allowsPassword {
            throw StoreError(
                "store \"\(shown)\": a database password does not belong in rbx.yaml or on the command line; "
                    + "set RBX_DATABASE_PASSWORD, or RBX_DATABASE_PASSWORD_FILE to a file holding it (or PGPASSWORD)")
        }
        guard let host = components.host?.removingPercentEncoding, !host.isEmpty else {
            throw StoreError("store \"\(shown)\": no host; write postgres://USER@HOST:PORT/DATABASE")
        }
        guard let user = components.user?.removingPercentEncoding, !user.isEmpty else {
            throw StoreError("store \"\(shown)\": no user; write postgres://USER@HOST:PORT/DATABASE")
        }
        let path = String(components.path.drop { $0 == "/" }).removingPercentEncoding ?? ""
        self.init(
            host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: components.port ?? 5432,
            username: user,
            database: path.isEmpty ? user : path,
            password: reference == nil ? components.password?.removingPercentEncoding : nil)
        passwordVariable = reference
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    throw StoreError(
                        "store \"\(shown)\": sslmode=\(item.value ?? ""): expected disable, prefer or require")
                }
                sslMode = mode
            case "pool_size":
                guard let size = item.value.flatMap(Int.init), size >= 1 else {
                    throw StoreError(
                        "store \"\(shown)\": pool_size=\(item.value ?? ""): expected a number of connections, at least 1"
                    )
                }
                poolSize = size
            default:
                throw StoreError(
                    "store \"\(shown)\": unknown parameter \(item.name); rbx accepts sslmode and pool_size")
            }
        }
    }

    /// This configuration with the password from the environment: `RBX_DATABASE_PASSWORD`,
    /// else the file `RBX_DATABASE_PASSWORD_FILE` names (one trailing newline dropped), else
    /// `PGPASSWORD`; else the password the URL carried (only `RBX_DATABASE_URL` may), else none.
    /// - Throws: ``StoreError`` when the password file cannot be read.
    public func withPassword(from environment: [String: String]) throws(StoreError) -> Self {
        var copy = self
        if let name = passwordVariable {
            var redactor = Redactor()
            do {
                copy.password = try SecretResolver(environment: environment).resolve("${\(name)}", redactor: &redactor)
            } catch {
                throw StoreError("store password: \(error)")
            }
        } else if let password = environment["RBX_DATABASE_PASSWORD"], !password.isEmpty {
            copy.password = password
        } else if let file = environment["RBX_DATABASE_PASSWORD_FILE"], !file.isEmpty {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw StoreError("RBX_DATABASE_PASSWORD_FILE \(file): cannot read the database password file")
            }
            copy.password = text.hasSuffix("\n") ? String(text.dropLast()) : text
        } else if let password = environment["PGPASSWORD"], !password.isEmpty {
            copy.password = password
        }
        return copy
    }

    /// `NAME` for a password written `${NAME}`.
    static func secretReference(_ password: String) -> String? {
        guard password.hasPrefix("${"), password.hasSuffix("}"), password.count > 3 else { return nil }
        return String(password.dropFirst(2).dropLast())
    }

    /// `host:port`, for error messages.
    public var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public var description: String {
        "postgres://\(username)@\(endpoint)/\(database)?sslmode=\(sslMode.rawValue)"
            + (poolSize == 10 ? "" : "&pool_size=\(poolSize)")
    }

    /// The pool's settings; connections open lazily, up to ``poolSize``.
    func clientConfiguration() -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: clientTLS)
        configuration.options.maximumConnections = poolSize
        configuration.options.minimumConnections = 0
        return configuration
    }

    /// The settings of the one connection that migrates the schema before the pool starts.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            switch sslMode {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: Self.tlsConfiguration(.prefer)))
            case .require: .require(try NIOSSLContext(configuration: Self.tlsConfiguration(.require)))
            }
        return PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(Self.tlsConfiguration(.prefer))
        case .require: .require(Self.tlsConfiguration(.require))
        }
    }

    private static func tlsConfiguration(_ mode: SSLMode) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if mode == .prefer { configuration.certificateVerification = .none }
        return configuration
    }

    /// The URL with any password replaced, for messages.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "<secret>"
        return components.string ?? "postgres://<redacted>"
    }
}
