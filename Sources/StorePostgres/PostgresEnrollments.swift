import Foundation
import PostgresNIO
import Store
import SyncCore

/// Enrolments and the central's standing on PostgreSQL, as the SQLite central keeps them
/// (`CentralReplica+Enrollment`, `CentralIncarnation`).
extension PostgresDatabase {
    /// The enrolment a bearer token belongs to, noting that the device was just seen (to the nearest
    /// 30 s); `TokenRefused` when the token is unknown or revoked.
    func enrollment(token: String) async throws -> Enrollment {
        let hash = CentralReplica.hash(token: token)
        guard let row = try await randomAccessRows(
            "SELECT unit, device, created_at, revoked_at, last_seen_at FROM enrollments WHERE token_hash = $1", [hash]).first
        else { throw TokenRefused(CentralReplica.unknownToken) }
        let enrollment = try Self.enrollment(row)
        if enrollment.revokedAt != nil { throw TokenRefused(CentralReplica.revokedToken(of: enrollment.device)) }
        let now = Date()
        if enrollment.lastSeenAt.map({ now.timeIntervalSince($0) >= CentralReplica.lastSeenResolution }) ?? true {
            try await run("UPDATE enrollments SET last_seen_at = $1 WHERE token_hash = $2", [now.millisecondsSince1970, hash])
        }
        return enrollment
    }

    /// Every enrolment, newest first, with the id of the bundle keys bound to it.
    func enrollments() async throws -> [Enrollment] {
        try await randomAccessRows(
            """
            SELECT e.unit, e.device, e.created_at, e.revoked_at, e.last_seen_at, b.agreement, b.signing
            FROM enrollments e LEFT JOIN bundle_devices b ON b.token_hash = e.token_hash ORDER BY e.created_at DESC
            """
        ).map { row in
            var enrollment = try Self.enrollment(row)
            if let agreement = try row["agreement"].decode(String?.self), let signing = try row["signing"].decode(String?.self) {
                enrollment.bundleKey = BundlePublicKey(agreement: agreement, signing: signing).id
            }
            return enrollment
        }
    }

    private static func enrollment(_ row: PostgresRandomAccessRow) throws -> Enrollment {
        Enrollment(
            unit: try row["unit"].decode(String.self), device: try row["device"].decode(String.self),
            createdAt: Date(millisecondsSince1970: try row["created_at"].decode(Int64.self)),
            revokedAt: try row["revoked_at"].decode(Int64?.self).map(Date.init(millisecondsSince1970:)),
            lastSeenAt: try row["last_seen_at"].decode(Int64?.self).map(Date.init(millisecondsSince1970:)))
    }

    /// What the central holds for `device`'s sync round (`CentralStanding`, but its bundle key); `asked`
    /// are the replica ids the device wrote under.
    func standing(for device: Enrollment, asking asked: [String]) async throws -> CentralStanding {
        var standing = try await standing(forDevice: device.device, asking: asked)
        let releases = try await meta(.policyReleases).map { try JSONCoding.value([Declassifications.StoredRelease].self, from: $0) } ?? []
        standing.releases = releases.isEmpty ? [] : Declassifications.releases(releases, scope: try await unitScope(of: device.unit))
        return standing
    }

    /// What the central holds for each of `devices` (ids of devices of one unit), for a bundle to their
    /// unit, as `CentralIncarnation.standings` reads it from a file: each answered as if it had asked
    /// about every id bound to the others.
    func standings(forDevices devices: [String]) async throws -> [String: CentralStanding] {
        var bound: [String: [String]] = [:]
        for device in devices { bound[device] = try await replicas(boundTo: device) }
        var standings: [String: CentralStanding] = [:]
        for device in devices {
            standings[device] = try await standing(forDevice: device, asking: devices.filter { $0 != device }.flatMap { bound[$0] ?? [] })
        }
        return standings
    }

    private func replicas(boundTo device: String) async throws -> [String] {
        try await rows("SELECT replica FROM device_replicas WHERE device = $1 ORDER BY bound_at, replica COLLATE \"C\"", [device], as: String.self)
    }

