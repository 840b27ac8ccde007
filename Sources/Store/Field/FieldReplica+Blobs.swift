import GRDB
import SyncCore

/// What a field replica's files owe the central: the ones to send, the ones to fetch.
extension FieldReplica {
    /// Files this device holds that the central has not said it holds, named by reports that may
    /// cross the network (a secret report's files go by bundle), smallest first.
    public func filesToSend() throws -> [BlobReference] {
        try replica.read { db in try replica.networkFiles(where: Self.unsent, db) }
    }

    /// Files named by reports here that may cross the network and that this device does not hold yet,
    /// smallest first.
    public func filesToFetch() throws -> [BlobReference] {
        try replica.read { db in try replica.networkFiles(where: Self.missing, db) }
    }

    /// The condition on `blobs b` of a file held here and not at the central, and of one not held here.
    static let unsent = "b.hash IS NOT NULL AND b.at_central = 0"
    static let missing = "b.hash IS NULL"

    /// Notes that the central holds the whole file: it is not sent again.
    public func noteAtCentral(_ hash: BlobHash) throws {
        try replica.write { db in
            try db.execute(sql: "UPDATE blobs SET at_central = 1 WHERE hash = ?", arguments: [hash.hex])
        }
    }
}
