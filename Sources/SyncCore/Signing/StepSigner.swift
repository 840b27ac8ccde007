import Crypto
import Foundation

/// A person's unlocked private signing key: what a replica needs to record a step in their name.
/// Made by unlocking the key with the person's PIN (`SealedKey`), and forgotten when the command ends.
/// (Unchecked: swift-crypto's key is an immutable value that it does not mark `Sendable`.)
public struct StepSigner: @unchecked Sendable {
    /// The member the key belongs to.
    public let member: String
    private let privateKey: Curve25519.Signing.PrivateKey

    public init(member: String, privateKey: Curve25519.Signing.PrivateKey) {
        self.member = member
        self.privateKey = privateKey
    }

    /// The id of the key (`SigningKey.id`).
    public var keyID: String { SigningKey.id(of: privateKey.publicKey.rawRepresentation) }

    /// The registered form of the public half.
    public var publicKey: SigningKey { SigningKey(member: member, publicKey: privateKey.publicKey.rawRepresentation) }

    /// `change` signed, when it is a change that is signed (`StepVerification.isSignable`).
    public func sign(_ change: Change) throws -> Change {
        guard StepVerification.isSignable(change) else { return change }
        guard change.actor == member else {
            throw ReportSyncError(.forbidden, "the key of \(member) cannot sign a step taken as \(change.actor)")
        }
        var signed = change
        signed.signature = nil
        let value = try privateKey.signature(for: StepSignature.message(for: signed))
        signed.signature = StepSignature(key: keyID, value: value.base64EncodedString())
        return signed
    }
}
