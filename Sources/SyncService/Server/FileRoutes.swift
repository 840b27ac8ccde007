import Foundation
import Hummingbird
import NIOPosix
import Store
import SyncCore

/// The routes that move attachments' files (docs/attachments.md): a field streams a file up from the
/// byte the central says its own partial copy holds, so a cut-off transfer resumes where it stopped; a
/// field fetches one whole or from a byte on (`Range`). A file goes only where a report that names it
/// goes, and only once a unit that may read it sent its bytes: naming a hash is not having the file.
extension CentralServer {
    static func addFileRoutes(to router: Router<BasicRequestContext>, store: any CentralStore) {
        router.get("/v1/blobs/:hash/upload") { request, context in
            let device = try await authenticate(request, store)
            let grant = try await grant(context, store, device, sending: true)
            let files = try await storeCall { try store.fileStore() }
            return try json(status(grant, device, files))
        }

        router.put("/v1/blobs/:hash") { request, context in
            let device = try await authenticate(request, store)
            let grant = try await grant(context, store, device, sending: true)
            let reference = grant.reference
            let files = try await storeCall { try store.fileStore() }
            let offset = try query(request, "offset", default: -1)
            guard (0...reference.size).contains(offset) else {
                throw APIError(
                    .badRequest, code: "invalid-input",
                    "say where these bytes start, from 0 to the file's \(reference.size) bytes: ?offset=N (GET /v1/blobs/HASH/upload gives N)")
            }
            if grant.supplied, files.contains(reference.hash) { return try json(status(grant, device, files)) }
            // Written as it streams in, a MiB at a time: a connection that breaks keeps what arrived.
            var received = offset
            var pending = ByteBuffer()
            func write() async throws {
                let bytes = pending
                pending = ByteBuffer()
                received = try await storeCall {
                    try await NIOThreadPool.singleton.runIfActive { [received] in
                        try bytes.withUnsafeReadableBytes { try files.append($0, at: received, to: reference, from: device.device) }
                    }
                }
            }
            for try await piece in request.body {
                guard Int64(pending.readableBytes + piece.readableBytes) <= Int64(SyncProtocol.maxFileChunk) - (received - offset) else {
                    throw APIError(
                        .contentTooLarge, code: "too-large", "send at most \(SyncProtocol.maxFileChunk / 1024 / 1024) MiB of a file a request")
                }
                pending.writeImmutableBuffer(piece)
                if pending.readableBytes >= 1 << 20 { try await write() }
            }
            // An empty last request settles a partial file that holds every byte already.
            if pending.readableBytes > 0 || received == offset { try await write() }
            let whole = received == reference.size
            if whole { try await storeCall { try await store.noteFileStored(reference, from: device) } }
            return try json(FileUploadStatus(hash: reference.hash.hex, size: reference.size, received: received, complete: whole))
        }

        router.get("/v1/blobs/:hash") { request, context in
            let device = try await authenticate(request, store)
            let reference = try await grant(context, store, device, sending: false).reference
            let files = try await storeCall { try store.fileStore() }
            guard let size = files.size(of: reference.hash) else {
                throw APIError(
                    .notFound, code: "not-yet",
                    "the central does not hold file \(reference.hash.short) yet: the device that attached it has not sent it all; it comes with a later sync")
            }
            let start = try rangeStart(request, size: size)
            var headers: HTTPFields = [.contentType: reference.mediaType, .acceptRanges: "bytes"]
            guard size > 0 else { return Response(status: .ok, headers: headers) }
            let body = try await FileIO().loadFile(
                path: files.path(of: reference.hash), range: Int(start)...Int(size - 1), context: context, chunkLength: 1 << 20)
            headers[.contentLength] = String(size - start)
            guard start > 0 else { return Response(status: .ok, headers: headers, body: body) }
            headers[.contentRange] = "bytes \(start)-\(size - 1)/\(size)"
            return Response(status: .partialContent, headers: headers, body: body)
        }
    }

    /// The file the path's hash names, as the device may send or fetch it.
    private static func grant(
        _ context: BasicRequestContext, _ store: any CentralStore, _ device: Enrollment, sending: Bool
    ) async throws -> FileGrant {
        let text = context.parameters.get("hash") ?? ""
        guard let hash = BlobHash(hex: text) else {
            throw APIError(.badRequest, code: "invalid-input", "'\(text.prefix(80))' is not a file's SHA-256: 64 hex digits")
        }
        return try await storeCall { try await store.fileGrant(hash, for: device, sending: sending) }
    }

    /// How much of the file the central holds for this device: all of it once its unit sent it, else
    /// what this device's own partial copy holds (another unit's copy does not count: it must send
    /// the bytes itself, which proves it has them).
    private static func status(_ grant: FileGrant, _ device: Enrollment, _ files: BlobStore) -> FileUploadStatus {
        let reference = grant.reference
        if grant.supplied, files.contains(reference.hash) {
            return FileUploadStatus(hash: reference.hash.hex, size: reference.size, received: reference.size, complete: true)
        }
        return FileUploadStatus(
            hash: reference.hash.hex, size: reference.size, received: files.received(reference.hash, from: device.device), complete: false)
    }

    /// Where a `Range: bytes=N-` asks the file to start (0 without one); a range past the end, or of
    /// another form, is refused.
    private static func rangeStart(_ request: Request, size: Int64) throws -> Int64 {
        guard let range = request.headers[.range] else { return 0 }
        guard range.hasPrefix("bytes="), range.hasSuffix("-"), let start = Int64(range.dropFirst(6).dropLast()), start >= 0, start < max(size, 1)
        else {
            throw APIError(.rangeNotSatisfiable, code: "invalid-input", "ask for 'Range: bytes=N-' with N below the file's \(size) bytes")
        }
        return start
    }
}
