import Foundation
import PostgresNIO
import Store
import SyncCore

/// Copies a central's SQLite file into an empty PostgreSQL database (`syncd migrate`): every table, in
/// one transaction, from one snapshot of the file; then, before it commits, checks that each table
/// holds as many rows as the file did and that the digest recomputed from the copied records is the
/// file's. A copy that does not check out is rolled back whole.
///
/// The copy then begins a new epoch and incarnation of the central, as a restore does: it writes under
/// a new replica id (so it never issues a dot the file may go on issuing), and every device that meets
/// it sends again what it may lack (what the file took after the snapshot) and pulls again from where
/// the copy began.
public enum CentralMigration {
    /// What was copied: each table and its row count, and the digest both sides agree on.
    public struct Summary: Sendable, Equatable {
        public let tables: [TableCount]
        public let digest: String
    }

    /// A table and how many rows it holds.
    public struct TableCount: Sendable, Equatable {
        public let name: String
        public let rows: Int

        public init(name: String, rows: Int) {
            self.name = name
            self.rows = rows
        }
    }

    /// Copies `central` to the database at `address`, `pageSize` rows to a statement; `progress` hears
    /// each table as it is done.
    /// `newEpoch: false` keeps the central's replica id and incarnation: only for a test's twin of a
    /// file that never serves again.
    public static func copy(
        from central: CentralReplica, to address: PostgresAddress, pageSize: Int = 1_000, newEpoch: Bool = true,
        progress: @Sendable (TableCount) -> Void = { _ in }
    ) async throws -> Summary {
        let snapshot = try ReplicaTables(central.replica)
        let shapes = try snapshot.shapes()
        let expected = try central.replica.digest()
        return try await PostgresDatabase.with(address) { db in
            try await db.transaction { db in
                try await refuseUnlessEmpty(db)
                let columns = try await columnsByTable(db)
                var counts: [TableCount] = []
                for shape in shapes {
                    try check(shape, against: columns, at: address)
                    let list = shape.columns.map(quoted).joined(separator: ", ")
                    let insert = """
                        INSERT INTO \(quoted(shape.name)) (\(list))
                        SELECT \(list) FROM json_populate_recordset(NULL::\(quoted(shape.name)), $1::json)
                        """
                    var start: ReplicaTables.PageStart?
                    var rows = 0
                    repeat {
                        let page = try snapshot.page(of: shape, after: start, limit: pageSize)
                        if page.count > 0 { try await db.run(insert, [page.json]) }
                        rows += page.count
                        start = page.next
                    } while start != nil
                    let copied = try await db.rows("SELECT COUNT(*) FROM \(quoted(shape.name))", as: Int.self).first ?? -1
                    guard copied == rows, rows == (try snapshot.count(shape)) else {
                        throw ReportSyncError(
                            .storage, "the copy of \(shape.name) holds \(copied) rows where the file has \(rows): nothing was kept; run syncd migrate again")
                    }
                    counts.append(TableCount(name: shape.name, rows: rows))
                    progress(counts[counts.count - 1])
                }
                try await db.run("UPDATE feed_head SET seq = (SELECT COALESCE(MAX(seq), 0) FROM changes)")
                let copied = try await PostgresDigest.whole(db)
                guard copied == expected else {
                    throw ReportSyncError(
                        .storage,
                        "the copy's digest \(copied.prefix(12)) is not the file's \(expected.prefix(12)): nothing was kept (a record did not survive the copy byte for byte)"
                    )
                }
                if newEpoch { try await beginEpoch(db, because: .copiedToAnotherStore) }
                return Summary(tables: counts, digest: copied)
            }
        }
    }

    /// Retires the central's replica id for a new one and starts a new incarnation at the feed's head, as
    /// `ReplicaEpoch.begin` and `CentralIncarnation.renew` do on a file.
    static func beginEpoch(_ db: PostgresDatabase, because reason: EpochReason) async throws {
        let now = Date()
        let old = try await db.requireMeta(.replicaID)
        let previous = (try await db.meta(.previousReplicaIDs)).map { $0 + "," } ?? ""
        try await db.setMeta(.previousReplicaIDs, previous + old)
        let new = UUIDv7.make(at: now)
        try await db.setMeta(.replicaID, new)
        try await db.setMeta(.lastEpoch, "\(now.millisecondsSince1970) \(old) \(new) \(reason.description)")
        let stored = try await db.meta(.incarnations)
        let chain = try stored.map { try JSONCoding.value([CentralStanding.Incarnation].self, from: $0) } ?? []
        try await db.setMeta(
            .incarnations, try JSONCoding.string(chain + [CentralStanding.Incarnation(id: UUIDv7.make(at: now), base: try await db.feedHead())]))
        var earlier: [CentralStanding.Held] = []
        for replica in (previous + old).split(separator: ",").map(String.init) {
            earlier.append(CentralStanding.Held(replica: replica, counter: try await db.highestCounter(of: replica)))
        }
        try await db.setMeta(.returnableAfter, try JSONCoding.string(earlier))
    }

    /// A database that already holds a central (or anything in its tables) is not overwritten.
    private static func refuseUnlessEmpty(_ db: PostgresDatabase) async throws {
        let held = try await db.rows(
            "SELECT (SELECT COUNT(*) FROM replica_meta) + (SELECT COUNT(*) FROM changes) + (SELECT COUNT(*) FROM reports)", as: Int.self)
        guard held.first == 0 else {
            throw ReportSyncError(
                .alreadyExists,
                "the PostgreSQL database at \(db.address) already holds a central: migrate into a new, empty database (createdb NAME)")
        }
    }

    /// The columns of each table in the PostgreSQL schema.
    private static func columnsByTable(_ db: PostgresDatabase) async throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for row in try await db.randomAccessRows(
            "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema()")
        {
            result[try row["table_name"].decode(String.self), default: []].insert(try row["column_name"].decode(String.self))
        }
        return result
    }

    /// A table or column of the file the PostgreSQL schema lacks: the file is newer than this program's
    /// PostgreSQL schema (a migration added to one store and not the other).
    private static func check(_ shape: ReplicaTables.Shape, against columns: [String: Set<String>], at address: PostgresAddress) throws {
        guard let known = columns[shape.name] else {
            throw ReportSyncError(.schemaTooNew, "the central's file has a table \(shape.name) the PostgreSQL schema lacks: nothing was copied")
        }
        if let missing = shape.columns.first(where: { !known.contains($0) }) {
            throw ReportSyncError(.schemaTooNew, "the central's file has a column \(shape.name).\(missing) the PostgreSQL schema lacks: nothing was copied")
        }
    }

    private static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
