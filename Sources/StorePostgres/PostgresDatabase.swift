import Foundation
import Logging
import PostgresNIO
import Store
import SyncCore

/// One connection to the PostgreSQL database of a central, open for the length of a closure: it runs
/// the schema's migrations and refuses a database that a newer ReportSync made.
public struct PostgresDatabase: Sendable {
    public let address: PostgresAddress
    let connection: PostgresConnection
    let logger: Logger
    /// What the transaction in progress issued, noted outside the database once it commits.
    let issued = IssuedCounters()

    /// Connects to `address`, brings its schema up to date, runs `body` and closes the connection,
    /// whatever `body` does. Every failure is one line (`PostgresFailure`).
    public static func with<T: Sendable>(
        _ address: PostgresAddress, migrating: Bool = true, _ body: (PostgresDatabase) async throws -> T
    ) async throws -> T {
        let logger = Logger(label: "reportsync.postgres")
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try address.configuration(), id: 1, logger: logger)
        } catch {
            throw PostgresFailure.translate(error, at: address)
        }
        let database = PostgresDatabase(address: address, connection: connection, logger: logger)
        do {
            if migrating { try await database.migrate() }
            let result = try await body(database)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw PostgresFailure.translate(error, at: address)
        }
    }

    /// The names of the migrations this database has run, in the order they ran (none for an empty database).
    public func appliedMigrations() async throws -> [String] {
        let table = try await rows("SELECT to_regclass('schema_migrations') IS NOT NULL", as: Bool.self)
        guard table.first == true else { return [] }
        return try await rows("SELECT name FROM schema_migrations ORDER BY applied_at, name", as: String.self)
    }

    /// Throws unless this database holds a central this program knows: its schema set up (by `syncd
    /// migrate` or `serve`) by this ReportSync or an older one, and a central in it. For the commands that
    /// change nothing of the schema (`enroll`, `revoke`, `devices`): a wrong URL sets nothing up.
    public func requireCentral() async throws {
        let applied = try await appliedMigrations()
        let known = Set(PostgresSchema.migrations.map(\.name))
        if let unknown = applied.first(where: { !known.contains($0) }) { throw newer(unknown) }
        let role = applied.isEmpty ? nil : try await meta(.replicaRole)
        guard role == ReplicaRole.central.rawValue else {
            throw ReportSyncError(.notFound, "the PostgreSQL database at \(address) holds no central: make one with syncd init --db URL, or copy one in with syncd migrate --from central.sqlite --to URL")
        }
    }

    private func newer(_ migration: String) -> ReportSyncError {
        ReportSyncError(
            .schemaTooNew,
            "the PostgreSQL database at \(address) was set up by a newer ReportSync (its migration \(migration) is unknown here): install that version")
    }

    /// Runs the migrations this database lacks, all in one transaction; refuses a database with a
    /// migration this program does not know (a newer ReportSync made it).
    func migrate() async throws {
        try await transaction { db in
            // One migrating process at a time (two `syncd serve` starting together); released at commit.
            try await db.run("SELECT pg_advisory_xact_lock(7163021)")
            try await db.run("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())")
            let applied = try await db.appliedMigrations()
            let known = Set(PostgresSchema.migrations.map(\.name))
            if let unknown = applied.first(where: { !known.contains($0) }) { throw newer(unknown) }
            for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
                for statement in migration.statements { try await db.run(statement) }
                try await db.run("INSERT INTO schema_migrations (name) VALUES ($1)", [migration.name])
            }
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T: Sendable>(_ body: (PostgresDatabase) async throws -> T) async throws -> T {
        try await run("BEGIN")
        issued.clear()
        do {
            let result = try await body(self)
            try await run("COMMIT")
            // After the commit, never before: the watermark must not get ahead of the database.
            issued.raiseWatermarks()
            return result
        } catch {
            issued.clear()
            try? await run("ROLLBACK")
            throw error
        }
    }

    /// Runs one statement, its `$n` bound to `values` in order (`nil` binds NULL).
    public func run(_ sql: String, _ values: [(any PostgresEncodable & Sendable)?] = []) async throws {
        try await connection.query(Self.query(sql, values), logger: logger)
    }

    /// The first column of every row `sql` returns, decoded as `T`.
    public func rows<T: PostgresDecodable & Sendable>(
        _ sql: String, _ values: [(any PostgresEncodable & Sendable)?] = [], as type: T.Type
    ) async throws -> [T] {
        var result: [T] = []
        for try await (value) in try await connection.query(Self.query(sql, values), logger: logger).decode(T.self) {
            result.append(value)
        }
        return result
    }

    /// Every row `sql` returns, as postgres-nio's rows, for reading several columns.
    func randomAccessRows(_ sql: String, _ values: [(any PostgresEncodable & Sendable)?] = []) async throws -> [PostgresRandomAccessRow] {
        var result: [PostgresRandomAccessRow] = []
        for try await row in try await connection.query(Self.query(sql, values), logger: logger) {
            result.append(row.makeRandomAccess())
        }
        return result
    }

    private static func query(_ sql: String, _ values: [(any PostgresEncodable & Sendable)?]) throws -> PostgresQuery {
        var bindings = PostgresBindings()
        for value in values {
            if let value { try bindings.append(value) } else { bindings.appendNull() }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }
}

/// The dot counters a transaction issued, by replica id: raised as watermarks (`CounterWatermark`) once
/// it commits, so that a database put back from an older dump is found before it issues a dot again.
final class IssuedCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var counters: [String: Int64] = [:]

    func note(replica: String, counter: Int64) { lock.withLock { counters[replica] = max(counters[replica] ?? 0, counter) } }
    func clear() { lock.withLock { counters = [:] } }

    func raiseWatermarks() {
        let all = lock.withLock { () -> [String: Int64] in
            defer { counters = [:] }
            return counters
        }
        for (replica, counter) in all { CounterWatermark.raise(replica: replica, to: counter) }
    }
}
