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
    /// Whether a plain JSON string literal (`JSONCoding.plainString`) that `read` takes is already in
    /// canonical form: true for text and choice fields, whose only canonical form is that literal.
    let plainIsCanonical: Bool
    /// What the field must be, for an error message (`nil`: its type says it).
    let expected: String?
    /// The short values a draft writes for an empty field (`null`, `[]`) that this field reads and
    /// writes back exactly: found once, by reading and writing each, then taken without a decoder.
    let canonicalEmptyValues: Set<String>
    /// Whether the field's value differs between two contents (as Swift compares them: text by canonical equivalence).
    let differs: @Sendable (ReportContent, ReportContent) -> Bool
    /// Whether the field's value holds U+0000 in any of its text.
    let holdsNUL: @Sendable (ReportContent) throws -> Bool

    init(
        name: String, maxJSONLength: Int, encode: @escaping @Sendable (ReportContent, JSONEncoder) throws -> Data,
        read: @escaping @Sendable (String, inout ReportContent) throws -> Void, plainIsCanonical: Bool, expected: String?,
        differs: @escaping @Sendable (ReportContent, ReportContent) -> Bool, holdsNUL: @escaping @Sendable (ReportContent) throws -> Bool
    ) {
        self.name = name
        self.maxJSONLength = maxJSONLength
        self.encode = encode
        self.read = read
        self.differs = differs
        self.holdsNUL = holdsNUL
        self.plainIsCanonical = plainIsCanonical
        self.expected = expected
        canonicalEmptyValues = Set(
            ["null", "[]"].filter { json in
                var content = ReportContent(category: .dynamic, title: "", body: "")
                guard (try? read(json, &content)) != nil, let data = try? encode(content, JSONCoding.encoder()) else { return false }
                return String(decoding: data, as: UTF8.self) == json
            })
    }

    /// Every field, in name order.
    public static let all: [ReportField] = [
        field("attachments", \.attachments, max: 100_000, expected: "a list of {name, kind, caption}"),
        text("body", \.body, max: 200_000),
        choice("category", \.category, expected: choices(ReportCategory.self)),
        choice("classification", \.classification, expected: choices(Classification.self)),
        text("contact", \.contact, max: 500),
        field("disclosure", \.disclosure, max: 40, expected: choices(Disclosure.self) + " or null"),
        text("disclosureReason", \.disclosureReason, max: 4_000),
        field("emergency", \.emergency, max: 40_000, expected: "an object of emergency facts"),
        field("eventTime", \.eventTime, max: 40, expected: "a time like \"2026-11-22T10:30:00.000Z\" or null"),
        text("followUpOf", \.followUpOf, max: Identifier.maxLength + 2),
        field("newMedia", \.newMedia, max: 4_000, expected: "an object {platform, publisher, publisherPost} or null"),
        field("followUpSequence", \.followUpSequence, max: 20),
        text("place", \.place, max: 2_000),
        text("solicitation", \.solicitation, max: Identifier.maxLength + 2),
        text("title", \.title, max: 2_000),
    ]

    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The field called `name`, if there is one.
    public static func named(_ name: String) -> ReportField? { byName[name] }

    /// Throws unless `json` is a value of this field written exactly as this program writes it.
    public func checkCanonical(_ json: String) throws {
        // Characters are never more than UTF-8 bytes: count them (grapheme by grapheme) only when the bytes are over.
        guard json.utf8.count <= maxJSONLength || json.count <= maxJSONLength else {
            throw FieldProblem.tooLong(max: maxJSONLength)
        }
        if canonicalEmptyValues.contains(json) { return }
        var content = ReportContent(category: .dynamic, title: "", body: "")
        do { try read(json, &content) } catch {
            throw FieldProblem.wrongType(expected: expected ?? (error as? DecodingError)?.readableDescription ?? "a valid value")
        }
        if plainIsCanonical, JSONCoding.plainString(json) != nil { return }
        let canonical = String(decoding: try encode(content, JSONCoding.encoder()), as: UTF8.self)
        guard canonical == json else { throw FieldProblem.notCanonical(canonical: canonical) }
    }

    /// What is wrong with one field's JSON text.
    public enum FieldProblem: Error, Equatable {
        case tooLong(max: Int)
        case wrongType(expected: String)
        case notCanonical(canonical: String)
    }

    private static func field<T: Codable & Sendable & Equatable>(
        _ name: String, _ path: WritableKeyPath<ReportContent, T> & Sendable, max: Int, expected: String? = nil
    ) -> ReportField {
        // Found once for the field's type: whether it can hold text, and its absent or empty value (`null`, `[]`).
        let textFree = T.self is TextFree.Type
        let emptiable = T.self as? EmptiableValue.Type
        let emptyValue = emptiable?.empty as? T
        return ReportField(
            name: name, maxJSONLength: max, encode: { content, encoder in try encoder.encode(content[keyPath: path]) },
            read: { json, content in
                // An absent or empty value (most fields of a draft) is read without a decoder.
                if let emptyValue, json == emptiable?.emptyJSON {
                    content[keyPath: path] = emptyValue
                } else {
                    content[keyPath: path] = try JSONCoding.value(T.self, from: json)
                }
            }, plainIsCanonical: false,
            expected: expected, differs: { $0[keyPath: path] != $1[keyPath: path] },
            holdsNUL: { content in
                // Nothing to look at in a value without text, or an absent or empty one; the rest is encoded.
                let value = content[keyPath: path]
                if textFree || value == emptyValue { return false }
                return ChangeShape.holdsNUL(try JSONCoding.string(value))
            })
    }

    /// A text field (`String` or `String?`): a plain literal is read without a JSON decoder.
    private static func text<T: Codable & Sendable>(
        _ name: String, _ path: WritableKeyPath<ReportContent, T> & Sendable, max: Int
    ) -> ReportField where T: TextFieldValue {
        let text: @Sendable (ReportContent) -> String? = { $0[keyPath: path].text }
        return ReportField(
            name: name, maxJSONLength: max, encode: { content, encoder in try encoder.encode(content[keyPath: path]) },
            read: { json, content in
                if let text = JSONCoding.literalText(json) { content[keyPath: path] = T(text: text) } else {
                    content[keyPath: path] = try JSONCoding.value(T.self, from: json)
                }
            }, plainIsCanonical: true, expected: nil,
            differs: { text($0) != text($1) },
            holdsNUL: { text($0)?.utf8.contains(0) ?? false })
    }

    /// A field that is one of an enumeration's values: a plain literal is read by its raw value.
    private static func choice<E: Codable & Sendable & CaseIterable & RawRepresentable>(
        _ name: String, _ path: WritableKeyPath<ReportContent, E> & Sendable, expected: String
    ) -> ReportField where E.RawValue == String {
        ReportField(
            name: name, maxJSONLength: 40, encode: { content, encoder in try encoder.encode(content[keyPath: path]) },
            read: { json, content in
                guard let raw = JSONCoding.plainString(json), let value = E(rawValue: raw) else {
                    throw ReportSyncError(.invalidInput, "\(name) must be \(expected)")
                }
                content[keyPath: path] = value
            }, plainIsCanonical: true, expected: expected, differs: { $0[keyPath: path] != $1[keyPath: path] }, holdsNUL: { _ in false })
    }

    private static func choices<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> String where E.RawValue == String {
        "one of " + E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
    }
}

/// The value of a text field, made from a plain string: `String` or `String?`.
protocol TextFieldValue {
    init(text: String)
    var text: String? { get }
}

extension String: TextFieldValue {
    init(text: String) { self = text }
    var text: String? { self }
}

extension Optional: TextFieldValue where Wrapped == String {
    init(text: String) { self = text }
    var text: String? { self }
}

/// A field value that holds no text at all (a time, a number, a choice): it cannot hold U+0000.
protocol TextFree {}

extension Date: TextFree {}
extension Int: TextFree {}
extension Disclosure: TextFree {}
extension Optional: TextFree where Wrapped: TextFree {}

/// A field value that may be absent or empty: `null` for an optional, `[]` for a list.
protocol EmptiableValue {
    /// The absent or empty value.
    static var empty: Self { get }
    /// Its JSON, exactly as this program writes it.
    static var emptyJSON: String { get }
}

extension Optional: EmptiableValue {
    static var empty: Self { .none }
    static var emptyJSON: String { "null" }
}

extension Array: EmptiableValue {
    static var empty: Self { [] }
    static var emptyJSON: String { "[]" }
}
