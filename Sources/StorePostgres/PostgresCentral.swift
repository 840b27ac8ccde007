import Foundation
import Logging
import PostgresNIO
import Store
import SyncCore

/// A central on PostgreSQL behind the seam the server depends on (`CentralStore`): a pool of
/// connections (postgres-nio's `PostgresClient`, nothing blocking an event loop), the same decisions as
/// the SQLite central (`PushMerge`, the merge engine, the feed's condition, the standing's rules), and
/// the feed ordered by the lock on `feed_head` (docs/postgres.md). Several `syncd serve` may share one
/// database. Run `run()` for as long as it serves.
public final class PostgresCentral: CentralStore, Sendable {
    public let address: PostgresAddress
    private let client: PostgresClient
    private let files: String?
    private let logger: Logger
    private let pulls = PullCursors()
    let pushGroups = PostgresPushGroups()

    /// A central on the database at `address` (set up by `syncd migrate`), serving attachments' files from
    /// the folder `files` when given.
    public init(address: PostgresAddress, files: String?) throws {
        self.address = address
        self.files = files
        logger = Logger(label: "reportsync.postgres")
        var configuration = try address.clientConfiguration()
        configuration.options.maximumConnections = 16
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// Keeps the pool of connections for as long as the calling task runs.
    public func run() async { await client.run() }

    /// Checks, before serving, that the database holds a central this program can serve (its schema
    /// brought up to date first).
    public func checkReady() async throws {
        try await PostgresDatabase.with(address, migrating: false) { try await $0.requireCentral() }
        try await PostgresDatabase.with(address) { _ in }
    }

    /// Runs `body` on a connection of the pool. What the database refuses is logged here in one line and
    /// answered with a line that names nothing of the database: a device learns no host, user or SQL.
    func database<T: Sendable>(_ body: (PostgresDatabase) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in
                try await body(PostgresDatabase(address: address, connection: connection, logger: logger))
            }
        } catch let error as PSQLError {
            throw refusal(PostgresFailure.translate(error, at: address))
        } catch let error as PostgresTransactionError {
            throw refusal(PostgresFailure.translate(error, at: address))
        }
    }

    private func refusal(_ error: any Error) -> ReportSyncError {
        logger.error("\((error as? ReportSyncError)?.message ?? String(describing: error))")
        if (error as? ReportSyncError)?.code == .unavailable {
            return ReportSyncError(.unavailable, "the central's database does not answer; the request was not taken, try again later")
        }
        return ReportSyncError(.storage, "the central's database refused this request, and nothing of it was kept; the central office finds why in syncd serve's log")
    }

    public func bureau() async throws -> String {
        try await database { try await $0.requireMeta(.unitID) }
    }

    public func authenticate(token: String) async throws -> Enrollment {
        try await database { try await $0.enrollment(token: token) }
    }

    /// A push's first attempt waits for the pushes that arrive with it and is written in their group
    /// (`PostgresPushGroups`); an attempt that withholds reports for secrecy (`SecrecyPasses`) is written alone.
    public func receivePush(_ changes: [Change], from device: Enrollment) async throws -> [PushResult] {
        let secret: StaysSecret
        do {
            return try await pushGroups.push(changes, from: device) { group in await self.mergeGroup(group) }
        } catch let stays as StaysSecret {
            secret = stays
        }
        let now = Date()
        var passes = SecrecyPasses(changes, policy: try await database { try await $0.policy(at: now) })
        _ = passes.next()  // the first attempt, the one made in the group
        try passes.failed(secret)
        while let withheld = passes.next() {
            do {
                return try await merge([PushMerge(changes, from: device, withholding: withheld, keepingSecret: false)], Date())[0]
            } catch let stays as StaysSecret {
                try passes.failed(stays)
            }
        }
        throw ReportSyncError(.storage, "the central could not settle the secrecy of this push's reports; nothing of it was taken")
    }

    /// Writes a group of first attempts on one engine in one transaction. A push the group's run refuses
    /// is taken out and written alone, and the others are tried again as a group; when the group fails
    /// otherwise (a report that would stay secret, too many runs, the database), each push is written
    /// alone. How many were written alone.
    private func mergeGroup(_ group: [PostgresPushGroups.Waiting]) async -> Int {
        var together = group.map { ($0, PushMerge($0.changes, from: $0.device, withholding: [], keepingSecret: false)) }
        var alone: [(PostgresPushGroups.Waiting, PushMerge)] = []
        while together.count > 1 {
            do {
                let answers = try await database { try await $0.merge(together.map(\.1), now: Date(), asGroup: true) }
                for ((waiting, _), answer) in zip(together, answers) { waiting.resume(with: .success(answer)) }
                together = []
            } catch let failed as PostgresPushGroups.PushFailed {
                alone.append(together.remove(at: failed.index))
            } catch {
                logger.notice("a group of \(together.count) pushes was not written together (\(String(describing: error).prefix(200))); each is written alone")
                alone += together
                together = []
            }
        }
        for (waiting, push) in alone + together {
            let answer: Result<[PushResult], any Error>
            do { answer = .success(try await merge([push], Date())[0]) } catch { answer = .failure(error) }
            waiting.resume(with: answer)
        }
        return alone.count
    }

    private func merge(_ pushes: [PushMerge], _ now: Date) async throws -> [[PushResult]] {
        try await database { try await $0.merge(pushes, now: now) }
    }

    public func feed(after: Int64, limit: Int, token: String) async throws -> FeedSlice {
        let now = Date()
        let (slice, device) = try await database { db in
            let device = try await db.enrollment(token: token)
            return (try await db.feed(after: after, limit: limit, unit: device.unit, now: now), device)
        }
        if pulls.note(device: device.device, cursor: slice.covered, at: now, writeEvery: CentralReplica.lastSeenResolution) {
            try await database { db in
                try await db.run(
                    """
                    INSERT INTO device_pulls (device, cursor, pulled_at) VALUES ($1, $2, $3)
                    ON CONFLICT (device) DO UPDATE SET cursor = excluded.cursor, pulled_at = excluded.pulled_at
                    """, [device.device, slice.covered, now.millisecondsSince1970])
            }
        }
        return slice
    }

    public func bindBundleKey(_ key: BundlePublicKey, token: String) async throws -> BundlePublicKey {
        try await database { db in try await db.bindBundleKey(key, token: token, device: try await db.enrollment(token: token)) }
    }

    public func standing(token: String, asking asked: [String]) async throws -> CentralStanding {
        try await database { db in
            let device = try await db.enrollment(token: token)
            // Made by the first standing of all, before the snapshot (two servers may make them at once).
            let bundleKey = try await db.bundleIdentity().publicKey
            // One snapshot for every figure of the standing, as the SQLite central reads it in one read.
            var standing = try await db.transaction { db in
                try await db.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                return try await db.standing(for: device, asking: asked)
            }
            standing.bundleKey = bundleKey
            return standing
        }
    }

    public func checkHealth() async throws {
        try await database { try await $0.run("SELECT 1") }
    }

    public func figures() async throws -> CentralFigures {
        let latest = pulls.all()
        return try await database { db in
            let open = try await db.rows("SELECT COUNT(*)::bigint FROM conflicts WHERE status = 'open'", as: Int.self).first ?? 0
            let active = try await db.enrollments().filter { $0.revokedAt == nil }
            var outgoing: [String: Int] = [:]
            for device in active {
                let stored = try await db.rows("SELECT cursor FROM device_pulls WHERE device = $1", [device.device], as: Int64.self).first
                guard let cursor = latest[device.device] ?? stored else { continue }
                outgoing[device.device] = try await db.outgoing(after: cursor, unit: device.unit, now: Date())
            }
            return CentralFigures(openConflicts: open, activeDevices: active, outgoing: outgoing)
        }
    }

    public func fileGrant(_ hash: BlobHash, for device: Enrollment, sending: Bool) async throws -> FileGrant {
        try await database { try await $0.fileGrant(hash, for: device, sending: sending, now: Date()) }
    }

    public func fileStore() throws -> BlobStore {
        guard let files else {
            throw ReportSyncError(
                .unavailable,
                "this central serves no attachments' files: start syncd serve with --files FOLDER (the folder syncd migrate named)")
        }
        return BlobStore.at(files)
    }

    public func noteFileStored(_ reference: BlobReference, from device: Enrollment) async throws {
        try await database { db in
            try await db.run(
                "INSERT INTO blobs (hash, size, stored_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                [reference.hash.hex, reference.size, Date().millisecondsSince1970])
            try await db.run(
                "INSERT INTO blob_sources (hash, unit, channel) VALUES ($1, $2, 'network') ON CONFLICT DO NOTHING", [reference.hash.hex, device.unit])
        }
    }
}

