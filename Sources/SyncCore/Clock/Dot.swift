/// One write's identity: the replica that made it and that replica's counter at the time.
public struct Dot: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var replica: String
    public var counter: Int64

    public init(replica: String, counter: Int64) {
        self.replica = replica
        self.counter = counter
    }

    /// `replica:counter`, the compact text form.
    public var description: String { "\(replica):\(counter)" }

    public static func < (lhs: Dot, rhs: Dot) -> Bool {
        (lhs.replica, lhs.counter) < (rhs.replica, rhs.counter)
    }
}
