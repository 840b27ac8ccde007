import Crypto
import Foundation
import GRDB
import SyncCore

/// Enrolment of field devices at the central replica: bearer tokens, kept only as their SHA-256.
extension CentralReplica {
    /// Enrolls a device for `unit` and returns its token, which is shown once and never stored.
    public func enroll(unit: String, device: String) throws -> String {
        let token = try Self.newToken(forDevice: device)
        try replica.write { db in
            guard try OrgUnit.exists(db, key: unit) else { throw Self.unknownUnit(unit, known: try Replica.unitIDs(db)) }
            let active = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM enrollments WHERE device = ? AND revoked_at IS NULL", arguments: [device]) ?? 0
            if active > 0 { throw Self.alreadyEnrolled(device) }
            try db.execute(
                sql: "INSERT INTO enrollments(token_hash, unit, device, created_at) VALUES (?, ?, ?, ?)",
                arguments: [Self.hash(token: token), unit, device, replica.now().millisecondsSince1970])
        }
        return token
    }

    /// Withdraws a device's token; its next request is refused.
    public func revoke(device: String) throws {
        try replica.write { db in
            try db.execute(
                sql: "UPDATE enrollments SET revoked_at = ? WHERE device = ? AND revoked_at IS NULL",
                arguments: [replica.now().millisecondsSince1970, device])
            if db.changesCount == 0 { throw Self.notEnrolled(device) }
        }
    }

    /// The enrolment a bearer token belongs to, noting that the device was just seen (for the lag
    /// metric, to the nearest 30 s); or an error that says whether the token is unknown or revoked.
    public func authenticate(token: String) throws -> Enrollment {
        let hash = Self.hash(token: token)
        let enrollment = try replica.read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM enrollments WHERE token_hash = ?"), arguments: [hash]) else {
                throw Self.unknownToken
            }
            return Self.enrollment(row)
        }
        if enrollment.revokedAt != nil { throw Self.revokedToken(of: enrollment.device) }
        // A write per request would serialise every pull behind the writer; the stamp is kept to the
        // resolution the lag metric needs.
        let at = replica.now()
        if enrollment.lastSeenAt.map({ at.timeIntervalSince($0) >= Self.lastSeenResolution }) ?? true {
            try replica.write { db in
                try db.execute(
                    sql: "UPDATE enrollments SET last_seen_at = ? WHERE token_hash = ?", arguments: [at.millisecondsSince1970, hash])
            }
        }
        return enrollment
    }

    /// A new bearer token for `device` (32 random bytes, URL-safe base64 after `rs_`), shown once.
    public static func newToken(forDevice device: String) throws -> String {
        guard !device.allSatisfy(\.isWhitespace) else { throw ReportSyncError(.invalidInput, "give the device a --device name") }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "rs_" + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The refusals of `enroll` and `revoke`.
    public static func unknownUnit(_ unit: String, known: String) -> ReportSyncError {
        ReportSyncError(.notFound, "unit \(unit) is unknown; add it with syncd unit add (known: \(known))")
    }

    public static func alreadyEnrolled(_ device: String) -> ReportSyncError {
        ReportSyncError(.alreadyExists, "device \(device) is already enrolled; revoke it first or choose another --device")
    }

    public static func notEnrolled(_ device: String) -> ReportSyncError {
        ReportSyncError(.notFound, "no enrolled device named \(device); see which are enrolled with syncd devices --db FILE")
    }

    /// How stale a device's last-seen stamp may get before a request writes a new one.
    public static let lastSeenResolution: TimeInterval = 30

    /// The refusal of a token no enrolment has.
    public static let unknownToken = ReportSyncError(
        .forbidden, "the token is not known here; enroll the device with syncd enroll and use the token it prints")

    /// The refusal of a revoked device's token.
    public static func revokedToken(of device: String) -> ReportSyncError {
        ReportSyncError(.forbidden, "the token of device \(device) was revoked; ask the central office to enroll it again")
    }

    /// Every enrolment, newest first.
    public func enrollments() throws -> [Enrollment] {
        try replica.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.*, b.agreement, b.signing FROM enrollments e LEFT JOIN bundle_devices b ON b.token_hash = e.token_hash
                    ORDER BY e.created_at DESC
                    """
            ).map { row in
                var enrollment = Self.enrollment(row)
                if let agreement: String = row["agreement"], let signing: String = row["signing"] {
                    enrollment.bundleKey = BundlePublicKey(agreement: agreement, signing: signing).id
                }
                return enrollment
            }
        }
    }

    static func enrollment(_ row: Row) -> Enrollment {
        Enrollment(
            unit: row["unit"], device: row["device"], createdAt: Date(millisecondsSince1970: row["created_at"]),
            revokedAt: (row["revoked_at"] as Int64?).map(Date.init(millisecondsSince1970:)),
            lastSeenAt: (row["last_seen_at"] as Int64?).map(Date.init(millisecondsSince1970:)))
    }

    /// What the central keeps of a token: its SHA-256, in hex.
    public static func hash(token: String) -> String {
        Hex.encode(SHA256.hash(data: Data(token.utf8)))
    }
}
