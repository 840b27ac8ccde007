/// One page of the inbox: its reports, most urgent first, and how many the filter finds in all.
public struct DeskInboxPage: Sendable {
    /// Reports a page lists.
    public static let size = 100
    public let reports: [DeskReport]
    public let total: Int
    /// The page shown, from 0 (the last one when the filter asked for a page beyond it).
    public let page: Int

    public var pageCount: Int { DeskPaging.pages(of: total, size: Self.size) }
}
