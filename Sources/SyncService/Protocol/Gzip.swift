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

    /// Decompresses one whole gzip member that ends exactly where the body ends: a body cut short (its
    /// trailer, which carries the checksum, never reached), one with bytes after its trailer, or one that
    /// inflates beyond `limit` bytes (a "zip bomb") is refused.
    static func decompress(_ buffer: ByteBuffer, limit: Int) throws -> ByteBuffer {
        var input = buffer
        var output = ByteBufferAllocator().buffer(capacity: min(limit, max(16 * 1024, input.readableBytes * 4)))
        do {
            let inflater = try ZlibDecompressor(algorithm: .gzip)
            var ended = false
            while !ended {
                let (read, written) = (input.readerIndex, output.writerIndex)
                do {
                    try inflater.inflate(from: &input, to: &output)
                    // A call that moves nothing returns only at the member's end (zlib's Z_STREAM_END).
                    ended = input.readerIndex == read && output.writerIndex == written
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    guard output.capacity < limit else { throw damaged("inflates beyond \(limit / 1024 / 1024) MiB; send fewer changes at a time") }
                    output.reserveCapacity(min(limit, output.capacity * 2))
                } catch let error as CompressNIOError where error == .inputBufferOverflow {
                    throw damaged("ends before its gzip trailer: it was cut short; send it again")
                }
            }
        } catch let error as ReportSyncError {
            throw error
        } catch {
            throw damaged("is not valid gzip (its data or checksum is damaged); send it again")
        }
        guard input.readableBytes == 0 else {
            throw damaged("has \(input.readableBytes) bytes after the end of its gzip data; send exactly one gzip member")
        }
        return output
    }

    private static func damaged(_ what: String) -> ReportSyncError {
        ReportSyncError(.malformed, "the gzip body \(what)")
    }
}
