import Foundation
import SyncCore

/// The deadlines missed or near, by due time.
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

    let frame: PageFrame
    let rows: [Row]
    let empty: Bool
}
