import GRDB
import SyncCore

/// The merge engine's view of a replica file, read inside the write transaction of its batch.
final class SQLiteMergeSource: MergeSource {
    let db: Database
    /// Records loaded with conflicts: their conflict rows must be replaced when they are saved.
    private(set) var hadConflicts: Set<String> = []

    init(_ db: Database) { self.db = db }

    func storedRecord(_ id: String) throws -> ReportRecord? {
        guard let json = try db.fetchCachedString(sql: "SELECT record FROM reports WHERE id = ?", arguments: [id]) else {
            return nil
        }
        let record = try JSONCoding.value(ReportRecord.self, from: json)
        if !record.conflicts.isEmpty { hadConflicts.insert(id) }
        return record
    }

    func heldBody(of dot: Dot) throws -> String? {
        try db.fetchCachedString(sql: "SELECT body FROM changes WHERE replica = ? AND counter = ?", arguments: [dot.replica, dot.counter])
    }

    func hasWaiting() throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM pending_changes)") ?? false
    }

    func waitingBody(of dot: Dot) throws -> String? {
        try db.fetchCachedString(
            sql: "SELECT body FROM pending_changes WHERE replica = ? AND counter = ?", arguments: [dot.replica, dot.counter])
    }

    func waiting(on records: Set<String>) throws -> [WaitingChange] {
        let placeholders = Array(repeating: "?", count: records.count).joined(separator: ",")
        return try Row.fetchAll(
            db, sql: "SELECT body, waits_for FROM pending_changes WHERE waits_for IN (\(placeholders)) ORDER BY replica, counter",
            arguments: StatementArguments(Array(records))
        ).map { row in
            let body: String = row["body"]
            return WaitingChange(change: try JSONCoding.value(Change.self, from: body), body: body, waitsFor: row["waits_for"])
        }
    }

    func signingKey(_ id: String) throws -> SigningKey? {
        try db.fetchCachedString(sql: "SELECT body FROM signing_keys WHERE id = ?", arguments: [id]).map {
            try JSONCoding.value(SigningKey.self, from: $0)
        }
    }

    func referenceVersion(_ id: String) throws -> ReferenceVersion? {
        try Row.fetchOne(db, sql: "SELECT hlc, replica, counter FROM reference_versions WHERE record = ?", arguments: [id]).map {
            ReferenceVersion(hlc: HybridTimestamp(rawValue: $0["hlc"]), dot: Dot(replica: $0["replica"], counter: $0["counter"]))
        }
    }
}
