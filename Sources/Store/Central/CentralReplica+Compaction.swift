import Foundation
import GRDB
import SyncCore

/// `syncd compact`: what the central may reclaim, and what it never trims.
extension CentralReplica {
    /// What `compact` did.
    public struct Compaction: Sendable, Equatable {
        public let bytesBefore: Int64
        public let bytesAfter: Int64
        /// One-time key codes dropped: used, or expired.
        public let codesDropped: Int
    }

    /// Reclaims what nobody needs any more while the central keeps serving: the free pages rewritten
    /// records leave (`VACUUM`), the write-ahead log, and one-time key codes used or expired. The change
    /// log, the changes waiting for their causes and the refusals are never trimmed: the log is the
    /// evidence of who did what (DOMAIN.md, "The approval workflow") and every device's feed, so a device
    /// however late — or enrolled tomorrow — is served from it; a waiting change waits until its causes
    /// come; a refusal stays to be inspected (`report-cli conflicts`).
    public func compact() throws -> Compaction {
        let before = Self.bytes(of: replica.path)
        let dropped = try replica.write { db in
            try db.execute(
                sql: "DELETE FROM key_invites WHERE redeemed_key IS NOT NULL OR expires_at < ?",
                arguments: [replica.now().millisecondsSince1970])
            return db.changesCount
        }
        do {
            try replica.writer.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
        } catch {
            throw StoreErrors.translate(error, path: replica.path)
        }
        try replica.checkpoint()
        return Compaction(bytesBefore: before, bytesAfter: Self.bytes(of: replica.path), codesDropped: dropped)
    }

    /// The size of the file and its write-ahead log.
    private static func bytes(of path: String?) -> Int64 {
        guard let path else { return 0 }
        return ["", "-wal"].reduce(0) { total, suffix in
            total + (((try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }
}
