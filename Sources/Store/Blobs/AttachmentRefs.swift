import GRDB
import SyncCore

/// The `attachment_refs` table: the files each report's attachments name now, kept with the report's
/// row. It answers what a replica must send or fetch and who may read a file, without decoding reports.
enum AttachmentRefs {
    /// Replaces what report `id` names with the files of its attachments' JSON (the winning value).
    static func save(report id: String, attachments json: String?, _ db: Database) throws {
        try db.executeCached(sql: "DELETE FROM attachment_refs WHERE report = ?", arguments: [id])
        // Most reports have no file: found without decoding.
        guard let json, json.contains("\"sha256\"") else { return }
        let attachments = (try? JSONCoding.value([Attachment].self, from: json)) ?? []
        for blob in Set(attachments.compactMap(\.blob)) {
            try db.executeCached(
                sql: "INSERT OR IGNORE INTO attachment_refs(report, hash, size, media_type) VALUES (?, ?, ?, ?)",
                arguments: [id, blob.hash.hex, blob.size, blob.mediaType])
        }
    }

    /// A row of `attachment_refs` (or of a query that selects `hash, size, media_type`) as a reference.
    static func reference(_ row: Row) -> BlobReference? {
        BlobHash(hex: row["hash"]).map { BlobReference(hash: $0, size: row["size"], mediaType: row["media_type"]) }
    }
}
