import Foundation
import GRDB
import SyncCore

/// An attachment of a report with whether its file is in this replica's blob store.
public struct AttachmentFile: Sendable, Equatable {
    public let attachment: Attachment
    /// Whether the whole file is here (always false for an attachment that names no file).
    public let held: Bool
}

/// An attachment whose file is in this replica's blob store, and where.
public struct StoredFile: Sendable, Equatable {
    public let attachment: Attachment
    public let reference: BlobReference
    /// The file in the blob store (read it, never write it).
    public let path: String
}

/// How many files, of how many bytes in all.
public struct BlobTally: Sendable, Equatable, Codable {
    public var files = 0
    public var bytes: Int64 = 0

    public init(_ references: [BlobReference] = []) {
        files = references.count
        bytes = references.reduce(0) { $0 + $1.size }
    }
}

/// Attachments' files (docs/attachments.md): copied into the replica's blob store when attached, sent
/// and fetched apart from the reports' changes, and read back out.
extension Replica {
    /// The blob store beside the replica file; nil for a replica in memory.
    public var blobStore: BlobStore? { path.map(BlobStore.beside(replicaAt:)) }

    func requireBlobStore() throws -> BlobStore {
        guard let blobStore else { throw ReportSyncError(.invalidInput, "a replica in memory keeps no files; attach files to a replica file") }
        return blobStore
    }

    /// Copies the file at `source` into the blob store and returns the attachment that names it.
    public func storeFile(at source: String, name: String, caption: String?, mediaType: String) throws -> Attachment {
        let (hash, size) = try requireBlobStore().add(fileAt: source)
        try noteHeld(BlobReference(hash: hash, size: size, mediaType: mediaType))
        // Attached again: ask the central again (it may have removed the file since).
        try write { db in try db.execute(sql: "UPDATE blobs SET at_central = 0 WHERE hash = ?", arguments: [hash.hex]) }
        return Attachment(name: name, caption: caption, blob: BlobReference(hash: hash, size: size, mediaType: mediaType))
    }

    /// Notes that the whole blob is in the store (after a copy or a transfer).
    public func noteHeld(_ reference: BlobReference) throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO blobs(hash, size, stored_at) VALUES (?, ?, ?)",
                arguments: [reference.hash.hex, reference.size, now().millisecondsSince1970])
        }
    }

    /// Notes that a file is not in the store after all (a replica file put back without its `.blobs`
    /// folder): it is fetched again like any file this replica lacks.
    public func forgetHeld(_ hash: BlobHash) throws {
        try write { db in try db.execute(sql: "DELETE FROM blobs WHERE hash = ?", arguments: [hash.hex]) }
    }

    /// Report `id`'s attachments, each with whether its file is here.
    public func attachmentFiles(of idOrPrefix: String) throws -> [AttachmentFile] {
        let report = try report(idOrPrefix)
        let held = try read { db in Set(try String.fetchAll(db, sql: "SELECT hash FROM blobs")) }
        return report.content.attachments.map { AttachmentFile(attachment: $0, held: $0.blob.map { held.contains($0.hash.hex) } ?? false) }
    }

    /// The file of report `id`'s attachment `name` in the blob store, or why it cannot be read here.
    public func storedFile(of idOrPrefix: String, named name: String) throws -> StoredFile {
        let report = try report(idOrPrefix)
        guard let attachment = report.content.attachments.first(where: { $0.name == name }) else {
            let names = report.content.attachments.map(\.name)
            throw ReportSyncError(
                .notFound,
                "report \(report.id) has no attachment named '\(name)'" + (names.isEmpty ? "" : "; it has: \(names.joined(separator: ", "))"))
        }
        guard let blob = attachment.blob else {
            throw ReportSyncError(.notFound, "attachment '\(name)' was recorded by name alone by an older ReportSync: no file of it exists")
        }
        let store = try requireBlobStore()
        guard store.contains(blob.hash) else {
            throw ReportSyncError(
                .notFound, "the file of '\(name)' (\(blob.size.bytesText)) is not on this replica yet: it comes with a sync (report-cli sync) or a bundle")
        }
        return StoredFile(attachment: attachment, reference: blob, path: store.path(of: blob.hash))
    }

    /// Refuses a local write whose new attachments name files this replica does not hold: only a file
    /// attached here (or received) can be sent on.
    static func checkFilesHeld(_ attachments: [Attachment], before: [Attachment], _ db: Database) throws {
        let had = Set(before.compactMap(\.sha256))
        for attachment in attachments {
            guard let blob = attachment.blob, !had.contains(blob.hash.hex) else { continue }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM blobs WHERE hash = ?", arguments: [blob.hash.hex]) == true else {
                throw ReportSyncError(
                    .invalidInput,
                    "attachment '\(attachment.name)' names a file (\(blob.hash.short)) this replica does not hold: attach the file itself with --attach FILE")
            }
        }
    }

    /// Every report's files as `attachment_refs` holds them (for the tests' check of the index).
    func indexedFiles() throws -> [String: Set<String>] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT report, hash FROM attachment_refs").reduce(into: [:]) {
                $0[$1["report"] as String, default: []].insert($1["hash"])
            }
        }
    }

    /// The files named by reports that may cross the network, in the condition `held` on `b` (a LEFT
    /// JOIN of `blobs`), smallest first: a big video never holds up the photos behind it.
    func networkFiles(where held: String, _ db: Database) throws -> [BlobReference] {
        let offNetwork = try Replica.offNetwork(db, at: now())
        return try Row.fetchAll(
            db,
            sql: """
                SELECT a.hash, MAX(a.size) AS size, MIN(a.media_type) AS media_type
                FROM attachment_refs a JOIN reports r ON r.id = a.report LEFT JOIN reports f ON f.id = r.follow_up_of
                LEFT JOIN blobs b ON b.hash = a.hash
                WHERE NOT \(OffNetworkSQL.report(offNetwork)) AND \(held)
                GROUP BY a.hash ORDER BY size, a.hash
                """
        ).compactMap(AttachmentRefs.reference)
    }
}
