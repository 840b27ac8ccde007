import Foundation

/// The inbox: received reports not yet decided, most urgent first.
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
    let rows: [Row]
    let empty: Bool
    /// Said when more reports wait than the page lists.
    let more: String?
    let categories: [Option]
    let unit: String
    let search: String
}
