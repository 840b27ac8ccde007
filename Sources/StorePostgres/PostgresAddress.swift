import Foundation
import PostgresNIO
import Store
import SyncCore

/// Where a central on PostgreSQL lives: a `postgres://USER:PASSWORD@HOST:PORT/DB` URL (or `postgresql://`),
/// with `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE` and `PGSSLMODE` filling what it leaves out,
/// as `psql` does.
public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
    /// Whether the connection is encrypted (`sslmode`).
    public enum Encryption: String, Sendable {
        /// Never (a loopback or a trusted network).
        case disable
        /// When the server offers it (libpq's default).
        case prefer
        /// Always, with the server's certificate checked against the system's roots and the host name.
        case require
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var encryption: Encryption

    public init(host: String, port: Int, user: String, password: String?, database: String, encryption: Encryption) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.encryption = encryption
    }

    /// The schemes of a PostgreSQL connection URL.
    static let schemes = ["postgres", "postgresql"]

    /// Whether `text` is meant as a PostgreSQL address rather than a file path.
    public static func isAddress(_ text: String) -> Bool {
        schemes.contains { text.lowercased().hasPrefix($0 + "://") }
    }

    /// Parses a URL; each fault is one line saying which part is wrong.
    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isAddress(text), let url = URLComponents(string: text) else {
            throw Self.invalid("\(Self.redacted(text)) is not a PostgreSQL URL: write postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        func setting(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        host = url.host.flatMap { $0.isEmpty ? nil : $0 } ?? setting("PGHOST") ?? "localhost"
        if let port = url.port {
            self.port = port
        } else if let text = setting("PGPORT") {
            guard let port = Int(text) else { throw Self.invalid("PGPORT=\(text) is not a port number") }
            self.port = port
        } else {
            port = 5432
        }
        guard (1...65_535).contains(port) else { throw Self.invalid("port \(port) in \(Self.redacted(text)) is not between 1 and 65535") }
        user = url.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? setting("PGUSER") ?? ProcessInfo.processInfo.userName
        password = url.percentEncodedPassword.flatMap { $0.removingPercentEncoding } ?? setting("PGPASSWORD")
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = path.isEmpty ? setting("PGDATABASE") ?? user : path
        guard !database.contains("/") else { throw Self.invalid("\(database) is not a database name: the URL's path is one name") }
        let mode = url.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? setting("PGSSLMODE") ?? "prefer"
        switch mode {
        case "disable": encryption = .disable
        case "allow", "prefer": encryption = .prefer
        case "require", "verify-ca", "verify-full": encryption = .require
        default: throw Self.invalid("sslmode=\(mode) is not one of disable, allow, prefer, require, verify-ca, verify-full")
        }
        if let other = url.queryItems?.first(where: { $0.name != "sslmode" }) {
            throw Self.invalid("\(other.name) in the URL's query is not a setting ReportSync knows: only sslmode is (give a password in the URL or in PGPASSWORD)")
        }
    }

    /// The address without its password, for messages and logs.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// postgres-nio's settings for one connection.
    func configuration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            switch encryption {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        return .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }

    /// postgres-nio's settings for a pool of connections.
    func clientConfiguration() throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch encryption {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        return .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }

    /// `text` with any password between `:` and `@` replaced, so that no message repeats it.
    static func redacted(_ text: String) -> String { ServerAddress.redacted(text) }

    /// The whole address as a URL, password and `sslmode` included: for a child process's command line
    /// (a benchmark's, a test's), never for a message.
    public var url: String {
        let password = (password ?? "").addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed) ?? ""
        return "postgres://\(user):\(password)@\(host):\(port)/\(database)?sslmode=\(encryption.rawValue)"
    }

    /// The address for a child process (a benchmark's server): the URL without the password, which goes in
    /// `PGPASSWORD` (a command line is seen by every user of the machine in `ps`, an environment is not).
    public var forChildProcess: (url: String, environment: [String: String]) {
        let user = user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? user
        return ("postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(encryption.rawValue)", password.map { ["PGPASSWORD": $0] } ?? [:])
    }

    private static func invalid(_ line: String) -> ReportSyncError { ReportSyncError(.invalidInput, line) }
}
