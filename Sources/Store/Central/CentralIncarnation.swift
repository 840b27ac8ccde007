import Foundation
import GRDB
import SyncCore

/// The central's incarnation: an id that changes whenever its store is restored, replaced or
/// re-created (a new epoch of the central's replica id starts one), with the central sequence it began
/// at. A field that meets a new incarnation sends again what the central may have lost and pulls again
/// from that sequence (`FieldRecovery`).
enum CentralIncarnation {
    /// Starts a new incarnation at the central's current highest sequence.
    static func renew(_ db: Database) throws {
        try Meta.set(.incarnation, UUIDv7.make(at: Date()), db)
        try Meta.set(.incarnationBase, String(try topSequence(db)), db)
    }

    /// Gives a central from before incarnations its first one.
    static func ensure(_ db: Database) throws {
        if try Meta.get(.incarnation, db) == nil { try renew(db) }
    }

    static func topSequence(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM changes") ?? 0
    }

    /// What the central holds for `device`'s sync round.
    static func standing(for device: Enrollment, _ db: Database) throws -> CentralStanding {
        let own = try String.fetchAll(db, sql: "SELECT replica FROM device_replicas WHERE device = ? ORDER BY bound_at, replica", arguments: [device.device])
        let central = try ReplicaEpoch.previousIDs(db) + [try Meta.require(.replicaID, db)]
        func held(_ replica: String) throws -> CentralStanding.Held {
            let counter = try Int64.fetchOne(
                db,
                sql: """
                    SELECT MAX(m) FROM (
                        SELECT MAX(counter) AS m FROM changes WHERE replica = ?1
                        UNION ALL SELECT MAX(counter) FROM pending_changes WHERE replica = ?1
                        UNION ALL SELECT MAX(counter) FROM rejected_changes WHERE replica = ?1)
                    """,
                arguments: [replica])
            return CentralStanding.Held(replica: replica, counter: counter ?? 0)
        }
        return CentralStanding(
            incarnation: try Meta.require(.incarnation, db), base: Int64(try Meta.require(.incarnationBase, db)) ?? 0,
            top: try topSequence(db), device: try own.map(held), central: try central.map(held))
    }
}
