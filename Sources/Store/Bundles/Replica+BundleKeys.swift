import Foundation
import GRDB
import SyncCore

/// A replica's own bundle keys, made the first time they are needed and kept in the file.
extension Replica {
    /// This replica's private bundle keys; made now if the file has none yet.
    func bundleIdentity() throws -> BundleIdentity {
        if let stored = try read({ db in try Meta.get(.bundleKeys, db) }) { return try BundleIdentity(stored: stored) }
        return try write { db in
            if let stored = try Meta.get(.bundleKeys, db) { return try BundleIdentity(stored: stored) }
            let identity = BundleIdentity()
            try Meta.set(.bundleKeys, identity.stored, db)
            return identity
        }
    }

    /// Bundle ids this replica imported, and when.
    static func importedAt(bundle id: String, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT imported_at FROM imported_bundles WHERE id = ?", arguments: [id])
    }

    /// Records that the bundle `header` names was imported (once: a second import running at the same
    /// time took the same changes, which are idempotent).
    static func recordImport(of header: BundleHeader, changes: Int, at millis: Int64, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO imported_bundles(id, sender, changes, imported_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
            arguments: [header.id, header.sender.id, changes, millis])
    }

    /// The refusal of a bundle imported before.
    public static func importedBefore(_ header: BundleHeader, at millis: Int64) -> ReportSyncError {
        ReportSyncError(
            .alreadyExists,
            "bundle \(header.id) was already imported here on \(JSONCoding.text(of: Date(millisecondsSince1970: millis))); nothing was changed"
        )
    }
}
