import SyncCore

/// A change as this replica's log holds it: its local sequence number and where it came from.
public struct StoredChange: Sendable, Equatable {
    /// Where a change entered this replica.
    public typealias Origin = ChangeOrigin

    /// The local sequence number, in the order the replica took its changes in.
    public let seq: Int64
    public let origin: Origin
    public let change: Change
}
