import GRDB
import SyncCore

/// What the central grants a device for a file: the file as a report names it, and whether the
/// device's unit already supplied its bytes over the network.
public struct FileGrant: Sendable, Equatable {
    public let reference: BlobReference
    /// For sending: whether the device's unit sent these bytes over the network before (nothing to send).
    public let supplied: Bool

    public init(reference: BlobReference, supplied: Bool) {
        self.reference = reference
        self.supplied = supplied
    }
}

/// Who may send and fetch which file at the central: a file is a report's, so it goes where the
/// report goes and nowhere else, and only once a unit that may read it has sent its bytes
/// (docs/attachments.md).
extension CentralReplica {
    /// The channel a unit supplied a file's bytes by.
    public enum FileChannel: String, Sendable {
        case network, bundle
    }

    /// The file `hash` as `device` may send it (one of its unit's reports names it) or fetch it (a report
    /// in its feed — its unit and the units below — names it, and a unit in that scope sent its bytes
    /// over the network): never a file only reports kept off the network name. Throws `notFound`
    /// otherwise, the same answer whether the file exists or not, so a device learns nothing of files
    /// it may not read; knowing a hash is not having the file.
    public func fileGrant(_ hash: BlobHash, for device: Enrollment, sending: Bool) throws -> FileGrant {
        let units = sending ? [device.unit] : try unitScope(of: device.unit).sorted()
        let found: FileGrant? = try replica.read { db in
            let placeholders = Array(repeating: "?", count: units.count).joined(separator: ",")
            let withHash = StatementArguments([hash.hex] + units)
            let offNetwork = try Replica.offNetwork(db, at: replica.now())
            // The size a stored file has wins over what a report says of it.
            guard
                let reference = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT a.hash, COALESCE(b.size, a.size) AS size, a.media_type
                        FROM attachment_refs a JOIN reports r ON r.id = a.report LEFT JOIN reports f ON f.id = r.follow_up_of
                        LEFT JOIN blobs b ON b.hash = a.hash
                        WHERE a.hash = ? AND r.unit IN (\(placeholders)) AND NOT \(OffNetworkSQL.report(offNetwork))
                        ORDER BY r.id LIMIT 1
                        """, arguments: withHash
                ).flatMap(AttachmentRefs.reference)
            else { return nil }
            let supplied =
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM blob_sources WHERE hash = ? AND channel = 'network' AND unit IN (\(placeholders))",
                    arguments: withHash) ?? false
            guard sending || supplied else { return nil }
            return FileGrant(reference: reference, supplied: supplied)
        }
        guard let found else { throw Self.fileNotGranted(hash, sending: sending) }
        return found
    }

    /// The answer when a device may not send or fetch file `hash`: the same whether the file exists or not.
    public static func fileNotGranted(_ hash: BlobHash, sending: Bool) -> ReportSyncError {
        ReportSyncError(
            .notFound,
            "no report this device may \(sending ? "send" : "read") names file \(hash.short) at the central, or its bytes have not come yet (push the report first; a secret report's files go by bundle)")
    }

    /// Notes that `unit`'s device supplied the whole file, verified, by `channel`.
    public func noteFileSupplied(_ reference: BlobReference, by unit: String, channel: FileChannel) throws {
        try replica.noteHeld(reference)
        try noteSource(reference.hash, unit: unit, channel: channel)
    }

    func noteSource(_ hash: BlobHash, unit: String, channel: FileChannel) throws {
        try replica.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO blob_sources(hash, unit, channel) VALUES (?, ?, ?)", arguments: [hash.hex, unit, channel.rawValue])
        }
    }
}
