import Foundation
import Hummingbird
import NIOPosix
import Store
import SyncCore

/// The routes that move attachments' files (docs/attachments.md): a field sends a file in chunks, each
/// at the offset the central says it holds, so a cut-off transfer resumes where it stopped; a field
/// fetches one whole or from a byte on (`Range`). A file goes only where a report that names it goes.
extension CentralServer {
    static func addFileRoutes(to router: Router<BasicRequestContext>, store: any CentralStore) {
        router.get("/v1/blobs/:hash/upload") { request, context in
            let device = try await authenticate(request, store)
            let reference = try await grant(context, store, device, sending: true)
            return try json(try await status(reference, store))
        }

        router.put("/v1/blobs/:hash") { request, context in
            let device = try await authenticate(request, store)
            let reference = try await grant(context, store, device, sending: true)
            let offset = try query(request, "offset", default: -1)
            guard offset >= 0 else {
                throw APIError(.badRequest, code: "invalid-input", "say where these bytes start: ?offset=N (GET /v1/blobs/HASH/upload gives N)")
            }
            let files = try await storeCall { try store.fileStore() }
            // Written as it streams in, a MiB at a time: a connection that breaks keeps what arrived.
            var received = offset
            var pending = ByteBuffer()
            func write() async throws {
                let bytes = pending
                pending = ByteBuffer()
                received = try await storeCall {
                    try await NIOThreadPool.singleton.runIfActive { [received] in
                        try bytes.withUnsafeReadableBytes { try files.append($0, at: received, to: reference) }
                    }
                }
            }
            for try await piece in request.body {
                guard received + Int64(pending.readableBytes + piece.readableBytes) - offset <= SyncProtocol.maxFileChunk else {
                    throw APIError(
                        .contentTooLarge, code: "too-large", "send at most \(SyncProtocol.maxFileChunk / 1024 / 1024) MiB of a file a request")
                }
                pending.writeImmutableBuffer(piece)
                if pending.readableBytes >= 1 << 20 { try await write() }
            }
            if pending.readableBytes > 0 || received == offset { try await write() }
            if received == reference.size { try await storeCall { try await store.noteFileStored(reference) } }
            return try json(FileUploadStatus(hash: reference.hash.hex, size: reference.size, received: received))
        }

        router.get("/v1/blobs/:hash") { request, context in
            let device = try await authenticate(request, store)
            let reference = try await grant(context, store, device, sending: false)
            let files = try await storeCall { try store.fileStore() }
            guard files.contains(reference.hash) else {
                throw APIError(
                    .notFound, code: "not-yet",
                    "the central does not hold file \(reference.hash.short) yet: the device that attached it has not sent it all; it comes with a later sync")
            }
            let start = try rangeStart(request, size: reference.size)
            var headers: HTTPFields = [.contentType: reference.mediaType, .acceptRanges: "bytes"]
            guard reference.size > 0 else { return Response(status: .ok, headers: headers) }
            let body = try await FileIO().loadFile(
                path: files.path(of: reference.hash), range: Int(start)...Int(reference.size - 1), context: context, chunkLength: 1 << 20)
            headers[.contentLength] = String(reference.size - start)
            guard start > 0 else { return Response(status: .ok, headers: headers, body: body) }
            headers[.contentRange] = "bytes \(start)-\(reference.size - 1)/\(reference.size)"
            return Response(status: .partialContent, headers: headers, body: body)
        }
    }

    /// The file the path's hash names, as the device may send or fetch it.
    private static func grant(
        _ context: BasicRequestContext, _ store: any CentralStore, _ device: Enrollment, sending: Bool
    ) async throws -> BlobReference {
        let text = context.parameters.get("hash") ?? ""
        guard let hash = BlobHash(hex: text) else {
            throw APIError(.badRequest, code: "invalid-input", "'\(text.prefix(80))' is not a file's SHA-256: 64 hex digits")
        }
        return try await storeCall { try await store.fileGrant(hash, for: device, sending: sending) }
    }

    private static func status(_ reference: BlobReference, _ store: any CentralStore) async throws -> FileUploadStatus {
        let files = try await storeCall { try store.fileStore() }
        return FileUploadStatus(hash: reference.hash.hex, size: reference.size, received: files.received(reference.hash))
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
