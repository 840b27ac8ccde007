import Foundation
import NIOCore
import NIOPosix
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
/// and the central lacks streams up from the byte the central says it holds, and each file a
/// report here names and this device lacks comes down from the byte its partial copy reached, smallest
/// first. A broken connection ends the transfer; the next round resumes every file where it stopped.
public enum FileTransfer {
    /// Bytes received per write on the device.
    public static let chunk = 4 << 20

    /// The name a field's downloads are kept under in its blob store (`BlobStore.append(from:)`).
    static let central = "central"

    /// Moves every file `field` owes the central or lacks; what went wrong with one file is a notice, and the others go on.
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
        guard store.contains(reference.hash) else {
            try field.replica.forgetHeld(reference.hash)
            summary.notices.append("file \(reference.hash.short) is no longer in \(store.directory) (put back without it?); it is fetched from the central when the central holds it")
            return
        }
        do {
            var status = try await client.uploadStatus(reference.hash)
            var retried = false
            while !status.complete {
                let from = status.received
                // Empty when every byte is there already: the request that settles the file.
                let count = min(reference.size - from, Int64(SyncProtocol.maxFileChunk))
                do {
                    status = try await client.upload(from: store.path(of: reference.hash), of: reference.hash, at: from, count: count)
                    summary.sentBytes += status.received - from
                } catch let error as ReportSyncError where error.code == .alreadyExists && !retried {
                    // The central's copy is elsewhere than this device thought: take its count again.
                    retried = true
                    status = try await client.uploadStatus(reference.hash)
                    continue
                }
                guard status.complete || status.received > from else {
                    throw ReportSyncError(.invalidInput, "the central took no byte of it from byte \(from); it is tried again at the next sync")
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
            var offset = store.received(reference.hash, from: Self.central)
            if offset < reference.size {
                // Written on NIO's blocking pool while the next piece arrives: one write in flight at most.
                var pending = ByteBuffer()
                var writing: Task<Int64, any Error>?
                func flush() async throws {
                    if let writing { offset = try await writing.value }
                    let bytes = pending
                    let at = offset
                    pending = ByteBuffer()
                    summary.fetchedBytes += Int64(bytes.readableBytes)
                    writing = Task {
                        do {
                            return try await NIOThreadPool.singleton.runIfActive {
                                try bytes.withUnsafeReadableBytes { try store.append($0, at: at, to: reference, from: Self.central) }
                            }
                        } catch let error as ReportSyncError { throw error } catch {
                            throw ReportSyncError(
                                .storage, "cannot write file \(reference.hash.short) into \(store.directory): is the disk full, or the folder not writable?")
                        }
                    }
                    // The next write starts where this one ends.
                    offset = at + Int64(bytes.readableBytes)
                }
                do {
                    try await client.download(reference.hash, size: reference.size, from: offset) { piece in
                        var piece = piece
                        pending.writeBuffer(&piece)
                        if pending.readableBytes >= chunk { try await flush() }
                    }
                    if pending.readableBytes > 0 { try await flush() }
                    if let writing { offset = try await writing.value }
                } catch let error as ReportSyncError where error.code == .unavailable {
                    // Keep what arrived, so that the next round starts after it.
                    if pending.readableBytes > 0 { try? await flush() }
                    _ = try? await writing?.value
                    throw error
                }
            }
            // A file of no bytes, or a partial copy full already (a crash before it was settled): settle it.
            if !store.contains(reference.hash), offset == reference.size {
                try store.append(Data(), at: offset, to: reference, from: Self.central)
            }
            guard store.contains(reference.hash) else {
                // An answer cut short: what came is kept, and the other files go on.
                summary.notices.append(
                    "file \(reference.hash.short): the answer ended at byte \(offset) of \(reference.size); the next sync goes on from the byte it reached")
                return
            }
            try field.replica.noteHeld(reference)
            try field.noteAtCentral(reference.hash)
            summary.fetched += 1
        } catch let error as ReportSyncError where error.code == .notFound {
            summary.waiting += 1
        } catch let error as ReportSyncError where error.code != .unavailable {
            store.discardPartial(reference.hash, from: Self.central)
            summary.notices.append("file \(reference.hash.short) was not fetched: \(error.message)")
        }
    }
}
