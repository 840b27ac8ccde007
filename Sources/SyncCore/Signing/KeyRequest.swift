import Foundation

/// A device's request that the central register a person's new public key, proved by the one-time
/// code the central issued for that person. The central answers it with a `SigningKey` of its own.
public struct KeyRequest: Codable, Sendable, Equatable {
    /// The id of the key asked for (`SigningKey.id(of:)` of `publicKey`).
    public var key: String
    /// The member whose key it is (the request's actor).
    public var member: String
    /// The raw 32-byte Ed25519 public key, base64.
    public var publicKey: String
    /// `InviteCode.proof` over the member and the key, in hex.
    public var proof: String

    public init(key: String, member: String, publicKey: String, proof: String) {
        self.key = key
        self.member = member
        self.publicKey = publicKey
        self.proof = proof
    }

    /// The record a request is kept under.
    public var recordID: String { "key-request/\(key)" }

    /// The key the request asks for, as the central registers it.
    public var signingKey: SigningKey? {
        let key = SigningKey(member: member, publicKey: Data(base64Encoded: publicKey) ?? Data())
        return key.id == self.key && key.verifyingKey() != nil ? key : nil
    }
}
