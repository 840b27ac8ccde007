import Foundation

/// A finished report as a schedule of recurring deadlines reads it: which unit, what category, when it
/// was signed off. A store can list these from columns, without decoding each report's record.
public struct SignedReport: Sendable, Equatable {
    public let id: String
    public let unit: String
    public let category: ReportCategory
    /// Its title, or `ReportFacts.secretTitle` for a secret report.
    public let title: String
    public let signedAt: Date
    public let receivedAt: Date?

    public init(id: String, unit: String, category: ReportCategory, title: String, signedAt: Date, receivedAt: Date?) {
        self.id = id
        self.unit = unit
        self.category = category
        self.title = title
        self.signedAt = signedAt
        self.receivedAt = receivedAt
    }
}
