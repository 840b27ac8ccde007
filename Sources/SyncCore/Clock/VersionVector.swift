/// What a replica has seen of one record: for each replica that wrote to it, the highest counter seen.
///
/// A replica writes a record in counter order and sees its own writes, so `counters[r] = n` means
/// "every write of `r` to this record up to counter `n`". Encoded as a JSON object `{replica: counter}`.
public struct VersionVector: Codable, Sendable, Hashable {
    public private(set) var counters: [String: Int64]

    public init(_ counters: [String: Int64] = [:]) { self.counters = counters }

    /// Whether the write `dot` is included.
    @inlinable public func covers(_ dot: Dot) -> Bool { (counters[dot.replica] ?? 0) >= dot.counter }

    /// Whether everything `other` has seen is included.
    public func covers(_ other: VersionVector) -> Bool {
        other.counters.allSatisfy { (counters[$0.key] ?? 0) >= $0.value }
    }

    /// The entries of `other` not yet included, as the highest dot missing per replica.
    public func missing(from other: VersionVector) -> [Dot] {
        other.counters.compactMap { (counters[$0.key] ?? 0) >= $0.value ? nil : Dot(replica: $0.key, counter: $0.value) }
            .sorted()
    }

    /// Includes the write `dot`.
    public mutating func add(_ dot: Dot) {
        if (counters[dot.replica] ?? 0) < dot.counter { counters[dot.replica] = dot.counter }
    }

    public var isEmpty: Bool { counters.isEmpty }

    /// Checks that every entry names a replica and a positive counter.
    public func validate() throws {
        for (replica, counter) in counters where replica.isEmpty || counter <= 0 {
            throw ReportSyncError(
                .invalidInput, "malformed version vector: entry '\(replica)': \(counter) needs a replica id and a positive counter")
        }
    }

    public init(from decoder: any Decoder) throws {
        counters = try decoder.singleValueContainer().decode([String: Int64].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(counters)
    }
}
