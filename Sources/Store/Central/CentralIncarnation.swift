import Foundation
import GRDB
import SyncCore

/// The central's incarnations: an id that changes whenever its store is restored, replaced or
/// re-created (a new epoch of the central's replica id starts one), each with the central sequence it
/// began at, and what the central held of its earlier replica ids when the current one began. A field
/// that meets a new incarnation sends again what the central may have lost, gives back the central's own
/// signed changes past those counters, and pulls again from the lowest base since the incarnation it
/// knew (`FieldReplica.reconcile`).
enum CentralIncarnation {
    /// Starts a new incarnation at the central's current highest sequence.
    static func renew(_ db: Database) throws {
        let chain = try incarnations(db) + [CentralStanding.Incarnation(id: UUIDv7.make(at: Date()), base: try topSequence(db))]
        try Meta.set(.incarnations, JSONCoding.string(chain), db)
        let earlier = try ReplicaEpoch.previousIDs(db).map { CentralStanding.Held(replica: $0, counter: try highestCounter(of: $0, db)) }
        try Meta.set(.returnableAfter, JSONCoding.string(earlier), db)
    }

    /// Gives a central from before incarnations its first one.
    static func ensure(_ db: Database) throws {
        if try Meta.get(.incarnations, db) == nil { try renew(db) }
    }

    /// Every incarnation so far, oldest first.
    static func incarnations(_ db: Database) throws -> [CentralStanding.Incarnation] {
        try Meta.get(.incarnations, db).map { try JSONCoding.value([CentralStanding.Incarnation].self, from: $0) } ?? []
    }

    static func topSequence(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM changes") ?? 0
    }

    /// The highest counter of `replica` the central holds: applied, waiting or refused.
    static func highestCounter(of replica: String, _ db: Database) throws -> Int64 {
        try Int64.fetchOne(
            db,
            sql: """
                SELECT MAX(m) FROM (
                    SELECT MAX(counter) AS m FROM changes WHERE replica = ?1
                    UNION ALL SELECT MAX(counter) FROM pending_changes WHERE replica = ?1
                    UNION ALL SELECT MAX(counter) FROM rejected_changes WHERE replica = ?1)
                """,
            arguments: [replica]) ?? 0
    }

    /// What the central holds for `device`'s sync round; `asked` are the replica ids the device wrote
    /// under (at most `CentralStanding.maxAsked`).
    static func standing(for device: Enrollment, asking asked: [String], _ db: Database) throws -> CentralStanding {
        try standing(forDevice: device.device, asking: asked, db)
    }

    /// What the central holds for each of `devices` (ids of devices of one unit), for a bundle to their
    /// unit: a bundle cannot ask which ids a device wrote under, so each is answered as if it had asked
    /// about every id bound to the others (its `elsewhere`: a copied file's old ids).
    static func standings(forDevices devices: [String], _ db: Database) throws -> [String: CentralStanding] {
        var bound: [String: [String]] = [:]
        for device in devices {
            bound[device] = try String.fetchAll(db, sql: "SELECT replica FROM device_replicas WHERE device = ? ORDER BY bound_at, replica", arguments: [device])
        }
        var standings: [String: CentralStanding] = [:]
        for device in devices {
            let others = devices.filter { $0 != device }.flatMap { bound[$0] ?? [] }
            standings[device] = try standing(forDevice: device, asking: others, db)
        }
        return standings
    }

    private static func standing(forDevice device: String, asking asked: [String], _ db: Database) throws -> CentralStanding {
        let own = try String.fetchAll(db, sql: "SELECT replica FROM device_replicas WHERE device = ? ORDER BY bound_at, replica", arguments: [device])
        let earlier = try Meta.get(.returnableAfter, db).map { try JSONCoding.value([CentralStanding.Held].self, from: $0) } ?? []
        let current = try Meta.require(.replicaID, db)
        var elsewhere: [String] = []
        for replica in asked.prefix(CentralStanding.maxAsked) where !own.contains(replica) {
            let holder = try String.fetchOne(db, sql: "SELECT device FROM device_replicas WHERE replica = ?", arguments: [replica])
            if let holder, holder != device { elsewhere.append(replica) }
        }
        return CentralStanding(
            incarnations: try incarnations(db), top: try topSequence(db),
            device: try own.map { CentralStanding.Held(replica: $0, counter: try highestCounter(of: $0, db)) }, central: earlier,
            centralNow: CentralStanding.Held(replica: current, counter: try highestCounter(of: current, db)), elsewhere: elsewhere)
    }
}
