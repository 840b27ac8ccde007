import Foundation

/// A person's Ed25519 signature over one workflow step or conflict resolution (or the central's over
/// one of its refusals): over the whole change
/// as this program writes it (`message(for:)`), so over the report, the step, the content version the
/// person saw, the actor, the dot and the clock stamp.
public struct StepSignature: Codable, Sendable, Equatable {
    /// The id of the signing key (`SigningKey.id`).
    public var key: String
    /// The 64-byte signature, base64.
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// The bytes a step's signature covers: a fixed prefix and the canonical JSON of the change without
    /// its signature.
    public static func message(for change: Change) -> Data {
        var unsigned = change
        unsigned.signature = nil
        return Data("reportsync-step-v1\n".utf8) + Data(unsigned.canonicalJSON.utf8)
    }
}

extension Change {
    /// The signature a step, a resolution or a central's refusal carries (other changes carry none).
    public var signature: StepSignature? {
        get {
            switch payload {
            case .transition(let step): step.signature
            case .resolution(let step): step.signature
            case .void(let marker): marker.signature
            default: nil
            }
        }
        set {
            switch payload {
            case .transition(var step):
                step.signature = newValue
                payload = .transition(step)
            case .resolution(var step):
                step.signature = newValue
                payload = .resolution(step)
            case .void(var marker):
                marker.signature = newValue
                payload = .void(marker)
            default: break
            }
        }
    }
}
