import Foundation
import GRDB
import SyncCore

/// Attachments' files in bundles (docs/attachments.md): a bundle carries the files of the reports it
/// carries, and an import keeps only files its reports name, each checked against its address first.
extension Replica {
    /// The files this replica holds that `reports` name, read whole; with `unconfirmed`, only those the
    /// central has not said it holds (a field's bundle).
    func bundledFiles(of reports: Set<String>, unconfirmed: Bool) throws -> [BundledFile] {
        guard !reports.isEmpty, let store = blobStore else { return [] }
        let hashes = try read { db in
            let placeholders = Array(repeating: "?", count: reports.count).joined(separator: ",")
            return try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT a.hash FROM attachment_refs a JOIN blobs b ON b.hash = a.hash
                    WHERE a.report IN (\(placeholders)) \(unconfirmed ? "AND b.at_central = 0" : "") ORDER BY a.hash
                    """, arguments: StatementArguments(reports.sorted()))
        }
        return try hashes.compactMap(BlobHash.init(hex:)).map { hash in
            guard let bytes = FileManager.default.contents(atPath: store.path(of: hash)) else {
                throw ReportSyncError(.storage, "the file \(hash.short) is missing from \(store.directory); nothing was exported")
            }
            return BundledFile(sha256: hash.hex, bytes: bytes)
        }
    }

    /// Refuses a bundle whose files are not what their addresses say, before anything of it is taken.
    public static func checkBundled(_ files: [BundledFile]) throws {
        for file in files {
            guard let hash = BlobHash(hex: file.sha256), BlobHash.of(file.bytes) == hash else {
                throw ReportSyncError(.malformed, "a file in the bundle does not hash to its address \(file.sha256.prefix(12)); nothing was imported")
            }
        }
    }

    /// Keeps the bundled files that reports of `units` (any report when nil) here name, at the size they
    /// name; returns their addresses. Any other file is left out: a bundle cannot bring bytes nobody
    /// asked for.
    func keepBundled(_ files: [BundledFile], units: Set<String>?) throws -> [BlobHash] {
        guard !files.isEmpty else { return [] }
        let store = try requireBlobStore()
        var kept: [BlobHash] = []
        for file in files {
            guard let hash = BlobHash(hex: file.sha256) else { continue }
            let named = try read { db in
                try Row.fetchAll(
                    db, sql: "SELECT a.size, a.media_type, r.unit FROM attachment_refs a JOIN reports r ON r.id = a.report WHERE a.hash = ?",
                    arguments: [hash.hex])
            }.first { row in units.map { $0.contains(row["unit"] as String) } ?? true }
            guard let named, named["size"] as Int64 == Int64(file.bytes.count) else { continue }
            try store.put(file.bytes, as: hash)
            try noteHeld(BlobReference(hash: hash, size: named["size"], mediaType: named["media_type"]))
            kept.append(hash)
        }
        return kept
    }
}
