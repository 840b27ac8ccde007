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

    /// Sends `bytes` of file `hash` starting at `offset`; returns how much the central then holds.
    public func upload(_ bytes: Data, of hash: BlobHash, at offset: Int64) async throws -> FileUploadStatus {
        var request = request(.PUT, "/v1/blobs/\(hash.hex)?offset=\(offset)")
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.body = .bytes(ByteBuffer(bytes: bytes))
        return try await fileAnswer(request)
    }

    /// Fetches file `hash` from byte `offset` on, handing each piece to `take` as it arrives.
    public func download(_ hash: BlobHash, from offset: Int64, into take: (ByteBuffer) throws -> Void) async throws {
        var request = request(.GET, "/v1/blobs/\(hash.hex)")
        if offset > 0 { request.headers.add(name: "Range", value: "bytes=\(offset)-") }
        let response: HTTPClientResponse
        do { response = try await http.execute(request, timeout: timeout) } catch { throw unreachable(error) }
        guard (200..<300).contains(response.status.code) else {
            let bytes = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
            try Self.check(response, body: bytes)
            return
        }
        guard offset == 0 || response.status == .partialContent else {
            throw ReportSyncError(.unavailable, "the central sent file \(hash.short) from its start when asked from byte \(offset)")
        }
        do {
            for try await piece in response.body { try take(piece) }
        } catch let error as ReportSyncError {
            throw error
        } catch {
            throw unreachable(error)
        }
    }

    private func fileAnswer(_ request: HTTPClientRequest) async throws -> FileUploadStatus {
        let bytes: ByteBuffer
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout)
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
