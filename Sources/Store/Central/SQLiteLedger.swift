import Foundation
import GRDB
import SyncCore

/// The central's ledger (`CentralLedger`) answered inside a SQLite write transaction.
final class SQLiteLedger: CentralLedger {
    let db: Database
    /// Members looked up once per push: a batch of a thousand changes usually has a handful of actors.
    private var members: [String: Member?] = [:]

    init(_ db: Database) { self.db = db }

    func bureau() throws -> String { try Meta.require(.unitID, db) }
    func previousReplicaIDs() throws -> [String] { try ReplicaEpoch.previousIDs(db) }
    func replicaID() throws -> String { try Meta.require(.replicaID, db) }
    func serverSigningKey() throws -> String? { try Meta.get(.serverSigningKey, db) }
    func unitScope(of unit: String) throws -> Set<String> { try Replica.unitScope(of: unit, db) }

    func member(_ id: String) throws -> Member? {
        if let cached = members[id] { return cached }
        let member = try Member.fetchOne(db.cachedStatement(sql: "SELECT * FROM members WHERE id = ?"), arguments: [id])
        members[id] = member
        return member
    }

    func solicitation(_ id: String, unit: String) throws -> Solicitation? {
        try String.fetchOne(db, sql: "SELECT body FROM solicitations WHERE id = ? AND unit = ?", arguments: [id, unit])
            .map { try JSONCoding.value(Solicitation.self, from: $0) }
    }

    func refusalReason(of dot: Dot) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT reason FROM rejected_changes WHERE replica = ? AND counter = ?"), arguments: [dot.replica, dot.counter])
    }

    func boundDevice(of replica: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT device FROM device_replicas WHERE replica = ?"), arguments: [replica])
    }

    func hasWritten(_ replica: String, outside scope: Set<String>) throws -> Bool {
        let placeholders = Array(repeating: "?", count: scope.count).joined(separator: ",")
        return try Bool.fetchOne(
            db, sql: "SELECT EXISTS(SELECT 1 FROM changes WHERE replica = ? AND unit NOT IN (\(placeholders)))",
            arguments: StatementArguments([replica] + scope.sorted())) ?? false
    }

    func boundReplicaCount(of device: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM device_replicas WHERE device = ?", arguments: [device]) ?? 0
    }

    func bind(_ replica: String, to device: String, at: Date) throws {
        try db.execute(
            sql: "INSERT INTO device_replicas(replica, device, bound_at) VALUES (?, ?, ?)", arguments: [replica, device, at.millisecondsSince1970])
    }

    func openInvites(of member: String) throws -> [KeyInvite] {
        try Row.fetchAll(db, sql: "SELECT * FROM key_invites WHERE member = ? AND redeemed_key IS NULL", arguments: [member]).map(Self.invite)
    }

    func markInvite(_ secret: Data, redeemedBy keyID: String?) throws {
        try db.execute(sql: "UPDATE key_invites SET redeemed_key = ? WHERE secret = ?", arguments: [keyID, secret])
    }

    func lastRegistration(in year: Int) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT last FROM registrations WHERE year = ?", arguments: [year]) ?? 0
    }

    func keepRegistration(_ serial: Int, in year: Int) throws {
        try db.executeCached(
            sql: "INSERT INTO registrations(year, last) VALUES (?, ?) ON CONFLICT(year) DO UPDATE SET last = max(last, excluded.last)",
            arguments: [year, serial])
    }

    private static func invite(_ row: Row) -> KeyInvite {
        KeyInvite(secret: row["secret"], member: row["member"], expiresAt: row["expires_at"], redeemedKey: row["redeemed_key"])
    }
}