/// Each device's latest pull as this process saw it, and when it was last written to `device_pulls`
/// (written at most every 30 s a device, so that pulls do not queue behind writers).
private final class PullCursors: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: [String: Int64] = [:]
    private var written: [String: Date] = [:]

    /// Notes a pull; true when it is to be written (never written, or not for `writeEvery` seconds).
    func note(device: String, cursor: Int64, at now: Date, writeEvery: TimeInterval) -> Bool {
        lock.withLock {
            latest[device] = cursor
            guard written[device].map({ now.timeIntervalSince($0) >= writeEvery }) ?? true else { return false }
            written[device] = now
            return true
        }
    }

    func all() -> [String: Int64] { lock.withLock { latest } }
}

extension PostgresDatabase {
    /// Attempts at pushes, one after the other on one engine, in one transaction under the feed's lock
    /// (the ledger loaded under it): each push's answers, or the first error (then nothing was written).
    /// `asGroup`: a push that throws is named (`PostgresPushGroups.PushFailed`), and the merge may take
    /// only `PostgresApply.groupRuns` runs.
    func merge(_ pushes: [PushMerge], now: Date, asGroup: Bool = false) async throws -> [[PushResult]] {
        try await transaction { db in
            let state = try await db.lockForWrite()
            let ledger = try await PostgresLedger.loading(for: pushes.map { ($0.changes, $0.device.unit) }, now: now, state, db)
            let policy = try state.policy(at: now)
            return try await PostgresApply.run(
                db, state, now: now, asking: pushes.flatMap(\.changes), ledger: ledger,
                runs: asGroup ? PostgresApply.groupRuns : PostgresApply.maximumRuns,
                check: { effects in for push in pushes { try push.leftSecret(under: policy)(effects) } }
            ) { engine in
                try pushes.enumerated().map { index, push in
                    do { return try push.run(engine: engine, ledger: ledger) } catch where asGroup {
                        throw PostgresPushGroups.PushFailed(index: index, error: error)
                    }
                }
            }
        }
    }

    /// Binds `key` to the enrolment of `token` (`device`), as `CentralReplica.bindBundleKey` does: at its
    /// first sync round or by its first bundle; a later key for the same enrolment is refused.
    @discardableResult
    func bindBundleKey(_ key: BundlePublicKey, token: String, device: Enrollment) async throws -> BundlePublicKey {
        _ = try key.checked()
        let hash = CentralReplica.hash(token: token)
        // Two servers binding at once: the first row stands, and the other compares with it.
        try await run(
            "INSERT INTO bundle_devices (token_hash, agreement, signing, cursor, bound_at) VALUES ($1, $2, $3, 0, $4) ON CONFLICT DO NOTHING",
            [hash, key.agreement, key.signing, Date().millisecondsSince1970])
        let row = try await randomAccessRows("SELECT agreement, signing FROM bundle_devices WHERE token_hash = $1", [hash])
        guard let row = row.first else { throw ReportSyncError(.storage, "the device's bundle keys were not kept; try again") }
        let bound = BundlePublicKey(agreement: try row["agreement"].decode(String.self), signing: try row["signing"].decode(String.self))
        guard bound == key else { throw CentralReplica.boundToOtherKeys(device: device.device, bound: bound, key: key) }
        return bound
    }
}
