import Foundation
import GRDB
import SyncCore

/// What each device has pulled: noted as it pulls, read by the desk's sync page and by `/metrics`.
extension CentralReplica {
    /// Notes that a pull sent `device` its feed up to central sequence `cursor`. This process keeps every
    /// pull's cursor in memory (`PullNotes`); `device_pulls` is written at most every 30 s a device, so
    /// that pulls do not queue behind the writer, and holds the last one written for after a restart.
    func notePull(by device: Enrollment, reaching cursor: Int64) throws {
        let now = replica.now()
        guard pulls.note(device: device.device, cursor: cursor, at: now, writeEvery: Self.lastSeenResolution) else { return }
        try replica.write { db in
            try db.execute(
                sql: """
                    INSERT INTO device_pulls (device, cursor, pulled_at) VALUES (?, ?, ?)
                    ON CONFLICT(device) DO UPDATE SET cursor = excluded.cursor, pulled_at = excluded.pulled_at
                    """,
                arguments: [device.device, cursor, now.millisecondsSince1970])
        }
    }

    /// How far `device` of `unit` is behind, or nil when it never pulled: its latest pull this process
    /// saw, else the last one written.
    public func pull(of device: String, unit: String) throws -> DevicePull? {
        let scope = try unitScope(of: unit).sorted()
        return try replica.read { db in
            let stored = try Row.fetchOne(db, sql: "SELECT cursor, pulled_at FROM device_pulls WHERE device = ?", arguments: [device]).map {
                (cursor: $0["cursor"] as Int64, at: Date(millisecondsSince1970: $0["pulled_at"]))
            }
            guard let latest = pulls.latest(of: device) ?? stored else { return nil }
            let placeholders = Array(repeating: "?", count: scope.count).joined(separator: ",")
            let outgoing = try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM (SELECT 1 FROM changes WHERE seq > ? AND \(try feedFilter(db, placeholders: placeholders, includingSecret: false))
                    LIMIT \(DevicePull.countLimit + 1))
                    """,
                arguments: StatementArguments([latest.cursor] + scope.map { $0 as any DatabaseValueConvertible })) ?? 0
            return DevicePull(cursor: latest.cursor, pulledAt: latest.at, outgoing: outgoing)
        }
    }
}

/// Each device's latest pull as this process saw it, and when it was last written to `device_pulls`.
final class PullNotes: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: [String: (cursor: Int64, at: Date)] = [:]
    private var written: [String: Date] = [:]

    /// Notes a pull; true when it is to be written (never written, or not for `writeEvery` seconds).
    func note(device: String, cursor: Int64, at now: Date, writeEvery: TimeInterval) -> Bool {
        lock.withLock {
            latest[device] = (cursor, now)
            guard written[device].map({ now.timeIntervalSince($0) >= writeEvery }) ?? true else { return false }
            written[device] = now
            return true
        }
    }

    func latest(of device: String) -> (cursor: Int64, at: Date)? { lock.withLock { latest[device] } }
}
