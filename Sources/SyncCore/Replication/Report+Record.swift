/// The plain view of a replicated record.
extension Report {
    /// The report as a record's merged state shows it.
    /// A field that holds no value of its type (data an older central let in) is shown empty and named
    /// in `unreadableFields`, so the report can still be listed and repaired.
    public init(record: ReportRecord) throws {
        let creation = record.versions.first(where: \.creates)
        let latest = record.latestContent
        let readable = record.readableContent()
        self.init(
            id: record.id, unit: record.unit, content: readable.content, state: record.state, drafter: record.drafter,
            version: record.versions.count, contentDot: latest.dot, createdAt: (creation ?? latest).hlc.date,
            updatedAt: max(latest.hlc, record.transitions.map(\.hlc).max() ?? .zero).date, lastComment: record.lastComment)
        let withheld = Set(record.withheldFields)
        let unreadable = readable.unreadable.filter { !withheld.contains($0) }
        unreadableFields = unreadable.isEmpty ? nil : unreadable
        withheldFields = withheld.isEmpty ? nil : withheld.sorted()
    }
}
