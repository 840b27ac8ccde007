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
        /// Attachments' files removed (no report names them, and every device has pulled past the last
        /// change that did), and their bytes.
        public var filesRemoved = BlobTally()
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
        var done = Compaction(bytesBefore: before, bytesAfter: Self.bytes(of: replica.path), codesDropped: dropped)
        done.filesRemoved = try compactFiles()
        return done
    }

    /// Removes the attachments' files no report names now and no change names past the least pull
    /// cursor of the devices in force (one that never pulled counts as 0): a device still behind may
    /// yet ask for a file a change it has not pulled names.
    func compactFiles() throws -> BlobTally {
        guard let store = replica.blobStore else { return BlobTally() }
        let unnamed = try replica.read { db in
            let floor = try Int64.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(MIN(COALESCE(p.cursor, 0)), (SELECT COALESCE(MAX(seq), 0) FROM changes))
                    FROM enrollments e LEFT JOIN device_pulls p ON p.device = e.device WHERE e.revoked_at IS NULL
                    """) ?? 0
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT b.hash, b.size, '' AS media_type FROM blobs b
                    WHERE NOT EXISTS (SELECT 1 FROM attachment_refs a WHERE a.hash = b.hash)
                      AND NOT EXISTS (SELECT 1 FROM changes c WHERE c.seq > ? AND instr(c.body, b.hash) > 0)
                    """, arguments: [floor]
            ).compactMap(AttachmentRefs.reference)
        }
        for file in unnamed {
            try store.remove(file.hash)
            try replica.write { db in
                try db.execute(sql: "DELETE FROM blobs WHERE hash = ?", arguments: [file.hash.hex])
                try db.execute(sql: "DELETE FROM blob_sources WHERE hash = ?", arguments: [file.hash.hex])
            }
        }
        // What transfers left of files no report names any more, and stale temporary files.
        let named = try replica.read { db in Set(try String.fetchAll(db, sql: "SELECT DISTINCT hash FROM attachment_refs")) }
        _ = store.removeLeftovers { named.contains($0.hex) }
        return BlobTally(unnamed)
    }

    /// The size of the file and its write-ahead log.
    private static func bytes(of path: String?) -> Int64 {
        guard let path else { return 0 }
        return ["", "-wal"].reduce(0) { total, suffix in
            total + (((try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }
}
