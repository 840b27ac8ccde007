import SyncCore

/// A deadline as the desk shows it.
public struct DeskDeadline: Sendable {
    public let deadline: Deadline
    /// How much of its report the desk may show; `nil` when the item is not a report (a solicitation
    /// not answered, a unit's monthly report not sent) or its report is still in its unit.
    public let visibility: DeskReport.Visibility?
    /// Whether `deadline.report` is a report the central holds.
    public let isReport: Bool
}
