import SyncCore

/// Which reports the desk's inbox lists, and which page of them: by default those received and not yet
/// decided; any state a report has once it left its unit, a month of sign-off, and words.
public struct DeskInboxFilter: Sendable, Equatable {
    public var unit: String?
    public var category: ReportCategory?
    /// Words that must appear in the title or the body.
    public var search: String?
    public var state: ApprovalState
    /// Reports signed off in this month, quarter or year.
    public var period: Period?
    /// The page, from 0.
    public var page: Int

    /// The states the inbox can list: those of reports that left their unit.
    public static let listableStates = ApprovalState.allCases.filter(\.hasLeftUnit)

    public init(
        unit: String? = nil, category: ReportCategory? = nil, search: String? = nil, state: ApprovalState = .received, period: Period? = nil,
        page: Int = 0
    ) {
        self.unit = unit
        self.category = category
        self.search = search
        self.state = state
        self.period = period
        self.page = max(0, page)
    }
}
