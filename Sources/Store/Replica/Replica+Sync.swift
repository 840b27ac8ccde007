import Foundation
import GRDB
import SyncCore

/// What sync needs from a replica: the log to send, a way to take in changes, and a digest to compare.
extension Replica {
    /// The changes in this replica's log after `seq`, oldest first, at most `limit` of them.
    public func changes(after seq: Int64 = 0, limit: Int = 1000) throws -> [StoredChange] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT seq, origin, body FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [seq, limit]
            ).map { row in
                StoredChange(
                    seq: row["seq"], origin: StoredChange.Origin(rawValue: row["origin"]) ?? .remote,
                    change: try JSONCoding.value(Change.self, from: row["body"]))
            }
        }
    }

    /// The highest local sequence number of the change log (0 when empty).
    public func lastSequence() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM changes") ?? 0 }
    }

    /// Merges changes received from elsewhere in one transaction; one outcome per change, in order.
    ///
    /// Duplicates are no-ops, changes whose causes are missing wait (and apply when the causes come),
    /// refused changes are recorded with their reason. Nothing else in the batch is affected by one refusal.
    public func receive(_ changes: [Change]) throws -> [ApplyOutcome] {
        try session { s in
            try s.prefetch(changes)
            return try changes.map { try s.offer($0) }
        }
    }

    /// How many received changes are waiting for their causes.
    public func pendingCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pending_changes") ?? 0 }
    }

    /// Received changes this replica refused, with the reason, oldest first.
    public func rejectedChanges() throws -> [(change: Change, reason: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT body, reason FROM rejected_changes ORDER BY rejected_at, replica, counter").map {
                (try JSONCoding.value(Change.self, from: $0["body"]), $0["reason"])
            }
        }
    }

    /// Every conflict this replica holds, optionally only those of one report.
    public func conflicts(report: String? = nil) throws -> [Conflict] {
        try read { db in
            let bodies =
                if let report {
                    try String.fetchAll(
                        db, sql: "SELECT body FROM conflicts WHERE report_id = ? ORDER BY hlc, id", arguments: [try Self.resolveID(report, db)])
                } else {
                    try String.fetchAll(db, sql: "SELECT body FROM conflicts ORDER BY hlc, id")
                }
            return try bodies.map { try JSONCoding.value(Conflict.self, from: $0) }
        }
    }

    /// The order-independent digest of this replica's logical state, or of one unit's reports.
    ///
    /// Equal digests mean equal reports (and, for the whole replica, equal reference data).
    public func digest(unit: String? = nil) throws -> String {
        try read { db in
            var pairs: [(id: String, hash: String)] = []
            let sql = unit == nil ? "SELECT id, digest FROM reports" : "SELECT id, digest FROM reports WHERE unit = ?"
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: unit.map { [$0] } ?? [])
            while let row = try cursor.next() { pairs.append((row["id"], row["digest"])) }
            if unit == nil {
                let references = try Row.fetchCursor(db, sql: "SELECT record, digest FROM reference_versions")
                while let row = try references.next() { pairs.append((row["record"], row["digest"])) }
            }
            return StateDigest.combine(pairs)
        }
    }
}

extension Replica {
    /// Every report's digest by id: what two replicas compare report by report when one holds reports
    /// the other may not (a field's secret reports).
    public func reportDigests() throws -> [String: String] {
        try read { db in
            var digests: [String: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, digest FROM reports")
            while let row = try rows.next() { digests[row["id"]] = row["digest"] }
            return digests
        }
    }

    /// Every report's merged record, by id.
    public func records() throws -> [ReportRecord] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT record FROM reports ORDER BY id").map { try JSONCoding.value(ReportRecord.self, from: $0) }
        }
    }
}
