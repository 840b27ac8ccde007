import Foundation
import GRDB
import SyncCore

/// What each device has pulled: noted as it pulls, read by the desk's sync page and by `/metrics`.
extension CentralReplica {
    /// Notes that a pull sent `device` its feed up to central sequence `cursor`. A write per pull would
    /// queue every pull behind the writer: the note is kept to 30 s, like the last-seen stamp.
    func notePull(by device: Enrollment, reaching cursor: Int64) throws {
        let now = replica.now()
        let noted = try replica.read { db in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT pulled_at FROM device_pulls WHERE device = ?"), arguments: [device.device])
        }
        guard noted.map({ now.timeIntervalSince(Date(millisecondsSince1970: $0)) >= Self.lastSeenResolution }) ?? true else { return }
        try replica.write { db in
            try db.execute(
                sql: """
                    INSERT INTO device_pulls (device, cursor, pulled_at) VALUES (?, ?, ?)
                    ON CONFLICT(device) DO UPDATE SET cursor = excluded.cursor, pulled_at = excluded.pulled_at
                    """,
                arguments: [device.device, cursor, now.millisecondsSince1970])
        }
    }

    /// How far `device` of `unit` is behind, or nil when it never pulled.
    public func pull(of device: String, unit: String) throws -> DevicePull? {
        let scope = try unitScope(of: unit).sorted()
        return try replica.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT cursor, pulled_at FROM device_pulls WHERE device = ?", arguments: [device]) else {
                return nil
            }
            let cursor: Int64 = row["cursor"]
            let placeholders = Array(repeating: "?", count: scope.count).joined(separator: ",")
            let outgoing = try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM (SELECT 1 FROM changes WHERE seq > ? AND \(try feedFilter(db, placeholders: placeholders, includingSecret: false))
                    LIMIT \(DevicePull.countLimit + 1))
                    """,
                arguments: StatementArguments([cursor] + scope.map { $0 as any DatabaseValueConvertible })) ?? 0
            return DevicePull(cursor: cursor, pulledAt: Date(millisecondsSince1970: row["pulled_at"]), outgoing: outgoing)
        }
    }
}
