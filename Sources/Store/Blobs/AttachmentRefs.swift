import GRDB
import SyncCore

/// The `attachment_refs` table: the files each report's attachments name now, kept with the report's
/// row. It answers what a replica must send or fetch and who may read a file, without decoding reports.
enum AttachmentRefs {
    /// Replaces what the report of `row` names with the files of its attachments (`ReportRow.files`).
    static func save(_ row: ReportRow, _ db: Database) throws {
        // Always cleared: a version that named a file can leave the record (a void), so its versions do
        // not tell whether rows remain (the property tests caught that shortcut).
        try db.executeCached(sql: "DELETE FROM attachment_refs WHERE report = ?", arguments: [row.id])
        for blob in row.files {
            try db.executeCached(
                sql: "INSERT OR IGNORE INTO attachment_refs(report, hash, size, media_type) VALUES (?, ?, ?, ?)",
                arguments: [row.id, blob.hash.hex, blob.size, blob.mediaType])
        }
    }

    /// The files named by the attachments' JSON (a report's winning value), each once, in hash order.
    static func files(named json: String?) -> [BlobReference] {
        // Most reports have none (`[]`); the search for the key runs for every other report saved.
        guard let json, json != "[]", json.contains(Self.fileKey) else { return [] }
        let attachments = (try? JSONCoding.value([Attachment].self, from: json)) ?? []
        return Set(attachments.compactMap(\.blob)).sorted { $0.hash.hex < $1.hash.hex }
    }

    /// The key an attachment names its file by, found in JSON without decoding it.
    static let fileKey = "\"sha256\""

    /// A row of `attachment_refs` (or of a query that selects `hash, size, media_type`) as a reference.
    static func reference(_ row: Row) -> BlobReference? {
        BlobHash(hex: row["hash"]).map { BlobReference(hash: $0, size: row["size"], mediaType: row["media_type"]) }
    }
}
