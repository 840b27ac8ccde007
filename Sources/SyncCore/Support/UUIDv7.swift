import Foundation

/// Time-ordered identifiers (RFC 9562 version 7): they sort by creation time, which keeps SQLite's
/// primary-key index append-mostly.
public enum UUIDv7 {
    /// Whether `id` is written as this program writes a UUID: 8-4-4-4-12 lowercase hexadecimal digits
    /// (the form of every report id).
    public static func isWellFormed(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard bytes.count == 36 else { return false }
        return bytes.indices.allSatisfy { i in
            [8, 13, 18, 23].contains(i)
                ? bytes[i] == UInt8(ascii: "-") : (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(bytes[i])
        }
    }

    /// A new lowercase UUIDv7 string for the given time.
    public static func make(at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(at: date, using: &generator)
    }

    /// A new lowercase UUIDv7 string for the given time, drawing randomness from `generator`.
    public static func make(at date: Date, using generator: inout some RandomNumberGenerator) -> String {
        let ms = UInt64(max(0, date.millisecondsSince1970))
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: ms >> (8 * (5 - i))) }
        let random = (UInt64.random(in: .min ... .max, using: &generator), UInt64.random(in: .min ... .max, using: &generator))
        for i in 6..<16 {
            let source = i < 11 ? random.0 : random.1
            bytes[i] = UInt8(truncatingIfNeeded: source >> (8 * (i % 8)))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Hex.encode(bytes)
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }
}
