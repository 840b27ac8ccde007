/// One content write of a report as a replica holds it: the fields written, by whom, having seen what.
public struct ReportVersion: Codable, Sendable, Equatable {
    public let report: String
    public let unit: String
    public let actor: String
    public let dot: Dot
    public let hlc: HybridTimestamp
    /// What the writer had seen of the report before this write.
    public let context: VersionVector
    /// True for the write that created the report.
    public let creates: Bool
    /// Field name → the value written, as JSON text.
    public internal(set) var fields: [String: String]

    /// The version a content change carries.
    public init(_ change: Change, _ write: ContentWrite) {
        report = change.record
        unit = change.unit
        actor = change.actor
        dot = change.dot
        hlc = change.hlc
        context = change.context
        creates = write.creates
        fields = write.fields
    }

    /// The names of the fields written, sorted.
    public var changedFields: [String] { fields.keys.sorted() }
}
