import Foundation
import PostgresNIO
import Store
import SyncCore

/// The conflicts a person inspects at a central on PostgreSQL (`report-cli conflicts list|show` with
/// `--db postgres://…`): merge conflicts, the changes the central refused, and those waiting for their
/// causes, read as on a file (`ConflictRows`).
extension PostgresCentral {
    /// The entries that match `filter`, newest first.
    public static func conflictEntries(matching filter: ConflictFilter, at address: PostgresAddress) async throws -> [ConflictEntry] {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            var reportID: String?
            if let report = filter.report { reportID = try await db.resolveReportID(report) }
            let (whereSQL, values) = ConflictRows.conditions(filter, reportID: reportID) { "$\($0)" }
            let bound = values.map(\.bound)
            let entries = try await db.mergeConflicts(whereSQL, bound) + (try await db.refusedAndWaiting().filter { filter.admits($0, report: reportID) })
            return ConflictRows.sorted(entries)
        }
    }

    /// The entry with this handle: its short id (or a unique start of it) or its full key.
    public static func conflictEntry(_ typed: String, at address: PostgresAddress) async throws -> ConflictEntry {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            return try await db.conflictEntry(typed)
        }
    }

    /// Settles a conflict as `actorID` decided (`Replica.decide`, signed by `signer` for a merge
    /// conflict), under the feed's lock, and returns it as it stands now.
    public static func resolveConflict(
        _ typed: String, keep: ResolutionStep.Keep, value: String?, comment: String?, by actorID: String, signer: StepSigner?,
        at address: PostgresAddress
    ) async throws -> ConflictEntry {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            try await db.transaction { db in
                let state = try await db.lockForWrite()
                let entry = try await db.conflictEntry(typed)
                let now = Date()
                let ledger = try await PostgresLedger.loading(for: [], unit: try state.require(.unitID), now: now, state, db)
                let decision = try await PostgresApply.run(db, state, now: now, asking: [], ledger: ledger) { engine in
                    guard let actor = try ledger.member(actorID) else { throw Replica.unknownMember(actorID) }
                    let decision = try Replica.decide(
                        entry, keep: keep, value: value, comment: comment, by: actor, at: .central, signer: signer, engine: engine)
                    if case .changes(let changes) = decision { try engine.commitLocal(changes) }
                    return decision
                }
                if case .dismissal(let dot) = decision {
                    try await db.run(
                        "UPDATE rejected_changes SET dismissed_by = $1, dismissed_at = $2 WHERE replica = $3 AND counter = $4",
                        [actorID, now.millisecondsSince1970, dot.replica, dot.counter])
                }
            }
            return try await db.conflictEntry(typed)
        }
    }
}

extension PostgresDatabase {
    /// The entry `typed` names (`ConflictRows.Handle`).
    fileprivate func conflictEntry(_ typed: String) async throws -> ConflictEntry {
        let handle = try ConflictRows.Handle(typed)
        let (whereSQL, values) = handle.condition { "$\($0)" }
        return try handle.resolve(merge: try await mergeConflicts(whereSQL, values), others: try await refusedAndWaiting())
    }

    fileprivate func mergeConflicts(_ whereSQL: String, _ values: [(any PostgresEncodable & Sendable)?]) async throws -> [ConflictEntry] {
        try await randomAccessRows("\(ConflictRows.mergeSelect) \(whereSQL) \(ConflictRows.newestFirst)", values).map { row in
            try ConflictRows.merge(
                body: try row["body"].decode(String.self), title: try row["title"].decode(String?.self), unit: try row["unit"].decode(String?.self))
        }
    }

    /// The changes this central refused, and those waiting for their causes.
    fileprivate func refusedAndWaiting() async throws -> [ConflictEntry] {
        let refused = try await randomAccessRows(ConflictRows.refusedSelect).map { row in
            try ConflictRows.refused(
                body: try row["body"].decode(String.self), reason: try row["reason"].decode(String.self), at: try row["rejected_at"].decode(Int64.self),
                title: try row["title"].decode(String?.self), dismissedBy: try row["dismissed_by"].decode(String?.self),
                dismissedAt: try row["dismissed_at"].decode(Int64?.self), central: true)
        }
        let waiting = try await randomAccessRows(ConflictRows.waitingSelect).map { row in
            try ConflictRows.waiting(
                body: try row["body"].decode(String.self), waitsFor: try row["waits_for"].decode(String.self),
                receivedAt: try row["received_at"].decode(Int64.self), title: try row["title"].decode(String?.self))
        }
        return refused + waiting
    }
}
