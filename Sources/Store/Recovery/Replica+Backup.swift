import Foundation
import GRDB
import SyncCore

/// Online, consistent backups of a replica file, safe to put back by construction: a file made here is
/// marked as a backup, and when it is put in use it takes a new replica id before it issues a dot
/// (`ReplicaEpoch`), so it can never reuse one its old self issued after the backup.
extension Replica {
    /// What a backup holds.
    public struct BackupInfo: Sendable, Equatable {
        public let path: String
        public let replicaID: String
        public let counter: Int64
        public let bytes: Int64
    }

    /// Writes a consistent copy of the replica to `target` while others may go on writing (SQLite's
    /// `VACUUM INTO`: one snapshot, compacted), marks it as a backup, and moves it into place whole, so
    /// that a failed backup never leaves a half-written file at `target`.
    public func backup(to target: String) throws -> BackupInfo {
        guard !FileManager.default.fileExists(atPath: target) else {
            throw ReportSyncError(.alreadyExists, "\(target) already exists; choose another --out (a backup never overwrites a file)")
        }
        let temporary = target + ".partial"
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            let (replicaID, counter) = try read { db in
                (try Meta.require(.replicaID, db), Int64(try Meta.require(.counter, db)) ?? 0)
            }
            _ = try writer.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [temporary]) }
            let copy = try DatabaseQueue(path: temporary, configuration: Self.configuration())
            try copy.write { db in
                // Whatever the snapshot says, the id and counter it was taken at are the ones in it.
                let id = try Meta.require(.replicaID, db)
                let at = try Meta.require(.counter, db)
                try Meta.set(.backupOf, "\(id) \(at) \(now().millisecondsSince1970)", db)
            }
            try copy.close()
            guard rename(temporary, target) == 0 else {
                throw ReportSyncError(.storage, "cannot move the backup into place at \(target): \(String(cString: strerror(errno)))")
            }
            let bytes = ((try? FileManager.default.attributesOfItem(atPath: target))?[.size] as? NSNumber)?.int64Value ?? 0
            return BackupInfo(path: target, replicaID: replicaID, counter: counter, bytes: bytes)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            if let error = error as? ReportSyncError { throw error }
            throw StoreErrors.translate(error, path: target)
        }
    }
}
