import Foundation
import Store
import SyncCore

/// A central made directly on PostgreSQL (`syncd init --db postgres://…`), as `CentralReplica.create`
/// makes one in a file: its identity, its own signing key and its first incarnation, and the bureau's
/// unit and the key's registration written by the engine.
extension PostgresCentral {
    /// Makes the bureau's central in the (empty) database at `address`; `bureau` is the central office's unit.
    public static func create(bureau: OrgUnit, at address: PostgresAddress) async throws {
        try Identifier.check(bureau.id, "unit id")
        try await PostgresDatabase.with(address) { db in
            try await db.transaction { db in
                try await db.lockFeed()
                let held = try await db.rows(
                    "SELECT (SELECT COUNT(*) FROM replica_meta) + (SELECT COUNT(*) FROM changes)", as: Int.self).first ?? 0
                guard held == 0 else {
                    throw ReportSyncError(.alreadyExists, "the PostgreSQL database at \(address) already holds a central; use it, or give another database")
                }
                let now = Date()
                try await db.setMeta(.replicaID, UUIDv7.make(at: now))
                try await db.setMeta(.unitID, bureau.id)
                try await db.setMeta(.createdAt, String(now.millisecondsSince1970))
                try await db.setMeta(.counter, "0")
                try await db.setMeta(.hlc, "0")
                try await db.setMeta(.replicaRole, ReplicaRole.central.rawValue)
                let serverKey = CentralReplica.newServerKey(bureau: bureau.id)
                try await db.setMeta(.serverSigningKey, serverKey.stored)
                try await db.setMeta(.incarnations, try JSONCoding.string([CentralStanding.Incarnation(id: UUIDv7.make(at: now), base: 0)]))
                try await db.setMeta(.returnableAfter, "[]")
                try await PostgresApply.run(db, try await db.lockForWrite(), now: now, asking: []) { engine in
                    try engine.commitLocal([Replica.referenceChange(.unit(bureau), unit: bureau.id, engine: engine)])
                    try engine.commitLocal([Replica.referenceChange(.signingKey(serverKey.key), unit: bureau.id, engine: engine)])
                }
            }
        }
    }
}

extension PostgresCentral {
    /// Takes a database put back from an older dump (`pg_restore`) as a new incarnation of the central,
    /// as `syncd restore` does with a file: a new replica id, so that no dot it issued is issued again,
    /// and a new incarnation from the feed's head, so that every device sends what it lacks and pulls
    /// again. Returns the incarnation and the sequence it begins after. Stop every server first.
    public static func restoreInPlace(at address: PostgresAddress) async throws -> CentralStanding.Incarnation {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            return try await db.transaction { db in
                try await db.lockFeed()
                try await CentralMigration.beginEpoch(db, because: .backupRestored)
                let chain = try JSONCoding.value([CentralStanding.Incarnation].self, from: try await db.requireMeta(.incarnations))
                guard let incarnation = chain.last else { throw ReportSyncError(.storage, "the central's incarnations were not kept; nothing was changed") }
                return incarnation
            }
        }
    }
}
