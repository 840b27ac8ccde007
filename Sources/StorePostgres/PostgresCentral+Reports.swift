import Foundation
import PostgresNIO
import Store
import SyncCore

/// One report in full at a central on PostgreSQL (`report-cli show` and `history` with `--db
/// postgres://…`): read in one snapshot, its signed steps checked against the central's log and keys
/// by the same code as on a file (`Replica.stepChecks`, `ReportHistory`).
extension PostgresCentral {
    /// The report with this id (or unique prefix), its record, conflicts, checked steps and the policy in force.
    public static func detail(of idOrPrefix: String, at address: PostgresAddress) async throws -> ReportDetail {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            return try await db.snapshot { db in
                let id = try await db.resolveReportID(idOrPrefix)
                let (record, listed) = try await db.record(id)
                let conflicts = try await db.rows("SELECT body FROM conflicts WHERE report_id = $1 ORDER BY hlc, id", [id], as: String.self).map {
                    try JSONCoding.value(Conflict.self, from: $0)
                }
                return ReportDetail(
                    report: try await db.report(id), record: record, conflicts: conflicts, checks: try await db.stepChecks(of: record, listedAs: listed, logged: try await db.loggedChanges(of: id)),
                    policy: try await db.policy(at: Date()))
            }
        }
    }

    /// Everything that happened to a report, in clock order (as `Replica.history`).
    public static func history(of idOrPrefix: String, at address: PostgresAddress) async throws -> ReportHistory {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            return try await db.snapshot { db in
                let (record, _) = try await db.record(try await db.resolveReportID(idOrPrefix))
                let logged = try await db.loggedChanges(of: record.id)
                let unapplied = try await db.randomAccessRows(ReportHistory.unappliedSQL { "$\($0)" }, [record.id, record.id]).map { row in
                    (change: try JSONCoding.value(Change.self, from: try row["body"].decode(String.self)), reason: try row["reason"].decode(String?.self))
                }
                return try ReportHistory(
                    record, checks: try await db.stepChecks(of: record, listedAs: nil, logged: logged), refusedByCentral: [:], unapplied: unapplied,
                    loggedChange: { dot in try logged[dot].map { try JSONCoding.value(Change.self, from: $0) } })
            }
        }
    }
}

extension PostgresDatabase {
    /// Runs `body` in one read-only snapshot: every read sees the same state.
    fileprivate func snapshot<T: Sendable>(_ body: (PostgresDatabase) async throws -> T) async throws -> T {
        try await transaction { db in
            try await db.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try await body(db)
        }
    }

    /// A report's merged record and the state its row lists.
    fileprivate func record(_ id: String) async throws -> (ReportRecord, String) {
        guard let row = try await randomAccessRows("SELECT record, state FROM reports WHERE id = $1", [id]).first else {
            throw ReportSyncError(.notFound, "no report \(id)")
        }
        return (try JSONCoding.value(ReportRecord.self, from: try row["record"].decode(String.self)), try row["state"].decode(String.self))
    }

    /// Every logged change of a report, by dot.
    fileprivate func loggedChanges(of id: String) async throws -> [Dot: String] {
        var logged: [Dot: String] = [:]
        for row in try await randomAccessRows("SELECT replica, counter, body FROM changes WHERE record = $1", [id]) {
            logged[Dot(replica: try row["replica"].decode(String.self), counter: try row["counter"].decode(Int64.self))] = try row["body"].decode(String.self)
        }
        return logged
    }

    /// The checks of a record's signed steps against its `logged` changes and the registered keys (`Replica.stepChecks`).
    fileprivate func stepChecks(of record: ReportRecord, listedAs listed: String?, logged: [Dot: String]) async throws -> [StepCheck] {
        let signers = try logged.values.compactMap { try JSONCoding.value(Change.self, from: $0).signature?.key }
        var keys: [String: String] = [:]
        for row in try await randomAccessRows("SELECT id, body FROM signing_keys WHERE id = ANY($1)", [Array(Set(signers))]) {
            keys[try row["id"].decode(String.self)] = try row["body"].decode(String.self)
        }
        return try Replica.stepChecks(of: record, listedAs: listed, loggedBody: { logged[$0] }, keyBody: { keys[$0] })
    }
}
