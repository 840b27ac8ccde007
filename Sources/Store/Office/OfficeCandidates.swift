import Foundation
import SyncCore

/// The reports the office's rules need for a window of time, found by the `reports` table's timeline
/// columns (`ReportTimeline`) instead of reading every report: deadlines and scores read a central of
/// 100,000 reports in the time its last weeks take.
public struct OfficeCandidates: Sendable, Hashable {
    /// Reports with a moment in the window: sent, approved, received, adopted, instructed, rejected,
    /// created or happened then, or with a deadline that ran through it.
    public var window: DateInterval?
    /// Reports some policy may count as not finished, begun before this time: their deadlines run on.
    public var unfinishedBefore: Date?
    /// Reports answering one of these solicitations, whenever they were signed.
    public var solicitations: [String] = []
    /// Only reports of this category.
    public var category: ReportCategory?

    public init(window: DateInterval? = nil, unfinishedBefore: Date? = nil, solicitations: [String] = [], category: ReportCategory? = nil) {
        self.window = window
        self.unfinishedBefore = unfinishedBefore
        self.solicitations = solicitations
        self.category = category
    }

    /// The query of the candidates' `id, unit, digest` (and `record` with `withRecord`) in `dialect`, and
    /// its values; nil when nothing is asked.
    public func query(_ dialect: SQLDialect, withRecord: Bool = false) -> (sql: String, values: [SQLArgument])? {
        var parts: [String] = []
        var values: [SQLArgument] = []
        func next(_ value: SQLArgument) -> String {
            values.append(value)
            return dialect.placeholder(values.count)
        }
        if let window {
            let start = next(.integer(window.start.millisecondsSince1970)), end = next(.integer(window.end.millisecondsSince1970))
            parts.append("SELECT id FROM reports WHERE latest_at >= \(start) AND earliest_at < \(end)")
        }
        if let before = unfinishedBefore {
            // Not finished under the strictest policy: `ReportTimeline.finishedAt(needsPrincipal: true)` is
            // nil (the same condition as the partial index `reports_unfinished`, word for word).
            parts.append(
                "SELECT id FROM reports WHERE approved_at IS NULL AND (received_at IS NULL OR sign_off_at IS NULL) AND earliest_at < \(next(.integer(before.millisecondsSince1970)))")
        }
        if !solicitations.isEmpty {
            let list = solicitations.map { next(.text($0)) }.joined(separator: ", ")
            parts.append("SELECT id FROM reports WHERE \(dialect.jsonText("content", "solicitation")) IN (\(list))")
        }
        guard !parts.isEmpty else { return nil }
        var sql = "SELECT id, unit, digest\(withRecord ? ", record" : "") FROM reports WHERE id IN (\(parts.joined(separator: " UNION ")))"
        if let category { sql += " AND category = \(next(.text(category.rawValue)))" }
        return (sql, values)
    }
}

/// The rows the office's judgements read, turned into their facts the same way in every store.
public enum OfficeRows {
    /// The columns of a report's timeline that `signed(…)` reads, in `dialect`.
    public static func signedQuery(_ dialect: SQLDialect) -> String {
        """
        SELECT id, unit, category, title, classification, \(dialect.jsonText("content", "emergency", "severity")) AS severity,
            sign_off_at, approved_at, received_at, earliest_at, latest_at
        FROM reports WHERE approved_at IS NOT NULL OR sign_off_at IS NOT NULL
        """
    }

    /// A report finished under `policy`, from its timeline's columns (`signedQuery`); nil when not finished.
    public static func signed(
        id: String, unit: String, category: String, title: String, classification: String, severity: String?, signOff: Int64?, approved: Int64?,
        received: Int64?, earliest: Int64, latest: Int64, policy: Policy
    ) -> SignedReport? {
        guard let category = ReportCategory(rawValue: category) else { return nil }
        let timeline = ReportTimeline(
            signOff: signOff.map(Date.init(millisecondsSince1970:)), approval: approved.map(Date.init(millisecondsSince1970:)),
            firstReceipt: received.map(Date.init(millisecondsSince1970:)), earliest: Date(millisecondsSince1970: earliest),
            latest: Date(millisecondsSince1970: latest))
        let needsPrincipal = ApprovalChain.needsPrincipal(category: category, severity: severity.flatMap(EmergencySeverity.init(rawValue:)), policy: policy)
        guard let at = timeline.finishedAt(needsPrincipal: needsPrincipal) else { return nil }
        let secret = classification == Classification.secret.rawValue
        return SignedReport(
            id: id, unit: unit, category: category, title: secret ? ReportFacts.secretTitle : title, signedAt: at, receivedAt: timeline.firstReceipt)
    }

    /// The solicitations some report of the asked unit answers, as `id/unit`, in `dialect`.
    public static func answeredQuery(_ dialect: SQLDialect) -> String {
        let solicitation = dialect.jsonText("content", "solicitation")
        return "SELECT unit, \(solicitation) AS solicitation FROM reports WHERE \(solicitation) IS NOT NULL"
    }

    /// The facts of a report judged under `policy`: remembered by its record's digest, or read from `record`.
    public static func facts(digest: String, policy: Policy, record: () throws -> String) throws -> ReportFacts {
        if let known = ReportFactsCache.shared.facts(digest: digest, policy: policy) { return known }
        let judged = try ReportFacts(record: try JSONCoding.value(ReportRecord.self, from: try record()), policy: policy)
        ReportFactsCache.shared.remember(judged, digest: digest, policy: policy)
        return judged
    }
}
