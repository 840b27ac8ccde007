import Foundation
import Store
import StorePostgres
import SyncCore
import Testing
import TestSupport

/// A central's database on PostgreSQL (docs/postgres.md): addresses, the schema, refusals, and
/// `syncd migrate`'s copy of a SQLite central, against the real throwaway cluster of the test command.
@Suite("Central on PostgreSQL")
struct PostgresCentralTests {
    @Test("a URL is read as psql reads it, the PG* variables filling what it leaves out")
    func addresses() throws {
        let full = try PostgresAddress(parsing: "postgresql://wang:p%40ss@db.example:6543/bureau?sslmode=require", environment: [:])
        #expect(full.host == "db.example" && full.port == 6543 && full.user == "wang" && full.password == "p@ss")
        #expect(full.database == "bureau" && full.encryption == .require)
        #expect(full.description == "postgres://wang@db.example:6543/bureau")

        let filled = try PostgresAddress(
            parsing: "postgres://", environment: ["PGHOST": "10.0.0.5", "PGPORT": "5433", "PGUSER": "li", "PGPASSWORD": "s", "PGDATABASE": "central"])
        #expect(filled == PostgresAddress(host: "10.0.0.5", port: 5433, user: "li", password: "s", database: "central", encryption: .prefer))
        let defaults = try PostgresAddress(parsing: "postgres://zhao@/", environment: [:])
        #expect(defaults.host == "localhost" && defaults.port == 5432 && defaults.database == "zhao" && defaults.password == nil)

        #expect(PostgresAddress.isAddress("POSTGRES://x") && !PostgresAddress.isAddress("central.sqlite"))
        for (bad, says) in [
            ("central.sqlite", "is not a PostgreSQL URL"), ("postgres://a:secret@h:70000/d", "port 70000"),
            ("postgres://h/d?sslmode=maybe", "sslmode=maybe"), ("postgres://h/d?connect_timeout=3", "connect_timeout"),
            ("postgres://h/a/b", "is not a database name"),
        ] {
            let error = #expect(throws: ReportSyncError.self) { try PostgresAddress(parsing: bad, environment: [:]) }
            #expect(error?.message.contains(says) == true, "\(bad): \(error?.message ?? "")")
            #expect(error?.message.contains("secret") == false)
        }
        #expect(throws: ReportSyncError.self) { try PostgresAddress(parsing: "postgres://h/d", environment: ["PGPORT": "five"]) }
    }

    @Test("the schema is set up once, and a database a newer ReportSync set up is refused in one line")
    func migrations() async throws {
        let address = try await TestPostgres.freshDatabase()
        let first = try await PostgresDatabase.with(address) { try await $0.appliedMigrations() }
        #expect(first == ["v1-central", "v2-withheld-text"])
        let again = try await PostgresDatabase.with(address) { try await $0.appliedMigrations() }
        #expect(again == first)

        try await PostgresDatabase.with(address) { try await $0.run("INSERT INTO schema_migrations (name) VALUES ('v99-future')") }
        let error = await #expect(throws: ReportSyncError.self) { try await PostgresDatabase.with(address) { _ in } }
        #expect(error?.code == .schemaTooNew)
        #expect(error?.message.contains("v99-future") == true && error?.message.contains("newer ReportSync") == true)
    }

    @Test("the PostgreSQL schema has every table and column of the SQLite central, and no other table")
    func schemaMatchesSQLite() async throws {
        let directory = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let central = try StoreFixtures.fileCentral(at: directory.appendingPathComponent("central.sqlite").path)
        let sqlite = Dictionary(uniqueKeysWithValues: try ReplicaTables(central.replica).shapes().map { ($0.name, Set($0.columns)) })
        let address = try await TestPostgres.freshDatabase()
        let names = try await PostgresDatabase.with(address) { db in
            try await db.rows(
                "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema()",
                as: String.self)
        }
        var postgres: [String: Set<String>] = [:]
        for name in names {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            postgres[parts[0], default: []].insert(parts[1])
        }
        // Only PostgreSQL's: its record of migrations, and the feed's head (SQLite has one writer).
        postgres["schema_migrations"] = nil
        postgres["feed_head"] = nil
        #expect(postgres == sqlite)
    }

    @Test("a server that is not there, a wrong password and a missing database each say so in one line")
    func refusals() async throws {
        let cluster = try PostgresAddress(parsing: TestPostgres.url(), environment: [:])
        var wrongPassword = cluster
        wrongPassword.password = "not-the-password"
        var missing = cluster
        missing.database = "no_such_database"
        var nobody = cluster
        nobody.port = 1  // tcpmux: nothing listens there
        for (address, code, says) in [
            (wrongPassword, ReportSyncError.Code.forbidden, "refused reportsync's login"),
            (missing, .notFound, "there is no database no_such_database"),
            (nobody, .unavailable, "no PostgreSQL server answers at 127.0.0.1:\(nobody.port)"),
        ] {
            let error = await #expect(throws: ReportSyncError.self) { try await PostgresDatabase.with(address) { _ in } }
            #expect(error?.code == code)
            #expect(error?.message.contains(says) == true, "\(error?.message ?? "")")
            #expect(error?.message.contains(cluster.password ?? "-") == false)
        }
    }

    @Test("syncd migrate's copy holds every row of a bureau's central and the same digest, and is refused over a central")
    func migrateBureau() async throws {
        let simulation = try BureauSimulation(seed: 20_261_205, fields: 3, onDisk: true)
        for _ in 0..<150 { try simulation.step() }
        simulation.declassifyEverything()
        try simulation.settle()
        let central = simulation.central
        let snapshot = try ReplicaTables(central.replica)
        let expected = try snapshot.shapes().map { CentralMigration.TableCount(name: $0.name, rows: try snapshot.count($0)) }
        let logged = expected.first { $0.name == "changes" }?.rows ?? 0
        #expect(logged > 50)

        let address = try await TestPostgres.freshDatabase()
        let summary = try await CentralMigration.copy(from: central, to: address, pageSize: 7)
        #expect(summary.digest == (try central.replica.digest()))
        #expect(summary.tables == expected)
        let head = try await PostgresDatabase.with(address) { try await $0.rows("SELECT seq FROM feed_head", as: Int64.self) }
        #expect(head == [try central.replica.lastSequence()])

        let again = await #expect(throws: ReportSyncError.self) { try await CentralMigration.copy(from: central, to: address) }
        #expect(again?.code == .alreadyExists)
        let changes = try await PostgresDatabase.with(address) { try await $0.rows("SELECT COUNT(*) FROM changes", as: Int.self) }
        #expect(changes == [logged])
    }

    @Test("the copied change log stays append-only on PostgreSQL")
    func changesAppendOnly() async throws {
        let directory = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let central = try StoreFixtures.fileCentral(at: directory.appendingPathComponent("central.sqlite").path)
        let address = try await TestPostgres.freshDatabase()
        _ = try await CentralMigration.copy(from: central, to: address)
        for statement in ["UPDATE changes SET body = '{}'", "DELETE FROM changes"] {
            let error = await #expect(throws: ReportSyncError.self) { try await PostgresDatabase.with(address) { try await $0.run(statement) } }
            #expect(error?.message.contains("append-only") == true, "\(statement): \(error?.message ?? "")")
        }
        let digest = try await PostgresDatabase.with(address) { try await $0.rows("SELECT COUNT(*) FROM changes", as: Int.self) }
        #expect(digest.first == (try central.replica.changes(limit: 10_000).count))
    }
}
