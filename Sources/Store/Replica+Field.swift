import Foundation
import GRDB
import SyncCore

/// A field replica's side of sync: what to send, what the central said, and what came back.
extension Replica {
    /// Creates a field replica for `unit`, bound to the central at `url` with `token`. Its units,
    /// members and policy arrive from the central with the first pull.
    public static func createField(
        at path: String, unit: String, centralURL url: String, token: String, now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> Replica {
        let replica = try create(at: path, unit: OrgUnit(id: unit, name: unit, kind: .squad), seedUnit: false, now: now)
        try replica.write { db in
            try Meta.set(.replicaRole, "field", db)
            try Meta.set(.centralURL, url, db)
            try Meta.set(.centralToken, token, db)
            try Meta.set(.pushCursor, "0", db)
            try Meta.set(.pullCursor, "0", db)
        }
        return replica
    }

    /// The central this replica syncs with and its token, or an error that says how to bind one.
    public func central() throws -> (url: String, token: String) {
        try read { db in
            guard let url = try Meta.get(.centralURL, db), let token = try Meta.get(.centralToken, db) else {
                throw ReportSyncError(
                    .invalidInput, "this replica is not bound to a central; create one with report-cli init --central URL --token T")
            }
            return (url, token)
        }
    }

    /// Points a field replica at its central's new address.
    public func setCentralURL(_ url: String) throws {
        try write { db in
            guard try Meta.get(.centralURL, db) != nil else {
                throw ReportSyncError(.invalidInput, "this replica is not bound to a central; create one with report-cli init --central URL --token T")
            }
            try Meta.set(.centralURL, url, db)
        }
    }

    /// Whether units, members and policy come from a central (and may not be changed here).
    func isFieldReplica(_ db: Database) throws -> Bool { try Meta.get(.replicaRole, db) == "field" }

    /// Local changes after the push cursor, oldest first: report changes only, never a secret report's.
    public func outgoing(limit: Int) throws -> [StoredChange] {
        try read { db in
            let cursor = Int64(try Meta.get(.pushCursor, db) ?? "0") ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.seq, c.origin, c.body FROM changes c LEFT JOIN reports r ON r.id = c.record
                    WHERE c.seq > ? AND c.origin = 'local'
                      AND ((r.id IS NOT NULL AND json_extract(r.content, '$.classification') IS NOT 'secret')
                           OR c.record LIKE 'solicitation/%')
                    ORDER BY c.seq LIMIT ?
                    """,
                arguments: [cursor, limit])
            return try rows.map {
                StoredChange(seq: $0["seq"], origin: .local, change: try JSONCoding.value(Change.self, from: $0["body"]))
            }
        }
    }

    /// Records the central's answers for everything up to local sequence `seq`: refusals are kept to be shown.
    public func acknowledgePush(upTo seq: Int64, refused: [(change: Change, reason: String)]) throws {
        try write { db in
            for (change, reason) in refused {
                try db.execute(
                    sql: """
                        INSERT INTO push_rejections(replica, counter, record, reason, rejected_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(replica, counter) DO UPDATE SET reason = excluded.reason
                        """,
                    arguments: [change.dot.replica, change.dot.counter, change.record, reason, now().millisecondsSince1970])
            }
            let current = Int64(try Meta.get(.pushCursor, db) ?? "0") ?? 0
            try Meta.set(.pushCursor, String(max(current, seq)), db)
        }
    }

    /// Applies a page of the central feed and moves the pull cursor in the same transaction.
    ///
    /// The central checked every change's clock when it arrived there; this replica's own clock may be
    /// wrong (field laptops often are), so it does not judge them again.
    public func applyPulled(_ changes: [Change], next: Int64) throws -> [ApplyOutcome] {
        try session { s in
            let outcomes = try changes.map { try s.offer($0, checkClock: false) }
            let current = Int64(try Meta.get(.pullCursor, s.db) ?? "0") ?? 0
            try Meta.set(.pullCursor, String(max(current, next)), s.db)
            return outcomes
        }
    }

    /// The central sequence to pull after.
    public func pullCursor() throws -> Int64 {
        try read { db in Int64(try Meta.get(.pullCursor, db) ?? "0") ?? 0 }
    }

    /// Notes the end of a sync: its time, and its error if it failed.
    public func recordSync(error: String?) throws {
        try write { db in
            if let error {
                try Meta.set(.lastSyncError, error, db)
            } else {
                try Meta.set(.lastSyncAt, String(now().millisecondsSince1970), db)
                try Meta.remove(.lastSyncError, db)
            }
        }
    }

    /// Local changes the central refused, with its reasons, newest first.
    public func pushRejections() throws -> [(record: String, dot: Dot, reason: String, at: Date)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM push_rejections ORDER BY rejected_at DESC").map {
                ($0["record"], Dot(replica: $0["replica"], counter: $0["counter"]), $0["reason"],
                    Date(millisecondsSince1970: $0["rejected_at"]))
            }
        }
    }

    /// Where this replica stands with its central.
    public func syncState() throws -> SyncState {
        try read { db in
            let push = Int64(try Meta.get(.pushCursor, db) ?? "0") ?? 0
            return SyncState(
                centralURL: try Meta.get(.centralURL, db), pushCursor: push,
                pullCursor: Int64(try Meta.get(.pullCursor, db) ?? "0") ?? 0,
                outgoing: try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM changes WHERE seq > ? AND origin = 'local' AND record NOT LIKE 'unit/%' AND record NOT LIKE 'member/%' AND record != 'policy'",
                    arguments: [push]) ?? 0,
                waiting: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pending_changes") ?? 0,
                rejectedByCentral: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM push_rejections") ?? 0,
                lastSyncAt: try Meta.get(.lastSyncAt, db).flatMap(Int64.init).map(Date.init(millisecondsSince1970:)),
                lastError: try Meta.get(.lastSyncError, db))
        }
    }
}
