import Foundation
import SyncCore

/// A member's signing key as a replica knows it: registered at the central (or only asked for), and
/// whether its private half is on this device.
public struct KeyInfo: Sendable, Equatable, Codable {
    /// Where a key stands.
    public enum Status: String, Sendable, Codable {
        /// Registered and in force.
        case active
        /// Registered, then revoked.
        case revoked
        /// Set up on this device; the central has not registered it yet (it will on the next sync).
        case awaitingRegistration = "awaiting-registration"
        /// Set up on this device; the central refused to register it (`refusal` says why).
        case refused
    }

    /// The key's id (`SigningKey.id`).
    public let id: String
    /// The member whose key it is.
    public let member: String
    public let status: Status
    /// Whether the private key is on this device (sealed under its owner's PIN).
    public let onThisDevice: Bool
    /// When the central revoked it.
    public let revokedAt: Date?
    /// Why the central refused to register it.
    public let refusal: String?

    /// A key set up and registered at the central itself, in force.
    public static func registeredHere(_ id: String, of member: String) -> KeyInfo {
        KeyInfo(id: id, member: member, status: .active, onThisDevice: true, revokedAt: nil, refusal: nil)
    }
}
