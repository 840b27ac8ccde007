import Foundation
import GRDB
import SyncCore

/// The reports the office's rules need for a window of time, found by the `reports` table's timeline
/// columns (`ReportTimeline`) instead of reading every report: deadlines and scores read a central of
/// 100,000 reports in the time its last weeks take.
extension Replica {
    /// Which reports can bear on a window.
    struct OfficeCandidates {
        /// Reports with a moment in [start, end): sent, approved, received, adopted, instructed, rejected,
        /// created or happened then, or with a deadline that ran through it.
        var window: (start: Date, end: Date)?
        /// Reports some policy may count as not finished, begun before this time: their deadlines run on.
        var unfinishedBefore: Date?
        /// Reports answering one of these solicitations, whenever they were signed.
        var solicitations: [String] = []
        /// Only reports of this category.
        var category: ReportCategory?
    }

    /// The facts of the reports of `units` (every unit when nil) that `candidates` names, judged under `policy`.
    func reportFacts(_ candidates: OfficeCandidates, units: Set<String>?, policy: Policy) throws -> [ReportFacts] {
        var parts: [String] = []
        var arguments: StatementArguments = []
        if let window = candidates.window {
            parts.append("SELECT id FROM reports WHERE latest_at >= ? AND earliest_at < ?")
            arguments += [window.start.millisecondsSince1970, window.end.millisecondsSince1970]
        }
        if let before = candidates.unfinishedBefore {
            // Not finished under the strictest policy: `ReportTimeline.finishedAt(needsPrincipal: true)` is
            // nil (the same condition as the partial index `reports_unfinished`, word for word).
            parts.append(
                "SELECT id FROM reports WHERE approved_at IS NULL AND (received_at IS NULL OR sign_off_at IS NULL) AND earliest_at < ?")
            arguments += [before.millisecondsSince1970]
        }
        if !candidates.solicitations.isEmpty {
            parts.append(
                "SELECT id FROM reports WHERE json_extract(content, '$.solicitation') IN (\(databaseQuestionMarks(count: candidates.solicitations.count)))")
            arguments += StatementArguments(candidates.solicitations)
        }
        guard !parts.isEmpty else { return [] }
        var sql = "SELECT id, unit, digest FROM reports WHERE id IN (\(parts.joined(separator: " UNION ")))"
        if let category = candidates.category {
            sql += " AND category = ?"
            arguments += [category.rawValue]
        }
        return try read { db in try Self.facts(Row.fetchCursor(db, sql: sql, arguments: arguments), units: units, policy: policy, db) }
    }

    /// The facts of each row (`id`, `unit`, `digest`) of a unit in `units`: remembered, or read from its record.
    static func facts(_ rows: RowCursor, units: Set<String>?, policy: Policy, _ db: Database) throws -> [ReportFacts] {
        var facts: [ReportFacts] = []
        while let row = try rows.next() {
            if let units, !units.contains(row["unit"]) { continue }
            let digest: String = row["digest"]
            if let known = ReportFactsCache.shared.facts(digest: digest, policy: policy) {
                facts.append(known)
                continue
            }
            let json = try String.fetchOne(db.cachedStatement(sql: "SELECT record FROM reports WHERE id = ?"), arguments: [row["id"]]) ?? "{}"
            let judged = try ReportFacts(record: try JSONCoding.value(ReportRecord.self, from: json), policy: policy)
            ReportFactsCache.shared.remember(judged, digest: digest, policy: policy)
            facts.append(judged)
        }
        return facts
    }

    /// Every report of `units` finished under `policy`, read from the timeline columns alone: what the
    /// schedules of recurring deadlines are matched against, from each unit's first report on.
    func signedReports(units: Set<String>, policy: Policy) throws -> [SignedReport] {
        try read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, unit, category, title, classification, json_extract(content, '$.emergency.severity') AS severity,
                        sign_off_at, approved_at, received_at, earliest_at, latest_at
                    FROM reports WHERE approved_at IS NOT NULL OR sign_off_at IS NOT NULL
                    """)
            var signed: [SignedReport] = []
            while let row = try rows.next() {
                guard units.contains(row["unit"]), let category = ReportCategory(rawValue: row["category"]) else { continue }
                let timeline = ReportTimeline(
                    signOff: (row["sign_off_at"] as Int64?).map(Date.init(millisecondsSince1970:)),
                    approval: (row["approved_at"] as Int64?).map(Date.init(millisecondsSince1970:)),
                    firstReceipt: (row["received_at"] as Int64?).map(Date.init(millisecondsSince1970:)),
                    earliest: Date(millisecondsSince1970: row["earliest_at"]), latest: Date(millisecondsSince1970: row["latest_at"]))
                let severity = (row["severity"] as String?).flatMap(EmergencySeverity.init(rawValue:))
                guard let at = timeline.finishedAt(needsPrincipal: ApprovalChain.needsPrincipal(category: category, severity: severity, policy: policy))
                else { continue }
                let secret = (row["classification"] as String) == Classification.secret.rawValue
                signed.append(
                    SignedReport(
                        id: row["id"], unit: row["unit"], category: category, title: secret ? ReportFacts.secretTitle : row["title"], signedAt: at,
                        receivedAt: timeline.firstReceipt))
            }
            return signed
        }
    }
}