    private func standing(forDevice device: String, asking asked: [String]) async throws -> CentralStanding {
        let own = try await replicas(boundTo: device)
        let earlier = try await meta(.returnableAfter).map { try JSONCoding.value([CentralStanding.Held].self, from: $0) } ?? []
        let current = try await requireMeta(.replicaID)
        let others = Array(asked.prefix(CentralStanding.maxAsked).filter { !own.contains($0) })
        var holders: [String: String] = [:]
        if !others.isEmpty {
            for row in try await randomAccessRows("SELECT replica, device FROM device_replicas WHERE replica = ANY($1)", [others]) {
                holders[try row["replica"].decode(String.self)] = try row["device"].decode(String.self)
            }
        }
        let elsewhere = others.filter { holders[$0].map { $0 != device } ?? false }
        var held: [CentralStanding.Held] = []
        for replica in own { held.append(CentralStanding.Held(replica: replica, counter: try await highestCounter(of: replica))) }
        return CentralStanding(
            incarnations: try await meta(.incarnations).map { try JSONCoding.value([CentralStanding.Incarnation].self, from: $0) } ?? [],
            top: try await feedHead(), device: held, central: earlier,
            centralNow: CentralStanding.Held(replica: current, counter: try await highestCounter(of: current)), elsewhere: elsewhere)
    }

    /// The highest counter of `replica` the central holds: applied, waiting or refused.
    func highestCounter(of replica: String) async throws -> Int64 {
        try await rows(
            """
            SELECT COALESCE(GREATEST(
                (SELECT MAX(counter) FROM changes WHERE replica = $1), (SELECT MAX(counter) FROM pending_changes WHERE replica = $1),
                (SELECT MAX(counter) FROM rejected_changes WHERE replica = $1)), 0)
            """, [replica], as: Int64.self
        ).first ?? 0
    }

    /// The central's private bundle keys, made now if it has none yet (two servers: the first kept wins).
    func bundleIdentity() async throws -> BundleIdentity {
        if let stored = try await meta(.bundleKeys) { return try BundleIdentity(stored: stored) }
        try await run("INSERT INTO replica_meta (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING", [Meta.Key.bundleKeys.rawValue, BundleIdentity().stored])
        return try BundleIdentity(stored: try await requireMeta(.bundleKeys))
    }

    /// The file `hash` as `device` may send or fetch it (`CentralReplica.fileGrant`: the same rule).
    func fileGrant(_ hash: BlobHash, for device: Enrollment, sending: Bool, now: Date) async throws -> FileGrant {
        let units = sending ? [device.unit] : try await unitScope(of: device.unit).sorted()
        let offNetwork = Secrecy.offNetwork(under: try await policy(at: now))
        let found = try await randomAccessRows(
            """
            SELECT a.hash, COALESCE(b.size, a.size) AS size, a.media_type
            FROM attachment_refs a JOIN reports r ON r.id = a.report LEFT JOIN reports f ON f.id = r.follow_up_of
            LEFT JOIN blobs b ON b.hash = a.hash
            WHERE a.hash = $1 AND r.unit = ANY($2) AND NOT \(OffNetworkSQL.report(offNetwork))
            ORDER BY r.id LIMIT 1
            """, [hash.hex, units]
        ).first
        let supplied =
            try await rows(
                "SELECT EXISTS (SELECT 1 FROM blob_sources WHERE hash = $1 AND channel = 'network' AND unit = ANY($2))", [hash.hex, units], as: Bool.self
            ).first ?? false
        guard let found, sending || supplied, let foundHash = BlobHash(hex: try found["hash"].decode(String.self)) else {
            throw CentralReplica.fileNotGranted(hash, sending: sending)
        }
        return FileGrant(
            reference: BlobReference(hash: foundHash, size: try found["size"].decode(Int64.self), mediaType: try found["media_type"].decode(String.self)),
            supplied: supplied)
    }
}
