import Foundation
import Store

/// The inbox: received reports not yet decided, most urgent first, a page at a time; or, filtered by
/// state, those decided.
struct InboxPage {
    struct Row {
        let id: String
        let shortID: String
        let unit: String
        let category: String
        let title: String
        let emergency: Bool
        let received: String
        let waiting: String
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    let frame: PageFrame
    let heading: String
    let rows: [Row]
    let empty: Bool
    /// How many the filter finds and which page this is, when there is more than one.
    let summary: String
    let previous: String?
    let next: String?
    /// Said when the period typed does not read as one.
    let notice: String?
    let categories: [Option]
    let states: [Option]
    let unit: String
    let search: String
    let period: String

    /// The inbox's address for `filter` (the period as typed), with only what is set in it.
    static func link(_ filter: DeskInboxFilter, period: String) -> String {
        DeskAddress.make(
            "/desk/inbox",
            [
                ("unit", filter.unit), ("category", filter.category?.rawValue), ("q", filter.search),
                ("state", filter.state == .received ? nil : filter.state.rawValue), ("period", period.isEmpty ? nil : period),
                ("page", filter.page == 0 ? nil : String(filter.page + 1)),
            ])
    }
}
