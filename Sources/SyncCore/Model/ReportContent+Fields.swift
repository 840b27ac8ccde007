import Foundation

/// A report's content as separate fields, the form in which content replicates and merges.
extension ReportContent {
    /// Every field name, as in JSON; each is merged on its own.
    public static let fieldNames = fieldEncoders.map(\.name)

    private static let fieldEncoders: [(name: String, encode: @Sendable (ReportContent, JSONEncoder) throws -> Data)] = [
        ("attachments", { try $1.encode($0.attachments) }),
        ("body", { try $1.encode($0.body) }),
        ("category", { try $1.encode($0.category) }),
        ("classification", { try $1.encode($0.classification) }),
        ("contact", { try $1.encode($0.contact) }),
        ("disclosure", { try $1.encode($0.disclosure) }),
        ("disclosureReason", { try $1.encode($0.disclosureReason) }),
        ("emergency", { try $1.encode($0.emergency) }),
        ("eventTime", { try $1.encode($0.eventTime) }),
        ("followUpOf", { try $1.encode($0.followUpOf) }),
        ("followUpSequence", { try $1.encode($0.followUpSequence) }),
        ("place", { try $1.encode($0.place) }),
        ("solicitation", { try $1.encode($0.solicitation) }),
        ("title", { try $1.encode($0.title) }),
    ]

    /// Field name → the field's value as JSON text (`null` for an empty optional).
    public func encodedFields() throws -> [String: String] {
        let encoder = JSONCoding.encoder()
        var fields: [String: String] = [:]
        for field in Self.fieldEncoders {
            fields[field.name] = String(decoding: try field.encode(self, encoder), as: UTF8.self)
        }
        return fields
    }

    /// The fields whose values differ from `old`, with their new values.
    public func fields(changedSince old: ReportContent) throws -> [String: String] {
        let before = try old.encodedFields()
        return try encodedFields().filter { before[$0.key] != $0.value }
    }

    /// Content rebuilt from field values as JSON text.
    public static func decode(fields: [String: String]) throws -> ReportContent {
        let object = "{" + fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        return try JSONCoding.value(ReportContent.self, from: object)
    }
}
