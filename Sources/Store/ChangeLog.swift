import Foundation
import GRDB
import SyncCore

/// One entry of the local change log: a write this replica made, in the order it made them.
public struct ChangeRecord: Codable, Sendable, Equatable {
    /// What kind of record a change writes.
    public enum Entity: String, Codable, Sendable {
        case reportVersion = "report-version"
        case transition
        case unit
        case member
        case policy
    }

    /// The local sequence number; sync pushes everything after the last acknowledged one.
    public let seq: Int64
    public let id: String
    public let dot: Dot
    public let hlc: HybridTimestamp
    public let entity: Entity
    public let entityID: String
    /// The record written, as JSON.
    public let body: String
}

/// Appends to and reads the `changes` table.
enum ChangeLog {
    static func append(_ entity: ChangeRecord.Entity, id entityID: String, body: String, dot: Dot, hlc: HybridTimestamp, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO changes(id, replica, counter, hlc, entity, entity_id, body) VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [UUIDv7.make(at: hlc.date), dot.replica, dot.counter, hlc.rawValue, entity.rawValue, entityID, body])
    }

    static func changes(after seq: Int64, limit: Int, _ db: Database) throws -> [ChangeRecord] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [seq, limit]
        ).map { row in
            let entityName: String = row["entity"]
            guard let entity = ChangeRecord.Entity(rawValue: entityName) else {
                throw ReportSyncError(.schemaTooNew, "the change log holds a '\(entityName)' change this program does not know; install the newer report-cli")
            }
            return ChangeRecord(
                seq: row["seq"], id: row["id"], dot: Dot(replica: row["replica"], counter: row["counter"]),
                hlc: HybridTimestamp(rawValue: row["hlc"]), entity: entity, entityID: row["entity_id"], body: row["body"])
        }
    }
}

extension Replica {
    /// The local changes after `seq`, oldest first, at most `limit` of them.
    public func changes(after seq: Int64 = 0, limit: Int = 1000) throws -> [ChangeRecord] {
        try read { db in try ChangeLog.changes(after: seq, limit: limit, db) }
    }
}
