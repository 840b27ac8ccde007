import Foundation
import NIOCore
import Store
import SyncCore

/// What one sync round moved of attachments' files.
public struct FileTransferSummary: Codable, Sendable, Equatable {
    /// Files that reached the central whole in this round, and the bytes this round sent of all files.
    public var sent = 0
    public var sentBytes: Int64 = 0
    /// Files that arrived here whole in this round, and the bytes this round received of all files.
    public var fetched = 0
    public var fetchedBytes: Int64 = 0
    /// Files that could not move yet: the central has no report of this device's that names them, or
    /// does not hold the file yet. They go with a later round.
    public var waiting = 0
    /// What went wrong, one line each.
    public var notices: [String] = []

    public init() {}
}

/// Moves attachments' files after a round's changes (docs/attachments.md): each file this device holds
/// and the central lacks goes up in chunks from the byte the central says it holds, and each file a
/// report here names and this device lacks comes down from the byte its partial copy reached, smallest
/// first. A broken connection ends the transfer; the next round resumes every file where it stopped.
public enum FileTransfer {
    /// Bytes sent per request.
    public static let chunk = 1 << 20

    public static func run(_ field: FieldReplica, client: SyncClient) async throws -> FileTransferSummary {
        var summary = FileTransferSummary()
        guard let store = field.replica.blobStore else { return summary }
        do {
            for reference in try field.filesToSend() { try await send(reference, from: store, field, client, &summary) }
            for reference in try field.filesToFetch() { try await fetch(reference, into: store, field, client, &summary) }
        } catch let error as ReportSyncError where error.code == .unavailable {
            summary.notices.append("files: \(error.message); the next sync goes on from the byte each file reached")
        }
        return summary
    }

    private static func send(
        _ reference: BlobReference, from store: BlobStore, _ field: FieldReplica, _ client: SyncClient, _ summary: inout FileTransferSummary
    ) async throws {
        do {
            var status = try await client.uploadStatus(reference.hash)
            var retried = false
            while status.received < reference.size {
                let bytes = try read(store.path(of: reference.hash), at: status.received, count: chunk)
                do {
                    status = try await client.upload(bytes, of: reference.hash, at: status.received)
                    summary.sentBytes += Int64(bytes.count)
                } catch let error as ReportSyncError where error.code == .alreadyExists && !retried {
                    // Another device of the unit sends the same file: take the central's count again.
                    retried = true
                    status = try await client.uploadStatus(reference.hash)
                }
            }
            try field.noteAtCentral(reference.hash)
            summary.sent += 1
        } catch let error as ReportSyncError where error.code == .notFound {
            summary.waiting += 1
        } catch let error as ReportSyncError where error.code != .unavailable {
            summary.notices.append("file \(reference.hash.short) was not sent: \(error.message)")
        }
    }

    private static func fetch(
        _ reference: BlobReference, into store: BlobStore, _ field: FieldReplica, _ client: SyncClient, _ summary: inout FileTransferSummary
    ) async throws {
        do {
            var offset = store.received(reference.hash)
            if offset < reference.size {
                var pending = Data()
                func flush() throws {
                    offset = try store.append(pending, at: offset, to: reference)
                    summary.fetchedBytes += Int64(pending.count)
                    pending.removeAll(keepingCapacity: true)
                }
                do {
                    try await client.download(reference.hash, from: offset) { piece in
                        pending.append(contentsOf: piece.readableBytesView)
                        if pending.count >= chunk { try flush() }
                    }
                    if !pending.isEmpty { try flush() }
                } catch let error as ReportSyncError where error.code == .unavailable {
                    // Keep what arrived, so that the next round starts after it.
                    if !pending.isEmpty { try? flush() }
                    throw error
                }
            }
            guard store.contains(reference.hash) else {
                throw ReportSyncError(.unavailable, "the central ended file \(reference.hash.short) at byte \(offset) of \(reference.size)")
            }
            try field.replica.noteHeld(reference)
            try field.noteAtCentral(reference.hash)
            summary.fetched += 1
        } catch let error as ReportSyncError where error.code == .notFound {
            summary.waiting += 1
        } catch let error as ReportSyncError where error.code != .unavailable {
            store.discardPartial(reference.hash)
            summary.notices.append("file \(reference.hash.short) was not fetched: \(error.message)")
        }
    }

    /// Up to `count` bytes of the file at `path` from `offset`.
    private static func read(_ path: String, at offset: Int64, count: Int) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ReportSyncError(.storage, "cannot read \(path), the file of an attachment: was the replica's .blobs folder moved?")
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        return try handle.read(upToCount: count) ?? Data()
    }
}
