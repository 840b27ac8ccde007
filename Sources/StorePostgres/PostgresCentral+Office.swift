import Foundation
import PostgresNIO
import Store
import SyncCore

/// The central office's work at a central on PostgreSQL (`report-cli` receive, adopt, instruct, reject,
/// return, archive, copyedit, list, digest with `--db postgres://…`): the same step as on a file
/// (`Replica.stepChange`, signed with the person's key), made by the same engine under the feed's lock.
extension PostgresCentral {
    /// Takes `action` on a report as the member whose key `signer` holds, after every check; the report as it now stands.
    public static func perform(
        _ action: WorkflowAction, on idOrPrefix: String, as signer: StepSigner, comment: String?, detail: StepDetail?, at address: PostgresAddress
    ) async throws -> Report {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            let id = try await db.transaction { db in
                try await step(action, on: idOrPrefix, by: signer.member, comment: comment, detail: detail, signer: signer, db)
            }
            return try await db.report(id)
        }
    }

    /// Throws why `actorID` may not take `action` on the report now, writing nothing: asked before a PIN is.
    public static func checkStep(
        _ action: WorkflowAction, on idOrPrefix: String, by actorID: String, comment: String?, detail: StepDetail?, at address: PostgresAddress
    ) async throws {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            do {
                _ = try await db.transaction { db in
                    try await step(action, on: idOrPrefix, by: actorID, comment: comment, detail: detail, signer: nil, db)
                }
            } catch is CheckedOnly {}
        }
    }

    /// Thrown by a step that was only checked: rolls its transaction back.
    private struct CheckedOnly: Error {}

    /// The step's change made and committed by the engine (signed by `signer`), or with no signer only
    /// checked (`CheckedOnly`); the report's full id.
    private static func step(
        _ action: WorkflowAction, on idOrPrefix: String, by actorID: String, comment: String?, detail: StepDetail?, signer: StepSigner?,
        _ db: PostgresDatabase
    ) async throws -> String {
        let state = try await db.lockForWrite()
        let id = try await db.resolveReportID(idOrPrefix)
        let now = Date()
        let ledger = try await PostgresLedger.loading(for: [], unit: try state.require(.unitID), now: now, state, db)
        return try await PostgresApply.run(db, state, now: now, asking: [], ledger: ledger) { engine in
            // A run that lacks the record or the member is run again with them loaded (`PostgresApply`).
            let record = try engine.requireRecord(id)
            guard let actor = try ledger.member(actorID) else { throw Replica.unknownMember(actorID) }
            let change = try Replica.stepChange(
                action, on: record, by: actor, at: .central, comment: comment, detail: detail, registering: signer != nil, engine: engine, ledger)
            guard let signer else { throw CheckedOnly() }
            try engine.commitLocal([try signer.sign(change)])
            return id
        }
    }

    /// The reports that match `filter`, most recently changed first (as `Replica.reports(matching:)`).
    public static func reports(matching filter: ReportFilter, at address: PostgresAddress) async throws -> [Report] {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            let (clauses, values) = filter.conditions { "$\($0)" }
            let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            return try await db.randomAccessRows(
                "SELECT \(ReportRows.columns) FROM reports \(whereSQL) ORDER BY \(ReportFilter.order)", values
            ).map(PostgresDatabase.report)
        }
    }

    /// The digest of the central (or of one unit's reports) and how many reports it covers (`report-cli digest`).
    public static func digest(unit: String?, at address: PostgresAddress) async throws -> (digest: String, reports: Int) {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            let count =
                if let unit { try await db.rows("SELECT COUNT(*)::bigint FROM reports WHERE unit = $1", [unit], as: Int.self).first ?? 0 } else {
                    try await db.rows("SELECT COUNT(*)::bigint FROM reports", as: Int.self).first ?? 0
                }
            return (try await db.digest(unit: unit), count)
        }
    }
}

extension PostgresDatabase {
    /// The full id of the one report whose id starts with `typed` (`ReportIDPrefix`).
    func resolveReportID(_ typed: String) async throws -> String {
        let prefix = try ReportIDPrefix(typed)
        // The range finds them by the key's index; starts_with keeps only true prefixes whatever the collation.
        return try prefix.resolve(
            try await rows(
                "SELECT id FROM reports WHERE id >= $1 AND id < $2 AND starts_with(id, $1) ORDER BY id LIMIT 2", [prefix.text, prefix.upperBound],
                as: String.self))
    }

    /// The report with this full id, as it stands.
    func report(_ id: String) async throws -> Report {
        guard let row = try await randomAccessRows("SELECT \(ReportRows.columns) FROM reports WHERE id = $1", [id]).first else {
            throw ReportSyncError(.notFound, "no report \(id)")
        }
        return try Self.report(row)
    }

    /// A report from its row (`ReportRows.columns`).
    static func report(_ row: PostgresRandomAccessRow) throws -> Report {
        try ReportRows.report(
            id: try row["id"].decode(String.self), unit: try row["unit"].decode(String.self), content: try row["content"].decode(String.self),
            state: try row["state"].decode(String.self), drafter: try row["drafter"].decode(String.self), version: try row["version"].decode(Int.self),
            contentDot: Dot(replica: try row["content_replica"].decode(String.self), counter: try row["content_counter"].decode(Int64.self)),
            createdAt: try row["created_at"].decode(Int64.self), updatedAt: try row["updated_at"].decode(Int64.self),
            lastComment: try row["last_comment"].decode(String?.self))
    }
}
