import Foundation

/// The clear part of a bundle file: what it is, who wrote it and to whom, and each recipient's copy of
/// the payload key (docs/bundles.md). It reveals no report text; it is covered by the signature and is
/// the associated data of the payload's encryption.
public struct BundleHeader: Codable, Sendable, Equatable {
    /// Which way a bundle goes.
    public enum Direction: String, Codable, Sendable {
        /// From a field device to the central (`FieldBundle`).
        case toCentral = "to-central"
        /// From the central to a unit's devices (`UnitBundle`).
        case toUnit = "to-unit"
    }

    /// The payload key sealed to one recipient with HPKE.
    public struct Recipient: Codable, Sendable, Equatable {
        /// `BundlePublicKey.id` of the recipient.
        public let key: String
        /// HPKE's encapsulated key, base64.
        public let encapsulated: String
        /// The payload key sealed to the recipient, base64.
        public let sealedKey: String
    }

    /// The file format's version.
    public let format: Int
    /// A UUIDv7: importing a bundle twice is refused by it.
    public let id: String
    public let direction: Direction
    /// When the bundle was written, in milliseconds since 1970.
    public let createdAt: Int64
    /// The writer's public keys: the signature is checked with its signing key.
    public let sender: BundlePublicKey
    public let recipients: [Recipient]
}
