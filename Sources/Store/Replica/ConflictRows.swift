import Foundation
import SyncCore

/// The conflicts a person inspects, read the same way in every store: the SQL that finds them (with
/// the store's placeholders), the entry each row becomes, their order, and the one entry a handle names.
public enum ConflictRows {
    /// Merge conflicts with their report's title and unit; a condition and `newestFirst` follow.
    public static let mergeSelect = "SELECT c.body, r.title, r.unit FROM conflicts c LEFT JOIN reports r ON r.id = c.report_id"
    /// The merge conflicts' order.
    public static let newestFirst = "ORDER BY c.hlc DESC, c.id"
    /// Changes refused here, with their report's title.
    public static let refusedSelect = """
        SELECT x.body, x.reason, x.rejected_at, x.dismissed_by, x.dismissed_at, r.title
        FROM rejected_changes x LEFT JOIN reports r ON r.id = x.record
        """
    /// Changes waiting for their causes, with their report's title.
    public static let waitingSelect = "SELECT p.body, p.waits_for, p.received_at, r.title FROM pending_changes p LEFT JOIN reports r ON r.id = p.record"

    /// `filter`'s conditions on merge conflicts (`c`), the report already resolved to `reportID`; `placeholder`
    /// writes the n-th parameter (from 1) as the store's dialect does.
    public static func conditions(
        _ filter: ConflictFilter, reportID: String?, placeholder: (Int) -> String
    ) -> (whereSQL: String, values: [SQLArgument]) {
        var clauses: [String] = []
        var values: [SQLArgument] = []
        func add(_ column: String, _ op: String, _ value: SQLArgument) {
            values.append(value)
            clauses.append("\(column) \(op) \(placeholder(values.count))")
        }
        if let unit = filter.unit { add("c.unit", "=", .text(unit)) }
        if let reportID { add("c.report_id", "=", .text(reportID)) }
        if let status = filter.status { add("c.status", "=", .text(status.rawValue)) }
        if let since = filter.since { add("c.hlc", ">=", .integer(HybridTimestamp(wallMilliseconds: since.millisecondsSince1970, logical: 0).rawValue)) }
        if !filter.kinds.isEmpty {
            let mergeKinds = filter.kinds.compactMap { Conflict.Kind(rawValue: $0.rawValue) }
            clauses.append("c.kind IN (\((mergeKinds.map { "'\($0.rawValue)'" } + ["''"]).joined(separator: ",")))")
        }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), values)
    }

    /// A merge conflict's entry from its row (`mergeSelect`).
    public static func merge(body: String, title: String?, unit: String?) throws -> ConflictEntry {
        ConflictEntry(try JSONCoding.value(Conflict.self, from: body), title: title, unit: unit ?? "")
    }

    /// A refused change's entry from its row (`refusedSelect`): refused by this replica, a central or not.
    public static func refused(
        body: String, reason: String, at: Int64, title: String?, dismissedBy: String?, dismissedAt: Int64?, central: Bool
    ) throws -> ConflictEntry {
        ConflictEntry(
            change: try JSONCoding.value(Change.self, from: body), kind: central ? .rejectedByCentral : .rejectedOnReceipt,
            rule: central ? "refused-by-central" : "refused-on-receipt", reason: reason, at: Date(millisecondsSince1970: at), title: title,
            counterpart: central ? nil : "central", dismissed: dismissal(by: dismissedBy, at: dismissedAt))
    }

    /// A waiting change's entry from its row (`waitingSelect`).
    public static func waiting(body: String, waitsFor: String, receivedAt: Int64, title: String?) throws -> ConflictEntry {
        let change = try JSONCoding.value(Change.self, from: body)
        let on = waitsFor == change.record ? "earlier writes to this report" : "report \(waitsFor)"
        return ConflictEntry(
            change: change, kind: .pendingDependency, rule: "wait-for-causes",
            reason: "\(change.actor)'s change \(change.dot) needs \(on), which this replica has not received; it applies by itself when they arrive (report-cli sync)",
            at: Date(millisecondsSince1970: receivedAt), title: title, counterpart: nil)
    }

    static func dismissal(by actor: String?, at: Int64?) -> (actor: String, at: Date)? {
        guard let actor, let at else { return nil }
        return (actor, Date(millisecondsSince1970: at))
    }

    /// Every entry, newest first.
    public static func sorted(_ entries: [ConflictEntry]) -> [ConflictEntry] {
        entries.sorted { ($0.at, $0.key) > ($1.at, $1.key) }
    }

    /// A conflict's handle as a person types it: a full key (with `/`) or the start of a short id.
    public struct Handle: Sendable {
        public let typed: String
        /// Trimmed and in lower case.
        public let text: String

        public init(_ typed: String) throws {
            self.typed = typed.trimmingCharacters(in: .whitespaces)
            text = self.typed.lowercased()
            guard !text.isEmpty else { throw ReportSyncError(.invalidInput, "give a conflict id (see report-cli conflicts list)") }
        }

        /// Whether it is a full key rather than a short id's start.
        public var isKey: Bool { text.contains("/") }

        /// The condition on merge conflicts (`c`) that finds it, and its values.
        public func condition(placeholder: (Int) -> String) -> (whereSQL: String, values: [String]) {
            isKey ? ("WHERE c.id = \(placeholder(1))", [typed]) : ("WHERE c.short_id >= \(placeholder(1)) AND c.short_id < \(placeholder(2))", [text, text + "\u{10FFFF}"])
        }

        /// The one entry it names among the merge conflicts found by `condition` and every refused and waiting one.
        public func resolve(merge: [ConflictEntry], others: [ConflictEntry]) throws -> ConflictEntry {
            let matches = merge.filter { isKey || $0.id.hasPrefix(text) } + others.filter { isKey ? $0.key == text : $0.id.hasPrefix(text) }
            if matches.count == 1 { return matches[0] }
            if matches.isEmpty { throw ReportSyncError(.notFound, "no conflict \(typed) in this replica; see report-cli conflicts list") }
            throw ReportSyncError(.invalidInput, "more than one conflict starts with \(typed); give more of its id")
        }
    }
}
