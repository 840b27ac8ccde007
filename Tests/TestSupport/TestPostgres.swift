import Foundation
import Store
import StorePostgres
import SyncCore

/// The throwaway PostgreSQL cluster the test command starts (`scripts/postgres.sh`), named by
/// `REPORTSYNC_TEST_POSTGRES`. A test that needs it and finds none fails saying how to start one: it
/// never passes by skipping.
public enum TestPostgres {
    /// The variable holding the cluster's URL.
    public static let variable = "REPORTSYNC_TEST_POSTGRES"

    /// The cluster's URL (a superuser's, on its `postgres` database).
    public static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
            throw ReportSyncError(
                .unavailable,
                "\(variable) is not set: run the tests with bash scripts/test.sh, or start a cluster with url=$(bash scripts/postgres.sh start DIR) and export \(variable)=$url (docs/postgres.md)"
            )
        }
        return url
    }

    /// A new, empty database of its own for one test, on the test cluster.
    public static func freshDatabase() async throws -> PostgresAddress {
        let cluster = try PostgresAddress(parsing: url(), environment: [:])
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await PostgresDatabase.with(cluster, migrating: false) { db in try await db.run("CREATE DATABASE \(name)") }
        var address = cluster
        address.database = name
        return address
    }
}

/// Where a test keeps the central it serves: a SQLite file, or a database of the test cluster (set up
/// in a file first, then copied by `syncd migrate`'s copy): the end-to-end scenarios run on both.
public enum CentralKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    /// The stores the end-to-end scenarios run on: both, unless a developer without PostgreSQL sets
    /// `REPORTSYNC_SQLITE_ONLY=1` (docs/testing.md; the test command unsets it, so it never skips there).
    public static var underTest: [CentralKind] {
        ProcessInfo.processInfo.environment["REPORTSYNC_SQLITE_ONLY"] == "1" ? [.sqlite] : allCases
    }
}

extension TestPostgres {
    /// A fresh database of the test cluster holding a copy of the central file at `path`.
    public static func copy(centralAt path: String) async throws -> PostgresAddress {
        let address = try await freshDatabase()
        _ = try await CentralMigration.copy(from: try CentralReplica.open(at: path), to: address)
        return address
    }

    /// The URL of `address` with its password, for a `--db` argument.
    public static func url(of address: PostgresAddress) -> String { address.url }
}
