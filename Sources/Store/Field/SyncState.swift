import Foundation

/// Where a field replica stands with its central: its outbox, the last sync, and what is waiting.
public struct SyncState: Sendable, Equatable, Codable {
    public let centralURL: String?
    /// The highest central sequence applied here.
    public let pullCursor: Int64
    /// Local changes in the outbox ready for the next push (what the daemon wakes up for).
    public let outgoing: Int
    /// Local changes held in the outbox because their report is secret.
    public let heldSecret: Int
    /// The reports those held changes belong to.
    public let heldSecretReports: Int
    /// Received changes waiting for their causes.
    public let waiting: Int
    /// Local changes the central refused.
    public let rejectedByCentral: Int
    public let lastSyncAt: Date?
    public let lastError: String?
    /// The last time this replica took a new replica id, and why (`ReplicaEpoch`).
    public let lastEpoch: Epoch?
    /// Attachments' files this device holds and the central does not yet (`FieldReplica.filesToSend`).
    public var filesToSend = BlobTally()
    /// Attachments' files reports here name that this device does not hold yet.
    public var filesToFetch = BlobTally()

    /// One change of replica id.
    public struct Epoch: Sendable, Equatable, Codable {
        public let at: Date
        public let old: String
        public let new: String
        public let reason: String
    }
}
