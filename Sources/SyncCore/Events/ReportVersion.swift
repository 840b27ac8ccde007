import Foundation

/// One saved version of a report's content, as it is recorded and replicated.
public struct ReportVersion: Codable, Sendable, Equatable {
    public let report: String
    public let unit: String
    /// 1 for the first draft, then one more per edit.
    public let version: Int
    public let content: ReportContent
    /// The fields that differ from the previous version (all set fields for version 1).
    public let changedFields: [String]
    public let actor: String
    public let dot: Dot
    public let hlc: HybridTimestamp

    public init(
        report: String, unit: String, version: Int, content: ReportContent, changedFields: [String], actor: String,
        dot: Dot, hlc: HybridTimestamp
    ) {
        self.report = report
        self.unit = unit
        self.version = version
        self.content = content
        self.changedFields = changedFields
        self.actor = actor
        self.dot = dot
        self.hlc = hlc
    }
}
