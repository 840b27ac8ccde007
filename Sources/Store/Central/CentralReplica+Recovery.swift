import Foundation
import GRDB
import SyncCore

/// How the central keeps from losing what it acknowledged: what it holds per replica id (for the
/// fields' checks), the check that its file is still the one it opened, and `restore`.
extension CentralReplica {
    /// What the central holds, for `device`'s sync round (`CentralStanding`); `asked` are the replica
    /// ids the device wrote under.
    public func standing(for device: Enrollment, asking asked: [String] = []) throws -> CentralStanding {
        try checkFileInPlace()
        var standing = try replica.read { db in
            var standing = try CentralIncarnation.standing(for: device, asking: asked, db)
            standing.releases = try Declassifications.releases(forUnit: device.unit, db)
            return standing
        }
        standing.bundleKey = try bundleKey()
        return standing
    }

    /// The central's current incarnation.
    public func incarnation() throws -> String {
        try replica.read { db in try CentralIncarnation.incarnations(db).last?.id ?? "" }
    }

    /// Throws (`unavailable`) when the file this central opened was deleted, moved or replaced while it
    /// runs: what it wrote now would go into a file nobody will open again.
    public func checkFileInPlace() throws {
        guard let path = replica.path, let opened = openedAs else { return }
        let now = FileIdentity.of(path)
        guard now != opened else { return }
        let what = now == nil ? "was deleted or moved away" : "was replaced by another file"
        throw ReportSyncError(
            .unavailable,
            "the central's database \(path) \(what) while syncd was serving it; nothing more is taken. Put the file back (syncd restore --from BACKUP --db \(path)) and restart syncd serve")
    }
}

extension CentralReplica {
    /// What `restore` did.
    public struct Restored: Sendable, Equatable {
        /// Where the file that was at the central's path went (nothing is deleted), if there was one.
        public let replacedFileKeptAt: String?
        /// The restored central's new incarnation.
        public let incarnation: String
        /// Its highest central sequence: the fields pull again from there or before.
        public let base: Int64
    }

    /// Puts the central backup `backup` in use at `path` (syncd must not be serving `path`): the file
    /// there, if any, is moved aside with its journal, never deleted; the backup is copied into place
    /// whole and opened, which starts a new incarnation and a new epoch of the central's replica id. At
    /// their next sync the fields send again what this central lacks and pull again from its `base`.
    public static func restore(from backup: String, to path: String, now: @escaping @Sendable () -> Date = { Date() }) throws -> Restored {
        guard FileManager.default.fileExists(atPath: backup) else {
            throw ReportSyncError(.notFound, "no backup at \(backup); give the file syncd backup wrote")
        }
        var readOnly = Replica.configuration()
        readOnly.readonly = true
        do {
            try DatabaseQueue(path: backup, configuration: readOnly).read { db in
                try Replica.checkCompatible(db, path: backup)
                guard try Meta.role(db) == .central else {
                    throw ReportSyncError(.invalidInput, "\(backup) is not a backup of a central replica; restore a field replica by copying its backup over its file")
                }
            }
        } catch {
            if let error = error as? ReportSyncError { throw error }
            throw StoreErrors.translate(error, path: backup)
        }
        let staging = path + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        var keptAt: String?
        do {
            // One consistent copy of the backup, its write-ahead log included (a plain copy of the main
            // file alone would lose what the log still holds).
            try DatabaseQueue(path: backup, configuration: readOnly).inDatabase { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [staging])
            }
            let copy = try DatabaseQueue(path: staging, configuration: Replica.configuration())
            try copy.write { db in
                if try Meta.get(.backupOf, db) == nil { try Meta.set(.backupOf, "restored \(now().millisecondsSince1970)", db) }
            }
            try copy.close()
            // The old file and its journal, each on its own: a journal left beside the restored file
            // would be replayed onto it.
            let aside = "\(path).replaced-\(now().millisecondsSince1970)"
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                try FileManager.default.moveItem(atPath: path + suffix, toPath: aside + suffix)
                keptAt = aside
            }
            guard rename(staging, path) == 0 else {
                throw ReportSyncError(.storage, "cannot move the restored central into place at \(path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            if let error = error as? ReportSyncError { throw error }
            if let translated = StoreErrors.translate(error, path: path) as? ReportSyncError { throw translated }
            let where_ = keptAt.map { "; the file that was there is kept as \($0)" } ?? ""
            throw ReportSyncError(
                .storage, "cannot put \(backup) in place at \(path): check that the folder is writable and has room\(where_)")
        }
        let central = try CentralReplica.open(at: path, now: now)
        return try central.replica.read { db in
            let current = try CentralIncarnation.incarnations(db).last
            return Restored(replacedFileKeptAt: keptAt, incarnation: current?.id ?? "", base: current?.base ?? 0)
        }
    }
}
