import Foundation
import Store
import SyncCore

/// The deadlines missed or near: counted by unit and rule, then listed by due time, a page at a time.
struct DeadlinesPage {
    struct Row {
        let status: String
        let overdue: Bool
        let due: String
        let unit: String
        let rule: String
        let title: String
        /// The report's page, when the desk may show it.
        let link: String?
    }

    /// One unit's count under one rule, linking to its list.
    struct Tally {
        let unit: String
        let rule: String
        let overdue: Int
        let dueSoon: Int
        let link: String
        let selected: Bool
    }

    let frame: PageFrame
    let tallies: [Tally]
    let rows: [Row]
    let empty: Bool
    /// What the list shows, and which page.
    let summary: String
    let all: String?
    let previous: String?
    let next: String?

    /// The page's address for a unit, a rule and a page (each left out when not set).
    static func link(unit: String?, rule: String?, page: Int = 0) -> String {
        DeskAddress.make("/desk/deadlines", [("unit", unit), ("rule", rule), ("page", page == 0 ? nil : String(page + 1))])
    }
}
