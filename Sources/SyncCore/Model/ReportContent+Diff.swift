/// Which fields differ between two versions of a report's content.
extension ReportContent {
    /// The names of the fields, as in JSON, whose values differ from `old`.
    public func changedFields(since old: ReportContent) -> [String] {
        var names: [String] = []
        func check<T: Equatable>(_ name: String, _ path: KeyPath<ReportContent, T>) {
            if self[keyPath: path] != old[keyPath: path] { names.append(name) }
        }
        check("category", \.category)
        check("title", \.title)
        check("body", \.body)
        check("eventTime", \.eventTime)
        check("place", \.place)
        check("contact", \.contact)
        check("classification", \.classification)
        check("disclosure", \.disclosure)
        check("disclosureReason", \.disclosureReason)
        check("emergency", \.emergency)
        check("followUpOf", \.followUpOf)
        check("followUpSequence", \.followUpSequence)
        check("solicitation", \.solicitation)
        check("attachments", \.attachments)
        return names
    }
}
