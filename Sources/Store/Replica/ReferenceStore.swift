import Foundation
import GRDB
import SyncCore

/// Keeps reference data (units, members, policy, solicitations) as last-writer-wins records.
enum ReferenceStore {
    /// Stores the value `change` writes: the merge engine decided that it stands.
    static func save(_ change: Change, _ db: Database) throws {
        guard let id = ReferenceRecord.id(of: change.payload) else { return }
        switch change.payload {
        case .unit(let unit):
            let known = try OrgUnit.exists(db, key: unit.id)
            try unit.save(db)
            try keepSince(of: unit.id, from: change.hlc.date, new: known == false, db)
        case .member(let member): try member.save(db)
        case .policy(let policy):
            try db.executeCached(
                sql: "INSERT INTO policy_versions(effective_from, body) VALUES (?, ?) ON CONFLICT(effective_from) DO UPDATE SET body = excluded.body",
                arguments: [policy.effectiveFrom ?? "", try JSONCoding.string(policy)])
        case .solicitation(let s):
            try db.executeCached(
                sql: """
                    INSERT INTO solicitations(id, unit, deadline, body) VALUES (?, ?, ?, ?)
                    ON CONFLICT(id, unit) DO UPDATE SET deadline = excluded.deadline, body = excluded.body
                    """,
                arguments: [s.id, s.unit, s.deadline.millisecondsSince1970, try JSONCoding.string(s)])
        case .signingKey(let key):
            try db.executeCached(
                sql: """
                    INSERT INTO signing_keys(id, member, public_key, revoked_at, body) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET member = excluded.member, public_key = excluded.public_key,
                        revoked_at = excluded.revoked_at, body = excluded.body
                    """,
                arguments: [key.id, key.member, key.publicKey, key.revokedAt?.rawValue, try JSONCoding.string(key)])
        case .keyRequest:
            // Kept in the change log only: the central answers it with a `signingKey`.
            break
        case .reminder:
            // Kept in the change log only, read from there by its unit (`Replica.reminders`): written once.
            break
        case .content, .transition, .resolution, .void, .redaction: return
        }
        try db.executeCached(sql: """
                INSERT INTO reference_versions(record, hlc, replica, counter, digest) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(record) DO UPDATE SET hlc = excluded.hlc, replica = excluded.replica,
                    counter = excluded.counter, digest = excluded.digest
                """,
            arguments: [id, change.hlc.rawValue, change.dot.replica, change.dot.counter, StateDigest.hash(change)])
    }

    /// A unit's `since` is the stamp of the earliest definition of it this replica stored. A unit this
    /// replica held before it kept `since` (NULL) stays without one: it owes every period.
    static func keepSince(of unit: String, from stamp: Date, new: Bool, _ db: Database) throws {
        let sql = new
            ? "UPDATE units SET since = ? WHERE id = ?"
            : "UPDATE units SET since = ? WHERE id = ? AND since > ?"
        try db.executeCached(sql: sql, arguments: new ? [stamp, unit] : [stamp, unit, stamp])
    }
}
