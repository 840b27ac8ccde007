import SyncCore

/// The central's answer for one pushed change: what the central store returns and the field reads.
public struct PushResult: Codable, Sendable, Equatable {
    /// What became of the change at the central replica.
    public enum Status: String, Codable, Sendable {
        /// Merged into the central replica.
        case accepted
        /// The central already had it.
        case duplicate
        /// Held at the central until what it depends on arrives.
        case waiting
        /// Not taken: with it the report would be secret at the central. Nothing of it was kept there;
        /// it stays in the device's outbox (`reason` says why).
        case held
        /// Refused; `reason` says why and what to do.
        case rejected
        /// Not taken: the central holds a different change under this dot, or under an earlier dot of
        /// the same replica id in this push. The device's file is an older copy of itself (a backup
        /// put back with its machine); nothing of it was kept, and the device issues the change again
        /// under a new replica id (`FieldReplica.reissueTakenDots`).
        case dotTaken = "dot-taken"
    }

    public let dot: Dot
    public let status: Status
    public let reason: String?

    public init(dot: Dot, status: Status, reason: String? = nil) {
        self.dot = dot
        self.status = status
        self.reason = reason
    }

    /// The answer for an apply outcome.
    public init(dot: Dot, outcome: ApplyOutcome) {
        switch outcome {
        case .applied: self.init(dot: dot, status: .accepted)
        case .duplicate: self.init(dot: dot, status: .duplicate)
        case .waiting: self.init(dot: dot, status: .waiting)
        case .rejected(let error): self.init(dot: dot, status: .rejected, reason: error.message)
        }
    }
}
