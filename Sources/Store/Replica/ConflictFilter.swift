import Foundation
import SyncCore

/// Which entries `Replica.conflictEntries(matching:)` returns.
public struct ConflictFilter: Sendable {
    public var unit: String?
    /// A report id or unique prefix.
    public var report: String?
    /// Only these kinds (all when empty).
    public var kinds: Set<ConflictEntry.Kind>
    public var status: Conflict.Status?
    /// Only disagreements that arose at or after this time.
    public var since: Date?

    public init(
        unit: String? = nil, report: String? = nil, kinds: Set<ConflictEntry.Kind> = [], status: Conflict.Status? = nil,
        since: Date? = nil
    ) {
        self.unit = unit
        self.report = report
        self.kinds = kinds
        self.status = status
        self.since = since
    }

    /// Whether `entry` passes the filter, its report already resolved to `id`.
    public func admits(_ entry: ConflictEntry, report id: String?) -> Bool {
        (unit == nil || entry.unit == unit) && (id == nil || entry.report == id)
            && (kinds.isEmpty || kinds.contains(entry.kind)) && (status == nil || entry.status == status)
            && (since.map { entry.at >= $0 } ?? true)
    }
}
