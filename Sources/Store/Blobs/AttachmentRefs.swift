import GRDB
import SyncCore

/// The `attachment_refs` table: the files each report's attachments name now, kept with the report's
/// row. It answers what a replica must send or fetch and who may read a file, without decoding reports.
enum AttachmentRefs {
    /// Replaces what `record` names with the files of its attachments' JSON (the winning value).
    static func save(_ record: ReportRecord, attachments json: String?, _ db: Database) throws {
        // Always cleared: a version that named a file can leave the record (a void), so its versions do
        // not tell whether rows remain (the property tests caught that shortcut).
        let id = record.id
        try db.executeCached(sql: "DELETE FROM attachment_refs WHERE report = ?", arguments: [id])
        guard let json, json.contains(Self.fileKey) else { return }
        let attachments = (try? JSONCoding.value([Attachment].self, from: json)) ?? []
        for blob in Set(attachments.compactMap(\.blob)) {
            try db.executeCached(
                sql: "INSERT OR IGNORE INTO attachment_refs(report, hash, size, media_type) VALUES (?, ?, ?, ?)",
                arguments: [id, blob.hash.hex, blob.size, blob.mediaType])
        }
    }

    /// The key an attachment names its file by, found in JSON without decoding it.
    static let fileKey = "\"sha256\""

    /// A row of `attachment_refs` (or of a query that selects `hash, size, media_type`) as a reference.
    static func reference(_ row: Row) -> BlobReference? {
        BlobHash(hex: row["hash"]).map { BlobReference(hash: $0, size: row["size"], mediaType: row["media_type"]) }
    }
}
