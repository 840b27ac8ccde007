import Foundation
import Store
import SyncCore

/// The policy at a central on PostgreSQL (`report-cli policy show|load|history --db postgres://…`): a new
/// version is checked by the same rule as on a file (`Replica.policyVersion`) and written by the same
/// engine under the feed's lock, so every device gets it with its next pull.
extension PostgresCentral {
    /// The policy in force at `date` (now by default) at the central.
    public static func policy(on date: Date = Date(), at address: PostgresAddress) async throws -> Policy {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            return try await db.policy(at: date)
        }
    }

    /// Every version loaded, oldest effective day first.
    public static func policyHistory(at address: PostgresAddress) async throws -> [Policy] {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            return try await db.rows("SELECT body FROM policy_versions ORDER BY effective_from COLLATE \"C\"", as: String.self)
                .map(Replica.decodedPolicy)
        }
    }

    /// Records a new version of the policy, loaded by `admin`, in force from `effectiveFrom` (today when nil).
    @discardableResult
    public static func setPolicy(_ policy: Policy, effectiveFrom: CalendarDay?, by admin: String, at address: PostgresAddress) async throws -> Policy {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            return try await db.transaction { db in
                let state = try await db.lockForWrite()
                let now = Date()
                let version = try Replica.policyVersion(
                    policy, effectiveFrom: effectiveFrom, by: admin, member: try await db.members([admin]).first, now: now)
                try await PostgresApply.run(db, state, now: now, asking: []) { engine in
                    try engine.commitLocal([Replica.referenceChange(.policy(version), unit: "*", engine: engine)])
                }
                return version
            }
        }
    }
}
