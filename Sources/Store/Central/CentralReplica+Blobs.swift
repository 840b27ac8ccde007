import GRDB
import SyncCore

/// Who may send and fetch which file at the central: a file is a report's, so it goes where the
/// report goes and nowhere else (docs/attachments.md).
extension CentralReplica {
    /// The file `hash` as a report `device` may hold names it: one of its unit's reports to send, one in
    /// its feed (its unit and the units below) to fetch — never one kept off the network. Throws
    /// `notFound` otherwise, the same answer whether the file exists or not, so a device learns nothing
    /// of other units' files.
    public func fileGrant(_ hash: BlobHash, for device: Enrollment, sending: Bool) throws -> BlobReference {
        let units = sending ? [device.unit] : try unitScope(of: device.unit).sorted()
        let found = try replica.read { db in
            let placeholders = Array(repeating: "?", count: units.count).joined(separator: ",")
            let offNetwork = try Replica.offNetwork(db, at: replica.now())
            return try Row.fetchOne(
                db,
                sql: """
                    SELECT a.hash, a.size, a.media_type
                    FROM attachment_refs a JOIN reports r ON r.id = a.report LEFT JOIN reports f ON f.id = r.follow_up_of
                    WHERE a.hash = ? AND r.unit IN (\(placeholders)) AND NOT \(OffNetworkSQL.report(offNetwork))
                    LIMIT 1
                    """,
                arguments: StatementArguments([hash.hex] + units.map { $0 as any DatabaseValueConvertible })
            ).flatMap(AttachmentRefs.reference)
        }
        guard let found else {
            throw ReportSyncError(
                .notFound,
                "no report this device may \(sending ? "send" : "read") names file \(hash.short) at the central (push the report first; a secret report's files go by bundle)")
        }
        return found
    }
}
