import Foundation
import SyncCore

/// A report as the desk shows it: its merged view, and whether its text may be shown over the network.
public struct DeskReport: Sendable {
    public let report: Report
    /// A secret report, an internal one (unless the policy lets internal ones cross the network) or a
    /// follow-up of either: the desk is a network page, so it shows such a report's id, unit, state and
    /// history, never its text (read it at the central's console, report-cli show).
    public let offNetwork: Bool
}

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

/// A deadline as the desk shows it.
public struct DeskDeadline: Sendable {
    public let deadline: Deadline
    /// Whether the report has left its unit and may cross the network: only then are its title and page shown.
    public let reportShown: Bool
    /// Whether `deadline.report` is a report (and not a solicitation or a unit's monthly report).
    public let isReport: Bool
}
