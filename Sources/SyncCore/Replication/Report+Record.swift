/// The plain view of a replicated record.
extension Report {
    /// The report as a record's merged state shows it.
    public init(record: ReportRecord) throws {
        let creation = record.versions.first(where: \.creates)
        let latest = record.latestContent
        self.init(
            id: record.id, unit: record.unit, content: try record.content(), state: record.state, drafter: record.drafter,
            version: record.versions.count, contentDot: latest.dot, createdAt: (creation ?? latest).hlc.date,
            updatedAt: max(latest.hlc, record.transitions.map(\.hlc).max() ?? .zero).date, lastComment: record.lastComment)
    }
}
