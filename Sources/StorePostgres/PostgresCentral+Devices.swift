import Foundation
import Store
import SyncCore

/// Enrolling and revoking devices on a central on PostgreSQL (`syncd enroll`, `revoke`, `devices`), as on
/// a SQLite central (`CentralReplica+Enrollment`).
extension PostgresCentral {
    /// Enrolls a device for `unit` and returns its token, which is shown once and never stored.
    public static func enroll(unit: String, device: String, at address: PostgresAddress) async throws -> String {
        let token = try CentralReplica.newToken(forDevice: device)
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            try await db.transaction { db in
                guard try await db.rows("SELECT EXISTS (SELECT 1 FROM units WHERE id = $1)", [unit], as: Bool.self).first == true else {
                    let known = try await db.rows("SELECT id FROM units ORDER BY id", as: String.self)
                    throw CentralReplica.unknownUnit(unit, known: known.joined(separator: ", "))
                }
                // One enrolment in force a device name, whichever server enrols it.
                try await db.run("SELECT pg_advisory_xact_lock(hashtext($1))", [device])
                let active = try await db.rows(
                    "SELECT COUNT(*)::bigint FROM enrollments WHERE device = $1 AND revoked_at IS NULL", [device], as: Int.self).first ?? 0
                if active > 0 { throw CentralReplica.alreadyEnrolled(device) }
                try await db.run(
                    "INSERT INTO enrollments (token_hash, unit, device, created_at) VALUES ($1, $2, $3, $4)",
                    [CentralReplica.hash(token: token), unit, device, Date().millisecondsSince1970])
            }
        }
        return token
    }

    /// Withdraws a device's token; its next request is refused.
    public static func revoke(device: String, at address: PostgresAddress) async throws {
        let revoked = try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            return try await db.rows(
                "UPDATE enrollments SET revoked_at = $1 WHERE device = $2 AND revoked_at IS NULL RETURNING device",
                [Date().millisecondsSince1970, device], as: String.self)
        }
        if revoked.isEmpty { throw CentralReplica.notEnrolled(device) }
    }

    /// Every enrolment, newest first.
    public static func enrollments(at address: PostgresAddress) async throws -> [Enrollment] {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            return try await db.enrollments()
        }
    }
}
