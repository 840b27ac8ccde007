import Foundation

/// One field of a report's content as it travels: its name, how its typed value is written and read,
/// and the most JSON text it may take. Every field a change writes is checked against this table
/// before a central takes it (`ChangeShape`): it must decode into its type and be written exactly as
/// this program writes it, so that no escape, space or case can disguise a value.
public struct ReportField: Sendable {
    public let name: String
    /// The most characters of JSON text the field's value may take (beyond any policy).
    public let maxJSONLength: Int
    let encode: @Sendable (ReportContent, JSONEncoder) throws -> Data
    /// Decodes JSON text into the field of a content value.
    let read: @Sendable (String, inout ReportContent) throws -> Void
    /// What the field must be, for an error message (`nil`: its type says it).
    let expected: String?

    /// Every field, in name order.
    public static let all: [ReportField] = [
        field("attachments", \.attachments, max: 100_000, expected: "a list of {name, kind, caption}"),
        field("body", \.body, max: 200_000),
        field("category", \.category, max: 40, expected: choices(ReportCategory.self)),
        field("classification", \.classification, max: 40, expected: choices(Classification.self)),
        field("contact", \.contact, max: 500),
        field("disclosure", \.disclosure, max: 40, expected: choices(Disclosure.self) + " or null"),
        field("disclosureReason", \.disclosureReason, max: 4_000),
        field("emergency", \.emergency, max: 40_000, expected: "an object of emergency facts"),
        field("eventTime", \.eventTime, max: 40, expected: "a time like \"2026-11-22T10:30:00.000Z\" or null"),
        field("followUpOf", \.followUpOf, max: Identifier.maxLength + 2),
        field("followUpSequence", \.followUpSequence, max: 20),
        field("place", \.place, max: 2_000),
        field("solicitation", \.solicitation, max: Identifier.maxLength + 2),
        field("title", \.title, max: 2_000),
    ]

    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The field called `name`, if there is one.
    public static func named(_ name: String) -> ReportField? { byName[name] }

    /// The `report-cli edit` option that writes the field.
    public static func option(for name: String) -> String {
        name.reduce(into: "") { text, character in
            if character.isUppercase { text += "-" + character.lowercased() } else { text.append(character) }
        }
    }

    /// Throws unless `json` is a value of this field written exactly as this program writes it.
    public func checkCanonical(_ json: String) throws {
        guard json.count <= maxJSONLength else {
            throw FieldProblem.tooLong(max: maxJSONLength)
        }
        var content = ReportContent(category: .dynamic, title: "", body: "")
        do { try read(json, &content) } catch {
            throw FieldProblem.wrongType(expected: expected ?? (error as? DecodingError)?.readableDescription ?? "a valid value")
        }
        let canonical = String(decoding: try encode(content, JSONCoding.encoder()), as: UTF8.self)
        guard canonical == json else { throw FieldProblem.notCanonical(canonical: canonical) }
    }

    /// What is wrong with one field's JSON text.
    public enum FieldProblem: Error, Equatable {
        case tooLong(max: Int)
        case wrongType(expected: String)
        case notCanonical(canonical: String)
    }

    private static func field<T: Codable & Sendable>(
        _ name: String, _ path: WritableKeyPath<ReportContent, T> & Sendable, max: Int, expected: String? = nil
    ) -> ReportField {
        ReportField(
            name: name, maxJSONLength: max, encode: { content, encoder in try encoder.encode(content[keyPath: path]) },
            read: { json, content in content[keyPath: path] = try JSONCoding.value(T.self, from: json) }, expected: expected)
    }

    private static func choices<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> String where E.RawValue == String {
        "one of " + E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
    }
}
