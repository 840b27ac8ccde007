import Crypto
import Foundation

/// A person's registered public signing key (Ed25519), as the central registered it: reference data
/// every replica holds, so that every replica can check who signed a step. Only the central writes
/// one; revoking it writes it again with `revokedAt` set (the later write wins).
public struct SigningKey: Codable, Sendable, Equatable {
    /// The key's id: the first 16 bytes of the SHA-256 of the public key, in hex.
    public var id: String
    /// The member whose steps it signs.
    public var member: String
    /// The raw 32-byte Ed25519 public key, base64.
    public var publicKey: String
    /// The clock stamp from which the key signs nothing: a step stamped at or after it is refused.
    public var revokedAt: HybridTimestamp?

    public init(member: String, publicKey: Data, revokedAt: HybridTimestamp? = nil) {
        id = Self.id(of: publicKey)
        self.member = member
        self.publicKey = publicKey.base64EncodedString()
        self.revokedAt = revokedAt
    }

    /// The id of the key with these raw public bytes.
    public static func id(of publicKey: Data) -> String {
        Hex.encode(SHA256.hash(data: publicKey).prefix(16))
    }

    /// The record a key is kept under.
    public var recordID: String { Self.recordID(of: id) }

    /// The record the key with this id is kept under.
    public static func recordID(of id: String) -> String { "key/\(id)" }

    /// The key's public bytes, if they are an Ed25519 public key whose id is `id`.
    public func verifyingKey() -> Curve25519.Signing.PublicKey? {
        guard let raw = Data(base64Encoded: publicKey), raw.count == 32, Self.id(of: raw) == id else { return nil }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }

    /// Whether a step stamped `hlc` falls after the key was revoked.
    public func isRevoked(at hlc: HybridTimestamp) -> Bool {
        guard let revokedAt else { return false }
        return hlc >= revokedAt
    }
}
