/// What the central holds, as a field device asks at the start of every sync round
/// (`GET /v1/standing`): enough for the device to find out, by knowledge rather than by file identity,
/// whether its own file or the central's was put back from an older copy (`FieldRecovery`).
public struct CentralStanding: Codable, Sendable, Equatable {
    /// One replica id and the highest dot counter of it the central holds (applied, waiting or refused).
    public struct Held: Codable, Sendable, Equatable {
        public let replica: String
        public let counter: Int64

        public init(replica: String, counter: Int64) {
            self.replica = replica
            self.counter = counter
        }
    }

    /// The central's incarnation: a new one whenever its store was restored, replaced or re-created.
    public let incarnation: String
    /// The central sequence the incarnation began at: every incarnation's feed is the same up to it.
    public let base: Int64
    /// The highest central sequence now.
    public let top: Int64
    /// The device's own replica ids (every one bound to it) with what the central holds of each.
    public let device: [Held]
    /// The central's own replica ids, current and earlier, with what it holds of each.
    public let central: [Held]

    public init(incarnation: String, base: Int64, top: Int64, device: [Held], central: [Held]) {
        self.incarnation = incarnation
        self.base = base
        self.top = top
        self.device = device
        self.central = central
    }

    /// The highest counter of `replica` the central holds, 0 for none.
    public func counter(of replica: String) -> Int64 {
        (device + central).first { $0.replica == replica }?.counter ?? 0
    }
}
