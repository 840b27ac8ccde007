import Foundation

/// One report (一条信息) as a replica holds it: content, approval state and provenance.
public struct Report: Codable, Sendable, Equatable {
    public let id: String
    /// The unit that owns the report.
    public var unit: String
    public var content: ReportContent
    public var state: ApprovalState
    /// The member who drafted it.
    public var drafter: String
    /// How many content versions the report has had; 1 after drafting.
    public var version: Int
    /// The write that produced the current content; approvals record it to bind to what they saw.
    public var contentDot: Dot
    public var createdAt: Date
    public var updatedAt: Date
    /// The comment of the last return (退回) or rejection, shown to the unit.
    public var lastComment: String?
    /// Fields that hold no value of their type (written before the central checked types): shown empty,
    /// to be written again with `report-cli edit`. `nil` when every field reads.
    public var unreadableFields: [String]?
    /// Fields whose text was withdrawn from this replica when the report was raised off the network, or
    /// sealed when it was lowered (`Redaction`): shown empty. `nil` when none is.
    public var withheldFields: [String]?

    public init(
        id: String, unit: String, content: ReportContent, state: ApprovalState, drafter: String,
        version: Int, contentDot: Dot, createdAt: Date, updatedAt: Date, lastComment: String? = nil
    ) {
        self.id = id
        self.unit = unit
        self.content = content
        self.state = state
        self.drafter = drafter
        self.version = version
        self.contentDot = contentDot
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastComment = lastComment
    }
}
