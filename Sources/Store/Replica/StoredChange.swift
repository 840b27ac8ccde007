import SyncCore

/// A change as this replica's log holds it: its local sequence number and where it came from.
public struct StoredChange: Sendable, Equatable {
    /// Where a change entered this replica.
    public enum Origin: String, Sendable {
        /// Made by a person on this replica.
        case local
        /// Received from another replica (sync or bundle).
        case remote
    }

    /// The local sequence number; sync pushes everything after the last acknowledged one.
    public let seq: Int64
    public let origin: Origin
    public let change: Change
}
