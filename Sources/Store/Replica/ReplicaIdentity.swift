import Foundation
import SyncCore

/// Who a replica is: its id (minted at init, never reused), the unit it serves, and when it was made.
public struct ReplicaIdentity: Codable, Sendable, Equatable {
    public let replicaID: String
    public let unit: OrgUnit
    public let createdAt: Date
    /// Ids this file wrote under before it was copied or restored; new writes never reuse them.
    public let previousReplicaIDs: [String]
}
