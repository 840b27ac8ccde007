import GRDB
import SyncCore

/// The merge engine's view of a replica file, read inside the write transaction of its batch.
final class SQLiteMergeSource: MergeSource {
    let db: Database
    /// Records loaded with conflicts: their conflict rows must be replaced when they are saved.
    private(set) var hadConflicts: Set<String> = []
    /// Answers read ahead for a batch (`prefetch`): each record's JSON and each dot's held body, `nil`
    /// when the file holds none. What is not here is asked one by one.
    private var prefetchedRecords: [String: String?] = [:]
    private var prefetchedBodies: [Dot: String?] = [:]

    init(_ db: Database) { self.db = db }

    /// Reads at once what offering `changes` is sure to ask one by one: their records and their dots'
    /// held bodies (a batch of new reports asked both twice per change before, each a miss).
    /// A small batch (a device's one new report) is asked one by one on cached statements, which costs less.
    func prefetch(_ changes: [Change]) throws {
        guard changes.count >= Self.worthPrefetching else { return }
        let ids = Array(Set(changes.map(\.record)).subtracting(prefetchedRecords.keys))
        for chunk in ids.chunked(by: Self.chunk) {
            for id in chunk { prefetchedRecords[id] = .some(nil) }
            let rows = try Row.fetchCursor(
                db, sql: "SELECT id, record FROM reports WHERE id IN (\(databaseQuestionMarks(count: chunk.count)))", arguments: StatementArguments(chunk))
            while let row = try rows.next() { prefetchedRecords[row["id"]] = .some(row["record"]) }
        }
        let dots = Dictionary(grouping: Set(changes.map(\.dot)).subtracting(prefetchedBodies.keys), by: \.replica)
        for (replica, dots) in dots {
            for chunk in dots.map(\.counter).chunked(by: Self.chunk) {
                for counter in chunk { prefetchedBodies[Dot(replica: replica, counter: counter)] = .some(nil) }
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT counter, body FROM changes WHERE replica = ? AND counter IN (\(databaseQuestionMarks(count: chunk.count)))",
                    arguments: StatementArguments([replica] + chunk.map { $0 as DatabaseValueConvertible }))
                while let row = try rows.next() { prefetchedBodies[Dot(replica: replica, counter: row["counter"])] = .some(row["body"]) }
            }
        }
    }

    /// Values bound in one prefetch query, well under SQLite's limit.
    private static let chunk = 500
    /// The fewest changes a batch is read ahead for.
    private static let worthPrefetching = 32

    func storedRecord(_ id: String) throws -> ReportRecord? {
        let json: String?
        if let prefetched = prefetchedRecords[id] {
            json = prefetched
        } else {
            json = try db.fetchCachedString(sql: "SELECT record FROM reports WHERE id = ?", arguments: [id])
        }
        guard let json else { return nil }
        let record = try JSONCoding.value(ReportRecord.self, from: json)
        if !record.conflicts.isEmpty { hadConflicts.insert(id) }
        return record
    }

    func heldBody(of dot: Dot) throws -> String? {
        if let prefetched = prefetchedBodies[dot] { return prefetched }
        return try db.fetchCachedString(sql: "SELECT body FROM changes WHERE replica = ? AND counter = ?", arguments: [dot.replica, dot.counter])
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

    func originals(of record: ReportRecord) throws -> [Dot: Change] { try WithheldText.originals(of: record, db) }

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

extension Array {
    /// The array in consecutive slices of at most `size` elements.
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
