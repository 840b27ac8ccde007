import Crypto
import Foundation

/// The content address of an attachment's bytes: their SHA-256. The same photo attached twice is one
/// blob; a blob whose bytes do not hash to its address is never stored.
public struct BlobHash: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 32 bytes of the digest as 64 lowercase hex digits.
    public let hex: String

    /// The hash written as 64 hex digits (either case); nil for anything else.
    public init?(hex text: String) {
        let lower = text.lowercased()
        guard lower.utf8.count == 64, lower.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        hex = lower
    }

    /// The hash of a finished SHA-256.
    public init(digest: SHA256.Digest) {
        hex = Hex.encode(digest)
    }

    /// The address of `bytes`.
    public static func of(_ bytes: some DataProtocol) -> BlobHash {
        BlobHash(digest: SHA256.hash(data: bytes))
    }

    public var description: String { hex }
    /// The first twelve digits, which is how a person reads and types one.
    public var short: String { String(hex.prefix(12)) }

    public static func < (lhs: BlobHash, rhs: BlobHash) -> Bool { lhs.hex < rhs.hex }
}

/// What a report's change says of an attachment's bytes: their address, size and media type.
public struct BlobReference: Hashable, Sendable {
    public let hash: BlobHash
    public let size: Int64
    public let mediaType: String

    public init(hash: BlobHash, size: Int64, mediaType: String) {
        self.hash = hash
        self.size = size
        self.mediaType = mediaType
    }
}
