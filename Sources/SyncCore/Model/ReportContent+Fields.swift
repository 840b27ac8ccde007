import Foundation

/// A report's content as separate fields, the form in which content replicates and merges.
extension ReportContent {
    /// Every field name, as in JSON; each is merged on its own.
    public static let fieldNames = ReportField.all.map(\.name)

    /// Field name → the field's value as JSON text (`null` for an empty optional).
    public func encodedFields() throws -> [String: String] {
        let encoder = JSONCoding.encoder()
        var fields: [String: String] = [:]
        for field in ReportField.all {
            fields[field.name] = String(decoding: try field.encode(self, encoder), as: UTF8.self)
        }
        return fields
    }

    /// The fields whose values differ from `old`, with their new values.
    public func fields(changedSince old: ReportContent) throws -> [String: String] {
        let before = try old.encodedFields()
        return try encodedFields().filter { before[$0.key] != $0.value }
    }

    /// Content rebuilt from field values as JSON text; throws a `ReportSyncError` naming the first
    /// field that does not hold a value of its type.
    public static func decode(fields: [String: String]) throws -> ReportContent {
        let readable = readable(fields: fields)
        if let name = readable.unreadable.first {
            let shown = fields[name].map { $0.count > 60 ? $0.prefix(60) + "…" : $0 } ?? "nothing"
            throw ReportSyncError(
                .invalidInput,
                "the report's \(name) holds \(shown), which is not a valid \(name); write it again with report-cli edit (report-cli show names the option)")
        }
        return readable.content
    }

    /// Content rebuilt from field values, reading what can be read: a field that does not decode (data
    /// an older, less careful central let in) takes its empty value — `secret` for the classification,
    /// the safest — and is named in `unreadable`, so the report can still be listed and repaired.
    public static func readable(fields: [String: String]) -> (content: ReportContent, unreadable: [String]) {
        var content = ReportContent(category: .dynamic, title: "", body: "")
        var unreadable: [String] = []
        var sawCategory = false, sawTitle = false
        for field in ReportField.all {
            guard let json = fields[field.name] else { continue }
            do {
                try field.read(json, &content)
                if field.name == "category" { sawCategory = true }
                if field.name == "title" { sawTitle = true }
            } catch {
                unreadable.append(field.name)
                if field.name == "classification" { content.classification = .secret }
            }
        }
        if !sawCategory, !unreadable.contains("category") { unreadable.append("category") }
        if !sawTitle, !unreadable.contains("title") { unreadable.append("title") }
        return (content, unreadable.sorted())
    }
}
