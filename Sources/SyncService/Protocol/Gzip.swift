import CompressNIO
import NIOCore
import SyncCore

/// gzip for request and response bodies: bodies over 1 KiB are compressed when the other side accepts it.
public enum Gzip {
    /// Bodies smaller than this go uncompressed: gzip's header would cost more than it saves.
    static let threshold = 1024

    /// `buffer` gzipped.
    public static func compress(_ buffer: ByteBuffer) throws -> ByteBuffer {
        var input = buffer
        return try input.compress(with: .gzip())
    }

    /// Decompresses a body, refusing one that inflates beyond `limit` bytes (a "zip bomb").
    static func decompress(_ buffer: ByteBuffer, limit: Int) throws -> ByteBuffer {
        var input = buffer
        do { return try input.decompress(with: .gzip(), maxSize: limit) } catch {
            throw ReportSyncError(
                .invalidInput, "the gzip body is damaged or inflates beyond \(limit / 1024 / 1024) MiB; send fewer changes at a time")
        }
    }
}
