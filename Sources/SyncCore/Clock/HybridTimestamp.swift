import Foundation

/// A hybrid logical clock stamp: wall-clock milliseconds and a logical counter, packed in one
/// sortable 64-bit integer (48 bits of milliseconds, 16 bits of counter).
public struct HybridTimestamp: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: Int64

    static let logicalBits: Int64 = 16
    static let logicalMask: Int64 = (1 << logicalBits) - 1

    public init(rawValue: Int64) { self.rawValue = rawValue }

    public init(wallMilliseconds: Int64, logical: Int64) {
        rawValue = (wallMilliseconds << Self.logicalBits) | (logical & Self.logicalMask)
    }

    public var wallMilliseconds: Int64 { rawValue >> Self.logicalBits }
    public var logical: Int64 { rawValue & Self.logicalMask }
    /// The wall-clock part as a date.
    public var date: Date { Date(timeIntervalSince1970: Double(wallMilliseconds) / 1000) }

    public static let zero = HybridTimestamp(rawValue: 0)

    public static func < (lhs: HybridTimestamp, rhs: HybridTimestamp) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "\(wallMilliseconds).\(logical)" }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension Date {
    /// Milliseconds since 1970, rounded to the nearest millisecond, so that a date made from milliseconds gives them back exactly.
    public var millisecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    /// The date at a whole number of milliseconds since 1970.
    public init(millisecondsSince1970 ms: Int64) { self.init(timeIntervalSince1970: Double(ms) / 1000) }
}
