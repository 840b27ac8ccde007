import Foundation
import PostgresNIO
import Store
import SyncCore

/// Key codes and key revocation at a central on PostgreSQL (`syncd member invite`, `revoke-key`), as at
/// a SQLite central (`CentralReplica+Keys`): the same rules, the revocations made by the same engine.
extension PostgresCentral {
    /// A one-time code with which `member` registers a key set up on a device (`report-cli key setup`).
    public static func invite(member: String, days: Int, at address: PostgresAddress) async throws -> (code: String, expires: Date) {
        let validity = try KeyInvitations.validity(days: days)
        let code = InviteCode.make()
        let now = Date()
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            guard try await db.rows("SELECT EXISTS (SELECT 1 FROM members WHERE id = $1)", [member], as: Bool.self).first == true else {
                throw Replica.unknownMember(member)
            }
            try await db.run(
                "INSERT INTO key_invites (secret, member, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                [
                    ByteBuffer(bytes: InviteCode.secret(of: InviteCode.normalized(code)!)), member, now.millisecondsSince1970,
                    now.addingTimeInterval(validity).millisecondsSince1970,
                ])
        }
        return (code, now.addingTimeInterval(validity))
    }

    /// Revokes every key of `member` in force (or only the one whose id starts with `keyID`): steps they
    /// sign from now on are refused everywhere; steps signed before still verify. Returns the keys revoked.
    public static func revokeKeys(of member: String, keyID: String?, at address: PostgresAddress) async throws -> [SigningKey] {
        try CentralReplica.checkKeyPrefix(keyID)
        return try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            return try await db.transaction { db in
                let state = try await db.lockForWrite()
                guard let unit = try await db.rows("SELECT unit FROM members WHERE id = $1", [member], as: String.self).first else {
                    throw Replica.unknownMember(member)
                }
                let inForce = try await db.rows(
                    "SELECT body FROM signing_keys WHERE member = $1 AND revoked_at IS NULL", [member], as: String.self
                ).map { try JSONCoding.value(SigningKey.self, from: $0) }
                let revoked = try await PostgresApply.run(db, state, now: Date(), asking: []) { engine in
                    try CentralReplica.revoke(inForce, of: member, keyID: keyID, unit: unit, on: engine)
                }
                // A code not yet used would let whoever holds it register a new key for the person revoked.
                try await db.run("DELETE FROM key_invites WHERE member = $1 AND redeemed_key IS NULL", [member])
                return revoked
            }
        }
    }
}
