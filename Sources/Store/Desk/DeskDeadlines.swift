import SyncCore

/// The deadlines page's content: how many deadlines are overdue and due soon by unit and rule, and a
/// page of those the filter asks for, by due time.
public struct DeskDeadlines: Sendable {
    /// The count of one unit's open deadlines under one rule.
    public struct Tally: Sendable, Equatable {
        public let unit: String
        public let rule: String
        public let overdue: Int
        public let dueSoon: Int
    }

    /// Deadlines a page lists.
    public static let pageSize = 100
    /// Every unit and rule with a deadline overdue or due soon, by unit then rule.
    public let tallies: [Tally]
    /// The page of the deadlines the filter found.
    public let items: [DeskDeadline]
    /// How many the filter found.
    public let total: Int
    /// The page shown, from 0 (the last one when a page beyond it was asked).
    public let page: Int

    public var pageCount: Int { DeskPaging.pages(of: total, size: Self.pageSize) }
}
