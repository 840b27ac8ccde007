import Foundation

/// The one JSON form of this project: sorted keys, dates as ISO 8601 UTC with milliseconds.
public enum JSONCoding {
    static let dateStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// An encoder for stored and printed JSON; `pretty` indents it for people.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(text(of: date))
        }
        return encoder
    }

    /// A date as ISO 8601 text with milliseconds, rounded to the nearest millisecond.
    ///
    /// The format style truncates, and a date read back from such text is often a hair below its
    /// millisecond, so formatting the raw value would turn `.123` into `.122` on the next round trip (a
    /// decline would no longer match the solicitation it declines). Formatting half a millisecond past the
    /// rounded value makes the truncation exact.
    public static func text(of date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        return Date(timeIntervalSince1970: (milliseconds + 0.5) / 1000).formatted(dateStyle)
    }

    /// A decoder that reads dates in any form `TimestampParser` takes, local times in `timeZone`.
    public static func decoder(timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            // The form this project writes, read fast; any other form people type, through the parser.
            // Its parse is off by a rounding step from whole milliseconds: snap it to the one value
            // every other reading of that text gives (`Date(millisecondsSince1970:)`).
            if let date = try? dateStyle.parse(text) { return Date(millisecondsSince1970: date.millisecondsSince1970) }
            guard let date = TimestampParser.parse(text, timeZone: timeZone) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not a date and time; write it like 2026-11-22T10:30 or 2026-11-22T10:30:00+08:00")
            }
            return date
        }
        return decoder
    }

    /// `value` as compact JSON text.
    public static func string(_ value: some Encodable) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    /// The string a JSON string literal holds (`"abc"` → `abc`); `nil` for `null` or no text.
    ///
    /// Read by hand because it runs for every report saved, where a `JSONDecoder` costs more than the save.
    public static func stringValue(_ json: String?) throws -> String? {
        guard let json, json != "null" else { return nil }
        let bytes = Array(json.utf8)
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") else {
            throw ReportSyncError(.invalidInput, "expected a JSON string, found \(json.prefix(40))")
        }
        let inner = bytes[1..<(bytes.count - 1)]
        guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
        return try JSONTree.parse(bytes)?.string ?? decoder().decode(String.self, from: Data(bytes))
    }

    /// The text of a JSON string literal, escapes and all, read without a decoder (`plainString`, else
    /// `JSONTree`), or `nil` for anything else or anything doubtful: exactly the text `JSONDecoder` reads.
    public static func literalText(_ json: String) -> String? {
        plainString(json) ?? JSONTree.parse(Array(json.utf8))?.string
    }

    /// The text of a JSON string literal that needs no escape at all (`"abc"` → `abc`), or `nil` for any
    /// other JSON. Such a literal is exactly what `string(_:)` writes for its text: the cheap way to read
    /// and check the commonest field values.
    public static func plainString(_ json: String) -> String? {
        let bytes = json.utf8
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") else { return nil }
        let inner = bytes.dropFirst().dropLast()
        guard !inner.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return nil }
        return String(inner)
    }

    /// A value read back from JSON text written by `string(_:)`.
    public static func value<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decoder().decode(type, from: Data(text.utf8))
    }
}
