import Foundation

/// Where a field replica stands with its central: cursors, the last sync, and what is waiting.
public struct SyncState: Sendable, Equatable, Codable {
    public let centralURL: String?
    /// The highest local sequence the central has answered for.
    public let pushCursor: Int64
    /// The highest central sequence applied here.
    public let pullCursor: Int64
    /// Local changes not yet answered by the central.
    public let outgoing: Int
    /// Received changes waiting for their causes.
    public let waiting: Int
    /// Local changes the central refused.
    public let rejectedByCentral: Int
    public let lastSyncAt: Date?
    public let lastError: String?
}
