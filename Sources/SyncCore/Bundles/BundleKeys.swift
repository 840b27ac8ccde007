import Crypto
import Foundation

/// The public half of a replica's bundle keys: the X25519 key a bundle is encrypted to and the
/// Ed25519 key that signs the bundles it writes (docs/bundles.md).
public struct BundlePublicKey: Codable, Sendable, Equatable {
    /// Raw X25519 public key, base64.
    public let agreement: String
    /// Raw Ed25519 public key, base64.
    public let signing: String

    public init(agreement: String, signing: String) {
        self.agreement = agreement
        self.signing = signing
    }

    /// A short name of the pair: the first 16 hex digits of the SHA-256 of both keys.
    public var id: String {
        Hex.encode(SHA256.hash(data: Data((agreement + "." + signing).utf8)).prefix(8))
    }

    /// The same keys, checked to be a pair of Curve25519 keys (a `malformed` error otherwise).
    public func checked() throws -> BundlePublicKey {
        _ = try decoded()
        return self
    }

    /// The keys as swift-crypto values, or an error that says the key is damaged.
    func decoded() throws -> (agreement: Curve25519.KeyAgreement.PublicKey, signing: Curve25519.Signing.PublicKey) {
        guard let a = Data(base64Encoded: agreement), let s = Data(base64Encoded: signing),
            let agreementKey = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: a),
            let signingKey = try? Curve25519.Signing.PublicKey(rawRepresentation: s)
        else {
            throw ReportSyncError(
                .malformed, "a bundle key is not a pair of Curve25519 keys; the bundle or the replica is damaged")
        }
        return (agreementKey, signingKey)
    }
}

/// A replica's private bundle keys: it opens the bundles written to it and signs the ones it writes.
/// Made once per replica file and kept in it. (Unchecked: swift-crypto's keys are immutable values it
/// does not mark `Sendable`.)
public struct BundleIdentity: @unchecked Sendable {
    let agreement: Curve25519.KeyAgreement.PrivateKey
    let signing: Curve25519.Signing.PrivateKey

    /// A new pair of keys.
    public init() {
        agreement = Curve25519.KeyAgreement.PrivateKey()
        signing = Curve25519.Signing.PrivateKey()
    }

    /// The keys as `stored` wrote them.
    public init(stored text: String) throws {
        let parts = text.split(separator: ".").map { Data(base64Encoded: String($0)) }
        guard parts.count == 2, let a = parts[0], let s = parts[1],
            let agreement = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: a),
            let signing = try? Curve25519.Signing.PrivateKey(rawRepresentation: s)
        else { throw ReportSyncError(.storage, "the replica's bundle keys are damaged; restore the file from a backup") }
        self.agreement = agreement
        self.signing = signing
    }

    /// The private keys as text, for the replica's settings.
    public var stored: String {
        agreement.rawRepresentation.base64EncodedString() + "." + signing.rawRepresentation.base64EncodedString()
    }

    /// What others encrypt to and verify with.
    public var publicKey: BundlePublicKey {
        BundlePublicKey(
            agreement: agreement.publicKey.rawRepresentation.base64EncodedString(),
            signing: signing.publicKey.rawRepresentation.base64EncodedString())
    }
}
