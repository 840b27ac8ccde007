import SyncCore

/// Which reports `Replica.reports(matching:)` returns.
public struct ReportFilter: Sendable {
    public var state: ApprovalState?
    public var category: ReportCategory?
    public var unit: String?

    public init(state: ApprovalState? = nil, category: ReportCategory? = nil, unit: String? = nil) {
        self.state = state
        self.category = category
        self.unit = unit
    }
}
