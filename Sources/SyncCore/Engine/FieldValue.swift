/// One value of one content field, with the write that put it there.
public struct FieldValue: Codable, Sendable, Equatable {
    /// The value as JSON text.
    public let value: String
    public let dot: Dot
    public let hlc: HybridTimestamp
    public let actor: String

    public init(value: String, dot: Dot, hlc: HybridTimestamp, actor: String) {
        self.value = value
        self.dot = dot
        self.hlc = hlc
        self.actor = actor
    }

    /// The deterministic rule between two concurrent values: the later clock stamp wins; on equal
    /// stamps the higher replica id, then the higher counter.
    public func beats(_ other: FieldValue) -> Bool {
        (hlc, dot.replica, dot.counter) > (other.hlc, other.dot.replica, other.dot.counter)
    }

    /// Why `winner` beat `loser`, in words for the conflict record.
    static func rule(winner: FieldValue, loser: FieldValue) -> String {
        if winner.hlc != loser.hlc { return "later-clock-wins" }
        if winner.dot.replica != loser.dot.replica { return "equal-clock-higher-replica-wins" }
        return "equal-clock-higher-counter-wins"
    }
}
