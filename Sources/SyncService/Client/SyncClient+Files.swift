import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SyncCore

/// The file routes of the sync API, from the field's side (docs/attachments.md).
extension SyncClient {
    /// How much of file `hash` the central holds.
    public func uploadStatus(_ hash: BlobHash) async throws -> FileUploadStatus {
        try await fileAnswer(request(.GET, "/v1/blobs/\(hash.hex)/upload"))
    }

    /// Sends `count` bytes of file `hash` from `path`, starting at `offset`, streamed as they are read;
    /// returns how much the central then holds.
    public func upload(from path: String, of hash: BlobHash, at offset: Int64, count: Int64) async throws -> FileUploadStatus {
        var request = request(.PUT, "/v1/blobs/\(hash.hex)?offset=\(offset)")
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.body = .stream(FileChunks(path: path, offset: offset, count: count), length: .known(count))
        return try await fileAnswer(request, deadline: Self.transferDeadline(count))
    }

    /// Time enough for `bytes` over a poor link (a minute, plus a second per 256 KiB).
    static func transferDeadline(_ bytes: Int64) -> TimeAmount {
        .seconds(60 + bytes / (256 << 10))
    }

    /// Fetches file `hash` from byte `offset` on, handing each piece to `take` as it arrives.
    public func download(_ hash: BlobHash, size: Int64, from offset: Int64, into take: (ByteBuffer) async throws -> Void) async throws {
        var request = request(.GET, "/v1/blobs/\(hash.hex)")
        if offset > 0 { request.headers.add(name: "Range", value: "bytes=\(offset)-") }
        let response: HTTPClientResponse
        do { response = try await http.execute(request, deadline: .now() + Self.transferDeadline(size - offset)) } catch { throw unreachable(error) }
        guard (200..<300).contains(response.status.code) else {
            let bytes = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
            try Self.check(response, body: bytes)
            return
        }
        guard offset == 0 || response.status == .partialContent else {
            throw ReportSyncError(.unavailable, "the central sent file \(hash.short) from its start when asked from byte \(offset)")
        }
        do {
            for try await piece in response.body { try await take(piece) }
        } catch let error as ReportSyncError {
            throw error
        } catch {
            throw unreachable(error)
        }
    }

    private func fileAnswer(_ request: HTTPClientRequest, deadline: TimeAmount? = nil) async throws -> FileUploadStatus {
        let bytes: ByteBuffer
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: deadline ?? timeout)
            bytes = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw unreachable(error)
        }
        try Self.check(response, body: bytes)
        do { return try JSONCoding.decoder().decode(FileUploadStatus.self, from: Data(buffer: bytes)) } catch {
            throw ReportSyncError(.unavailable, "the central at \(baseURL) answered something this ReportSync cannot read; check both versions")
        }
    }
}

/// A span of a file read a MiB at a time as the request body asks for it (never the whole in memory).
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String
    let offset: Int64
    let count: Int64

    struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle?
        var left: Int64

        mutating func next() async throws -> ByteBuffer? {
            guard left > 0 else { return nil }
            guard let handle, let data = try handle.read(upToCount: Int(Swift.min(left, 1 << 20))), !data.isEmpty else {
                throw ReportSyncError(.storage, "an attachment's file ended early while it was sent: was it changed in the replica's .blobs folder?")
            }
            left -= Int64(data.count)
            return ByteBuffer(bytes: data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        let handle = FileHandle(forReadingAtPath: path)
        try? handle?.seek(toOffset: UInt64(offset))
        return AsyncIterator(handle: handle, left: count)
    }
}
