import GRDB
import SyncCore

/// Keeps reference data (units, members, policy, solicitations) as last-writer-wins records.
enum ReferenceStore {
    /// Stores the value `change` writes: the merge engine decided that it stands.
    static func save(_ change: Change, _ db: Database) throws {
        guard let id = ReferenceRecord.id(of: change.payload) else { return }
        switch change.payload {
        case .unit(let unit): try unit.save(db)
        case .member(let member): try member.save(db)
        case .policy(let policy): try Meta.set(.policy, JSONCoding.string(policy), db)
        case .solicitation(let s):
            try db.executeCached(
                sql: """
                    INSERT INTO solicitations(id, unit, deadline, body) VALUES (?, ?, ?, ?)
                    ON CONFLICT(id, unit) DO UPDATE SET deadline = excluded.deadline, body = excluded.body
                    """,
                arguments: [s.id, s.unit, s.deadline.millisecondsSince1970, try JSONCoding.string(s)])
        case .content, .transition, .resolution, .void: return
        }
        try db.executeCached(sql: """
                INSERT INTO reference_versions(record, hlc, replica, counter, digest) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(record) DO UPDATE SET hlc = excluded.hlc, replica = excluded.replica,
                    counter = excluded.counter, digest = excluded.digest
                """,
            arguments: [id, change.hlc.rawValue, change.dot.replica, change.dot.counter, StateDigest.hash(change)])
    }
}
