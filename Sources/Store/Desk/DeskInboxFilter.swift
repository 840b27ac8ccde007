import SyncCore

/// Which received reports the desk's inbox lists.
public struct DeskInboxFilter: Sendable, Equatable {
    public var unit: String?
    public var category: ReportCategory?
    /// Words that must appear in the title or the body.
    public var search: String?

    public init(unit: String? = nil, category: ReportCategory? = nil, search: String? = nil) {
        self.unit = unit
        self.category = category
        self.search = search
    }
}
