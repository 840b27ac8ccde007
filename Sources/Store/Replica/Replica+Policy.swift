import Foundation
import GRDB
import SyncCore

/// The policy in force on a replica.
extension Replica {
    /// The policy in force (DOMAIN.md defaults until one is loaded).
    public func policy() throws -> Policy {
        try read { db in try Self.policy(db) }
    }

    /// Replaces the policy; it is validated first and recorded as a change.
    public func setPolicy(_ policy: Policy) throws {
        try policy.validate()
        try session { s in
            try Self.checkReferenceIsLocal(s.db)
            try s.commitLocal([Self.referenceChange(.policy(policy), unit: "*", s)])
        }
    }

    static func policy(_ db: Database) throws -> Policy {
        guard let json = try Meta.get(.policy, db) else { return .standard }
        if let known = DecodedPolicy.shared.policy(for: json) { return known }
        let policy = try JSONCoding.value(Policy.self, from: json)
        DecodedPolicy.shared.remember(policy, for: json)
        return policy
    }
}

/// The last policy decoded, by its JSON text: every write transaction reads the policy, which rarely changes.
private final class DecodedPolicy: @unchecked Sendable {
    static let shared = DecodedPolicy()
    private let lock = NSLock()
    private var json: String?
    private var value: Policy?

    func policy(for json: String) -> Policy? { lock.withLock { self.json == json ? value : nil } }

    func remember(_ policy: Policy, for json: String) { lock.withLock { (self.json, value) = (json, policy) } }
}
