import Foundation
import GRDB
import SyncCore

/// A report's whole story, as `report-cli history` shows it.
public struct ReportHistory: Encodable, Sendable {
    public let report: String
    public let title: String
    public let state: ApprovalState
    /// Why the report is in `state`: the step that put it there.
    public let because: String
    /// Every version, transition, resolution, refused and waiting change, in causal order.
    public let entries: [HistoryEntry]
}

extension ReportHistory {
    /// The history of `record` in any store: its signed steps' `checks`, this replica's changes the
    /// central refused (`refusedByCentral`, none at the central itself), the received changes refused
    /// here or waiting (`unapplied`), and `loggedChange` to find what a void marker voided.
    public init(
        _ record: ReportRecord, checks: [StepCheck], refusedByCentral: [Dot: String], unapplied: [(change: Change, reason: String?)],
        loggedChange: (Dot) throws -> Change?
    ) throws {
        let versions = record.versions.sorted { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) }
        let numbers = Dictionary(uniqueKeysWithValues: versions.enumerated().map { ($1.dot, $0 + 1) })
        let lost = Dictionary(grouping: record.conflicts, by: \.loser.dot)
        var entries = versions.map { HistoryEntry($0, number: numbers[$0.dot] ?? 0) }
        entries += record.transitions.map { HistoryEntry($0, sawVersion: numbers[$0.sawContent]) }
        entries += record.resolutions.map(HistoryEntry.init)
        for i in entries.indices {
            guard let conflicts = lost[entries[i].dot] else { continue }
            let fieldLosses = conflicts.filter { $0.kind == .fieldValue }
            if entries[i].kind == .version, !fieldLosses.isEmpty {
                // A version loses field by field; it is `lost` only when no field it wrote is shown.
                let shownSomewhere = (entries[i].changedFields ?? []).contains { field in
                    !fieldLosses.contains { $0.field == field }
                }
                entries[i].outcome = shownSomewhere ? .applied : .lost
                entries[i].note = fieldLosses.map { "\($0.field ?? "") lost to \($0.winner.actor) (\($0.winner.dot))" }
                    .joined(separator: "; ")
                entries[i].conflict = fieldLosses.first?.shortID
            } else if let conflict = conflicts.first(where: { $0.kind != .fieldValue }) {
                entries[i].outcome = .notApplied
                entries[i].note = conflict.reason
                entries[i].conflict = conflict.shortID
            }
        }
        // Every signed step says whether its signature verifies here, against what this replica holds.
        for check in checks where check.isSignedStep || !check.verified {
            for i in entries.indices where entries[i].dot == check.dot {
                entries[i].signature = check.verified ? "signed by \(check.actor): \(check.summary)" : check.summary
                entries[i].signatureVerified = check.verified
            }
        }
        // A change the central refused still stands here, where it was made: it is marked, not repeated.
        for i in entries.indices {
            guard let reason = refusedByCentral[entries[i].dot] else { continue }
            entries[i].outcome = .refused
            entries[i].note = "refused by the central: \(reason)"
        }
        entries += unapplied.map { HistoryEntry(unapplied: $0.change, refusedBecause: $0.reason) }
        // A change the central refused and voided is gone from the record; its writer still holds it.
        for marker in record.voided {
            guard let change = try loggedChange(marker.dot) else { continue }
            entries.append(HistoryEntry(unapplied: change, refusedBecause: "refused by the central, now without effect: \(marker.reason)"))
        }
        let folded = ApprovalFold.fold(report: record.id, transitions: record.transitions, versions: record.versions)
        self.init(
            report: record.id, title: record.readableContent().content.title, state: record.state, because: folded.because,
            entries: entries.sorted { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) })
    }

    /// A report's received changes refused here or waiting, with the SQL placeholder `$1`/`?` for its id
    /// written by `placeholder` (both stores' SQL).
    public static func unappliedSQL(placeholder: (Int) -> String) -> String {
        """
        SELECT body, reason FROM rejected_changes WHERE record = \(placeholder(1))
        UNION ALL
        SELECT body, NULL FROM pending_changes WHERE record = \(placeholder(2))
        """
    }
}

/// A report's history: every version and every transition, the losers of conflicts, refusals and waits.
extension Replica {
    /// Everything that happened to a report, in clock order (causes before effects), each entry marked
    /// with whether it took effect and, when it did not, why.
    public func history(of idOrPrefix: String) throws -> ReportHistory {
        let record = try record(idOrPrefix)
        let checks = try read { db in try Self.stepChecks(of: record, db) }
        return try ReportHistory(
            record, checks: checks, refusedByCentral: try pushRejections(of: record.id), unapplied: try unappliedChanges(of: record.id),
            loggedChange: localChange)
    }

    /// The report's received changes that were refused here or wait for their causes.
    private func unappliedChanges(of id: String) throws -> [(change: Change, reason: String?)] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: ReportHistory.unappliedSQL { _ in "?" }, arguments: [id, id])
            return try rows.map { (try JSONCoding.value(Change.self, from: $0["body"] as String), $0["reason"]) }
        }
    }

    /// A change this replica holds in its log, by dot.
    private func localChange(_ dot: Dot) throws -> Change? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT body FROM changes WHERE replica = ? AND counter = ?", arguments: [dot.replica, dot.counter])
                .map { try JSONCoding.value(Change.self, from: $0) }
        }
    }

    /// The central's reasons for refusing this replica's changes to a report, by dot.
    private func pushRejections(of id: String) throws -> [Dot: String] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT replica, counter, reason FROM push_rejections WHERE record = ?", arguments: [id])
            return Dictionary(rows.map { (Dot(replica: $0["replica"], counter: $0["counter"]), $0["reason"]) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
