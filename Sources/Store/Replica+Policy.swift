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
        return try JSONCoding.value(Policy.self, from: json)
    }
}
