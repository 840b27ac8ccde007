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
        let handle = try ConflictRows.Handle(typed)
        return try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            let (whereSQL, values) = handle.condition { "$\($0)" }
            return try handle.resolve(merge: try await db.mergeConflicts(whereSQL, values), others: try await db.refusedAndWaiting())
        }
    }
}

extension PostgresDatabase {
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
